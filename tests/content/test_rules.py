"""One failing and one passing case per validator rule: an author breaks the valid pack."""

from __future__ import annotations

import struct
import zlib

import pytest

from kiosk.content import load_pack
from tests.support.finding_catalog import untranslated
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims the given size (the pixels need not be there)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


def codes(pack_copy):
    loaded = load_pack(pack_copy.root, today=TODAY)
    assert not untranslated(loaded.findings), "staff would read these in English"
    return loaded, {f.code: f for f in loaded.findings}


def test_the_valid_pack_is_clean(pack):
    loaded, found = codes(pack)
    assert loaded.ok and found == {}
    assert loaded.coverage == {"ana": {"sv": 100.0, "en": 100.0}}


# Each case: (code, severity, file, line or None, a fragment of the message, the edit)
CASES = [
    ("unreadable", "error", STORY, 3, "invalid YAML",
     lambda p: p.edit(STORY, "summary: {sv", "summary: [sv")),
    ("unreadable", "error", STORY, 2, "not UTF-8",
     lambda p: p.write(STORY, b"id: ana\ntitle: {sv: \xff}\n")),
    ("duplicate-key", "error", STORY, 3, 'the key "title" appears twice',
     lambda p: p.edit(STORY, "summary:", "title: {sv: x}\nsummary:")),
    ("bad-tag", "error", STORY, 1, "not allowed",
     lambda p: p.edit(STORY, "id: ana", "id: !!python/object:os.system ana")),
    ("too-many-values", "error", STORY, None, "aliases",
     lambda p: p.append(STORY, "  extra:\n    text: {sv: x, en: x}\n    choices:\n"
                        "      - &c {goto: end, label: {" + ", ".join(
                            f"{a}{b}: x" for a in "abcdefghijklmnopqrst" for b in "abcdefghijklmnopqrst")
                        + "}}\n" + "      - *c\n" * 400)),
    ("unknown-key", "error", STORY, 3, 'did you mean "summary"',
     lambda p: p.edit(STORY, "summary:", "sumary:")),
    ("wrong-type", "error", STORY, 4, "whole number",
     lambda p: p.edit(STORY, "duration: 2", "duration: two")),
    ("missing-key", "error", STORY, 1, 'needs "start"',
     lambda p: p.edit(STORY, "start: home\n", "")),
    ("bad-scene", "error", STORY, 26, 'did you mean "end"',
     lambda p: p.edit(STORY, "goto: end\n        if: asked", "goto: endd\n        if: asked")),
    ("unreachable", "warning", STORY, None, 'no path reaches scene "lost"',
     lambda p: p.append(STORY, "  lost:\n    text: {sv: x, en: x}\n    next: end\n")),
    ("no-way-on", "error", STORY, None, "has no way on",
     lambda p: p.edit(STORY, "    next: advert\n", "")),
    ("two-ways-on", "error", STORY, None, 'both "next" and "choices"',
     lambda p: p.edit(STORY, "    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}\n",
                      "    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}\n"
                      "    next: friend\n")),
    ("no-way-out", "error", STORY, None, "no path leads to an ending",
     lambda p: p.edit(STORY, "    next: advert\n", "    next: loop\n  loop:\n"
                      "    text: {sv: x, en: x}\n    next: friend\n")),
    ("no-way-out-school", "warning", STORY, None, "in a school session",
     lambda p: p.edit(STORY, "    next: advert\n", "    next: advert\n    school: loop\n  loop:\n"
                      "    text: {sv: x, en: x}\n    next: friend\n")),
    ("all-choices-conditional", "warning", STORY, None, "has a condition",
     lambda p: p.edit(STORY, "goto: end\n  end:", "goto: end\n        if: not asked\n  end:")),
    ("media-missing", "error", STORY, None, "does not exist",
     lambda p: p.edit(STORY, "    text: {sv: Vännen", "    image: friend.jpg\n    text: {sv: Vännen")),
    ("media-type", "error", STORY, None, "whatever its name says",
     lambda p: (p.write("media/friend.png", "#!/bin/sh\nrm -rf /\n"),
                p.edit(STORY, "    text: {sv: Vännen", "    image: friend.png\n    text: {sv: Vännen"))),
    ("media-too-large", "error", STORY, None, "20,000 x 20,000",
     lambda p: (p.write("media/huge.png", png(20000, 20000)),
                p.edit(STORY, "    text: {sv: Vännen", "    image: huge.png\n    text: {sv: Vännen"))),
    ("media-outside", "error", STORY, None, "leads outside",
     lambda p: p.edit(STORY, "    text: {sv: Vännen", "    image: ../pack.yaml\n    text: {sv: Vännen")),
    ("media-outside", "error", STORY, None, "absolute path",
     lambda p: p.edit(STORY, "    text: {sv: Vännen", "    image: /etc/passwd\n    text: {sv: Vännen")),
    ("missing-translation", "warning", STORY, None, "has no en text",
     lambda p: p.edit(STORY, "{sv: Vännen är orolig., en: The friend is worried.}",
                      "{sv: Vännen är orolig.}")),
    ("unknown-note", "error", STORY, 6, 'did you mean "threats"',
     lambda p: p.edit(STORY, "content_notes: [threats]\nconsent", "content_notes: [threat]\nconsent")),
    ("consent-missing", "error", STORY, 1, "no consent",
     lambda p: p.edit(STORY, "consent: {kind: composite-fiction, record: CF-TEST-1, countries: [SE], review_by: 2028-06-30}\n", "")),
    ("consent-expired", "error", STORY, 7, "has passed",
     lambda p: p.edit(STORY, "2028-06-30", "2026-01-31")),
    ("consent-too-far", "error", STORY, 7, "more than three years",
     lambda p: p.edit(STORY, "2028-06-30", "2030-06-30")),
    ("consent-country", "error", STORY, 7, "does not cover SE",
     lambda p: p.edit(STORY, "countries: [SE]", "countries: [IT]")),
    ("minor-photo", "error", STORY, None, "photo in a story involving a minor",
     lambda p: (p.write("media/p.png", png(10, 10)),
                p.edit(STORY, "start: home", "involves_minor: true\nstart: home"),
                p.edit(STORY, "    text: {sv: Vännen",
                       "    image: {src: p.png, photo: true}\n    text: {sv: Vännen"))),
    ("blocked-imagery", "error", STORY, None, "tagged chains",
     lambda p: (p.write("media/p.png", png(10, 10)),
                p.edit(STORY, "    text: {sv: Vännen",
                       "    image: {src: p.png, tags: [chains]}\n    text: {sv: Vännen"))),
    ("helpline-stale", "warning", "pack.yaml", 13, "verified 98 days ago",
     lambda p: p.edit("pack.yaml", "2026-11-20", "2026-08-22")),
    ("statistic-without-source", "warning", STORY, None, "figure without a source",
     lambda p: p.edit(STORY, "Vännen är orolig.", "Vännen läser att 27 % av alla drabbas.")),
    ("bad-condition", "error", STORY, 27, "cannot be read",
     lambda p: p.edit(STORY, "if: asked", "if: asked and and")),
    ("unset-variable", "warning", STORY, 27, 'uses "askd"',
     lambda p: p.edit(STORY, "if: asked", "if: askd")),
    ("id-mismatch", "error", STORY, 1, "differs from its file name",
     lambda p: p.edit(STORY, "id: ana", "id: anna")),
    ("bad-language", "error", STORY, None, "which the pack does not offer",
     lambda p: p.edit(STORY, "duration: 2", "languages: [sv, en, fi]\nduration: 2")),
    ("bad-language", "error", "pack.yaml", 12, "CLDR does not know",
     lambda p: p.edit("pack.yaml", "    countries: []", "    languages: [sv, xq]\n    countries: []")),
    ("bad-language", "error", "pack.yaml", None, "not in languages",
     lambda p: p.edit("pack.yaml", "default_language: sv", "default_language: fi")),
]


