"""Which pack the kiosk plays, and picking up a new or changed one between visits.

The pack folder is given on the command line, or it is the active pack of the pack store
(`<data>/packs`), or the repository's demo pack. Without a folder on the command line the
kiosk *follows the store*: each check asks the store again which version is active, so a
pack installed, switched or rolled back while the kiosk runs (`kiosk pack install`, the
admin's Install, the staff menu) is taken up at the next attract loop. `PackSource.check()`
runs when the attract loop starts (never mid-visit): it compares the cheap fingerprint of the
pack's files, and the date, with the last ones, reloads through the compiled cache, and keeps
the last good pack when the new one has errors (logged with the first findings).

A story whose consent review date has passed is hidden, not the pack refused (ETHICS.md rule
1): that error is the one a pack can gain without a file changing, when a kiosk runs past the
date, and the rest of the pack stays good. The date is part of each check, so the story goes
at the first attract loop of the day its consent expires, without a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import msgspec

from kiosk import paths
from kiosk.content.model import LoadedPack, Pack

log = logging.getLogger(__name__)


class PackRefused(Exception):
    """The pack has errors and there is no good pack to keep playing."""


def store_root(data: Path | None = None) -> Path:
    """The pack store's folder: `<data>/packs`."""
    return (data or paths.data_dir()) / "packs"


def default_pack_dir(data: Path | None = None, prefer: str | None = None) -> Path:
    """The active pack of the pack store (`prefer`'s, when that pack is installed), else the
    demo pack in the repository."""
    try:
        from kiosk.content.packstore import PackStore

        store = PackStore(store_root(data))
        ids = store.pack_ids()
        if prefer in ids:
            ids.remove(prefer)
            ids.insert(0, prefer)
        for pack_id in ids:
            active = store.active(pack_id)
            if active is not None:
                return active
    except Exception as exc:  # a broken store must not stop the kiosk
        log.warning("pack store unreadable: %s", exc)
    return paths.repo_content()


class PackSource:
    """The pack being played and where it came from.

    `folder=None` follows the pack store under `data` (see the module docstring). `today`
    is the date the pack is checked against (consent review dates, helpline ages); None, as
    on a kiosk, means the real date at each load."""

    def __init__(self, folder: Path | str | None, data: Path | None = None,
                 today: dt.date | None = None) -> None:
        self.follows_store = folder is None
        self.data = data
        self.today = today
        self.folder = Path(folder) if folder is not None else default_pack_dir(data)
        self.pack: Pack | None = None
        self.content_hash = ""
        self.hidden: tuple[str, ...] = ()  # stories hidden: their consent review date passed
        self._fingerprint = ""
        self._day: dt.date | None = None  # the date the pack in place was checked against
        self.last_refusal: str | None = None

    def follow_store(self) -> None:
        """Play the store's active version from now on (staff switched or installed one)."""
        self.follows_store = True

    def _follow(self) -> None:
        if not self.follows_store:
            return
        folder = default_pack_dir(self.data, self.pack.id if self.pack else None)
        if folder != self.folder:
            log.info("pack store: the active pack is now %s", folder)
            self.folder, self._fingerprint = folder, ""

    def _fingerprint_now(self) -> str:
        from kiosk.content.cache import fingerprint

        return fingerprint(self.folder.resolve())

    def load(self) -> Pack:
        """Load the pack now; raises PackRefused when it has errors and none was good before."""
        if not self.check() and self.pack is None:
            raise PackRefused(self.last_refusal or f"no pack at {self.folder}")
        assert self.pack is not None
        return self.pack

    def check(self) -> bool:
        """Reload if the pack's files changed; True when a (new) good pack is in place."""
        self._follow()
        try:
            fingerprint = self._fingerprint_now()
        except OSError as exc:
            self._refuse(f"pack folder {self.folder} cannot be read: {exc}")
            return False
        day = self.today or dt.date.today()
        if fingerprint == self._fingerprint and day == self._day and self.pack is not None:
            return False
        from kiosk.content import load_cached

        try:
            loaded = load_cached(self.folder.resolve(), today=day,
                                 known_fingerprint=fingerprint)
        except Exception as exc:
            self._refuse(f"pack {self.folder} cannot be loaded: {exc}")
            self._fingerprint, self._day = fingerprint, day
            return False
        self._fingerprint, self._day = fingerprint, day
        pack, hidden = playable(loaded)
        if pack is None:
            errors = [f"{f.file}:{f.line}: {f.message}" for f in loaded.findings
                      if f.severity == "error"][:5]
            self._refuse(f"pack {self.folder} refused: " + "; ".join(errors))
            return False
        if (loaded.content_hash, hidden) == (self.content_hash, self.hidden) \
                and self.pack is not None:
            return False
        old = self.pack
        self.pack, self.content_hash, self.hidden = pack, loaded.content_hash, hidden
        self.last_refusal = None
        for story_id in hidden:
            log.warning("story %s hidden: its consent review date has passed", story_id)
        if old is not None:
            log.info("pack %s %s picked up", self.pack.id, self.pack.version)
        return True

    def _refuse(self, message: str) -> None:
        self.last_refusal = message
        keep = f" (still playing {self.pack.id} {self.pack.version})" if self.pack else ""
        log.error("%s%s", message, keep)


def playable(loaded: LoadedPack) -> tuple[Pack | None, tuple[str, ...]]:
    """(the pack to play, the stories hidden because their consent review date passed), or
    (None, ()) when the pack has any other error or no story is left to play."""
    if loaded.pack is None:
        return None, ()
    by_file = {story.file: story_id for story_id, story in loaded.pack.stories.items()}
    errors = [f for f in loaded.findings if f.severity == "error"]
    expired = {by_file.get(f.file) for f in errors if f.code == "consent-expired"}
    if None in expired or any(f.code != "consent-expired" for f in errors):
        return None, ()
    stories = {k: v for k, v in loaded.pack.stories.items() if k not in expired}
    if not stories:
        return None, ()
    return msgspec.structs.replace(loaded.pack, stories=stories), tuple(sorted(expired))
