"""A pack's languages: only languages CLDR knows, written as CLDR writes them, in a script an
installed font draws; everything else is an error an author can act on."""

from __future__ import annotations

import pytest

from kiosk.content import load_pack
from tests.support.fixture_date import TODAY


def language_errors(pack, languages: str):
    pack.edit("pack.yaml", "languages: [sv, en]", f"languages: [sv, en, {languages}]")
    loaded = load_pack(pack.root, today=TODAY)
    return loaded, [f for f in loaded.findings if f.code == "bad-language"]


@pytest.mark.parametrize("code", ["xx", "zz", "und", "qaa", "abc", "gr", "dk", "ua", "jp",
                                  "cz", "prs", "iw", "en-XX"])
def test_a_language_cldr_does_not_know_fails_the_check(pack, code):
    loaded, errors = language_errors(pack, code)
    assert not loaded.ok
    assert len(errors) == 1 and errors[0].severity == "error"
    assert errors[0].file == "pack.yaml" and errors[0].line == 4
    assert f'"{code}"' in errors[0].message


def test_a_country_code_gets_the_language_it_probably_meant(pack):
    _, errors = language_errors(pack, "gr")
    assert errors[0].format() == (
        'pack.yaml:4:21: error: "gr" is not a language code: GR is the country code of '
        "Greece (did you mean el (Greek)?)")


@pytest.mark.parametrize("code, name", [("zh", "Chinese"), ("ja", "Japanese"),
                                        ("ko", "Korean"),
                                        ("zh-TW", "Chinese (Traditional, Taiwan)")])
def test_a_script_no_installed_font_draws_names_the_debian_package(pack, code, name):
    loaded, errors = language_errors(pack, code)
    assert not loaded.ok and len(errors) == 1
    assert errors[0].message.startswith(f"{name} (\"{code}\") cannot be shown: no installed font")
    assert "install Debian's fonts-noto-cjk on every kiosk" in errors[0].hint


@pytest.mark.parametrize("code", ["pa", "ta", "km", "ka", "ti", "ar", "fa-AF", "sr-Latn", "el"])
def test_languages_the_kiosk_can_name_and_draw_pass(pack, code):
    loaded, errors = language_errors(pack, code)
    assert errors == [] and loaded.ok
