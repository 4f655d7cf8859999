"""The validator's rules for a pack's languages: CLDR must know each one, a font must draw it.

A pack that passes these can be played in every language it offers: the language picker
names each language in itself (CLDR), and the kiosk has an installed font for its script.
A code CLDR does not know (`xx`, `und`, `qaa`), an old code (`iw`, `prs`) or a country code
written as a language (`gr`, `dk`, `ua`, `jp`, `cz`) is an error with the code probably
meant; so is a language whose script no installed font covers, naming the Debian package.
No pygame: the font files are looked up on disk (kiosk.ui.fontfiles).
"""

from __future__ import annotations

from kiosk.content import model as M
from kiosk.content.phrase import Phrase
from kiosk.i18n.languages import UnknownLanguage, pack_language
from kiosk.ui.fontfiles import missing_font


def playable_language(code: str) -> tuple[str, str] | None:
    """None when the kiosk can offer `code`; else (problem, hint) in an author's words."""
    try:
        info = pack_language(code)
    except UnknownLanguage as exc:
        return exc.message, exc.hint
    missing = missing_font(info.script)
    if missing:
        problem, hint = missing
        return Phrase('%(language)s ("%(code)s") cannot be shown: %(problem)s',
                      language=info.english_name, code=code, problem=problem), hint
    return None


def check_pack_languages(pack: M.Pack, rep) -> None:
    """Each of the pack's languages must be one the kiosk can name and draw."""
    for i, code in enumerate(pack.languages):
        problem = playable_language(code)
        if problem is not None:
            rep.add(f"languages[{i}]", "bad-language", *problem)
