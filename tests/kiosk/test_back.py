"""Each screen's Back goes where a visitor expects, decided by the screen itself."""

from __future__ import annotations


def test_back_from_the_menu_is_a_new_visit_at_the_language_picker(demo):
    demo.tap((960, 500))
    demo.press("lang:en")
    assert demo.screen == "menu"
    visit = demo.app.flow.visit
    demo.press("back")
    assert demo.screen == "language"  # the demo pack offers five languages
    assert demo.app.flow.visit is not visit  # the visit ended with the menu
    demo.press("back")
    assert demo.screen == "attract"


def test_back_from_a_story_note_is_the_menu(demo):
    demo.tap((960, 500))
    demo.press("lang:en")
    demo.press("story:nadia")
    assert demo.screen == "content_note"
    demo.press("back")
    assert demo.screen == "menu"

