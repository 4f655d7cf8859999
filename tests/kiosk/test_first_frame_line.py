"""The start bench's "first-frame" line (STORYKIOSK_FIRST_FRAME=1) marks the first attract
frame with its picture drawn, once."""

from __future__ import annotations

from pathlib import Path

import pygame

from kiosk.ui import theme
from tests.support.kiosk_driver import make_app

DEMO = Path(__file__).resolve().parents[2] / "content"


def test_the_line_comes_once_with_the_attract_picture_on_screen(cache_env, monkeypatch, capsys):
    monkeypatch.setenv("STORYKIOSK_FIRST_FRAME", "1")
    k = make_app(DEMO, cache_env, size=(960, 540))
    try:
        capsys.readouterr()
        printed_at = []
        for frame in range(30):
            k.app.frame([])
            if "first-frame" in capsys.readouterr().out:
                printed_at.append(frame)
                # the slide covers the screen: the top band is the picture, not the bare panel
                top = pygame.Rect(0, 0, 960, 100)
                colours = {tuple(k.app.surface.get_at((x, y)))[:3]
                           for x in range(top.left, top.right, 37)
                           for y in range(top.top, top.bottom, 19)}
                assert colours != {tuple(theme.ATTRACT_PANEL)[:3]}, "no picture drawn yet"
        assert len(printed_at) == 1, printed_at
    finally:
        k.app.close()
