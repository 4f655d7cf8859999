"""Pack bundles: a pack folder as one zip with a manifest of every file's checksum.

    build_bundle(pack_folder, "demo-1.0.0.zip")          # the manifest is written first
    manifest = inspect_bundle("demo-1.0.0.zip")          # checks before anything is unpacked
    unpack_bundle("demo-1.0.0.zip", new_folder)          # verified while it is written

A country overlay's bundle names its base in the manifest (`base: {id, version, sha256,
range}`) and may carry it (`build_bundle(..., with_base=True)`): the base's files then sit
under `base/` in the zip with their own list in `base.files`, checked like the pack's own.
`sha256` is `files_digest` of the base's files, not the loader's `content_hash` (which mixes
in media modification times, so the same base unpacked on two kiosks gives two hashes) nor
the base bundle's zip (rebuilt with a new date each time): any copy of the same base files,
installed, carried or bundled, gives the same digest.

A bundle is checked before a single byte is unpacked: the manifest must be there and
name exactly the files in the zip; no absolute paths, no `..`, no links, no duplicates; the
file count and the total uncompressed size are limited; every entry may hold only what the
manifest declares (a zip bomb stops at its declared size). Checksums are verified as the
files are written, into a folder that the caller throws away on any error. The admin and
`kiosk pack install` both use this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import msgspec

from kiosk.content.extends import (
    Extends,
    ExtendsError,
    find_base,
    pack_identity,
    read_extends,
    versions_found,
)
from kiosk.content.loader import pack_files
from kiosk.content.phrase import Phrase
from kiosk.content.safepath import OutsideFolder, inside
from kiosk.content.schema import ID_RE
from kiosk.content.versions import is_version

MANIFEST = "manifest.json"
FORMAT = 1  # a pack, or an overlay that names its base
FORMAT_CARRIED = 2  # an overlay that carries its base under BASE_PREFIX (older kiosks refuse it)
BASE_PREFIX = "base/"
MAX_FILES = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 4 * 1024**2
_CHUNK = 1024 * 1024


class BundleError(Exception):
    """A bundle that is refused, with a sentence saying why.

    ``msgid`` is the sentence with ``%(name)s`` placeholders and ``params`` their values, so
    an interface in another language (the admin) can show it translated:
    ``gettext(exc.msgid, **exc.params)``. ``str(exc)`` is the English sentence.
    """

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


class BaseNotFound(BundleError):
    """An overlay whose base is found neither beside it nor in the pack stores searched."""


class FileEntry(msgspec.Struct):
    """One file of the bundle: its size and SHA-256."""

    size: int
    sha256: str


class BaseRef(msgspec.Struct):
    """The base an overlay bundle builds on: id, version and files digest it was built
    against, the overlay's version range, and the base's files when the bundle carries it."""

    id: str
    version: str
    sha256: str  # files_digest of the base's files
    range: str  # the overlay's `extends: version:`
    files: dict[str, FileEntry] | None = None  # the carried base (under base/), else None

    def extends(self) -> Extends:
        """The overlay's declaration as the manifest states it."""
        return Extends(self.id, self.range)


class Manifest(msgspec.Struct):
    """What a bundle holds: the pack, its version, every file with its checksum, and for an
    overlay its base."""

    format: int
    pack_id: str
    version: str
    created: str
    files: dict[str, FileEntry]
    base: BaseRef | None = None

    @property
    def total_size(self) -> int:
        """The unpacked size of all files (a carried base's too)."""
        carried = self.base.files if self.base and self.base.files else {}
        return sum(f.size for f in self.files.values()) + sum(f.size for f in carried.values())


def files_digest(sha256_by_name: dict[str, str]) -> str:
    """One SHA-256 over a pack's files (name -> SHA-256, as `checksums` gives them)."""
    h = hashlib.sha256(b"storykiosk-files-v1\0")
    for name in sorted(sha256_by_name):
        h.update(f"{name}\0{sha256_by_name[name]}\n".encode())
    return h.hexdigest()


def load_with_base(root: Path | str, today: dt.date | None = None,
                   stores: Iterable[Path | str] = ()):
    """Load and validate a pack folder; an overlay over its base, found beside it or in
    `stores` (pack stores). The one place bundles, the pack store and the admin validate."""
    from kiosk.content.loader import load_pack

    return load_pack(root, today, stores=stores)


def found_text(versions: list[str]):
    """The versions of a base that were found, for a sentence: "1.0.0, 2.0.0" or "none"."""
    return ", ".join(versions) if versions else Phrase("none")


