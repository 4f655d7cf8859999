"""Which installed font file draws which script, and which Debian package brings it.

No pygame: the validator asks `missing_font(script)` whether the kiosk can draw a pack's
languages (a language whose script no installed font covers would show empty boxes), and
`kiosk.ui.fonts.FontBook` opens the files found here. The fonts are Debian's Noto families:
`fonts-noto-core` covers the scripts of most living languages, `fonts-noto-cjk` Chinese,
Japanese and Korean.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.content.phrase import Phrase
from kiosk.settings import env

NOTO_DIR = Path(env("STORYKIOSK_FONT_DIR"))
# fonts-noto-cjk installs OpenType collections (.ttc) here rather than under truetype/.
CJK_DIR = Path(env("STORYKIOSK_CJK_FONT_DIR"))
CORE_PACKAGE = "fonts-noto-core"
CJK_PACKAGE = "fonts-noto-cjk"
CJK_FAMILY = "NotoSansCJK"

# ISO 15924 script -> Noto family. Every family but CJK's has Regular (most also Bold)
# files in fonts-noto-core; a script missing here has no font the kiosk knows.
SCRIPT_FONTS = {
    "Latn": "NotoSans", "Grek": "NotoSans", "Cyrl": "NotoSans",
    "Arab": "NotoSansArabic", "Hebr": "NotoSansHebrew", "Thai": "NotoSansThai",
    "Ethi": "NotoSansEthiopic", "Armn": "NotoSansArmenian", "Geor": "NotoSansGeorgian",
    "Deva": "NotoSansDevanagari", "Beng": "NotoSansBengali", "Khmr": "NotoSansKhmer",
    "Laoo": "NotoSansLao", "Mymr": "NotoSansMyanmar", "Sinh": "NotoSansSinhala",
    "Taml": "NotoSansTamil", "Guru": "NotoSansGurmukhi", "Gujr": "NotoSansGujarati",
    "Knda": "NotoSansKannada", "Mlym": "NotoSansMalayalam", "Orya": "NotoSansOriya",
    "Telu": "NotoSansTelugu", "Thaa": "NotoSansThaana", "Syrc": "NotoSansSyriac",
    "Tibt": "NotoSerifTibetan", "Cher": "NotoSansCherokee", "Tfng": "NotoSansTifinagh",
    "Hans": CJK_FAMILY, "Hant": CJK_FAMILY, "Hani": CJK_FAMILY, "Jpan": CJK_FAMILY,
    "Kore": CJK_FAMILY, "Hira": CJK_FAMILY, "Kana": CJK_FAMILY, "Hang": CJK_FAMILY,
}


def font_file(family: str, bold: bool = False) -> Path | None:
    """The file of a Noto family's regular or bold face, or None when it is not installed."""
    folder, suffix = (CJK_DIR, ".ttc") if family == CJK_FAMILY else (NOTO_DIR, ".ttf")
    for weight in (("Bold", "Regular") if bold else ("Regular",)):
        path = folder / f"{family}-{weight}{suffix}"
        if path.exists():
            return path
    return None


def font_package(script: str) -> str:
    """The Debian package that brings the font of a script."""
    return CJK_PACKAGE if SCRIPT_FONTS.get(script) == CJK_FAMILY else CORE_PACKAGE


def missing_font(script: str) -> tuple[str, str] | None:
    """None when an installed font draws `script`; else (what is missing, what to do)."""
    family = SCRIPT_FONTS.get(script)
    if family is None:
        return (Phrase("the kiosk has no font for its script (%(script)s)", script=script),
                Phrase("leave the language out"))
    if font_file(family) is None:
        return (Phrase("no installed font covers its script (%(script)s)", script=script),
                Phrase("install Debian's %(package)s on every kiosk (it brings %(family)s), or "
                       "leave the language out", package=font_package(script), family=family))
    return None
