"""A curator sees what a country overlay changes against its base, side by side, and reviews
the overrides the base changed under: Accept keeps the overlay's text for the new base text,
Redo writes it again from the base's new text; the base's files are never written."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from admin.content.workspace import demo_folders
from tests.content_admin.test_overlay_packs import install_base
from tests.support.admin_pages import csrf_from

# The base's texts (tests/fixtures/packs/valid, story ana, scene home), and the text the
# Swedish override was written against before the base changed to today's.
HOME_SV, HOME_EN = "Ana får ett erbjudande.", "Ana gets an offer."
OLD_SV = "Ana får ett brev."
OVERLAY_SV = "Ana får ett erbjudande från Malmö."
OVERLAY_EN = "Ana gets an offer from Malmö."


def h(text: str) -> str:
    """The short hash an override records (docs/content-format.md, "Overrides")."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


OVERLAY_PACK = """id: test-se
version: "1.0.0"
extends: {pack: test, version: ">=1.0, <2"}
default_language: en
helplines:
  - id: brottsofferjouren
    name: Brottsofferjouren
    number: "116 006"
    hours: {sv: Vardagar, en: Weekdays}
    countries: [SE]
    verified: 2026-11-20
hide:
  helplines: {eu-112: {reason: "replaced by the national line"}}
"""


def overrides_text(sv_base: str) -> str:
    return (f"lines:\n  ana/scenes/home/text:\n"
            f"    sv: {{base: {h(sv_base)}, text: \"{OVERLAY_SV}\"}}\n"
            f"    en: {{base: {h(HOME_EN)}, text: \"{OVERLAY_EN}\"}}\n")


def make_overlay(folder: Path, sv_base: str = OLD_SV) -> Path:
    """The overlay test-se of the fixture pack "test": its default language replaced, a helpline added,
    one hidden, and the home text overridden in sv (against `sv_base`) and en."""
    (folder / "overrides").mkdir(parents=True)
    (folder / "pack.yaml").write_text(OVERLAY_PACK, encoding="utf-8")
    (folder / "overrides" / "ana.yaml").write_text(overrides_text(sv_base), encoding="utf-8")
    return folder


@pytest.fixture
def overlay_root(tmp_path) -> Path:
    """The overlay beside its base (tmp_path/pack), with the Swedish override stale."""
    return make_overlay(tmp_path / "test-se")


@pytest.fixture
def app_config(app_config, pack_root, overlay_root):
    """The admin edits the base and its overlay."""
    return {**app_config, "CONTENT_PACKS": f"{pack_root}:{overlay_root}"}


def page(client, url="/packs/test-se/overlay") -> str:
    r = client.get(url)
    assert r.status_code == 200, r.status_code
    return html.unescape(r.get_data(as_text=True))


def section(text: str, heading_id: str) -> str:
    start = text.index(f'id="{heading_id}"')
    return text[start:text.index("</section>", start)]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


# ---- which packs the admin serves, and the base an overlay merges onto ------------------

def test_the_default_working_copies_are_the_demo_and_its_country_overlays(tmp_path):
    content = tmp_path / "content"
    for name in ("content", "content-se", "content-lv", "content-notes", "contents"):
        (tmp_path / name).mkdir()
    for name in ("content", "content-se", "content-lv", "contents"):
        (tmp_path / name / "pack.yaml").write_text("id: x\n", encoding="utf-8")
    assert demo_folders(content) == [content, tmp_path / "content-lv", tmp_path / "content-se"]


def test_without_a_setting_a_curator_sees_the_four_country_packs(as_role, app, app_config):
    del app.config["CONTENT_PACKS"]
    from admin.models import Role

    text = page(as_role(Role.CURATOR), "/packs/")
    for pack_id in ("demo", "demo-se", "demo-it", "demo-lv", "demo-gr"):
        assert f"<strong>{pack_id}</strong>" in text
    row = text[text.index("<strong>demo-lv</strong>"):]
    row = row[:row.index("</tr>")]
    assert "no errors" in row and "/packs/demo-lv/overlay" in row


