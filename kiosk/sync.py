"""Sending the anonymous record to the admin: `kiosk sync` and the background `Syncer`.

The kiosk sends what the server has not acknowledged (`Store.pending_batch`), in batches, to
`POST <server>/api/v1/events` with its token, and marks events sent (`Store.mark_synced`)
only for the ids the server's answer lists as stored or already held. Events the server
refuses one by one (its answer's `refused`, each with a code and a sentence) are set aside
(`Store.set_aside`): never sent again, kept in the record and counted
(`Store.count_refused`), so that one refused event never holds back the others. A cut connection, a
timeout or a server error is retried with exponential back-off (with jitter); since the
server stores each event id once, a batch that reached the server but whose answer was lost
is simply sent again: nothing is lost and nothing is duplicated. A refused token, a
malformed batch or a server that confirms nothing stops the sync with a clear message.

Where the server and token come from, first found wins: the command's `--server` and
`--token`, `$STORYKIOSK_SYNC_SERVER` and `$STORYKIOSK_SYNC_TOKEN`, then `sync.toml` in the
kiosk's config folder (`kiosk sync --server URL --token T --save` writes it, mode 600).
The token travels in every request, so plain `http://` is refused except to this machine
(127.0.0.0/8, ::1, localhost), unless `--allow-insecure-http` (or `allow_insecure_http = true`
in sync.toml) says otherwise.

The kiosk app starts the background sender with::

    syncer = Syncer.from_config(data_dir)      # None when no server is configured
    if syncer:
        syncer.start()                         # a daemon thread; syncer.sync_now() to hurry it
    ...
    syncer.stop()
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import os
import random
import threading
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.record.store import DB_NAME, Store
from kiosk.settings import env

log = logging.getLogger("kiosk.sync")

CONFIG_NAME = "sync.toml"
ENV_SERVER = "STORYKIOSK_SYNC_SERVER"
ENV_TOKEN = "STORYKIOSK_SYNC_TOKEN"
DEFAULT_BATCH = 500
USER_AGENT = "storykiosk-sync/1"


class SyncError(Exception):
    """A sync that cannot go on by retrying (token refused, batch refused, bad config)."""

    def __init__(self, message: str, code: str = "error", status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class Transient(Exception):
    """A failure worth retrying: no connection, a cut connection, a timeout, a 5xx."""


@dataclass(frozen=True)
class SyncConfig:
    """Where to send, and with which token."""

    server: str
    token: str
    allow_insecure_http: bool = False

    @property
    def api(self) -> str:
        """The API's base address."""
        return self.server.rstrip("/") + "/api/v1"


