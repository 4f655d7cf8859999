"""Reading a pack file with its hash, and writing it back atomically.

The hash of the bytes a form was built from travels in the form; a save whose hash no
longer matches the file is refused (someone else saved in between), never merged silently.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
from pathlib import Path


class Conflict(Exception):
    """The file changed since the form was built: the current text and hash."""

    def __init__(self, current_text: str, current_hash: str):
        super().__init__("the file changed since you opened it")
        self.current_text = current_text
        self.current_hash = current_hash


def digest(text: str) -> str:
    """SHA-256 of a file's UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(path: Path) -> tuple[str, str]:
    """A file's text and its hash."""
    text = path.read_bytes().decode("utf-8")
    return text, digest(text)


def fsync_dir(folder: Path) -> None:
    """Make a rename in a folder durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write: temporary file in the same folder, flush, fsync, rename, fsync the folder."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with tmp.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_if_unchanged(path: Path, expected_hash: str, new_text: str, lock_dir: Path) -> str:
    """Replace the file's text if its hash is still `expected_hash`; return the old text.

    Raises Conflict when the file changed. A lock file per pack file (in `lock_dir`, outside
    the pack so it never shows up in a bundle or in git) makes the check and the rename one
    step for every admin worker (gunicorn runs several processes).
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    lock = lock_dir / (hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24] + ".lock")
    with lock.open("a") as lf:
        fcntl.flock(lf, fcntl.LOCK_EX)
        try:
            current, current_hash = read(path)
            if current_hash != expected_hash:
                raise Conflict(current, current_hash)
            atomic_write_bytes(path, new_text.encode("utf-8"))
        finally:
            fcntl.flock(lf, fcntl.LOCK_UN)
    return current
