"""Making a new pack: empty (id, title, country, languages), a copy of another working copy,
or a country overlay of a base (`extends:`, see docs/content-format.md).

The new folder is assembled under a hidden staging name beside its final place, its
pack.yaml checked by the kiosk's own loader (the findings of pack.yaml only: a new empty
pack has no story yet, which the stories page then says), and renamed into place in one
step, never over an existing folder. A refusal leaves nothing behind. An overlay's base must
be found where the kiosk's loader looks (beside the new folder, among the working copies made
here, or installed on this machine) before it is checked.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from admin.content import yamledit
from admin.content.storyfile import fsync_dir
from admin.content.yamledit import EditError
from kiosk.content.bundle import found_text, load_with_base
from kiosk.content.extends import ExtendsError, find_base, read_extends, versions_found
from kiosk.content.findings import ERROR, Finding
from kiosk.content.schema import ID_RE
from kiosk.content.versions import is_version, version_key


class NotMade(Exception):
    """The pack was not made: the findings (or an EditError's sentence) say why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def empty_pack_text(pack_id: str, title: dict[str, str], country: str, languages: list[str],
                    default_language: str) -> str:
    """The pack.yaml of a new pack without stories, helplines, notes or surveys yet."""
    doc = yamledit.load("{}\n")
    doc["id"] = pack_id
    doc["version"] = "0.1.0"
    doc["title"] = {lang: text for lang, text in title.items() if text}
    doc["languages"] = yamledit.flow_list(languages)
    doc["default_language"] = default_language
    doc["country"] = country
    doc["helplines"] = []
    doc.fa.set_block_style()
    return yamledit.dump(doc)


def default_range(base_version: str) -> str:
    """The versions an overlay accepts by default: from the base's major.minor up to its next
    major (`1.4.2` -> `>=1.4, <2`): a new minor keeps the base's items, a major may not."""
    if not is_version(base_version):
        return ""
    numbers = version_key(base_version)[0]
    return f">={numbers[0]}.{numbers[1]}, <{numbers[0] + 1}"


def overlay_pack_text(pack_id: str, title: dict[str, str], country: str, languages: list[str],
                      default_language: str, base: str, versions: str) -> str:
    """The pack.yaml of a new country overlay: its own settings and the base it extends
    (helplines, stories and the rest come from the base until the overlay changes them)."""
    doc = yamledit.load("{}\n")
    doc["id"] = pack_id
    doc["version"] = "0.1.0"
    doc["extends"] = {"pack": base, "version": versions}
    doc["title"] = {lang: text for lang, text in title.items() if text}
    doc["languages"] = yamledit.flow_list(languages)
    doc["default_language"] = default_language
    doc["country"] = country
    doc.fa.set_block_style()
    return yamledit.dump(doc)


def copy_pack_text(source_text: str, pack_id: str) -> str:
    """A copy's pack.yaml: the source's, with the new id (comments and all else kept)."""
    def change(doc):
        doc["id"] = pack_id
    return yamledit.edit_document(source_text, change)


def make_pack(new_dir: Path, pack_id: str, text: str, taken: set[str],
              source: Path | None = None, stores: list[Path] = ()) -> Path:
    """Make `<new_dir>/<pack_id>` with this pack.yaml (and a copy of source's stories and
    media); NotMade with the reasons, leaving nothing behind. An overlay's base is looked
    for beside it and in the pack stores `stores`; EditError, before any check, when absent."""
    if not ID_RE.match(pack_id or ""):
        raise EditError('"%(id)s" is not a pack id: lower-case letters, digits, - and _, '
                        "starting with a letter", id=pack_id)
    final = new_dir / pack_id
    if pack_id in taken or final.exists():
        raise EditError('there is already a pack "%(id)s"', id=pack_id)
    new_dir.mkdir(parents=True, exist_ok=True)
    staging = new_dir / f".new-{secrets.token_hex(6)}"
    try:
        if source is not None:
            shutil.copytree(source, staging, symlinks=True,
                            ignore=shutil.ignore_patterns(".*", "__pycache__"))
        else:
            (staging / "stories").mkdir(parents=True)
            (staging / "media").mkdir()
        (staging / "pack.yaml").write_text(text, "utf-8")
        _require_base(staging, stores)
        loaded = load_with_base(staging, stores=stores)
        errors = [f for f in loaded.findings if f.severity == ERROR and f.file == "pack.yaml"]
        if loaded.pack is None or errors:
            raise NotMade(errors or [f for f in loaded.findings if f.severity == ERROR])
        os.rename(staging, final)  # one step: the folder appears whole or not at all
        fsync_dir(new_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return final


def _require_base(folder: Path, stores: list[Path]) -> None:
    """EditError when the folder's pack extends a base that is not found beside it or in
    `stores` (a malformed extends: is left to the loader's findings)."""
    try:
        ext = read_extends(folder)
    except ExtendsError:
        return
    if ext is not None and find_base(ext, folder, stores) is None:
        raise EditError('the base "%(base)s" in versions "%(range)s" is neither a pack made '
                        "here nor installed on this machine (found: %(found)s); install a "
                        "version in that range first", base=ext.pack, range=ext.version,
                        found=found_text(versions_found(ext, folder, stores)))
