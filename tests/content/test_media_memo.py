"""The validator remembers what it found in a media file only while the file is unchanged.

Loading a pack reads every media file it names; the findings about a file's content are kept
under the file's version (kiosk.content.filememo), so an author who replaces a picture or a
caption file, by any means, sees the findings of the new file at the next load.
"""

from __future__ import annotations

import os
import struct
import time
import zlib

import pytest

from kiosk.content import filememo, load_pack
from kiosk.content.filememo import FileMemo
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
HOUR_AGO_NS = time.time_ns() - 3600 * 1_000_000_000
SETTLED_S = 0.1


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch):
    """A file counts as settled 50 ms after its last change instead of 2 s (the tests wait
    SETTLED_S): what is tested is what happens to a remembered file."""
    monkeypatch.setattr(filememo, "RACY_NS", 50_000_000)


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims the given size (the pixels need not be there)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


def replace_keeping_times(path, data: bytes) -> None:
    """Overwrite a file in place and set its times back, as `cp -p` or rsync leave them."""
    st = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def codes(root) -> set[str]:
    return {f.code for f in load_pack(root, today=TODAY).findings}


def test_a_picture_replaced_in_place_with_its_old_time_and_size_is_checked_again(pack):
    picture = pack.write("media/friend.png", png(800, 600))
    os.utime(picture, ns=(HOUR_AGO_NS, HOUR_AGO_NS))  # old enough to be remembered
    pack.edit(STORY, "    text: {sv: Vännen", "    image: friend.png\n    text: {sv: Vännen")
    time.sleep(SETTLED_S)
    assert "media-too-large" not in codes(pack.root)
    assert "media-too-large" not in codes(pack.root)  # from memory this time

    replace_keeping_times(picture, png(40_000, 40_000))  # same size, same mtime

    assert "media-too-large" in codes(pack.root)


def test_a_caption_file_broken_by_another_program_is_reported_at_the_next_load(pack):
    narration = pack.write("media/n.ogg", b"OggS" + b"\0" * 24 + b"\x01vorbis" + b"\0" * 64)
    captions = pack.write("media/n.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n")
    for path in (narration, captions):
        os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    pack.edit(STORY, "    text: {sv: Vännen", "    narration: {sv: n.ogg, en: n.ogg}\n"
              "    captions: {sv: n.vtt, en: n.vtt}\n    text: {sv: Vännen")
    time.sleep(SETTLED_S)
    assert "subtitles" not in codes(pack.root)

    replace_keeping_times(captions, b"WEBVTT\n\n00:00.000 --> banana!!!\nHej\n")

    assert "subtitles" in codes(pack.root)


def test_an_unchanged_file_is_read_once_and_a_changed_one_again(tmp_path):
    path = tmp_path / "a.vtt"
    path.write_text("one")
    os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    memo, reads = FileMemo(), []
    time.sleep(SETTLED_S)

    def read():
        reads.append(path.read_text())
        return reads[-1]

    assert memo.get(path, "x", read) == "one"
    assert memo.get(path, "x", read) == "one"
    assert reads == ["one"]
    path.write_text("two")
    time.sleep(SETTLED_S)
    assert memo.get(path, "x", read) == "two"
    assert memo.get(path, "y", read) == "two"  # another question about the file
    assert reads == ["one", "two", "two"]


def test_a_file_written_just_now_is_not_remembered(tmp_path, monkeypatch):
    # Within one tick of the file system's clock a second write of the same size can leave
    # every field of the file's status as it was; such a file is read every time.
    monkeypatch.setattr(filememo, "RACY_NS", 2_000_000_000)
    path = tmp_path / "a.vtt"
    path.write_text("one")
    memo, reads = FileMemo(), []
    memo.get(path, "x", lambda: reads.append(1))
    memo.get(path, "x", lambda: reads.append(1))
    assert reads == [1, 1]


def test_only_the_most_recently_used_results_are_kept(tmp_path):
    memo = FileMemo(kept=2)
    paths = []
    for name in "abc":
        paths.append(tmp_path / name)
        paths[-1].write_text(name)
        os.utime(paths[-1], ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    time.sleep(SETTLED_S)
    for path in paths:
        memo.get(path, None, lambda: None)
    reads = []
    memo.get(paths[0], None, lambda: reads.append("a"))  # pushed out by c
    memo.get(paths[2], None, lambda: reads.append("c"))  # still kept
    assert reads == ["a"]
