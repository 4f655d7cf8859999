"""Sound settings shared by narration and video: the staff volume and the visitor's mute."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AudioSettings:
    """Volume 0..1 (staff menu) and mute (the visitor's sound on/off control)."""

    volume: float = 0.8
    muted: bool = False

    def effective(self) -> float:
        """The volume to apply now: 0 when muted, else the volume clamped to 0..1."""
        return 0.0 if self.muted else min(1.0, max(0.0, self.volume))
