"""Drawing primitives for the demo illustrations: palettes, gradients, soft light, figures."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

W, H = 1920, 1080
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """The colours of one time of day; every picture is built from these."""

    sky_top: RGB
    sky_low: RGB
    wall: RGB
    floor: RGB
    light: RGB
    figure: RGB
    dark: bool


PALETTES = {
    "dawn": Palette((62, 74, 122), (236, 176, 152), (178, 160, 170), (96, 86, 104),
                    (255, 206, 168), (52, 50, 74), False),
    "morning": Palette((132, 178, 214), (250, 228, 186), (226, 214, 190), (150, 132, 112),
                       (255, 238, 196), (64, 70, 92), False),
    "day": Palette((150, 192, 222), (232, 236, 226), (222, 218, 204), (142, 136, 124),
                   (255, 246, 220), (60, 68, 88), False),
    "evening": Palette((52, 56, 106), (232, 142, 96), (150, 118, 110), (82, 64, 66),
                       (255, 192, 124), (40, 36, 56), False),
    "dusk": Palette((36, 38, 82), (146, 100, 138), (104, 92, 116), (56, 52, 72),
                    (255, 204, 146), (30, 30, 50), True),
    "night": Palette((14, 20, 46), (44, 54, 96), (58, 62, 92), (34, 36, 56),
                     (255, 212, 148), (20, 22, 38), True),
}

# Clothing tones for figures: muted, never bright or revealing; one per person.
CLOTHES = [(86, 98, 128), (128, 92, 84), (92, 112, 98), (118, 104, 132), (140, 120, 88),
           (80, 88, 100), (120, 84, 100)]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend two colours; t=0 gives a, t=1 gives b."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))


def gradient(img: Image.Image, box: tuple[int, int, int, int], top: RGB, low: RGB) -> None:
    """Fill a box with a vertical gradient."""
    x0, y0, x1, y1 = box
    d = ImageDraw.Draw(img)
    span = max(1, y1 - y0 - 1)
    for y in range(y0, y1):
        d.line([(x0, y), (x1, y)], fill=mix(top, low, (y - y0) / span))


def glow(img: Image.Image, center: tuple[float, float], radius: float, colour: RGB,
         strength: float = 0.6, squash: float = 1.0) -> None:
    """Lay a soft round light over the picture (lamps, windows, screens, the sun)."""
    mask = Image.new("L", img.size, 0)
    cx, cy = center
    ry = radius * squash
    ImageDraw.Draw(mask).ellipse([cx - radius, cy - ry, cx + radius, cy + ry],
                                 fill=int(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(radius * 0.45))
    img.paste(Image.new("RGB", img.size, colour), mask=mask)


def shade(img: Image.Image, box: tuple[int, int, int, int], colour: RGB, alpha: float) -> None:
    """Darken or tint a region evenly (shadows, distance haze)."""
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rectangle(box, fill=int(255 * alpha))
    img.paste(Image.new("RGB", img.size, colour), mask=mask)


def figure(d: ImageDraw.ImageDraw, x: float, floor: float, h: float, pal: Palette,
           rng: random.Random, tone: RGB, facing: int = 0) -> tuple[float, float]:
    """Draw a calm standing person as a soft silhouette; returns the hand position."""
    body = mix(tone, pal.figure, 0.55 if pal.dark else 0.35)
    sleeve = mix(body, (0, 0, 0), 0.12)
    skin = mix(rng.choice([(176, 134, 104), (138, 98, 72), (198, 160, 128), (112, 80, 60)]),
               pal.figure, 0.45 if pal.dark else 0.25)
    hair = mix(rng.choice([(40, 32, 30), (70, 50, 36), (24, 22, 24), (110, 92, 70)]),
               pal.figure, 0.3)
    style = rng.choice(["short", "long", "bun", "curly"])
    head_r = h * 0.082
    shoulder_y = floor - h * 0.80
    sw = h * rng.uniform(0.12, 0.14)
    bw = h * rng.uniform(0.10, 0.125)
    hx = x + facing * head_r * 0.2
    hy = shoulder_y - head_r * 1.25
    if style == "long":
        d.rounded_rectangle([hx - head_r * 1.1, hy - head_r * 0.9, hx + head_r * 1.1,
                             shoulder_y + head_r * 1.6], radius=head_r, fill=hair)
    leg = mix(body, (0, 0, 0), 0.3)
    for side in (-1, 1):
        d.rectangle([x + side * bw * 0.55 - bw * 0.28, floor - h * 0.2,
                     x + side * bw * 0.55 + bw * 0.28, floor], fill=leg)
        d.ellipse([x + side * bw * 0.55 - bw * 0.42, floor - h * 0.03,
                   x + side * bw * 0.55 + bw * 0.42 + facing * bw * 0.2, floor + h * 0.02],
                  fill=mix(leg, (0, 0, 0), 0.3))
    d.rectangle([hx - head_r * 0.38, hy, hx + head_r * 0.38, shoulder_y + head_r * 0.5],
                fill=mix(skin, (0, 0, 0), 0.15))
    d.polygon([(x - sw, shoulder_y + head_r * 0.3), (x + sw, shoulder_y + head_r * 0.3),
               (x + bw, floor - h * 0.18), (x - bw, floor - h * 0.18)], fill=body)
    d.ellipse([x - sw, shoulder_y - head_r * 0.2, x + sw, shoulder_y + head_r * 1.4], fill=body)
    hands = []
    for side in (-1, 1):
        top = (x + side * sw * 0.86, shoulder_y + head_r * 0.6)
        end = (x + side * sw * 1.02, shoulder_y + h * 0.36)
        d.line([top, end], fill=sleeve, width=int(h * 0.058))
        d.ellipse([top[0] - h * 0.029, top[1] - h * 0.029, top[0] + h * 0.029,
                   top[1] + h * 0.029], fill=sleeve)
        d.ellipse([end[0] - h * 0.026, end[1] - h * 0.02, end[0] + h * 0.026,
                   end[1] + h * 0.034], fill=skin)
        hands.append(end)
    d.ellipse([hx - head_r, hy - head_r * 1.08, hx + head_r, hy + head_r * 0.92], fill=skin)
    if style == "curly":
        for i in range(7):
            ax = hx + head_r * (-0.95 + i * 0.32)
            ay = hy - head_r * (0.75 + 0.2 * (i % 2))
            d.ellipse([ax - head_r * 0.36, ay - head_r * 0.36, ax + head_r * 0.36,
                       ay + head_r * 0.36], fill=hair)
    else:
        d.chord([hx - head_r * 1.04, hy - head_r * 1.16, hx + head_r * 1.04, hy + head_r * 0.5],
                180, 360, fill=hair)
    if style == "bun":
        d.ellipse([hx - facing * head_r * 0.9 - head_r * 0.45, hy - head_r * 1.35,
                   hx - facing * head_r * 0.9 + head_r * 0.45, hy - head_r * 0.45], fill=hair)
    front = hands[1] if facing >= 0 else hands[0]
    return front[0], front[1]


def spread(n: int, left: float, right: float, rng: random.Random) -> list[float]:
    """Positions for n figures across a span, slightly irregular so groups look natural."""
    if n == 1:
        return [left + (right - left) * rng.uniform(0.42, 0.58)]
    step = (right - left) / (n - 1)
    return [left + i * step + rng.uniform(-0.12, 0.12) * step for i in range(n)]


def window(img: Image.Image, box: tuple[int, int, int, int], pal: Palette, lit: bool) -> None:
    """A plain window: a frame and a pane showing the sky (no bars, no grille)."""
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    frame = mix(pal.wall, (250, 248, 240), 0.35)
    d.rectangle(box, fill=frame)
    gradient(img, (x0 + 14, y0 + 14, x1 - 14, y1 - 14), pal.sky_top, pal.sky_low)
    if lit:
        glow(img, ((x0 + x1) / 2, (y0 + y1) / 2), (x1 - x0) * 0.9, pal.light, 0.35)
    d.rectangle([x0 - 10, y1, x1 + 10, y1 + 16], fill=mix(frame, (0, 0, 0), 0.15))
