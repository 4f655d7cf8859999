"""`kiosk check PACK...`: the validator on the command line, for authors and for tools.

The validator in `kiosk.content` knows nothing of screens. Whether text fits the kiosk's boxes
at the largest text size can only be answered by the kiosk's own text layout (`kiosk.ui.fit`,
pygame headless), so the command adds those checks here, where both are allowed: choices that
run off the screen always, passages that will need scrolling with `--layout`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from itertools import groupby
from pathlib import Path

import msgspec

from kiosk.cli.options import iso_date
from kiosk.content.findings import ERROR, WARNING, Finding, sort_key
from kiosk.content.loader import load_pack
from kiosk.content.model import LoadedPack, Pack

log = logging.getLogger(__name__)

_COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m", "file": "\033[1m", "ok": "\033[32m"}
_RESET = "\033[0m"


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk check`."""
    p = sub.add_parser(
        "check", help="check content packs and summarise them",
        description="Check content packs: every problem with its file, line and column. "
        "Exit 0 when clean, 1 with errors (or warnings under --strict), 2 for usage.")
    p.add_argument("packs", nargs="+", metavar="PACK", help="a pack folder (with pack.yaml)")
    p.add_argument("--strict", action="store_true", help="warnings fail the check too")
    p.add_argument("--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
                   help="check the pack as it will be on that day (opening day of a venue): "
                   "consent review dates and helpline ages count from it (default: today)")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text for people (default), json for tools")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour the text output (default: when writing to a terminal)")
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
        # Deferred so that `kiosk check` runs where pygame is missing (not a circle).
        from kiosk.ui.fit import choice_fit_findings, text_fit_findings
    except ImportError as exc:
        log.warning("text-fit check skipped: %s", exc)
        return []
    findings = choice_fit_findings(pack)
    return findings + text_fit_findings(pack) if passages else findings


def run(args: argparse.Namespace) -> int:
    """Check each pack (choices always checked for fit, passages too under `--layout`);
    print findings; exit code."""
    results = []
    for name in args.packs:
        try:
            loaded = load_pack(Path(name), today=args.today)
        except Exception as exc:  # a safety net: the loader reports findings, never raises
            loaded = LoadedPack(None, [Finding(ERROR, "internal", f"{name} could not be read: "
                                               f"{type(exc).__name__}: {exc}")])
        if loaded.pack is not None:
            extra = fit_findings(loaded.pack, args.layout)
            loaded.findings = sorted([*loaded.findings, *extra], key=sort_key)
        results.append((name, loaded))
    if args.format == "json":
        out = [{"pack": name, "ok": loaded.ok, "content_hash": loaded.content_hash,
                "summary": summary(loaded), "coverage": loaded.coverage,
                "fallbacks": loaded.fallbacks,
                "findings": loaded.findings} for name, loaded in results]
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
    else:
        colour = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        for name, loaded in results:
            print_text(name, loaded, colour)
    failed = False
    for _, loaded in results:
        if not loaded.ok or (args.strict and any(f.severity == WARNING for f in loaded.findings)):
            failed = True
    return 1 if failed else 0


def summary(loaded: LoadedPack) -> dict:
    """Counts an author wants to see: stories, scenes, languages, errors, warnings."""
    pack = loaded.pack
    errors = sum(f.severity == ERROR for f in loaded.findings)
    warnings = sum(f.severity == WARNING for f in loaded.findings)
    if pack is None:
        return {"errors": errors, "warnings": warnings}
    return {
        "id": pack.id, "version": pack.version, "languages": pack.languages,
        "stories": len(pack.stories),
        "scenes": sum(len(s.scenes) for s in pack.stories.values()),
        "helplines": len(pack.helplines), "errors": errors, "warnings": warnings,
    }


def print_text(name: str, loaded: LoadedPack, colour: bool) -> None:
    """Findings grouped by file, then a summary with coverage per story and language."""

    def c(kind: str, text: str) -> str:
        return f"{_COLOURS[kind]}{text}{_RESET}" if colour else text

    for file, group in groupby(loaded.findings, key=lambda f: f.file):
        print(c("file", f"{Path(name) / file}" if file else name))
        for f in group:
            where = f"{f.line}:{f.col}" if f.line else "-"
            text = f"  {where}: {c(f.severity, f.severity)}: {f.message}"
            if f.hint:
                text += f" ({f.hint})"
            print(text)
    s = summary(loaded)
    if loaded.pack is not None:
        print(f"{name}: pack {s['id']} {s['version']}: {s['stories']} stories, "
              f"{s['scenes']} scenes, {len(s['languages'])} languages "
              f"({', '.join(s['languages'])}), {s['helplines']} helplines")
        for sid, cov in loaded.coverage.items():
            falls = loaded.fallbacks.get(sid, {})
            parts = ", ".join(f"{lang} {pct:.0f}%" + (
                f" ({len(falls[lang])} texts from {'/'.join(loaded.pack.fallback[lang])})"
                if falls.get(lang) else "") for lang, pct in cov.items())
            print(f"  {sid}: {parts}")
    verdict = f"{s['errors']} errors, {s['warnings']} warnings"
    print(c("ok" if not s["errors"] else ERROR, f"{name}: {verdict}"))
