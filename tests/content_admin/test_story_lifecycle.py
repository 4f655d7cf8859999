"""A curator starts a story from blank or as a copy, deletes one to the trash and restores it."""

from __future__ import annotations

import re

import yaml

from admin.db import database
from admin.models import AuditEntry, Role
from admin.models_content import Revision
from kiosk.content import load_pack
from tests.support.admin_pages import base_hash

NEW = "/stories/test/new"


def _post(client, url, data, **kw):
    """POST as a browser would: with the CSRF token of the page the form is on."""
    page = client.get("/stories/test/ana").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(url, data={**data, "csrf_token": token}, **kw)


def test_a_blank_story_gets_its_id_from_the_title_and_a_first_scene(editor, pack_root, app):
    r = _post(editor, NEW, data={"title": "Nadias väg", "story_id": "", "copy_of": "",
                               "summary": "En ny berättelse.\r\n\r\nOm en annons.",
                               "duration": "6", "age_min": "15",
                               "text": "Nadia läser annonsen."})
    assert r.status_code == 303, r.get_data(as_text=True)
    assert r.headers["Location"].endswith("/stories/test/nadias-vag/settings")
    story = yaml.safe_load((pack_root / "stories" / "nadias-vag.yaml").read_text("utf-8"))
    assert story["id"] == "nadias-vag" and story["title"] == {"sv": "Nadias väg"}  # pack: sv
    assert story["summary"] == {"sv": "En ny berättelse.\n\nOm en annons.\n"}
    assert (story["duration"], story["age_min"], story["start"]) == (6, 15, "start")
    assert story["scenes"] == {"start": {"text": {"sv": "Nadia läser annonsen."},
                                         "ending": True}}
    loaded = load_pack(pack_root)
    assert "nadias-vag" in loaded.pack.stories
    errors = {f.code for f in loaded.findings if f.file == "stories/nadias-vag.yaml"
              and f.severity == "error"}
    assert errors == {"consent-missing"}  # a draft until its consent is on record
    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert (rev.before, rev.file) == ("", "stories/nadias-vag.yaml")
        assert db.query(AuditEntry).filter_by(action="story.create").count() == 1
    page = editor.get("/stories/test/nadias-vag/settings").get_data(as_text=True)
    assert "no consent on record" in page


def test_a_new_story_is_refused_with_a_taken_or_bad_id_and_nothing_is_written(editor,
                                                                            pack_root):
    before = sorted(p.name for p in (pack_root / "stories").iterdir())
    for story_id, why in (("ana", "already has a story"), ("Ana Två", "is not a story id")):
        r = _post(editor, NEW, data={"title": "X", "story_id": story_id, "copy_of": "",
                                   "summary": "S", "text": "T"})
        assert r.status_code == 400 and why in r.get_data(as_text=True)
    r = _post(editor, NEW, data={"title": "Ηλένη", "story_id": "", "copy_of": "", "summary": "S",
                               "text": "T"})  # no Latin letters to make an id from
    assert r.status_code == 400 and "give the story an id" in r.get_data(as_text=True)
    r = _post(editor, NEW, data={"title": "Bad", "story_id": "bad", "copy_of": "",
                               "summary": "S", "text": "T", "age_min": "200"})
    assert r.status_code == 422  # the validator's finding: age_min is at most 99
    assert sorted(p.name for p in (pack_root / "stories").iterdir()) == before


def test_a_copy_keeps_everything_under_its_new_id(curator, pack_root):
    r = _post(curator, NEW, data={"copy_of": "ana", "story_id": "ana-lv", "title": "Anas vasara"})
    assert r.status_code == 303, r.get_data(as_text=True)
    old = yaml.safe_load((pack_root / "stories" / "ana.yaml").read_text("utf-8"))
    new = yaml.safe_load((pack_root / "stories" / "ana-lv.yaml").read_text("utf-8"))
    assert new["id"] == "ana-lv" and new["title"] == {"sv": "Anas vasara", "en": "Ana's summer"}
    assert new["scenes"] == old["scenes"] and new["consent"] == old["consent"]
    loaded = load_pack(pack_root)
    assert not [f for f in loaded.findings if f.severity == "error"]


