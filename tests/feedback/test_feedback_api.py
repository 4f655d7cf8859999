"""The sync API: stores each event once, and refuses clearly, storing nothing, when it must."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from admin.db import database
from admin.feedback.ingest import MAX_BATCH
from admin.models import AuditEntry
from admin.models_feedback import FeedbackEvent, FeedbackSession, Kiosk

KIOSK = uuid.uuid4().hex


def event(kind="story_started", payload=None, session=None, kiosk=KIOSK, **over) -> dict:
    """One well-formed event (override any field)."""
    base = {"id": uuid.uuid4().hex, "kiosk_id": kiosk, "session_id": session or uuid.uuid4().hex,
            "at": "2026-11-28T09:30Z", "offset_ms": 1200, "kind": kind,
            "payload": {"story": "mara"} if payload is None else payload}
    return {**base, **over}


def a_session(n_scenes=3) -> list[dict]:
    """A short visitor session's events."""
    sid = uuid.uuid4().hex
    out = [event("session_started", {"pack": "demo", "pack_version": "1.0.0", "language": "sv",
                                     "school_code": "CLASS-7B"}, sid, offset_ms=0),
           event("story_started", {"story": "mara"}, sid)]
    out += [event("scene_shown", {"story": "mara", "scene": f"s{i}", "duration_ms": 4000}, sid)
            for i in range(n_scenes)]
    return out + [event("session_ended", {"reason": "done"}, sid)]


def count(app, model=FeedbackEvent) -> int:
    with database(app).session() as db:
        return db.scalar(select(func.count()).select_from(model))


def post(client, token, body, path="/api/v1/events", **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(path, json=body, headers=headers, **kw)


def test_a_batch_is_stored_once_however_often_it_is_sent(app, register_kiosk):
    token, client = register_kiosk(), app.test_client()
    batch = a_session() + a_session()
    r = post(client, token, {"events": batch, "status": {"pack_id": "demo",
                                                          "pack_version": "1.0.0",
                                                          "waiting": 17}})
    assert r.status_code == 200, r.json
    assert r.json["stored"] == [e["id"] for e in batch] and r.json["duplicates"] == []
    again = post(client, token, {"events": batch[3:] + a_session(1)})
    assert again.status_code == 200
    assert again.json["duplicates"] == [e["id"] for e in batch[3:]]
    assert len(again.json["stored"]) == 4
    assert count(app) == len(batch) + 4
    assert count(app, FeedbackSession) == 3
    with database(app).session() as db:
        kiosk = db.scalar(select(Kiosk))
        assert (kiosk.pack_id, kiosk.pack_version, kiosk.waiting) == ("demo", "1.0.0", 17)
        assert kiosk.last_contact is not None and kiosk.record_id == KIOSK
        assert kiosk.received == len(batch) + 4
        session = db.scalar(select(FeedbackSession))
        assert session.language == "sv" and session.school is True


def test_the_same_id_twice_in_one_batch_is_stored_once(app, register_kiosk):
    token, e = register_kiosk(), event()
    r = post(app.test_client(), token, {"events": [e, e]})
    assert r.json["stored"] == [e["id"]] and r.json["duplicates"] == [e["id"]]
    assert count(app) == 1


@pytest.mark.parametrize("headers, code, status", [
    ({}, "no_token", 401),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, "no_token", 401),
    ({"Authorization": "Bearer sk_not-a-real-token"}, "unknown_token", 401),
])
def test_a_missing_or_unknown_token_is_refused(app, register_kiosk, headers, code, status):
    register_kiosk()
    r = app.test_client().post("/api/v1/events", json={"events": a_session()}, headers=headers)
    assert r.status_code == status and r.json["error"]["code"] == code
    assert r.json["error"]["message"]
    assert count(app) == 0


def test_a_revoked_token_is_refused(app, register_kiosk, as_role):
    token = register_kiosk()
    admin = as_role("administrator")
    with database(app).session() as db:
        kiosk_id = db.scalar(select(Kiosk.id))
    assert admin.post("/kiosks/revoke", data={"kiosk_id": kiosk_id, "confirm": "yes"}).status_code == 302
    r = post(app.test_client(), token, {"events": a_session()})
    assert r.status_code == 403 and r.json["error"]["code"] == "token_revoked"
    assert count(app) == 0
    with database(app).session() as db:
        assert db.scalar(select(AuditEntry).where(AuditEntry.action == "kiosk.revoke"))


