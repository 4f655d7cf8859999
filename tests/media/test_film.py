"""A scene's film, its player opened on the video engine's thread (issue 24): what the visitor
asked for before it opened is kept, and a film closed at any moment before it opened leaves
no player and no thread behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiosk.media.video import Film
from tests.media.test_video import os_threads, wait_until
from tests.support.generated_media import PATTERN_SIZE

W, H = PATTERN_SIZE


def hold(engine) -> threading.Event:
    """Keep the engine's thread busy until the returned event is set: the jobs queued behind
    it wait (as on a machine where that thread is slow to run)."""
    gate = threading.Event()
    assert engine.later(lambda: gate.wait(10), Path("held"))
    return gate


def test_the_film_opens_on_the_engines_thread_and_plays_as_asked(engine, media_dir, screen):
    film = engine.film(media_dir / "pattern.mp4", (W, H))
    film.play()  # the scene starts it on the tap's frame, before it is open
    assert film.player is None and engine.players_opened == 0
    assert film.is_playing, "asked to play: the idle timer waits for it already"
    assert film.draw_in(screen, screen.get_rect()) is False, "the poster shows meanwhile"

    film.open_soon()
    assert film.wait_open(10)
    player = film.player
    assert player is not None and engine.players_opened == 1
    assert player.wait_frame(15), "it plays without being asked again"
    assert film.draw_in(screen, screen.get_rect())
    film.close()
    assert engine.wait_idle(10)
    assert player.closed and engine.open_players == 0


def test_a_pause_before_it_opens_is_kept(engine, media_dir):
    film = engine.film(media_dir / "pattern.mp4", (W, H))
    film.play()
    film.toggle_pause()  # the visitor tapped Pause on the poster
    assert not film.is_playing
    film.open_soon()
    assert film.wait_open(10) and film.player is not None
    assert not film.player.is_playing, "the pause tapped before it opened still holds"
    film.toggle_pause()
    assert film.player.is_playing
    film.close()


def test_a_film_closed_before_its_job_ran_opens_nothing(engine, media_dir):
    gate = hold(engine)
    threads = os_threads()
    film = engine.film(media_dir / "pattern.mp4", (W, H))
    film.play()
    film.open_soon()
    film.close()  # the visitor left before the engine's thread got to it
    gate.set()
    assert engine.wait_idle(10)
    assert film.wait_open(0), "its job ran, and did nothing"
    assert film.player is None and not film.is_playing
    assert engine.players_opened == 0 and engine.open_players == 0
    assert wait_until(lambda: os_threads() <= threads, 3), (threads, os_threads())


def test_a_film_closed_while_its_player_opens_is_closed_there(engine, media_dir):
    path = media_dir / "pattern.mp4"
    opening, gate = threading.Event(), threading.Event()

    def open_slowly():
        opening.set()
        gate.wait(10)
        return engine.open(path, (W, H))

    film = Film(path, open_slowly, engine.later, engine.close_later)
    film.play()
    film.open_soon()
    assert opening.wait(10)
    film.close()  # while the engine's thread is inside libvlc, creating the player
    gate.set()
    assert film.wait_open(10) and engine.wait_idle(10)
    assert engine.players_opened == 1, "the player was made..."
    assert engine.open_players == 0, "...and closed at once, never handed over"
    assert film.player is None


def test_closing_the_engine_with_a_film_on_its_way_leaves_nothing(engine, media_dir):
    film = engine.film(media_dir / "pattern.mp4", (W, H))
    film.play()
    film.open_soon()
    engine.close()  # the kiosk shuts down in the frame after the tap
    assert engine.open_players == 0
    assert not [t for t in threading.enumerate() if t.name == "video-engine"]
    late = Film(film.path, lambda: pytest.fail("opened after close"), engine.later,
                engine.close_later)
    late.open_soon()  # queues nothing, starts no thread
    assert late.wait_open(0) and late.player is None
    assert not [t for t in threading.enumerate() if t.name == "video-engine"]
