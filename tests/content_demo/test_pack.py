"""The demo pack as curators and visitors meet it: valid, complete, careful (ETHICS.md)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest

from kiosk.content import ERROR, WARNING
from kiosk.content.model import BLOCKED_TAGS
from tests.support.demo_pack import COUNTRIES, PACK, TOURING, all_paths
from tests.support.fixture_date import TODAY


def test_the_strict_check_passes_with_no_findings(loaded):
    findings = [f for f in loaded.findings if f.severity in (ERROR, WARNING)]
    assert loaded.ok and findings == [], "\n".join(str(f) for f in findings)


def test_the_command_line_check_passes_strict():
    res = subprocess.run([sys.executable, "-m", "kiosk", "check", "content", "--strict",
                          "--today", TODAY.isoformat()],
                         cwd=PACK.parent, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_story_is_fully_covered_in_every_language_it_offers(loaded, pack):
    for sid, story in pack.stories.items():
        assert loaded.coverage[sid] == {lang: 100.0 for lang in story.languages}


def test_the_pack_offers_the_touring_languages_and_arabic_for_one_story(pack):
    # the country-neutral base: no country (each overlay names its own); Swedish, the
    # language the stories were written in, is the translators' source
    assert pack.id == "demo" and pack.default_language == "sv" and pack.country == ""
    assert pack.languages == TOURING + ["ar"]
    assert sorted(pack.stories) == ["emil", "nadia", "samir"]
    arabic = [s for s in pack.stories.values() if "ar" in s.languages]
    assert [s.id for s in arabic] == ["samir"]
    for story in pack.stories.values():
        assert story.languages[: len(TOURING)] == TOURING


def test_each_story_has_8_to_14_scenes_and_2_to_3_branching_points(pack):
    for story in pack.stories.values():
        assert 8 <= len(story.scenes) <= 14, story.id
        branching = [s for s in story.scenes.values() if len(s.choices) >= 2]
        assert 2 <= len(branching) <= 3, story.id
        assert 5 <= story.duration <= 8


def test_every_path_ends_with_what_helped_and_what_a_visitor_can_do(pack):
    for story in pack.stories.values():
        for school in (False, True):
            paths = all_paths(story, school)
            assert paths, story.id
            for path in paths:
                end = story.scenes[path[-1]].ending
                for lang in story.languages:
                    assert end.helped.get(lang) and end.action.get(lang), (story.id, path, lang)
                assert 6 <= len(path) <= 11, (story.id, path)


def test_choices_are_a_bystanders_never_the_exploited_persons(pack):
    # Visitors choose as bystanders or learners: labels speak of others in the third person
    # or ask a question, never "I" or "you" as the exploited person, and the person is never
    # the one acting in a choice, so no branch makes them "choose" (ETHICS.md rule 9).
    first_person = re.compile(r"\b(I|I'm|me|my)\b")
    for story in pack.stories.values():
        person = story.id.capitalize()  # each demo story is named after its person
        for scene in story.scenes.values():
            for choice in scene.choices:
                label = choice.label["en"]
                assert not first_person.search(label), label
                assert not re.match(rf"{person}\b(?!'s)", label), (story.id, label)


BLAME = re.compile(
    r"\b(fault|to blame|should(n't| not)? have|if only|naive|gullible|stupid|foolish|"
    r"(she|he|they) chose|could have left|let (it|this) happen|brought (it|this) on|"
    r"asked for it|careless)\b", re.IGNORECASE)


def test_no_ending_blames_the_person(pack):
    # Every ending, with what helped and what a visitor can do, is free of blaming words;
    # the wording of the other languages follows the English, checked by their translators.
    endings = 0
    for story in pack.stories.values():
        for scene in story.scenes.values():
            if scene.ending is None:
                continue
            endings += 1
            for text in (scene.text["en"], scene.ending.helped["en"], scene.ending.action["en"]):
                assert not BLAME.search(text), (story.id, scene.id, BLAME.search(text).group())
    assert endings >= len(pack.stories)


def test_consent_is_composite_fiction_on_record_for_the_touring_countries(pack):
    today = TODAY
    records = set()
    for story in pack.stories.values():
        c = story.consent
        assert c.kind == "composite-fiction" and re.fullmatch(r"CF-\d{4}-\d{3}", c.record)
        assert set(c.countries) == COUNTRIES
        assert today < c.review_by <= today.replace(year=today.year + 3)
        records.add(c.record)
    assert len(records) == 3


def test_the_story_with_a_minor_is_flagged_and_has_no_photos(pack):
    emil = pack.stories["emil"]
    assert emil.involves_minor and emil.profile.age_group == "youth"
    assert not any(s.image.photo for s in emil.scenes.values())
    assert {s.profile.exploitation[0] for s in pack.stories.values()} == {
        "sexual", "labour", "forced-criminality"}


def test_hard_scenes_carry_notes_and_school_alternatives(pack):
    for story in pack.stories.values():
        assert story.content_notes, story.id
        hard = [s for s in story.scenes.values() if s.school]
        assert hard, f"{story.id} has no school alternative"
        for scene in hard:
            assert scene.content_notes
            alternative = story.scenes[scene.school]
            assert alternative.next == scene.next
            assert not set(alternative.content_notes) & {"sexual-exploitation", "threats"} or \
                len(alternative.content_notes) < len(scene.content_notes)
        for scene in story.scenes.values():
            assert set(scene.content_notes) <= set(pack.content_notes)


def test_pictures_are_described_and_never_sensational(pack):
    for story in pack.stories.values():
        for scene in story.scenes.values():
            img = scene.image
            assert img and img.tags and "illustration" in img.tags, (story.id, scene.id)
            assert not set(img.tags) & set(BLOCKED_TAGS) and not img.photo
            # described once, in the media library (pack.yaml's pictures:), not per scene
            assert not img.alt, (story.id, scene.id)
            alt = pack.alt_text(img)
            assert all(alt.get(lang) for lang in story.languages), (story.id, scene.id)


def test_statistics_have_sources_with_a_year(pack):
    digits = re.compile(r"\d")
    for story in pack.stories.values():
        for scene in story.scenes.values():
            if any(digits.search(t) for t in scene.text.values()):
                assert scene.sources, f"{story.id}/{scene.id} has figures without a source"
                for src in scene.sources:
                    assert 2020 <= story.sources[src].year <= 2026


LOCAL = {"SE": "sv", "IT": "it", "LV": "lv", "GR": "el"}


def test_the_base_has_the_eu_wide_112_only(pack):
    assert [(h.id, h.number, h.countries) for h in pack.helplines] == [("emergency", "112", [])]


def test_each_overlay_is_its_country_over_the_base_and_checks_clean(overlays):
    for country, loaded in overlays.items():
        findings = [f.format() for f in loaded.findings]
        assert loaded.ok and findings == [], (country, findings)
        p = loaded.pack
        assert (p.id, p.version, p.country, p.default_language) == (
            f"demo-{country.lower()}", "1.0.0", country, LOCAL[country])
        assert [b.id for b in p.bases] == ["demo"]
        assert sorted(p.stories) == ["emil", "nadia", "samir"]


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_the_command_line_check_of_each_overlay_passes_strict(country):
    res = subprocess.run([sys.executable, "-m", "kiosk", "check", f"content-{country.lower()}",
                          "--strict", "--today", TODAY.isoformat()],
                         cwd=PACK.parent, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_helplines_cover_each_country_with_112_first(overlays):
    for country, loaded in overlays.items():
        lines = loaded.pack.helplines
        assert all(country in h.countries for h in lines), country  # only its own lines
        assert len(lines) >= 2 and lines[0].number == "112", country
        # the base's 112, replaced by id to claim only the country's language and English
        assert lines[0].id == "emergency" and lines[0].languages == [LOCAL[country], "en"]
        for h in lines:
            assert h.verified == dt.date(2026, 11, 28) <= TODAY
            assert all(h.hours.get(lang) for lang in loaded.pack.languages), h.id
            assert all(h.audience.get(lang) for lang in loaded.pack.languages), h.id
            if h.number == "116 006":
                assert not set(h.countries) & {"IT", "GR"}


# The law each country's note names (its penal code's article on trafficking), in the
# country's language, and in English.
LAW = {"SE": ("brottsbalken (4 kap. 1 a §)", "chapter 4, section 1 a"),
       "IT": ("articolo 601 del codice penale", "article 601 of the Criminal Code"),
       "LV": ("Krimināllikuma 154.¹ pants", "section 154.1 of the Criminal Law"),
       "GR": ("άρθρο 323Α του Ποινικού Κώδικα", "article 323A of the Penal Code")}


def test_each_overlay_ends_nadias_story_with_its_law_and_where_to_report(pack, overlays):
    base = pack.stories["nadia"].scenes["after"].ending.action
    for country, loaded in overlays.items():
        action = loaded.pack.stories["nadia"].scenes["after"].ending.action
        local, english = LAW[country]
        assert action[LOCAL[country]].startswith(base[LOCAL[country]])
        assert local in action[LOCAL[country]] and english in action["en"], country
        assert local not in base[LOCAL[country]]
        for other in set(LOCAL.values()) - {LOCAL[country], "en"}:
            if other in action:  # the other languages keep the base's text
                assert action[other] == base[other], (country, other)


def test_the_latvian_overlay_adds_a_text_the_base_does_not_have(pack, overlays):
    assert pack.stories["nadia"].scenes["talk"].discussion == {}
    latvia = overlays["LV"].pack
    talk = latvia.stories["nadia"].scenes["talk"].discussion
    assert set(talk) == {"lv", "en"} and "Latvijā" in talk["lv"]
    assert latvia.languages == ["lv", "en"] and latvia.fallback == {"lv": ["en"]}


def test_the_surveys_pair_myths_before_and_after_with_a_rating(pack):
    before, after = pack.surveys.before, pack.surveys.after
    assert 4 <= len(before) <= 5 and [q.id for q in before] == [q.id for q in after]
    assert {q.kind for q in before + after} == {"agreement"}
    assert pack.surveys.rating.kind == "rating"
    for q in before + [pack.surveys.rating]:
        assert all(q.text.get(lang) for lang in pack.languages), q.id


def test_texts_use_the_letters_their_readers_expect(pack):
    texts = {lang: " ".join(s.text.get(lang, "") for st in pack.stories.values()
                            for s in st.scenes.values()) for lang in pack.languages}
    for lang, letters in {"lv": "āčēģīķļņšūž", "sv": "åäö", "it": "àèéìòù", "el": "άέήίόύώ"}.items():
        assert set(letters) <= set(texts[lang]), (lang, set(letters) - set(texts[lang]))
    greek_words = re.findall(r"[\u0370-\u03ff\u1f00-\u1fff]+", texts["el"])
    assert not [w for w in greek_words if w.endswith("σ")], "a Greek word ends in σ, not ς"
    assert not [w for w in greek_words if "ς" in w[:-1]], "ς inside a Greek word"
    assert re.search(r"[\u0600-\u06ff]", texts["ar"]) and not re.search(r"[A-Za-z]", texts["ar"])
