"""Safe steps for visitors (issue 16): Back never leads into a skipped scene, and a tap acts
once. Driven through the real screens with posted touch events."""

from __future__ import annotations

from tests.kiosk.conftest import make_app
from tests.kiosk.test_screens import start_ana


def showing_note_of(k, scene_id: str) -> bool:
    """True when the screen is the content note of a scene (not its passage)."""
    top = k.top
    return (k.screen == "content_note" and top.scene_view is not None
            and top.scene_view.scene_id == scene_id)


def test_back_after_skipping_a_scene_with_choices_is_its_note(kiosk):
    start_ana(kiosk)
    kiosk.press("next")
    kiosk.press("choice:" + kiosk.app.flow.view().choices[1].id)  # "Read more": advert
    assert showing_note_of(kiosk, "advert")
    kiosk.press("other")  # Skip this scene: its choices, without the passage
    assert kiosk.screen == "choice"
    kiosk.press("back")
    assert showing_note_of(kiosk, "advert"), kiosk.screen  # never the skipped passage
    kiosk.press("other")  # skip again, choose, then Back from the ending
    kiosk.press("choice:" + kiosk.app.flow.view().choices[-1].id)  # "Wait"
    assert kiosk.screen == "ending"
    kiosk.press("back")
    assert showing_note_of(kiosk, "advert"), kiosk.screen
    kiosk.press("continue")  # the visitor now wants to read it: the passage shows
    assert kiosk.screen == "passage"
    assert kiosk.app.flow.view().text_line is not None


def test_back_from_the_scene_after_a_skipped_one_is_the_skipped_scenes_note(cache_env,
                                                                           pack_copy):
    story = pack_copy / "stories" / "ana.yaml"
    text = story.read_text()
    text = text.replace("    next: advert\n", "    content_notes: [threats]\n    next: advert\n")
    story.write_text(text)
    k = make_app(pack_copy, cache_env)
    try:
        start_ana(k)
        k.press("next")
        k.press("choice:" + k.app.flow.view().choices[0].id)  # "Ask the friend"
        assert showing_note_of(k, "friend")
        k.press("other")  # skip the friend's scene: on to the advert (its own note)
        assert showing_note_of(k, "advert")
        k.press("continue")
        assert k.screen == "passage" and k.app.flow.view().scene_id == "advert"
        k.press("back")
        assert showing_note_of(k, "friend"), (k.screen, k.app.flow.view().scene_id)
        k.press("back")  # Back from the note: the scene before it
        assert k.screen == "choice" or k.screen == "passage"
        assert k.app.flow.view().scene_id == "home"
    finally:
        k.app.close()
