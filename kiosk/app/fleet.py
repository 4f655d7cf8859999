"""The kiosk app's side of the fleet: the background puller, the switch at the attract loop,
the staff menu's "check now" and "switch now", and the first visits watched for failures.

The work is `kiosk.fleet`'s (no pygame there); this module only calls it at the app's
moments, and never lets a failure of the fleet stop the kiosk playing. It is active only
when the kiosk follows its pack store (no pack folder on the command line).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

log = logging.getLogger(__name__)
PULL_INTERVAL = 300.0  # seconds between asks, with jitter (kiosk.fleet.pull.Puller)


class FleetLink:
    """What the app calls; a link without a store does nothing."""

    def __init__(self, data_dir: Path | None, follows_store: bool,
                 today: dt.date | None = None) -> None:
        self.store = None
        self.data_dir = None
        self.puller = None
        self.today = today
        if not follows_store:
            return
        try:
            from kiosk import paths
            from kiosk.content.packstore import PackStore

            self.data_dir = data_dir or paths.data_dir()
            self.store = PackStore(self.data_dir / "packs")
        except Exception as exc:
            log.error("fleet: no pack store (%s): packs from the admin are not taken", exc)

    def start(self) -> None:
        """Start pulling in the background when an admin and its key are configured."""
        if self.store is None:
            return
        try:
            from kiosk.fleet.pull import Puller

            self.puller = Puller.from_config(self.data_dir, self.store, today=self.today,
                                             interval=PULL_INTERVAL)
            if self.puller is not None:
                self.puller.start()
                log.info("fleet: asking %s for packs in the background",
                         self.puller.config.server)
        except Exception as exc:
            log.error("fleet: cannot start (%s): the kiosk plays on", exc)
            self.puller = None

    def stop(self) -> None:
        """Stop the puller (a download in flight resumes next time)."""
        if self.puller is not None:
            self.puller.stop()
            self.puller = None

    def switch_if_due(self) -> bool:
        """Between visits: make a staged pack the active one if its moment has come."""
        if self.store is None:
            return False
        try:
            from kiosk.fleet import switch

            return switch.apply_due(self.data_dir, self.store, today=self.today) is not None
        except Exception:
            log.exception("fleet: switch failed; the playing pack stays")
            return False

    def refused(self, why: str) -> bool:
        """The kiosk could not load the pack just switched to: go back (True when it did)."""
        return self._back(f"the kiosk could not load it: {why}")

    def story_failed(self) -> None:
        """A story failed: counts against a pack on trial (which may go back by itself)."""
        if self.store is None:
            return
        try:
            from kiosk.fleet import switch

            if switch.story_failed(self.data_dir, self.store):
                log.error("fleet: %s", switch.last_error(self.data_dir))
        except Exception:
            log.exception("fleet: counting a failure")

    def visit_ended(self) -> None:
        """A visit ended: one fewer visit on trial."""
        if self.store is None:
            return
        try:
            from kiosk.fleet import switch

            switch.visit_ended(self.data_dir)
        except Exception:
            log.exception("fleet: ending a visit")

    def check_now(self) -> bool:
        """Staff pressed "check now"; False without a puller."""
        if self.puller is None:
            return False
        self.puller.check_now()
        return True

    def waiting_for_staff(self) -> dict | None:
        """The staged switch that waits for staff to confirm it, or None."""
        if self.store is None:
            return None
        from kiosk.fleet import switch

        planned = switch.pending(self.data_dir)
        return planned if planned and planned["mode"] == "confirm" else None

    def confirm(self) -> bool:
        """Staff confirm the switch; it happens at the next attract loop."""
        if self.store is None:
            return False
        from kiosk.fleet import switch

        return switch.confirm(self.data_dir)

    def _back(self, why: str) -> bool:
        if self.store is None:
            return False
        try:
            from kiosk.fleet import switch

            return switch.roll_back(self.data_dir, self.store, why)
        except Exception:
            log.exception("fleet: going back failed")
            return False
