"""`kiosk check --layout`: the text-fit warnings of the kiosk's own layout, on the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.kiosk_driver import FIXTURE_PACK, ROOT


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_text_too_long_for_its_box_is_a_warning_with_its_place(pack_copy):
    story = pack_copy / "stories" / "ana.yaml"
    long = " ".join(["Ana reads the advert again and again and slowly."] * 60)
    story.write_text(story.read_text().replace("Ana får hjälp.", long))

    plain = check(str(pack_copy))
    assert plain.returncode == 0 and "text-overflow" not in plain.stdout
    assert "does not fit" not in plain.stdout

    res = check(str(pack_copy), "--layout")
    assert res.returncode == 0, res.stdout + res.stderr
    line = next(ln for ln in res.stdout.splitlines() if "does not fit" in ln)
    assert line.strip().startswith("31:") and 'scene "end"' in line
    assert "sv on 1920x1080" in line and "sv on 1080x1920" in line and "en on" not in line
    assert check(str(pack_copy), "--layout", "--strict").returncode == 1

    out = json.loads(check(str(pack_copy), "--layout", "--format", "json").stdout)
    found = [f for f in out[0]["findings"] if f["code"] == "text-overflow"]
    assert [(f["file"], f["line"], f["path"]) for f in found] == [
        ("stories/ana.yaml", 31, "scenes.end.text")]


def test_a_pack_whose_text_fits_has_no_layout_warning():
    res = check(str(FIXTURE_PACK), "--layout", "--strict")
    assert res.returncode == 0 and "does not fit" not in res.stdout, res.stdout


def test_choices_that_run_off_the_screen_are_always_a_warning(pack_copy):
    story = pack_copy / "stories" / "ana.yaml"
    long = " ".join(["Wait and see what the friend says about the advert tomorrow."] * 12)
    story.write_text(story.read_text().replace("en: Wait}", f"en: {long}}}"))

    res = check(str(pack_copy))  # no --layout: buttons do not scroll, so this is always checked
    assert res.returncode == 0, res.stdout + res.stderr
    line = next(ln for ln in res.stdout.splitlines() if "choices of scene" in ln)
    assert 'scene "advert"' in line and "out of reach" in line
    assert "en on 1920x1080" in line and "sv on" not in line
    assert check(str(pack_copy), "--strict").returncode == 1

    out = json.loads(check(str(pack_copy), "--format", "json").stdout)
    found = [f for f in out[0]["findings"] if f["code"] == "choices-overflow"]
    assert [(f["file"], f["path"]) for f in found] == [("stories/ana.yaml", "scenes.advert.choices")]


def test_the_demo_pack_choices_fit_at_the_largest_text_size():
    res = check("content", "--strict")
    assert res.returncode == 0 and "choices of scene" not in res.stdout, res.stdout
