"""An editor shapes a story on its map: a scene after a scene, a choice, an ending."""

from __future__ import annotations

import re
from html import unescape

import yaml

from admin.db import database
from admin.models import Role
from admin.models_content import Revision
from kiosk.content import load_pack
from tests.support.admin_pages import base_hash

MAP = "/stories/test/ana/map"
PATH = ("stories", "ana.yaml")


def _post(client, action, **data):
    page = client.get(MAP).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post(f"{MAP}/{action}", data={"csrf_token": token,
                                              "base_hash": base_hash(page), **data},
                    follow_redirects=True)
    return r.status_code, unescape(r.get_data(as_text=True))


def _story(pack_root):
    return yaml.safe_load(pack_root.joinpath(*PATH).read_text("utf-8"))


def _errors(pack_root):
    return [f.format() for f in load_pack(pack_root).findings if f.severity == "error"]


def test_every_edit_is_a_plain_form_on_the_map(editor):
    page = editor.get(MAP).get_data(as_text=True)
    for action in ("add-after", "add-choice", "ending"):
        assert f'<form method="post" action="/stories/test/ana/map/{action}">' in page
    assert "<script" not in page
    for field in ("after", "source", "target", "scene"):  # targets picked from the scenes
        options = re.search(rf'name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)"', options) == ["home", "friend",
                                                                    "advert", "end"]


def test_a_scene_after_a_scene_takes_over_its_way_on(editor, pack_root, app):
    status, page = _post(editor, "add-after", after="friend", new_id="doubt", language="en",
                         text="The friend hesitates.")
    assert status == 200 and "Done" in page
    story = _story(pack_root)
    assert story["scenes"]["friend"]["next"] == "doubt"
    assert story["scenes"]["doubt"] == {"text": {"en": "The friend hesitates."},
                                        "next": "advert"}
    assert list(story["scenes"]) == ["home", "friend", "doubt", "advert", "end"]
    _post(editor, "add-after", after="end", new_id="after", language="sv",
          text="Efteråt.\r\n\r\nEtt nytt stycke.")
    story = _story(pack_root)
    assert story["scenes"]["end"].get("ending") is None and story["scenes"]["end"]["next"] \
        == "after"
    assert story["scenes"]["after"]["ending"]["helped"]["en"] == "A friend who asked."
    assert story["scenes"]["after"]["text"] == {"sv": "Efteråt.\n\nEtt nytt stycke.\n"}
    assert "      sv: |\n        Efteråt.\n" in pack_root.joinpath(*PATH).read_text("utf-8")
    assert _errors(pack_root) == []
    with database(app).session() as db:
        assert db.query(Revision).count() == 2


def test_a_choice_goes_from_a_scene_to_the_scene_picked(editor, pack_root):
    _post(editor, "add-choice", source="home", target="end", language="en",
          label="Walk away")
    choices = _story(pack_root)["scenes"]["home"]["choices"]
    assert choices[-1] == {"label": {"en": "Walk away"}, "goto": "end"} and len(choices) == 3
    before = pack_root.joinpath(*PATH).read_text("utf-8")
    _status, page = _post(editor, "add-choice", source="friend", target="end", language="en",
                          label="Call for help")
    assert "without a choice" in page
    assert pack_root.joinpath(*PATH).read_text("utf-8") == before
    _post(editor, "add-choice", source="friend", target="end", language="en",
          label="Call for help", first_label="Read the advert")
    friend = _story(pack_root)["scenes"]["friend"]
    assert "next" not in friend and friend["choices"] == [
        {"label": {"en": "Read the advert"}, "goto": "advert"},
        {"label": {"en": "Call for help"}, "goto": "end"}]
    assert _errors(pack_root) == []


def test_marking_an_ending(editor, pack_root):
    _post(editor, "ending", scene="friend")
    story = _story(pack_root)
    assert story["scenes"]["friend"] == {"text": {"sv": "Vännen är orolig.",
                                                  "en": "The friend is worried."},
                                         "ending": True}
    assert "already an ending" in _post(editor, "ending", scene="end")[1]


def test_an_edit_the_validator_refuses_changes_nothing(editor, pack_root):
    before = pack_root.joinpath(*PATH).read_text("utf-8")
    page = _post(editor, "add-after", after="home", new_id="x", language="en", text="X")[1]
    assert "goes on by choices" in page
    page = _post(editor, "add-after", after="friend", new_id="end", language="en", text="X")[1]
    assert "already has a scene" in page
    page = _post(editor, "add-choice", source="home", target="nowhere", language="en",
                 label="X")[1]
    assert 'no scene "nowhere"' in page
    page = _post(editor, "add-after", after="friend", new_id="y", language="en", text=" ")[1]
    assert "write the text" in page
    assert pack_root.joinpath(*PATH).read_text("utf-8") == before


def test_a_stale_map_is_refused(editor, pack_root):
    page = editor.get(MAP).get_data(as_text=True)
    path = pack_root.joinpath(*PATH)
    other = path.read_text("utf-8").replace("duration: 2", "duration: 5")
    path.write_text(other, "utf-8")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = editor.post(f"{MAP}/ending", data={"csrf_token": token, "base_hash": base_hash(page),
                                           "scene": "friend"}, follow_redirects=True)
    assert "changed since you opened" in r.get_data(as_text=True)
    assert path.read_text("utf-8") == other


def test_viewers_and_translators_see_the_map_without_its_forms(as_role, pack_root):
    for role, languages in ((Role.VIEWER, ""), (Role.TRANSLATOR, "en")):
        client = as_role(role, languages=languages)
        page = client.get(MAP).get_data(as_text=True)
        assert "/map/add-after" not in page
        assert client.post(f"{MAP}/ending", data={"base_hash": "x",
                                                  "scene": "friend"}).status_code == 403
