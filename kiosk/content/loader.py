"""Loading a pack folder: every YAML file through the safe reader, the schema and the validator.

`load_pack(folder)` always returns a LoadedPack; it never raises for anything in the pack.
Problems come back as findings with a place; the model is None only when pack.yaml itself
cannot be built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import stat
from collections.abc import Container, Iterable
from pathlib import Path

import msgspec

from kiosk.content import build, validate
from kiosk.content import model as M
from kiosk.content import overlay as O
from kiosk.content import yamlsafe as Y
from kiosk.content.extends import (
    MAX_DEPTH,
    Extends,
    ExtendsError,
    find_base,
    read_extends,
    versions_found,
)
from kiosk.content.findings import ERROR, Finding, finding, sort_key
from kiosk.content.phrase import Phrase
from kiosk.content.schema import Ctx, TooManyValues, clean

MAX_STORIES = 500
log = logging.getLogger(__name__)


def _yaml_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def story_files(root: Path) -> list[Path]:
    """The pack's own story files, stories/*.yaml, in name order."""
    return _yaml_in(root / "stories")


def override_files(root: Path) -> list[Path]:
    """An overlay's overrides of base stories, overrides/*.yaml, in name order."""
    return _yaml_in(root / "overrides")


def pack_files(root: Path) -> list[Path]:
    """The pack's YAML files: pack.yaml, stories/*.yaml, then an overlay's overrides/*.yaml,
    each in name order."""
    return [root / "pack.yaml", *story_files(root), *override_files(root)]


