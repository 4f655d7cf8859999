"""One visitor's time at the kiosk: language, story progress, and the anonymous record.

Dies with the visit: Leave now, an idle reset or going back to the attract loop drops the
object and ends the record's session (whose random id is then forgotten). Recording is
optional: without a recorder, or when it fails, the visit goes on unrecorded.
"""

from __future__ import annotations

import logging

from kiosk.content.model import Pack
from kiosk.story import StoryEngine, StoryState

log = logging.getLogger(__name__)


class Visit:
    """A visitor session (see the module docstring)."""

    def __init__(self, pack: Pack, language: str, recorder=None, clock=None,
                 school=None) -> None:
        self.pack = pack
        self.language = language
        self.clock = clock
        self.school = school  # kiosk.school.SchoolMode: its code tags the record session
        self.session = None
        self.engine: StoryEngine | None = None
        self.state: StoryState | None = None
        self.acknowledged: set[str] = set()  # scenes whose content note was read
        self.stories_done: list[str] = []
        if recorder is not None:
            try:
                self.session = recorder.begin_session(
                    pack.id, pack.version, language, at=self._now(),
                    school_code=school.code if school is not None else None)
            except Exception as exc:
                log.error("record: session not started: %s", exc)

    def _now(self) -> float | None:
        return self.clock() if self.clock else None

    @property
    def story_id(self) -> str | None:
        """The story being played, if any."""
        return self.engine.story.id if self.engine else None

    def start_story(self, story_id: str) -> StoryState:
        """Start a story in the visit's language (else the pack's default, else the story's
        first language: `Story.language_for`)."""
        kwargs = {"clock": self.clock} if self.clock else {}
        self.engine = StoryEngine(self.pack, story_id, emit=self._emit,
                                  school=self.school is not None, **kwargs)
        lang = self.engine.language_for(self.language)  # one the story offers
        self.acknowledged = set()
        self.state = self.engine.start(language=lang)
        return self.state

    def drop_story(self) -> None:
        """Forget the story in progress (back to the menu)."""
        if self.engine is not None and self.state is not None and not self.state.left \
                and self.state.ending is None:
            try:
                self.engine.leave(self.state)
            except Exception as exc:
                log.warning("leaving story %s: %s", self.story_id, exc)
        self.engine = None
        self.state = None

    def set_language(self, language: str) -> None:
        """Switch the visit's language; the story follows when it has that language."""
        self.language = language
        if self.engine and self.state and language in self.engine.languages:
            self.engine.set_language(self.state, language)

    def record(self, kind: str, **fields) -> None:
        """Append an event of the screens to the record (never raises)."""
        if self.session is None:
            return
        try:
            self.session.record(kind, at=self._now(), **fields)
        except Exception as exc:
            log.error("record: %s event refused: %s", kind, exc)

    def _emit(self, event: dict) -> None:
        if self.session is None:
            return
        try:
            self.session.record_runtime(event)
        except Exception as exc:
            log.error("record: runtime event %s refused: %s", event.get("kind"), exc)

    def end(self, reason: str) -> None:
        """End the visit: leave the story if one is open, end the record's session."""
        where = {}
        if self.engine and self.state:
            where = {"story": self.engine.story.id, "scene": self.state.scene_id}
        if reason in ("leave_now", "idle_reset"):
            self.drop_story()
        else:
            self.engine, self.state = None, None
        if self.session is not None:
            try:
                fields = where if reason in ("leave_now", "idle_reset") else {}
                self.session.end(reason, at=self._now(), **fields)
            except Exception as exc:
                log.error("record: session end refused: %s", exc)
            self.session = None
