"""The pack store on a kiosk: versions side by side, one active, switches and rollbacks kept.

The store's layout is its contract (kiosk/content/packstore.py): `<packs>/<id>/versions/
<version>-<files digest>/`, an `active` link, `history.json`. Most tests here lay version
folders out by hand in that shape (a real folder with a pack.yaml, as an install leaves one),
so each reads one rule of the store without the validator's time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from kiosk.content.bundle import BundleError, write_bundle
from kiosk.content.extends import Extends
from kiosk.content.packstore import BreaksOverlays, InstalledVersion, PackStore


def laid_out(store: PackStore, pack_id: str, version: str, digest: str = "0123456789") -> str:
    """A version folder as an install leaves one; its name (`<version>-<digest>`)."""
    folder = store.root / pack_id / "versions" / f"{version}-{digest}"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(f'id: {pack_id}\nversion: "{version}"\n', "utf-8")
    return folder.name


def at(day: str, hour: int = 12, minute: int = 0) -> float:
    """A UTC moment as a file time."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute,
                                                  tzinfo=dt.UTC).timestamp()


def history(store: PackStore, pack_id: str) -> list[tuple[str, bool]]:
    """history.json as (version folder, rollback) pairs."""
    entries = json.loads((store.root / pack_id / "history.json").read_text("utf-8"))
    return [(e["version_dir"], e["rollback"]) for e in entries]


def test_versions_lists_every_version_and_marks_only_the_active_one(tmp_path):
    store = PackStore(tmp_path / "packs")
    old = laid_out(store, "test", "1.0")
    rc = laid_out(store, "test", "1.2.0-rc.1", "abcdef0123")  # a version with a hyphen
    other = laid_out(store, "museum", "2.0")
    versions = store.root / "test" / "versions"
    for name in (old, rc):
        os.utime(versions / name, (at("2026-03-01"), at("2026-03-01")))
    store.activate("test", rc)
    store.activate("museum", other)  # two packs: "the only pack" is no answer here
    assert store.versions("test") == [
        InstalledVersion("test", "1.0", str(versions / old), False, "2026-03-01"),
        InstalledVersion("test", "1.2.0-rc.1", str(versions / rc), True, "2026-03-01"),
    ]
    assert [v.active for v in store.versions("museum")] == [True]
    assert store.versions("nothing") == [] and store.versions("../test") == []


def test_the_install_day_is_the_utc_day_whatever_the_kiosks_zone(tmp_path):
    store = PackStore(tmp_path / "packs")
    name = laid_out(store, "test", "1.0")
    folder = store.root / "test" / "versions" / name
    os.utime(folder, (at("2026-03-01", 23, 30), at("2026-03-01", 23, 30)))
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"  # UTC+14: already 2 March there
    time.tzset()
    try:
        assert [v.installed for v in store.versions("test")] == ["2026-03-01"]
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_version_whose_folder_is_gone_has_no_install_day(tmp_path):
    store = PackStore(tmp_path / "packs")
    laid_out(store, "test", "1.0")
    (store.root / "test" / "versions" / "1.1-0123456789").symlink_to(tmp_path / "gone")
    assert [(v.version, v.installed) for v in store.versions("test")][1] == ("1.1", "")


def test_files_and_unfinished_installs_in_the_packs_folder_are_not_packs(tmp_path):
    store = PackStore(tmp_path / "packs")
    name = laid_out(store, "test", "1.0")
    store.activate("test", name)
    (store.root / "README.txt").write_text("packs of the touring exhibition", "utf-8")
    (store.root / ".incoming-0a1b2c3d4e5f").mkdir()  # an install cut short by a power cut
    assert store.pack_ids() == ["test"]
    # with one pack, "the active pack" needs no id
    assert store.active() == (store.root / "test" / "versions" / name).resolve()


def test_activating_a_version_that_is_not_installed_says_so_and_changes_nothing(tmp_path):
    store = PackStore(tmp_path / "packs")
    laid_out(store, "test", "1.0")
    for version_dir in ("9.9-0123456789", "../../outside"):
        with pytest.raises(BundleError) as err:
            store.activate("test", version_dir)
        assert str(err.value) == f'pack "test" has no installed version "{version_dir}"'
    assert not (store.root / "test" / "active").exists()
    assert not (store.root / "test" / "history.json").exists()


