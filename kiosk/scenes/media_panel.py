"""The picture, film, narration and captions of one scene, for the passage and ending screens.

Uses `kiosk.media` (images, narration, subtitles, video, prefetch); every failure there is
logged and the scene shows without that medium (a film falls back to its poster and its
subtitles as text).

A narration is never decoded on the frame of the tap that shows its scene (20-60 ms of the
main thread's time, measured in bench/kiosk_tap.py): when the prefetcher has not decoded it
yet, the scene shows at once, the prefetcher is asked for it first, and it starts on the
frame it is ready (`_voice_waiting`).

Nor is a film opened there (3 ms of the main thread and up to 10 ms of waiting on libvlc):
the tap's frame shows the poster (prefetched, and drawn once when the scene was warmed), and
`after_first_frame` asks the video engine's thread for the player (`kiosk.media.video.Film`),
which plays as soon as it is open.
"""

from __future__ import annotations

import logging

import pygame

from kiosk.i18n import strings as S
from kiosk.ui import theme
from kiosk.ui.widgets import veil

log = logging.getLogger(__name__)


class MediaPanel:
    """Media of one scene view."""

    def __init__(self, ctx, view) -> None:
        self.ctx = ctx
        self.view = view
        self.scene = view.scene
        self.media = ctx.media
        self.rect: pygame.Rect | None = None
        self.image: pygame.Surface | None = None
        self.film = None  # kiosk.media.video.Film: its player is opened off the tap's frame
        self._film_lent = False  # media.film_started() called for it (film_stopped owed)
        self._started = False
        self.narration_path = None
        self.captions = None
        self.subtitles = None
        self.transcript = ""
        # The playing state the media buttons' labels were built for (`controls`): a change
        # from it rebuilds the screen (`update`).
        self._was_playing = False
        # "play" or "load" while the narration is being decoded off the tap's frame, else None.
        self._voice_waiting: str | None = None
        lines = ctx.lines()
        if self.media is not None:
            try:
                self.narration_path = lines.narration(self.scene)
                if self.narration_path is not None and not self.narration_path.is_file():
                    # Gone since the pack was checked (a USB stick pulled): no Play or
                    # Replay for a sound that cannot play.
                    log.warning("narration %s is missing", self.narration_path)
                    self.narration_path = None
                cap = lines.captions(self.scene)
                self.captions = self.media.subtitles.get(cap) if cap else None
            except Exception as exc:
                log.warning("captions of %s: %s", self.scene.id, exc)
                self.captions = None

    @property
    def player(self):
        """The film's VideoPlayer once the engine's thread has opened it, else None."""
        return self.film.player if self.film is not None else None

    @property
    def has_visual(self) -> bool:
        """True when the scene has a picture or a film."""
        return self.scene.image is not None or self.scene.video is not None

    def layout(self, rect: pygame.Rect | None) -> None:
        """Fit the picture (or open the film) in rect."""
        if rect == self.rect:
            return
        self.rect = rect
        if rect is None or self.media is None:
            return
        pack = self.ctx.pack
        image = self.scene.image
        if self.scene.video is not None:
            self._open_video(rect)
        elif image is not None:
            mode = "cover" if image.fit == "cover" else "fit"
            try:
                self.image = self.media.images.get(pack.media_path(image.src), box=rect.size,
                                                   mode=mode, focus=image.focus)
            except Exception as exc:
                log.warning("image %s: %s", image.src, exc)
                self.image = None
        self._first_caption()

    def _first_caption(self) -> None:
        """Lay out the caption that shows as narration starts (with the rest of the scene,
        when the scene is warmed, rather than on the frame that shows it)."""
        if self.captions is None or self.film is not None or not self.captions.cues \
                or not (self.ctx.pack.kiosk.narration_autoplay and self.ctx.sound_on):
            return
        try:
            text = self.captions.text_at(self.captions.cues[0].start_ms)
            if text:
                self._caption_block(text, self.rect)
        except Exception as exc:
            log.warning("caption: %s", exc)

    def _caption_block(self, text: str, rect: pygame.Rect):
        m = self.ctx.metrics
        return self.ctx.texts.block(text, self.ctx.language, rect.width - 2 * m.u(24),
                                    m.text("body"), False, "center")

    def _open_video(self, rect: pygame.Rect) -> None:
        video = self.scene.video
        pack = self.ctx.pack
        self._close_film()
        try:
            sub = self.ctx.lines().subtitles(self.scene)
            self.subtitles = self.media.subtitles.get(sub) if sub else None
        except Exception as exc:
            log.warning("subtitles of %s: %s", self.scene.id, exc)
        try:
            # The sound in the visitor's language, else the pack's default language's. Only
            # a Film here: its player is opened off this frame (`after_first_frame`).
            self.film = self.media.video.film(
                pack.media_path(video.src), rect.size,
                languages=(self.ctx.language, pack.default_language))
        except Exception as exc:
            log.warning("video %s unavailable: %s", video.src, exc)
            self.film = None
            if self.subtitles is not None:
                self.transcript = self.subtitles.transcript()
        if video.poster:
            try:
                self.image = self.media.images.get(pack.media_path(video.poster),
                                                   box=rect.size, mode="fit")
            except Exception as exc:
                log.warning("poster %s: %s", video.poster, exc)
        if self._started:  # laid out anew while it shows (the window changed): open now
            self._open_film()
            if self.film is not None:
                self.film.play()

    def _open_film(self) -> None:
        """Ask the engine's thread for the film's player (the caches lend it their room)."""
        if self.film is None or self._film_lent:
            return
        self._film_lent = True
        self.media.film_started()
        self.film.open_soon()

    def start(self) -> None:
        """On the tap's frame: the narration starts (or waits for its decoding), the film is
        to play as it opens; the rest waits for `after_first_frame`."""
        if self.media is None:
            return
        self._started = True
        try:
            if self.film is not None:
                self.film.play()
            elif self.narration_path:
                autoplay = self.ctx.pack.kiosk.narration_autoplay and self.ctx.sound_on
                self._voice("play" if autoplay else "load")
        except Exception as exc:
            log.warning("narration of %s: %s", self.scene.id, exc)
        # The labels were laid out (before this) as the scene starts: no second layout on
        # the tap's frame unless the start went otherwise (`update` then rebuilds).
        self._was_playing = self._will_play()
        if self._voice_waiting:  # the next scenes come on a later frame (`prefetch`)
            from kiosk.media import SoundRequest

            self.media.prefetch.want([SoundRequest(self.narration_path)])

    def after_first_frame(self) -> None:
        """The frame after the scene first showed: the film's player is asked for (opened
        on the video engine's thread) and the next scenes' media are prefetched."""
        if self.media is None:
            return
        try:
            self._open_film()
        except Exception as exc:
            log.warning("video %s: %s", self.scene.video.src, exc)
        self.prefetch()

    def _voice(self, action: str) -> None:
        """Play or load the narration now if it is decoded, else as soon as it is."""
        if not self.media.narration.available or self._voice_decoded():
            self._voice_waiting = None
            self._voice_now(action)
        else:
            self.media.narration.stop()
            self._voice_waiting = action

    def _voice_now(self, action: str) -> None:
        narration = self.media.narration
        if action == "play":
            narration.play(self.narration_path)
        else:
            narration.load(self.narration_path)

    def _voice_decoded(self) -> bool:
        from kiosk.media.narration import sound_key

        return self.media.sounds.peek(sound_key(self.narration_path)) is not None

    def _voice_arrived(self) -> None:
        """Per frame while waiting: start the narration once the prefetcher has decoded it,
        or decode it here if the prefetcher no longer has it in hand (failed, or dropped)."""
        from kiosk.media import SoundRequest

        if self._voice_decoded() or not self.media.prefetch.in_hand(
                SoundRequest(self.narration_path)):
            action, self._voice_waiting = self._voice_waiting, None
            self._voice_now(action)

    def prefetch(self) -> None:
        """Ask the media worker for the pictures, narration and captions of the next scenes
        (this scene's narration first while it waits to be decoded)."""
        if self.rect is None or self.media is None:
            return
        voice = self.narration_path if self._voice_waiting else None
        prefetch_scenes(self.ctx, self.view.story_id, self.scene.targets, self.rect.size,
                        voice)

    def stop(self) -> None:
        """Stop narration and close the film."""
        if self.media is None:
            return
        self._voice_waiting = None
        try:
            self.media.narration.stop()
        except Exception as exc:
            log.warning("narration stop: %s", exc)
        self._close_film()

    def _close_film(self) -> None:
        film, self.film = self.film, None
        try:
            if film is not None:
                film.close()  # off the tap's frame, opened or not (see Film's close contract)
        finally:
            if self._film_lent:
                self._film_lent = False
                self.media.film_stopped()

    def playing(self) -> bool:
        """Narration or video playing (the idle timer waits)."""
        if self.media is None:
            return False
        if self.film is not None and self.film.is_playing:
            return True
        if self._voice_waiting == "play":
            return True  # about to play: its decoding finishes within a few frames
        return bool(self.narration_path and self.media.narration.is_playing)

    def _will_play(self) -> bool:
        """True when `start` is to play the film or the narration (the screen is laid out
        before it starts, and its labels say what the visitor will see and hear)."""
        if self.media is None:
            return False
        if self.film is not None:
            return True
        return bool(self.narration_path and self.media.narration.available
                    and self.ctx.pack.kiosk.narration_autoplay and self.ctx.sound_on)

    def controls(self) -> list[tuple[str, str, object, int]]:
        """(key, label, action, slot) of the media buttons; Pause while the film or the
        narration plays or is about to (and, before the scene starts, when it will)."""
        if self.media is None:
            return []
        if self.film is None and not (self.narration_path and self.media.narration.available):
            return []
        playing = self.playing() if self._started else self._will_play()
        label = S.PAUSE if playing else S.PLAY
        return [("play", label, self.toggle, 0), ("replay", S.REPLAY, self.replay, 1)]

    def toggle(self) -> None:
        """Play or pause."""
        if self.film is not None:
            self.film.toggle_pause()
            return
        narration = self.media.narration
        if self._voice_waiting:
            # Play before the decoding is done: it plays when ready; tapped again, it won't.
            self._voice_waiting = "load" if self._voice_waiting == "play" else "play"
        elif narration.is_playing or narration.is_paused:
            narration.toggle_pause()
        else:
            narration.play(self.narration_path)

    def replay(self) -> None:
        """From the start."""
        if self.film is not None:
            self.film.replay()
        elif self._voice_waiting:
            self._voice_waiting = "play"
        else:
            self.media.narration.play(self.narration_path)

    def update(self) -> bool:
        """True when the playing state changed (the controls' labels need a rebuild)."""
        if self._voice_waiting and self.media is not None:
            try:
                self._voice_arrived()
            except Exception as exc:
                log.warning("narration of %s: %s", self.scene.id, exc)
        now = self.playing()
        changed = now != self._was_playing
        self._was_playing = now
        if self.film is not None:
            try:
                self.film.update()
            except Exception as exc:
                log.warning("video update: %s", exc)
        return changed

    def draw(self, surface: pygame.Surface) -> None:
        """Picture or film, and the current caption over its foot."""
        rect = self.rect
        if rect is None:
            return
        drawn = False
        if self.film is not None:
            try:
                drawn = self.film.draw_in(surface, rect)
            except Exception as exc:
                log.warning("video draw: %s", exc)
        if not drawn and self.image is not None:
            r = self.image.get_rect(center=rect.center)
            surface.blit(self.image, r)
        elif not drawn:
            pygame.draw.rect(surface, theme.CHROME, rect, border_radius=12)
        self._caption(surface, rect)

    def _caption(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        text = ""
        try:
            if self.film is not None and self.subtitles is not None:
                text = self.subtitles.text_at(self.film.position_ms)
            elif self.captions is not None and self.media.narration.is_playing:
                text = self.captions.text_at(self.media.narration.position_ms)
        except Exception as exc:
            log.warning("caption: %s", exc)
        if not text:
            return
        m = self.ctx.metrics
        block = self._caption_block(text, rect)
        back = pygame.Rect(rect.x, rect.bottom - block.height - m.u(32), rect.width,
                           block.height + m.u(32))
        veil(surface, back, theme.ATTRACT_PANEL, 220)
        surface.blit(block.render(theme.ATTRACT_INK), (rect.x + m.u(24), back.y + m.u(16)))


def passage_media_box(ctx) -> tuple[int, int]:
    """The size of a passage's picture on this screen (as the passage screen lays it out)."""
    from kiosk.ui.layouts import passage_layout
    from kiosk.ui.text import language_layout

    media = passage_layout(ctx.metrics, True, language_layout(ctx.language)[1]).media
    return media.size


def prefetch_scenes(ctx, story_id: str, scene_ids, box: tuple[int, int],
                    voice_now=None) -> None:
    """Ask the prefetcher for the pictures, narration and captions of scenes (replacing what
    it was asked for before), after `voice_now`, the narration a scene waits for, if given."""
    media = ctx.media
    if media is None:
        return
    from kiosk.media import ImageRequest, SoundRequest, SubtitleRequest

    pack, lines = ctx.pack, ctx.lines()
    story = pack.stories.get(story_id)
    wanted = [SoundRequest(voice_now)] if voice_now is not None else []
    for target in scene_ids if story else ():
        scene = story.scenes.get(target)
        if scene is None:
            continue
        if scene.video is not None and scene.video.poster:  # shown until the first frame
            wanted.append(ImageRequest(pack.media_path(scene.video.poster), box, "fit"))
        elif scene.image is not None:
            mode = "cover" if scene.image.fit == "cover" else "fit"
            wanted.append(ImageRequest(pack.media_path(scene.image.src), box, mode,
                                       scene.image.focus))
        voice = lines.narration(scene)
        if voice is not None and media.narration.available:
            wanted.append(SoundRequest(voice))
        for cues in (lines.captions(scene),
                     lines.subtitles(scene) if scene.video is not None else None):
            if cues is not None:
                wanted.append(SubtitleRequest(cues))
    try:
        media.prefetch.want(wanted)
    except Exception as exc:
        log.warning("prefetch: %s", exc)
