"""Exports of the record to CSV or JSON Lines, with a manifest and checksum, streamed.

The events are read in chunks from one read snapshot (the kiosk may keep recording) and
written to a temporary file that is synced and renamed only when complete, so an export is
all or nothing. The record's events are not modified; one row in `exports` remembers the
range, so `since_last` starts where the last export ended and retention knows what left.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
from pathlib import Path

from kiosk.record.store import SCHEMA_VERSION, Store, load_kiosk_id, utc_stamp

FORMAT_VERSION = 1
FORMATS = ("csv", "jsonl")
FIELDS = ("id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload")
CHUNK = 5_000
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?Z?)?")


class ExportError(Exception):
    """An export that could not be written; nothing was recorded as exported."""


def since_minute(text: str) -> str:
    """A `--since` date (YYYY-MM-DD, optionally with THH:MM, UTC) as a minute string."""
    m = _DATE_RE.fullmatch(text.strip())
    if not m:
        raise ExportError(f"--since wants a date like 2026-11-28 or 2026-11-28T09:30, not {text!r}")
    y, mo, d, hh, mm = m.groups()
    try:
        time.strptime(f"{y}-{mo}-{d} {hh or '00'}:{mm or '00'}", "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise ExportError(f"--since {text!r} is not a real date") from exc
    return f"{y}-{mo}-{d}T{hh or '00'}:{mm or '00'}Z"


def usb_file_name(kiosk_id: str, fmt: str) -> str:
    """The file name an export to a USB folder gets."""
    return f"storykiosk-record-{kiosk_id[:8]}-{utc_stamp()}.{fmt}"


def export(store: Store, data_dir: Path, out: Path, fmt: str, *, since: str | None = None,
           since_last: bool = False) -> dict:
    """Write the events to `out` (plus `out.manifest.json`); returns the manifest."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    since_min = since_minute(since) if since else None
    after = store.last_exported_seq() if since_last else 0
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"the folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.partial")
    digest = hashlib.sha256()
    count, first_seq, last_seq, first_at, last_at = 0, None, after, None, None
    sql = "SELECT seq, id, kiosk_id, session_id, at_minute, offset_ms, kind, payload " \
          "FROM events WHERE seq > ?"
    params: list[object] = [after]
    if since_min:
        sql += " AND at_minute >= ?"
        params.append(since_min)
    cur = store.conn.execute(sql + " ORDER BY seq", params)
    try:
        with open(tmp, "wb") as fh:
            if fmt == "csv":
                head = (",".join(FIELDS) + "\r\n").encode()
                fh.write(head)
                digest.update(head)
            while True:
                rows = cur.fetchmany(CHUNK)
                if not rows:
                    break
                data = _encode(rows, fmt)
                fh.write(data)
                digest.update(data)
                count += len(rows)
                if first_seq is None:
                    first_seq, first_at = rows[0][0], rows[0][4]
                last_seq = rows[-1][0]
                # Clock changes can make minutes go backwards; keep the true extremes.
                ats = [r[4] for r in rows]
                first_at = min(first_at, *ats)
                last_at = max(last_at or ats[0], *ats)
            fh.flush()
            os.fsync(fh.fileno())
        size = tmp.stat().st_size
        manifest = {
            "format_version": FORMAT_VERSION, "format": fmt, "file": out.name,
            "kiosk_id": load_kiosk_id(data_dir), "count": count, "bytes": size,
            "sha256": digest.hexdigest(), "fields": list(FIELDS), "schema_version": SCHEMA_VERSION,
            "first_seq": first_seq if first_seq is not None else after, "last_seq": last_seq,
            "after_seq": after, "since": since_min,
            "range": {"first_at": first_at, "last_at": last_at},
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        mpath = out.with_name(out.name + ".manifest.json")
        mtmp = mpath.with_name(f".{mpath.name}.partial")
        with open(mtmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        os.replace(mtmp, mpath)
        _fsync_dir(out.parent)
    except BaseException as exc:
        # All or nothing: whatever stopped the export (the disk, a damaged record, ^C),
        # no partial file stays behind.
        for leftover in (tmp, out.with_name(f".{out.name}.manifest.json.partial")):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(
                f"could not write the export to {out}: {exc.strerror or exc}") from exc
        raise
    finally:
        cur.close()
    if count:
        _remember(store, manifest, out)
    return manifest


def _encode(rows: list[tuple], fmt: str) -> bytes:
    if fmt == "jsonl":
        # Ids are hex, minutes and kinds are fixed forms, payloads are stored JSON: no escaping.
        return "".join(
            f'{{"id":"{r[1]}","kiosk_id":"{r[2]}","session_id":"{r[3]}","at":"{r[4]}",'
            f'"offset_ms":{r[5]},"kind":"{r[6]}","payload":{r[7]}}}\n' for r in rows
        ).encode()
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(r[1:] for r in rows)
    return buf.getvalue().encode()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (FAT on USB sticks) cannot sync a directory
    finally:
        os.close(fd)


def _remember(store: Store, manifest: dict, out: Path) -> None:
    conn = store.conn
    conn.execute(
        "INSERT INTO exports (created, format, path, since, first_seq, last_seq, count, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (manifest["created"], manifest["format"], str(out), manifest["since"],
         manifest["first_seq"], manifest["last_seq"], manifest["count"], manifest["sha256"]),
    )


def verify(path: Path) -> dict:
    """Check an export file against its manifest; returns the manifest or raises ExportError."""
    path = Path(path)
    mpath = path.with_name(path.name + ".manifest.json")
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != manifest["sha256"]:
        raise ExportError(f"{path} does not match its manifest's checksum")
    return manifest
