"""Soak: random taps over many simulated visits (bench/kiosk_soak.py holds the driver)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support.kiosk_driver import ROOT


def load_soak():
    spec = importlib.util.spec_from_file_location("kiosk_soak", ROOT / "bench" / "kiosk_soak.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(result):
    assert result["failure_count"] == 0, result["failures"]
    assert result["blank_frames"] == 0
    assert result["frames_checked"] >= result["sessions"]  # every new screen is checked
    assert result["ends"]["leave"] and result["ends"]["idle"]
    for screen in ("menu", "passage", "choice", "content_note"):
        assert result["screens"].get(screen), screen


@pytest.mark.alone  # the soak measures a real-time session loop
def test_short_soak_of_random_visits(cache_env):
    soak = load_soak()
    result = soak.soak(60, size=(960, 540), seed=7, data_dir=cache_env / "soak")
    check(result)


@pytest.mark.slow
def test_ten_thousand_visits_memory_flat(cache_env):
    """Issue 4 at its default screen: resident memory at most 300 MB, growth from visit 1,000
    to 10,000 at most 5%, as medians of the samples around each (about 50 minutes here)."""
    soak = load_soak()
    result = soak.soak(10_000, size=(1920, 1080), seed=1, data_dir=cache_env / "soak")
    check(result)
    rss = result["rss_mb"]
    assert set(rss) >= {1, 100, 1_000, 5_000, 10_000}
    assert result["films"] >= 100 and result["film_frames"] > result["films"], \
        "endings' films play (decoded by libvlc) on top of full caches"
    assert result["peak_mb"] <= 300, (result["peak_mb"], rss)
    window = soak.growth(rss, 10_000)[1]  # medians around visit 1,000 and of the last 1,000
    assert window <= 5, (window, rss)
