"""Scene previews as the kiosk draws them, by the kiosk's renderer in its own process, cached.

The admin never imports pygame: a `Renderer` keeps one ``kiosk screenshot-server`` process
running (started on first use, one per admin worker process) and sends it a request per
preview, so a preview costs the drawing and not the start of Python, pygame and the fonts.
A render that takes too long or a server that dies is killed and started afresh on the next
request. PNGs are kept under ``<instance>/content-cache/previews/`` named by the pack's
content hash, so any change to the pack (text, media, settings) gives new previews and the
old ones are never served.
"""

from __future__ import annotations

import hashlib
import json
import os
import selectors
import subprocess
import sys
import threading
import time
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


class Renderer:
    """One long-lived ``kiosk screenshot-server`` process; thread-safe, restarted on failure."""

    def __init__(self, timeout: float = TIMEOUT):
        self.timeout = timeout
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
               "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
        return subprocess.Popen([sys.executable, "-m", "kiosk", "screenshot-server"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)

    def warm(self) -> None:
        """Start the server now (a page that leads to a preview), so the preview is quick."""
        if self._lock.acquire(blocking=False):
            try:
                if self._proc is None or self._proc.poll() is not None:
                    self._proc = self._start()
            finally:
                self._lock.release()

    def _ask(self, request: dict) -> dict:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            proc = self._proc = self._start()
        try:
            proc.stdin.write(json.dumps(request) + "\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.close()
            raise PreviewError("the kiosk's renderer stopped; try again") from None
        deadline = time.monotonic() + self.timeout
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(max(0.0, deadline - time.monotonic())):
                self.close()
                raise PreviewError(f"the kiosk took more than {self.timeout:g} s to draw "
                                   "the scene")
        line = proc.stdout.readline()
        if not line:
            self.close()
            raise PreviewError("the kiosk's renderer stopped; try again")
        return json.loads(line)

    def render(self, pack_root: Path, out: Path, story: str, scene: str, lang: str) -> Path:
        """Draw one scene into `out` (written to a temporary name, then moved into place)."""
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.stem}.{os.getpid()}.{threading.get_ident()}.png")
        w, h = (int(v) for v in SIZE.split("x"))
        request = {"pack": str(pack_root), "out": str(tmp), "story": story, "scene": scene,
                   "lang": lang, "size": [w, h]}
        try:
            with self._lock:
                reply = self._ask(request)
            if not reply.get("ok") or not tmp.is_file():
                raise PreviewError(reply.get("error") or "the kiosk drew nothing")
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
        _prune(out.parent)
        return out

    def close(self) -> None:
        """Stop the server process (the next request starts a new one)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(5)
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass


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


def preview(renderer: Renderer, pack_root: Path, cache_dir: Path, content_hash: str,
            story: str, scene: str, lang: str) -> Path:
    """The cached PNG of a scene, drawn by the kiosk when missing."""
    out = cache_path(cache_dir, content_hash, story, scene, lang)
    if out.is_file():
        return out
    return renderer.render(pack_root, out, story, scene, lang)
