"""A curator edits the pack settings page: helplines, languages, notes, surveys, the kiosk."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from kiosk.content import build
from tests.support.admin_pages import base_hash, form_values

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


def _page(client, pack="test"):
    r = client.get(f"/packs/{pack}/settings")
    assert r.status_code == 200, r.status_code
    return r.get_data(as_text=True)


def _post(client, html, changes, pack="test", drop=()):
    data = form_values(html)
    data.update(changes)
    for name in drop:
        data.pop(name, None)
    return client.post(f"/packs/{pack}/settings", data=data)


def _pack(root):
    """The pack as the kiosk loads it."""
    from kiosk.content import load_pack

    return load_pack(root).pack


def _names(html: str) -> set[str]:
    """Every input, select and textarea name on the page, indices folded to [0]."""
    names = {unescape(n) for n in re.findall(r'<(?:input|select|textarea)[^>]*name="([^"]+)"',
                                               html)}
    return {re.sub(r"\[\d+\]", "[0]", n) for n in names}


def _has_field(names: set[str], path: str) -> bool:
    return any(n == path or n.startswith(path + ".") or n.startswith(path + "[")
               for n in names)


def test_every_key_of_the_schema_has_a_field(curator):
    """Walks the content schema's own specs: a key the admin has no field for fails here."""
    names = _names(_page(curator))
    # pictures: (each picture's alt text) is edited in the media library, per language
    wanted = [k for k in build.PACK_SPEC if k != "pictures"]
    library = _names(curator.get("/media/test/").get_data(as_text=True))
    assert {"alt.sv", "alt.en", "was.sv", "was.en"} <= library
    wanted += [f"helplines[0].{k}" for k in build.HELPLINE_SPEC]
    wanted += [f"content_notes.threats.{k}" for k in build.NOTE_SPEC]
    wanted += [f"surveys.{k}" for k in build.SURVEYS_SPEC]
    for phase in ("surveys.before[0]", "surveys.after[0]", "surveys.rating"):
        wanted += [f"{phase}.{k}" for k in build.QUESTION_SPEC]
        wanted += [f"{phase}.options[0].{k}" for k in build.OPTION_SPEC]
    wanted += [f"kiosk.{k}" for k in build.KIOSK_SPEC]
    missing = [k for k in wanted if not _has_field(names, k)]
    # An attract picture has no fields of its own: its keys are the parts of one line of
    # the pictures field ("attract/nadia.jpg focus 0.33 0.7"), so a key beyond those fails.
    missing += [f"kiosk.attract[0].{k}" for k in build.ATTRACT_SPEC if k not in ("src", "focus")]
    assert missing == []


