"""Findings the admin can translate: each sentence a validator finding carries (its message's
and its hint's msgid) is in the admin's catalogue, so staff read it in their language
(docs/content-format.md, "What the validator finds"). The Swedish catalogue stands for the
four: the i18n walk test holds them to the same template."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parents[2] / "admin" / "translations" / "sv" / "LC_MESSAGES" \
    / "messages.po"


@cache
def _translated() -> frozenset[str]:
    with CATALOG.open("rb") as f:
        return frozenset(m.id for m in read_po(f) if m.id and m.string and not m.fuzzy)


def untranslated(findings) -> list[str]:
    """The msgids of `findings` (messages and hints) that staff would read in English."""
    known = _translated()
    return [msgid for f in findings for msgid in (f.msgid, f.hint_msgid)
            if msgid and msgid not in known]
