"""The compiled cache and the `kiosk check` command, as a kiosk and an author use them."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kiosk.content import load_cached, load_pack
from tests.support.fixture_date import TODAY


def test_the_cache_holds_the_same_pack_as_the_yaml(pack, tmp_path):
    fresh = load_pack(pack.root, today=TODAY)
    first = load_cached(pack.root, tmp_path / "cache", today=TODAY)
    second = load_cached(pack.root, tmp_path / "cache", today=TODAY)
    assert first == fresh and second == fresh
    assert list((tmp_path / "cache").rglob(f"{fresh.content_hash}.json"))


def test_a_changed_file_rebuilds_the_cache(pack, tmp_path):
    cache = tmp_path / "cache"
    load_cached(pack.root, cache, today=TODAY)
    pack.edit("stories/ana.yaml", "Ana gets help.", "Ana finds help.")
    again = load_cached(pack.root, cache, today=TODAY)
    assert again.pack.stories["ana"].scenes["end"].text["en"] == "Ana finds help."


def test_a_touched_but_unchanged_file_keeps_the_cache(pack, tmp_path):
    cache = tmp_path / "cache"
    first = load_cached(pack.root, cache, today=TODAY)
    entry = next(cache.rglob(f"{first.content_hash}.json"))
    built = entry.stat().st_mtime_ns
    time.sleep(0.01)
    os.utime(pack.root / "pack.yaml")
    again = load_cached(pack.root, cache, today=TODAY)
    assert again == first and entry.stat().st_mtime_ns == built


def media_codes(loaded) -> list[str]:
    return sorted(f.code for f in loaded.findings if f.code.startswith("media"))


def picture(pack) -> Path:
    """Ana's first scene shows media/images/home.png, a real PNG (written here)."""
    from PIL import Image

    pack.edit("stories/ana.yaml", "  home:\n", "  home:\n    image: images/home.png\n")
    path = pack.root / "media" / "images" / "home.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (200, 120, 40)).save(path)
    return path


def test_a_media_file_added_removed_or_replaced_rebuilds_the_cache(pack, tmp_path):
    cache = tmp_path / "cache"
    path = picture(pack)
    assert media_codes(load_cached(pack.root, cache, today=TODAY)) == []
    data = path.read_bytes()
    path.unlink()
    assert media_codes(load_cached(pack.root, cache, today=TODAY)) == ["media-missing"]
    path.write_bytes(data)
    assert media_codes(load_cached(pack.root, cache, today=TODAY)) == []
    aside = path.with_name(".home.png.new")  # replaced as an install or an upload does
    aside.write_bytes(b"not a picture at all")
    aside.replace(path)
    assert media_codes(load_cached(pack.root, cache, today=TODAY)) == ["media-type"]


def test_a_media_file_rewritten_in_place_is_checked_again_the_next_day(pack, tmp_path):
    cache = tmp_path / "cache"
    path = picture(pack)
    assert media_codes(load_cached(pack.root, cache, today=TODAY)) == []
    with open(path, "r+b") as f:
        f.write(b"not a picture at all")
    next_day = TODAY + dt.timedelta(days=1)
    assert media_codes(load_cached(pack.root, cache, today=next_day)) == ["media-type"]


def test_a_corrupt_cache_entry_is_rebuilt(pack, tmp_path):
    cache = tmp_path / "cache"
    first = load_cached(pack.root, cache, today=TODAY)
    next(cache.rglob(f"{first.content_hash}.json")).write_bytes(b"{not json")
    assert load_cached(pack.root, cache, today=TODAY) == first


def kiosk(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "NO_COLOR": "1"})


def test_check_exit_codes(pack):
    assert kiosk("check", "--today", TODAY.isoformat(), str(pack.root)).returncode == 0
    pack.edit("pack.yaml", "2026-11-20", "2020-01-01")  # a stale helpline: a warning
    assert kiosk("check", "--today", TODAY.isoformat(), str(pack.root)).returncode == 0
    strict = kiosk("check", "--strict", "--today", TODAY.isoformat(), str(pack.root))
    assert strict.returncode == 1 and "last verified" in strict.stdout
    pack.edit("stories/ana.yaml", "goto: friend", "goto: frend")
    broken = kiosk("check", "--today", TODAY.isoformat(), str(pack.root))
    assert broken.returncode == 1
    assert 'stories/ana.yaml' in broken.stdout and "14:15: error:" in broken.stdout
    assert kiosk("check").returncode == 2
    assert kiosk("check", "--format", "xml", str(pack.root)).returncode == 2


def test_check_today_checks_the_pack_as_it_will_be_on_that_day(pack):
    # the fixture's helpline was verified 2026-11-20, its story's consent runs to 2028-06-30
    assert kiosk("check", "--strict", "--today", "2027-02-18", str(pack.root)).returncode == 0
    stale = kiosk("check", "--strict", "--today", "2027-02-19", str(pack.root))
    assert stale.returncode == 1 and "was last verified 91 days ago" in stale.stdout
    expired = kiosk("check", "--today", "2028-07-01", str(pack.root))
    assert expired.returncode == 1
    assert "the consent review date 2028-06-30 has passed" in expired.stdout
    wrong = kiosk("check", "--today", "2028-13-01", str(pack.root))
    assert wrong.returncode == 2 and "'2028-13-01' is not a date of the form YYYY-MM-DD" in wrong.stderr


def test_check_json_for_tools(pack):
    pack.edit("stories/ana.yaml", "goto: friend", "goto: frend")
    out = kiosk("check", "--format", "json", str(pack.root))
    data = json.loads(out.stdout)
    assert data[0]["ok"] is False
    finding = [f for f in data[0]["findings"] if f["code"] == "bad-scene"][0]
    assert finding["file"] == "stories/ana.yaml" and finding["line"] == 14
    assert finding["path"] == "scenes.home.choices[0].goto"


def test_no_traceback_for_a_pack_that_is_not_a_pack(tmp_path):
    (tmp_path / "pack.yaml").write_bytes(b"\x00\x01\x02 binary junk \xff\xfe")
    out = kiosk("check", str(tmp_path))
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "pack.yaml" in out.stdout


def test_folder_stats_finds_every_folder_at_any_depth_and_no_file(tmp_path):
    from kiosk.content.loader import folder_stats

    folders = ["images", "images/ana", "images/ana/old", "audio", "audio/sv", "video"]
    for rel in folders:
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        for i in range(3):
            (tmp_path / rel / f"file{i}.bin").write_bytes(b"x")
    (tmp_path / "top.bin").write_bytes(b"x")
    found = folder_stats(tmp_path)
    assert sorted(rel for rel, _ in found) == sorted(folders)
    assert all(os.path.samestat(st, os.lstat(tmp_path / rel)) for rel, st in found)
