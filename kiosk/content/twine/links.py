"""Links as Twine 2 reads them (the rule of its parse-links.ts), in all four story formats.

    [[Target]]  [[Text->Target]]  [[Target<-Text]]  [[Text|Target]]  [[Text|Target][$x to 1]]

The rightmost `->` wins, then the leftmost `<-`, then the rightmost `|`. A setter is the part
after `][`. A target that starts with a protocol (`https://`) is a URL, not a link. A link
may sit in a Harlowe hook, `(if: $x)[[[Go->Away]]]`: the match starts at the last `[[`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK = re.compile(r"\[\[(?!\[)(.*?)\]\]")
_URL = re.compile(r"^\w+:\/\/\/?\w", re.IGNORECASE)


@dataclass
class Link:
    """One link: what it shows, where it goes, its setter, and whether it was bare."""

    text: str
    target: str
    setter: str = ""
    bare: bool = False  # written [[Target]]: the text is the target's name


def _field(s: str, sep: str, index: int) -> str | None:
    parts = s.split(sep)
    if len(parts) == 1:
        return None
    return parts[index]


def parse(inner: str) -> Link | None:
    """The link inside one `[[...]]`, or None when it is a URL or empty."""
    setter = ""
    if "][" in inner:
        inner, setter = inner.split("][", 1)
    if "->" in inner:
        text, target = inner.rsplit("->", 1)
    elif "<-" in inner:
        target, text = inner.split("<-", 1)
    elif "|" in inner:
        text, target = inner.rsplit("|", 1)
    else:
        text = target = inner
        return None if not target or _URL.match(target) else Link(text, target, setter, True)
    if not target or _URL.match(target):
        return None
    return Link(text, target, setter)


def find(text: str) -> list[Link]:
    """Every link of a passage, in order."""
    out = []
    for m in LINK.finditer(text):
        link = parse(m.group(1))
        if link is not None:
            out.append(link)
    return out
