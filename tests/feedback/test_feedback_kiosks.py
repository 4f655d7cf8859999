"""The Kiosks page: registration shows a token once and keeps only its hash; the USB import."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from admin.db import database
from admin.models_feedback import FeedbackEvent, FeedbackImport, Kiosk
from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import play_sessions, record_rows

TOKEN_RE = re.compile(r'<code class="token">(sk_[A-Za-z0-9_-]+)</code>')


def _events(app) -> int:
    with database(app).session() as db:
        return db.scalar(select(func.count()).select_from(FeedbackEvent))


def test_registering_shows_the_token_once_and_stores_only_its_hash(app, as_role, tmp_path):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("reads the SQLite file's bytes")
    admin = as_role("administrator")
    r = admin.post("/kiosks/register", data={"name": "Riga, hall 2"})
    assert r.status_code == 200
    token = TOKEN_RE.search(r.get_data(as_text=True)).group(1)
    page = admin.get("/kiosks/").get_data(as_text=True)
    assert "Riga, hall 2" in page and token not in page
    database(app).dispose()
    raw = (tmp_path / "instance" / "admin.sqlite3").read_bytes()
    wal = tmp_path / "instance" / "admin.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert token.encode() not in raw
    r = app.test_client().post("/api/v1/status", json={"waiting": 3},
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    page = admin.get("/kiosks/").get_data(as_text=True)
    assert "<td>3</td>" in page and "never" not in page
    assert admin.post("/kiosks/register", data={"name": "Riga, hall 2"}).status_code == 400


def test_who_may_see_register_and_import(app, as_role):
    assert as_role("viewer").get("/kiosks/").status_code == 403
    curator = as_role("curator")
    assert curator.get("/kiosks/").status_code == 200
    assert curator.post("/kiosks/register", data={"name": "x"}).status_code == 403
    assert curator.get("/kiosks/import").status_code == 200


def _export(tmp_path, fmt="jsonl", sessions=12, seed=5):
    data = tmp_path / "kiosk"
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, sessions, seed=seed)
    store = Store.open(data)
    out = tmp_path / f"export.{fmt}"
    manifest = export(store, data, out, fmt)
    store.close()
    return out, out.with_name(out.name + ".manifest.json"), manifest, data


def _upload(client, out_bytes, manifest_bytes, name="export.jsonl"):
    return client.post("/kiosks/import", data={
        "export": (io.BytesIO(out_bytes), name),
        "manifest": (io.BytesIO(manifest_bytes), name + ".manifest.json")},
        content_type="multipart/form-data")


def test_importing_an_export_stores_what_is_new_and_says_so(app, as_role, tmp_path):
    curator = as_role("curator")
    for fmt in ("jsonl", "csv"):
        out, mpath, manifest, data = _export(tmp_path / fmt, fmt)
        r = _upload(curator, out.read_bytes(), mpath.read_bytes(), out.name)
        html = r.get_data(as_text=True)
        assert r.status_code == 200, html
        assert f'<dd class="new">{manifest["count"]}</dd>' in html
        assert '<dd class="duplicates">0</dd>' in html
        again = _upload(curator, out.read_bytes(), mpath.read_bytes(), out.name)
        assert '<dd class="new">0</dd>' in again.get_data(as_text=True)
    total = sum(len(record_rows(tmp_path / fmt / "kiosk")) for fmt in ("jsonl", "csv"))
    assert _events(app) == total
    with database(app).session() as db:
        assert db.scalar(select(func.count()).select_from(FeedbackImport)) == 4


def test_a_changed_or_mismatched_file_is_refused_and_nothing_stored(app, as_role, tmp_path):
    curator = as_role("curator")
    out, mpath, manifest, _data = _export(tmp_path)
    raw = out.read_bytes()
    tampered = raw.replace(b'"language":"sv"', b'"language":"en"', 1)
    if tampered == raw:
        tampered = raw.replace(b'"language":"en"', b'"language":"sv"', 1)
    assert len(tampered) == len(raw) and tampered != raw
    r = _upload(curator, tampered, mpath.read_bytes())
    assert r.status_code == 400 and "checksum" in r.get_data(as_text=True)
    r = _upload(curator, raw[:-40], mpath.read_bytes())
    assert r.status_code == 400 and "incomplete" in r.get_data(as_text=True)
    r = _upload(curator, raw, b"not json")
    assert r.status_code == 400 and "manifest" in r.get_data(as_text=True)
    assert _events(app) == 0


def test_events_synced_and_imported_are_held_once(app, register_kiosk, tmp_path):
    out, mpath, manifest, data = _export(tmp_path)
    token = register_kiosk()
    client = app.test_client()
    store = Store.open(data)
    half = store.pending_batch(manifest["count"] // 2)
    store.close()
    r = client.post("/api/v1/events", json={"events": half},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kiosks", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{manifest['count'] - len(half)} new, {len(half)} already held" in result.output
    assert _events(app) == manifest["count"]
    with database(app).session() as db:
        assert db.scalar(select(Kiosk)).record_id == manifest["kiosk_id"]


def test_revoking_a_token_asks_for_a_ticked_confirmation_first(app, register_kiosk, as_role):
    """Issue 19: a required checkbox beside Revoke token (no script confirm()); without it
    the token keeps working and the page says why."""
    register_kiosk()
    admin = as_role("administrator")
    with database(app).session() as db:
        kiosk_id = db.scalar(select(Kiosk.id))

    def revoked() -> bool:
        with database(app).session() as db:
            return db.get(Kiosk, kiosk_id).revoked

    page = admin.get("/kiosks/").get_data(as_text=True)
    assert re.search(rf'id="confirm-revoke-{kiosk_id}" name="confirm"[^>]*required', page)
    r = admin.post("/kiosks/revoke", data={"kiosk_id": kiosk_id})
    assert r.status_code == 400 and not revoked()
    assert "Not revoked: tick the box" in r.get_data(as_text=True)
    r = admin.post("/kiosks/revoke", data={"kiosk_id": kiosk_id, "confirm": "yes"})
    assert r.status_code == 302 and revoked()
