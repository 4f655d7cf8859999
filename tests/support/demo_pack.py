"""Shared names of the demo pack's tests (a module of its own: every test folder has a
conftest.py, so `from conftest import ...` could pick up another folder's)."""

from __future__ import annotations

from pathlib import Path

PACK = Path(__file__).resolve().parents[2] / "content"  # the country-neutral base
COUNTRIES = {"SE", "IT", "LV", "GR"}
# the country overlays beside the base (docs/demo-pack.md): country -> folder
OVERLAYS = {c: PACK.parent / f"content-{c.lower()}" for c in sorted(COUNTRIES)}
SWEDEN = OVERLAYS["SE"]  # the overlay the kiosk tests play: Swedish first, Sweden's helplines
TOURING = ["sv", "en", "it", "lv", "el"]


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
