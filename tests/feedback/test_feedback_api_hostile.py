"""The sync API against hostile input (issue 17): whoever holds a token stores only what a
kiosk may record, every refusal is JSON with a documented code, and nothing gives a 500."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from sqlalchemy import select, text

from admin import create_app
from admin.db import database
from admin.feedback import registry
from admin.models_feedback import FeedbackEvent, Kiosk
from kiosk.record import Recorder
from kiosk.record.kinds import EventRefused
from tests.feedback.test_feedback_api import a_session, count, event, post

EMAILS = ["write to anna.k@example.org", "anna (at) example (dot) org",
          "ANNA @ EXAMPLE . ORG please"]
PHONES = ["call me +46 70-123 45 67", "0701234567", "(555) 123-4567 after six",
          "٠٧٠١٢٣٤٥٦٧"]  # Arabic-Indic digits are digits too


def free_text(session: str, text_value: str, question: str = "q-why") -> dict:
    return event("free_text", {"question": question, "text": text_value,
                               "moderation": "pending"}, session)


def test_free_text_for_a_question_no_pack_asks_is_refused_and_the_rest_stored(
        app, register_kiosk):
    token = register_kiosk()
    batch = a_session()
    batch.insert(2, free_text(batch[0]["session_id"], "It made me think of my cousin"))
    r = post(app.test_client(), token, {"events": batch})
    assert r.status_code == 200
    assert [(x["index"], x["code"]) for x in r.json["refused"]] == [(2, "free_text_not_asked")]
    assert r.json["refused"][0]["event_id"] == batch[2]["id"]
    assert len(r.json["stored"]) == len(batch) - 1
    with database(app).session() as db:
        assert db.scalar(select(FeedbackEvent).where(FeedbackEvent.kind == "free_text")) is None


@pytest.mark.parametrize("value", EMAILS + PHONES)
def test_free_text_with_an_email_or_phone_number_is_refused_as_identifying(
        app, register_kiosk, value):
    token = register_kiosk()
    batch = a_session()
    batch.append(free_text(batch[0]["session_id"], value))
    r = post(app.test_client(), token, {"events": batch})
    [refused] = r.json["refused"]
    assert refused["code"] == "identifying_text", value
    kind = "an e-mail address" if value in EMAILS else "a phone number"
    assert kind in refused["message"]
    assert not any(part in refused["message"] for part in re.findall(r"\w{3,}", value)
                   if part not in ("free", "text"))


@pytest.mark.parametrize("value", EMAILS + PHONES)
def test_the_kiosk_refuses_the_same_free_text_before_recording_it(tmp_path, value):
    with Recorder.open(tmp_path / "kiosk", batch_interval=0.01) as rec:
        session = rec.begin_session("demo", "1.0.0", "sv", free_text_questions={"q-why"})
        with pytest.raises(EventRefused, match="could identify"):
            session.record("free_text", question="q-why", text=value)
        session.record("free_text", question="q-why", text="I was 14 in 2019, like her")


def test_the_kiosk_refuses_free_text_with_a_lone_surrogate(tmp_path):
    with Recorder.open(tmp_path / "kiosk", batch_interval=0.01) as rec:
        session = rec.begin_session("demo", "1.0.0", "sv", free_text_questions={"q-why"})
        with pytest.raises(EventRefused, match="wrong form"):
            session.record("free_text", question="q-why", text="half \ud800 a character")


@pytest.mark.parametrize("field, value", [
    ("story", "0701234567"), ("story", "070-123-45-67"), ("story", "46701234567"),
    ("story", "Mara"), ("story", "mara\n"), ("story", "m" * 65)])
def test_id_fields_take_only_content_ids(app, register_kiosk, field, value):
    token = register_kiosk()
    batch = a_session()
    batch[1]["payload"][field] = value
    r = post(app.test_client(), token, {"events": batch})
    assert [x["index"] for x in r.json["refused"]] == [1]
    assert value.strip() not in r.json["refused"][0]["message"]


@pytest.mark.parametrize("at", ["2026-02-31T10:00Z", "0000-01-01T00:00Z", "2026-04-31T10:00Z",
                                "2026-11-28T09:30Z\n", "２０２６-11-28T09:30Z"])
def test_impossible_dates_are_refused(app, register_kiosk, at):
    token = register_kiosk()
    batch = a_session()
    batch[1]["at"] = at
    r = post(app.test_client(), token, {"events": batch})
    assert [(x["index"], x["code"]) for x in r.json["refused"]] == [(1, "malformed_event")]


def test_a_leap_day_is_a_real_date(app, register_kiosk):
    batch = a_session()
    batch[1]["at"] = "2028-02-29T23:59Z"
    r = post(app.test_client(), register_kiosk(), {"events": batch})
    assert r.json["refused"] == [] and len(r.json["stored"]) == len(batch)


@pytest.fixture
def limited_app(tmp_path, database_url):
    """An app whose tokens may make 3 requests a minute."""
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url,
                      "API_RATE_LIMIT": 3})
    database(app).migrate()
    yield app
    database(app).dispose()


def test_each_token_is_limited_per_minute_with_a_json_429(limited_app):
    with database(limited_app).session() as db:
        _k, first = registry.register(db, "Hall 1", None, actor_name="test")
        _k, second = registry.register(db, "Hall 2", None, actor_name="test")
        db.commit()
    client = limited_app.test_client()
    status = {"pack_id": "demo", "pack_version": "1.0.0", "waiting": 0}
    answers = [post(client, first, status, path="/api/v1/status") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    late = answers[-1]
    assert late.is_json and late.json["error"]["code"] == "rate_limited"
    assert 1 <= int(late.headers["Retry-After"]) <= 60
    assert late.json["error"]["retry_after"] == int(late.headers["Retry-After"])
    events = post(client, first, {"events": a_session()})  # events count too, nothing stored
    assert events.status_code == 429 and count(limited_app) == 0
    assert post(client, second, status, path="/api/v1/status").status_code == 200


def test_a_lone_surrogate_is_refused_as_json(app, register_kiosk):
    token = register_kiosk()
    client = app.test_client()
    batch = a_session()
    batch.append(free_text(batch[0]["session_id"], "x"))
    batch.append(event("story_started", {"story": "mara"}, batch[0]["session_id"]))
    body = json.dumps({"events": batch})
    body = body.replace('"text": "x"', '"text": "\\ud800 alone"')
    body = body.replace('"kind": "story_started", "payload": {"story": "mara"}}]',
                        '"kind": "story_\\udfff", "payload": {"story\\ud800": "mara"}}]')
    r = client.post("/api/v1/events", data=body, content_type="application/json",
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.is_json
    assert [x["index"] for x in r.json["refused"]] == [len(batch) - 2, len(batch) - 1]
    # The same surrogate encoded into the bytes (not valid UTF-8).
    raw = json.dumps({"events": []}).encode().replace(b"[]", b'["\xed\xa0\x80"]')
    r = client.post("/api/v1/events", data=raw, content_type="application/json",
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_request"


@pytest.mark.parametrize("where", ["body", "payload"])
def test_a_body_nested_100000_deep_is_refused_as_json(app, register_kiosk, where):
    deep = "[" * 100_000 + "]" * 100_000
    body = (f'{{"events": {deep}}}' if where == "body" else
            json.dumps({"events": [event()]}).replace('{"story": "mara"}', deep))
    r = app.test_client().post("/api/v1/events", data=body, content_type="application/json",
                               headers={"Authorization": f"Bearer {register_kiosk()}"})
    assert r.status_code == 400 and r.is_json
    assert r.json["error"]["code"] == "malformed_request"


def _assert_refusal(r, status, code):
    assert r.status_code == status, r.get_data(as_text=True)[:200]
    assert r.mimetype == "application/json"
    assert r.json["error"]["code"] == code and r.json["error"]["message"]


def test_every_refusal_under_the_api_is_json_with_its_documented_code(app, register_kiosk):
    token = register_kiosk()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    _assert_refusal(client.get("/api/v1/nowhere"), 404, "not_found")
    _assert_refusal(client.get("/api/v1"), 404, "not_found")
    r = client.get("/api/v1/events", headers=auth)
    _assert_refusal(r, 405, "method_not_allowed")
    assert "POST" in {m.strip() for m in r.headers["Allow"].split(",")}
    r = client.delete("/api/v1/openapi.json")
    _assert_refusal(r, 405, "method_not_allowed")
    assert "GET" in r.headers["Allow"]
    _assert_refusal(client.post("/api/v1/events", data=b"events=1", headers=auth,
                                content_type="application/x-www-form-urlencoded"),
                    415, "not_json")
    big = b'{"events": [], "pad": "' + b"x" * (app.config["MAX_REQUEST_BYTES"] + 10) + b'"}'
    _assert_refusal(client.post("/api/v1/events", data=big, headers=auth,
                                content_type="application/json"), 413, "request_too_large")
    doc = client.get("/api/v1/openapi.json").json
    documented = doc["paths"]["/events"]["post"]["responses"]
    assert {"404", "405", "413", "415", "429", "500"} <= set(documented)
    # The admin's own pages keep their HTML error pages.
    page = client.get("/nowhere")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_failure_of_the_server_is_a_json_500(app, register_kiosk):
    token = register_kiosk()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error handler answers
    with database(app).session() as db:  # a real failure: the events table is gone
        db.execute(text("DROP TABLE feedback_events CASCADE" if db.get_bind().dialect.name
                        == "postgresql" else "DROP TABLE feedback_events"))
        db.commit()
    r = post(app.test_client(), token, {"events": a_session()})
    _assert_refusal(r, 500, "internal_error")


PACK_IDS = ["demo", "se-2026", "a_b", "Demo", "0701234567", "demo.v2", "x" * 64, "x" * 65, ""]
VERSIONS = ["1.0.0", "2.1+build.7", "1.0 beta", "v1/2", "1" * 40, "1" * 41]


def test_the_openapi_status_schema_says_what_the_server_takes(app, register_kiosk):
    token = register_kiosk()
    client = app.test_client()
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]["Status"]
    props = schema["properties"]

    def documented(name, value):
        spec = props[name]
        return bool(re.search(spec["pattern"], value)) and len(value) <= spec.get(
            "maxLength", 10**9)

    for name, values in (("pack_id", PACK_IDS), ("pack_version", VERSIONS)):
        for value in values:
            r = post(client, token, {name: value}, path="/api/v1/status")
            assert (r.status_code == 200) == documented(name, value), (name, value)
    assert "null" in props["pack_id"]["type"]
    assert post(client, token, {"pack_id": None, "pack_version": None},
                path="/api/v1/status").status_code == 200
    # "status": null is accepted by the server and by the document.
    assert post(client, token, {"events": [], "status": None}).status_code == 200
    body = client.get("/api/v1/openapi.json").json["paths"]["/events"]["post"]
    status_schema = body["requestBody"]["content"]["application/json"]["schema"]
    assert {"type": "null"} in status_schema["properties"]["status"]["oneOf"]
    ok = body["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["properties"]["refused"]["items"] == {"$ref": "#/components/schemas/RefusedEvent"}


def test_the_kiosks_page_shows_how_many_events_were_refused(app, register_kiosk, as_role):
    token = register_kiosk()
    batch = a_session()
    batch.append(free_text(batch[0]["session_id"], "mail anna@example.org"))
    batch.append(free_text(batch[0]["session_id"], "it was sad"))
    assert len(post(app.test_client(), token, {"events": batch}).json["refused"]) == 2
    page = as_role("curator").get("/kiosks/").get_data(as_text=True)
    assert '<td class="refused">2</td>' in page
    with database(app).session() as db:
        assert db.scalar(select(Kiosk.refused)) == 2


def test_a_kiosk_id_with_a_trailing_newline_is_not_a_kiosk_id(app, register_kiosk):
    batch = a_session()
    for e in batch:
        e["kiosk_id"] += "\n"
    r = post(app.test_client(), register_kiosk(), {"events": batch})
    assert r.status_code == 200 and len(r.json["refused"]) == len(batch)
    assert count(app) == 0


def test_an_unknown_event_id_is_never_echoed_as_an_event_id(app, register_kiosk):
    batch = a_session()
    batch[1]["id"] = "0701234567"
    r = post(app.test_client(), register_kiosk(), {"events": batch})
    [refused] = r.json["refused"]
    assert "event_id" not in refused and refused["index"] == 1
    assert str(uuid.UUID(batch[0]["id"]).hex) in r.json["stored"]
