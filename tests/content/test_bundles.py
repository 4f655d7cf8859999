"""Pack bundles: a touring team builds, installs and rolls back; broken bundles are refused."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from kiosk.content.bundle import BundleError, build_bundle, inspect_bundle, unpack_bundle
from kiosk.content.packstore import PackStore
from tests.support.fixture_date import TODAY


def rezip(src: Path, dst: Path, edit) -> Path:
    """Copy a bundle, letting `edit(name, data) -> list[(ZipInfo|name, data)]` change entries."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            for name, data in edit(info.filename, zin.read(info.filename)):
                zout.writestr(name, data)
    return dst


def manifest_with(bundle: Path, name: str, data: bytes) -> bytes:
    with zipfile.ZipFile(bundle) as z:
        m = json.loads(z.read("manifest.json"))
    m["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return json.dumps(m).encode()


@pytest.fixture
def bundle(pack, tmp_path) -> Path:
    return tmp_path / "b.zip" if build_bundle(pack.root, tmp_path / "b.zip", today=TODAY) else None


def test_build_install_and_rollback(pack, tmp_path, bundle):
    store = PackStore(tmp_path / "packs")
    v1 = store.install(bundle, today=TODAY)
    assert store.active("test") == Path(v1.folder).resolve()
    pack.edit("pack.yaml", 'version: "1.0"', 'version: "1.1"')
    b2 = tmp_path / "b2.zip"
    build_bundle(pack.root, b2, today=TODAY)
    v2 = store.install(b2, today=TODAY)
    assert store.active("test") == Path(v2.folder).resolve() and v2.version == "1.1"
    assert len(store.versions("test")) == 2
    store.rollback("test")
    assert store.active("test") == Path(v1.folder).resolve()
    assert (store.active() / "stories" / "ana.yaml").is_file()


def test_rollback_walks_back_one_version_at_a_time(pack, tmp_path):
    store = PackStore(tmp_path / "packs")
    folders = {}
    for version in ("1.0", "1.1", "1.2", "1.3"):
        pack.edit("pack.yaml", 'version: "1.0"', f'version: "{version}"')
        build_bundle(pack.root, tmp_path / f"{version}.zip", today=TODAY)
        folders[version] = Path(store.install(tmp_path / f"{version}.zip", today=TODAY).folder).resolve()
        pack.edit("pack.yaml", f'version: "{version}"', 'version: "1.0"')
    assert store.active("test") == folders["1.3"]
    for expected in ("1.2", "1.1", "1.0"):
        store.rollback("test")
        assert store.active("test") == folders[expected], expected
    with pytest.raises(BundleError, match="no earlier version"):
        store.rollback("test")
    # A switch after rollbacks starts a new line: rolling back from it returns to 1.0.
    store.activate("test", folders["1.2"].name)
    store.rollback("test")
    assert store.active("test") == folders["1.0"]


def test_a_pack_with_errors_is_not_bundled(pack, tmp_path):
    pack.edit("stories/ana.yaml", "goto: friend", "goto: frend")
    with pytest.raises(BundleError, match="frend"):
        build_bundle(pack.root, tmp_path / "x.zip", today=TODAY)


def refused(store_root: Path, path: Path, match: str):
    store = PackStore(store_root)
    with pytest.raises(BundleError, match=match):
        store.install(path, today=TODAY)
    leftovers = [p for p in store_root.rglob("*")] if store_root.exists() else []
    assert leftovers == [], leftovers


def test_dotdot_is_refused(tmp_path, bundle):
    evil = b"boom"
    bad = rezip(bundle, tmp_path / "bad.zip", lambda n, d: [(n, d)] if n != "manifest.json"
                else [(n, manifest_with(bundle, "media/../../evil.txt", evil)),
                      ("media/../../evil.txt", evil)])
    refused(tmp_path / "packs", bad, "climbs out")
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name", ["/tmp/evil.txt", "/media/evil.png", "C:/media/evil.png",
                                  "\\media\\evil.png"])
def test_absolute_paths_are_refused(tmp_path, bundle, name):
    # the absolute-path rule on its own: each name is refused as absolute, not by a later
    # rule (climbing out, not part of a pack) that would hide the rule's absence
    bad = rezip(bundle, tmp_path / "bad.zip", lambda n, d: [(n, d)] if n != "manifest.json"
                else [(n, manifest_with(bundle, name, b"x")), (name, b"x")])
    refused(tmp_path / "packs", bad, "is an absolute path")


