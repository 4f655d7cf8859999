"""Cutting a line into runs of one direction, one script and one font, in visual order.

A small subset of the Unicode bidirectional algorithm that covers what packs hold: one
paragraph direction (from the language), strong left-to-right and right-to-left letters,
numbers (always left-to-right inside right-to-left text, so "112" stays "112"), and neutral
characters (spaces, punctuation) that take the direction of the letters around them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_RANGES = (
    (0x0590, 0x05FF, "Hebr"), (0x0600, 0x06FF, "Arab"), (0x0750, 0x077F, "Arab"),
    (0x08A0, 0x08FF, "Arab"), (0xFB1D, 0xFB4F, "Hebr"), (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"), (0x0E00, 0x0E7F, "Thai"), (0x1200, 0x139F, "Ethi"),
    (0x2D80, 0x2DDF, "Ethi"), (0xAB00, 0xAB2F, "Ethi"), (0x0370, 0x03FF, "Grek"),
    (0x1F00, 0x1FFF, "Grek"), (0x0400, 0x052F, "Cyrl"), (0x0530, 0x058F, "Armn"),
    (0x10A0, 0x10FF, "Geor"), (0x0900, 0x097F, "Deva"), (0x0980, 0x09FF, "Beng"),
    (0x0700, 0x074F, "Syrc"), (0x0780, 0x07BF, "Thaa"), (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"), (0x0B00, 0x0B7F, "Orya"), (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"), (0x0C80, 0x0CFF, "Knda"), (0x0D00, 0x0D7F, "Mlym"),
    (0x0D80, 0x0DFF, "Sinh"), (0x0E80, 0x0EFF, "Laoo"), (0x0F00, 0x0FFF, "Tibt"),
    (0x1000, 0x109F, "Mymr"), (0x13A0, 0x13FF, "Cher"), (0x1780, 0x17FF, "Khmr"),
    (0x2D30, 0x2D7F, "Tfng"), (0x1C90, 0x1CBF, "Geor"), (0x2D00, 0x2D2F, "Geor"),
    (0x1100, 0x11FF, "Hang"), (0x3040, 0x309F, "Hira"), (0x30A0, 0x30FF, "Kana"),
    (0x3400, 0x4DBF, "Hani"), (0x4E00, 0x9FFF, "Hani"), (0xAC00, 0xD7AF, "Hang"),
)


@lru_cache(maxsize=4096)
def char_script(char: str) -> str | None:
    """The ISO 15924 script of a letter, or None for common characters (spaces, digits...)."""
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    if char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
        return "Latn"
    return None  # common, or a script not listed: it takes the paragraph's script


@lru_cache(maxsize=4096)
def _strength(char: str) -> str:
    """'L', 'R', 'N' (number: left-to-right inside any text) or '' for neutral."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("EN", "AN"):
        return "N"
    return ""


def directions(text: str, rtl: bool) -> list[bool]:
    """For each character, True when it is laid out right to left."""
    strong = [_strength(c) for c in text]
    base = "R" if rtl else "L"
    out: list[bool] = []
    for i, kind in enumerate(strong):
        if kind == "L" or kind == "N":
            out.append(False)
        elif kind == "R":
            out.append(True)
        else:
            before = next((k for k in reversed(strong[:i]) if k), base)
            after = next((k for k in strong[i + 1:] if k), base)
            before = "L" if before == "N" else before
            after = "L" if after == "N" else after
            out.append((before if before == after else base) == "R")
    return out


def paragraph_rtl(text: str, rtl: bool) -> bool:
    """The direction a paragraph is laid out in: the language's (`rtl`), unless the text
    has no letter of that direction and some of the other, as a fallback-language text in
    an Arabic screen or an Arabic caption in an English one (so "Victims of crime." keeps
    its full stop at its end)."""
    strong = {_strength(c) for c in text}
    if rtl and "R" not in strong and "L" in strong:
        return False
    if not rtl and "L" not in strong and "R" in strong:
        return True
    return rtl


@dataclass(frozen=True)
class Run:
    """A piece of one line drawn with one font call: its text in logical order."""

    text: str
    family: str
    script: str
    rtl: bool


def visual_runs(runs: list[Run], rtl: bool) -> list[Run]:
    """Runs (in logical order) reordered left to right as they appear on screen."""
    if rtl:
        runs = list(reversed(runs))
        return _reverse_groups(runs, lambda r: not r.rtl)
    return _reverse_groups(runs, lambda r: r.rtl)


def _reverse_groups(runs: list[Run], flip) -> list[Run]:
    out: list[Run] = []
    group: list[Run] = []
    for run in runs:
        if flip(run):
            group.append(run)
            continue
        out.extend(reversed(group))
        group = []
        out.append(run)
    out.extend(reversed(group))
    return out
