"""Subtitles read as the W3C WebVTT parser reads them (issue 17), and SRT with the same care.

Expected values come from https://www.w3.org/TR/webvtt1/#file-parsing ("collect a WebVTT
block", "collect a WebVTT timestamp") and the cue text tokenizer.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.media.cuetext import plain_text
from kiosk.media.subtitles import ERROR, WARNING, load_subtitles, parse_subtitles


def parse(text: str, name: str = "a.vtt"):
    return parse_subtitles(text, Path(name))


def shown(cues) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.text) for c in cues]


def errors(problems) -> list[int]:
    return [p.line for p in problems if p.severity == ERROR]


# A line containing "-->" always ends the block before it.

def test_a_timing_line_without_a_blank_line_before_it_starts_the_next_cue():
    cues, problems = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n"
                           "00:03.000 --> 00:04.000\nTwo\n")
    assert shown(cues) == [(1000, 2000, "One"), (3000, 4000, "Two")]
    assert [c.line for c in cues] == [3, 5]
    assert [(p.line, p.severity) for p in problems] == [(5, WARNING)]
    assert "a blank line must come before each cue" in problems[0].message


def test_a_line_before_the_next_timing_line_stays_text_of_the_cue():
    # Only a block's first line can be an identifier: "2" is line 3 of its block.
    cues, problems = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n2\n"
                           "00:03.000 --> 00:04.000\nTwo\n")
    assert shown(cues) == [(1000, 2000, "One\n2"), (3000, 4000, "Two")]
    assert [(p.line, p.severity) for p in problems] == [(6, WARNING)]
    assert "'2' shows as text of the cue before" in problems[0].message


def test_a_broken_arrow_line_ends_the_cue_before_it_and_is_reported_alone():
    cues, problems = parse("WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n00:03.000 --> soon\n"
                           "Lost\n\n00:05.000 --> 00:06.000\nThree\n")
    assert shown(cues) == [(1000, 2000, "One"), (5000, 6000, "Three")]
    assert errors(problems) == [5]


def test_srt_a_timing_line_without_a_blank_line_before_it_starts_the_next_cue():
    cues, problems = parse("1\n00:00:01,000 --> 00:00:02,000\nOne\n"
                           "2\n00:00:03,000 --> 00:00:04,000\nTwo\n", "a.srt")
    assert shown(cues) == [(1000, 2000, "One"), (3000, 4000, "Two")]
    assert [c.line for c in cues] == [2, 5]
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (4, WARNING, "a blank line must come before each cue")]


# A cue right after the WEBVTT line is kept.

@pytest.mark.parametrize("header", ["WEBVTT", "WEBVTT - Mara", "WEBVTT\tMara",
                                    "WEBVTT\nKind: captions"])
def test_a_cue_right_after_the_header_is_kept(header):
    cues, problems = parse(f"{header}\n00:01.000 --> 00:02.000\nHi\n")
    assert shown(cues) == [(1000, 2000, "Hi")] and problems == []


@pytest.mark.parametrize("first", ["WEBVTTX", "webvtt", "WEBVTT-", " WEBVTT"])
def test_a_file_without_the_signature_is_not_webvtt(first):
    cues, problems = parse(f"{first}\n\n00:01.000 --> 00:02.000\nHi\n")
    assert cues == [] and errors(problems) == [1]


# Minutes and seconds are 00-59; hours are optional in WebVTT.

@pytest.mark.parametrize("stamp, ms", [
    ("00:59.999", 59_999),
    ("59:59.000", 3_599_000),
    ("01:02:03.004", 3_723_004),
    ("1:00:00.000", 3_600_000),
    ("100:00:00.000", 360_000_000),
    ("0" * 5000 + "2:00:00.000", 7_200_000),
])
def test_valid_webvtt_times(stamp, ms):
    cues, problems = parse(f"WEBVTT\n\n{stamp} --> 999:00:00.000\nHi\n")
    assert [c.start_ms for c in cues] == [ms] and problems == []


@pytest.mark.parametrize("stamp", [
    "00:60.000", "00:75.000", "60:00.000", "01:60:00.000", "01:00:60.000",
    "0:01.000", "00:1.000", "00:01.00", "00:01.0000", "00:01,000", "00:01",
    "\u0660\u0660:\u0660\u0661.\u0660\u0660\u0660",  # Arabic-Indic digits are not ASCII digits
])
def test_invalid_webvtt_times_drop_only_their_cue(stamp):
    cues, problems = parse(f"WEBVTT\n\n{stamp} --> 00:02.000\nBad\n\n"
                           "00:03.000 --> 00:04.000\nGood\n")
    assert shown(cues) == [(3000, 4000, "Good")]
    assert errors(problems) == [3]
    assert repr(stamp)[1:-1] in problems[0].message


@pytest.mark.parametrize("stamp, ok", [
    ("00:00:59,999", True), ("00:00:60,000", False), ("00:60:00,000", False),
    ("00:0:01,000", False), ("00:00:01.000", True),
])
def test_srt_times(stamp, ok):
    cues, problems = parse(f"1\n{stamp} --> 99:00:00,000\nHi\n", "a.srt")
    assert (len(cues), errors(problems)) == ((1, []) if ok else (0, [2]))


# SRT's milliseconds are a decimal fraction of a second, so a short one is tenths or
# hundredths: ",5" is 500 ms (as pysubs2 and ffmpeg read it), never 5 ms. Four digits is a typo.

@pytest.mark.parametrize("start, end, shown_ms", [
    ("00:00:01,5", "00:00:02,25", (1500, 2250)),
    ("00:00:01,05", "00:00:02,005", (1050, 2005)),
    ("00:00:01.5", "00:00:02.0", (1500, 2000)),
])
def test_srt_short_fractions_are_tenths_and_hundredths(start, end, shown_ms):
    cues, problems = parse(f"1\n{start} --> {end}\nHi\n", "a.srt")
    assert shown(cues) == [(*shown_ms, "Hi")] and problems == []


def test_srt_fractions_of_four_digits_are_refused():
    cues, problems = parse("1\n00:00:01,5000 --> 00:00:09,000\nHi\n", "a.srt")
    assert cues == [] and errors(problems) == [2]


# No number of digits raises.

@pytest.mark.parametrize("line", [
    "9" * 5000 + ":00:00.000 --> 00:00:01.000",
    "00:00.000 --> " + "1" * 5000 + ":00:00.000",
    "00:00." + "0" * 5000 + " --> 00:01.000",
    "00:" + "5" * 5000 + ".000 --> 00:01.000",
])
def test_thousands_of_digits_are_an_error_on_their_line_not_a_crash(line):
    cues, problems = parse(f"WEBVTT\n\n{line}\nHi\n")
    assert cues == [] and errors(problems) == [3]
    assert len(problems[0].message) < 300  # the line is quoted, not copied whole


def test_thousands_of_digits_in_srt_numbers_and_references():
    text = "1" * 5000 + "\n00:00:01,000 --> 00:00:02,000\nA &#" + "9" * 5000 + "; B\n"
    cues, problems = parse(text, "a.srt")
    assert shown(cues) == [(1000, 2000, "A \ufffd B")] and problems == []


# A "<" that opens no tag is text; tags and character references as the tokenizer reads them.

@pytest.mark.parametrize("raw, text", [
    ("Price < 5 euro, age > 18", "Price < 5 euro, age > 18"),
    ("I <3 you", "I <3 you"),
    ("a <", "a <"),
    ("<i>yes</i> &amp; <v Mara>no</v>", "yes & no"),
    ("<c.loud.red>Stop</c> <b>now</b>", "Stop now"),
    ("One <00:00:01.000>two", "One two"),
    ("&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>"),
    ("caf&#233; &#x1F600; &nbsp;", "caf\u00e9 \U0001F600 \u00a0"),
    ("&#1114112; &#x110000;", "\ufffd \ufffd"),  # beyond Unicode
    ("&amp;lt; &#38;amp;", "&lt; &amp;"),  # decoded once
])
def test_cue_text(raw, text):
    assert plain_text(raw) == text


def test_srt_overrides_and_html_tags():
    assert plain_text("{\\an8}<font color=\"red\">Hej</font> {x} {\\", srt=True) == "Hej {x} {\\"
    assert plain_text("{\\an8}Hej") == "{\\an8}Hej"  # WebVTT has no such overrides


def test_a_lone_less_than_sign_survives_a_whole_file():
    cues, _ = parse("WEBVTT\n\n00:01.000 --> 00:04.000\nPrice < 5 euro, age > 18\n")
    assert cues[0].text == "Price < 5 euro, age > 18"


# NUL becomes U+FFFD.

@pytest.mark.parametrize("name, text", [
    ("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nA\0B\n"),
    ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nA\0B\n"),
])
def test_nul_becomes_the_replacement_character(name, text):
    cues, problems = parse(text, name)
    assert shown(cues) == [(1000, 2000, "A\ufffdB")] and problems == []


# A zero-length cue.

@pytest.mark.parametrize("name, text, line", [
    ("a.vtt", "WEBVTT\n\n00:01.000 --> 00:01.000\nNever seen\n", 3),
    ("a.srt", "1\n00:00:01,000 --> 00:00:01,000\nNever seen\n", 2),
])
def test_a_zero_length_cue_ends_when_it_starts(name, text, line):
    cues, problems = parse(text, name)
    assert cues == []
    assert [(p.line, p.message) for p in problems] == [(line, "the cue ends when it starts")]


# The kiosk shows the good cues of a file with bad ones.

def test_the_kiosk_keeps_the_good_cues(tmp_path):
    path = tmp_path / "mixed.vtt"
    path.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nOne\n\n00:61.000 --> 00:62.000\nBad\n"
                    "\n00:03.000 --> 00:03.000\nEmpty\n\n00:04.000 --> 00:05.000\nFour\n",
                    encoding="utf-8")
    subs = load_subtitles(path)
    assert [c.text for c in subs.cues] == ["One", "Four"]
    assert subs.text_at(4500) == "Four"


# Never raises, never slower than linear.

@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: a quadratic scan of these inputs takes hours, linear ones
    well under a second; the bound is far from both, so this does not flake on a busy machine."""
    def expired(*_):
        raise TimeoutError(f"not done within {seconds} s: slower than linear?")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


