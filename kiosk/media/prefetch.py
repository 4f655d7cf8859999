"""Prepare the media of the scenes one step ahead in a worker thread, so a tap never waits.

What runs where (pygame-ce makes no general thread-safety promise: its issue #3281 discusses
adding one; so we keep to calls that touch no shared state): the worker decodes images
(`pygame.image.load`, which pygame's own tests run from several threads, pygame PR #707),
crops and smooth-scales them, and blits them into a surface laid out like the display
(plain software surfaces; the display's masks are captured on the main thread first); it
decodes narration into `pygame.mixer.Sound`s, parses subtitles and asks VLC (thread-safe) for
a video's first frame. The caches are only touched by the main thread:
`pump()` moves finished work into them within a per-frame time budget. `to_display` finds the
surfaces already in the display's format, so no `convert()` lands on a frame.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.media.cache import file_key
from kiosk.media.errors import MediaError, VideoUnavailable
from kiosk.media.images import (
    FIT,
    DisplayFormat,
    ImageCache,
    image_key,
    into_format,
    prepare_image,
    to_display,
)
from kiosk.media.narration import SoundCache, load_sound
from kiosk.media.subtitles import SubtitleCache, load_subtitles
from kiosk.media.video import VideoEngine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageRequest:
    """An image shaped for a box, as the scene will ask `ImageCache.get` for it."""

    path: Path
    box: tuple[int, int] | None = None
    mode: str = FIT
    focus: tuple[float, float] | None = None


@dataclass(frozen=True)
class SoundRequest:
    """A narration file, decoded into the SoundCache."""

    path: Path


@dataclass(frozen=True)
class SubtitleRequest:
    """A WebVTT or SRT file, parsed into the SubtitleCache."""

    path: Path


@dataclass(frozen=True)
class VideoRequest:
    """A video's first frame fitted into box, cached as `image_key(path, box, 'frame')`."""

    path: Path
    box: tuple[int, int]


Request = ImageRequest | SoundRequest | SubtitleRequest | VideoRequest


class Prefetcher:
    """A worker thread preparing requested media; the main thread pumps results into caches."""

    def __init__(
        self,
        images: ImageCache,
        sounds: SoundCache | None = None,
        subtitles: SubtitleCache | None = None,
        video: VideoEngine | None = None,
    ) -> None:
        self.images = images
        self.sounds = sounds
        self.subtitles = subtitles
        self.video = video
        self.failures: deque[tuple[Request, str]] = deque(maxlen=50)
        self._format = DisplayFormat.capture()
        self._cond = threading.Condition()
        self._queue: deque[Request] = deque()
        self._wanted: set[Request] = set()
        self._busy: Request | None = None
        self._ready: deque[tuple[Request, object, object]] = deque()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="media-prefetch", daemon=True)
        self._thread.start()

    # --- main thread --------------------------------------------------------------------
    def want(self, requests: Iterable[Request]) -> None:
        """Prepare these (in order) and cancel everything else that was asked for before."""
        fresh = [r for r in dict.fromkeys(requests) if not self._cached(r)]
        with self._cond:
            self._wanted = set(fresh)
            self._queue = deque(fresh)
            self._ready = deque(item for item in self._ready if item[0] in self._wanted)
            self._cond.notify()

    def cancel(self) -> None:
        """Drop every pending request (Leave now, back to the attract loop)."""
        self.want(())

    def pump(self, budget_ms: float | None = 2.0) -> int:
        """Move finished work into the caches for up to budget_ms (None: all); returns count."""
        deadline = None if budget_ms is None else time.perf_counter() + budget_ms / 1000
        done = 0
        while True:
            with self._cond:
                if not self._ready:
                    return done
                request, key, value = self._ready.popleft()
            self._store(request, key, value)
            done += 1
            if deadline is not None and time.perf_counter() >= deadline:
                return done

    def in_hand(self, request: Request) -> bool:
        """True while request is queued, being prepared, or prepared and not yet pumped."""
        with self._cond:
            return (request == self._busy or request in self._queue
                    or any(item[0] == request for item in self._ready))

    @property
    def pending(self) -> int:
        """Requests queued, in the worker, or finished but not yet pumped."""
        with self._cond:
            return len(self._queue) + len(self._ready) + (self._busy is not None)

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block until the worker has nothing left to do (tests and benchmarks only)."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._queue or self._busy is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def display_changed(self) -> None:
        """Re-read the display's pixel format after a new `set_mode` (main thread)."""
        with self._cond:
            self._format = DisplayFormat.capture()

    def close(self) -> None:
        """Stop the worker thread (after the item in hand)."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        self._thread.join(timeout=10)

    def _cached(self, request: Request) -> bool:
        try:
            key = self._key(request)
        except MediaError:
            return False  # the worker will report it
        if isinstance(request, SoundRequest):
            # No mixer (no sound card): narration is silent, nothing to decode.
            return self.sounds is None or not pygame.mixer.get_init() or key in self.sounds
        if isinstance(request, SubtitleRequest):
            return self.subtitles is None or self.subtitles.peek(key) is not None
        if isinstance(request, VideoRequest) and (self.video is None or not self.video.available):
            return True
        return key in self.images

    def _store(self, request: Request, key: object, value: object) -> None:
        if isinstance(request, SoundRequest):
            self.sounds.put(key, value)
        elif isinstance(request, SubtitleRequest):
            self.subtitles.put(key, value)
        else:
            self.images.put(key, to_display(value))

    # --- worker thread ------------------------------------------------------------------
    @staticmethod
    def _key(request: Request) -> object:
        if isinstance(request, ImageRequest):
            return image_key(request.path, request.box, request.mode, request.focus)
        if isinstance(request, VideoRequest):
            return image_key(request.path, request.box, "frame")
        return file_key(request.path)

    def _prepare(self, request: Request) -> tuple[object, object]:
        key = self._key(request)
        if isinstance(request, ImageRequest):
            return key, prepare_image(key, self._format)
        if isinstance(request, SoundRequest):
            return key, load_sound(request.path)
        if isinstance(request, SubtitleRequest):
            return key, load_subtitles(request.path)
        frame = self.video.first_frame(request.path, request.box)
        return key, into_format(frame, self._format)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                request = self._busy = self._queue.popleft()
            try:
                key, value = self._prepare(request)
            except (MediaError, VideoUnavailable) as exc:
                log.warning("prefetch: %s", exc)
                self.failures.append((request, str(exc)))
                key = value = None
            except Exception as exc:  # a worker must survive any bad file
                log.exception("prefetch failed for %s", request)
                self.failures.append((request, repr(exc)))
                key = value = None
            with self._cond:
                if value is not None and request in self._wanted:
                    self._ready.append((request, key, value))
                self._busy = None
                self._cond.notify_all()
