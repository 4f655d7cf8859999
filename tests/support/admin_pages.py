"""The admin's pages as a test reads them: the test accounts' password, CSRF tokens, the
values of a page's form, and a URL for every route (the route walks)."""

from __future__ import annotations

import re
from html import unescape

from werkzeug.datastructures import MultiDict

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
    # the fleet (issue 22): ids no venue or kiosk has (404 for those allowed)
    "venue_id": lambda ctx: 9999, "kiosk_id": lambda ctx: 9999,
    # the fleet (issue 22): a pack version no kiosk is assigned
    "version": lambda ctx: "1.0",
    # rollouts (issue 22): an id no rollout has (404 for those allowed)
    "rollout_id": lambda ctx: 9999,
}


def route_url(app, rule, ctx: dict) -> str:
    """The URL of a url_map rule with every variable filled from SAMPLE_ARGS."""
    from flask import url_for

    missing = [a for a in rule.arguments if a not in SAMPLE_ARGS]
    assert not missing, f"route {rule.rule}: add a sample for {missing} to SAMPLE_ARGS"
    with app.test_request_context():
        return url_for(rule.endpoint, **{a: SAMPLE_ARGS[a](ctx) for a in rule.arguments})


HASH_RE = re.compile(r'name="base_hash" value="([0-9a-f]{64})"')


def base_hash(html: str) -> str:
    """The file hash a page's form was built from."""
    m = HASH_RE.search(html)
    assert m, "no base_hash in the page"
    return m.group(1)


def form_values(html: str) -> dict[str, str]:
    """The values of a page's inputs, textareas and selected options, by name (first form)."""
    out: dict[str, str] = {}
    for m in re.finditer(r'<input[^>]*>', html):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        typ = re.search(r'type="([^"]+)"', tag)
        if typ and typ.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if typ and typ.group(1) == "checkbox" and name.group(1) in out:
            continue
        out.setdefault(name.group(1), unescape(value.group(1)) if value else "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        out[m.group(1)] = unescape(m.group(2))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        out[m.group(1)] = unescape(sel.group(1)) if sel else ""
    return out


def form_items(html: str) -> MultiDict:
    """Every (name, value) a browser would post from the page's first settings form."""
    out = []
    for m in re.finditer(r"<input[^>]*>", html):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        typ = re.search(r'type="([^"]+)"', tag)
        if not name or (typ and typ.group(1) in ("checkbox", "radio") and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out.append((name.group(1), unescape(value.group(1)) if value else ""))
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        out.append((m.group(1), unescape(m.group(2))))
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        out.append((m.group(1), unescape(sel.group(1)) if sel else ""))
    return MultiDict(out)
