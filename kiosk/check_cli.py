"""`kiosk check`: the content validator, plus the fit checks that need the kiosk's layout.

The validator in `kiosk.content` knows nothing of screens. Whether text fits the kiosk's boxes
at the largest text size can only be answered by the kiosk's own text layout (`kiosk.ui.fit`,
pygame headless), so the command adds those checks here, where both are allowed: choices that
run off the screen always, passages that will need scrolling with `--layout`.
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


def fit_findings(pack: Pack, passages: bool = False) -> list[Finding]:
    """Fit warnings (choices; passages too when asked), or none with one log line where
    pygame cannot run."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keeps --format json clean
    try:
        from kiosk.ui.fit import choice_fit_findings, text_fit_findings
    except ImportError as exc:
        log.warning("text-fit check skipped: %s", exc)
        return []
    findings = choice_fit_findings(pack)
    return findings + text_fit_findings(pack) if passages else findings


def run(args: argparse.Namespace) -> int:
    """`kiosk check`: choices always checked for fit, passages too under `--layout`."""
    return content_cli.run(args, lambda pack: fit_findings(pack, args.layout))
