"""`VideoEngine`: one per kiosk, owning the libvlc instance; it opens `VideoPlayer`s (or a
scene's `Film`, whose player its thread opens), runs their jobs off the frame (opening,
track selection, closing) and closes those left open."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pygame

from kiosk.media.errors import MediaError, VideoUnavailable
from kiosk.media.settings import AudioSettings
from kiosk.media.video.film import Film
from kiosk.media.video.player import EngineLink, VideoPlayer
from kiosk.media.vlclog import VlcLog

log = logging.getLogger(__name__)

# FILE_CACHING_MS: how far ahead VLC reads and decodes a local file. Its default, 1000 ms,
# queues a second of decoded pictures: a playing 720p film held 50 MB more than before it
# started; at 200 ms, 31 MB (measured here, the demo's 1280x720 H.264 drawn at 1100x620).
# The packs are on the kiosk's own disk, where 200 ms is plenty to play without a stall.
FILE_CACHING_MS = 200
DEFAULT_VLC_ARGS = (
    "--quiet", "--no-video-title-show", "--no-spu", "--no-sub-autodetect-file",
    "--no-snapshot-preview", "--no-osd", "--no-stats", "--no-lua",
    f"--file-caching={FILE_CACHING_MS}",
)
def _start_vlc(args: Sequence[str]) -> tuple[object | None, object | None, str]:
    """(vlc module, Instance, '') or (None, None, reason) when libvlc cannot run here."""
    try:
        import vlc
    except Exception as exc:  # python-vlc raises NotImplementedError, OSError...
        return None, None, f"python-vlc cannot load libvlc ({exc})"
    try:
        instance = vlc.Instance(list(args))
    except (NameError, OSError, AttributeError) as exc:
        # Without libvlc, python-vlc imports fine and its first call raises NameError.
        return None, None, f"libvlc is not installed (install libvlc5: {exc})"
    if instance is None:
        return None, None, "libvlc cannot find its plugins (install vlc-plugin-base)"
    return vlc, instance, ""


class VideoEngine:
    """One per kiosk: owns the libvlc instance, opens players, or says why it cannot."""

    def __init__(
        self,
        settings: AudioSettings,
        vlc_args: Sequence[str] = (),
        audio_sink: Callable[[bytes], None] | None = None,
    ) -> None:
        """audio_sink, if given, receives the decoded sound (S16 stereo 44.1 kHz) instead of
        the speakers, after VLC's software volume: for tests and benchmarks."""
        self.settings = settings
        self.audio_sink = audio_sink
        self._vlc, self._instance, self.reason = _start_vlc([*DEFAULT_VLC_ARGS, *vlc_args])
        # libvlc's messages (and ALSA's) go to the kiosk log, never to stderr.
        self.vlc_log = VlcLog(self._vlc, self._instance) if self._instance is not None else None
        self.players_opened = 0
        # Every player not yet closed, held here so that none is garbage-collected while
        # VLC's threads still call its callbacks (that crashes the process): `close` closes
        # those left open.
        self._open: set[VideoPlayer] = set()
        # Jobs for the engine's own thread (`later`): opening films, track selection,
        # closing players.
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._job_thread: threading.Thread | None = None
        self._job_start = threading.Lock()
        self._closing = False  # set by close: no job is taken and no thread started after it
        if self._instance is None:
            # One line, once: the scenes fall back to the poster and the subtitles as text.
            log.warning("video unavailable: %s; video scenes show their poster and subtitles",
                        self.reason)

    @property
    def available(self) -> bool:
        """True when videos can play here."""
        return self._instance is not None

    def open(self, path: Path, box: tuple[int, int], audio: bool = True,
             languages: Sequence[str] = ()) -> VideoPlayer:
        """A player for path whose frames fit inside box, playing the audio track of the
        first of `languages` the file has (else VLC's default); raises VideoUnavailable."""
        if self._instance is None:
            raise VideoUnavailable(self.reason)
        if not Path(path).is_file():
            raise MediaError(path, "the video file does not exist")
        link = EngineLink(self._vlc, self._instance, self.settings, self.audio_sink,
                          self._select_track_soon, self._closed)
        player = VideoPlayer(link, Path(path), box, audio, languages)
        self.players_opened += 1
        with self._job_start:
            self._open.add(player)
        return player

    def film(self, path: Path, box: tuple[int, int], audio: bool = True,
             languages: Sequence[str] = ()) -> Film:
        """A scene's film, its player opened by this engine's thread on `Film.open_soon`
        (never on the caller's frame); raises VideoUnavailable or MediaError at once, as
        `open` does, so the scene can show its transcript instead."""
        if self._instance is None:
            raise VideoUnavailable(self.reason)
        if not Path(path).is_file():
            raise MediaError(path, "the video file does not exist")

        def make_player() -> VideoPlayer | None:
            if self._closing:  # queued before close: no player for an engine closing
                return None
            return self.open(path, box, audio, languages)

        return Film(Path(path), make_player, self.later, self.close_later)

    def _closed(self, player: VideoPlayer) -> None:
        """VideoPlayer.close calls it once VLC has stopped calling the player."""
        with self._job_start:
            self._open.discard(player)

    @property
    def open_players(self) -> int:
        """Players opened and not yet closed (0 once the engine is closed)."""
        with self._job_start:
            return len(self._open)

    def first_frame(
        self, path: Path, box: tuple[int, int], timeout_s: float = 5.0
    ) -> pygame.Surface:
        """Decode the first frame of path fitted into box (blocks: call it off the main thread)."""
        player = self.open(path, box, audio=False)
        try:
            player.play()
            if not player.wait_frame(timeout_s):
                raise MediaError(path, f"no video frame decoded within {timeout_s:g} s")
            return player.snapshot()
        finally:
            player.close()

    def _select_track_soon(self, player: VideoPlayer) -> None:
        """Have the engine's thread select player's audio track (from VLC's event thread,
        where libvlc may not be called; waiting for the kiosk's next frame lets the default
        track play for a second)."""
        self.later(player.select_audio, player.path)

    def close_later(self, player: VideoPlayer) -> None:
        """Close player on the engine's thread: stopping joins VLC's decoder threads, about
        20 ms that would otherwise land on the frame of the tap that leaves the film. The
        kiosk draws it no more from now on; `close` waits for it."""
        self.later(player.close, player.path)

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until the jobs queued so far have run (tests and benchmarks only)."""
        done = threading.Event()
        if not self.later(done.set, Path()):
            return True  # closed: its jobs ran or were dropped
        return done.wait(timeout_s)

    def later(self, job: Callable[[], object], path: Path) -> bool:
        """Run job on the engine's thread, after the jobs queued before it (path names it in
        a failure's log line); False, and nothing queued, once the engine is closing."""
        with self._job_start:
            if self._closing:
                # VLC's event thread may still report a track while close runs: the player
                # is about to be closed by close itself, so the job is dropped, and no thread
                # is started that would outlive the engine.
                return False
            if self._job_thread is None:
                self._job_thread = threading.Thread(
                    target=self._run_later, name="video-engine", daemon=True)
                self._job_thread.start()
        self._jobs.put((job, path))
        return True

    def _run_later(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, path = item
            try:
                job()
            except Exception as exc:  # a track not selected: VLC's default language plays
                log.warning("%s of %s: %s", job.__name__, path, exc)

    def close(self) -> None:
        """Run the queued jobs, close the players still open and release libvlc."""
        with self._job_start:
            self._closing = True
            thread, self._job_thread = self._job_thread, None
        if thread is not None:
            # Joined outside the lock: a player closing on that thread waits for VLC's
            # threads, one of which may be waiting in `later` for the lock.
            self._jobs.put(None)
            thread.join()
        with self._job_start:
            left = list(self._open)
        for player in left:
            player.close()
        if self._instance is not None:
            if self.vlc_log is not None:
                self.vlc_log.close()
            self._instance.release()
            self._instance = None
            self.reason = "the video engine was closed"


