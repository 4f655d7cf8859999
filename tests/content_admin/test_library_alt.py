"""Alt text is one value shared by the media library and the stories (issue 19).

A curator describes a picture once, per language, in the library; it is written to
pack.yaml's `pictures:`, and every scene showing the picture (in the scene editor, the
play-through and the kiosk's line provider) reads that one text.
"""

from __future__ import annotations

import re
from html import unescape

from admin.db import database
from admin.models import AuditEntry
from admin.models_content import MediaItem, Revision
from kiosk.content import load_pack
from kiosk.story.lines import LineProvider
from tests.support.admin_pages import csrf_from

LIB = "/media/test/"
PIC = "images/home.png"


def _show_in_two_scenes(pack_root):
    path = pack_root / "stories" / "ana.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  home:\n", f"  home:\n    image: {PIC}\n", 1)
    text = text.replace("  friend:\n", f"  friend:\n    image: {{src: {PIC}}}\n", 1)
    path.write_text(text, encoding="utf-8")


def _describe(client, page: str, path: str, **fields):
    """Post the library row's form of `path` as the page showed it, with `fields` changed."""
    row = re.search(rf'<tr data-path="{re.escape(path)}">(.*?)</tr>', page, re.S).group(1)
    form = re.search(r'<form method="post" action="[^"]*/describe">(.*?)</form>', row,
                     re.S).group(1)
    data = {m.group(1): unescape(m.group(2)) for m in re.finditer(
        r'<input type="(?:hidden|text)"[^>]*name="([^"]+)" value="([^"]*)"', form)}
    data.update(fields)
    return client.post(f"{LIB}describe", data=data, follow_redirects=True)


def _alt(pack_root, path=PIC):
    picture = load_pack(pack_root).pack.pictures.get(path)
    return picture.alt if picture else {}


def test_a_picture_described_in_the_library_is_described_in_every_scene(editor, pack_root,
                                                                        app):
    _show_in_two_scenes(pack_root)
    page = editor.get(LIB).get_data(as_text=True)
    # one field per language of the pack (sv, en), each labelled with its language
    assert 'name="alt.sv"' in page and 'name="alt.en"' in page
    r = _describe(editor, page, PIC, **{"alt.sv": "Ett kök i kvällsljus.",
                                        "alt.en": "A kitchen at dusk."})
    assert "Saved the description of images/home.png" in r.get_data(as_text=True)
    assert _alt(pack_root) == {"sv": "Ett kök i kvällsljus.", "en": "A kitchen at dusk."}
    assert "pictures:" in (pack_root / "pack.yaml").read_text(encoding="utf-8")
    pack = load_pack(pack_root).pack
    story = pack.stories["ana"]
    for scene in ("home", "friend"):
        assert LineProvider(pack, "en").alt(story.scenes[scene]) == "A kitchen at dusk."
    # the story files hold no copy
    assert "A kitchen" not in (pack_root / "stories" / "ana.yaml").read_text(encoding="utf-8")
    with database(app).session() as db:
        rev = db.query(Revision).filter_by(file="pack.yaml").one()
        assert rev.summary == "alt text of images/home.png"
        assert db.query(AuditEntry).filter_by(action="media.describe").count() == 1
    # the library shows it, and the thumbnail carries it in the staff member's language
    page = editor.get(LIB).get_data(as_text=True)
    assert 'value="Ett kök i kvällsljus."' in page and 'alt="A kitchen at dusk."' in page
    # the scene editor shows the library's text and links to it
    scene = editor.get("/stories/test/ana/scenes/friend").get_data(as_text=True)
    assert "A kitchen at dusk." in scene and "Ett kök i kvällsljus." in scene
    assert 'href="/media/test/?q=images/home.png"' in unescape(scene).replace("%2F", "/")
    # and the play-through gives it to the picture
    play = editor.get("/preview/test/ana/play?lang=en").get_data(as_text=True)
    assert 'alt="A kitchen at dusk."' in play