def content_hash(root: Path, files: list[Path] | None = None,
                 stores: Iterable[Path | str] = (), _depth: int = 0) -> str:
    """A hash of the pack's YAML bytes and its media files' names, sizes and times; for an
    overlay, of its base's content hash too (the base found as `load_pack` finds it)."""
    h = hashlib.sha256(b"storykiosk-pack-v1\0")
    base = base_folder(root, stores) if _depth <= MAX_DEPTH else None
    if base is not None:
        h.update(b"base\0" + content_hash(base, None, stores, _depth + 1).encode() + b"\0")
    for path in files if files is not None else pack_files(root):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\0unreadable")
        h.update(b"\0")
    for rel, st in sorted(tree_stats(root / "media"), key=lambda entry: entry[0].split("/")):
        h.update(f"media/{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


_EXTENDS = re.compile(rb"(?m)^extends[ \t]*:")


def base_folder(root: Path, stores: Iterable[Path | str] = ()) -> Path | None:
    """The folder of the base the pack in `root` extends, None for a plain pack or a base
    that cannot be found (the loader says why). Looks for `extends:` in the bytes first, so
    that a plain pack's pack.yaml is not parsed."""
    try:
        with open(root / "pack.yaml", "rb") as f:
            if not _EXTENDS.search(f.read(1 << 20)):
                return None
        ext = read_extends(root)
    except (OSError, ExtendsError):
        return None
    return find_base(ext, root, stores) if ext is not None else None


def tree_stats(folder: Path | str) -> list[tuple[str, os.stat_result]]:
    """(path relative to `folder`, lstat) of everything under it, folders too, links not
    followed, in no order: one os.scandir per folder (Path.rglob took ten times as long).
    The one walk of a pack's files: the content hash, the cache's fingerprint, the admin's
    media listing."""
    base = os.fspath(folder)
    out, todo = [], [""]
    while todo:
        rel = todo.pop()
        try:
            with os.scandir(os.path.join(base, rel) if rel else base) as entries:
                for entry in entries:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    out.append((rel + entry.name, st))
                    if stat.S_ISDIR(st.st_mode):
                        todo.append(f"{rel}{entry.name}/")
        except OSError:
            continue
    return out


def folder_stats(folder: Path | str) -> list[tuple[str, os.stat_result]]:
    """(path relative to `folder`, lstat) of every folder under it, links not followed, in
    no order; no file is stat'ed.

    A folder's link count is 2 plus its subfolders on most file systems (ext4, XFS, tmpfs),
    so a folder at 2 has none and is not listed (a media folder of thousands of files costs
    one stat). That is trusted only once `folder`'s own count proved it (btrfs counts 1)."""
    base = os.fspath(folder)
    out: list[tuple[str, os.stat_result]] = []
    counts: bool | None = None  # this file system's folder link counts count subfolders
    try:
        todo = [("", os.lstat(base).st_nlink)]
    except OSError:
        return out
    while todo:
        rel, links = todo.pop()
        if counts and links == 2:
            continue
        subfolders = 0
        try:
            with os.scandir(os.path.join(base, rel) if rel else base) as entries:
                for entry in entries:
                    try:
                        if not entry.is_dir(follow_symlinks=False):
                            continue
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    out.append((rel + entry.name, st))
                    todo.append((f"{rel}{entry.name}/", st.st_nlink))
                    subfolders += 1
        except OSError:
            continue
        if counts is None:
            counts = links == 2 + subfolders
    return out


def _read(path: Path, rel: str, ctx: Ctx, builder, text: str | None = None):
    """Read (or take `text`), compose and build one file; problems become findings in ctx."""
    try:
        node = Y.compose(Y.read_text(path) if text is None else text)
    except Y.YamlProblem as exc:
        ctx.findings.append(finding(ERROR, "unreadable", exc.message, rel, exc.line, exc.col))
        return None
    if node is None:
        ctx.findings.append(finding(ERROR, "empty", Phrase("the file is empty"), rel))
        return None
    try:
        return builder(node, ctx)
    except TooManyValues:
        ctx.findings.clear()  # partial findings of an exploding file only bury the real one
        ctx.findings.append(finding(
            ERROR, "too-many-values",
            Phrase("the file expands to more than %(limit)s values (aliases repeated too "
                   "often?)", limit=f"{Y.MAX_VALUES:,}"), rel))
    except RecursionError:
        ctx.findings.append(finding(ERROR, "too-deep", Phrase("the file is nested too deeply"),
                                    rel))
    except Exception as exc:
        ctx.findings.append(unexpected(rel, exc))
    return None


def unexpected(rel: str, exc: Exception) -> Finding:
    """A failure nothing foresaw while reading or checking one file, as a finding at that file.

    One file's surprise must not lose the findings of every other file (nor raise out of
    load_pack); the traceback goes to the log for the developers.
    """
    log.error("checking %s failed", rel, exc_info=exc)
    return finding(ERROR, "internal",
                   Phrase("this file could not be checked: %(problem)s",
                          problem=f"{type(exc).__name__}: {str(exc)[:200]}"),
                   rel, hint=Phrase("a value in it is of a kind the checks do not expect; "
                                    "please report this with the file"))


class LoadedStory(msgspec.Struct):
    """One story file as loaded: the story (None when it cannot be built or was left out),
    its findings and its coverage per language."""

    story: M.Story | None
    findings: list[Finding]
    coverage: dict[str, float]


def build_story(languages: list[str], root: Path, rel: str, shown: str,
                text: str | None = None) -> tuple[O.Draft | None, list[Finding]]:
    """Read and build one story file (unchecked) for a pack in `languages`; `shown` is its
    name in findings and in `Story.file`."""
    ctx = Ctx(shown, languages)
    values = _read(root / rel, shown, ctx, build.build_story, text)
    if values is None:
        return None, ctx.findings
    data = clean(values)
    needed = [n for n, (_, req) in build.STORY_SPEC.items() if req]
    if any(n not in data for n in needed):
        return None, ctx.findings
    data.setdefault("languages", list(languages))
    return O.Draft(M.Story(**data, file=shown, loc=(1, 1)), ctx.where), ctx.findings


def check_draft(pack: M.Pack, draft: O.Draft, today: dt.date,
                fallbacks: dict[str, list[str]] | None = None) -> LoadedStory:
    """Validate one built story against the (merged) pack."""
    story = draft.story
    rep = validate.Report(story.file, draft.where, draft.placed)
    coverage: dict[str, float] = {}
    try:
        validate.check_story(pack, story, rep, Path(pack.root), today, coverage, fallbacks)
    except Exception as exc:  # the story is left out: it was not checked
        return LoadedStory(None, [*rep.findings, unexpected(story.file, exc)], {})
    return LoadedStory(story, rep.findings, coverage)


def _duplicate(story_id: str, file: str, other: str) -> Finding:
    return finding(ERROR, "duplicate-story",
                   Phrase('two stories have the id "%(id)s"', id=story_id), file, 1, 1, "id",
                   Phrase("the other is %(file)s", file=other) if other else "")


def load_story(pack: M.Pack, root: Path, rel: str, today: dt.date, text: str | None = None,
               taken: Container[str] = ()) -> LoadedStory:
    """Load and validate one story file (or `text` standing in for it) against the pack's
    header; `taken` holds the ids of the other stories (one of them again is an error).

    The one story loader: load_pack runs it for each file, the admin before writing one.
    """
    draft, findings = build_story(pack.languages, root, rel, rel, text)
    if draft is None:
        return LoadedStory(None, findings, {})
    if draft.story.id in taken:
        return LoadedStory(None, [*findings, _duplicate(draft.story.id, rel, "")], {})
    got = check_draft(pack, draft, today)
    return LoadedStory(got.story, findings + got.findings, got.coverage)


def load_pack(root: Path | str, today: dt.date | None = None,
              texts: dict[str, str] | None = None,
              stores: Iterable[Path | str] = ()) -> M.LoadedPack:
    """Load and validate the pack in a folder (no cache; see kiosk.content.cache); an
    overlay comes merged onto its base (kiosk.content.overlay), which is looked for in the
    pack stores `stores` and beside the folder (kiosk.content.extends.find_base).

    `texts` (file -> text, e.g. {"pack.yaml": ...}) stands in for those files on disk: the
    admin checks an edit with the whole pack before writing it, a new overrides/ file too.
    The hash is the disk's.
    """
    texts = texts or {}
    root = Path(root).resolve()
    today = today or dt.date.today()
    stores = list(stores)
    digest = content_hash(root, stores=stores)
    if not (root / "pack.yaml").is_file():
        what = (Phrase("%(folder)s is not a folder", folder=str(root)) if not root.is_dir()
                else Phrase("%(folder)s has no pack.yaml", folder=str(root)))
        return M.LoadedPack(None, [finding(ERROR, "no-pack", what)], digest)
    layer, findings = read_layer(root, root, texts, (), stores)
    if layer is None:
        return M.LoadedPack(None, sorted(findings, key=sort_key), digest)
    header = {k: v for k, v in layer.header.items() if k not in ("extends", "hide")}
    pack = M.Pack(**header, root=str(root), bases=layer.bases)
    rep = validate.Report("pack.yaml", {}, layer.placed)
    try:
        validate.check_pack(pack, rep, root, today)
    except Exception as exc:
        rep.findings.append(unexpected("pack.yaml", exc))
    findings += rep.findings
    stories: dict[str, M.Story] = {}
    coverage: dict[str, dict[str, float]] = {}
    fallbacks: dict[str, dict[str, list[str]]] = {}
    for draft in layer.stories.values():
        falls: dict[str, list[str]] = {}
        got = check_draft(pack, draft, today, falls)
        findings += got.findings
        if got.story is not None:
            coverage[got.story.id] = got.coverage
            stories[got.story.id] = got.story
            if falls:
                fallbacks[got.story.id] = falls
    if not stories:
        findings.append(finding(ERROR, "no-stories",
                                Phrase("the pack has no story that could be read"),
                                "stories", hint=Phrase("add stories/<id>.yaml")))
    pack = msgspec.structs.replace(pack, stories=stories)
    findings.sort(key=sort_key)
    return M.LoadedPack(pack, findings, digest, coverage, fallbacks)


def read_layer(root: Path, top: Path, texts: dict[str, str], chain: tuple[Path, ...],
               stores: list) -> tuple[O.Layer | None, list[Finding]]:
    """Read a pack folder's files, built but not checked; an overlay merged onto its base
    (read the same way). None (with the findings saying why) when pack.yaml cannot be built
    or an overlay's base cannot be had. Files are named relative to `top`, the folder the
    load started from; `texts` stand in for `top`'s files."""
    shown = "" if root == top else os.path.relpath(root, top) + "/"
    own_texts = texts if root == top else {}
    values, head = _read_header(root, shown, own_texts, [])
    is_overlay = values is not None and "extends" in values["__keys__"]
    spec = build.OVERLAY_SPEC if is_overlay else build.PACK_SPEC
    if values is None or any(req and n not in values for n, (_, req) in spec.items()):
        return None, head.findings
    findings: list[Finding] = []
    layer = _layer(root, values, head, shown, findings)
    if is_overlay:
        base = _read_base(layer, top, chain, stores)
        if base is None:
            return None, head.findings + findings
        if "languages" not in values:  # plain-string names are in the base's languages
            values, head = _read_header(root, shown, own_texts, base.header["languages"])
            if values is None:
                return None, head.findings + findings
            layer = _layer(root, values, head, shown, findings)
        header, placed, found = O.merge_header(base, layer)
        findings[:0] = head.findings
        findings += base.findings + found
        layer = O.Layer(root, header, placed, {}, findings, shown,
                        [M.BaseRef(base.header["id"], base.header["version"], str(base.root)),
                         *base.bases])
    else:
        findings[:0] = head.findings
    files = story_files(root)
    own: dict[str, O.Draft] = {}
    for path in files[:MAX_STORIES]:
        rel = path.relative_to(root).as_posix()
        draft, found = build_story(layer.header["languages"], root, rel, shown + rel,
                                   own_texts.get(rel))
        findings += found
        if draft is not None and draft.story.id in own:
            findings.append(_duplicate(draft.story.id, shown + rel, ""))
        elif draft is not None:
            own[draft.story.id] = draft
    if len(files) > MAX_STORIES:
        findings.append(finding(ERROR, "too-many-stories",
                                Phrase("the pack has more than %(limit)s story files",
                                       limit=str(MAX_STORIES)), shown + "stories"))
    if not is_overlay:
        layer.stories = own
        return layer, findings
    drafts, found = O.hide_stories(base, layer)
    findings += found
    base_files = {sid: d.story.file for sid, d in drafts.items()}
    base_files[""] = base.shown + "stories/"
    # a text given for an overrides file not yet on disk is read as if it were (the admin
    # checks a new override before writing it)
    given = {root / rel for rel in own_texts
             if rel.startswith("overrides/") and rel.endswith((".yaml", ".yml"))}
    overrides = [_read_overrides(root, path, shown, own_texts, findings)
                 for path in sorted({*override_files(root), *given})]
    findings += O.apply_overrides(drafts, [o for o in overrides if o is not None],
                                  base.header["default_language"], layer.header["languages"],
                                  base_files)
    for sid, draft in own.items():
        if sid in drafts:
            findings.append(_duplicate(sid, draft.story.file, drafts[sid].story.file))
        else:
            drafts[sid] = draft
    layer.stories = drafts
    return layer, findings


def _read_header(root: Path, shown: str, texts: dict[str, str], languages: list[str]
                 ) -> tuple[dict | None, Ctx]:
    """pack.yaml's values (with bookkeeping) and the context that read it."""
    ctx = Ctx(shown + "pack.yaml", languages)
    return _read(root / "pack.yaml", shown + "pack.yaml", ctx, build.build_pack_header,
                 texts.get("pack.yaml")), ctx


def _layer(root: Path, values: dict, ctx: Ctx, shown: str, findings: list) -> O.Layer:
    """A layer of pack.yaml's values alone (stories are added later)."""
    placed = {path: (ctx.file, *where) for path, where in ctx.where.items()}
    return O.Layer(root, clean(values), placed, {}, findings, shown)


def _read_base(layer: O.Layer, top: Path, chain: tuple[Path, ...],
               stores: list) -> O.Layer | None:
    """The base an overlay extends, read (and merged, if it is an overlay too); None after a
    finding at the overlay's `extends:` when it is missing, out of range, in a cycle or too
    deep."""
    values = layer.header["extends"]
    file, line, col = layer.placed.get("extends", (layer.shown + "pack.yaml", 0, 0))
    ext = Extends(values["pack"], values["version"], line)

    def fail(code: str, message: Phrase, hint: str = "") -> None:
        layer.findings.append(finding(ERROR, code, message, file, line, col, "extends", hint))

    try:
        ext.comparisons()
    except ExtendsError as exc:
        fail("bad-extends", exc.phrase)
        return None
    here = (*chain, layer.root)
    if len(here) > MAX_DEPTH:
        fail("extends-too-deep",
             Phrase("the chain of bases is more than %(limit)s deep: %(chain)s",
                    limit=str(MAX_DEPTH), chain=" -> ".join(
                        str(layer.header["id"]) if p == layer.root else p.name for p in here)),
             Phrase("extend the base's base directly"))
        return None
    folder = find_base(ext, layer.root, stores)
    if folder is None:
        found = versions_found(ext, layer.root, stores)
        fail("base-missing", Phrase(
            'the base "%(pack)s" %(range)s is not installed nor beside this folder',
            pack=ext.pack, range=ext.version) if not found else Phrase(
            'the base "%(pack)s" %(range)s is not found: only %(found)s', pack=ext.pack,
            range=ext.version, found=", ".join(found)),
            Phrase("install the base pack, or put its folder beside this one"))
        return None
    if folder in here:
        fail("extends-cycle", Phrase("the bases lead back to this pack: %(chain)s",
                                     chain=" -> ".join(p.name for p in (*here, folder))),
             Phrase("a base cannot extend its own overlay"))
        return None
    base, found = read_layer(folder, top, {}, here, stores)
    if base is None:
        layer.findings += found
        fail("base-broken", Phrase('the base "%(pack)s" cannot be read', pack=ext.pack),
             Phrase("check the base on its own: kiosk check %(folder)s", folder=str(folder)))
        return None
    return base


def _read_overrides(root: Path, path: Path, shown: str, texts: dict[str, str],
                    findings: list[Finding]) -> O.Overrides | None:
    """One overrides file, built; None (after its findings) when it cannot be."""
    rel = path.relative_to(root).as_posix()
    ctx = Ctx(shown + rel)
    values = _read(path, shown + rel, ctx, build.build_overrides, texts.get(rel))
    findings += ctx.findings
    if values is None or "lines" not in values:
        return None
    return O.Overrides(path.stem, shown + rel, values.get("languages", []), values["lines"],
                       ctx.where)
