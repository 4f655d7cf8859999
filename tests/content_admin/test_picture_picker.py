"""An editor picks a scene's picture from the library: thumbnails to tick, searched and paged
like the library, in a plain form (no script needed); the scene's picture is never dropped."""

from __future__ import annotations

import re

from PIL import Image

from kiosk.content import load_pack
from tests.support.admin_pages import form_values

SCENE = "/stories/test/ana/scenes/friend"


def _radios(page: str) -> dict[str, bool]:
    """The picker's choices: value -> ticked."""
    return {m.group(2): bool(m.group(3)) for m in re.finditer(
        r'<input type="radio" name="image" value="(([^"]*))"( checked)?>', page)}


def _library(pack_root, n: int) -> list[str]:
    """n more pictures in media/images/ (named street-01.png ...), as the library lists them."""
    names = [f"images/street-{i:02d}.png" for i in range(1, n + 1)]
    for name in names:
        Image.new("RGB", (8, 6), (90, 90, 90)).save(pack_root / "media" / name)
    return names


def test_the_editor_offers_library_pictures_as_thumbnails_not_a_path_box(editor, pack_root):
    page = editor.get(SCENE).get_data(as_text=True)
    assert 'type="text" id="image"' not in page and 'name="image" value="images/home.png"' in page
    assert _radios(page) == {"": True, "images/home.png": False}  # the scene has no picture
    assert '<img src="/media/test/file/images/home.png"' in page
    assert editor.get("/media/test/file/images/home.png").status_code == 200


def test_ticking_a_picture_saves_it_in_the_scene(editor, pack_root):
    data = form_values(editor.get(SCENE).get_data(as_text=True))
    data["image"] = "images/home.png"
    r = editor.post(SCENE, data=data)
    assert r.status_code in (302, 303), r.get_data(as_text=True)
    scene = load_pack(pack_root).pack.stories["ana"].scenes["friend"]
    assert scene.image.src == "images/home.png"
    page = editor.get(SCENE).get_data(as_text=True)
    assert _radios(page)["images/home.png"] is True and _radios(page)[""] is False


def test_the_picker_pages_and_searches_and_keeps_the_scenes_picture(editor, pack_root):
    names = _library(pack_root, 30)  # with home.png: 31 pictures, 24 a page
    data = form_values(editor.get(SCENE).get_data(as_text=True))
    data["image"] = names[-1]  # street-30.png: on the second page
    assert editor.post(SCENE, data=data).status_code in (302, 303)
    first = editor.get(SCENE).get_data(as_text=True)
    choices = _radios(first)
    assert len(choices) == 1 + 24 + 1  # none, this page's 24, and the scene's own picture
    assert choices[names[-1]] is True and "images/home.png" in choices
    assert "Page 1 of 2" in first and "pp=2#picture" in first
    second = _radios(editor.get(SCENE + "?pp=2").get_data(as_text=True))
    assert len(second) == 1 + 7 and second[names[-1]] is True
    found = editor.get(SCENE + "?pq=street-1").get_data(as_text=True)
    assert set(_radios(found)) == {"", names[-1]} | {f"images/street-1{i}.png" for i in range(10)}
    # saving the form as it comes back from any page keeps the picture
    data = form_values(editor.get(SCENE + "?pp=1").get_data(as_text=True))
    assert data["image"] == names[-1]
    assert editor.post(SCENE, data=data).status_code in (302, 303)
    assert load_pack(pack_root).pack.stories["ana"].scenes["friend"].image.src == names[-1]


def test_the_search_works_without_script_and_the_page_loads_none(editor, pack_root):
    page = editor.get(SCENE).get_data(as_text=True)
    assert re.search(r'<form id="picture-search" method="get" action="[^"]*/scenes/friend#picture"',
                     page)
    assert 'name="pq"' in page and 'form="picture-search"' in page
    assert "<script" not in page


def test_a_viewer_cannot_open_the_picker(as_role):
    from admin.models import Role

    assert as_role(Role.VIEWER).get(SCENE).status_code == 403
