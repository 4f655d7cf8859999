"""Findings: what the loader and the validator tell an author, each with its place."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import msgspec

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

    def where(self) -> str:
        """`file:line:col`, as far as known."""
        if not self.file:
            return "pack"
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def format(self) -> str:
        """The one-line form: `stories/mara.yaml:42:7: error: ... (hint)`."""
        text = f"{self.where()}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt key or id, or an empty string."""
    close = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else ""


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity == ERROR for f in findings)


def sort_key(f: Finding) -> tuple:
    """Order findings by file, then place, errors first at the same place."""
    return (f.file != "pack.yaml", f.file, f.line, f.col, f.severity != ERROR, f.code)
