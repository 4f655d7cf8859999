"""Narration through pygame's mixer, heard by SDL's disk audio driver (a real audio device
that writes what it plays to a file), in a fresh interpreter per run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PLAYER = r"""
import json, sys, time
from pathlib import Path
import pygame
pygame.mixer.init(44100, -16, 2, 1024)
from kiosk.media import AudioSettings, Narration, SoundCache
folder, muted, langs = Path(sys.argv[1]), sys.argv[2] == "muted", sys.argv[3].split(",")
narration = Narration(AudioSettings(volume=1.0, muted=muted), SoundCache())
report = {}
for i, lang in enumerate(langs):
    path = folder / f"voice.{lang}.ogg"
    narration.play(path)
    entry = {"playing": narration.is_playing, "duration": narration.duration_ms,
             "raw_head": narration._sound.get_raw()[:400000].hex()}
    if i == 0:  # the first one: pause, resume, play to the end
        time.sleep(0.6)
        narration.pause()
        held = narration.position_ms
        time.sleep(0.4)
        entry.update(paused_playing=narration.is_playing, held=held,
                     held_after=narration.position_ms)
        narration.resume()
        t0 = time.monotonic()
        while narration.is_playing:
            time.sleep(0.01)
        entry.update(rest_s=time.monotonic() - t0, end_position=narration.position_ms,
                     progress=narration.progress)
    else:
        time.sleep(1.0)
        narration.stop()
    report[lang] = entry
time.sleep(0.3)  # let the device write out its last buffer
pygame.mixer.quit()
print(json.dumps(report))
"""


def play(folder: Path, tmp_path: Path, muted: bool, langs: list[str]) -> tuple[dict, bytes]:
    """Run the player against the disk audio driver; returns its report and what it wrote."""
    out = tmp_path / f"disk-{'muted' if muted else 'on'}.raw"
    env = {**os.environ, "SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(out),
           "SDL_VIDEODRIVER": "dummy"}
    run = subprocess.run(
        [sys.executable, "-c", PLAYER, str(folder), "muted" if muted else "on", ",".join(langs)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1]), out.read_bytes()


def first_sound(raw: bytes, length: int = 8192) -> bytes:
    """A stretch of a decoded narration from its first non-silent sample (4-byte frames)."""
    start = next(i for i in range(0, len(raw), 4) if raw[i:i + 4] != b"\0\0\0\0")
    return raw[start:start + length]


@pytest.mark.alone  # sound from a real decode, pause and rest timed
def test_narration_in_three_languages_reaches_the_audio_device(media_dir, tmp_path):
    report, written = play(media_dir, tmp_path, False, ["en", "sv", "ar"])
    samples = array("h", written)
    assert len(samples) > 44100 * 2 * 4  # seconds of audio went to the device
    assert max(abs(s) for s in samples) > 3000
    for lang, entry in report.items():
        assert entry["playing"] and entry["duration"] > 1500
        # The narration's own samples, bit for bit (volume 1.0, nothing else playing).
        assert first_sound(bytes.fromhex(entry["raw_head"])) in written, lang
    en = report["en"]
    assert not en["paused_playing"] and en["held"] == en["held_after"]
    assert 450 <= en["held"] <= 800
    assert abs(en["rest_s"] * 1000 - (en["duration"] - en["held"])) < 400
    assert en["end_position"] == en["duration"] and en["progress"] == 1.0


@pytest.mark.alone  # plays in real time to the device
def test_muted_narration_is_silent_but_still_runs(media_dir, tmp_path):
    report, written = play(media_dir, tmp_path, True, ["sv"])
    assert report["sv"]["playing"]  # the progress bar and captions still move
    assert len(written) > 44100 * 4 // 2
    assert set(written) == {0}, "sound came out while muted"


def test_without_a_mixer_narration_is_silent_and_says_so(caplog, media_dir):
    import pygame

    from kiosk.media import AudioSettings, Narration, SoundCache

    pygame.mixer.quit()
    narration = Narration(AudioSettings(), SoundCache())
    assert not narration.available
    assert "no audio mixer" in caplog.text
    narration.play(media_dir / "voice.en.ogg")
    assert not narration.is_playing and narration.position_ms == 0
