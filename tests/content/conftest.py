"""Fixtures for content tests: a fresh copy of the small valid pack to break in one way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"


class PackCopy:
    """A writable copy of the valid pack with helpers to edit its files."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace text in a pack file (the old text must be there)."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, rel: str, text: str) -> None:
        """Add text at the end of a pack file."""
        with (self.root / rel).open("a", encoding="utf-8") as f:
            f.write(text)

    def write(self, rel: str, data: bytes | str) -> Path:
        """Create or overwrite a file in the pack."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        return path


@pytest.fixture
def pack(tmp_path: Path) -> PackCopy:
    """A fresh copy of tests/fixtures/packs/valid."""
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    # git keeps no empty folders: a fresh clone has no media/ in the fixture
    (root / "media").mkdir(exist_ok=True)
    return PackCopy(root)
