"""Installed packs on a machine: versions side by side, one active, rollback in one step.

    store = PackStore(data_dir() / "packs")
    store.install("demo-1.1.0.zip")     # unpack, verify, validate, then switch atomically
    store.rollback("demo")              # back to the version active before
    store.active("demo")                # Path of the active version's folder

Layout: `<packs>/<pack id>/versions/<version>-<files digest>/` holds each unpacked version;
`<packs>/<pack id>/active` is a symbolic link to one of them, replaced atomically
(`os.replace` of a new link), so a reader sees the old pack or the new one, never a mix;
`history.json` lists the last 50 activations. The kiosk picks up a switch at its next attract loop.

Country overlays (docs/content-format.md, "Bundles"): an overlay is installed only when its
base comes with it (carried in the bundle) or is installed here already; the refusal says
which base to bring and comes before anything is validated or moved. A carried base is
installed first; it becomes active only when no active version of the base lies in the
overlay's range (an active base in range stays: the other overlays and the kiosk run on it),
and not when that switch would take other overlays out of their range (unless `force`).
An installed overlay runs over its base's active version: a rollback of a base that would
take an overlay's active version out of its range is refused, naming the overlays, unless
`force`.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

import msgspec

from kiosk.content.bundle import (
    BundleError,
    files_digest,
    load_with_base,
    missing_base,
    unpack_bundle,
)
from kiosk.content.extends import Extends, ExtendsError, pack_identity, read_extends
from kiosk.content.safepath import OutsideFolder, child
from kiosk.content.versions import is_version, version_key


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
    base: str = ""  # an overlay's carried base installed with it: "<id> <version>"
    base_active: bool = False  # ... and made active by this install


def _version_of(folder: Path) -> str:
    """The version of an installed version folder (`<version>-<hash>`)."""
    return folder.name.rsplit("-", 1)[0]


def _installed_on(folder: Path) -> str:
    """The day a version folder was made (its modification time), as an ISO date."""
    try:
        return dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC).date().isoformat()
    except OSError:
        return ""


class BreaksOverlays(BundleError):
    """A switch of a base's active version that would take installed overlays out of their
    version range; `overlays` names them (id, active version, range)."""

    def __init__(self, msgid: str, which: list[tuple[str, str, str]], **params: object):
        super().__init__(msgid, **params)
        self.overlays = which


def overlay_list(overlays: list[tuple[str, str, str]]) -> str:
    """`demo-se 1.0.0 (>=2.0), demo-it 1.1.0 (==2.0.0)`: each overlay with its range."""
    return ", ".join(f"{pid} {version} ({rng})" for pid, version, rng in overlays)


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
                today: dt.date | None = None, force: bool = False) -> InstalledVersion:
        """Unpack a bundle into a new version folder, validate it, and make it active.

        A bundle that is refused (checks, checksums, a missing base, validator errors) leaves
        nothing behind. `progress` hears each step as it starts: "unpack", "check",
        "activate". `today` is the date the pack is validated against (None: the real date).
        An overlay's carried base is installed first (see the module's docstring); `force`
        switches the base even when that takes other overlays out of their range.
        """
        step = progress or (lambda _name: None)
        self.root.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(6)
        staging = self.root / f".incoming-{token}"
        base_staging = self.root / f".incoming-{token}-base"
        base_switch = None
        try:
            step("unpack")
            manifest = unpack_bundle(bundle, staging, base_staging)
            carried = base_staging if base_staging.is_dir() else None
            ext = self._extends_of(staging, manifest, carried)
            if ext is not None and carried is None and self.installed_base(ext) is None:
                raise missing_base(ext, manifest.pack_id, self._base_versions(ext.pack))
            step("check")
            if carried is not None:
                base_switch = self._base_switch(ext, carried, manifest.pack_id, activate, force)
                self._checked(carried, today, base=True)
            loaded = self._checked(staging, today)
            if loaded.pack.id != manifest.pack_id or loaded.pack.version != manifest.version:
                raise BundleError("the manifest's pack id or version differs from pack.yaml")
            if carried is not None:
                base_name = self._place(ext.pack, manifest.base.version, manifest.base.sha256,
                                        carried)
            name = self._place(manifest.pack_id, manifest.version, files_digest(
                {n: e.sha256 for n, e in manifest.files.items()}), staging)
            final = self._version_dir(manifest.pack_id, name)
        finally:
            for folder in (staging, base_staging):
                if folder.exists():
                    shutil.rmtree(folder, ignore_errors=True)
        if base_switch:
            self.activate(ext.pack, base_name)
        if activate:
            step("activate")
            self.activate(manifest.pack_id, name)
        return InstalledVersion(manifest.pack_id, manifest.version, str(final), activate,
                                _installed_on(final),
                                f"{ext.pack} {manifest.base.version}" if carried else "",
                                bool(base_switch))

    def _extends_of(self, staging: Path, manifest, carried: Path | None) -> Extends | None:
        """The unpacked pack's `extends:`, checked against what the manifest says of its base
        and against the carried base; BundleError when they disagree."""
        try:
            ext = read_extends(staging)
        except ExtendsError as exc:
            raise BundleError("pack.yaml, line %(line)s: %(why)s", line=exc.line,
                              why=exc.phrase) from None
        named = manifest.base.extends() if manifest.base else None
        if named is not None and (ext is None or (ext.pack, ext.version) != (named.pack,
                                                                              named.version)):
            raise BundleError("the manifest's base differs from the extends: of pack.yaml")
        if carried is not None and pack_identity(carried) != (ext.pack, manifest.base.version):
            raise BundleError("the carried base's pack.yaml is not %(base)s %(version)s",
                              base=ext.pack, version=manifest.base.version)
        if carried is not None and not ext.matches(manifest.base.version):
            raise BundleError('the carried base %(base)s %(version)s is outside the versions the '
                              'overlay accepts ("%(range)s")', base=ext.pack,
                              version=manifest.base.version, range=ext.version)
        return ext

    def _checked(self, folder: Path, today: dt.date | None, base: bool = False):
        """The pack in a folder loaded (an overlay over its base) and free of errors."""
        loaded = load_with_base(folder, today, [self.root])
        if not loaded.ok or loaded.pack is None:
            errors = "\n  ".join([f.format() for f in loaded.findings
                                  if f.severity == "error"][:10])
            if base:
                raise BundleError("the base in the bundle has errors:\n  %(errors)s",
                                  errors=errors)
            raise BundleError("the pack in the bundle has errors:\n  %(errors)s", errors=errors)
        return loaded

    def _place(self, pack_id: str, version: str, digest: str, staging: Path) -> str:
        """Move an unpacked, checked version into versions/ (kept as it is when the same
        files are there already); its folder name.

        The name ends in the files' digest (`bundle.files_digest`), not the loader's content
        hash: that one mixes in media file times, which differ at every unpacking, so the
        same bundle installed twice (or one base carried by four overlays) would pile up."""
        name = f"{version}-{digest[:10]}"
        final = self._version_dir(pack_id, name)  # checked before any mkdir
        versions = final.parent
        versions.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.rmtree(staging)
        else:
            os.replace(staging, final)
            _fsync_dir(versions)
        return name

    def installed_base(self, ext: Extends) -> InstalledVersion | None:
        """The installed version an overlay would run over: the active one in range, else the
        newest in range (as `extends.find_base` looks in a pack store)."""
        fitting = [v for v in self.versions(ext.pack) if ext.matches(v.version)]
        active = [v for v in fitting if v.active]
        return (active or sorted(fitting, key=lambda v: version_key(v.version)) or [None])[-1]

    def _base_versions(self, base_id: str) -> list[str]:
        """The installed versions of a pack, oldest first (for a refusal's sentence)."""
        found = {v.version for v in self.versions(base_id) if is_version(v.version)}
        return sorted(found, key=version_key)

    def _base_switch(self, ext: Extends, carried: Path, overlay_id: str, activate: bool,
                     force: bool) -> bool:
        """Whether installing makes the carried base active: only when the overlay is
        activated and no active base version is in its range; BreaksOverlays when that
        switch takes other overlays out of theirs (unless `force`)."""
        active = self.active(ext.pack)
        if not activate or (active is not None and ext.matches(_version_of(active))):
            return False
        version = pack_identity(carried)[1] or ""
        broken = [o for o in self.overlays_outside(ext.pack, version) if o[0] != overlay_id]
        if broken and not force:
            raise BreaksOverlays(
                'installing would make %(base)s %(version)s active, which takes these overlays '
                "out of the base versions they accept (in brackets): %(overlays)s",
                broken, base=ext.pack, version=version, overlays=overlay_list(broken))
        return True

    def overlays_of(self, base_id: str) -> list[tuple[str, str, Extends]]:
        """The installed overlays whose active version extends a base: (id, version, extends)."""
        out = []
        for pack_id in self.pack_ids():
            active = self.active(pack_id)
            if active is None or pack_id == base_id:
                continue
            try:
                ext = read_extends(active)
            except ExtendsError:  # the loader says what is wrong with it
                continue
            if ext is not None and ext.pack == base_id:
                out.append((pack_id, _version_of(active), ext))
        return out

    def overlays_outside(self, base_id: str, version: str) -> list[tuple[str, str, str]]:
        """The installed overlays (id, active version, range) that do not accept `version`
        of their base: those a switch of the base to it would break."""
        return [(pid, v, ext.version) for pid, v, ext in self.overlays_of(base_id)
                if not ext.matches(version)]

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

    def rollback(self, pack_id: str, force: bool = False) -> Path:
        """Activate the version that was active before the current one. Rollbacks walk back:
        after 1.0 -> 1.1 -> 1.2, a rollback gives 1.1 and a second one 1.0 (not 1.2 again);
        versions whose folder is gone are passed over. BreaksOverlays, before anything
        changes, when installed overlays do not accept that version (unless `force`)."""
        target = self.rollback_target(pack_id)
        if target is None:
            raise BundleError('pack "%(pack)s" has no earlier version to roll back to',
                              pack=pack_id)
        broken = self.rollback_breaks(pack_id)
        if broken and not force:
            raise BreaksOverlays(
                'rolling back %(pack)s to %(version)s takes these overlays out of the base '
                "versions they accept (in brackets): %(overlays)s",
                broken, pack=pack_id, version=target.rsplit("-", 1)[0],
                overlays=overlay_list(broken))
        return self.activate(pack_id, target, rollback=True)

    def rollback_breaks(self, pack_id: str) -> list[tuple[str, str, str]]:
        """The installed overlays (id, active version, range) a rollback of a base would take
        out of their range; [] when there is nothing to roll back to."""
        target = self.rollback_target(pack_id)
        if target is None:
            return []
        return self.overlays_outside(pack_id, target.rsplit("-", 1)[0])

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
