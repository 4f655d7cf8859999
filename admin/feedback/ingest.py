"""Checking and storing kiosk events: shared by the sync API and the USB import.

Each event of a batch is checked before anything is written; an event that fails is refused
alone (``Malformed``, with its index, id and a code saying which rule) and the others are
stored, so that one refused event never holds back the ones after it. They are stored in one
transaction with ``INSERT ... ON CONFLICT DO NOTHING`` on the event id: a second
upload of the same events stores nothing and reports them as already held, which is what
makes a retried upload after a cut connection safe. Payloads are checked against the kiosk's
own whitelist (``kiosk.record.kinds``, with its screening of free text), so the admin accepts
exactly what a kiosk may record: whoever holds a token cannot store more.

Free text: a kiosk records it only for the questions its pack asks with free text. The pack
format has no question kind that takes typed text (``kiosk.content.model.QUESTION_KINDS``),
so no pack asks one, and the server, applying the same rule, stores no ``free_text`` event.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from admin.feedback import aggregate
from admin.models import utcnow
from admin.models_feedback import FeedbackEvent, FeedbackSession
from kiosk.record.kinds import EventRefused, check_event

MAX_BATCH = 1000
HEX32 = re.compile(r"^[0-9a-f]{32}$")
MINUTE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\dZ$",
                    re.ASCII)
MINUTE_FORMAT = "%Y-%m-%dT%H:%MZ"
ENVELOPE = ("id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload")
OPTIONAL = ("seq",)  # the kiosk's local row number: accepted, not kept
MAX_OFFSET_MS = 7 * 86_400_000
MAX_WAITING = 10**9  # the most events a kiosk's status may say are waiting


class Malformed(ValueError):
    """An event that is not of the record's form; `index` and `event_id` say which, `code`
    which rule (malformed_event, identifying_text, free_text_not_asked)."""

    def __init__(self, message: str, index: int | None = None, event_id: str | None = None,
                 code: str = "malformed_event"):
        super().__init__(message)
        self.index = index
        self.event_id = event_id
        self.code = code

    def as_dict(self) -> dict:
        """The error as the API's JSON error object."""
        out: dict = {"code": self.code, "message": str(self)}
        if self.index is not None:
            out["index"] = self.index
        if self.event_id is not None:
            out["event_id"] = self.event_id
        return out


@dataclass
class Outcome:
    """What a stored batch did: the ids newly stored and those already held before."""

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def check_one(raw: object, index: int | None = None) -> dict:
    """One event as a table row, or raise Malformed saying what is wrong."""
    if not isinstance(raw, dict):
        raise Malformed("an event must be a JSON object", index)
    eid = raw.get("id")
    eid = eid if isinstance(eid, str) and HEX32.fullmatch(eid) else None

    def bad(message: str, code: str = "malformed_event") -> Malformed:
        return Malformed(message, index, eid, code)

    unknown = sorted(set(raw) - set(ENVELOPE) - set(OPTIONAL))
    if unknown:
        raise bad(f"unknown field(s) {unknown}; an event has {list(ENVELOPE)}")
    missing = [k for k in ENVELOPE if k not in raw]
    if missing:
        raise bad(f"missing field(s) {missing}")
    for name in ("id", "kiosk_id", "session_id"):
        if not isinstance(raw[name], str) or not HEX32.fullmatch(raw[name]):
            raise bad(f"{name} must be 32 lower-case hexadecimal digits")
    at = raw["at"]
    if not isinstance(at, str) or not MINUTE.fullmatch(at) or not _real_minute(at):
        raise bad("at must be a real UTC minute like 2026-11-28T09:30Z")
    offset = raw["offset_ms"]
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET_MS:
        raise bad(f"offset_ms must be a whole number from 0 to {MAX_OFFSET_MS}")
    kind, payload = raw["kind"], raw["payload"]
    if not isinstance(kind, str):
        raise bad("kind must be a string")
    if not isinstance(payload, dict):
        raise bad("payload must be a JSON object")
    try:
        check_event(kind, payload)
    except EventRefused as exc:
        raise bad(str(exc), exc.code) from None
    if kind == "free_text":
        raise bad("free text is stored only for questions a pack asks with free text, and no "
                  "pack asks one", "free_text_not_asked")
    story = payload.get("story")
    return {"id": raw["id"], "kiosk_id": raw["kiosk_id"], "session_id": raw["session_id"],
            "at_minute": at, "offset_ms": offset, "kind": kind,
            "story": story if isinstance(story, str) else None,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":"))}


