"""A translator works side by side, in their languages only; PO files go out and come back."""

from __future__ import annotations

import io

from admin_helpers import csrf_from
from babel.messages.pofile import read_po, write_po
from helpers import base_hash, form_values

from admin.models import Role

SIDE = "/translations/test/ana?target=en"


def _po(client) -> object:
    r = client.get("/translations/test/po/en.po")
    assert r.status_code == 200
    return read_po(io.BytesIO(r.data))


def _upload(client, catalog, language="en"):
    buf = io.BytesIO()
    write_po(buf, catalog, width=0)
    token = csrf_from(client.get("/translations/").get_data(as_text=True))
    return client.post(f"/translations/test/po/{language}", data={
        "csrf_token": token, "po": (io.BytesIO(buf.getvalue()), "en.po")},
        content_type="multipart/form-data")


def test_a_translator_sees_only_their_languages(as_role):
    t = as_role(Role.TRANSLATOR, languages="en")
    assert t.get(SIDE).status_code == 200
    assert t.get("/translations/test/ana?target=sv").status_code == 403
    assert t.get("/translations/test/po/sv.po").status_code == 403
    index = t.get("/translations/").get_data(as_text=True)
    assert "en.po" in index and "sv.po" not in index
    assert t.get("/stories/test/ana/scenes/home").status_code == 403


def test_a_translator_cannot_save_another_language(as_role, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    page = t.get(SIDE).get_data(as_text=True)
    data = form_values(page)
    r = t.post("/translations/test/ana/sv", data=data)
    assert r.status_code == 403


def test_missing_and_out_of_date_are_marked(as_role, editor, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(", en: The friend is worried.", ""))
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-friend-text" class="state-missing"' in page
    # An editor changes the Swedish source of the first scene: English is now out of date.
    scene = editor.get("/stories/test/ana/scenes/home").get_data(as_text=True)
    data = form_values(scene)
    data["text.sv"] = "Ana får ett nytt erbjudande."
    assert editor.post("/stories/test/ana/scenes/home", data=data).status_code == 302
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-home-text" class="state-outdated"' in page
    # The translator updates it: current again.
    data = form_values(page)
    data["line:ana/scenes/home/text"] = "Ana gets a new offer."
    r = t.post("/translations/test/ana/en", data=data)
    assert r.status_code == 303
    page = t.get(SIDE).get_data(as_text=True)
    assert 'id="ana-scenes-home-text" class="state-current"' in page
    assert "Ana gets a new offer." in path.read_text()


def test_po_export_then_import_reports_added_and_changed(as_role, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(", en: The friend is worried.", ""))
    cat = _po(t)
    cat.get("Vännen är orolig.", context="ana/scenes/friend/text").string = "The friend worries."
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "An offer."
    r = _upload(t, cat)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "1 added, 1 changed" in html
    text = path.read_text()
    assert "The friend worries." in text and "en: An offer." in text


def _refused(client, path, cat, words):
    before = path.read_text()
    r = _upload(client, cat)
    html = r.get_data(as_text=True).replace("&#39;", "'")
    assert r.status_code == 422, html
    assert "nothing was changed" in html and words in html
    assert path.read_text() == before


def test_a_po_file_with_a_broken_placeholder_changes_nothing(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana gets help.", '"Ana gets help from {helper}."')
                    .replace("Ana får hjälp.", '"Ana får hjälp av {helper}."'))
    cat = _po(editor)
    cat.get("Ana får hjälp av {helper}.", context="ana/scenes/end/text").string = \
        "Ana gets help from {helpr}."
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "Fine."
    _refused(editor, path, cat, "placeholders differ")


def test_a_po_file_with_an_unknown_id_changes_nothing(editor, pack_root):
    cat = _po(editor)
    cat.add("Hej", "Hello", context="ana/scenes/nowhere/text")
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "Fine."
    _refused(editor, pack_root / "stories" / "ana.yaml", cat, "unknown id")


def test_a_po_file_for_an_old_source_changes_nothing(editor, pack_root):
    cat = _po(editor)
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana får ett erbjudande.", "Ana får ett brev."))
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "A letter."
    _refused(editor, path, cat, "source text changed")


def test_a_po_file_in_another_language_changes_nothing(editor, pack_root):
    cat = _po(editor)
    cat.locale = "it"
    _refused(editor, pack_root / "stories" / "ana.yaml", cat, "not en")


def test_not_a_po_file_changes_nothing(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text()
    token = csrf_from(editor.get("/translations/").get_data(as_text=True))
    r = editor.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(b'msgid "a\nmsgstr'), "x.po")},
        content_type="multipart/form-data")
    assert r.status_code == 422 and "not a readable PO file" in r.get_data(as_text=True)
    assert path.read_text() == before


def test_the_side_by_side_save_refuses_a_stale_page(as_role, editor, pack_root):
    t = as_role(Role.TRANSLATOR, languages="en")
    page = t.get(SIDE).get_data(as_text=True)
    scene = editor.get("/stories/test/ana/scenes/home").get_data(as_text=True)
    data = form_values(scene)
    data["text.sv"] = "Ändrat."
    editor.post("/stories/test/ana/scenes/home", data=data)
    data = form_values(page)
    data["line:ana/scenes/friend/text"] = "My version."
    r = t.post("/translations/test/ana/en", data=data)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "My version." in html and base_hash(html) != base_hash(page)
    assert "My version." not in (pack_root / "stories" / "ana.yaml").read_text()


def test_line_ids_are_the_runtimes_own_on_the_demo_pack():
    from pathlib import Path

    from admin.content.lines import story_lines
    from kiosk.content import load_pack
    from kiosk.story.ids import lookup

    pack = load_pack(Path(__file__).resolve().parents[2] / "content").pack
    checked = 0
    for story in pack.stories.values():
        for line in story_lines(story):
            if line.id.endswith("/image/alt"):
                continue
            assert lookup(pack, line.id) == line.text, line.id
            checked += 1
    assert checked > 50
