"""A real kiosk App on SDL's dummy drivers, driven the way a visitor's finger reaches it:
posted touch events (finger events plus the synthetic mouse events SDL adds for them) and a
step clock. ``make_app(pack, tmp_path)`` opens one; the kiosk's and the school's tests use it."""

from __future__ import annotations

from pathlib import Path

from tests.support.fixture_date import TODAY

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "valid"
DEMO_PACK = ROOT / "content"


class Driver:
    """Taps and time for a test: the way a visitor's finger reaches the app."""

    def __init__(self, app, clock):
        self.app = app
        self.clock = clock

    @property
    def screen(self) -> str:
        return self.app.manager.name

    @property
    def top(self):
        return self.app.manager.top

    def frame(self, seconds: float = 0.0) -> None:
        self.clock.advance(seconds)
        self.app.frame()

    def touch_events(self, pos, kind):
        import pygame

        w, h = self.app.ctx.size
        x, y = pos[0] / w, pos[1] / h
        finger = {"down": pygame.FINGERDOWN, "up": pygame.FINGERUP}[kind]
        mouse = {"down": pygame.MOUSEBUTTONDOWN, "up": pygame.MOUSEBUTTONUP}[kind]
        return [
            pygame.event.Event(finger, touch_id=1, finger_id=7, x=x, y=y, dx=0.0, dy=0.0,
                               pressure=1.0),
            # SDL's synthetic mouse event for the same touch (pygame-ce: touch=True)
            pygame.event.Event(mouse, pos=pos, button=1, touch=True),
        ]

    def tap(self, pos, settle: float = 1.0) -> None:
        """A finger tap at pos: down, a frame, up, then time for the fade to finish."""
        import pygame

        for event in self.touch_events(pos, "down"):
            pygame.event.post(event)
        self.frame()
        for event in self.touch_events(pos, "up"):
            pygame.event.post(event)
        self.frame()
        self.frame(settle)

    def button(self, key: str):
        top = self.top
        button = top.buttons.find(key)
        assert button is not None, (f"no button {key!r} on {top.name}: "
                                    f"{[b.key for b in top.buttons.items]}")
        return button

    def press(self, key: str, settle: float = 1.0) -> None:
        """Tap the centre of a button."""
        self.tap(self.button(key).rect.center, settle)

    def keys(self) -> list[str]:
        return [b.key for b in self.top.buttons.items]


def make_app(pack: Path, tmp_path: Path, size=(1920, 1080), record=True, media=True,
             config=None, **options):
    from kiosk.app import App, KioskConfig
    from kiosk.app.shots import StepClock

    clock = StepClock()
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    options.setdefault("today", TODAY)
    app = App(pack, size, clock=clock, data_dir=data, config=config or KioskConfig(),
              use_media=media, use_record=record, **options)
    app.open()
    app.wait_media()
    return Driver(app, clock)