N = 1_000_000


@pytest.mark.parametrize("raw, srt", [
    ("<" * N, False), ("<a" * N, False), ("</" * N, False), ("<1" * N, False),
    ("{\\" * N, True), ("<b" * N + "{\\}", True), ("&#" * N, False), ("&" * N, False),
])
def test_pathological_cue_text_is_read_in_one_pass(raw, srt):
    with deadline(30):
        text = plain_text(raw, srt=srt)
    assert text == raw.replace("{\\}", "")


def test_pathological_files_are_read_in_one_pass():
    many_arrows = "WEBVTT\n" + "00:01.000 --> 00:02.000\n" * 50_000
    many_lines = "WEBVTT\n\n00:01.000 --> 00:02.000\n" + "x\n" * 50_000
    with deadline(30):
        arrows, _ = parse(many_arrows)
        lines, _ = parse(many_lines)
    assert len(arrows) == 50_000 and {c.text for c in arrows} == {""}
    assert len(lines) == 1 and lines[0].text.count("\n") == 50_000 - 1


syntax = st.text(alphabet="WEBVTNOSRG0123456789:.,-> <>&#;/\\{}\n\r\t\0aiv", max_size=300)


@settings(max_examples=300)
@given(st.one_of(syntax, st.text(max_size=300)), st.sampled_from(["", "WEBVTT\n"]),
       st.sampled_from(["a.vtt", "a.srt"]))
