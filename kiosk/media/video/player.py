"""`VideoPlayer`: one video decoded by libvlc into a pygame surface the kiosk draws.

VLC's decoder threads call `_on_format` (pick the frame size: the video fitted into the box),
`_on_lock`/`_on_unlock` (write straight into the surface's pixels, under a lock that `draw`
shares, so a half-written frame never reaches the screen) and `_on_display` (a frame is done).

The audio track follows the visitor's language: when VLC has selected its default audio track
(the ESSelected event, on VLC's thread, where no libvlc call may be made), the engine's job
thread selects the one in the visitor's language at once and, this early, goes back to the
start so the default track's first second, already decoded, is dropped (`kiosk.media.tracks`).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.media.errors import MediaError
from kiosk.media.images import fit_size
from kiosk.media.settings import AudioSettings
from kiosk.media.tracks import audio_tracks, pick_track

# Our own prototypes for the format callbacks: python-vlc's declare the chroma as c_char_p,
# which ctypes hands over as an immutable bytes copy, so the chroma could not be written.
_FORMAT_CB = ctypes.CFUNCTYPE(
    ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint))
_CLEANUP_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_LOCK_CB = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
_UNLOCK_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p,
                              ctypes.POINTER(ctypes.c_void_p))
_DISPLAY_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
# Little-endian 0x00RRGGBB: the byte order B,G,R,X that VLC's RV32 writes.
_RV32_MASKS = (0xFF0000, 0x00FF00, 0x0000FF, 0)
# An audio track selected this early into the video restarts it where it is (see _select_audio).
_RESTART_MS = 500
# After the track in the visitor's language is selected, the sound stays off this long more:
# the sound VLC had already decoded from its default track is flushed by then.
_SETTLE_S = 0.15
_AUDIO_ES = 0  # libvlc_track_audio


@dataclass(frozen=True)
class EngineLink:
    """What a player has from the engine that opened it: libvlc, the sound settings, where
    decoded sound goes (tests), and the engine's two calls back."""

    vlc: object  # the python-vlc module
    instance: object  # the engine's vlc.Instance
    settings: AudioSettings
    audio_sink: Callable[[bytes], None] | None
    select_track_soon: Callable[[VideoPlayer], None]  # from VLC's event thread
    closed: Callable[[VideoPlayer], None]  # once VLC has stopped calling the player


