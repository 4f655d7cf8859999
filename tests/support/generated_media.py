"""Media generated at test time with ffmpeg and espeak-ng (never downloaded), and checks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# The test pattern: three fixed bands on top, and a bottom half whose colour changes each
# second, so a frame's pixels say both "decoded right" and "which second this is".
BANDS = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
SECONDS = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]
PATTERN_SIZE = (384, 256)
TONE_HZ = 440
NARRATION_TEXT = {
    "en": "Mara left home in the spring, to pick fruit for a season.",
    "sv": "Mara lämnade hemmet på våren för att plocka frukt en säsong.",
    "ar": "غادرت مارا منزلها في الربيع لتقطف الفاكهة لموسم واحد.",
}


def run(cmd: list[str]) -> None:
    """Run a generator command, failing the test with its output if it fails."""
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert out.returncode == 0, f"{cmd[0]} failed: {out.stderr[-800:]}"


def ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly, overwriting outputs."""
    run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args])


def make_pattern_video(path: Path, size=PATTERN_SIZE, seconds=4, codec="libx264",
                       audio="aac", fps=30) -> Path:
    """Write the band + per-second colour test pattern with a tone."""
    w, h = size
    bw = w // 3
    names = {(255, 0, 0): "red", (0, 255, 0): "lime", (0, 0, 255): "blue",
             (255, 255, 255): "white", (255, 255, 0): "yellow", (0, 255, 255): "cyan",
             (255, 0, 255): "magenta"}
    top = ";".join(f"color={names[c]}:s={bw}x{h // 2}:r={fps}:d={seconds}[t{i}]"
                   for i, c in enumerate(BANDS))
    bottom = ";".join(f"color={names[SECONDS[i % 4]]}:s={bw * 3}x{h // 2}:r={fps}:d=1[b{i}]"
                      for i in range(seconds))
    graph = (f"{top};{bottom};[t0][t1][t2]hstack=3[top];"
             + "".join(f"[b{i}]" for i in range(seconds))
             + f"concat=n={seconds}:v=1:a=0[bot];[top][bot]vstack[v]")
    # The tone as an input of its own: inside the graph its frame size upsets libvorbis.
    args = ["-f", "lavfi", "-i", f"sine=frequency={TONE_HZ}:duration={seconds}",
            "-filter_complex", graph, "-map", "[v]", "-map", "0:a", "-c:v", codec,
            "-pix_fmt", "yuv420p"]
    if codec == "libx264":
        args += ["-preset", "veryfast"]
    ffmpeg(*args, "-c:a", audio, os.fspath(path))
    return path


def make_narration(folder: Path, lang: str, text: str | None = None) -> Path:
    """Speak text with espeak-ng in lang and encode it to Ogg Vorbis."""
    wav = folder / f"voice.{lang}.wav"
    run(["espeak-ng", "-v", lang, "-w", os.fspath(wav), text or NARRATION_TEXT[lang]])
    ogg = folder / f"voice.{lang}.ogg"
    ffmpeg("-i", os.fspath(wav), "-c:a", "libvorbis", "-q:a", "3", os.fspath(ogg))
    wav.unlink()
    return ogg


def close_to(actual, expected, tolerance: int = 24) -> bool:
    """True if each RGB channel is within tolerance (video is YUV 4:2:0, not exact)."""
    return all(abs(a - e) <= tolerance for a, e in zip(tuple(actual)[:3], expected, strict=True))
