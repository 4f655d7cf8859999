"""Helpers the content tests import."""

from __future__ import annotations

import re
from html import unescape

from werkzeug.datastructures import MultiDict

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
