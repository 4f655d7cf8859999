"""The settings pages keep their rendered form while the pack is unchanged (issue 18's page
speed), and a kept form never shows what it must not: another session's CSRF token, another
role's controls, another staff language, or a pack as it was before a change on disk."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from admin.content import workspace as W
from admin.models import Role
from tests.support.admin_pages import form_values

SETTLED_S = 0.1
PACK_PAGE = "/packs/test/settings"
STORY_PAGE = "/stories/test/ana/settings"
TOKENS = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                    r'|type="hidden" name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch):
    """Files count as settled 50 ms after a change (see test_workspace_fresh.py)."""
    monkeypatch.setattr(W, "RACY_NS", 50_000_000)


def tokens(html: str) -> list[str]:
    """Every CSRF token in a page (the log-out form's and the settings form's)."""
    return [a or b for a, b in TOKENS.findall(html)]


@pytest.mark.parametrize("page", [PACK_PAGE, STORY_PAGE])
def test_each_session_gets_its_own_token_in_a_kept_form(as_role, page):
    time.sleep(SETTLED_S)
    first, second = as_role(Role.CURATOR), as_role(Role.CURATOR)
    a = first.get(page).get_data(as_text=True)
    b = second.get(page).get_data(as_text=True)  # the form as kept from the first view
    ta, tb = tokens(a), tokens(b)
    assert len(ta) == 2 and len(tb) == 2, (ta, tb)  # log out + the settings form
    assert ta[0] == ta[1] and tb[0] == tb[1]
    assert ta[0] != tb[0]


def test_a_kept_form_saves_with_the_second_sessions_token(as_role, pack_root):
    time.sleep(SETTLED_S)
    as_role(Role.CURATOR).get(PACK_PAGE)
    curator = as_role(Role.CURATOR)
    values = form_values(curator.get(PACK_PAGE).get_data(as_text=True))
    values["title.en"] = "Test pack, kept"
    reply = curator.post(PACK_PAGE, data=values)
    assert reply.status_code == 303, reply.get_data(as_text=True)[:400]
    assert "Test pack, kept" in (pack_root / "pack.yaml").read_text()


@pytest.mark.parametrize(("page", "path", "old", "new"), [
    (PACK_PAGE, "pack.yaml", "Test pack", "Tost pack"),
    (STORY_PAGE, "stories/ana.yaml", "Ana's summer", "Ana's winter"),
])
def test_a_change_on_disk_shows_in_the_next_view(curator, pack_root, page, path, old, new):
    time.sleep(SETTLED_S)
    assert old in unescape(curator.get(page).get_data(as_text=True))
    assert old in unescape(curator.get(page).get_data(as_text=True))  # kept
    file = pack_root / path
    file.write_text(file.read_text().replace(old, new))  # same length: only bytes differ
    html = unescape(curator.get(page).get_data(as_text=True))
    assert new in html and old not in html


@pytest.mark.parametrize(("page", "save"), [(PACK_PAGE, ">Save<"),
                                            (STORY_PAGE, ">Save the settings<")])
def test_a_kept_form_is_per_role(as_role, page, save):
    time.sleep(SETTLED_S)
    viewer = as_role(Role.VIEWER)
    html = viewer.get(page).get_data(as_text=True)
    assert save not in html
    curator = as_role(Role.CURATOR)
    assert save in curator.get(page).get_data(as_text=True)
    assert save not in viewer.get(page).get_data(as_text=True)


def test_a_kept_form_is_per_staff_language(as_role, app):
    from admin.db import database
    from admin.models import User

    time.sleep(SETTLED_S)
    english, swedish = as_role(Role.CURATOR), as_role(Role.CURATOR)
    with database(app).session() as db:
        db.get(User, english.user.id).ui_language = "en"
        db.get(User, swedish.user.id).ui_language = "sv"
        db.commit()
    assert "Helplines" in english.get(PACK_PAGE).get_data(as_text=True)
    html = swedish.get(PACK_PAGE).get_data(as_text=True)
    assert "Stödlinjer" in html and ">Helplines<" not in html


def test_a_change_elsewhere_in_the_pack_shows_in_a_kept_pack_form(curator, pack_root):
    """pack.yaml is unchanged, but the form lists the pack's pictures: a new one shows."""
    from PIL import Image

    time.sleep(SETTLED_S)
    assert "images/home.png" in curator.get(PACK_PAGE).get_data(as_text=True)
    Image.new("RGB", (8, 8)).save(pack_root / "media" / "images" / "door.png")
    time.sleep(SETTLED_S)
    html = curator.get(PACK_PAGE).get_data(as_text=True)
    assert "images/door.png" in html and "images/home.png" in html
