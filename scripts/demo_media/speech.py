"""Narration with espeak-ng, encoded as Ogg Vorbis, with the time of each sentence.

Each sentence is spoken separately, so its exact length is known; the sentences are joined with
a short pause, and the captions (`captions.py`) take their times from those lengths.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import wave
from pathlib import Path

VOICES = {"sv": "sv", "en": "en-gb", "it": "it", "lv": "lv", "el": "el", "ar": "ar"}
RATE = 160          # words per minute: a little slower than espeak's default, for a museum
PAUSE = 0.35        # seconds between sentences
PARAGRAPH = 0.8     # seconds between paragraphs
SAMPLE_RATE = 16000
BITRATE = "16k"     # Vorbis at 16 kHz mono: about 2 KB per second of speech

_END = re.compile(r"(?<=[.!?…;؟])[\"”»’]?\s+")
_QUOTES = str.maketrans({c: " " for c in "\"”“„«»’"})


def sentences(text: str, lang: str) -> list[list[str]]:
    """Split a scene's text into paragraphs of sentences (";" ends a question only in Greek)."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", text.strip()):
        para = " ".join(para.split())
        parts, start = [], 0
        for m in _END.finditer(para):
            cut = para[m.start() - 1]
            if cut == ";" and lang != "el":
                continue
            parts.append(para[start:m.end()].strip())
            start = m.end()
        parts.append(para[start:].strip())
        paragraphs.append([p for p in parts if p])
    return paragraphs


def _speak(sentence: str, lang: str, out: Path) -> float:
    spoken = sentence.translate(_QUOTES)
    subprocess.run(["espeak-ng", "-v", VOICES[lang], "-s", str(RATE), "-w", str(out), spoken],
                   check=True, capture_output=True)
    with wave.open(str(out)) as w:
        return w.getnframes() / w.getframerate()


def narrate(text: str, lang: str, ogg: Path) -> list[tuple[float, float, str]]:
    """Speak the text into an Ogg Vorbis file; returns (start, end, sentence) for each sentence."""
    cues: list[tuple[float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        frames, params, clock = [], None, 0.0
        for p, para in enumerate(sentences(text, lang)):
            for s, sentence in enumerate(para):
                wav = Path(tmp) / f"{p}-{s}.wav"
                length = _speak(sentence, lang, wav)
                with wave.open(str(wav)) as w:
                    params = params or w.getparams()
                    data = w.readframes(w.getnframes())
                gap = PARAGRAPH if s == 0 and p > 0 else (PAUSE if cues else 0.0)
                frames.append(b"\0" * (int(gap * params.framerate) * params.sampwidth))
                clock += gap
                frames.append(data)
                cues.append((clock, clock + length, sentence))
                clock += length
        joined = Path(tmp) / "all.wav"
        with wave.open(str(joined), "wb") as w:
            w.setparams(params)
            for chunk in frames:
                w.writeframes(chunk)
        ogg.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(joined), "-ac", "1",
                        "-ar", str(SAMPLE_RATE), "-c:a", "libvorbis", "-b:a", BITRATE,
                        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
                        str(ogg)], check=True)
    return cues


def duration(path: Path) -> float:
    """The length of a media file in seconds, as ffprobe reports it."""
    res = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                          "default=nw=1:nk=1", str(path)], check=True, capture_output=True,
                         text=True)
    return float(res.stdout.strip())
