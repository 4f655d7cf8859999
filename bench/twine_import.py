"""Importing a Twine story, timed: a generated 600 kB Twee file of 300 passages.

    .venv/bin/python bench/twine_import.py [--runs 7]

Times `kiosk import twine`'s work in-process (read the Twee, convert, emit the story's YAML)
beside the bare YAML dump and load of the resulting story (libyaml, the fastest PyYAML has),
measured in the same run. Targets: at most 1 s, and at most 3x the bare YAML round.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from kiosk.content.twine import read  # noqa: E402
from kiosk.content.twine.convert import convert  # noqa: E402

PASSAGES = 300
WORDS = ("the bus waits in the rain while Ana counts the coins in her pocket and thinks of "
         "home and the letter she has not answered yet").split()


def twee(passages: int = PASSAGES, size: int = 600_000, seed: int = 23) -> str:
    """A Harlowe story of `passages` passages, about `size` characters in all."""
    rnd = random.Random(seed)
    parts = [":: StoryTitle\nBench story",
             ':: StoryData\n{"ifid": "B", "format": "Harlowe", "start": "Passage 0"}',
             ":: Startup [startup]\n(set: $trust to 0)(set: $met to false)"]
    per = size // passages
    for i in range(passages):
        words = []
        while sum(len(w) + 1 for w in words) < per - 150:
            words.append(rnd.choice(WORDS))
        text = " ".join(words)
        if i == passages - 1:
            links = ""
        else:
            a, b = rnd.randrange(i + 1, passages), rnd.randrange(passages)
            links = (f"\n[[Go on->Passage {a}]]\n(if: $trust > 1)[[[Look back->Passage {b}]]]"
                     f'\n(link: "Trust her")[(set: $trust to it + 1)(go-to: "Passage {a}")]')
        parts.append(f':: Passage {i} [night] {{"position":"{i * 10},{i * 5}"}}\n'
                     f"{text}{links}")
    return "\n\n".join(parts) + "\n"


def timed(fn, runs: int) -> list[float]:
    """Wall times of `runs` calls."""
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    """Run the bench and print medians and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    source = twee()
    result = convert(read(source, "bench.twee")[0], "bench", "en")
    assert len(result.data["scenes"]) == PASSAGES, len(result.data["scenes"])
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def imp():
        convert(read(source, "bench.twee")[0], "bench", "en")

    def bare():
        # a safe loader: CSafeLoader, or SafeLoader without libyaml
        yaml.load(yaml.dump(result.data, Dumper=dumper, allow_unicode=True), Loader=loader)  # noqa: S506

    t_import = statistics.median(timed(imp, args.runs))
    t_yaml = statistics.median(timed(bare, args.runs))
    print(f"twee file: {len(source.encode()) / 1000:.0f} kB, {PASSAGES} passages")
    print(f"import (read + convert + emit)  median {t_import * 1000:7.1f} ms  (target <= 1000)")
    print(f"bare YAML dump + load           median {t_yaml * 1000:7.1f} ms")
    print(f"ratio {t_import / t_yaml:.2f}x (target <= 3x)")
    return 0 if t_import <= 1.0 and t_import <= 3 * t_yaml else 1


if __name__ == "__main__":
    sys.exit(main())
