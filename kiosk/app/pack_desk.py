"""What the staff menu does with packs: list the installed versions, switch, roll back, and
install a bundle from a USB stick, without a terminal.

Installing goes through `PackStore.install`, the very function `kiosk pack install` uses, so
a bundle is verified the same way (checksums, names, the validator) and a refused one leaves
nothing behind. It runs on a worker thread; the staff screen reads `status` each frame. The
kiosk takes the new pack up at the next attract loop (`PackSource` follows the store).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.bundle import BundleError
from kiosk.content.packstore import InstalledVersion, PackStore

log = logging.getLogger(__name__)
MAX_BUNDLES = 24  # a stick full of zips: the menu shows the first ones by name


def find_bundles(roots: list[str] | tuple[str, ...]) -> list[Path]:
    """Pack bundles (`*.zip`) on the mounted removable drives under `roots`.

    Desktop automounters mount a stick at `/media/<user>/<label>` or
    `/run/media/<user>/<label>`, plain udev rules at `/media/<label>`: bundles are looked for
    at the top of a stick, one and two folders below each root."""
    found: set[Path] = set()
    for root in roots:
        base = Path(root)
        for pattern in ("*/*.zip", "*/*/*.zip"):
            try:
                found.update(p for p in base.glob(pattern) if p.is_file())
            except OSError as exc:
                log.warning("USB bundles: %s cannot be read (%s)", base, exc)
    return sorted(found, key=lambda p: (p.name, str(p)))[:MAX_BUNDLES]


@dataclass
class DeskStatus:
    """What the desk is doing: the step of a running install, or the last result."""

    busy: bool = False
    step: str = ""  # "unpack", "check", "activate" while installing
    bundle: str = ""  # the file being installed
    done: InstalledVersion | None = None  # the last install that succeeded
    refused: str = ""  # why the last action was refused (English, for the technician)
    switched: InstalledVersion | None = None  # the last switch or rollback


class PackDesk:
    """The staff menu's pack actions over one pack store."""

    def __init__(self, store_root: Path, today: dt.date | None = None) -> None:
        self.store = PackStore(store_root)
        self.today = today  # the date bundles are validated against (the App's; None: real)
        self.status = DeskStatus()
        self._thread: threading.Thread | None = None

    def versions(self) -> list[InstalledVersion]:
        """Every installed version of every pack, newest folder first within a pack."""
        out: list[InstalledVersion] = []
        for pack_id in self.store.pack_ids():
            out.extend(reversed(self.store.versions(pack_id)))
        return out

    def install(self, bundle: Path) -> None:
        """Install `bundle` on a worker thread (one at a time)."""
        if self.status.busy:
            return
        self.status = DeskStatus(busy=True, bundle=bundle.name)
        self._thread = threading.Thread(target=self._install, args=(bundle,),
                                        name="kiosk-pack-install", daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a running install (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _install(self, bundle: Path) -> None:
        status = self.status
        try:
            status.done = self.store.install(bundle, progress=self._step, today=self.today)
            log.info("staff installed pack %s %s from %s", status.done.pack_id,
                     status.done.version, bundle.name)
        except BundleError as exc:
            status.refused = str(exc)
            log.warning("staff install of %s refused: %s", bundle.name, exc)
        except Exception as exc:  # a stick pulled out mid-copy, a full disk
            status.refused = f"{type(exc).__name__}: {exc}"
            log.exception("staff install of %s failed", bundle.name)
        finally:
            status.busy = False

    def _step(self, name: str) -> None:
        self.status.step = name

    def activate(self, version: InstalledVersion) -> None:
        """Make an installed version the active one."""
        self._switch(lambda: self.store.activate(version.pack_id, Path(version.folder).name),
                     version.pack_id)

    def rollback(self, pack_id: str) -> None:
        """Back to the version that was active before."""
        self._switch(lambda: self.store.rollback(pack_id), pack_id)

    def _switch(self, action, pack_id: str) -> None:
        if self.status.busy:
            return
        try:
            folder = action()
        except BundleError as exc:
            self.status = DeskStatus(refused=str(exc))
            return
        switched = next((v for v in self.store.versions(pack_id)
                         if Path(v.folder).resolve() == Path(folder).resolve()), None)
        self.status = DeskStatus(switched=switched)
        log.info("staff switched pack %s to %s", pack_id, Path(folder).name)
