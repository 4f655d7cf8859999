"""Each pack language's own name, direction and script, from CLDR through Babel."""

from __future__ import annotations

import pytest

from kiosk.i18n import LanguageInfo, UnknownLanguage, language_info, language_name

EXPECTED = {
    "sv": ("Svenska", "Swedish", "ltr", "Latn"),
    "en": ("English", "English", "ltr", "Latn"),
    "it": ("Italiano", "Italian", "ltr", "Latn"),
    "lv": ("Latviešu", "Latvian", "ltr", "Latn"),
    "el": ("Ελληνικά", "Greek", "ltr", "Grek"),
    "ar": ("العربية", "Arabic", "rtl", "Arab"),
    "ro": ("Română", "Romanian", "ltr", "Latn"),
    "ru": ("Русский", "Russian", "ltr", "Cyrl"),
    "fa": ("فارسی", "Persian", "rtl", "Arab"),
    "th": ("ไทย", "Thai", "ltr", "Thai"),
    "ti": ("ትግርኛ", "Tigrinya", "ltr", "Ethi"),
    "tr": ("Türkçe", "Turkish", "ltr", "Latn"),
    "uk": ("Українська", "Ukrainian", "ltr", "Cyrl"),
    "he": ("עברית", "Hebrew", "rtl", "Hebr"),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_language_metadata(code):
    name, english, direction, script = EXPECTED[code]
    assert language_info(code) == LanguageInfo(code, name, english, direction, script)


def test_rtl_property():
    assert language_info("ar").rtl and language_info("fa").rtl
    assert not language_info("el").rtl


def test_explicit_script_and_region_are_respected():
    assert language_info("sr_Latn").script == "Latn"
    assert language_info("sr").script == "Cyrl"
    assert language_info("az").name_in_itself == "Azərbaycan"
    assert language_info("pt-BR").english_name == "Portuguese (Brazil)"
    assert language_info("pa_PK").script == "Arab"  # Punjabi in Pakistan: Shahmukhi


def test_greek_name_is_not_recased():
    """CLDR's own spelling, accent included: no code-made capital letters in Greek."""
    assert language_info("el").name_in_itself == "Ελληνικά"


@pytest.mark.parametrize("bad", ["xx", "", "not a code", "12"])
def test_unknown_code_is_a_clear_error(bad):
    with pytest.raises(UnknownLanguage, match="unknown language code"):
        language_info(bad)


def test_language_name_inside_a_sentence():
    assert language_name("en", "sv") == "engelska"
    assert language_name("en", "it") == "inglese"
    assert language_name("sv", "ar") == "السويدية"
