"""Every admin page links to the guide section about it, and that heading exists.

Walks every GET route as every role; each HTML page a role can open (the login page aside:
no one is logged in to read a guide) must carry one *Help* link, and following it as the
same role must give a guide page with a heading of that id. Heading ids must be GitHub's
(written out here from GitHub's rule), so the same anchors work in the repository.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from admin.models import Role
from tests.support.admin_pages import route_url

HELP_LINK = re.compile(r'<a class="help" href="([^"]+)">([^<]+)</a>')


def github_id(heading: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped (not - or _), spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


class _Headings(HTMLParser):
    """The id and text of every heading of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._id: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._id, self._text = dict(attrs).get("id") or "", ""

    def handle_data(self, data):
        if self._id is not None:
            self._text += data

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._id is not None:
            self.found[self._id] = self._text
            self._id = None


def headings(html: str) -> dict[str, str]:
    parser = _Headings()
    parser.feed(html)
    return parser.found


@pytest.fixture
def app_config(app_config):
    """The walk reads pages; CSRF is tested elsewhere."""
    return {**app_config, "WTF_CSRF_ENABLED": False}


def test_every_page_links_to_an_existing_guide_heading(app, make_user, as_role):
    ctx = {"target": make_user(Role.VIEWER, username="target")}
    clients = {role: as_role(role, languages="en" if role == Role.TRANSLATOR else "")
               for role in Role}
    pages, problems, guides = set(), [], {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout",
                                                          "auth.login"):
            continue
        url = route_url(app, rule, ctx)
        for role, client in clients.items():
            r = client.get(url)
            if r.status_code != 200 or r.mimetype != "text/html":
                continue
            pages.add(rule.endpoint)
            links = HELP_LINK.findall(r.get_data(as_text=True))
            if len(links) != 1:
                problems.append(f"{url} as {role.value}: {len(links)} help links")
                continue
            href, text = links[0]
            assert text == "Help"
            page, _, anchor = href.partition("#")
            if page not in guides:
                g = client.get(page)
                assert g.status_code == 200, f"{url} -> {href}: {g.status_code}"
                guides[page] = headings(g.get_data(as_text=True))
            if anchor and anchor not in guides[page]:
                problems.append(f"{url} as {role.value}: {href} has no such heading")
    # Enough of the admin walked that a page without help cannot hide.
    assert {"home.index", "stories.scene", "translations.side_by_side", "packs.settings",
            "reports.impact_page", "school_sessions.index", "users.index",
            "help.page"} <= pages
    assert problems == []
    assert any(page.startswith("/help/guides/") for page in guides)


def test_every_help_target_names_a_page_and_a_heading_that_exist(app, as_role):
    # Pages the walk above cannot open with its samples (a school session's results, a
    # revision) still have their target checked here.
    from admin.help import BY_BLUEPRINT, BY_ENDPOINT

    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(set(BY_ENDPOINT) - endpoints) == []
    assert sorted(set(BY_BLUEPRINT) - set(app.blueprints)) == []
    client = as_role(Role.VIEWER)
    for found in {*BY_BLUEPRINT.values(), *BY_ENDPOINT.values()}:
        page, _, anchor = found.partition("#")
        r = client.get(f"/help/{page}")
        assert r.status_code == 200, found
        assert not anchor or anchor in headings(r.get_data(as_text=True)), found


def test_guide_headings_have_githubs_ids(as_role):
    client = as_role(Role.VIEWER)
    for page in ("guides/README", "guides/curators", "guides/pedagogues", "content-format"):
        found = headings(client.get(f"/help/{page}").get_data(as_text=True))
        assert found, page
        assert {i: github_id(t) for i, t in found.items()} == {i: i for i in found}
    found = headings(client.get("/help/guides/pedagogues").get_data(as_text=True))
    assert "the-teachers-guide" in found and "class-results" in found


def test_a_guide_reads_as_written_and_its_links_stay_in_the_help(as_role):
    client = as_role(Role.TRANSLATOR, languages="sv")
    r = client.get("/help/guides/translators")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<article class="guide" lang="en">' in html
    assert "<h1" in html and "Guide for translators" in html
    # a picture from docs/screenshots, and a link to a reference page as an admin URL
    assert 'src="../screenshots/admin-side-by-side.png"' in html
    assert client.get("/help/screenshots/admin-side-by-side.png").mimetype == "image/png"
    assert 'href="../languages"' in html
    assert client.get("/help/languages").status_code == 200
    assert "script-src 'none'" in r.headers["Content-Security-Policy"]
    assert "The guides are in English." not in html  # an English reader needs no note


def test_the_page_around_a_guide_speaks_the_readers_language(app, as_role):
    from admin.db import database
    from admin.models import User

    client = as_role(Role.TRANSLATOR, languages="sv")
    with database(app).session() as db:
        db.get(User, client.user.id).ui_language = "sv"
        db.commit()
    html = client.get("/help/guides/translators").get_data(as_text=True)
    assert "Guiderna finns bara på engelska." in html
    assert '<a class="help" href="/help/guides/README">Hjälp</a>' in html
    assert "<title>Hjälp ·" in html


@pytest.mark.parametrize("path", ["/help/guides/nothing", "/help/../pyproject",
                                  "/help/screenshots/../../pyproject.toml",
                                  "/help/screenshots/kiosk-menu-en.txt"])
def test_anything_but_a_docs_page_is_not_found(as_role, path):
    assert as_role(Role.VIEWER).get(path).status_code == 404


def test_the_guides_need_a_login(client):
    r = client.get("/help/guides/curators")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
