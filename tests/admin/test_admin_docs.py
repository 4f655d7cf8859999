"""Every test file the admin's code, the README or docs/ name exists (a renamed test leaves no stale pointer)."""
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


def test_every_test_file_named_in_the_docs_exists():
    # The README and docs/ name tests by path (tests/admin/test_admin_access.py) or, inside
    # a part's page, by file name alone (`test_feedback_wal.py`).
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    paths, names = set(), set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        paths |= set(re.findall(r"tests/[\w/]+\.py", text))
        names |= set(re.findall(r"`(test_\w+\.py)`", text))
    existing = {p.name for p in (ROOT / "tests").rglob("test_*.py")}
    assert sorted(p for p in paths if not (ROOT / p).is_file()) == []
    assert sorted(names - existing) == []
    assert len(paths) > 20 and len(names) > 5, "the patterns find nothing: a stale name would pass"
