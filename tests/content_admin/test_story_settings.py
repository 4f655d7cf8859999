"""A curator sets up a story on its settings page: every story key, through the validator."""

from __future__ import annotations

import re

import yaml
from werkzeug.datastructures import MultiDict

from admin.db import database
from admin.models import AuditEntry, Role
from admin.models_content import Revision
from kiosk.content import build, load_pack
from tests.support.admin_pages import base_hash, form_items

SETTINGS = "/stories/test/ana/settings"
LANGS = ("sv", "en")
# A story that uses every key the schema knows, so every field of both pages is drawn.
FULL = """\
id: full
title: {sv: Hela, en: Full}
summary: {sv: Allt., en: Everything.}
languages: [sv, en]
duration: 3
age_min: 13
content_notes: [threats]
consent: {kind: composite-fiction, record: CF-1, countries: [SE], review_by: 2028-06-30}
involves_minor: false
profile: {gender: female, age_group: adult, exploitation: [labour]}
sources:
  ilo: {text: ILO 2022, year: 2022, url: "https://www.ilo.org/"}
variables: {asked: false}
start: home
scenes:
  home:
    text: {sv: Hej., en: Hello.}
    image: {src: images/home.png, alt: {sv: Ett hus., en: A house.}, tags: [house]}
    choices:
      - id: ask
        label: {sv: Fråga, en: Ask}
        goto: end
        set: {asked: true}
        add: {trust: 1}
        discussion: {sv: "Varför?", en: "Why?"}
  end:
    text: {sv: Slut., en: The end.}
    sources: [ilo]
    discussion: {sv: "Vad nu?", en: "What now?"}
    ending: true
"""


def _names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', html))


def _key(name: str, scene_prefix: str = "") -> str:
    """A field name as a schema path: languages dropped, scene, choice and source generic."""
    name = scene_prefix + name
    parts = name.split(".")
    if parts[-1] in LANGS:
        parts = parts[:-1]
    name = ".".join(parts)
    name = re.sub(r"^scenes\.[a-z][a-z0-9_-]*\.", "scene.", name)
    name = re.sub(r"choices\[\d+\]", "choices[]", name)
    return re.sub(r"^sources\.[a-z][a-z0-9_-]*\.", "sources.*.", name)


def _schema_paths() -> set[str]:
    """Every key a story, its scenes and choices can have, from the schema's own specs."""
    nested = {"consent": build.CONSENT_SPEC, "profile": build.PROFILE_SPEC}
    out = set()
    for key in build.STORY_SPEC:
        if key in nested:
            out |= {f"{key}.{sub}" for sub in nested[key]}
        elif key == "sources":
            out |= {f"sources.*.{sub}" for sub in build.SOURCE_SPEC}
        elif key != "scenes":
            out.add(key)
    scene_nested = {"video": build.VIDEO_SPEC, "ending": build.ENDING_SPEC,
                    "choices[]": build.CHOICE_SPEC}
    for key in build.SCENE_SPEC:
        key = "choices[]" if key == "choices" else key
        if key == "image":
            for sub in build.MEDIA_SPEC:
                out |= ({f"scene.image.override.{o}" for o in build.OVERRIDE_SPEC}
                        if sub == "override" else {f"scene.image.{sub}"})
        elif key in scene_nested:
            out |= {f"scene.{key}.{sub}" for sub in scene_nested[key]}
        else:
            out.add(f"scene.{key}")
    return out


def _write_full(pack_root):
    (pack_root / "stories" / "full.yaml").write_text(FULL, encoding="utf-8")


def test_the_admin_has_a_field_for_every_key_the_schema_defines(editor, pack_root):
    _write_full(pack_root)
    settings = editor.get("/stories/test/full/settings")
    assert settings.status_code == 200, settings.get_data(as_text=True)
    fields = {_key(n) for n in _names(settings.get_data(as_text=True))}
    for sid in ("home", "end"):
        page = editor.get(f"/stories/test/full/scenes/{sid}").get_data(as_text=True)
        # the scene editor's names are relative to the scene; its picture path is "image"
        fields |= {_key(n, f"scenes.{sid}.").replace("scene.image", "scene.image.src")
                   if n == "image" else _key(n, f"scenes.{sid}.") for n in _names(page)}
    missing = sorted(_schema_paths() - fields)
    assert missing == [], f"keys the admin has no field for: {missing}"


