"""Stories that keep failing come off the menu until staff put them back (kept on disk)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)
FAILURE_LIMIT = 3


class StoryHealth:
    """Failure counts per story, in `<data>/story-health.json`."""

    def __init__(self, folder: Path | None, limit: int = FAILURE_LIMIT) -> None:
        self.path = folder / "story-health.json" if folder else None
        self.limit = limit
        self.failures: dict[str, int] = {}
        if self.path and self.path.exists():
            try:
                data = json.loads(self.path.read_text("utf-8"))
                self.failures = {str(k): int(v) for k, v in data.items()}
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                log.error("story health file %s unreadable (%s); starting clean", self.path, exc)

    def failed(self, story: str) -> bool:
        """Count a failure; True when the story just came off the menu."""
        self.failures[story] = self.failures.get(story, 0) + 1
        self._save()
        if self.failures[story] == self.limit:
            log.error('story "%s" taken off the menu after %d failures', story, self.limit)
            return True
        return False

    def disabled(self) -> set[str]:
        """Stories off the menu."""
        return {s for s, n in self.failures.items() if n >= self.limit}

    def clear(self) -> None:
        """Staff put every story back."""
        self.failures.clear()
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.write_text(json.dumps(self.failures), "utf-8")
        except OSError as exc:
            log.error("story health file %s cannot be written: %s", self.path, exc)
