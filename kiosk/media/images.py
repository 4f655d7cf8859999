"""Images: load, scale to fit or cover a box (with a focal point), convert, cache by bytes.

Split in two halves so the prefetcher can use the slow half off the main thread:
`prepare_image` (decode from disk, crop and smooth-scale: no display needed, safe in a worker
thread) and `to_display` (`convert()` / `convert_alpha()`: needs the display mode, main thread).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.media.cache import ByteBudgetLru
from kiosk.media.errors import MediaError
from kiosk.media.settings import MemoryBudgets

FIT = "fit"
COVER = "cover"
_MODES = (FIT, COVER, "original", "frame")


@dataclass(frozen=True)
class ImageKey:
    """What makes a prepared image unique: the file as it is now and how it is shaped."""

    path: str
    mtime_ns: int
    size: int
    box: tuple[int, int] | None
    mode: str
    focus: tuple[float, float]


def image_key(
    path: Path,
    box: tuple[int, int] | None = None,
    mode: str = FIT,
    focus: tuple[float, float] | None = None,
) -> ImageKey:
    """Build the cache key for path shaped into box; a changed file gets a new key."""
    if mode not in _MODES:
        raise ValueError(f"image mode must be one of {_MODES}, got {mode!r}")
    try:
        st = os.stat(path)
    except OSError as exc:
        raise MediaError(path, f"cannot read the image: {exc.strerror}") from exc
    fx, fy = focus if focus is not None else (0.5, 0.5)
    if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
        raise ValueError(f"focal point must be within 0..1, got {(fx, fy)}")
    box = (int(box[0]), int(box[1])) if box is not None else None
    return ImageKey(str(Path(path).resolve()), st.st_mtime_ns, st.st_size, box, mode, (fx, fy))


def load_image(path: Path) -> pygame.Surface:
    """Decode an image file into an unconverted surface (safe off the main thread)."""
    try:
        surface = pygame.image.load(os.fspath(path))
    except (pygame.error, FileNotFoundError, OSError) as exc:
        raise MediaError(path, f"cannot decode the image: {exc}") from exc
    if surface.get_bitsize() < 24:
        # smoothscale needs 24 or 32 bits; blitting into a fresh surface needs no display.
        full = pygame.Surface(surface.get_size(), pygame.SRCALPHA, 32)
        full.blit(surface, (0, 0))
        surface = full
    return surface


def fit_size(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest size with the same aspect ratio as size that fits inside box."""
    sw, sh = size
    bw, bh = box
    scale = min(bw / sw, bh / sh)
    return max(1, round(sw * scale)), max(1, round(sh * scale))


def cover_crop(
    size: tuple[int, int], box: tuple[int, int], focus: tuple[float, float] = (0.5, 0.5)
) -> pygame.Rect:
    """The region of an image of size that, scaled, covers box, centred on focus if it can."""
    sw, sh = size
    bw, bh = box
    scale = max(bw / sw, bh / sh)
    cw, ch = min(sw, max(1, round(bw / scale))), min(sh, max(1, round(bh / scale)))
    cx = round(focus[0] * sw - cw / 2)
    cy = round(focus[1] * sh - ch / 2)
    return pygame.Rect(min(max(cx, 0), sw - cw), min(max(cy, 0), sh - ch), cw, ch)


def shape_surface(
    surface: pygame.Surface,
    box: tuple[int, int] | None,
    mode: str = FIT,
    focus: tuple[float, float] = (0.5, 0.5),
) -> pygame.Surface:
    """Scale surface to fit inside box, or crop and scale it to cover box exactly."""
    if box is None or mode == "original":
        return surface
    if mode == COVER:
        region = surface.subsurface(cover_crop(surface.get_size(), box, focus))
        if region.get_size() == tuple(box):
            return region  # already the screen's size (the usual full-screen photo)
        return pygame.transform.smoothscale(region, box)
    target = fit_size(surface.get_size(), box)
    if target == surface.get_size():
        return surface
    return pygame.transform.smoothscale(surface, target)


# One image is decoded and scaled at a time, whichever thread asks: a 1920x1080 JPEG passes
# through 14-22 MB of temporary buffers on its way to the screen (the decoder's, then the
# scaler's), and the prefetch worker and a main-thread load doing it at once put both on the
# process's peak memory (measured with the soak: up to 39 MB above what either keeps).
_DECODING = threading.Lock()


