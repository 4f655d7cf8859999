"""Which texts state a figure that needs a source (ETHICS.md: numbers have sources)."""

from __future__ import annotations

import pytest

from kiosk.content.figures import has_statistic


@pytest.mark.parametrize("text, expected", [
    ("300 arbetare på fabriken", True),     # a bare number of three digits
    ("99 luftballons", False),              # two digits: a count in a story, not a figure
    ("Det var 2023.", False),               # a year
    ("1850 kom hon hit", False),            # a year of the 19th century
    ("2150 personer", True),                # four digits that are no year
    ("300, 40 av dem barn", True),          # three digits, a comma, then more words
    ("12,500 victims", True),               # thousands separator
    ("45 %", True),
    ("3 miljoner människor", True),         # a magnitude word
    ("Hon var 22 år.", False),
])
def test_a_figure_is_told_from_an_ordinary_number(text, expected):
    assert has_statistic(text) is expected
