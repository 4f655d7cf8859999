"""A pack's version: its form, its order and the version after it.

A version names the version's folder on every kiosk and decides which install is newer
(docs/content-format.md); `schema.version` checks it in pack.yaml, bundles check it in a
manifest, the admin picks the next one for a working copy.
"""

from __future__ import annotations

import re

# A pack's version: numbers with dots, then an optional -label and +build of letters, digits,
# - and dots (semver's shape, 1 to 4 numbers). It becomes part of a folder name on every kiosk,
# so nothing else may get in: no /, no .., no spaces (docs/content-format.md).
VERSION_RE = re.compile(r"^\d{1,9}(\.\d{1,9}){0,3}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?"
                        r"(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")
MAX_VERSION_CHARS = 64


def is_version(value: str) -> bool:
    """True when a text is a pack version of the defined form (1.0.1, 2026.12-se.1)."""
    return len(value) <= MAX_VERSION_CHARS and VERSION_RE.fullmatch(value) is not None


def version_key(value: str) -> tuple:
    """A sort key for versions of the defined form, in semver's order: numbers compare as
    numbers (missing ones count as 0), a -suffix sorts before the same numbers without one
    (its dot-separated parts compare as numbers when numeric, else as text), +build is ignored.
    ValueError for a text that is not a version."""
    if not is_version(value):
        raise ValueError(f"not a version: {value!r}")
    core, _, suffix = value.split("+", 1)[0].partition("-")
    numbers = tuple(int(n) for n in core.split("."))
    numbers += (0,) * (4 - len(numbers))
    if not suffix:
        return (numbers, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in suffix.split("."))
    return (numbers, 0, parts)


def next_version(value: str) -> str:
    """The version after this one: its last number plus one (1.0.1 -> 1.0.2; 2026.12-se.1 ->
    2026.12-se.2); a suffix without a number gets ".1" (1.0-beta -> 1.0-beta.1)."""
    head = value.split("+", 1)[0]
    match = re.search(r"(\d+)$", head)
    if match is None:
        return head + ".1"
    return head[:match.start()] + str(int(match.group(1)) + 1)
