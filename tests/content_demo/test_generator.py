"""The media generator's parts: sentence splitting, caption timing, drawing from tags, speech."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from demo_helpers import PACK

sys.path.insert(0, str(PACK.parent / "scripts"))

from demo_media import draw, speech  # noqa: E402


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
    vtt = speech.webvtt([(1.0, 11.0, long), (11.5, 12.5, "Kort.")], offset=0.5)
    blocks = vtt.split("\n\n")[1:]
    assert len([b for b in blocks if b.strip()]) >= 3
    assert "00:00:01.500 --> " in vtt and vtt.rstrip().endswith("Kort.")
    for block in blocks:
        for line in block.split("\n")[2:]:
            assert len(line) <= 48, line


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