def test_a_switch_back_by_hand_is_a_switch_and_rollback_undoes_it(tmp_path):
    # 1.0 -> 1.1, then staff pick 1.0 again: a rollback now returns to 1.1, the version
    # that was active before (docstring of rollback), not "nothing earlier"
    store = PackStore(tmp_path / "packs")
    v10, v11 = laid_out(store, "test", "1.0"), laid_out(store, "test", "1.1")
    store.activate("test", v10)
    store.activate("test", v11)
    store.activate("test", v10)
    assert store.rollback_target("test") == v11
    assert store.rollback("test").name == v11
    assert history(store, "test") == [(v10, False), (v11, False), (v10, False), (v11, True)]


def test_the_history_keeps_the_last_50_switches(tmp_path):
    store = PackStore(tmp_path / "packs")
    names = [laid_out(store, "test", "1.0"), laid_out(store, "test", "1.1")]
    for i in range(53):
        store.activate("test", names[i % 2])
    kept = history(store, "test")
    assert len(kept) == 50 and kept[-1] == (names[52 % 2], False)
    # each switch's moment is UTC, to the second
    at_ = json.loads((store.root / "test" / "history.json").read_text("utf-8"))[-1]["at"]
    moment = dt.datetime.fromisoformat(at_)
    assert moment.utcoffset() == dt.timedelta(0) and moment.microsecond == 0
    assert abs(dt.datetime.now(dt.UTC) - moment) < dt.timedelta(minutes=5)


def test_deactivate_stops_a_pack_and_keeps_its_versions(tmp_path):
    store = PackStore(tmp_path / "packs")
    v10, v11 = laid_out(store, "test", "1.0"), laid_out(store, "test", "1.1")
    store.activate("test", v10)
    store.activate("test", v11)
    assert store.deactivate("test") is True
    assert store.active("test") is None and not (store.root / "test" / "active").is_symlink()
    assert [(v.version, v.active) for v in store.versions("test")] == [("1.0", False),
                                                                        ("1.1", False)]
    assert history(store, "test") == [(v10, False), (v11, False)]
    assert store.deactivate("test") is False  # not active any more
    assert store.deactivate("museum") is False  # never installed


def test_an_overlay_runs_over_the_active_base_in_range_else_the_newest_in_range(tmp_path):
    store = PackStore(tmp_path / "packs")
    names = {v: laid_out(store, "test", v) for v in ("1.0", "1.2", "1.9", "1.10", "2.0")}
    store.activate("test", names["1.0"])
    found = store.installed_base(Extends("test", ">=1.0, <2"))
    assert (found.version, found.active) == ("1.0", True)  # active, though 1.10 is newer
    found = store.installed_base(Extends("test", ">=1.1, <2"))
    assert (found.version, found.active) == ("1.10", False)  # 1.10 is newer than 1.9
    assert store.installed_base(Extends("test", ">=3")) is None
    assert store.installed_base(Extends("museum", ">=1")) is None


def overlay_laid_out(store: PackStore, pack_id: str, version: str, accepts: str) -> None:
    """An installed, active overlay of base "test" that accepts `accepts`."""
    name = laid_out(store, pack_id, version)
    with (store.root / pack_id / "versions" / name / "pack.yaml").open("a", encoding="utf-8") as f:
        f.write(f'extends:\n  pack: test\n  version: "{accepts}"\n')
    store.activate(pack_id, name)


def test_a_rollback_to_a_pre_release_names_the_overlays_it_breaks(tmp_path):
    # versions with a hyphen: the folder is <version>-<digest>, the version keeps its own
    store = PackStore(tmp_path / "packs")
    rc, final = laid_out(store, "test", "1.0.0-rc.1"), laid_out(store, "test", "2.0.0")
    store.activate("test", rc)
    store.activate("test", final)
    overlay_laid_out(store, "test-se", "1.0.0-se.1", ">=2.0")
    overlay_laid_out(store, "test-it", "1.1.0", ">=1.0.0")  # 1.0.0-rc.1 comes before 1.0.0
    overlay_laid_out(store, "test-lv", "1.0.0", ">=0.9")
    broken = [("test-it", "1.1.0", ">=1.0.0"), ("test-se", "1.0.0-se.1", ">=2.0")]
    assert store.rollback_breaks("test") == broken
    with pytest.raises(BreaksOverlays) as err:
        store.rollback("test")
    assert err.value.overlays == broken
    assert str(err.value) == (
        "rolling back test to 1.0.0-rc.1 takes these overlays out of the base versions they "
        "accept (in brackets): test-it 1.1.0 (>=1.0.0), test-se 1.0.0-se.1 (>=2.0)")
    assert store.active("test").name == final


