"""The admin's key pinned on this kiosk, and the checks of a signed manifest (docs/fleet.md).

Following The Update Framework's rules for metadata: a manifest is refused when it is not
signed by the pinned key (over the canonical JSON of its ``signed`` part), when it has
expired (a frozen or replayed answer), or when its version is lower than the last one this
kiosk accepted (a rollback attack; staff roll back by assigning an older pack, which the
admin signs with a higher version and ``rollback: true``). The pinned key and the last
accepted version live in the kiosk's config folder, beside ``sync.toml``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.content.schema import ID_RE
from kiosk.content.versions import is_version

KEY_NAME = "fleet-key.pub"
ACCEPTED_NAME = "fleet-accepted.json"
MODES = ("attract", "at", "confirm")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Refused(Exception):
    """A manifest (or key) this kiosk does not take; ``code`` names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def canonical(value: object) -> bytes:
    """The bytes a signature covers: JSON, keys sorted, no spaces, UTF-8 (the admin's too)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def _write_private(path: Path, data: bytes) -> None:
    """Write a file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def parse_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from its base64 form; Refused when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise Refused("bad_key", "that is not an admin key: expected the 44 characters "
                                 "`flask --app admin fleet public-key` prints") from None


def trust(text: str, config_dir: Path) -> Path:
    """Pin the admin's public key on this kiosk (mode 600); its path."""
    parse_key(text)
    path = Path(config_dir) / KEY_NAME
    _write_private(path, text.strip().encode("ascii") + b"\n")
    return path


def trusted_key(config_dir: Path) -> Ed25519PublicKey | None:
    """The pinned admin key, or None when none is pinned."""
    path = Path(config_dir) / KEY_NAME
    if not path.exists():
        return None
    return parse_key(path.read_text("ascii"))


@dataclass(frozen=True)
class Accepted:
    """The last manifest this kiosk accepted: its version and the kiosk id it named."""

    version: int
    kiosk: int | None


def accepted(config_dir: Path) -> Accepted | None:
    """The last accepted manifest's version and kiosk, or None before the first."""
    try:
        data = json.loads((Path(config_dir) / ACCEPTED_NAME).read_text("utf-8"))
        return Accepted(int(data["version"]), data.get("kiosk"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # unreadable: start from none rather than refuse every manifest for ever
        return None


def accept(config_dir: Path, signed: dict) -> None:
    """Remember a manifest as the last accepted."""
    _write_private(Path(config_dir) / ACCEPTED_NAME,
                   json.dumps({"version": signed["version"], "kiosk": signed["kiosk"]}).encode())


def _when(text: object) -> dt.datetime:
    if not isinstance(text, str):
        raise ValueError(text)
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment


def _check_fields(signed: dict) -> None:
    version, kiosk = signed.get("version"), signed.get("kiosk")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0 \
            or not isinstance(kiosk, int) or isinstance(kiosk, bool):
        raise ValueError("version and kiosk are whole numbers")
    if not isinstance(signed.get("rollback"), bool):
        raise ValueError("rollback is true or false")
    pack = signed.get("pack")
    if pack is None:
        return
    if not (isinstance(pack, dict) and isinstance(pack.get("id"), str)
            and ID_RE.match(pack["id"]) and is_version(pack.get("version"))
            and isinstance(pack.get("sha256"), str) and _SHA.match(pack["sha256"])
            and isinstance(pack.get("size"), int) and pack["size"] > 0
            and isinstance(pack.get("url"), str) and pack["url"].startswith("/")):
        raise ValueError("pack is id, version, sha256, size and a path")
    switch = signed.get("switch")
    if not isinstance(switch, dict) or switch.get("mode") not in MODES:
        raise ValueError("switch.mode is one of " + ", ".join(MODES))
    if switch["mode"] == "at" and not (isinstance(switch.get("at"), str)
                                       and _HHMM.match(switch["at"])):
        raise ValueError("switch.at is HH:MM")
    try:
        ZoneInfo(str(switch.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("switch.timezone is an IANA time zone") from None


def check(document: object, key: Ed25519PublicKey, last: Accepted | None,
          now: dt.datetime | None = None) -> dict:
    """The signed part of a manifest this kiosk may follow; Refused with the reason else."""
    now = now or dt.datetime.now(dt.UTC)
    if not (isinstance(document, dict) and isinstance(document.get("signed"), dict)
            and isinstance(document.get("signature"), str)):
        raise Refused("unsigned", "the admin's answer carries no signed manifest")
    signed = document["signed"]
    try:
        key.verify(base64.b64decode(document["signature"], validate=True), canonical(signed))
    except (InvalidSignature, binascii.Error, ValueError):
        raise Refused("bad_signature", "the manifest's signature is not the pinned admin "
                                       "key's: refused") from None
    try:
        _check_fields(signed)
        expires = _when(signed.get("expires"))
    except (ValueError, TypeError) as exc:
        raise Refused("malformed", f"the signed manifest is malformed: {exc}") from None
    if now >= expires:
        raise Refused("expired", f"the manifest expired at {signed['expires']}: refused "
                                 f"(an old answer replayed, or this kiosk's clock is off)")
    if last is not None and signed["version"] < last.version:
        raise Refused("old_manifest", f"manifest version {signed['version']} is older than "
                                      f"version {last.version} accepted before: refused")
    if last is not None and last.kiosk is not None and signed["kiosk"] != last.kiosk:
        raise Refused("other_kiosk", "the manifest is addressed to another kiosk: refused")
    return signed
