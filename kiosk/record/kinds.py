"""The event kinds the record accepts, and the fields each may carry (a whitelist).

Anything not listed here is refused with `EventRefused`: no names, no addresses, no free-form
identifiers, no device details (ETHICS.md rule 10). Identifier fields must be content ids as
the pack format defines them (`kiosk.content.schema.ID_RE`: a lower-case letter, then
letters, digits, `_` and `-`; at most 64 characters), so neither free text nor a phone number
can slip in through them; the only free text is `free_text`, only for questions the pack asked
with free text, and never with an e-mail address or phone number in it (`screening`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.content.schema import ID_RE
from kiosk.record.screening import has_lone_surrogate, identifying_detail

ID_MAX = 64
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")
VERSION_RE = re.compile(r"^[A-Za-z0-9_.+-]{1,40}$")
SCHOOL_CODE_RE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
FREE_TEXT_MAX = 1000
END_REASONS = frozenset({"done", "leave_now", "idle_reset", "language_changed", "shutdown"})


class EventRefused(ValueError):
    """An event kind or field that the record does not accept; `code` names the rule."""

    def __init__(self, message: str, code: str = "malformed_event"):
        super().__init__(message)
        self.code = code


def is_id(value: object) -> bool:
    """True for an id of the pack format's form, at most ID_MAX characters."""
    return isinstance(value, str) and len(value) <= ID_MAX and bool(ID_RE.fullmatch(value))


def is_version(value: object) -> bool:
    """True for a pack version as the record keeps it (like 1.2.0)."""
    return isinstance(value, str) and bool(VERSION_RE.fullmatch(value))


_ident = is_id
_version = is_version


def _choice(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return (isinstance(value, int) and 0 <= value < 10_000) or _ident(value)


def _answer(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -1_000 <= value <= 1_000
    if isinstance(value, float):
        return -1_000.0 <= value <= 1_000.0 and value == value
    if isinstance(value, list):
        return 0 < len(value) <= 20 and all(_ident(v) or _choice(v) for v in value)
    return _ident(value)


def _duration(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 86_400_000


def _rating(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10


def _size(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 <= value <= 10
    return _ident(value)


def _lang(value: object) -> bool:
    return isinstance(value, str) and bool(LANG_RE.fullmatch(value))


def _school(value: object) -> bool:
    return isinstance(value, str) and bool(SCHOOL_CODE_RE.fullmatch(value))


def _bool(value: object) -> bool:
    return isinstance(value, bool)


def _phase(value: object) -> bool:
    return isinstance(value, str) and value in ("before", "after")


def _free(value: object) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= FREE_TEXT_MAX
            and not has_lone_surrogate(value))


def _pending(value: object) -> bool:
    return value == "pending"


def _reason(value: object) -> bool:
    return isinstance(value, str) and value in END_REASONS  # a list is no member, not a crash


Check = Callable[[object], bool]
# kind -> (required fields, optional fields); each field -> its check.
KINDS: dict[str, tuple[dict[str, Check], dict[str, Check]]] = {
    "session_started": (
        {"pack": _ident, "pack_version": _version, "language": _lang},
        {"school_code": _school},
    ),
    "story_started": ({"story": _ident}, {}),
    "scene_shown": ({"story": _ident, "scene": _ident, "duration_ms": _duration}, {}),
    "choice_made": ({"story": _ident, "scene": _ident, "choice": _choice}, {}),
    "story_finished": ({"story": _ident, "ending": _ident}, {}),
    "story_left": ({"story": _ident, "scene": _ident}, {}),
    "leave_now": ({}, {"story": _ident, "scene": _ident}),
    "idle_reset": ({}, {"story": _ident, "scene": _ident}),
    "survey_answer": (
        {"question": _ident, "answer": _answer, "phase": _phase},
        {"story": _ident},
    ),
    "rating": ({"story": _ident, "value": _rating}, {}),
    "text_size_changed": ({"size": _size}, {}),
    "sound_changed": ({"on": _bool}, {}),
    "free_text": ({"question": _ident, "text": _free, "moderation": _pending}, {}),
    "session_ended": ({"reason": _reason}, {}),
}


def check_event(kind: str, fields: dict[str, object]) -> None:
    """Raise `EventRefused` unless `kind` is known and `fields` are exactly its allowed ones."""
    spec = KINDS.get(kind)
    if spec is None:
        raise EventRefused(f"unknown event kind {kind!r}; the record accepts {sorted(KINDS)}")
    required, optional = spec
    for name, value in fields.items():
        check = required.get(name) or optional.get(name)
        if check is None:
            allowed = sorted(required) + sorted(optional)
            raise EventRefused(
                f"field {name!r} is not allowed in a {kind} event (allowed: {allowed})"
            )
        if not check(value):
            # The value itself is left out of the message: it may be something identifying.
            raise EventRefused(f"field {name!r} of a {kind} event has a value of the wrong form")
    missing = [name for name in required if name not in fields]
    if missing:
        raise EventRefused(f"a {kind} event needs {missing}")
    if kind == "free_text":
        detail = identifying_detail(str(fields["text"]))
        if detail:
            raise EventRefused(f"free text holding {detail} is not recorded: it could identify "
                               f"a person", "identifying_text")