def test_any_text_parses_without_raising(body, prefix, name):
    cues, problems = parse(prefix + body, name)
    for cue in cues:
        assert cue.start_ms < cue.end_ms and "\0" not in cue.text
    assert all(p.line >= 1 for p in problems)


# Comment blocks: NOTE anywhere; STYLE and REGION only before the first cue (the spec's
# "collect a WebVTT block": after a cue they are neither a cue nor a comment).

@pytest.mark.parametrize("block", ["NOTE", "NOTE a remark", "NOTE\ta remark", "STYLE",
                                   "STYLE\n::cue { color: yellow }", "REGION\tid:fred",
                                   "REGION id:fred"])
def test_comment_blocks_before_the_first_cue_are_read_past(block):
    cues, problems = parse(f"WEBVTT\n\n{block}\n\n00:01.000 --> 00:02.000\nHi\n")
    assert shown(cues) == [(1000, 2000, "Hi")] and problems == []


@pytest.mark.parametrize("block", ["NOTE", "NOTE a remark", "NOTE\ta remark"])
def test_a_note_after_a_cue_is_read_past(block):
    cues, problems = parse(f"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\n{block}\n")
    assert shown(cues) == [(1000, 2000, "Hi")] and problems == []


@pytest.mark.parametrize("block", ["STYLE", "STYLE\t::cue { color: red }", "REGION id:fred",
                                   "note a remark", "NOTES", "style"])
def test_a_block_after_a_cue_that_is_no_note_is_reported(block):
    cues, problems = parse(f"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\n{block}\n")
    assert shown(cues) == [(1000, 2000, "Hi")]
    assert errors(problems) == [6]
    assert repr(block)[1:-1] in problems[0].message


# SRT: numbers are optional, and a stray line is reported without losing the cue after it.

def test_srt_cues_without_numbers():
    cues, problems = parse("00:00:01,000 --> 00:00:02,000\nOne\n\n"
                           "00:00:03,000 --> 00:00:04,000\nTwo\n", "a.srt")
    assert shown(cues) == [(1000, 2000, "One"), (3000, 4000, "Two")] and problems == []
    assert [c.line for c in cues] == [1, 4]


