"""`Media`: the media layer's small context object, built once by the kiosk and passed down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.media.images import ImageCache
from kiosk.media.narration import Narration, SoundCache
from kiosk.media.prefetch import Prefetcher
from kiosk.media.settings import AudioSettings, MemoryBudgets
from kiosk.media.subtitles import SubtitleCache
from kiosk.media.video import VideoEngine

FILM_SHARE = 0.5  # of the picture and sound budgets, lent to a playing film's decoder


@dataclass
class Media:
    """Caches, narration, the video engine and the prefetcher, sharing one AudioSettings."""

    settings: AudioSettings
    images: ImageCache
    sounds: SoundCache
    subtitles: SubtitleCache
    video: VideoEngine
    narration: Narration
    prefetch: Prefetcher
    _films: int = 0  # films playing (`film_started`)

    @classmethod
    def create(
        cls,
        settings: AudioSettings | None = None,
        budgets: MemoryBudgets | None = None,
        vlc_args: Sequence[str] = (),
    ) -> Media:
        """Build the media layer; call after `pygame.display.set_mode` and `mixer.init`."""
        settings = settings or AudioSettings()
        budgets = budgets or MemoryBudgets()
        images = ImageCache(budgets.images)
        sounds = SoundCache(budgets.sounds)
        subtitles = SubtitleCache()
        video = VideoEngine(settings, vlc_args)
        narration = Narration(settings, sounds)
        prefetch = Prefetcher(images, sounds, subtitles, video)
        return cls(settings, images, sounds, subtitles, video, narration, prefetch)

    def film_started(self) -> None:
        """A film plays: the picture and sound caches keep half their budgets until it
        stops. Its decoder holds 30-35 MB at 720p (libvlc's pictures, ours), and on top of
        full caches that was the kiosk's peak; what follows a film (an ending's passage) is
        the ending and the survey, which need neither pictures nor narration."""
        self._films += 1
        self._lend()

    def film_stopped(self) -> None:
        """The film of `film_started` stopped: the caches have their whole budgets again."""
        self._films = max(0, self._films - 1)
        self._lend()

    def _lend(self) -> None:
        share = FILM_SHARE if self._films else 0.0
        self.images.lend(int(self.images.budget_bytes * share))
        self.sounds.lend(int(self.sounds.budget_bytes * share))

    def apply_settings(self) -> None:
        """Apply a changed volume or mute to the narration (video players take it per call)."""
        self.narration.apply_settings()

    def clear(self) -> None:
        """Drop cached media (a new pack was activated)."""
        self.prefetch.cancel()
        self.images.clear()
        self.sounds.clear()
        self.subtitles.clear()

    def close(self) -> None:
        """Stop the worker and narration and release libvlc."""
        self.prefetch.close()
        self.narration.stop()
        self.video.close()
