"""Import of a kiosk's export file (the USB route): checksum, events checked, stored once.

The file and its manifest are the pair ``kiosk record export`` writes
(``kiosk.record.export``): CSV or JSON Lines, and ``<file>.manifest.json`` with the SHA-256,
byte count, event count and kiosk id. The whole file is checked before anything is stored,
and stored in one transaction: a file that is not its manifest's, not of the export's form,
or of another kiosk is refused entirely. Events are then judged one by one, as the sync API
judges them: one the rules refuse (free text, an identifying value, a malformed field) is
left out and named in the summary, and the others are stored. Whatever the files
hold (garbage, a zip, JSON nested 100,000 deep, numbers of 5,000 digits, wrong types, a lone
surrogate, a CSV cell of megabytes), the answer is an ``ImportRefused`` sentence, never a crash.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from admin import audit
from admin.feedback import ingest
from admin.models import User
from admin.models_feedback import FeedbackImport, Kiosk
from kiosk.record.export import FIELDS, FORMATS

MAX_IMPORT_BYTES = 512 * 2**20


class ImportRefused(ValueError):
    """An export file that is not imported; the message says why, in plain words."""


@dataclass
class ImportSummary:
    """What an import held and what of it was new."""

    file_name: str
    kiosk_id: str
    kiosk_name: str | None
    count: int
    new: int
    duplicates: int
    new_sessions: int
    first_at: str | None
    last_at: str | None
    refused: list[str] = field(default_factory=list)  # "event N of the file: why", each


def _json(text: str):
    """json.loads, with every way it can fail raised as ValueError."""
    try:
        return json.loads(text)
    except RecursionError:  # nested too deep to be an export's
        raise ValueError("nested too deep") from None


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def read_manifest(raw: bytes) -> dict:
    """The manifest as a dict, or ImportRefused."""
    try:
        manifest = _json(raw.decode("utf-8"))
    except ValueError:  # not UTF-8, not JSON, nested too deep, a number of 5,000 digits
        raise ImportRefused("the manifest is not a JSON file (choose the .manifest.json file "
                            "written beside the export)") from None
    need = {"format", "sha256", "count", "kiosk_id", "bytes"}
    if not isinstance(manifest, dict):
        raise ImportRefused("the manifest is not a JSON object (choose the .manifest.json "
                            "file written beside the export)")
    if need - set(manifest):
        raise ImportRefused(f"the manifest lacks {sorted(need - set(manifest))}")
    if manifest["format"] not in FORMATS:
        raise ImportRefused(f"the manifest names an unknown format; it must be one of "
                            f"{', '.join(FORMATS)}")
    if not isinstance(manifest["kiosk_id"], str) or not ingest.HEX32.fullmatch(
            manifest["kiosk_id"]):
        raise ImportRefused("the manifest's kiosk_id is not a kiosk id")
    if not isinstance(manifest["sha256"], str) or not _whole(manifest["count"]) \
            or not _whole(manifest["bytes"]):
        raise ImportRefused("the manifest's sha256, count or bytes is of the wrong type")
    return manifest


def parse(data: bytes, manifest: dict) -> tuple[list[dict], list[str]]:
    """Verify the file against its manifest; its good events as rows, and why each other
    event is refused."""
    if len(data) != manifest["bytes"]:
        raise ImportRefused(f"the file has {len(data)} bytes but its manifest says "
                            f"{manifest['bytes']}: it is incomplete or not the one the "
                            f"manifest describes")
    if hashlib.sha256(data).hexdigest() != manifest["sha256"]:
        raise ImportRefused("the file does not match its manifest's checksum: it was changed "
                            "or damaged after the export; nothing was imported")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportRefused("the file is not UTF-8 text") from None
    raws = _jsonl(text) if manifest["format"] == "jsonl" else _csv(text)
    if len(raws) != manifest["count"]:
        raise ImportRefused(f"the file holds {len(raws)} events but its manifest says "
                            f"{manifest['count']}")
    rows, refused = [], []
    for i, raw in enumerate(raws):
        if isinstance(raw, dict) and raw.get("kiosk_id") != manifest["kiosk_id"]:
            raise ImportRefused(f"event {i + 1} comes from another kiosk than the manifest's")
        try:
            rows.append(ingest.check_one(raw, i))
        except ingest.Malformed as exc:
            refused.append(f"event {i + 1} of the file: {exc}")
    return rows, refused


def _jsonl(text: str) -> list:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(_json(line))
            except ValueError:
                raise ImportRefused(f"line {n} of the file is not JSON") from None
    return out


def _csv(text: str) -> list:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or tuple(header) != FIELDS:
            raise ImportRefused(f"the CSV file's first line must be {','.join(FIELDS)}")
        out = []
        for n, cells in enumerate(reader, 2):
            if len(cells) != len(FIELDS):
                raise ImportRefused(f"line {n} of the file has {len(cells)} columns, not "
                                    f"{len(FIELDS)}")
            event: dict = dict(zip(FIELDS, cells, strict=True))
            try:
                event["offset_ms"] = int(event["offset_ms"])
                event["payload"] = _json(event["payload"])
            except ValueError:
                raise ImportRefused(f"line {n} of the file has a malformed offset or payload") \
                    from None
            out.append(event)
    except csv.Error as exc:  # a cell over csv's field size limit, a stray quote, ...
        raise ImportRefused(f"the file is not CSV as an export writes it "
                            f"(line {reader.line_num}: {exc})") from None
    return out


def import_export(db: Session, data: bytes, manifest_raw: bytes, actor: User | None,
                  actor_name: str = "") -> ImportSummary:
    """Check and store one export file (no commit); returns the summary."""
    manifest = read_manifest(manifest_raw)
    rows, refused = parse(data, manifest)
    outcome = ingest.store(db, rows, "usb")
    stored = set(outcome.stored)
    kiosk = db.scalar(select(Kiosk).where(Kiosk.record_id == manifest["kiosk_id"]))
    name = secure_filename(str(manifest.get("file") or "export"))[:200] or "export"
    db.add(FeedbackImport(actor=actor.username if actor else (actor_name or "system"),
                          kiosk_id=manifest["kiosk_id"], file_name=name,
                          sha256=manifest["sha256"], count=len(rows) + len(refused),
                          new=len(outcome.stored),
                          duplicates=len(outcome.duplicates)))
    summary = ImportSummary(
        file_name=name, kiosk_id=manifest["kiosk_id"], kiosk_name=kiosk.name if kiosk else None,
        count=len(rows) + len(refused), new=len(outcome.stored),
        duplicates=len(outcome.duplicates),
        new_sessions=sum(1 for r in rows if r["kind"] == "session_started" and r["id"] in stored),
        first_at=min((r["at_minute"] for r in rows), default=None),
        last_at=max((r["at_minute"] for r in rows), default=None), refused=refused)
    audit.record(db, actor, "feedback.import", f"record:{manifest['kiosk_id']}", None,
                 {"file": name, "sha256": manifest["sha256"], "count": summary.count,
                  "new": summary.new, "duplicates": summary.duplicates,
                  "refused": len(refused)},
                 actor_name=actor_name or None)
    return summary
