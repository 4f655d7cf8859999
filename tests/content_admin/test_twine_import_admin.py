"""An editor imports a story from a Twine file on the Stories page: preview, then import.

Expected values come from the fixture `tests/fixtures/twine/admin_import.twee` as its
author wrote it (passage names, links, tags, the line of its one unsupported macro).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import yaml

from admin.db import database
from admin.models import AuditEntry
from admin.models_content import Revision
from kiosk.content import load_pack

URL = "/stories/test/import-twine"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twine"
TWEE = (FIXTURES / "admin_import.twee").read_bytes()


def _token(client) -> str:
    page = client.get(URL).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _upload(client, raw: bytes, name: str, **fields):
    data = {"csrf_token": _token(client), "step": "preview", "lang": "sv", **fields,
            "file": (io.BytesIO(raw), name)}
    return client.post(URL, data=data, content_type="multipart/form-data")


def _carried(page: str) -> dict:
    """The fields the preview page sends back, as a browser would send them."""
    source = re.search(r'<textarea name="source" hidden>(.*?)</textarea>', page, re.S).group(1)
    source = html.unescape(source)[1:]  # the parser drops the newline after <textarea>
    return {"source": source.replace("\n", "\r\n"),
            "filename": re.search(r'name="filename" value="([^"]*)"', page).group(1)}


def _stories(pack_root: Path) -> list[str]:
    return sorted(p.name for p in (pack_root / "stories").iterdir())


def test_the_stories_page_offers_the_import_to_editors(editor):
    page = editor.get("/stories/").get_data(as_text=True)
    assert URL in page and "Import from Twine" in page
    form = editor.get(URL).get_data(as_text=True)
    assert 'type="file"' in form and 'enctype="multipart/form-data"' in form
    # the pack's languages by name, its default (sv) chosen
    assert '<option value="sv" selected>Svenska (sv)</option>' in form
    assert '<option value="en" >English (en)</option>' in form


def test_the_preview_shows_scenes_choices_endings_and_warnings_and_writes_nothing(
        editor, pack_root, app):
    before = _stories(pack_root)
    r = _upload(editor, TWEE, "night.twee")
    page = r.get_data(as_text=True)
    assert r.status_code == 200, page
    assert 'value="nadia-s-night-shift"' in page  # the id, made from the Twine title
    rows = re.findall(r'<tr id="scene-([a-z0-9-]+)">', page)
    assert rows == ["the-kitchen", "pay-day", "the-office", "help", "home"]
    assert "Watch the manager → <code>the-office</code>" in page
    assert "Call the helpline → <code>help</code>" in page and "if: noticed</code>" in page
    assert page.count("<strong>Ending</strong>") == 2
    # the <<audio>> macro, passage "The Office", line 20 of the file
    warning = re.search(r"<li class=\"warning\">.*?</li>", page, re.S).group(0)
    assert "The Office" in warning and "audio" in warning and "night.twee:20" in warning
    # the validator, on the story file as it would be written: no summary given yet
    checked = page.split('id="h-checked"', 1)[1].split("</section>", 1)[0]
    assert "the story needs &#34;summary&#34;" in checked
    r = editor.post(URL, data={"csrf_token": _token(editor), "step": "preview", "lang": "sv",
                               "story_id": "nadias-night", "summary": "Nadia i köket.",
                               **_carried(page)})
    checked = r.get_data(as_text=True).split('id="h-checked"', 1)[1].split("</section>", 1)[0]
    assert "summary" not in checked and "consent" in checked  # the draft error, then
    assert "stories/nadias-night.yaml" in checked
    assert _stories(pack_root) == before
    with database(app).session() as db:
        assert db.query(Revision).count() == 0


def test_import_writes_the_story_through_the_new_story_save_and_opens_its_settings(
        editor, pack_root, app):
    page = _upload(editor, TWEE, "night.twee").get_data(as_text=True)
    r = editor.post(URL, data={"csrf_token": _token(editor), "step": "import", "lang": "sv",
                               "story_id": "nadias-night", "summary": "Nadia i köket.",
                               "duration": "4", "age_min": "14", **_carried(page)})
    assert r.status_code == 303, r.get_data(as_text=True)
    assert r.headers["Location"].endswith("/stories/test/nadias-night/settings")
    story = yaml.safe_load((pack_root / "stories" / "nadias-night.yaml").read_text("utf-8"))
    assert story["id"] == "nadias-night" and story["title"] == {"sv": "Nadia's Night Shift"}
    assert (story["summary"], story["duration"], story["age_min"]) == (
        {"sv": "Nadia i köket."}, 4, 14)
    assert story["start"] == "the-kitchen" and story["variables"] == {"noticed": False}
    s = story["scenes"]
    assert list(s) == ["the-kitchen", "pay-day", "the-office", "help", "home"]
    assert s["the-kitchen"]["text"] == {"sv": "Nadia washes plates at midnight."}
    assert s["the-kitchen"]["content_notes"] == ["threats"]  # a tag in the pack's notes
    assert s["the-kitchen"]["choices"] == [
        {"label": {"sv": "Ask about the pay"}, "goto": "pay-day"},
        {"label": {"sv": "Watch the manager"}, "goto": "the-office", "set": {"noticed": True}}]
    assert s["pay-day"]["choices"] == [
        {"label": {"sv": "Call the helpline"}, "goto": "help", "if": "noticed"},
        {"label": {"sv": "Go home"}, "goto": "home"}]
    assert s["the-office"]["next"] == "pay-day"
    assert s["help"]["ending"] is True and s["home"]["ending"] is True
    loaded = load_pack(pack_root)
    assert "nadias-night" in loaded.pack.stories
    errors = {f.code for f in loaded.findings if f.file == "stories/nadias-night.yaml"
              and f.severity == "error"}
    assert errors == {"consent-missing"}  # a draft: its settings page asks for consent
    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert (rev.before, rev.file) == ("", "stories/nadias-night.yaml")
        assert db.query(AuditEntry).filter_by(action="story.create").count() == 1
    settings = editor.get("/stories/test/nadias-night/settings").get_data(as_text=True)
    assert "no consent on record" in settings


def test_a_refused_file_shows_the_sentence_and_changes_nothing(editor, pack_root, app):
    before = _stories(pack_root)
    for raw, name, says in ((b"just some notes\n", "notes.txt", "neither Twee"),
                            (b"<html><body>hi</body></html>", "page.html", "no Twine story"),
                            (b"\xff\xfe:: A\n", "bad.twee", "not UTF-8")):
        r = _upload(editor, raw, name)
        page = r.get_data(as_text=True)
        assert r.status_code == 400 and says in page and "Traceback" not in page
    r = editor.post(URL, data={"csrf_token": _token(editor), "step": "import", "lang": "sv",
                               "story_id": "x", "summary": "S", "source": "nothing",
                               "filename": "n.txt"})
    assert r.status_code == 400 and "neither Twee" in r.get_data(as_text=True)
    assert _stories(pack_root) == before
    with database(app).session() as db:
        assert db.query(Revision).count() == 0


def test_a_taken_id_or_no_summary_is_refused_and_nothing_is_written(editor, pack_root):
    page = _upload(editor, TWEE, "night.twee").get_data(as_text=True)
    before = _stories(pack_root)
    for story_id, summary, says in (("ana", "S", "already has a story"),
                                    ("nadias-night", " ", "needs a title, a summary")):
        r = editor.post(URL, data={"csrf_token": _token(editor), "step": "import",
                                   "lang": "sv", "story_id": story_id, "summary": summary,
                                   **_carried(page)})
        assert r.status_code == 400 and says in r.get_data(as_text=True)
    assert _stories(pack_root) == before


def test_a_library_archive_lets_the_editor_pick_the_story(editor):
    raw = (FIXTURES / "library.html").read_bytes()
    page = _upload(editor, raw, "library.html").get_data(as_text=True)
    assert '<option value="First" selected>' in page and '<option value="Second"' in page
    assert re.findall(r'<tr id="scene-([a-z0-9-]+)">', page) == ["one", "two"]
    r = editor.post(URL, data={"csrf_token": _token(editor), "step": "preview", "lang": "sv",
                               "name": "Second", "story_id": "", **_carried(page)})
    page = r.get_data(as_text=True)
    assert re.findall(r'<tr id="scene-([a-z0-9-]+)">', page) == ["alpha"]
    assert 'value="second"' in page



def test_without_the_csrf_token_or_over_the_request_limit_nothing_is_read(editor, pack_root,
                                                                         app):
    before = _stories(pack_root)
    r = editor.post(URL, data={"step": "preview", "lang": "sv",
                               "file": (io.BytesIO(TWEE), "night.twee")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "nadia-s-night-shift" not in r.get_data(as_text=True)
    big = TWEE + b"\n:: Filler\n" + b"x" * app.config["MAX_REQUEST_BYTES"]
    r = _upload(editor, big, "big.twee")
    assert r.status_code == 413 and "Traceback" not in r.get_data(as_text=True)
    assert _stories(pack_root) == before
