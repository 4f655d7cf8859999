"""`kiosk check`: the content validator, plus the text-fit check that needs the kiosk's layout.

The validator in `kiosk.content` knows nothing of screens. Whether a scene's text fits its box
at the largest text size can only be answered by the kiosk's own text layout (`kiosk.ui.fit`,
pygame headless), so the command adds that check here, where both are allowed.
"""

from __future__ import annotations

import argparse
import logging
import os

from kiosk.content import cli as content_cli
from kiosk.content.findings import Finding
from kiosk.content.model import Pack

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk check` with `--layout`."""
    p = content_cli.register(sub)
    p.add_argument("--layout", action="store_true",
                   help="also warn about scenes whose text does not fit its box at the largest "
                   "text size, laid out by the kiosk on a 1920x1080 and a 1080x1920 screen "
                   "(needs pygame; about a second for the demo pack)")
    p.set_defaults(func=run)


def layout_findings(pack: Pack) -> list[Finding]:
    """Text-fit warnings, or none (with one log line) where pygame cannot run."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keeps --format json clean
    try:
        from kiosk.ui.fit import text_fit_findings
    except ImportError as exc:
        log.warning("text-fit check skipped: %s", exc)
        return []
    return text_fit_findings(pack)


def run(args: argparse.Namespace) -> int:
    """`kiosk check`, with the layout check under `--layout`."""
    return content_cli.run(args, layout_findings if args.layout else None)