def test_srt_a_stray_line_before_a_timing_line_is_an_error_and_the_cue_is_kept(tmp_path):
    path = tmp_path / "a.srt"
    cues, problems = parse_subtitles("Mara, English\n00:00:01,000 --> 00:00:02,000\nHi\n", path)
    assert shown(cues) == [(1000, 2000, "Hi")]
    assert [str(p) for p in problems] == [
        f"{path}:1: error: expected a timing line like '00:00:01,000 --> 00:00:04,000', "
        "got 'Mara, English'"]


def test_srt_a_text_line_before_the_next_timing_line_stays_text():
    # Only a number there is the next cue's; words are the cue's last line.
    cues, problems = parse("1\n00:00:01,000 --> 00:00:02,000\nOne\nand more\n"
                           "00:00:03,000 --> 00:00:04,000\nTwo\n", "a.srt")
    assert shown(cues) == [(1000, 2000, "One\nand more"), (3000, 4000, "Two")]
    assert [(p.line, p.severity) for p in problems] == [(5, WARNING)]


def test_srt_a_last_cue_without_text_or_final_newline():
    cues, problems = parse("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n"
                           "2\n00:00:03,000 --> 00:00:04,000", "a.srt")
    assert shown(cues) == [(1000, 2000, "Hi"), (3000, 4000, "")]
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (6, WARNING, "the cue has no text")]


def test_a_bad_line_is_quoted_up_to_60_characters():
    fits = "00:01.000 --> " + "x" * 46
    too_long = fits + "y"
    _cues, problems = parse(f"WEBVTT\n\n{fits}\nA\n\n{too_long}\nB\n")
    assert [len(fits), errors(problems)] == [60, [3, 6]]
    assert problems[0].message.endswith(f"got '{fits}'")
    assert problems[1].message.endswith(f"got '{fits}...'")


def test_srt_a_last_line_that_is_a_number_alone_is_an_error_not_a_crash():
    cues, problems = parse("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2", "a.srt")
    assert shown(cues) == [(1000, 2000, "Hi")]
    assert [(p.line, p.severity) for p in problems] == [(5, ERROR)]
    assert problems[0].message.endswith("got '2'")


def test_a_file_without_the_signature_names_itself(tmp_path):
    path = tmp_path / "a.vtt"
    _cues, problems = parse_subtitles("00:01.000 --> 00:02.000\nHi\n", path)
    assert [str(p) for p in problems] == [
        f"{path}:1: error: a WebVTT file must start with the line 'WEBVTT'"]


@pytest.mark.parametrize("name, text", [
    ("a.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi"),
    ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi"),
])
def test_a_file_without_a_final_newline(name, text):
    cues, problems = parse(text, name)
    assert shown(cues) == [(1000, 2000, "Hi")] and problems == []


def test_a_header_without_a_final_newline_is_a_file_without_cues():
    cues, problems = parse("WEBVTT\nKind: captions")
    assert cues == [] and [(p.line, p.message) for p in problems] == [(1, "the file has no cues")]


def test_an_arrow_on_the_third_line_of_a_block_starts_a_cue(tmp_path):
    # Only a block's first or second line can be its timing line (an identifier before it).
    path = tmp_path / "a.vtt"
    cues, problems = parse_subtitles("WEBVTT\n\nintro\nmore\n00:01.000 --> 00:02.000\nHi\n",
                                     path)
    assert shown(cues) == [(1000, 2000, "Hi")] and cues[0].line == 5
    assert sorted(str(p) for p in problems) == [
        f"{path}:3: error: a cue needs a timing line like '00:01.000 --> 00:04.000' after "
        "'intro'",
        f"{path}:5: warning: a blank line must come before each cue: without it 'more' shows "
        "as text of the cue before"]


def test_two_timing_lines_in_a_row_are_two_cues():
    cues, problems = parse("WEBVTT\n\n00:01.000 --> 00:02.000\n00:03.000 --> 00:04.000\nTwo\n")
    assert shown(cues) == [(1000, 2000, ""), (3000, 4000, "Two")]
    assert [(p.line, p.message) for p in problems] == [(3, "the cue has no text")]


@pytest.mark.parametrize("text, line, quoted", [
    ("Mara\nEnglish\n\n1\n00:00:01,000 --> 00:00:02,000\nHi\n", 1, "'Mara'"),
    ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\nThe end", 5, "'The end'"),
])
def test_srt_stray_lines_are_one_error_and_the_cue_is_kept(text, line, quoted):
    cues, problems = parse(text, "a.srt")
    assert shown(cues) == [(1000, 2000, "Hi")]
    assert [(p.line, p.severity) for p in problems] == [(line, ERROR)]
    assert problems[0].message.endswith(f"got {quoted}")


