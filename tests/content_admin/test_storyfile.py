"""Writing a pack file: atomic, refused when it changed, nothing left beside it."""

from __future__ import annotations

import pytest

from admin.content.storyfile import Conflict, digest, read, write_if_unchanged


def test_a_write_replaces_the_file_and_leaves_nothing_beside_it(tmp_path):
    folder = tmp_path / "stories"
    folder.mkdir()
    path = folder / "a.yaml"
    path.write_text("id: a\n")
    path.chmod(0o640)
    old = write_if_unchanged(path, digest("id: a\n"), "id: a\ntitle: {en: A}\n",
                             tmp_path / "locks")
    assert old == "id: a\n"
    assert read(path) == ("id: a\ntitle: {en: A}\n", digest("id: a\ntitle: {en: A}\n"))
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in folder.iterdir()] == ["a.yaml"]


def test_a_write_over_a_changed_file_is_refused_with_what_it_is_now(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("id: a\n")
    stale = digest("id: a\n")
    path.write_text("id: a\n# someone else\n")
    with pytest.raises(Conflict) as info:
        write_if_unchanged(path, stale, "id: a\ntitle: x\n", tmp_path / "locks")
    assert info.value.current_text == "id: a\n# someone else\n"
    assert path.read_text() == "id: a\n# someone else\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "locks"]
