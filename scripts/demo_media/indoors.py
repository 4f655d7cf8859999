"""Settings indoors: rooms, kitchens, offices, shops, a train carriage."""

from __future__ import annotations

from PIL import Image, ImageDraw

from demo_media.canvas import Canvas, bucket
from demo_media.paint import H, W, glow, gradient, mix, window


def home(c: Canvas) -> None:
    floor = 820
    c.interior(floor, warm=0.15)
    if c.has("window"):
        window(c.img, (1280, 170, 1640, 600), c.pal, lit=not c.pal.dark)
    c.d.rectangle([160, 300, 420, 640], fill=mix(c.pal.wall, (0, 0, 0), 0.18))  # a cupboard
    if c.has("lamp"):
        c.lamp(900, 260)
    c.people(620, 1260, floor + 60, 640)
    if c.count <= 2 or c.has("phone"):
        c.table(760, 380, 1520)
    if c.has("phone"):
        x, y = (c.hands[0][0] + 60, 740) if c.count > 1 else (c.hands[0] if c.hands else (960, 700))
        c.phone(x if c.count > 1 else x, y)


def papers(c: Canvas) -> None:
    c.interior(380, warm=0.1)
    wood = mix((126, 92, 64), c.pal.figure, 0.2)
    gradient(c.img, (0, 380, W, H), mix(wood, (255, 255, 255), 0.1), mix(wood, (0, 0, 0), 0.3))
    if c.has("lamp"):
        glow(c.img, (900, 640), 700, c.pal.light, 0.45, squash=0.6)
    for x, y, ang in [(700, 640, -6), (980, 610, 4), (840, 720, 9)]:
        sheet = Image.new("RGBA", (420, 300), (246, 242, 232, 255))
        sd = ImageDraw.Draw(sheet)
        for row in range(7):
            length = c.rng.randint(180, 360)
            sd.line([(30, 40 + row * 34), (30 + length, 40 + row * 34)], fill=(150, 150, 160),
                    width=5)
        sheet = sheet.rotate(ang, expand=True, resample=Image.BICUBIC)
        c.img.paste(sheet, (int(x - sheet.width / 2), int(y - sheet.height / 2)), sheet)
    if c.has("phone"):
        c.phone(1340, 760, 2.2)
    if c.has("berries"):
        bucket(c, 1380, 860, 1.6)


def airport(c: Canvas) -> None:
    c.sky(700)
    c.d.polygon([(1200, 420), (1560, 400), (1600, 410), (1240, 432)], fill=(226, 230, 238))
    c.d.rectangle([0, 690, W, 720], fill=(120, 126, 140))
    gradient(c.img, (0, 720, W, H), (196, 198, 204), (140, 142, 150))
    for x in range(300, W, 660):  # a few slim frames in the glass wall
        c.d.rectangle([x, 0, x + 10, 700], fill=(176, 182, 194))
    c.d.rectangle([120, 120, 640, 260], fill=(40, 46, 60))
    for row in range(4):
        c.d.line([(150, 150 + row * 28), (150 + c.rng.randint(260, 440), 150 + row * 28)],
                 fill=(240, 200, 110), width=8)
    c.people(760, 1160, 1000, 560)
    if c.has("suitcase") and c.hands:
        x = c.hands[0][0] - 150
        c.d.rounded_rectangle([x - 60, 820, x + 60, 1000], radius=14, fill=(150, 70, 70))
        c.d.rectangle([x - 20, 790, x + 20, 822], outline=(90, 50, 50), width=8)


def kitchen(c: Canvas) -> None:
    floor = 840
    c.interior(floor, warm=0.2)
    tile = mix(c.pal.wall, (255, 255, 255), 0.25)
    c.d.rectangle([0, 200, W, 620], fill=tile)
    for y in range(200, 620, 70):
        c.d.line([(0, y), (W, y)], fill=mix(tile, (0, 0, 0), 0.06), width=2)
    for i, x in enumerate(range(260, 1700, 240)):
        r = 44 + (i % 3) * 10
        c.d.line([(x, 120), (x, 200 - r)], fill=(110, 110, 120), width=4)
        c.d.ellipse([x - r, 200 - r, x + r, 200 + r], fill=(150, 150, 160))
    c.people(640, 1280, floor + 40, 620)
    c.d.rectangle([0, 720, W, 760], fill=(196, 200, 206))
    c.d.rectangle([0, 760, W, H], fill=mix((170, 172, 178), c.pal.figure, 0.2))
    if c.has("teacup"):
        for x in (c.hands[0][0] + 40, c.hands[-1][0] - 40) if c.hands else (900, 1020):
            c.d.rounded_rectangle([x - 34, 660, x + 34, 722], radius=12, fill=(246, 240, 230))
            glow(c.img, (x, 620), 50, (255, 255, 255), 0.25)


