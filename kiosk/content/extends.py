"""An overlay's base: `extends:` in pack.yaml, its version range, and where the base is found.

A country overlay declares the pack it builds on (docs/content-format.md)::

    extends:
      pack: demo
      version: ">=1.0, <2"      # or an exact version: "1.0.0"

This module is the one reader of that declaration and the one place that finds a base
folder; the loader (merging), bundles (naming and carrying the base), the pack store
(installing and rolling back) and the admin all ask it. It reads pack.yaml's header itself
(cheaply, without validating the pack) so that it can run before a pack is loaded.

The version range is a comma-separated list of comparisons (`>=`, `>`, `<=`, `<`, `==`, `!=`)
against versions of the form of `kiosk.content.versions`, all of which must hold; a bare
version means `==`. Versions compare in that module's semver order (PEP 440 specifiers do not
fit: pack versions such as `2026.12-se.1` are not PEP 440 versions).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import msgspec
import yaml

from kiosk.content.phrase import Phrase
from kiosk.content.versions import is_version, version_key
from kiosk.content.yamlsafe import YamlProblem, compose, read_text

# How many bases deep a chain of overlays may go (overlay -> base -> base's base ...).
MAX_DEPTH = 3

_OPS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
        ">": operator.gt, "<": operator.lt}
_COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(\S+)\s*$")


class ExtendsError(Exception):
    """An `extends:` that cannot be read; `phrase` says what is wrong, in the staff's words."""

    def __init__(self, phrase: Phrase, line: int = 0):
        super().__init__(str(phrase))
        self.phrase = phrase
        self.line = line


class Extends(msgspec.Struct, frozen=True):
    """The base an overlay builds on: its pack id and the versions it accepts."""

    pack: str
    version: str
    line: int = 0  # pack.yaml's line of `extends:` (1-based; 0 when not from a file)

    def comparisons(self) -> list[tuple[str, str]]:
        """The range as (operator, version) pairs; ExtendsError when it is not a range."""
        return parse_range(self.version)

    def matches(self, version: str) -> bool:
        """True when a base version lies in this overlay's range (False for a non-version)."""
        if not is_version(version):
            return False
        key = version_key(version)
        return all(_OPS[op](key, version_key(v)) for op, v in self.comparisons())


def parse_range(text: str) -> list[tuple[str, str]]:
    """`">=1.0, <2"` -> [(">=", "1.0"), ("<", "2")]; a bare version is `==` it."""
    out = []
    for part in str(text).split(","):
        match = _COMPARISON.match(part)
        if not part.strip() or match is None or not is_version(match.group(2)):
            raise ExtendsError(Phrase(
                '"%(range)s" is not a version range: write a version ("1.0.0") or comparisons '
                'separated by commas (">=1.0, <2")', range=str(text)))
        out.append((match.group(1) or "==", match.group(2)))
    return out


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def header(root: Path | str) -> dict[str, tuple[int, yaml.Node]]:
    """pack.yaml's top-level keys: (line of the key, value node); {} when it cannot be read."""
    try:
        node = compose(read_text(Path(root) / "pack.yaml"))
    except (OSError, YamlProblem):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k.start_mark.line + 1, v) for k, v in node.value
            if isinstance(k, yaml.ScalarNode)}


def pack_identity(root: Path | str) -> tuple[str | None, str | None]:
    """(id, version) as written in a folder's pack.yaml, unvalidated; None for what is missing."""
    keys = header(root)
    return (_scalar(keys.get("id", (0, None))[1]),
            _scalar(keys.get("version", (0, None))[1]))


def read_extends(root: Path | str) -> Extends | None:
    """The `extends:` of the pack in a folder: None for a pack that extends nothing.

    ExtendsError (with pack.yaml's line) when it is there but not a mapping with a pack id and
    a version range."""
    line, node = header(root).get("extends", (0, None))
    if node is None:
        return None
    fields = _mapping(node)
    pack, version = _scalar(fields.get("pack")), _scalar(fields.get("version"))
    if not fields or not pack or not version:
        raise ExtendsError(Phrase('"extends" needs the base pack\'s id and its versions, e.g. '
                                  'extends: {pack: demo, version: ">=1.0, <2"}'), line)
    ext = Extends(pack, version, line)
    try:
        ext.comparisons()
    except ExtendsError as exc:
        raise ExtendsError(exc.phrase, line) from None
    return ext


def _store_versions(packs_root: Path, pack_id: str) -> Iterator[Path]:
    """A pack store's folders of one pack: the active version first, then newest first."""
    pack_dir = packs_root / pack_id
    versions = pack_dir / "versions"
    if not versions.is_dir():
        return
    active = pack_dir / "active"
    if active.is_symlink() and active.exists():
        yield active.resolve()
    folders = [f for f in versions.iterdir() if (f / "pack.yaml").is_file()]
    keyed = []
    for folder in folders:
        version = folder.name.rsplit("-", 1)[0]
        if is_version(version):
            keyed.append((version_key(version), folder))
    for _, folder in sorted(keyed, key=lambda kv: kv[0], reverse=True):
        yield folder


def _store_of(folder: Path) -> Path | None:
    """The pack store a version folder is installed in (`<packs>/<id>/versions/<v>`), if any."""
    if folder.parent.name == "versions" and folder.parent.parent.parent.is_dir():
        return folder.parent.parent.parent
    return None


def candidate_folders(ext: Extends, overlay_root: Path | str,
                      stores: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Every folder that may hold the base, best first, unfiltered by id or version.

    Order: the pack store the overlay is installed in (the base's active version first), the
    other given pack stores, then the folders beside the overlay's folder."""
    overlay_root = Path(overlay_root).resolve()
    roots = []
    own = _store_of(overlay_root)
    if own is not None:
        roots.append(own)
    roots += [Path(s) for s in stores]
    seen: set[Path] = set()
    for store in roots:
        for folder in _store_versions(store, ext.pack):
            if folder not in seen:
                seen.add(folder)
                yield folder
    parent = overlay_root.parent
    if parent.is_dir():
        for folder in sorted(parent.iterdir()):
            if folder.is_dir() and folder.resolve() != overlay_root and folder not in seen:
                yield folder


def find_base(ext: Extends, overlay_root: Path | str,
              stores: Iterable[Path | str] = ()) -> Path | None:
    """The folder of the base an overlay extends: the first candidate whose pack.yaml has the
    base's id and a version in the range; None when no such folder is found."""
    for folder in candidate_folders(ext, overlay_root, stores):
        pack_id, version = pack_identity(folder)
        if pack_id == ext.pack and version is not None and ext.matches(version):
            return folder.resolve()
    return None


def versions_found(ext: Extends, overlay_root: Path | str,
                   stores: Iterable[Path | str] = ()) -> list[str]:
    """The versions of the base's id that were found, in or out of range (for a sentence such
    as 'demo 2.0.0 is installed, the overlay needs >=1.0, <2')."""
    out = []
    for folder in candidate_folders(ext, overlay_root, stores):
        pack_id, version = pack_identity(folder)
        if pack_id == ext.pack and version and version not in out:
            out.append(version)
    return out
