"""Helpers the admin's tests import (tests/admin is on sys.path under pytest)."""

import re

PASSWORD = "a long test passphrase 42"
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                      r'|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The first CSRF token in a page."""
    m = TOKEN_RE.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1) or m.group(2)
