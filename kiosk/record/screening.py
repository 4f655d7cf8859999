"""Screening a visitor's free text for what identifies a person: e-mail addresses and phone
numbers (ETHICS.md rule 10).

One check for both sides: the kiosk refuses such text before it is recorded
(`kiosk.record.kinds.check_event`), and the admin refuses it again in what a kiosk uploads or
a USB export brings, since a token holder need not be a kiosk. The text is never logged or
echoed; only what kind of detail was found is said.
"""

from __future__ import annotations

import re

# local@domain.tld, also with spaces or "(at)"/"[dot]" written out, as people do to dodge filters.
_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|[(\[{]\s*at\s*[)\]}])\s*[\w-]+(?:\s*(?:\.|[(\[{]\s*dot\s*[)\]}])\s*[\w-]+)+",
    re.IGNORECASE)
# Seven or more digits (any script's digits), optionally after + and separated by spaces,
# dots, dashes, slashes or brackets: 0701234567, +46 70-123 45 67, (555) 123-4567.
_PHONE = re.compile(r"(?:\+|\b00)?\s*(?:\d[\s./()\-]{0,2}){6,}\d")


def identifying_detail(text: str) -> str | None:
    """What identifying detail `text` holds ("an e-mail address", "a phone number"), or None."""
    if _EMAIL.search(text):
        return "an e-mail address"
    if _PHONE.search(text):
        return "a phone number"
    return None


def has_lone_surrogate(text: str) -> bool:
    """True when `text` holds a lone UTF-16 surrogate (not text any file or database takes)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)
