"""Benchmark: process start to the first attract frame, with the demo pack.

Starts `python -m kiosk play content` as a new process (SDL's dummy video driver, so it runs
without a screen) with STORYKIOSK_FIRST_FRAME=1, which makes the kiosk print one line when
its first attract frame is on screen with its picture drawn (a frame before the picture
is ready does not count); the time from spawning the process to that line is
measured. Warm runs find the compiled pack cache; the first (cold) run builds it. Measured both
as `kiosk play` and as the systemd unit starts it (`python -m kiosk.cli.play`). Baseline,
same run: a bare pygame process that opens a window, draws one frame and says so.
The coldest start (issue 24) has an empty compiled cache and no bytecode cache either: Python
compiles every module it imports, the project's and the libraries', from source
(`PYTHONPYCACHEPREFIX` an empty folder, nothing written), as the first start after an install.
Targets (issues 4 and 24): at most 1.5 s, warm and coldest.
Usage: .venv/bin/python bench/kiosk_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = """
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1920, 1080))
screen.fill((40, 40, 40))
pygame.display.flip()
print("first-frame", flush=True)
"""


def timed(cmd: list[str], env: dict) -> float:
    """Seconds from spawning cmd to its "first-frame" line."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.startswith("first-frame"):
                return time.perf_counter() - t0
        raise RuntimeError(f"{cmd} ended without drawing a frame")
    finally:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-start-"))
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STORYKIOSK_FIRST_FRAME="1", STORYKIOSK_DATA_DIR=str(tmp / "data"),
               STORYKIOSK_CONFIG_DIR=str(tmp / "config"),
               STORYKIOSK_CACHE_DIR=str(tmp / "cache"))
    kiosk = [sys.executable, "-m", "kiosk", "play", "content", "--size", "1920x1080"]
    unit = [sys.executable, "-m", "kiosk.cli.play", "content", "--size", "1920x1080"]
    coldest = [timed(kiosk, dict(env, STORYKIOSK_CACHE_DIR=str(tmp / f"empty-{i}"),
                                 PYTHONPYCACHEPREFIX=str(tmp / f"no-bytecode-{i}"),
                                 PYTHONDONTWRITEBYTECODE="1"))
               for i in range(3)]
    cold = timed(kiosk, env)
    via_cli = [timed(kiosk, env) for _ in range(args.runs)]
    warm = [timed(unit, env) for _ in range(args.runs)]
    bare = [timed([sys.executable, "-c", BARE], env) for _ in range(args.runs)]
    p50, worst = statistics.median(warm), max(warm)
    base = statistics.median(bare)
    print(f"bare pygame process, first frame:  median {base:.3f} s")
    print(f"kiosk, cold compiled cache:        {cold:.3f} s")
    print(f"kiosk, no compiled cache and no bytecode, 3 runs: median "
          f"{statistics.median(coldest):.3f} s, worst {max(coldest):.3f} s")
    print(f"`kiosk play`: median {statistics.median(via_cli):.3f} s")
    print(f"`python -m kiosk.cli.play` (the systemd unit), {args.runs} runs: median "
          f"{p50:.3f} s, worst {worst:.3f} s   x{p50 / base:.1f} bare pygame")
    ok, ok_cold = worst <= 1.5, max(coldest) <= 1.5
    print(f"targets: start to first attract frame <= 1.5 s: {'met' if ok else 'MISSED'}; "
          f"the coldest start <= 1.5 s: {'met' if ok_cold else 'MISSED'}")
    return 0 if ok and ok_cold else 1


if __name__ == "__main__":
    sys.exit(main())
