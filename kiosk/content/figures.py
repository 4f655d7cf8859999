"""Figures in a story's text that need a source (ETHICS.md rule 12: numbers have sources).

`has_statistic(text)` says whether a text states a figure: a percentage, a number with
thousands separators, a bare number of three or more digits that is not a year, or a number
with a magnitude word ("3 million", "45 per cent") in the touring and community languages, in
any script's digits. The validator warns where such a scene names no source.
"""

from __future__ import annotations

import re
import unicodedata

# a percentage, a number with thousands separators, or a bare number of 3+ digits that is
# not a year: the kinds of figures that need a source
_NUMBER_RE = re.compile(r"\d[\d.,\u00a0 ]*%?")
# words that make a number a statistic: magnitudes and "per cent" in the touring languages
_STAT_WORDS = re.compile(
    r"\d[\d.,\u00a0 ]*\s*(million|miljon|milion|miljoni|εκατομμ|billion|miljard|miliard|"
    r"δισεκατομμ|thousand|tusen|mila\b|tūkst|χιλιάδ|percent|per cent|procent|per cento|"
    r"procenti|τοις εκατό|مليون|مليار|ألف|بالمئة|في المئة|میلیون|میلیارد|هزار|درصد)",
    re.IGNORECASE)
# ARABIC PERCENT SIGN, THOUSANDS SEPARATOR and DECIMAL SEPARATOR
_ARABIC_SIGNS = str.maketrans({"\u066a": "%", "\u066c": ",", "\u066b": "."})
# a decimal digit of another script (٤ ۴ ४) or one of the Arabic signs above
_TO_MAP = re.compile(r"(?![0-9])\d|[\u066a\u066b\u066c]")
_GROUPED_RE = re.compile(r"^\d{1,3}(?:[ ,.\u00a0]\d{3})+")
_YEAR_RE = re.compile(r"^(1[89]|20)\d\d$")


def _western_digits(text: str) -> str:
    """Digits of any script as 0-9, and Arabic's percent sign and separators as % , ."""
    if not _TO_MAP.search(text):  # nearly every text: no walk character by character
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c
                   for c in text).translate(_ARABIC_SIGNS)


def has_statistic(text: str) -> bool:
    """A percentage, a number with thousands separators, or 3+ digits that are not a year."""
    text = _western_digits(text)  # ٤٥٪ and ۴۵٪ are 45%, ٢٠٢٣ is a year
    if _STAT_WORDS.search(text):
        return True
    for m in _NUMBER_RE.finditer(text):
        run = m.group(0).rstrip(" .,\u00a0")
        if run.endswith("%") or _GROUPED_RE.match(run):
            return True
        digits = run.split()[0].rstrip(".,")
        if len(digits) >= 3 and digits.isdigit() and not _YEAR_RE.match(digits):
            return True
    return False
