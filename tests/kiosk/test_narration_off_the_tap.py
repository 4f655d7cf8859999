"""A narration is never decoded on the frame of the tap that shows its scene (issue 24: it took
20-60 ms of the main thread's time, the slowest taps of bench/kiosk_tap.py): the scene shows at
once and its narration starts on the frame the prefetcher has decoded it."""

from __future__ import annotations

from kiosk.app.shots import place_story
from kiosk.content.model import Pack

NARRATION = "audio/emil/start.en.ogg"  # the demo's first scene of Emil's story, in English


def test_the_scene_shows_at_once_and_its_narration_starts_when_decoded(demo):
    app = demo.app
    media = app.ctx.media
    assert media.narration.available, "the dummy audio driver gives the kiosk a mixer"
    place_story(app, "emil", "start", "en")
    media.prefetch.cancel()
    media.sounds.clear()  # a narration not decoded ahead: a fast visitor, a busy machine
    decoded_here = media.sounds.loads

    app.flow.show_scene()
    demo.frame()
    assert demo.screen == "passage"
    panel = demo.top.media
    assert media.sounds.loads == decoded_here, "nothing was decoded on the main thread"
    assert not media.narration.is_playing
    assert panel.playing(), "the idle timer waits for the narration about to play"

    assert media.prefetch.wait_idle(10.0)
    demo.frame()
    pack: Pack = app.ctx.pack
    assert media.narration.path == pack.media_path(NARRATION)
    assert media.narration.is_playing, "the narration starts once it is decoded"
    assert media.sounds.loads == decoded_here, "decoded by the prefetcher, not the kiosk's thread"


def test_a_narration_the_prefetcher_dropped_is_decoded_on_a_later_frame(demo):
    app = demo.app
    media = app.ctx.media
    place_story(app, "emil", "start", "en")
    media.prefetch.cancel()
    media.sounds.clear()
    app.flow.show_scene()
    demo.frame()
    assert not media.narration.is_playing
    media.prefetch.cancel()  # the request is gone (as when the prefetcher fails a file)
    assert media.prefetch.wait_idle(10.0)  # the worker finishes the file in hand, unstored
    demo.frame()
    assert media.narration.is_playing, "decoded here rather than never played"
