"""Settings outdoors: streets, the sea, the forest, a house, a station, a pitch."""

from __future__ import annotations

from demo_media.canvas import Canvas, bucket, buildings, trees
from demo_media.paint import PALETTES, H, W, glow, gradient, mix, shade


def city(c: Canvas) -> None:
    c.sky(760)
    buildings(c, 780, 0.08 if not c.has("window") else 0.02)
    gradient(c.img, (0, 760, W, H), mix(c.pal.floor, (0, 0, 0), 0.2), c.pal.floor)
    for lx in (380, 1100, 1760):
        c.d.line([(lx, 520), (lx, 780)], fill=(30, 30, 40), width=8)
        glow(c.img, (lx, 520), 170, c.pal.light, 0.55)
    if c.has("window"):
        c.d.rectangle([900, 380, 960, 450], fill=c.pal.light)
        glow(c.img, (930, 415), 160, c.pal.light, 0.5)
    if c.has("car"):
        y = 860
        c.d.rounded_rectangle([1180, y - 60, 1500, y + 30], radius=26, fill=(70, 74, 96))
        c.d.rounded_rectangle([1240, y - 120, 1420, y - 40], radius=30, fill=(70, 74, 96))
        glow(c.img, (1185, y - 10), 120, (255, 236, 190), 0.7)
    c.people(500, 800, 900, 300)


def seaside(c: Canvas) -> None:
    c.sky(620)
    glow(c.img, (1400, 540), 260, (255, 236, 190), 0.8)
    gradient(c.img, (0, 620, W, 820), mix(c.pal.sky_top, (40, 90, 120), 0.5),
             mix(c.pal.sky_low, (60, 120, 150), 0.4))
    for y in range(640, 820, 28):
        x = c.rng.randint(1100, 1600)
        c.d.line([(x, y), (x + c.rng.randint(80, 260), y)], fill=(255, 236, 200), width=3)
    gradient(c.img, (0, 820, W, H), (230, 210, 176), (200, 178, 146))
    c.people(560, 720, 960, 420)


def forest(c: Canvas) -> None:
    c.sky(700)
    if c.pal is PALETTES["dawn"]:
        glow(c.img, (1500, 640), 300, (255, 214, 170), 0.6)
    trees(c, 700, 2)
    gradient(c.img, (0, 700, W, H), mix((70, 96, 64), c.pal.figure, 0.3),
             mix((40, 60, 40), c.pal.figure, 0.5))
    if c.has("building"):
        wall = mix((170, 150, 120), c.pal.figure, 0.45 if c.pal.dark else 0.15)
        c.d.rectangle([560, 420, 1360, 780], fill=wall)
        c.d.polygon([(520, 430), (960, 260), (1400, 430)], fill=mix(wall, (60, 30, 30), 0.4))
        for i, x in enumerate(range(620, 1320, 140)):
            lit = c.has("window") and i == 2
            c.d.rectangle([x, 500, x + 80, 600], fill=c.pal.light if lit else
                          mix(c.pal.sky_low, (0, 0, 0), 0.35))
            if lit:
                glow(c.img, (x + 40, 550), 150, c.pal.light, 0.5)
    if c.has("minibus"):
        c.d.rounded_rectangle([1460, 640, 1860, 820], radius=34, fill=(200, 204, 210))
        c.d.rectangle([1500, 670, 1820, 730], fill=mix(c.pal.sky_low, (0, 0, 0), 0.3))
        for wx in (1540, 1780):
            c.d.ellipse([wx - 40, 780, wx + 40, 860], fill=(30, 30, 36))
    trees(c, 760, 1, clear=(420, 1900) if c.has("building") else (0, 0))
    if c.has("berries"):
        for _ in range(14):
            bx, by = c.rng.randint(0, W), c.rng.randint(880, 1060)
            c.d.ellipse([bx - 120, by - 50, bx + 120, by + 50], fill=(50, 84, 56))
            for _ in range(9):
                x, y = bx + c.rng.randint(-90, 90), by + c.rng.randint(-30, 30)
                c.d.ellipse([x - 9, y - 9, x + 9, y + 9], fill=(62, 74, 150))
    c.people(320, 1500, 1000, 440)
    if c.has("berries") and c.hands:
        bucket(c, c.hands[0][0] + 80, 990, 0.6)


