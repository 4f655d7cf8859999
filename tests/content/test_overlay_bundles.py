"""Country overlays in bundles: a bundle names its base and can carry it; a kiosk refuses an
overlay whose base it cannot find; a rollback of a base says which overlays it breaks."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.content.bundle import (
    BaseNotFound,
    BundleError,
    build_bundle,
    checksums,
    files_digest,
    inspect_bundle,
    unpack_bundle,
    write_bundle,
)
from kiosk.content.extends import Extends
from kiosk.content.loader import load_pack
from kiosk.content.packstore import BreaksOverlays, PackStore
from tests.content.test_bundles import rezip
from tests.support.fixture_date import TODAY

RANGE = ">=1.0, <2"


def kiosk(*args):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1"})


def overlay(folder: Path, pack_id: str = "test-se", version: str = "1.0.0",
            base: str = "test", accepts: str = RANGE) -> Path:
    """An overlay folder: a pack.yaml that extends the base, one media file of its own."""
    (folder / "media").mkdir(parents=True)
    (folder / "pack.yaml").write_text(
        f'id: {pack_id}\nversion: "{version}"\ncountry: SE\n'
        f'extends:\n  pack: {base}\n  version: "{accepts}"\n', encoding="utf-8")
    (folder / "media" / "law.txt").write_text("Lag (2004:1012)", encoding="utf-8")
    return folder


def zip_names(bundle: Path) -> set[str]:
    with zipfile.ZipFile(bundle) as z:
        return set(z.namelist())


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def versioned(pack, tmp_path: Path, version: str) -> Path:
    """A bundle of the valid fixture pack (id "test") under another version."""
    pack.edit("pack.yaml", 'version: "1.0"', f'version: "{version}"')
    out = tmp_path / f"test-{version}.zip"
    build_bundle(pack.root, out, today=TODAY)
    pack.edit("pack.yaml", f'version: "{version}"', 'version: "1.0"')
    return out


# -- 1. bundles name their base and can carry it ---------------------------------------------

def test_an_overlay_bundle_names_its_base(pack, tmp_path):
    se = overlay(tmp_path / "pack-se")
    m = write_bundle(se, tmp_path / "se.zip", "test-se", "1.0.0",
                     (Extends("test", RANGE), pack.root))
    assert (m.base.id, m.base.version, m.base.range, m.base.files) == \
        ("test", "1.0", RANGE, None)
    assert inspect_bundle(tmp_path / "se.zip").base == m.base
    assert zip_names(tmp_path / "se.zip") == {"manifest.json", "pack.yaml", "media/law.txt"}
    # the digest is the base's files, wherever they are: the same base installed on a kiosk
    # (unpacked with new file times) gives the same one, and a changed base another
    store = PackStore(tmp_path / "packs")
    installed = store.install(versioned(pack, tmp_path, "1.0"), today=TODAY)
    assert files_digest(checksums(installed.folder)) == m.base.sha256
    pack.edit("stories/ana.yaml", "Ana gets help.", "Ana gets some help.")
    assert files_digest(checksums(pack.root)) != m.base.sha256


def test_an_overlay_bundle_can_carry_its_base(pack, tmp_path):
    se = overlay(tmp_path / "pack-se")
    out = tmp_path / "se.zip"
    m = write_bundle(se, out, "test-se", "1.0.0", (Extends("test", RANGE), pack.root),
                     carry=True)
    names = zip_names(out)
    assert {"pack.yaml", "media/law.txt", "base/pack.yaml", "base/stories/ana.yaml"} <= names
    assert set(m.files) == {"pack.yaml", "media/law.txt"}  # the base is not the overlay's
    assert set(m.base.files) == {n[len("base/"):] for n in names if n.startswith("base/")}
    assert inspect_bundle(out).base.files == m.base.files
    unpack_bundle(out, tmp_path / "ov", tmp_path / "base")
    assert files_under(tmp_path / "base") == files_under(pack.root)
    assert files_under(tmp_path / "ov") == files_under(se)
    # without a place for the base, only the overlay is unpacked
    unpack_bundle(out, tmp_path / "ov2")
    assert files_under(tmp_path / "ov2") == files_under(se)


@pytest.fixture
def carried(pack, tmp_path) -> Path:
    out = tmp_path / "carried.zip"
    write_bundle(overlay(tmp_path / "pack-se"), out, "test-se", "1.0.0",
                 (Extends("test", RANGE), pack.root), carry=True)
    return out


def with_manifest(src: Path, dst: Path, change) -> Path:
    def edit(name, data):
        if name != "manifest.json":
            return [(name, data)]
        m = json.loads(data)
        change(m)
        return [(name, json.dumps(m).encode())]
    return rezip(src, dst, edit)


def test_a_damaged_carried_base_is_refused(carried, tmp_path):
    # a base file changed in the zip: its checksum says so while unpacking
    bad = rezip(carried, tmp_path / "bad.zip", lambda n, d: [(n, d.replace(
        b"Ana gets help.", b"Ana gets hurt.") if n == "base/stories/ana.yaml" else d)])
    with pytest.raises(BundleError, match="base/stories/ana.yaml.*checksum"):
        unpack_bundle(bad, tmp_path / "a", tmp_path / "b")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    # the base's list changed in the manifest: its sha256 no longer matches
    def drop(m):
        m["base"]["files"]["stories/ana.yaml"]["sha256"] = "0" * 64
    with pytest.raises(BundleError, match="carried base's files do not match its sha256"):
        inspect_bundle(with_manifest(carried, tmp_path / "bad2.zip", drop))
    # a file under base/ that the base's list does not name
    extra = rezip(carried, tmp_path / "bad3.zip", lambda n, d: [(n, d)] + (
        [("base/stories/extra.yaml", b"id: extra")] if n == "pack.yaml" else []))
    with pytest.raises(BundleError, match="base/stories/extra.yaml.*not in its manifest"):
        inspect_bundle(extra)
    # a carried name that climbs out
    def climb(m):
        m["base"]["files"]["media/../../x"] = {"size": 1, "sha256": "0" * 64}
    with pytest.raises(BundleError, match="climbs out"):
        inspect_bundle(with_manifest(carried, tmp_path / "bad4.zip", climb))
    # base/ files in a bundle that carries no base are not part of a pack
    def uncarry(m):
        m["base"]["files"] = None
        m["format"] = 1
    with pytest.raises(BundleError, match='"base/pack.yaml" is not part of a pack'):
        inspect_bundle(with_manifest(carried, tmp_path / "bad5.zip", uncarry))


def test_a_bundle_without_base_still_installs(pack, tmp_path):
    bundle = versioned(pack, tmp_path, "1.0")
    old = with_manifest(bundle, tmp_path / "old.zip", lambda m: m.pop("base"))
    assert b'"base"' not in zipfile.ZipFile(old).read("manifest.json")
    v = PackStore(tmp_path / "packs").install(old, today=TODAY)
    assert (v.pack_id, v.version) == ("test", "1.0")


def test_building_an_overlay_whose_base_is_missing_names_it(pack, tmp_path):
    se = overlay(tmp_path / "pack-se", accepts=">=2")
    with pytest.raises(BundleError, match=r'base "test" in versions ">=2" is found neither.*'
                                          r"\(found: 1\.0\)"):
        build_bundle(se, tmp_path / "se.zip", today=TODAY)
    assert not (tmp_path / "se.zip").exists()
    out = kiosk("pack", "build", str(se), "-o", str(tmp_path / "se.zip"),
                "--packs-dir", str(tmp_path / "packs"))
    assert out.returncode == 1 and 'base "test" in versions ">=2"' in out.stderr
    assert "--packs-dir names the folder of installed packs" in out.stderr
    # an installed base is found through --packs-dir: the refusal is then the validator's
    PackStore(tmp_path / "packs").install(versioned(pack, tmp_path, "2.0"), today=TODAY)
    shutil.rmtree(pack.root)
    out = kiosk("pack", "build", str(se), "-o", str(tmp_path / "se.zip"),
                "--packs", str(tmp_path / "packs"))
    assert "is found neither" not in out.stderr


# -- 2. install refuses an overlay whose base is neither carried nor installed ---------------

def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) \
        if folder.exists() else []


def test_install_refuses_an_overlay_without_its_base_and_changes_nothing(pack, tmp_path):
    named = tmp_path / "se.zip"
    write_bundle(overlay(tmp_path / "pack-se"), named, "test-se", "1.0.0",
                 (Extends("test", RANGE), pack.root))
    packs = tmp_path / "packs"
    store = PackStore(packs)
    with pytest.raises(BundleError, match=r'pack "test-se" needs its base "test" in versions '
                                          r'">=1\.0, <2", which is neither in the bundle nor '
                                          r"installed \(installed: none\)"):
        store.install(named, today=TODAY)
    assert tree(packs) == []
    # with only versions outside the range installed, the sentence names them
    store.install(versioned(pack, tmp_path, "2.0"), today=TODAY)
    store.install(versioned(pack, tmp_path, "0.9"), today=TODAY)
    before = tree(packs)
    out = kiosk("pack", "install", str(named), "--packs-dir", str(packs))
    assert out.returncode == 1
    assert ('needs its base "test" in versions ">=1.0, <2", which is neither in the bundle nor '
            "installed (installed: 0.9, 2.0); install that base first, or bring a bundle "
            "built with --with-base") in out.stderr
    assert tree(packs) == before


def test_the_manifest_and_pack_yaml_must_name_the_same_base(pack, tmp_path):
    named = tmp_path / "se.zip"
    write_bundle(overlay(tmp_path / "pack-se"), named, "test-se", "1.0.0",
                 (Extends("test", RANGE), pack.root))
    def widen(m):
        m["base"]["range"] = ">=0"
    with pytest.raises(BundleError, match="manifest's base differs from the extends"):
        PackStore(tmp_path / "packs").install(with_manifest(named, tmp_path / "w.zip", widen),
                                              today=TODAY)
    assert tree(tmp_path / "packs") == []


# -- 3. rollback of a base says which overlays it breaks before it acts ---------------------

def place_overlay(store: PackStore, pack_id: str, version: str, accepts: str) -> None:
    """An installed overlay, laid out as the store keeps versions (installing one needs the
    loader's merge)."""
    folder = overlay(store.root / pack_id / "versions" / f"{version}-0123456789", pack_id,
                     version, accepts=accepts)
    store.activate(pack_id, folder.name)


@pytest.fixture
def three(pack, tmp_path) -> PackStore:
    """Base "test" 1.0, 1.1 and 2.0 installed in that order (2.0 active); overlay test-se
    accepts >=2.0, test-it >=1.0, <3 and test-lv ==1.1."""
    store = PackStore(tmp_path / "packs")
    for version in ("1.0", "1.1", "2.0"):
        store.install(versioned(pack, tmp_path, version), today=TODAY)
    place_overlay(store, "test-se", "1.0.0", ">=2.0")
    place_overlay(store, "test-it", "1.0.0", ">=1.0, <3")
    place_overlay(store, "test-lv", "1.0.0", "==1.1")
    return store


def active_version(store: PackStore, pack_id: str) -> str:
    return store.active(pack_id).name.rsplit("-", 1)[0]


def test_rollback_of_a_base_names_the_overlays_it_breaks_and_changes_nothing(three):
    assert three.rollback_target("test").startswith("1.1-")
    with pytest.raises(BreaksOverlays) as err:
        three.rollback("test")
    assert err.value.overlays == [("test-se", "1.0.0", ">=2.0")]  # test-it and test-lv accept 1.1
    assert "test-se 1.0.0 (>=2.0)" in str(err.value)
    assert active_version(three, "test") == "2.0"
    assert three.rollback_target("test").startswith("1.1-")  # the target is unchanged
    # forced, it acts; the next step back (to 1.0) breaks test-lv as well
    assert three.rollback("test", force=True).name.startswith("1.1-")
    assert [o[0] for o in three.rollback_breaks("test")] == ["test-lv", "test-se"]


def test_rollback_that_breaks_no_overlay_acts(three):
    shutil.rmtree(three.root / "test-se")  # the only overlay that needs 2.0 is gone
    assert three.rollback_breaks("test") == []
    assert three.rollback("test").name.startswith("1.1-")
    assert active_version(three, "test") == "1.1"


def test_kiosk_pack_rollback_refuses_unless_forced(three):
    packs = str(three.root)
    out = kiosk("pack", "rollback", "test", "--packs-dir", packs)
    assert out.returncode == 1
    assert "test-se 1.0.0 (>=2.0)" in out.stderr and "--force" in out.stderr
    assert active_version(three, "test") == "2.0"
    out = kiosk("pack", "rollback", "test", "--packs-dir", packs, "--force")
    assert out.returncode == 0, out.stderr
    assert active_version(three, "test") == "1.1"


# -- 2b. a carried base is installed first ------------------------------------------------------

def carrying(pack, tmp_path: Path, pack_id: str, accepts: str, base_version: str,
             extra: str = "") -> Path:
    """A bundle of overlay `pack_id` carrying base "test" at `base_version`."""
    pack.edit("pack.yaml", 'version: "1.0"', f'version: "{base_version}"')
    se = overlay(tmp_path / pack_id, pack_id, accepts=accepts)
    if extra:
        with (se / "pack.yaml").open("a", encoding="utf-8") as f:
            f.write(extra)
    out = tmp_path / f"{pack_id}-with-{base_version}.zip"
    write_bundle(se, out, pack_id, "1.0.0", (Extends("test", accepts), pack.root), carry=True)
    pack.edit("pack.yaml", f'version: "{base_version}"', 'version: "1.0"')
    return out


def test_a_carried_base_that_would_break_other_overlays_is_refused_first(pack, tmp_path):
    store = PackStore(tmp_path / "packs")
    store.install(versioned(pack, tmp_path, "2.0"), today=TODAY)
    place_overlay(store, "test-se", "1.0.0", ">=2.0")
    bundle = carrying(pack, tmp_path, "test-it", ">=1.0, <2", "1.1")
    before = tree(store.root)
    with pytest.raises(BreaksOverlays) as err:
        store.install(bundle, today=TODAY)
    assert err.value.overlays == [("test-se", "1.0.0", ">=2.0")]
    assert str(err.value) == ("installing would make test 1.1 active, which takes these overlays "
                              "out of the base versions they accept (in brackets): "
                              "test-se 1.0.0 (>=2.0)")
    assert tree(store.root) == before
    out = kiosk("pack", "install", str(bundle), "--packs-dir", str(store.root))
    assert out.returncode == 1 and "--force installs anyway" in out.stderr
    assert tree(store.root) == before
    # forced, the carried base becomes active, and test-se is out of its range
    v = store.install(bundle, today=TODAY, force=True)
    assert (v.base, v.base_active) == ("test 1.1", True) and active_version(store, "test") == "1.1"


def test_a_refused_overlay_leaves_its_carried_base_behind_neither(pack, tmp_path):
    # an error of the overlay's own (an unknown setting): the base it carried is not kept
    bundle = carrying(pack, tmp_path, "test-it", RANGE, "1.1", extra="colour: red\n")
    with pytest.raises(BundleError, match="colour") as err:
        PackStore(tmp_path / "packs").install(bundle, today=TODAY)
    assert str(err.value).startswith("the pack in the bundle has errors:\n  ")
    assert tree(tmp_path / "packs") == []
    # a carried base with errors is refused as the base's
    pack.edit("stories/ana.yaml", "goto: friend", "goto: frend")
    bundle = carrying(pack, tmp_path / "b", "test-lv", RANGE, "1.2")
    with pytest.raises(BundleError, match="frend") as err:
        PackStore(tmp_path / "packs").install(bundle, today=TODAY)
    assert str(err.value).startswith("the base in the bundle has errors:\n  stories/ana.yaml:")
    assert tree(tmp_path / "packs") == []


def test_a_carried_base_outside_the_overlays_range_is_refused(pack, tmp_path):
    bundle = carrying(pack, tmp_path, "test-it", RANGE, "1.1")
    def narrow(m):
        m["base"]["range"] = ">=1.2, <2"
    edited = rezip(with_manifest(bundle, tmp_path / "n.zip", narrow), tmp_path / "n2.zip",
                   lambda n, d: [(n, d.replace(RANGE.encode(), b">=1.2, <2")
                                  if n == "pack.yaml" else d)])
    def fix_sum(m):  # pack.yaml changed: its manifest entry follows, as a builder's would
        data = zipfile.ZipFile(edited).read("pack.yaml")
        m["files"]["pack.yaml"] = {"size": len(data),
                                   "sha256": hashlib.sha256(data).hexdigest()}
    edited = with_manifest(edited, tmp_path / "n3.zip", fix_sum)
    with pytest.raises(BundleError, match=r'carried base test 1\.1 is outside .*">=1\.2, <2"'):
        PackStore(tmp_path / "packs").install(edited, today=TODAY)
    assert tree(tmp_path / "packs") == []


def test_the_same_bundle_installed_twice_is_one_version_media_and_all(pack, tmp_path):
    # unpacking gives media new file times; the version's folder is still the same one
    pack.write("media/ana/home.txt", "a picture's stand-in")
    bundle = versioned(pack, tmp_path, "1.0")
    store = PackStore(tmp_path / "packs")
    first = store.install(bundle, today=TODAY)
    os.utime(Path(first.folder) / "media" / "ana" / "home.txt", ns=(1, 1))
    second = store.install(bundle, today=TODAY)
    assert first.folder == second.folder and len(store.versions("test")) == 1


# -- with the loader's overlay merge (issue 21, core21) -------------------------------------

needs_merge = pytest.mark.skipif(
    "stores" not in inspect.signature(load_pack).parameters,
    reason="issue 21: installing an overlay validates it merged over its base (the loader's "
           "merge, and load_with_base passing stores=)")


@needs_merge
def test_a_carried_base_is_installed_first_and_an_active_base_in_range_stays(pack, tmp_path):
    store = PackStore(tmp_path / "packs")
    se = store.install(carrying(pack, tmp_path, "test-se", RANGE, "1.1"), today=TODAY)
    assert active_version(store, "test") == "1.1" and active_version(store, "test-se") == "1.0.0"
    assert Path(se.folder).resolve() == store.active("test-se")
    assert (se.base, se.base_active) == ("test 1.1", True)
    # a second overlay carrying an older base in range: the active 1.1 stays, 1.0 is kept
    store.install(carrying(pack, tmp_path / "it", "test-it", RANGE, "1.0"), today=TODAY)
    assert active_version(store, "test") == "1.1"
    assert sorted(v.version for v in store.versions("test")) == ["1.0", "1.1"]
    # the same bundle again piles nothing up
    store.install(carrying(pack, tmp_path / "se2", "test-se", RANGE, "1.1"), today=TODAY)
    assert len(store.versions("test")) == 2 and len(store.versions("test-se")) == 1


@needs_merge
def test_an_overlay_installs_over_an_installed_base(pack, tmp_path):
    store = PackStore(tmp_path / "packs")
    store.install(versioned(pack, tmp_path, "1.1"), today=TODAY)
    named = tmp_path / "se.zip"
    write_bundle(overlay(tmp_path / "pack-se"), named, "test-se", "1.0.0",
                 (Extends("test", RANGE), pack.root))
    v = store.install(named, today=TODAY)  # the kiosk's install, at the fixtures' day
    assert (v.base, active_version(store, "test-se")) == ("", "1.0.0")


def test_a_base_that_is_an_overlay_itself_is_not_carried(pack, tmp_path):
    # test-eu extends test; test-se extends test-eu: carrying test-eu would need test too
    overlay(tmp_path / "test-eu", "test-eu", "1.0.0")
    se = overlay(tmp_path / "test-se", "test-se", base="test-eu", accepts=">=1.0")
    with pytest.raises(BundleError, match='the base "test-eu" extends another pack itself'):
        build_bundle(se, tmp_path / "se.zip", today=TODAY, with_base=True)
    assert not (tmp_path / "se.zip").exists()


@needs_merge
def test_an_overlay_replacing_its_own_older_version_is_not_in_its_way(pack, tmp_path):
    # test-it 0.9.0 accepted only >=2.0; its new version carries base 1.1 and accepts <2:
    # the switch of the base breaks no *other* overlay, so it goes ahead
    store = PackStore(tmp_path / "packs")
    store.install(versioned(pack, tmp_path, "2.0"), today=TODAY)
    place_overlay(store, "test-it", "0.9.0", ">=2.0")
    v = store.install(carrying(pack, tmp_path, "test-it", RANGE, "1.1"), today=TODAY)
    assert (v.base, v.base_active) == ("test 1.1", True)
    assert active_version(store, "test") == "1.1" and active_version(store, "test-it") == "1.0.0"


# -- 1b. `kiosk pack build` of an overlay, in-process (build_bundle as the command calls it) --

def digest_of(folder: Path) -> str:
    """The documented files digest (docs/content-format.md, "Bundles") of a folder's files,
    computed here from the recipe: "storykiosk-files-v1" NUL, then "name NUL sha256 LF" by name."""
    h = hashlib.sha256(b"storykiosk-files-v1\0")
    for name, data in sorted(files_under(folder).items()):
        h.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return h.hexdigest()


def stored_manifest(bundle: Path) -> dict:
    with zipfile.ZipFile(bundle) as z:
        return json.loads(z.read("manifest.json"))


def test_an_overlay_built_by_kiosk_pack_build_names_its_base(pack, tmp_path):
    se = overlay(tmp_path / "pack-se")  # the base, the fixture pack, is beside it
    m = build_bundle(se, tmp_path / "se.zip", today=TODAY)
    stored = stored_manifest(tmp_path / "se.zip")
    assert (stored["format"], stored["pack_id"], stored["version"]) == (1, "test-se", "1.0.0")
    assert stored["base"] == {"id": "test", "version": "1.0", "sha256": digest_of(pack.root),
                              "range": RANGE, "files": None}
    assert m.base == inspect_bundle(tmp_path / "se.zip").base
    # named, not carried: only the overlay's own files are in the zip
    assert zip_names(tmp_path / "se.zip") == {"manifest.json", "pack.yaml", "media/law.txt"}


def test_an_overlay_built_with_base_carries_it_checked_as_of_the_day(pack, tmp_path):
    # the base's consent is to be reviewed the day after TODAY: valid on the day given
    pack.edit("stories/ana.yaml", "review_by: 2028-06-30", "review_by: 2026-11-29")
    se = overlay(tmp_path / "pack-se")
    m = build_bundle(se, tmp_path / "se.zip", today=TODAY, with_base=True)
    stored = stored_manifest(tmp_path / "se.zip")
    assert stored["format"] == 2
    base_files = files_under(pack.root)
    assert stored["base"]["files"] == {
        name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in base_files.items()}
    assert (stored["base"]["id"], stored["base"]["version"]) == ("test", "1.0")
    assert stored["base"]["sha256"] == digest_of(pack.root)
    assert zip_names(tmp_path / "se.zip") == (
        {"manifest.json", "pack.yaml", "media/law.txt"} | {f"base/{n}" for n in base_files})
    assert set(m.files) == {"pack.yaml", "media/law.txt"}


def test_with_base_means_nothing_for_a_pack_that_extends_nothing(pack, tmp_path):
    m = build_bundle(pack.root, tmp_path / "b.zip", today=TODAY, with_base=True)
    stored = stored_manifest(tmp_path / "b.zip")
    assert stored["format"] == 1 and stored.get("base") is None and m.base is None
    assert not any(n.startswith("base/") for n in zip_names(tmp_path / "b.zip"))


@pytest.fixture
def installed_base(pack, tmp_path) -> Path:
    """Base "test" 1.1 installed in a pack store (tmp_path/packs), not beside any overlay."""
    PackStore(tmp_path / "packs").install(versioned(pack, tmp_path, "1.1"), today=TODAY)
    return tmp_path / "packs"


def test_an_overlay_whose_base_is_installed_is_built_against_that_base(installed_base, tmp_path):
    se = overlay(tmp_path / "alone" / "pack-se")
    m = build_bundle(se, tmp_path / "se.zip", today=TODAY, stores=[installed_base])
    active = PackStore(installed_base).active("test")
    assert (m.base.id, m.base.version, m.base.range) == ("test", "1.1", RANGE)
    assert m.base.sha256 == digest_of(active)


def test_the_refusal_says_which_base_to_bring_and_what_is_installed(installed_base, tmp_path):
    se = overlay(tmp_path / "alone" / "pack-se", accepts=">=2")
    with pytest.raises(BaseNotFound) as err:
        build_bundle(se, tmp_path / "se.zip", today=TODAY, stores=[installed_base])
    assert str(err.value) == ('the base "test" in versions ">=2" is found neither beside the '
                              "pack nor among the installed packs (found: 1.1)")
    assert not (tmp_path / "se.zip").exists()


def test_a_base_that_extends_an_installed_pack_is_not_carried(installed_base, tmp_path):
    # test-eu (beside test-se) extends test, which is only installed: still an overlay
    overlay(tmp_path / "alone" / "test-eu", "test-eu", "1.0.0")
    se = overlay(tmp_path / "alone" / "test-se", base="test-eu", accepts=">=1.0")
    with pytest.raises(BundleError) as err:
        build_bundle(se, tmp_path / "se.zip", today=TODAY, stores=[installed_base],
                     with_base=True)
    assert str(err.value) == ('the base "test-eu" extends another pack itself; install its '
                              "bases on the kiosk and build without --with-base")
    assert not (tmp_path / "se.zip").exists()


def test_an_extends_that_names_no_version_is_refused_at_its_line(tmp_path):
    se = tmp_path / "pack-se"
    se.mkdir()
    (se / "pack.yaml").write_text('id: test-se\nversion: "1.0.0"\ncountry: SE\nextends: test\n',
                                  encoding="utf-8")
    with pytest.raises(BundleError) as err:
        build_bundle(se, tmp_path / "se.zip", today=TODAY)
    assert str(err.value) == ('pack.yaml, line 4: "extends" needs the base pack\'s id and its '
                              'versions, e.g. extends: {pack: demo, version: ">=1.0, <2"}')