def test_clearing_a_language_removes_it_and_the_last_one_removes_the_entry(editor, pack_root):
    _show_in_two_scenes(pack_root)
    page = editor.get(LIB).get_data(as_text=True)
    _describe(editor, page, PIC, **{"alt.sv": "Ett kök.", "alt.en": "A kitchen."})
    page = editor.get(LIB).get_data(as_text=True)
    _describe(editor, page, PIC, **{"alt.en": ""})
    assert _alt(pack_root) == {"sv": "Ett kök."}
    page = editor.get(LIB).get_data(as_text=True)
    _describe(editor, page, PIC, **{"alt.sv": ""})
    assert "pictures" not in (pack_root / "pack.yaml").read_text(encoding="utf-8")
    assert load_pack(pack_root).ok


def test_two_people_describing_one_picture_in_two_languages_both_keep_their_words(
        editor, curator, pack_root):
    first = editor.get(LIB).get_data(as_text=True)
    second = curator.get(LIB).get_data(as_text=True)
    _describe(editor, first, PIC, **{"alt.sv": "Ett kök."})
    _describe(curator, second, PIC, **{"alt.en": "A kitchen."})
    assert _alt(pack_root) == {"sv": "Ett kök.", "en": "A kitchen."}
    # the same language changed by both: the second is refused, the first stays
    r = _describe(curator, second, PIC, **{"alt.sv": "Ett rum."})
    html = unescape(r.get_data(as_text=True))
    assert "The alt text was not saved" in html and "in sv since you opened" in html
    assert _alt(pack_root) == {"sv": "Ett kök.", "en": "A kitchen."}


