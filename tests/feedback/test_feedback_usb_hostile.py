"""The USB import against crafted files (issue 17): each gets a 400 with a sentence, nothing
stored, never a 500."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from kiosk.record.export import FIELDS
from tests.feedback.test_feedback_api import a_session, count

KIOSK = a_session()[0]["kiosk_id"]


def manifest_for(data: bytes, fmt: str = "jsonl", count_: int = 1, **over) -> bytes:
    """A manifest that matches `data` (so the check reaches the file's content)."""
    return json.dumps({"format": fmt, "sha256": hashlib.sha256(data).hexdigest(),
                       "bytes": len(data), "count": count_, "kiosk_id": KIOSK,
                       **over}).encode()


def jsonl(events) -> bytes:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode()


def a_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("events.jsonl", jsonl(a_session()).decode())
    return buf.getvalue()


def _lone_surrogate() -> bytes:
    events = a_session()
    events[1] = {**events[1], "kind": "free_text",
                 "payload": {"question": "q-why", "text": "SURROGATE", "moderation": "pending"}}
    return jsonl(events).replace(b"SURROGATE", b"\\ud800 and more")


def _deep() -> bytes:
    return b'{"id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"


def _csv_huge_cell() -> bytes:
    return (",".join(FIELDS) + "\r\n" + "a," * 6 + '"' + "x" * 200_000 + '"\r\n').encode()


GOOD = jsonl(a_session())
ZIP = a_zip()[:40]
SURROGATE = _lone_surrogate()
WRONG_TYPES = jsonl([{**a_session()[0], "offset_ms": "12", "payload": []}])
CASES = {
    # (export file, its manifest, a word the refusal must say)
    "a truncated zip with a matching manifest": (ZIP, manifest_for(ZIP), "UTF-8"),
    "a garbage zip as the manifest": (GOOD, a_zip(), "manifest"),
    "a manifest that is a list of lists": (GOOD, b"[[1], [2]]", "manifest"),
    "a manifest with count and bytes as text": (
        GOOD, manifest_for(GOOD, count_="6", bytes=str(len(GOOD))), "wrong type"),
    "a manifest with a list as format": (GOOD, manifest_for(GOOD, format=["jsonl"]), "format"),
    "a manifest nested 100,000 deep": (GOOD, b"[" * 100_000 + b"]" * 100_000, "manifest"),
    "a manifest with a 5,000-digit number": (GOOD, b'{"count": ' + b"9" * 5000 + b"}",
                                             "manifest"),
    "a kiosk id with a newline": (GOOD, manifest_for(GOOD, kiosk_id=KIOSK + "\n"), "kiosk_id"),
    "a line nested 100,000 deep": (_deep(), manifest_for(_deep()), "line 1"),
    "a line with a 5,000-digit number": (b'{"offset_ms": ' + b"9" * 5000 + b"}\n",
                                         manifest_for(b'{"offset_ms": ' + b"9" * 5000 + b"}\n"),
                                         "line 1"),
    "a CSV cell over csv's limit": (_csv_huge_cell(), manifest_for(_csv_huge_cell(), "csv"),
                                    "CSV"),
}


def _upload(client, data, manifest):
    return client.post("/kiosks/import", data={
        "export": (io.BytesIO(data), "export.jsonl"),
        "manifest": (io.BytesIO(manifest), "export.jsonl.manifest.json")},
        content_type="multipart/form-data")


@pytest.mark.parametrize("name", list(CASES))
def test_a_crafted_file_gets_a_clear_refusal(app, as_role, name):
    data, manifest, word = CASES[name]
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash must show as the 500 it would be
    r = _upload(as_role("curator"), data, manifest)
    page = r.get_data(as_text=True)
    assert r.status_code == 400, (name, page[:300])
    assert word in page, name
    assert count(app) == 0


@pytest.mark.parametrize("data, word", [(SURROGATE, "event 2 of the file"),
                                         (WRONG_TYPES, "event 1 of the file")])
def test_a_refused_event_is_named_and_the_others_imported(app, as_role, data, word):
    """Events are judged one by one, as the sync API judges them."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    n = data.count(b"\n")
    r = _upload(as_role("curator"), data, manifest_for(data, count_=n))
    page = r.get_data(as_text=True)
    assert r.status_code == 200, page[:300]
    assert word in page and '<dd class="refused">1</dd>' in page
    assert count(app) == n - 1


def test_a_good_file_still_imports(app, as_role):
    r = _upload(as_role("curator"), GOOD, manifest_for(GOOD, count_=6))
    assert r.status_code == 200 and count(app) == 6
