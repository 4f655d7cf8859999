"""The kiosk application: one window, one loop (events, update, draw), one screen manager.

    app = App(pack_dir, size=(1920, 1080))
    app.open()            # display, media, record, first screen (attract)
    app.run()             # until staff choose Quit (or the window is closed)

Tests and benchmarks drive it one frame at a time with `app.frame()` after posting events,
and may pass a `clock` they move forward themselves (the soak test's accelerated clock).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pygame

from kiosk.app.config import KioskConfig
from kiosk.app.context import AppContext
from kiosk.app.fleet import FleetLink
from kiosk.app.flow import Flow
from kiosk.app.health import StoryHealth
from kiosk.app.idle import IdleWatch, StaffGesture
from kiosk.app.manager import ScreenManager
from kiosk.app.packs import PackRefused, PackSource
from kiosk.settings import env
from kiosk.ui.fonts import FontBook
from kiosk.ui.input import DOWN, PointerInput
from kiosk.ui.text import TextCache

log = logging.getLogger(__name__)
SAFE_SCREENS = ("attract", "leave", "menu")
# The record is sent on a fixed beat, never when a visit ends: when an upload arrives must
# not tell the admin when a visitor left (event times are kept to the minute only).
SYNC_INTERVAL = 300.0


def _version() -> str:
    """The installed software's version (pyproject.toml's), for the start line."""
    try:
        return metadata.version("storykiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


class App:
    """The kiosk (see the module docstring)."""

    def __init__(self, pack_dir: Path | str | None, size: tuple[int, int] = (1920, 1080), *,
                 fullscreen: bool = False, display: int = 0, data_dir: Path | None = None,
                 config: KioskConfig | None = None, clock: Callable[[], float] | None = None,
                 use_media: bool = True, use_record: bool = True, fps: int = 60,
                 sync_interval: float = SYNC_INTERVAL, today: dt.date | None = None) -> None:
        self.pack_dir = Path(pack_dir) if pack_dir is not None else None  # None: the store
        self.requested_size = size
        self.fullscreen = fullscreen
        self.display_index = display
        self.data_dir = data_dir
        self.config = config or KioskConfig()
        self.clock = clock or time.monotonic
        self.use_media = use_media
        self.use_record = use_record
        self.sync_interval = sync_interval
        self.today = today  # the date packs are checked against; None: the real date
        self.fps = fps
        self.running = False
        self.surface: pygame.Surface | None = None
        self.ctx: AppContext | None = None
        self.manager: ScreenManager | None = None
        self.flow: Flow | None = None
        self.input = PointerInput()
        self._tick = pygame.time.Clock()
        self._last = None
        self.on_frame = None  # called once per frame (the systemd watchdog ping)
        self._warm: list[tuple[float, Callable[[], object]]] = []  # (screen change, job)
        self._quiet_since = 0.0
        self._next_frame: list[tuple[int, Callable[[], object]]] = []  # (screen change, job)
        self._first_frame_note = env("STORYKIOSK_FIRST_FRAME") == "1"
        self._started_at: float | None = None  # monotonic, while open (for the stop line)
        self.screen_failures = 0  # screens that failed since start (for the heartbeat)
        self.heartbeat = None  # kiosk.fleet.heartbeat.HeartbeatSender when a server is set
        self.fleet = FleetLink(None, follows_store=False)  # open() links it to the store

    # -- start ------------------------------------------------------------------------------
    def open(self) -> None:
        """Load the pack, open the window, start media and record, show the attract loop."""
        from kiosk.i18n import Catalogs
        from kiosk.media.memory import tune_malloc
        from kiosk.media.settings import MemoryBudgets
        from kiosk.scenes import SCREENS

        tune_malloc()  # before the big surfaces and the threads: see kiosk/media/memory.py
        packs = PackSource(self.pack_dir, self.data_dir, self.today)
        try:
            packs.load()
        except PackRefused as exc:
            # Nothing good to play and nothing played before: the kiosk stays up, calm, with
            # the emergency number and the staff menu (a technician installs a pack from a
            # USB stick there) instead of leaving a desktop behind (see out_of_order.py).
            log.error("no playable pack: the kiosk shows its out-of-order screen (%s)", exc)
        self.out_of_order = packs.pack is None
        # SDL's default on X11 is a window surface backed by an OpenGL texture: without a GPU
        # driver (Mesa's llvmpipe) each flip costs 10 ms of CPU at 1080p (bench/media_video.py).
        # The plain X11 shared-memory framebuffer costs a tenth of a millisecond.
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.display.init()
        pygame.font.init()
        flags = pygame.FULLSCREEN if self.fullscreen else 0
        size = (0, 0) if self.fullscreen and not self.requested_size else self.requested_size
        self.surface = pygame.display.set_mode(size, flags, display=self.display_index)
        pygame.display.set_caption("Storykiosk")
        if self.fullscreen:
            pygame.mouse.set_visible(False)
        fonts = FontBook()
        self.budgets = MemoryBudgets().for_screen(self.surface.get_size())
        self.ctx = AppContext(
            size=self.surface.get_size(), packs=packs, config=self.config,
            health=StoryHealth(self.data_dir), fonts=fonts,
            texts=TextCache(fonts, budget_bytes=self.budgets.text),
            catalogs=Catalogs(), data_dir=self.data_dir, clock=self.clock,
            language=packs.pack.default_language if packs.pack else "en",
        )
        from kiosk.scenes.helplines import QRCache

        self.ctx.qr = QRCache()
        if self.use_media:
            # libvlc takes about half a second to start: the attract loop's first frame does
            # not wait for it (its pictures appear when media is ready).
            self._media_thread = threading.Thread(target=self._media_in_background,
                                                  name="kiosk-media-start", daemon=True)
            self._media_thread.start()
        self.ctx.recorder = self._start_record() if self.use_record else None
        self.ctx.syncer = self._start_sync() if self.ctx.recorder is not None else None
        self.heartbeat = self._start_heartbeat() if self.use_record else None
        self.fleet = FleetLink(self.data_dir, packs.follows_store, self.today)
        if self.use_record:  # the kiosk proper, not a screenshot or a test of one screen
            self.fleet.start()
        self.flow = Flow(self)
        self.manager = ScreenManager(lambda name: SCREENS[name](self), self.clock,
                                     self.recover)
        self.idle = IdleWatch(self)
        self.staff_gesture = StaffGesture(self)
        self.manager.go("out_of_order" if self.out_of_order else "attract", fade=False)
        self.running = True
        self._started_at = time.monotonic()
        pack = packs.pack
        width, height = self.surface.get_size()
        log.info("kiosk started: Storykiosk %s, pack %s, screen %dx%d", _version(),
                 f"{pack.id} {pack.version}" if pack else "none (out of order)", width, height)
        self.collect_garbage()

    def _media_in_background(self) -> None:
        self.ctx.media = self._start_media()

    def wait_media(self, timeout: float = 10.0) -> None:
        """Wait until media has started (tests and benchmarks that need it at once)."""
        thread = getattr(self, "_media_thread", None)
        if thread is not None:
            thread.join(timeout)

    def _start_media(self):
        try:
            from kiosk.media import AudioSettings, Media
            from kiosk.media.vlclog import quiet_alsa

            # Before SDL and libvlc open a sound device: ALSA writes its errors to stderr
            # (8 lines a try); the kiosk log gets one line from each of them instead.
            quiet_alsa()
            try:
                if not pygame.mixer.get_init():
                    pygame.mixer.init()
            except pygame.error as exc:
                log.warning("no sound device (%s): narration is off", exc)
            # Budgets that keep the whole kiosk under 300 MB resident at 1080p (declared in
            # kiosk/media/settings.py, MemoryBudgets).
            return Media.create(AudioSettings(volume=self.config.volume), budgets=self.budgets)
        except Exception as exc:
            log.error("media cannot start (%s): images and sound are off", exc)
            return None

    def _start_record(self):
        try:
            from kiosk.record import Recorder

            return Recorder.open(self.data_dir)
        except Exception as exc:
            log.error("the visitor record cannot start (%s): visits are not recorded", exc)
            return None

    def _start_sync(self):
        """Send the record to the admin in the background, when a server is configured."""
        try:
            from kiosk.paths import data_dir
            from kiosk.sync import Syncer

            syncer = Syncer.from_config(self.data_dir or data_dir(), interval=self.sync_interval)
            if syncer is not None:
                syncer.start()
                log.info("sync: sending the record to %s in the background",
                         syncer.client.config.server)
            return syncer
        except Exception as exc:
            log.error("sync cannot start (%s): the record waits on this kiosk", exc)
            return None

    def _start_heartbeat(self):
        """Report the kiosk's health to the admin in the background, when a server is set."""
        try:
            from kiosk.fleet.enroll import local_zone
            from kiosk.fleet.heartbeat import HeartbeatSender, collect, update_path
            from kiosk.paths import data_dir

            folder, zone, started = self.data_dir or data_dir(), local_zone(), time.monotonic()

            def report() -> dict:
                width, height = self.ctx.size
                pack = self.ctx.packs.pack
                puller = self.fleet.puller
                return collect(folder, (pack.id, pack.version, self.ctx.packs.folder)
                               if pack else None, uptime=time.monotonic() - started,
                               screen=f"{width}x{height}", time_zone=zone,
                               screen_failures=self.screen_failures,
                               **update_path(folder, puller.progress if puller else None))

            # every 30 s, or as often as the record is synced when that is more often
            sender = HeartbeatSender.from_config(report, interval=min(30.0, self.sync_interval))
            if sender is not None:
                sender.start()
            return sender
        except Exception as exc:
            log.error("the heartbeat cannot start (%s): the admin will see this kiosk silent",
                      exc)
            return None

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> None:
        """Play until Quit (staff menu) or the window closes."""
        try:
            while self.running:
                self.frame()
                self._tick.tick(self.fps)
        finally:
            self.close()

    def frame(self, events: list[pygame.event.Event] | None = None) -> None:
        """One frame: events, update, draw, flip. Never raises."""
        now = self.clock()
        dt = 0.0 if self._last is None else max(0.0, min(0.25, now - self._last))
        self._last = now
        events = pygame.event.get() if events is None else events
        if events:
            self._quiet_since = now
        jobs, self._next_frame = self._next_frame, []
        for change, job in jobs:
            if change != self.manager.changes:
                continue  # its screen has gone already
            try:
                job()
            except Exception:
                log.exception("a deferred job failed")
        for event in events:
            try:
                self.handle(event)
            except Exception as exc:
                log.exception("event handling failed")
                self.recover(self.manager.name or "?", exc)
        try:
            self.idle.update(now)
            if self.ctx.media is not None:
                self.ctx.media.prefetch.pump(budget_ms=2.0)
        except Exception:
            log.exception("idle or prefetch failed")
        self.manager.update(dt)
        self.manager.draw(self.surface)
        pygame.display.flip()
        if self.on_frame is not None:
            self.on_frame()
        if self._first_frame_note and getattr(self.manager.top, "complete", True):
            # For bench/kiosk_start.py: the first attract frame is on screen, its picture drawn.
            self._first_frame_note = False
            print("first-frame", flush=True)
        # Not while a finger is down: its release may come next, and a warm job (a few ms)
        # would hold it up, and draw over the copy the tap's fade starts from.
        if self._warm and not self.manager.fading and not self.manager.held \
                and now - self._quiet_since > 0.05:
            self._warm_one()

    def warm(self, name: str, language: str | None = None, **params) -> None:
        """Prepare a screen that may come next, in a quiet frame: its text is laid out and
        rendered, its pictures and QR codes made, so the tap that shows it finds them ready.
        `language`: build it as in that language (the menu, before a language is picked)."""
        self.later(lambda: self._warm_screen(name, language, params))

    def next_frame(self, job: Callable[[], object]) -> None:
        """Run `job` at the start of the next frame: work a new screen starts (waking the
        media worker) that need not hold up the frame that first shows it. Dropped when the
        screen changes first."""
        self._next_frame.append((self.manager.changes, job))

    def later(self, job: Callable[[], object]) -> None:
        """Run `job` in a quiet frame while the current screen shows (dropped when it goes:
        what a screen warms is what its own taps lead to)."""
        if len(self._warm) < 24:
            self._warm.append((self.manager.changes, job))

    @staticmethod
    def collect_garbage() -> None:
        """A full garbage collection, then what survives it is set aside from the collector's
        later passes (`gc.freeze`): those objects (pack, fonts, laid-out text) live long, and
        a full pass over all of them took about 10 ms here, enough to make a tap miss its
        frame. Called at start and between visits (the attract loop), where a long frame
        does not matter; each call first puts the set-aside objects back (`gc.unfreeze`), so
        cycles among them that became garbage are still freed. Then the heap's free pages go
        back to the system (`trim_heap`), so resident memory follows what is in use."""
        from kiosk.media.memory import trim_heap

        gc.unfreeze()
        gc.collect()
        gc.freeze()
        trim_heap()

    def _warm_one(self) -> None:
        while self._warm:
            change, job = self._warm.pop(0)
            if change == self.manager.changes:
                try:
                    job()
                except Exception:
                    log.exception("warming failed (harmless: it is built when shown)")
                return

    def _warm_screen(self, name: str, language: str | None, params: dict) -> None:
        from kiosk.scenes import SCREENS

        scratch = self.manager.spare_surface(self.surface)  # warming never runs during a fade
        visitor_language = self.ctx.language
        if language is not None:
            self.ctx.language = language
        try:
            screen = SCREENS[name](self)
            try:
                screen.prepare(**params)
                screen.rebuild()
                screen.draw(scratch)  # never hidden(): that would stop the shared narration
            finally:
                screen.discard()
        finally:
            self.ctx.language = visitor_language

    def handle(self, event: pygame.event.Event) -> None:
        """One SDL event."""
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type in (pygame.WINDOWSIZECHANGED,) and not self.fullscreen:
            self.resized(pygame.display.get_surface().get_size())
            return
        if event.type == pygame.WINDOWFOCUSLOST:
            self.input.reset()
            self.manager.held = False
            return
        pointer = self.input.convert(event, self.ctx.size)
        if pointer is None:
            return
        if pointer.kind == DOWN:
            self.idle.touched(self.clock())
            if self.staff_gesture.tap(pointer.pos, self.clock()):
                self.manager.open_overlay("staff")
                return
        self.manager.pointer(pointer)

    def resized(self, size: tuple[int, int]) -> None:
        """The window changed size: lay everything out again."""
        if size == self.ctx.size:
            return
        self.surface = pygame.display.get_surface()
        self.ctx.size = size
        self.ctx.texts.clear()
        if self.ctx.media is not None:
            self.ctx.media.prefetch.display_changed()
        self.manager.rebuild()

    # -- failures ---------------------------------------------------------------------------
    def recover(self, screen: str, exc: BaseException) -> None:
        """A screen failed: count it against the story, go to a safe screen."""
        self.screen_failures += 1
        visit = self.ctx.visit
        story = visit.story_id if visit else None
        if story:
            self.ctx.health.failed(story)
            self.fleet.story_failed()
            try:
                visit.drop_story()
            except Exception:
                log.exception("dropping the failed story")
        if visit is None and screen in ("language", "language_overlay"):
            # The attract loop's tap leads to the picker: were it sent back to the attract
            # loop, every tap would fail the same way and no visitor could start. Start in
            # the default language instead (the validator refuses packs with languages the
            # kiosk cannot name or draw, so this is the last line of defence).
            log.error("language picker failed (%s): starting in %s", exc,
                      self.ctx.pack.default_language)
            self.manager.close_overlay("language_overlay")
            self.flow.choose_language(self.ctx.pack.default_language)
            return
        target = "menu" if visit is not None and screen != "menu" else "attract"
        if target == "attract" and visit is not None:
            try:
                self.flow.end_visit("done")
            except Exception:
                log.exception("ending the visit after a failure")
        log.error("back to %s after a failure in %s: %s", target, screen, exc)
        self.manager.go(target, fade=False)

    def check_pack(self) -> bool:
        """Pick up a new or changed pack (called by the attract loop, between visits, and by
        the out-of-order screen)."""
        switched = self.fleet.switch_if_due()
        if switched:
            self.ctx.packs.follow_store()
        changed = self.ctx.packs.check()
        if not changed and switched and self.ctx.packs.last_refusal \
                and self.fleet.refused(self.ctx.packs.last_refusal):
            changed = self.ctx.packs.check()  # the version played before, again
        if changed:
            self.ctx.pack_changed()
            self.ctx.language = self.ctx.pack.default_language
            self.out_of_order = False
            return True
        return False

    def close(self) -> None:
        """Stop media and the record; close the window."""
        self.running = False
        self.wait_media()
        if self.ctx is not None:
            if self.ctx.visit is not None:
                self.ctx.visit.end("shutdown")
                self.ctx.visit = None
            if self.ctx.syncer is not None:
                self.ctx.syncer.stop()
            if self.heartbeat is not None:
                self.heartbeat.stop()
                self.heartbeat = None
            self.fleet.stop()
            for part in (self.ctx.media, self.ctx.recorder):
                if part is not None:
                    try:
                        part.close()
                    except Exception:
                        log.exception("closing %s", type(part).__name__)
            self.ctx.media = self.ctx.recorder = self.ctx.syncer = None
        pygame.display.quit()
        if self._started_at is not None:
            log.info("kiosk stopped after %.0f s", time.monotonic() - self._started_at)
            self._started_at = None
