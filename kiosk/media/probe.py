"""What a media file is made of, and whether the kiosk can play it (for the validator).

ffprobe (Debian's ffmpeg) when it is installed; otherwise a cheap sniff of the file's header
that recognises the containers and codecs the kiosk supports.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content.phrase import Phrase

PLAYABLE_VIDEO = frozenset({"h264", "vp8", "vp9", "theora"})
PLAYABLE_AUDIO = frozenset({"vorbis", "opus", "mp3", "aac"})
PLAYABLE_CONTAINERS = frozenset({"ogg", "mp4", "webm", "wav", "mp3"})
_IMAGE_CODECS = frozenset({"mjpeg", "png", "webp", "gif", "bmp"})


@dataclass(frozen=True)
class MediaInfo:
    """Container and codecs of one media file; how they were found ('ffprobe' or 'sniff')."""

    path: Path
    container: str | None
    video: tuple[str, ...] = ()
    audio: tuple[str, ...] = ()
    duration_ms: int | None = None
    width: int | None = None
    height: int | None = None
    source: str = "sniff"
    notes: tuple[str, ...] = field(default=())
    # The language tag of each audio track ('swe', 'eng'; None when untagged or 'und'), or
    # None when they could not be read (the sniff reads them from MP4 files only).
    audio_languages: tuple[str | None, ...] | None = None


def _container_from_ffprobe(fmt: str, path: Path) -> str:
    names = set(fmt.split(","))
    if "ogg" in names:
        return "ogg"
    if "wav" in names:
        return "wav"
    if "mp3" in names:
        return "mp3"
    if "matroska" in names or "webm" in names:
        return "webm" if path.suffix.lower() == ".webm" else "matroska"
    if "mp4" in names or "mov" in names:
        return "mp4"
    return fmt.split(",")[0]


def _ffprobe(path: Path, ffprobe: str) -> MediaInfo | None:
    try:
        out = subprocess.run(
            [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             os.fspath(path)], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return MediaInfo(path, None, source="ffprobe",
                         notes=(out.stderr.decode(errors="replace").strip()[-200:],))
    data = json.loads(out.stdout or b"{}")
    video, audio, width, height, languages = [], [], None, None, []
    for stream in data.get("streams", []):
        codec = stream.get("codec_name", "unknown")
        if codec.startswith("pcm_"):
            codec = "pcm"
        if stream.get("codec_type") == "video" and codec not in _IMAGE_CODECS:
            video.append(codec)
            width, height = stream.get("width"), stream.get("height")
        elif stream.get("codec_type") == "audio":
            audio.append(codec)
            languages.append(_tag((stream.get("tags") or {}).get("language")))
    fmt = data.get("format", {})
    duration = fmt.get("duration")
    return MediaInfo(
        path, _container_from_ffprobe(fmt.get("format_name", ""), path), tuple(video),
        tuple(audio), round(float(duration) * 1000) if duration else None, width, height,
        "ffprobe", audio_languages=tuple(languages))


def _tag(language: str | None) -> str | None:
    language = (language or "").strip().lower()
    return None if language in ("", "und", "unknown") else language


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """(type, payload start, payload end) of the MP4 boxes in data[start:end]."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size = int.from_bytes(data[start:start + 4], "big")
        kind, body = data[start + 4:start + 8], start + 8
        if size == 1 and start + 16 <= end:
            size, body = int.from_bytes(data[start + 8:start + 16], "big"), start + 16
        elif size == 0:
            size = end - start
        if size < body - start or start + size > end:
            return
        yield kind, body, start + size
        start += size


def mp4_audio_languages(path: Path, limit: int = 32 * 1024 * 1024) -> tuple[str | None, ...] | None:
    """The language of each audio track of an MP4 file, from its track headers (mdhd);
    None if the file has no readable `moov` box (at most `limit` bytes)."""
    with open(path, "rb") as fh:
        size, at = os.fstat(fh.fileno()).st_size, 0
        while at + 8 <= size:  # walk the top-level boxes to moov, wherever it is
            fh.seek(at)
            head = fh.read(16)
            box, kind = int.from_bytes(head[:4], "big"), head[4:8]
            header = 8
            if box == 1:
                box, header = int.from_bytes(head[8:16], "big"), 16
            elif box == 0:
                box = size - at
            if box < header:
                return None
            if kind == b"moov":
                if box > limit:
                    return None
                fh.seek(at + header)
                moov = fh.read(box - header)
                break
            at += box
        else:
            return None
    languages = []
    for kind, start, end in _boxes(moov):
        if kind != b"trak":
            continue
        parts = {k: (s, e) for k, s, e in _boxes(moov, start, end)}
        if b"mdia" not in parts:
            continue
        mdia = {k: (s, e) for k, s, e in _boxes(moov, *parts[b"mdia"])}
        if b"hdlr" not in mdia or b"mdhd" not in mdia:
            continue
        h = mdia[b"hdlr"][0]
        if moov[h + 8:h + 12] != b"soun":
            continue
        m = mdia[b"mdhd"][0]
        at = m + (32 if moov[m] == 1 else 20)  # after version, flags, times and duration
        code = int.from_bytes(moov[at:at + 2], "big")
        # Three letters of five bits each (0x60 added); below 0x400, an old Mac language code.
        tag = "".join(chr(((code >> shift) & 0x1F) + 0x60) for shift in (10, 5, 0))
        languages.append(_tag(tag) if code >= 0x400 and tag.isalpha() else None)
    return tuple(languages)


