"""The figures rule (ETHICS.md rule 12) in Arabic and Farsi: Arabic-Indic digits (٠-٩), their
Extended forms (۰-۹) and the Arabic percent sign ٪ are figures like 0-9 and %."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY

STORY = "stories/ana.yaml"


def warned(pack, sentence: str) -> bool:
    pack.edit(STORY, "en: The friend is worried.", f'en: "{sentence}"')
    loaded = load_pack(pack.root, today=TODAY)
    return any(f.code == "statistic-without-source" for f in loaded.findings)


@pytest.mark.parametrize("sentence", [
    "٤٥٪ من الضحايا",  # 45% of the victims, Arabic-Indic digits
    "۴۵٪ از قربانیان",  # the same in Farsi, Extended Arabic-Indic digits
    "45٪ من الضحايا",  # Western digits, Arabic percent sign
    "١٬٢٠٠ شخص",  # 1,200 people, Arabic thousands separator
    "۲۷٫۶ میلیون نفر",  # 27.6 million people, Farsi
])
def test_arabic_and_farsi_figures_need_a_source(pack, sentence):
    assert warned(pack, sentence)


@pytest.mark.parametrize("sentence", [
    "في عام ٢٠٢٣",  # in the year 2023
    "عمرها ١٩ سنة",  # she is 19
    "ساعت ۶",  # six o'clock
])
def test_years_and_small_numbers_in_arabic_digits_are_not_statistics(pack, sentence):
    assert not warned(pack, sentence)