def test_a_helpline_is_edited_and_saved_with_a_revision(curator, pack_root, app):
    html = _page(curator)
    r = _post(curator, html, {"helplines[0].number": "116 006",
                              "helplines[0].verified": "2026-12-01",
                              "helplines[0].audience.en": "Anyone",
                              "helplines[0].url": "https://example.org/help"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    line = _pack(pack_root).helplines[0]
    assert (line.number, line.verified, line.audience, line.url) == (
        "116 006", dt.date(2026, 12, 1), {"en": "Anyone"}, "https://example.org/help")
    text = (pack_root / "pack.yaml").read_text("utf-8")
    assert 'hours: {sv: Dygnet runt, en: 24/7}' in text  # untouched lines keep their form
    from admin.db import database
    from admin.models import AuditEntry
    from admin.models_content import Revision

    with database(app).session() as db:
        rev = db.query(Revision).filter_by(pack_id="test", file="pack.yaml").one()
        assert "116 006" in rev.after and "116 006" not in rev.before
        assert db.query(AuditEntry).filter_by(action="content.save",
                                              target="test:pack.yaml").count() == 1


def test_a_helpline_is_added_and_one_removed(curator, pack_root):
    html = _page(curator)
    r = _post(curator, html, {"helplines[1].id": "skalbes", "helplines[1].name.sv": "Skalbes",
                              "helplines[1].name.en": "Skalbes", "helplines[1].number": "116 006",
                              "helplines[1].hours.sv": "Dagligen 12-22",
                              "helplines[1].hours.en": "Daily 12-22",
                              "helplines[1].countries": "LV",
                              "helplines[1].languages": "lv, en",
                              "helplines[1].verified": dt.date.today().isoformat(),
                              "helplines[0].__remove": "1"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    lines = _pack(pack_root).helplines
    assert [h.id for h in lines] == ["skalbes"]
    assert lines[0].languages == ["lv", "en"] and lines[0].countries == ["LV"]


def test_an_error_is_refused_and_shown_beside_its_field(curator, pack_root):
    before = (pack_root / "pack.yaml").read_bytes()
    html = _page(curator)
    r = _post(curator, html, {"helplines[0].verified": "last tuesday",
                              "kiosk.idle_timeout": "5"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert (pack_root / "pack.yaml").read_bytes() == before
    assert re.search(r'id="helplines-0-verified-findings".*?class="error"', page, re.S)
    assert re.search(r'id="kiosk-idle_timeout-findings".*?class="error"', page, re.S)
    # the user's values are kept in the form
    assert form_values(page)["helplines[0].verified"] == "last tuesday"


def test_a_stale_helpline_gets_the_validators_warning_beside_it(curator):
    old = (dt.date.today() - dt.timedelta(days=120)).isoformat()
    r = _post(curator, _page(curator), {"helplines[0].verified": old})
    assert r.status_code == 303
    page = _page(curator)
    assert re.search(r'id="helplines-0-verified-findings".*?class="warning".*?120 days',
                     page, re.S)


def test_a_stale_form_is_refused_not_written_over(curator, pack_root):
    html = _page(curator)
    path = pack_root / "pack.yaml"
    path.write_text(path.read_text("utf-8").replace("idle_timeout: 60", "idle_timeout: 75"),
                    "utf-8")
    r = _post(curator, html, {"helplines[0].number": "999"})
    assert r.status_code == 409
    assert "idle_timeout: 75" in path.read_text("utf-8")
    assert '"999"' not in path.read_text("utf-8") and "999" not in path.read_text("utf-8")
    assert base_hash(r.get_data(as_text=True)) != base_hash(html)


def test_a_post_without_the_file_hash_is_refused(curator, pack_root):
    before = (pack_root / "pack.yaml").read_bytes()
    r = _post(curator, _page(curator), {"helplines[0].number": "999"}, drop=["base_hash"])
    assert r.status_code == 400
    assert (pack_root / "pack.yaml").read_bytes() == before


def test_editors_read_but_cannot_save(editor, curator, pack_root):
    before = (pack_root / "pack.yaml").read_bytes()
    html = _page(editor)
    assert 'type="submit"' not in html.split('class="pack-settings"', 1)[1]
    r = _post(editor, _page(curator), {"helplines[0].number": "999"})
    assert r.status_code == 403
    assert (pack_root / "pack.yaml").read_bytes() == before


def test_adding_a_language_shows_what_is_untranslated(curator, pack_root):
    r = _post(curator, _page(curator), {"languages": "sv en it"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    assert _pack(pack_root).languages == ["sv", "en", "it"]
    page = _page(curator)
    for field in ("title", "helplines-0-hours", "surveys-rating-text"):
        assert re.search(rf'id="{field}-findings".*?has no it text', page, re.S), field
    cov = page.split('id="coverage"', 1)[1].split("</table>", 1)[0]
    assert "<code>it</code>" in cov and "0 %" in cov


def test_removing_a_language_says_which_texts_go_before_it_saves(curator, pack_root):
    html = _page(curator)
    r = _post(curator, html, {"languages": "sv", "default_language": "sv"})
    assert r.status_code == 422
    notice = r.get_data(as_text=True).split('id="languages-removed"', 1)[1].split("</section>")[0]
    assert "pack.yaml" in notice and "stories/" in notice
    assert _pack(pack_root).languages == ["sv", "en"]
    again = form_values(r.get_data(as_text=True))
    assert again["confirm_remove"] == "en"
    r = curator.post("/packs/test/settings", data=again)
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    assert _pack(pack_root).languages == ["sv"]


def test_removing_a_note_a_story_uses_is_refused(curator, pack_root):
    stories = " ".join(p.read_text("utf-8") for p in (pack_root / "stories").glob("*.yaml"))
    assert "threats" in stories
    before = (pack_root / "pack.yaml").read_bytes()
    r = _post(curator, _page(curator), {"content_notes.threats.__remove": "1"})
    assert r.status_code == 422
    assert (pack_root / "pack.yaml").read_bytes() == before


def test_a_content_note_and_a_survey_question_are_added(curator, pack_root):
    r = _post(curator, _page(curator), {
        "content_notes.__new.id": "violence", "content_notes.__new.label.sv": "Våld",
        "content_notes.__new.label.en": "Violence",
        "surveys.before[1].id": "where", "surveys.before[1].kind": "single",
        "surveys.before[1].text.sv": "Var bor du?", "surveys.before[1].text.en": "Where?",
        "surveys.before[1].options[0].id": "here", "surveys.before[1].options[0].label.sv": "Här",
        "surveys.before[1].options[0].label.en": "Here"})
    # one option is not enough for a single-choice question: the validator's rule
    assert r.status_code == 422
    assert re.search(r'id="surveys-before-1-findings".*?two options', r.get_data(as_text=True),
                     re.S)
    page = r.get_data(as_text=True)
    r = _post(curator, page, {"surveys.before[1].options[1].id": "away",
                              "surveys.before[1].options[1].label.sv": "Borta",
                              "surveys.before[1].options[1].label.en": "Away"})
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    pack = _pack(pack_root)
    assert pack.content_notes["violence"].label == {"sv": "Våld", "en": "Violence"}
    q = pack.surveys.before[1]
    assert (q.id, q.kind, [o.id for o in q.options]) == ("where", "single", ["here", "away"])


def test_kiosk_settings_and_an_interface_text(curator, pack_root):
    assert "images/home.png" in _page(curator).split('id="pack-images"', 1)[1].split("</p>")[0]
    r = _post(curator, _page(curator), {
        "kiosk.idle_timeout": "120", "kiosk.attract": "images/home.png",
        "kiosk.narration_autoplay": "false", "strings.__new.language": "sv",
        "strings.__new.msgid": "Touch to begin", "strings.__new.text": "Tryck här"})
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    pack = _pack(pack_root)
    assert (pack.kiosk.idle_timeout, [p.src for p in pack.kiosk.attract],
            pack.kiosk.narration_autoplay) == (120, ["images/home.png"], False)
    assert pack.strings == {"sv": {"Touch to begin": "Tryck här"}}


def test_an_attract_picture_keeps_and_takes_its_focal_point(curator, pack_root):
    r = _post(curator, _page(curator), {
        "kiosk.attract": "images/home.png focus 0.25 0.6\nimages/home.png"})
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    attract = _pack(pack_root).kiosk.attract
    assert [(p.src, p.focus and tuple(p.focus)) for p in attract] == [
        ("images/home.png", (0.25, 0.6)), ("images/home.png", None)]
    page = _page(curator)
    assert "images/home.png focus 0.25 0.6" in page  # shown as typed, saved again unchanged
    r = _post(curator, page, {"kiosk.idle_timeout": "90"})
    assert r.status_code == 303
    assert [p.focus and tuple(p.focus) for p in _pack(pack_root).kiosk.attract] == [
        (0.25, 0.6), None]


@pytest.fixture
def demo_copy(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(REPO_CONTENT, root, ignore=shutil.ignore_patterns("media"))
    shutil.copytree(REPO_CONTENT / "media", root / "media")
    return root


def test_an_aliased_value_changes_only_where_it_was_edited(demo_copy):
    """A pack may share texts through YAML aliases (the demo's surveys, and here two
    helplines sharing their hours, *always): one edit, one place."""
    from admin.content import packsettings, yamledit

    text = (demo_copy / "pack.yaml").read_text("utf-8")
    # the demo's base has one helpline: a second shares its hours through an alias
    shared = '    number: "112"\n    hours:'
    text = text.replace(shared + "\n", shared + " &always\n", 1)
    text = text.replace("\ncontent_notes:\n", "\n  - id: second\n    name: Second line\n"
                        "    number: \"116 006\"\n    hours: *always\n"
                        "    verified: 2026-11-28\n\ncontent_notes:\n", 1)
    assert "*always" in text and "&always" in text
    (demo_copy / "pack.yaml").write_text(text, "utf-8")
    doc = yamledit.load(text)
    langs = [str(v) for v in doc["languages"]]
    form = {}
    for item in packsettings._all_items(packsettings.sections(doc, langs)):
        for f in item.fields:
            if f.kind == "text":
                form.update({f"{f.name}.{lang}": v for lang, v in f.value.items()})
            else:
                form[f.name] = f.value
    assert packsettings.apply(yamledit.load(text), form, langs) == []
    form["helplines[1].hours.en"] = "Around the clock"
    form["surveys.after[0].text.en"] = "Changed after"
    doc = yamledit.load(text)
    packsettings.apply(doc, form, langs)
    (demo_copy / "pack.yaml").write_text(yamledit.dump(doc), "utf-8")
    pack = _pack(demo_copy)
    assert pack.helplines[1].hours["en"] == "Around the clock"
    assert pack.helplines[0].hours["en"] == "24 hours a day, every day"
    assert pack.surveys.after[0].text["en"] == "Changed after"
    assert pack.surveys.before[0].text["en"] != "Changed after"


def test_an_unreadable_pack_yaml_is_shown_not_crashed_on(curator, pack_root, csrf_token):
    path = pack_root / "pack.yaml"
    path.write_text("id: test\ntitle: {sv: [unclosed\n", "utf-8")
    before = path.read_bytes()
    # a pack.yaml that cannot be read names its working copy after the folder
    r = curator.get("/packs/pack/settings")
    assert r.status_code == 422
    assert 'id="unreadable"' in r.get_data(as_text=True) and "pack.yaml" in r.get_data(
        as_text=True)
    from admin.content.storyfile import digest

    r = curator.post("/packs/pack/settings", data={
        "csrf_token": csrf_token(curator, "/packs/"), "base_hash": digest(before.decode()),
        "helplines[0].number": "1"})
    assert r.status_code == 422 and path.read_bytes() == before


def test_the_version_field_suggests_the_next_after_the_installed(curator, pack_root, packs_dir,
                                                                 tmp_path):
    from kiosk.content.bundle import build_bundle
    from kiosk.content.packstore import PackStore

    assert "Next version: 1.1." in _page(curator)  # nothing installed: after the pack's 1.0
    pack = pack_root / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace('version: "1.0"', 'version: "1.4.2"'),
                    "utf-8")
    build_bundle(pack_root, tmp_path / "b.zip")
    PackStore(packs_dir).install(tmp_path / "b.zip")
    pack.write_text(pack.read_text("utf-8").replace('version: "1.4.2"', 'version: "1.0"'),
                    "utf-8")
    hint = _page(curator).split('id="version-hint"', 1)[1].split("</p>", 1)[0]
    assert "1.4.2" in hint and "Next version: 1.4.3." in hint
