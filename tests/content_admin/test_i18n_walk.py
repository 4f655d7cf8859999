"""Every page, as every role, in Swedish, Italian, Latvian and Greek: no English interface text.

How a leak is found (it must not pass vacuously, and story text must not count):

- **English-only words**: the words of the catalogue's English msgids (``messages.pot``)
  that the language walked never uses (``review``, ``done``, ``by``, ``summary``...).
  Words the languages share (``PO``, ``CSV``, ``OK``, ``%``) drop out by construction.
- **Visible text**: each text node of a page (and its ``title``, ``placeholder``,
  ``aria-label`` and ``alt``), outside ``<script>``, ``<style>``, ``<code>`` and ``<pre>``
  (programs, and data as stored: an audit entry's JSON, a setting's value) and outside a
  guide of the Help (``<article class="guide" lang="en">``: the guides exist in English only,
  and the page says so in its own language), with every
  phrase of the pack's YAML (story text, titles, helpline names: staff's content, not the
  interface) and the test's own names blanked out first.
- A **leak** is a text node with two English-only words next to each other; a language
  shown by its code for want of a name (``ar (ar)``) is one too. The catalogue is large, so
  English that never went through it (a sentence built in code, a setting's help text) is
  caught as well as a msgid shown untranslated.

The walk is checked against itself: the same pages in English must show such runs on every
page, so an empty word list or an empty page cannot make it pass.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from admin.i18n import LANGUAGES, SOURCE
from admin.models import Role
from tests.support.admin_pages import route_url

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "content"
WHOLE_WORD = re.compile(r"[a-z][a-z']*")
QUOTED = re.compile(r"[(]?['\"‘“«].*['\"’”»][,.;:!?)]*")
EDGES = "\"'“”‘’()[]{}:;,.!?«»·…-–—/"
CODE_AS_NAME = re.compile(r"\b([a-z]{2,3}(?:-[A-Za-z]{2,4})?) \(\1\)")
SHOWN_ATTRS = {"title", "placeholder", "aria-label", "alt"}
# Not the interface's language: programs, and data shown as it is stored (an audit entry's
# JSON, a setting's value, an action's code, a condition's example).
CODE = ("script", "style", "code", "pre")


def _catalog(path):
    with path.open("rb") as f:
        return read_po(f)


def _words(text: str) -> set[str]:
    """The words of a text; identifiers (review_by, user.create) are not words."""
    return {t for t in _tokens(text) if t}


def _tokens(text: str) -> list[str]:
    """The text's whitespace-separated tokens, lower-cased; "" for a token that is no word
    (an identifier, or a name in quotes: scene 'quiet')."""
    tokens = ["" if QUOTED.fullmatch(t) else t.strip(EDGES).lower() for t in text.split()]
    return [t if WHOLE_WORD.fullmatch(t) else "" for t in tokens]


def english_only_words(*languages: str) -> set[str]:
    """Words of the English msgids that the translations into `languages` (default: all
    four) never use; the walk in Greek looks for more words than the walk in Italian, where
    "scene" is Italian too."""
    english, foreign = set(), set()
    for m in _catalog(SOURCE / "messages.pot"):
        for mid in (m.id if isinstance(m.id, tuple) else (m.id,)):
            english |= _words(re.sub(r"%\(\w+\)[sd]", " ", mid or ""))
    for lang in languages or [code for code in LANGUAGES if code != "en"]:
        for m in _catalog(SOURCE / lang / "LC_MESSAGES" / "messages.po"):
            if not m.id:  # the header (its Generated-By is not Swedish)
                continue
            for s in (m.string if isinstance(m.string, tuple) else (m.string,)):
                foreign |= _words(s or "")
    return {w for w in english - foreign if len(w) > 1}


class _Text(HTMLParser):
    """The text a person sees (or hears from a screen reader) on a page, node by node."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0
        self._page_lang: str | None = None
        self._foreign: list[str] = []  # an open guide in another language, and articles in it

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag == "html":
            self._page_lang = lang
        elif self._foreign and tag == self._foreign[0]:
            self._foreign.append(tag)
        elif (not self._foreign and tag == "article" and lang and lang != self._page_lang
              and "guide" in (dict(attrs).get("class") or "").split()):
            self._foreign.append(tag)
        if tag in CODE:
            self._skip += 1
        if not self._foreign:
            self.nodes += [v for k, v in attrs if k in SHOWN_ATTRS and v]

    def handle_endtag(self, tag):
        if tag in CODE and self._skip:
            self._skip -= 1
        if self._foreign and tag == self._foreign[0]:
            self._foreign.pop()

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.nodes.append(data)


