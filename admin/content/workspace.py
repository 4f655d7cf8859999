"""Which packs the admin serves, and a cache of each loaded pack keyed by its content hash.

Two kinds of pack, from two settings (admin.settings):

- **working copies** (``CONTENT_PACKS``, default the repository's ``content/``): folders the
  admin edits in place; stories, translations and media change here, and bundles are
  exported from here;
- **installed versions** (``PACKS_DIR``, default the kiosk's ``<data>/packs``): the kiosk's
  PackStore, where bundles are imported, activated and rolled back. They are never edited:
  a version is exactly what its bundle's checksums say.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, current_app

from admin.content.preview import Renderer
from kiosk.content import LoadedPack, load_pack
from kiosk.content.loader import content_hash
from kiosk.content.packstore import PackStore


@dataclass
class WorkingCopy:
    """One editable pack folder and its id (from pack.yaml, else the folder name)."""

    pack_id: str
    root: Path


class Workspace:
    """The packs this admin serves; one per app, kept in ``app.extensions``."""

    def __init__(self, folders: list[Path], packs_dir: Path, cache_dir: Path,
                 new_dir: Path | None = None):
        self.folders = [f.resolve() for f in folders]
        self.new_dir = new_dir  # new packs are made here (admin.content.newpack)
        self.store = PackStore(packs_dir)
        self.cache_dir = cache_dir
        self._loaded: dict[Path, LoadedPack] = {}
        self.checks: dict = {}  # (root, file, text hash) -> StoryCheck, see revisions.py
        self._lock = threading.Lock()
        self.lock = threading.Lock()  # guards `checks`
        self.renderer = Renderer()  # the kiosk's renderer for previews, started on first use

    def working_copies(self) -> list[WorkingCopy]:
        """The editable packs, in the order the setting lists them."""
        out, seen = [], set()
        made = []
        if self.new_dir is not None and self.new_dir.is_dir():
            made = sorted(p.resolve() for p in self.new_dir.iterdir()
                          if not p.name.startswith(".") and (p / "pack.yaml").is_file())
        for folder in self.folders + [m for m in made if m not in self.folders]:
            with self._lock:  # the id from any loaded version: ids do not change in an edit
                loaded = self._loaded.get(folder)
            loaded = loaded or self.load(folder)
            pack_id = loaded.pack.id if loaded.pack else folder.name
            if pack_id in seen:
                pack_id = f"{pack_id}-{len(out) + 1}"
            seen.add(pack_id)
            out.append(WorkingCopy(pack_id, folder))
        return out

    def working_copy(self, pack_id: str) -> WorkingCopy:
        """The working copy with that id, or a 404."""
        for wc in self.working_copies():
            if wc.pack_id == pack_id:
                return wc
        abort(404)

    def load(self, root: Path) -> LoadedPack:
        """The pack in a folder, loaded and validated; reloaded when its content changed."""
        digest = content_hash(root)
        with self._lock:
            cached = self._loaded.get(root)
        if cached is not None and cached.content_hash == digest:
            return cached
        loaded = load_pack(root)
        with self._lock:
            self._loaded[root] = loaded
        return loaded

    def forget(self, root: Path) -> None:
        """Drop a folder's cached load (after a write)."""
        with self._lock:
            self._loaded.pop(root.resolve(), None)


def _defaults(app: Flask) -> tuple[list[Path], Path]:
    """The working copies and the PackStore folder the settings name."""
    raw = app.config.get("CONTENT_PACKS")
    if raw:
        folders = [Path(p) for p in str(raw).split(":") if p.strip()]
    else:
        from kiosk.paths import repo_content

        folders = [repo_content()]
    packs_dir = app.config.get("PACKS_DIR")
    if not packs_dir:
        from kiosk.paths import data_dir

        packs_dir = data_dir() / "packs"
    return folders, Path(packs_dir)


def init_app(app: Flask) -> Workspace:
    """Attach the Workspace built from the settings."""
    folders, packs_dir = _defaults(app)
    new_dir = Path(app.config.get("NEW_PACKS_DIR") or Path(app.instance_path) / "packs")
    ws = Workspace(folders, packs_dir, Path(app.instance_path) / "content-cache", new_dir)
    app.extensions["storykiosk_workspace"] = ws
    return ws


def workspace() -> Workspace:
    """The current app's Workspace (built on first use)."""
    ws = current_app.extensions.get("storykiosk_workspace")
    return ws if ws is not None else init_app(current_app)
