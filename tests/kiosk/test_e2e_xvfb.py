"""End to end under Xvfb: the real kiosk process in a real X window, tapped with xdotool.

A headless "shadow" app of the same pack and size, driven through the same steps, says where
each button is and what the screen must look like; every real screenshot (saved under
test-artifacts/kiosk/) is compared with the shadow's frame. Covers a whole story in two
languages, Leave now, the idle reset, and Arabic laid out right to left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest

from tests.support.isolation import start_xvfb
from tests.support.kiosk_driver import DEMO_PACK, FIXTURE_PACK, ROOT, make_app

ARTIFACTS = ROOT / "test-artifacts" / "kiosk"
SIZE = (1920, 1080)
pytestmark = pytest.mark.skipif(not all(shutil.which(tool) for tool in
                                        ("Xvfb", "xdotool", "import", "xwininfo")),
                                reason="needs Xvfb, xdotool, xwininfo and ImageMagick's import")


@pytest.fixture
def xvfb():
    display, proc = start_xvfb(SIZE)
    yield display
    proc.terminate()
    proc.wait(10)


class RealKiosk:
    """The kiosk process in the X window, and the shadow app beside it."""

    def __init__(self, display, pack, tmp, config=None):
        self.display = display
        env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
        env.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", SDL_VIDEO_WINDOW_POS="0,0",
                   STORYKIOSK_DATA_DIR=str(tmp / "real-data"),
                   STORYKIOSK_CONFIG_DIR=str(tmp / "real-config"),
                   STORYKIOSK_CACHE_DIR=str(tmp / "real-cache"))
        if config is not None:
            config.save(tmp / "real-config")
        self.env = env
        self.proc = subprocess.Popen([sys.executable, "-m", "kiosk", "play", str(pack),
                                      "--windowed", "--size", f"{SIZE[0]}x{SIZE[1]}"],
                                     env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90  # a loaded machine: the window once took over 30 s
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("the kiosk ended: "
                                     + self.proc.stderr.read().decode(errors="replace"))
            found = subprocess.run(["xwininfo", "-root", "-tree"], env=env,
                                   capture_output=True, text=True)
            if '"Storykiosk"' in found.stdout:
                break
            assert time.monotonic() < deadline, "no kiosk window"
            time.sleep(0.2)
        time.sleep(1.0)
        self.shadow = make_app(pack, tmp, SIZE, record=False, config=config)

    def xdo(self, *args, timeout=10):
        return subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=timeout,
                              capture_output=True, text=True).stdout

    def click(self, pos, wait=0.6):
        self.xdo("mousemove", str(pos[0]), str(pos[1]), "click", "1")
        time.sleep(wait)

    def press(self, key, wait=0.6):
        """Tap a button in the real window where the shadow has it; the shadow follows."""
        self.click(self.shadow.button(key).rect.center, wait)
        self.shadow.press(key)

    def tap(self, pos):
        self.click(pos)
        self.shadow.tap(pos)

    def shot(self, name) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=True,
                       timeout=30)
        return path

    def matches_shadow(self, name, tolerance=2.5) -> float:
        """Screenshot the real window; the mean difference from the shadow's frame."""
        from PIL import Image, ImageChops, ImageStat

        real = Image.open(self.shot(name)).convert("RGB")
        self.shadow.frame(1.0)
        raw = pygame.image.tobytes(self.shadow.app.surface, "RGB")
        expected = Image.frombytes("RGB", SIZE, raw)
        expected.save(ARTIFACTS / f"{name}.expected.png")
        diff = ImageStat.Stat(ImageChops.difference(real, expected)).mean
        score = sum(diff) / 3
        assert score < tolerance, f"{name}: the real screen differs from the expected ({score})"
        return score

    def close(self):
        self.shadow.app.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        err = self.proc.stderr.read().decode(errors="replace")
        assert "Traceback" not in err, err


def text_inside_boxes(shadow):
    top = shadow.top
    block, box = getattr(top, "block", None), getattr(top, "box", None)
    if block is not None and box is not None:
        assert block.used_width <= box.rect.width
        assert all(line.width <= box.rect.width for line in block.lines)


