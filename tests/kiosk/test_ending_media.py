"""An ending scene with a picture, a film or narration: first its passage (the film plays),
then Next shows the ending (what helped, what you can do, helplines) without the text again.
The demo's three films sit on such endings; before, the ending screen skipped them."""

from __future__ import annotations

import threading

from kiosk.app.flow import Flow
from kiosk.app.shots import place_story


def test_the_ending_film_plays_then_the_ending_follows(demo):
    app = demo.app
    place_story(app, "emil", "after", "en")
    view = app.flow.view()
    assert view.is_ending and view.scene.video is not None
    assert Flow.ending_has_media(view)
    app.flow.show_scene()
    demo.frame(1.0)
    assert demo.screen == "passage"
    film = demo.top.media.film
    assert film is not None and film.wait_open(10.0), "the film opens on the ending's passage"
    player = film.player
    assert player is not None
    assert player.wait_frame(10.0), "libvlc decodes the film"
    media = app.ctx.media
    assert media.images._lru.lent == media.images.budget_bytes // 2, "room for the decoder"
    text = demo.top.text
    assert "football club" in text
    assert demo.keys()[0] == "next"

    demo.press("next")
    assert demo.screen == "ending"
    ending = demo.top
    shown = [part[0] for part in ending.parts]
    assert text not in shown, "the story text is not repeated on the ending"
    assert any("tell an adult" in part for part in shown)  # what you can do
    assert app.manager.screens["passage"].media.player is None, "the film closes with it"
    assert media.images._lru.lent == 0 and media.sounds._lru.lent == 0

    demo.press("back")
    assert demo.screen == "passage" and app.flow.view().scene_id == "after"


def test_an_ending_without_media_goes_straight_to_the_ending(kiosk):
    app = kiosk.app
    place_story(app, "ana", "end", "en")
    assert not Flow.ending_has_media(app.flow.view())
    app.flow.show_scene()
    kiosk.frame(1.0)
    assert kiosk.screen == "ending"
    shown = [part[0] for part in kiosk.top.parts]
    assert "Ana gets help." in shown and "A friend who asked." in shown


def test_closing_the_kiosk_mid_film_closes_the_film_first(demo):
    """A kiosk closed while a film plays: before, the film's player was left open after
    libvlc was released, and VLC's threads went on calling its callbacks until the garbage
    collector freed them, which crashed the process (CI: a segmentation fault in the test
    after this file's first)."""
    app = demo.app
    place_story(app, "emil", "after", "en")
    app.flow.show_scene()
    demo.frame(1.0)
    assert demo.top.media.film.wait_open(10.0)
    player = demo.top.media.player
    assert player is not None and player.wait_frame(10.0)
    engine = app.ctx.media.video
    assert engine.open_players == 1

    app.close()
    assert player.closed, "the film playing when the kiosk closed is closed with it"
    assert engine.open_players == 0
    assert not [t for t in threading.enumerate() if t.name == "video-engine"]
    # VLC's event thread reporting the audio track late, after the engine closed, starts
    # no thread that would outlive the engine.
    engine._select_track_soon(player)
    assert not [t for t in threading.enumerate() if t.name == "video-engine"]