@pytest.fixture
def installed_only(app_config, tmp_path, pack_root):
    """The overlay alone among the working copies (in the new packs' folder, nothing beside
    it); its base only installed in the PackStore."""
    make_overlay(tmp_path / "new" / "test-se", sv_base=HOME_SV)
    return {**app_config, "CONTENT_PACKS": str(tmp_path / "elsewhere"),
            "NEW_PACKS_DIR": str(tmp_path / "new")}


def test_an_overlay_merges_onto_its_base_installed_on_this_machine(
        installed_only, database_url, tmp_path, pack_root, packs_dir):
    from admin import create_app
    from kiosk.content.packstore import PackStore

    install_base(pack_root, tmp_path, PackStore(packs_dir), "1.2")
    app = create_app(installed_only)
    with app.app_context():
        from admin.content.workspace import workspace

        ws = workspace()
        loaded = ws.load(ws.working_copy("test-se").root)
    assert [f.code for f in loaded.findings if f.severity == "error"] == []
    assert [(b.id, b.version) for b in loaded.pack.bases] == [("test", "1.2")]
    assert loaded.pack.stories["ana"].scenes["home"].text["sv"] == OVERLAY_SV


# ---- the overlay's page ------------------------------------------------------------------

def test_the_page_shows_each_change_beside_the_base(curator):
    text = page(curator)
    settings = section(text, "h-settings")
    row = settings[settings.index("<code>default_language</code>"):]
    row = row[:row.index("</tr>")]
    assert "replaced" in row and "<pre>sv</pre>" in row and "<pre>en</pre>" in row
    row = settings[settings.index("<code>helplines: brottsofferjouren</code>"):]
    assert "added" in row[:row.index("</tr>")] and "116 006" in row[:row.index("</tr>")]
    hidden = section(text, "h-hidden")
    assert "Helpline eu-112: replaced by the national line" in hidden
    rows = section(text, "h-overrides").split("<tr class=")[1:]
    assert len(rows) == 2
    en = next(r for r in rows if ">en</span>" in r)
    assert "<code>ana</code>" in en and "<code>home</code>" in en
    assert f"<pre class=\"text\">{HOME_EN}</pre>" in en and OVERLAY_EN in en
    assert "stale" not in en.split(">", 1)[0]


def test_stale_overrides_come_first_with_the_bases_new_text(curator):
    text = page(curator)
    stale = section(text, "h-stale")
    assert "Stale overrides (1)" in stale
    assert text.index('id="h-stale"') < text.index('id="h-settings"')
    row = stale[stale.index('<tr class="stale-override">'):]
    assert ">sv</span>" in row and f"<pre class=\"text\">{HOME_SV}</pre>" in row
    assert OVERLAY_SV in row
    # the file records only the old text's hash, and no revision of the base holds it
    assert f"Only the hash of that text is recorded ({h(OLD_SV)})" in row
    assert ">Accept</button>" in row and ">Redo</a>" in row


def test_a_plain_pack_has_no_overlay_page(curator):
    assert curator.get("/packs/test/overlay").status_code == 404


def test_the_base_text_the_override_was_written_against_is_found_in_a_revision(
        curator, app, pack_root):
    """The base's sv text was OLD_SV until an admin save changed it: that revision holds it."""
    from admin.content.revisions import SaveContext, save_story
    from admin.content.storyfile import read
    from admin.content.workspace import workspace
    from admin.db import get_db

    story = pack_root / "stories" / "ana.yaml"
    now, _ = read(story)
    story.write_text(now.replace(HOME_SV, OLD_SV), encoding="utf-8")
    with app.test_request_context():
        ws = workspace()
        wc = ws.working_copy("test")
        text, digest = read(story)
        result = save_story(SaveContext(ws, get_db(), curator.user), wc, "stories/ana.yaml",
                            digest, text.replace(OLD_SV, HOME_SV), "home text")
        assert result.ok
    row = section(page(curator), "h-stale")
    assert f"<pre class=\"text\">{OLD_SV}</pre>" in row and "Only the hash" not in row


# ---- Accept and Redo ---------------------------------------------------------------------

