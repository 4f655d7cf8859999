"""WebVTT and SRT subtitles: parsed into cues with line numbers, looked up by time.

WebVTT follows the W3C parser algorithm (https://www.w3.org/TR/webvtt1/#file-parsing): NUL
becomes U+FFFD; a cue may follow the `WEBVTT` line directly; a line containing `-->` always
ends the block before it and starts a cue; minutes and seconds are 00-59; a block whose timing
line does not parse is dropped, the others are kept. Cue settings are read past (the kiosk
places captions itself) and cue text goes through `cuetext.plain_text`. Where the spec drops a
bad block silently, this module also says so, with the line, for `kiosk check`.
SRT has no spec; it gets the same rules where they make sense (a timing line starts a cue,
blank line or not; 00-59; NUL), with `HH:MM:SS,mmm` times. One limit the spec does not set:
hours of more than six digits are refused (no film lasts 114 years; int() of thousands of
digits raises).

Our own parser, because the libraries checked (2026-12) do not follow the algorithm on these
points: pysubs2 1.8.1 accepts `00:75.000`, keeps NUL and reports no line
numbers; webvtt-py 0.5.1 joins two cues when the blank line between them is missing, rejects
the whole file for one bad time, shows "Price  18" for "Price < 5 euro, age > 18", keeps NUL,
and its tag regex `<.*?>` takes 10 s on 20,000 `<a` (quadratic). Authors need "file:line:
what is wrong", and the validator and the kiosk must read a file the same way, so both call
this module.
"""

from __future__ import annotations

import bisect
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.phrase import Phrase
from kiosk.media.cache import FileKey, file_key
from kiosk.media.cuetext import plain_text
from kiosk.media.errors import MediaError

log = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"

# Readability: the usual broadcast norms (EBU, Netflix's timed-text guides) for adult viewers.
MIN_CUE_MS = 800
MAX_CHARS_PER_SECOND = 17
READABILITY = "subtitle-readability"

_DIGITS = re.compile(r"[0-9]*")  # ASCII only: str.isdigit() also takes "²" and "٣"
_MAX_HOUR_DIGITS = 6  # beyond 999,999 hours a time is a typo; int() of 5,000 digits raises
_QUOTE_MAX = 60  # characters of a bad line quoted in a message


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from start_ms (inclusive) to end_ms (exclusive)."""

    start_ms: int
    end_ms: int
    text: str
    line: int  # line of the timing line in the file, for messages


@dataclass(frozen=True)
class SubtitleProblem:
    """Something wrong in a subtitle file, with where it is; `message` is a Phrase (the
    admin translates it), its str() the English."""

    path: Path
    line: int
    message: str
    severity: str = ERROR
    code: str = "subtitles"  # the validator's finding code; "subtitle-readability" for norms

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class SubtitleError(MediaError):
    """A subtitle file cannot be used; carries every problem found."""

    def __init__(self, path: Path, problems: list[SubtitleProblem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(path, f"line {first.line}: {first.message}{more}")
        self.problems = problems


class _BadTiming(ValueError):
    """A timing line that does not parse; the message says why, for authors."""


def _quote(line: str) -> str:
    return repr(line if len(line) <= _QUOTE_MAX else line[:_QUOTE_MAX] + "...")


def _digits(line: str, pos: int) -> str:
    return _DIGITS.match(line, pos).group(0)


def _timestamp(line: str, pos: int, srt: bool) -> tuple[int, int]:
    """(milliseconds, position after) of the time at pos: the spec's "collect a WebVTT
    timestamp", hours optional in WebVTT; SRT always has hours and a comma (or a full stop)."""
    first = _digits(line, pos)
    if not first:
        raise _BadTiming(Phrase("a time must start with a digit"))
    pos += len(first)
    fields = [first]
    # WebVTT: a first field other than two digits up to 59 can only be hours.
    hours_first = srt or len(first) != 2 or int(first) > 59
    while len(fields) < (3 if hours_first else 2) or (
            len(fields) == 2 and line.startswith(":", pos)):
        if not line.startswith(":", pos):
            raise _BadTiming(Phrase("a time is hours:minutes:seconds.milliseconds"))
        field = _digits(line, pos + 1)
        if len(field) != 2:
            raise _BadTiming(Phrase("minutes and seconds have two digits"))
        fields.append(field)
        pos += 1 + len(field)
    if not (line.startswith(".", pos) or (srt and line.startswith(",", pos))):
        raise _BadTiming(Phrase("the seconds need their milliseconds, like %(example)s",
                                example="04,000" if srt else "04.000"))
    frac = _digits(line, pos + 1)
    if not (1 <= len(frac) <= 3 if srt else len(frac) == 3):
        raise _BadTiming(Phrase("milliseconds have three digits"))
    pos += 1 + len(frac)
    hours = fields[0].lstrip("0") if len(fields) == 3 else ""
    if len(hours) > _MAX_HOUR_DIGITS:
        raise _BadTiming(Phrase("%(n)s digits of hours is more than a film lasts",
                                n=str(len(hours))))
    minutes, seconds = int(fields[-2]), int(fields[-1])
    if minutes > 59 or seconds > 59:
        raise _BadTiming(Phrase("minutes and seconds go from 00 to 59"))
    return ((int(hours or 0) * 60 + minutes) * 60 + seconds) * 1000 + int(frac.ljust(3, "0")), pos