def missing_base(ext: Extends, overlay_id: str, found: list[str]) -> BundleError:
    """The refusal for an overlay whose base is neither carried nor installed: which base to
    bring (id, version range) and which versions of it are installed."""
    return BundleError('pack "%(pack)s" needs its base "%(base)s" in versions "%(range)s", '
                       "which is neither in the bundle nor installed (installed: %(found)s); "
                       "install that base first, or bring a bundle built with --with-base",
                       pack=overlay_id, base=ext.pack, range=ext.version,
                       found=found_text(found))


def _pack_header(root: Path, today: dt.date | None,
                 stores: Iterable[Path | str] = ()) -> tuple[str, str]:
    loaded = load_with_base(root, today, stores)
    if loaded.pack is None or not loaded.ok:
        errors = [f.format() for f in loaded.findings if f.severity == "error"][:5]
        raise BundleError("the pack has errors; fix them before bundling:\n  %(errors)s",
                          errors="\n  ".join(errors))
    return loaded.pack.id, loaded.pack.version


def _files_of(root: Path) -> list[Path]:
    files = [p for p in pack_files(root) if p.is_file()]
    media = root / "media"
    if media.is_dir():
        for dirpath, dirnames, filenames in os.walk(media):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.is_symlink():
                    raise BundleError("%(file)s is a link; copy the file instead",
                                      file=path.relative_to(root).as_posix())
                files.append(path)
    return files


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def checksums(root: Path | str) -> dict[str, str]:
    """The SHA-256 of every file a bundle of this folder holds, by name (as in a manifest)."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): _sha256(p) for p in _files_of(root)}


def overlay_base(root: Path | str, stores: Iterable[Path | str] = ()
                 ) -> tuple[Extends, Path] | None:
    """An overlay folder's `extends:` and its base's folder (beside it or in `stores`); None
    for a pack that extends nothing; BundleError when the base is not found."""
    try:
        ext = read_extends(root)
    except ExtendsError as exc:
        raise BundleError("pack.yaml, line %(line)s: %(why)s", line=exc.line,
                          why=exc.phrase) from None
    if ext is None:
        return None
    base = find_base(ext, root, stores)
    if base is None:
        found = versions_found(ext, root, stores)
        raise BaseNotFound('the base "%(base)s" in versions "%(range)s" is found neither '
                           "beside the pack nor among the installed packs (found: %(found)s)",
                           base=ext.pack, range=ext.version, found=found_text(found))
    return ext, base


def build_bundle(root: Path | str, out: Path | str, today: dt.date | None = None,
                 stores: Iterable[Path | str] = (), with_base: bool = False) -> Manifest:
    """Write a valid pack folder as a bundle; refuses a pack with errors (as of `today`).

    An overlay's manifest names its base, found beside the overlay or in `stores`;
    `with_base` carries the base's files too (the base is checked as well)."""
    root = Path(root).resolve()
    stores = [Path(s) for s in stores]
    # what is wrong with the base is said before the validator's findings
    found = overlay_base(root, stores)
    carry = found is not None and with_base
    if carry and overlay_base(found[1], stores) is not None:
        raise BundleError('the base "%(base)s" extends another pack itself; install its '
                          "bases on the kiosk and build without --with-base",
                          base=found[0].pack)
    pack_id, version = _pack_header(root, today, stores)
    if carry:
        _pack_header(found[1], today, stores)
    return write_bundle(root, out, pack_id, version, found, carry=carry)


def _entries(root: Path) -> dict[str, tuple[Path, FileEntry]]:
    return {p.relative_to(root).as_posix(): (p, FileEntry(p.stat().st_size, _sha256(p)))
            for p in _files_of(root)}


def write_bundle(root: Path | str, out: Path | str, pack_id: str, version: str,
                 base: tuple[Extends, Path] | None = None, carry: bool = False) -> Manifest:
    """The writing half of `build_bundle`, which validates first: the manifest (naming the
    base of an overlay, `base` = its extends and base folder), then every file; the
    base's files under base/ when `carry`."""
    root = Path(root).resolve()
    own = _entries(root)
    carried: dict[str, tuple[Path, FileEntry]] = {}
    ref = None
    if base is not None:
        ext, base_root = base
        base_entries = _entries(Path(base_root))
        base_id, base_version = _base_identity(Path(base_root))
        ref = BaseRef(base_id, base_version,
                      files_digest({n: e.sha256 for n, (_, e) in base_entries.items()}),
                      ext.version,
                      {n: e for n, (_, e) in base_entries.items()} if carry else None)
        if carry:
            carried = {BASE_PREFIX + n: pe for n, pe in base_entries.items()}
    manifest = Manifest(FORMAT_CARRIED if carried else FORMAT, pack_id, version,
                        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        {n: e for n, (_, e) in own.items()}, ref)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr(MANIFEST, msgspec.json.format(msgspec.json.encode(manifest)))
            for rel, (p, _) in (own | carried).items():
                # compressed media gain nothing from deflate; store them
                kind = zipfile.ZIP_DEFLATED if p.suffix in (".yaml", ".vtt", ".srt", ".json") else zipfile.ZIP_STORED
                z.write(p, rel, compress_type=kind)
        os.replace(tmp, out)
    except BaseException as exc:  # a full disk, a file gone meanwhile, an interrupt
        tmp.unlink(missing_ok=True)  # no half-written bundle is left beside the output
        if isinstance(exc, OSError):
            raise BundleError("the bundle could not be written to %(file)s: %(error)s",
                              file=str(out), error=exc.strerror or str(exc)) from None
        raise
    return manifest


