"""One short video per story: its illustrations cross-fading, with one narration track per
language (tagged with its ISO 639-2 code, the default language first) and WebVTT subtitles."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

SIZE = (1280, 720)
FADE = 1.0          # seconds of cross-fade between pictures
LEAD = 1.0          # seconds of picture before the narration starts
TAIL = 2.0          # seconds after the longest narration ends
MIN_LEN, MAX_LEN = 45.0, 90.0
ISO639_2 = {"sv": "swe", "en": "eng", "it": "ita", "lv": "lav", "el": "ell", "ar": "ara"}


def length_for(narrations: list[float]) -> float:
    """The video's length: the longest narration with a lead-in and a tail, within 30-90 s."""
    return min(MAX_LEN, max(MIN_LEN, max(narrations) + LEAD + TAIL))


def make_video(images: list[Path], audio: dict[str, Path], total: float, out: Path) -> None:
    """Render an H.264 720p MP4 (yuv420p) with one AAC narration track per language."""
    n = len(images)
    shown = (total + (n - 1) * FADE) / n
    with tempfile.TemporaryDirectory() as tmp:
        args = ["ffmpeg", "-y", "-loglevel", "error"]
        for i, src in enumerate(images):
            small = Path(tmp) / f"{i}.png"
            Image.open(src).convert("RGB").resize(SIZE, Image.LANCZOS).save(small)
            args += ["-loop", "1", "-framerate", "25", "-t", f"{shown:.3f}", "-i", str(small)]
        for path in audio.values():
            args += ["-i", str(path)]
        chain, last = [], "0:v"
        for i in range(1, n):
            label = f"v{i}"
            offset = i * (shown - FADE)
            chain.append(f"[{last}][{i}:v]xfade=transition=fade:duration={FADE}:"
                         f"offset={offset:.3f}[{label}]")
            last = label
        chain.append(f"[{last}]format=yuv420p[vout]")
        for j, _ in enumerate(audio):
            chain.append(f"[{n + j}:a]adelay={int(LEAD * 1000)}:all=1,apad,"
                         f"atrim=0:{total:.3f}[a{j}]")
        args += ["-filter_complex", ";".join(chain), "-map", "[vout]"]
        for j, lang in enumerate(audio):
            args += ["-map", f"[a{j}]", f"-metadata:s:a:{j}", f"language={ISO639_2[lang]}",
                     f"-disposition:a:{j}", "default" if j == 0 else "0"]
        args += ["-c:v", "libx264", "-preset", "slow", "-crf", "30", "-tune", "stillimage",
                 "-r", "25", "-c:a", "aac", "-b:a", "32k", "-ac", "1", "-ar", "22050",
                 "-t", f"{total:.3f}", "-movflags", "+faststart", "-map_metadata", "-1",
                 str(out)]
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(args, check=True)
