"""When a staged pack becomes the playing one, and the way back when it fails here.

A pull installs a new version beside the playing one (``PackStore.install(activate=False)``)
and plans the switch (``plan``); the moment is the manifest's:

- ``attract``: at the next attract loop (between visits, never mid-visit);
- ``at``: at the next attract loop once the local time HH:MM in the manifest's time zone has
  come (the night's closing), counted from when the pack was staged;
- ``confirm``: when staff confirm in the staff menu (``confirm``).

``apply_due`` (the app's attract loop; ``kiosk fleet pull --apply`` on a machine without the
app) validates the staged version again, here and today, and activates it; a version invalid
here is not switched to, and the reason is kept. After a switch, the first ``TRIAL_VISITS``
visits are a trial: ``story_failed`` counts failures, and at ``TRIAL_FAILURES`` the kiosk
goes back to the version it played before by itself (``roll_back``), remembers why
(``last_error``) and does not fetch that assignment again; ``visit_ended`` ends the trial.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.content.packstore import PackStore
from kiosk.fleet import state

log = logging.getLogger("kiosk.fleet")
TRIAL_VISITS = 10
TRIAL_FAILURES = 3


def last_error(data_dir: Path) -> str | None:
    """The last thing that went wrong with the fleet on this kiosk, or None."""
    return state.load(data_dir).get("last_error")


def next_local(at: str, timezone: str, after: dt.datetime) -> dt.datetime:
    """The first moment after `after` when the clock in `timezone` reads `at` (HH:MM)."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    hour, minute = (int(x) for x in at.split(":"))
    day = local.date()
    for _ in range(3):  # today, else tomorrow (a day with that time skipped: the next)
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
        if moment > local:
            return moment.astimezone(dt.UTC)
        day += dt.timedelta(days=1)
    return moment.astimezone(dt.UTC)


def plan(data_dir: Path, signed: dict, version_dir: str,
         now: dt.datetime | None = None) -> dict:
    """Plan the switch to a staged version as the manifest says; the planned switch."""
    now = now or dt.datetime.now(dt.UTC)
    switch = signed["switch"]
    pending = {"pack_id": signed["pack"]["id"], "version": signed["pack"]["version"],
               "version_dir": version_dir, "sha256": signed["pack"]["sha256"],
               "manifest": signed["version"], "mode": switch["mode"],
               "rollback": signed["rollback"], "confirmed": False}
    if switch["mode"] == "at":
        pending["not_before"] = next_local(switch["at"], switch["timezone"], now).isoformat()
    state.update(data_dir, pending=pending)
    log.info("fleet: pack %s %s staged; switch %s", pending["pack_id"], pending["version"],
             switch["mode"])
    return pending


def pending(data_dir: Path) -> dict | None:
    """The switch planned, or None."""
    return state.load(data_dir).get("pending")


def confirm(data_dir: Path) -> bool:
    """Staff confirm the planned switch (mode confirm); False when none waits for it."""
    planned = pending(data_dir)
    if not planned or planned["mode"] != "confirm":
        return False
    planned["confirmed"] = True
    state.update(data_dir, pending=planned)
    return True


def due(data_dir: Path, now: dt.datetime | None = None) -> bool:
    """True when a planned switch may happen now."""
    planned = pending(data_dir)
    if not planned:
        return False
    if planned["mode"] == "confirm":
        return bool(planned.get("confirmed"))
    if planned["mode"] == "at":
        now = now or dt.datetime.now(dt.UTC)
        return now >= dt.datetime.fromisoformat(planned["not_before"])
    return True


def _playing(store: PackStore) -> tuple[str, str] | None:
    """(pack id, version folder) of the pack the store plays, when it plays exactly one."""
    playing = [(pid, store.active(pid)) for pid in store.pack_ids()]
    playing = [(pid, folder.name) for pid, folder in playing if folder is not None]
    return playing[0] if len(playing) == 1 else None


def apply_due(data_dir: Path, store: PackStore, now: dt.datetime | None = None,
              today: dt.date | None = None) -> str | None:
    """Switch to the planned version if it is due and valid here; its folder name, or None."""
    if not due(data_dir, now):
        return None
    from kiosk.content.loader import load_pack

    planned = pending(data_dir)
    pack_id, version_dir = planned["pack_id"], planned["version_dir"]
    folder = store.root / pack_id / "versions" / version_dir
    loaded = load_pack(folder, today) if (folder / "pack.yaml").is_file() else None
    if loaded is None or not loaded.ok:
        errors = [f.format() for f in loaded.findings if f.severity == "error"][:3] \
            if loaded else ["its folder is gone"]
        state.update(data_dir, pending=None, failed=planned["manifest"])
        state.set_error(data_dir, f"pack {pack_id} {planned['version']} is invalid on this "
                                  f"kiosk, not switched to: " + "; ".join(errors))
        return None
    before = _playing(store)
    if before and before[0] != pack_id:
        store.deactivate(before[0])  # one pack plays at a time
    store.activate(pack_id, version_dir, rollback=bool(planned.get("rollback")))
    state.update(data_dir, pending=None, last_error=None,
                 trial={"pack_id": pack_id, "version": planned["version"],
                        "version_dir": version_dir, "manifest": planned["manifest"],
                        "before": list(before) if before else None,
                        "visits_left": TRIAL_VISITS, "failures": 0})
    log.info("fleet: switched to pack %s %s", pack_id, planned["version"])
    return version_dir


def roll_back(data_dir: Path, store: PackStore, why: str) -> bool:
    """Go back to the version played before the switch on trial; False when there is none."""
    trial = state.load(data_dir).get("trial")
    if not trial:
        return False
    before = trial.get("before")
    if before:
        if before[0] != trial["pack_id"]:
            store.deactivate(trial["pack_id"])
        store.activate(before[0], before[1], rollback=True)
    else:
        store.deactivate(trial["pack_id"])
    state.update(data_dir, trial=None, failed=trial["manifest"])
    state.set_error(data_dir, f"pack {trial['pack_id']} {trial['version']} rolled back by "
                              f"itself: {why}")
    return True


def story_failed(data_dir: Path, store: PackStore) -> bool:
    """Count a story's failure against a pack on trial; True when it was rolled back."""
    trial = state.load(data_dir).get("trial")
    if not trial:
        return False
    trial["failures"] += 1
    if trial["failures"] >= TRIAL_FAILURES:
        return roll_back(data_dir, store, f"stories failed {trial['failures']} times in its "
                                          f"first {TRIAL_VISITS - trial['visits_left'] + 1} "
                                          f"visits")
    state.update(data_dir, trial=trial)
    return False


def visit_ended(data_dir: Path) -> None:
    """A visit ended: one fewer on trial; the trial ends after TRIAL_VISITS."""
    trial = state.load(data_dir).get("trial")
    if not trial:
        return
    trial["visits_left"] -= 1
    state.update(data_dir, trial=trial if trial["visits_left"] > 0 else None)