@pytest.mark.parametrize("code,severity,file,line,fragment,edit", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(pack, code, severity, file, line, fragment, edit):
    before, found_before = codes(pack)
    assert code not in found_before  # the passing fixture
    edit(pack)
    loaded, _ = codes(pack)
    hits = [f for f in loaded.findings if f.code == code and fragment in f.message + f.hint]
    assert hits, f"expected {code} with {fragment!r}; got {[f.format() for f in loaded.findings]}"
    f = hits[0]
    assert f.severity == severity and f.file == file
    if line is not None:
        assert f.line == line, f.format()
    assert f.line > 0 or code in {"too-many-values"}, f.format()


def test_symlink_leading_out_of_the_pack(pack, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(10, 10))
    (pack.root / "media" / "link.png").symlink_to(secret)
    pack.edit(STORY, "    text: {sv: Vännen", "    image: link.png\n    text: {sv: Vännen")
    loaded, found = codes(pack)
    assert found["media-outside"].message.endswith("is a link leading outside the pack")


def test_a_byte_order_mark_is_tolerated(pack):
    path = pack.root / STORY
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded, found = codes(pack)
    assert loaded.ok and found == {}


def test_files_over_the_size_limit_are_refused(pack):
    pack.write(STORY, "id: ana\n" + "# padding\n" * 250_000)
    loaded, found = codes(pack)
    assert "more than the limit" in found["unreadable"].message


def test_the_issue_example_reads_as_an_author_needs(pack):
    pack.edit(STORY, "goto: friend", "goto: frend")
    loaded = load_pack(pack.root, today=TODAY)
    line = [f.format() for f in loaded.findings if f.code == "bad-scene"][0]
    assert line == ('stories/ana.yaml:14:15: error: choice "Fråga vännen" goes to scene '
                    '"frend", which does not exist (did you mean "friend"?)')


# The whole line an author reads, place, message and hint (docs/content-format.md, "Findings")
WHOLE_LINES = [  # (old, new, [(each finding's code, its line)])
    ("id: ana", "id: anna", [(
        "id-mismatch",
        'stories/ana.yaml:1:5: error: the story\'s id "anna" differs from its file name '
        '(rename the file to anna.yaml or the id to "ana")')]),
    ("duration: 2", "languages: [sv, en, eng]\nduration: 2", [(
        "bad-language",
        'stories/ana.yaml:4:12: error: the story is offered in "eng", which the pack does not '
        'offer (did you mean "en"?)')]),
    ("start: home", "start: hom", [(
        "bad-scene",
        'stories/ana.yaml:8:8: error: the start scene "hom" does not exist (did you mean '
        '"home"?)')]),
    ("next: advert", "next: advrt", [(
        "no-way-out",
        'stories/ana.yaml:19:5: error: from scene "friend" no path leads to an ending (a loop '
        "with no way out?) (add a choice or next that leads on to an ending)"), (
        "bad-scene",
        'stories/ana.yaml:20:11: error: scene "friend" goes on to scene "advrt", which does '
        'not exist (did you mean "advert"?)')]),
    ("if: asked", "if: asked and visits(frend) > 0", [(
        "bad-scene",
        'stories/ana.yaml:27:13: error: the condition of choice "Ring hjälplinjen" counts '
        'visits to "frend", which does not exist (did you mean "friend"?)')]),
    ("if: asked", "if: askd", [(
        "unset-variable",
        'stories/ana.yaml:27:13: warning: the condition of choice "Ring hjälplinjen" uses '
        '"askd", which no choice sets (did you mean "asked"?)')]),
    ("if: asked", "if: worried", [(
        "unset-variable",
        'stories/ana.yaml:27:13: warning: the condition of choice "Ring hjälplinjen" uses '
        '"worried", which no choice sets (declare it under variables)')]),
    ("goto: end\n  end:", "goto: end\n        if: not asked\n  end:", [(
        "all-choices-conditional",
        'stories/ana.yaml:25:7: warning: every choice of scene "advert" has a condition; when '
        "none holds, the kiosk offers the last one anyway (leave one choice without a "
        "condition)")]),
    ("    content_notes: [threats]", "    content_notes: [violence]", [(
        "unknown-note",
        'stories/ana.yaml:23:21: error: the content note "violence" is not in the pack\'s '
        "vocabulary (add it under content_notes in pack.yaml)")]),
    ("    content_notes: [threats]", "    content_notes: [threat]", [(
        "unknown-note",
        'stories/ana.yaml:23:21: error: the content note "threat" is not in the pack\'s '
        'vocabulary (did you mean "threats"?)')]),
    ("  end:\n", "  lost:\n    text: {sv: x, en: x}\n    next: end\n  end:\n", [(
        "unreachable",
        'stories/ana.yaml:31:5: warning: no path reaches scene "lost" (link to it, or remove '
        "it)")]),
    ("    next: advert\n", "    next: advert\n    school: loop\n  loop:\n"
     "    text: {sv: x, en: x}\n    next: friend\n", [(
         "no-way-out-school",
         'stories/ana.yaml:23:5: warning: in a school session, from scene "loop" no path leads '
         "to an ending (check where the school alternatives lead)")]),
    # a title or a label given in no language would be blank on the kiosk in every language
    ("title: {sv: Anas sommar, en: Ana's summer}", "title: {}", [(
        "missing-key",
        'stories/ana.yaml:2:8: error: title gives no text in any language (write it as '
        '{sv: "..."})')]),
    ("label: {sv: Vänta, en: Wait}", "label: {}", [(
        "missing-key",
        "stories/ana.yaml:28:16: error: scenes.advert.choices[1].label gives no text in any "
        'language (write it as {sv: "..."})')]),
    # a choice with no label text is named by its id
    ("label: {sv: Vänta, en: Wait}\n        goto: end",
     "id: wait\n        label: {}\n        goto: endd", [(
         "missing-key",
         "stories/ana.yaml:29:16: error: scenes.advert.choices[1].label gives no text in any "
         'language (write it as {sv: "..."})'), (
         "bad-scene",
         'stories/ana.yaml:30:15: error: choice "wait" goes to scene "endd", which does not '
         'exist (did you mean "end"?)')]),
]


@pytest.mark.parametrize("old,new,lines", WHOLE_LINES, ids=[f"{w[2][-1][0]}-{i}" for i, w in enumerate(WHOLE_LINES)])
def test_a_finding_reads_as_an_author_needs(pack, old, new, lines):
    pack.edit(STORY, old, new)
    loaded, _ = codes(pack)
    assert [(f.code, f.format()) for f in loaded.findings] == lines


# Scene rules with media at hand (a picture p.png, narration n.ogg and a film v.mp4 from
# the demo pack): [(old, new)], the whole lines
SCENE_LINES = [
    ([("start: home", "involves_minor: true\nstart: home"),
      ("    text: {sv: Vännen", "    image: {src: p.png, photo: true, alt: {sv: x, en: x}}\n"
       "    text: {sv: Vännen")], [(
        "minor-photo",
        'stories/ana.yaml:20:12: error: scene "friend" shows a photo in a story involving a '
        "minor (use an illustration, or record a reviewer's override (ETHICS.md rule 4))")]),
    ([("    text: {sv: Vännen", "    narration: {sv: n.ogg, en: n.ogg}\n    text: {sv: Vännen")],
     [("no-captions",
       'stories/ana.yaml:19:16: warning: the narration of scene "friend" has no captions (add '
       "captions: {language: file.vtt} so deaf visitors get every word)")]),
    ([("    text: {sv: Vännen", "    video: {src: v.mp4}\n    text: {sv: Vännen")], [(
        "no-subtitles",
        'stories/ana.yaml:19:12: warning: the video of scene "friend" has no subtitles (add '
        "subtitles: {language: file.vtt} in every language of the story)")]),
    ([("    next: advert\n", "    next: advert\n    school: advrt\n")], [(
        "bad-scene",
        'stories/ana.yaml:21:13: error: the school alternative "advrt" of scene "friend" does '
        'not exist (did you mean "advert"?)')]),
    ([("start: home", "sources:\n  ilo-2022: {text: ILO 2022, year: 2022}\nstart: home"),
      ("    text: {sv: Vännen", "    sources: [ilo-2021]\n    text: {sv: Vännen")], [(
        "unknown-source",
        'stories/ana.yaml:21:15: error: the source "ilo-2021" is not among the story\'s sources '
        '(did you mean "ilo-2022"?)')]),
    ([("Vännen är orolig.", "Vännen läser att 27 % av alla drabbas.")], [(
        "statistic-without-source",
        'stories/ana.yaml:19:11: warning: scene "friend" states a figure without a source (add '
        "sources: [id] to the scene (ETHICS.md rule 12))")]),
    ([("    text: {sv: Vännen", "    image: p.png\n    text: {sv: Vännen")], [(
        "no-alt",
        'stories/ana.yaml:19:12: warning: the picture of scene "friend" has no alt text '
        "(describe media/p.png in the media library, so visitors who cannot see it are told "
        "what it shows)")]),
    ([("    text: {sv: Vännen", "    image: {src: p.png, tags: [bars, chains], alt: {sv: x, "
       "en: x}}\n    text: {sv: Vännen")], [(
        "blocked-imagery",
        'stories/ana.yaml:19:12: error: the picture of scene "friend" is tagged bars, chains, '
        "which misrepresents coercion and blocks publishing (replace it, or record a "
        "reviewer's override with a reason)")]),
]


@pytest.mark.parametrize("edits,lines", SCENE_LINES, ids=[f"{w[1][-1][0]}-{i}" for i, w in enumerate(SCENE_LINES)])
def test_a_scene_finding_reads_as_an_author_needs(pack, edits, lines):
    import shutil

    from tests.support.kiosk_driver import DEMO_PACK

    pack.write("media/p.png", png(10, 10))
    shutil.copy(DEMO_PACK / "media" / "audio" / "nadia" / "after.it.ogg", pack.root / "media" / "n.ogg")
    shutil.copy(DEMO_PACK / "media" / "video" / "emil.mp4", pack.root / "media" / "v.mp4")
    for old, new in edits:
        pack.edit(STORY, old, new)
    loaded, _ = codes(pack)
    assert [(f.code, f.format()) for f in loaded.findings] == lines


def test_interface_string_overrides_are_checked(pack):
    pack.append("pack.yaml", 'strings:\n  sv:\n    "Leave now": "Gå härifrån"\n'
                '    "Leave noww": "x"\n    "Returning to the start in {seconds} seconds": "Om {sekunder}"\n')
    loaded, found = codes(pack)
    bad = [f for f in loaded.findings if f.code == "bad-string"]
    assert any("did you mean" in f.message and f.line == 35 for f in bad), [f.format() for f in bad]
    assert loaded.pack.string_overrides()["Leave now"] == {"sv": "Gå härifrån"}


def _ffmpeg(*args: str) -> None:
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def test_media_the_kiosk_cannot_play_is_warned_about(pack):
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-c:a", "flac",
            str(pack.root / "media" / "n.ogg"))
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-c:a", "libvorbis",
            str(pack.root / "media" / "ok.ogg"))
    pack.write("media/n.vtt", "WEBVTT\n\n00:00.000 --> 00:00.300\nHej\n")
    pack.edit(STORY, "    text: {sv: Vännen", "    narration: {sv: ok.ogg, en: n.ogg}\n"
              "    captions: {sv: n.vtt, en: n.vtt}\n    text: {sv: Vännen")
    loaded, found = codes(pack)
    assert "the audio codec is flac" in found["media-codec"].message
    assert found["media-codec"].path == "scenes.friend.narration.en"
    assert "media/n.ogg" in found["media-codec"].message and str(pack.root) not in found["media-codec"].message
    assert "no-captions" not in found


