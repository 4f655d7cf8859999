"""No text a pack, a member of staff or a kiosk supplies reaches a page as markup (issue 8).

A real ``<script>`` payload goes into everything the admin stores or shows that someone else
typed: the pack's and the story's titles, summary, scene text, choice label, ending, helpline
and content-note names (the pack's author); a user's display name, a kiosk's name, a school
session's note, media alt text, file name, tags and override reason, refused scene ids, a PO
file's ids and a bundle's file names (staff); a visitor's free text and event fields (a
kiosk, through the API). Then every GET route is read as every role: no HTML page holds
``<script``, the pages that show those texts show them escaped, and what is not HTML (JSON,
CSV, PO, the code file) is never served as HTML.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

from babel.messages.pofile import read_po, write_po
from PIL import Image

from admin.db import database
from admin.models import Role
from tests.content_admin.test_packs import _import, _zip
from tests.support.admin_pages import SAMPLE_ARGS, base_hash, csrf_from

PAYLOAD = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;"
QUOTED = """'<script>alert("x")</script>'"""


def _author_writes_payloads(pack_root):
    """The pack's author puts the payload in every kind of text a pack shows."""
    pack = pack_root / "pack.yaml"
    text = pack.read_text()
    for old, new in [("title: {sv: Testpaket, en: Test pack}",
                      f"title: {{sv: Testpaket, en: {QUOTED}}}"),
                     ('    name: "112"', f"    name: {QUOTED}"),
                     ("label: {sv: Hot, en: Threats}", f"label: {{sv: Hot, en: {QUOTED}}}")]:
        assert old in text, old
        text = text.replace(old, new)
    pack.write_text(text)
    story = pack_root / "stories" / "ana.yaml"
    text = story.read_text()
    for old in ["en: Ana's summer}", "en: A short test story.}", "en: Ana gets an offer.}",
                "en: Ask the friend}", "en: A friend who asked.}"]:
        assert old in text, old
        text = text.replace(old, f"en: {QUOTED}}}")
    story.write_text(text)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(buf, "PNG")
    return buf.getvalue()


def _form(client, url, page_url, **data):
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data},
                       content_type="multipart/form-data" if any(
                           isinstance(v, tuple) for v in data.values()) else None)


def _staff_write_payloads(app, as_role, pack_root):
    """Every form a member of staff types text into gets the payload."""
    admin = as_role(Role.ADMINISTRATOR)
    r = _form(admin, "/users/new", "/users/new", username="mallory", display_name=PAYLOAD,
              role="translator", languages="en", password="x" + PAYLOAD + "long", active="y")
    assert r.status_code == 302, r.get_data(as_text=True)
    r = _form(admin, "/kiosks/register", "/kiosks/", name=PAYLOAD)
    assert r.status_code == 200 and ESCAPED in r.get_data(as_text=True)
    pedagogue = as_role(Role.PEDAGOGUE)
    new = "/school-sessions/new?age_group=13-14&language=en"
    r = _form(pedagogue, new, new, day=dt.date.today().isoformat(), stories="ana",
              kiosks="1", label=PAYLOAD)
    assert r.status_code == 302, r.get_data(as_text=True)
    code = r.headers["Location"].rsplit("/", 1)[-1]
    editor = as_role(Role.EDITOR)
    for name, tags in [(PAYLOAD + ".png", PAYLOAD), ("chains.png", "chains")]:
        r = _form(editor, "/media/test/upload", "/media/test/", folder="images",
                  tags=tags, file=(io.BytesIO(_png()), name), **{"alt.sv": PAYLOAD})
        assert r.status_code == 303
    curator = as_role(Role.CURATOR)
    r = _form(curator, "/media/test/override", "/media/test/", path="images/chains.png",
              reason=PAYLOAD + " a reason")
    assert r.status_code == 303
    r = _form(editor, "/media/test/delete", "/media/test/", path="images/chains.png")
    assert r.status_code == 303  # deleted: its alt text stays in pack.yaml
    # Refusals that repeat what was typed: a scene id, a PO file's ids, a bundle's names.
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    r = editor.post("/stories/test/ana/scenes/friend/rename", data={
        "csrf_token": csrf_from(page), "base_hash": base_hash(page), "new_id": PAYLOAD},
        follow_redirects=True)
    assert ESCAPED in r.get_data(as_text=True)
    cat = read_po(io.BytesIO(editor.get("/translations/test/po/en.po").data))
    cat.add("Hej", PAYLOAD, context=PAYLOAD)
    buf = io.BytesIO()
    write_po(buf, cat, width=0)
    r = _form(editor, "/translations/test/po/en", "/translations/",
              po=(io.BytesIO(buf.getvalue()), PAYLOAD + ".po"))
    assert r.status_code == 422 and ESCAPED in r.get_data(as_text=True)
    entries = {"pack.yaml": b"id: x\n", f"media/{PAYLOAD}.png": b"x"}
    manifest = json.dumps({"format": 1, "pack_id": "test", "version": "9", "created": "x",
                           "files": {"pack.yaml": {"size": 6, "sha256": "0" * 64}}}).encode()
    r = _import(curator, _zip(entries, manifest), name=PAYLOAD + ".zip")
    assert r.status_code == 422 and ESCAPED in r.get_data(as_text=True)  # the refusal page
    return admin, code


