"""The validator's rules at their edges: the day a date turns, the pack-level rules (fallback,
surveys, pictures, strings) and where a finding points (docs/content-format.md, ETHICS.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.content import load_pack
from tests.support.finding_catalog import untranslated
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
FRIEND = "    text: {sv: Vännen"
# the fixture story's texts given per language: title, summary, four scene texts, four
# choice labels, the ending's helped and action (docs/content-format.md, the slots table)
TEXTS = 12


def load(pack, today: dt.date = TODAY):
    """The pack loaded as the kiosk would on `today`, and its findings by code."""
    loaded = load_pack(pack.root, today=today)
    assert not untranslated(loaded.findings), "staff would read these in English"
    found: dict[str, list] = {}
    for f in loaded.findings:
        found.setdefault(f.code, []).append(f)
    return loaded, found


CONSENT_DAYS = [  # (today, review_by, the consent codes expected)
    (TODAY, TODAY, set()),  # the review date is today: not passed yet
    (TODAY, TODAY - dt.timedelta(days=1), {"consent-expired"}),
    (TODAY, dt.date(2029, 11, 28), set()),  # exactly three years ahead
    (TODAY, dt.date(2029, 11, 29), {"consent-too-far"}),
    (dt.date(2028, 2, 29), dt.date(2031, 2, 28), set()),  # three years after a 29 February
    (dt.date(2028, 2, 29), dt.date(2031, 3, 1), {"consent-too-far"}),
]


@pytest.mark.parametrize("today,review_by,expected", CONSENT_DAYS,
                         ids=[f"{t}-{r}" for t, r, _ in CONSENT_DAYS])
def test_a_review_date_is_at_most_three_years_out_and_not_past(pack, today, review_by, expected):
    pack.edit(STORY, "review_by: 2028-06-30", f"review_by: {review_by}")
    loaded, found = load(pack, today)
    assert {c for c in found if c.startswith("consent")} == expected
    for code in expected:
        assert found[code][0].path == "consent.review_by" and found[code][0].line == 7
        assert str(review_by) in found[code][0].message


@pytest.mark.parametrize("code,old,new", [
    ("consent-missing", "consent: {kind: composite-fiction, record: CF-TEST-1, countries: [SE], "
     "review_by: 2028-06-30}\n", ""),
    ("consent-expired", "2028-06-30", "2026-01-31"),
    ("consent-too-far", "2028-06-30", "2030-06-30"),
    ("consent-country", "countries: [SE]", "countries: [IT]"),
], ids=["missing", "expired", "too-far", "country"])
def test_a_consent_finding_tells_the_author_what_to_do(pack, code, old, new):
    pack.edit(STORY, old, new)
    loaded, found = load(pack)  # load() holds the advice to the admin's catalogue
    advice = found[code][0]
    assert advice.hint_msgid and advice.hint not in ("", "None")
    assert advice.path == code.replace("-missing", "").replace("-expired", ".review_by") \
        .replace("-too-far", ".review_by").replace("-country", ".countries")


def test_a_consent_with_one_wrong_field_names_that_field_not_a_missing_consent(pack):
    pack.edit(STORY, "review_by: 2028-06-30", "review_by: 2028-13-45")
    loaded, found = load(pack)
    assert "consent-missing" not in found
    assert any(f.path == "consent.review_by" and f.severity == "error"
               for f in loaded.findings), [f.format() for f in loaded.findings]


def test_a_pack_with_no_country_asks_no_country_of_the_consent(pack):
    pack.edit(STORY, "countries: [SE]", "countries: [IT]")
    pack.edit("pack.yaml", "country: SE\n", "")
    loaded, found = load(pack)
    assert "consent-country" not in found and loaded.ok


def test_a_helpline_is_stale_only_when_verified_more_than_90_days_ago(pack):
    pack.edit("pack.yaml", "verified: 2026-11-20", f"verified: {TODAY - dt.timedelta(days=90)}")
    assert "helpline-stale" not in load(pack)[1]
    pack.edit("pack.yaml", f"verified: {TODAY - dt.timedelta(days=90)}",
              f"verified: {TODAY - dt.timedelta(days=91)}")
    stale = load(pack)[1]["helpline-stale"][0]
    assert stale.severity == "warning" and stale.path == "helplines[0].verified"
    assert stale.message == 'helpline "eu-112" (112) was last verified 91 days ago'
    assert stale.hint == "call it, then update verified"


def test_a_missing_helpline_text_names_the_helpline_by_its_id(pack):
    pack.edit("pack.yaml", "hours: {sv: Dygnet runt, en: 24/7}", "hours: {sv: Dygnet runt}")
    missing = load(pack)[1]["missing-translation"][0]
    assert missing.path == "helplines[0].hours" and missing.line == 11
    assert missing.message == "helplines[0].hours has no en text"
    assert missing.format().endswith(": warning: helplines[0].hours has no en text")
    # the admin says "helpline 'eu-112', field 'hours'", not "helpline 1"
    assert missing.params["path"][1]["place"] == ["helpline '%(id)s'", {"id": "eu-112"}]


def test_a_content_note_is_translated_like_any_text(pack):
    pack.edit("pack.yaml", "label: {sv: Hot, en: Threats}",
              "label: {sv: Hot, en: Threats}\n    description: {sv: Någon hotar.}")
    missing = load(pack)[1]["missing-translation"]
    assert [f.path for f in missing] == ["content_notes.threats.description"]


SINGLE = ("    - id: where\n      kind: single\n      text: {sv: Var?, en: Where?}\n"
          "      options:\n")


def test_a_single_choice_question_needs_two_options(pack):
    pack.edit("pack.yaml", "  rating:\n",
              SINGLE + "        - {id: a, label: {sv: Här, en: Here}}\n  rating:\n")
    loaded, found = load(pack)
    bad = found["survey-options"][0]
    assert bad.severity == "error" and bad.path == "surveys.after[1]"
    assert bad.message == 'question "where" needs at least two options'
    assert bad.format().endswith(': error: question "where" needs at least two options')
    pack.edit("pack.yaml", "        - {id: a, label: {sv: Här, en: Here}}\n",
              "        - {id: a, label: {sv: Här, en: Here}}\n"
              "        - {id: b, label: {sv: Där, en: There}}\n")
    assert "survey-options" not in load(pack)[1]


def test_survey_texts_missing_a_language_are_found_at_their_question(pack):
    pack.edit("pack.yaml", "  rating:\n",
              SINGLE + "        - {id: a, label: {sv: Här, en: Here}}\n"
              "        - {id: b, label: {sv: Där}}\n  rating:\n")
    pack.edit("pack.yaml", "text: {sv: Vad tyckte du om berättelsen?, en: How would you rate "
              "the story?}", "text: {sv: Vad tyckte du om berättelsen?}")
    pack.edit("pack.yaml", "text: {sv: Den som utnyttjas kan lämna när hen vill., en: People "
              "who are exploited can leave whenever they want.}",
              "text: {sv: Den som utnyttjas kan lämna när hen vill.}")
    missing = sorted(f.path for f in load(pack)[1]["missing-translation"])
    assert missing == ["surveys.after[1].options[1].label", "surveys.before[0].text",
                       "surveys.rating.text"]


def overlay(pack, body: str):
    """A country overlay of the pack beside it (docs/content-format.md: `fallback:` is an
    overlay's), its pack.yaml ending with `body`; the overlay's folder."""
    root = pack.root.parent / "se"
    root.mkdir(exist_ok=True)
    (root / "pack.yaml").write_text('id: test-se\nversion: "1.0.0"\n'
                                    'extends: {pack: test, version: ">=1.0, <2"}\n' + body,
                                    encoding="utf-8")
    return root


@pytest.mark.parametrize("fallback,path,message,hint", [
    ("{fi: [sv]}", "fallback.fi", 'a fallback is given for "fi", which the pack does not offer',
     ""),
    ("{svv: [en]}", "fallback.svv",
     'a fallback is given for "svv", which the pack does not offer', 'did you mean "sv"?'),
    ("{en: [en]}", "fallback.en[0]",
     '"en" falls back to "en", which is not another language of the pack', ""),
    ("{en: [sv, fi]}", "fallback.en[1]",
     '"en" falls back to "fi", which is not another language of the pack', ""),
    ("{en: [svv]}", "fallback.en[0]",
     '"en" falls back to "svv", which is not another language of the pack', 'did you mean "sv"?'),
], ids=["not-offered", "not-offered-misspelt", "itself", "other-not-offered", "misspelt"])
def test_a_fallback_names_other_languages_of_the_pack(pack, fallback, path, message, hint):
    loaded = load_pack(overlay(pack, f"fallback: {fallback}\n"), today=TODAY)
    assert not untranslated(loaded.findings)
    bad = [f for f in loaded.findings if f.code == "bad-language" and f.path == path]
    assert bad, [f.format() for f in loaded.findings]
    assert bad[0].message == message and bad[0].hint == hint and bad[0].severity == "error"
    assert bad[0].file == "pack.yaml" and bad[0].line == 4
    assert len([f for f in loaded.findings if f.code == "bad-language"]) == 1


def test_a_text_its_fallback_language_has_is_no_warning_but_counts_as_not_own(pack):
    pack.edit(STORY, "{sv: Vännen är orolig., en: The friend is worried.}", "{sv: Vännen är orolig.}")
    loaded, found = load(pack)
    missing = found["missing-translation"][0]
    assert missing.path == "scenes.friend.text" and missing.line == 19
    assert loaded.coverage["ana"] == {"sv": 100.0, "en": pytest.approx(100 * (TEXTS - 1) / TEXTS)}
    assert not loaded.fallbacks

    loaded = load_pack(overlay(pack, "fallback: {en: [sv]}\n"), today=TODAY)
    assert loaded.ok and loaded.findings == [], [f.format() for f in loaded.findings]
    assert loaded.fallbacks == {"ana": {"en": ["ana/scenes/friend/text"]}}
    assert loaded.coverage["ana"]["en"] == pytest.approx(100 * (TEXTS - 1) / TEXTS)


def test_a_story_offered_in_fewer_languages_is_measured_in_those(pack):
    pack.edit(STORY, "duration: 2", "languages: [sv]\nduration: 2")
    pack.edit(STORY, "{sv: Vännen är orolig., en: The friend is worried.}", "{sv: Vännen är orolig.}")
    loaded, found = load(pack)
    assert loaded.coverage["ana"] == {"sv": 100.0} and "missing-translation" not in found


def test_strings_for_a_language_the_pack_does_not_offer_are_warned_about(pack):
    pack.append("pack.yaml", 'strings:\n  fi:\n    "Leave now": "Lähde nyt"\n')
    unused = load(pack)[1]["unused-language"][0]
    assert unused.severity == "warning" and unused.path == "strings.fi" and unused.line == 34
    assert unused.message == 'strings are given for "fi", which the pack does not offer'


def test_a_library_picture_whose_file_is_gone_is_a_warning_a_wrong_file_an_error(pack):
    pack.write("media/text.png", "not a picture\n")
    pack.append("pack.yaml", "pictures:\n  gone.png:\n    alt: {sv: Borta, en: Gone}\n"
                "  text.png:\n    alt: {sv: Text, en: Text}\n")
    loaded, found = load(pack)
    gone = found["media-missing"][0]
    assert gone.severity == "warning" and gone.path == "pictures.gone.png"
    assert gone.hint == "remove its entry from pictures, or restore the file"
    wrong = found["media-type"][0]
    assert wrong.severity == "error" and wrong.path == "pictures.text.png" and not loaded.ok


def test_a_video_without_subtitles_is_warned_about(pack):
    pack.edit(STORY, FRIEND, f"    video: {{src: friend.mp4}}\n{FRIEND}")
    warned = load(pack)[1]["no-subtitles"][0]
    assert warned.severity == "warning" and warned.path == "scenes.friend.video"
    assert warned.message == 'the video of scene "friend" has no subtitles'


def test_a_finding_about_an_unwritten_value_points_at_its_nearest_written_parent(pack):
    from tests.content.test_rules import png

    pack.write("media/p.png", png(10, 10))
    pack.append("pack.yaml", "pictures:\n  p.png:\n    alt: {sv: En bild}\n")
    pack.edit(STORY, FRIEND, f"    image: p.png\n{FRIEND}")
    loaded, found = load(pack)
    # the scene writes no alt: the missing English alt text is the picture's, on line 19
    scene = [f for f in found["missing-translation"] if f.file == STORY]
    assert [(f.path, f.line, f.col) for f in scene] == [("scenes.friend.image.alt", 19, 12)]


def test_a_picture_with_a_blocked_tag_or_of_a_minor_publishes_with_an_override(pack):
    from tests.content.test_rules import png

    pack.write("media/p.png", png(10, 10))
    pack.edit(STORY, "start: home", "involves_minor: true\nstart: home")
    pack.edit(STORY, FRIEND, "    image: {src: p.png, photo: true, tags: [chains], alt: {sv: x, "
              "en: x}, override: {reviewer: Eva, reason: a drawing of the real place, "
              "date: 2026-11-01}}\n" + FRIEND)
    loaded, found = load(pack)
    assert "blocked-imagery" not in found and "minor-photo" not in found and loaded.ok


def test_a_variable_declared_or_added_to_is_set(pack):
    pack.edit(STORY, "if: asked", "if: asked and seen > 1 and tries > 0")
    pack.edit(STORY, "set: {asked: true}", "set: {asked: true}\n        add: {tries: 1}")
    pack.edit(STORY, "start: home", "variables: {seen: 0}\nstart: home")
    loaded, found = load(pack)
    assert loaded.ok and found == {}, [f.format() for f in loaded.findings]


def test_a_scene_reached_only_as_a_school_alternative_is_reachable(pack):
    pack.edit(STORY, "    next: advert\n", "    next: advert\n    school: calm\n")
    pack.append(STORY, "  calm:\n    text: {sv: Lugnt., en: Calm.}\n    next: advert\n")
    loaded, found = load(pack)
    assert "unreachable" not in found and loaded.ok


def test_a_helpline_answering_in_languages_cldr_knows_is_clean(pack):
    pack.edit("pack.yaml", "    countries: []",
              "    languages: [sv, en, ar, el, lv, it, fa-AF, sr-Latn]\n    countries: []")
    loaded, found = load(pack)
    assert loaded.ok and found == {}


def test_a_base_packs_media_is_found_in_the_base_when_an_overlay_is_checked(pack):
    # a base story's picture and a picture of the base's library
    from tests.content.test_rules import png

    pack.write("media/p.png", png(10, 10))
    pack.write("media/q.png", png(10, 10))
    pack.edit(STORY, FRIEND, "    image: {src: p.png, alt: {sv: En bild, en: A picture}}\n"
              f"{FRIEND}")
    pack.append("pack.yaml", "pictures:\n  q.png:\n    alt: {sv: En bild, en: A picture}\n")
    assert load(pack)[0].ok
    loaded = load_pack(overlay(pack, ""), today=TODAY)
    assert loaded.ok and loaded.findings == [], [f.format() for f in loaded.findings]


# Pack-level findings as an author reads them: [(old, new)] in pack.yaml, then pack.yaml's
# lines (code, whole line)
PACK_LINES = [
    ([("default_language: sv", "default_language: svv")], [(
        "bad-language",
        'pack.yaml:5:19: error: the default language "svv" is not in languages (did you mean '
        '"sv"?)')]),
    ([("    countries: []", "    languages: [sv, xq]\n    countries: []")], [(
        "bad-language",
        'pack.yaml:12:21: error: helpline "eu-112" answers in "xq", a language code CLDR does '
        "not know (the kiosk names each language in itself, e.g. sv, en, ar)")]),
    ([("title: {sv: Testpaket, en: Test pack}", "title: {sv: Testpaket}")], [(
        "missing-translation", "pack.yaml:3:8: warning: title has no en text")]),
    # a language added to the pack: every text of pack.yaml that lacks it, in file order
    ([("languages: [sv, en]", "languages: [sv, en, xq]")], [
        ("missing-translation", "pack.yaml:3:8: warning: title has no xq text"),
        ("bad-language",
         'pack.yaml:4:21: error: "xq" is not a language CLDR knows (use an ISO 639 code CLDR '
         "has data for, e.g. sv, en, el, ar, fa, ti)"),
        ("missing-translation", "pack.yaml:11:12: warning: helplines[0].hours has no xq text"),
        ("missing-translation",
         "pack.yaml:16:12: warning: content_notes.threats.label has no xq text"),
        ("missing-translation",
         "pack.yaml:21:13: warning: surveys.before[0].text has no xq text"),
        ("missing-translation", "pack.yaml:25:13: warning: surveys.after[0].text has no xq text"),
        ("missing-translation", "pack.yaml:29:11: warning: surveys.rating.text has no xq text"),
    ]),
    ([("  idle_timeout: 60", "  idle_timeout: 60\n  attract: [text.png]")], [(
        "media-type",
        "pack.yaml:32:13: error: media/text.png is not a file of that kind, whatever its name "
        "says (export it again in the format its extension names)")]),
    ([("  idle_timeout: 60", "  idle_timeout: 60\n  attract: [v.mp4]")], [(
        "media-type",
        "pack.yaml:32:13: error: media/v.mp4 is a video file where an image is expected")]),
    # the picture library (`pictures:`): a file gone is a warning, a wrong file an error
    ([("kiosk:\n", "pictures:\n  gone.png:\n    alt: {sv: Borta, en: Gone}\n  text.png:\n"
       "    alt: {sv: Text, en: Text}\n  v.mp4:\n    alt: {sv: Film, en: Film}\nkiosk:\n")], [
        ("media-missing",
         "pack.yaml:32:5: warning: the file media/gone.png does not exist (remove its entry "
         "from pictures, or restore the file)"),
        ("media-type",
         "pack.yaml:34:5: error: media/text.png is not a file of that kind, whatever its name "
         "says (export it again in the format its extension names)"),
        ("media-type", "pack.yaml:36:5: error: media/v.mp4 is a video file where an image is "
         "expected")]),
]


@pytest.mark.parametrize("edits,lines", PACK_LINES, ids=[f"{w[1][-1][0]}-{i}" for i, w in enumerate(PACK_LINES)])
def test_a_pack_finding_reads_as_an_author_needs(pack, edits, lines):
    import shutil

    from tests.support.kiosk_driver import DEMO_PACK

    pack.write("media/text.png", "not a picture\n")
    shutil.copy(DEMO_PACK / "media" / "video" / "emil.mp4", pack.root / "media" / "v.mp4")
    for old, new in edits:
        pack.edit("pack.yaml", old, new)
    loaded = load_pack(pack.root, today=TODAY)
    assert not untranslated(loaded.findings)
    assert [(f.code, f.format()) for f in loaded.findings if f.file == "pack.yaml"] == lines


def test_pack_texts_a_fallback_language_has_are_no_warning_in_an_overlay(pack):
    # helplines, content notes, surveys and the pack's title follow `fallback:` as stories do
    for old, new in [("title: {sv: Testpaket, en: Test pack}", "title: {sv: Testpaket}"),
                     ("hours: {sv: Dygnet runt, en: 24/7}", "hours: {sv: Dygnet runt}"),
                     ("label: {sv: Hot, en: Threats}", "label: {sv: Hot}"),
                     ("text: {sv: Vad tyckte du om berättelsen?, en: How would you rate the "
                      "story?}", "text: {sv: Vad tyckte du om berättelsen?}")]:
        pack.edit("pack.yaml", old, new)
    missing = sorted(f.path for f in load(pack)[1]["missing-translation"])
    assert missing == ["content_notes.threats.label", "helplines[0].hours",
                       "surveys.rating.text", "title"]
    loaded = load_pack(overlay(pack, "fallback: {en: [sv]}\n"), today=TODAY)
    assert loaded.ok and loaded.findings == [], [f.format() for f in loaded.findings]
