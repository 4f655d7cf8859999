"""An editor uploads media; what is not what it claims, bombs and tracking data are refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from admin.content.media import MAX_PIXELS, safe_name
from admin.db import database
from admin.models import AuditEntry, Role
from admin.models_content import MediaItem
from tests.support.admin_pages import csrf_from

LIB = "/media/test/"


def _png(size=(32, 24)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _upload(client, data: bytes, name: str, folder="images", alt="", tags=""):
    token = csrf_from(client.get(LIB).get_data(as_text=True))
    r = client.post(f"{LIB}upload", data={"csrf_token": token, "folder": folder, "alt.sv": alt,
                                          "tags": tags, "file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    assert r.status_code == 303, r.get_data(as_text=True)
    return client.get(LIB).get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")


def _alt(pack_root, path):
    from kiosk.content import load_pack

    picture = load_pack(pack_root).pack.pictures.get(path)
    return picture.alt if picture else {}


def _files(pack_root):
    return sorted(p.relative_to(pack_root / "media").as_posix()
                  for p in (pack_root / "media").rglob("*") if p.is_file())


def test_an_image_is_stored_under_a_safe_name_with_alt_text_and_tags(editor, pack_root, app):
    page = _upload(editor, _png(), "../../Näst Bild!.PNG", alt="A kitchen.", tags="Kitchen, Night")
    assert "Stored as images/nast-bild.png" in page
    assert (pack_root / "media" / "images" / "nast-bild.png").is_file()
    with database(app).session() as db:
        item = db.query(MediaItem).one()
        assert (item.path, item.tag_list) == ("images/nast-bild.png", ["kitchen", "night"])
    # the alt text goes to pack.yaml, in the pack's default language (sv)
    assert _alt(pack_root, "images/nast-bild.png") == {"sv": "A kitchen."}
    page = _upload(editor, _png(), "Näst Bild.png")
    assert "images/nast-bild-2.png" in page


def test_location_and_camera_are_stripped_from_a_photo(editor, pack_root):
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x0110] = "ModelX"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (59.0, 20.0, 1.0)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "JPEG", exif=exif.tobytes())
    assert b"SecretCameraMaker" in buf.getvalue()
    _upload(editor, buf.getvalue(), "photo.jpg")
    stored = (pack_root / "media" / "images" / "photo.jpg").read_bytes()
    assert b"SecretCameraMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as im:
        assert dict(im.getexif()) == {} and im.size == (40, 30)


def test_a_script_named_like_an_image_is_refused(editor, pack_root):
    before = _files(pack_root)
    page = _upload(editor, b"<script>alert(1)</script>\n", "cat.jpg")
    assert "Refused, nothing was stored" in page and "first bytes" in page
    assert _files(pack_root) == before


def test_a_decompression_bomb_is_refused(editor, pack_root):
    buf = io.BytesIO()
    side = int(MAX_PIXELS ** 0.5) + 500
    Image.new("1", (side, side)).save(buf, "PNG")
    assert len(buf.getvalue()) < 2_000_000
    before = _files(pack_root)
    page = _upload(editor, buf.getvalue(), "bomb.png")
    assert "Refused" in page and "megapixels" in page
    assert _files(pack_root) == before


def test_a_broken_image_is_refused(editor, pack_root):
    data = _png()[:40]
    before = _files(pack_root)
    page = _upload(editor, data, "cut.png")
    assert "cannot be decoded" in page
    assert _files(pack_root) == before


def test_a_sound_is_stored_and_a_fake_one_refused(editor, pack_root, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed (scripts/setup installs it)")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=d=0.3", "-c:a",
                    "libvorbis", str(tmp_path / "tone.ogg")], check=True)
    page = _upload(editor, (tmp_path / "tone.ogg").read_bytes(), "Tone.OGG", folder="audio")
    assert "Stored as audio/tone.ogg" in page
    before = _files(pack_root)
    page = _upload(editor, b"OggS" + b"\0" * 300, "fake.ogg", folder="audio")
    assert "Refused" in page and "cannot play it" in page
    assert _files(pack_root) == before


def test_a_sound_in_the_pictures_folder_is_refused(editor, pack_root):
    page = _upload(editor, b"OggS" + b"\0" * 100, "song.png", folder="images")
    assert "not image" in page


def test_subtitles_are_stored_by_their_content_not_their_name(editor, pack_root):
    page = _upload(editor, b"WEBVTT\n\n00:00.000 --> 00:01.000\nHej\n", "sub.txt",
                   folder="captions")
    assert "Stored as captions/sub.vtt" in page


def test_blocked_tags_block_export_until_a_curator_overrides_with_a_reason(
        editor, curator, pack_root, app):
    _upload(editor, _png(), "chain.png", tags="chains, metal")
    r = curator.get("/packs/test/bundle.zip", follow_redirects=True)
    assert r.mimetype == "text/html" and "blocked tags" in r.get_data(as_text=True)
    token = csrf_from(curator.get(LIB).get_data(as_text=True))
    assert editor.post(f"{LIB}override", data={"csrf_token": token, "path":
                       "images/chain.png", "reason": "x" * 20}).status_code in (400, 403)
    curator.post(f"{LIB}override", data={"csrf_token": token, "path": "images/chain.png",
                                         "reason": "short"})
    assert curator.get("/packs/test/bundle.zip").mimetype == "text/html"
    curator.post(f"{LIB}override", data={"csrf_token": token, "path": "images/chain.png",
                                         "reason": "Historical photo of a museum object."})
    assert curator.get("/packs/test/bundle.zip").mimetype == "application/zip"
    with database(app).session() as db:
        entry = db.query(AuditEntry).filter_by(action="media.override").one()
        assert "Historical photo" in entry.after


def test_media_in_use_is_not_deleted_and_the_page_says_where(editor, pack_root):
    path = pack_root / "stories" / "ana.yaml"
    path.write_text(path.read_text().replace(
        "    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}\n",
        "    text: {sv: Ana får ett erbjudande., en: Ana gets an offer.}\n"
        "    image: {src: images/home.png, alt: {sv: Ett kök, en: A kitchen}}\n"))
    page = editor.get(LIB).get_data(as_text=True)
    assert "story ana, scene home (image)" in page
    token = csrf_from(page)
    r = editor.post(f"{LIB}delete", data={"csrf_token": token, "path": "images/home.png"},
                    follow_redirects=True)
    assert "Not deleted" in r.get_data(as_text=True)
    assert (pack_root / "media" / "images" / "home.png").is_file()
    path.write_text(path.read_text().replace(
        "    image: {src: images/home.png, alt: {sv: Ett kök, en: A kitchen}}\n", ""))
    r = editor.post(f"{LIB}delete", data={"csrf_token": token, "path": "images/home.png"},
                    follow_redirects=True)
    assert "Deleted images/home.png" in r.get_data(as_text=True)
    assert not (pack_root / "media" / "images" / "home.png").exists()


@pytest.mark.parametrize("bad", ["../pack.yaml", "/etc/passwd", "images/../../pack.yaml",
                                 "images/home.png%00.txt", "images%5Chome.png"])
def test_paths_outside_media_are_never_served_or_deleted(editor, pack_root, bad):
    assert editor.get(f"{LIB}file/{bad}", follow_redirects=True).status_code == 404
    token = csrf_from(editor.get(LIB).get_data(as_text=True))
    assert editor.post(f"{LIB}delete", data={"csrf_token": token, "path": bad}).status_code \
        == 404
    assert (pack_root / "pack.yaml").is_file()


def test_a_viewer_sees_the_library_but_cannot_upload(as_role):
    viewer = as_role(Role.VIEWER)
    page = viewer.get(LIB).get_data(as_text=True)
    assert "images/home.png" in page and 'action="/media/test/upload"' not in page


@pytest.mark.parametrize("name, ext, want", [
    ("../../etc/passwd", ".png", "passwd.png"), ("CON", ".jpg", "con.jpg"),
    ("....", ".png", "file.png"), ("a b\u202ec.jpg", ".png", "a-bc.png"),
    ("x" * 300, ".png", "x" * 60 + ".png")])
def test_safe_names(name, ext, want):
    assert safe_name(name, ext) == want
    assert re.fullmatch(r"[a-z0-9_-]+\.[a-z0-9]+", safe_name(name, ext))


def test_an_upload_over_the_size_limit_is_refused(editor, pack_root, app):
    app.config["MAX_UPLOAD_MB"] = 1
    before = _files(pack_root)
    token = csrf_from(editor.get(LIB).get_data(as_text=True))
    r = editor.post(f"{LIB}upload", data={"csrf_token": token, "folder": "images",
                                          "file": (io.BytesIO(b"\0" * 2_000_000), "big.png")},
                    content_type="multipart/form-data")
    assert r.status_code == 413
    assert _files(pack_root) == before


def test_a_deleted_file_is_kept_and_restored_with_its_description(editor, as_role, pack_root,
                                                                  app):
    from admin.models_content import MediaDeletion

    page = _upload(editor, _png((40, 30)), "Dock.png", alt="The dock at dawn",
                   tags="harbour, chains")
    stored = pack_root / "media" / "images" / "dock.png"
    data = stored.read_bytes()
    token = csrf_from(page)
    r = editor.post(f"{LIB}delete", data={"csrf_token": token, "path": "images/dock.png"},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Deleted images/dock.png" in html and not stored.exists()
    assert 'data-deleted="images/dock.png"' in html and 'name="deletion"' in html
    assert "images/dock.png" not in _files(pack_root)
    with database(app).session() as db:
        row = db.query(MediaDeletion).one()
        kept = Path(app.instance_path) / "media-trash" / "test" / row.trash_name
        assert kept.read_bytes() == data and row.deleted_by == editor.user.username
        assert db.query(MediaItem).filter_by(path="images/dock.png").count() == 0
        assert db.query(AuditEntry).filter_by(action="media.delete").count() == 1
    # A viewer sees the deleted file but has no Restore button, and a POST is refused.
    viewer = as_role(Role.VIEWER)
    vpage = viewer.get(LIB).get_data(as_text=True)
    assert 'data-deleted="images/dock.png"' in vpage and 'name="deletion"' not in vpage
    assert viewer.post(f"{LIB}restore", data={"csrf_token": csrf_from(page),
                                              "deletion": row.id}).status_code == 403
    # A file of that name in the pack now: the restore is refused and replaces nothing.
    stored.write_bytes(b"other")
    r = editor.post(f"{LIB}restore", data={"csrf_token": token, "deletion": row.id},
                    follow_redirects=True)
    assert "Not restored" in r.get_data(as_text=True) and stored.read_bytes() == b"other"
    stored.unlink()
    r = editor.post(f"{LIB}restore", data={"csrf_token": token, "deletion": row.id},
                    follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Restored images/dock.png" in html and 'data-deleted="images/dock.png"' not in html
    assert stored.read_bytes() == data and not kept.exists()
    with database(app).session() as db:
        rec = db.query(MediaItem).filter_by(path="images/dock.png").one()
        assert rec.tag_list == ["harbour", "chains"]
        assert db.get(MediaDeletion, row.id).restored_by == editor.user.username
        assert db.query(AuditEntry).filter_by(action="media.restore").count() == 1
    # the description stayed in pack.yaml while the file was in the trash
    assert _alt(pack_root, "images/dock.png") == {"sv": "The dock at dawn"}
    r = editor.post(f"{LIB}restore", data={"csrf_token": token, "deletion": row.id},
                    follow_redirects=True)
    assert "restored already" in r.get_data(as_text=True)


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-path="([^"]+)"', html)


def test_a_large_library_comes_in_pages_of_fifty(editor, pack_root):
    """Issue 19: 453 files were one 625 kB page."""
    folder = pack_root / "media" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    before = len(_files(pack_root))
    for i in range(120):
        (folder / f"p{i:03}.png").write_bytes(_png((4, 4)))
    total = before + 120
    first = editor.get(LIB).get_data(as_text=True)
    assert len(_rows(first)) == 50 and f"{total} files" in first
    last_page = -(-total // 50)
    assert f"Page 1 of {last_page}" in first and 'rel="next"' in first
    last = editor.get(f"{LIB}?page={last_page}").get_data(as_text=True)
    assert len(_rows(last)) == total - 50 * (last_page - 1) and 'rel="next"' not in last
    every = set()
    for n in range(1, last_page + 1):
        every |= set(_rows(editor.get(f"{LIB}?page={n}").get_data(as_text=True)))
    assert len(every) == total  # each file on exactly one page
    # a page that is not one shows the nearest, never an error
    assert _rows(editor.get(f"{LIB}?page=abc").get_data(as_text=True)) == _rows(first)
    assert _rows(editor.get(f"{LIB}?page=999").get_data(as_text=True)) == _rows(last)


def test_the_library_searches_names_alt_text_and_tags(editor, pack_root):
    folder = pack_root / "media" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(12):
        (folder / f"room{i:02}.png").write_bytes(_png((4, 4)))
    _upload(editor, _png(), "harbour.png", alt="A ferry at the Harbour", tags="boat, night")
    rows = _rows(editor.get(f"{LIB}?q=room0").get_data(as_text=True))
    assert rows == [f"images/room{i:02}.png" for i in range(10)]
    assert _rows(editor.get(f"{LIB}?q=ferry+harbour").get_data(as_text=True)) == [
        "images/harbour.png"]
    assert _rows(editor.get(f"{LIB}?q=NIGHT").get_data(as_text=True)) == ["images/harbour.png"]
    assert _rows(editor.get(f"{LIB}?q=ferry+room").get_data(as_text=True)) == []
