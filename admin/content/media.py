"""Uploaded media: the type from the bytes, images decoded once and cleaned, safe names.

Refusals are ``Refused`` with a sentence for the uploader; a refused upload leaves no file.
The first bytes are sniffed with the validator's own ``kiosk.content.mediacheck`` (the same
magic numbers ``kiosk check`` uses); the browser's name and content type are never trusted.
Images are decoded once with Pillow (which proves they are images), refused above
``MAX_PIXELS`` before decoding (decompression bombs), and written again from their pixels
only, so EXIF (camera, GPS location), XMP and text chunks are gone.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import stat
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from admin.content.storyfile import fsync_dir
from admin.content.summaries import N_
from kiosk.content import model as M
from kiosk.content.loader import tree_stats
from kiosk.content.mediacheck import HEAD, sniff_format
from kiosk.content.phrase import Phrase
from kiosk.content.safepath import OutsideFolder, inside
from kiosk.content.slots import story_slots

MAX_PIXELS = 40_000_000  # 40 megapixels: far above any kiosk screen, far below a bomb
FOLDERS = {"images": "image", "audio": "audio", "video": "video", "captions": "subtitles"}
# sniffed format -> (kind, extension written)
FORMATS = {
    "jpeg": ("image", ".jpg"), "png": ("image", ".png"), "webp": ("image", ".webp"),
    "gif": ("image", ".gif"), "ogg": ("audio", ".ogg"), "flac": ("audio", ".flac"),
    "mp3": ("audio", ".mp3"), "wav": ("audio", ".wav"), "mp4": ("video", ".mp4"),
    "matroska": ("video", ".webm"), "vtt": ("subtitles", ".vtt"), "srt": ("subtitles", ".srt"),
}
BLOCKED_TAGS = set(M.BLOCKED_TAGS)


class Refused(Exception):
    """An upload (or a restore) that is refused, with the reason in words.

    Like ``kiosk.content.bundle.BundleError``: ``msgid`` is the English sentence with
    ``%(name)s`` placeholders, ``params`` their values; the admin shows it translated
    (``admin.i18n.reason``), ``str(exc)`` is the English sentence.
    """

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


@dataclass
class Stored:
    """A file accepted into a pack's media folder."""

    path: str  # relative to media/
    kind: str
    size: int
    sha256: str


def safe_name(filename: str, extension: str) -> str:
    """A file name from an uploaded one: no folders, lower-case ASCII letters, digits, - _."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = base.rsplit(".", 1)[0] if "." in base else base
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9_-]+", "-", base).strip("-_")[:60] or "file"
    return base + extension


def _clean_image(data: bytes, fmt: str) -> bytes:
    """Decode an image once (refusing bombs) and write it again without any metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise Refused("the picture is %(w)s×%(h)s pixels (%(mp)s megapixels); the "
                              "limit is %(max)s", w=w, h=h, mp=format(w * h / 1e6, ".0f"),
                              max=format(MAX_PIXELS / 1e6, ".0f"))
            im.load()
            im = ImageOps.exif_transpose(im)  # keep the orientation the camera recorded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("the picture expands to too many pixels (a decompression bomb?)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Refused("the file cannot be decoded as a picture: %(error)s",
                      error=str(exc)) from None
    if im.mode not in ("RGB", "RGBA", "L", "LA"):
        im = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info else "RGB")
    clean = Image.frombytes(im.mode, im.size, im.tobytes())  # pixels only, no info, no EXIF
    out = io.BytesIO()
    if fmt == "jpeg":
        clean.convert("RGB").save(out, "JPEG", quality=92, optimize=True)
    elif fmt == "webp":
        clean.save(out, "WEBP", quality=92)
    else:
        clean.save(out, "PNG", optimize=False)
    return out.getvalue()


