"""Counts per story, language and day, for `kiosk record stats` and the staff menu.

Every count rests on visitor sessions; a cell with fewer than `MIN_CELL` sessions is shown as
"<5" (ETHICS.md rule 11), so that no answer can be traced to a person in a small group.
"""

from __future__ import annotations

from kiosk.record.store import Store

MIN_CELL = 5


def collect(store: Store) -> dict:
    """Raw counts (sessions, not suppressed) per language, day and story."""
    conn = store.conn
    languages = conn.execute(
        "SELECT json_extract(payload, '$.language') AS lang, count(DISTINCT session_id)"
        " FROM events WHERE kind = 'session_started' GROUP BY lang ORDER BY lang").fetchall()
    days = conn.execute(
        "SELECT substr(at_minute, 1, 10) AS day, count(DISTINCT session_id), count(*)"
        " FROM events GROUP BY day ORDER BY day").fetchall()
    stories: dict[str, dict[str, int]] = {}
    for kind, column in (("story_started", "started"), ("story_finished", "finished"),
                         ("story_left", "left")):
        for story, n in conn.execute(
                "SELECT json_extract(payload, '$.story') AS story, count(DISTINCT session_id)"
                " FROM events WHERE kind = ? GROUP BY story", (kind,)):
            stories.setdefault(story, {"started": 0, "finished": 0, "left": 0})[column] = n
    return {
        "languages": {lang: n for lang, n in languages},
        "days": {day: {"sessions": s, "events": e} for day, s, e in days},
        "stories": dict(sorted(stories.items())),
        "total_events": store.total(),
    }


def suppress(n: int, min_cell: int = MIN_CELL) -> int | str:
    """A count as shown: itself, or "<5" when 1 to 4 sessions would stand behind it."""
    return f"<{min_cell}" if 0 < n < min_cell else n


def render(counts: dict, min_cell: int = MIN_CELL) -> str:
    """The counts as plain-text tables, small cells suppressed."""
    out: list[str] = [f"Events in the record: {counts['total_events']}", ""]
    out.append(f"{'story':<24} {'started':>8} {'finished':>9} {'left':>6}")
    for story, c in counts["stories"].items():
        out.append(f"{story or '?':<24} {suppress(c['started'], min_cell)!s:>8} "
                   f"{suppress(c['finished'], min_cell)!s:>9} {suppress(c['left'], min_cell)!s:>6}")
    if not counts["stories"]:
        out.append("(no stories played yet)")
    out += ["", f"{'language':<24} {'sessions':>8}"]
    for lang, n in counts["languages"].items():
        out.append(f"{lang or '?':<24} {suppress(n, min_cell)!s:>8}")
    out += ["", f"{'day (UTC)':<24} {'sessions':>8} {'events':>9}"]
    for day, c in counts["days"].items():
        small = 0 < c["sessions"] < min_cell
        events = "-" if small else c["events"]
        out.append(f"{day:<24} {suppress(c['sessions'], min_cell)!s:>8} {events!s:>9}")
    out += ["", f"Cells resting on fewer than {min_cell} visitor sessions are shown as "
                f"<{min_cell}."]
    return "\n".join(out)


def suppressed(counts: dict, min_cell: int = MIN_CELL) -> dict:
    """The counts with small cells replaced by "<5", for printing as JSON."""
    return {
        "languages": {k: suppress(n, min_cell) for k, n in counts["languages"].items()},
        "days": {d: {"sessions": suppress(c["sessions"], min_cell),
                     "events": None if 0 < c["sessions"] < min_cell else c["events"]}
                 for d, c in counts["days"].items()},
        "stories": {s: {k: suppress(n, min_cell) for k, n in c.items()}
                    for s, c in counts["stories"].items()},
        "total_events": counts["total_events"],
        "min_cell": min_cell,
    }
