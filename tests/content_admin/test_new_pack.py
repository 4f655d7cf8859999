"""A curator makes a new pack: empty, or a copy of another working copy."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def app_config(app_config, tmp_path):
    """New packs go to their own folder."""
    return {**app_config, "NEW_PACKS_DIR": str(tmp_path / "new")}


@pytest.fixture
def post(csrf_token):
    """post(client, data): the new-pack form sent with the page's CSRF token."""
    def send(client, data):
        return client.post("/packs/new", data={**data, "csrf_token": csrf_token(client, "/")})
    return send


def _load(root: Path):
    from kiosk.content import load_pack

    return load_pack(root)


def test_an_empty_pack_is_made_and_opens_in_its_settings(curator, post, tmp_path, app):
    r = post(curator, {"id": "lv-2027", "title": "Kāds pamanīja",
                                         "country": "lv", "languages": "lv, en",
                                         "default_language": "lv"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    assert r.headers["Location"].endswith("/packs/lv-2027/settings")
    loaded = _load(tmp_path / "new" / "lv-2027")
    pack = loaded.pack
    assert (pack.id, pack.title, pack.country, pack.languages, pack.default_language,
            pack.helplines) == ("lv-2027", {"lv": "Kāds pamanīja"}, "LV", ["lv", "en"], "lv", [])
    assert [f.code for f in loaded.findings if f.severity == "error"] == ["no-stories"]
    assert curator.get("/packs/lv-2027/settings").status_code == 200
    assert "lv-2027" in curator.get("/packs/").get_data(as_text=True)
    from admin.db import database
    from admin.models import AuditEntry
    from admin.models_content import Revision

    with database(app).session() as db:
        assert db.query(AuditEntry).filter_by(action="pack.create", target="lv-2027").count() == 1
        assert db.query(Revision).filter_by(pack_id="lv-2027", file="pack.yaml").count() == 1


def test_a_copy_takes_stories_and_settings_under_the_new_id(curator, post, tmp_path, pack_root):
    r = post(curator, {"id": "test-it", "copy_of": "test"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    copy = _load(tmp_path / "new" / "test-it").pack
    original = _load(pack_root).pack
    assert copy.id == "test-it"
    assert sorted(copy.stories) == sorted(original.stories) and copy.stories
    assert copy.helplines == original.helplines and copy.surveys == original.surveys
    assert (tmp_path / "new" / "test-it" / "media" / "images" / "home.png").is_file()
    assert _load(pack_root).pack.id == "test"  # the source is untouched


@pytest.mark.parametrize("data, says", [
    ({"id": "Bad Id!", "title": "x", "country": "SE", "languages": "sv",
      "default_language": "sv"}, "is not a pack id"),
    ({"id": "test", "copy_of": "test"}, "already a pack"),
    ({"id": "fresh", "title": "x", "country": "SE", "languages": "sv en",
      "default_language": "fi"}, "not in languages"),
    ({"id": "fresh", "title": "x", "country": "Sweden", "languages": "sv",
      "default_language": "sv"}, "country"),
])
def test_a_bad_new_pack_is_refused_and_leaves_nothing(curator, post, tmp_path, data, says):
    r = post(curator, data)
    assert r.status_code == 422
    assert says in r.get_data(as_text=True)
    new = tmp_path / "new"
    assert not new.exists() or list(new.iterdir()) == []


def test_only_curators_make_packs(editor, curator, post, tmp_path):
    assert curator.get("/packs/new").status_code == 200
    assert editor.get("/packs/new").status_code == 403
    r = post(editor, {"id": "x", "title": "x", "country": "SE",
                                        "languages": "sv", "default_language": "sv"})
    assert r.status_code == 403
    assert not (tmp_path / "new" / "x").exists()
