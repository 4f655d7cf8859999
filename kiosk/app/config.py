"""The kiosk's own config file (`kiosk.json` in the config folder): staff PIN hash, volume,
panel size. Written atomically; a broken file is logged and defaults are used."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk import paths

log = logging.getLogger(__name__)
FILE_NAME = "kiosk.json"
# A PIN has few digits: argon2id with a memory cost makes guessing it from a stolen config
# slow; the kiosk also waits after wrong tries.
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)


@dataclass
class KioskConfig:
    """Settings kept across restarts."""

    staff_pin_hash: str | None = None
    volume: float = 0.8
    diagonal_in: float = 24.0  # the panel's diagonal: targets are sized in millimetres
    idle_countdown: int = 20  # seconds of "Are you still there?" before the reset
    # Staff screens lock themselves, so that five taps in the corner by a curious visitor
    # never leave the PIN pad, the staff menu or the previous visit standing on the screen.
    pin_timeout: int = 20  # seconds without input before the PIN pad closes (visit wiped)
    staff_timeout: int = 60  # seconds without input before the open staff menu locks
    # Where removable drives are mounted: the staff menu offers the pack bundles (*.zip) at
    # the top of a stick mounted one or two folders below these (/media/<user>/<label>).
    usb_roots: list[str] = field(default_factory=lambda: ["/media", "/run/media"])
    extra: dict = field(default_factory=dict)

    @classmethod
    def path(cls, folder: Path | None = None) -> Path:
        """Where the config lives."""
        return (folder or paths.config_dir()) / FILE_NAME

    @classmethod
    def load(cls, folder: Path | None = None) -> KioskConfig:
        """Read the config; defaults when it is missing or unreadable (logged)."""
        path = cls.path(folder)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.error("kiosk config %s cannot be read (%s); using defaults", path, exc)
            return cls()
        names = [f.name for f in fields(cls) if f.name != "extra"]
        known = {k: data[k] for k in names if k in data}
        extra = {k: v for k, v in data.items() if k not in known}
        try:
            return cls(**known, extra=extra)
        except TypeError:
            return cls()

    def save(self, folder: Path | None = None) -> Path:
        """Write the config atomically."""
        path = self.path(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {**self.extra, **{k: v for k, v in asdict(self).items() if k != "extra"}}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kiosk-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
        os.replace(tmp, path)
        return path

    def set_pin(self, pin: str) -> None:
        """Store a new staff PIN (4 to 12 digits), hashed with argon2id."""
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            raise ValueError("a staff PIN is 4 to 12 digits")
        self.staff_pin_hash = _HASHER.hash(pin)

    def check_pin(self, pin: str) -> bool:
        """True when `pin` is the staff PIN (False when none is set)."""
        if not self.staff_pin_hash:
            return False
        try:
            return _HASHER.verify(self.staff_pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return False
