"""Every setting of the kiosk, declared once: the `kiosk.json` keys and the environment.

`kiosk.json` (in the config folder, written by the staff menu and `kiosk staff-pin`) holds
what staff may change on a kiosk; `KioskConfig` (`kiosk/app/config.py`) is built from
`CONFIG_KEYS`, so a key exists only when it is declared here. The environment variables set
where the kiosk keeps its files and a few machine-level choices; code reads them only through
`env(name)`, which refuses a name not declared here. `docs/kiosk-settings.md` holds the tables
printed by `python -m kiosk.settings`; a test fails when they differ, or when code reads a
key or variable that is not declared.

No pygame and no third-party imports: the command line and the docs read this module alone.
"""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "STORYKIOSK_"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, type, default (None: none, or computed) and help text."""

    name: str
    type: type
    default: Any
    help: str

    def fresh_default(self) -> Any:
        """The default as a new object (a list default is never shared between configs)."""
        return copy.deepcopy(self.default)


CONFIG_KEYS: tuple[Setting, ...] = (
    Setting("staff_pin_hash", str, None,
            "The staff menu's PIN, hashed with argon2id; set with `kiosk staff-pin`. Without "
            "one, the staff menu cannot be opened."),
    Setting("volume", float, 0.8,
            "Sound volume, 0 to 1, for narration and films; staff change it in the staff menu."),
    Setting("diagonal_in", float, 24.0,
            "The panel's diagonal in inches: touch targets are sized in millimetres from it "
            "(at least 9 mm, 2 mm apart)."),
    Setting("idle_countdown", int, 20,
            "Seconds of \"Are you still there?\" before an idle visit is wiped and the "
            "attract loop comes back."),
    Setting("pin_timeout", int, 20,
            "Seconds without input before the staff PIN pad closes (the visit is wiped)."),
    Setting("staff_timeout", int, 60,
            "Seconds without input before the open staff menu locks itself."),
    Setting("usb_roots", list, ["/media", "/run/media"],
            "Where removable drives are mounted: the staff menu offers the pack bundles "
            "(`*.zip`) at the top of a stick mounted one or two folders below these."),
)

ENVIRONMENT: tuple[Setting, ...] = (
    Setting("STORYKIOSK_DATA_DIR", str, None,
            "The kiosk's data folder: the visitor record, installed packs, school codes, "
            "logs. Default: the platform's user data folder (`~/.local/share/storykiosk`). "
            "The commands' `--data-dir` overrides it."),
    Setting("STORYKIOSK_CACHE_DIR", str, None,
            "The compiled-pack cache. Default: the platform's user cache folder "
            "(`~/.cache/storykiosk`)."),
    Setting("STORYKIOSK_CONFIG_DIR", str, None,
            "The folder of `kiosk.json` and `sync.toml`. Default: the platform's user config "
            "folder (`~/.config/storykiosk`)."),
    Setting("STORYKIOSK_SYNC_SERVER", str, None,
            "The admin's address for `kiosk sync` and the background sync, when `--server` "
            "is not given; else `sync.toml`."),
    Setting("STORYKIOSK_SYNC_TOKEN", str, None,
            "The kiosk's token from its registration in the admin, when `--token` is not "
            "given; else `sync.toml`."),
    Setting("STORYKIOSK_FLEET_RESERVE_MB", str, "500",
            "Megabytes a pack download from the admin must leave free on the data folder's "
            "disk (the bundle and its unpacked files are counted first); with less, the "
            "kiosk reports \"disk full\" and keeps playing its pack."),
    Setting("STORYKIOSK_SCHOOL_DIRS", str, "",
            "More folders to look in for school-session code files, separated by `:`, "
            "before the mounted USB sticks."),
    Setting("STORYKIOSK_FONT_DIR", str, "/usr/share/fonts/truetype/noto",
            "Where the Noto fonts (`fonts-noto-core`) are installed."),
    Setting("STORYKIOSK_CJK_FONT_DIR", str, "/usr/share/fonts/opentype/noto",
            "Where the Noto CJK fonts (`fonts-noto-cjk`) are installed."),
    Setting("STORYKIOSK_FIRST_FRAME", str, "",
            "`1`: print one line when the first attract frame is on screen, its picture "
            "drawn (for the start benchmark)."),
)

BY_ENV = {s.name: s for s in ENVIRONMENT}


def env(name: str) -> str | None:
    """A declared environment variable's value, else its default; KeyError when undeclared."""
    setting = BY_ENV[name]
    value = os.environ.get(name)
    return value if value else setting.default


def markdown_tables() -> str:
    """The docs' two tables: the `kiosk.json` keys, then the environment variables."""
    rows = ["| `kiosk.json` key | type | default | what it does |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | {s.type.__name__} | {_default(s)} | {s.help} |" for s in CONFIG_KEYS]
    rows += ["", "| environment variable | default | what it does |", "| --- | --- | --- |"]
    rows += [f"| `{s.name}` | {_default(s)} | {s.help} |" for s in ENVIRONMENT]
    return "\n".join(rows)


def _default(setting: Setting) -> str:
    if setting.default is None or setting.default == "":
        return "(none)"
    if isinstance(setting.default, list):
        return ", ".join(f"`{v}`" for v in setting.default)
    return f"`{setting.default}`"


if __name__ == "__main__":
    sys.stdout.write(markdown_tables() + "\n")
