"""Media for the kiosk screens: images, narration, subtitles, video, prefetch, probing.

Build one `Media` after `pygame.display.set_mode(...)` and `pygame.mixer.init()`, pass it to
the screens in the kiosk's context, and call `media.prefetch.pump()` once per frame::

    media = Media.create(AudioSettings(volume=0.8))          # kiosk start
    media.prefetch.pump(budget_ms=2.0)                       # every frame, before drawing

Paths are absolute (`pack_root / "media" / relative`); nothing here reads the content model.

Images (`images.py`)
    media.images.get(path, box=(w, h), mode="fit"|"cover"|"original", focus=(x, y))
        -> display-ready Surface (cached under a byte budget, LRU; loads now if not prefetched;
        raises MediaError for a missing or broken file: show the scene without it).
    fit_size(size, box), cover_crop(size, box, focus), image_key(path, box, mode, focus).
Prefetch (`prefetch.py`): when a scene shows, ask for everything one step ahead::

    media.prefetch.want([ImageRequest(path, box, "cover", focus), SoundRequest(voice),
                         SubtitleRequest(captions), VideoRequest(video, box)])

    `want` replaces (cancels) the previous list; `cancel()` drops everything (Leave now);
    `display_changed()` after a new set_mode; `failures` holds recent (request, reason).
    A VideoRequest's first frame is `media.images.peek(image_key(video, box, "frame"))`.
Narration (`narration.py`): `media.narration` (mixer channel 0 is reserved for it)
    .play(path) / .load(path) .play() .pause() .resume() .toggle_pause() .replay() .stop()
    .is_playing (idle timer waits)  .is_paused  .position_ms  .duration_ms  .progress (0..1)
    .apply_settings() after `media.settings.volume` / `.muted` change (or `media.apply_settings()`)
Subtitles (`subtitles.py`)
    media.subtitles.get(path) -> Subtitles: the good cues (raises SubtitleError naming file
        and line when none can be shown)
    Subtitles.text_at(t_ms) -> str ('' between cues), .cue_at(t_ms) -> Cue | None,
    .transcript() -> str (all cues: the no-video fallback), Cue(start_ms, end_ms, text, line)
    check_subtitles(path) -> list[SubtitleProblem(path, line, message, severity)]: validator.
Video (`video/`: `engine.py` VideoEngine, `player.py` VideoPlayer)
    media.video.available, media.video.reason
    player = media.video.open(path, box, languages=(visitor, pack_default))
        # raises VideoUnavailable: show the poster and subtitles.transcript() instead, go on.
        # The audio track is the first of `languages` the file has (ISO 639-2 tags such as
        # swe/eng matched through `tracks.language_tags`), else VLC's default track;
        # player.set_languages(...) switches it mid-video, .audio_track is the one selected.
    player.play() .pause() .toggle_pause() .replay() .seek(ms) .seek_fraction(f) .close()
    player.draw(screen, (x, y)) / .draw_in(screen, rect) (centred) -> bool: False before the
        first frame (draw the poster or the prefetched first frame instead); drawing also
        applies a changed volume or mute (`update()` does it alone).
    .frame_size, .is_playing (idle timer), .is_paused, .ended, .state,
    .position_ms (interpolated: libvlc's own clock ticks every 250-500 ms), .duration_ms
    Always `player.close()` when the scene hides (releases VLC's threads and buffers); it is
    also a context manager.
Probe (`probe.py`, for the validator)
    playable(path) -> (ok, reason); why_unplayable(path) -> the reason as a Phrase (the admin
    translates it) or None; probe(path) -> MediaInfo(container, video, audio, ...)
Errors: MediaError(path, reason) for any unusable file; VideoUnavailable(reason).
"""

import importlib

# Imported lazily: the validator (and the admin) use `subtitles` and `probe`, which must not
# pull in pygame or libvlc.
_EXPORTS = {
    "Media": "context", "MediaError": "errors", "VideoUnavailable": "errors",
    "COVER": "images", "FIT": "images", "ImageCache": "images", "cover_crop": "images",
    "fit_size": "images", "image_key": "images", "Narration": "narration",
    "SoundCache": "narration", "ImageRequest": "prefetch", "Prefetcher": "prefetch",
    "SoundRequest": "prefetch", "SubtitleRequest": "prefetch", "VideoRequest": "prefetch",
    "MediaInfo": "probe", "playable": "probe", "probe": "probe", "AudioSettings": "settings",
    "Cue": "subtitles", "SubtitleCache": "subtitles", "SubtitleError": "subtitles",
    "SubtitleProblem": "subtitles", "Subtitles": "subtitles", "check_subtitles": "subtitles",
    "load_subtitles": "subtitles", "VideoEngine": "video", "VideoPlayer": "video",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kiosk.media' has no attribute {name!r}")
    return getattr(importlib.import_module(f"kiosk.media.{module}"), name)
