"""Video playback cost: decode + draw into a pygame surface vs VLC decoding with nothing drawn.

Generates 720p and 1080p H.264 (30 fps, with an AAC tone) with ffmpeg, then for each plays
it twice in this run: through `VideoPlayer` into a pygame display (dummy driver) at a 60 Hz
loop, blitting each new frame and flipping; and VLC alone decoding into the same memory
callbacks with the main thread asleep (the baseline). Reports frames per second and CPU as a
percentage of one core (process CPU time over wall time: VLC's threads are in this process).

    .venv/bin/python bench/media_video.py [--seconds 8]
    SDL_VIDEODRIVER=x11 xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/media_video.py
Targets (issue 5): 720p >= 29 fps at < 25% of one core; 1080p >= 29 fps.

Under X11 the drawing is measured twice: with SDL's default window surface (backed by an
OpenGL texture: Mesa's llvmpipe in software without a GPU driver) and with the plain X11
framebuffer the kiosk asks for (SDL_FRAMEBUFFER_ACCELERATION=0, kiosk/app/app.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from kiosk.media.settings import AudioSettings  # noqa: E402
from kiosk.media.video import VideoEngine  # noqa: E402


def make_video(path: Path, size: tuple[int, int], seconds: int) -> Path:
    """A moving test pattern (testsrc2) in H.264 at 30 fps with a tone, made by ffmpeg."""
    if not path.exists():
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=s={size[0]}x{size[1]}:r=30:d={seconds}", "-f", "lavfi", "-i",
             f"sine=frequency=440:duration={seconds}", "-c:v", "libx264", "-preset", "fast",
             "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)], check=True)
    return path


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def run(engine: VideoEngine, path: Path, size: tuple[int, int], seconds: float,
        draw: bool) -> tuple[float, float, float]:
    """(decoded fps, drawn fps, CPU % of one core) over `seconds` of playback."""
    screen = pygame.display.get_surface()
    clock = pygame.time.Clock()
    with engine.open(path, size) as player:
        player.play()
        player.wait_frame(5)
        start_frames, drawn, last = player.frames, 0, player.frames
        t0, c0 = time.perf_counter(), cpu_seconds()
        while time.perf_counter() - t0 < seconds and not player.ended:
            if draw:
                pygame.event.pump()
                if player.frames != last:
                    last = player.frames
                    player.draw(screen, (0, 0))
                    pygame.display.flip()
                    drawn += 1
                clock.tick(60)
            else:
                time.sleep(0.05)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        decoded = player.frames - start_frames
    return decoded / wall, drawn / wall, 100 * cpu / wall


def draw_modes() -> list[tuple[str, str | None]]:
    """(label, SDL_FRAMEBUFFER_ACCELERATION) of each way to draw: one with the dummy driver
    (it has no framebuffer to choose), SDL's default and the kiosk's under X11."""
    if os.environ.get("SDL_VIDEODRIVER", "dummy") == "dummy":
        return [("decode + draw (pygame)", "0")]
    return [("draw, SDL default (GL)", None), ("draw, X11 framebuffer", "0")]


def open_display(size: tuple[int, int], acceleration: str | None) -> None:
    """A new window of size, its surface made as SDL_FRAMEBUFFER_ACCELERATION says."""
    pygame.display.quit()
    if acceleration is None:
        os.environ.pop("SDL_FRAMEBUFFER_ACCELERATION", None)
    else:
        os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = acceleration
    pygame.display.init()
    pygame.display.set_mode(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="playback measured per run")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kiosk-bench")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"video driver: {os.environ.get('SDL_VIDEODRIVER', 'dummy')}")
    engine = VideoEngine(AudioSettings(), ["--aout=adummy"])
    if not engine.available:
        raise SystemExit(f"video unavailable: {engine.reason}")
    print(f"{'video':7} {'mode':22} {'decoded fps':>11} {'drawn fps':>9} {'CPU % core':>10}")
    for label, size in (("720p", (1280, 720)), ("1080p", (1920, 1080))):
        path = make_video(args.folder / f"bench-{label}.mp4", size, int(args.seconds) + 3)
        open_display(size, "0")
        base = run(engine, path, size, args.seconds, draw=False)
        print(f"{label:7} {'VLC into memory only':22} {base[0]:11.1f} {'-':>9} {base[2]:10.1f}")
        for mode, acceleration in draw_modes():
            open_display(size, acceleration)
            full = run(engine, path, size, args.seconds, draw=True)
            print(f"{label:7} {mode:22} {full[0]:11.1f} {full[1]:9.1f} "
                  f"{full[2]:10.1f}   (x{full[2] / base[2]:.2f} CPU of the baseline)")
    engine.close()


if __name__ == "__main__":
    main()
