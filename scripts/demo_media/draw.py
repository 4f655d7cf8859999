"""Illustrations drawn from an image's tags: the tags say what the picture shows, and this
module draws exactly that (a setting, a time of day, how many people, a few objects).

A tag this module cannot draw is an error, so the tags in the YAML stay true to the picture.
"""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from demo_media import indoors, outdoors
from demo_media.canvas import AGES, COUNTS, Canvas
from demo_media.paint import PALETTES, H, W, glow

SETTINGS: dict[str, tuple[Callable[[Canvas], None], set[str]]] = {
    "home": (indoors.home, {"window", "lamp", "phone"}),
    "papers": (indoors.papers, {"lamp", "phone", "berries"}),
    "airport": (indoors.airport, {"suitcase"}),
    "city": (outdoors.city, {"car", "window"}),
    "kitchen": (indoors.kitchen, {"teacup"}),
    "bedroom": (indoors.bedroom, {"window", "phone"}),
    "office": (indoors.office, {"window"}),
    "seaside": (outdoors.seaside, set()),
    "cafe": (indoors.cafe, {"window"}),
    "forest": (outdoors.forest, {"building", "minibus", "berries", "window"}),
    "dormitory": (indoors.dormitory, {"window", "phone"}),
    "shop": (indoors.shop, {"phone"}),
    "house": (outdoors.house, set()),
    "shopping-centre": (indoors.shopping_centre, set()),
    "street": (outdoors.street, {"bag"}),
    "classroom": (indoors.classroom, {"window"}),
    "train": (indoors.train, set()),
    "library": (indoors.library, set()),
    "station": (outdoors.station, set()),
    "football-pitch": (outdoors.pitch, set()),
}


def check_tags(tags: list[str]) -> str:
    """Return the setting named by the tags, or raise ValueError naming what cannot be drawn."""
    settings = [t for t in tags if t in SETTINGS]
    if len(settings) != 1:
        raise ValueError(f"tags {tags} must name exactly one setting of {sorted(SETTINGS)}")
    setting = settings[0]
    known = {"illustration", setting} | set(PALETTES) | set(COUNTS) | AGES | SETTINGS[setting][1]
    unknown = [t for t in tags if t not in known]
    if unknown:
        raise ValueError(f"cannot draw {unknown} in a {setting} picture (tags {tags})")
    return setting


def draw(tags: list[str], seed: str) -> Image.Image:
    """Draw the picture the tags describe; the seed makes it repeatable."""
    setting = check_tags(tags)
    canvas = Canvas(tags, seed)
    SETTINGS[setting][0](canvas)
    if canvas.pal.dark:  # a gentle vignette keeps night pictures calm rather than stark
        glow(canvas.img, (W / 2, H / 2), W * 0.2, canvas.pal.sky_low, 0.05)
    return canvas.img
