"""Scene previews as the kiosk draws them: ``kiosk screenshot`` in a subprocess, cached.

The admin never imports pygame: it runs the kiosk's own renderer as a separate process
(``python -m kiosk screenshot PACK --story S --scene X --lang L -o file.png``) and keeps
the PNG under ``<instance>/content-cache/previews/`` named by the pack's content hash, so
any change to the pack (text, media, settings) gives new previews and the old ones are
never served.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

SIZE = "1280x720"
MAX_CACHED = 400  # about 40 MB of PNGs
TIMEOUT = 25  # below gunicorn's worker timeout (30 s): a stuck render fails cleanly


class PreviewError(Exception):
    """The kiosk could not render the scene; the sentence is the kiosk's own."""


def cache_path(cache_dir: Path, content_hash: str, story: str, scene: str, lang: str) -> Path:
    """Where the PNG of one scene in one language of one pack version is kept."""
    key = hashlib.sha256(f"{content_hash}\0{story}\0{scene}\0{lang}\0{SIZE}".encode())
    return cache_dir / "previews" / f"{key.hexdigest()[:40]}.png"


def render(pack_root: Path, out: Path, story: str, scene: str, lang: str) -> Path:
    """Run ``kiosk screenshot`` for one scene and move its PNG into place atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.png")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    cmd = [sys.executable, "-m", "kiosk", "screenshot", str(pack_root), "--story", story,
           "--scene", scene, "--lang", lang, "--size", SIZE, "-o", str(tmp)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        tmp.unlink(missing_ok=True)
        raise PreviewError(f"the kiosk took more than {TIMEOUT} s to draw the scene") from None
    if done.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        lines = [x for x in done.stderr.strip().splitlines() if x.strip()]
        raise PreviewError(lines[-1] if lines else f"kiosk screenshot exited {done.returncode}")
    os.replace(tmp, out)
    _prune(out.parent)
    return out


def _prune(folder: Path, keep: int = MAX_CACHED) -> None:
    """Drop the oldest previews beyond `keep` (old pack versions are never asked for again)."""
    files = list(folder.glob("*.png"))
    if len(files) <= keep:
        return
    dated = []
    for f in files:
        try:
            dated.append((f.stat().st_mtime, f))
        except FileNotFoundError:  # another worker pruned it
            continue
    for _mtime, old in sorted(dated)[:-keep]:
        old.unlink(missing_ok=True)


def preview(pack_root: Path, cache_dir: Path, content_hash: str, story: str, scene: str,
            lang: str) -> Path:
    """The cached PNG of a scene, drawn by the kiosk when missing."""
    out = cache_path(cache_dir, content_hash, story, scene, lang)
    if out.is_file():
        return out
    return render(pack_root, out, story, scene, lang)
