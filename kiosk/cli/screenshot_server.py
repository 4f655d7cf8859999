"""`kiosk screenshot-server`: `kiosk screenshot` on request, in one long-lived process.

The admin's preview draws scenes with the kiosk's own renderer, in a separate process so the
admin never imports pygame. Starting Python, pygame, Babel and the fonts for every preview
costs more than drawing the scene, so the admin keeps one of these running and sends it
requests: one JSON object per line on stdin, one answer per line on stdout.

Request: ``{"pack": DIR, "out": FILE, "story": ..., "scene": ..., "lang": ...,
"screen": ..., "size": [W, H], "text_size": 0}`` (only pack and out are required).
Answer: ``{"ok": true, "path": FILE}`` or ``{"ok": false, "error": "one sentence"}``.
The process ends at the end of its input.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk screenshot-server`."""
    p = sub.add_parser(
        "screenshot-server", help="render screens on request (JSON lines on stdin and stdout)",
        description=__doc__.split("\n\n")[1])
    p.set_defaults(func=cmd_serve)


def answer(request: dict) -> dict:
    """Render one request; never raises."""
    from kiosk.app.shots import ScreenshotError, screenshot

    try:
        pack, out = Path(request["pack"]), Path(request["out"])
        size = tuple(int(v) for v in request.get("size") or (1920, 1080))
        path = screenshot(pack, out, screen=request.get("screen"), story=request.get("story"),
                          scene=request.get("scene"), lang=request.get("lang"), size=size,
                          text_step=int(request.get("text_size") or 0))
        return {"ok": True, "path": str(path)}
    except (KeyError, TypeError, ValueError) as exc:
        return {"ok": False, "error": f"bad request: {exc}"}
    except ScreenshotError as exc:
        return {"ok": False, "error": str(exc)}
    except Exception as exc:  # one bad scene must not end the server
        log.exception("screenshot-server: rendering failed")
        return {"ok": False, "error": f"the kiosk failed to draw it: {type(exc).__name__}: {exc}"}


def cmd_serve(_args) -> int:
    """Serve until stdin closes."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # Answers go to the real stdout; anything pygame, SDL or libvlc print (from Python or C)
    # goes to stderr instead, so it cannot break an answer line.
    sys.stdout.flush()
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import kiosk.app.shots  # noqa: F401  (pygame and the kiosk load before the first request)

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            reply = answer(request) if isinstance(request, dict) else {
                "ok": False, "error": "bad request: not a JSON object"}
        except json.JSONDecodeError as exc:
            reply = {"ok": False, "error": f"bad request: {exc}"}
        replies.write(json.dumps(reply) + "\n")
    return 0
