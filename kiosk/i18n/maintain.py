"""Maintaining the catalogues: extract, update and init, the same as `pybabel` does.

Behind `kiosk ui-strings extract|update|init LANG|check` (`kiosk/cli/ui_strings.py`). Each
runs Babel's own command line with this project's settings, so the plain `pybabel` commands
give the same files.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from kiosk.i18n.files import DOMAIN, KIOSK_DIR, LOCALE_DIR, MAPPING, TEMPLATE

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