def test_narration_without_captions_and_broken_subtitles(pack):
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-c:a", "libvorbis",
            str(pack.root / "media" / "ok.ogg"))
    pack.write("media/broken.vtt", "WEBVTT\n\n00:00.000 --> banana\nHej\n")
    pack.edit(STORY, "    text: {sv: Vännen", "    narration: {sv: ok.ogg, en: ok.ogg}\n    text: {sv: Vännen")
    pack.edit(STORY, "    text: {sv: Annonsen", "    narration: {sv: ok.ogg, en: ok.ogg}\n"
              "    captions: {sv: broken.vtt, en: broken.vtt}\n    text: {sv: Annonsen")
    loaded, found = codes(pack)
    assert found["no-captions"].severity == "warning" and "friend" in found["no-captions"].message
    assert found["subtitles"].severity == "error" and "media/broken.vtt:3: " in found["subtitles"].message


def test_each_bad_cue_is_reported_with_its_line(pack):
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-c:a", "libvorbis",
            str(pack.root / "media" / "ok.ogg"))
    pack.write("media/mixed.vtt", "WEBVTT\n\n00:01.000 --> 00:03.000\nHej\n"
               "00:61.000 --> 00:62.000\nFel minut\n\n00:04.000 --> 00:04.000\nNoll\n")
    pack.edit(STORY, "    text: {sv: Annonsen", "    narration: {sv: ok.ogg, en: ok.ogg}\n"
              "    captions: {sv: mixed.vtt, en: mixed.vtt}\n    text: {sv: Annonsen")
    loaded = load_pack(pack.root, today=TODAY)
    bad = sorted({(f.severity, f.message) for f in loaded.findings if f.code == "subtitles"})
    assert [severity for severity, _ in bad] == ["error", "error", "warning"]
    assert bad[0][1].startswith("media/mixed.vtt:5: minutes and seconds go from 00 to 59")
    assert bad[1][1] == "media/mixed.vtt:8: the cue ends when it starts"
    assert bad[2][1] == ("media/mixed.vtt:5: a blank line must come before each cue: "
                         "without it 'Hej' shows as text of the cue before")


