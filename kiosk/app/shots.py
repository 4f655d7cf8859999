"""Render any screen headless: for `kiosk screenshot`, tests, the README and the admin preview.

    screenshot(pack_dir, out_png, screen="passage", story="nadia", scene="offer", lang="ar")

Uses SDL's dummy video driver (set here when no driver is chosen), the real app, flow and
screens; no visitor record is written.
"""

from __future__ import annotations

import os
from pathlib import Path


class ScreenshotError(Exception):
    """The pack, story, scene, language or screen asked for does not exist."""


class StepClock:
    """A clock that only moves when told (fades end, countdowns hold still)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


def open_app(pack_dir: Path, size=(1920, 1080), clock=None, data_dir=None, use_media=True,
             use_record=False, today=None):
    """An opened App on the dummy driver (unless a driver is set), for shots and tests."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kiosk.app import App, KioskConfig

    app = App(pack_dir, size, clock=clock or StepClock(), data_dir=data_dir,
              config=KioskConfig(), use_media=use_media, use_record=use_record, today=today)
    app.open()
    app.wait_media()
    return app


def place_story(app, story: str, scene: str | None, lang: str) -> None:
    """Start a visit in `lang` and put it at `scene` of `story` (a path start -> scene)."""
    from kiosk.story import StoryState

    flow = app.flow
    flow.choose_language(lang)
    visit = app.ctx.visit
    state = visit.start_story(story)
    if scene and scene != state.scene_id:
        data = state.to_dict()
        data.update(scene=scene, path=[state.scene_id, scene], moves=["next"],
                    snapshots=[dict(state.variables), dict(state.variables)])
        visit.state = StoryState.from_dict(data)
        visit.engine.check(visit.state)


def screenshot(pack_dir: Path, out: Path, screen: str | None = None, story: str | None = None,
               scene: str | None = None, lang: str | None = None, size=(1920, 1080),
               text_step: int = 0, today=None) -> Path:
    """Render one screen and save it as PNG; returns the path (`today`: as for App)."""
    import pygame

    from kiosk.app.packs import PackRefused

    clock = StepClock()
    try:
        app = open_app(pack_dir, size, clock, today=today)
    except PackRefused as exc:
        raise ScreenshotError(str(exc)) from exc
    try:
        pack = app.ctx.pack
        lang = lang or pack.default_language
        if lang not in pack.languages:
            raise ScreenshotError(f"language {lang!r} is not in pack {pack.id} "
                                  f"({', '.join(pack.languages)})")
        story = story or next(iter(pack.stories), None)
        if story is not None and story not in pack.stories:
            raise ScreenshotError(f"no story {story!r} in pack {pack.id}")
        if scene and story and scene not in pack.stories[story].scenes:
            raise ScreenshotError(f"no scene {scene!r} in story {story}")
        screen = screen or ("passage" if scene else "attract")
        _show(app, screen, story, scene, lang, text_step)
        for _ in range(3):
            clock.advance(1.0)
            app.frame(events=[])
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(app.surface, str(out))
        return out
    finally:
        app.close()


def _show(app, screen: str, story, scene, lang, text_step) -> None:
    flow, ctx = app.flow, app.ctx
    if screen == "attract":
        return
    if screen == "language":
        flow.begin()
        return
    flow.choose_language(lang)
    ctx.text_step = text_step
    if screen == "menu":
        app.manager.rebuild()
        return
    if screen == "leave":
        flow.leave_now()
        return
    if screen in ("help", "idle", "staff"):
        if story:
            place_story(app, story, scene, lang)
            ctx.visit.acknowledged.add(ctx.visit.state.scene_id)
            flow.show_scene()
        if screen == "idle":
            app.manager.open_overlay("idle", deadline=ctx.clock() + 20)
        else:
            app.manager.open_overlay(screen)
        return
    if story is None:
        raise ScreenshotError("the pack has no story")
    if screen == "content_note" and not scene:
        flow.pick_story(story)
        return
    if screen in ("survey_before", "survey_after"):
        flow.go("survey", phase=screen.split("_")[1], story=story)
        return
    place_story(app, story, scene, lang)
    view = flow.view()
    if screen != "content_note":
        ctx.visit.acknowledged.add(view.scene_id)
    if screen == "choice":
        flow.go("choice", view=view)
    elif screen == "ending" and view.is_ending:  # past its passage, if it has one
        flow.go("ending", view=view, text_read=flow.ending_has_media(view))
    elif screen in ("passage", "content_note", "ending"):
        flow.show_scene()
    else:
        raise ScreenshotError(f"unknown screen {screen!r}")