def test_a_rollback_with_nothing_before_says_so(tmp_path):
    store = PackStore(tmp_path / "packs")
    store.activate("test", laid_out(store, "test", "1.0"))
    with pytest.raises(BundleError) as err:
        store.rollback("test")
    assert str(err.value) == 'pack "test" has no earlier version to roll back to'
    assert store.rollback_breaks("test") == []


def test_a_rollback_passes_over_versions_that_are_gone_or_not_of_the_store(tmp_path):
    store = PackStore(tmp_path / "packs")
    v10, v11, v12 = (laid_out(store, "test", v) for v in ("1.0", "1.1", "1.2"))
    for name in (v10, v11, v12):
        store.activate("test", name)
    shutil.rmtree(store.root / "test" / "versions" / v11)  # removed to free space
    assert store.rollback_target("test") == v10
    # a history entry naming no folder of the store (a damaged history.json) is passed over
    # too, and the versions before it still count
    entries = json.loads((store.root / "test" / "history.json").read_text("utf-8"))
    entries.insert(1, {**entries[1], "version_dir": "../../outside"})
    (store.root / "test" / "history.json").write_text(json.dumps(entries), "utf-8")
    assert store.rollback("test").name == v10


def test_a_missing_base_is_named_with_the_installed_versions_in_order(tmp_path):
    store = PackStore(tmp_path / "packs")
    for version in ("1.10", "1.9"):
        laid_out(store, "test", version)
    overlay = tmp_path / "pack-se"
    overlay.mkdir()
    (overlay / "pack.yaml").write_text('id: test-se\nversion: "1.0.0"\nextends:\n  pack: test\n'
                                       '  version: ">=2"\n', "utf-8")
    write_bundle(overlay, tmp_path / "se.zip", "test-se", "1.0.0",
                 (Extends("test", ">=2"), store.root / "test" / "versions" / "1.9-0123456789"))
    with pytest.raises(BundleError) as err:
        store.install(tmp_path / "se.zip")
    assert "(installed: 1.9, 1.10)" in str(err.value)
    assert store.pack_ids() == ["test"]


def base_folder(folder: Path, version: str) -> Path:
    """A base pack folder (id "test") with only its pack.yaml: enough to be named or carried."""
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(f'id: test\nversion: "{version}"\n', "utf-8")
    return folder


