"""Characters an author cannot see: invisible ones, look-alikes from another script.

Ids are plain lower-case ASCII (schema.ID_RE), so an id with a zero-width space or a
Cyrillic "а" in a Latin word is refused; these helpers make the finding say why, with each
odd character's code point and name (`U+200B ZERO WIDTH SPACE`), since the quoted id looks
right on screen. Text is normalised to NFC when a file is read (yamlsafe.read_text), so a
value typed with combining accents (NFD) equals the same value typed precomposed.
"""

from __future__ import annotations

import unicodedata

# Scripts a letter's Unicode name starts with, for "mixes Latin and Cyrillic".
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "HEBREW", "ARABIC", "GEORGIAN",
            "CHEROKEE")


def code_point(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE` for one character."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def invisible(char: str) -> bool:
    """True for characters that show as nothing, or as a plain space."""
    return unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp", "Mn", "Me") or (
        unicodedata.category(char) == "Zs" and char != " ")


def script_of(char: str) -> str | None:
    """The script of a letter, from its Unicode name ('LATIN', 'CYRILLIC', ...)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return next((s for s in _SCRIPTS if name.startswith(s + " ")), "OTHER")


def shown(text: str) -> str:
    """The text with its invisible characters written as <U+200B>, so a finding shows them."""
    return "".join(f"<U+{ord(c):04X}>" if invisible(c) else c for c in text)


def excerpt(text: str, limit: int = 40) -> str:
    """A value as a finding quotes it: on one line, invisible characters shown, cut to
    `limit` characters with an ellipsis."""
    text = shown(str(text).replace("\n", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def odd_characters(text: str) -> str:
    """Why an id that looks right is not: its non-ASCII characters and mixed scripts, or ''."""
    odd = sorted({c for c in text if not c.isascii()}, key=text.index)
    if not odd:
        return ""
    scripts: list[str] = []
    for char in text:
        script = script_of(char)
        if script and script not in scripts:
            scripts.append(script)
    parts = []
    if len(scripts) > 1:
        parts.append(f"it mixes {' and '.join(s.title() for s in scripts)} letters")
    parts.append("it contains " + ", ".join(
        code_point(c) + (" (invisible)" if invisible(c) else "") for c in odd))
    return "; ".join(parts)
