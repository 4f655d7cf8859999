"""A curator exports a pack, imports bundles (refused ones leave nothing), activates, rolls back."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from kiosk.content.bundle import build_bundle
from kiosk.content.packstore import PackStore
from tests.support.admin_pages import csrf_from


def _bundle(pack_root: Path, tmp_path: Path, version: str, name: str) -> bytes:
    pack = pack_root / "pack.yaml"
    text = pack.read_text()
    pack.write_text(text.replace('version: "1.0"', f'version: "{version}"'))
    out = tmp_path / name
    build_bundle(pack_root, out)
    pack.write_text(text)
    return out.read_bytes()


def _import(client, data: bytes, name="b.zip"):
    token = csrf_from(client.get("/packs/").get_data(as_text=True))
    return client.post("/packs/import", data={"csrf_token": token,
                                              "bundle": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _leftovers(packs_dir: Path) -> list[str]:
    if not packs_dir.exists():
        return []
    return sorted(str(p.relative_to(packs_dir)) for p in packs_dir.rglob("*"))


def test_export_downloads_a_bundle_the_kiosk_can_install(curator, pack_root, tmp_path):
    r = curator.get("/packs/test/bundle.zip")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    (tmp_path / "dl.zip").write_bytes(r.data)
    v = PackStore(tmp_path / "kiosk").install(tmp_path / "dl.zip")
    assert (v.pack_id, v.version) == ("test", "1.0")


def test_import_then_activate_then_roll_back(curator, pack_root, packs_dir, tmp_path):
    one = _bundle(pack_root, tmp_path, "1.0", "one.zip")
    two = _bundle(pack_root, tmp_path, "2.0", "two.zip")
    assert _import(curator, one).status_code == 303
    assert _import(curator, two).status_code == 303
    store = PackStore(packs_dir)
    assert [v.version for v in store.versions("test")] == ["1.0", "2.0"]
    assert store.active("test") is None  # imported, not yet shown
    page = curator.get("/packs/").get_data(as_text=True)
    token = csrf_from(page)
    for v in store.versions("test"):
        r = curator.post("/packs/test/activate", data={"csrf_token": token,
                                                       "version_dir": Path(v.folder).name})
        assert r.status_code == 303
    assert store.active("test").name.startswith("2.0-")
    r = curator.post("/packs/test/rollback", data={"csrf_token": token,
                                                   "active": store.active("test").name})
    assert r.status_code == 303
    assert store.active("test").name.startswith("1.0-")


def test_a_rollback_for_a_version_no_longer_active_is_refused(curator, pack_root, packs_dir,
                                                               tmp_path):
    _import(curator, _bundle(pack_root, tmp_path, "1.0", "one.zip"))
    store = PackStore(packs_dir)
    store.activate("test", Path(store.versions("test")[0].folder).name)
    token = csrf_from(curator.get("/packs/").get_data(as_text=True))
    r = curator.post("/packs/test/rollback", data={"csrf_token": token, "active": "other"},
                     follow_redirects=True)
    assert "changed since you opened" in r.get_data(as_text=True)


def _zip(entries: dict[str, bytes], manifest: bytes | None = None, links=()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if manifest is not None:
            z.writestr("manifest.json", manifest)
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (0o120777 << 16)
            z.writestr(info, data)
    return buf.getvalue()


def _manifest_for(entries: dict[str, bytes], lie: dict | None = None) -> bytes:
    import hashlib
    import json

    files = {n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
             for n, d in entries.items()}
    for n, v in (lie or {}).items():
        files[n] = v
    return json.dumps({"format": 1, "pack_id": "test", "version": "9", "created": "x",
                       "files": files}).encode()


def _refused(curator, packs_dir, data, words):
    r = _import(curator, data)
    assert r.status_code == 422  # answered at once: the refusal page with its sentence
    page = r.get_data(as_text=True)
    assert "Refused, nothing was installed" in page, page
    assert words in page.replace("&#34;", '"').replace("&#39;", "'")
    assert [p for p in _leftovers(packs_dir) if not p.startswith("test/")] == []
    assert not (packs_dir / "test" / "versions").exists() or not any(
        (packs_dir / "test" / "versions").iterdir())


def test_a_bundle_climbing_out_with_dotdot_is_refused(curator, packs_dir):
    entries = {"pack.yaml": b"id: x\n", "../evil.yaml": b"x"}
    _refused(curator, packs_dir, _zip(entries, _manifest_for(entries)), "climbs out")


def test_a_bundle_with_a_link_is_refused(curator, packs_dir):
    entries = {"pack.yaml": b"id: x\n", "media/link.png": b"/etc/passwd"}
    _refused(curator, packs_dir, _zip(entries, _manifest_for(entries),
                                      links={"media/link.png"}), "link")


def test_a_zip_bomb_stops_at_its_declared_size(curator, packs_dir):
    bomb = b"\0" * (20 * 1024 * 1024)
    entries = {"pack.yaml": b"id: x\n", "media/bomb.bin": bomb}
    manifest = _manifest_for(entries, {"media/bomb.bin": {"size": 10, "sha256": "0" * 64}})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", manifest)
        for n, d in entries.items():
            z.writestr(n, d)
    assert len(buf.getvalue()) < 100_000
    _refused(curator, packs_dir, buf.getvalue(), "manifest says")


def test_a_wrong_checksum_is_refused(curator, pack_root, packs_dir, tmp_path):
    good = _bundle(pack_root, tmp_path, "1.0", "one.zip")
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        entries = {n: z.read(n) for n in z.namelist() if n != "manifest.json"}
        manifest = z.read("manifest.json")
    entries["stories/ana.yaml"] = entries["stories/ana.yaml"].replace(b"Ana", b"Anu")
    _refused(curator, packs_dir, _zip(entries, manifest), "checksum")


def test_a_bundle_whose_pack_has_errors_is_refused(curator, pack_root, packs_dir, tmp_path):
    good = _bundle(pack_root, tmp_path, "1.0", "one.zip")
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        entries = {n: z.read(n) for n in z.namelist() if n != "manifest.json"}
    entries["stories/ana.yaml"] = entries["stories/ana.yaml"].replace(b"goto: friend",
                                                                      b"goto: nowhere")
    _refused(curator, packs_dir, _zip(entries, _manifest_for(entries)), "has errors")


def test_not_a_zip_is_refused(curator, packs_dir):
    _refused(curator, packs_dir, b"<?php echo 1; ?>", "not a readable zip")


def test_an_editor_may_export_but_not_import(editor, pack_root, tmp_path):
    assert editor.get("/packs/test/bundle.zip").status_code == 200
    r = _import(editor, _bundle(pack_root, tmp_path, "1.0", "one.zip"))
    assert r.status_code == 403


def test_a_bundle_larger_than_the_general_request_limit_is_accepted(curator, pack_root,
                                                                     packs_dir, tmp_path, app):
    import os

    (pack_root / "media" / "images" / "noise.png").write_bytes(os.urandom(3 * 1024 * 1024))
    data = _bundle(pack_root, tmp_path, "3.0", "big.zip")
    assert len(data) > app.config["MAX_REQUEST_BYTES"]
    assert _import(curator, data).status_code == 303
    assert [v.version for v in PackStore(packs_dir).versions("test")] == ["3.0"]


def test_a_bundle_over_the_bundle_limit_is_refused(curator, packs_dir, app):
    app.config["MAX_BUNDLE_MB"] = 1
    r = _import(curator, b"\0" * (2 * 1024 * 1024))
    assert r.status_code == 413
    assert _leftovers(packs_dir) == []


def test_a_working_copy_is_installed_here_as_a_new_version(curator, pack_root, packs_dir):
    token = csrf_from(curator.get("/packs/").get_data(as_text=True))
    assert curator.post("/packs/test/install", data={"csrf_token": token}).status_code == 400
    r = curator.post("/packs/test/install", data={"csrf_token": token, "confirm": "test"})
    assert r.status_code == 303
    store = PackStore(packs_dir)
    assert [v.version for v in store.versions("test")] == ["1.0"] and store.active("test") is None
    pack = pack_root / "stories" / "ana.yaml"
    pack.write_text(pack.read_text().replace("goto: friend", "goto: nowhere"))
    r = curator.post("/packs/test/install", data={"csrf_token": token, "confirm": "test"},
                     follow_redirects=True)
    assert "Not exported" in r.get_data(as_text=True)
    assert len(store.versions("test")) == 1


@pytest.mark.parametrize("version", ["../../../escaped", "1.0/x"])
def test_a_bundle_whose_version_is_a_path_is_refused_with_a_sentence(curator, pack_root,
                                                                      packs_dir, tmp_path,
                                                                      version):
    files = {"pack.yaml": (pack_root / "pack.yaml").read_bytes().replace(
        b'version: "1.0"', f'version: "{version}"'.encode())}
    for story in sorted((pack_root / "stories").iterdir()):
        files[f"stories/{story.name}"] = story.read_bytes()
    manifest = json.loads(_manifest_for(files))
    manifest["version"] = version
    packs_dir.mkdir(exist_ok=True)
    before = sorted(p.name for p in tmp_path.iterdir())
    r = _import(curator, _zip(files, json.dumps(manifest).encode()))
    assert r.status_code == 422
    page = r.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
    assert "Refused, nothing was installed" in page and "is not a version" in page, page
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _leftovers(packs_dir) == []


def test_installing_again_keeps_one_folder_per_version(curator, pack_root, packs_dir):
    """The same content twice is one folder; other content needs a newer version."""
    token = csrf_from(curator.get("/packs/").get_data(as_text=True))

    def install():
        return curator.post("/packs/test/install", data={"csrf_token": token, "confirm": "test"},
                            follow_redirects=True).get_data(as_text=True)

    install()
    store = PackStore(packs_dir)
    assert len(store.versions("test")) == 1
    page = install()
    assert "already installed" in page
    assert len(store.versions("test")) == 1
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text("utf-8") + "# a change\n", "utf-8")
    page = install()
    assert "not newer than the installed 1.0" in page and "1.1" in page
    assert len(store.versions("test")) == 1
    pack = pack_root / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace('version: "1.0"', 'version: "1.0.1"'),
                    "utf-8")
    install()
    assert [v.version for v in store.versions("test")] == ["1.0", "1.0.1"]


def test_roll_back_is_offered_only_with_something_to_go_back_to(curator, pack_root, packs_dir,
                                                               tmp_path):
    store = PackStore(packs_dir)

    def bundle(version):
        pack = pack_root / "pack.yaml"
        text = pack.read_text("utf-8")
        pack.write_text(re.sub(r'version: "[^"]+"', f'version: "{version}"', text), "utf-8")
        out = tmp_path / f"b-{version}.zip"
        build_bundle(pack_root, out)
        return out

    one = store.install(bundle("1.0"), activate=True)
    two = store.install(bundle("1.1"), activate=False)

    def offered():
        return "Roll back to" in curator.get("/packs/").get_data(as_text=True)

    assert not offered()  # two versions installed, but only one was ever active
    store.activate("test", Path(two.folder).name)
    assert offered() and "Roll back to 1.0" in curator.get("/packs/").get_data(as_text=True)
    store.rollback("test")
    assert not offered()  # back at the first: nothing earlier
    assert Path(one.folder).resolve() == store.active("test")


def test_a_pack_with_errors_says_why_on_the_page_instead_of_a_download(curator, pack_root):
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace("goto: friend", "goto: nowhere"))
    r = curator.get("/packs/test/bundle.zip")
    assert r.status_code == 409 and r.mimetype == "text/html"
    assert "attachment" not in r.headers.get("Content-Disposition", "")
    page = r.get_data(as_text=True)
    assert "Not exported" in page and "nowhere" in page


def test_the_packs_table_lists_what_blocks_a_bundle(curator, pack_root):
    assert "Why it cannot be bundled" not in curator.get("/packs/").get_data(as_text=True)
    story = pack_root / "stories" / "ana.yaml"
    story.write_text(story.read_text().replace("goto: friend", "goto: nowhere"))
    page = curator.get("/packs/").get_data(as_text=True)
    row = page[page.index("Why it cannot be bundled"):page.index("</details>")]
    assert "stories/ana.yaml:" in row and "nowhere" in row
    # the link is an ordinary one: a refusal is shown, never saved as a file
    assert re.search(r'href="/packs/test/bundle.zip"[^>]*\bdownload\b', page) is None
