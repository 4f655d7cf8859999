"""Maintaining the catalogues: extract, update, init and check, the same as `pybabel` does.

`kiosk ui-strings extract|update|init LANG|check` (or `python -m kiosk.i18n ...`). Each runs
Babel's own command line with this project's settings, so the plain `pybabel` commands in
docs/languages.md give the same files.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

PACKAGE_DIR = Path(__file__).resolve().parent
KIOSK_DIR = PACKAGE_DIR.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "kiosk"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = PACKAGE_DIR / "babel.cfg"
# Babel's default keywords (_, gettext, ngettext, N_, ...) plus the plural marker of strings.py.
EXTRA_KEYWORDS = ["NP_:1,2"]
WIDTH = "100"


def _pybabel(*argv: str) -> None:
    """Run Babel's own command line in-process, raising on failure."""
    status = CommandLineInterface().run(["pybabel", "-q", *argv])
    if status:
        raise RuntimeError(f"pybabel {argv[0]} failed with status {status}")


def _version() -> str:
    """The installed project's version, for the template's header."""
    try:
        return metadata.version("storykiosk")
    except metadata.PackageNotFoundError:
        return "0"


def extract(output: Path = TEMPLATE, source: Path = KIOSK_DIR) -> Path:
    """Extract every marked string under `source` into the template `output`."""
    keywords = [arg for kw in EXTRA_KEYWORDS for arg in ("-k", kw)]
    _pybabel(
        "extract", "-F", str(MAPPING), *keywords,
        "--add-comments=TRANSLATORS:", "--no-location", "-w", WIDTH,
        "--project=Storykiosk", f"--version={_version()}", "--copyright-holder=Storykiosk contributors",
        "-o", str(output), str(source),
    )
    return output


def update(locale_dir: Path = LOCALE_DIR, template: Path = TEMPLATE) -> None:
    """Merge the template into every language's .po (new strings come in untranslated)."""
    _pybabel(
        "update", "-i", str(template), "-d", str(locale_dir), "-D", DOMAIN,
        "-w", WIDTH, "--no-fuzzy-matching",
    )


def init(language: str, locale_dir: Path = LOCALE_DIR, template: Path = TEMPLATE) -> Path:
    """Start a catalogue for a new language, with that language's Plural-Forms header."""
    _pybabel("init", "-i", str(template), "-d", str(locale_dir), "-D", DOMAIN,
             "-l", language, "-w", WIDTH)
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _run(args: argparse.Namespace) -> int:
    """Handle `kiosk ui-strings ACTION`."""
    from kiosk.i18n.checks import check_catalogues

    if args.action == "extract":
        print(f"wrote {extract()}")
    elif args.action == "update":
        update()
        print(f"updated the catalogues in {LOCALE_DIR}")
    elif args.action == "init":
        if not args.language:
            print("init needs a language code, e.g. `kiosk ui-strings init ro`", file=sys.stderr)
            return 2
        print(f"wrote {init(args.language)}")
    problems = check_catalogues() if args.action in ("check", "update", "init") else []
    for problem in problems:
        print(problem)
    if args.action == "check" and not problems:
        print("every catalogue translates every interface string")
    return 1 if problems and args.action == "check" else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments shared by `kiosk ui-strings` and `python -m kiosk.i18n`."""
    parser.add_argument("action", choices=["extract", "update", "init", "check"],
                        help="extract: rebuild kiosk.pot from the source; update: merge it "
                             "into every .po; init LANG: add a language; check: report "
                             "missing or broken translations (exit status 1)")
    parser.add_argument("language", nargs="?", help="language code, for init")
    parser.set_defaults(func=_run)


def register(subparsers) -> None:
    """Add `kiosk ui-strings` to the kiosk command line."""
    parser = subparsers.add_parser(
        "ui-strings", help="extract, update and check the kiosk's interface-string catalogues")
    add_arguments(parser)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk.i18n`."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.i18n", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return args.func(args)
