"""The story map marks unreachable and dead-end scenes, and links each scene to its editor."""

from __future__ import annotations

import re


def test_the_map_links_every_scene(editor):
    svg = editor.get("/stories/test/ana/map").get_data(as_text=True)
    for sid in ("home", "friend", "advert", "end"):
        assert f'href="/stories/test/ana/scenes/{sid}"' in svg
    assert 'class="scene start"' in svg and 'class="scene ending"' in svg
    assert "unreachable" not in re.sub(r"<text[^>]*>Rows.*?</text>", "", svg).split(
        "<svg")[1].split('class="scene')[0]


def test_unreachable_and_dead_end_scenes_are_marked(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text() + """  lost:
    text: {sv: Ingen kommer hit., en: Nobody comes here.}
    next: loop
  loop:
    text: {sv: Runt., en: Around.}
    next: lost
""")
    svg = editor.get("/stories/test/ana/map").get_data(as_text=True)
    assert re.search(r'class="scene[^"]*unreachable" data-scene="lost"', svg)
    assert re.search(r'class="scene[^"]*unreachable" data-scene="loop"', svg)
    path.write_text(path.read_text().replace("    next: advert\n  advert:",
                                             "    next: lost\n  advert:"))
    svg = editor.get("/stories/test/ana/map").get_data(as_text=True)
    assert re.search(r'class="scene dead-end" data-scene="lost"', svg), svg
    assert re.search(r'class="scene dead-end" data-scene="friend"', svg)


def test_scene_ids_are_escaped_in_the_map(editor):
    from admin.content.graph import story_svg
    from kiosk.content import model as M

    story = M.Story(id="x", file="stories/x.yaml", title={}, summary={}, languages=[],
                    duration=1, age_min=1, start="<b>", scenes={
                        "<b>": M.Scene(id="<b>", ending=M.Ending())})
    svg = str(story_svg(story, [], lambda s: f"/e/{s}"))
    assert "<b>" not in svg
    assert "<text" in svg and ">&lt;b&gt;<" in svg


def test_the_map_speaks_the_users_language(editor, pack_root):
    from tests.support.admin_pages import csrf_from

    token = csrf_from(editor.get("/account/").get_data(as_text=True))
    editor.post("/account/language", data={"csrf_token": token, "ui_language": "sv"})
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace("scenes:\n", "scenes:\n  lost:\n    text: {sv: "
                                             "Borta., en: Gone.}\n    ending: {}\n"))
    svg = editor.get("/stories/test/ana/map").get_data(as_text=True)
    assert "ana: 5 scener</title>" in svg and ">onåbar</text>" in svg and ">2 val</text>" in svg
    assert "Rader: steg från starten." in svg and "Rows:" not in svg
