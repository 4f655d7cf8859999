"""Benchmark: `kiosk check` and the compiled cache on a generated pack of 1,000 scenes.

    .venv/bin/python bench/content_check.py [--scenes 1000] [--repeat 7]

Prints medians and the ratios the issue sets as targets, each against a baseline measured
in the same run:
  check / bare libyaml parse of the same files        target <= 1.5
  cache load / bare JSON decode of the same bytes     target <= 2
  YAML load / cache load                              target >= 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path

import msgspec
import yaml

from kiosk.content import load_cached, load_pack
from kiosk.content.cache import _entry_dir
from kiosk.content.loader import pack_files

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


def make_pack(root: Path, scenes: int, per_story: int = 100) -> None:
    """Write a valid pack of `scenes` scenes in five languages, branching every third scene."""
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
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        cache = Path(tmp) / "cache"
        make_pack(root, args.scenes)
        files = pack_files(root)
        size = sum(p.stat().st_size for p in files)

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
        t_check = median_time(lambda: load_pack(root), args.repeat)
        t_cache = median_time(lambda: load_cached(root, cache), args.repeat * 5)
        t_json = median_time(lambda: msgspec.json.decode(entry.read_bytes()), args.repeat * 5)
        t_stdjson = median_time(lambda: json.loads(entry.read_bytes()), args.repeat * 5)
        t_json_nogc = median_time(lambda: nogc(msgspec.json.decode, entry.read_bytes()),
                                  args.repeat * 5)

    print(f"pack: {args.scenes} scenes in {len(LANGS)} languages, {len(files)} YAML files, "
          f"{size / 1e6:.2f} MB YAML, cache {len(cache_bytes) / 1e6:.2f} MB")
    print(f"bare libyaml parse (CSafeLoader)    {t_bare * 1000:8.1f} ms")
    print(f"kiosk check (load + validate)       {t_check * 1000:8.1f} ms   "
          f"ratio {t_check / t_bare:5.2f}  (target <= 1.5)")
    print(f"bare JSON decode of the cache bytes {t_json * 1000:8.1f} ms   (msgspec, untyped; "
          f"stdlib json {t_stdjson * 1000:.1f} ms)")
    print(f"  the same with the GC paused       {t_json_nogc * 1000:8.1f} ms   (as the cache "
          "decodes)")
    print(f"load from the compiled cache        {t_cache * 1000:8.1f} ms   "
          f"ratio {t_cache / t_json:5.2f}  (target <= 2; {t_cache / t_json_nogc:.2f} against "
          "the paused decode)")
    print(f"YAML load / cache load              {t_check / t_cache:8.0f} x  (target >= 50)")


if __name__ == "__main__":
    main()