def house(c: Canvas) -> None:
    c.sky(760)
    glow(c.img, (360, 420), 300, (255, 236, 190), 0.7)
    trees(c, 760, 1)
    gradient(c.img, (0, 760, W, H), (150, 150, 110), (120, 118, 90))
    c.d.rectangle([700, 420, 1300, 860], fill=(214, 196, 170))
    c.d.polygon([(660, 430), (1000, 240), (1340, 430)], fill=(150, 90, 76))
    c.d.rectangle([940, 640, 1060, 860], fill=(120, 86, 64))
    c.d.rectangle([780, 520, 880, 620], fill=mix(c.pal.sky_low, (255, 255, 255), 0.3))
    c.d.polygon([(940, 860), (1060, 860), (1160, H), (840, H)], fill=(190, 176, 150))
    c.people(830, 1170, 940, 340)


def street(c: Canvas) -> None:
    c.sky(700)
    buildings(c, 720, 0.25)
    gradient(c.img, (0, 720, W, H), mix(c.pal.floor, (0, 0, 0), 0.1), c.pal.floor)
    c.d.rectangle([300, 420, 1000, 450], fill=(60, 66, 80))
    c.d.rectangle([960, 450, 990, 860], fill=(60, 66, 80))
    shade(c.img, (320, 450, 950, 860), (200, 220, 235), 0.18)
    c.d.rectangle([1500, 380, 1516, 860], fill=(40, 40, 50))
    glow(c.img, (1508, 380), 180, c.pal.light, 0.6)
    c.people(520, 820, 960, 560)
    if c.has("bag") and len(c.hands) > 1:
        x, y = (c.hands[0][0] + c.hands[1][0]) / 2, c.hands[0][1] + 40
        c.d.rounded_rectangle([x - 50, y - 40, x + 50, y + 50], radius=14, fill=(40, 44, 54))


def station(c: Canvas) -> None:
    c.sky(640)
    gradient(c.img, (0, 640, W, 760), mix(c.pal.sky_low, (60, 60, 70), 0.6),
             mix(c.pal.floor, (40, 40, 48), 0.5))
    c.d.rounded_rectangle([1200, 440, 2100, 760], radius=30, fill=(60, 70, 96))
    for x in range(1260, W, 160):
        c.d.rectangle([x, 500, x + 110, 580], fill=mix(c.pal.light, c.pal.sky_top, 0.25))
    c.d.polygon([(0, 300), (1200, 300), (1200, 340), (0, 360)], fill=(70, 74, 90))
    for x in (200, 700):
        glow(c.img, (x, 340), 160, c.pal.light, 0.5)
    gradient(c.img, (0, 760, W, H), (150, 148, 150), (110, 108, 112))
    c.d.rectangle([0, 750, W, 772], fill=(226, 206, 120))
    c.people(560, 940, 1000, 560)


def pitch(c: Canvas) -> None:
    c.sky(560)
    glow(c.img, (1500, 300), 300, (255, 240, 200), 0.7)
    trees(c, 580, 1)
    gradient(c.img, (0, 580, W, H), (120, 170, 100), (80, 130, 70))
    c.d.line([(0, 760), (W, 760)], fill=(236, 240, 230), width=8)
    c.d.ellipse([760, 700, 1160, 820], outline=(236, 240, 230), width=8)
    c.d.rectangle([1580, 500, 1590, 700], fill=(245, 245, 245))
    c.d.rectangle([1840, 500, 1850, 700], fill=(245, 245, 245))
    c.d.rectangle([1580, 500, 1850, 510], fill=(245, 245, 245))
    c.people(240, 1460, 980, 380)
    c.d.ellipse([1000, 950, 1040, 990], fill=(250, 250, 250))
