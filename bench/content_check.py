"""Benchmark: `kiosk check` and the compiled cache on a generated pack of 1,000 scenes.

    .venv/bin/python bench/content_check.py [--scenes 1000] [--repeat 7]

The generated pack carries media as the demo pack does, in the same proportion per scene
(counted from `content/` at each run: a picture, narration and captions in each language,
real files linked from the demo pack), so the checks of media files and the cache's
fingerprint of every file cost here what they cost on a real pack.

Prints medians and the ratios the issue sets as targets, each against a baseline measured
in the same run:
  check / bare libyaml parse of the same files            target <= 1.5
  the kiosk's start path (fingerprint, cache index, decode,
    playable stories) / bare JSON decode of the same bytes,
    both with the garbage collector paused                target <= 2
  YAML load / kiosk's start path                          target >= 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import msgspec
import yaml

from kiosk.app.packs import PackSource
from kiosk.content import load_cached, load_pack
from kiosk.content.cache import _entry_dir, fingerprint
from kiosk.content.loader import pack_files
from kiosk.content.mediacheck import forget_contents

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "content"

LANGS = ["sv", "en", "it", "lv", "el"]
WORDS = {
    "sv": "Hon läser meddelandet igen och undrar vem som egentligen skrev det till henne",
    "en": "She reads the message again and wonders who really wrote it to her that night",
    "it": "Rilegge il messaggio e si chiede chi glielo abbia davvero scritto quella sera",
    "lv": "Viņa vēlreiz izlasa ziņu un prāto, kurš to patiesībā viņai uzrakstīja tovakar",
    "el": "Διαβάζει ξανά το μήνυμα και αναρωτιέται ποιος της το έγραψε πραγματικά εκείνο το βράδυ",
}


def text_block(i: int) -> str:
    return "{" + ", ".join(f'{lang}: "{WORDS[lang]} ({i})."' for lang in LANGS) + "}"


def demo_media() -> dict[str, tuple[float, Path]]:
    """Per kind of media (image, narration, captions): how many files the demo pack has per
    scene, and its smallest real file of that kind (to link into the generated pack)."""
    loaded = load_pack(DEMO)
    scenes = sum(len(story.scenes) for story in loaded.pack.stories.values())
    found = {"image": [], "narration": [], "captions": []}
    for path in (DEMO / "media").rglob("*"):
        kind = {".jpg": "image", ".ogg": "narration", ".vtt": "captions"}.get(path.suffix)
        if kind:
            found[kind].append(path)
    return {kind: (len(paths) / scenes, min(paths, key=lambda p: p.stat().st_size))
            for kind, paths in found.items()}


def place(source: Path, target: Path) -> None:
    """A real media file at `target`: a hard link to the demo's file, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def media_keys(root: Path, story: int, n: int, media: dict) -> list[str]:
    """The YAML lines of scene n's media, at the demo's rate per scene (the files written)."""
    lines = []
    for kind, (rate, source) in media.items():
        per_scene = rate / len(LANGS) if kind != "image" else rate
        index = story * 1000 + n
        if int((index + 1) * per_scene) == int(index * per_scene):
            continue
        if kind == "image":
            rel = f"images/s{story}/n{n}.jpg"
            place(source, root / "media" / rel)
            lines.append(f"    image: {{src: {rel}, alt: {text_block(n)}}}")
            continue
        folder, ext = ("audio", "ogg") if kind == "narration" else ("captions", "vtt")
        paths = {lang: f"{folder}/s{story}/n{n}.{lang}.{ext}" for lang in LANGS}
        for rel in paths.values():
            place(source, root / "media" / rel)
        lines.append(f"    {kind}: {{" + ", ".join(f"{k}: {v}" for k, v in paths.items()) + "}")
    return lines


