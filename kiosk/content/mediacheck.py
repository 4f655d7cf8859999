"""Checking media files: inside the pack, present, what their extension says, not absurdly large.

Reads only a file's first bytes, except `content_findings`, which adds what the kiosk's
media package finds in the whole file (subtitles that parse, codecs it can decode, a film's
audio languages) and remembers it while the file is unchanged.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path, PurePosixPath

from kiosk.content.filememo import FileMemo
from kiosk.content.findings import ERROR, WARNING
from kiosk.content.phrase import Phrase

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
    Message and hint are Phrases (English, and a msgid the admin translates).
    """
    real, problems = locate(root, relative)
    return problems if real is None else check_file(real, relative, want)


def locate(root: Path, relative: str, folders: dict[str, str] | None = None
           ) -> tuple[Path | None, list[tuple[str, str, str]]]:
    """(the file with links followed, []) for a path that names a file inside the pack's
    media folder, else (None, the problems as `check` gives them). Reads no content.

    `folders` is a dict a caller checking many files keeps for the time of one check: each
    folder's path with links followed, so that a folder's parts are looked at once, not
    once per file in it (the demo pack: 15 folders, 450 files)."""
    folders = {} if folders is None else folders
    rel = PurePosixPath(relative)
    if "\0" in relative or not rel.parts:  # ".", "./" or a NUL: no file the system can name
        return None, [("media-missing", Phrase('"%(file)s" names no file under media/',
                                               file=relative.replace(chr(0), "?")),
                       Phrase("write the file's path under media/, e.g. mara/home.jpg"))]
    if relative.startswith(("/", "\\")) or rel.is_absolute() or ":" in rel.parts[0]:
        return None, [("media-outside", Phrase('"%(file)s" is an absolute path', file=relative),
                       Phrase("media paths are relative to the pack's media/ folder"))]
    if ".." in rel.parts or "\\" in relative:
        return None, [("media-outside", Phrase('"%(file)s" leads outside the media folder',
                                               file=relative),
                       Phrase("remove the .. and keep the file inside media/"))]
    try:
        folder = _resolved(folders, os.path.join(root, "media"))
        parent, name = os.path.split(os.path.join(folder, *rel.parts))  # "a/./b/" is a/b
        real = os.path.join(_resolved(folders, parent), name)
        if stat.S_ISLNK(os.lstat(real).st_mode):
            real = os.path.realpath(real, strict=True)
    except (FileNotFoundError, NotADirectoryError):
        return None, [("media-missing", Phrase("the file media/%(file)s does not exist",
                                               file=relative), "")]
    except (OSError, RuntimeError) as exc:  # symlink loops and the like
        return None, [("media-unreadable", Phrase("media/%(file)s cannot be opened: "
                                                  "%(problem)s", file=relative,
                                                  problem=str(exc)), "")]
    # safepath.is_inside's test, on two paths resolved already (a resolve costs a stat a part)
    if real != folder and not real.startswith(folder.rstrip(os.sep) + os.sep):
        return None, [("media-outside", Phrase("media/%(file)s is a link leading outside the "
                                               "pack", file=relative),
                       Phrase("copy the file into the pack instead of linking to it"))]
    if not os.path.isfile(real):
        return None, [("media-missing", Phrase("media/%(file)s is not a file", file=relative),
                       "")]
    return Path(real), []


def _resolved(folders: dict[str, str], path: str) -> str:
    """`path` with links followed (it must exist), remembered in `folders`."""
    if path not in folders:
        folders[path] = os.path.realpath(path, strict=True)
    return folders[path]


