"""Fixtures for the fleet's tests: the suite's admin app with CSRF off and a fixture pack as
its working copy, registered kiosks, and small pack folders at chosen versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from admin.db import database
from admin.feedback import registry
from tests.support.kiosk_driver import FIXTURE_PACK


def pack_at(folder: Path, version: str, pad_bytes: int = 0, seed: int = 0) -> Path:
    """A copy of the fixture pack at `version`, with `pad_bytes` of random media to make a
    bundle of a useful size."""
    shutil.copytree(FIXTURE_PACK, folder)
    yaml = folder / "pack.yaml"
    yaml.write_text(yaml.read_text().replace('version: "1.0"', f'version: "{version}"'))
    if pad_bytes:
        import random

        (folder / "media").mkdir()
        (folder / "media" / "pad.bin").write_bytes(random.Random(seed).randbytes(pad_bytes))
    return folder


@pytest.fixture
def pack_folder(tmp_path):
    """The admin's working copy: the fixture pack at 1.0 (tests raise its version)."""
    return pack_at(tmp_path / "work" / "test", "1.0")


@pytest.fixture
def app_config(tmp_path, database_url, pack_folder):
    """The admin on SQLite and PostgreSQL, CSRF off, the fixture pack as working copy."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
            "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url,
            "CONTENT_PACKS": str(pack_folder), "PACKS_DIR": str(tmp_path / "admin-packs")}


@pytest.fixture
def register_kiosk(app):
    """register_kiosk(name) -> token."""
    def make(name: str = "Hall 1") -> str:
        with database(app).session() as db:
            _kiosk, token = registry.register(db, name, None, actor_name="test")
            db.commit()
        return token
    return make
