"""`kiosk import twine` and `kiosk export twine`: Twine 2 stories in and out of a pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from kiosk.content.findings import Finding, has_errors
from kiosk.content.loader import load_pack
from kiosk.content.twine import convert as C
from kiosk.content.twine.export import FORMATS, export
from kiosk.content.twine.source import TwineError, read


def register(sub: argparse._SubParsersAction) -> None:
    """Add `kiosk import twine` and `kiosk export twine`."""
    imp = sub.add_parser("import", help="bring a story from another tool into a pack")
    isub = imp.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    t = isub.add_parser("twine", help="a Twine 2 story (Twee, published HTML or library)",
                        description="Turn a Twine 2 story into PACK/stories/<id>.yaml. Warnings "
                        "name the passage and line; then `kiosk check` lists what to add.")
    t.add_argument("file", metavar="FILE", help="a .twee/.tw file, or Twine 2 HTML")
    t.add_argument("--pack", default="content", help="the pack folder (default: content)")
    t.add_argument("--story-id", help="the new story's id (default: from the Twine title)")
    t.add_argument("--lang", help="the language of the text (default: the pack's default)")
    t.add_argument("--name", help="in a library archive, the Twine story to import")
    t.add_argument("--all", action="store_true", help="in a library archive, import them all")
    t.set_defaults(func=_import)

    exp = sub.add_parser("export", help="write a story of a pack for another tool")
    esub = exp.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    e = esub.add_parser("twine", help="a story as Twee 3 for Twine 2",
                        description="Write one story as Twee 3 that Twine 2 imports: scenes as "
                        "passages, choices as links, conditions and variables as macros.")
    e.add_argument("pack", metavar="PACK", help="the pack folder")
    e.add_argument("--story", required=True, metavar="ID", help="the story's id")
    e.add_argument("--lang", help="the language to write (default: the pack's default)")
    e.add_argument("--format", choices=sorted(FORMATS), default="harlowe",
                   help="the Twine story format of the macros (default: harlowe)")
    e.add_argument("-o", "--output", required=True, metavar="FILE.twee", help="the file to write")
    e.set_defaults(func=_export)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _pack_facts(pack: Path) -> tuple[str, set[str]]:
    """The pack's default language and content-note vocabulary (read leniently)."""
    try:
        data = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return "en", set()
    notes = data.get("content_notes") if isinstance(data, dict) else None
    return str(data.get("default_language") or "en"), set(notes or {})


def _import(args: argparse.Namespace) -> int:
    pack = Path(args.pack)
    if not (pack / "pack.yaml").is_file():
        return _fail(f"{pack} is not a pack folder (it has no pack.yaml)")
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        return _fail(f"{args.file} cannot be read: {exc.strerror or exc}")
    try:
        stories = read(raw.decode("utf-8-sig"), Path(args.file).name)
    except UnicodeDecodeError:
        return _fail(f"{args.file} is not UTF-8 text, so it is not a Twine file")
    except TwineError as exc:
        return _fail(str(exc))
    if args.name:
        stories = [s for s in stories if s.title == args.name]
        if not stories:
            return _fail(f'{args.file} holds no story named "{args.name}"')
    elif len(stories) > 1 and not args.all:
        names = ", ".join(f'"{s.title}"' for s in stories)
        return _fail(f"{args.file} is a library of {len(stories)} stories ({names}): pick one "
                     "with --name, or import them all with --all")
    if args.story_id and len(stories) > 1:
        return _fail("--story-id names one story; with --all each story's id comes from its title")
    lang, notes = _pack_facts(pack)
    lang = args.lang or lang
    code = 0
    for story in stories:
        result = C.convert(story, args.story_id, lang, notes)
        _print(result.findings)
        if has_errors(result.findings):
            code = 1
            continue
        target = pack / "stories" / f"{result.story_id}.yaml"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as f:
                f.write(result.yaml_text)
        except FileExistsError:
            code = _fail(f"{target} already exists; choose another id with --story-id")
            continue
        print(f"wrote {target}: {len(result.data['scenes'])} scenes. Run `kiosk check {pack}` "
              "for what the story still needs (summary, duration, age, consent, notes).")
    return code


def _print(findings: list[Finding]) -> None:
    for f in findings:
        print(f.format(), file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    loaded = load_pack(Path(args.pack))
    if loaded.pack is None:
        _print([f for f in loaded.findings if f.severity == "error"])
        return _fail(f"the pack {args.pack} could not be loaded")
    story = loaded.pack.stories.get(args.story)
    if story is None:
        known = ", ".join(sorted(loaded.pack.stories)) or "none"
        return _fail(f'the pack has no story "{args.story}" that loads (stories: {known}); '
                     f"`kiosk check {args.pack}` says why")
    lang = args.lang or loaded.pack.default_language
    text, notes = export(story, lang, args.format)
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(f"{args.output} cannot be written: {exc.strerror or exc}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {args.output}: {len(story.scenes)} passages ({FORMATS[args.format][0]})")
    return 0