def stale_form(client, **extra) -> dict:
    """The Accept form of the stale override, as the page gives it."""
    text = page(client)
    form = section(text, "h-stale")
    form = form[form.index("<form"):form.index("</form>")]
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
    return {**fields, "csrf_token": csrf_from(text), **extra}


def overrides(root: Path) -> dict:
    return yaml.safe_load((root / "overrides" / "ana.yaml").read_text(encoding="utf-8"))


def test_accept_records_the_bases_new_hash_and_keeps_the_text(curator, overlay_root,
                                                                pack_root, app):
    base = snapshot(pack_root)
    r = curator.post("/packs/test-se/overlay/accept", data=stale_form(curator))
    assert r.status_code == 303
    sv = overrides(overlay_root)["lines"]["ana/scenes/home/text"]["sv"]
    assert sv == {"base": h(HOME_SV), "text": OVERLAY_SV}
    assert snapshot(pack_root) == base  # the base is never written
    text = page(curator)
    assert "Stale overrides (0)" in section(text, "h-stale")
    assert "Saved the override of ana/scenes/home/text." in text
    from admin.db import database
    from admin.models import AuditEntry
    from admin.models_content import Revision

    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert (rev.pack_id, rev.file) == ("test-se", "overrides/ana.yaml")
        assert h(OLD_SV) in rev.before and h(HOME_SV) in rev.after
        entry = db.query(AuditEntry).filter_by(action="content.override").one()
        assert entry.target == "test-se:overrides/ana.yaml"


def test_redo_opens_the_text_prefilled_with_the_bases_new_text(curator, overlay_root,
                                                               pack_root):
    base = snapshot(pack_root)
    form = stale_form(curator)
    text = page(curator, f"/packs/test-se/overlay/redo?story=ana&line={form['line']}&lang=sv")
    assert re.search(r'<textarea id="text" name="text"[^>]*>' + re.escape(HOME_SV), text)
    new = "Ana får ett erbjudande om jobb i Malmö."
    r = curator.post("/packs/test-se/overlay/redo",
                     data={**dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', text)),
                           "text": new})
    assert r.status_code == 303
    assert overrides(overlay_root)["lines"]["ana/scenes/home/text"]["sv"] == {
        "base": h(HOME_SV), "text": new}
    assert overrides(overlay_root)["lines"]["ana/scenes/home/text"]["en"]["text"] == OVERLAY_EN
    assert snapshot(pack_root) == base
    assert "Stale overrides (0)" in page(curator)


def test_a_form_built_before_the_overrides_changed_is_refused(curator, overlay_root):
    form = stale_form(curator)
    path = overlay_root / "overrides" / "ana.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited meanwhile\n", encoding="utf-8")
    before = path.read_bytes()
    r = curator.post("/packs/test-se/overlay/accept", data=form)
    assert r.status_code == 303 and path.read_bytes() == before
    assert "someone else changed the overrides" in page(curator)


def test_a_review_of_a_base_text_that_changed_again_is_refused(curator, overlay_root,
                                                                pack_root):
    form = stale_form(curator)
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace(HOME_SV, "Ana får ett sms."),
                     encoding="utf-8")
    before = (overlay_root / "overrides" / "ana.yaml").read_bytes()
    curator.post("/packs/test-se/overlay/accept", data=form)
    assert (overlay_root / "overrides" / "ana.yaml").read_bytes() == before
    assert "the base text changed again" in page(curator)


def test_a_translator_reviews_only_their_languages(as_role, overlay_root):
    from admin.models import Role

    other = as_role(Role.TRANSLATOR, languages="en")
    text = page(other)
    assert "Stale overrides (0)" in section(text, "h-stale")  # sv is neither theirs nor read
    form = stale_form(as_role(Role.CURATOR))
    r = other.post("/packs/test-se/overlay/accept", data={**form, "csrf_token": csrf_from(text)})
    assert r.status_code == 403
    swedish = as_role(Role.TRANSLATOR, languages="sv")
    r = swedish.post("/packs/test-se/overlay/accept", data=stale_form(swedish))
    assert r.status_code == 303
    assert overrides(overlay_root)["lines"]["ana/scenes/home/text"]["sv"]["base"] == h(HOME_SV)


