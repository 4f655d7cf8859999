"""A school session's results beside all visitors, with small numbers suppressed.

Read from the feedback tables (``admin.models_feedback``, issue 10) and suppressed with its
helpers (``admin.feedback.suppress``: ``shown``, ``suppress_breakdown``, ``MIN_CELL``), so a
class's numbers follow exactly the rules of every other report (ETHICS.md rule 11). A cell
of 1 to 4 reads "fewer than 5"; a larger cell hidden so that it cannot give a small one away
reads "hidden to protect a small group" (``PROTECTED``):

- the class: the visitor sessions whose ``session_started`` carries the session's code;
  "all visitors": every other session of the same pack that was not a school session;
- stories played: sessions that started each story, and finished it. "Started" is a breakdown
  of the published class total, so it gets complementary suppression (a single small story
  takes the next smallest with it: the total minus the shown rows would reveal it);
  "finished" is hidden when started is hidden, or when started minus finished is small
  (as "fewer than 5" only when it is);
- each branching point (story, scene): the sessions that chose there, and per choice, with
  complementary suppression (a single small cell takes the next smallest with it);
- unanimity (the class's columns only): when every session of the class that answered a
  question, or chose at a point, is in one cell, every cell reads ``HIDDEN`` (zeros too) and
  so does the mean: the zeros beside it would tell everyone in the class how each group
  answered. After complementary suppression at least two non-zero cells are hidden whenever
  one is, so shown cells and zeros never single out a hidden cell otherwise. Stories played
  are not opinions (the session chose what to offer) and keep their zeros;
- surveys, per question: the answers before and after (a breakdown per answer value), their
  means, and the shift (after minus before). A mean is shown only when it rests on 5 sessions
  or more and no cell of its breakdown is hidden: with the count and the shown cells, a mean
  would give the hidden cells away (two hidden answers summing to 3 are a 1 and a 2).

Every count is of visitor sessions; a session counts once per cell (its last answer).
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from admin.feedback.suppress import (
    MIN_CELL,
    PROTECTED,
    SUPPRESSED,
    WITHHELD,
    shown,
    suppress_breakdown,
    suppress_with_total,
)
from admin.models_feedback import FeedbackEvent, FeedbackSession

# A class's breakdown in which every session sits in one cell: all its cells (zeros too).
HIDDEN = "hidden"


@dataclass
class Point:
    """One branching point: the class and all visitors, per choice."""

    story: str
    scene: str
    class_total: int | str
    class_cells: list[tuple[str, int | str]]
    all_total: int | str
    all_cells: list[tuple[str, int | str]]


@dataclass
class Question:
    """One survey question: before, after, and the shift."""

    question: str
    before_n: int | str
    after_n: int | str
    before: list[tuple[str, int | str]]
    after: list[tuple[str, int | str]]
    before_mean: float | None
    after_mean: float | None
    shift: float | None


@dataclass
class Results:
    """What the results page shows."""

    sessions: int | str
    stories: list[tuple[str, int | str, int | str]]  # story, started, finished
    points: list[Point] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def _received(q, received_by: datetime | None):
    return q if received_by is None else q.where(FeedbackEvent.received_at <= received_by)


def class_sessions(db, code: str, received_by: datetime | None = None) -> set[str]:
    """The ids of the visitor sessions recorded under a session code (whose start reached
    the admin by ``received_by``, when given)."""
    rows = db.execute(_received(select(FeedbackEvent.session_id, FeedbackEvent.payload)
                                .where(FeedbackEvent.kind == "session_started")
                                # a coarse filter in SQL (codes are letters and digits only),
                                # the exact check on the parsed payload
                                .where(FeedbackEvent.payload.like(f"%{code}%")), received_by))
    return {sid for sid, payload in rows if json.loads(payload).get("school_code") == code}


def general_sessions(db, pack: str) -> set[str]:
    """The ids of the visitor sessions of a pack that were not school sessions."""
    return set(db.scalars(select(FeedbackSession.session_id)
                          .where(FeedbackSession.pack == pack)
                          .where(FeedbackSession.school.is_(False))))


def _events(db, sessions: set[str], kinds: tuple[str, ...],
            received_by: datetime | None = None):
    ids = sorted(sessions)
    for i in range(0, len(ids), 500):  # keep IN lists short for every database
        yield from db.execute(_received(
            select(FeedbackEvent.session_id, FeedbackEvent.kind, FeedbackEvent.offset_ms,
                   FeedbackEvent.payload)
            .where(FeedbackEvent.session_id.in_(ids[i:i + 500]))
            .where(FeedbackEvent.kind.in_(kinds)), received_by))


def choice_counts(db, sessions: set[str], received_by: datetime | None = None
                  ) -> dict[tuple[str, str], dict[str, int]]:
    """Unsuppressed: (story, scene) -> choice -> sessions whose last choice there it was."""
    last: dict[tuple[str, str, str], tuple[int, str]] = {}
    for sid, _kind, offset, payload in _events(db, sessions, ("choice_made",), received_by):
        p = json.loads(payload)
        key = (sid, p["story"], p["scene"])
        if key not in last or offset >= last[key][0]:
            last[key] = (offset, str(p["choice"]))
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (_sid, story, scene), (_o, choice) in last.items():
        out[(story, scene)][choice] += 1
    return out


def answers(db, sessions: set[str], received_by: datetime | None = None
            ) -> dict[tuple[str, str], dict[str, object]]:
    """Unsuppressed: (question, phase) -> session -> its last answer."""
    last: dict[tuple[str, str, str], tuple[int, object]] = {}
    for sid, _kind, offset, payload in _events(db, sessions, ("survey_answer",), received_by):
        p = json.loads(payload)
        key = (p["question"], p["phase"], sid)
        if key not in last or offset >= last[key][0]:
            last[key] = (offset, p["answer"])
    out: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
    for (question, phase, sid), (_o, answer) in last.items():
        out[(question, phase)][sid] = answer
    return out


def _breakdown(counts: dict[str, int], order: list[str]
               ) -> tuple[int | str, list[tuple[str, int | str]]]:
    """A breakdown and its printed total, protected together: (total, cells)."""
    keys = order + sorted(k for k in counts if k not in order)
    if shown(sum(counts.values())) == SUPPRESSED:  # a small total: nothing else to protect
        return SUPPRESSED, [(k, shown(counts.get(k, 0))) for k in keys]
    return suppress_with_total([(k, counts.get(k, 0)) for k in keys])


def class_breakdown(counts: dict[str, int], order: list[str]
                    ) -> tuple[int | str, list[tuple[str, int | str]]]:
    """A class's breakdown and total: protected, and every cell HIDDEN when unanimous."""
    total, cells = _breakdown(counts, order)
    if sum(1 for n in counts.values() if n > 0) == 1:
        return shown(sum(counts.values())), [(k, HIDDEN) for k, _n in cells]
    return total, cells


