"""A piece of text as a message id with parameters: English for the command line, translated
by the admin.

``Phrase("choice %(choice)s", choice="c2")`` prints as ``choice c2``; the admin's
``admin.i18n.reason`` looks ``msgid`` up in the staff member's catalogue and fills in
``params``, as it does for refusals (``pybabel extract -k Phrase``, see admin/i18n.py). The
content model keeps no Flask: only the admin translates.
"""

from __future__ import annotations


class Phrase(str):
    """A str (the English) that also carries its msgid and params for translation."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Phrase:
        """The English text, remembering how to translate it."""
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self
