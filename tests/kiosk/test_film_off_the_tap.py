"""A film is never opened on the frame of the tap that shows its scene (issue 24: opening the
libvlc player there made every tap slower than a frame in bench/kiosk_tap.py). The tap's
frame shows the scene with the film's poster, ready before the tap; the player opens on the
video engine's thread from the next frame on; a visitor who leaves before it opens leaves
no player and no thread behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pygame

from kiosk.app.shots import place_story

BEFORE_FILM = "stopped"  # Emil's scene whose Next leads to "after", the demo's film ending


def settle(demo, frames: int = 30) -> None:
    """Quiet frames: the fade ends, the next scenes are prefetched and warmed."""
    for _ in range(frames):
        demo.frame(0.1)
        demo.app.ctx.media.prefetch.wait_idle(10.0)


def os_threads() -> int:
    """Threads of this process as the kernel counts them (VLC's are not Python threads)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads line")


def before_the_film(demo):
    """Emil's story in English, on the passage before the film, warmed for the next tap."""
    app = demo.app
    place_story(app, "emil", BEFORE_FILM, "en")
    app.flow.show_scene()
    settle(demo)
    assert demo.screen == "passage" and app.flow.view().scene_id == BEFORE_FILM
    return app.ctx.media


def post(demo, key: str, *kinds: str) -> None:
    button = demo.button(key)
    for kind in kinds:
        for event in demo.touch_events(button.rect.center, kind):
            pygame.event.post(event)


def test_the_tap_shows_the_poster_and_the_player_opens_on_the_frames_after(demo):
    media = before_the_film(demo)
    engine = media.video
    texts = demo.app.ctx.texts
    opened, pictures, layouts = engine.players_opened, media.images.loads, texts.layouts_made
    post(demo, "next", "down")
    demo.frame()

    post(demo, "next", "up")
    demo.frame()  # the tap's frame
    assert demo.app.flow.view().scene_id == "after"
    panel = demo.top.media
    assert panel.film is not None, "the scene has its film"
    assert engine.players_opened == opened, "no player was opened on the tap's frame"
    assert panel.player is None
    assert media.images.loads == pictures, "the poster was ready before the tap"
    assert texts.layouts_made == layouts, "the film's scene was warmed before the tap"
    shown = demo.app.surface.copy()
    demo.top.draw(shown)  # the new screen as its tap's frame composed it, without the fade
    poster = panel.image
    assert poster is not None
    assert shown.get_at(panel.rect.center) == poster.get_at(
        poster.get_rect().center), "the poster stands where the film will play"
    assert panel.playing(), "the idle timer waits for the film about to play"

    demo.frame()  # the frame after: the engine's thread is asked for the player
    assert panel.film.wait_open(10.0)
    assert engine.players_opened == opened + 1 and panel.player is not None
    assert panel.player.wait_frame(10.0), "it plays without a further tap"
    demo.frame(0.1)
    assert "play" in demo.keys() and demo.button("play").label == "Pause"


def test_leaving_before_the_film_opened_leaves_nothing_behind(demo):
    media = before_the_film(demo)
    engine = media.video
    opened = engine.players_opened
    gate = threading.Event()  # the engine's thread is slow to come to the film
    assert engine.later(lambda: gate.wait(10.0), Path("held"))
    threads = os_threads()
    post(demo, "next", "down")
    demo.frame()
    post(demo, "next", "up")
    demo.frame()  # the tap's frame: the film's scene
    film = demo.top.media.film
    assert film is not None
    post(demo, "leave", "down", "up")
    demo.frame()  # the frame after asks for the player; Leave now closes the film
    assert demo.screen == "leave"
    assert film.closed

    gate.set()
    assert engine.wait_idle(10.0)
    settle(demo, 5)
    assert engine.players_opened == opened, "no player was opened for a film already left"
    assert engine.open_players == 0
    assert film.player is None
    assert os_threads() <= threads, "no thread was left behind"
    assert media.images._lru.lent == 0, "the caches have their whole budgets back"