class VideoPlayer:
    """One video: play, pause, seek, replay; the current frame is drawn by the kiosk."""

    def __init__(self, engine: EngineLink, path: Path, box: tuple[int, int], audio: bool,
                 languages: Sequence[str] = ()):
        vlc = engine.vlc
        self._vlc = vlc
        self.engine = engine
        self.path = path
        self.box = (int(box[0]), int(box[1]))
        self.frames = 0  # frames VLC has finished writing
        self.surface: pygame.Surface | None = None  # VLC writes into it; read under the lock
        self._lock = threading.Lock()
        self._first = threading.Event()
        self._want_play = False
        self._starting = False
        self._applied: float | None = None
        self._reset_clock(0)
        self._native: tuple[int, int] | None = None
        self.languages = tuple(languages)  # audio track wanted, in order of preference
        # Silent until the track in the visitor's language is chosen (`select_audio`) and
        # settled: the visitor never hears VLC's default language first, however late the
        # engine's thread gets to choose on a busy machine. `_sound_from` is monotonic().
        self._choosing = audio and bool(self.languages)
        self._sound_from = 0.0
        self.audio_track: int | None = None  # the track selected by language, if any
        self._track_lock = threading.Lock()  # _select_audio (track thread) against close
        self._player = engine.instance.media_player_new()
        media = engine.instance.media_new_path(os.fspath(path))
        if not audio:
            media.add_option(":no-audio")
        self._player.set_media(media)
        self._media = media  # the player holds it too; kept to list its tracks
        self._events = None
        if audio:
            # Kept: python-vlc's EventManager owns the ctypes handler VLC calls.
            self._events = self._player.event_manager()
            self._events.event_attach(vlc.EventType.MediaPlayerESSelected, self._on_selected)
        self._audio_cb = None
        # Referenced from self for as long as the player lives: VLC calls them from its threads.
        self._cbs = (_FORMAT_CB(self._on_format), _CLEANUP_CB(self._on_cleanup),
                     _LOCK_CB(self._on_lock), _UNLOCK_CB(self._on_unlock),
                     _DISPLAY_CB(self._on_display))
        fn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, _FORMAT_CB, _CLEANUP_CB)
        set_format = fn(("libvlc_video_set_format_callbacks", vlc.dll))
        set_format(self._player._as_parameter_, self._cbs[0], self._cbs[1])
        fn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, _LOCK_CB, _UNLOCK_CB, _DISPLAY_CB,
                              ctypes.c_void_p)
        set_callbacks = fn(("libvlc_video_set_callbacks", vlc.dll))
        set_callbacks(self._player._as_parameter_, self._cbs[2], self._cbs[3], self._cbs[4],
                      None)
        if audio and engine.audio_sink is not None:
            sink = engine.audio_sink

            def on_audio(opaque, samples, count, pts):
                sink(ctypes.string_at(samples, count * 4))

            # No volume callback: libvlc then applies volume and mute in software.
            self._audio_cb = vlc.CallbackDecorators.AudioPlayCb(on_audio)
            self._player.audio_set_callbacks(self._audio_cb, None, None, None, None, None)
            self._player.audio_set_format("S16N", 44100, 2)

    # --- VLC's threads -----------------------------------------------------------------
    def _on_format(self, opaque, chroma, width, height, pitches, lines):
        native = (max(1, width[0]), max(1, height[0]))
        known = self._native
        # VLC asks again with the decoder's padded size (e.g. 320x258 for 320x240); the
        # visible size from its first call is the one to keep the aspect ratio of.
        if known and native[0] == known[0] and known[1] <= native[1] <= known[1] + 32:
            native = known
        self._native = native
        w, h = fit_size(native, self.box)
        w -= w % 2  # chroma subsampling wants even sizes
        h -= h % 2
        surface = pygame.Surface((max(2, w), max(2, h)), 0, 32, _RV32_MASKS)
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0] = surface.get_size()
        pitches[0] = surface.get_pitch()
        lines[0] = surface.get_height()
        with self._lock:
            self.surface = surface
        return 1

    def _on_cleanup(self, opaque):
        return None

    def _on_lock(self, opaque, planes):
        self._lock.acquire()
        planes[0] = self.surface._pixels_address
        return None

    def _on_unlock(self, opaque, picture, planes):
        self._lock.release()

    def _on_display(self, opaque, picture):
        self.frames += 1
        self._first.set()

    def _on_selected(self, event):
        # VLC's event thread: calling libvlc from here deadlocks; the engine's thread selects.
        kind, es_id = ctypes.cast(ctypes.pointer(event.u), ctypes.POINTER(ctypes.c_int * 2))[0]
        if kind == _AUDIO_ES and es_id >= 0 and self.languages:
            self.engine.select_track_soon(self)

    # --- the kiosk's thread ------------------------------------------------------------
    def wait_frame(self, timeout_s: float) -> bool:
        """Block until the first frame is decoded (tests and the prefetch worker only)."""
        return self._first.wait(timeout_s)

    @property
    def closed(self) -> bool:
        """True once closed: VLC calls none of the player's callbacks any more."""
        return self._player is None

    @property
    def has_frame(self) -> bool:
        """True once a frame has been decoded (until then, show the poster)."""
        return self._first.is_set()

    @property
    def frame_size(self) -> tuple[int, int] | None:
        """Size of the decoded frames (the video fitted into the box), once known."""
        return self.surface.get_size() if self.surface is not None else None

    def draw(self, target: pygame.Surface, dest: tuple[int, int]) -> bool:
        """Blit the latest frame at dest; False (nothing drawn) before the first frame."""
        self.update()
        if not self._first.is_set():
            return False
        with self._lock:
            if self.surface is None:  # closed
                return False
            target.blit(self.surface, dest)
        return True

    def draw_in(self, target: pygame.Surface, rect: pygame.Rect) -> bool:
        """Blit the latest frame centred in rect (the box it was opened with, usually)."""
        size = self.frame_size
        if size is None:
            return False
        return self.draw(target, (rect.x + (rect.w - size[0]) // 2,
                                  rect.y + (rect.h - size[1]) // 2))

    def snapshot(self) -> pygame.Surface:
        """A copy of the latest frame, independent of the player."""
        if not self._first.is_set():
            raise MediaError(self.path, "no frame decoded yet")
        with self._lock:
            if self.surface is None:
                raise MediaError(self.path, "the player is closed")
            return self.surface.copy()

    def _reset_clock(self, position_ms: int, paused: bool = False) -> None:
        """Restart the position estimate at position_ms (play, pause, seek, replay)."""
        player = getattr(self, "_player", None)  # None while __init__ runs, or closed
        raw = player.get_time() if player is not None else -1
        self._raw_time, self._raw_at = raw, time.monotonic()
        self._base: int | None = position_ms  # until VLC reports a new time
        self._last_estimate = position_ms
        self._paused_at_ms: int | None = position_ms if paused else None

    def play(self) -> None:
        """Start or resume playing."""
        self._want_play = True
        self._starting = True
        if self.ended:
            self._player.stop()
            self._reset_clock(0)
        elif self._paused_at_ms is not None:
            self._reset_clock(self._paused_at_ms)
        self._player.play()
        self.apply_settings()

    def pause(self) -> None:
        """Pause on the current frame."""
        self._reset_clock(self.position_ms, paused=True)
        self._want_play = False
        self._player.set_pause(1)

    def toggle_pause(self) -> None:
        """Pause if playing, else play (replays when ended)."""
        if self.is_playing:
            self.pause()
        else:
            self.play()

    def replay(self) -> None:
        """Play again from the start."""
        self._player.stop()
        self._reset_clock(0)
        self._want_play = True
        self._starting = True
        self._player.play()
        self.apply_settings()

    def seek(self, position_ms: int) -> None:
        """Jump to position_ms (clamped to the video); keeps playing or paused as it was."""
        duration = self.duration_ms
        position_ms = max(0, min(int(position_ms), duration - 1 if duration else position_ms))
        if self.ended or self._player.get_state() == self._vlc.State.Stopped:
            self._player.play()
            if not self._want_play:
                self._player.set_pause(1)
        self._reset_clock(position_ms, paused=not self._want_play)
        self._player.set_time(position_ms)

    def seek_fraction(self, fraction: float) -> None:
        """Jump to a fraction 0..1 of the video (for the seek bar)."""
        self.seek(round(max(0.0, min(1.0, fraction)) * self.duration_ms))

    def _volume(self) -> float:
        """The volume to play at now: the settings', or 0 while the language is chosen."""
        if self._choosing or time.monotonic() < self._sound_from:
            return 0.0
        return self.engine.settings.effective()

    def apply_settings(self) -> None:
        """Apply the current volume and mute to VLC's output (retried by `update`)."""
        volume = self._volume()
        # VLC has no audio output until the stream starts (-1 then): `update` tries again.
        taken = self._player.audio_set_volume(round(volume * 100)) == 0
        self._player.audio_set_mute(volume == 0.0)
        self._applied = volume if taken else None

    def update(self) -> None:
        """Per frame (draw calls it): apply volume or mute if they changed or did not take."""
        if self._player is not None and self._applied != self._volume():
            self.apply_settings()

    def set_languages(self, languages: Sequence[str]) -> None:
        """Prefer another language's audio track, now if the video is open (VLC switches
        from the sound it has already decoded on, about a second ahead)."""
        self.languages = tuple(languages)
        self.select_audio(restart=False)

    def select_audio(self, restart: bool = True) -> None:
        """Select the audio track of the first language in `languages` the video has (the
        engine's track thread calls it when VLC has opened the streams)."""
        with self._track_lock:
            if self._player is None:
                return
            tracks = audio_tracks(self._vlc, self._media)
            wanted = pick_track(tracks, self.languages)
            if wanted is None:
                # No track in these languages: VLC's default plays (none open yet: wait).
                self._choosing = self._choosing and not tracks
                return
            if self._player.audio_get_track() != wanted:
                self._player.audio_set_track(wanted)
                self._sound_from = time.monotonic() + _SETTLE_S
                at = self._player.get_time()
                if restart and at < _RESTART_MS:
                    # Just opened: VLC has decoded about a second of its default track, and
                    # starts the new one that far ahead. Going back to where it is (the
                    # start) flushes both: the visitor hears their language from its start.
                    self._player.set_time(max(0, at))
            self.audio_track = wanted
            self._choosing = False

    @property
    def state(self) -> str:
        """VLC's state name, e.g. 'Playing', 'Paused', 'Ended'."""
        return str(self._player.get_state()).rsplit(".", 1)[-1]

    @property
    def ended(self) -> bool:
        """True once the video played to its end."""
        return self._player.get_state() == self._vlc.State.Ended

    @property
    def is_paused(self) -> bool:
        """True while paused mid-way by `pause()` (not before playing, not ended)."""
        return self._paused_at_ms is not None and self._player is not None and not self.ended

    @property
    def is_playing(self) -> bool:
        """True while playing or about to (not paused, not ended): the idle timer waits."""
        if not self._want_play:
            return False
        state = self._player.get_state()
        State = self._vlc.State
        if state in (State.Opening, State.Buffering, State.Playing):
            self._starting = False
            return True
        # play() is asynchronous: until VLC leaves Stopped, the request counts as playing.
        return self._starting and state in (State.Stopped, State.NothingSpecial, State.Paused)

    @property
    def position_ms(self) -> int:
        """Current playback position (for the seek bar and subtitles)."""
        if self.ended:
            return self.duration_ms
        raw, now = self._player.get_time(), time.monotonic()
        if raw != self._raw_time:  # VLC moved on (after a seek: reached the new place)
            self._raw_time, self._raw_at, self._base = raw, now, None
        base = raw if self._base is None else self._base
        if self._paused_at_ms is not None:
            return self._paused_at_ms
        if self._player.get_state() != self._vlc.State.Playing:
            return max(0, base)
        # libvlc 3 updates its time only every 250-500 ms: subtitles would lag and the seek
        # bar would jump. Interpolate from the last update, never backwards, at most 1 s on.
        estimate = base + min(1000, round((now - self._raw_at) * 1000))
        duration = self.duration_ms
        if duration:
            estimate = min(estimate, duration)
        self._last_estimate = max(self._last_estimate, estimate)
        return max(0, self._last_estimate)

    @property
    def duration_ms(self) -> int:
        """Length of the video, 0 until VLC knows it."""
        length = self._player.get_length()
        if length <= 0:
            media = self._player.get_media()
            length = media.get_duration() if media is not None else 0
        return max(0, length)

    def close(self) -> None:
        """Stop and release the player and its threads; idempotent, and safe from two
        threads at once (the engine's thread and the engine's close)."""
        with self._track_lock:
            if self._player is None:
                return
            self._player.stop()  # joins VLC's decoder threads: no callback runs after this
            if self._events is not None:
                self._events.event_detach(self._vlc.EventType.MediaPlayerESSelected)
                self._events = None
            self._player.release()
            self._player = None
            self._media.release()
            self._media = None
        self._want_play = False
        # The callbacks are bound methods of self: drop them (and the frame buffer) now
        # rather than leave a reference cycle holding megabytes for the garbage collector.
        self._cbs = self._audio_cb = None
        with self._lock:
            self.surface = None
        self.engine.closed(self)

    def __enter__(self) -> VideoPlayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