@pytest.mark.parametrize("cue, warned", [
    ("00:00.000 --> 00:00.700\nJa.", "shows for 0.70 s"),
    ("00:00.000 --> 00:02.000\n" + "x" * 35, "35 characters in 2.00 s (17.5 per second)"),
    ("00:00.000 --> 00:00.800\nJa.", None),
    ("00:00.000 --> 00:02.000\n" + "x" * 34, None),
    ("00:00.000 --> 00:02.000\n" + "\u03b1\u0301" * 34, None),  # accents are not characters
], ids=["short", "fast", "long-enough", "slow-enough", "accents"])
def test_captions_too_short_or_too_fast_to_read_are_warned_about(pack, cue, warned):
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=0.3", "-c:a", "libvorbis",
            str(pack.root / "media" / "ok.ogg"))
    pack.write("media/c.vtt", f"WEBVTT\n\n{cue}\n")
    pack.edit(STORY, "    text: {sv: Annonsen", "    narration: {sv: ok.ogg, en: ok.ogg}\n"
              "    captions: {sv: c.vtt, en: c.vtt}\n    text: {sv: Annonsen")
    loaded, found = codes(pack)
    if warned is None:
        assert "subtitle-readability" not in found
        return
    finding = found["subtitle-readability"]
    assert finding.severity == "warning" and finding.message.startswith("media/c.vtt:3: ")
    assert warned in finding.message


