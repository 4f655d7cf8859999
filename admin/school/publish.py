"""When a class's results are published, and which events they count.

Results recomputed live as kiosks sync would let anyone compare the page before and after one
more visit and read that visit alone (the difference of two published tables). So a class's
results are published once, at a fixed moment, and never change afterwards:

- the moment ``P``: ``GRACE`` (10 minutes, two of a kiosk's 5-minute sync beats) after the
  pedagogue closes the session, or the end of the session's day (local midnight, the admin's
  clock), whichever comes first;
- before ``P`` the page shows no number at all, only when it will;
- from ``P`` on it counts only the events that had reached the admin by ``P``
  (``FeedbackEvent.received_at``): a kiosk that syncs or is imported later adds nothing, so
  the published numbers are the same at every look.

Closing also stops the code: the kiosk API answers 410 for a closed session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

GRACE = timedelta(minutes=10)


def end_of_day(day: date) -> datetime:
    """Local midnight after ``day``, as naive UTC (how timestamps are stored)."""
    local = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return local.astimezone(UTC).replace(tzinfo=None)


def moment(session) -> datetime:
    """The session's publication moment P (naive UTC)."""
    at = end_of_day(session.day)
    if session.closed_at is not None:
        at = min(at, session.closed_at + GRACE)
    return at


def published(session, now: datetime) -> bool:
    """True once the results may be shown (``now``: naive UTC)."""
    return now >= moment(session)


def local_time(at: datetime) -> datetime:
    """A stored naive-UTC time in the admin's local time, for the page."""
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
