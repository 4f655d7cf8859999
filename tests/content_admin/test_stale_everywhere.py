"""A translation whose source changed shows as out of date on the Stories list and in the
scene editor too, not only on the Translations page."""

from __future__ import annotations

import re

from admin.models import Role
from tests.support.admin_pages import form_values

STORY = "/stories/test/ana"


def _translate_then_change_the_source(editor, translator):
    """The translator writes the English of scene friend; then the Swedish source changes."""
    data = form_values(translator.get("/translations/test/ana?target=en").get_data(as_text=True))
    data["line:ana/scenes/friend/text"] = "The friend is worried."
    assert translator.post("/translations/test/ana/en", data=data).status_code == 303
    data = form_values(editor.get(f"{STORY}/scenes/friend").get_data(as_text=True))
    data["text.sv"] = "Vännen är mycket orolig nu."
    assert editor.post(f"{STORY}/scenes/friend", data=data).status_code == 302


def _language_cell(page: str, lang: str) -> str:
    m = re.search(r'<abbr title="[^"]*">' + lang + r"</abbr>(.*?)</li>", page, re.S)
    assert m, f"no {lang} entry on the Stories list"
    return m.group(1)


def test_the_stories_list_and_the_scene_editor_show_a_stale_translation(editor, as_role):
    translator = as_role(Role.TRANSLATOR, languages="en")
    before = editor.get("/stories/").get_data(as_text=True)
    assert "out of date" not in _language_cell(before, "en")
    _translate_then_change_the_source(editor, translator)
    after = editor.get("/stories/").get_data(as_text=True)
    assert "1 out of date" in _language_cell(after, "en")
    assert "out of date" not in _language_cell(after, "sv")  # the source itself
    scene = editor.get(f"{STORY}/scenes/friend").get_data(as_text=True)
    en_label = re.search(r'<label for="text-en">(.*?)</label>', scene, re.S).group(1)
    sv_label = re.search(r'<label for="text-sv">(.*?)</label>', scene, re.S).group(1)
    assert "out of date" in en_label and "out of date" not in sv_label
    other = editor.get(f"{STORY}/scenes/home").get_data(as_text=True)
    assert "out of date" not in re.search(r'<label for="text-en">(.*?)</label>', other,
                                          re.S).group(1)


def test_a_po_export_carries_the_previous_source_and_a_full_header(editor, as_role, tmp_path):
    """Poedit and Weblate show what changed (#| msgid); msgfmt -c has nothing to say."""
    import shutil
    import subprocess

    import pytest
    from babel.messages.pofile import read_po

    translator = as_role(Role.TRANSLATOR, languages="en")
    first = translator.get("/translations/test/po/en.po").get_data()
    assert b"#|" not in first
    _translate_then_change_the_source(editor, translator)
    data = translator.get("/translations/test/po/en.po").get_data()
    text = data.decode("utf-8")
    entry = text[text.index('msgctxt "ana/scenes/friend/text"') - 300:]
    entry = entry[entry.index("#, fuzzy"):]
    old_source = "Vännen är orolig."  # the fixture's Swedish before the editor's change
    assert f'#| msgid "{old_source}"' in entry.split("msgstr")[0]
    assert 'msgid "Vännen är mycket orolig nu."' in entry
    with __import__("io").BytesIO(data) as f:
        cat = read_po(f)
    m = cat.get("Vännen är mycket orolig nu.", context="ana/scenes/friend/text")
    assert m.fuzzy and m.string == "The friend is worried."
    assert cat.language_team.startswith("English") and cat.revision_date.year >= 2026
    assert "FULL NAME" not in text and "LANGUAGE <LL@li.org>" not in text
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (Debian's gettext) is not installed")
    (tmp_path / "en.po").write_bytes(data)
    r = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "en.po")],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_the_side_by_side_source_keeps_its_paragraphs(editor, as_role, pack_root):
    """Two paragraphs in the source are two paragraphs beside the translation, and a line
    break inside one is kept (white-space: pre-line)."""
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: {sv: Vännen är orolig., en: The friend is worried.}",
        'text: {sv: "Vännen är orolig.\\n\\nHon ringer i kväll.\\nKanske.", '
        "en: The friend is worried.}"), encoding="utf-8")
    translator = as_role(Role.TRANSLATOR, languages="en")
    page = translator.get("/translations/test/ana?target=en").get_data(as_text=True)
    row = re.search(r'<tr id="ana-scenes-friend-text".*?</tr>', page, re.S).group(0)
    source_cell = row.split("</td>")[0]
    assert re.findall(r'<p class="source-text">(.*?)</p>', source_cell, re.S) == [
        "Vännen är orolig.", "Hon ringer i kväll.\nKanske."]
    css = translator.get("/static/admin.css").get_data(as_text=True)
    assert re.search(r"\.source-text\s*\{[^}]*white-space:\s*pre-line", css)
