"""Cue text to plain text: markup dropped, character references decoded, in one pass.

Follows the W3C WebVTT cue text tokenizer (https://www.w3.org/TR/webvtt1/#cue-text-parsing-rules)
for what a tag is: from `<` to the next `>`, whatever is inside (`<v Mara>`, `</i>`,
`<c.loud>`, `<00:01.000>`). One deliberate difference, as in HTML's tokenizer: a `<` opens a
tag only when a letter, `/` or digit follows it and a `>` comes later in the cue; otherwise it
is text. The spec would swallow "Price < 5 euro, age > 18" up to the `>`, and an author who
wrote that meant the words. SRT's `{\\an8}` overrides are dropped the same way.

Every character is looked at once (`find` moves forward only, the last `>` and `}` are found
once), so no input is slower than linear; the old regex rescanned to the end of the cue from
every `<` without a `>`.
"""

from __future__ import annotations

import html
import re

# Where markup may start: `<` before a letter, `/` or digit (a tag), and in SRT `{\` too.
_MARKUP_VTT = re.compile(r"<(?=[A-Za-z0-9/])")
_MARKUP_SRT = re.compile(r"<(?=[A-Za-z0-9/])|\{\\")
_NUMERIC_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+));?")
# Seven significant digits already exceed U+10FFFF in either base; int() of thousands of
# digits raises in Python 3.11+, so a longer reference is not converted at all.
_MAX_REF_DIGITS = 7


def _oversized_ref(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2) or ""
    # Beyond Unicode, as HTML decodes it; a smaller reference is left for html.unescape.
    return "\ufffd" if len(digits) > _MAX_REF_DIGITS else match.group(0)


def decode_references(text: str) -> str:
    """Text with HTML character references (&amp; &lt; &#233; &nbsp;) decoded, once."""
    if "&" not in text:
        return text
    return html.unescape(_NUMERIC_REF.sub(_oversized_ref, text))


def plain_text(raw: str, srt: bool = False) -> str:
    """The words of a cue: tags (and SRT's {\\...} overrides) dropped, references decoded."""
    markup = _MARKUP_SRT if srt else _MARKUP_VTT
    last_gt = raw.rfind(">")
    last_brace = raw.rfind("}") if srt else -1
    end = max(last_gt, last_brace)  # markup starting after this cannot be closed: text
    pieces: list[str] = []
    text_start = i = 0
    while (found := markup.search(raw, i, end)) is not None:
        j = found.start()
        if raw[j] == "<":
            closes = raw.find(">", j) if j < last_gt else -1
        else:
            closes = raw.find("}", j) if j < last_brace else -1
        if closes < 0:
            i = j + 1  # an opener that nothing closes is text; go on after it
            continue
        pieces.append(decode_references(raw[text_start:j]))
        text_start = i = closes + 1
    pieces.append(decode_references(raw[text_start:]))
    # ASCII whitespace only: a no-break space an author put at an edge is meant.
    return "".join(pieces).strip(" \t\n\f")