def test_upload_writes_its_alt_text_in_the_packs_default_language(editor, pack_root):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (1, 2, 3)).save(buf, "PNG")
    token = csrf_from(editor.get(LIB).get_data(as_text=True))
    r = editor.post(f"{LIB}upload", data={"csrf_token": token, "folder": "images",
                                          "alt.sv": "En brygga.", "tags": "",
                                          "file": (io.BytesIO(buf.getvalue()), "dock.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 303
    assert _alt(pack_root, "images/dock.png") == {"sv": "En brygga."}


def test_the_library_searches_the_alt_text_in_every_language(editor, pack_root):
    page = editor.get(LIB).get_data(as_text=True)
    _describe(editor, page, PIC, **{"alt.sv": "Ett kök.", "alt.en": "A kitchen at dusk."})
    rows = re.findall(r'<tr data-path="([^"]+)"', editor.get(f"{LIB}?q=dusk").get_data(
        as_text=True))
    assert rows == [PIC]
    assert re.findall(r'<tr data-path="([^"]+)"', editor.get(f"{LIB}?q=kök").get_data(
        as_text=True)) == [PIC]
    assert re.findall(r'<tr data-path="([^"]+)"', editor.get(f"{LIB}?q=harbour").get_data(
        as_text=True)) == []


def test_alt_text_the_database_kept_is_moved_into_the_pack_and_loses_nothing(
        editor, pack_root, app):
    """Older versions kept one alt text per file in media_items.alt, without a language."""
    from PIL import Image

    Image.new("RGB", (8, 6)).save(pack_root / "media" / "images" / "dock.png")
    (pack_root / "pack.yaml").write_text(
        (pack_root / "pack.yaml").read_text(encoding="utf-8")
        + "pictures:\n  images/dock.png:\n    alt: {sv: Bryggan i gryningen., en: The dock.}\n",
        encoding="utf-8")
    with database(app).session() as db:
        for path, alt in ((PIC, "Ett kök i kvällsljus."), ("images/dock.png", "En brygga.")):
            db.add(MediaItem(pack_id="test", path=path, kind="image", alt=alt, tags=""))
        db.commit()
    page = editor.get(LIB).get_data(as_text=True)
    assert "Alt text kept in the database" in page and "Ett kök i kvällsljus." in page
    r = editor.post(f"{LIB}move-alt", data={"csrf_token": csrf_from(page)},
                    follow_redirects=True)
    html = unescape(r.get_data(as_text=True))
    assert "Moved the alt text of 1 file into pack.yaml." in html
    assert "Kept in the database, because pack.yaml describes them otherwise: images/dock.png" \
        in html
    assert _alt(pack_root) == {"sv": "Ett kök i kvällsljus."}
    assert _alt(pack_root, "images/dock.png") == {"sv": "Bryggan i gryningen.",
                                                  "en": "The dock."}
    with database(app).session() as db:
        left = {m.path: m.alt for m in db.query(MediaItem)}
        assert left == {PIC: "", "images/dock.png": "En brygga."}  # nothing lost
        entry = db.query(AuditEntry).filter_by(action="media.move_alt").one()
        assert "Ett kök i kvällsljus." in str(entry.before)
        assert db.query(Revision).filter_by(file="pack.yaml").one().summary == \
            "alt text moved from the library's database"


def test_a_translator_translates_a_pictures_alt_text_once_for_every_story(as_role,
                                                                         pack_root):
    from admin.models import Role
    from tests.support.admin_pages import form_items

    _show_in_two_scenes(pack_root)
    bo = pack_root / "stories" / "bo.yaml"  # a second story showing the same picture
    bo.write_text((pack_root / "stories" / "ana.yaml").read_text(encoding="utf-8").replace(
        "id: ana", "id: bo"), encoding="utf-8")
    (pack_root / "pack.yaml").write_text(
        (pack_root / "pack.yaml").read_text(encoding="utf-8")
        + f"pictures:\n  {PIC}:\n    alt: {{sv: Ett kök i kvällsljus.}}\n", encoding="utf-8")
    t = as_role(Role.TRANSLATOR, languages="en")
    page = t.get("/translations/test/ana?target=en").get_data(as_text=True)
    # one line for the picture, though two scenes of the story show it
    assert page.count(f'name="picture:{PIC}"') == 1 and "Ett kök i kvällsljus." in page
    data = form_items(page[page.index('<form method="post"'):])
    data[f"picture:{PIC}"] = "A kitchen at dusk."
    r = t.post("/translations/test/ana/en", data=data, follow_redirects=True)
    assert "Saved." in r.get_data(as_text=True)
    assert _alt(pack_root) == {"sv": "Ett kök i kvällsljus.", "en": "A kitchen at dusk."}
    # the other story's page shows the same text, translated already
    other = t.get("/translations/test/bo?target=en").get_data(as_text=True)
    assert "A kitchen at dusk." in other
    # the story files were not touched, and only English was written
    assert "A kitchen at dusk." not in bo.read_text(encoding="utf-8")
    # a translator of English cannot write Swedish, here either
    assert t.post("/translations/test/ana/sv", data={**data, f"picture:{PIC}": "Nej"}
                  ).status_code == 403
    assert _alt(pack_root)["sv"] == "Ett kök i kvällsljus."


def test_a_po_file_carries_each_pictures_alt_text_once_and_brings_it_back(as_role,
                                                                          pack_root):
    import io

    from babel.messages.pofile import read_po, write_po

    from admin.models import Role

    _show_in_two_scenes(pack_root)
    (pack_root / "pack.yaml").write_text(
        (pack_root / "pack.yaml").read_text(encoding="utf-8")
        + f"pictures:\n  {PIC}:\n    alt: {{sv: Ett kök i kvällsljus.}}\n", encoding="utf-8")
    t = as_role(Role.TRANSLATOR, languages="en")
    cat = read_po(io.BytesIO(t.get("/translations/test/po/en.po").data))
    line = f"@pictures/{PIC}/alt"
    assert [m.context for m in cat if m.context == line] == [line]  # once, for two scenes
    cat.get("Ett kök i kvällsljus.", context=line).string = "A kitchen at dusk."
    cat.get("Ana får ett erbjudande.", context="ana/scenes/home/text").string = "An offer."
    buf = io.BytesIO()
    write_po(buf, cat, width=0)
    token = csrf_from(t.get("/translations/").get_data(as_text=True))
    r = t.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(buf.getvalue()), "en.po")},
        content_type="multipart/form-data")
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 200, html
    assert line in html and "ana/scenes/home/text" in html  # both listed as changed
    assert _alt(pack_root) == {"sv": "Ett kök i kvällsljus.", "en": "A kitchen at dusk."}
    assert load_pack(pack_root).pack.stories["ana"].scenes["home"].text["en"] == "An offer."
    # a picture line whose source changed since the export refuses the whole file
    cat.get("Ett kök i kvällsljus.", context=line).id = "Ett annat kök."
    buf = io.BytesIO()
    write_po(buf, cat, width=0)
    r = t.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(buf.getvalue()), "en.po")},
        content_type="multipart/form-data")
    assert r.status_code == 422
