"""The admin checks a story through the kiosk's own story loader, before writing it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from admin.content.check import check_story_text
from kiosk.content import load_pack

TODAY = dt.date(2026, 12, 1)
VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"


def _pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(VALID, root)
    (root / "media").mkdir(exist_ok=True)
    return root


def test_a_story_with_the_id_of_another_story_is_refused(tmp_path):
    root = _pack(tmp_path)
    loaded = load_pack(root, TODAY)
    text = (root / "stories/ana.yaml").read_text(encoding="utf-8")
    # a curator copies ana's file to start a new story and forgets to change the id
    checked = check_story_text(loaded.pack, root, "stories/zoe.yaml", text, TODAY)
    assert checked.story is None
    assert [(f.code, f.message, f.path) for f in checked.errors] == [
        ("duplicate-story", 'two stories have the id "ana"', "id")]
    # the kiosk says the same of the same files
    (root / "stories/zoe.yaml").write_text(text, encoding="utf-8")
    on_kiosk = load_pack(root, TODAY)
    assert [(f.code, f.file) for f in on_kiosk.findings if f.severity == "error"] == [
        ("duplicate-story", "stories/zoe.yaml")]


def test_a_story_checked_again_as_itself_is_no_duplicate(tmp_path):
    root = _pack(tmp_path)
    loaded = load_pack(root, TODAY)
    text = (root / "stories/ana.yaml").read_text(encoding="utf-8")
    checked = check_story_text(loaded.pack, root, "stories/ana.yaml", text, TODAY)
    assert checked.story == loaded.pack.stories["ana"]
    assert checked.findings == [f for f in loaded.findings if f.file == "stories/ana.yaml"]
    assert checked.coverage == loaded.coverage["ana"]

