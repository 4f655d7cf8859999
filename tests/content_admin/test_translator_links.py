"""A translator is never offered a page they will be refused: every link on every page a
translator reaches, followed as that translator, answers without 403."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from admin.models import Role

DEMO = Path(__file__).resolve().parents[2] / "content"
HREF = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"#]+)"')


@pytest.fixture
def pack_root(tmp_path: Path) -> Path:
    """A writable copy of the demo pack."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    return root


def _crawl(client, start: str, limit: int = 400) -> tuple[dict[str, int], dict[str, str]]:
    """{url: status} of every same-site page reachable by links; {url: the page linking it}."""
    seen, came_from, queue = {}, {}, [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        r = client.get(url)
        seen[url] = r.status_code
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        for href in HREF.findall(r.get_data(as_text=True)):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            if parts.netloc or parts.path.startswith(("/static/", "/logout")):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and target not in queue:
                came_from.setdefault(target, url)
                queue.append(target)
    return seen, came_from


def test_a_translator_follows_every_link_without_a_refusal(as_role, pack_root, database_url):
    if "postgresql" in database_url:
        pytest.skip("the walk reads pages, not the database: SQLite is enough")
    translator = as_role(Role.TRANSLATOR, languages="it")
    seen, came_from = _crawl(translator, "/")
    assert any(u.startswith("/translations/demo/") for u in seen)  # it got somewhere
    assert len(seen) > 20
    refused = {u: came_from.get(u) for u, status in seen.items() if status == 403}
    assert refused == {}, "\n".join(f"{u} (linked from {f})" for u, f in refused.items())


def test_the_source_picker_offers_only_languages_the_translator_may_read(as_role, pack_root,
                                                                       database_url):
    if "postgresql" in database_url:
        pytest.skip("SQLite is enough")
    translator = as_role(Role.TRANSLATOR, languages="it")
    page = translator.get("/translations/demo/emil?target=it").get_data(as_text=True)
    picker = re.search(r'<select id="source" name="source">(.*?)</select>', page, re.S).group(1)
    offered = re.findall(r'<option value="([^"]+)"', picker)
    assert offered == ["sv", "it"]  # the pack's source, and their own language
    for lang in offered:
        assert translator.get(f"/translations/demo/emil?target=it&source={lang}"
                              ).status_code == 200


def test_coverage_counts_only_the_languages_a_story_is_offered_in(as_role, pack_root,
                                                                  database_url):
    """Arabic: samir is offered in it, emil and nadia are not (no "missing" lines there)."""
    if "postgresql" in database_url:
        pytest.skip("SQLite is enough")
    translator = as_role(Role.TRANSLATOR, languages="ar")
    page = translator.get("/translations/").get_data(as_text=True)
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r"<code>(emil|nadia|samir)</code></td>(.*?)</tr>", page, re.S)}
    assert set(rows) == {"emil", "nadia", "samir"}
    for story in ("emil", "nadia"):
        assert "not offered in this language" in rows[story]
        assert "missing" not in rows[story] and "open" not in rows[story]
    assert "not offered" not in rows["samir"] and "open" in rows["samir"]
