"""Every test file the admin's code or README names exists (a renamed test leaves no stale pointer)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_file_named_in_the_admin_exists():
    named = set()
    for path in sorted((ROOT / "admin").rglob("*.py")):
        named |= {(path.name, m) for m in re.findall(r"tests/[\w/]+\.py", path.read_text())}
    missing = sorted((where, name) for where, name in named if not (ROOT / name).is_file())
    assert not missing, missing
    assert named, "the pattern finds nothing: the test would not notice a stale name"
