"""Generated bodies, following the OpenAPI schema and breaking it: the API always answers
JSON and never a 5xx (issue 17)."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.record.kinds import KINDS
from tests.feedback.test_feedback_api import event

HEX = st.text("0123456789abcdef", min_size=32, max_size=32)
ANY_TEXT = st.text(st.characters(codec=None), max_size=40)  # lone surrogates included
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)


def mostly(good, bad):
    """`good` four times in five, else `bad`: most events get far enough to test the rest."""
    return st.integers(0, 4).flatmap(lambda i: bad if i == 4 else good)


IDS = st.sampled_from(["mara", "s1", "0701234567", "Mara", "", "x" * 70]) | ANY_TEXT
PAYLOADS = st.dictionaries(st.sampled_from(["story", "scene", "choice", "ending", "question",
                                            "answer", "phase", "text", "moderation", "pack",
                                            "pack_version", "language", "reason", "value"]),
                           IDS | JSONISH, max_size=5)
EVENTS = st.builds(
    lambda base, kind, payload, at, offset, drop, extra: {
        **{k: v for k, v in {**base, "kind": kind, "payload": payload, "at": at,
                             "offset_ms": offset}.items() if k != drop}, **extra},
    st.just(None).map(lambda _none: event()),
    mostly(st.sampled_from(sorted(KINDS)), ANY_TEXT),
    mostly(PAYLOADS, JSONISH),
    mostly(st.just("2026-11-28T09:30Z"),
           st.sampled_from(["2026-02-31T10:00Z", "0000-01-01T00:00Z"]) | ANY_TEXT),
    mostly(st.integers(0, 10**6), st.integers(-10, 10**10) | JSONISH),
    mostly(st.none(), st.sampled_from(["id", "payload", "kind"])),
    mostly(st.just({}), st.dictionaries(st.sampled_from(["seq", "ip", "name"]), JSONISH,
                                        min_size=1, max_size=1)))
STATUS = st.none() | st.fixed_dictionaries({}, optional={
    "pack_id": IDS | JSONISH, "pack_version": IDS | JSONISH,
    "waiting": st.integers(-5, 10**12) | JSONISH})
BODIES = mostly(st.fixed_dictionaries({"events": st.lists(EVENTS, max_size=6)},
                                      optional={"status": STATUS}),
                st.fixed_dictionaries({"events": JSONISH}, optional={"extra": JSONISH})
                | JSONISH)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=BODIES, path=st.sampled_from(["/api/v1/events", "/api/v1/status"]))
def test_any_body_gets_a_json_answer_never_a_5xx(app, register_kiosk, body, path):
    if not hasattr(app, "fuzz_token"):
        app.fuzz_token = register_kiosk(f"fuzz {uuid.uuid4().hex[:6]}")
        app.config["PROPAGATE_EXCEPTIONS"] = False
        app.config["API_RATE_LIMIT"] = 10**6
    # json.dumps escapes lone surrogates as \\udxxx: valid JSON text that decodes to them.
    raw = json.dumps(body, allow_nan=True)
    r = app.test_client().post(path, data=raw, content_type="application/json",
                               headers={"Authorization": f"Bearer {app.fuzz_token}"})
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    assert r.is_json
    answer = r.json
    if r.status_code == 200 and path.endswith("/events"):
        assert set(answer) == {"stored", "duplicates", "refused", "received"}
        assert answer["received"] == len(body["events"])
        assert len(answer["stored"]) + len(answer["duplicates"]) + len(answer["refused"]) \
            == len(body["events"])
    elif r.status_code != 200:
        assert answer["error"]["code"] and answer["error"]["message"]