def _skip_space(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in " \t\f":
        pos += 1
    return pos


def _timing(line: str, srt: bool) -> tuple[int, int]:
    """(start, end) of a timing line; what follows the end time (cue settings) is ignored."""
    start, pos = _timestamp(line, _skip_space(line, 0), srt)
    pos = _skip_space(line, pos)
    if not line.startswith("-->", pos):
        raise _BadTiming(Phrase("the two times are separated by ' --> '"))
    end, _ = _timestamp(line, _skip_space(line, pos + 3), srt)
    return start, end


def _cue(path: Path, number: int, line: str, text: list[str], srt: bool,
         problems: list[SubtitleProblem]) -> Cue | None:
    """The cue of a timing line and its text lines, or None with a problem saying why."""
    example = "00:00:01,000 --> 00:00:04,000" if srt else "00:01.000 --> 00:04.000"
    try:
        start, end = _timing(line, srt)
    except _BadTiming as exc:
        problems.append(SubtitleProblem(path, number, Phrase(
            "%(problem)s: expected a timing line like '%(example)s', got %(line)s",
            problem=exc.args[0], example=example, line=_quote(line))))
        return None
    if end < start:
        problems.append(SubtitleProblem(path, number, Phrase("the cue ends before it starts")))
        return None
    if end == start:
        problems.append(SubtitleProblem(path, number, Phrase("the cue ends when it starts")))
        return None
    cue = Cue(start, end, plain_text("\n".join(text), srt=srt), number)
    if not cue.text:
        problems.append(SubtitleProblem(path, number, Phrase("the cue has no text"), WARNING))
    return cue


def _is_comment(line: str, seen_cue: bool) -> bool:
    """NOTE blocks anywhere; STYLE and REGION blocks before the first cue (the spec's rule)."""
    words = ("NOTE",) if seen_cue else ("NOTE", "STYLE", "REGION")
    return any(line == w or line.startswith((w + " ", w + "\t")) for w in words)


def _parse_vtt(path: Path, lines: list[str]) -> tuple[list[Cue], list[SubtitleProblem]]:
    first = lines[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        return [], [SubtitleProblem(path, 1, Phrase(
            "a WebVTT file must start with the line 'WEBVTT'"))]
    cues: list[Cue] = []
    problems: list[SubtitleProblem] = []
    n = len(lines)
    i = 1
    # The header runs to the first blank line, or up to a line with an arrow: that is a cue.
    while i < n and lines[i] and "-->" not in lines[i]:
        i += 1
    while i < n:
        if not lines[i]:
            i += 1
            continue
        # Collect a WebVTT block: an arrow on its first line, or on its second after an
        # identifier, is its timing line; any later arrow ends the block and starts the next.
        start, buffer, timing = i, [], None
        while i < n and lines[i]:
            line = lines[i]
            if "-->" in line:
                if timing is not None or i - start > 1:
                    break
                timing = (i + 1, line)
                buffer = []  # the identifier, which the kiosk does not use
            else:
                buffer.append(line)
            i += 1
        if i < n and lines[i] and buffer:
            # Valid for the parser, but the spec's syntax asks for a blank line, and a cue
            # identifier written here is shown as the last line of the cue before.
            problems.append(SubtitleProblem(path, i + 1, Phrase(
                "a blank line must come before each cue: without it %(line)s shows as text of "
                "the cue before", line=_quote(buffer[-1])), WARNING))
        if timing is not None:
            cue = _cue(path, *timing, buffer, False, problems)
            if cue is not None:
                cues.append(cue)
        elif not _is_comment(buffer[0], bool(cues)):
            problems.append(SubtitleProblem(path, start + 1, Phrase(
                "a cue needs a timing line like '00:01.000 --> 00:04.000' after %(line)s",
                line=_quote(buffer[0]))))
    return cues, problems


def _is_index(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and _digits(stripped, 0) == stripped


def _parse_srt(path: Path, lines: list[str]) -> tuple[list[Cue], list[SubtitleProblem]]:
    cues: list[Cue] = []
    problems: list[SubtitleProblem] = []
    n = len(lines)
    i = 0
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        if "-->" not in lines[i]:
            if _is_index(lines[i]) and i + 1 < n and "-->" in lines[i + 1]:
                i += 1
            else:
                problems.append(SubtitleProblem(path, i + 1, Phrase(
                    "expected a timing line like '00:00:01,000 --> 00:00:04,000', got %(line)s",
                    line=_quote(lines[i]))))
                while i < n and lines[i].strip() and "-->" not in lines[i]:
                    i += 1
                continue
        number, timing = i + 1, lines[i]
        i += 1
        text: list[str] = []
        while i < n and lines[i].strip() and "-->" not in lines[i]:
            text.append(lines[i])
            i += 1
        if text and i < n and "-->" in lines[i]:
            if _is_index(text[-1]):
                text.pop()  # the next cue's number, written without a blank line before it
                i -= 1
            problems.append(SubtitleProblem(
                path, i + 1, Phrase("a blank line must come before each cue"), WARNING))
        cue = _cue(path, number, timing, text, True, problems)
        if cue is not None:
            cues.append(cue)
    return cues, problems


def reading_length(text: str) -> int:
    """The characters a reader reads in a cue: no line breaks, no combining marks (Greek
    accents, Arabic vowels are read with their letter)."""
    return sum(1 for ch in text if ch != "\n" and not unicodedata.combining(ch))


def readability(path: Path, cues: list[Cue]) -> list[SubtitleProblem]:
    """Warnings for cues shown too briefly or too fast to read (MIN_CUE_MS, MAX_CHARS_PER_SECOND)."""
    problems: list[SubtitleProblem] = []
    for cue in cues:
        length = cue.end_ms - cue.start_ms
        chars = reading_length(cue.text)
        if length < MIN_CUE_MS:
            problems.append(SubtitleProblem(path, cue.line, Phrase(
                "the cue shows for %(seconds)s s: give it at least %(least)s s so visitors can "
                "read it", seconds=f"{length / 1000:.2f}", least=f"{MIN_CUE_MS / 1000:.1f}"),
                WARNING, READABILITY))
        elif chars * 1000 > MAX_CHARS_PER_SECOND * length:
            problems.append(SubtitleProblem(path, cue.line, Phrase(
                "the cue has %(chars)s characters in %(seconds)s s (%(rate)s per second): at "
                "most %(most)s per second can be read; lengthen it or split the text",
                chars=str(chars), seconds=f"{length / 1000:.2f}",
                rate=f"{chars * 1000 / length:.1f}", most=str(MAX_CHARS_PER_SECOND)),
                WARNING, READABILITY))
    return problems


def parse_subtitles(
    text: str, path: Path, fmt: str | None = None
) -> tuple[list[Cue], list[SubtitleProblem]]:
    """Parse WebVTT or SRT text (format from fmt, the suffix or the first line)."""
    path = Path(path)
    text = (text.removeprefix("\ufeff").replace("\0", "\ufffd")
            .replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in ("vtt", "srt"):
        fmt = "vtt" if text.startswith("WEBVTT") else "srt"
    cues, problems = (_parse_vtt if fmt == "vtt" else _parse_srt)(path, lines)
    if not cues and not any(p.severity == ERROR for p in problems):
        problems.append(SubtitleProblem(path, 1, Phrase("the file has no cues")))
    cues.sort(key=lambda c: (c.start_ms, c.end_ms))
    return cues, problems


def _read(path: Path) -> tuple[str | None, list[SubtitleProblem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [SubtitleProblem(Path(path), 0, Phrase("cannot read the file: %(problem)s",
                                                       problem=str(exc.strerror)))]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [SubtitleProblem(Path(path), line, Phrase("the file is not UTF-8 text"))]


def check_subtitles(path: Path) -> list[SubtitleProblem]:
    """Every problem in a subtitle file (empty when it is fine); for the validator."""
    text, problems = _read(path)
    if text is None:
        return problems
    cues, problems = parse_subtitles(text, path)
    return sorted(problems + readability(Path(path), cues), key=lambda p: p.line)


def load_subtitles(path: Path) -> Subtitles:
    """Read a WebVTT or SRT file, keeping its good cues (a bad cue is logged with its line);
    raises SubtitleError naming file and line when nothing in it can be shown."""
    text, problems = _read(path)
    cues: list[Cue] = []
    if text is not None:
        cues, problems = parse_subtitles(text, path)
    errors = [p for p in problems if p.severity == ERROR]
    if not cues:
        raise SubtitleError(Path(path), errors or problems)
    if errors:
        log.warning("%s: %d bad cues left out, the first at line %d: %s", path, len(errors),
                    errors[0].line, errors[0].message)
    return Subtitles(cues)


class Subtitles:
    """Cues in time order, with a fast lookup of what to show at a playback position."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = sorted(cues, key=lambda c: (c.start_ms, c.end_ms))
        self._starts = [c.start_ms for c in self.cues]
        self._max_end: list[int] = []
        running = -1
        for cue in self.cues:
            running = max(running, cue.end_ms)
            self._max_end.append(running)

    def __len__(self) -> int:
        return len(self.cues)

    def active_at(self, t_ms: int) -> list[Cue]:
        """Every cue showing at t_ms (overlapping cues are allowed in WebVTT)."""
        i = bisect.bisect_right(self._starts, t_ms) - 1
        found: list[Cue] = []
        while i >= 0 and self._max_end[i] > t_ms:
            if self.cues[i].end_ms > t_ms:
                found.append(self.cues[i])
            i -= 1
        found.reverse()
        return found

    def cue_at(self, t_ms: int) -> Cue | None:
        """The latest-starting cue showing at t_ms, or None between cues."""
        active = self.active_at(t_ms)
        return active[-1] if active else None

    def text_at(self, t_ms: int) -> str:
        """The text to show at t_ms ('' between cues); overlapping cues on separate lines."""
        return "\n".join(c.text for c in self.active_at(t_ms))

    def transcript(self) -> str:
        """All cue texts in order, one paragraph each: the fallback when video cannot play."""
        return "\n\n".join(c.text for c in self.cues if c.text)


class SubtitleCache:
    """Parsed subtitle files keyed by file, mtime and size (they are small: no budget)."""

    def __init__(self) -> None:
        self._items: dict[FileKey, Subtitles] = {}

    def peek(self, key: FileKey) -> Subtitles | None:
        """The parsed subtitles for key, or None."""
        return self._items.get(key)

    def put(self, key: FileKey, subtitles: Subtitles) -> None:
        """Store parsed subtitles."""
        self._items[key] = subtitles

    def get(self, path: Path) -> Subtitles:
        """The parsed subtitles for path, parsing now if not cached; raises SubtitleError."""
        key = file_key(path)
        subs = self._items.get(key)
        if subs is None:
            subs = self._items[key] = load_subtitles(path)
        return subs

    def clear(self) -> None:
        """Forget every parsed file."""
        self._items.clear()
