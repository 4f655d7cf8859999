"""Enrolment: a new kiosk trades a one-time code from the admin's Kiosks page for its token.

``enroll(admin, code, ...)`` posts the code with the kiosk's name, screen size and time zone to
``POST <admin>/api/v1/enrol`` and saves the answer where ``kiosk sync --save`` saves it:
``sync.toml`` (server and token, mode 600) in the kiosk's config folder, so the background
sync, the heartbeat and ``kiosk sync`` all use it. The admin's public signing key, when the
answer carries one, is pinned beside it (``kiosk.fleet.verify.trust``, as ``kiosk fleet trust``
does). Run again against the admin
it is enrolled with, it changes nothing and says so (the code is not even sent). Failures
are one sentence (``EnrollError``): a wrong, used or expired code, an admin that cannot be
reached, an address that is not one.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from kiosk.fleet.verify import Refused, parse_key, trust
from kiosk.sync import USER_AGENT, SyncConfig, SyncError, check_server, load_config, save_config

DEFAULT_SCREEN = "1920x1080"


class EnrollError(Exception):
    """An enrolment that did not happen; the message is one sentence saying why."""


@dataclass(frozen=True)
class Enrolled:
    """What an enrolment did."""

    changed: bool  # False: already enrolled with this admin, nothing done
    config_path: Path
    kiosk: str = ""
    venue: dict | None = None
    key_path: Path | None = None


def local_zone() -> str:
    """This machine's IANA time zone name ($TZ, /etc/timezone, /etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    zones = zoneinfo.available_timezones()
    return next((c for c in candidates if c in zones), "UTC")


def _same_server(a: str, b: str) -> bool:
    return a.strip().rstrip("/").lower() == b.strip().rstrip("/").lower()


def _already(admin: str, config_dir: Path | None) -> SyncConfig | None:
    try:
        current = load_config(config_dir=config_dir)
    except SyncError:
        return None  # an unreadable sync.toml: enrolling writes a good one
    return current if current and _same_server(current.server, admin) else None


def _post(url: str, body: dict, timeout: float) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]["message"]
        except (ValueError, KeyError, TypeError, OSError):
            message = f"it answered {exc.code} {exc.reason}"
        raise EnrollError(f"The admin refused the enrolment: {message}.") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise EnrollError(f"The admin at {url.rsplit('/api/', 1)[0]} cannot be reached "
                          f"({reason}); check the address and the network.") from None
    except ValueError:
        raise EnrollError("The admin's answer was not JSON; is the address the admin's?") \
            from None


def enroll(admin: str, code: str, *, name: str | None = None, screen: str = DEFAULT_SCREEN,
           time_zone: str | None = None, config_dir: Path | None = None,
           allow_insecure_http: bool = False, timeout: float = 30.0) -> Enrolled:
    """Enrol this kiosk with the admin (or find it enrolled already); EnrollError if not."""
    try:
        admin = check_server(admin, allow_insecure_http)
    except SyncError as exc:
        raise EnrollError(f"{exc}.") from None
    if config_dir is None:
        from kiosk.paths import config_dir as default_config

        config_dir = default_config()
    current = _already(admin, config_dir)
    if current is not None:
        return Enrolled(False, Path(config_dir) / "sync.toml")
    answer = _post(admin.rstrip("/") + "/api/v1/enrol",
                   {"code": code, "name": name or socket.gethostname(), "screen": screen,
                    "time_zone": time_zone or local_zone()}, timeout)
    token = answer.get("token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise EnrollError("The admin's answer carried no token; is the address the admin's?")
    key = answer.get("signing_key")
    if key is not None:  # checked before anything is saved
        try:
            parse_key(str(key))
        except Refused:
            raise EnrollError("The admin's answer carried a signing key that is not one; "
                              "is the address the admin's?") from None
    path = save_config(SyncConfig(admin, token, allow_insecure_http), config_dir)
    key_path = trust(str(key), Path(config_dir)) if key is not None else None
    return Enrolled(True, path, str(answer.get("kiosk", "")), answer.get("venue"), key_path)
