"""Which packs the admin serves, and each pack loaded once while its files are unchanged.

Two kinds of pack, from two settings (admin.settings):

- **working copies** (``CONTENT_PACKS``, default the repository's ``content/`` and its
  country overlays ``content-*/``): folders the admin edits in place; stories, translations
  and media change here, and bundles are exported from here;
- **installed versions** (``PACKS_DIR``, default the kiosk's ``<data>/packs``): the kiosk's
  PackStore, where bundles are imported, activated and rolled back. They are never edited:
  a version is exactly what its bundle's checksums say.

A loaded pack is kept with the stat fingerprint of its files (paths, sizes, inodes,
modification and change times: one listing of the pack's folders, ~2 ms for the demo pack's
450 files, where loading it again takes ~60 ms) and served while the fingerprint is the
same, whoever writes the files: this process, another worker or an editor. A fingerprint
taken within RACY_NS of a file's last change proves nothing (a second write in the same tick
of the file system's clock can leave it as it was), so until the files have settled the
content hash (every YAML byte) decides, as git does with its "racily clean" entries. Every
admin save also drops the folder's load (`forget`).

Between full checks, at most FULL_CHECK_NS apart, a page takes the quick fingerprint, which
leaves out media/'s files but not its folders (a twentieth of the time on the demo pack;
the full one was most of an admin page's time): every YAML change and every media file
added, removed or replaced shows at once; a media file rewritten in place by another
program shows within the interval.

An overlay is loaded merged onto its base, found beside it or installed in ``PACKS_DIR``;
its fingerprint and content hash take in its base's, so a change to the base reloads it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, current_app

from admin.content.fragments import Fragments
from admin.content.preview import Renderer
from kiosk.content import LoadedPack, load_pack
from kiosk.content.cache import stat_fingerprint
from kiosk.content.loader import content_hash
from kiosk.content.packstore import PackStore

RACY_NS = 2_000_000_000
# Longest time between two full fingerprints of a pack (see the module docstring).
FULL_CHECK_NS = 2_000_000_000


@dataclass
class _Kept:
    """A pack as loaded, the fingerprints its files had just before, and when they were."""

    loaded: LoadedPack
    fingerprint: str
    settled: bool  # no file had changed within RACY_NS of the fingerprint
    quick: str  # the quick fingerprint (no media files), taken just before the full one
    checked: int  # time.monotonic_ns() of the full fingerprint


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
        self._loaded: dict[Path, _Kept] = {}
        self._ids: dict[Path, str] = {}  # a folder's pack id, kept across reloads
        self.checks: dict = {}  # (root, file, text hash) -> StoryCheck, see revisions.py
        self._lock = threading.Lock()
        self.lock = threading.Lock()  # guards `checks`
        self.renderer = Renderer()  # the kiosk's renderer for previews, started on first use
        self.fragments = Fragments()  # rendered page parts kept per loaded pack

    def working_copies(self) -> list[WorkingCopy]:
        """The editable packs, in the order the setting lists them."""
        out, seen = [], set()
        made = []
        if self.new_dir is not None and self.new_dir.is_dir():
            made = sorted(p.resolve() for p in self.new_dir.iterdir()
                          if not p.name.startswith(".") and (p / "pack.yaml").is_file())
        for folder in self.folders + [m for m in made if m not in self.folders]:
            with self._lock:  # the id from any loaded version: ids do not change in an edit
                pack_id = self._ids.get(folder)
            if pack_id is None:
                loaded = self.load(folder)
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
        """The pack in a folder, loaded and validated; reloaded when its files changed."""
        stores = [self.store.root]  # an overlay's base may be installed rather than beside it
        quick = stat_fingerprint(root, stores, media_files=False)[0]
        checked = time.monotonic_ns()
        with self._lock:
            kept = self._loaded.get(root)
        if kept is not None and kept.settled and kept.quick == quick \
                and checked - kept.checked < FULL_CHECK_NS:
            return kept.loaded
        now = time.time_ns()
        fingerprint, newest = stat_fingerprint(root, stores)
        settled = now - newest > RACY_NS
        if kept is not None and kept.fingerprint == fingerprint:
            if kept.settled or content_hash(root, stores=stores) == kept.loaded.content_hash:
                with self._lock:
                    kept.settled, kept.quick, kept.checked = settled, quick, checked
                return kept.loaded
        loaded = load_pack(root, stores=stores)  # the fingerprints were taken before: a change meanwhile shows
        with self._lock:
            self._loaded[root] = _Kept(loaded, fingerprint, settled, quick, checked)
            if loaded.pack is not None:
                self._ids.setdefault(root, loaded.pack.id)
        return loaded

    def forget(self, root: Path) -> None:
        """Drop a folder's kept load (every admin write calls this)."""
        with self._lock:
            self._loaded.pop(root.resolve(), None)


def _defaults(app: Flask) -> tuple[list[Path], Path]:
    """The working copies and the PackStore folder the settings name."""
    raw = app.config.get("CONTENT_PACKS")
    if raw:
        folders = [Path(p) for p in str(raw).split(":") if p.strip()]
    else:
        from kiosk.paths import repo_content

        folders = demo_folders(repo_content())
    packs_dir = app.config.get("PACKS_DIR")
    if not packs_dir:
        from kiosk.paths import data_dir

        packs_dir = data_dir() / "packs"
    return folders, Path(packs_dir)


def demo_folders(content: Path) -> list[Path]:
    """The repository's demo pack and its country overlays beside it (`content-*/` folders
    with a pack.yaml), in name order after the base."""
    overlays = sorted(p for p in content.parent.glob(content.name + "-*")
                      if (p / "pack.yaml").is_file())
    return [content, *overlays]


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