@pytest.mark.parametrize("sentence", [
    "27,6 miljoner människor", "38 procent av offren", "il 38 per cento", "27.6 million people",
    "το 38 τοις εκατό", "27 % av alla", "1 200 personer", "4500 arbetare"])
def test_figures_that_need_a_source(pack, sentence):
    pack.edit(STORY, "Vännen är orolig.", f'"Vännen läser att {sentence}."')
    loaded, found = codes(pack)
    assert "statistic-without-source" in found


@pytest.mark.parametrize("sentence", ["Hon var 19 år", "år 2023", "klockan 6", "rum 12"])
def test_numbers_that_are_not_statistics(pack, sentence):
    pack.edit(STORY, "Vännen är orolig.", f'"Vännen läser att {sentence}."')
    loaded, found = codes(pack)
    assert loaded.ok and "statistic-without-source" not in found


def _video(path, tracks: list[str | None], faststart: bool = False) -> None:
    """A 0.5 s H.264 MP4 with one AAC tone per entry of tracks, tagged with that language."""
    args = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=0.5"]
    for i, _ in enumerate(tracks):
        args += ["-f", "lavfi", "-i", f"sine=frequency={300 + 100 * i}:duration=0.5"]
    args += ["-map", "0:v", *(a for i in range(len(tracks)) for a in ("-map", f"{i + 1}:a"))]
    for i, tag in enumerate(tracks):
        args += [f"-metadata:s:a:{i}", f"language={tag or 'und'}"]
    args += ["-movflags", "+faststart"] if faststart else []
    _ffmpeg(*args, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(path))