def play_ana(k, lang, tag):
    k.press("story:ana")
    k.matches_shadow(f"{tag}-content-note")
    k.press("continue")
    k.press("skip")
    k.matches_shadow(f"{tag}-passage-home")
    text_inside_boxes(k.shadow)
    k.press("next")
    k.matches_shadow(f"{tag}-choice-home")
    k.press("choice:" + k.shadow.app.flow.view().choices[0].id)
    k.press("next")
    k.press("continue")  # the scene's content note
    k.press("next")
    labels = {b.label: b.key for b in k.shadow.top.buttons.items if b.key.startswith("choice:")}
    k.press(labels["Ring hjälplinjen" if lang == "sv" else "Call the helpline"])
    k.matches_shadow(f"{tag}-ending")
    k.press("continue")
    k.press("answer:4")
    k.press("answer:5")
    k.press("continue")
    assert k.shadow.screen == "menu"
    k.matches_shadow(f"{tag}-menu-after")


def test_two_languages_leave_now_and_idle_reset(xvfb, tmp_path, monkeypatch):
    from kiosk.app import KioskConfig

    monkeypatch.setenv("STORYKIOSK_CACHE_DIR", str(tmp_path / "cache"))
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    yaml = (pack / "pack.yaml").read_text()
    (pack / "pack.yaml").write_text(yaml.replace("idle_timeout: 60", "idle_timeout: 15"))
    config = KioskConfig(idle_countdown=3)
    k = RealKiosk(xvfb, pack, tmp_path, config)
    try:
        k.tap((960, 400))
        k.matches_shadow("01-language")
        k.press("lang:sv")
        k.matches_shadow("02-menu-sv")
        play_ana(k, "sv", "03-sv")
        k.press("language")
        k.press("lang:en")
        k.matches_shadow("04-menu-en")
        play_ana(k, "en", "05-en")
        k.press("story:ana")
        k.press("leave")
        k.matches_shadow("06-leave-now")
        k.tap((960, 400))  # to the attract loop
        k.tap((960, 400))  # a new visitor
        k.press("lang:en", wait=0.2)
        time.sleep(15.5)  # idle past the pack's timeout: "Are you still there?"
        from PIL import Image

        shot = Image.open(k.shot("07-idle-question")).convert("RGB")
        assert shot.getpixel((20, 20)) != (232, 227, 218)  # the screen is shaded
        time.sleep(4.0)  # the countdown runs out
        shot = Image.open(k.shot("08-idle-reset")).convert("RGB")
        from kiosk.ui import theme

        assert shot.getpixel((20, 20)) == theme.ATTRACT_PANEL  # back to the attract loop
    finally:
        k.close()


def test_arabic_reads_right_to_left_in_the_real_window(xvfb, tmp_path, monkeypatch):
    monkeypatch.setenv("STORYKIOSK_CACHE_DIR", str(tmp_path / "cache"))
    k = RealKiosk(xvfb, DEMO_PACK, tmp_path)
    try:
        k.tap((960, 400))
        k.press("lang:ar")
        k.press("story:samir")
        k.press("continue")
        while k.shadow.screen == "survey":
            k.press("skip")  # one question at a time
        assert k.shadow.screen == "passage"
        from PIL import Image

        shot = Image.open(k.shot("09-arabic-passage")).convert("RGB")
        box = k.shadow.top.box.rect
        block = k.shadow.top.block
        text_inside_boxes(k.shadow)
        right_edges = []
        for line in block.lines[:4]:
            y0 = box.y + line.y
            xs = [x for x in range(box.x - 4, box.right + 4)
                  for y in range(y0, y0 + block.line_height, 3)
                  if sum(shot.getpixel((x, y))) < 240]
            assert xs, "a line of text is visible"
            right_edges.append(max(xs))
        assert all(abs(edge - box.right) <= 12 for edge in right_edges), (right_edges, box)
    finally:
        k.close()
