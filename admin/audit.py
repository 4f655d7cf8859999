"""The audit log: ``record(db, ...)`` in the same transaction as the change it describes.

Usage in a view, before ``db.commit()``::

    before = story.snapshot()
    ...change story...
    audit.record(db, g.user, "story.edit", f"story:{story.id}", before, story.snapshot())

Entries are never changed: no route edits them, and a database trigger refuses UPDATE and
DELETE on ``audit_log`` (see migration 0001).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from admin.models import AuditEntry, User


def record(db: Session, actor: User | None, action: str, target: str = "",
           before: dict | None = None, after: dict | None = None,
           actor_name: str | None = None) -> AuditEntry:
    """Add one audit entry (actor None: the command line or the system)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor=actor.username if actor else (actor_name or "system"),
        action=action, target=target,
        before=None if before is None else json.dumps(before, ensure_ascii=False,
                                                      sort_keys=True, default=str),
        after=None if after is None else json.dumps(after, ensure_ascii=False,
                                                    sort_keys=True, default=str),
    )
    db.add(entry)
    return entry