@pytest.mark.parametrize("tracks, faststart, missing", [
    (["swe"], False, "en"),  # the story is in sv and en
    (["eng", "ita"], True, "sv"),
    (["swe", "eng"], False, None),
    (["swe", "eng"], True, None),
    ([None], False, None),  # untagged: a soundtrack, or a file nobody tagged
    ([], False, None),  # a silent film
])
def test_a_video_without_sound_in_a_story_language_is_warned_about(pack, tracks, faststart,
                                                                    missing):
    _video(pack.root / "media" / "v.mp4", tracks, faststart)
    pack.write("media/v.vtt", "WEBVTT\n\n00:00.000 --> 00:00.500\nHej\n")
    pack.edit(STORY, "    text: {sv: Vännen", "    video:\n      src: v.mp4\n"
              "      subtitles: {sv: v.vtt, en: v.vtt}\n    text: {sv: Vännen")
    loaded, found = codes(pack)
    assert "media-codec" not in found
    if missing is None:
        assert "video-audio-language" not in found, found["video-audio-language"].message
        return
    finding = found["video-audio-language"]
    assert finding.severity == "warning" and finding.path == "scenes.friend.video.src"
    assert finding.file == STORY and finding.line == 20  # the line of `src: v.mp4`
    assert f"media/v.mp4 has no audio track in {missing} " in finding.message
    assert ", ".join(tracks) in finding.message


