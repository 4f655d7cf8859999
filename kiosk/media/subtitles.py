"""WebVTT and SRT subtitles: parsed into cues with line numbers, looked up by time.

Our own small parser rather than pysubs2: pysubs2 reads both formats, but a broken timing line
silently becomes part of the previous cue's text (checked with pysubs2 1.8), and it reports no
line numbers. Authors need "file:line: what is wrong", and the validator and the kiosk must
read a file the same way, so both call this module.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.media.cache import FileKey, file_key
from kiosk.media.errors import MediaError

ERROR = "error"
WARNING = "warning"

_SRT_TIME = r"(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})"
_VTT_TIME = r"(?:(\d{1,}):)?(\d{2}):(\d{2})\.(\d{3})"
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s+.*)?$")
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+(.*))?$")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from start_ms (inclusive) to end_ms (exclusive)."""

    start_ms: int
    end_ms: int
    text: str
    line: int  # line of the timing line in the file, for messages


@dataclass(frozen=True)
class SubtitleProblem:
    """Something wrong in a subtitle file, with where it is."""

    path: Path
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class SubtitleError(MediaError):
    """A subtitle file cannot be used; carries every problem found."""

    def __init__(self, path: Path, problems: list[SubtitleProblem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(path, f"line {first.line}: {first.message}{more}")
        self.problems = problems


def _ms(h: str | None, m: str, s: str, frac: str) -> int:
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac.ljust(3, "0"))


def clean_text(raw: str) -> str:
    """Cue text without markup (<i>, <v Name>, {\\an8}) and with entities decoded."""
    return html.unescape(_TAG.sub("", raw)).strip()


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Split into blank-line separated blocks of (first line number, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _check_cue(path: Path, cue: Cue, problems: list[SubtitleProblem]) -> bool:
    if cue.end_ms <= cue.start_ms:
        problems.append(SubtitleProblem(path, cue.line, "the cue ends before it starts"))
        return False
    if not cue.text:
        problems.append(SubtitleProblem(path, cue.line, "the cue has no text", WARNING))
    return True


def _parse_srt(path: Path, lines: list[str]) -> tuple[list[Cue], list[SubtitleProblem]]:
    cues: list[Cue] = []
    problems: list[SubtitleProblem] = []
    for start, block in _blocks(lines):
        offset = 1 if block[0].strip().isdigit() else 0
        if offset >= len(block):
            problems.append(SubtitleProblem(path, start, "a cue number with no timing line"))
            continue
        timing = block[offset]
        match = _SRT_TIMING.match(timing)
        if not match:
            problems.append(SubtitleProblem(
                path, start + offset,
                f"expected a timing line like '00:00:01,000 --> 00:00:04,000', got {timing!r}"))
            continue
        g = match.groups()
        cue = Cue(_ms(*g[0:4]), _ms(*g[4:8]), clean_text("\n".join(block[offset + 1:])),
                  start + offset)
        if _check_cue(path, cue, problems):
            cues.append(cue)
    return cues, problems


def _parse_vtt(path: Path, lines: list[str]) -> tuple[list[Cue], list[SubtitleProblem]]:
    cues: list[Cue] = []
    problems: list[SubtitleProblem] = []
    if not lines or not re.match(r"^WEBVTT([ \t].*)?$", lines[0]):
        return [], [SubtitleProblem(path, 1, "a WebVTT file must start with the line 'WEBVTT'")]
    blocks = _blocks(lines)
    for start, block in blocks[1:] if blocks and blocks[0][0] == 1 else blocks:
        head = block[0]
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        offset = 0 if "-->" in head else 1
        if offset >= len(block) or "-->" not in block[offset]:
            problems.append(SubtitleProblem(
                path, start, f"a cue needs a timing line like '00:01.000 --> 00:04.000' "
                f"after {head!r}"))
            continue
        timing = block[offset]
        match = _VTT_TIMING.match(timing.strip())
        if not match:
            problems.append(SubtitleProblem(
                path, start + offset,
                f"expected a timing line like '00:01.000 --> 00:04.000', got {timing!r}"))
            continue
        g = match.groups()
        cue = Cue(_ms(*g[0:4]), _ms(*g[4:8]), clean_text("\n".join(block[offset + 1:])),
                  start + offset)
        if _check_cue(path, cue, problems):
            cues.append(cue)
    return cues, problems


def parse_subtitles(
    text: str, path: Path, fmt: str | None = None
) -> tuple[list[Cue], list[SubtitleProblem]]:
    """Parse WebVTT or SRT text (format from fmt, the suffix or the first line)."""
    path = Path(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in ("vtt", "srt"):
        fmt = "vtt" if text.startswith("WEBVTT") else "srt"
    cues, problems = (_parse_vtt if fmt == "vtt" else _parse_srt)(path, lines)
    if not cues and not any(p.severity == ERROR for p in problems):
        problems.append(SubtitleProblem(path, 1, "the file has no cues"))
    cues.sort(key=lambda c: (c.start_ms, c.end_ms))
    return cues, problems


def _read(path: Path) -> tuple[str | None, list[SubtitleProblem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [SubtitleProblem(Path(path), 0, f"cannot read the file: {exc.strerror}")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [SubtitleProblem(Path(path), line, "the file is not UTF-8 text")]


def check_subtitles(path: Path) -> list[SubtitleProblem]:
    """Every problem in a subtitle file (empty when it is fine); for the validator."""
    text, problems = _read(path)
    if text is None:
        return problems
    return parse_subtitles(text, path)[1]


def load_subtitles(path: Path) -> Subtitles:
    """Read a WebVTT or SRT file; raises SubtitleError naming file and line if it is broken."""
    text, problems = _read(path)
    if text is not None:
        cues, problems = parse_subtitles(text, path)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise SubtitleError(Path(path), errors)
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
