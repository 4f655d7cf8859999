"""The canvas the illustrations are drawn on, and shapes several settings share."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from demo_media.paint import CLOTHES, PALETTES, H, Palette, W, figure, glow, gradient, mix, spread

COUNTS = {"one-figure": 1, "two-figures": 2, "three-figures": 3, "group": 6}
# "young": the first person is a young teenager; "young-people": everyone is.
AGES = {"young", "young-people"}
PROPS = {"window", "lamp", "phone", "suitcase", "teacup", "bag", "berries", "car", "minibus",
         "building"}


class Canvas:
    """One picture being drawn: the image, its palette, a seeded random source, the tags."""

    def __init__(self, tags: list[str], seed: str):
        self.tags = set(tags)
        times = [t for t in tags if t in PALETTES]
        self.pal: Palette = PALETTES[times[0] if times else "day"]
        self.rng = random.Random(seed)
        self.img = Image.new("RGB", (W, H))
        self.d = ImageDraw.Draw(self.img)
        self.count = next((n for t, n in COUNTS.items() if t in self.tags), 0)
        self.hands: list[tuple[float, float]] = []

    def has(self, tag: str) -> bool:
        """Whether the picture is tagged so."""
        return tag in self.tags

    def people(self, left: float, right: float, floor: float, h: float) -> None:
        """Draw the tagged number of people standing on a floor line."""
        tones = self.rng.sample(CLOTHES, k=min(self.count, len(CLOTHES)))
        xs = spread(self.count, left, right, self.rng) if self.count else []
        for i, x in enumerate(xs):
            facing = 1 if x < (left + right) / 2 else -1
            hh = h * self.rng.uniform(0.92, 1.05) * (0.8 if self.count > 3 else 1.0)
            if self.has("young-people") or (self.has("young") and i == 0):
                hh *= 0.84
            self.hands.append(figure(self.d, x, floor, hh, self.pal, self.rng, tones[i], facing))

    def interior(self, floor_y: int, warm: float = 0.0) -> None:
        """Wall and floor of a room."""
        wall = mix(self.pal.wall, self.pal.light, warm)
        gradient(self.img, (0, 0, W, floor_y), mix(wall, (0, 0, 0), 0.12), wall)
        gradient(self.img, (0, floor_y, W, H), self.pal.floor, mix(self.pal.floor, (0, 0, 0), 0.3))

    def sky(self, horizon: int) -> None:
        """An outdoor sky down to the horizon."""
        gradient(self.img, (0, 0, W, horizon), self.pal.sky_top, self.pal.sky_low)

    def lamp(self, x: float, y: float) -> None:
        """A hanging lamp with its pool of warm light."""
        self.d.line([(x, 0), (x, y - 40)], fill=mix(self.pal.figure, self.pal.wall, 0.3), width=4)
        self.d.chord([x - 90, y - 80, x + 90, y + 40], 180, 360, fill=mix(self.pal.figure,
                                                                          (60, 50, 40), 0.3))
        glow(self.img, (x, y + 260), 520, self.pal.light, 0.42, squash=0.75)

    def phone(self, x: float, y: float, size: float = 1.0) -> None:
        """A phone with a lit screen."""
        w, h = 34 * size, 60 * size
        glow(self.img, (x, y), 120 * size, (190, 220, 255), 0.5)
        self.d.rounded_rectangle([x - w / 2, y - h / 2, x + w / 2, y + h / 2], radius=6 * size,
                                 fill=(220, 236, 255))

    def table(self, top: int, left: int, right: int) -> None:
        """A table in the foreground, drawn over the lower half of the people behind it."""
        wood = mix((120, 86, 60), self.pal.figure, 0.35 if self.pal.dark else 0.15)
        self.d.rectangle([left, top, right, top + 26], fill=mix(wood, (255, 255, 255), 0.12))
        self.d.rectangle([left + 20, top + 26, right - 20, H], fill=mix(wood, (0, 0, 0), 0.2))


def bucket(c: Canvas, x: float, y: float, s: float) -> None:
    grey = mix((150, 156, 164), c.pal.figure, 0.3)
    c.d.polygon([(x - 70 * s, y - 90 * s), (x + 70 * s, y - 90 * s), (x + 55 * s, y + 40 * s),
                 (x - 55 * s, y + 40 * s)], fill=grey)
    for _ in range(int(40 * s)):
        bx = x + c.rng.uniform(-60, 60) * s
        by = y - 90 * s + c.rng.uniform(-18, 6) * s
        r = 9 * s
        c.d.ellipse([bx - r, by - r, bx + r, by + r], fill=mix((60, 70, 140), c.pal.figure, 0.2))


def buildings(c: Canvas, base: int, lit_share: float) -> None:
    x = -40
    while x < W:
        w = c.rng.randint(180, 320)
        top = c.rng.randint(140, 420)
        body = mix(c.pal.sky_top, (0, 0, 0), 0.35)
        c.d.rectangle([x, top, x + w, base], fill=body)
        for wy in range(top + 40, base - 60, 80):
            for wx in range(x + 30, x + w - 40, 70):
                lit = c.rng.random() < lit_share
                colour = c.pal.light if lit else mix(body, c.pal.sky_low, 0.2)
                c.d.rectangle([wx, wy, wx + 34, wy + 46], fill=colour)
        x += w + c.rng.randint(10, 40)


def trees(c: Canvas, base: int, layers: int = 3, clear: tuple[int, int] = (0, 0)) -> None:
    green = mix((34, 66, 50), c.pal.figure, 0.45 if c.pal.dark else 0.15)
    for layer in range(layers):
        colour = mix(green, c.pal.sky_low, 0.28 - 0.22 * layer / max(1, layers - 1))
        x = -60 + layer * 40
        while x < W + 60:
            h = c.rng.randint(300, 520) + layer * 60
            w = c.rng.randint(60, 95)
            y = base + layer * 30
            if clear[0] <= x <= clear[1]:
                x += c.rng.randint(90, 170)
                continue
            for k in range(3):  # a fir: three stacked triangles
                top = y - h + k * h * 0.25
                c.d.polygon([(x, top), (x - w * (0.6 + 0.2 * k), top + h * 0.45),
                             (x + w * (0.6 + 0.2 * k), top + h * 0.45)], fill=colour)
            c.d.rectangle([x - 8, y - h * 0.2, x + 8, y], fill=mix(colour, (40, 30, 20), 0.4))
            x += c.rng.randint(90, 170)
