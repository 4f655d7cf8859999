"""The admin keeps each loaded pack while its files are unchanged, and never shows it stale.

A page after a save by another worker, or after an editor changed a file on disk, shows the
new content; a pack settings save compares with the pack as it is on disk now.
"""

from __future__ import annotations

import time
from html import unescape

import pytest

from admin import create_app
from admin.content import workspace as W
from tests.support.admin_pages import form_values

SETTLED_S = 0.1


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch):
    """Files count as settled 50 ms after their last change instead of 2 s (the tests wait
    SETTLED_S first), so what is tested is a kept load meeting a change, not the content-hash
    check of files changed just now."""
    monkeypatch.setattr(W, "RACY_NS", 50_000_000)


@pytest.fixture
def second_worker(app_config, curator):
    """A client of a second admin app (another gunicorn worker) on the same database and
    pack, with the curator's session."""
    other = create_app(app_config)
    client = other.test_client()
    with client.session_transaction() as session:
        session["uid"] = curator.user.id
    return client


def story_title(client) -> str:
    """Ana's English title as the stories page lists it (from the workspace's loaded pack)."""
    html = unescape(client.get("/stories/").get_data(as_text=True))
    titles = [t for t in ("Ana's summer", "Ana's winter", "Ana's autumn") if t in html]
    assert len(titles) == 1, titles
    return titles[0]


def test_a_file_changed_on_disk_shows_at_the_next_page(curator, pack_root):
    time.sleep(SETTLED_S)
    assert story_title(curator) == "Ana's summer"
    assert story_title(curator) == "Ana's summer"  # the kept load

    story = pack_root / "stories" / "ana.yaml"  # same length: only the bytes differ
    story.write_text(story.read_text().replace("Ana's summer", "Ana's winter"))

    assert story_title(curator) == "Ana's winter"


def test_a_save_by_another_worker_shows_on_this_workers_pages(curator, second_worker):
    time.sleep(SETTLED_S)
    assert story_title(curator) == "Ana's summer"
    html = second_worker.get("/stories/test/ana/settings").get_data(as_text=True)
    data = form_values(html)
    data["title.en"] = "Ana's autumn"
    r = second_worker.post("/stories/test/ana/settings", data=data)
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]

    assert story_title(curator) == "Ana's autumn"


def test_a_pack_settings_save_compares_with_the_pack_as_it_is_now(curator, pack_root):
    # The form is fetched; then someone breaks a story on disk. Saving the pack settings
    # must not be blamed for that error (it is in the pack before and after the save).
    time.sleep(SETTLED_S)
    html = curator.get("/packs/test/settings").get_data(as_text=True)
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace("goto: friend", "goto: nobody"))
    data = form_values(html)
    data["kiosk.idle_timeout"] = "75"

    r = curator.post("/packs/test/settings", data=data)

    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    assert "idle_timeout: 75" in (pack_root / "pack.yaml").read_text()


@pytest.fixture
def picture_pack(pack_root, tmp_path):
    """pack_root with Ana's first scene showing media/images/home.png (alt text left out, as
    the fixture pack has none), and a Workspace on it, once the files have settled."""
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace("  home:\n", "  home:\n    image: images/home.png\n",
                                               1))
    ws = W.Workspace([pack_root], tmp_path / "installed", tmp_path / "cache")
    time.sleep(SETTLED_S)
    return ws, pack_root.resolve()


def media_codes(ws, root) -> list[str]:
    return sorted(f.code for f in ws.load(root).findings if f.code.startswith("media"))


def test_a_media_file_removed_or_added_by_another_program_shows_at_once(picture_pack,
                                                                       monkeypatch):
    monkeypatch.setattr(W, "FULL_CHECK_NS", 3600 * 10**9)  # no full check: the quick one sees it
    ws, root = picture_pack
    assert media_codes(ws, root) == []
    assert media_codes(ws, root) == []  # the kept load
    picture = root / "media" / "images" / "home.png"
    data = picture.read_bytes()
    picture.unlink()
    assert media_codes(ws, root) == ["media-missing"]
    time.sleep(SETTLED_S)
    assert media_codes(ws, root) == ["media-missing"]
    picture.write_bytes(data)
    assert media_codes(ws, root) == []


def test_a_media_file_rewritten_in_place_shows_within_the_full_check_interval(picture_pack,
                                                                             monkeypatch):
    monkeypatch.setattr(W, "FULL_CHECK_NS", 200_000_000)
    ws, root = picture_pack
    assert media_codes(ws, root) == []
    with open(root / "media" / "images" / "home.png", "r+b") as f:  # same inode, same folder
        f.write(b"not a picture at all")
    time.sleep(0.25)
    assert media_codes(ws, root) == ["media-type"]
