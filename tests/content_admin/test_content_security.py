"""The content pages as a curator sees them: security headers, no inline script or style,
stored text never served executable, no GET that changes anything."""

from __future__ import annotations

import hashlib
from pathlib import Path

from admin.security import HEADERS
from tests.support.admin_pages import form_values

PAGES = ["/stories/", "/stories/test/ana", "/stories/test/ana/map",
         "/stories/test/ana/scenes/home", "/stories/test/ana/history", "/translations/",
         "/translations/test/ana?target=en", "/media/test/", "/packs/",
         "/preview/test/ana/home?lang=en", "/preview/test/ana/play?lang=en"]
PAYLOAD = '<script>alert("x")</script>'


def _tree(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p).encode() + p.read_bytes())
    return h.hexdigest()


def test_every_content_page_has_the_headers_and_no_inline_code(curator):
    for url in PAGES:
        r = curator.get(url)
        assert r.status_code == 200, url
        for name, value in HEADERS.items():
            assert r.headers.get(name) == value, (url, name)
        html = r.get_data(as_text=True)
        assert "<script" not in html and " style=" not in html and "<style" not in html, url


def test_stored_script_is_escaped_everywhere(curator, pack_root):
    page = curator.get("/stories/test/ana/scenes/home").get_data(as_text=True)
    data = form_values(page)
    data["text.en"] = PAYLOAD
    data["choices[0].label.en"] = PAYLOAD
    assert curator.post("/stories/test/ana/scenes/home", data=data).status_code == 302
    assert PAYLOAD in (pack_root / "stories" / "ana.yaml").read_text()
    for url in PAGES + ["/stories/test/revisions/1"]:
        html = curator.get(url).get_data(as_text=True)
        assert "<script" not in html, url


def test_no_get_changes_a_file(curator, pack_root, packs_dir):
    before = _tree(pack_root)
    for url in PAGES + ["/packs/test/bundle.zip", "/translations/test/po/en.po",
                        "/preview/test/ana/home/en.png"]:
        sep = "&" if "?" in url else "?"
        curator.get(f"{url}{sep}action=next&base_hash=x&path=x&text.en=y")
    assert _tree(pack_root) == before
    assert not packs_dir.exists() or not any(packs_dir.iterdir())
