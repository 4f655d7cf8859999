"""The compiled cache's format follows the model: a changed model never meets a stale entry."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from kiosk.content import cache

TODAY = dt.date(2026, 12, 1)
ROOT = Path(__file__).resolve().parents[2]


def _format_with(patch: str) -> str:
    """FORMAT as a fresh interpreter computes it after `patch` ran on the content model."""
    code = ("import kiosk.content.model as M\nimport kiosk.content.build as B\n" + patch +
            "\nfrom kiosk.content import cache\nprint(cache.FORMAT)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_the_format_is_the_same_in_every_process():
    assert _format_with("") == cache.FORMAT
    assert cache.FORMAT.startswith(f"{cache.RULES}-")


def test_a_new_scene_field_in_the_model_changes_the_format():
    # a scene key added to the model (as `audio_description:` would be); Story's annotation
    # is resolved by name when first used, so it takes the new Scene
    patch = ("class Scene(M.Scene):\n    audio_description: dict[str, str] = {}\n"
             "M.Scene = Scene")
    assert _format_with(patch) != cache.FORMAT


def test_a_changed_default_in_the_model_changes_the_format():
    patch = ("import msgspec\nclass KioskSettings(M.KioskSettings):\n"
             "    idle_timeout: int = 90\nM.KioskSettings = KioskSettings\n"
             "class Pack(M.Pack):\n    kiosk: KioskSettings = "
             "msgspec.field(default_factory=KioskSettings)\nM.Pack = Pack")
    assert _format_with(patch) != cache.FORMAT


def test_a_new_key_a_scene_may_have_changes_the_format():
    patch = "B.SCENE_SPEC['audio_description'] = B.SCENE_SPEC['text']"
    assert _format_with(patch) != cache.FORMAT


def test_a_new_rule_version_changes_the_format():
    assert cache.schema_format(cache.RULES + 1) != cache.FORMAT
    assert cache.schema_format(cache.RULES) == cache.FORMAT


def test_an_entry_of_another_format_is_rebuilt(pack, tmp_path):
    store = tmp_path / "cache"
    first = cache.load_cached(pack.root, store, TODAY)
    assert first.ok
    (index,) = store.glob("packs/*/index.json")
    data = json.loads(index.read_bytes())
    assert data["format"] == cache.FORMAT
    # an older kiosk's entry: its format was a hand-kept number, and it holds a finding the
    # current rules would not make
    entry = index.parent / f"{data['content_hash']}.json"
    stale = json.loads(entry.read_bytes())
    stale[1].append({"severity": "warning", "code": "stale", "message": "an old finding"})
    entry.write_text(json.dumps(stale))
    index.write_text(json.dumps({**data, "format": 6}))
    again = cache.load_cached(pack.root, store, TODAY)
    assert again.ok and again.findings == first.findings
    assert json.loads(index.read_bytes())["format"] == cache.FORMAT