def sniff(path: Path) -> MediaInfo:
    """Recognise container and codecs from the first 256 KiB of the file (no tools needed)."""
    with open(path, "rb") as fh:
        head = fh.read(256 * 1024)
        if head[4:8] == b"ftyp":
            # Without "faststart" the MP4 index (with the codec names) sits at the end.
            fh.seek(max(len(head), os.fstat(fh.fileno()).st_size - 256 * 1024))
            head += fh.read()
    video: list[str] = []
    audio: list[str] = []
    container: str | None = None
    if head.startswith(b"OggS"):
        container = "ogg"
        for marker, codec, kind in ((b"\x80theora", "theora", video), (b"\x01vorbis", "vorbis",
                                    audio), (b"OpusHead", "opus", audio), (b"fLaC", "flac",
                                    audio), (b"Speex", "speex", audio)):
            if marker in head:
                kind.append(codec)
    elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        container = "wav"
        fmt_at = head.find(b"fmt ")
        tag = int.from_bytes(head[fmt_at + 8:fmt_at + 10], "little") if fmt_at >= 0 else 0
        audio.append({1: "pcm", 3: "pcm", 0xFFFE: "pcm", 0x55: "mp3"}.get(tag, f"wav-{tag}"))
    elif head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        container, audio = "mp3", ["mp3"]
    elif head[4:8] == b"ftyp":
        container = "mp4"
        for marker, codec, kind in ((b"avc1", "h264", video), (b"hvc1", "hevc", video),
                                    (b"hev1", "hevc", video), (b"av01", "av1", video),
                                    (b"vp09", "vp9", video), (b"mp4v", "mpeg4", video),
                                    (b"mp4a", "aac", audio), (b"Opus", "opus", audio),
                                    (b"ac-3", "ac3", audio)):
            if marker in head:
                kind.append(codec)
    elif head[:4] == b"\x1a\x45\xdf\xa3":
        container = "webm" if b"webm" in head[:64] else "matroska"
        for marker, codec, kind in ((b"V_VP8", "vp8", video), (b"V_VP9", "vp9", video),
                                    (b"V_AV1", "av1", video), (b"V_MPEG4/ISO/AVC", "h264",
                                    video), (b"V_MPEGH/ISO/HEVC", "hevc", video),
                                    (b"A_VORBIS", "vorbis", audio), (b"A_OPUS", "opus", audio),
                                    (b"A_AAC", "aac", audio), (b"A_FLAC", "flac", audio)):
            if marker in head:
                kind.append(codec)
    languages = mp4_audio_languages(Path(path)) if container == "mp4" else None
    return MediaInfo(Path(path), container, tuple(video), tuple(audio), source="sniff",
                     audio_languages=languages)


def probe(path: Path, use_ffprobe: bool = True) -> MediaInfo:
    """Container and codecs of path: ffprobe if installed, else the header sniff."""
    ffprobe = shutil.which("ffprobe") if use_ffprobe else None
    if ffprobe:
        info = _ffprobe(Path(path), ffprobe)
        if info is not None:
            return info
    return sniff(Path(path))


def playable(path: Path, use_ffprobe: bool = True) -> tuple[bool, str]:
    """(True, '') if the kiosk can play path, else (False, a reason an author understands)."""
    why = why_unplayable(path, use_ffprobe)
    return (True, "") if why is None else (False, f"{path}: {why}")


def why_unplayable(path: Path, use_ffprobe: bool = True) -> Phrase | None:
    """Why the kiosk cannot play path, as a Phrase (the admin translates it), or None when it
    can."""
    path = Path(path)
    if not path.is_file():
        return Phrase("the file does not exist")
    info = probe(path, use_ffprobe)
    if info.container is None:
        if info.notes and info.notes[0]:  # the sniff's or ffprobe's own words: a detail
            return Phrase("not a media file the kiosk recognises (%(detail)s)",
                          detail=info.notes[0].splitlines()[0])
        return Phrase("not a media file the kiosk recognises")
    if info.container not in PLAYABLE_CONTAINERS:
        return Phrase("the container is %(found)s; the kiosk plays %(playable)s",
                      found=info.container, playable=", ".join(sorted(PLAYABLE_CONTAINERS)))
    if not info.video and not info.audio:
        return Phrase("no audio or video stream found")
    for codec in info.video:
        if codec not in PLAYABLE_VIDEO:
            return Phrase("the video codec is %(found)s; the kiosk plays %(playable)s",
                          found=codec, playable=", ".join(sorted(PLAYABLE_VIDEO)))
    for codec in info.audio:
        if codec not in PLAYABLE_AUDIO | {"pcm"}:
            return Phrase("the audio codec is %(found)s; the kiosk plays %(playable)s",
                          found=codec, playable=", ".join(sorted(PLAYABLE_AUDIO | {"pcm"})))
    return None


def missing_audio_languages(path: Path, languages: list[str],
                            use_ffprobe: bool = True) -> tuple[list[str], list[str]]:
    """(the languages with no audio track, the tracks' language tags) of a video; nothing is
    missing when its tracks carry no language tag at all (a soundtrack without speech, or
    tags the sniff cannot read: Matroska, Ogg) or it has no sound."""
    from kiosk.media.tracks import language_tags

    info = probe(Path(path), use_ffprobe)
    tags = [t for t in info.audio_languages or () if t]
    if not tags:
        return [], []
    missing = [lang for lang in languages if not language_tags(lang) & set(tags)]
    return missing, tags
