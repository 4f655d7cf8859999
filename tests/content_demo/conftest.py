"""Fixtures for the demo pack's tests: the pack folder, loaded once through kiosk.content."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from tests.support.demo_pack import OVERLAYS, PACK
from tests.support.fixture_date import TODAY


@pytest.fixture(scope="session")
def loaded():
    """The demo pack, loaded and validated as the kiosk would (on the suite's fixed day)."""
    return load_pack(PACK, today=TODAY)


@pytest.fixture(scope="session")
def pack(loaded):
    """The demo pack's model."""
    assert loaded.pack is not None, [str(f) for f in loaded.findings]
    return loaded.pack


@pytest.fixture(scope="session")
def overlays():
    """The four country overlays, each merged onto the base: country -> LoadedPack."""
    return {country: load_pack(folder, today=TODAY) for country, folder in OVERLAYS.items()}
