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
