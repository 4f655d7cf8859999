"""What a bundle must be before a kiosk unpacks a byte of it, and how one is written.

Each refusal is checked by its sentence (docs/content-format.md, "Bundles"; the module's
docstring lists the checks): a refusal that said the wrong thing would send a touring team
looking for the wrong problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from kiosk.content.bundle import (
    BundleError,
    build_bundle,
    files_digest,
    inspect_bundle,
    unpack_bundle,
    write_bundle,
)
from kiosk.content.extends import Extends
from kiosk.content.packstore import PackStore
from tests.content.test_bundles import manifest_with, rezip
from tests.support.fixture_date import TODAY


@pytest.fixture
def bundle(pack, tmp_path) -> Path:
    build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    return tmp_path / "b.zip"


def manifest_of(bundle: Path) -> dict:
    with zipfile.ZipFile(bundle) as z:
        return json.loads(z.read("manifest.json"))


def with_manifest(bundle: Path, out: Path, change) -> Path:
    """A copy of the bundle whose manifest `change(dict)` edited."""
    m = manifest_of(bundle)
    change(m)
    return rezip(bundle, out, lambda n, d: [(n, json.dumps(m).encode() if n == "manifest.json"
                                             else d)])


def refusal(path: Path) -> str:
    with pytest.raises(BundleError) as err:
        inspect_bundle(path)
    return str(err.value)


def test_a_bundle_without_a_manifest_is_refused(bundle, tmp_path):
    bad = rezip(bundle, tmp_path / "x.zip", lambda n, d: [] if n == "manifest.json" else [(n, d)])
    assert refusal(bad) == "the bundle has no manifest.json"


def test_a_file_named_twice_is_refused(bundle, tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):
        bad = rezip(bundle, tmp_path / "x.zip",
                    lambda n, d: [(n, d), (n, d)] if n == "pack.yaml" else [(n, d)])
    assert refusal(bad) == "the bundle names a file twice"


@pytest.mark.parametrize("data", [b"{not json", b'{"format": 1}', b"[]"])
def test_a_manifest_that_cannot_be_read_is_refused(bundle, tmp_path, data):
    bad = rezip(bundle, tmp_path / "x.zip",
                lambda n, d: [(n, data if n == "manifest.json" else d)])
    assert refusal(bad).startswith("the manifest cannot be read: ")


def test_a_manifest_over_4_mb_is_refused_before_it_is_read(bundle, tmp_path):
    padded = json.dumps(manifest_of(bundle)).encode() + b" " * (4 * 1024**2)
    bad = rezip(bundle, tmp_path / "x.zip",
                lambda n, d: [(n, padded if n == "manifest.json" else d)])
    assert refusal(bad) == "the manifest is too large"
    # just under the limit (whitespace is valid JSON) it is read
    fits = json.dumps(manifest_of(bundle)).encode()
    fits += b" " * (4 * 1024**2 - len(fits))
    ok = rezip(bundle, tmp_path / "ok.zip", lambda n, d: [(n, fits if n == "manifest.json" else d)])
    assert inspect_bundle(ok).pack_id == "test"


@pytest.mark.parametrize("fmt, expected", [(3, 1), (0, 1), (2, 1)])
def test_an_unknown_format_is_refused(bundle, tmp_path, fmt, expected):
    # 2 is the format of a bundle that carries its base; without a base it is not one
    bad = with_manifest(bundle, tmp_path / "x.zip", lambda m: m.update(format=fmt))
    assert refusal(bad) == f"bundle format {fmt} is not supported (expected {expected})"


def test_a_file_the_manifest_lists_but_the_bundle_lacks_is_refused(bundle, tmp_path):
    def add(m):
        m["files"]["stories/gone.yaml"] = {"size": 3, "sha256": "0" * 64}
    bad = with_manifest(bundle, tmp_path / "x.zip", add)
    assert refusal(bad) == 'the manifest lists "stories/gone.yaml", which the bundle lacks'


def test_a_name_only_in_the_manifest_is_checked_too(bundle, tmp_path):
    # a name that climbs out is refused as such even when no entry carries it
    def add(m):
        m["files"]["media/../../x"] = {"size": 1, "sha256": "0" * 64}
    bad = with_manifest(bundle, tmp_path / "x.zip", add)
    assert refusal(bad) == '"media/../../x" climbs out of the pack with ..'


def test_a_bundle_without_pack_yaml_is_refused(bundle, tmp_path):
    def drop(m):
        del m["files"]["pack.yaml"]
    bad = with_manifest(bundle, tmp_path / "x.zip", drop)
    bad = rezip(bad, tmp_path / "y.zip", lambda n, d: [] if n == "pack.yaml" else [(n, d)])
    assert refusal(bad) == "the bundle has no pack.yaml"


def test_a_file_outside_a_packs_folders_is_refused(bundle, tmp_path):
    bad = rezip(bundle, tmp_path / "x.zip", lambda n, d: [(n, d)] if n != "manifest.json" else
                [(n, manifest_with(bundle, "notes.txt", b"hi")), ("notes.txt", b"hi")])
    assert refusal(bad) == ('"notes.txt" is not part of a pack (pack.yaml, stories/, '
                            "overrides/, media/)")


def test_overrides_and_folder_entries_are_part_of_a_pack(bundle, tmp_path):
    data = b"id: ana\n"
    def add(n, d):
        if n != "manifest.json":
            return [(n, d)]
        return [(n, manifest_with(bundle, "overrides/ana.yaml", data)),
                ("overrides/ana.yaml", data), (zipfile.ZipInfo("media/"), b"")]
    m = inspect_bundle(rezip(bundle, tmp_path / "x.zip", add))
    assert "overrides/ana.yaml" in m.files and "media/" not in m.files


def many_entries(bundle: Path, out: Path, count: int) -> Path:
    """The bundle with stories/f<i>.yaml added until the zip holds `count` entries."""
    m = manifest_of(bundle)
    extra = count - len(m["files"]) - 1
    for i in range(extra):
        m["files"][f"stories/f{i}.yaml"] = {"size": 0, "sha256": hashlib.sha256(b"").hexdigest()}
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(out, "w") as zout:
        zout.writestr("manifest.json", json.dumps(m))
        for name in zin.namelist():
            if name != "manifest.json":
                zout.writestr(name, zin.read(name))
        for i in range(extra):
            zout.writestr(f"stories/f{i}.yaml", b"")
    return out


def test_at_most_10000_files_and_the_manifest(bundle, tmp_path):
    assert len(inspect_bundle(many_entries(bundle, tmp_path / "ok.zip", 10_001)).files) == 10_000
    assert refusal(many_entries(bundle, tmp_path / "x.zip", 10_002)) == \
        "the bundle holds 10,002 entries, more than 10,000"


def test_a_bundle_is_written_manifest_first_text_deflated_media_stored(pack, tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    pack.write("media/ana/home.png", png)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    m = build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        assert z.namelist()[0] == "manifest.json"
        kinds = {i.filename: i.compress_type for i in z.infolist()}
        stored = json.loads(z.read("manifest.json"))
    assert kinds["manifest.json"] == kinds["pack.yaml"] == kinds["stories/ana.yaml"] == \
        zipfile.ZIP_DEFLATED
    assert kinds["media/ana/home.png"] == zipfile.ZIP_STORED
    assert stored["format"] == 1 and (stored["pack_id"], stored["version"]) == ("test", "1.0")
    assert stored["files"]["media/ana/home.png"] == {
        "size": len(png), "sha256": hashlib.sha256(png).hexdigest()}
    created = dt.datetime.fromisoformat(stored["created"])
    assert created.utcoffset() == dt.timedelta(0) and created.microsecond == 0
    assert before <= created <= dt.datetime.now(dt.UTC)
    assert m.created == stored["created"] and stored.get("base") is None
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["b.zip"]  # no .part


def test_a_link_in_media_is_not_bundled(pack, tmp_path):
    pack.write("media/real.png", b"png")
    (pack.root / "media" / "ana").mkdir()
    (pack.root / "media" / "ana" / "link.png").symlink_to(pack.root / "media" / "real.png")
    with pytest.raises(BundleError) as err:
        build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    assert str(err.value) == "media/ana/link.png is a link; copy the file instead"
    assert list(tmp_path.glob("b.zip*")) == []


def test_unpacking_never_removes_a_folder_that_was_there(bundle, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("staff notes", "utf-8")
    with pytest.raises(FileExistsError):
        unpack_bundle(bundle, dest)
    assert (dest / "keep.txt").read_text("utf-8") == "staff notes"


@pytest.mark.parametrize("name, sentence", [
    ("/media/evil.png", '"/media/evil.png" is an absolute path'),
    ("media/../../evil.png", '"media/../../evil.png" climbs out of the pack with ..'),
    ("", '"" is not part of a pack (pack.yaml, stories/, overrides/, media/)'),
])
def test_inspect_alone_refuses_a_bad_name_by_its_sentence(bundle, tmp_path, name, sentence):
    # inspect_bundle unpacks nothing: the refusal cannot come from a guard while unpacking
    def add(m):
        m["files"][name] = {"size": 1, "sha256": "0" * 64}
    assert refusal(with_manifest(bundle, tmp_path / "x.zip", add)) == sentence


def test_unpacking_writes_nested_media_and_a_damaged_file_leaves_no_folder(pack, tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    pack.write("media/ana/scenes/home.png", png)
    build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    unpack_bundle(tmp_path / "b.zip", tmp_path / "out")
    assert (tmp_path / "out" / "media" / "ana" / "scenes" / "home.png").read_bytes() == png
    # one byte changed in the picture, its size and the manifest as they were
    bad = rezip(tmp_path / "b.zip", tmp_path / "bad.zip", lambda n, d: [
        (n, d[:-1] + b"\0" if n == "media/ana/scenes/home.png" else d)])
    with pytest.raises(BundleError) as err:
        unpack_bundle(bad, tmp_path / "out2")
    assert str(err.value) == \
        '"media/ana/scenes/home.png" does not match its checksum: the bundle is damaged'
    assert not (tmp_path / "out2").exists()


def test_subtitles_and_json_are_deflated_like_the_yaml(pack, tmp_path):
    for name in ("media/ana/home.en.vtt", "media/ana/home.en.srt", "media/ana/data.json"):
        pack.write(name, "WEBVTT\n\n" * 50)
    build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    with zipfile.ZipFile(tmp_path / "b.zip") as z:
        kinds = {i.filename: i.compress_type for i in z.infolist()}
    assert {kinds[n] for n in ("media/ana/home.en.vtt", "media/ana/home.en.srt",
                               "media/ana/data.json")} == {zipfile.ZIP_DEFLATED}


def test_the_files_digest_is_the_documented_recipe():
    # docs/content-format.md, "Bundles": SHA-256 of "storykiosk-files-v1", a NUL byte, then
    # "name NUL sha256 LF" per file, sorted by name. Bundles already built name their base by
    # it, so the recipe may never change quietly.
    files = {"stories/b.yaml": "b" * 64, "pack.yaml": "a" * 64}
    expected = hashlib.sha256(b"storykiosk-files-v1\0pack.yaml\0" + b"a" * 64 + b"\n"
                              + b"stories/b.yaml\0" + b"b" * 64 + b"\n").hexdigest()
    assert files_digest(files) == expected


def test_a_bundle_is_validated_as_of_the_day_it_is_given(pack, tmp_path):
    # consent to be reviewed the day after TODAY: valid on TODAY, past its review after
    pack.edit("stories/ana.yaml", "review_by: 2028-06-30", "review_by: 2026-11-29")
    build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    with pytest.raises(BundleError) as err:
        build_bundle(pack.root, tmp_path / "late.zip", today=dt.date(2026, 12, 1))
    assert str(err.value).startswith("the pack has errors; fix them before bundling:\n  ")
    assert "2026-11-29" in str(err.value)
    installed = PackStore(tmp_path / "packs").install(tmp_path / "b.zip", today=TODAY)
    assert installed.active and installed.version == "1.0"
    assert installed.installed == dt.datetime.now(dt.UTC).date().isoformat()  # made just now


@pytest.fixture
def carrying(pack, tmp_path) -> Path:
    """An overlay bundle (test-se) carrying its base, the valid pack (test 1.0)."""
    se = tmp_path / "se"
    se.mkdir()
    (se / "pack.yaml").write_text('id: test-se\nversion: "1.0.0"\nextends:\n  pack: test\n'
                                  '  version: ">=1.0"\n', "utf-8")
    write_bundle(se, tmp_path / "se.zip", "test-se", "1.0.0",
                 (Extends("test", ">=1.0"), pack.root), carry=True)
    return tmp_path / "se.zip"


def uncarried(m: dict) -> None:
    m["base"]["files"] = None


@pytest.mark.parametrize("change, sentence", [
    (lambda m: m["base"].update(id="Test"),
     '"Test" is not a pack id (lower-case letters, digits, - and _)'),
    (lambda m: m["base"].update(version="v1"),
     '"v1" is not a version: numbers with dots, optionally followed by -letters, digits and '
     "dots, like 1.0.1 or 2026.12-se.1"),
    (lambda m: m.update(format=1), "bundle format 1 is not supported (expected 2)"),
    (uncarried, "bundle format 2 is not supported (expected 1)"),
    (lambda m: m["base"]["files"].pop("pack.yaml"), "the carried base has no pack.yaml"),
    (lambda m: m["base"]["files"].update({"notes.txt": {"size": 1, "sha256": "0" * 64}}),
     '"notes.txt" is not part of a pack (pack.yaml, stories/, overrides/, media/)'),
])
def test_a_carried_base_is_checked_like_the_pack(carrying, tmp_path, change, sentence):
    assert refusal(with_manifest(carrying, tmp_path / "x.zip", change)) == sentence


def test_a_base_range_that_is_no_range_is_refused(carrying, tmp_path):
    bad = with_manifest(carrying, tmp_path / "x.zip", lambda m: m["base"].update(range="soon"))
    assert refusal(bad).startswith("the manifest's base: ")
    # an overlay that only names its base (format 1, no files) is read as such
    named = with_manifest(carrying, tmp_path / "n.zip", lambda m: (uncarried(m),
                                                                    m.update(format=1)))
    named = rezip(named, tmp_path / "n2.zip",
                  lambda n, d: [] if n.startswith("base/") else [(n, d)])
    m = inspect_bundle(named)
    assert (m.base.id, m.base.version, m.base.range, m.base.files) == ("test", "1.0", ">=1.0",
                                                                        None)


@pytest.mark.parametrize("header", ['id: test\n', 'version: "1.0"\n'])
def test_a_base_folder_without_its_id_or_version_is_not_named(tmp_path, header):
    base = tmp_path / "base"
    base.mkdir()
    (base / "pack.yaml").write_text(header, "utf-8")
    se = tmp_path / "se"
    se.mkdir()
    (se / "pack.yaml").write_text('id: test-se\nversion: "1.0.0"\n', "utf-8")
    with pytest.raises(BundleError) as err:
        write_bundle(se, tmp_path / "se.zip", "test-se", "1.0.0", (Extends("test", ">=1"), base))
    assert str(err.value) == f"{base} has no pack id or version"
    assert list(tmp_path.glob("se.zip*")) == []


def test_an_install_tells_its_steps_as_they_start(bundle, tmp_path):
    heard: list[str] = []
    PackStore(tmp_path / "packs").install(bundle, today=TODAY, progress=heard.append)
    assert heard == ["unpack", "check", "activate"]
    heard.clear()
    PackStore(tmp_path / "other").install(bundle, today=TODAY, progress=heard.append,
                                          activate=False)
    assert heard == ["unpack", "check"]


@pytest.mark.parametrize("field, value", [("version", "1.1"), ("pack_id", "other")])
def test_a_manifest_that_misnames_its_pack_is_refused_at_install(bundle, tmp_path, field, value):
    # one field differs from pack.yaml, the other agrees: either is enough to refuse
    bad = with_manifest(bundle, tmp_path / "x.zip", lambda m: m.update({field: value}))
    with pytest.raises(BundleError) as err:
        PackStore(tmp_path / "packs").install(bad, today=TODAY)
    assert str(err.value) == "the manifest's pack id or version differs from pack.yaml"
    assert [p.name for p in (tmp_path / "packs").iterdir()] == []


def test_a_zip_damaged_in_transit_is_refused_and_leaves_no_folder(pack, tmp_path):
    # a byte of a stored picture flipped in the file itself (a bad USB stick): zip's own CRC
    # stops the read before the manifest's checksum is compared
    png = b"\x89PNG\r\n\x1a\n" + b"\x11" * 4096
    pack.write("media/ana/home.png", png)
    build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    raw = bytearray((tmp_path / "b.zip").read_bytes())
    at = raw.index(b"\x11" * 4096) + 2048
    raw[at] ^= 0xFF
    (tmp_path / "bad.zip").write_bytes(bytes(raw))
    with pytest.raises(BundleError) as err:
        unpack_bundle(tmp_path / "bad.zip", tmp_path / "out", tmp_path / "base")
    assert str(err.value).startswith("the bundle cannot be unpacked: ")
    assert "media/ana/home.png" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_a_base_folder_that_was_there_is_kept_and_the_new_one_removed(carrying, tmp_path):
    base = tmp_path / "base-there"
    base.mkdir()
    (base / "keep.txt").write_text("staff notes", "utf-8")
    with pytest.raises(FileExistsError):
        unpack_bundle(carrying, tmp_path / "ov", base)
    assert not (tmp_path / "ov").exists()  # made by this call: removed
    assert [p.name for p in base.iterdir()] == ["keep.txt"]


def test_a_pack_with_errors_is_refused_with_its_first_five_one_a_line(pack, tmp_path):
    # docs/content-format.md, "Bundles": the first five errors, one a line (kiosk check
    # lists them all); seven scenes lead nowhere here
    for i in range(7):
        pack.append("stories/ana.yaml", f"  lost{i}:\n    text: {{sv: x, en: x}}\n"
                                        f"    next: nowhere{i}\n")
    with pytest.raises(BundleError) as err:
        build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
    head, *lines = str(err.value).split("\n")
    assert head == "the pack has errors; fix them before bundling:"
    assert len(lines) == 5
    assert all(line.startswith("  stories/ana.yaml:") and "nowhere" in line for line in lines)
    assert list(tmp_path.glob("b.zip*")) == []


def test_not_a_zip_is_refused_with_zips_own_reason(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert refusal(junk) == "not a readable zip file: File is not a zip file"


@pytest.mark.parametrize("data, why", [(b"{not json", "malformed"),
                                       (b'{"format": 1}', "`pack_id`"),
                                       (b"[]", "array")])
def test_the_manifests_refusal_says_what_is_wrong_with_it(bundle, tmp_path, data, why):
    bad = rezip(bundle, tmp_path / "x.zip",
                lambda n, d: [(n, data if n == "manifest.json" else d)])
    reason = refusal(bad).removeprefix("the manifest cannot be read: ")
    assert why in reason and "None" not in reason


def added(bundle: Path, out: Path, info, data: bytes, declared: bytes | None = None) -> Path:
    """The bundle with one more entry (a name or a ZipInfo), the manifest listing `declared`
    (the entry's own data unless given)."""
    name = info if isinstance(info, str) else info.filename
    listed = manifest_with(bundle, name, data if declared is None else declared)
    return rezip(bundle, out, lambda n, d: [(n, d)] if n != "manifest.json" else
                 [(n, listed), (info, data)])


def test_a_link_is_refused_by_name(bundle, tmp_path):
    info = zipfile.ZipInfo("media/link.png")
    info.external_attr = 0o120777 << 16
    bad = added(bundle, tmp_path / "x.zip", info, b"/etc/passwd")
    assert refusal(bad) == '"media/link.png" is a link or special file, not a plain file'


def test_an_entry_with_permissions_but_no_file_type_is_a_plain_file(bundle, tmp_path):
    # some zip tools record only the permission bits (here rwxr-xr-x) and no file type
    info = zipfile.ZipInfo("media/ana/tool.bin")
    info.external_attr = 0o755 << 16
    ok = added(bundle, tmp_path / "ok.zip", info, b"\x7fELF")
    assert "media/ana/tool.bin" in inspect_bundle(ok).files
    unpack_bundle(ok, tmp_path / "out")
    assert (tmp_path / "out" / "media" / "ana" / "tool.bin").read_bytes() == b"\x7fELF"


def test_an_entry_the_manifest_does_not_list_is_refused_by_name(bundle, tmp_path):
    bad = rezip(bundle, tmp_path / "x.zip", lambda n, d: [(n, d)] + (
        [("stories/extra.yaml", b"id: extra")] if n == "pack.yaml" else []))
    assert refusal(bad) == '"stories/extra.yaml" is in the bundle but not in its manifest'


def test_an_entry_larger_than_declared_says_both_sizes(bundle, tmp_path):
    bad = added(bundle, tmp_path / "x.zip", "media/ana/home.wav", b"\0" * 1_234_567,
                declared=b"\0" * 12_345)
    assert refusal(bad) == '"media/ana/home.wav" is 1,234,567 bytes; the manifest says 12,345'


GIB = 1024**3  # docs/content-format.md, "Bundles": at most 2 GiB unpacked


def claiming(bundle: Path, out: Path, sizes: dict[str, int]) -> Path:
    """The bundle with entries whose zip headers and manifest claim `sizes` bytes. Nothing
    that large is written: inspect_bundle reads the headers only, as a kiosk does first."""
    m = manifest_of(bundle)
    for name, size in sizes.items():
        m["files"][name] = {"size": size, "sha256": "0" * 64}
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(out, "w") as zout:
        zout.writestr("manifest.json", json.dumps(m))
        for name in zin.namelist():
            if name != "manifest.json":
                zout.writestr(name, zin.read(name))
        for name, size in sizes.items():
            zout.writestr(name, b"")
            zout.getinfo(name).file_size = size  # the central directory, written at close
    return out


def test_a_bundle_may_unpack_to_2_gib_and_not_a_byte_more(bundle, tmp_path):
    own = sum(f["size"] for f in manifest_of(bundle)["files"].values())
    exactly = claiming(bundle, tmp_path / "ok.zip", {"media/film.mp4": 2 * GIB - own})
    assert inspect_bundle(exactly).total_size == 2 * GIB
    over = claiming(bundle, tmp_path / "x.zip", {"media/film.mp4": 2 * GIB - own + 1})
    assert refusal(over) == "the bundle unpacks to 2.1 GB, more than 2.1 GB"


def test_the_limit_is_on_all_files_together_and_the_sentence_gives_the_total(bundle, tmp_path):
    # each film alone is under the limit; together they are 3,050,000,001 bytes and more
    own = sum(f["size"] for f in manifest_of(bundle)["files"].values())
    first = 1_500_000_000
    bad = claiming(bundle, tmp_path / "x.zip", {"media/a.mp4": first,
                                                "media/b.mp4": 3_050_000_001 - first - own})
    assert refusal(bad) == "the bundle unpacks to 3.1 GB, more than 2.1 GB"


def test_a_carried_base_whose_list_was_changed_is_refused_as_damaged(carrying, tmp_path):
    def change(m):
        m["base"]["files"]["stories/ana.yaml"]["sha256"] = "0" * 64
    assert refusal(with_manifest(carrying, tmp_path / "x.zip", change)) == \
        "the carried base's files do not match its sha256: the bundle is damaged"


def test_a_base_range_that_is_no_range_is_refused_saying_why(carrying, tmp_path):
    bad = with_manifest(carrying, tmp_path / "x.zip", lambda m: m["base"].update(range="soon"))
    assert refusal(bad) == ('the manifest\'s base: "soon" is not a version range: write a '
                            'version ("1.0.0") or comparisons separated by commas (">=1.0, <2")')


def test_unpacking_makes_the_new_folders_parents_too(carrying, tmp_path):
    unpack_bundle(carrying, tmp_path / "new" / "se" / "1.0.0", tmp_path / "new2" / "test" / "1.0")
    assert (tmp_path / "new" / "se" / "1.0.0" / "pack.yaml").is_file()
    assert (tmp_path / "new2" / "test" / "1.0" / "stories" / "ana.yaml").is_file()


def test_a_large_video_is_bundled_and_unpacked_a_piece_at_a_time(pack, tmp_path):
    # a kiosk's memory is small and a video may be large: neither the build nor the unpack
    # holds a whole file in memory (here 40 MB of film, at most 12 MB held at once)
    film = bytes(range(256)) * (40 * 1024**2 // 256)
    pack.write("media/ana/film.mp4", film)
    tracemalloc.start()
    try:
        build_bundle(pack.root, tmp_path / "b.zip", today=TODAY)
        built = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        unpack_bundle(tmp_path / "b.zip", tmp_path / "out")
        unpacked = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert built < 12 * 1024**2 and unpacked < 12 * 1024**2, (built, unpacked)
    assert (tmp_path / "out" / "media" / "ana" / "film.mp4").read_bytes() == film


def test_a_deflated_story_damaged_in_transit_is_refused_and_leaves_no_folder(bundle, tmp_path):
    # one byte of the compressed story flipped on the stick: the deflate stream breaks
    # before zip's CRC is reached; that is a refusal like any other damage
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as z:
        info = z.getinfo("stories/ana.yaml")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    raw[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)] ^= 0xFF
    (tmp_path / "bad.zip").write_bytes(bytes(raw))
    with pytest.raises(BundleError) as err:
        unpack_bundle(tmp_path / "bad.zip", tmp_path / "out", tmp_path / "base")
    assert str(err.value).startswith("the bundle cannot be unpacked: ")
    assert not (tmp_path / "out").exists() and not (tmp_path / "base").exists()


@pytest.mark.parametrize("flags, method, why", [
    (0, 99, "That compression method is not supported"),
    (1, zipfile.ZIP_STORED, "File 'stories/ana.yaml' is encrypted, password required"),
])
def test_an_entry_zipped_in_a_way_a_kiosk_cannot_read_is_refused(bundle, tmp_path, flags,
                                                                  method, why):
    # a bundle repacked by another zip tool: an unknown compression method (99, as AES
    # tools write) or a password on a story; zipfile's reason is given, no folder is left
    stored = rezip(bundle, tmp_path / "stored.zip", lambda n, d: [(n, d)])  # all ZIP_STORED
    raw = bytearray(stored.read_bytes())
    with zipfile.ZipFile(stored) as z:
        local = z.getinfo("stories/ana.yaml").header_offset
    central = raw.index(b"PK\x01\x02")  # the central directory, then its entry
    while raw[central + 46:central + 62] != b"stories/ana.yaml":
        central = raw.index(b"PK\x01\x02", central + 4)
    for at in (local + 6, central + 8):  # flag bits, then the method, in both headers
        struct.pack_into("<HH", raw, at, flags, method)
    (tmp_path / "bad.zip").write_bytes(bytes(raw))
    with pytest.raises(BundleError) as err:
        unpack_bundle(tmp_path / "bad.zip", tmp_path / "out", tmp_path / "base")
    assert str(err.value).startswith(f"the bundle cannot be unpacked: {why}")
    assert not (tmp_path / "out").exists() and not (tmp_path / "base").exists()