def test_links_are_refused(tmp_path, bundle):
    def add_link(n, d):
        if n != "manifest.json":
            return [(n, d)]
        info = zipfile.ZipInfo("media/link.png")
        info.external_attr = (0o120777 << 16)
        return [(n, manifest_with(bundle, "media/link.png", b"/etc/passwd")), (info, b"/etc/passwd")]
    refused(tmp_path / "packs", rezip(bundle, tmp_path / "bad.zip", add_link), "link")


def test_a_wrong_checksum_is_refused_and_leaves_nothing(tmp_path, bundle):
    bad = rezip(bundle, tmp_path / "bad.zip",
                lambda n, d: [(n, d.replace(b"Ana gets help.", b"Ana gets hurt."))])
    refused(tmp_path / "packs", bad, "checksum")


def test_a_zip_bomb_stops_at_its_declared_size(tmp_path, bundle):
    # the manifest declares 10 bytes; the entry inflates to 50 MB of zeros
    bomb = b"\0" * 50_000_000
    def add_bomb(n, d):
        if n != "manifest.json":
            return [(n, d)]
        m = json.loads(d)
        m["files"]["media/bomb.wav"] = {"size": 10, "sha256": "0" * 64}
        return [(n, json.dumps(m).encode())]
    bad = rezip(bundle, tmp_path / "bad.zip", add_bomb)
    with zipfile.ZipFile(bad, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("media/bomb.wav", bomb)
    refused(tmp_path / "packs", bad, "bytes; the manifest says")


def test_files_missing_from_the_manifest_are_refused(tmp_path, bundle):
    bad = rezip(bundle, tmp_path / "bad.zip", lambda n, d: [(n, d)] + (
        [("stories/extra.yaml", b"id: extra")] if n == "pack.yaml" else []))
    refused(tmp_path / "packs", bad, "not in its manifest")


def test_not_a_zip(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    refused(tmp_path / "packs", junk, "not a readable zip")


def test_a_valid_bundle_with_an_invalid_pack_is_refused(pack, tmp_path, bundle):
    # a bundle whose checksums are right but whose story is broken
    def breaker(n, d):
        if n == "stories/ana.yaml":
            return [(n, d.replace(b"goto: friend", b"goto: frend"))]
        if n == "manifest.json":
            m = json.loads(d)
            with zipfile.ZipFile(bundle) as z:
                data = z.read("stories/ana.yaml").replace(b"goto: friend", b"goto: frend")
            m["files"]["stories/ana.yaml"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            return [(n, json.dumps(m).encode())]
        return [(n, d)]
    refused(tmp_path / "packs", rezip(bundle, tmp_path / "bad.zip", breaker), "frend")


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below `folder` with its size and modification time."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}


def test_inspect_reads_nothing_to_disk(tmp_path, bundle, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a relative extraction would land
    before = files_under(tmp_path)
    m = inspect_bundle(bundle)
    assert m.pack_id == "test" and "stories/ana.yaml" in m.files
    assert files_under(tmp_path) == before
    # unpacking, by contrast, writes the pack's files, byte for byte
    dest = tmp_path / "out"
    unpack_bundle(bundle, dest)
    assert (dest / "pack.yaml").read_bytes() == (Path(__file__).parent.parent / "fixtures" / "packs" / "valid" / "pack.yaml").read_bytes()


def test_a_bundle_that_does_not_fit_the_disk_is_refused_and_leaves_no_part(pack, tmpfs):
    # A touring technician builds onto a USB stick that fills up: a sentence, not a
    # traceback, and no half-written file beside where the bundle should have been.
    import shutil

    from tests.support.kiosk_driver import DEMO_PACK

    film = DEMO_PACK / "media" / "video" / "emil.mp4"  # 1.4 MB: two do not fit in 2 MiB
    (pack.root / "media").mkdir(exist_ok=True)
    for name in ("a.mp4", "b.mp4"):
        shutil.copy(film, pack.root / "media" / name)
    out = tmpfs / "tour.zip"
    with pytest.raises(BundleError) as refused:
        build_bundle(pack.root, out, today=TODAY)
    assert str(refused.value) == (f"the bundle could not be written to {out}: No space left on "
                                  "device")
    assert list(tmpfs.iterdir()) == []


def test_a_bundle_for_a_folder_that_is_not_there_is_refused(pack, tmp_path):
    out = tmp_path / "no-such-stick" / "tour.zip"
    with pytest.raises(BundleError) as refused:
        build_bundle(pack.root, out, today=TODAY)
    assert str(refused.value) == (f"the bundle could not be written to {out}: No such file or "
                                  "directory")
    assert not out.parent.exists()
