"""Fixtures for the demo pack's tests: the pack folder, loaded once through kiosk.content."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import load_pack

PACK = Path(__file__).resolve().parents[2] / "content"
COUNTRIES = {"SE", "IT", "LV", "GR"}
TOURING = ["sv", "en", "it", "lv", "el"]


@pytest.fixture(scope="session")
def loaded():
    """The demo pack, loaded and validated as the kiosk would (today's date)."""
    return load_pack(PACK)


@pytest.fixture(scope="session")
def pack(loaded):
    """The demo pack's model."""
    assert loaded.pack is not None, [str(f) for f in loaded.findings]
    return loaded.pack


def all_paths(story, school: bool = False) -> list[list[str]]:
    """Every path from the start to an ending, following next and every choice."""
    paths: list[list[str]] = []

    def walk(sid: str, trail: list[str]) -> None:
        scene = story.scenes[sid]
        if school and scene.school:
            scene = story.scenes[scene.school]
            sid = scene.id
        trail = trail + [sid]
        assert trail.count(sid) == 1, f"{story.id}: a loop through {sid}: {trail}"
        if scene.ending is not None:
            paths.append(trail)
            return
        for target in scene.targets:
            walk(target, trail)

    walk(story.start, [])
    return paths
