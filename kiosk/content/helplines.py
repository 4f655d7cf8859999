"""Which of a pack's helplines a visitor is shown: the kiosk's panel and the admin's
"Play it through" both ask here (ETHICS.md rule 8)."""

from __future__ import annotations

from kiosk.content.model import Helpline, Pack


def helplines_for(pack: Pack) -> list[Helpline]:
    """The helplines reachable in the pack's country (those without countries everywhere)."""
    lines = [h for h in pack.helplines if not h.countries or pack.country in h.countries]
    return lines or list(pack.helplines)
