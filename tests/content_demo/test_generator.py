"""The media generator's parts: sentence splitting, caption timing, drawing from tags, speech."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support.demo_pack import PACK

sys.path.insert(0, str(PACK.parent / "scripts"))

from demo_media import captions, draw, speech  # noqa: E402

from kiosk.media.subtitles import parse_subtitles, readability  # noqa: E402


def test_sentences_split_on_full_stops_and_greek_question_marks_only():
    assert speech.sentences("Hej då. Vad gör du; vem?\n\nNy rad!", "sv") == [
        ["Hej då.", "Vad gör du; vem?"], ["Ny rad!"]]
    assert speech.sentences("Πώς λέγεται; Ποιος θα έρθει;", "el") == [
        ["Πώς λέγεται;", "Ποιος θα έρθει;"]]
    assert speech.sentences("”Jag ordnar allt”, säger hon. ”Senare.”", "sv") == [
        ["”Jag ordnar allt”, säger hon.", "”Senare.”"]]


def test_long_sentences_become_several_cues_of_two_short_lines():
    long = ("Men tillsammans är det vanliga tecken på en rekrytering som kan sluta i exploatering: "
            "ett erbjudande som är svårt att kontrollera, en skuld från första dagen och en "
            "mellanhand som alla litar på.")
    vtt = captions.webvtt([(1.0, 11.0, long), (11.5, 12.5, "Kort.")], offset=0.5)
    blocks = vtt.split("\n\n")[1:]
    assert len([b for b in blocks if b.strip()]) >= 3
    assert "00:00:01.500 --> " in vtt and vtt.rstrip().endswith("Kort.")
    for block in blocks:
        for line in block.split("\n")[2:]:
            assert len(line) <= 48, line


def read(vtt: str) -> list[tuple[int, int, str]]:
    cues, problems = parse_subtitles(vtt, Path("c.vtt"))
    assert problems == []
    return [(c.start_ms, c.end_ms, c.text) for c in cues]


def unreadable(vtt: str) -> list[str]:
    return [p.message for p in readability(Path("c.vtt"), parse_subtitles(vtt, Path("c.vtt"))[0])]


def test_a_one_word_sentence_shares_a_cue_with_its_neighbour():
    # "Ja." is spoken in 0.4 s: alone it would flash by (the generator's cues of 0.2-0.7 s).
    spoken = [(0.0, 0.4, "Ja."), (0.75, 2.5, "Hon väntar på bussen."), (2.85, 3.2, "Nej.")]
    vtt = captions.webvtt(spoken)
    assert read(vtt) == [(0, 3200, "Ja. Hon väntar på bussen. Nej.")]
    assert unreadable(vtt) == []
    assert read(vtt)[0][0] == 0 and read(vtt)[-1][1] == 3200  # within the narration


def test_a_short_cue_between_long_ones_borrows_reading_time():
    # Each too long to share two lines (84 characters) with "Ja.".
    first = "Lina säger att ett hotell vid havet, utomlands, behöver personal till sommaren nu."
    last = "Bra lön och ett rum ingår, säger hon, och resan dit betalar de också åt henne sen."
    spoken = [(0.0, 5.5, first), (5.85, 6.25, "Ja."), (6.6, 12.0, last)]
    got = read(captions.webvtt(spoken))
    assert [t.replace("\n", " ") for _, _, t in got] == [first, "Ja.", last]
    assert got[1][1] - got[1][0] >= 800
    assert 5850 - 500 <= got[1][0] <= 5850 and got[1][1] <= 6600 + 500  # near its words
    assert unreadable(captions.webvtt(spoken)) == []


def test_fast_speech_gets_time_from_slower_neighbours():
    fast = "Πέντε ώρες την ημέρα, έξι μέρες την εβδομάδα, χωρίς ρεπό."  # 57 letters in 2.5 s
    spoken = [(0.0, 3.0, "Ο Έμιλ παίζει."), (3.35, 5.85, fast), (6.2, 10.0, "Ύστερα σωπαίνει.")]
    vtt = captions.webvtt(spoken)
    assert unreadable(vtt) == []
    said = " ".join(t for *_, t in read(vtt))
    assert said.split() == " ".join(s for *_, s in spoken).split()


def test_too_much_text_for_its_time_is_left_for_the_check_to_report():
    spoken = [(0.0, 1.0, "Alldeles för mycket text för en enda sekund att läsa.")]
    assert read(captions.webvtt(spoken))[0][:2] == (0, 1000)
    assert "per second" in unreadable(captions.webvtt(spoken))[0]


def test_tags_that_cannot_be_drawn_are_refused():
    assert draw.check_tags(["illustration", "forest", "dawn", "group", "berries"]) == "forest"
    with pytest.raises(ValueError, match="chains"):
        draw.check_tags(["illustration", "home", "night", "chains"])
    with pytest.raises(ValueError, match="exactly one setting"):
        draw.check_tags(["illustration", "night"])


def test_drawing_is_repeatable_and_full_hd():
    a = draw.draw(["illustration", "station", "evening", "two-figures", "young"], "t/1")
    b = draw.draw(["illustration", "station", "evening", "two-figures", "young"], "t/1")
    c = draw.draw(["illustration", "station", "evening", "two-figures", "young"], "t/2")
    assert a.size == (1920, 1080) and a.tobytes() == b.tobytes() != c.tobytes()


@pytest.mark.skipif(not shutil.which("espeak-ng") or not shutil.which("ffmpeg"),
                    reason="needs espeak-ng and ffmpeg")
def test_narration_is_spoken_and_timed(tmp_path: Path):
    ogg = tmp_path / "n.ogg"
    cues = speech.narrate("Sofia dricker te. Hon väntar.", "sv", ogg)
    assert [c[2] for c in cues] == ["Sofia dricker te.", "Hon väntar."]
    assert cues[0][0] == 0.0 and cues[0][1] < cues[1][0] < cues[1][1]
    assert abs(speech.duration(ogg) - cues[-1][1]) < 0.15