def _check_subtitles(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("subtitles must be UTF-8 text") from None
    if "\0" in text:
        raise Refused("subtitles must be text")


def _check_playable(path: Path) -> None:
    """Refuse sound or film the kiosk cannot play (the validator's own probe, ffprobe)."""
    from kiosk.media.probe import why_unplayable

    why = why_unplayable(path)
    if why is not None:
        raise Refused("the kiosk cannot play it: %(why)s", why=why)


def store_upload(stream, filename: str, folder: str, media_root: Path, limit: int) -> Stored:
    """Check an upload and write it into media/<folder>/ under a safe, unused name."""
    if folder not in FOLDERS:
        raise Refused('"%(folder)s" is not a media folder (%(folders)s)', folder=folder,
                      folders=", ".join(FOLDERS))
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Refused("the file is larger than %(mb)s MB", mb=format(limit / 1e6, ".0f"))
    if not data:
        raise Refused("the file is empty")
    fmt = sniff_format(data[:HEAD])
    if fmt is None or fmt not in FORMATS:
        raise Refused("the file is not a picture, sound, film or subtitle file the kiosk "
                      "knows (its first bytes say so, whatever its name)")
    kind, ext = FORMATS[fmt]
    if fmt == "ogg" and folder == "video":
        kind, ext = "video", ".ogv"
    if fmt == "mp4" and folder == "audio":
        kind, ext = "audio", ".m4a"
    if FOLDERS[folder] != kind:
        raise Refused("the file is %(kind)s, not %(expected)s: upload it to the %(folder)s "
                      "folder", kind=kind, expected=FOLDERS[folder],
                      folder=next(f for f, k in FOLDERS.items() if k == kind))
    if kind == "image":
        data = _clean_image(data, fmt)
        ext = {"jpeg": ".jpg", "webp": ".webp"}.get(fmt, ".png")
    elif kind == "subtitles":
        _check_subtitles(data)
    target_dir = media_root / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    name = safe_name(filename, ext)
    target = target_dir / name
    n = 2
    while target.exists():
        target = target_dir / f"{name[:-len(ext)]}-{n}{ext}"
        n += 1
    tmp = target_dir / f".upload-{secrets.token_hex(6)}"
    try:
        with tmp.open("xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if kind in ("audio", "video"):
            _check_playable(tmp)
        os.link(tmp, target)  # never replaces a file that appeared meanwhile
    except FileExistsError:
        raise Refused("a file of that name appeared meanwhile; upload again") from None
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target_dir)
    return Stored(f"{folder}/{target.name}", kind, len(data), hashlib.sha256(data).hexdigest())


# Where a media slot's file is used, by the slot's label (kiosk.content.slots).
USES = {
    "image": N_("story %(story)s, scene %(scene)s (image)"),
    "narration": N_("story %(story)s, scene %(scene)s (narration %(language)s)"),
    "captions": N_("story %(story)s, scene %(scene)s (captions %(language)s)"),
    "video": N_("story %(story)s, scene %(scene)s (video)"),
    "poster": N_("story %(story)s, scene %(scene)s (poster)"),
    "subtitles": N_("story %(story)s, scene %(scene)s (subtitles %(language)s)"),
}


def usage(pack: M.Pack) -> dict[str, list[Phrase]]:
    """Where each media path is used: path -> ["story emil, scene start (image)", ...]."""
    out: dict[str, list[Phrase]] = {}
    for picture in pack.kiosk.attract:
        out.setdefault(picture.src, []).append(Phrase("attract loop"))
    for story in pack.stories.values():
        for slot in story_slots(story):
            for lang, path in slot.files():
                params = {"story": story.id, "scene": slot.scene}
                if lang is not None:
                    params["language"] = lang
                out.setdefault(path, []).append(Phrase(USES[slot.label], **params))
    return out


def media_files(media_root: Path) -> list[str]:
    """Every file under media/, relative, in name order (hidden files and folders, links
    left out)."""
    return sorted(rel for rel, st in tree_stats(media_root)
                  if stat.S_ISREG(st.st_mode)
                  and not any(part.startswith(".") for part in rel.split("/")))


def resolve(media_root: Path, relative: str) -> Path | None:
    """The file a relative media path names, or None when it is missing or leads outside."""
    try:
        real = inside(media_root, relative).resolve(strict=True)
    except (OutsideFolder, OSError, RuntimeError):
        return None
    return real if real.is_file() else None


def parse_tags(raw: str) -> list[str]:
    """Tags from the form: comma-separated, lower-case, words joined with -."""
    tags = []
    for t in raw.split(","):
        t = re.sub(r"[^a-z0-9-]+", "-", t.strip().lower()).strip("-")[:40]
        if t and t not in tags:
            tags.append(t)
    return tags[:20]


def blocked(tags: list[str]) -> list[str]:
    """The tags that block publishing (ETHICS.md rule 5)."""
    return [t for t in tags if t in BLOCKED_TAGS]
