"""Rendered parts of content pages, kept while the pack they show is the same.

The story and pack settings pages render a few hundred fields (the demo pack's settings
page is 160 KB of HTML); rendering them is most of the page's time, and most views of them
show a pack nobody changed since the last view. A fragment is kept with the loaded pack it
was rendered from (`Workspace.load` returns the same object while the pack's files are
unchanged, and a new one after any change, by the admin or anyone else) and served again
only for that same object and the same key.

Contract for a caller: the key holds everything else the fragment depends on (the file's
text hash, the staff member's language and role, installed versions...), and the fragment
holds nothing of the request itself: no CSRF token (write `CSRF_SLOT` where the token's
field goes; `keep` puts the request's own field there), no flashed message, no user name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path

from flask import g
from flask_babel import get_locale
from markupsafe import Markup

from kiosk.content import LoadedPack

# Where a fragment's form takes the request's CSRF field (an HTML comment nobody writes).
CSRF_SLOT = "<!--storykiosk:csrf-field-->"
# Kept fragments per admin process: at most this many bytes of HTML in all.
MAX_BYTES = 16 * 1024 * 1024


class Fragments:
    """Rendered fragments per pack folder, each kept for one loaded pack and one
    (key, language, role); a new load of the folder drops the folder's old fragments, so
    no superseded pack is held in memory by them."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._kept: dict[Path, tuple[LoadedPack, dict[Hashable, str]]] = {}
        self._lock = threading.Lock()

    def keep(self, root: Path, loaded: LoadedPack, key: Hashable,
             render: Callable[[], str]) -> Markup:
        """The fragment for `key` rendered from the pack `loaded` of the folder `root`: the
        kept one, or rendered by `render` now. The request's CSRF field replaces CSRF_SLOT."""
        user = g.get("user")
        full = (key, str(get_locale() or ""), user.role if user is not None else None)
        with self._lock:
            entry = self._kept.get(root)
            html = entry[1].get(full) if entry is not None and entry[0] is loaded else None
        if html is None:
            html = str(render())
            with self._lock:
                entry = self._kept.get(root)
                if entry is None or entry[0] is not loaded:
                    entry = self._kept[root] = (loaded, {})
                entry[1][full] = html
                if self._size() > self.max_bytes:  # rare: keep only what was just rendered
                    self._kept = {root: (loaded, {full: html})}
        return fill(html)

    def _size(self) -> int:
        return sum(len(h) for _, kept in self._kept.values() for h in kept.values())


def fill(html: str) -> Markup:
    """A fragment with the request's CSRF field in its CSRF_SLOT."""
    from flask_wtf.csrf import generate_csrf

    field = Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()
    return Markup(str(html).replace(CSRF_SLOT, str(field)))
