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
import stat
from collections.abc import Container
from pathlib import Path

import msgspec

from kiosk.content import build, validate
from kiosk.content import model as M
from kiosk.content import yamlsafe as Y
from kiosk.content.findings import ERROR, Finding, finding, sort_key
from kiosk.content.phrase import Phrase
from kiosk.content.schema import Ctx, TooManyValues, clean

MAX_STORIES = 500
log = logging.getLogger(__name__)


def pack_files(root: Path) -> list[Path]:
    """The pack's YAML files: pack.yaml, then stories/*.yaml in name order."""
    files = [root / "pack.yaml"]
    stories = root / "stories"
    if stories.is_dir():
        files += sorted(p for p in stories.iterdir() if p.suffix in (".yaml", ".yml"))
    return files


def content_hash(root: Path, files: list[Path] | None = None) -> str:
    """A hash of the pack's YAML bytes and its media files' names, sizes and times."""
    h = hashlib.sha256(b"storykiosk-pack-v1\0")
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


def load_story(pack: M.Pack, root: Path, rel: str, today: dt.date, text: str | None = None,
               taken: Container[str] = ()) -> LoadedStory:
    """Load and validate one story file (or `text` standing in for it) against the pack's
    header; `taken` holds the ids of the other stories (one of them again is an error).

    The one story loader: load_pack runs it for each file, the admin before writing one.
    """
    ctx = Ctx(rel, pack.languages)
    values = _read(root / rel, rel, ctx, build.build_story, text)
    findings = ctx.findings
    if values is None:
        return LoadedStory(None, findings, {})
    data = clean(values)
    needed = [n for n, (_, req) in build.STORY_SPEC.items() if req]
    if any(n not in data for n in needed):
        return LoadedStory(None, findings, {})
    data.setdefault("languages", list(pack.languages))
    story = M.Story(**data, file=rel, loc=(1, 1))
    if story.id in taken:
        findings.append(finding(ERROR, "duplicate-story",
                                Phrase('two stories have the id "%(id)s"', id=story.id),
                                rel, 1, 1, "id"))
        return LoadedStory(None, findings, {})
    rep = validate.Report(rel, ctx.where)
    coverage: dict[str, float] = {}
    try:
        validate.check_story(pack, story, rep, root, today, coverage)
    except Exception as exc:  # the story is left out: it was not checked
        return LoadedStory(None, [*findings, *rep.findings, unexpected(rel, exc)], {})
    return LoadedStory(story, findings + rep.findings, coverage)


def load_pack(root: Path | str, today: dt.date | None = None,
              texts: dict[str, str] | None = None) -> M.LoadedPack:
    """Load and validate the pack in a folder (no cache; see kiosk.content.cache).

    `texts` (file -> text, e.g. {"pack.yaml": ...}) stands in for those files on disk: the
    admin checks an edit with the whole pack before writing it. The hash is the disk's.
    """
    texts = texts or {}
    root = Path(root).resolve()
    today = today or dt.date.today()
    files = pack_files(root)
    digest = content_hash(root, files)
    if not (root / "pack.yaml").is_file():
        what = (Phrase("%(folder)s is not a folder", folder=str(root)) if not root.is_dir()
                else Phrase("%(folder)s has no pack.yaml", folder=str(root)))
        return M.LoadedPack(None, [finding(ERROR, "no-pack", what)], digest)
    findings: list[Finding] = []
    ctx = Ctx("pack.yaml")
    values = _read(root / "pack.yaml", "pack.yaml", ctx, build.build_pack_header,
                   texts.get("pack.yaml"))
    findings += ctx.findings
    required = [n for n, (_, req) in build.PACK_SPEC.items() if req]
    if values is None or any(n not in values for n in required):
        return M.LoadedPack(None, sorted(findings, key=sort_key), digest)
    data = clean(values)
    pack = M.Pack(**data, root=str(root))
    rep = validate.Report("pack.yaml", ctx.where)
    try:
        validate.check_pack(pack, rep, root, today)
    except Exception as exc:
        rep.findings.append(unexpected("pack.yaml", exc))
    findings += rep.findings
    stories: dict[str, M.Story] = {}
    coverage: dict[str, dict[str, float]] = {}
    for path in files[1:MAX_STORIES + 1]:
        rel = path.relative_to(root).as_posix()
        got = load_story(pack, root, rel, today, texts.get(rel), taken=stories)
        findings += got.findings
        if got.story is not None:
            coverage[got.story.id] = got.coverage
            stories[got.story.id] = got.story
    if len(files) - 1 > MAX_STORIES:
        findings.append(finding(ERROR, "too-many-stories",
                                Phrase("the pack has more than %(limit)s story files",
                                       limit=str(MAX_STORIES)), "stories"))
    if not stories:
        findings.append(finding(ERROR, "no-stories",
                                Phrase("the pack has no story that could be read"),
                                "stories", hint=Phrase("add stories/<id>.yaml")))
    pack = msgspec.structs.replace(pack, stories=stories)
    findings.sort(key=sort_key)
    return M.LoadedPack(pack, findings, digest, coverage)
