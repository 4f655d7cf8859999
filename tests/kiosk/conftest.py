"""Fixtures for the kiosk's screen tests: a real App (tests/support/kiosk_driver.py) on the
fixture pack or the demo pack, with the kiosk's folders in the test's own tmp_path."""

from __future__ import annotations

import shutil

import pytest

from tests.support.kiosk_driver import DEMO_PACK, FIXTURE_PACK, make_app


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYKIOSK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("STORYKIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STORYKIOSK_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def kiosk(cache_env):
    driver = make_app(FIXTURE_PACK, cache_env)
    yield driver
    driver.app.close()


@pytest.fixture
def demo(cache_env):
    driver = make_app(DEMO_PACK, cache_env)
    yield driver
    driver.app.close()


@pytest.fixture
def pack_copy(tmp_path):
    target = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, target)
    return target