def make_pack(root: Path, scenes: int, per_story: int = 100, media: dict | None = None) -> None:
    """Write a valid pack of `scenes` scenes in five languages, branching every third scene,
    with `media` (from `demo_media`) at its rate per scene."""
    (root / "stories").mkdir(parents=True)
    (root / "media").mkdir()
    title = "{" + ", ".join(f"{lang}: Bench" for lang in LANGS) + "}"
    (root / "pack.yaml").write_text(
        f"id: bench\nversion: '1'\ntitle: {title}\nlanguages: [{', '.join(LANGS)}]\n"
        "default_language: sv\ncountry: SE\nhelplines:\n  - id: eu\n    name: '112'\n"
        f"    number: '112'\n    hours: {title}\n    verified: {dt.date.today()}\n",
        encoding="utf-8")
    review = dt.date.today().replace(year=dt.date.today().year + 2)
    for s in range(scenes // per_story):
        lines = [f"id: s{s}", f"title: {title}", f"summary: {title}", "duration: 5",
                 "age_min: 13",
                 f"consent: {{kind: composite-fiction, record: B-{s}, countries: [SE], review_by: {review}}}",
                 "start: n0", "scenes:"]
        for n in range(per_story):
            lines.append(f"  n{n}:")
            lines.append(f"    text: {text_block(n)}")
            lines += media_keys(root, s, n, media or {})
            if n == per_story - 1:
                lines.append(f"    ending: {{helped: {text_block(n)}, action: {text_block(n)}}}")
            elif n % 3 == 0:
                lines.append("    choices:")
                for k, target in enumerate((n + 1, min(n + 2, per_story - 1))):
                    lines.append(f"      - label: {text_block(k)}")
                    lines.append(f"        goto: n{target}")
                    if k:
                        lines.append(f"        if: visits(n{n}) >= 1 and not flag{k}")
                        lines.append(f"        set: {{flag{k}: true}}")
            else:
                lines.append(f"    next: n{n + 1}")
        (root / "stories" / f"s{s}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def nogc(fn, *args):
    """fn(*args) with the cyclic GC paused, as `kiosk.content.cache.decode` runs."""
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    media = demo_media()
    out = ROOT / "bench" / "out"  # beside the demo pack: its files are hard-linked, not copied
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        root = Path(tmp) / "pack"
        cache = Path(tmp) / "cache"
        make_pack(root, args.scenes, media=media)
        files = pack_files(root)
        size = sum(p.stat().st_size for p in files)
        media_files = sum(1 for p in (root / "media").rglob("*") if p.is_file())
        os.environ["STORYKIOSK_CACHE_DIR"] = str(cache)  # the kiosk's own path below uses it

        def kiosk_start():
            """What the kiosk does with a pack at start (kiosk/app/packs.py)."""
            source = PackSource(root)
            assert source.check(), source.last_refusal

        def bare_parse():
            for p in files:
                yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)  # noqa: S506 (CSafeLoader)

        loaded = load_pack(root)
        assert loaded.ok, [f.format() for f in loaded.findings[:5]]
        load_cached(root, cache)  # build the cache
        entry = next(p for p in _entry_dir(cache, root.resolve()).glob("*.json")
                     if p.name != "index.json")
        cache_bytes = entry.read_bytes()

        t_bare = median_time(bare_parse, args.repeat)
        def first_check():
            """`kiosk check` as a new process runs it: nothing remembered of the media files
            (the validator keeps what it found in each file while it is unchanged)."""
            forget_contents()
            return load_pack(root)

        t_check = median_time(first_check, args.repeat)
        t_cache = median_time(lambda: load_cached(root, cache), args.repeat * 5)
        t_start = median_time(lambda: nogc(kiosk_start), args.repeat * 5)
        t_fingerprint = median_time(lambda: fingerprint(root), args.repeat * 5)
        t_json = median_time(lambda: msgspec.json.decode(entry.read_bytes()), args.repeat * 5)
        t_stdjson = median_time(lambda: json.loads(entry.read_bytes()), args.repeat * 5)
        t_json_nogc = median_time(lambda: nogc(msgspec.json.decode, entry.read_bytes()),
                                  args.repeat * 5)

    print(f"pack: {args.scenes} scenes in {len(LANGS)} languages, {len(files)} YAML files, "
          f"{size / 1e6:.2f} MB YAML, {media_files} media files (the demo pack's rate per "
          f"scene), cache {len(cache_bytes) / 1e6:.2f} MB")
    print(f"bare libyaml parse (CSafeLoader)    {t_bare * 1000:8.1f} ms")
    print(f"kiosk check (load + validate)       {t_check * 1000:8.1f} ms   "
          f"ratio {t_check / t_bare:5.2f}  (target <= 1.5)")
    print(f"bare JSON decode of the cache bytes {t_json * 1000:8.1f} ms   (msgspec, untyped; "
          f"stdlib json {t_stdjson * 1000:.1f} ms)")
    print(f"  the same with the GC paused       {t_json_nogc * 1000:8.1f} ms   (as the cache "
          "decodes)")
    print(f"  fingerprint of the pack's files   {t_fingerprint * 1000:8.1f} ms   (paths, sizes, "
          "times of the YAML files and media folders: how the kiosk sees a change)")
    print(f"load_cached (GC on, as called)      {t_cache * 1000:8.1f} ms")
    print(f"the kiosk's start path, GC paused   {t_start * 1000:8.1f} ms   "
          f"ratio {t_start / t_json_nogc:5.2f}  (target <= 2, against the paused decode)")
    print(f"YAML load / the kiosk's start path  {t_check / t_start:8.0f} x  (target >= 50)")


if __name__ == "__main__":
    main()
