"""A visitor session: a random id that lives only as long as the visit, and a monotonic origin.

The session id is made here, kept only in this object and in the events it writes; `end()`
forgets it, so nothing in the running kiosk can link a later visitor to an earlier one.
"""

from __future__ import annotations

import time
import uuid

from kiosk.record.eventqueue import EventQueue
from kiosk.record.kinds import END_REASONS, EventRefused, check_event

# The story runtime's event names, mapped to the record's kinds.
RUNTIME_KINDS = {
    "story_started": "story_started",
    "scene_entered": "scene_entered",
    "choice_made": "choice_made",
    "story_ended": "story_finished",
    "story_finished": "story_finished",
    "story_left": "story_left",
}
# Runtime events the record does not keep (the session's language is in session_started).
RUNTIME_IGNORED = frozenset({"scene_skipped", "language_changed"})
_RESERVED = {"session_started", "session_ended"}


class VisitorSession:
    """One visitor's session; record events through it from the kiosk's main thread."""

    __slots__ = ("_events", "_id", "_origin", "_free_text", "_scene", "language")

    def __init__(self, events: EventQueue, language: str, free_text_questions: frozenset[str],
                 origin: float | None = None) -> None:
        self._events = events
        self._id: str | None = uuid.uuid4().hex
        self._origin = time.monotonic() if origin is None else origin
        self._free_text = free_text_questions
        self._scene: tuple[str, str, float] | None = None  # story, scene, entered at
        self.language = language

    @property
    def active(self) -> bool:
        """True until `end()` was called."""
        return self._id is not None

    def start(self, fields: dict) -> bool:
        """Record `session_started` with checked fields, at the session's origin (once, by
        `Recorder.begin_session`)."""
        return self._put("session_started", self._origin, fields)

    def record(self, kind: str, at: float | None = None, **fields: object) -> bool:
        """Queue one event (never waits on the disk); False when it will not be recorded: the
        session has ended, the recorder is closed or its writer gone, or recording is stopped
        (disk full, read-only) with the memory hold (`max_backlog`) full.

        `at` is a `time.monotonic()` reading (default: now). Unknown kinds and fields raise
        `EventRefused`. For `free_text`, pass `question` and `text`; the question must be one
        the pack asked with free text, and the event is marked for moderation.
        """
        if kind in _RESERVED:
            raise EventRefused(f"{kind} is recorded by begin_session()/end(), not by record()")
        if kind == "free_text":
            if fields.get("question") not in self._free_text:
                raise EventRefused("free text is recorded only for questions the pack asks "
                                   "with free text (pass free_text_questions to begin_session)")
            fields["moderation"] = "pending"
        check_event(kind, fields)
        return self._put(kind, at, fields)

    def _put(self, kind: str, at: float | None, fields: dict) -> bool:
        sid = self._id
        if sid is None:
            return False
        offset = int(((time.monotonic() if at is None else at) - self._origin) * 1000)
        return self._events.put(sid, max(offset, 0), kind, fields)

    def record_runtime(self, event: dict) -> bool:
        """Record an event dict from the story runtime (story started, scene entered, ...).

        Accepts `{"event" | "kind" | "type": name, "story", "scene", "choice", "ending",
        "at" | "t" | "time": monotonic seconds}`. A scene entered is written as `scene_shown`
        with its duration when the visitor moves on (next scene, ending, leaving, `end()`).
        Returns False for events the record does not keep (scene_skipped, language_changed)
        and after the session ended. Pass it as the engine's `emit` callback.
        """
        name = event.get("event") or event.get("kind") or event.get("type")
        if name in RUNTIME_IGNORED:
            return False
        kind = RUNTIME_KINDS.get(str(name))
        if kind is None:
            raise EventRefused(f"unknown story runtime event {name!r}")
        at = next((event[k] for k in ("at", "t", "time") if k in event), None)
        at = time.monotonic() if at is None else float(at)
        story, scene = event.get("story"), event.get("scene")
        # A choice, a new scene or leaving closes the scene on screen: its time is written now.
        # Reaching an ending does not: the visitor goes on reading the ending and its helplines.
        if kind != "story_finished":
            self._close_scene(at)
        if kind == "scene_entered":
            check_event("story_left", {"story": story, "scene": scene})  # validates both ids
            self._scene = (str(story), str(scene), at)
            return self.active
        if kind == "story_started":
            fields = {"story": story}
        elif kind == "story_finished":
            fields = {"story": story, "ending": event.get("ending") or scene}
        elif kind == "story_left":
            fields = {"story": story, "scene": scene}
        elif kind == "choice_made":
            fields = {"story": story, "scene": scene, "choice": event.get("choice")}
        check_event(kind, fields)
        return self._put(kind, at, fields)

    def _close_scene(self, at: float) -> None:
        if self._scene is None:
            return
        story, scene, entered = self._scene
        self._scene = None
        duration = max(0, int((at - entered) * 1000))
        self._put("scene_shown", at, {"story": story, "scene": scene, "duration_ms": duration})

    def end(self, reason: str = "done", at: float | None = None, **fields: object) -> bool:
        """End the session and forget its id; False if it had already ended.

        `reason` is one of done, leave_now, idle_reset, language_changed, shutdown. For
        leave_now and idle_reset, `story` and `scene` (optional) say where the visitor was;
        a `leave_now`/`idle_reset` event is written before `session_ended`. Fields of the
        wrong form raise `EventRefused` after the session has ended without them.
        """
        if reason not in END_REASONS:
            raise EventRefused(f"unknown end reason {reason!r}; use one of {sorted(END_REASONS)}")
        if self._id is None:
            return False
        at = time.monotonic() if at is None else at
        refused: EventRefused | None = None
        try:
            if reason in ("leave_now", "idle_reset"):
                check_event(reason, fields)
            elif fields:
                raise EventRefused(f"end({reason!r}) takes no fields")
        except EventRefused as exc:
            # The session ends all the same (Leave now must wipe it); the fields are dropped.
            refused, fields = exc, {}
        self._close_scene(at)
        if reason in ("leave_now", "idle_reset"):
            self._put(reason, at, dict(fields))
        ok = self._put("session_ended", at, {"reason": reason})
        self._id = None
        if refused is not None:
            raise refused
        return ok

    def __repr__(self) -> str:  # never show the id, even in a log
        return f"<VisitorSession {'active' if self.active else 'ended'}>"
