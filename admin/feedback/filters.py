"""What a report is restricted to, applied to a report table's own columns (no join).

Every report table carries its session's attributes (``admin.models_feedback.SessionAttrs``),
so the same ``restrict`` serves the story, choice, survey and breakdown reports alike; the
school/general filter is honoured by all of them. Rows whose session_started has not arrived
yet have no attributes: they count only when no session-level filter is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from admin.models_feedback import FeedbackSession

AUDIENCES = ("all", "general", "school")
SESSION_LEVEL = ("pack", "language", "kiosk", "date_from", "date_to", "audience")


@dataclass(frozen=True)
class Filters:
    """What a report is restricted to (empty: everything)."""

    pack: str = ""
    story: str = ""
    language: str = ""
    kiosk: str = ""
    date_from: str = ""  # YYYY-MM-DD, UTC, inclusive
    date_to: str = ""
    audience: str = "all"

    def described(self) -> list[tuple[str, str]]:
        """The filters that are set, as (name, value) pairs for the page and the CSV."""
        return [(k, v) for k, v in self.__dict__.items() if v and not (k == "audience"
                                                                       and v == "all")]

    def session_level(self) -> bool:
        """True when a filter other than the story is set."""
        return any(k in SESSION_LEVEL for k, _v in self.described())


def restrict(q, model, filters: Filters, story: bool = True):
    """Add the filters to a SELECT over a report table (a SessionAttrs model)."""
    if filters.pack:
        q = q.where(model.pack == filters.pack)
    if filters.language:
        q = q.where(model.language == filters.language)
    if filters.kiosk:
        q = q.where(model.kiosk_id == filters.kiosk)
    if filters.date_from:
        q = q.where(model.day >= filters.date_from)
    if filters.date_to:
        q = q.where(model.day <= filters.date_to)
    if filters.audience == "school":
        q = q.where(model.school.is_(True))
    elif filters.audience == "general":
        q = q.where(model.school.is_(False))
    if story and filters.story:
        q = q.where(model.story == filters.story)
    return q


def session_filter(filters: Filters):
    """A SELECT of the session ids that pass the session-level filters."""
    return restrict(select(FeedbackSession.session_id), FeedbackSession, filters, story=False)
