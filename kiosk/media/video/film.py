"""`Film`: a scene's film whose player the engine's thread opens, so no tap's frame does.

Opening a libvlc player (`media_player_new`, its media, callbacks and events) costs about
3 ms of the main thread's time and up to 10 ms of waiting (bench/kiosk_tap.py: every tap
slower than a frame that ran a film opened it on its frame). The kiosk holds a `Film` from
the tap on, draws the poster until the player has a frame, and asks for the player one frame
later (`open_soon`); the engine's thread opens it. Play, pause and replay asked for before
it is open are kept and applied as it opens, under the film's lock, so a tap on Pause in the
meantime is never lost.

The close contract: `close()` may come at any moment, from the main thread, and leaks
nothing. Before `open_soon`, nothing was ever queued; queued and not yet run, the job finds
the film closed and opens nothing; while the engine's thread is creating the player, it finds
the film closed as it hands it over and closes it there; once open, the player is closed on
the engine's thread (`close_later`). The engine's own `close` runs or drops the jobs queued
and closes every player still open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pygame

from kiosk.media.video.player import VideoPlayer


class Film:
    """One scene's film (see the module docstring): the kiosk's calls, with or without a
    player yet."""

    def __init__(self, path: Path, make_player: Callable[[], VideoPlayer | None],
                 run_later: Callable[[Callable[[], object], Path], bool],
                 close_later: Callable[[VideoPlayer], None]) -> None:
        """make_player opens the player on the engine's thread (None: the engine is
        closing); run_later queues a job there (False when the engine is closing);
        close_later closes a player there."""
        self.path = path
        self._make_player = make_player
        self._run_later = run_later
        self._close_later = close_later
        self._lock = threading.Lock()  # the player's handover against the kiosk's calls
        self._player: VideoPlayer | None = None
        self._queued = False
        self._closed = False
        self._want_play = False  # play asked for before the player was open
        self._opened = threading.Event()  # set once the open job is done (or dropped)

    @property
    def player(self) -> VideoPlayer | None:
        """The player, once the engine's thread has opened it (None before, and closed)."""
        return self._player

    @property
    def closed(self) -> bool:
        """True once `close` was called."""
        return self._closed

    def open_soon(self) -> None:
        """Have the engine's thread open the player (once; nothing after `close`)."""
        with self._lock:
            if self._queued or self._closed:
                return
            self._queued = True
        if not self._run_later(self._open, self.path):
            self._opened.set()  # the engine is closing: no player, ever

    def _open(self) -> None:
        """On the engine's thread: open the player and hand it over, or close it at once
        when the film was closed meanwhile."""
        try:
            if self._closed:
                return
            player = self._make_player()
            if player is None:
                return
            with self._lock:
                if not self._closed:
                    self._player = player
                    if self._want_play:
                        player.play()
                    return
            player.close()  # closed while it opened: VLC is stopped before the job ends
        finally:
            self._opened.set()

    def wait_open(self, timeout_s: float) -> bool:
        """Block until the open job has run (tests and benchmarks only); True when it did."""
        return self._opened.wait(timeout_s)

    # --- the kiosk's calls (main thread) -------------------------------------------------
    def play(self) -> None:
        """Start or resume playing (as soon as it opens, when not open yet)."""
        with self._lock:
            if self._player is None:
                self._want_play = True
                return
            player = self._player
        player.play()

    def toggle_pause(self) -> None:
        """Pause if playing, else play."""
        with self._lock:
            if self._player is None:
                self._want_play = not self._want_play
                return
            player = self._player
        player.toggle_pause()

    def replay(self) -> None:
        """Play again from the start."""
        with self._lock:
            if self._player is None:
                self._want_play = True
                return
            player = self._player
        player.replay()

    @property
    def is_playing(self) -> bool:
        """True while playing or about to (before it opens: when play was asked for)."""
        player = self._player
        if player is None:
            return self._want_play and not self._closed
        return player.is_playing

    @property
    def position_ms(self) -> int:
        """Playback position (0 until it opens)."""
        player = self._player
        return player.position_ms if player is not None else 0

    def update(self) -> None:
        """Per frame: the player's volume and mute (nothing before it opens)."""
        player = self._player
        if player is not None:
            player.update()

    def draw_in(self, target: pygame.Surface, rect: pygame.Rect) -> bool:
        """Blit the latest frame centred in rect; False (nothing drawn) before one exists."""
        player = self._player
        return player.draw_in(target, rect) if player is not None else False

    def close(self) -> None:
        """Close the film at any moment (see the module docstring); idempotent."""
        with self._lock:
            self._closed = True
            self._want_play = False
            player, self._player = self._player, None
        if player is not None:
            self._close_later(player)
