"""Media settings: the staff volume and the visitor's mute (shared by narration and video), and
the memory budgets of the caches."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class AudioSettings:
    """Volume 0..1 (staff menu) and mute (the visitor's sound on/off control)."""

    volume: float = 0.8
    muted: bool = False

    def effective(self) -> float:
        """The volume to apply now: 0 when muted, else the volume clamped to 0..1."""
        return 0.0 if self.muted else min(1.0, max(0.0, self.volume))


MB = 1024 * 1024
FULL_HD = 1920 * 1080


@dataclass(frozen=True)
class MemoryBudgets:
    """The byte budgets of every cache holding pictures, sounds or rendered text: the one
    place they are declared. Sized for 1920x1080, where the kiosk with the demo pack stays
    under 300 MB resident at its peak (docs/kiosk.md, Memory): about 120 MB is the process itself
    (Python, pygame, SDL, libvlc, fonts, the pack), 16 MB the window and the fade's buffer,
    up to 35 MB a playing film's decoder, and these budgets the rest. The first budgets
    (40/24/24 MB) left no room for a film on top of full caches (peak 324 MB)."""

    images: int = field(default=32 * MB, metadata={"help": (
        "decoded pictures, attract slides and videos' first frames in the display's format "
        "(a full-screen picture is 8 MB at 1080p, a passage's 2.7 MB: the three attract "
        "slides fit, and during a visit a dozen scenes' pictures)")})
    sounds: int = field(default=20 * MB, metadata={"help": (
        "decoded narration (44.1 kHz stereo 16-bit: 30 s is 5.3 MB): the scenes a tap can "
        "lead to; the one playing is held by the narration besides")})
    text: int = field(default=16 * MB, metadata={"help": (
        "rendered text surfaces (a long passage at 1080p is 2-5 MB); layouts are kept "
        "apart and are small")})

    def for_screen(self, size: tuple[int, int]) -> MemoryBudgets:
        """The budgets scaled up for a screen with more pixels than 1920x1080 (never down)."""
        scale = max(1.0, size[0] * size[1] / FULL_HD)
        return MemoryBudgets(int(self.images * scale), self.sounds, int(self.text * scale))

    @staticmethod
    def help() -> dict[str, str]:
        """Each budget's help text, by name."""
        return {f.name: f.metadata["help"] for f in fields(MemoryBudgets)}
