"""Discussion mode: the class's path, one play at a time.

In discussion mode a class (or a large group of it) gathers around one screen, talks at each
branching point, and the pedagogue taps the choice the group settled on. One screen then
records 1 to 4 visitor sessions for the whole class, so the suppressed tables read "fewer than
5" nearly everywhere. What such a visit records is not any student's answer but the group's
collective decision, so the results show it in full as the class's path: for each play of a
story, the choices in the order they were made and the ending reached.

Only choices are shown this way. Survey answers stay suppressed: they may be typed by one
student. The path is left out when more kiosks recorded visits under the code than the
pedagogue planned (``admin.school.kiosks``): then the code may have reached visitors who
were not the class's group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from admin.school.results import _events


@dataclass
class Play:
    """One play of a story by the group: its choices in order, and the ending."""

    story: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (scene, choice)
    ending: str | None = None


def class_paths(db, sessions: set[str], received_by: datetime | None = None) -> list[Play]:
    """Every play of the class's sessions, ordered by story and path (not by time)."""
    by_session: dict[str, list[tuple[int, str, dict]]] = {}
    for sid, kind, offset, payload in _events(
            db, sessions, ("story_started", "choice_made", "story_finished"), received_by):
        by_session.setdefault(sid, []).append((offset, kind, json.loads(payload)))
    plays: list[Play] = []
    for events in by_session.values():
        current: Play | None = None
        for _offset, kind, p in sorted(events, key=lambda e: (e[0], e[1] != "story_started")):
            if kind == "story_started":
                current = Play(p["story"])
                plays.append(current)
            elif current is None or p.get("story") != current.story:
                continue  # an event without its story's start (not received): left out
            elif kind == "choice_made":
                current.steps.append((p["scene"], str(p["choice"])))
            else:
                current.ending = p["ending"]
    return sorted(plays, key=lambda pl: (pl.story, pl.steps, pl.ending or ""))
