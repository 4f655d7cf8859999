"""Probing media for the validator: codecs by ffprobe or by header, and what the kiosk plays."""

from __future__ import annotations

import pytest

from kiosk.media.probe import playable, probe, sniff
from tests.support.generated_media import ffmpeg

CASES = {
    # name: (ffmpeg output args, container, video, audio, playable)
    "a.webm": (["-c:v", "libvpx", "-c:a", "libvorbis"], "webm", ("vp8",), ("vorbis",), True),
    "b.webm": (["-c:v", "libvpx-vp9", "-c:a", "libopus"], "webm", ("vp9",), ("opus",), True),
    "c.ogv": (["-c:v", "libtheora", "-c:a", "libvorbis"], "ogg", ("theora",), ("vorbis",), True),
    "d.mp4": (["-c:v", "libx264", "-c:a", "aac"], "mp4", ("h264",), ("aac",), True),
    "e.mp4": (["-c:v", "mpeg4", "-c:a", "aac"], "mp4", ("mpeg4",), ("aac",), False),
    "f.mkv": (["-c:v", "libx264", "-c:a", "flac"], "matroska", ("h264",), ("flac",), False),
    "g.ogg": (["-vn", "-c:a", "libopus"], "ogg", (), ("opus",), True),
    "h.wav": (["-vn"], "wav", (), ("pcm",), True),
    "i.mp3": (["-vn"], "mp3", (), ("mp3",), True),
    "j.flac": (["-vn"], None, (), ("flac",), False),
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probe")
    for name, (args, *_rest) in CASES.items():
        ffmpeg("-f", "lavfi", "-i", "testsrc=s=128x96:r=10:d=1", "-f", "lavfi", "-i",
               "sine=d=1", "-shortest", *args, str(folder / name))
    (folder / "notes.txt").write_text("not media", encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_ffprobe_and_the_header_sniff_agree(samples, name):
    _args, container, video, audio, ok = CASES[name]
    info = probe(samples / name)
    assert info.source == "ffprobe"
    assert (info.video, info.audio) == (video, audio)
    if container:
        assert info.container == container
        assert info.duration_ms and 800 <= info.duration_ms <= 1300
    sniffed = sniff(samples / name)
    if container:  # the sniff knows the kiosk's containers (and says None for others)
        assert (sniffed.container, sniffed.video, sniffed.audio) == (container, video, audio)
    assert playable(samples / name)[0] is ok
    assert playable(samples / name, use_ffprobe=False)[0] is ok


def test_reasons_speak_to_authors(samples, tmp_path):
    ok, reason = playable(samples / "e.mp4")
    assert not ok and reason.endswith("the video codec is mpeg4; the kiosk plays h264, "
                                      "theora, vp8, vp9")
    ok, reason = playable(samples / "f.mkv")
    assert not ok and "the container is matroska" in reason
    ok, reason = playable(samples / "notes.txt", use_ffprobe=False)
    assert not ok and "not a media file the kiosk recognises" in reason
    assert playable(tmp_path / "none.ogg") == (False, f"{tmp_path / 'none.ogg'}: the file does "
                                                      "not exist")
