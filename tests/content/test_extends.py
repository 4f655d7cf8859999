"""An overlay's `extends:`: the version range and where the base is found (issue 21)."""

from pathlib import Path

import pytest

from kiosk.content.extends import (
    Extends,
    ExtendsError,
    find_base,
    parse_range,
    read_extends,
    versions_found,
)


def pack(folder: Path, pack_id: str, version: str, extends: str = "") -> Path:
    """A folder with a pack.yaml header (enough for finding bases; not a valid pack)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(f"id: {pack_id}\nversion: \"{version}\"\n{extends}",
                                      encoding="utf-8")
    return folder


@pytest.mark.parametrize(("spec", "version", "expected"), [
    ("1.0.0", "1.0.0", True),
    ("1.0.0", "1.0", True),            # missing numbers count as 0
    ("1.0.0", "1.0.1", False),
    (">=1.0, <2", "1.0", True),        # lower bound included
    (">=1.0, <2", "0.9.9", False),
    (">=1.0, <2", "1.99", True),
    (">=1.0, <2", "2", False),         # upper bound excluded
    (">=1.0, <2", "2.0-rc.1", True),   # a pre-release of 2 sorts before 2
    (">1.0", "1.0", False),
    ("<=1.2", "1.2", True),
    ("<=1.2", "1.2.1", False),
    ("!=1.1", "1.1", False),
    ("!=1.1", "1.2", True),
    ("==2026.12-se.1", "2026.12-se.1", True),
    (">=1.0", "not a version", False),
])
def test_ranges(spec, version, expected):
    assert Extends("demo", spec).matches(version) is expected


@pytest.mark.parametrize("spec", ["", ">=", "1.0,", "~1.0", ">= 1.0 < 2", "1/0"])
def test_not_a_range_is_refused_with_a_sentence(spec):
    with pytest.raises(ExtendsError, match="is not a version range"):
        parse_range(spec)


def test_read_extends_with_line(tmp_path):
    folder = pack(tmp_path / "se", "demo-se", "1.0.0",
                  'extends:\n  pack: demo\n  version: ">=1.0, <2"\n')
    assert read_extends(folder) == Extends("demo", ">=1.0, <2", 3)
    assert read_extends(pack(tmp_path / "base", "demo", "1.0.0")) is None


@pytest.mark.parametrize("body", ["extends: demo\n", "extends: {pack: demo}\n",
                                  "extends: {version: '1.0'}\n",
                                  "extends: {pack: demo, version: 'latest'}\n"])
def test_malformed_extends_names_its_line(tmp_path, body):
    folder = pack(tmp_path / "se", "demo-se", "1.0.0", "title: x\n" + body)
    with pytest.raises(ExtendsError) as err:
        read_extends(folder)
    assert err.value.line == 4


def test_base_beside_the_overlay_in_range(tmp_path):
    pack(tmp_path / "content", "demo", "1.4.0")
    pack(tmp_path / "old", "demo", "0.9.0")
    pack(tmp_path / "other", "museum", "1.4.0")
    overlay = pack(tmp_path / "content-se", "demo-se", "1.0.0")
    assert find_base(Extends("demo", ">=1.0, <2"), overlay) == (tmp_path / "content").resolve()
    assert find_base(Extends("demo", ">=2"), overlay) is None
    assert sorted(versions_found(Extends("demo", ">=2"), overlay)) == ["0.9.0", "1.4.0"]


def test_installed_base_active_version_first(tmp_path):
    store = tmp_path / "packs"
    for v in ("1.0.0", "1.2.0", "2.0.0"):
        pack(store / "demo" / "versions" / f"{v}-abcdef0123", "demo", v)
    (store / "demo" / "active").symlink_to(Path("versions") / "1.0.0-abcdef0123")
    overlay = pack(store / "demo-se" / "versions" / "1.0.0-0123456789", "demo-se", "1.0.0")
    # the active base is taken when in range, even though 1.2.0 is newer
    assert find_base(Extends("demo", ">=1.0, <2"), overlay).name == "1.0.0-abcdef0123"
    # out of range: the newest installed version that fits
    assert find_base(Extends("demo", ">=1.1, <2"), overlay).name == "1.2.0-abcdef0123"
    # a store given by the caller is searched for an overlay that is not installed
    loose = pack(tmp_path / "work" / "se", "demo-se", "1.0.0")
    assert find_base(Extends("demo", "2.0.0"), loose, [store]).name == "2.0.0-abcdef0123"
    assert find_base(Extends("demo", "2.0.0"), loose) is None
