"""The validator's findings speak the staff member's language in the admin; `kiosk check`
keeps the English. Paths read the way staff say them."""

from __future__ import annotations

from admin_helpers import csrf_from

from kiosk.content import load_pack


def _speaking(client, lang):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    client.post("/account/language", data={"csrf_token": token, "ui_language": lang})
    return client


def test_a_missing_translation_is_said_in_swedish_with_the_scene_named(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: {sv: Vännen är orolig., en: The friend is worried.}",
        "text: {sv: Vännen är orolig.}"), encoding="utf-8")
    english = [f.format() for f in load_pack(pack_root).findings
               if f.code == "missing-translation"]
    assert any("scenes.friend.text has no en text" in line for line in english)  # the CLI's
    page = _speaking(editor, "sv").get("/stories/test/ana").get_data(as_text=True)
    page = page.replace("&#39;", "'")
    assert "scenen 'friend', fält 'text' saknar text på en" in page
    assert "has no en text" not in page


def test_a_hint_is_translated_too(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("goto: advert", "goto: advret", 1),
                    encoding="utf-8")
    page = _speaking(editor, "it").get("/stories/test/ana").get_data(as_text=True)
    page = page.replace("&#34;", '"').replace("&#39;", "'")
    assert 'porta alla scena "advret", che non esiste' in page
    assert 'forse intendevate "advert"?' in page