def bedroom(c: Canvas) -> None:
    floor = 800
    c.interior(floor)
    if c.has("window"):
        window(c.img, (760, 220, 1060, 500), c.pal, lit=False)
        glow(c.img, (910, 360), 320, mix(c.pal.sky_low, (255, 255, 255), 0.3), 0.2)
    bed = mix((120, 120, 150), c.pal.figure, 0.4)
    if c.count:
        c.people(1160, 1160, 880, 560)
    c.d.rounded_rectangle([420, 760, 1500, 960], radius=30, fill=bed)
    c.d.rounded_rectangle([440, 720, 700, 790], radius=24, fill=mix(bed, (255, 255, 255), 0.25))
    if c.has("phone") and not c.count:
        c.d.rectangle([1560, 700, 1800, 1000], fill=mix((110, 80, 60), c.pal.figure, 0.5))
        c.phone(1680, 680, 1.4)


def office(c: Canvas) -> None:
    floor = 820
    c.interior(floor, warm=0.1)
    if c.has("window"):
        window(c.img, (1240, 160, 1760, 620), c.pal, lit=True)
    c.d.rectangle([160, 220, 520, 640], fill=mix(c.pal.wall, (0, 0, 0), 0.15))
    for y in range(280, 640, 90):
        c.d.line([(160, y), (520, y)], fill=mix(c.pal.wall, (0, 0, 0), 0.3), width=6)
    c.d.ellipse([1780, 560, 1900, 700], fill=(84, 122, 90))
    c.d.rectangle([1815, 690, 1865, 820], fill=(140, 100, 80))
    c.people(640, 1300, floor + 80, 640)
    c.table(780, 460, 1480)


def cafe(c: Canvas) -> None:
    floor = 820
    c.interior(floor, warm=0.2)
    window(c.img, (180, 140, 1140, 640), c.pal, lit=True)
    for x in range(300, 1100, 260):
        c.d.rectangle([x, 420, x + 140, 640], fill=mix(c.pal.sky_low, (0, 0, 0), 0.2))
    c.d.rectangle([1380, 260, 1800, 300], fill=mix(c.pal.wall, (0, 0, 0), 0.25))
    c.people(760, 1220, floor + 60, 600)
    c.table(780, 600, 1380)
    for x in (880, 1120):
        c.d.rounded_rectangle([x - 30, 728, x + 30, 782], radius=10, fill=(246, 242, 234))


def dormitory(c: Canvas) -> None:
    floor = 640
    c.interior(floor)
    if c.has("window"):
        window(c.img, (1340, 160, 1620, 460), c.pal, lit=False)
        glow(c.img, (1480, 320), 260, mix(c.pal.sky_low, (255, 255, 255), 0.2), 0.22)
    if c.has("phone"):
        glow(c.img, (960, 560), 520, (170, 200, 255), 0.18)
    c.people(420, 1500, 900, 560)
    for row, y in enumerate((700, 820, 950)):
        for x in range(-80 + row * 60, W, 420):
            tone = mix((132, 126, 150), c.pal.figure, 0.45)
            c.d.rounded_rectangle([x, y, x + 340, y + 70 + row * 10], radius=22, fill=tone)
    if c.has("phone") and c.hands:
        c.phone(c.hands[-1][0] - 10, c.hands[-1][1] - 120, 1.3)