def test_an_editor_cannot_review(editor, curator):
    form = stale_form(curator)
    token = csrf_from(editor.get("/packs/test-se/overlay").get_data(as_text=True))
    assert editor.post("/packs/test-se/overlay/accept",
                       data={**form, "csrf_token": token}).status_code == 403


# ---- editing a base story's text inside the overlay writes an override, never the base ----

def test_the_scene_editor_of_a_base_story_writes_an_override(curator, overlay_root, pack_root):
    base = snapshot(pack_root)
    text = page(curator, "/stories/test-se/ana/scenes/friend")
    assert "This story comes from the base test." in text
    token = csrf_from(text)
    file_hash = re.search(r'name="base_hash" value="([0-9a-f]{64})"', text).group(1)
    r = curator.post("/stories/test-se/ana/scenes/friend",
                     data={"csrf_token": token, "base_hash": file_hash,
                           "text.sv": "Vännen är rädd.", "text.en": "The friend is worried."})
    assert r.status_code == 303
    assert snapshot(pack_root) == base
    lines = overrides(overlay_root)["lines"]
    assert lines["ana/scenes/friend/text"] == {
        "sv": {"base": h("Vännen är orolig."), "text": "Vännen är rädd."}}  # en: unchanged
    assert lines["ana/scenes/home/text"]["en"]["text"] == OVERLAY_EN
    assert "Vännen är rädd." in page(curator, "/stories/test-se/ana/scenes/friend")


def test_a_translation_of_a_base_story_is_saved_as_an_override(as_role, overlay_root,
                                                               pack_root):
    from admin.models import Role

    swedish = as_role(Role.TRANSLATOR, languages="sv")
    base = snapshot(pack_root)
    text = page(swedish, "/translations/test-se/ana?target=sv")
    file_hash = re.search(r'name="base_hash" value="([0-9a-f]{64})"', text).group(1)
    r = swedish.post("/translations/test-se/ana/sv",
                     data={"csrf_token": csrf_from(text), "base_hash": file_hash,
                           "line:ana/scenes/end/text": "Ana får stöd.",
                           "line:ana/scenes/home/text": "Ana får ett jobberbjudande."})
    assert r.status_code == 303
    assert snapshot(pack_root) == base
    lines = overrides(overlay_root)["lines"]
    assert lines["ana/scenes/end/text"] == {
        "sv": {"base": h("Ana får hjälp."), "text": "Ana får stöd."}}
    # an override written again records the base's text, not the overlay's it replaces
    assert lines["ana/scenes/home/text"]["sv"] == {"base": h(HOME_SV),
                                                   "text": "Ana får ett jobberbjudande."}
    # the next save from a page opened before it is refused, not written over it
    again = swedish.post("/translations/test-se/ana/sv",
                         data={"csrf_token": csrf_from(text), "base_hash": file_hash,
                               "line:ana/scenes/end/text": "Ana får råd."})
    assert again.status_code == 303
    assert overrides(overlay_root)["lines"]["ana/scenes/end/text"]["sv"]["text"] == "Ana får stöd."


# ---- activation asks for a review of stale overrides -------------------------------------

STALE_KEY = "overrides/ana.yaml:lines.ana/scenes/home/text.sv"


def install_form(client, **extra) -> dict:
    return {"csrf_token": csrf_from(page(client, "/packs/")), "confirm": "test-se", **extra}


def audit_of(app, action: str):
    from admin.db import database
    from admin.models import AuditEntry

    with database(app).session() as db:
        return [json.loads(e.after) for e in db.query(AuditEntry).filter_by(action=action)]