def _base_identity(base_root: Path) -> tuple[str, str]:
    """A base folder's id and version as its pack.yaml states them (find_base matched them)."""
    base_id, base_version = pack_identity(base_root)
    if not base_id or not base_version:
        raise BundleError("%(folder)s has no pack id or version", folder=str(base_root))
    return base_id, base_version


def _check_name(name: str) -> BundleError | None:
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or (path.parts and ":" in path.parts[0]):
        return BundleError('"%(name)s" is an absolute path', name=name)
    if ".." in path.parts:
        return BundleError('"%(name)s" climbs out of the pack with ..', name=name)
    top = path.parts[0] if path.parts else ""
    if name != "pack.yaml" and top not in ("stories", "overrides", "media"):
        return BundleError('"%(name)s" is not part of a pack (pack.yaml, stories/, '
                           'overrides/, media/)', name=name)
    return None


def _check_identity(pack_id: str, version: str) -> None:
    """The id and version become folder names on the kiosk: refused here, before any folder."""
    if not ID_RE.fullmatch(pack_id):
        raise BundleError('"%(pack)s" is not a pack id (lower-case letters, digits, - and _)',
                          pack=pack_id)
    if not is_version(version):
        raise BundleError('"%(version)s" is not a version: numbers with dots, optionally '
                          "followed by -letters, digits and dots, like 1.0.1 or 2026.12-se.1",
                          version=version)


def _check_base(manifest: Manifest) -> dict[str, FileEntry]:
    """Check the manifest's `base`; the carried base's entries by their name in the zip."""
    base = manifest.base
    if base is None:
        if manifest.format != FORMAT:
            raise BundleError("bundle format %(format)s is not supported (expected %(expected)s)",
                              format=manifest.format, expected=FORMAT)
        return {}
    _check_identity(base.id, base.version)
    try:
        base.extends().comparisons()
    except ExtendsError as exc:
        raise BundleError("the manifest's base: %(why)s", why=exc.phrase) from None
    if base.files is None:
        if manifest.format != FORMAT:
            raise BundleError("bundle format %(format)s is not supported (expected %(expected)s)",
                              format=manifest.format, expected=FORMAT)
        return {}
    if manifest.format != FORMAT_CARRIED:
        raise BundleError("bundle format %(format)s is not supported (expected %(expected)s)",
                          format=manifest.format, expected=FORMAT_CARRIED)
    if "pack.yaml" not in base.files:
        raise BundleError("the carried base has no pack.yaml")
    for name in base.files:
        problem = _check_name(name)
        if problem:
            raise problem
    if files_digest({n: e.sha256 for n, e in base.files.items()}) != base.sha256:
        raise BundleError("the carried base's files do not match its sha256: the bundle is "
                          "damaged")
    return {BASE_PREFIX + n: e for n, e in base.files.items()}


