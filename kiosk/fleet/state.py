"""What the kiosk remembers of the fleet between starts: ``<data>/fleet/state.json``.

    pending      the switch planned: a staged pack version and when it becomes the playing one
    trial        the first visits after a switch, watched for failures (and the way back)
    installed    SHA-256 of a bundle -> its version folder, so a pack is fetched only once
    failed       the manifest version whose pack failed here: not fetched again until the
                 admin assigns anew
    last_error   the last thing that went wrong, in one sentence (the heartbeat reports it)

Written atomically (a new file renamed over the old), read forgivingly: an unreadable file
is logged and taken as empty, never a reason to stop playing.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from pathlib import Path

log = logging.getLogger("kiosk.fleet")
FOLDER = "fleet"
NAME = "state.json"
_lock = threading.Lock()  # the puller thread and the app's loop both write


def folder(data_dir: Path) -> Path:
    """The fleet's folder in the kiosk's data folder (state, staged downloads)."""
    return Path(data_dir) / FOLDER


def load(data_dir: Path) -> dict:
    """The remembered state ({} when there is none or it cannot be read)."""
    path = folder(data_dir) / NAME
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.error("fleet state %s unreadable (%s); starting clean", path, exc)
        return {}


def save(data_dir: Path, data: dict) -> None:
    """Replace the remembered state atomically."""
    path = folder(data_dir) / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{NAME}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def update(data_dir: Path, **changes) -> dict:
    """Change some keys of the state (None removes a key); the new state."""
    with _lock:
        data = load(data_dir)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        save(data_dir, data)
        return data


def set_error(data_dir: Path, message: str | None) -> None:
    """Remember the last error (None: clear it), and log it."""
    if message:
        log.error("fleet: %s", message)
    update(data_dir, last_error=message)