def test_delete_moves_a_story_to_the_trash_and_restore_brings_it_back(editor, pack_root, app):
    path = pack_root / "stories" / "ana.yaml"
    text = path.read_text("utf-8")
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    r = _post(editor, "/stories/test/ana/delete", data={"base_hash": base_hash(page)})
    assert r.status_code == 303 and not path.exists()
    assert editor.get("/stories/test/ana").status_code == 404
    trash = editor.get("/stories/test/trash").get_data(as_text=True)
    assert "stories/ana.yaml" in trash and editor.user.username in trash
    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert (rev.before, rev.after) == (text, "")
        assert db.query(AuditEntry).filter_by(action="story.delete").count() == 1
    url = f"/stories/test/trash/{rev.id}/restore"
    r = _post(editor, url, data={"confirm": "1"})
    assert r.status_code == 303 and path.read_text("utf-8") == text
    assert "stories/ana.yaml" not in editor.get("/stories/test/trash").get_data(as_text=True)
    r = _post(editor, url, data={"confirm": "1"}, follow_redirects=True)
    assert "not in the trash" in r.get_data(as_text=True)
    with database(app).session() as db:
        assert db.query(AuditEntry).filter_by(action="story.restore").count() == 1


def test_a_restore_never_replaces_a_story_made_since(editor, pack_root, app):
    path = pack_root / "stories" / "ana.yaml"
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    _post(editor, "/stories/test/ana/delete", data={"base_hash": base_hash(page)})
    path.write_text("id: ana\n", encoding="utf-8")  # someone made a file of that name since
    with database(app).session() as db:
        rev_id = db.query(Revision).one().id
    r = _post(editor, f"/stories/test/trash/{rev_id}/restore", data={"confirm": "1"})
    assert r.status_code == 303 and path.read_text("utf-8") == "id: ana\n"


def test_a_stale_delete_is_refused(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    path.write_text(path.read_text("utf-8").replace("duration: 2", "duration: 3"), "utf-8")
    r = _post(editor, "/stories/test/ana/delete", data={"base_hash": base_hash(page)})
    assert r.status_code == 303 and path.exists()


def test_viewers_see_the_trash_but_change_nothing(as_role, pack_root):
    viewer = as_role(Role.VIEWER)
    assert viewer.get("/stories/test/trash").status_code == 200
    assert viewer.get(NEW).status_code == 403
    assert _post(viewer, "/stories/test/ana/delete", data={"base_hash": "x"}).status_code == 403
    assert (pack_root / "stories" / "ana.yaml").exists()


def test_the_revision_of_a_deleted_story_is_shown_and_points_to_the_trash(editor, pack_root,
                                                                          app):
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    _post(editor, "/stories/test/ana/delete", {"base_hash": base_hash(page)})
    with database(app).session() as db:
        rev_id = db.query(Revision).one().id
    assert editor.get(f"/stories/test/revisions/{rev_id}").status_code == 200
    r = _post(editor, f"/stories/test/revisions/{rev_id}/restore", {"base_hash": "x"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/stories/test/trash")
    assert not (pack_root / "stories" / "ana.yaml").exists()


def test_a_copy_of_a_story_with_errors_is_refused_with_them(curator, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text("utf-8").replace("countries: [SE]", "countries: [IT]"),
                    "utf-8")  # the consent no longer covers the pack's country
    r = _post(curator, NEW, {"copy_of": "ana", "story_id": "ana-2", "title": ""})
    assert r.status_code == 422 and "does not cover SE" in r.get_data(as_text=True)
    assert not (pack_root / "stories" / "ana-2.yaml").exists()
