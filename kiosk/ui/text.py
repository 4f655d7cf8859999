"""The kiosk's own text layout: paragraphs, wrapping, fonts per script, direction per language.

    book = FontBook()
    block = layout_text(book, text, "ar", width=900, size=32)
    block.height, block.lines, block.rtl
    surface = block.render((20, 30, 40))

Paragraphs are separated by a blank line; a single newline breaks the line. Lines break at
spaces; a word longer than the line (or text without spaces, as Thai writes) breaks between
grapheme clusters, so combining marks stay on their letter. Right-to-left languages are
shaped right to left (HarfBuzz joins Arabic), numbers and Latin words inside them keep their
own direction, and their lines are right-aligned. A paragraph with no letter of its
language's direction but some of the other (an English fallback on an Arabic screen) runs in
its own direction, still aligned to the screen's side.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field

import pygame

from kiosk.ui.bidi import Run, char_script, directions, paragraph_rtl, visual_runs
from kiosk.ui.fonts import SHAPED_SCRIPTS, FontBook

LINE_SPACING = 1.5  # of the font size: calm, readable lines at kiosk distance
PARAGRAPH_GAP = 0.6  # of a line height
_TOKEN = re.compile(r"\S+\s*|\s+")


def language_layout(lang: str) -> tuple[str, bool]:
    """The script and direction (rtl) of a language, from CLDR (Latin, left to right if
    unknown)."""
    try:
        from kiosk.i18n import language_info

        info = language_info(lang)
        return info.script, info.rtl
    except Exception:
        return "Latn", False


@dataclass
class PlacedRun:
    """A run at its place in its line."""

    run: Run
    x: int
    width: int


@dataclass
class Line:
    """One laid-out line: its runs left to right, width, and the top of the line."""

    runs: list[PlacedRun]
    width: int
    y: int


@dataclass
class TextBlock:
    """Text laid out in a box width: lines, total height, alignment."""

    book: FontBook
    size: int
    bold: bool
    width: int
    rtl: bool
    align: str
    script: str = "Latn"
    lines: list[Line] = field(default_factory=list)
    height: int = 0
    line_height: int = 0
    _surfaces: dict = field(default_factory=dict, repr=False)
    owner: object | None = field(default=None, repr=False)  # the TextCache counting bytes

    @property
    def used_width(self) -> int:
        """The width of the widest line."""
        return max((line.width for line in self.lines), default=0)

    def line_x(self, line: Line) -> int:
        """Where a line starts in the box, by its alignment."""
        if self.align == "center":
            return (self.width - line.width) // 2
        if self.align == "right":
            return self.width - line.width
        return 0

    def render(self, color: tuple[int, int, int]) -> pygame.Surface:
        """The block drawn on a transparent surface of (width, height), cached per colour."""
        cached = self._surfaces.get(color)
        if cached is not None:
            if self.owner is not None:
                self.owner.used(self)
            return cached
        surface = pygame.Surface((max(1, self.width), max(1, self.height)), pygame.SRCALPHA)
        for line in self.lines:
            x0 = self.line_x(line)
            for placed in line.runs:
                font = _prepared(self.book, placed.run, self.size, self.bold)
                glyphs = font.render(placed.run.text, True, color)
                dy = self._baseline_offset(font)
                surface.blit(glyphs, (x0 + placed.x, line.y + dy))
        old = self.surface_bytes
        self._surfaces = {color: surface}
        if self.owner is not None:
            self.owner.rendered(self, self.surface_bytes - old)
        return surface

    def forget_surface(self) -> int:
        """Drop the rendered surface (the layout stays); returns the bytes freed."""
        freed = self.surface_bytes
        self._surfaces = {}
        return freed

    @property
    def surface_bytes(self) -> int:
        """Bytes held by the rendered surface (0 before the first render)."""
        return sum(s.get_bytesize() * s.get_width() * s.get_height()
                   for s in self._surfaces.values())

    def _baseline_offset(self, font: pygame.font.Font) -> int:
        # One baseline per line, set by the paragraph script's own font; every run (Latin in
        # Arabic, a symbol from a fallback font) sits on it.
        primary = self.book.font(self.book.chain(self.script)[0], self.size, self.bold)
        ascent, descent = primary.get_ascent(), -primary.get_descent()
        lead = (self.line_height - ascent - descent) // 2
        return lead + ascent - font.get_ascent()


def _prepared(book: FontBook, run: Run, size: int, bold: bool) -> pygame.font.Font:
    font = book.font(run.family, size, bold)
    if run.script in SHAPED_SCRIPTS or run.rtl:
        font.set_script(run.script if run.script in SHAPED_SCRIPTS else "Latn")
    else:
        font.set_script("Latn")
    font.set_direction(pygame.DIRECTION_RTL if run.rtl else pygame.DIRECTION_LTR)
    return font


def segment(book: FontBook, text: str, script: str, rtl: bool) -> list[Run]:
    """Cut text into runs of one font, script and direction, in logical order."""
    runs: list[Run] = []
    dirs = directions(text, rtl)
    cur: list[str] = []
    cur_key: tuple[str, str, bool] | None = None
    for char, is_rtl in zip(text, dirs, strict=True):
        own = char_script(char)
        if unicodedata.combining(char) and cur_key is not None:
            cur.append(char)
            continue
        if own is None and cur_key is not None and is_rtl == cur_key[2] \
                and book.has_glyph(cur_key[0], char):
            cur.append(char)
            continue
        run_script = own or (cur_key[1] if cur_key else script)
        family = book.family_for(char, own or script)
        key = (family, run_script, is_rtl)
        if key != cur_key and cur:
            runs.append(Run("".join(cur), *cur_key))
            cur = []
        cur_key = key
        cur.append(char)
    if cur and cur_key is not None:
        runs.append(Run("".join(cur), *cur_key))
    return _split_spaces(runs)


def _split_spaces(runs: list[Run]) -> list[Run]:
    """Spaces at the ends of a run become runs of their own, so reordering puts each space
    between the words it separates (a shaper puts a right-to-left run's spaces elsewhere)."""
    out: list[Run] = []
    for run in runs:
        body = run.text.strip(" ")
        if not body or body == run.text:
            out.append(run)
            continue
        lead = len(run.text) - len(run.text.lstrip(" "))
        trail = len(run.text) - len(run.text.rstrip(" "))
        if lead:
            out.append(Run(" " * lead, run.family, run.script, run.rtl))
        out.append(Run(body, run.family, run.script, run.rtl))
        if trail:
            out.append(Run(" " * trail, run.family, run.script, run.rtl))
    return out


def run_width(book: FontBook, run: Run, size: int, bold: bool) -> int:
    """The advance width of one run, shaped."""
    return _prepared(book, run, size, bold).size(run.text)[0]


def _clusters(word: str) -> list[str]:
    """Grapheme clusters, approximately: a character with the marks that follow it."""
    out: list[str] = []
    for char in word:
        if out and (unicodedata.combining(char) or unicodedata.category(char) == "Mn"):
            out[-1] += char
        else:
            out.append(char)
    return out


WIDTH_CACHE_ENTRIES = 20_000  # measured widths kept, all sizes and scripts together


class WidthCache:
    """Widths measured with one font book, for every size, weight, script and direction,
    bounded as a whole: least recently used out first once it holds `WIDTH_CACHE_ENTRIES`
    (words recur across scenes, so wrapping a new screen mostly hits it).

    A kiosk runs for months, and a bound per measurer was not enough: each text size, weight
    and script has its own (the soak made over 70), and the lines' growing prefixes are new
    text in every layout, so together they kept growing by about 2 MB per 1,000 visits."""

    def __init__(self, book: FontBook):
        self.book = book
        self.entries: OrderedDict[tuple, int] = OrderedDict()  # ((size, bold, script, rtl), text)
        self._measurers: dict[tuple, Measurer] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def measurer(self, size: int, bold: bool, script: str, rtl: bool) -> Measurer:
        """The measurer for one size, weight, script and direction, filling this cache."""
        key = (size, bold, script, rtl)
        found = self._measurers.get(key)
        if found is None:
            found = self._measurers[key] = Measurer(self, size, bold, script, rtl)
        return found


class Measurer:
    """Widths of pieces of text for one size, weight, script and direction, cached in a
    `WidthCache` (wrapping measures every word of a scene, and each line as it grows)."""

    def __init__(self, widths: WidthCache, size: int, bold: bool, script: str, rtl: bool):
        self.book, self.size, self.bold, self.script, self.rtl = (
            widths.book, size, bold, script, rtl)
        self._key = (size, bold, script, rtl)
        self._cache = widths.entries

    def width(self, text: str) -> int:
        """The width of `text` laid out as one line."""
        key = (self._key, text)
        cache = self._cache
        known = cache.get(key)
        if known is None:
            runs = segment(self.book, text, self.script, self.rtl)
            known = sum(run_width(self.book, r, self.size, self.bold) for r in runs)
            cache[key] = known
            if len(cache) > WIDTH_CACHE_ENTRIES:
                cache.popitem(last=False)
        else:
            cache.move_to_end(key)
        return known


def _wrap_paragraph(text: str, width: int, measure: Measurer) -> list[str]:
    lines: list[str] = []
    current = ""
    current_w = 0
    for token in _TOKEN.findall(text):
        body = token.rstrip()
        need = measure.width(body) if body else 0
        if current and current_w + measure.width(current[len(current.rstrip()):]) + need <= width:
            current += token
            current_w = measure.width(current.rstrip())
            continue
        if not current and need <= width:
            current, current_w = token, need
            continue
        if current.strip():
            lines.append(current.rstrip())
            current, current_w = "", 0
        if need <= width:
            current, current_w = token, need
            continue
        piece = ""
        for cluster in _clusters(token):
            if piece and measure.width((piece + cluster).rstrip()) > width:
                lines.append(piece.rstrip())
                piece = ""
            piece += cluster
        current, current_w = piece, measure.width(piece.rstrip())
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def layout_text(book: FontBook, text: str, lang: str, width: int, size: int,
                bold: bool = False, align: str | None = None,
                line_spacing: float | None = None,
                widths: WidthCache | None = None) -> TextBlock:
    """Lay out `text` in language `lang` in a box `width` pixels wide, measuring through
    `widths` (a cache kept across layouts: `TextCache` keeps one; else one for this call)."""
    widths = widths if widths is not None else WidthCache(book)
    script, rtl = language_layout(lang)
    align = align or ("right" if rtl else "left")
    if align == "start":
        align = "right" if rtl else "left"
    if line_spacing is None:
        line_spacing = LINE_SPACING if size < 40 else 1.25
    primary = book.font(book.chain(script)[0], size, bold)
    # Scripts with tall marks (Arabic, Thai) need more than the spacing of Latin: never less
    # than the font's ascent plus descent.
    line_height = max(round(size * line_spacing),
                      primary.get_ascent() - primary.get_descent())
    block = TextBlock(book, size, bold, max(1, width), rtl, align, script, line_height=line_height)
    y = 0
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            y += round(line_height * PARAGRAPH_GAP)
        # Each paragraph runs in its own direction; it stays aligned to the screen's side.
        p_rtl = paragraph_rtl(paragraph, rtl)
        measure = widths.measurer(size, bold, script, p_rtl)
        for hard_line in paragraph.split("\n"):
            for line_text in _wrap_paragraph(hard_line.strip(), block.width, measure):
                runs = visual_runs(segment(book, line_text, script, p_rtl), p_rtl)
                placed, x = [], 0
                for run in runs:
                    w = run_width(book, run, size, bold)
                    placed.append(PlacedRun(run, x, w))
                    x += w
                block.lines.append(Line(placed, x, y))
                y += line_height
    block.height = y
    return block


class TextCache:
    """Laid-out text blocks and their rendered surfaces, in two bounds.

    Laying text out (measuring and wrapping every word) is the slow part of showing a new
    screen; the layouts are small (lines of runs: a 400-character passage, with what it adds
    to the shared width cache, about 25 kB), so up to `capacity` of them are kept, least
    recently used out first. The rendered surfaces are
    large (a long passage at 1080p is a few megabytes) and quick to redo from a kept layout,
    so they are dropped first, least recently drawn out first, to keep their total within
    `budget_bytes`.
    """

    def __init__(self, book: FontBook, capacity: int = 400,
                 budget_bytes: int = 48 * 1024 * 1024):
        self.book = book
        self.widths = WidthCache(book)  # shared by every layout of this cache
        self.capacity = capacity
        self.budget_bytes = budget_bytes
        self.bytes_used = 0
        self.layouts_made = 0  # for measurements: how often a block had to be laid out
        self._blocks: OrderedDict[tuple, TextBlock] = OrderedDict()
        self._drawn: OrderedDict[int, TextBlock] = OrderedDict()  # blocks holding a surface

    def __len__(self) -> int:
        return len(self._blocks)

    def block(self, text: str, lang: str, width: int, size: int, bold: bool = False,
              align: str | None = None) -> TextBlock:
        """A laid-out block, from the cache when the same text was laid out before."""
        key = (text, lang, width, size, bold, align)
        block = self._blocks.get(key)
        if block is None:
            block = layout_text(self.book, text, lang, width, size, bold, align, widths=self.widths)
            self.layouts_made += 1
            block.owner = self
            self._blocks[key] = block
            self._trim_layouts()
        else:
            self._blocks.move_to_end(key)
        return block

    def used(self, block: TextBlock) -> None:
        """A block's surface was drawn again: it is the most recently used."""
        if id(block) in self._drawn:
            self._drawn.move_to_end(id(block))

    def rendered(self, block: TextBlock, new_bytes: int) -> None:
        """A block (re)rendered its surface: count the bytes, drop old surfaces if over."""
        self.bytes_used += new_bytes
        self._drawn[id(block)] = block
        self._drawn.move_to_end(id(block))
        self._trim_surfaces(keep=block)

    def _trim_surfaces(self, keep: TextBlock | None = None) -> None:
        while self.bytes_used > self.budget_bytes and self._drawn:
            _, old = next(iter(self._drawn.items()))
            if old is keep:  # the one being drawn now stays, whatever its size
                break
            self._drawn.popitem(last=False)
            self.bytes_used -= old.forget_surface()

    def _trim_layouts(self) -> None:
        while len(self._blocks) > self.capacity:
            _, old = self._blocks.popitem(last=False)
            if self._drawn.pop(id(old), None) is not None:
                self.bytes_used -= old.forget_surface()
            old.owner = None

    def clear(self) -> None:
        """Forget every block (language or text size changed a lot)."""
        for block in self._blocks.values():
            block.owner = None
        self._blocks.clear()
        self._drawn.clear()
        self.bytes_used = 0
