"""Fixtures for the admin's content tests: the suite's admin fixtures (tests/conftest.py), on
a pack copy.

``pack_root``: a fresh copy of tests/fixtures/packs/valid (the admin's working copy);
``packs_dir``: an empty PackStore folder; ``app_config`` serves those two to ``app``.
``as_role`` here makes the account with a password hash computed once and starts its session
directly (argon2 costs ~1 s per login by design; the login form itself is tested in
tests/admin and by this folder's browser tests).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.admin_pages import PASSWORD

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "valid"
_HASH: dict[str, str] = {}


@pytest.fixture
def pack_root(tmp_path: Path) -> Path:
    """A writable copy of the small valid pack, with one picture in media/."""
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    from PIL import Image

    (root / "media" / "images").mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 120, 40)).save(root / "media" / "images" / "home.png")
    return root


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    """The PackStore folder the admin installs bundles into."""
    return tmp_path / "installed"


@pytest.fixture
def app_config(tmp_path, database_url, pack_root, packs_dir):
    """The admin on the test database, editing pack_root, installing into packs_dir."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
            "TESTING": True, "CONTENT_PACKS": str(pack_root), "PACKS_DIR": str(packs_dir)}


@pytest.fixture
def editor(as_role):
    """A client logged in as an editor."""
    from admin.models import Role

    return as_role(Role.EDITOR)


@pytest.fixture
def curator(as_role):
    """A client logged in as a curator."""
    from admin.models import Role

    return as_role(Role.CURATOR)


@pytest.fixture
def as_role(app):
    """as_role(role, languages='') -> a test client with a session of a new account."""
    from admin.db import database
    from admin.models import Role, User
    from admin.passwords import hash_password

    if "hash" not in _HASH:
        _HASH["hash"] = hash_password(PASSWORD)
    counter = iter(range(1, 10_000))

    def make(role, languages=""):
        role = Role(role)
        with database(app).session() as db:
            user = User(username=f"{role.value}{next(counter)}", password_hash=_HASH["hash"],
                        role=role.value, display_name="",
                        languages=languages if role == Role.TRANSLATOR else "")
            db.add(user)
            db.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["uid"] = user.id
        client.user = user
        return client

    return make
