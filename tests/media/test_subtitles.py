"""Subtitles: WebVTT and SRT cues, what shows when, and errors with file and line."""

from __future__ import annotations

import logging
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.media.cache import file_key
from kiosk.media.subtitles import (
    ERROR,
    WARNING,
    SubtitleCache,
    SubtitleError,
    check_subtitles,
    load_subtitles,
    reading_length,
)

VTT = """WEBVTT - Mara, English

NOTE written for the test
it spans two lines

intro
00:00.500 --> 00:02.000 align:center
<v Narrator>Mara left home</v> in <i>spring</i>.

00:02.000 --> 00:04.000
Tom &amp; Ana met her
at the station.

01:00:00.000 --> 01:00:01.000
An hour later.
"""

SRT = """1
00:00:00,500 --> 00:00:02,000
{\\an8}Mara lämnade hemmet.

2
00:00:02,000 --> 00:00:03,500
<b>På våren.</b>
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_webvtt_cues_change_at_their_times(tmp_path):
    subs = load_subtitles(write(tmp_path, "a.en.vtt", VTT))
    assert len(subs) == 3
    assert subs.text_at(0) == "" and subs.cue_at(499) is None
    assert subs.text_at(500) == "Mara left home in spring."
    assert subs.text_at(1999) == "Mara left home in spring."
    assert subs.text_at(2000) == "Tom & Ana met her\nat the station."
    assert subs.text_at(3999) != "" and subs.text_at(4000) == ""
    assert subs.text_at(3_600_500) == "An hour later."
    assert subs.cue_at(2500).line == 10 and subs.cue_at(600).line == 7
    assert subs.transcript().startswith("Mara left home in spring.\n\nTom & Ana")


def test_srt_cues_change_at_their_times_crlf_and_bom(tmp_path):
    text = "\ufeff" + SRT.replace("\n", "\r\n")
    subs = load_subtitles(write(tmp_path, "a.sv.srt", text))
    assert [subs.text_at(t) for t in (0, 600, 2100, 4000)] == [
        "", "Mara lämnade hemmet.", "På våren.", ""]


def test_overlapping_cues_both_show(tmp_path):
    text = "WEBVTT\n\n00:00.000 --> 00:10.000\nLong\n\n00:01.000 --> 00:02.000\nShort\n"
    subs = load_subtitles(write(tmp_path, "o.vtt", text))
    assert subs.text_at(1500) == "Long\nShort"
    assert subs.text_at(5000) == "Long"
    assert subs.cue_at(1500).text == "Short"


def test_broken_files_name_the_line(tmp_path):
    path = write(tmp_path, "bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nFine\n\n"
                 "2\n00:00:0x,000 --> 00:00:03,000\nBroken\n\n"
                 "3\n00:00:05,000 --> 00:00:04,000\nBackwards\n")
    problems = check_subtitles(path)
    assert [(p.line, p.severity) for p in problems] == [(6, ERROR), (10, ERROR)]
    assert "00:00:0x,000" in problems[0].message
    assert str(problems[1]) == f"{path}:10: error: the cue ends before it starts"
    # The kiosk shows the good cue and leaves the bad ones out.
    subs = load_subtitles(path)
    assert [(c.start_ms, c.text) for c in subs.cues] == [(1000, "Fine")]


def test_a_file_with_no_good_cue_cannot_be_loaded(tmp_path):
    path = write(tmp_path, "bad.srt", "1\n00:00:0x,000 --> 00:00:03,000\nBroken\n\n"
                 "2\n00:00:05,000 --> 00:00:04,000\nBackwards\n")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(caught.value).startswith(f"{path}: line 2: ")
    assert "expected a timing line" in str(caught.value)
    assert "(and 1 more)" in str(caught.value)


@pytest.mark.parametrize("name, text, line, words", [
    ("nohead.vtt", "00:01.000 --> 00:02.000\nHi\n", 1, "must start with the line 'WEBVTT'"),
    ("nocue.vtt", "WEBVTT\n\nintro\nHello\n", 3, "needs a timing line"),
    ("empty.srt", "\n\n", 1, "has no cues"),
    ("latin1.srt", "1\n00:00:01,000 --> 00:00:02,000\nK\u00f6ln\n", 3, "not UTF-8"),
])
def test_more_broken_files(tmp_path, name, text, line, words):
    encoding = "latin-1" if "latin1" in name else "utf-8"
    problems = check_subtitles(write(tmp_path, name, text, encoding))
    assert problems and problems[0].line == line and words in problems[0].message


def test_an_empty_cue_is_a_warning_not_an_error(tmp_path):
    path = write(tmp_path, "w.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n\n"
                 "00:02.000 --> 00:03.000\nText\n")
    problems = check_subtitles(path)
    assert [(p.line, p.severity) for p in problems] == [(3, WARNING)]
    assert load_subtitles(path).text_at(2500) == "Text"


def test_a_good_file_has_no_problems_and_the_cache_sees_changes(tmp_path):
    path = write(tmp_path, "a.vtt", VTT)
    assert check_subtitles(path) == []
    assert check_subtitles(tmp_path / "missing.vtt")[0].message.startswith("cannot read")
    cache = SubtitleCache()
    first = cache.get(path)
    assert cache.get(path) is first
    write(tmp_path, "a.vtt", VTT.replace("An hour later.", "Changed, and longer now."))
    assert cache.get(path).text_at(3_600_500) == "Changed, and longer now."


def test_the_validator_side_imports_no_pygame_or_vlc():
    code = ("import sys\nfrom kiosk.media import check_subtitles, playable\n"
            "from kiosk.media.subtitles import load_subtitles\n"
            "print(sorted(m for m in ('pygame', 'vlc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


cue_times = st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 3_000)), max_size=25)


@given(cue_times, st.lists(st.integers(-10, 14_000), min_size=1, max_size=30))
def test_lookup_agrees_with_checking_every_cue(times, probes):
    from kiosk.media.subtitles import Cue, Subtitles

    cues = [Cue(start, start + length, f"c{i}", i) for i, (start, length) in enumerate(times)]
    subs = Subtitles(cues)
    for t in probes:
        expected = sorted((c for c in cues if c.start_ms <= t < c.end_ms),
                          key=lambda c: (c.start_ms, c.end_ms))
        assert subs.active_at(t) == expected


@given(st.lists(st.tuples(st.integers(0, 5_000), st.integers(1, 2_000),
                          st.text(alphabet="abc ÄÖ", min_size=1, max_size=8).filter(str.strip)),
                min_size=1, max_size=10), st.sampled_from(["vtt", "srt"]))
def test_written_cues_read_back(cues, fmt):
    from pathlib import Path

    from kiosk.media.subtitles import parse_subtitles

    def stamp(ms):
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, ms = divmod(rest, 1000)
        sep = "." if fmt == "vtt" else ","
        return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"

    blocks = [f"{i + 1}\n{stamp(a)} --> {stamp(a + d)}\n{text}" for i, (a, d, text) in
              enumerate(cues)]
    body = ("WEBVTT\n\n" if fmt == "vtt" else "") + "\n\n".join(blocks) + "\n"
    parsed, problems = parse_subtitles(body, Path(f"x.{fmt}"))
    assert problems == []
    assert sorted((c.start_ms, c.end_ms, c.text) for c in parsed) == sorted(
        (a, a + d, text.strip()) for a, d, text in cues)


def test_overlapping_cues_end_apart(tmp_path):
    text = "WEBVTT\n\n00:00.000 --> 00:10.000\nLong\n\n00:01.000 --> 00:02.000\nShort\n"
    subs = load_subtitles(write(tmp_path, "o.vtt", text))
    # a cue is shown up to its end time, not at it: at 2 s the short one is gone
    assert subs.text_at(2000) == "Long" and subs.cue_at(2000).text == "Long"
    assert subs.text_at(10_000) == ""


# Readability (docs/media.md): a cue shown under 0.8 s, or faster than 17 characters a
# second, is a warning; line breaks and combining accents are not characters read.

def readability_of(tmp_path, cues):
    body = "".join(f"\n{a} --> {b}\n{text}\n" for a, b, text in cues)
    path = write(tmp_path, "r.vtt", "WEBVTT\n" + body)
    return path, check_subtitles(path)


def test_a_cue_under_0_8_seconds_is_a_readability_warning(tmp_path):
    path, problems = readability_of(tmp_path, [("00:01.000", "00:01.500", "Hi"),
                                               ("00:03.000", "00:03.800", "Ok")])
    assert [(p.line, p.severity, p.code) for p in problems] == [
        (3, WARNING, "subtitle-readability")]
    # the whole sentence: it is the msgid the admin's catalogues translate
    assert str(problems[0]) == (f"{path}:3: warning: the cue shows for 0.50 s: give it at "
                                "least 0.8 s so visitors can read it")


def test_a_cue_faster_than_17_characters_a_second_is_a_readability_warning(tmp_path):
    path, problems = readability_of(tmp_path, [("00:01.000", "00:02.000", "a" * 17),
                                               ("00:03.000", "00:04.000", "b" * 18),
                                               ("00:05.000", "00:07.000", "c" * 34),
                                               ("00:08.000", "00:10.000", "d" * 35)])
    assert [(p.line, p.severity, p.code) for p in problems] == [
        (6, WARNING, "subtitle-readability"), (12, WARNING, "subtitle-readability")]
    assert str(problems[0]) == (f"{path}:6: warning: the cue has 18 characters in 1.00 s "
                                "(18.0 per second): at most 17 per second can be read; "
                                "lengthen it or split the text")
    assert "35 characters in 2.00 s (17.5 per second)" in problems[1].message


def test_the_figures_of_a_fast_cue(tmp_path):
    _path, problems = readability_of(tmp_path, [("00:01.000", "00:02.000", "a" * 60),
                                                ("00:03.000", "00:12.000", "b" * 200)])
    assert "60 characters in 1.00 s (60.0 per second)" in problems[0].message
    assert "200 characters in 9.00 s (22.2 per second)" in problems[1].message


def test_a_cue_both_short_and_fast_gets_one_warning(tmp_path):
    _path, problems = readability_of(tmp_path, [("00:01.000", "00:01.400", "x" * 40)])
    assert len(problems) == 1 and "0.40 s" in problems[0].message


def test_line_breaks_and_accents_are_not_counted_as_characters_read(tmp_path):
    # 17 letters a second, written over two lines, with combining accents (NFD Greek and
    # Swedish): readable. One letter more is not.
    text = unicodedata.normalize("NFD", "Άγγελος\nhälsar på")
    assert len(text) == 20 and reading_length(text) == 16
    _path, problems = readability_of(tmp_path, [("00:01.000", "00:02.000", text + "a"),
                                                ("00:03.000", "00:04.000", text + "ab")])
    assert [p.line for p in problems] == [7] and "18 characters" in problems[0].message


# Loading: the error names the first problem that stops the file, the log the cues left out.

def test_a_file_with_one_problem_says_only_that(tmp_path):
    path = write(tmp_path, "e.srt", "\n\n")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(caught.value) == f"{path}: line 1: the file has no cues"
    assert [(p.line, p.message) for p in caught.value.problems] == [(1, "the file has no cues")]


def test_the_error_names_the_first_error_not_a_warning_before_it(tmp_path):
    # The missing blank line is a warning found before the errors of the two cues.
    path = write(tmp_path, "b.srt", "1\n00:00:05,000 --> 00:00:04,000\nA\n"
                 "2\n00:00:07,000 --> 00:00:06,000\nB\n")
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(caught.value) == f"{path}: line 2: the cue ends before it starts (and 1 more)"
    assert [(p.line, p.severity) for p in caught.value.problems] == [(2, ERROR), (5, ERROR)]


def test_the_cues_left_out_are_logged_once(tmp_path, caplog):
    path = write(tmp_path, "m.srt", "1\n00:00:01,000 --> 00:00:02,000\nFine\n\n"
                 "2\n00:00:05,000 --> 00:00:04,000\nBackwards\n\n"
                 "3\n00:00:01,000 --> 00:00:0x,000\nBroken\n")
    with caplog.at_level(logging.WARNING, logger="kiosk.media.subtitles"):
        subs = load_subtitles(path)
    assert [c.text for c in subs.cues] == ["Fine"]
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: 2 bad cues left out, the first at line 6: the cue ends before it starts"]


def test_a_good_file_logs_nothing(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG, logger="kiosk.media.subtitles"):
        load_subtitles(write(tmp_path, "a.vtt", VTT))
    assert caplog.records == []


def test_a_file_that_cannot_be_read_is_one_problem_without_a_line(tmp_path):
    path = tmp_path / "missing.vtt"
    assert [str(p) for p in check_subtitles(path)] == [
        f"{path}:0: error: cannot read the file: No such file or directory"]
    with pytest.raises(SubtitleError) as caught:
        load_subtitles(path)
    assert str(caught.value) == f"{path}: line 0: cannot read the file: No such file or directory"


def test_a_file_not_in_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    path = write(tmp_path, "l.srt", "1\n00:00:01,000 --> 00:00:02,000\nK\u00f6ln\n", "latin-1")
    assert [str(p) for p in check_subtitles(path)] == [
        f"{path}:3: error: the file is not UTF-8 text"]


def test_the_prefetcher_s_entries_are_found(tmp_path):
    path = write(tmp_path, "a.vtt", VTT)
    cache = SubtitleCache()
    subs = load_subtitles(path)
    assert cache.peek(file_key(path)) is None
    cache.put(file_key(path), subs)
    assert cache.peek(file_key(path)) is subs and cache.get(path) is subs
    cache.clear()
    assert cache.peek(file_key(path)) is None
