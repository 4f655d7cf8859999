"""A revision's summary: stored in English (the history's record), shown in the reader's
language.

Each kind of change has one msgid here; ``summary(...)`` makes the English a revision keeps,
and ``phrase(text)`` reads a stored summary back as that msgid with its parameters, so
``admin.i18n.reason`` can translate old and new revisions alike. A summary of no known form
(written before these existed) is shown as stored.
"""

from __future__ import annotations

import re

from kiosk.content.phrase import Phrase


def N_(msgid: str) -> str:
    """Marks a msgid for ``pybabel extract -k N_`` (translated where shown)."""
    return msgid


SCENE = N_("scene %(scene)s")
ADD_SCENE = N_("add scene %(scene)s")
RENAME_SCENE = N_("rename scene %(scene)s to %(new)s")
DELETE_SCENE = N_("delete scene %(scene)s")
RESTORE_BEFORE = N_("restore revision %(id)s (before)")
RESTORE_AFTER = N_("restore revision %(id)s (after)")
TRANSLATION = N_("translation %(language)s")
PO_IMPORT = N_("PO import %(language)s")
ALT = N_("alt text of %(file)s")
ALT_MOVED = N_("alt text moved from the library's database")
ACCEPT_OVERRIDE = N_("accept the base's new text under %(line)s")
REDO_OVERRIDE = N_("redo the override of %(line)s")
KNOWN = (SCENE, ADD_SCENE, RENAME_SCENE, DELETE_SCENE, RESTORE_BEFORE, RESTORE_AFTER,
         TRANSLATION, PO_IMPORT, ALT, ALT_MOVED, ACCEPT_OVERRIDE, REDO_OVERRIDE)


def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", msgid)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>\\S+)"
                              for i, p in enumerate(parts)))


_PATTERNS = [(msgid, _pattern(msgid)) for msgid in KNOWN]


def summary(msgid: str, **params) -> Phrase:
    """A revision's summary of one of the KNOWN kinds (its str() is what is stored)."""
    assert msgid in KNOWN, msgid
    return Phrase(msgid, **params)


def phrase(text: str) -> str:
    """A stored summary as the Phrase it was made from, or the text as it is."""
    for msgid, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return Phrase(msgid, **m.groupdict())
    return text
