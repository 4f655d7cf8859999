"""Pack bundles: a pack folder as one zip with a manifest of every file's checksum.

    build_bundle(pack_folder, "demo-1.0.0.zip")          # the manifest is written first
    manifest = inspect_bundle("demo-1.0.0.zip")          # checks before anything is unpacked
    unpack_bundle("demo-1.0.0.zip", new_folder)          # verified while it is written

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
from pathlib import Path, PurePosixPath

import msgspec

from kiosk.content.loader import pack_files
from kiosk.content.safepath import OutsideFolder, inside
from kiosk.content.schema import ID_RE
from kiosk.content.versions import is_version

MANIFEST = "manifest.json"
FORMAT = 1
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


class FileEntry(msgspec.Struct):
    """One file of the bundle: its size and SHA-256."""

    size: int
    sha256: str


class Manifest(msgspec.Struct):
    """What a bundle holds: the pack, its version, every file with its checksum."""

    format: int
    pack_id: str
    version: str
    created: str
    files: dict[str, FileEntry]

    @property
    def total_size(self) -> int:
        """The unpacked size of all files."""
        return sum(f.size for f in self.files.values())


def _pack_header(root: Path, today: dt.date | None) -> tuple[str, str]:
    from kiosk.content.loader import load_pack

    loaded = load_pack(root, today)
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


def build_bundle(root: Path | str, out: Path | str, today: dt.date | None = None) -> Manifest:
    """Write a valid pack folder as a bundle; refuses a pack with errors (as of `today`)."""
    root = Path(root).resolve()
    pack_id, version = _pack_header(root, today)
    files = _files_of(root)
    manifest = Manifest(FORMAT, pack_id, version, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), {
        p.relative_to(root).as_posix(): FileEntry(p.stat().st_size, _sha256(p)) for p in files})
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr(MANIFEST, msgspec.json.format(msgspec.json.encode(manifest)))
        for p in files:
            rel = p.relative_to(root).as_posix()
            # compressed media gain nothing from deflate; store them
            kind = zipfile.ZIP_DEFLATED if p.suffix in (".yaml", ".vtt", ".srt", ".json") else zipfile.ZIP_STORED
            z.write(p, rel, compress_type=kind)
    os.replace(tmp, out)
    return manifest


def _check_name(name: str) -> BundleError | None:
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or (path.parts and ":" in path.parts[0]):
        return BundleError('"%(name)s" is an absolute path', name=name)
    if ".." in path.parts:
        return BundleError('"%(name)s" climbs out of the pack with ..', name=name)
    top = path.parts[0] if path.parts else ""
    if name != "pack.yaml" and top not in ("stories", "media"):
        return BundleError('"%(name)s" is not part of a pack (pack.yaml, stories/, media/)',
                           name=name)
    return None


def inspect_bundle(path: Path | str) -> Manifest:
    """Read and check a bundle's manifest against its entries, unpacking nothing."""
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
        if manifest.format != FORMAT:
            raise BundleError("bundle format %(format)s is not supported (expected %(expected)s)",
                              format=manifest.format, expected=FORMAT)
        # the id and version become folder names on the kiosk: refused here, before any folder
        if not ID_RE.fullmatch(manifest.pack_id):
            raise BundleError('"%(pack)s" is not a pack id (lower-case letters, digits, - and _)',
                              pack=manifest.pack_id)
        if not is_version(manifest.version):
            raise BundleError('"%(version)s" is not a version: numbers with dots, optionally '
                              "followed by -letters, digits and dots, like 1.0.1 or 2026.12-se.1",
                              version=manifest.version)
        total = 0
        listed = set(manifest.files)
        for i in infos:
            if i.filename == MANIFEST:
                continue
            if i.is_dir():
                continue
            problem = _check_name(i.filename)
            if problem:
                raise problem
            mode = (i.external_attr >> 16) & 0o170000
            if mode and not stat.S_ISREG(mode):
                raise BundleError('"%(name)s" is a link or special file, not a plain file',
                                  name=i.filename)
            entry = manifest.files.get(i.filename)
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


def unpack_bundle(path: Path | str, dest: Path | str) -> Manifest:
    """Check a bundle, then unpack it into a new folder, verifying every checksum.

    `dest` must not exist. On any error the partly written folder is removed and
    BundleError is raised: a refused bundle leaves nothing behind.
    """
    manifest = inspect_bundle(path)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=False)
    try:
        with zipfile.ZipFile(path) as z:
            for name, entry in manifest.files.items():
                try:  # inspect_bundle refused such names already; this is the last guard
                    target = inside(dest, name)
                except OutsideFolder:
                    raise BundleError('"%(name)s" climbs out of the pack with ..',
                                      name=name) from None
                target.parent.mkdir(parents=True, exist_ok=True)
                h = hashlib.sha256()
                written = 0
                with z.open(name) as src, target.open("xb") as out:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > entry.size:
                            raise BundleError('"%(name)s" unpacks to more than its declared size',
                                              name=name)
                        h.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if h.hexdigest() != entry.sha256:
                    raise BundleError('"%(name)s" does not match its checksum: the bundle is damaged',
                                      name=name)
    except BundleError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise BundleError("the bundle cannot be unpacked: %(error)s", error=str(exc)) from None
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return manifest
