"""libvlc's errors in the kiosk log: a film cut short while it opens is no error of the pack."""

from __future__ import annotations

import logging

import pytest

from kiosk.media import AudioSettings
from kiosk.media.video import VideoEngine
from kiosk.media.vlclog import VlcLog


@pytest.fixture
def vlc_log():
    """The VlcLog of a real libvlc instance (the video engine's)."""
    engine = VideoEngine(AudioSettings())
    if not isinstance(getattr(engine, "vlc_log", None), VlcLog):
        engine.close()
        pytest.skip(f"no libvlc here: {engine.reason}")
    yield engine.vlc_log
    engine.close()


def test_a_film_closed_while_it_opens_logs_nothing_but_other_errors_are_logged(vlc_log,
                                                                             caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.media.vlc")
    # a visitor who taps on at once cuts the stream's first read short (seen on a busy machine)
    vlc_log.note("cannot pre fill buffer")
    vlc_log.note("cannot peek")
    vlc_log.note("cannot create chunks index")  # the MP4 index box read cut short (CI, loaded)
    assert caplog.records == []
    vlc_log.note("no suitable decoder module for fourcc `abcd'")
    assert [r.getMessage() for r in caplog.records] == [
        "libvlc: no suitable decoder module for fourcc `abcd'"]
