"""The kiosk's heartbeat: what it tells the admin of its health (``POST /api/v1/heartbeat``).

``collect(...)`` reads the kiosk as it is now, from real sources: the pack playing (the id
and version the kiosk loaded, and the digest of its files, `pack_digest`), the record's count of events waiting
(``Store.count_unsynced``), the data disk (``shutil.disk_usage``), the program's version, the
clock. What only the running kiosk or its puller knows (uptime, screen failures since start,
the screen, the pack assigned, download progress, the switch planned, the update path's last
error) is passed in. Nothing in it concerns a visitor: no session, no language, no story.

``HeartbeatSender`` posts one every ``interval`` seconds (with jitter, so that a venue's
kiosks started together spread out) from a daemon thread, with the token of ``sync.toml``,
like ``kiosk.sync.Syncer``. The admin's answer carries the clock skew it computed.
"""

from __future__ import annotations

import logging
import random
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from kiosk import __version__
from kiosk.content.bundle import checksums, files_digest
from kiosk.record.store import DB_NAME, RecordError, Store
from kiosk.sync import Client, SyncConfig, SyncError, Transient, load_config

log = logging.getLogger("kiosk.fleet.heartbeat")


@lru_cache(maxsize=8)
def pack_digest(folder: Path) -> str:
    """The digest of a pack folder's files as a bundle names them (`kiosk.content.bundle`:
    the SHA-256 over each file's name and SHA-256), the one the pack store's version folders
    are named by. Computed once per version folder: an installed version never changes."""
    return files_digest(checksums(folder))


def playing(pack: tuple[str, str, Path] | None) -> dict | None:
    """The pack (id, version, folder) as the heartbeat names it, with its files' digest."""
    if pack is None:
        return None
    pack_id, version, folder = pack
    try:
        return {"id": pack_id, "version": version, "sha256": pack_digest(Path(folder).resolve())}
    except OSError as exc:
        log.warning("heartbeat: the pack in %s cannot be read (%s)", folder, exc)
        return None


def update_path(data_dir: Path, progress: tuple[int, int] | None = None) -> dict:
    """What the update path (kiosk.fleet.pull and switch) knows, as heartbeat fields: the pack
    assigned (the signed manifest's id, version and bundle SHA-256), the download in flight
    (`Puller.progress`), the switch planned and the last error."""
    from kiosk.fleet import state

    remembered = state.load(data_dir)
    planned = remembered.get("pending")
    switch = None
    if planned:
        when = {"attract": "at the next attract loop",
                "confirm": "when staff confirm" + (" (confirmed)" if planned.get("confirmed")
                                                   else "")}.get(planned["mode"])
        switch = {"version": planned["version"],
                  "when": when or f"after {planned.get('not_before', '')}"[:40]}
    return {"assigned": remembered.get("assigned"),
            "download": {"done": progress[0], "total": progress[1]} if progress else None,
            "switch": switch, "last_error": remembered.get("last_error")}


def waiting(data_dir: Path) -> int | None:
    """Visitor events recorded and not yet synced, or None without a record."""
    if not (data_dir / DB_NAME).exists():
        return None
    try:
        store = Store.open(data_dir, check=False)
    except (RecordError, OSError, sqlite3.Error) as exc:
        log.warning("heartbeat: the record cannot be read (%s)", exc)
        return None
    try:
        return store.count_unsynced()
    finally:
        store.close()


def collect(data_dir: Path, pack: tuple[str, str, Path] | None, *, uptime: float | None = None,
            screen: str | None = None, time_zone: str | None = None,
            screen_failures: int | None = None, last_error: str | None = None,
            assigned: dict | None = None, download: dict | None = None,
            switch: dict | None = None, clock: Callable[[], float] = time.time) -> dict:
    """The heartbeat as the admin takes it (see admin.fleet.heartbeat for each field);
    `pack` is the pack playing: (id, version, folder)."""
    try:
        usage = shutil.disk_usage(data_dir)
        disk = {"free": usage.free, "total": usage.total}
    except OSError:  # no data folder yet
        disk = None
    return {"playing": playing(pack), "assigned": assigned, "download": download,
            "switch": switch, "disk": disk,
            "program": __version__, "uptime": uptime, "last_error": last_error,
            "screen_failures": screen_failures, "waiting": waiting(Path(data_dir)),
            "clock": clock(), "screen": screen, "time_zone": time_zone}


class HeartbeatSender:
    """Posts the heartbeat in the background while the kiosk plays (a daemon thread)."""

    def __init__(self, config: SyncConfig, collect: Callable[[], dict], *,
                 interval: float = 30.0, jitter: float = 0.2,
                 rng: random.Random | None = None):
        self.client = Client(config, timeout=10.0)
        self.collect = collect
        self.interval = interval
        self.jitter = jitter  # each wait is interval x (1 +- jitter)
        self.rng = rng or random.Random()
        self.sent = 0
        self.last_answer: dict | None = None
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-heartbeat", daemon=True)

    @classmethod
    def from_config(cls, collect: Callable[[], dict], config_dir: Path | None = None,
                    **kwargs) -> HeartbeatSender | None:
        """A sender when a server is configured (sync.toml), else None."""
        try:
            config = load_config(config_dir=config_dir)
        except SyncError as exc:
            log.error("heartbeat: not started: %s", exc)
            return None
        return cls(config, collect, **kwargs) if config else None

    def next_wait(self) -> float:
        """Seconds until the next heartbeat."""
        return self.interval * (1 + self.rng.uniform(-self.jitter, self.jitter))

    def beat(self) -> dict:
        """Collect and send one heartbeat now; the admin's answer (or SyncError/Transient)."""
        answer = self.client.post("/heartbeat", self.collect())
        self.sent += 1
        self.last_answer = answer
        return answer

    def start(self) -> None:
        """Start sending in the background."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the request in flight."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
                self.last_error = None
            except (SyncError, Transient) as exc:
                self.last_error = str(exc)
                log.warning("heartbeat: %s", exc)
            except Exception as exc:  # the heartbeat must never stop the kiosk playing
                self.last_error = str(exc)
                log.error("heartbeat: %s", exc)
            self._stop.wait(self.next_wait())
