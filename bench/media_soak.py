"""100 videos back to back: resident memory and thread count must stay flat (growth <= 5%).

Plays short generated H.264 clips one after another, the way a kiosk does: the next video's
first frame prefetched in the background, the video opened, drawn at 60 Hz into a 1280x720
display (dummy driver) with its sound through VLC (dummy output) until it ends, then closed.
Resident memory (VmRSS) and the kernel's thread count for this process are read after each
video; growth is measured from video 20 (caches and allocators warm) to the last one.

    .venv/bin/python bench/media_soak.py [--videos 100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pygame  # noqa: E402

from kiosk.media.images import ImageCache, image_key  # noqa: E402
from kiosk.media.prefetch import Prefetcher, VideoRequest  # noqa: E402
from kiosk.media.settings import AudioSettings  # noqa: E402
from kiosk.media.video import VideoEngine  # noqa: E402

BOX = (1280, 720)


def status() -> tuple[int, int]:
    """(resident KiB, threads) from /proc/self/status."""
    fields = dict(line.split(":", 1) for line in
                  Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["Threads"])


def make_clips(folder: Path, count: int) -> list[Path]:
    """count distinct 1.2 s 640x360 H.264 + AAC clips."""
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for i in range(count):
        path = folder / f"clip{i}.mp4"
        if not path.exists():
            subprocess.run(
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                 f"testsrc2=s=640x360:r=30:d=1.2,hue=h={i * 36}", "-f", "lavfi", "-i",
                 f"sine=frequency={300 + 50 * i}:duration=1.2", "-c:v", "libx264",
                 "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)],
                check=True)
        clips.append(path)
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=100)
    parser.add_argument("--folder", type=Path,
                        default=Path(tempfile.gettempdir()) / "kiosk-bench-soak")
    args = parser.parse_args()
    clips = make_clips(args.folder, 10)
    pygame.display.init()
    screen = pygame.display.set_mode(BOX)
    engine = VideoEngine(AudioSettings(), ["--aout=adummy"])
    if not engine.available:
        raise SystemExit(f"video unavailable: {engine.reason}")
    images = ImageCache(64 * 2**20)
    prefetch = Prefetcher(images, video=engine)
    clock = pygame.time.Clock()
    samples = []
    for n in range(args.videos):
        clip, upcoming = clips[n % len(clips)], clips[(n + 1) % len(clips)]
        prefetch.want([VideoRequest(upcoming, BOX)])
        poster = images.peek(image_key(clip, BOX, "frame"))
        with engine.open(clip, BOX) as player:
            player.play()
            while not player.ended:
                pygame.event.pump()
                prefetch.pump()
                if not player.draw(screen, (0, 0)) and poster is not None:
                    screen.blit(poster, (0, 0))
                pygame.display.flip()
                clock.tick(60)
        samples.append(status())
        if (n + 1) % 10 == 0:
            print(f"video {n + 1:3d}: RSS {samples[-1][0] / 1024:6.1f} MiB, "
                  f"threads {samples[-1][1]}")
    prefetch.close()
    engine.close()
    warm = min(19, len(samples) - 1)  # two rounds of the 10 clips: first-frame cache full
    (rss0, thr0), (rss1, thr1) = samples[warm], samples[-1]
    print(f"growth from video {warm + 1} to {len(samples)}: RSS {100 * (rss1 - rss0) / rss0:+.1f}%"
          f" ({rss0 / 1024:.1f} -> {rss1 / 1024:.1f} MiB), threads "
          f"{100 * (thr1 - thr0) / thr0:+.1f}% ({thr0} -> {thr1}); "
          f"peak RSS {max(s[0] for s in samples) / 1024:.1f} MiB; target <= 5%")


if __name__ == "__main__":
    main()