def overlay_folder(folder: Path, extends: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(f'id: test-se\nversion: "1.0.0"\ncountry: SE\n{extends}',
                                      "utf-8")
    return folder


def edited_manifest(bundle: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "manifest.json":
                m = json.loads(data)
                change(m)
                data = json.dumps(m).encode()
            zout.writestr(name, data)
    return out


def refused_install(store: PackStore, bundle: Path) -> str:
    """The sentence of an install's refusal; the store holds nothing afterwards."""
    with pytest.raises(BundleError) as err:
        store.install(bundle)
    assert store.pack_ids() == []
    return str(err.value)


def test_an_overlay_whose_base_does_not_add_up_is_refused_with_its_reason(tmp_path):
    store = PackStore(tmp_path / "packs")
    accepts = ">=1.0, <2"
    extends = f'extends:\n  pack: test\n  version: "{accepts}"\n'
    # an extends: without its versions, at pack.yaml's line 4
    write_bundle(overlay_folder(tmp_path / "half", "extends:\n  pack: test\n"),
                 tmp_path / "half.zip", "test-se", "1.0.0")
    assert refused_install(store, tmp_path / "half.zip") == (
        'pack.yaml, line 4: "extends" needs the base pack\'s id and its versions, e.g. '
        'extends: {pack: demo, version: ">=1.0, <2"}')
    se = overlay_folder(tmp_path / "se", extends)
    carried = write_bundle(se, tmp_path / "carried.zip", "test-se", "1.0.0",
                           (Extends("test", accepts), base_folder(tmp_path / "base", "1.1")),
                           carry=True)
    assert carried.base.version == "1.1"
    # the manifest names another range than pack.yaml
    widened = edited_manifest(tmp_path / "carried.zip", tmp_path / "w.zip",
                              lambda m: m["base"].update(range=">=0"))
    assert refused_install(store, widened) == \
        "the manifest's base differs from the extends: of pack.yaml"
    # the manifest says the carried base is 1.2; its pack.yaml says 1.1
    misnamed = edited_manifest(tmp_path / "carried.zip", tmp_path / "m.zip",
                               lambda m: m["base"].update(version="1.2"))
    assert refused_install(store, misnamed) == "the carried base's pack.yaml is not test 1.2"
    # a carried base outside the overlay's own range
    narrow = overlay_folder(tmp_path / "narrow", 'extends:\n  pack: test\n  version: ">=1.2"\n')
    write_bundle(narrow, tmp_path / "n.zip", "test-se", "1.0.0",
                 (Extends("test", ">=1.2"), tmp_path / "base"), carry=True)
    assert refused_install(store, tmp_path / "n.zip") == (
        'the carried base test 1.1 is outside the versions the overlay accepts (">=1.2")')


def test_a_base_rollback_looks_only_at_active_overlays_of_that_base(tmp_path):
    # beside the overlays: a pack of its own (extends nothing), an overlay no longer active
    # and one whose extends: cannot be read; none of them stops the check or is named
    store = PackStore(tmp_path / "packs")
    v10, v20 = laid_out(store, "test", "1.0"), laid_out(store, "test", "2.0")
    store.activate("test", v10)
    store.activate("test", v20)
    store.activate("museum", laid_out(store, "museum", "1.0"))
    overlay_laid_out(store, "test-gr", "1.0.0", ">=2.0")
    store.deactivate("test-gr")
    overlay_laid_out(store, "test-it", "1.0.0", ">=2.0")
    (store.root / "test-it" / "active" / "pack.yaml").write_text(  # extends: without versions
        'id: test-it\nversion: "1.0.0"\nextends:\n  pack: test\n', "utf-8")
    overlay_laid_out(store, "test-se", "1.0.0", ">=2.0")
    assert store.rollback_breaks("test") == [("test-se", "1.0.0", ">=2.0")]


def test_an_active_link_to_a_removed_folder_is_no_active_version(tmp_path):
    store = PackStore(tmp_path / "packs")
    name = laid_out(store, "test", "1.0")
    store.activate("test", name)
    shutil.rmtree(store.root / "test" / "versions" / name)  # removed by hand
    assert store.active("test") is None and store.active() is None
    with pytest.raises(BundleError) as err:
        store.activate("..", name)
    assert str(err.value) == '".." is not a pack id (lower-case letters, digits, - and _)'


def test_a_bundled_pack_with_errors_is_refused_listing_its_first_ten(tmp_path):
    # A bundle made by another tool (write_bundle does not validate): twelve scenes, after
    # the story's 34 lines, going to scenes that do not exist. The refusal lists ten errors,
    # one a line, the rest left to `kiosk check`.
    from tests.support.kiosk_driver import FIXTURE_PACK

    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    story = pack / "stories" / "ana.yaml"
    lost = "".join(f"  lost{i:02}:\n    text: {{sv: x, en: x}}\n    next: gone{i:02}\n"
                   for i in range(12))
    story.write_text(story.read_text("utf-8") + lost, "utf-8")
    write_bundle(pack, tmp_path / "bad.zip", "test", "1.0")
    refusal = refused_install(PackStore(tmp_path / "packs"), tmp_path / "bad.zip")
    head, *lines = refusal.split("\n  ")
    assert head == "the pack in the bundle has errors:"
    assert len(lines) == 10
    assert lines[0] == ('stories/ana.yaml:37:11: error: scene "lost00" goes on to scene '
                        '"gone00", which does not exist')


def test_a_carried_base_is_checked_as_of_the_day_the_install_is_asked_for(tmp_path):
    # The base's consent ends on 2026-11-30: valid on the suite's day (28 November), past on
    # any real day this runs. The install is asked as of the 28th, and so is its base.
    from tests.support.fixture_date import TODAY
    from tests.support.kiosk_driver import FIXTURE_PACK

    base = tmp_path / "base"
    shutil.copytree(FIXTURE_PACK, base)
    story = base / "stories" / "ana.yaml"
    story.write_text(story.read_text("utf-8").replace("review_by: 2028-06-30",
                                                      "review_by: 2026-11-30"), "utf-8")
    se = overlay_folder(tmp_path / "se", 'extends:\n  pack: test\n  version: ">=1.0, <2"\n')
    write_bundle(se, tmp_path / "se.zip", "test-se", "1.0.0",
                 (Extends("test", ">=1.0, <2"), base), carry=True)
    store = PackStore(tmp_path / "packs")
    assert TODAY < dt.date(2026, 11, 30) < dt.date.today()
    installed = store.install(tmp_path / "se.zip", today=TODAY)
    assert (installed.pack_id, installed.version, installed.base) == ("test-se", "1.0.0",
                                                                      "test 1.0")
