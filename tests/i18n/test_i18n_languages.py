"""Each pack language's own name, direction and script, from CLDR through Babel."""

from __future__ import annotations

import pytest

from kiosk.i18n import LanguageInfo, UnknownLanguage, language_info, language_name
from kiosk.i18n.languages import pack_language

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


@pytest.mark.parametrize("code, meant", [
    ("gr", "el (Greek)"), ("dk", "da (Danish)"), ("ua", "uk (Ukrainian)"),
    ("jp", "ja (Japanese)"), ("cz", "cs (Czech)"),
])
def test_a_country_code_written_as_a_language_names_the_language_meant(code, meant):
    with pytest.raises(UnknownLanguage, match="is not a language code") as err:
        pack_language(code)
    assert err.value.hint == f"did you mean {meant}?"


@pytest.mark.parametrize("code, meant", [
    ("prs", "fa-AF (Persian (Afghanistan))"), ("iw", "he (Hebrew)"), ("tl", "fil (Filipino)"),
])
def test_an_old_code_names_the_code_cldr_uses(code, meant):
    with pytest.raises(UnknownLanguage, match="old code") as err:
        pack_language(code)
    assert err.value.hint == f"did you mean {meant}?"


@pytest.mark.parametrize("code", ["xx", "zz", "und", "qaa", "abc", "root", "en-XX", ""])
def test_codes_that_name_no_language_are_refused(code):
    with pytest.raises(UnknownLanguage):
        pack_language(code)


@pytest.mark.parametrize("code", ["sv", "el", "ar", "fa-AF", "pt-BR", "sr-Latn", "pa", "se"])
def test_real_languages_pass_as_written(code):
    assert pack_language(code).code == code


@pytest.mark.parametrize("code, name", [
    ("ka", "ქართული"),  # Georgian: Mtavruli capitals never start a word
    ("pa", "ਪੰਜਾਬੀ"), ("ti", "ትግርኛ"), ("th", "ไทย"), ("ar", "العربية"), ("he", "עברית"),
    ("ta", "தமிழ்"), ("chr", "ᏣᎳᎩ"), ("el", "Ελληνικά"),
])
def test_endonyms_in_scripts_without_title_case_are_exactly_cldrs(code, name):
    assert language_info(code).name_in_itself == name
