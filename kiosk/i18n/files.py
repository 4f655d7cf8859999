"""Where the interface catalogues live: the locale folder, the gettext domain, the template."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KIOSK_DIR = PACKAGE_DIR.parent
LOCALE_DIR = PACKAGE_DIR / "locale"
DOMAIN = "kiosk"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = PACKAGE_DIR / "babel.cfg"
