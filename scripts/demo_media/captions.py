"""WebVTT captions from the spoken sentences, timed so every cue can be read.

A sentence's cue runs from the start of its speech to the start of the next sentence (the
pause is reading time too); a long sentence is split into cues of at most two lines, sharing
that time by their length. Then the kiosk's readability norms (`kiosk.media.subtitles`:
at least MIN_CUE_MS on screen, at most MAX_CHARS_PER_SECOND) are met: a cue too short or too
fast is joined with a neighbour when the two fit in two lines, else it borrows time from the
cues around it that can spare some (the caption then leads or trails its words a little).
No cue starts before the first word or ends after the last.
"""

from __future__ import annotations

from kiosk.media.subtitles import MAX_CHARS_PER_SECOND, MIN_CUE_MS, reading_length

LINE = 42  # characters per caption line, two lines per cue at most
NORMS = (LINE, MIN_CUE_MS, MAX_CHARS_PER_SECOND)  # in the captions' hash: a change remakes them
_MARGIN_MS = 10  # stays readable after rounding to milliseconds

Cue = list  # [start_ms, end_ms, text], mutable while timing


def _chunks(sentence: str) -> list[str]:
    """Split a long sentence into pieces of at most two caption lines, at word boundaries."""
    words, pieces, cur = sentence.split(), [], ""
    for word in words:
        if cur and len(cur) + 1 + len(word) > 2 * LINE:
            pieces.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    pieces.append(cur)
    return pieces


def _lines(piece: str) -> str:
    if len(piece) <= LINE:
        return piece
    words = piece.split()
    best = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])),
                                                       len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _stamp(ms: int) -> str:
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _need(text: str) -> int:
    """The milliseconds a cue must show to be read."""
    return max(MIN_CUE_MS, -(-reading_length(text) * 1000 // MAX_CHARS_PER_SECOND)) + _MARGIN_MS


def _short(cue: Cue) -> int:
    """How many milliseconds the cue lacks (0 when it can be read)."""
    return max(0, _need(cue[2]) - (cue[1] - cue[0]))


def _pieces(sentences: list[tuple[float, float, str]]) -> list[Cue]:
    """Cues covering each sentence's speech and the pause after it, split at two lines."""
    out: list[Cue] = []
    for k, (start, end, sentence) in enumerate(sentences):
        stop = sentences[k + 1][0] if k + 1 < len(sentences) else end
        a, b = round(start * 1000), round(stop * 1000)
        pieces = _chunks(sentence)
        total = sum(len(p) for p in pieces)
        done = 0
        for piece in pieces:
            t = a + (b - a) * done // total
            done += len(piece)
            out.append([t, a + (b - a) * done // total, piece])
    return out


def _join(cues: list[Cue]) -> bool:
    """Join one unreadable cue with the neighbour that makes it readable; True if joined."""
    for i, cue in enumerate(cues):
        if not _short(cue):
            continue
        options = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(cues):
                first, second = sorted((i, j))
                text = f"{cues[first][2]} {cues[second][2]}"
                if len(text) <= 2 * LINE:
                    merged = [cues[first][0], cues[second][1], text]
                    options.append((_short(merged) > 0, len(text), first, merged))
        if options:
            _, _, first, merged = min(options)
            cues[first:first + 2] = [merged]
            return True
    return False


def _borrow(cues: list[Cue]) -> None:
    """Move the boundaries between the (back to back) cues as little as it takes for each to
    have its reading time: forward, a boundary moves later until the cue before it has its
    time; backward from the last word, earlier until the cue after it has its time."""
    bounds = [cue[0] for cue in cues] + [cues[-1][1]]
    needs = [_need(cue[2]) for cue in cues]
    if sum(needs) > bounds[-1] - bounds[0]:
        return  # too much text for the time: left as spoken, and `kiosk check` says so
    for k, need in enumerate(needs[:-1]):
        bounds[k + 1] = max(bounds[k + 1], bounds[k] + need)
    bounds[-1] = cues[-1][1]
    for k in range(len(needs) - 1, 0, -1):
        bounds[k] = min(bounds[k], bounds[k + 1] - needs[k])
    for k, cue in enumerate(cues):
        cue[0], cue[1] = bounds[k], bounds[k + 1]


def timed(sentences: list[tuple[float, float, str]]) -> list[tuple[int, int, str]]:
    """(start_ms, end_ms, text) caption cues for spoken (start, end, sentence) in seconds."""
    cues = _pieces(sentences)
    while _join(cues):
        pass
    _borrow(cues)
    return [(a, b, _lines(text)) for a, b, text in cues]


def webvtt(sentences: list[tuple[float, float, str]], offset: float = 0.0) -> str:
    """WebVTT text for the spoken sentences, shifted by offset seconds (a video's lead-in)."""
    shift = round(offset * 1000)
    out = ["WEBVTT", ""]
    for n, (a, b, text) in enumerate(timed(sentences), start=1):
        out += [str(n), f"{_stamp(a + shift)} --> {_stamp(b + shift)}", text, ""]
    return "\n".join(out)
