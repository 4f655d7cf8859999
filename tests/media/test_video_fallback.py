"""Without libvlc or its plugins the video scene falls back to poster + subtitles, logged once.

Each case runs in a fresh interpreter, where libvlc is really hidden: the library's lookup
patched away (as on a machine without libvlc5), or a libvlc copied to a folder with no plugins
next to it (as on a machine without vlc-plugin-base).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCENE = r"""
import logging, os, sys
from pathlib import Path
os.environ["SDL_VIDEODRIVER"] = "dummy"
{hide}
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
import pygame
pygame.display.init()
screen = pygame.display.set_mode((640, 480))
from kiosk.media import (AudioSettings, ImageCache, ImageRequest, Prefetcher, SubtitleCache,
                         VideoEngine, VideoRequest, VideoUnavailable)
folder = Path(sys.argv[1])
engine = VideoEngine(AudioSettings())
assert not engine.available
images, subtitles = ImageCache(), SubtitleCache()
prefetch = Prefetcher(images, subtitles=subtitles, video=engine)
prefetch.want([VideoRequest(folder / "film.mp4", (640, 360)),
               ImageRequest(folder / "poster.png", (640, 360))])
assert prefetch.wait_idle(10) and prefetch.pump(None) == 1, "poster prefetched, no frame asked"
for _ in range(3):  # the visitor replays the scene: still only one log line
    try:
        engine.open(folder / "film.mp4", (640, 360))
        raise SystemExit("open() should have raised VideoUnavailable")
    except VideoUnavailable as exc:
        reason = str(exc)
    poster = images.get(folder / "poster.png", (640, 360))
    screen.blit(poster, (0, 0))
    text = subtitles.get(folder / "film.en.vtt").transcript()
prefetch.close()
assert tuple(screen.get_at((320, 180)))[:3] == (200, 40, 90), screen.get_at((320, 180))
print("REASON", reason)
print("TEXT", text.replace("\n", "|"))
"""


def write_scene_media(folder: Path) -> None:
    """A poster, a subtitle file and a (never played) video file."""
    import pygame

    poster = pygame.Surface((320, 180))
    poster.fill((200, 40, 90))
    pygame.image.save(poster, str(folder / "poster.png"))
    (folder / "film.en.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:02.000\nShe kept the tickets.\n\n"
        "00:02.000 --> 00:04.000\nThey kept her passport.\n", encoding="utf-8")
    (folder / "film.mp4").write_bytes(b"\0\0\0\x18ftypisom" + b"\0" * 64)


def run_scene(folder: Path, hide: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the fallback scene in a fresh interpreter."""
    env = {**os.environ, **env_extra}
    return subprocess.run(
        [sys.executable, "-c", SCENE.format(hide=hide), str(folder)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False)


def check(out: subprocess.CompletedProcess, reason: str) -> None:
    assert out.returncode == 0, out.stderr[-2000:]
    log_lines = [line for line in out.stderr.splitlines() if "video unavailable" in line]
    assert len(log_lines) == 1, out.stderr
    assert reason in log_lines[0]
    assert f"REASON {reason}" in out.stdout or reason in out.stdout
    assert "TEXT She kept the tickets.||They kept her passport." in out.stdout


def test_without_libvlc_the_scene_shows_poster_and_subtitles(tmp_path):
    write_scene_media(tmp_path)
    # As on a machine without libvlc5: the lookup finds nothing, python-vlc still imports.
    hide = ("import ctypes.util\n_find = ctypes.util.find_library\n"
            "ctypes.util.find_library = lambda name: None if 'vlc' in name else _find(name)")
    out = run_scene(tmp_path, hide, {})
    check(out, "libvlc is not installed")


def test_without_vlc_plugins_the_scene_shows_poster_and_subtitles(tmp_path):
    write_scene_media(tmp_path)
    libdir = tmp_path / "lib"
    libdir.mkdir()
    found = {}
    for name in ("libvlc.so.5", "libvlccore.so.9"):
        for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"):
            if (Path(folder) / name).exists():
                found[name] = Path(folder) / name
                break
    if len(found) < 2:
        pytest.skip("libvlc is not installed where Debian puts it")
    for name, path in found.items():
        shutil.copy(path, libdir / name)  # libvlccore looks for plugins beside itself: none
    out = run_scene(tmp_path, "", {"PYTHON_VLC_LIB_PATH": str(libdir / "libvlc.so.5"),
                                   "LD_LIBRARY_PATH": str(libdir)})
    check(out, "cannot find its plugins")