def check_file(real: Path, relative: str, want: str | None = None) -> list[tuple[str, str, str]]:
    """The problems `check` finds in the content of a file `locate` found: its kind, what
    its first bytes say it is, an image's size. Depends on the file's bytes alone."""
    ext = PurePosixPath(relative).suffix.lower()
    kind = KINDS.get(ext)
    if kind is None:
        return [("media-type", Phrase("media/%(file)s: the kiosk does not know files ending "
                                      "%(ext)s", file=relative, ext=ext) if ext else
                 Phrase("media/%(file)s: the kiosk does not know files without an extension",
                        file=relative),
                 Phrase("use .jpg, .png, .webp, .ogg, .mp3, .wav, .mp4, .webm, .vtt or .srt"))]
    problems = []
    if want and kind != want:
        problems.append(("media-type", Phrase("media/%(file)s is %(kind)s where %(want)s is "
                                              "expected", file=relative, kind=_FILE[kind],
                                              want=_KIND[want]), ""))
    try:
        size = real.stat().st_size
        with open(real, "rb") as f:
            head = f.read(HEAD)
    except OSError as exc:
        return [("media-unreadable", Phrase("media/%(file)s cannot be read: %(problem)s",
                                            file=relative, problem=str(exc.strerror)), "")]
    if size == 0:
        return [("media-type", Phrase("media/%(file)s is empty", file=relative), "")]
    fmt = sniff_format(head)
    if fmt not in EXPECTED[ext]:
        problems.append(("media-type", Phrase(
            "media/%(file)s is a %(format)s file, whatever its name says", file=relative,
            format=fmt.upper()) if fmt else Phrase(
            "media/%(file)s is not a file of that kind, whatever its name says", file=relative),
            Phrase("export it again in the format its extension names")))
        return problems
    if kind == "image":
        dims = image_size(head, fmt)
        if dims is None:
            problems.append(("media-type", Phrase("media/%(file)s: the image header cannot be "
                                                  "read", file=relative), ""))
        elif dims[0] * dims[1] > MAX_PIXELS or 0 in dims:
            problems.append(("media-too-large",
                             Phrase("media/%(file)s claims %(width)s x %(height)s pixels",
                                    file=relative, width=f"{dims[0]:,}", height=f"{dims[1]:,}"),
                             Phrase("use an image of at most about 4000 x 3000 pixels")))
    return problems


# a kind of file, with its article, as the findings say it: "is an image file where a video
# is expected"
_FILE = {"image": Phrase("an image file"), "audio": Phrase("an audio file"),
         "video": Phrase("a video file"), "subtitles": Phrase("a subtitles file")}
_KIND = {"image": Phrase("an image"), "audio": Phrase("an audio"),
         "video": Phrase("a video"), "subtitles": Phrase("a subtitles")}


# What each media file's content gave, kept while the file is unchanged
# (kiosk.content.filememo): reading and parsing ~450 files was most of a pack's load.
_CHECKED = FileMemo()


def content_findings(file: Path, rel: str, want: str,
                     languages=()) -> list[tuple[str, str, str, str]]:
    """(severity, code, message, hint) of one media file's content as `want` (image, audio,
    video, subtitles) for a story in `languages`; computed once while the file is unchanged."""
    langs = tuple(languages)
    return _CHECKED.get(file, (rel, want, langs),
                        lambda: _content_findings(file, rel, want, langs))


def forget_contents() -> None:
    """Forget what every file held (as a new process starts: benchmarks time a first check)."""
    _CHECKED.clear()


def _content_findings(file: Path, rel: str, want: str,
                      languages: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(severity, code, message, hint) of one media file's content, from its bytes alone."""
    found = [(ERROR, *p) for p in check_file(file, rel, want)]
    if found or want not in ("audio", "video", "subtitles"):
        return found
    # Decoding checks come from the kiosk's media package; both modules are pure Python
    # without pygame or libvlc, and are imported only when a pack has such media.
    if want == "subtitles":
        from kiosk.media.subtitles import check_subtitles

        return [(ERROR if p.severity == ERROR else WARNING, p.code,
                 Phrase("media/%(file)s:%(line)s: %(problem)s", file=rel, line=str(p.line),
                        problem=p.message), "")
                for p in check_subtitles(file)]
    from kiosk.media.probe import missing_audio_languages, why_unplayable

    why = why_unplayable(file, use_ffprobe=False)
    if why is not None:
        found.append((WARNING, "media-codec",
                      Phrase("media/%(file)s: %(problem)s", file=rel, problem=why),
                      Phrase("encode video as H.264 or VP9, audio as Vorbis or Opus")))
    elif want == "video" and languages:
        missing, tags = missing_audio_languages(file, list(languages), use_ffprobe=False)
        if missing:
            found.append((
                WARNING, "video-audio-language",
                Phrase("media/%(file)s has no audio track in %(languages)s (its tracks: "
                       "%(tracks)s): those visitors hear the default language's",
                       file=rel, languages=", ".join(missing), tracks=", ".join(tags)),
                Phrase("add a track tagged with the language's ISO 639-2 code (ffmpeg: "
                       "%(example)s)", example="-metadata:s:a:1 language=eng")))
    return found