def user_content(pack: Path, *more: str) -> re.Pattern:
    """Every string in the pack's YAML as whole words, longest first (blanked out first)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):  # a phrase (one word cannot make a run on its own)
            found.update(p.strip() for p in [node, *node.split("\n")] if " " in p.strip())

    for path in sorted(pack.rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    found.update(more)
    alternatives = sorted((" ".join(s.split()) for s in found), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")


def leaks(html: str, english: set[str], content: re.Pattern) -> list[str]:
    """The text nodes of a page that show English interface text."""
    parser = _Text()
    parser.feed(html)
    out = []
    for node in parser.nodes:
        text = content.sub(" ", " ".join(node.split()))
        if CODE_AS_NAME.search(text):
            out.append(text)
            continue
        tokens = _tokens(text)
        if any(a in english and b in english for a, b in zip(tokens, tokens[1:], strict=False)):
            out.append(text)
    return out


@pytest.fixture
def pack_root(tmp_path: Path) -> Path:
    """A writable copy of the demo pack (the repository's content/ folder)."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    return root


def _pages(app, make_user, lang):
    """Every GET route's URL (the walks' samples, in lang where a route takes a language)."""
    ctx = {"target": make_user(Role.VIEWER, username="target"), "language": lang}
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout"):
            continue
        urls.append(route_url(app, rule, ctx))
    for story in ("emil", "nadia", "samir"):  # each story's pages, and in the language
        urls += [f"/stories/demo/{story}", f"/stories/demo/{story}/map",
                 f"/translations/demo/{story}?target={lang}",
                 f"/school-sessions/guide/{story}/{lang}"]
    return urls


@pytest.fixture
def app_config(app_config):
    """The walk reads pages; CSRF is tested in tests/admin and test_content_security.py."""
    return {**app_config, "WTF_CSRF_ENABLED": False}


def _speaking(app, client, lang):
    """Set the client's account to lang (as the Account page does)."""
    from admin.db import database
    from admin.models import User

    with database(app).session() as db:
        db.get(User, client.user.id).ui_language = lang
        db.commit()
    return client


def demo_data(app, as_role, lang, english, content, pack_root: Path) -> dict:
    """Revisions, a stale translation, a school session; the "Done:" pages each left."""
    from tests.support.admin_pages import base_hash, form_values

    editor = _speaking(app, as_role(Role.EDITOR), lang)
    story = "/stories/demo/emil"
    page = editor.get(story).get_data(as_text=True)
    r = editor.post(f"{story}/scenes", data={"base_hash": base_hash(page), "new_id": "quiet",
                                             "language": "en", "text": "A quiet room.",
                                             "next": "start"})
    assert r.status_code == 303, r.get_data(as_text=True)
    found = {}
    done = editor.get(story).get_data(as_text=True)
    if bad := leaks(done, english, content):
        found[("editor", "after adding a scene")] = bad
    data = form_values(editor.get(f"{story}/scenes/start").get_data(as_text=True))
    data["text.en"] = data["text.en"] + " It is late."  # every translation is now stale
    assert editor.post(f"{story}/scenes/start", data=data).status_code in (302, 303)
    pedagogue = _speaking(app, as_role(Role.PEDAGOGUE), lang)
    r = pedagogue.post("/school-sessions/new?age_group=15-16&language=en", data={
        "day": "2027-03-01", "stories": ["emil"], "kiosks": "2", "label": ""})
    assert r.status_code == 302, r.get_data(as_text=True)
    found.update(_refusals(editor, english, content, pack_root))
    return found


# Narration the kiosk cannot play (the codec report): FLAC in Ogg, made by Debian's ffmpeg.
FLAC_NARRATION = Path("media") / "audio" / "samir" / "start.sv.ogg"


def _break_more(pack_root: Path) -> None:
    """What the walk's pages must say in the staff's language too: an interface-string
    override the kiosk does not have, and narration in a codec it cannot play."""
    path = pack_root / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert "strings:\n  sv:\n" in text
    path.write_text(text.replace("strings:\n  sv:\n",
                                 'strings:\n  sv:\n    "Leave noww": Gå nu\n', 1),
                    encoding="utf-8")
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=0.3", "-c:a", "flac",
                    str(pack_root / FLAC_NARRATION)], check=True)


