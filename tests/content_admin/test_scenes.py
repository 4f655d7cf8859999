"""An editor adds, renames and deletes scenes; every reference follows, nothing dangles."""

from __future__ import annotations

import re

from kiosk.content import load_pack
from tests.support.admin_pages import base_hash

STORY = "/stories/test/ana"


def _post(client, url, **data):
    from tests.support.admin_pages import csrf_from

    page = client.get(STORY).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "base_hash": base_hash(page), **data}
    r = client.post(url, data=data)
    assert r.status_code == 303
    return client.get(STORY).get_data(as_text=True).replace("&#34;", '"')


def test_rename_follows_every_reference(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("if: asked", "if: asked and visits(friend) > 0"))
    page = _post(editor, f"{STORY}/scenes/friend/rename", new_id="cousin")
    assert "Done: rename scene friend to cousin" in page
    text = path.read_text()
    assert "friend:" not in text and "goto: cousin" in text and "visits(cousin)" in text
    loaded = load_pack(pack_root)
    assert loaded.ok and list(loaded.pack.stories["ana"].scenes) == ["home", "cousin", "advert",
                                                                     "end"]
    _post(editor, f"{STORY}/scenes/home/rename", new_id="opening")
    assert "start: opening" in path.read_text() and load_pack(pack_root).ok


def test_rename_to_a_taken_or_bad_id_changes_nothing(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    assert "already has a scene" in _post(editor, f"{STORY}/scenes/friend/rename", new_id="end")
    assert "is not a scene id" in _post(editor, f"{STORY}/scenes/friend/rename",
                                         new_id="Bad Id")
    assert path.read_text() == before


def test_a_scene_in_use_is_not_deleted_and_the_page_says_where(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    page = _post(editor, f"{STORY}/scenes/advert/delete")
    assert "still used by" in page and "scene home: choice c2" in page
    assert "scene friend: next" in page
    assert path.read_text() == before


def test_add_then_delete_a_scene(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    page = _post(editor, f"{STORY}/scenes", new_id="aside", language="sv",
                 text="En sidoscen.", next="end")
    assert "Done: add scene aside" in page
    story = load_pack(pack_root).pack.stories["ana"]
    assert story.scenes["aside"].next == "end" and story.scenes["aside"].text == {
        "sv": "En sidoscen."}
    page = _post(editor, f"{STORY}/scenes/aside/delete")
    assert "Done: delete scene aside" in page and "aside" not in path.read_text()


def test_a_stale_page_changes_nothing(editor, pack_root):
    from tests.support.admin_pages import csrf_from

    page = editor.get(STORY).get_data(as_text=True)
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text() + "\n")
    before = path.read_text()
    r = editor.post(f"{STORY}/scenes/friend/rename", data={
        "csrf_token": csrf_from(page), "base_hash": base_hash(page), "new_id": "cousin"},
        follow_redirects=True)
    assert "changed since you opened" in r.get_data(as_text=True)
    assert path.read_text() == before


def _state(client, scene):
    page = client.get("/translations/test/ana?target=en").get_data(as_text=True)
    m = re.search(rf'id="ana-scenes-{scene}-text" class="state-(\w+)"', page)
    return m.group(1) if m else None


def test_a_rename_keeps_the_out_of_date_marks_and_a_restore_brings_them_back(
        editor, as_role, app, pack_root):
    from admin.db import database
    from admin.models import Role
    from admin.models_content import Revision, TranslationMark
    from tests.support.admin_pages import csrf_from, form_values

    t = as_role(Role.TRANSLATOR, languages="en")
    data = form_values(editor.get(f"{STORY}/scenes/friend").get_data(as_text=True))
    data["text.sv"] = "Vännen är mycket orolig."  # the English is now out of date
    assert editor.post(f"{STORY}/scenes/friend", data=data).status_code == 302
    assert _state(t, "friend") == "outdated"
    _post(editor, f"{STORY}/scenes/friend/rename", new_id="cousin")
    assert _state(t, "cousin") == "outdated"
    with database(app).session() as db:
        ids = {m.line_id for m in db.query(TranslationMark)}
        assert "ana/scenes/cousin/text" in ids and "ana/scenes/friend/text" not in ids
        rev = db.query(Revision).order_by(Revision.id.desc()).first()
    assert rev.summary == "rename scene friend to cousin"
    # Restoring the file as it was before the rename: the marks go back to "friend".
    page = editor.get(f"/stories/test/revisions/{rev.id}").get_data(as_text=True)
    r = editor.post(f"/stories/test/revisions/{rev.id}/restore", data={
        "csrf_token": csrf_from(page), "base_hash": base_hash(page), "which": "before"})
    assert r.status_code == 302 and "friend:" in (pack_root / "stories" / "ana.yaml").read_text()
    assert _state(t, "friend") == "outdated"
    # A mark left by an earlier scene of the new name does not take over the renamed one.
    with database(app).session() as db:
        db.add(TranslationMark(pack_id="test", line_id="ana/scenes/pal/text", language="en",
                               source_hash="0" * 32))
        db.commit()
    data = form_values(t.get("/translations/test/ana?target=en").get_data(as_text=True))
    data["line:ana/scenes/friend/text"] = "The friend is very worried."
    assert t.post("/translations/test/ana/en", data=data).status_code == 303
    assert _state(t, "friend") == "current"
    _post(editor, f"{STORY}/scenes/friend/rename", new_id="pal")
    assert _state(t, "pal") == "current"
