"""The scene editor's picture picker: the library's pictures, searched and paged.

A plain HTML form (radio buttons with thumbnails) in the scene form itself; the search and
the pages are GET parameters of the editor (``pq``, ``pp``), so the page works without
JavaScript. The picture a scene has now is always offered and ticked, even when it is on
another page or missing from media/, so saving the form never drops it unasked.
"""

from __future__ import annotations

from dataclasses import dataclass

from admin.content.library import matching

PER_PAGE = 24  # thumbnails of 96 px: a screenful, light enough beside the scene form


@dataclass
class Pictures:
    """One page of the pictures a scene may show."""

    paths: list[str]
    current: str
    query: str
    page: int
    pages: int
    total: int

    @property
    def current_elsewhere(self) -> bool:
        """True when the scene's picture is not among this page's (offered on its own)."""
        return bool(self.current) and self.current not in self.paths


def pictures(images: list[str], records: dict, current: str, query: str = "",
             page: int = 1, alt: dict[str, dict[str, str]] | None = None) -> Pictures:
    """The page `page` (clamped) of `images` whose name, alt text (`alt`: path -> language
    -> text) or tags match `query`."""
    found = matching(images, records, query.strip(), alt)
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(max(page or 1, 1), pages)
    shown = found[(page - 1) * PER_PAGE:page * PER_PAGE]
    return Pictures(shown, current, query.strip(), page, pages, len(found))
