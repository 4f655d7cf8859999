"""Museum staff list stories and edit a scene; every save goes through the validator."""

from __future__ import annotations

import pytest

from admin.db import database
from admin.models import Role
from admin.models_content import Revision
from tests.support.admin_pages import base_hash, form_values

SCENE = "/stories/test/ana/scenes/home"


def test_the_list_shows_languages_coverage_findings_and_consent(editor, pack_root):
    page = editor.get("/stories/").get_data(as_text=True)
    assert "Anas sommar" in page or "Ana&#39;s summer" in page
    assert "100%" in page and "clean" in page and "on record" in page
    (pack_root / "stories" / "ana.yaml").write_text(
        (pack_root / "stories" / "ana.yaml").read_text().replace(
            "review_by: 2028-06-30", "review_by: 2020-01-01"))
    page = editor.get("/stories/").get_data(as_text=True)
    assert "blocked" in page and "1 error" in page


def test_a_viewer_sees_the_list_but_may_not_edit(as_role):
    viewer = as_role(Role.VIEWER)
    assert viewer.get("/stories/").status_code == 200
    assert viewer.get(SCENE).status_code == 403


def _post(client, page_html, **changes):
    data = form_values(page_html)
    data.update(changes)
    return client.post(SCENE, data=data)


def test_a_saved_scene_keeps_the_rest_of_the_file_byte_for_byte(editor, pack_root, app):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    page = editor.get(SCENE).get_data(as_text=True)
    r = _post(editor, page, **{"text.en": "Ana gets an offer from a cousin."})
    assert r.status_code == 302, r.get_data(as_text=True)
    after = path.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert changed == [("    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}",
                        "    text: {sv: Ana får ett erbjudande., en: Ana gets an offer from "
                        "a cousin.}")]
    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert (rev.before, rev.after, rev.file) == (before, after, "stories/ana.yaml")
        assert rev.actor == editor.user.username


def test_an_error_blocks_the_save_and_shows_beside_its_field(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    page = editor.get(SCENE).get_data(as_text=True)
    r = _post(editor, page, **{"choices[0].if": "asked and (", "choices[1].goto": "nowhere"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert path.read_text() == before
    assert 'id="choices-0-if-findings"' in html and 'id="choices-1-goto-findings"' in html
    assert "nowhere" in html.split('id="choices-1-goto-findings"')[1].split("</ul>")[0]


def test_a_warning_is_shown_and_the_save_goes_through(editor, pack_root):
    page = editor.get(SCENE).get_data(as_text=True)
    r = _post(editor, page, **{"text.en": ""})
    assert r.status_code == 302
    page = editor.get(SCENE).get_data(as_text=True)
    assert 'id="text-findings"' in page and "has no en text" in page


def test_a_second_save_of_the_same_version_merges_the_others_change(as_role, pack_root):
    """Different languages of one scene, saved from two forms opened on the same file: both
    changes are in the file (the clashes are in test_merges.py)."""
    alice, bob = as_role(Role.EDITOR), as_role(Role.CURATOR)
    page_a = alice.get(SCENE).get_data(as_text=True)
    page_b = bob.get(SCENE).get_data(as_text=True)
    assert base_hash(page_a) == base_hash(page_b)
    assert _post(alice, page_a, **{"text.en": "Alice's version."}).status_code == 302
    assert _post(bob, page_b, **{"text.sv": "Bobs version."}).status_code == 302
    text = (pack_root / "stories" / "ana.yaml").read_text()
    assert "Alice's version." in text and "Bobs version." in text


def test_a_revision_is_shown_as_a_diff_and_restored(editor, pack_root, app):
    path = pack_root / "stories" / "ana.yaml"
    original = path.read_text()
    page = editor.get(SCENE).get_data(as_text=True)
    _post(editor, page, **{"text.en": "A changed sentence."})
    with database(app).session() as db:
        rev_id = db.query(Revision).one().id
    diff = editor.get(f"/stories/test/revisions/{rev_id}").get_data(as_text=True)
    assert "A changed sentence." in diff and 'class="add"' in diff
    r = editor.post(f"/stories/test/revisions/{rev_id}/restore",
                    data={**form_values(diff), "which": "before"})
    assert r.status_code == 302
    assert path.read_text() == original
    with database(app).session() as db:
        assert db.query(Revision).count() == 2


def test_a_post_without_the_files_hash_changes_nothing(editor, pack_root):
    before = (pack_root / "stories" / "ana.yaml").read_text()
    page = editor.get(SCENE).get_data(as_text=True)
    data = form_values(page)
    data.pop("base_hash")
    assert editor.post(SCENE, data=data).status_code == 400
    assert (pack_root / "stories" / "ana.yaml").read_text() == before


@pytest.mark.parametrize("bad", ["x", "a=", "=1"])
def test_a_set_that_is_not_name_value_is_refused_beside_its_field(editor, pack_root, bad):
    page = editor.get(SCENE).get_data(as_text=True)
    r = _post(editor, page, **{"choices[0].set": bad})
    assert r.status_code == 400
    assert 'id="choices-0-set-findings"' in r.get_data(as_text=True)


def test_picture_description_narration_and_film_are_edited_too(editor, pack_root):
    from kiosk.content import load_pack

    (pack_root / "media" / "audio").mkdir()
    page = editor.get(SCENE).get_data(as_text=True)
    assert '<option value="images/home.png">' in page  # the media files are suggested
    r = _post(editor, page, **{"image": "images/home.png", "image.alt.en": "A kitchen.",
                               "narration.sv": "audio/missing.ogg"})
    assert r.status_code == 422  # the narration file does not exist: an error beside it
    assert 'id="narration-sv-findings"' in r.get_data(as_text=True)
    r = _post(editor, page, **{"image": "images/home.png", "image.alt.en": "A kitchen."})
    assert r.status_code == 302
    scene = load_pack(pack_root).pack.stories["ana"].scenes["home"]
    assert scene.image.src == "images/home.png" and scene.image.alt == {"en": "A kitchen."}


def test_a_malformed_value_shows_the_banner_and_every_error_at_once(editor, pack_root):
    """Issue 19: two malformed sets and a goto to no scene are all shown on one answer,
    under the "not saved" banner, and nothing is written."""
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    page = editor.get(SCENE).get_data(as_text=True)
    r = _post(editor, page, **{"choices[0].set": "x", "choices[1].set": "=1",
                               "choices[1].goto": "nowhere", "text.en": "Kept text."})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and path.read_text() == before
    assert "Not saved: the form has errors" in html
    findings = {k: html.split(f'id="{k}-findings"')[1].split("</ul>")[0]
                for k in ("choices-0-set", "choices-1-set", "choices-1-goto")}
    assert "&#34;x&#34; is not name=value" in findings["choices-0-set"]
    assert "&#34;=1&#34; is not name=value" in findings["choices-1-set"]
    assert "nowhere" in findings["choices-1-goto"]
    assert "Kept text." in html
