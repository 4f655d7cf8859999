"""The kiosk's own config file (`kiosk.json` in the config folder): staff PIN hash, volume,
panel size. Its keys are declared, with help text, in `kiosk.settings.CONFIG_KEYS`. Written
atomically; a broken file is logged and defaults are used."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, field, make_dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk import paths
from kiosk.settings import CONFIG_KEYS, Setting

log = logging.getLogger(__name__)
FILE_NAME = "kiosk.json"
# A PIN has few digits: argon2id with a memory cost makes guessing it from a stolen config
# slow; the kiosk also waits after wrong tries.
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)
BY_KEY = {s.name: s for s in CONFIG_KEYS}


def _fits(setting: Setting, value: object) -> bool:
    """True when a value read from the file has the setting's type (an int is a float)."""
    if value is None:
        return setting.default is None
    if isinstance(value, bool):
        return setting.type is bool
    if setting.type is float:
        return isinstance(value, int | float)
    return isinstance(value, setting.type)


class _ConfigFile:
    """Reading, writing and the PIN: the behaviour of `KioskConfig`, whose fields are the
    declared `kiosk.json` keys plus `extra` (keys of another version, kept as they are)."""

    @classmethod
    def path(cls, folder: Path | None = None) -> Path:
        """Where the config lives."""
        return (folder or paths.config_dir()) / FILE_NAME

    @classmethod
    def load(cls, folder: Path | None = None) -> _ConfigFile:
        """Read the config; defaults when it is missing or unreadable (logged)."""
        path = cls.path(folder)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.error("kiosk config %s cannot be read (%s); using defaults", path, exc)
            return cls()
        if not isinstance(data, dict):
            log.error("kiosk config %s is not a JSON object; using defaults", path)
            return cls()
        known = {}
        for setting in CONFIG_KEYS:
            if setting.name not in data:
                continue
            value = data[setting.name]
            if _fits(setting, value):
                known[setting.name] = value
            else:
                log.error("kiosk config %s: %s should be a %s, not %r; using the default %r",
                          path, setting.name, setting.type.__name__, value, setting.default)
        extra = {k: v for k, v in data.items() if k not in BY_KEY}
        return cls(**known, extra=extra)

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


KioskConfig = make_dataclass(
    "KioskConfig",
    [(s.name, s.type | None if s.default is None else s.type,
      field(default_factory=s.fresh_default)) for s in CONFIG_KEYS]
    + [("extra", dict, field(default_factory=dict))],
    bases=(_ConfigFile,))
KioskConfig.__module__ = __name__
KioskConfig.__doc__ = "Settings kept across restarts (`kiosk.json`; see kiosk.settings)."
