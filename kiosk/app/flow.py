"""Where each tap leads: the visitor's way through, decided in one place (not in screens).

Screens call these methods; the flow asks the runtime (`kiosk.story`) what comes next and
tells the manager which screen to show with which parameters.
"""

from __future__ import annotations

import logging

from kiosk.app.visit import Visit
from kiosk.story import Phase
from kiosk.ui.theme import TEXT_SCALES

log = logging.getLogger(__name__)


class Flow:
    """The visitor's way through the screens (see the module docstring)."""

    def __init__(self, app) -> None:
        self.app = app
        self.ctx = app.ctx

    @property
    def visit(self) -> Visit | None:
        """The current visit."""
        return self.ctx.visit

    def go(self, name: str, **params) -> None:
        """Show a screen (a school session in discussion mode pauses at each choice)."""
        school = self.ctx.school
        if name == "choice" and school is not None and school.discussion:
            name = "discussion"
        self.app.manager.go(name, **params)

    # -- start and end --------------------------------------------------------------------
    def attract(self) -> None:
        """Back to the attract loop; the visit, if any, ends."""
        self.end_visit("done")
        self.go("attract")

    def begin(self) -> None:
        """A touch on the attract loop."""
        school = self.ctx.school
        if school is not None and school.expired():  # the code expires at midnight
            self.ctx.school = None
        elif school is not None:
            self.choose_language(school.language)
            return
        if len(self.ctx.pack.languages) > 1:
            self.go("language")
        else:
            self.choose_language(self.ctx.pack.default_language)

    def choose_language(self, language: str) -> None:
        """A language picked: starts the visit, or switches it and goes back where it was."""
        self.ctx.language = language
        if self.visit is None:
            self.ctx.visit = Visit(self.ctx.pack, language, self.ctx.recorder, self.ctx.clock,
                                   school=self.ctx.school)
            self.go("menu")
            return
        self.visit.set_language(language)
        if self.app.manager.has_overlay("language_overlay"):
            self.app.manager.close_overlay("language_overlay")
        self.app.manager.reshow()

    def end_visit(self, reason: str) -> None:
        """End the visit (its record session too) and reset the visitor's settings."""
        if self.visit is not None:
            self.visit.end(reason)
            self.app.fleet.visit_ended()  # a pack on trial after a switch: one visit fewer
        self.ctx.visit = None
        self.ctx.language = self.ctx.pack.default_language
        if self.ctx.text_step:
            self.ctx.text_step = 0
        if self.ctx.media is not None:
            try:
                self.ctx.media.prefetch.cancel()
                self.ctx.media.narration.stop()
            except Exception as exc:
                log.warning("media stop: %s", exc)

    def leave_now(self) -> None:
        """Leave now: end at once, calm neutral screen, session wiped. The screen thanks the
        visitor in the language they were reading (only that is kept, for its 12 seconds)."""
        language = self.ctx.language
        self.end_visit("leave_now")
        self.go("leave", fade=False, language=language)

    def idle_reset(self) -> None:
        """Nobody answered "Are you still there?"."""
        self.end_visit("idle_reset")
        self.go("attract")

    # -- the chrome -----------------------------------------------------------------------
    def open_help(self) -> None:
        """Helplines over whatever is showing."""
        self.app.manager.open_overlay("help")

    def open_language(self) -> None:
        """The language picker over the current screen."""
        self.app.manager.open_overlay("language_overlay")

    def cycle_text_size(self) -> None:
        """Larger text: three steps, then back to normal."""
        self.ctx.text_step = (self.ctx.text_step + 1) % len(TEXT_SCALES)
        if self.visit:
            self.visit.record("text_size_changed", size=self.ctx.text_step)
        self.app.manager.rebuild()

    def toggle_sound(self) -> None:
        """Sound on or off (narration and video)."""
        self.ctx.sound_on = not self.ctx.sound_on
        media = self.ctx.media
        if media is not None:
            try:
                media.settings.muted = not self.ctx.sound_on
                media.apply_settings()
            except Exception as exc:
                log.warning("sound toggle: %s", exc)
        if self.visit:
            self.visit.record("sound_changed", on=self.ctx.sound_on)
        self.app.manager.rebuild()

    # -- Back: each screen's `back()` calls the one it means -------------------------------
    def leave_menu(self) -> None:
        """Back from the story menu: the language picker (a new visit) when the pack offers
        a choice and no school session runs, else the attract loop."""
        if len(self.ctx.pack.languages) > 1 and self.ctx.school is None:
            self.end_visit("done")
            self.go("language")
        else:
            self.attract()

    def back_to_passage(self) -> None:
        """Back from a scene's choices or discussion: its passage (its note when skipped)."""
        if not self._reopen_skipped_note():
            self.go("passage", view=self.view())

    def back_from_passage(self) -> None:
        """Back from a passage: the scene before (its note when this one was skipped)."""
        if not self._reopen_skipped_note():
            self._scene_before()

    def back_from_scene_note(self) -> None:
        """Back from a scene's content note: the scene before."""
        self._scene_before()

    def back_from_ending(self) -> None:
        """Back from an ending: its passage when the ending has media, else the scene before
        (its note when the ending's passage was skipped)."""
        if self._reopen_skipped_note():
            return
        visit = self.visit
        if visit and visit.state and self.ending_has_media(self.view()):
            self.go("passage", view=self.view())
        else:
            self._scene_before()

    def _reopen_skipped_note(self) -> bool:
        """When the visitor skipped this scene's passage, Back is its content note, never the
        passage itself: show it and say True."""
        visit = self.visit
        if not (visit and visit.state and visit.state.passage_skipped):
            return False
        visit.engine.unskip(visit.state)
        visit.acknowledged.discard(visit.state.scene_id)
        self.show_scene()
        return True

    def _scene_before(self) -> None:
        """The scene the visitor came from, or the menu from a story's first scene."""
        visit = self.visit
        if visit and visit.state and self.view().can_go_back:
            visit.engine.back(visit.state)
            self.show_scene()
        else:
            self.to_menu()

    # -- stories --------------------------------------------------------------------------
    def to_menu(self) -> None:
        """The story menu (the story in progress, if any, is left)."""
        if self.visit is None:
            self.attract()
            return
        self.visit.drop_story()
        self.go("menu")

    def pick_story(self, story_id: str) -> None:
        """A story card tapped: its content note first."""
        self.go("content_note", story=story_id)

    def confirm_story(self, story_id: str) -> None:
        """Continue on the content note: the before-survey, if any, then the story."""
        if self.ctx.pack.surveys.before:
            self.go("survey", phase="before", story=story_id)
        else:
            self.start_story(story_id)

    def start_story(self, story_id: str) -> None:
        """Start the story and show its first scene."""
        if self.visit is None:
            self.attract()
            return
        self.visit.start_story(story_id)
        self.show_scene()

    def view(self):
        """The runtime's view of the current scene."""
        visit = self.visit
        return visit.engine.view(visit.state)

    def show_scene(self) -> None:
        """Show whatever the runtime's current scene needs."""
        visit = self.visit
        if visit is None or visit.state is None:
            self.to_menu()
            return
        name, params = self.screen_for(self.view(), visit.acknowledged)
        self.go(name, **params)

    @staticmethod
    def screen_for(view, acknowledged=frozenset()) -> tuple[str, dict]:
        """The screen (and its params) that shows a scene view."""
        if view.can_skip and view.content_notes and view.scene_id not in acknowledged:
            return "content_note", {"story": view.story_id, "scene_view": view}
        if view.is_ending:
            if Flow.ending_has_media(view):
                return "passage", {"view": view}  # Next on it shows the ending
            return "ending", {"view": view}
        if view.phase == Phase.AWAITING_CHOICE and view.text_line is None:
            return "choice", {"view": view}
        return "passage", {"view": view}

    @staticmethod
    def ending_has_media(view) -> bool:
        """An ending scene with a picture, a film or narration is first shown as a passage
        (its media and text), then Next shows the ending (what helped, what you can do, the
        helplines) without the text again."""
        scene = view.scene
        return scene.video is not None or scene.image is not None or bool(scene.narration)

    # -- warming the screens a tap may lead to ----------------------------------------------
    def _scratch_engine(self):
        visit = self.visit
        if visit is None or visit.engine is None or visit.state is None:
            return None, None
        from kiosk.story import StoryEngine, StoryState

        engine = StoryEngine(self.ctx.pack, visit.engine.story.id)  # no emit: records nothing
        return engine, StoryState.from_dict(visit.state.to_dict())

    def warm_after(self, view, note: bool = False, at_choice: bool = False) -> None:
        """Warm, in quiet frames, the screens the next tap can lead to from a scene view:
        from a passage awaiting a choice, the choice screen and where each choice leads;
        from the choice screen, where each choice leads (a passage with a film too: warming
        lays it out and draws its poster, and never opens its player)."""
        self.app.later(lambda: self._warm_after(view, note, at_choice))

    def _warm_after(self, view, note: bool, at_choice: bool) -> None:
        try:
            engine, state = self._scratch_engine()
            if engine is None:
                return
            outcomes = []
            if note:
                outcomes.append(self.screen_for(view, frozenset({view.scene_id})))
            elif view.is_ending:
                outcomes.append(("ending", {"view": view,
                                            "text_read": self.ending_has_media(view)}))
            elif view.phase == Phase.AWAITING_CHOICE:
                if view.text_line is not None and not at_choice:
                    outcomes.append(("choice", {"view": view}))
                for choice in view.choices[:4]:
                    scratch = type(state).from_dict(state.to_dict())
                    engine.choose(scratch, choice.id)
                    outcomes.append(self.screen_for(engine.view(scratch)))
            elif view.has_next:
                engine.advance(state)
                outcomes.append(self.screen_for(engine.view(state)))
            for name, params in outcomes:
                self.app.warm(name, **params)
        except Exception as exc:
            log.warning("warming after %s: %s", getattr(view, "scene_id", "?"), exc)

    def warm_story_start(self, story_id: str, survey: bool = True) -> None:
        """Warm the first screen of a story (while its content note or the questions before
        it are read), and the questions before it."""
        self.app.later(lambda: self._warm_story_start(story_id, survey))

    def _warm_story_start(self, story_id: str, survey: bool) -> None:
        try:
            from kiosk.story import StoryEngine

            engine = StoryEngine(self.ctx.pack, story_id)
            view = engine.view(engine.start(language=engine.language_for(self.ctx.language)))
            if survey and self.ctx.pack.surveys.before:
                self.app.warm("survey", phase="before", story=story_id)
            name, params = self.screen_for(view)
            self.app.warm(name, **params)
        except Exception as exc:
            log.warning("warming story %s: %s", story_id, exc)

    def scene_note_continue(self) -> None:
        """The visitor read the scene's content note and wants to see it."""
        view = self.view()
        self.visit.acknowledged.add(view.scene_id)
        self.show_scene()

    def skip_scene(self) -> None:
        """Skip this scene (it has a content note). The scene stays unacknowledged, so Back
        into it, from the scene after it or from its own choices, shows its note again."""
        visit = self.visit
        view = self.view()
        visit.acknowledged.discard(view.scene_id)
        visit.engine.skip(visit.state)
        self.show_scene()

    def passage_next(self) -> None:
        """Next on a passage: the next scene, or the choices."""
        visit = self.visit
        view = self.view()
        if view.is_ending:
            self.go("ending", view=view, text_read=self.ending_has_media(view))
        elif view.phase == Phase.AWAITING_CHOICE:
            self.go("choice", view=view)
        elif view.has_next:
            visit.engine.advance(visit.state)
            self.show_scene()
        else:
            self.show_scene()

    def choose(self, choice_id: str) -> None:
        """A choice tapped."""
        visit = self.visit
        visit.engine.choose(visit.state, choice_id)
        self.show_scene()

    def ending_done(self) -> None:
        """Continue from the ending: the after-survey (with the rating), then the menu."""
        visit = self.visit
        story = visit.story_id if visit else None
        if visit is not None and story:
            visit.stories_done.append(story)
        surveys = self.ctx.pack.surveys
        if story and (surveys.after or surveys.rating):
            self.go("survey", phase="after", story=story)
        else:
            self.to_menu()

    def survey_done(self, phase: str, story: str) -> None:
        """A survey finished or skipped."""
        if phase == "before":
            self.start_story(story)
        else:
            self.to_menu()
