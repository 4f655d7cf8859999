"""Video through libvlc into a pygame surface: pixels, seeking, controls, sound, threads."""

from __future__ import annotations

import time
from array import array
from pathlib import Path

import pygame
import pytest

from kiosk.media.probe import playable
from kiosk.media.settings import AudioSettings
from kiosk.media.video import VideoEngine
from tests.support.generated_media import (
    BANDS,
    PATTERN_SIZE,
    SECONDS,
    TONE_HZ,
    close_to,
    make_pattern_video,
)

W, H = PATTERN_SIZE


def os_threads() -> int:
    """Threads of this process as the kernel counts them (VLC's are not Python threads)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads line")


def wait_until(predicate, timeout_s: float = 10.0) -> bool:
    """Poll predicate until it is true or the time is up."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def bottom_colour(surface) -> tuple[int, int, int]:
    """The per-second colour of the pattern's lower half."""
    w, h = surface.get_size()
    return tuple(surface.get_at((w // 2, h * 3 // 4)))[:3]


def test_a_decoded_frame_has_the_pattern_colours(engine, media_dir, screen):
    with engine.open(media_dir / "pattern.mp4", (W, H)) as player:
        assert player.draw(screen, (0, 0)) is False  # nothing decoded yet: the poster shows
        player.play()
        assert player.wait_frame(15)
        assert player.frame_size == (W, H)
        screen.fill((0, 0, 0))
        assert player.draw(screen, (10, 20))
        for i, colour in enumerate(BANDS):
            x = 10 + W * (2 * i + 1) // 6
            assert close_to(screen.get_at((x, 20 + H // 4)), colour), (i, screen.get_at((x, 84)))
        assert close_to(screen.get_at((10 + W // 2, 20 + H * 3 // 4)), SECONDS[0])
        assert tuple(screen.get_at((5, 5)))[:3] == (0, 0, 0)  # drawn where asked, nowhere else


def test_frames_fit_the_box_and_keep_the_aspect_ratio(engine, media_dir, screen):
    with engine.open(media_dir / "pattern.mp4", (200, 200)) as player:
        player.play()
        assert player.wait_frame(15)
        w, h = player.frame_size
        assert w == 200 and abs(h - 200 * H / W) <= 2
        frame = player.snapshot()
        assert close_to(frame.get_at((w // 6, h // 4)), BANDS[0])
        screen.fill((0, 0, 0))
        assert player.draw_in(screen, pygame.Rect(100, 100, 200, 200))
        top = 100 + (200 - h) // 2
        assert tuple(screen.get_at((150, top - 2)))[:3] == (0, 0, 0)  # letterbox stays
        assert close_to(screen.get_at((110, top + 5)), BANDS[0])


@pytest.mark.parametrize("name, codec, audio", [
    ("vp8.webm", "libvpx", "libvorbis"), ("vp9.webm", "libvpx-vp9", "libopus"),
    ("theora.ogv", "libtheora", "libvorbis")])
def test_the_other_playable_codecs_decode_too(engine, tmp_path, name, codec, audio):
    # 3 s: libvlc 3.0 sometimes ends a sub-second Ogg Theora clip without showing a frame.
    path = make_pattern_video(tmp_path / name, seconds=3, codec=codec, audio=audio)
    assert playable(path) == (True, "")
    with engine.open(path, (W, H)) as player:
        player.play()
        assert player.wait_frame(15)
        frame = player.snapshot()
        for i, colour in enumerate(BANDS):
            assert close_to(frame.get_at((W * (2 * i + 1) // 6, H // 4)), colour), (name, i)


@pytest.mark.alone  # positions of a video playing in real time
def test_seek_pause_and_replay(engine, media_dir):
    with engine.open(media_dir / "pattern.mp4", (W, H)) as player:
        player.play()
        assert player.wait_frame(15)
        assert wait_until(lambda: player.duration_ms > 0)
        assert abs(player.duration_ms - 4000) < 200
        player.seek(2500)
        assert wait_until(lambda: close_to(bottom_colour(player.snapshot()), SECONDS[2]), 3)
        player.pause()
        assert wait_until(lambda: player.state == "Paused")
        assert not player.is_playing and player.is_paused
        held = player.position_ms
        assert 2300 <= held <= 3400
        time.sleep(0.4)
        assert player.position_ms == held
        player.play()
        assert player.is_playing and not player.is_paused
        assert wait_until(lambda: player.ended, 4)
        assert not player.is_playing and player.position_ms == player.duration_ms
        player.replay()
        assert player.is_playing
        assert wait_until(lambda: 0 < player.position_ms < 1500 and player.state == "Playing")
        assert wait_until(lambda: close_to(bottom_colour(player.snapshot()), SECONDS[0]))
        player.seek_fraction(0.8)
        assert wait_until(lambda: close_to(bottom_colour(player.snapshot()), SECONDS[3]), 3)


@pytest.mark.alone  # sound from a real decode, mute timed
def test_video_sound_comes_out_of_vlc_and_mute_applies(media_dir):
    pcm = bytearray()
    settings = AudioSettings(volume=1.0)
    eng = VideoEngine(settings, audio_sink=pcm.extend)
    with eng.open(media_dir / "pattern.mp4", (W, H)) as player:
        player.play()
        assert wait_until(lambda: len(pcm) > 44100 * 4 * 2)  # two seconds decoded
        settings.muted = True  # the visitor's sound off control
        player.update()
        assert wait_until(lambda: player.ended, 8)
    eng.close()
    left = array("h", bytes(pcm))[::2]
    assert len(left) >= 44100 * 3.5  # the whole 4 s came through VLC
    first = left[: 44100]
    assert max(abs(s) for s in first) > 3000, "the video's tone did not come out of VLC"
    crossings = sum(1 for a, b in zip(first, first[1:], strict=False) if a < 0 <= b)
    assert abs(crossings - TONE_HZ) < 20  # the tone, not noise
    # libvlc's software volume applies to samples decoded after the change (amem decodes
    # about a second ahead); the end of the video must be silent.
    assert max(abs(s) for s in left[-44100 // 2:]) < 50, "muting did not silence the video"


def test_first_frame_for_prefetch_and_no_threads_left(engine, media_dir):
    before = os_threads()
    for _ in range(5):
        frame = engine.first_frame(media_dir / "pattern.mp4", (192, 128))
        assert frame.get_size() == (192, 128)
        assert close_to(frame.get_at((32, 32)), BANDS[0])
        assert close_to(bottom_colour(frame), SECONDS[0])
    assert wait_until(lambda: os_threads() <= before + 1, 3), (before, os_threads())


def test_a_missing_file_is_a_clear_error(engine, tmp_path):
    from kiosk.media.errors import MediaError

    with pytest.raises(MediaError, match="does not exist"):
        engine.open(tmp_path / "nope.mp4", (W, H))


@pytest.mark.alone  # positions of a video playing in real time
def test_subtitles_follow_the_playing_video(engine, media_dir, tmp_path):
    from kiosk.media.subtitles import load_subtitles

    names = ["white", "yellow", "cyan", "magenta"]
    vtt = tmp_path / "pattern.en.vtt"
    vtt.write_text("WEBVTT\n\n" + "\n".join(
        f"00:0{i}.000 --> 00:0{i + 1}.000\nThe lower half is {name}.\n"
        for i, name in enumerate(names)), encoding="utf-8")
    subs = load_subtitles(vtt)
    seen = set()
    with engine.open(media_dir / "pattern.mp4", (W, H)) as player:
        player.play()
        assert player.wait_frame(15)
        while not player.ended:
            position = player.position_ms
            if 250 <= position % 1000 <= 750:  # well inside a second: no boundary race
                text = subs.text_at(position)
                second = position // 1000
                assert text == f"The lower half is {names[second]}."
                assert close_to(bottom_colour(player.snapshot()), SECONDS[second], 40)
                seen.add(second)
            time.sleep(0.05)
    assert seen == {0, 1, 2, 3}, seen