def test_installing_an_overlay_with_stale_overrides_asks_for_a_review(
        curator, app, pack_root, packs_dir, tmp_path):
    from kiosk.content.packstore import PackStore

    store = PackStore(packs_dir)
    install_base(pack_root, tmp_path, store, "1.0")
    r = curator.post("/packs/test-se/install", data=install_form(curator))
    assert r.status_code == 409
    text = html.unescape(r.get_data(as_text=True))
    review = text[text.index('id="review-stale"'):text.index("</section>",
                                                              text.index('id="review-stale"'))]
    assert "overrides/ana.yaml" in review and "has changed since" in review
    assert "/packs/test-se/overlay" in review
    assert f'name="stale" value="{STALE_KEY}"' in review
    assert store.versions("test-se") == []  # nothing installed before the review
    r = curator.post("/packs/test-se/install", data=install_form(curator, stale=STALE_KEY))
    assert r.status_code == 303
    assert [v.version for v in store.versions("test-se")] == ["1.0.0"]
    assert [a["stale_overrides"] for a in audit_of(app, "pack.install")] == [STALE_KEY]


def test_activating_an_overlay_with_stale_overrides_asks_for_a_review(
        curator, app, pack_root, packs_dir, tmp_path):
    from kiosk.content.packstore import PackStore

    store = PackStore(packs_dir)
    install_base(pack_root, tmp_path, store, "1.0")
    assert curator.post("/packs/test-se/install", data=install_form(
        curator, stale=STALE_KEY)).status_code == 303
    folder = store.versions("test-se")[0].folder.rsplit("/", 1)[-1]
    form = {"csrf_token": csrf_from(page(curator, "/packs/")), "version_dir": folder}
    r = curator.post("/packs/test-se/activate", data=form)
    assert r.status_code == 409 and store.active("test-se") is None
    assert f'name="stale" value="{STALE_KEY}"' in html.unescape(r.get_data(as_text=True))
    # a confirmation of other overrides than these is no confirmation
    r = curator.post("/packs/test-se/activate", data={**form, "stale": "overrides/x.yaml:y"})
    assert r.status_code == 409 and store.active("test-se") is None
    r = curator.post("/packs/test-se/activate", data={**form, "stale": STALE_KEY})
    assert r.status_code == 303 and store.active("test-se").name == folder
    assert [a["stale_overrides"] for a in audit_of(app, "pack.activate")] == [STALE_KEY]


def test_an_overlay_without_stale_overrides_installs_without_a_review(
        curator, pack_root, packs_dir, tmp_path, overlay_root):
    from kiosk.content.packstore import PackStore

    (overlay_root / "overrides" / "ana.yaml").write_text(overrides_text(HOME_SV),
                                                         encoding="utf-8")
    store = PackStore(packs_dir)
    install_base(pack_root, tmp_path, store, "1.0")
    assert curator.post("/packs/test-se/install",
                        data=install_form(curator)).status_code == 303
    assert [v.version for v in store.versions("test-se")] == ["1.0.0"]


def test_no_other_save_writes_a_base_story_from_an_overlay(curator, app, pack_root):
    """The pages that write a story's whole file (story settings, map edits, restore, PO
    import) go through save_story / save_many: from an overlay they refuse a base story."""
    from admin.content.revisions import SaveContext, save_many, save_story
    from admin.content.storyfile import read
    from admin.content.workspace import workspace
    from admin.db import get_db

    base = snapshot(pack_root)
    with app.test_request_context():
        ws = workspace()
        wc = ws.working_copy("test-se")
        rel = ws.load(wc.root).pack.stories["ana"].file
        assert rel == "../pack/stories/ana.yaml"
        text, digest = read(wc.root / rel)
        ctx = SaveContext(ws, get_db(), curator.user)
        result = save_story(ctx, wc, rel, digest, text.replace(HOME_SV, "Ana läser."), "x")
        assert [f.code for f in result.errors] == ["base-file"]
        many = save_many(ctx, wc, [(rel, digest, text.replace(HOME_SV, "Ana läser."))], "x")
        assert [f.code for f in many.errors[rel]] == ["base-file"]
    text = page(curator, "/stories/test-se/ana")
    token = csrf_from(text)
    r = curator.post("/stories/test-se/ana/delete", data={"csrf_token": token,
                                                          "base_hash": digest})
    assert r.status_code == 303
    assert snapshot(pack_root) == base
    assert "this story comes from the base (../pack/stories/ana.yaml)" in page(
        curator, "/stories/test-se/ana")
