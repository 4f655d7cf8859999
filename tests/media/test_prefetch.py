"""The prefetcher prepares the next scenes' media in the background; the main thread pumps."""

from __future__ import annotations

import pygame

from kiosk.media.images import COVER, ImageCache, image_key
from kiosk.media.narration import SoundCache, sound_key
from kiosk.media.prefetch import (
    ImageRequest,
    Prefetcher,
    SoundRequest,
    SubtitleRequest,
    VideoRequest,
)
from kiosk.media.settings import AudioSettings
from kiosk.media.subtitles import SubtitleCache
from kiosk.media.video import VideoEngine
from tests.support.generated_media import BANDS, close_to


def big_image(path, colour, size=(1600, 1000)):
    surface = pygame.Surface(size)
    surface.fill(colour)
    pygame.image.save(surface, str(path))
    return path


def test_the_next_scene_is_ready_before_the_tap(screen, mixer, media_dir, tmp_path):
    photo = big_image(tmp_path / "home.jpg", (120, 80, 60))
    captions = tmp_path / "home.en.vtt"
    captions.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHome.\n", encoding="utf-8")
    images, sounds, subtitles = ImageCache(), SoundCache(), SubtitleCache()
    engine = VideoEngine(AudioSettings(), ["--aout=adummy"])
    prefetch = Prefetcher(images, sounds, subtitles, engine)
    try:
        prefetch.want([ImageRequest(photo, (640, 480), COVER, (0.3, 0.3)),
                       SoundRequest(media_dir / "voice.en.ogg"), SubtitleRequest(captions),
                       VideoRequest(media_dir / "pattern.mp4", (320, 240))])
        assert prefetch.wait_idle(20)
        assert prefetch.pump(budget_ms=None) == 4
        assert prefetch.pending == 0 and not prefetch.failures
        # The scene now asks for exactly these: no disk, no decoder on the main thread.
        image = images.get(photo, (640, 480), COVER, (0.3, 0.3))
        assert images.loads == 0 and image.get_size() == (640, 480)
        assert image.get_masks() == screen.get_masks()
        assert sounds.get(media_dir / "voice.en.ogg").get_length() > 1.5
        assert sounds.loads == 0
        assert subtitles.peek(sound_key(captions)).text_at(500) == "Home."
        frame = images.peek(image_key(media_dir / "pattern.mp4", (320, 240), "frame"))
        assert frame is not None and frame.get_size() == (320, 212)
        assert close_to(frame.get_at((50, 50)), BANDS[0])
        # Asking again for what is cached queues nothing.
        prefetch.want([ImageRequest(photo, (640, 480), COVER, (0.3, 0.3))])
        assert prefetch.pending == 0
    finally:
        prefetch.close()
        engine.close()


def test_a_new_list_cancels_the_old_one(screen, tmp_path):
    paths = [big_image(tmp_path / f"{i}.png", (i, i, i)) for i in range(12)]
    images = ImageCache()
    prefetch = Prefetcher(images)
    try:
        prefetch.want([ImageRequest(p, (800, 500)) for p in paths])
        prefetch.want([ImageRequest(paths[-1], (800, 500))])  # the visitor went elsewhere
        assert prefetch.wait_idle(20)
        prefetch.pump(None)
        assert len(images) == 1 and image_key(paths[-1], (800, 500)) in images
        prefetch.want([ImageRequest(p, (400, 250)) for p in paths[:3]])
        prefetch.cancel()  # Leave now
        assert prefetch.wait_idle(20)
        assert prefetch.pump(None) == 0 and prefetch.pending == 0
    finally:
        prefetch.close()


def test_a_bad_file_is_reported_and_the_rest_still_arrives(screen, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    good = big_image(tmp_path / "good.png", (1, 2, 3), (64, 64))
    images = ImageCache()
    prefetch = Prefetcher(images)
    try:
        prefetch.want([ImageRequest(broken, (64, 64)), ImageRequest(tmp_path / "gone.png"),
                       ImageRequest(good, (64, 64))])
        assert prefetch.wait_idle(10)
        assert prefetch.pump(None) == 1
        assert image_key(good, (64, 64)) in images
        reasons = sorted(reason for _, reason in prefetch.failures)
        assert "broken.jpg: cannot decode the image" in reasons[0]
        assert "gone.png: cannot read" in reasons[1]
    finally:
        prefetch.close()


def test_pump_respects_its_budget(screen, tmp_path):
    paths = [big_image(tmp_path / f"{i}.png", (i, 9, 9), (64, 64)) for i in range(6)]
    images = ImageCache()
    prefetch = Prefetcher(images)
    try:
        prefetch.want([ImageRequest(p) for p in paths])
        assert prefetch.wait_idle(10)
        assert prefetch.pump(budget_ms=0) == 1  # at least one per frame, then stop
        assert prefetch.pump(budget_ms=None) == 5
    finally:
        prefetch.close()


def test_the_media_context_builds_and_closes_cleanly(screen, mixer, media_dir):
    import threading

    from kiosk.media import Media

    media = Media.create(vlc_args=["--aout=adummy"])
    assert media.video.available and media.narration.available
    media.prefetch.want([SoundRequest(media_dir / "voice.sv.ogg")])
    assert media.prefetch.wait_idle(10) and media.prefetch.pump(None) == 1
    media.narration.play(media_dir / "voice.sv.ogg")
    assert media.narration.is_playing and media.sounds.loads == 0
    media.settings.muted = True
    media.apply_settings()
    assert pygame.mixer.Channel(0).get_volume() == 0.0
    media.close()
    assert not media.narration.is_playing
    assert "media-prefetch" not in [t.name for t in threading.enumerate()]
