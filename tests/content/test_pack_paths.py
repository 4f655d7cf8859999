"""A pack's id and version become folder names: a crafted version never leaves the packs folder."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.content.bundle import BundleError
from kiosk.content.packstore import PackStore
from kiosk.content.safepath import OutsideFolder, child, inside, is_inside
from tests.support.fixture_date import TODAY

VALID = Path(__file__).resolve().parent.parent / "fixtures" / "packs" / "valid"


def kiosk(*args):
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1"})


def crafted_bundle(out: Path, version: str, pack_id: str = "test") -> Path:
    """The valid pack zipped by hand with `version` in pack.yaml and the manifest (no validator)."""
    files = {"pack.yaml": (VALID / "pack.yaml").read_bytes()
             .replace(b'version: "1.0"', f"version: {json.dumps(version)}".encode())
             .replace(b"id: test\n", f"id: {pack_id}\n".encode(), 1)}
    for story in sorted((VALID / "stories").iterdir()):
        files[f"stories/{story.name}"] = story.read_bytes()
    manifest = {"format": 1, "pack_id": pack_id, "version": version, "created": "x",
                "files": {n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                          for n, d in files.items()}}
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for name, data in files.items():
            z.writestr(name, data)
    return out


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("version", ["1.0", "1.0.1", "2026.12-se.1", "3", "1.2.0-rc.1+build.5"])
def test_versions_of_the_defined_form_pass(pack, version):
    pack.edit("pack.yaml", 'version: "1.0"', f'version: "{version}"')
    assert load_pack(pack.root, today=TODAY).ok


@pytest.mark.parametrize("version", ["../../../../escaped", "1.0/x", "..", "1.0 beta", "v1.0",
                                     "1..0", "1.0-", "1.0\\x"])
def test_kiosk_check_refuses_a_version_that_is_not_of_the_form(pack, version):
    pack.edit("pack.yaml", 'version: "1.0"', f"version: {json.dumps(version)}")
    out = kiosk("check", "--format", "json", str(pack.root))
    assert out.returncode == 1, out.stdout
    errors = [f for f in json.loads(out.stdout)[0]["findings"] if f["severity"] == "error"]
    assert len(errors) == 1, errors
    # the place of the value (line 2, column 10) and what to write instead
    f = errors[0]
    assert (f["file"], f["line"], f["col"]) == ("pack.yaml", 2, 10), f
    assert "is not a version" in f["message"] and "2026.12-se.1" in f["hint"], f
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("version", ["../../../../escaped", "1.0/x"])
def test_kiosk_pack_install_of_a_crafted_bundle_stays_in_the_packs_folder(tmp_path, version):
    packs = tmp_path / "a" / "b" / "packs"
    packs.mkdir(parents=True)
    bundle = crafted_bundle(tmp_path / "evil.zip", version)
    before = tree(tmp_path)
    out = kiosk("pack", "install", "--packs-dir", str(packs), str(bundle))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "refused" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert tree(tmp_path) == before  # nothing outside, nothing inside either
    assert PackStore(packs).active("test") is None


def test_a_crafted_pack_id_stays_in_the_packs_folder(tmp_path):
    packs = tmp_path / "a" / "packs"
    bundle = crafted_bundle(tmp_path / "evil.zip", "1.0", pack_id="../escaped")
    with pytest.raises(BundleError, match="pack id"):
        PackStore(packs).install(bundle, today=TODAY)
    assert not (tmp_path / "a" / "escaped").exists() and tree(packs) == []


def test_the_store_refuses_ids_and_version_folders_that_leave_it(tmp_path):
    store = PackStore(tmp_path / "packs")
    (tmp_path / "packs" / "test" / "versions").mkdir(parents=True)
    for outside in (tmp_path / "outside", tmp_path / "versions" / "x"):
        outside.mkdir(parents=True)
        (outside / "pack.yaml").write_text("id: x\n")
    for pack_id, version_dir in (("test", "../../../outside"), ("..", "x"),
                                 ("test", "/tmp"), ("", "../../outside")):
        with pytest.raises(BundleError):
            store.activate(pack_id, version_dir)
    assert not (tmp_path / "active").exists() and not (tmp_path / "packs" / "test" / "active").exists()
    assert not (tmp_path / "history.json").exists()


def test_inside_keeps_paths_in_their_folder(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "out").symlink_to(tmp_path)
    assert inside(tmp_path / "in", "sub/file.txt") == tmp_path / "in" / "sub" / "file.txt"
    assert child(tmp_path / "in", "1.0-abc") == tmp_path / "in" / "1.0-abc"
    for bad in ("../x", "sub/../../x", "/etc/passwd", "out/x", "", "a\0b"):
        with pytest.raises(OutsideFolder):
            inside(tmp_path / "in", bad)
    for bad in ("a/b", "..", ".", "", "a\\b"):
        with pytest.raises(OutsideFolder):
            child(tmp_path / "in", bad)
    assert is_inside(tmp_path / "in" / "sub", tmp_path / "in")
    assert not is_inside(tmp_path / "in" / "out" / "x", tmp_path / "in")


@pytest.mark.parametrize("written", [".", "./", "a\\0b.png", "images/\\0"])
def test_a_media_path_that_names_no_file_is_a_finding_at_its_line(pack, written):
    pack.edit("stories/ana.yaml", "    text: {sv: Vännen",
              f'    image: "{written}"\n    text: {{sv: Vännen')
    loaded = load_pack(pack.root, today=TODAY)
    found = [(f.code, f.line) for f in loaded.findings if f.severity == "error"]
    assert found == [("media-missing", 19)], [f.format() for f in loaded.findings]
    assert "\0" not in loaded.findings[0].message


def test_an_id_with_a_trailing_line_break_is_refused(pack):
    # "test\n" would pass a regex ending in $ and become a folder name with a line break
    pack.edit("pack.yaml", "id: test", 'id: "test\\n"')
    loaded = load_pack(pack.root, today=TODAY)
    assert [(f.code, f.path, f.line) for f in loaded.findings if f.severity == "error"] == [
        ("bad-value", "id", 1)], [f.format() for f in loaded.findings]