def is_loopback(host: str) -> bool:
    """True for this machine: localhost, 127.0.0.0/8, ::1."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server(url: str, allow_insecure_http: bool = False) -> str:
    """The server address, or SyncError when it is not https (http only to this machine)."""
    parts = urllib.parse.urlsplit(url.strip())
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise SyncError(f"the server must be an address like https://admin.example.org, "
                        f"not {url!r}", "bad_config")
    if parts.scheme == "http" and not allow_insecure_http and not is_loopback(host):
        raise SyncError(f"the server {url.strip()!r} is plain http: the kiosk's token and "
                        f"events would cross the network readable by anyone on the way; use "
                        f"https, or pass --allow-insecure-http if you must", "insecure_http")
    return url.strip()


def load_config(server: str | None = None, token: str | None = None,
                config_dir: Path | None = None,
                allow_insecure_http: bool = False) -> SyncConfig | None:
    """The sync settings from arguments, environment or sync.toml; None when no server."""
    stored: dict = {}
    if config_dir is None and not (server and token):
        from kiosk.paths import config_dir as default_config

        config_dir = default_config()
    path = Path(config_dir) / CONFIG_NAME if config_dir is not None else None
    if path is not None and path.exists():
        try:
            stored = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SyncError(f"{path}: {exc}", "bad_config") from None
    server = server or env(ENV_SERVER) or stored.get("server")
    token = token or env(ENV_TOKEN) or stored.get("token")
    if not server:
        return None
    if not token:
        raise SyncError("no token: pass --token (the administrator sees it once when "
                        "registering the kiosk) or set it in " + str(path), "bad_config")
    insecure = allow_insecure_http or stored.get("allow_insecure_http") is True
    return SyncConfig(check_server(str(server), insecure), str(token).strip(), insecure)


def save_config(config: SyncConfig, config_dir: Path | None = None) -> Path:
    """Write sync.toml (mode 600, the token is a secret) and return its path."""
    if config_dir is None:
        from kiosk.paths import config_dir as default_config

        config_dir = default_config()
    path = Path(config_dir) / CONFIG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{CONFIG_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        # JSON strings are valid TOML basic strings.
        fh.write(f"server = {json.dumps(config.server)}\ntoken = {json.dumps(config.token)}\n")
        if config.allow_insecure_http:
            fh.write("allow_insecure_http = true\n")
    os.replace(tmp, path)
    return path


class Client:
    """POSTs JSON to the sync API with the kiosk's token (standard library only)."""

    def __init__(self, config: SyncConfig, timeout: float = 30.0):
        self.config = config
        self.timeout = timeout

    def post(self, path: str, body: dict) -> dict:
        """The server's JSON answer; Transient for what a retry may cure, SyncError else."""
        req = urllib.request.Request(
            self.config.api + path, data=json.dumps(body, separators=(",", ":")).encode(),
            method="POST", headers={"Content-Type": "application/json",
                                    "Authorization": f"Bearer {self.config.token}",
                                    "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raise _refusal(exc) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise Transient(f"no answer from the server ({_reason(exc)})") from None
        try:
            answer = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise Transient("the server's answer was cut or not JSON") from None
        if not isinstance(answer, dict):
            raise Transient("the server's answer was not a JSON object")
        return answer


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)
    return str(inner or exc) or type(exc).__name__


def _refusal(exc: urllib.error.HTTPError) -> Exception:
    try:
        body = json.loads(exc.read() or b"{}")
        err = body.get("error", {}) if isinstance(body, dict) else {}
    except (json.JSONDecodeError, UnicodeDecodeError, OSError, http.client.HTTPException):
        err = {}
    code = err.get("code", f"http_{exc.code}") if isinstance(err, dict) else f"http_{exc.code}"
    message = err.get("message", exc.reason) if isinstance(err, dict) else exc.reason
    if exc.code >= 500 or exc.code in (408, 429):
        return Transient(f"the server answered {exc.code} ({message})")
    return SyncError(f"the server refused: {message} ({exc.code} {code})", code, exc.code)


class Backoff:
    """Exponential delays with jitter: base, 2 x base, ... up to `maximum`."""

    def __init__(self, base: float = 0.5, maximum: float = 30.0, rng: random.Random | None = None):
        self.base = base
        self.maximum = maximum
        self.rng = rng or random.Random()
        self.attempt = 0

    def next(self) -> float:
        """The next delay in seconds (half fixed, half random, so kiosks spread out)."""
        delay = min(self.maximum, self.base * 2 ** self.attempt)
        self.attempt += 1
        return delay / 2 + self.rng.uniform(0, delay / 2)

    def reset(self) -> None:
        """Start again from the base delay (after a success)."""
        self.attempt = 0


@dataclass
class SyncResult:
    """What one sync did."""

    sent: int = 0  # events the server confirmed (new or held already)
    new: int = 0  # of which the server stored for the first time
    batches: int = 0
    retries: int = 0
    remaining: int = 0
    refused: int = 0  # events the server refused in this sync, now set aside


def status_report(store: Store, waiting: int) -> dict:
    """The kiosk's status for the server: the pack of its latest session, events waiting."""
    row = store.conn.execute(
        "SELECT payload FROM events WHERE kind = 'session_started' ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    report: dict = {"waiting": max(0, waiting)}
    if row:
        payload = json.loads(row[0])
        report["pack_id"] = payload.get("pack")
        report["pack_version"] = payload.get("pack_version")
    return report


def sync_once(store: Store, client: Client, *, batch_size: int = DEFAULT_BATCH,
              retries: int = 8, backoff: Backoff | None = None,
              sleep: Callable[[float], object] = time.sleep,
              stop: threading.Event | None = None,
              result: SyncResult | None = None) -> SyncResult:
    """Send every unacknowledged event; raise SyncError, or Transient after `retries`.

    Pass `result` to keep the counts of what was sent before an error is raised.
    """
    backoff = backoff or Backoff()
    result = result if result is not None else SyncResult()
    failures = 0
    while stop is None or not stop.is_set():
        batch = store.pending_batch(batch_size)
        waiting = store.count_unsynced() - len(batch)
        try:
            if not batch:
                client.post("/status", status_report(store, waiting))
                break
            answer = client.post("/events", {
                "events": [{k: v for k, v in e.items() if k != "seq"} for e in batch],
                "status": status_report(store, waiting)})
        except Transient as exc:
            failures += 1
            result.retries += 1
            if failures > retries:
                result.remaining = store.count_unsynced()
                raise Transient(f"{exc}; gave up after {retries} retries") from None
            delay = backoff.next()
            log.warning("sync: %s; retrying in %.1f s", exc, delay)
            sleep(delay)
            continue
        except SyncError as exc:
            if exc.status == 413 and batch_size > 1:
                batch_size = max(1, batch_size // 2)
                continue
            raise
        confirmed = _confirmed(answer)
        ids = [e["id"] for e in batch if e["id"] in confirmed]
        refusals = _refusals(answer, batch, confirmed)
        if not ids and not refusals:
            raise SyncError("the server confirmed none of the events sent; nothing was "
                            "marked as sent", "nothing_confirmed")
        if refusals:
            store.set_aside(refusals)
            result.refused += len(refusals)
            # Codes only: the server's sentences never hold the value, but the log needs less.
            log.warning("sync: the server refused %d event(s) (%s); set aside, not sent again",
                        len(refusals), ", ".join(sorted({c for _i, c, _m in refusals})))
        if ids:
            store.mark_synced(ids)
        result.sent += len(ids)
        result.new += len(answer.get("stored") or [])
        result.batches += 1
        failures = 0
        backoff.reset()
    result.remaining = store.count_unsynced()
    return result


def _refusals(answer: dict, batch: list[dict], confirmed: set[str]) -> list[tuple[str, str, str]]:
    """(id, code, message) of each event of `batch` the answer refuses (by index or id)."""
    refused = answer.get("refused")
    if not isinstance(refused, list):
        return []
    sent = {e["id"] for e in batch}
    out: dict[str, tuple[str, str, str]] = {}
    for item in refused:
        if not isinstance(item, dict):
            continue
        index, eid = item.get("index"), item.get("event_id")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(batch):
            eid = batch[index]["id"]
        if not isinstance(eid, str) or eid not in sent or eid in confirmed:
            continue  # never set aside what the answer did not send or also confirms
        code, message = item.get("code"), item.get("message")
        out[eid] = (eid, str(code)[:64] if code else "refused",
                    str(message)[:500] if message else "")
    return list(out.values())


def _confirmed(answer: dict) -> set[str]:
    out: set[str] = set()
    for key in ("stored", "duplicates"):
        ids = answer.get(key)
        if isinstance(ids, list):
            out.update(i for i in ids if isinstance(i, str))
    return out


class Syncer:
    """Sends the record in the background while the kiosk plays (a daemon thread)."""

    def __init__(self, data_dir: Path, config: SyncConfig, *, interval: float = 60.0,
                 batch_size: int = DEFAULT_BATCH, backoff: Backoff | None = None):
        self.data_dir = Path(data_dir)
        self.client = Client(config)
        self.interval = interval
        self.batch_size = batch_size
        self.backoff = backoff or Backoff(base=2.0, maximum=300.0)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self.last_ok: float | None = None
        self.last_error: str | None = None
        self.sent = 0

    @classmethod
    def from_config(cls, data_dir: Path, config_dir: Path | None = None,
                    **kwargs) -> Syncer | None:
        """A syncer when a server is configured, else None (a bad config is logged)."""
        try:
            config = load_config(config_dir=config_dir)
        except SyncError as exc:
            log.error("sync: not started: %s", exc)
            return None
        return cls(data_dir, config, **kwargs) if config else None

    def start(self) -> None:
        """Start sending in the background."""
        self._thread.start()

    def sync_now(self) -> None:
        """Send without waiting for the interval (e.g. after a visitor session ended)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the request in flight (events it carried stay unmarked if unanswered)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _wait(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _run(self) -> None:
        store = None
        while not self._stop.is_set():
            delay = self.interval
            try:
                if store is None and (self.data_dir / DB_NAME).exists():
                    store = Store.open(self.data_dir, check=False)
                if store is not None:
                    result = SyncResult()
                    try:
                        sync_once(store, self.client, batch_size=self.batch_size, retries=0,
                                  stop=self._stop, sleep=lambda _s: None, result=result)
                    finally:
                        self.sent += result.sent
                    self.last_ok, self.last_error = time.time(), None
                    self.backoff.reset()
            except Transient as exc:
                self.last_error = str(exc)
                delay = self.backoff.next()
            except Exception as exc:  # a sync failure must never stop the kiosk playing
                self.last_error = str(exc)
                log.error("sync: %s", exc)
                delay = max(self.interval, self.backoff.next())
            self._wait(delay)
        if store is not None:
            store.close()
