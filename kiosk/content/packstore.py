"""Installed packs on a machine: versions side by side, one active, rollback in one step.

    store = PackStore(data_dir() / "packs")
    store.install("demo-1.1.0.zip")     # unpack, verify, validate, then switch atomically
    store.rollback("demo")              # back to the version active before
    store.active("demo")                # Path of the active version's folder

Layout: `<packs>/<pack id>/versions/<version>-<hash>/` holds each unpacked version;
`<packs>/<pack id>/active` is a symbolic link to one of them, replaced atomically
(`os.replace` of a new link), so a reader sees the old pack or the new one, never a mix;
`history.json` lists the activations. The kiosk picks up a switch at its next attract loop.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import msgspec

from kiosk.content.bundle import BundleError, unpack_bundle
from kiosk.content.loader import load_pack
from kiosk.content.safepath import OutsideFolder, child


class Activation(msgspec.Struct):
    """One switch of the active version."""

    version_dir: str
    at: str
    rollback: bool = False  # a step back (rollbacks walk back through the switches)


class InstalledVersion(msgspec.Struct):
    """A version of a pack present on this machine."""

    pack_id: str
    version: str
    folder: str
    active: bool
    installed: str = ""  # the day its folder was made (ISO date, UTC)


def _installed_on(folder: Path) -> str:
    """The day a version folder was made (its modification time), as an ISO date."""
    try:
        return dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC).date().isoformat()
    except OSError:
        return ""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PackStore:
    """The packs installed under one folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _pack_dir(self, pack_id: str) -> Path:
        """The folder of one pack; BundleError for an id that would lead out of the store."""
        try:
            return child(self.root, pack_id)
        except OutsideFolder:
            raise BundleError('"%(pack)s" is not a pack id (lower-case letters, digits, - and _)',
                              pack=pack_id) from None

    def _version_dir(self, pack_id: str, version_dir: str) -> Path:
        """One version's folder; BundleError for a name that would lead out of versions/."""
        try:
            return child(self._pack_dir(pack_id) / "versions", version_dir)
        except OutsideFolder:
            raise BundleError('pack "%(pack)s" has no installed version "%(version)s"',
                              pack=pack_id, version=version_dir) from None

    def _history(self, pack_id: str) -> list[Activation]:
        try:
            return msgspec.json.decode((self._pack_dir(pack_id) / "history.json").read_bytes(),
                                       type=list[Activation])
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return []

    def _write_history(self, pack_id: str, history: list[Activation]) -> None:
        path = self._pack_dir(pack_id) / "history.json"
        tmp = path.with_name(f".history-{secrets.token_hex(4)}")
        tmp.write_bytes(msgspec.json.encode(history[-50:]))
        os.replace(tmp, path)

    def install(self, bundle: Path | str, activate: bool = True,
                progress: Callable[[str], None] | None = None,
                today: dt.date | None = None) -> InstalledVersion:
        """Unpack a bundle into a new version folder, validate it, and make it active.

        A bundle that is refused (checks, checksums, validator errors) leaves nothing behind.
        `progress` hears each step as it starts: "unpack", "check", "activate". `today` is
        the date the pack is validated against (None: the real date).
        """
        step = progress or (lambda _name: None)
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".incoming-{secrets.token_hex(6)}"
        try:
            step("unpack")
            manifest = unpack_bundle(bundle, staging)
            step("check")
            loaded = load_pack(staging, today)
            if not loaded.ok or loaded.pack is None:
                errors = [f.format() for f in loaded.findings if f.severity == "error"][:10]
                raise BundleError("the pack in the bundle has errors:\n  %(errors)s",
                                  errors="\n  ".join(errors))
            if loaded.pack.id != manifest.pack_id or loaded.pack.version != manifest.version:
                raise BundleError("the manifest's pack id or version differs from pack.yaml")
            name = f"{manifest.version}-{loaded.content_hash[:10]}"
            final = self._version_dir(manifest.pack_id, name)  # checked before any mkdir
            versions = final.parent
            versions.mkdir(parents=True, exist_ok=True)
            if final.exists():
                shutil.rmtree(staging)
            else:
                os.replace(staging, final)
                _fsync_dir(versions)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        if activate:
            step("activate")
            self.activate(manifest.pack_id, name)
        return InstalledVersion(manifest.pack_id, manifest.version, str(final), activate,
                                _installed_on(final))

    def activate(self, pack_id: str, version_dir: str, rollback: bool = False) -> Path:
        """Make an installed version the active one, atomically."""
        base = self._pack_dir(pack_id)
        target = self._version_dir(pack_id, version_dir)
        if not (target / "pack.yaml").is_file():
            raise BundleError('pack "%(pack)s" has no installed version "%(version)s"',
                              pack=pack_id, version=version_dir)
        link = base / "active"
        tmp = base / f".active-{secrets.token_hex(4)}"
        os.symlink(Path("versions") / version_dir, tmp)
        os.replace(tmp, link)
        _fsync_dir(base)
        history = self._history(pack_id)
        history.append(Activation(version_dir,
                                  dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                  rollback))
        self._write_history(pack_id, history)
        return target

    def deactivate(self, pack_id: str) -> bool:
        """Stop playing a pack (its versions and history stay); False when it was not active.

        The fleet's switch to a pack of another id leaves one pack active at a time."""
        base = self._pack_dir(pack_id)
        link = base / "active"
        if not link.is_symlink():
            return False
        link.unlink()
        _fsync_dir(base)
        return True

    def active(self, pack_id: str | None = None) -> Path | None:
        """The active version's folder (of the only pack, when no id is given), or None."""
        ids = [pack_id] if pack_id else self.pack_ids()
        if len(ids) != 1:
            return None
        try:
            link = self._pack_dir(ids[0]) / "active"
        except BundleError:  # no such pack can be installed here
            return None
        return link.resolve() if link.is_symlink() and link.exists() else None

    def pack_ids(self) -> list[str]:
        """The ids of the packs installed here."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and not p.name.startswith("."))

    def versions(self, pack_id: str) -> list[InstalledVersion]:
        """Every installed version of a pack, the active one marked."""
        try:
            versions = self._pack_dir(pack_id) / "versions"
        except BundleError:
            return []
        active = self.active(pack_id)
        out = []
        if versions.is_dir():
            for folder in sorted(versions.iterdir()):
                version = folder.name.rsplit("-", 1)[0]
                out.append(InstalledVersion(pack_id, version, str(folder),
                                            active is not None and folder.resolve() == active,
                                            _installed_on(folder)))
        return out

    def rollback(self, pack_id: str) -> Path:
        """Activate the version that was active before the current one. Rollbacks walk back:
        after 1.0 -> 1.1 -> 1.2, a rollback gives 1.1 and a second one 1.0 (not 1.2 again);
        versions whose folder is gone are passed over."""
        target = self.rollback_target(pack_id)
        if target is None:
            raise BundleError('pack "%(pack)s" has no earlier version to roll back to',
                              pack=pack_id)
        return self.activate(pack_id, target, rollback=True)

    def rollback_target(self, pack_id: str) -> str | None:
        """The version folder a rollback would activate now, or None when there is none."""
        current = self.active(pack_id)
        for version_dir in reversed(self._switches(pack_id)[:-1]):
            try:
                folder = self._version_dir(pack_id, version_dir)
            except BundleError:  # a history entry that names no folder of ours
                continue
            if (current is None or folder.resolve() != current) and (folder / "pack.yaml").is_file():
                return version_dir
        return None

    def _switches(self, pack_id: str) -> list[str]:
        """The switches still standing, oldest first: each rollback takes back the switch
        it undid, so the list is a stack of the versions to go back to."""
        stack: list[str] = []
        for act in self._history(pack_id):
            if act.rollback and len(stack) >= 2 and stack[-2] == act.version_dir:
                stack.pop()
            elif not stack or stack[-1] != act.version_dir:
                stack.append(act.version_dir)
        return stack