def _mean(values: list, cells: list[tuple[str, int | str]]) -> float | None:
    """The mean, or None when it rests on fewer than 5 or its breakdown hides a cell (the
    mean, the count and the shown cells would together give the hidden ones away)."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) < MIN_CELL or any(n in (SUPPRESSED, PROTECTED, HIDDEN) for _k, n in cells):
        return None
    return round(statistics.fmean(numbers), 2)


def session_results(db, code: str, pack, received_by: datetime | None = None) -> Results:
    """The results of the session with this code, for a loaded pack (None: ids only).

    ``received_by``: count only the class's events that reached the admin by then (the
    publication moment, ``admin.school.publish``), so published numbers never change.
    """
    mine = class_sessions(db, code, received_by)
    started: dict[str, set[str]] = defaultdict(set)
    finished: dict[str, set[str]] = defaultdict(set)
    for sid, kind, _o, payload in _events(db, mine, ("story_started", "story_finished"),
                                          received_by):
        (started if kind == "story_started" else finished)[json.loads(payload)["story"]].add(sid)
    stories = []
    # "started" is a breakdown of the published class total: complementary suppression
    for story, s in suppress_breakdown([(st, len(started[st])) for st in sorted(started)]):
        n_started, n_finished = len(started[story]), len(started[story] & finished[story])
        f = shown(n_finished)
        if s in (SUPPRESSED, PROTECTED, WITHHELD) or shown(n_started - n_finished) == SUPPRESSED:
            # beside a hidden start, or as started minus finished, it would reveal
            if s == WITHHELD:  # the start's label withheld: so is this one's
                f = WITHHELD
            else:
                f = SUPPRESSED if s == SUPPRESSED or f == SUPPRESSED else PROTECTED
        stories.append((story, s, f))
    result = Results(shown(len(mine)), stories)
    pack_id = pack.id if pack is not None else ""
    mine_c = choice_counts(db, mine, received_by)
    all_c = choice_counts(db, general_sessions(db, pack_id))
    for (story, scene), cells in sorted(mine_c.items()):
        order = _choice_order(pack, story, scene) or sorted(cells)
        others = all_c.get((story, scene), {})
        result.points.append(Point(story, scene, *class_breakdown(cells, order),
                                   *_breakdown(others, order)))
    given = answers(db, mine, received_by)
    for question, options in _questions(pack, given):
        before = given.get((question, "before"), {})
        after = given.get((question, "after"), {})
        n_before, cells_before = class_breakdown(_count(before), options)
        n_after, cells_after = class_breakdown(_count(after), options)
        bm = _mean(list(before.values()), cells_before)
        am = _mean(list(after.values()), cells_after)
        result.questions.append(Question(
            question, n_before, n_after, cells_before, cells_after, bm, am,
            None if bm is None or am is None else round(am - bm, 2)))
    return result


def _count(answers_by_session: dict[str, object]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for answer in answers_by_session.values():
        out[str(answer)] += 1
    return out


def _choice_order(pack, story: str, scene: str) -> list[str]:
    if pack is None or story not in pack.stories or scene not in pack.stories[story].scenes:
        return []
    return [c.id for c in pack.stories[story].scenes[scene].choices]


def _questions(pack, given) -> list[tuple[str, list[str]]]:
    """The survey questions in the pack's order (then any others answered), with options."""
    out: dict[str, list[str]] = {}
    if pack is not None:
        for q in pack.surveys.before + pack.surveys.after:
            if q.kind == "agreement":
                out.setdefault(q.id, [str(n) for n in range(1, 6)])
            elif q.kind == "single":
                out.setdefault(q.id, [o.id for o in q.options])
            else:
                out.setdefault(q.id, [str(n) for n in range(1, (q.scale or 5) + 1)])
    for question, _phase in given:
        out.setdefault(question, [])
    return [(q, opts) for q, opts in out.items()
            if any((q, ph) in given for ph in ("before", "after"))]


def other_visitors(db, pack_id: str, stories: list[str]) -> dict[str, dict[str, dict]]:
    """How all (non-school) visitors chose, for the kiosk: story -> scene -> choice -> n|"<5".

    The kiosk shows no total beside these, so hiding the small cells is enough.
    """
    counts = choice_counts(db, general_sessions(db, pack_id))
    out: dict[str, dict[str, dict]] = {}
    for (story, scene), cells in counts.items():
        if story in stories:
            out.setdefault(story, {})[scene] = {ch: shown(n) for ch, n in cells.items()}
    return out
