"""Paths built from pack data (ids, versions, media names, bundle entries) stay in their folder.

Every place that joins a name from a pack, a bundle or a request onto a folder goes through
here, so "this path stays inside that folder" is decided once: no absolute paths, no `..`,
no NUL, and no link leading out (checked on the resolved path, so links count).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class OutsideFolder(ValueError):
    """A name that would lead outside the folder it is joined to (or is no name at all)."""


def is_inside(path: Path, folder: Path) -> bool:
    """True when `path`, with links followed, is `folder` or lies below it."""
    return path.resolve().is_relative_to(folder.resolve())


def inside(folder: Path, relative: str) -> Path:
    """`folder / relative`, or OutsideFolder when it is absolute, climbs with `..`, or leads
    out through a link (the path need not exist yet)."""
    parts = PurePosixPath(relative).parts
    if (not relative or "\0" in relative or "\\" in relative or relative.startswith("/")
            or (parts and ":" in parts[0]) or ".." in parts):
        raise OutsideFolder(f'"{relative}" is not a path inside {folder.name or folder}')
    path = folder.joinpath(*parts)
    if not is_inside(path, folder):
        raise OutsideFolder(f'"{relative}" leads outside {folder.name or folder} through a link')
    return path


def child(folder: Path, name: str) -> Path:
    """`folder / name` for a single folder or file name (no `/`, not `.` or `..`)."""
    if name in ("", ".", "..") or "/" in name:
        raise OutsideFolder(f'"{name}" is not a single name inside {folder.name or folder}')
    return inside(folder, name)
