"""Findings: what the loader and the validator tell an author, each with its place.

A finding's ``message`` and ``hint`` are English (``kiosk check`` prints them). Made from a
``Phrase``, a finding also keeps the English as ``msgid`` with ``params`` (and
``hint_msgid``/``hint_params``) so the admin shows it in the staff member's language; a
param named ``path`` holds a data path, which ``place`` says the way staff read it. A param
that is itself a Phrase ("a list", a place) is kept as ``[msgid, params]`` and translated too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

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
    params: dict[str, Any] = {}  # str, or [msgid, params] for a param that is a Phrase
    hint_msgid: str = ""
    hint_params: dict[str, Any] = {}

    def where(self) -> str:
        """`file:line:col`, as far as known."""
        if not self.file:
            return "pack"
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def phrase(self) -> str:
        """The message as a Phrase to translate (the plain English when it has no msgid)."""
        return _decode([self.msgid, self.params]) if self.msgid else self.message

    def hint_phrase(self) -> str:
        """The hint as a Phrase to translate (the plain English when it has no msgid)."""
        return _decode([self.hint_msgid, self.hint_params]) if self.hint_msgid else self.hint

    def format(self) -> str:
        """The one-line form: `stories/mara.yaml:42:7: error: ... (hint)`."""
        text = f"{self.where()}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def finding(severity: str, code: str, message: str, file: str = "", line: int = 0,
            col: int = 0, path: str = "", hint: str = "",
            names: dict[str, str] | None = None) -> Finding:
    """A Finding whose message and hint, when Phrases, keep their msgid and params
    (``names``: the ids of list items, ``helplines[0]`` -> bris, for ``place``)."""
    return Finding(severity, code, str(message), file, line, col, path, str(hint),
                   getattr(message, "msgid", ""), _params(message, names),
                   getattr(hint, "msgid", ""), _params(hint, names))


def _params(phrase: object, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A Phrase's params as plain data: a str stays, a Phrase becomes [msgid, params]; a
    ``path`` param is kept as its ``place`` (the English message keeps the data path)."""
    out: dict[str, Any] = {}
    for k, v in getattr(phrase, "params", {}).items():
        if k == "path" and not isinstance(v, Phrase):
            v = place(str(v), names)
        out[k] = [v.msgid, _params(v)] if isinstance(v, Phrase) else str(v)
    return out


def _decode(data: list) -> Phrase:
    """The Phrase that _params' [msgid, params] stands for."""
    msgid, params = data
    return Phrase(msgid, **{k: _decode(v) if isinstance(v, list) else v
                            for k, v in params.items()})


_PLACE = re.compile(r"scenes\.([^.\[]+)(?:\.choices\[(\d+)\])?(?:\.(.+))?")
# a library picture's key is a media path, dots and all: pictures.images/a.jpg.alt.sv
_PICTURE = re.compile(r"pictures\.(.+?)(?:\.(alt(?:\.[a-zA-Z-]+)?))?")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def place(path: str, names: dict[str, str] | None = None) -> Phrase | str:
    """A data path as staff read it: ``scenes.offer.choices[1].label`` -> scene 'offer',
    choice 2, field 'label'; ``helplines[0].hours`` -> helpline 'bris', field 'hours' when
    ``names`` gives the id of ``helplines[0]`` (else helpline 1); "" stays ""."""
    m = _PLACE.fullmatch(path)
    if m:
        return _scene_place(*m.groups())
    m = _PICTURE.fullmatch(path)
    if m:
        picture = Phrase("picture media/%(file)s", file=m.group(1))
        return Phrase("%(place)s, %(detail)s", place=picture, detail=Phrase(
            "field '%(field)s'", field=m.group(2))) if m.group(2) else picture
    parts: list[Phrase] = []
    rest = [int(i) if i else key for key, i in _SEGMENT.findall(path)]
    names = names or {}
    while rest:
        head, taken = _container(rest, names)
        if head is None:
            break
        parts.append(head)
        rest = rest[taken:]
    if rest:
        parts.append(Phrase("field '%(field)s'", field=_dotted(rest)))
    if not parts:
        return path
    out = parts[-1]
    for part in reversed(parts[:-1]):
        out = Phrase("%(place)s, %(detail)s", place=part, detail=out)
    return out


def _scene_place(scene: str, choice: str | None, rest: str | None) -> Phrase:
    if choice is None:
        return Phrase("scene '%(scene)s', field '%(field)s'", scene=scene, field=rest) if rest \
            else Phrase("scene '%(scene)s'", scene=scene)
    n = str(int(choice) + 1)
    return Phrase("scene '%(scene)s', choice %(n)s, field '%(field)s'", scene=scene, n=n,
                  field=rest) if rest else Phrase("scene '%(scene)s', choice %(n)s",
                                                  scene=scene, n=n)


def _container(seg: list, names: dict[str, str]) -> tuple[Phrase | None, int]:
    """The thing the path's first segments name, and how many segments it takes."""
    first, second = seg[0], seg[1] if len(seg) > 1 else None
    third = seg[2] if len(seg) > 2 else None
    if first == "helplines" and isinstance(second, int):
        name = names.get(f"helplines[{second}]")
        return (Phrase("helpline '%(id)s'", id=name) if name
                else Phrase("helpline %(n)s", n=str(second + 1))), 2
    if first == "surveys" and second == "rating":
        return Phrase("the rating question"), 2
    if first == "surveys" and second in ("before", "after") and isinstance(third, int):
        name = names.get(f"surveys.{second}[{third}]")
        if name:
            return Phrase("survey question '%(id)s'", id=name), 3
        return (Phrase("question %(n)s before the story", n=str(third + 1)) if second == "before"
                else Phrase("question %(n)s after the story", n=str(third + 1))), 3
    if first == "options" and isinstance(second, int):
        return Phrase("option %(n)s", n=str(second + 1)), 2
    if first == "content_notes" and isinstance(second, str):
        return Phrase("content note '%(id)s'", id=second), 2
    if first == "sources" and isinstance(second, str):
        return Phrase("source '%(id)s'", id=second), 2
    if first == "kiosk" and second == "attract" and isinstance(third, int):
        return Phrase("attract picture %(n)s", n=str(third + 1)), 3
    if first == "strings" and isinstance(second, str) and isinstance(third, str):
        return Phrase("interface text '%(msgid)s' in %(language)s", msgid=third,
                      language=second), 3
    return None, 0


def _dotted(seg: list) -> str:
    """Segments back as a path: ["name", "sv"] -> name.sv, ["languages", 1] -> languages[1]."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in seg).lstrip(".")


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
