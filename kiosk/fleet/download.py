"""Fetching a bundle from the admin: ranges, resume after a cut, checksum, disk space.

The bytes go into ``<name>.part`` as they arrive. A cut (the admin killed, the network gone)
leaves the part in place, and the next try asks only for the rest (``Range: bytes=N-``, with
``If-Range`` naming the bundle's checksum, so a changed file starts over instead of being
spliced). A complete part is checked against the SHA-256 the signed manifest gave; a
mismatch (bytes flipped on the way, a wrong file) deletes it, so the next try fetches it
again from the start. Only a verified file is renamed to ``<name>.zip``.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from kiosk.sync import USER_AGENT, Transient

CHUNK = 256 * 1024


class DiskFull(Exception):
    """Not enough free space to fetch and unpack a bundle; nothing was fetched."""


class Corrupt(Exception):
    """The bytes fetched are not the bundle the manifest signed; they were deleted."""


class FetchRefused(Exception):
    """The admin refused the download (a 4xx); retrying the same request will not help."""


def disk_free(folder: Path) -> int:
    """Free bytes for an unprivileged writer on the disk holding `folder` (or its parent)."""
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free


def check_space(folder: Path, need: int, reserve: int) -> None:
    """DiskFull unless `need` bytes fit on `folder`'s disk with `reserve` bytes left over."""
    free = disk_free(folder)
    if free < need + reserve:
        raise DiskFull(f"disk full: {free / 1e6:.0f} MB free, {need / 1e6:.0f} MB needed "
                       f"plus {reserve / 1e6:.0f} MB kept free; the playing pack stays")


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def part_size(part: Path) -> int:
    """Bytes already fetched into a part file (0 when there is none)."""
    try:
        return part.stat().st_size
    except FileNotFoundError:
        return 0


def fetch(url: str, token: str, dest: Path, size: int, sha256: str, *, timeout: float = 30.0,
          progress: Callable[[int, int], None] | None = None,
          stop: threading.Event | None = None) -> Path:
    """Fetch `url` into `dest` (a .zip), resuming `dest`.part; Transient on a cut (the part
    kept), Corrupt on a checksum mismatch (the part deleted), FetchRefused on a 4xx."""
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    have = part_size(part)
    if have > size:
        part.unlink()
        have = 0
    if have < size:
        have = _get(url, token, part, have, size, sha256, timeout, progress, stop)
    if have != size:
        raise Transient(f"the download stopped at {have} of {size} bytes; it resumes there")
    if file_sha256(part) != sha256:
        part.unlink()
        raise Corrupt("the bundle fetched does not match the checksum the admin signed; "
                      "deleted, it is fetched again")
    os.replace(part, dest)
    return dest


def _get(url, token, part, have, size, sha256, timeout, progress, stop) -> int:
    headers = {"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT}
    if have:
        headers["Range"] = f"bytes={have}-"
        headers["If-Range"] = f'"{sha256}"'
    req = urllib.request.Request(url, headers=headers)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416:  # the part is longer than the file: start again
            part.unlink(missing_ok=True)
            raise Transient("the server has a different file; starting again") from None
        if exc.code >= 500 or exc.code in (408, 429):
            raise Transient(f"the server answered {exc.code}") from None
        raise FetchRefused(f"the admin refused the download ({exc.code})") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise Transient(f"no answer from the server ({exc})") from None
    with resp:
        if resp.status == 206:
            if not (resp.headers.get("Content-Range") or "").startswith(f"bytes {have}-"):
                raise Transient("the server answered another range than asked")
            mode = "ab"
        else:  # 200: the whole file (no range support, or If-Range did not match)
            have, mode = 0, "wb"
        with part.open(mode) as out:
            try:
                while stop is None or not stop.is_set():
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
                    have += len(chunk)
                    if progress:
                        progress(have, size)
            except (OSError, http.client.HTTPException) as exc:
                out.flush()
                raise Transient(f"the download was cut at {have} of {size} bytes "
                                f"({type(exc).__name__}); it resumes there") from None
            out.flush()
            os.fsync(out.fileno())
    return have
