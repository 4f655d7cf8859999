"""A media path leads out of the pack through a linked folder as surely as through a linked
file: the validator follows each folder's links (once per check) as well as the file's."""

from __future__ import annotations

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02"
       b"\x00\x00\x00\x90\x91h6")


def findings(root, code):
    return [f for f in load_pack(root, today=TODAY).findings if f.code == code]


def test_a_picture_in_a_folder_linked_from_outside_the_pack_is_refused(pack, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "p.png").write_bytes(PNG)
    (pack.root / "media" / "pics").symlink_to(outside)
    pack.edit(STORY, "    text: {sv: Vännen", "    image: pics/p.png\n    text: {sv: Vännen")

    [found] = findings(pack.root, "media-outside")
    assert found.message == "media/pics/p.png is a link leading outside the pack"


def test_a_folder_linked_within_the_media_folder_is_fine(pack):
    (pack.root / "media" / "real").mkdir()
    (pack.root / "media" / "real" / "p.png").write_bytes(PNG)
    (pack.root / "media" / "pics").symlink_to(pack.root / "media" / "real")
    pack.edit(STORY, "    text: {sv: Vännen", "    image: pics/p.png\n    text: {sv: Vännen")
    pack.edit(STORY, "    text: {sv: Annonsen", "    image: real/p.png\n    text: {sv: Annonsen")

    assert findings(pack.root, "media-outside") == []
    assert findings(pack.root, "media-missing") == []
    assert findings(pack.root, "media-type") == []
