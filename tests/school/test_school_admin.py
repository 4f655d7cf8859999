"""The admin's school-session area through its test client: preparing, the code, the kiosk
API, the code file, the teacher's guide and the results with small numbers suppressed."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest

from admin.models import utcnow
from admin.school import codes
from kiosk import school as kiosk_school
from tests.support.admin_pages import csrf_from
from tests.support.school import FEWER, PROTECTED

TODAY = dt.date.today()
LOOK_ALIKES = set("0O1IL5S2Z8B")


def create(client, group="13-14", language="en", stories=("emil", "samir"), day=TODAY,
           discussion=True):
    """POST step 2 of the form; returns the response."""
    url = f"/school-sessions/new?age_group={group}&language={language}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "day": day.isoformat(), "stories": list(stories),
            "kiosks": "2", "label": "8B"}
    if discussion:
        data["discussion"] = "y"
    return client.post(url, data=data)


def test_codes_use_no_look_alikes_and_normalise():
    assert not LOOK_ALIKES & set(codes.ALPHABET)
    assert len(codes.ALPHABET) == 25
    made = {codes.generate() for _ in range(500)}
    assert len(made) == 500 and all(codes.is_code(c) for c in made)
    assert codes.normalise(" hjk-mnp ") == "HJKMNP" and codes.is_code("hjk mnp")
    assert not codes.is_code("HJKMN0") and not codes.is_code("HJKMN")
    taken = set(list(made)[:1])
    assert codes.generate(lambda c: c in taken) not in taken
    with pytest.raises(RuntimeError):
        codes.generate(lambda c: True)


def test_only_a_pedagogue_prepares_sessions(app, as_role):
    for role in ("viewer", "editor", "translator", "administrator"):
        assert as_role(role).get("/school-sessions/").status_code == 403, role
    assert app.test_client().get("/school-sessions/").status_code == 302  # to the login page
    assert as_role("pedagogue").get("/school-sessions/").status_code == 200
    curator = as_role("curator")  # sees and closes sessions, prepares none
    assert curator.get("/school-sessions/").status_code == 200
    assert "Prepare a session" not in curator.get("/school-sessions/").get_data(as_text=True)
    assert curator.get("/school-sessions/new").status_code == 403


def test_a_session_gets_a_code_a_qr_code_and_only_stories_for_the_age(app, as_role):
    client = as_role("pedagogue")
    step2 = client.get("/school-sessions/new?age_group=13-14&language=sv").get_data(as_text=True)
    offered = re.findall(r'name="stories"[^>]*value="([^"]+)"', step2)
    assert offered == ["emil", "samir"]  # nadia has age_min 15
    older = client.get("/school-sessions/new?age_group=15-16&language=sv").get_data(as_text=True)
    assert "nadia" in re.findall(r'name="stories"[^>]*value="([^"]+)"', older)
    # A story above the age group, sent by hand, is refused and nothing is stored.
    refused = create(client, stories=("emil", "nadia"))
    assert refused.status_code == 200 and "is not a valid choice" in refused.get_data(as_text=True)
    made = create(client)
    assert made.status_code == 302
    code = made.headers["Location"].rsplit("/", 1)[-1]
    assert codes.is_code(code) and not LOOK_ALIKES & set(code)
    page = client.get(f"/school-sessions/{code}").get_data(as_text=True)
    assert code in page and "<svg" in page and "<script" not in page
    listing = client.get("/school-sessions/").get_data(as_text=True)
    assert code in listing and "8B" in listing
    from admin.db import database
    from admin.models import AuditEntry

    with database(app).session() as db:
        actions = [e.action for e in db.query(AuditEntry).all()]
    assert "school_session.create" in actions


def test_a_past_date_or_no_story_is_refused(as_role):
    client = as_role("pedagogue")
    past = create(client, day=TODAY - dt.timedelta(days=1))
    assert past.status_code == 200 and "The date has passed" in past.get_data(as_text=True)
    none = create(client, stories=())
    assert none.status_code == 200 and "Choose at least one story." in none.get_data(as_text=True)


def test_the_kiosk_api_answers_with_a_token_and_only_on_the_day(app, as_role):
    from admin.db import database
    from admin.feedback import registry
    from admin.models_school import SchoolSession

    client = as_role("pedagogue")
    code = create(client).headers["Location"].rsplit("/", 1)[-1]
    with database(app).session() as db:
        _kiosk, token = registry.register(db, "Hall 1", None, "test")
        db.add(SchoolSession(code="YYYYYY", day=TODAY - dt.timedelta(days=1), age_group="13-14",
                             language="en", pack="demo", stories="emil", discussion=False,
                             kiosks=1, label="", created_by="t"))
        db.commit()
    kiosk = app.test_client()
    assert kiosk.get(f"/api/v1/school-sessions/{code}").status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    ok = kiosk.get(f"/api/v1/school-sessions/{code.lower()}", headers=auth)
    assert ok.status_code == 200
    session = ok.get_json()["session"]
    assert session["code"] == code and session["stories"] == ["emil", "samir"]
    assert session["discussion"] is True and session["date"] == TODAY.isoformat()
    assert kiosk.get("/api/v1/school-sessions/YYYYYY", headers=auth).status_code == 410
    assert kiosk.get("/api/v1/school-sessions/HJKMNP", headers=auth).status_code == 404
    assert kiosk.get(f"/api/v1/school-sessions/{code}",
                     headers={"Authorization": token}).status_code == 401  # no "Bearer"
    with database(app).session() as db:
        from admin.models_feedback import Kiosk

        registry.revoke(db, db.query(Kiosk).one(), None, "test")
        db.commit()
    assert kiosk.get(f"/api/v1/school-sessions/{code}", headers=auth).status_code == 403


def test_the_code_file_is_signed_for_each_registered_kiosk(app, as_role):
    from admin.db import database
    from admin.feedback import registry

    client = as_role("pedagogue")
    code = create(client).headers["Location"].rsplit("/", 1)[-1]
    with database(app).session() as db:
        _k1, token1 = registry.register(db, "Hall 1", None, "test")
        k2, token2 = registry.register(db, "Hall 2", None, "test")
        registry.revoke(db, k2, None, "test")
        db.commit()
    r = client.get(f"/school-sessions/{code}/code-file.json")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    document = json.loads(r.get_data())
    assert document["session"]["code"] == code
    assert kiosk_school.verify(document, token1)
    assert not kiosk_school.verify(document, token2)  # revoked: not signed for it
    tampered = json.loads(r.get_data())
    tampered["session"]["stories"].append("nadia")
    assert not kiosk_school.verify(tampered, token1)


def test_the_teacher_guide_follows_the_school_version_in_each_language(as_role):
    client = as_role("pedagogue")
    guide = client.get("/school-sessions/guide/emil/sv").get_data(as_text=True)
    assert "Vad gjorde Sara och Maria oroliga?" in guide  # the discussion prompt
    # the pack's helplines (the demo base's EU-wide 112), in the guide's own language
    assert "Nödnummer" in guide and "112" in guide and "Grundregler" in guide
    assert "Hon pratar med Emil på tu man hand" in guide  # a choice at that point
    greek = client.get("/school-sessions/guide/emil/el").get_data(as_text=True)
    assert "Τι έκανε τη Σάρα και τη Μαρία να ανησυχήσουν;" in greek
    saved = client.get("/school-sessions/guide/emil/en?download=1")
    assert "attachment" in saved.headers["Content-Disposition"]
    assert "@media print" in saved.get_data(as_text=True)  # styles travel with the file
    assert client.get("/school-sessions/guide/nobody/en").status_code == 404


def _event(kiosk, session, kind, offset, **payload):
    return {"id": uuid.uuid4().hex, "kiosk_id": kiosk, "session_id": session,
            "at": f"{TODAY.isoformat()}T10:00Z", "offset_ms": offset, "kind": kind,
            "payload": payload}


def _visit(kiosk, code, choice, before, after):
    sid = uuid.uuid4().hex
    start = {"pack": "demo", "pack_version": "1.0.0", "language": "en"}
    if code:
        start["school_code"] = code
    return [
        _event(kiosk, sid, "session_started", 0, **start),
        _event(kiosk, sid, "survey_answer", 10, question="q_leave", answer=before,
               phase="before"),
        _event(kiosk, sid, "story_started", 20, story="emil"),
        _event(kiosk, sid, "choice_made", 30, story="emil", scene="teacher", choice=choice),
        _event(kiosk, sid, "story_finished", 40, story="emil", ending="end"),
        _event(kiosk, sid, "survey_answer", 50, question="q_leave", answer=after,
               phase="after"),
    ]


def publish_now(app, client, code):
    """Close the session and move the close back past the publication delay."""
    from sqlalchemy import select

    from admin.db import database
    from admin.models_school import SchoolSession
    from admin.school.publish import GRACE

    token = csrf_from(client.get(f"/school-sessions/{code}").get_data(as_text=True))
    assert client.post(f"/school-sessions/{code}/close",
                       data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    with database(app).session() as db:
        row = db.scalar(select(SchoolSession).where(SchoolSession.code == code))
        row.closed_at = utcnow() - GRACE - dt.timedelta(minutes=1)
        db.commit()


def test_results_suppress_small_cells_and_show_the_shift(app, as_role):
    from admin.db import database
    from admin.feedback import ingest

    client = as_role("pedagogue")
    code = create(client).headers["Location"].rsplit("/", 1)[-1]
    kiosk = uuid.uuid4().hex
    events = []
    # The class: 7 visits; 6 chose get-help, 1 talk-alone (a lone small cell: 6 is hidden too).
    for i in range(7):
        events += _visit(kiosk, code, "talk-alone" if i == 0 else "get-help",
                         4, 2 if i < 5 else 3)
    # All visitors: 9 talk-alone, 6 get-help; and another class that must not count.
    for i in range(15):
        events += _visit(kiosk, None, "talk-alone" if i < 9 else "get-help", 3, 3)
    for _ in range(5):
        events += _visit(kiosk, "CCCCCC", "talk-alone", 1, 1)
    with database(app).session() as db:
        ingest.store(db, [ingest.check_one(e) for e in events], "usb",
                     utcnow() - dt.timedelta(minutes=30))
        db.commit()
    publish_now(app, client, code)
    page = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)

    def cell(table_id, row_attr, column):
        table = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
        row = table.split(row_attr, 1)[1].split("</tr>", 1)[0]
        text = re.search(rf'class="{column}">(.*?)</td>', row, re.S).group(1)
        return re.sub(r"<[^>]+>", "", text).strip()

    assert re.search(r'id="sessions">\s*7', page)
    # the branching point is named by its scene's text ("Emil's teacher, Maria, ..."), not id
    assert re.search(r"<h3>[^<]* · [^<]*Maria[^<]*</h3>", page) and "· teacher</h3>" not in page
    # 1 talk-alone, 6 get-help: the 6 is hidden to protect the 1, and so is the total (7
    # minus a hidden 5 or more would leave the 1 at 1 or 2)
    assert cell("point-emil-teacher", 'data-choice="talk-alone"', "class") == FEWER
    assert cell("point-emil-teacher", 'data-choice="get-help"', "class") == PROTECTED
    assert cell("point-emil-teacher", 'class="total"', "class") == PROTECTED
    assert cell("point-emil-teacher", 'data-choice="talk-alone"', "all") == "9"
    assert cell("point-emil-teacher", 'data-choice="get-help"', "all") == "6"
    assert cell("point-emil-teacher", 'class="total"', "all") == "15"
    # Survey: before all 4 (7): unanimous, so hidden, zeros and mean too; after 2 x5 and
    # 3 x2 (the 2 hides the 5 with it).
    assert cell("q-q_leave", 'data-answer="4"', "before") == "hidden"
    assert cell("q-q_leave", 'data-answer="1"', "before") == "hidden"
    assert cell("q-q_leave", 'class="n"', "before") == "7"
    assert cell("q-q_leave", 'data-answer="2"', "after") == PROTECTED
    assert cell("q-q_leave", 'data-answer="3"', "after") == FEWER
    assert cell("q-q_leave", 'class="n"', "after") == PROTECTED
    assert cell("q-q_leave", 'class="mean"', "before") == "–"
    # The mean after would give the hidden cells away (7 answers, 2s and 3s, mean 2.29):
    # hidden, and with it the shift.
    assert cell("q-q_leave", 'class="mean"', "after") == "–"
    table = page.split('id="q-q_leave"', 1)[1].split("</table>", 1)[0]
    assert "2.29" not in table and "-1.71" not in table and "−1.71" not in table
    assert "CCCCCC" not in page


def test_change_goes_back_to_step_one_with_the_choices_kept(as_role):
    client = as_role("pedagogue")
    page = client.get("/school-sessions/new?age_group=15-16&language=it&back=1")
    html = page.get_data(as_text=True)
    assert 'name="stories"' not in html  # step 1 again
    assert '<option value="15-16" selected>' in html and '<option value="it" selected>' in html


def test_finished_is_hidden_when_started_minus_finished_is_small(app):
    from admin.db import database
    from admin.feedback import ingest
    from admin.school.results import session_results
    from kiosk.content import load_cached
    from tests.support.kiosk_driver import DEMO_PACK

    kiosk = uuid.uuid4().hex
    events = []
    for code, finishing in (("CDEFGH", 5), ("CDEFGJ", 0), ("CDEFGK", 7)):
        for i in range(7):
            visit = _visit(kiosk, code, "get-help", 4, 4)
            if i >= finishing:
                visit = [e for e in visit if e["kind"] != "story_finished"]
            events += visit
    with database(app).session() as db:
        ingest.store(db, [ingest.check_one(e) for e in events], "usb")
        db.commit()
        pack = load_cached(DEMO_PACK).pack
        rows = {code: session_results(db, code, pack).stories for code in
                ("CDEFGH", "CDEFGJ", "CDEFGK")}
    # 7 - 5 = 2 did not finish: the 5 is hidden, and not called "fewer than 5"
    assert rows["CDEFGH"] == [("emil", 7, "protected")]
    assert rows["CDEFGJ"] == [("emil", 7, 0)]  # nobody finished: 7 - 0 is no small number
    assert rows["CDEFGK"] == [("emil", 7, 7)]


def test_a_session_is_seen_and_closed_only_by_its_pedagogue_or_a_curator(app, as_role):
    """Issue 17: another pedagogue gets 404 on every page of the session and on its close;
    a curator (all content) sees and closes any; an administrator (accounts) none."""
    from admin.db import database
    from admin.models_school import SchoolSession

    owner, other = as_role("pedagogue"), as_role("pedagogue")
    curator, administrator = as_role("curator"), as_role("administrator")
    code = create(owner).headers["Location"].rsplit("/", 1)[-1]
    pages = [f"/school-sessions/{code}", f"/school-sessions/{code}/results",
             f"/school-sessions/{code}/code-file.json"]
    for page in pages:
        assert owner.get(page).status_code != 404, page
        assert other.get(page).status_code == 404, page
        assert administrator.get(page).status_code == 403, page
        assert curator.get(page).status_code != 404, page
    assert code in owner.get("/school-sessions/").get_data(as_text=True)
    assert code not in other.get("/school-sessions/").get_data(as_text=True)
    assert code in curator.get("/school-sessions/").get_data(as_text=True)

    def close(client):
        token = csrf_from(client.get("/school-sessions/").get_data(as_text=True))
        return client.post(f"/school-sessions/{code}/close", data={"csrf_token": token,
                                                                  "confirm": "yes"})

    def closed() -> bool:
        with database(app).session() as db:
            return db.query(SchoolSession).filter_by(code=code).one().closed_at is not None

    assert close(other).status_code == 404 and not closed()
    assert close(curator).status_code == 302 and closed()
    assert curator.get("/school-sessions/new").status_code == 403  # preparing is the pedagogue's


def test_closing_a_session_asks_for_a_ticked_confirmation_first(app, as_role):
    """Issue 19: the close button sits beside a required checkbox (no script confirm());
    a close without it is refused with a sentence and the code keeps working."""
    from admin.db import database
    from admin.models_school import SchoolSession

    owner = as_role("pedagogue")
    code = create(owner).headers["Location"].rsplit("/", 1)[-1]
    page = owner.get(f"/school-sessions/{code}").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" id="confirm-close" name="confirm"[^>]*required',
                     page)
    token = csrf_from(page)

    def closed() -> bool:
        with database(app).session() as db:
            return db.query(SchoolSession).filter_by(code=code).one().closed_at is not None

    r = owner.post(f"/school-sessions/{code}/close", data={"csrf_token": token})
    assert r.status_code == 400 and not closed()
    assert "Not closed: tick the box" in r.get_data(as_text=True)
    r = owner.post(f"/school-sessions/{code}/close", data={"csrf_token": token,
                                                          "confirm": "yes"})
    assert r.status_code == 302 and closed()
