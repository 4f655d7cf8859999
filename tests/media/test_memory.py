"""The kiosk's malloc tuning and memory budgets (kiosk/media/memory.py, settings.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kiosk.media.settings import MB, MemoryBudgets

ROOT = Path(__file__).resolve().parents[2]

# Full-screen surfaces made and every other one freed, as fades, veils and evicted pictures
# come and go: how much resident memory is given back?
PROBE = r"""
import json, os, sys
os.environ["SDL_VIDEODRIVER"] = "dummy"
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "tuned":
    from kiosk.media.memory import tune_malloc
    assert tune_malloc()
import pygame

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

# glibc's sliding threshold rises past a full screen once one mapped block is freed.
first = pygame.Surface((1920, 1080)); first.fill((1, 2, 3)); del first
surfaces = []
for i in range(24):
    s = pygame.Surface((1920, 1080)); s.fill((i, i, i)); surfaces.append(s)
    keep = pygame.Surface((64, 64)); keep.fill((i, 0, 0)); surfaces.append(keep)
full = rss()
del surfaces[0::2]
print(json.dumps({"full": full, "after": rss()}))
"""


def probe(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(ROOT), mode], capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_freed_full_screen_surfaces_leave_resident_memory_when_tuned():
    plain, tuned = probe("plain"), probe("tuned")
    freed = 24 * 1920 * 1080 * 4 / MB  # 190 MB
    assert tuned["full"] - tuned["after"] > 0.9 * freed, tuned
    # Without the tuning glibc keeps them (the holes between the small surfaces): the case
    # this guards against.
    assert plain["full"] - plain["after"] < 0.5 * freed, plain


def test_budgets_are_declared_once_with_help_and_scale_up_only():
    budgets = MemoryBudgets()
    assert set(MemoryBudgets.help()) == {"images", "sounds", "text"}
    assert all(len(text) > 30 for text in MemoryBudgets.help().values())
    assert budgets.images + budgets.sounds + budgets.text <= 100 * MB
    assert budgets.for_screen((1280, 720)) == budgets
    assert budgets.for_screen((1080, 1920)) == budgets
    big = budgets.for_screen((3840, 2160))
    assert big.images == 4 * budgets.images and big.sounds == budgets.sounds


def test_media_create_uses_the_budgets(screen):
    from kiosk.media import Media

    media = Media.create(budgets=MemoryBudgets(images=3 * MB, sounds=2 * MB, text=MB))
    try:
        assert media.images.budget_bytes == 3 * MB
        assert media.sounds._lru.budget_bytes == 2 * MB
    finally:
        media.close()


def test_a_playing_film_borrows_half_the_picture_and_sound_budgets(screen):
    import pygame

    from kiosk.media import Media

    media = Media.create(budgets=MemoryBudgets(images=4 * MB, sounds=2 * MB, text=MB))
    try:
        for i in range(4):  # four 1 MB pictures: the cache is full
            media.images.put(("picture", i), pygame.Surface((512, 512), 0, 32))
        assert media.images.bytes_used == 4 * MB
        media.film_started()
        assert media.images.bytes_used == 2 * MB, "the least recently used went at once"
        assert media.images.peek(("picture", 3)) is not None
        assert media.images.peek(("picture", 0)) is None
        media.images.put(("picture", 4), pygame.Surface((512, 512), 0, 32))
        assert media.images.bytes_used == 2 * MB, "and it stays within the half"
        assert media.sounds._lru.limit == MB
        media.film_stopped()
        assert media.images._lru.limit == 4 * MB and media.sounds._lru.limit == 2 * MB
        media.film_stopped()  # one stop too many changes nothing
        assert media.images._lru.limit == 4 * MB
    finally:
        media.close()