def _refusals(editor, english, content, pack_root: Path) -> dict:
    """The pages a refused Twine import and a refused upload leave, checked for leaks."""
    import io

    from tests.support.admin_pages import csrf_from

    found = {}
    token = csrf_from(editor.get("/media/demo/").get_data(as_text=True))
    r = editor.post("/stories/demo/import-twine", data={
        "csrf_token": token, "step": "preview", "source": "Neither Twee nor HTML.",
        "filename": "notes.txt"})
    assert r.status_code == 400
    if bad := leaks(r.get_data(as_text=True), english, content):
        found[("editor", "a Twine file refused")] = bad
    r = editor.post("/media/demo/upload", data={
        "csrf_token": token, "folder": "audio", "tags": "",
        "file": (io.BytesIO((pack_root / FLAC_NARRATION).read_bytes()), "voice.ogg")},
        content_type="multipart/form-data",
        follow_redirects=True)
    if bad := leaks(r.get_data(as_text=True), english, content):
        found[("editor", "an upload refused")] = bad
    return found


def _walk(app, as_role, make_user, lang, pack_root):
    """{(role, url): leaks} over every role and page, speaking lang; and the pages seen."""
    english = english_only_words(lang)
    _break_more(pack_root)
    # the kiosk's msgids name the string an override is for: data, not interface
    content = user_content(pack_root, "target", "A quiet room.", "It is late.", "Leave noww",
                           "Leave now")
    found = demo_data(app, as_role, lang, english, content, pack_root)
    seen = 0
    pages = _pages(app, make_user, lang) + ["/stories/demo/revisions/2", "/school-sessions/"]
    for role in Role:
        client = _speaking(app, as_role(
            role, languages="sv,it,lv,el,ar" if role == Role.TRANSLATOR else ""), lang)
        for url in pages:
            r = client.get(url)
            if r.status_code != 200 or not r.mimetype == "text/html":
                continue
            seen += 1
            bad = leaks(r.get_data(as_text=True), english, content)
            if bad:
                found[(role.value, url)] = bad
    return found, seen


@pytest.mark.parametrize("lang", ["sv", "it", "lv", "el"])
def test_every_page_speaks_the_staff_members_language(app, as_role, make_user, lang,
                                                     pack_root, database_url):
    if "postgresql" in database_url:
        pytest.skip("the walk reads pages, not the database: SQLite is enough")
    found, seen = _walk(app, as_role, make_user, lang, pack_root)
    assert seen > 120
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))


def test_the_walk_sees_english_where_it_is(app, as_role, make_user, pack_root, database_url):
    """The same detection on the English pages finds English on every one (not vacuous)."""
    if "postgresql" in database_url:
        pytest.skip("the walk reads pages, not the database: SQLite is enough")
    english = english_only_words()
    assert {"review", "by", "done", "settings", "command", "line"} <= english
    content = user_content(pack_root, "target")
    silent, seen = [], 0
    pages = _pages(app, make_user, "en")
    for role in (Role.CURATOR, Role.ADMINISTRATOR, Role.PEDAGOGUE):
        client = _speaking(app, as_role(role), "en")
        for url in pages:
            r = client.get(url)
            if r.status_code == 200 and r.mimetype == "text/html":
                seen += 1
                if not leaks(r.get_data(as_text=True), english, content):
                    silent.append(url)
    assert seen > 40 and silent == []