def _real_minute(at: str) -> bool:
    try:
        datetime.strptime(at, MINUTE_FORMAT)  # refuses 2026-02-31 and year 0
    except ValueError:
        return False
    return True


def check_batch(events: object, max_batch: int = MAX_BATCH) -> tuple[list[dict], list[Malformed]]:
    """A batch's good events as rows, and the refusal of each bad one (by index).

    Raise Malformed when `events` is no list, BatchTooLarge when it is too long.
    """
    if not isinstance(events, list):
        raise Malformed("events must be a JSON array")
    if len(events) > max_batch:
        raise BatchTooLarge(len(events), max_batch)
    rows, refused = [], []
    for i, raw in enumerate(events):
        try:
            rows.append(check_one(raw, i))
        except Malformed as exc:
            refused.append(exc)
    return rows, refused


class BatchTooLarge(ValueError):
    """More events in one batch than the server takes."""

    def __init__(self, count: int, limit: int):
        super().__init__(f"a batch holds at most {limit} events; this one has {count}: "
                         f"send it in smaller batches")
        self.count = count
        self.limit = limit


def _insert(db: Session, model):
    return (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert(model)


def store(db: Session, rows: list[dict], source: str,
          received_at: datetime | None = None) -> Outcome:
    """Insert the rows not held yet (no commit); report which ids were new."""
    outcome = Outcome()
    if not rows:
        return outcome
    received_at = received_at or utcnow()
    if db.get_bind().dialect.name == "postgresql":
        # One kiosk's batches are stored one at a time, so that a session's rows and its
        # session_started never miss each other in two concurrent transactions (SQLite has a
        # single writer anyway).
        for kiosk_id in sorted({r["kiosk_id"] for r in rows}):
            db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": kiosk_id})
    unique: dict[str, dict] = {}
    for row in rows:
        unique.setdefault(row["id"], row)
    values = [{**row, "source": source, "received_at": received_at}
              for row in unique.values()]
    # Ids held already are looked up first (cheap, and most re-sent batches end there); the
    # insert then skips conflicts and returns the ids it really inserted, so that two
    # workers storing the same ids at once count each exactly once (in the report tables too).
    ids = list(unique)
    held_before: set[str] = set()
    for i in range(0, len(ids), 500):
        held_before.update(db.scalars(select(FeedbackEvent.id).where(
            FeedbackEvent.id.in_(ids[i:i + 500]))))
    new_values = [v for v in values if v["id"] not in held_before]
    new_ids: set[str] = set()
    if new_values:
        table = FeedbackEvent.__table__
        stmt = _insert(db, table).on_conflict_do_nothing(index_elements=["id"])
        new_ids.update(db.execute(stmt.returning(table.c.id), new_values).scalars())
    held: set[str] = set()
    for row in rows:
        if row["id"] in new_ids and row["id"] not in held:
            held.add(row["id"])
            outcome.stored.append(row["id"])
        else:
            outcome.duplicates.append(row["id"])
    sessions = [_session_row(r) for r in unique.values()
                if r["kind"] == "session_started" and r["id"] in held]
    if sessions:
        db.execute(_insert(db, FeedbackSession.__table__).on_conflict_do_nothing(
            index_elements=["session_id"]), sessions)
    aggregate.apply(db, [r for r in unique.values() if r["id"] in held])
    return outcome


def _session_row(row: dict) -> dict:
    payload = json.loads(row["payload"])
    return {"session_id": row["session_id"], "kiosk_id": row["kiosk_id"],
            "pack": payload["pack"], "pack_version": payload["pack_version"],
            "language": payload["language"], "school": "school_code" in payload,
            "started_minute": row["at_minute"], "day": row["at_minute"][:10],
            "hour": int(row["at_minute"][11:13])}
