"""Case changes: never Greek, Turkish dotted and dotless i, and screens use the helpers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.i18n import case

ROOT = Path(__file__).resolve().parents[2]
# Folders whose code puts text on the screen.
SCREEN_DIRS = ["kiosk/scenes", "kiosk/ui"]
CASE_METHODS = {"upper", "title", "capitalize", "swapcase"}
ALLOW_MARK = "# case-ok"


@pytest.mark.parametrize("func", [case.upper, case.lower, case.title, case.capitalize_first])
def test_greek_is_left_alone(func):
    for text in ["Έξοδος τώρα", "ΟΔΟΣ", "ἀρχή", "Story: Ιστορία"]:
        assert func(text, "en") == text
        assert func(text, "el") == text


@pytest.mark.parametrize("func", [case.upper, case.lower, case.title, case.capitalize_first])
def test_greek_is_refused_when_strict(func):
    with pytest.raises(case.CaseChangeRefused, match="Greek"):
        func("Έξοδος", "el", strict=True)
    with pytest.raises(case.CaseChangeRefused):
        func("Latin text", "el", strict=True)  # the language alone is enough


def test_greek_casefold_is_for_comparing():
    assert case.casefold("ΟΔΟΣ", "el") == case.casefold("οδος", "el") == "οδοσ"


def test_turkish_dotted_and_dotless_i():
    assert case.upper("istanbul ılık", "tr") == "İSTANBUL ILIK"
    assert case.lower("İSTANBUL ILIK", "tr") == "istanbul ılık"
    assert case.title("istanbul ılık", "tr") == "İstanbul Ilık"
    assert case.capitalize_first("izmir", "az") == "İzmir"
    assert case.casefold("DİYARBAKIR", "tr-TR") == "diyarbakır"
    # Outside Turkish and Azerbaijani the default mapping applies.
    assert case.upper("istanbul", "en") == "ISTANBUL"
    assert case.lower("I", "en") == "i"


def test_other_rules():
    assert case.upper("straße", "de") == "STRASSE"
    assert case.title("ijsland en ijmuiden", "nl") == "IJsland En IJmuiden"
    assert case.title("they're here", "en") == "They're Here"  # not str.title's They'Re
    assert case.capitalize_first("  svenska språket", "sv") == "  Svenska språket"
    assert case.capitalize_first("", "sv") == ""
    assert case.upper("العربية", "ar") == "العربية"
    assert case.upper("ไทย", "th") == "ไทย"


@given(st.text())
def test_greek_text_never_changes(text):
    greek = "α" + text
    for func in (case.upper, case.lower, case.title, case.capitalize_first):
        assert func(greek, "en") == greek


@given(st.text(alphabet=st.characters(codec="latin-1")))
def test_latin_outside_turkish_matches_python(text):
    assert case.upper(text, "sv") == text.upper()
    assert case.lower(text, "sv") == text.lower()


def find_raw_case_calls(source: str, filename: str = "<source>") -> list[str]:
    """Lines where code calls str.upper() and friends without the allow mark."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in CASE_METHODS and not node.args):
            line = lines[node.lineno - 1]
            if ALLOW_MARK not in line:
                found.append(f"{filename}:{node.lineno}: {line.strip()}")
    return found


def test_finder_catches_raw_upper():
    src = "title = label.upper()\nkey = code.upper()  # case-ok: an id, not text\n"
    assert find_raw_case_calls(src) == ["<source>:1: title = label.upper()"]


def test_screens_change_case_only_through_the_helpers():
    """Screens must call kiosk.i18n.case, never str.upper() on content (Greek, Turkish)."""
    offenders = []
    for folder in SCREEN_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            offenders += find_raw_case_calls(path.read_text(encoding="utf-8"),
                                             str(path.relative_to(ROOT)))
    assert offenders == [], ("use kiosk.i18n.case (or mark a non-text id with "
                             f"'{ALLOW_MARK}'):\n" + "\n".join(offenders))
