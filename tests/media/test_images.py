"""Images: fit and cover with a focal point, display format, the byte-budget cache."""

from __future__ import annotations

import os
import time

import pygame
import pytest

from kiosk.media.errors import MediaError
from kiosk.media.images import (
    COVER,
    FIT,
    DisplayFormat,
    ImageCache,
    cover_crop,
    fit_size,
    image_key,
    into_format,
    prepare_image,
    to_display,
)

QUADRANTS = {"tl": (220, 30, 30), "tr": (30, 200, 40), "bl": (40, 60, 210), "br": (230, 220, 40)}


def quadrant_image(path, size=(400, 200), alpha=False):
    """An image whose four quadrants have known colours."""
    w, h = size
    surface = pygame.Surface(size, pygame.SRCALPHA if alpha else 0, 32)
    surface.fill(QUADRANTS["tl"], (0, 0, w // 2, h // 2))
    surface.fill(QUADRANTS["tr"], (w // 2, 0, w - w // 2, h // 2))
    surface.fill(QUADRANTS["bl"], (0, h // 2, w // 2, h - h // 2))
    surface.fill(QUADRANTS["br"], (w // 2, h // 2, w - w // 2, h - h // 2))
    if alpha:
        surface.fill((0, 0, 0, 0), (0, 0, 10, 10))
    pygame.image.save(surface, str(path))
    return path


def rgb(surface, pos):
    return tuple(surface.get_at(pos))[:3]


def near(surface, pos, colour):
    """Pixel at pos within 4 of colour per channel (smooth scaling rounds)."""
    return all(abs(a - b) <= 4 for a, b in zip(rgb(surface, pos), colour, strict=True))


def test_fit_keeps_the_whole_image_and_its_shape():
    assert fit_size((400, 200), (100, 100)) == (100, 50)
    assert fit_size((200, 400), (100, 100)) == (50, 100)
    assert fit_size((1920, 1080), (1280, 1080)) == (1280, 720)


def test_cover_crops_around_the_focal_point():
    # A 400x200 image into a 100x100 box: a 200x200 region is kept.
    assert cover_crop((400, 200), (100, 100)) == pygame.Rect(100, 0, 200, 200)
    assert cover_crop((400, 200), (100, 100), (0.0, 0.5)) == pygame.Rect(0, 0, 200, 200)
    assert cover_crop((400, 200), (100, 100), (1.0, 0.5)) == pygame.Rect(200, 0, 200, 200)
    assert cover_crop((400, 200), (100, 100), (0.3, 0.9)) == pygame.Rect(20, 0, 200, 200)


def test_cover_with_a_focal_point_shows_that_part(screen, tmp_path):
    path = quadrant_image(tmp_path / "q.png")
    cache = ImageCache()
    left = cache.get(path, (100, 100), COVER, focus=(0.0, 0.0))
    right = cache.get(path, (100, 100), COVER, focus=(1.0, 1.0))
    assert left.get_size() == right.get_size() == (100, 100)
    assert near(left, (25, 25), QUADRANTS["tl"]) and near(left, (25, 75), QUADRANTS["bl"])
    assert near(right, (75, 25), QUADRANTS["tr"]) and near(right, (75, 75), QUADRANTS["br"])
    fitted = cache.get(path, (300, 300), FIT)
    assert fitted.get_size() == (300, 150)
    assert near(fitted, (10, 10), QUADRANTS["tl"]) and near(fitted, (290, 140), QUADRANTS["br"])


def test_images_come_out_in_the_display_format(screen, tmp_path):
    opaque = ImageCache().get(quadrant_image(tmp_path / "o.jpg"), (200, 100))
    assert opaque.get_bitsize() == screen.get_bitsize()
    assert opaque.get_masks() == screen.get_masks()
    clear = ImageCache().get(quadrant_image(tmp_path / "a.png", alpha=True), None, "original")
    assert clear.get_flags() & pygame.SRCALPHA and clear.get_at((2, 2)).a == 0
    # The worker-thread half already lays pixels out like the display: no convert() left.
    prepared = into_format(prepare_image(image_key(tmp_path / "o.jpg", (200, 100))),
                           DisplayFormat.capture())
    assert to_display(prepared) is prepared


def test_the_cache_stays_within_its_byte_budget_least_recently_used_out(screen, tmp_path):
    paths = [quadrant_image(tmp_path / f"{i}.png") for i in range(4)]
    one = 100 * 50 * 4  # a 100x50 32-bit surface
    cache = ImageCache(budget_bytes=3 * one)
    for path in paths[:3]:
        cache.get(path, (100, 100))
    assert cache.bytes_used == 3 * one and len(cache) == 3
    cache.get(paths[0], (100, 100))  # used again: now the most recent
    loads = cache.loads
    cache.get(paths[3], (100, 100))
    assert len(cache) == 3 and cache.bytes_used <= cache.budget_bytes and cache.evictions == 1
    assert image_key(paths[1], (100, 100)) not in cache  # the least recently used went
    assert image_key(paths[0], (100, 100)) in cache
    cache.get(paths[0], (100, 100))
    assert cache.loads == loads + 1  # a hit costs no load


def test_a_changed_file_or_another_box_is_another_entry(screen, tmp_path):
    path = quadrant_image(tmp_path / "q.png")
    cache = ImageCache()
    first = cache.get(path, (100, 100))
    assert cache.get(path, (100, 100)) is first
    assert cache.get(path, (50, 50)) is not first
    surface = pygame.Surface((40, 40))
    surface.fill((9, 9, 9))
    pygame.image.save(surface, str(path))
    later = time.time() + 5
    os.utime(path, (later, later))
    changed = cache.get(path, (100, 100))
    assert changed.get_size() == (100, 100) and near(changed, (50, 50), (9, 9, 9))


def test_bad_files_give_clear_errors(screen, tmp_path):
    cache = ImageCache()
    with pytest.raises(MediaError, match="missing.png: cannot read"):
        cache.get(tmp_path / "missing.png", (10, 10))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(MediaError, match="broken.png: cannot decode the image"):
        cache.get(broken, (10, 10))
    with pytest.raises(ValueError, match="focal point"):
        image_key(broken, (10, 10), COVER, (1.5, 0))