def test_the_page_shows_the_story_and_saving_it_unchanged_changes_nothing(editor, pack_root,
                                                                            app):
    _write_full(pack_root)
    path = pack_root / "stories" / "full.yaml"
    page = editor.get("/stories/test/full/settings").get_data(as_text=True)
    items = dict(form_items(page))
    assert items["consent.record"] == "CF-1" and items["consent.countries"] == "SE"
    assert items["consent.review_by"] == "2028-06-30" and items["title.sv"] == "Hela"
    assert items["sources.ilo.year"] == "2022" and items["variables"] == "asked=false"
    assert items["scenes.home.image.tags"] == "house"
    assert items["scenes.home.choices[0].add"] == "trust=1"
    assert items["scenes.end.discussion.en"] == "What now?"
    r = editor.post("/stories/test/full/settings", data=form_items(page))
    assert r.status_code == 303
    assert path.read_text(encoding="utf-8") == FULL
    with database(app).session() as db:
        assert db.query(Revision).count() == 0


def _changed(page: str, **changes) -> MultiDict:
    items = [(k, v) for k, v in form_items(page).items(multi=True) if k not in changes]
    for k, v in changes.items():
        items += [(k, x) for x in (v if isinstance(v, list) else [v])]
    return MultiDict(items)


def test_a_curator_sets_consent_languages_sources_and_prompts(as_role, pack_root, app):
    curator = as_role(Role.CURATOR)
    path = pack_root / "stories" / "ana.yaml"
    page = curator.get(SETTINGS).get_data(as_text=True)
    r = curator.post(SETTINGS, data=_changed(
        page, **{"title.sv": "Anas långa sommar", "languages": ["sv"],
                 "consent.countries": "se, it", "consent.kind": "pseudonymised",
                 "consent.review_by": "2028-01-31", "involves_minor": "1",
                 "profile.exploitation": ["labour", "sexual"], "profile.gender": "female",
                 "new_source.id": "unodc", "new_source.text": "UNODC 2024",
                 "new_source.year": "2024", "scenes.friend.sources": "unodc",
                 "scenes.friend.discussion.sv": "Vad kunde vännen göra?",
                 "scenes.home.choices[1].add": "trust=2", "variables": "asked=false",
                 "duration": "4", "age_min": "14"}))
    assert r.status_code == 303, r.get_data(as_text=True)
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert story["title"] == {"sv": "Anas långa sommar", "en": "Ana's summer"}
    assert story["languages"] == ["sv"]
    assert story["consent"]["countries"] == ["SE", "IT"]
    assert story["consent"]["kind"] == "pseudonymised"
    assert str(story["consent"]["review_by"]) == "2028-01-31"
    assert story["involves_minor"] is True
    assert story["profile"] == {"gender": "female", "exploitation": ["labour", "sexual"]}
    assert story["sources"] == {"unodc": {"text": "UNODC 2024", "year": 2024}}
    assert story["scenes"]["friend"]["sources"] == ["unodc"]
    assert story["scenes"]["friend"]["discussion"] == {"sv": "Vad kunde vännen göra?"}
    assert story["scenes"]["home"]["choices"][1]["add"] == {"trust": 2}
    assert (story["duration"], story["age_min"], story["variables"]) == (4, 14, {"asked": False})
    loaded = load_pack(pack_root)
    assert [f for f in loaded.findings if f.severity == "error"] == []
    with database(app).session() as db:
        rev = db.query(Revision).one()
        assert rev.summary == "story settings" and rev.actor == curator.user.username
        entry = db.query(AuditEntry).filter_by(action="content.save").one()
        assert entry.target == "test:stories/ana.yaml"


