"""Errors the media layer raises, each naming the file it is about."""

from __future__ import annotations

from pathlib import Path


class MediaError(Exception):
    """A media file cannot be used; the message names the file and says why in plain words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class VideoUnavailable(Exception):
    """Video playback is not possible on this machine (libvlc or its plugins are missing)."""
