"""Colours, sizes and the panel's physical scale: one calm, high-contrast look.

Every text colour is chosen against the background it sits on with a WCAG 2.1 contrast ratio
of at least 4.5:1 (AA); `contrast_ratio` computes it and the tests check every pair in
`TEXT_PAIRS`. A button's edge (its border, else its fill) stands out from what is around it
(`SURROUNDS`: the paper and the controls' bar) by at least 3:1 (WCAG 1.4.11, non-text
contrast); the tests check every button style against each. Nothing flashes: transitions are cross-fades of at most `FADE_MS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FADE_MS = 250
# A new screen takes no tap for its first TAP_SETTLE_MS (Leave now excepted): longer than the
# fade, and than the ~300 ms between the two taps of a double tap, so a second tap meant for
# the screen that was left never acts on the one that came.
TAP_SETTLE_MS = 400
TEXT_SCALES = (1.0, 1.25, 1.5)  # the "larger text" steps

Color = tuple[int, int, int]

BG: Color = (244, 240, 233)           # warm paper
CARD: Color = (255, 253, 249)
INK: Color = (30, 36, 44)              # body text
MUTED: Color = (78, 86, 96)            # secondary text
PRIMARY: Color = (36, 82, 88)          # deep teal: main actions
PRIMARY_PRESSED: Color = (22, 56, 61)
ON_PRIMARY: Color = (255, 255, 255)
SECONDARY_PRESSED: Color = (222, 230, 228)
LEAVE: Color = (84, 52, 88)            # deep plum: Leave now, recognisable but not alarming
LEAVE_PRESSED: Color = (58, 34, 61)
LINE: Color = (196, 190, 180)         # decorative rules and tracks (not a control's edge)
EDGE: Color = (120, 113, 104)          # the edge of a light button: >= 3:1 on paper and bar
CHROME: Color = (232, 227, 218)
SHADE: Color = (20, 24, 30)            # behind overlays, at partial opacity
ATTRACT_INK: Color = (255, 255, 255)
ATTRACT_PANEL: Color = (24, 30, 36)
DISABLED: Color = (112, 116, 120)

SURROUNDS = {"paper": BG, "controls bar": CHROME}  # what buttons sit on

TEXT_PAIRS = {
    "body on paper": (INK, BG), "body on card": (INK, CARD), "muted on paper": (MUTED, BG),
    "muted on card": (MUTED, CARD), "button": (ON_PRIMARY, PRIMARY),
    "button pressed": (ON_PRIMARY, PRIMARY_PRESSED), "leave": (ON_PRIMARY, LEAVE),
    "secondary": (PRIMARY, CARD), "secondary pressed": (PRIMARY, SECONDARY_PRESSED),
    "chrome": (INK, CHROME), "attract": (ATTRACT_INK, ATTRACT_PANEL),
    "disabled": (ON_PRIMARY, DISABLED),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: Color) -> float:
    """WCAG relative luminance of an sRGB colour."""
    r, g, b = (_linear(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Color, b: Color) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Metrics:
    """Sizes for one screen: pixels per millimetre of the panel, the smallest target, and a
    unit that scales the design (1.0 on the short side of 1080 pixels)."""

    width: int
    height: int
    diagonal_in: float = 24.0
    text_scale: float = 1.0

    @property
    def portrait(self) -> bool:
        """True when the screen is taller than wide."""
        return self.height > self.width

    @property
    def px_per_mm(self) -> float:
        """Pixels per millimetre of the configured panel."""
        return math.hypot(self.width, self.height) / (self.diagonal_in * 25.4)

    @property
    def unit(self) -> float:
        """Design unit: 1.0 when the short side is 1080 pixels."""
        return min(self.width, self.height) / 1080

    def u(self, value: float) -> int:
        """A design size in pixels."""
        return max(1, round(value * self.unit))

    @property
    def min_target(self) -> int:
        """The smallest touch target side: 9 mm, and never below 64 design units."""
        return max(math.ceil(9 * self.px_per_mm), self.u(64))

    @property
    def gap(self) -> int:
        """The space between two targets: 2 mm, and at least 16 design units."""
        return max(math.ceil(2 * self.px_per_mm), self.u(16))

    @property
    def margin(self) -> int:
        """The outer margin of a screen."""
        return self.u(48)

    def text(self, role: str) -> int:
        """The font size of a text role at the current text scale."""
        base = {"body": 32, "small": 26, "button": 30, "title": 52, "heading": 40,
                "chrome": 26, "huge": 72}[role]
        return self.u(base * self.text_scale)

    @property
    def min_label(self) -> int:
        """The smallest size a button's label is ever drawn at (shrunk to fit): the smallest
        text role at the current text size, so no label reads smaller than the page."""
        return self.text("small")

    def with_scale(self, text_scale: float) -> Metrics:
        """The same screen at another text size."""
        return Metrics(self.width, self.height, self.diagonal_in, text_scale)