def test_a_batch_too_large_is_refused_whole(app, register_kiosk):
    token = register_kiosk()
    r = post(app.test_client(), token, {"events": [event() for _ in range(MAX_BATCH + 1)]})
    assert r.status_code == 413 and r.json["error"]["code"] == "batch_too_large"
    assert r.json["error"]["limit"] == MAX_BATCH
    assert count(app) == 0


def test_a_body_over_the_size_limit_gets_a_json_refusal(app, register_kiosk):
    token = register_kiosk()
    r = app.test_client().post("/api/v1/events", data=b'{"events": [' + b" " * 1_100_000 + b"]}",
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 413 and r.json["error"]["code"] == "request_too_large"
    assert count(app) == 0


MALFORMED = [
    ("not an object", lambda e: "hello"),
    ("unknown kind", lambda e: {**e, "kind": "visitor_name"}),
    ("identifying field", lambda e: {**e, "payload": {"story": "mara", "email": "a@b.c"}}),
    ("free text in an id field", lambda e: {**e, "payload": {"story": "Anna from Riga, 14"}}),
    ("short id", lambda e: {**e, "id": "abc"}),
    ("bad minute", lambda e: {**e, "at": "2026-13-45T09:30Z"}),
    ("negative offset", lambda e: {**e, "offset_ms": -5}),
    ("missing payload", lambda e: {k: v for k, v in e.items() if k != "payload"}),
    ("extra field", lambda e: {**e, "ip": "10.0.0.1"}),
    ("another kiosk's id", lambda e: {**e, "kiosk_id": uuid.uuid4().hex}),
]


@pytest.mark.parametrize("name, spoil", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_event_is_refused_alone_and_the_rest_stored(app, register_kiosk, name,
                                                                 spoil):
    token = register_kiosk()
    batch = a_session()
    batch[2] = spoil(batch[2])
    r = post(app.test_client(), token, {"events": batch})
    if name == "another kiosk's id":  # the kiosk's identity: the whole batch is refused
        assert r.status_code == 400 and r.json["error"]["code"] == "malformed_event"
        assert count(app) == 0 and count(app, FeedbackSession) == 0
        return
    assert r.status_code == 200, name
    [refused] = r.json["refused"]
    assert refused["code"] == "malformed_event" and refused["message"]
    assert refused["index"] == 2
    assert "a@b.c" not in refused["message"] and "Anna" not in refused["message"]
    assert len(r.json["stored"]) == len(batch) - 1 and r.json["received"] == len(batch)
    assert count(app) == len(batch) - 1 and count(app, FeedbackSession) == 1
    with database(app).session() as db:
        assert db.scalar(select(Kiosk.refused)) == 1


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b'{"events": "many"}', "application/json"),
    (b'{"events": [], "name": "x"}', "application/json"),
    (b"[1, 2]", "application/json"),
])
def test_a_malformed_request_is_refused(app, register_kiosk, body, content_type):
    token = register_kiosk()
    r = app.test_client().post("/api/v1/events", data=body, content_type=content_type,
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400 and r.is_json and r.json["error"]["message"]
    assert count(app) == 0


def test_events_of_a_kiosk_claimed_by_another_registration_are_refused(app, register_kiosk):
    first, second = register_kiosk("Hall 1"), register_kiosk("Hall 2")
    client = app.test_client()
    assert post(client, first, {"events": a_session()}).status_code == 200
    r = post(client, second, {"events": a_session()})
    assert r.status_code == 409 and r.json["error"]["code"] == "record_claimed"


def test_status_reports_update_the_kiosk(app, register_kiosk):
    token = register_kiosk()
    r = post(app.test_client(), token, {"pack_id": "demo", "pack_version": "2.1", "waiting": 0},
             path="/api/v1/status")
    assert r.status_code == 200 and r.json["kiosk"] == "Hall 1"
    bad = post(app.test_client(), token, {"waiting": -1}, path="/api/v1/status")
    assert bad.status_code == 400
    with database(app).session() as db:
        kiosk = db.scalar(select(Kiosk))
        assert (kiosk.pack_version, kiosk.waiting) == ("2.1", 0)


def test_the_openapi_document_describes_every_api_route(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.") and doc["servers"] == [{"url": "/api/v1"}]
    routes = {(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", r.rule.removeprefix("/api/v1")),
               m.lower()) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/") for m in r.methods - {"HEAD", "OPTIONS"}}
    described = {(p, m) for p, ops in doc["paths"].items() for m in ops}
    assert routes == described
    events = doc["paths"]["/events"]["post"]
    assert {"200", "400", "401", "403", "413"} <= set(events["responses"])
    assert doc["components"]["schemas"]["Event"]["properties"]["kind"]["enum"]