def prepare_image(key: ImageKey, fmt: DisplayFormat | None = None) -> pygame.Surface:
    """Decode and shape the image for key (the worker-thread half); with `fmt`, in the
    display's layout. The picture is put in that layout before it is scaled: smooth-scaling
    a 24-bit surface goes through a 32-bit copy of it, about 7 MB more at 1080p."""
    with _DECODING:
        surface = load_image(Path(key.path))
        if fmt is not None:
            surface = into_format(surface, fmt)
        surface = shape_surface(surface, key.box, key.mode, key.focus)
        return into_format(surface, fmt) if fmt is not None else surface


@dataclass(frozen=True)
class DisplayFormat:
    """The display surface's pixel layout, captured on the main thread for worker threads."""

    bitsize: int
    masks: tuple[int, int, int, int]

    @classmethod
    def capture(cls) -> DisplayFormat:
        """Read the current display mode's format (main thread, after set_mode)."""
        display = pygame.display.get_surface()
        if display is None:
            raise RuntimeError("set a display mode before preparing images for it")
        return cls(display.get_bitsize(), tuple(display.get_masks()))


def into_format(surface: pygame.Surface, fmt: DisplayFormat) -> pygame.Surface:
    """Copy into a surface laid out like the display (software blit: safe off the main thread).

    `to_display` then has nothing left to do, so the main thread never spends a frame on it.
    """
    if surface.get_flags() & pygame.SRCALPHA:
        out = pygame.Surface(surface.get_size(), pygame.SRCALPHA, 32)
        if out.get_masks() == surface.get_masks():
            return surface
    else:
        same = surface.get_bitsize() == 32 and surface.get_masks() == fmt.masks
        if fmt.bitsize != 32 or same:
            return surface
        out = pygame.Surface(surface.get_size(), 0, 32, fmt.masks)
    out.blit(surface, (0, 0))
    return out


def _matches_display(surface: pygame.Surface, display: pygame.Surface) -> bool:
    if surface.get_flags() & pygame.SRCALPHA:
        # convert_alpha's layout: 32-bit ARGB with the display's colour masks.
        r, g, b, _ = display.get_masks()
        a = 0xFFFFFFFF & ~(r | g | b)
        return surface.get_bitsize() == 32 and surface.get_masks() == (r, g, b, a)
    return (surface.get_bitsize() == display.get_bitsize()
            and surface.get_masks() == display.get_masks())


def to_display(surface: pygame.Surface) -> pygame.Surface:
    """Convert to the display's pixel format (main thread, display mode set); keeps alpha."""
    display = pygame.display.get_surface()
    if display is not None and _matches_display(surface, display):
        return surface
    if surface.get_flags() & pygame.SRCALPHA:
        return surface.convert_alpha()
    return surface.convert()


def surface_bytes(surface: pygame.Surface) -> int:
    """Memory held by a surface's pixels."""
    return surface.get_pitch() * surface.get_height()


class ImageCache:
    """Display-ready images keyed by file, mtime, size and target box, under a byte budget."""

    def __init__(self, budget_bytes: int = MemoryBudgets.images) -> None:
        self._lru = ByteBudgetLru(budget_bytes)
        self.loads = 0  # synchronous loads on the caller's thread: a prefetch miss

    @property
    def bytes_used(self) -> int:
        """Bytes held by cached pixels."""
        return self._lru.bytes_used

    @property
    def budget_bytes(self) -> int:
        """The byte budget."""
        return self._lru.budget_bytes

    @property
    def evictions(self) -> int:
        """How many images were evicted to stay within the budget."""
        return self._lru.evictions

    def __len__(self) -> int:
        return len(self._lru)

    def __contains__(self, key: ImageKey) -> bool:
        return key in self._lru

    def peek(self, key: ImageKey) -> pygame.Surface | None:
        """The cached surface for key, or None; never touches the disk."""
        return self._lru.get(key)

    def put(self, key: ImageKey, surface: pygame.Surface) -> None:
        """Store a display-ready surface."""
        self._lru.put(key, surface, surface_bytes(surface))

    def get(
        self,
        path: Path,
        box: tuple[int, int] | None = None,
        mode: str = FIT,
        focus: tuple[float, float] | None = None,
    ) -> pygame.Surface:
        """The display-ready image for path in box; loads it now (on this thread) if not cached."""
        key = image_key(path, box, mode, focus)
        surface = self._lru.get(key)
        if surface is None:
            self.loads += 1
            fmt = DisplayFormat.capture() if pygame.display.get_surface() else None
            surface = to_display(prepare_image(key, fmt))
            self.put(key, surface)
        return surface

    def lend(self, nbytes: int) -> None:
        """Keep `nbytes` less than the budget until `lend(0)` (see `Media.film_started`)."""
        self._lru.lend(nbytes)

    def clear(self) -> None:
        """Drop every cached image (e.g. when a new pack is activated)."""
        self._lru.clear()
