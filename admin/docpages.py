"""The repository's Markdown documentation (``docs/``) as HTML pages for the admin's Help.

Served from the running code's own checkout, so the guides match the version staff use and
need no network. Rendered with markdown-it-py (CommonMark plus tables) with raw HTML off, so a
page holds nothing the Content Security Policy would have to allow. Headings get GitHub's ids,
so an anchor works on both sides; links to other pages drop their ``.md``, which makes them
the admin's own URLs (``/help/guides/curators``, ``/help/content-format``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

DOCS = Path(__file__).resolve().parents[1] / "docs"
PICTURES = DOCS / "screenshots"
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_RELATIVE_MD = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/)([^#]*)\.md(#.*)?$")


def pages() -> set[str]:
    """Every page there is, as its path under docs/ without `.md` (`guides/curators`)."""
    return {p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md")}


def anchor(heading: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def render(page: str) -> str:
    """The page as HTML, headings with their ids; KeyError if there is no such page."""
    if page not in pages():
        raise KeyError(page)
    path = DOCS / f"{page}.md"
    return _render(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _render(path: Path, _mtime: int) -> str:
    tokens = _MD.parse(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            slug = anchor(tokens[i + 1].content)
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            token.attrSet("id", f"{slug}-{count}" if count else slug)
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                m = _RELATIVE_MD.match(href)
                if m:
                    child.attrSet("href", m.group(1) + (m.group(2) or ""))
    return _MD.renderer.render(tokens, _MD.options, {})
