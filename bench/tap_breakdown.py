"""Where a tap's frame spends its time: py-spy's raw samples under `tap_frame`, by kind of work.

Usage: py-spy record -r 200 -f raw -o tap.txt -- .venv/bin/python bench/kiosk_tap.py
       .venv/bin/python bench/tap_breakdown.py tap.txt
Each sample is counted once, under the first kind (from the innermost frame outwards) whose
pattern names one of its frames; the rest is "composing and other Python".
"""

from __future__ import annotations

import sys
from collections import Counter

# (kind, substrings of a py-spy frame "function (file:line)"), innermost match wins.
KINDS = [
    ("garbage collector", ("gc_collect", "(gc)")),
    ("decoding a narration", ("load_sound",)),
    ("opening a film (libvlc)", ("vlc.py",)),
    ("picture decode and scale", ("kiosk/media/images.py", "pygame/image", "smoothscale")),
    ("rendering text to surfaces", ("TextBlock.render", "Font.render", "render_line")),
    ("laying text out", ("kiosk/ui/text.py", "kiosk/ui/layout.py", "shaping")),
    ("the record's append", ("kiosk/record/",)),
    ("translations and numbers", ("kiosk/i18n/", "babel/")),
    ("cross-fade blit", ("ScreenManager.draw (kiosk/app/manager.py",)),
    ("drawing the new screen", (".draw (", "draw_", "put_text")),
    ("building the next screen", ("ScreenManager.go", "Screen.rebuild", ".layout (")),
]


def kind_of(frames: list[str]) -> str:
    """The kind of work of one sample's stack (innermost frame first)."""
    for frame in reversed(frames):
        for kind, needles in KINDS:
            if any(needle in frame for needle in needles):
                return kind
    return "composing and other Python"


def main(path: str) -> int:
    counts: Counter[str] = Counter()
    for line in open(path, encoding="utf-8"):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        frames = stack.split(";")
        marks = [i for i, f in enumerate(frames) if f.startswith("tap_frame ")]
        if not marks or not n.isdigit():
            continue
        counts[kind_of(frames[marks[0] + 1:])] += int(n)
    total = sum(counts.values())
    if not total:
        print("no samples under tap_frame: record bench/kiosk_tap.py with py-spy")
        return 1
    print(f"{total} samples on tap frames")
    for kind, n in counts.most_common():
        print(f"  {kind:<30} {n / total * 100:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else print(__doc__) or 2)
