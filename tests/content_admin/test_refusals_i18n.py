"""Refusals shown to staff (media uploads and restores, scene edits, bundles) speak the user's
language.

``Refused`` (admin.content.media), ``EditError`` (admin.content.yamledit) and ``BundleError``
(kiosk.content.bundle) carry their English
sentence as a msgid with its parameters; the admin translates it where it is shown
(``admin.i18n.reason``). The kiosk's command line keeps the English sentence.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from admin.i18n import SOURCE
from admin.models import Role
from kiosk.content.bundle import BundleError
from tests.content_admin.test_packs import _import, _manifest_for, _zip
from tests.support.admin_pages import csrf_from

ROOT = Path(__file__).resolve().parents[2]
RAISERS = {"Refused": [ROOT / "admin"], "EditError": [ROOT / "admin"],
           "Reason": [ROOT / "admin"],
           "BreaksOverlays": [ROOT / "kiosk" / "content" / "packstore.py"],
           "BaseNotFound": [ROOT / "kiosk" / "content" / "bundle.py"], "BundleError": [
    ROOT / "admin", ROOT / "kiosk" / "content" / "bundle.py",
    ROOT / "kiosk" / "content" / "packstore.py"]}


def _speaking(client, lang):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    assert client.post("/account/language", data={"csrf_token": token,
                                                   "ui_language": lang}).status_code == 302
    return client


def _page(client, url):
    return client.get(url).get_data(as_text=True).replace("&#34;", '"').replace(
        "&#39;", "'").replace("&#x27;", "'")


def test_every_refusal_is_a_literal_sentence_in_the_template():
    """A Refused(...), EditError(...), Reason(...) or BundleError(...) whose first argument is not one literal string (an
    f-string, a concatenation) cannot be translated; every one is in messages.pot."""
    with (SOURCE / "messages.pot").open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    found, bad = set(), []
    for name, places in RAISERS.items():
        files = [p for place in places for p in (place.rglob("*.py") if place.is_dir()
                                                 else [place])]
        for path in files:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
                        and getattr(node.func, "id", getattr(node.func, "attr", "")) == name
                        and node.args):
                    continue
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                else:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bad == [], f"refusals that are not one literal msgid: {bad}"
    assert len(found) > 40 and found - template == set(), "re-extract: see admin/i18n.py"


def test_the_english_sentence_stays_whole_for_the_command_line():
    exc = BundleError('"%(name)s" climbs out of the pack with ..', name="../x")
    assert str(exc) == '"../x" climbs out of the pack with ..'
    assert exc.msgid.startswith('"%(name)s"') and exc.params == {"name": "../x"}


@pytest.mark.parametrize("lang, words", [
    ("sv", "Avvisat, inget sparades: filen är ingen bild-, ljud-, film- eller undertextfil"),
    ("it", "il file non è un'immagine, un audio"),
    ("lv", "fails nav kioskam zināms attēla"),
    ("el", "το αρχείο δεν είναι εικόνα, ήχος, βίντεο"),
])
def test_a_refused_upload_is_explained_in_the_users_language(as_role, lang, words):
    editor = _speaking(as_role(Role.EDITOR), lang)
    token = csrf_from(editor.get("/media/test/").get_data(as_text=True))
    editor.post("/media/test/upload", data={
        "csrf_token": token, "folder": "images", "file": (io.BytesIO(b"#!/bin/sh\nrm -rf /\n"),
                                                         "photo.png")},
        content_type="multipart/form-data")
    page = _page(editor, "/media/test/")
    assert words in page, page
    assert "the file is not a picture" not in page


def test_a_refused_bundle_is_explained_in_greek_with_its_file_name(as_role):
    curator = _speaking(as_role(Role.CURATOR), "el")
    entries = {"pack.yaml": b"id: x\n", "../evil.yaml": b"x"}
    r = _import(curator, _zip(entries, _manifest_for(entries)))
    assert r.status_code == 422
    page = r.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert "το «../evil.yaml» βγαίνει έξω από το πακέτο με .." in page, page


def test_a_refused_restore_is_explained_in_swedish(as_role, pack_root):
    editor = _speaking(as_role(Role.EDITOR), "sv")
    token = csrf_from(editor.get("/media/test/").get_data(as_text=True))
    assert editor.post("/media/test/delete", data={"csrf_token": token,
                                                   "path": "images/home.png"}).status_code == 303
    page = _page(editor, "/media/test/")
    assert "images/home.png raderades" in page and 'name="deletion"' in page
    (pack_root / "media" / "images" / "home.png").write_bytes(b"new")
    deletion = page.split('name="deletion" value="', 1)[1].split('"', 1)[0]
    editor.post("/media/test/restore", data={"csrf_token": token, "deletion": deletion})
    page = _page(editor, "/media/test/")
    assert ("Inte återställd: det finns nu en fil med namnet images/home.png i paketet"
            in page), page


def test_a_refused_scene_rename_is_explained_in_latvian(as_role, pack_root):
    from tests.support.admin_pages import base_hash

    editor = _speaking(as_role(Role.EDITOR), "lv")
    page = editor.get("/stories/test/ana").get_data(as_text=True)
    before = (pack_root / "stories" / "ana.yaml").read_text()
    editor.post("/stories/test/ana/scenes/friend/rename", data={
        "csrf_token": csrf_from(page), "base_hash": base_hash(page), "new_id": "end"})
    page = _page(editor, "/stories/test/ana")
    assert "Nav mainīts: stāstā jau ir aina “end”" in page, page
    assert (pack_root / "stories" / "ana.yaml").read_text() == before


def test_a_refused_po_file_is_explained_in_italian(as_role):
    editor = _speaking(as_role(Role.EDITOR), "it")
    token = csrf_from(editor.get("/translations/").get_data(as_text=True))
    cat = read_po(io.BytesIO(editor.get("/translations/test/po/en.po").data))
    cat.add("Hej", "Hello", context="ana/scenes/nowhere/text")
    buf = io.BytesIO()
    from babel.messages.pofile import write_po

    write_po(buf, cat, width=0)
    r = editor.post("/translations/test/po/en", data={
        "csrf_token": token, "po": (io.BytesIO(buf.getvalue()), "en.po")},
        content_type="multipart/form-data")
    html = r.get_data(as_text=True).replace("&#39;", "'")
    assert r.status_code == 422
    assert "id sconosciuto: nel pacchetto non c'è una riga così" in html, html