def _kiosk_sends_payloads(app):
    """A registered kiosk sends a visitor's free text (refused: no pack asks for it); a bad
    event repeats its kind."""
    from admin.feedback import registry

    with database(app).session() as db:
        _kiosk, token = registry.register(db, "Hall " + PAYLOAD, None, "test")
        db.commit()
    auth = {"Authorization": f"Bearer {token}"}
    kiosk, sid = uuid.uuid4().hex, uuid.uuid4().hex

    def event(kind, offset, **payload):
        return {"id": uuid.uuid4().hex, "kiosk_id": kiosk, "session_id": sid,
                "at": f"{dt.date.today().isoformat()}T10:00Z", "offset_ms": offset,
                "kind": kind, "payload": payload}

    client = app.test_client()
    r = client.post("/api/v1/events", headers=auth, json={"events": [
        event("session_started", 0, pack="test", pack_version="1.0", language="en"),
        event("story_started", 10, story="ana"),
        event("free_text", 20, question="why", text=PAYLOAD, moderation="pending")]})
    # No pack asks for free text, so the API sets it aside (issue 17) and never stores it.
    body = r.get_json()
    assert r.status_code == 200 and len(body["stored"]) == 2, r.get_data(as_text=True)
    assert [x["code"] for x in body["refused"]] == ["free_text_not_asked"]
    r = client.post("/api/v1/events", headers=auth, json={"events": [event(PAYLOAD, 30)]})
    assert r.status_code == 200 and r.mimetype == "application/json"  # refused one by one
    assert len(r.get_json()["refused"]) == 1 and r.get_json()["stored"] == []


def test_no_supplied_text_reaches_any_page_as_markup(app, as_role, pack_root):
    _author_writes_payloads(pack_root)
    admin, code = _staff_write_payloads(app, as_role, pack_root)
    _kiosk_sends_payloads(app)
    with database(app).session() as db:
        from admin.models import User

        mallory = db.query(User).filter_by(username="mallory").one()
    samples = {**{k: f({"target": mallory}) for k, f in SAMPLE_ARGS.items()},
               "pack_id": "test", "story_id": "ana", "scene_id": "home", "code": code,
               "filename": "images/home.png", "revision_id": 1}
    clients = {"administrator": admin, **{r.value: as_role(r, languages="en") for r in Role
                                          if r != Role.ADMINISTRATOR}}
    extra = ["/translations/test/ana?target=en", "/preview/test/ana/home?lang=en",
             "/preview/test/ana/play?lang=en", "/school-sessions/guide/ana/en",
             "/media/test/?folder=images"]
    pages: dict[str, str] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})
        for who, client in clients.items():
            for u in [url] + [e for e in extra if e.split("?")[0] == url]:
                r = client.get(u)
                body = r.get_data().decode("utf-8", "replace")
                r.close()
                if r.mimetype == "text/html":
                    assert "<script" not in body, f"{u} as {who}"
                    pages[f"{u} {who}"] = body
                else:
                    assert PAYLOAD not in body or r.mimetype != "text/html", u
    shown = {key.split(" ")[0] for key, html in pages.items() if ESCAPED in html}
    for url in ["/users/", f"/users/{mallory.id}", "/kiosks/", f"/school-sessions/{code}",
                "/school-sessions/", "/media/test/", "/stories/", "/stories/test/ana",
                "/stories/test/ana/scenes/home", "/translations/test/ana?target=en",
                "/preview/test/ana/play?lang=en", "/audit/", "/translations/"]:
        assert url in shown, f"{url} does not show the supplied text (escaped)"
    assert len(pages) > 100
