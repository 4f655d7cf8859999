"""Benchmark: a country overlay over the generated 1,000-scene base (issue 21).

    .venv/bin/python bench/overlay.py [--scenes 1000] [--overrides 100] [--repeat 5]

The base is `bench/content_check.py`'s generated pack (media at the demo pack's rate per
scene); the overlay beside it replaces the country, adds a helpline and overrides
`--overrides` texts spread over the base's stories (each with its base hash, so none is
stale). Prints medians and the ratios the issue sets, each against baselines measured in the
same run:
  kiosk check of the overlay / (check of the base alone
    + bare libyaml parse of the overlay's own YAML)              target <= 1.2
  loading the merged overlay from the compiled cache (index,
    decode; its fingerprint taken before, as the kiosk passes it)
    / bare JSON decode of the same bytes, both with the GC paused target <= 2
and, for comparison, the kiosk's whole start path (the fingerprint stats every file of the
overlay and of its base: with media at the demo's rate that walk outweighs the decode, as
for a single pack, docs/performance.md) on the overlay and on the base alone.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import msgspec
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_check import (  # noqa: E402 (the sibling bench, run as a script)
    LANGS,
    ROOT,
    WORDS,
    demo_media,
    make_pack,
    median_time,
    nogc,
)

from kiosk.app.packs import PackSource  # noqa: E402
from kiosk.content import load_cached, load_pack  # noqa: E402
from kiosk.content.cache import _entry_dir, fingerprint  # noqa: E402
from kiosk.content.loader import pack_files  # noqa: E402
from kiosk.content.mediacheck import forget_contents  # noqa: E402


def make_overlay(root: Path, scenes: int, overrides: int, per_story: int = 100) -> None:
    """An overlay of the generated base: its country, one more helpline, and `overrides`
    Swedish texts of base scenes spread over every story, each with the base's hash."""
    (root / "overrides").mkdir(parents=True)
    (root / "pack.yaml").write_text(
        "id: bench-se\nversion: '1'\nextends: {pack: bench, version: '1'}\ncountry: SE\n"
        "helplines:\n  - id: local\n    name: Local line\n    number: '116 006'\n"
        "    hours: {" + ", ".join(f"{lang}: Every day" for lang in LANGS) + "}\n"
        "    verified: 2026-11-28\n", encoding="utf-8")
    stories = scenes // per_story
    by_story: dict[int, list[int]] = {}
    for k in range(overrides):
        by_story.setdefault(k % stories, []).append((k // stories) * 3 % per_story)
    for story, ns in by_story.items():
        lines = ["lines:"]
        for n in sorted(set(ns)):
            base = f"{WORDS['sv']} ({n})."
            digest = hashlib.sha256(base.encode()).hexdigest()[:12]
            lines.append(f"  s{story}/scenes/n{n}/text:")
            lines.append(f"    sv: {{base: {digest}, text: \"{base} I Sverige.\"}}")
        (root / "overrides" / f"s{story}.yaml").write_text("\n".join(lines) + "\n",
                                                           encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=1000)
    ap.add_argument("--overrides", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    media = demo_media()
    out = ROOT / "bench" / "out"  # beside the demo pack: its files are hard-linked, not copied
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        base, overlay = Path(tmp) / "base", Path(tmp) / "se"
        cache = Path(tmp) / "cache"
        make_pack(base, args.scenes, media=media)
        make_overlay(overlay, args.scenes, args.overrides)
        os.environ["STORYKIOSK_CACHE_DIR"] = str(cache)  # the kiosk's own path below uses it
        loaded = load_pack(overlay)
        assert loaded.ok and not loaded.findings, [f.format() for f in loaded.findings[:5]]
        replaced = sum(t.get("sv", "").endswith("I Sverige.")
                       for s in loaded.pack.stories.values() for sc in s.scenes.values()
                       for t in [sc.text])
        assert replaced == args.overrides, replaced
        own = pack_files(overlay)

        def check(root: Path):
            forget_contents()  # as a new `kiosk check` process: nothing remembered
            return load_pack(root)

        def own_parse():
            for p in own:
                yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)  # noqa: S506 (CSafeLoader)

        def kiosk_start(root: Path):
            source = PackSource(root)
            assert source.check(), source.last_refusal

        load_cached(overlay, cache)  # build the cache
        load_cached(base, cache)
        fp = fingerprint(overlay.resolve())
        entry = next(p for p in _entry_dir(cache, overlay.resolve()).glob("*.json")
                     if p.name != "index.json")
        cache_bytes = entry.read_bytes()
        t_base = median_time(lambda: check(base), args.repeat)
        t_own = median_time(own_parse, args.repeat * 5)
        t_overlay = median_time(lambda: check(overlay), args.repeat)
        t_load = median_time(lambda: nogc(load_cached, overlay.resolve(), cache, None, fp),
                             args.repeat * 5)
        t_start = median_time(lambda: nogc(kiosk_start, overlay), args.repeat * 5)
        t_start_base = median_time(lambda: nogc(kiosk_start, base), args.repeat * 5)
        t_json = median_time(lambda: nogc(msgspec.json.decode, entry.read_bytes()),
                             args.repeat * 5)
    print(f"base: {args.scenes} scenes in {len(LANGS)} languages; overlay: {args.overrides} "
          f"overrides in {len(own) - 1} files; cache entry {len(cache_bytes) / 1e6:.2f} MB")
    print(f"kiosk check of the base alone          {t_base * 1000:8.1f} ms")
    print(f"bare libyaml parse of the overlay's YAML {t_own * 1000:6.1f} ms")
    print(f"kiosk check of the overlay             {t_overlay * 1000:8.1f} ms   ratio "
          f"{t_overlay / (t_base + t_own):5.2f}  (target <= 1.2, against base + own parse)")
    print(f"bare JSON decode of the cache, GC paused {t_json * 1000:6.1f} ms")
    print(f"load from the cache, GC paused         {t_load * 1000:8.1f} ms   ratio "
          f"{t_load / t_json:5.2f}  (target <= 2)")
    print(f"the kiosk's start path, GC paused      {t_start * 1000:8.1f} ms   (the base's alone "
          f"{t_start_base * 1000:.1f} ms: overlay / base {t_start / t_start_base:.2f})")


if __name__ == "__main__":
    main()
