"""Checking media files: inside the pack, present, what their extension says, not absurdly large.

Reads only a file's first bytes. Codec checks (what the kiosk can decode) live in
kiosk.media.probe and are added by the validator when that module is available.
"""

from __future__ import annotations

import struct
from pathlib import Path, PurePosixPath

from kiosk.content.safepath import is_inside

MAX_PIXELS = 100_000_000
HEAD = 64 * 1024

# extension -> kind and the magic numbers a file of that kind starts with
KINDS = {
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".webp": "image", ".gif": "image",
    ".ogg": "audio", ".oga": "audio", ".opus": "audio", ".mp3": "audio", ".wav": "audio",
    ".m4a": "audio", ".flac": "audio",
    ".mp4": "video", ".m4v": "video", ".webm": "video", ".mkv": "video", ".ogv": "video",
    ".mov": "video",
    ".vtt": "subtitles", ".srt": "subtitles",
}


def sniff_format(head: bytes) -> str | None:
    """The container format from a file's first bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"WEBVTT"):
        return "vtt"
    if text[:1].isdigit() and b"-->" in text[:200]:
        return "srt"
    return None


EXPECTED = {
    ".jpg": {"jpeg"}, ".jpeg": {"jpeg"}, ".png": {"png"}, ".webp": {"webp"}, ".gif": {"gif"},
    ".ogg": {"ogg"}, ".oga": {"ogg"}, ".opus": {"ogg"}, ".ogv": {"ogg"}, ".mp3": {"mp3"},
    ".wav": {"wav"}, ".flac": {"flac"}, ".m4a": {"mp4"}, ".mp4": {"mp4"}, ".m4v": {"mp4"},
    ".mov": {"mp4"}, ".webm": {"matroska"}, ".mkv": {"matroska"}, ".vtt": {"vtt"},
    ".srt": {"srt"},
}


def image_size(head: bytes, fmt: str) -> tuple[int, int] | None:
    """Width and height from an image header, without decoding it."""
    try:
        if fmt == "png" and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if fmt == "gif":
            return struct.unpack("<HH", head[6:10])
        if fmt == "webp":
            chunk = head[12:16]
            if chunk == b"VP8X":
                w = int.from_bytes(head[24:27], "little") + 1
                h = int.from_bytes(head[27:30], "little") + 1
                return w, h
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", head[26:30])
                return w & 0x3FFF, h & 0x3FFF
            if chunk == b"VP8L":
                bits = int.from_bytes(head[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if fmt == "jpeg":
            i = 2
            while i + 9 < len(head):
                if head[i] != 0xFF:
                    i += 1
                    continue
                marker = head[i + 1]
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                length = struct.unpack(">H", head[i + 2:i + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", head[i + 5:i + 9])
                    return w, h
                i += 2 + length
    except struct.error:
        return None
    return None


def check(root: Path, relative: str, want: str | None = None) -> list[tuple[str, str, str]]:
    """Problems with one media file as (code, message, hint); empty when it is fine.

    `root` is the pack folder; `relative` is the path under media/ as the author wrote it;
    `want` is the kind expected where it is used ("image", "audio", "video", "subtitles").
    """
    rel = PurePosixPath(relative)
    if "\0" in relative or not rel.parts:  # ".", "./" or a NUL: no file the system can name
        return [("media-missing", f'"{relative.replace(chr(0), "?")}" names no file under media/',
                 "write the file's path under media/, e.g. mara/home.jpg")]
    if relative.startswith(("/", "\\")) or rel.is_absolute() or ":" in rel.parts[0]:
        return [("media-outside", f'"{relative}" is an absolute path',
                 "media paths are relative to the pack's media/ folder")]
    if ".." in rel.parts or "\\" in relative:
        return [("media-outside", f'"{relative}" leads outside the media folder',
                 "remove the .. and keep the file inside media/")]
    media = (root / "media").resolve()
    path = root / "media" / relative
    try:
        real = path.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        return [("media-missing", f'the file media/{relative} does not exist', "")]
    except (OSError, RuntimeError) as exc:  # symlink loops and the like
        return [("media-unreadable", f"media/{relative} cannot be opened: {exc}", "")]
    if not is_inside(real, media):
        return [("media-outside", f"media/{relative} is a link leading outside the pack",
                 "copy the file into the pack instead of linking to it")]
    if not real.is_file():
        return [("media-missing", f"media/{relative} is not a file", "")]
    ext = rel.suffix.lower()
    kind = KINDS.get(ext)
    if kind is None:
        return [("media-type", f"media/{relative}: the kiosk does not know files ending {ext or 'without an extension'}",
                 "use .jpg, .png, .webp, .ogg, .mp3, .wav, .mp4, .webm, .vtt or .srt")]
    problems = []
    if want and kind != want:
        problems.append(("media-type", f"media/{relative} is {_a(kind)} file where {_a(want)} is expected", ""))
    try:
        size = real.stat().st_size
        with open(real, "rb") as f:
            head = f.read(HEAD)
    except OSError as exc:
        return [("media-unreadable", f"media/{relative} cannot be read: {exc.strerror}", "")]
    if size == 0:
        return [("media-type", f"media/{relative} is empty", "")]
    fmt = sniff_format(head)
    if fmt not in EXPECTED[ext]:
        what = f"a {fmt.upper()} file" if fmt else "not a file of that kind"
        problems.append(("media-type", f"media/{relative} is {what}, whatever its name says",
                         "export it again in the format its extension names"))
        return problems
    if kind == "image":
        dims = image_size(head, fmt)
        if dims is None:
            problems.append(("media-type", f"media/{relative}: the image header cannot be read", ""))
        elif dims[0] * dims[1] > MAX_PIXELS or 0 in dims:
            problems.append(("media-too-large",
                             f"media/{relative} claims {dims[0]:,} x {dims[1]:,} pixels",
                             "use an image of at most about 4000 x 3000 pixels"))
    return problems


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
