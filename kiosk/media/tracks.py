"""A video's audio tracks by language: which one to play for the visitor.

Packs name languages with BCP 47 codes (`sv`, `en`, `sv-FI`); video files tag their audio
tracks with ISO 639-2 codes (`swe`, `eng`, and for Greek either `ell` or the bibliographic
`gre`). `language_tags` gives every code a track of that language may carry, from CLDR's
language aliases (Babel), so no table of our own goes stale.

Why not VLC's `:audio-language=` option: ffmpeg marks only the default audio track of an MP4
as "enabled", and libvlc 3 never selects a disabled track by itself (neither by
`audio-language` nor by `audio-track-id`; only `audio_set_track` on a playing player does).
So the player lists the tracks once VLC has opened the file and selects the one wanted.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Iterable, Sequence

AUDIO = 0  # libvlc_track_audio


@functools.cache
def _aliases() -> dict[str, frozenset[str]]:
    """2-letter code -> its 3-letter codes, from CLDR's language aliases."""
    from babel.core import get_global

    out: dict[str, set[str]] = {}
    for alias, target in get_global("language_aliases").items():
        if len(alias) == 3 and alias.isalpha() and isinstance(target, str) and target.isalpha():
            out.setdefault(target.lower(), set()).add(alias.lower())
    return {code: frozenset(aliases) for code, aliases in out.items()}


def language_tags(lang: str) -> frozenset[str]:
    """The codes an audio track in lang may be tagged with: `el` -> {el, ell, gre}."""
    base = lang.replace("_", "-").split("-", 1)[0].strip().lower()
    if not base:
        return frozenset()
    if len(base) == 3:  # already ISO 639-2: also accept its 2-letter code and siblings
        two = next((k for k, v in _aliases().items() if base in v), None)
        return frozenset({base} | ({two} | _aliases()[two] if two else set()))
    return frozenset({base} | _aliases().get(base, frozenset()))


def pick_track(tracks: Iterable[tuple[int, str | None]], languages: Sequence[str]) -> int | None:
    """The id of the first track (id, language tag) in the first language of `languages`
    that has one, or None (then VLC's own default plays)."""
    tracks = [(tid, (tag or "").replace("_", "-").split("-", 1)[0].lower())
              for tid, tag in tracks]
    for lang in languages:
        tags = language_tags(lang)
        for tid, tag in tracks:
            if tag in tags:
                return tid
    return None


class _Track(ctypes.Structure):
    # libvlc_media_track_t as libvlc 3 declares it. python-vlc's MediaTrack lays the union
    # of audio/video/subtitle pointers out as three fields, so reading its language crashes.
    _fields_ = [("codec", ctypes.c_uint32), ("original_fourcc", ctypes.c_uint32),
                ("id", ctypes.c_int), ("type", ctypes.c_int), ("profile", ctypes.c_int),
                ("level", ctypes.c_int), ("detail", ctypes.c_void_p),
                ("bitrate", ctypes.c_uint), ("language", ctypes.c_char_p),
                ("description", ctypes.c_char_p)]


_TRACKS_PP = ctypes.POINTER(ctypes.POINTER(_Track))


@functools.cache
def _functions(dll: ctypes.CDLL):
    get = ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_void_p, ctypes.POINTER(_TRACKS_PP))(
        ("libvlc_media_tracks_get", dll))
    release = ctypes.CFUNCTYPE(None, _TRACKS_PP, ctypes.c_uint)(
        ("libvlc_media_tracks_release", dll))
    return get, release


def audio_tracks(vlc, media) -> list[tuple[int, str | None]]:
    """(id, language tag) of each audio track VLC has found in media (empty until the player
    has opened it); the ids are the ones `MediaPlayer.audio_set_track` takes."""
    get, release = _functions(vlc.dll)
    array = _TRACKS_PP()
    count = get(media._as_parameter_, ctypes.byref(array))
    try:
        return [(t.id, t.language.decode("ascii", "replace") if t.language else None)
                for t in (array[i].contents for i in range(count)) if t.type == AUDIO]
    finally:
        if count:
            release(array, count)
