"""Fixtures for the school-session tests: the admin's own (tests/admin/conftest.py) reused."""

from __future__ import annotations

import sys
from pathlib import Path

ADMIN_TESTS = Path(__file__).resolve().parent.parent / "admin"
if str(ADMIN_TESTS) not in sys.path:
    sys.path.insert(0, str(ADMIN_TESTS))

from conftest import (  # noqa: E402,F401  (the admin's fixtures, reused as they are)
    app,
    app_config,
    as_role,
    client,
    csrf_token,
    database_url,
    login,
    make_user,
)
