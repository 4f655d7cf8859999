"""The interface catalogues are complete: every string, every language, every plural form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from kiosk.i18n import check_catalogues, strings, template_messages
from kiosk.i18n.checks import catalogue_languages
from kiosk.i18n.files import DOMAIN, LOCALE_DIR, TEMPLATE
from kiosk.i18n.maintain import extract

REQUIRED = ["sv", "en", "it", "lv", "el", "ar"]
PLURAL_COUNTS = {"sv": 2, "en": 2, "it": 3, "lv": 3, "el": 2, "ar": 6}


def _po(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _edit(path: Path, lang: str, change) -> None:
    """Read a .po with Babel, let `change(catalog)` alter it, write it back."""
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    change(catalog)
    with path.open("wb") as fh:
        write_po(fh, catalog)


@pytest.fixture
def locale_copy(tmp_path: Path) -> Path:
    """A scratch copy of the shipped catalogues, for breaking on purpose."""
    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target)
    return target


def test_required_languages_have_catalogues():
    assert set(REQUIRED) <= set(catalogue_languages())


def test_every_catalogue_translates_every_string():
    assert check_catalogues() == []


def test_template_matches_the_strings_in_the_source(tmp_path):
    """A string a screen uses but nobody extracted (or a stale one) fails here."""
    fresh = extract(output=tmp_path / "fresh.pot")
    ours = template_messages(TEMPLATE)
    theirs = template_messages(fresh)
    assert list(theirs) == list(ours), "run `kiosk ui-strings extract` then `update`"
    assert {k: v.plural for k, v in theirs.items()} == {k: v.plural for k, v in ours.items()}


def test_strings_module_and_template_agree():
    """Every constant in kiosk.i18n.strings is in the template, plurals as plurals."""
    ours = template_messages()
    for name in dir(strings):
        value = getattr(strings, name)
        if name.isupper() and isinstance(value, strings.Plural):
            assert ours[value.singular].plural == value.plural, name
        elif name.isupper() and isinstance(value, str):
            assert value in ours and ours[value].plural is None, name


@pytest.mark.parametrize("lang", REQUIRED)
def test_plural_forms_header_follows_cldr(lang):
    with _po(LOCALE_DIR, lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    assert catalog.num_plurals == PLURAL_COUNTS[lang]
    for message in catalog:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == PLURAL_COUNTS[lang]


def test_brief_strings_are_in_the_template():
    ours = template_messages()
    for msgid in ["Touch to begin", "Start", "Back", "Continue", "Leave now", "Help",
                  "Choose your language", "Choose a story", "Are you still there?",
                  "Returning to the start in {seconds} second", "{minutes} min", "Age {age}+",
                  "This story contains:", "Choose another story", "Skip this scene",
                  "Larger text", "Smaller text", "Sound on", "Sound off", "Play", "Pause",
                  "Replay", "Subtitles", "Fictional composite, based on real experiences",
                  "What helped", "What you can do", "Where to get help",
                  "Last verified {date}", "24/7", "Strongly disagree", "Strongly agree",
                  "How would you rate this story?", "Thank you for visiting.", "Enter PIN",
                  "Recording stopped: the disk is full", "Enter the session code",
                  "This code is not valid", "Session ended", "Show how other visitors chose",
                  "Fewer than {count} visitor", "This story is not available right now",
                  "Video unavailable"]:
        assert msgid in ours, msgid


def test_missing_string_is_reported(locale_copy):
    def drop(catalog):
        del catalog["Leave now"]
    _edit(_po(locale_copy, "sv"), "sv", drop)
    problems = check_catalogues(locale_copy)
    assert len(problems) == 1
    assert "sv" in problems[0] and "“Leave now” is missing" in problems[0]


def test_untranslated_fuzzy_and_lost_placeholder_are_reported(locale_copy):
    def breakit(catalog):
        catalog["Help"].string = ""
        catalog["Back"].flags.add("fuzzy")
        catalog["Last verified {date}"].string = "Pārbaudīts {datums}"
    _edit(_po(locale_copy, "lv"), "lv", breakit)
    text = "\n".join(check_catalogues(locale_copy))
    assert "“Help” is not translated" in text
    assert "“Back” is marked fuzzy" in text
    assert "unknown placeholder(s) {datums}" in text
    assert "lacks placeholder(s) {date}" in text


def test_incomplete_plural_forms_are_reported(locale_copy):
    key = ("{count} visitor", "{count} visitors")

    def cut(catalog):
        message = catalog[key]
        message.string = message.string[:3]
    _edit(_po(locale_copy, "ar"), "ar", cut)
    problems = check_catalogues(locale_copy)
    assert any("“{count} visitor” has an empty plural form" in p
               or "needs 6" in p for p in problems), problems


def test_plural_form_for_many_numbers_must_keep_the_number(locale_copy):
    """Arabic 'one' may say the number in words; its 'few' form (3-10) may not drop it."""
    key = ("{count} visitor", "{count} visitors")

    def drop_number(catalog):
        forms = list(catalog[key].string)
        forms[3] = "بضعة زوار"
        catalog[key].string = tuple(forms)
    _edit(_po(locale_copy, "ar"), "ar", drop_number)
    problems = check_catalogues(locale_copy)
    assert problems == [p for p in problems if "form 3 lacks placeholder(s) {count}" in p]
    assert len(problems) == 1


def test_greek_spelling_slips_are_reported(locale_copy):
    def slip(catalog):
        catalog["Back"].string = "Πίσω στις ιστοριεσ"
        catalog["Are you still there?"].string = "Είστε ακόμα εδώ?"
    _edit(_po(locale_copy, "el"), "el", slip)
    text = "\n".join(check_catalogues(locale_copy))
    assert "final sigma" in text
    assert "not '?'" in text


def test_copied_english_in_arabic_is_reported(locale_copy):
    def copy(catalog):
        catalog["Help"].string = "Help"
    _edit(_po(locale_copy, "ar"), "ar", copy)
    assert any("“Help”" in p and "no Arabic letters" in p for p in check_catalogues(locale_copy))


def test_stale_message_is_reported(locale_copy):
    def add(catalog):
        catalog.add("Old button", "Gammal knapp")
    _edit(_po(locale_copy, "sv"), "sv", add)
    assert any("“Old button” is no longer in the template" in p
               for p in check_catalogues(locale_copy))
