"""ETHICS.md rule 1 on a kiosk that runs for months: past its consent review date a story is
hidden, at the first attract loop of that day, without a restart and without taking the other
stories of the pack with it. Before, the kiosk compared only the pack's files: a story whose
review date passed kept playing until a file changed or the kiosk restarted, and then the whole
pack was refused for that one story."""

from __future__ import annotations

import datetime as dt

from tests.support.kiosk_driver import make_app

REVIEW_BY = dt.date(2027, 1, 31)  # the second story's consent review date


def add_story(pack, story_id: str, review_by: dt.date) -> None:
    """A copy of the fixture's story under another id, with its own review date."""
    text = (pack / "stories" / "ana.yaml").read_text()
    text = text.replace("id: ana", f"id: {story_id}", 1)
    text = text.replace("review_by: 2028-06-30", f"review_by: {review_by.isoformat()}")
    (pack / "stories" / f"{story_id}.yaml").write_text(text)


def to_story_menu(k) -> list[str]:
    k.tap((960, 500))
    k.press("lang:en")
    assert k.screen == "menu"
    return [key for key in k.keys() if key.startswith("story:")]


def back_to_attract(k) -> None:
    k.press("leave")
    k.frame(13)
    assert k.screen == "attract"


def test_a_story_goes_the_day_its_consent_expires_and_the_rest_plays_on(pack_copy, cache_env):
    add_story(pack_copy, "bea", REVIEW_BY)
    k = make_app(pack_copy, cache_env, today=REVIEW_BY)
    try:
        assert to_story_menu(k) == ["story:ana", "story:bea"], "valid on its review date"
        back_to_attract(k)

        k.app.ctx.packs.today = REVIEW_BY + dt.timedelta(days=1)  # midnight passes
        k.frame(31)  # the attract loop looks at the pack every 30 s
        assert k.app.ctx.packs.hidden == ("bea",)
        assert k.app.ctx.packs.last_refusal is None, "the pack is not refused for one story"
        assert to_story_menu(k) == ["story:ana"]
        k.press("story:ana")
        assert k.screen == "content_note", "the other story still plays (its notes first)"
    finally:
        k.app.close()


def test_a_pack_whose_every_story_expired_is_refused_and_the_last_good_one_kept(
        pack_copy, cache_env):
    k = make_app(pack_copy, cache_env, today=dt.date(2028, 6, 30))
    try:
        source = k.app.ctx.packs
        good = k.app.ctx.pack
        source.today = dt.date(2028, 7, 1)
        assert source.check() is False
        assert "consent review date 2028-06-30 has passed" in source.last_refusal
        assert k.app.ctx.pack is good
    finally:
        k.app.close()


def test_any_other_error_still_refuses_the_whole_pack(pack_copy, cache_env):
    add_story(pack_copy, "bea", REVIEW_BY)
    k = make_app(pack_copy, cache_env, today=REVIEW_BY + dt.timedelta(days=1))
    try:
        source = k.app.ctx.packs
        assert source.hidden == ("bea",)
        broken = (pack_copy / "stories" / "ana.yaml").read_text().replace("start: home",
                                                                          "start: nowhere")
        (pack_copy / "stories" / "ana.yaml").write_text(broken)
        assert source.check() is False
        assert source.last_refusal and "nowhere" in source.last_refusal
        assert sorted(k.app.ctx.pack.stories) == ["ana"], "the last good pack plays on"
    finally:
        k.app.close()
