"""Reading a pack file with its hash, and writing it back atomically.

The hash of the bytes a form was built from travels in the form; a write whose hash no
longer matches the file is refused (someone else saved in between). The editors' views then
merge the form field by field (admin.content.merge) and write on the current hash.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
from pathlib import Path


class Conflict(Exception):
    """The file changed since the form was built: the current text and hash."""

    def __init__(self, current_text: str, current_hash: str, path: Path | None = None):
        super().__init__("the file changed since you opened it")
        self.current_text = current_text
        self.current_hash = current_hash
        self.path = path


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


def _write_temp(path: Path, data: bytes) -> Path:
    """A synced temporary file beside `path` holding `data` (with path's mode), not renamed."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with tmp.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write: temporary file in the same folder, flush, fsync, rename, fsync the folder."""
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _lock_file(lock_dir: Path, path: Path) -> Path:
    return lock_dir / (hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24] + ".lock")


def write_if_unchanged(path: Path, expected_hash: str, new_text: str, lock_dir: Path) -> str:
    """Replace the file's text if its hash is still `expected_hash`; return the old text.

    Raises Conflict when the file changed. A lock file per pack file (in `lock_dir`, outside
    the pack so it never shows up in a bundle or in git) makes the check and the rename one
    step for every admin worker (gunicorn runs several processes).
    """
    return write_all_if_unchanged([(path, expected_hash, new_text)], lock_dir)[0]


def write_all_if_unchanged(items: list[tuple[Path, str, str]], lock_dir: Path) -> list[str]:
    """Replace several files, all or none: (path, expected hash, new text) each; old texts.

    Every file's lock is taken (in one order, so two writers never wait on each other) and
    every hash checked again before anything is written: one changed file raises Conflict
    (its ``path`` set) and nothing is written. Then every new text goes to a synced temporary
    file beside its target; only when all exist are they renamed into place. A failure while
    writing the temporary files leaves every old file as it was (the temporary files are
    removed); a failure among the renames puts the files already renamed back.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        for lock in sorted({_lock_file(lock_dir, p) for p, _h, _t in items}):
            lf = stack.enter_context(lock.open("a"))
            fcntl.flock(lf, fcntl.LOCK_EX)  # released when the file closes
        olds = []
        for path, expected_hash, _text in items:
            current, current_hash = read(path)
            if current_hash != expected_hash:
                raise Conflict(current, current_hash, path)
            olds.append(current)
        temps: list[Path] = []
        done: list[int] = []
        try:
            for path, _h, text in items:
                temps.append(_write_temp(path, text.encode("utf-8")))
            for i, ((path, _h, _t), tmp) in enumerate(zip(items, temps, strict=True)):
                os.replace(tmp, path)
                done.append(i)
        except BaseException:
            for i, tmp in enumerate(temps):
                if i not in done:
                    tmp.unlink(missing_ok=True)
            for i in done:
                atomic_write_bytes(items[i][0], olds[i].encode("utf-8"))
            raise
        for folder in sorted({p.parent for p, _h, _t in items}):
            fsync_dir(folder)
    return olds


def create_if_absent(path: Path, text: str, lock_dir: Path) -> None:
    """Write a new file atomically; FileExistsError when one of that name exists.

    The synced temporary file is hard-linked to the name (the link fails if the name is
    taken, so two creators never overwrite each other), then removed.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    with _lock_file(lock_dir, path).open("a") as lf:
        fcntl.flock(lf, fcntl.LOCK_EX)
        tmp = _write_temp(path, text.encode("utf-8"))
        try:
            os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(path.parent)


def remove_if_unchanged(path: Path, expected_hash: str, lock_dir: Path) -> str:
    """Remove a file if its hash is still `expected_hash`; its old text, or Conflict."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    with _lock_file(lock_dir, path).open("a") as lf:
        fcntl.flock(lf, fcntl.LOCK_EX)
        current, current_hash = read(path)
        if current_hash != expected_hash:
            raise Conflict(current, current_hash, path)
        path.unlink()
        fsync_dir(path.parent)
    return current