def test_a_validator_error_is_shown_beside_its_field_and_nothing_is_written(editor,
                                                                             pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text(encoding="utf-8")
    page = editor.get(SETTINGS).get_data(as_text=True)
    r = editor.post(SETTINGS, data=_changed(page, **{"consent.review_by": "2040-01-01"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert path.read_text(encoding="utf-8") == before
    beside = re.search(r'id="consent-review_by-findings">(.*?)</ul>', html, re.S)
    assert beside and "more than three years" in beside.group(1)
    assert html.count("more than three years") == 1  # beside its field, not again
    r = editor.post(SETTINGS, data=_changed(page, **{"duration": "ten"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and path.read_text(encoding="utf-8") == before
    beside = re.search(r'id="duration-findings">(.*?)</ul>', html, re.S)
    assert beside and "whole number" in beside.group(1)
    assert 'value="ten"' in html  # the user's values are kept


def test_removing_the_consent_is_refused(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text(encoding="utf-8")
    page = editor.get(SETTINGS).get_data(as_text=True)
    r = editor.post(SETTINGS, data=_changed(page, **{
        "consent.kind": "", "consent.record": "", "consent.countries": "",
        "consent.review_by": ""}))
    assert r.status_code == 422 and "no consent on record" in r.get_data(as_text=True)
    assert path.read_text(encoding="utf-8") == before


def test_a_stale_form_is_refused_and_the_other_change_kept(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    page = editor.get(SETTINGS).get_data(as_text=True)
    other = path.read_text(encoding="utf-8").replace("duration: 2", "duration: 6")
    path.write_text(other, encoding="utf-8")
    r = editor.post(SETTINGS, data=_changed(page, **{"age_min": "15"}))
    assert r.status_code == 409
    assert path.read_text(encoding="utf-8") == other
    html = r.get_data(as_text=True)
    assert 'value="15"' in html and base_hash(html) != base_hash(page)


def test_the_story_id_cannot_be_changed_here(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    before = path.read_text(encoding="utf-8")
    page = editor.get(SETTINGS).get_data(as_text=True)
    r = editor.post(SETTINGS, data=_changed(page, id="bella"))
    assert r.status_code == 400 and path.read_text(encoding="utf-8") == before


def test_viewers_read_translators_do_not_and_neither_saves(as_role, pack_root):
    viewer = as_role(Role.VIEWER)
    page = viewer.get(SETTINGS)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<fieldset disabled>" in html and "Save the settings" not in html
    assert viewer.post(SETTINGS, data=form_items(html)).status_code == 403
    translator = as_role(Role.TRANSLATOR, languages="en")
    assert translator.get(SETTINGS).status_code == 403
    assert translator.post(SETTINGS, data=form_items(html)).status_code == 403


def test_the_demo_stories_come_back_byte_for_byte_from_an_unchanged_form():
    from admin.content import storysettings as SS
    from admin.content.yamledit import edit_document, load
    from kiosk.paths import repo_content

    loaded = load_pack(repo_content())
    assert loaded.pack.stories
    for story in loaded.pack.stories.values():
        text = (repo_content() / story.file).read_text("utf-8")
        form = SS.to_form(load(text), story.languages)
        langs = story.languages
        assert edit_document(text, lambda d, f=form, ls=langs: SS.apply(d, f, ls)) == text, \
            story.id


def test_tags_on_a_picture_given_as_a_path_make_it_a_mapping():
    from admin.content import storysettings as SS
    from admin.content.yamledit import edit_document, load

    text = FULL.replace("    image: {src: images/home.png, alt: {sv: Ett hus., en: A house.}, "
                        "tags: [house]}\n", "    image: images/home.png\n")
    form = SS.to_form(load(text), list(LANGS))
    assert form["scenes.home.image.tags"] == ""
    form.setlist("scenes.home.image.tags", ["house, street"])
    form.setlist("scenes.home.image.focus", ["0.5, 0.25"])
    new = yaml.safe_load(edit_document(text, lambda d: SS.apply(d, form, list(LANGS))))
    assert new["scenes"]["home"]["image"] == {"src": "images/home.png",
                                              "tags": ["house", "street"],
                                              "focus": [0.5, 0.25]}
