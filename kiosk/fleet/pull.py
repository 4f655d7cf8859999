"""One pull from the admin, and the background ``Puller``.

A pull asks ``GET <server>/api/v1/assignment`` (the kiosk's token and server from
``sync.toml``, as the sync), checks the signed manifest (``verify``), and when it names a
pack this kiosk does not have: checks free space, fetches the bundle with ranges
(``download``), installs it beside the playing pack (``PackStore.install(activate=False)``,
which checks every file's checksum and validates the pack) and plans the switch
(``switch.plan``). Whatever is refused (a manifest, a bundle, the disk) leaves the playing
pack playing, and the reason is kept as the last error.

    puller = Puller.from_config(data_dir, store)   # None without a server or a pinned key
    if puller:
        puller.start()                             # a daemon thread; check_now() to hurry it
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import random
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.bundle import BundleError
from kiosk.content.packstore import PackStore
from kiosk.content.versions import version_key
from kiosk.fleet import download, state, switch, verify
from kiosk.settings import env
from kiosk.sync import USER_AGENT, Backoff, SyncConfig, SyncError, Transient, load_config

log = logging.getLogger("kiosk.fleet")
ENV_RESERVE = "STORYKIOSK_FLEET_RESERVE_MB"
INTERVAL = 300.0


@dataclass
class PullResult:
    """What one pull did: ``outcome`` is one word, ``detail`` a sentence."""

    outcome: str  # no_pack | up_to_date | pending | staged | failed_here | refused |
    #               disk_full | corrupt
    detail: str = ""


def reserve_bytes() -> int:
    """The free space a download must leave on the disk ($STORYKIOSK_FLEET_RESERVE_MB)."""
    return int(float(env(ENV_RESERVE)) * 1024 * 1024)


def get_manifest(config: SyncConfig, timeout: float = 30.0) -> object:
    """The admin's answer to GET /assignment, parsed; Transient or SyncError on failure."""
    req = urllib.request.Request(config.api + "/assignment", headers={
        "Authorization": f"Bearer {config.token}", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code in (408, 429):
            raise Transient(f"the admin answered {exc.code}") from None
        raise SyncError(f"the admin refused the kiosk's token or request ({exc.code})",
                        f"http_{exc.code}", exc.code) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise Transient(f"no answer from the admin ({exc})") from None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Transient("the admin's answer was cut or not JSON") from None


def _active_version(store: PackStore, pack_id: str) -> tuple[str, str] | None:
    """(version, folder name) of the pack's active version here, or None."""
    folder = store.active(pack_id)
    if folder is None:
        return None
    return folder.name.rsplit("-", 1)[0], folder.name


def pull_once(config: SyncConfig, data_dir: Path, config_dir: Path, store: PackStore, *,
              today: dt.date | None = None, now: dt.datetime | None = None,
              progress=None, stop: threading.Event | None = None,
              timeout: float = 30.0) -> PullResult:
    """Ask, verify, fetch and stage what the admin assigns; Transient when worth retrying."""
    key = verify.trusted_key(config_dir)
    if key is None:
        raise SyncError("no admin key is pinned on this kiosk: run `kiosk fleet trust KEY` "
                        "with the key `flask --app admin fleet public-key` prints", "no_key")
    try:
        signed = verify.check(get_manifest(config, timeout), key,
                              verify.accepted(config_dir), now)
    except verify.Refused as exc:
        state.set_error(data_dir, str(exc))
        return PullResult("refused", str(exc))
    verify.accept(config_dir, signed)
    pack = signed["pack"]
    state.update(data_dir, assigned={k: pack[k] for k in ("id", "version", "sha256")}
                 if pack else None)  # for the heartbeat (kiosk.fleet.heartbeat.update_path)
    if pack is None:
        return PullResult("no_pack", "the admin assigns no pack to this kiosk")
    remembered = state.load(data_dir)
    if remembered.get("failed") == signed["version"]:
        return PullResult("failed_here", remembered.get("last_error") or "")
    installed = remembered.get("installed", {})
    active = _active_version(store, pack["id"])
    if active and installed.get(pack["sha256"]) == active[1]:
        if remembered.get("pending"):
            state.update(data_dir, pending=None)  # assigned back to what plays: no switch
        return PullResult("up_to_date", f"playing {pack['id']} {pack['version']}")
    planned = remembered.get("pending")
    if planned and planned["sha256"] == pack["sha256"] and planned["manifest"] == signed["version"]:
        return PullResult("pending", f"switch to {pack['id']} {pack['version']} planned")
    if active and not signed["rollback"] and \
            version_key(pack["version"]) < version_key(active[0]):
        message = (f"the manifest assigns {pack['id']} {pack['version']}, older than "
                   f"{active[0]} playing, without marking it a rollback: refused")
        state.set_error(data_dir, message)
        return PullResult("refused", message)
    folder = installed.get(pack["sha256"])
    if not (folder and (store.root / pack["id"] / "versions" / folder / "pack.yaml").is_file()):
        try:
            folder = _fetch_and_install(config, data_dir, store, pack, today, progress, stop,
                                        timeout)
        except download.DiskFull as exc:
            state.set_error(data_dir, str(exc))
            return PullResult("disk_full", str(exc))
        except download.Corrupt as exc:
            state.set_error(data_dir, str(exc))
            return PullResult("corrupt", str(exc))
        except (BundleError, download.FetchRefused) as exc:
            state.update(data_dir, failed=signed["version"])
            state.set_error(data_dir, f"pack {pack['id']} {pack['version']} refused: {exc}")
            return PullResult("refused", str(exc))
    switch.plan(data_dir, signed, folder, now)
    state.set_error(data_dir, None)
    return PullResult("staged", f"{pack['id']} {pack['version']} staged, switch "
                                f"{signed['switch']['mode']}")


def _fetch_and_install(config, data_dir, store, pack, today, progress, stop, timeout) -> str:
    """Fetch a bundle (space checked first) and install it beside the playing pack."""
    staging = state.folder(data_dir) / "staging"
    dest = staging / f"{pack['sha256']}.zip"
    have = download.part_size(dest.with_name(dest.name + ".part"))
    # the rest of the bundle, and about as much again for its unpacked files
    download.check_space(staging, pack["size"] - have + pack["size"], reserve_bytes())
    download.fetch(config.server.rstrip("/") + pack["url"], config.token, dest, pack["size"],
                   pack["sha256"], timeout=timeout, progress=progress, stop=stop)
    try:
        version = store.install(dest, activate=False, today=today)
    finally:
        dest.unlink(missing_ok=True)
    if (version.pack_id, version.version) != (pack["id"], pack["version"]):
        raise BundleError("the bundle holds %(got)s, not the %(want)s the manifest signed",
                          got=f"{version.pack_id} {version.version}",
                          want=f"{pack['id']} {pack['version']}")
    name = Path(version.folder).name
    installed = state.load(data_dir).get("installed", {})
    installed[pack["sha256"]] = name
    state.update(data_dir, installed=installed)
    return name


class Puller:
    """Pulls in the background while the kiosk plays (a daemon thread)."""

    def __init__(self, data_dir: Path, config_dir: Path, store: PackStore, config: SyncConfig,
                 *, interval: float = INTERVAL, today: dt.date | None = None,
                 backoff: Backoff | None = None, rng: random.Random | None = None):
        self.data_dir, self.config_dir, self.store = Path(data_dir), Path(config_dir), store
        self.config = config
        self.interval = interval
        self.today = today
        self.backoff = backoff or Backoff(base=5.0, maximum=600.0)
        self.rng = rng or random.Random()
        self.progress: tuple[int, int] | None = None  # bytes fetched of total, while fetching
        self.last: PullResult | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-fleet", daemon=True)

    @classmethod
    def from_config(cls, data_dir: Path, store: PackStore, config_dir: Path | None = None,
                    **kwargs) -> Puller | None:
        """A puller when a server and an admin key are configured, else None (logged)."""
        if config_dir is None:
            from kiosk.paths import config_dir as default_config

            config_dir = default_config()
        try:
            config = load_config(config_dir=config_dir)
            key = verify.trusted_key(config_dir)
        except (SyncError, verify.Refused) as exc:
            log.error("fleet: not started: %s", exc)
            return None
        if config is None or key is None:
            return None
        return cls(data_dir, config_dir, store, config, **kwargs)

    def start(self) -> None:
        """Start pulling in the background."""
        self._thread.start()

    def check_now(self) -> None:
        """Ask the admin now (staff pressed "check now")."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop; a download in flight stops at its next chunk and resumes next time."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            # the interval with jitter, so that a fleet started together spreads out
            delay = self.interval * self.rng.uniform(0.8, 1.2)
            try:
                self.last = pull_once(self.config, self.data_dir, self.config_dir, self.store,
                                      today=self.today, progress=self._on_progress,
                                      stop=self._stop)
                self.backoff.reset()
            except Transient as exc:
                state.set_error(self.data_dir, str(exc))
                delay = min(delay, self.backoff.next())
            except Exception as exc:  # a pull failure must never stop the kiosk playing
                log.exception("fleet: pull failed")
                state.set_error(self.data_dir, str(exc))
            finally:
                self.progress = None
            self._wake.wait(delay)
            self._wake.clear()
