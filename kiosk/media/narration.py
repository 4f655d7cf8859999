"""Narration: one voice track per scene and language through pygame's mixer.

A `pygame.mixer.Sound` on a reserved channel rather than `pygame.mixer.music`: a Sound knows
its length (for the progress bar), can be decoded ahead of time by the prefetcher, and its
channel pauses, resumes and takes a volume independently of any other sound.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from kiosk.media.cache import ByteBudgetLru, FileKey, file_key
from kiosk.media.errors import MediaError
from kiosk.media.settings import AudioSettings, MemoryBudgets

log = logging.getLogger(__name__)


SoundKey = FileKey
sound_key = file_key


def load_sound(path: Path) -> pygame.mixer.Sound:
    """Decode a whole sound file into memory (safe off the main thread; mixer must be open)."""
    if not pygame.mixer.get_init():
        raise MediaError(path, "cannot decode the sound: the audio mixer is not open")
    try:
        return pygame.mixer.Sound(os.fspath(path))
    except (pygame.error, OSError) as exc:
        raise MediaError(path, f"cannot decode the sound: {exc}") from exc


def sound_bytes(sound: pygame.mixer.Sound) -> int:
    """Memory held by a decoded sound."""
    freq, fmt, channels = pygame.mixer.get_init() or (44100, -16, 2)
    return int(sound.get_length() * freq * channels * (abs(fmt) // 8))


class SoundCache:
    """Decoded narration sounds under a byte budget, least recently used out first."""

    def __init__(self, budget_bytes: int = MemoryBudgets.sounds) -> None:
        self._lru = ByteBudgetLru(budget_bytes)
        self.loads = 0

    def __contains__(self, key: SoundKey) -> bool:
        return key in self._lru

    @property
    def bytes_used(self) -> int:
        """Bytes held by decoded sounds."""
        return self._lru.bytes_used

    @property
    def budget_bytes(self) -> int:
        """The byte budget."""
        return self._lru.budget_bytes

    def peek(self, key: SoundKey) -> pygame.mixer.Sound | None:
        """The decoded sound for key, or None; never touches the disk."""
        return self._lru.get(key)

    def put(self, key: SoundKey, sound: pygame.mixer.Sound) -> None:
        """Store a decoded sound."""
        self._lru.put(key, sound, sound_bytes(sound))

    def get(self, path: Path) -> pygame.mixer.Sound:
        """The decoded sound for path, decoding it now on this thread if not cached."""
        key = sound_key(path)
        sound = self._lru.get(key)
        if sound is None:
            self.loads += 1
            sound = load_sound(path)
            self.put(key, sound)
        return sound

    def lend(self, nbytes: int) -> None:
        """Keep `nbytes` less than the budget until `lend(0)` (see `Media.film_started`)."""
        self._lru.lend(nbytes)

    def clear(self) -> None:
        """Drop every cached sound."""
        self._lru.clear()


class Narration:
    """Plays one narration at a time on a reserved mixer channel; knows where it is."""

    def __init__(
        self,
        settings: AudioSettings,
        sounds: SoundCache,
        channel: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.sounds = sounds
        self._clock = clock
        self.path: Path | None = None
        self._sound: pygame.mixer.Sound | None = None
        self._started: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self.available = bool(pygame.mixer.get_init())
        if self.available:
            pygame.mixer.set_reserved(channel + 1)  # keep other sounds off the voice channel
            self._channel = pygame.mixer.Channel(channel)
        else:
            log.warning("narration: no audio mixer; narration is silent, captions still show")

    def load(self, path: Path) -> None:
        """Stop what is playing and make path the current narration (decoded if not cached)."""
        self.stop()
        self.path = Path(path)
        self._sound = self.sounds.get(path) if self.available else None

    def play(self, path: Path | None = None) -> None:
        """Start the current narration (or load path first) from the beginning."""
        if path is not None:
            self.load(path)
        if self._sound is None:
            return
        self._channel.play(self._sound)
        self._started = self._clock()
        self._paused_at = None
        self._paused_total = 0.0
        self.apply_settings()

    def replay(self) -> None:
        """Play the current narration again from the start."""
        self.play()

    def pause(self) -> None:
        """Pause where it is; the position stays."""
        if self.is_playing:
            self._channel.pause()
            self._paused_at = self._clock()

    def resume(self) -> None:
        """Go on from where it was paused."""
        if self._paused_at is not None and self._sound is not None:
            self._channel.unpause()
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None

    def toggle_pause(self) -> None:
        """Pause if playing, resume if paused, replay if finished."""
        if self._paused_at is not None:
            self.resume()
        elif self.is_playing:
            self.pause()
        else:
            self.replay()

    def stop(self) -> None:
        """Stop and forget the position (leaving a scene, Leave now)."""
        # Only when something was started: halting the channel releases the GIL, and taking
        # it back while the prefetch worker decodes costs up to 5 ms (measured: 6 ms a call
        # in the soak, on every screen change).
        if self.available and self._sound is not None and self._started is not None:
            self._channel.stop()
        self._started = None
        self._paused_at = None
        self._paused_total = 0.0

    def apply_settings(self) -> None:
        """Apply the current volume and mute; call after the settings change."""
        if self.available:
            self._channel.set_volume(self.settings.effective())

    @property
    def is_paused(self) -> bool:
        """True while paused mid-way."""
        return self._paused_at is not None

    @property
    def is_playing(self) -> bool:
        """True while the voice is sounding (not paused, not finished): the idle timer waits."""
        if self._sound is None or self._started is None or self._paused_at is not None:
            return False
        return self._channel.get_busy() and self._channel.get_sound() is self._sound

    @property
    def duration_ms(self) -> int:
        """Length of the current narration, 0 if none."""
        return round(self._sound.get_length() * 1000) if self._sound is not None else 0

    @property
    def position_ms(self) -> int:
        """Milliseconds played so far (for the progress bar and the captions)."""
        if self._started is None:
            return 0
        if not self.is_paused and not self.is_playing:
            return self.duration_ms  # finished
        now = self._paused_at if self._paused_at is not None else self._clock()
        elapsed = now - self._started - self._paused_total
        return max(0, min(self.duration_ms, round(elapsed * 1000)))

    @property
    def progress(self) -> float:
        """Position as a fraction 0..1."""
        duration = self.duration_ms
        return self.position_ms / duration if duration else 0.0