# Every reference an author writes by name, pointing at nothing: one failing fixture each
# (the valid pack is the passing one). Each kind has its own check in the validator, so each
# has its own case: (path, line, the message an author reads, the edit).
FRIEND = "    text: {sv: Vännen"
REFERENCES = [
    ("scenes.friend.next", 20, 'scene "friend" goes on to scene "advret", which does not exist',
     lambda p: p.edit(STORY, "    next: advert\n", "    next: advret\n")),
    ("scenes.advert.choices[1].goto", 29,
     'choice "Vänta" goes to scene "ende", which does not exist',
     lambda p: p.edit(STORY, "        goto: end\n  end:", "        goto: ende\n  end:")),
    ("scenes.friend.school", 21, 'the school alternative "advrt" of scene "friend" does not exist',
     lambda p: p.edit(STORY, "    next: advert\n", "    next: advert\n    school: advrt\n")),
    ("start", 8, 'the start scene "hom" does not exist',
     lambda p: p.edit(STORY, "start: home", "start: hom")),
    ("scenes.advert.choices[0].if", 27,
     'counts visits to "frend", which does not exist',
     lambda p: p.edit(STORY, "if: asked", "if: asked and visits(frend) > 0")),
    ("content_notes[0]", 6, 'the content note "threat" is not in the pack\'s vocabulary',
     lambda p: p.edit(STORY, "content_notes: [threats]\nconsent", "content_notes: [threat]\nconsent")),
    ("scenes.advert.content_notes[0]", 23,
     'the content note "violence" is not in the pack\'s vocabulary',
     lambda p: p.edit(STORY, "    content_notes: [threats]\n", "    content_notes: [violence]\n")),
    ("scenes.friend.sources[0]", 19, 'the source "ilo" is not among the story\'s sources',
     lambda p: p.edit(STORY, FRIEND, f"    sources: [ilo]\n{FRIEND}")),
    ("scenes.friend.image", 19, "the file media/friend.jpg does not exist",
     lambda p: p.edit(STORY, FRIEND, f"    image: friend.jpg\n{FRIEND}")),
    ("scenes.friend.narration.sv", 19, "the file media/friend.sv.ogg does not exist",
     lambda p: (p.write("media/friend.sv.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nVännen\n"),
                p.edit(STORY, FRIEND, "    narration: {sv: friend.sv.ogg}\n"
                       f"    captions: {{sv: friend.sv.vtt}}\n{FRIEND}"))),
    ("scenes.friend.captions.sv", 20, "the file media/friend.sv.vtt does not exist",
     lambda p: (p.write("media/friend.sv.ogg", b"OggS"),
                p.edit(STORY, FRIEND, "    narration: {sv: friend.sv.ogg}\n"
                       f"    captions: {{sv: friend.sv.vtt}}\n{FRIEND}"))),
    ("scenes.friend.video.src", 19, "the file media/friend.mp4 does not exist",
     lambda p: p.edit(STORY, FRIEND, f"    video: {{src: friend.mp4}}\n{FRIEND}")),
    ("scenes.friend.video.poster", 19, "the file media/poster.jpg does not exist",
     lambda p: p.edit(STORY, FRIEND, f"    video: {{src: friend.mp4, poster: poster.jpg}}\n{FRIEND}")),
    ("scenes.friend.video.subtitles.sv", 19, "the file media/friend.sv.vtt does not exist",
     lambda p: p.edit(STORY, FRIEND,
                      f"    video: {{src: friend.mp4, subtitles: {{sv: friend.sv.vtt}}}}\n{FRIEND}")),
    ("kiosk.attract[0]", None, "the file media/attract.jpg does not exist",
     lambda p: p.edit("pack.yaml", "  idle_timeout: 60", "  idle_timeout: 60\n  attract: [attract.jpg]")),
]


@pytest.mark.parametrize("path,line,message,edit", REFERENCES, ids=[r[0] for r in REFERENCES])
def test_a_reference_to_nothing_is_an_error_at_its_place(pack, path, line, message, edit):
    edit(pack)
    loaded, _ = codes(pack)
    hits = [f for f in loaded.findings if f.path == path and message in f.message]
    assert hits, f"expected {message!r} at {path}; got {[f.format() for f in loaded.findings]}"
    assert hits[0].severity == "error" and not loaded.ok
    if line is not None:
        assert hits[0].line == line, hits[0].format()