def inspect_bundle(path: Path | str) -> Manifest:
    """Read and check a bundle's manifest against its entries (a carried base's too),
    unpacking nothing."""
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError("not a readable zip file: %(error)s", error=str(exc)) from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_FILES + 1:
            raise BundleError("the bundle holds %(n)s entries, more than %(max)s",
                              n=format(len(infos), ","), max=format(MAX_FILES, ","))
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise BundleError("the bundle names a file twice")
        if MANIFEST not in names:
            raise BundleError("the bundle has no %(manifest)s", manifest=MANIFEST)
        info = z.getinfo(MANIFEST)
        if info.file_size > MAX_MANIFEST_BYTES:
            raise BundleError("the manifest is too large")
        try:
            manifest = msgspec.json.decode(z.read(MANIFEST), type=Manifest)
        except (msgspec.DecodeError, msgspec.ValidationError, zipfile.BadZipFile) as exc:
            raise BundleError("the manifest cannot be read: %(error)s", error=str(exc)) from None
        if manifest.format not in (FORMAT, FORMAT_CARRIED):
            raise BundleError("bundle format %(format)s is not supported (expected %(expected)s)",
                              format=manifest.format, expected=FORMAT)
        _check_identity(manifest.pack_id, manifest.version)
        carried = _check_base(manifest)
        total = 0
        listed = set(manifest.files) | set(carried)
        for i in infos:
            if i.filename == MANIFEST:
                continue
            if i.is_dir():
                continue
            in_base = i.filename.startswith(BASE_PREFIX) and bool(carried)
            problem = _check_name(i.filename[len(BASE_PREFIX):] if in_base else i.filename)
            if problem:
                raise problem
            mode = (i.external_attr >> 16) & 0o170000
            if mode and not stat.S_ISREG(mode):
                raise BundleError('"%(name)s" is a link or special file, not a plain file',
                                  name=i.filename)
            entry = (carried if in_base else manifest.files).get(i.filename)
            if entry is None:
                raise BundleError('"%(name)s" is in the bundle but not in its manifest',
                                  name=i.filename)
            if i.file_size != entry.size:
                raise BundleError('"%(name)s" is %(size)s bytes; the manifest says %(declared)s',
                                  name=i.filename, size=format(i.file_size, ","),
                                  declared=format(entry.size, ","))
            total += i.file_size
            listed.discard(i.filename)
        for name in manifest.files:
            problem = _check_name(name)
            if problem:
                raise problem
        if listed:
            raise BundleError('the manifest lists "%(name)s", which the bundle lacks',
                              name=sorted(listed)[0])
        if "pack.yaml" not in manifest.files:
            raise BundleError("the bundle has no pack.yaml")
        if total > MAX_TOTAL_BYTES:
            raise BundleError("the bundle unpacks to %(size)s GB, more than %(max)s GB",
                              size=format(total / 1e9, ".1f"),
                              max=format(MAX_TOTAL_BYTES / 1e9, ".1f"))
        return manifest


def _unpack_files(z: zipfile.ZipFile, files: dict[str, FileEntry], prefix: str,
                  dest: Path) -> None:
    """Write the entries `prefix + name` as `dest/name`, verifying sizes and checksums."""
    for name, entry in files.items():
        try:  # inspect_bundle refused such names already; this is the last guard
            target = inside(dest, name)
        except OutsideFolder:
            raise BundleError('"%(name)s" climbs out of the pack with ..', name=name) from None
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        written = 0
        with z.open(prefix + name) as src, target.open("xb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > entry.size:
                    raise BundleError('"%(name)s" unpacks to more than its declared size',
                                      name=prefix + name)
                h.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != entry.sha256:
            raise BundleError('"%(name)s" does not match its checksum: the bundle is damaged',
                              name=prefix + name)


def unpack_bundle(path: Path | str, dest: Path | str,
                  base_dest: Path | str | None = None) -> Manifest:
    """Check a bundle, then unpack it into a new folder, verifying every checksum; a carried
    base goes into `base_dest` (left in the zip when None).

    The folders must not exist. On any error the partly written folders are removed and
    BundleError is raised: a refused bundle leaves nothing behind.
    """
    manifest = inspect_bundle(path)
    carried = manifest.base.files if manifest.base and manifest.base.files else None
    if base_dest is None:
        carried = None
    made = [Path(dest)]
    Path(dest).mkdir(parents=True, exist_ok=False)  # outside the try: never remove a folder
    if carried is not None:                          # that was there before
        try:
            Path(base_dest).mkdir(parents=True, exist_ok=False)
        except BaseException:
            _remove(made)
            raise
        made.append(Path(base_dest))
    done = False
    try:
        with zipfile.ZipFile(path) as z:
            _unpack_files(z, manifest.files, "", Path(dest))
            if carried is not None:
                _unpack_files(z, carried, BASE_PREFIX, Path(base_dest))
        done = True
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError,
            RuntimeError) as exc:
        # zlib.error: a deflated entry damaged so that it stops inflating before zip's CRC;
        # zipfile raises NotImplementedError for a compression method it lacks and
        # RuntimeError for an encrypted entry (a bundle from another zip tool)
        raise BundleError("the bundle cannot be unpacked: %(error)s", error=str(exc)) from None
    finally:  # a refusal, or anything else (an interrupt): nothing is left behind
        if not done:
            _remove(made)
    return manifest


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
