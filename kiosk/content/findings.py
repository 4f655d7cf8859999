"""Findings: what the loader and the validator tell an author, each with its place.

A finding's ``message`` and ``hint`` are English (``kiosk check`` prints them). Made from a
``Phrase``, a finding also keeps the English as ``msgid`` with ``params`` (and
``hint_msgid``/``hint_params``) so the admin shows it in the staff member's language; a
param named ``path`` holds a data path, which ``place`` says the way staff read it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

import msgspec

from kiosk.content.phrase import Phrase

ERROR = "error"
WARNING = "warning"


class Finding(msgspec.Struct, frozen=True, omit_defaults=True):
    """One problem in a pack, in words an author understands, with file, line and column."""

    severity: str
    code: str
    message: str
    file: str = ""
    line: int = 0
    col: int = 0
    path: str = ""  # where in the data: "scenes.home.choices[1].goto"
    hint: str = ""
    msgid: str = ""  # the message as a msgid with params (empty: not translatable)
    params: dict[str, str] = {}
    hint_msgid: str = ""
    hint_params: dict[str, str] = {}

    def where(self) -> str:
        """`file:line:col`, as far as known."""
        if not self.file:
            return "pack"
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def phrase(self) -> str:
        """The message as a Phrase to translate (the plain English when it has no msgid)."""
        return Phrase(self.msgid, **self.params) if self.msgid else self.message

    def hint_phrase(self) -> str:
        """The hint as a Phrase to translate (the plain English when it has no msgid)."""
        return Phrase(self.hint_msgid, **self.hint_params) if self.hint_msgid else self.hint

    def format(self) -> str:
        """The one-line form: `stories/mara.yaml:42:7: error: ... (hint)`."""
        text = f"{self.where()}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def finding(severity: str, code: str, message: str, file: str = "", line: int = 0,
            col: int = 0, path: str = "", hint: str = "") -> Finding:
    """A Finding whose message and hint, when Phrases, keep their msgid and params."""
    return Finding(severity, code, str(message), file, line, col, path, str(hint),
                   getattr(message, "msgid", ""), dict(getattr(message, "params", {})),
                   getattr(hint, "msgid", ""), dict(getattr(hint, "params", {})))


_PLACE = re.compile(r"scenes\.([^.\[]+)(?:\.choices\[(\d+)\])?(?:\.(.+))?")


def place(path: str) -> Phrase | str:
    """A data path as staff read it: ``scenes.offer.choices[1].label`` -> scene 'offer',
    choice 2, field 'label'; a path outside the scenes is returned as it is."""
    m = _PLACE.fullmatch(path)
    if not m:
        return path
    scene, choice, rest = m.groups()
    if choice is None:
        return Phrase("scene '%(scene)s', field '%(field)s'", scene=scene, field=rest) if rest \
            else Phrase("scene '%(scene)s'", scene=scene)
    n = str(int(choice) + 1)
    return Phrase("scene '%(scene)s', choice %(n)s, field '%(field)s'", scene=scene, n=n,
                  field=rest) if rest else Phrase("scene '%(scene)s', choice %(n)s",
                                                  scene=scene, n=n)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or id, or an empty string."""
    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return Phrase('did you mean "%(word)s"?', word=close[0]) if close else ""


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity == ERROR for f in findings)


def sort_key(f: Finding) -> tuple:
    """Order findings by file, then place, errors first at the same place."""
    return (f.file != "pack.yaml", f.file, f.line, f.col, f.severity != ERROR, f.code)
