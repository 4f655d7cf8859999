"""The compiled cache: a validated pack serialised with msgspec, keyed by the content's hash.

The kiosk starts from it. A cheap fingerprint (every pack file's path, size, inode,
modification and change time) finds the entry without reading the YAML; when the fingerprint changed, the content hash
decides whether the entry still holds (a touched but unchanged file) or the pack is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

import msgspec

from kiosk.content import build, loader
from kiosk.content import model as M
from kiosk.content.extends import MAX_DEPTH

# Raised by hand whenever the rules change (what the validator finds, how coverage counts), so
# an entry an older kiosk wrote is rebuilt, not served with its old findings (2: tags on
# mappings and lists are refused; 3: a video without an audio track in a story language is
# warned about; 4: languages CLDR does not know, or no installed font draws, are refused;
# text is read as NFC; 5: versions of a defined form, YAML 1.1 numbers, named consent fields,
# media path checks; 6: attract pictures carry a focal point; 7: a choice's discussion counts
# for coverage; 8: every finding keeps its msgid, with nested phrases; 9: a language named
# in a finding keeps its code for the admin to name it; 10: country overlays merged onto their
# base, a text a declared fallback language has is no missing translation; 11: a fallback to
# itself suggests no other spelling of itself; 12: a title, label or other required text
# given as an empty mapping is an error). A change to the
# model or to the keys a pack may use needs no bump: FORMAT
# follows them by itself.
RULES = 12


def schema_format(rules: int = RULES) -> str:
    """The cache's format version: the rule version and a hash of the stored model's schema
    (every struct, field, type and default of a LoadedPack) and of the keys each part of a
    pack may have, so a model or schema change can never meet a stale cache entry."""
    model = msgspec.json.schema(M.LoadedPack)
    for definition in model.get("$defs", {}).values():  # docstrings are not the format
        definition.pop("title", None)
        definition.pop("description", None)
    keys = {name: [(key, required) for key, (_, required) in spec.items()]
            for name, spec in sorted(vars(build).items()) if name.endswith("_SPEC")}
    digest = hashlib.sha256(msgspec.json.encode([model, keys], order="sorted")).hexdigest()
    return f"{rules}-{digest[:16]}"


FORMAT = schema_format()
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(M.LoadedPack)


def decode(data: bytes) -> M.LoadedPack:
    """Decode a cache entry with the cyclic garbage collector paused.

    Decoding makes tens of thousands of small containers at once (a 1,000-scene pack: about
    28,000), which would set off several collections of objects that cannot form cycles;
    pausing it for the decode takes about a quarter off the kiosk's start from the cache.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _decoder.decode(data)
    finally:
        if paused:
            gc.enable()


class _Index(msgspec.Struct):
    fingerprint: str
    content_hash: str
    built_on: dt.date
    format: str = FORMAT


def fingerprint(root: Path, stores: Iterable[Path | str] = ()) -> str:
    """The kiosk's: paths, sizes, inodes, modification and change times of pack.yaml, of every
    file under stories/ and overrides/ and of media/'s folders, in the pack and in an
    overlay's bases (no content read).

    A media file added, removed or replaced (renamed or linked in, as a bundle's install and
    the admin's upload do) changes it through its folder; one rewritten in place does not: the
    cache built before is used until something else changes or the day does (an installed
    version never changes; a film played is read from the file itself). Media files
    outnumber the YAML files by far: stat'ing each took 69 ms of a 77 ms start on a
    1,000-scene pack with 11,000 of them."""
    return stat_fingerprint(root, stores, media_files=False)[0]


def stat_fingerprint(root: Path, stores: Iterable[Path | str] = (), media_files: bool = True,
                     _depth: int = 0) -> tuple[str, int]:
    """(a hash of the path, size, inode, modification and change time of pack.yaml and of
    everything under stories/, overrides/ and media/, and of an overlay's base the same way;
    the newest of those times, in ns). No content read but an overlay's pack.yaml header.

    A write, a rename over a file or a new file changes the hash, unless it happens within
    the file system clock's tick of the hash being taken: a caller that finds the newest time
    that close to when it took the hash treats the hash as unproven (see Workspace.load).

    With `media_files` false, of media/ only its folders are in the hash, not their files:
    a file added, removed or replaced there (written aside, then renamed or linked in, as
    the admin does) still changes it, through its folder's times; a file rewritten in place
    does not. A twentieth of the time on the demo pack (its 453 media files).
    """
    base = os.fspath(root)
    entries, newest = [], 0
    below = loader.base_folder(Path(root), stores) if _depth <= MAX_DEPTH else None
    if below is not None:  # a change in the base changes the overlay's fingerprint
        below_hash, newest = stat_fingerprint(below, stores, media_files, _depth + 1)
        entries.append(f"base\0{below}\0{below_hash}")
    for name in ("pack.yaml", "stories", "overrides", "media"):
        top = os.path.join(base, name)
        try:
            st = os.lstat(top)
        except OSError:
            continue
        found = [(top, st)]
        if stat.S_ISDIR(st.st_mode):
            walk = loader.tree_stats if media_files or name != "media" else loader.folder_stats
            found += [(os.path.join(top, rel), sub) for rel, sub in walk(top)]
        for path, st in found:
            entries.append(f"{path}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0"
                           f"{st.st_ctime_ns}")
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    entries.sort()
    return hashlib.sha256("\n".join(entries).encode()).hexdigest(), newest


def _entry_dir(cache_dir: Path, root: Path) -> Path:
    return cache_dir / "packs" / hashlib.sha256(str(root).encode()).hexdigest()[:16]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_cached(root: Path | str, cache_dir: Path | str | None = None,
                today: dt.date | None = None, known_fingerprint: str | None = None,
                stores: Iterable[Path | str] = ()) -> M.LoadedPack:
    """The pack from the compiled cache, rebuilt (and stored) when its content changed; an
    overlay's entry is keyed by its own files and its base's, so a change in either rebuilds
    it (`stores`: the pack stores its base may be installed in, as for `load_pack`).

    `known_fingerprint`: the pack's `fingerprint`, when the caller has just taken it (the
    kiosk does, to notice changes): taking it means a stat of every file in the pack."""
    root = Path(root).resolve()
    today = today or dt.date.today()
    if cache_dir is None:
        from kiosk.paths import cache_dir as default_cache_dir

        cache_dir = default_cache_dir()
    entry = _entry_dir(Path(cache_dir), root)
    index_path = entry / "index.json"
    stores = list(stores)
    fp = known_fingerprint or fingerprint(root, stores)
    index = None
    try:
        index = msgspec.json.decode(index_path.read_bytes(), type=_Index)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        index = None
    # findings depend on the date (review dates, helpline age): a cache is good for one day
    usable = index is not None and index.format == FORMAT and index.built_on == today
    if usable and index.fingerprint != fp:
        digest = loader.content_hash(root, stores=stores)
        usable = digest == index.content_hash
        if usable:
            _write_atomic(index_path, msgspec.json.encode(
                _Index(fp, digest, today)))
    if usable:
        try:
            return decode((entry / f"{index.content_hash}.json").read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            pass
    loaded = loader.load_pack(root, today, stores=stores)
    try:
        for old in entry.glob("*.json"):
            if old.name != "index.json":
                old.unlink(missing_ok=True)
        _write_atomic(entry / f"{loaded.content_hash}.json", _encoder.encode(loaded))
        _write_atomic(index_path, msgspec.json.encode(_Index(fp, loaded.content_hash, today)))
    except OSError:
        pass  # a read-only cache folder costs speed, never the pack
    return loaded