def test_srt_the_next_cue_s_number_is_taken_off_the_text_before_it(tmp_path):
    path = tmp_path / "a.srt"
    cues, problems = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\nOne\nTwo\n2\n"
                                     "00:00:03,000 --> 00:00:04,000\nThree\n", path)
    assert shown(cues) == [(1000, 2000, "One\nTwo"), (3000, 4000, "Three")]
    assert [str(p) for p in problems] == [
        f"{path}:5: warning: a blank line must come before each cue"]


# What is wrong with a timing line, in the words the admin's catalogues translate.

@pytest.mark.parametrize("line, problem", [
    ("x00:01.000 --> 00:02.000", "a time must start with a digit"),
    ("00:01.000 --> ", "a time must start with a digit"),
    ("00.000 --> 00:02.000", "a time is hours:minutes:seconds.milliseconds"),
    ("60:00.000 --> 61:00.000", "a time is hours:minutes:seconds.milliseconds"),
    ("00:1.000 --> 00:02.000", "minutes and seconds have two digits"),
    ("00:01 --> 00:02.000", "the seconds need their milliseconds, like 04.000"),
    ("00:01.00 --> 00:02.000", "milliseconds have three digits"),
    ("1234567:00:00.000 --> 1234568:00:00.000", "7 digits of hours is more than a film lasts"),
    ("00:60.000 --> 01:00.000", "minutes and seconds go from 00 to 59"),
    ("00:01.000 X--> 00:02.000", "the two times are separated by ' --> '"),
])
def test_what_is_wrong_with_a_webvtt_timing_line(tmp_path, line, problem):
    path = tmp_path / "a.vtt"
    _cues, problems = parse_subtitles(f"WEBVTT\n\n{line}\nHi\n", path)
    assert [str(p) for p in problems] == [
        f"{path}:3: error: {problem}: expected a timing line like '00:01.000 --> 00:04.000', "
        f"got {line!r}"]


def test_what_is_wrong_with_an_srt_timing_line(tmp_path):
    path = tmp_path / "a.srt"
    _cues, problems = parse_subtitles("1\n00:00:01 --> 00:00:02,000\nHi\n", path)
    assert [str(p) for p in problems] == [
        f"{path}:2: error: the seconds need their milliseconds, like 04,000: expected a timing "
        "line like '00:00:01,000 --> 00:00:04,000', got '00:00:01 --> 00:00:02,000'"]


@pytest.mark.parametrize("line, times", [
    ("00:01.000-->00:02.000", (1000, 2000)),  # spaces around the arrow are optional
    ("999999:00:00.000 --> 999999:00:01.000", (3_599_996_400_000, 3_599_996_401_000)),
    ("60:00:00.000 --> 60:00:01.000", (216_000_000, 216_001_000)),
])
def test_more_valid_webvtt_timing_lines(line, times):
    cues, problems = parse(f"WEBVTT\n\n{line}\nHi\n")
    assert shown(cues) == [(*times, "Hi")] and problems == []


def test_the_cue_s_own_problems_name_the_file(tmp_path):
    path = tmp_path / "a.vtt"
    _cues, problems = parse_subtitles("WEBVTT\n\n00:01.000 --> 00:01.000\nA\n\n"
                                      "00:02.000 --> 00:03.000\n<b></b>\n", path)
    assert [str(p) for p in problems] == [f"{path}:3: error: the cue ends when it starts",
                                          f"{path}:6: warning: the cue has no text"]
    _cues, problems = parse_subtitles("WEBVTT\n", path)
    assert [str(p) for p in problems] == [f"{path}:1: error: the file has no cues"]


# The format: from the suffix, else from the first line; a byte order mark and old Mac line
# ends are read past.

@pytest.mark.parametrize("name, text", [
    ("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"),
    ("a", "1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
    ("a.VTT", "\ufeffWEBVTT\r\r00:01.000 --> 00:02.000\rHi\r"),
])
def test_the_format_and_line_ends(name, text):
    cues, problems = parse(text, name)
    assert shown(cues) == [(1000, 2000, "Hi")] and problems == []


def test_the_suffix_decides_before_the_first_line():
    cues, problems = parse("WEBVTT\n00:00:01,000 --> 00:00:02,000\nHi\n", "a.srt")
    assert shown(cues) == [(1000, 2000, "Hi")]
    assert errors(problems) == [1] and problems[0].message.endswith("got 'WEBVTT'")
