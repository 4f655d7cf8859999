"""Fixtures for the media tests: generated media, a headless display, the mixer."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from kiosk.media.settings import AudioSettings
from kiosk.media.video import VideoEngine
from tests.support.generated_media import NARRATION_TEXT, make_narration, make_pattern_video


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the pattern video and narration in three languages."""
    folder = tmp_path_factory.mktemp("media")
    make_pattern_video(folder / "pattern.mp4")
    for lang in NARRATION_TEXT:
        make_narration(folder, lang)
    return folder


@pytest.fixture
def screen():
    """A real pygame display surface under the dummy driver."""
    pygame.display.init()
    surface = pygame.display.set_mode((640, 480))
    yield surface
    pygame.display.quit()


@pytest.fixture
def mixer():
    """pygame's mixer, open on whichever audio driver the environment selects."""
    pygame.mixer.init(44100, -16, 2)
    yield pygame.mixer
    pygame.mixer.quit()


@pytest.fixture
def engine():
    """A real libvlc engine with sound going nowhere."""
    eng = VideoEngine(AudioSettings(), ["--aout=adummy"])
    assert eng.available, eng.reason
    yield eng
    eng.close()
