"""The demo pack's media: every file referenced exists, is what it claims, and fits the budget."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.support.demo_pack import PACK

MEDIA = PACK / "media"
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")


def referenced(pack) -> dict[str, set[str]]:
    """Every media path the pack names, by the kind of file it must be."""
    kinds: dict[str, set[str]] = {"image": {p.src for p in pack.kiosk.attract}, "audio": set(),
                                  "subtitles": set(), "video": set()}
    for story in pack.stories.values():
        for scene in story.scenes.values():
            kinds["image"].add(scene.image.src)
            kinds["audio"].update(scene.narration.values())
            kinds["subtitles"].update(scene.captions.values())
            if scene.video:
                kinds["video"].add(scene.video.src)
                kinds["image"].add(scene.video.poster)
                kinds["subtitles"].update(scene.video.subtitles.values())
    return kinds


def vorbis_header(path: Path) -> tuple[int, int]:
    """Channels and sample rate from an Ogg Vorbis file's identification header."""
    data = path.read_bytes()[:200]
    assert data[:4] == b"OggS", path
    at = data.index(b"\x01vorbis")
    channels, rate = struct.unpack("<BI", data[at + 11: at + 16])
    return channels, rate


def cues(path: Path) -> list[tuple[float, float, str]]:
    """The cues of a WebVTT file as (start, end, text)."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n"), path
    out = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.split("\n")
        m = CUE.match(lines[1])
        assert m, (path, block)
        g = [int(x) for x in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        out.append((start, end, "\n".join(lines[2:])))
    return out


def probe(path: Path) -> dict:
    res = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json",
                          str(path)], check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def test_every_referenced_file_exists_inside_media(pack):
    for kind, paths in referenced(pack).items():
        for rel in paths:
            path = (MEDIA / rel).resolve()
            assert path.is_file() and MEDIA.resolve() in path.parents, (kind, rel)


def test_every_generated_file_is_referenced(pack):
    named = set().union(*referenced(pack).values())
    on_disk = {str(p.relative_to(MEDIA)) for p in MEDIA.rglob("*") if p.is_file()}
    assert on_disk == named


def test_images_are_full_hd_jpegs(pack):
    for rel in referenced(pack)["image"]:
        with Image.open(MEDIA / rel) as im:
            assert (im.format, im.size, im.mode) == ("JPEG", (1920, 1080), "RGB"), rel


def test_narration_is_mono_ogg_vorbis_at_16_to_22_khz_in_every_language(pack):
    for story in pack.stories.values():
        for scene in story.scenes.values():
            assert sorted(scene.narration) == sorted(story.languages), (story.id, scene.id)
            assert sorted(scene.captions) == sorted(story.languages), (story.id, scene.id)
    for rel in referenced(pack)["audio"]:
        channels, rate = vorbis_header(MEDIA / rel)
        assert channels == 1 and 16000 <= rate <= 22050, rel


def test_captions_follow_the_narration_sentence_by_sentence(pack):
    manifest = json.loads((PACK / ".media-manifest.json").read_text(encoding="utf-8"))
    for story in pack.stories.values():
        for scene in story.scenes.values():
            for lang in story.languages:
                spoken = manifest[scene.narration[lang]]["duration"]
                got = cues(MEDIA / scene.captions[lang])
                assert got and got[0][0] == 0.0 and abs(got[-1][1] - spoken) < 0.01
                for (s0, e0, _), (s1, _, _) in zip(got, got[1:], strict=False):
                    assert s0 < e0 <= s1
                for _, _, text in got:
                    assert len(text.split("\n")) <= 2 and max(map(len, text.split("\n"))) <= 48
                said = " ".join(t.replace("\n", " ") for _, _, t in got)
                assert said.split() == scene.text[lang].split(), (story.id, scene.id, lang)


def test_each_story_has_one_video_with_a_track_and_subtitles_per_language(pack):
    for story in pack.stories.values():
        scenes = [s for s in story.scenes.values() if s.video]
        assert len(scenes) == 1 and scenes[0].ending is not None, story.id
        video = scenes[0].video
        assert sorted(video.subtitles) == sorted(story.languages)
        info = probe(MEDIA / video.src)
        streams = info["streams"]
        v = [s for s in streams if s["codec_type"] == "video"]
        a = [s for s in streams if s["codec_type"] == "audio"]
        assert len(v) == 1 and v[0]["codec_name"] == "h264" and v[0]["pix_fmt"] == "yuv420p"
        assert (v[0]["width"], v[0]["height"]) == (1280, 720)
        length = float(info["format"]["duration"])
        assert 30 <= length <= 90, (story.id, length)
        assert [s["tags"]["language"][:2] for s in a] == [
            {"sv": "sw", "en": "en", "it": "it", "lv": "la", "el": "el", "ar": "ar"}[lang]
            for lang in story.languages]
        for lang, rel in video.subtitles.items():
            got = cues(MEDIA / rel)
            assert got[0][0] >= 0.5 and got[-1][1] <= length, (story.id, lang)


def test_the_pack_stays_under_40_mb():
    size = sum(p.stat().st_size for p in PACK.rglob("*") if p.is_file())
    assert size < 40_000_000, f"{size / 1e6:.1f} MB"


@pytest.mark.skipif(not Path("/usr/bin/espeak-ng").exists(), reason="espeak-ng not installed")
def test_the_committed_media_match_the_texts():
    # The generator plans from the texts and the recorded input hashes without making anything.
    res = subprocess.run([sys.executable, str(PACK.parent / "scripts" / "make-demo-media"),
                          "--check"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
