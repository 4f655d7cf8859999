"""A scene as the kiosk draws it (cached by content hash), and a click-through play."""

from __future__ import annotations

import json
import re
from html import unescape

from PIL import Image

from admin.content.preview import cache_path
from tests.support.admin_pages import csrf_from


def test_a_scene_preview_is_the_kiosks_png_and_is_cached(editor, pack_root, app, tmp_path):
    r = editor.get("/preview/test/ana/home/en.png")
    assert r.status_code == 200 and r.mimetype == "image/png"
    (tmp_path / "a.png").write_bytes(r.data)
    with Image.open(tmp_path / "a.png") as im:
        assert im.size == (1280, 720)
        assert len(im.convert("RGB").resize((64, 36)).getcolors(4096) or []) > 20  # drawn
    cached = list((tmp_path / "instance" / "content-cache" / "previews").glob("*.png"))
    assert len(cached) == 1
    # A change to the pack means a new picture, never the stale one.
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("Ana gets an offer.", "Ana gets a letter."))
    assert editor.get("/preview/test/ana/home/en.png").status_code == 200
    assert len(list(cached[0].parent.glob("*.png"))) == 2


def test_the_cache_key_names_pack_version_story_scene_and_language(tmp_path):
    keys = {cache_path(tmp_path, h, s, x, lang) for h in ("a", "b") for s in ("s", "t")
            for x in ("x", "y") for lang in ("sv", "en")}
    assert len(keys) == 16


def test_an_unknown_scene_or_language_is_404(editor):
    assert editor.get("/preview/test/ana/nowhere/en.png").status_code == 404
    assert editor.get("/preview/test/ana/home/fr.png").status_code == 404


def _step(client, page, action):
    token = csrf_from(page)
    state = unescape(re.search(r'name="state" value="([^"]*)"', page).group(1))
    school = re.search(r'name="school" value="([^"]*)"', page).group(1)
    r = client.post("/preview/test/ana/play", data={"csrf_token": token, "state": state,
                                                    "lang": "en", "action": action,
                                                    "school": school})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _scene(page):
    return re.search(r'data-scene="([^"]+)"', page).group(1)


def test_play_through_follows_choices_conditions_and_back(editor):
    page = editor.get("/preview/test/ana/play?lang=en").get_data(as_text=True)
    assert _scene(page) == "home" and "Ana gets an offer." in page
    assert "Fictional composite" in page
    page = _step(editor, page, "choose:c2")  # read more: the friend was not asked
    assert _scene(page) == "advert"
    assert "Call the helpline" not in page and "Wait" in page  # if: asked does not hold
    page = _step(editor, page, "back")
    page = _step(editor, page, "choose:c1")  # ask the friend: sets asked
    page = _step(editor, page, "next")
    assert _scene(page) == "advert" and "Call the helpline" in page
    page = _step(editor, page, "choose:c1")
    assert _scene(page) == "end" and "A friend who asked." in page and "112" in page


def test_a_tampered_state_starts_again_with_a_clear_message(editor):
    page = editor.get("/preview/test/ana/play?lang=en").get_data(as_text=True)
    token = csrf_from(page)
    bad = json.dumps({"scene": "nowhere"})
    r = editor.post("/preview/test/ana/play", data={"csrf_token": token, "state": bad,
                                                    "lang": "en", "action": "next"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "started again" in html and _scene(html) == "home"


def test_a_school_play_takes_the_school_alternative(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(
        "    content_notes: [threats]\n    choices:",
        "    content_notes: [threats]\n    school: advert-school\n    choices:") + """\
  advert-school:
    text: {sv: "Annonsen, kortare.", en: "The advert, told for schools."}
    choices:
      - label: {sv: Vänta, en: Wait}
        goto: end
""")
    page = editor.get("/preview/test/ana/play?lang=en&school=1").get_data(as_text=True)
    page = _step(editor, page, "choose:c2")
    assert _scene(page) == "advert-school" and "told for schools" in page


def test_the_renderer_keeps_one_kiosk_process_and_recovers_from_its_death(pack_root, tmp_path):
    import pytest

    from admin.content.preview import PreviewError, Renderer

    renderer = Renderer()
    try:
        a = renderer.render(pack_root, tmp_path / "a.png", "ana", "home", "en")
        pid = renderer._proc.pid
        b = renderer.render(pack_root, tmp_path / "b.png", "ana", "advert", "sv")
        assert renderer._proc.pid == pid  # the same process drew both
        with Image.open(a) as ia, Image.open(b) as ib:
            assert ia.size == ib.size == (1280, 720) and ia.tobytes() != ib.tobytes()
        with pytest.raises(PreviewError, match="no story 'nope'"):
            renderer.render(pack_root, tmp_path / "c.png", "nope", "home", "en")
        assert not (tmp_path / "c.png").exists()
        assert not list(tmp_path.glob(".c.*"))  # no temporary file left behind
        renderer._proc.kill()  # the renderer dies between two previews: the next starts anew
        renderer._proc.wait()
        assert renderer.render(pack_root, tmp_path / "d.png", "ana", "home", "en").is_file()
        assert renderer._proc.pid != pid
    finally:
        renderer.close()


def test_a_render_that_takes_too_long_fails_cleanly(pack_root, tmp_path):
    import pytest

    from admin.content.preview import PreviewError, Renderer

    renderer = Renderer(timeout=0.01)  # less than Python takes to start
    with pytest.raises(PreviewError, match="more than 0.01 s"):
        renderer.render(pack_root, tmp_path / "a.png", "ana", "home", "en")
    assert renderer._proc is None and not (tmp_path / "a.png").exists()


def test_play_offers_only_the_storys_own_languages(editor, pack_root):
    # The pack offers sv (its default) and en; this story only en.
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("age_min: 12\n", "age_min: 12\nlanguages: [en]\n"))
    assert editor.get("/preview/test/ana/play?lang=sv").status_code == 404
    page = editor.get("/preview/test/ana/play").get_data(as_text=True)  # no wish: one it has
    assert _scene(page) == "home" and "Ana gets an offer." in page
    assert editor.get("/preview/test/ana/play?lang=en").status_code == 200


def test_play_through_shows_the_helplines_of_the_packs_country_only(editor, pack_root):
    """As the kiosk does: a Swedish pack's ending lists Sweden's lines and the ones for every
    country, never Italy's."""
    path = pack_root / "pack.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    countries: []\n    verified: 2026-11-20\n",
        "    countries: []\n    verified: 2026-11-20\n"
        "  - id: se-116006\n    name: Brottsofferjouren\n    number: \"116 006\"\n"
        "    hours: {sv: Dagtid, en: Daytime}\n    countries: [SE]\n    verified: 2026-11-20\n"
        "  - id: it-antitratta\n    name: Numero Verde Antitratta\n    number: \"800 290 290\"\n"
        "    hours: {sv: Dygnet runt, en: 24/7}\n    countries: [IT]\n"
        "    verified: 2026-11-20\n", 1), encoding="utf-8")
    page = editor.get("/preview/test/ana/play?lang=en").get_data(as_text=True)
    for action in ("choose:c1", "next", "choose:c1"):
        page = _step(editor, page, action)
    assert _scene(page) == "end"
    assert "116 006" in page and "112" in page
    assert "800 290 290" not in page and "Antitratta" not in page