def shop(c: Canvas) -> None:
    floor = 800
    c.interior(floor, warm=0.15)
    for y in (180, 340, 500, 660):
        c.d.rectangle([80, y + 110, 1200, y + 128], fill=mix(c.pal.wall, (0, 0, 0), 0.3))
        x = 100
        while x < 1180:
            w = c.rng.randint(40, 90)
            col = c.rng.choice([(200, 120, 90), (110, 150, 180), (220, 190, 120), (120, 160, 110),
                                (180, 170, 200)])
            c.d.rectangle([x, y + 110 - c.rng.randint(50, 100), x + w, y + 110],
                          fill=mix(col, c.pal.wall, 0.3))
            x += w + 8
    c.people(300, 1500, floor + 120, 600)
    c.d.rectangle([1300, 700, 1900, H], fill=mix((150, 120, 96), c.pal.figure, 0.15))
    c.d.rectangle([1300, 690, 1900, 712], fill=(210, 200, 186))
    c.d.rectangle([1560, 610, 1700, 690], fill=(70, 74, 84))
    if c.has("phone"):
        c.phone(1330, 660, 1.2)


def shopping_centre(c: Canvas) -> None:
    floor = 700
    c.interior(floor, warm=0.1)
    gradient(c.img, (0, 0, W, 160), mix(c.pal.wall, (0, 0, 0), 0.3), c.pal.wall)
    for i, x in enumerate(range(40, W, 380)):
        c.d.rectangle([x, 220, x + 330, floor], fill=mix(c.pal.light, c.pal.wall, 0.35 + 0.1 * (i % 2)))
        c.d.rectangle([x, 180, x + 330, 220], fill=mix(c.pal.figure, c.pal.wall, 0.4))
        glow(c.img, (x + 165, 460), 220, c.pal.light, 0.25)
    for x in range(200, W, 400):
        glow(c.img, (x, 90), 90, (255, 250, 230), 0.6)
    c.people(760, 1160, 980, 560)


def classroom(c: Canvas) -> None:
    floor = 760
    c.interior(floor, warm=0.1)
    c.d.rectangle([140, 200, 760, 520], fill=(52, 82, 70))
    if c.has("window"):
        window(c.img, (1120, 150, 1420, 600), c.pal, lit=True)
        window(c.img, (1500, 150, 1800, 600), c.pal, lit=True)
    c.people(700, 1140, floor + 160, 600)
    for x in range(80, W, 520):
        c.d.rectangle([x, 860, x + 420, 890], fill=(176, 146, 110))
        c.d.rectangle([x + 30, 890, x + 390, H], fill=mix((150, 120, 90), c.pal.figure, 0.2))


def train(c: Canvas) -> None:
    if c.count:
        c.interior(820)
        gradient(c.img, (120, 200, 1800, 560), c.pal.sky_top, c.pal.sky_low)
        for _ in range(10):
            y = c.rng.randint(260, 520)
            x = c.rng.randint(140, 1600)
            c.d.line([(x, y), (x + c.rng.randint(120, 300), y)], fill=c.pal.light, width=4)
        c.d.rectangle([100, 180, 1820, 200], fill=mix(c.pal.wall, (0, 0, 0), 0.2))
        c.people(900, 900, 1000, 620)
        c.d.rounded_rectangle([560, 780, 1240, H + 40], radius=40, fill=(70, 80, 110))
        return
    c.sky(720)
    gradient(c.img, (0, 720, W, H), mix(c.pal.floor, (0, 0, 0), 0.4), c.pal.floor)
    c.d.rounded_rectangle([160, 560, 1760, 760], radius=40, fill=(40, 44, 60))
    for x in range(220, 1700, 150):
        c.d.rectangle([x, 600, x + 100, 670], fill=mix(c.pal.light, c.pal.sky_top, 0.2))
    c.d.line([(0, 780), (W, 780)], fill=(70, 70, 84), width=8)


def library(c: Canvas) -> None:
    floor = 860
    c.interior(floor, warm=0.15)
    for sx in (80, 1340):
        for y in range(160, floor, 150):
            c.d.rectangle([sx, y + 120, sx + 500, y + 134], fill=(120, 90, 66))
            x = sx + 10
            while x < sx + 490:
                w = c.rng.randint(18, 34)
                col = c.rng.choice([(150, 80, 70), (70, 100, 130), (190, 160, 100), (90, 120, 90)])
                c.d.rectangle([x, y + 120 - c.rng.randint(70, 110), x + w, y + 120], fill=col)
                x += w + 4
    c.people(780, 1140, floor + 100, 640)
