"""The planned number of kiosks, checked against the kiosks that used the code.

A pedagogue says how many kiosks the class will use. The kiosk does not refuse a further
kiosk: a class stranded in front of a screen that will not take the code (because a planned
kiosk broke and staff moved to a spare) helps no one, and the admin has no way to raise the
number mid-visit. Instead the admin counts the distinct kiosks whose visitor sessions carry
the code, warns on the session page (while the session runs) and on the results when there
are more than planned (the code may have reached visitors outside the class: close the
session to stop it), and then leaves out the discussion-mode path (``admin.school.paths``),
since some plays may not be the class's group.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from admin.models_feedback import FeedbackEvent


def kiosks_used(db, code: str, received_by: datetime | None = None) -> int:
    """How many distinct kiosks recorded visitor sessions under the code."""
    q = (select(FeedbackEvent.kiosk_id, FeedbackEvent.payload)
         .where(FeedbackEvent.kind == "session_started")
         .where(FeedbackEvent.payload.like(f"%{code}%")))  # exact check on the parsed payload
    if received_by is not None:
        q = q.where(FeedbackEvent.received_at <= received_by)
    return len({kiosk for kiosk, payload in db.execute(q)
                if json.loads(payload).get("school_code") == code})
