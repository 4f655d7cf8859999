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


# A sample value for each URL variable, from a context dict the walking tests build (it holds
# "target": an existing viewer account). A route with a variable not listed here fails
# test_admin_access.py and test_admin_security.py: add its sample (and to the context what
# it needs).
SAMPLE_ARGS = {
    "user_id": lambda ctx: ctx["target"].id,
    "filename": lambda ctx: "admin.css",
    # the content area (issue 9): the demo pack; its POSTs refuse a request without their
    # form fields (file hash, version), so the walks change nothing on disk
    "pack_id": lambda ctx: "demo", "story_id": lambda ctx: "emil",
    "scene_id": lambda ctx: "start", "revision_id": lambda ctx: 1, "language": lambda ctx: ctx.get("language", "en"),
    # school sessions (issue 11): a code of the right form that no session has
    "code": lambda ctx: "HJKMNP",
    # Help: a guide page of docs/ and a screenshot it shows
    "page": lambda ctx: "guides/curators", "picture": lambda ctx: "kiosk-staff-en.png",
}


def route_url(app, rule, ctx: dict) -> str:
    """The URL of a url_map rule with every variable filled from SAMPLE_ARGS."""
    from flask import url_for

    missing = [a for a in rule.arguments if a not in SAMPLE_ARGS]
    assert not missing, f"route {rule.rule}: add a sample for {missing} to SAMPLE_ARGS"
    with app.test_request_context():
        return url_for(rule.endpoint, **{a: SAMPLE_ARGS[a](ctx) for a in rule.arguments})
