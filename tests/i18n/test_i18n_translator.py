"""A screen asks a Translator for its strings: language, pack overrides, fallback, plurals."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.i18n import Catalogs, check_overrides
from kiosk.i18n import strings as S
from kiosk.i18n.files import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


@pytest.mark.parametrize(("lang", "expected"), [
    ("sv", "Avsluta nu"), ("en", "Leave now"), ("it", "Esci subito"),
    ("lv", "Iziet tūlīt"), ("el", "Έξοδος τώρα"), ("ar", "خروج فوري"),
])
def test_leave_now_in_each_language(catalogs, lang, expected):
    assert catalogs.translator(lang).gettext(S.LEAVE_NOW) == expected


def test_region_code_uses_the_language_catalogue(catalogs):
    assert catalogs.translator("sv-FI").gettext(S.START) == "Börja"
    assert catalogs.translator("ar_EG").gettext(S.HELP) == "مساعدة"


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("en", 1, "Returning to the start in 1 second"),
    ("en", 0, "Returning to the start in 0 seconds"),
    ("sv", 1, "Går tillbaka till början om 1 sekund"),
    ("sv", 10, "Går tillbaka till början om 10 sekunder"),
    ("lv", 1, "Atgriešanās sākumā pēc 1 sekundes"),
    ("lv", 21, "Atgriešanās sākumā pēc 21 sekundes"),
    ("lv", 11, "Atgriešanās sākumā pēc 11 sekundēm"),
    ("lv", 5, "Atgriešanās sākumā pēc 5 sekundēm"),
    ("el", 1, "Επιστροφή στην αρχή σε 1 δευτερόλεπτο"),
    ("el", 7, "Επιστροφή στην αρχή σε 7 δευτερόλεπτα"),
    ("it", 1, "Si torna all’inizio tra 1 secondo"),
    ("it", 30, "Si torna all’inizio tra 30 secondi"),
    ("ar", 1, "العودة إلى البداية خلال ثانية واحدة"),
    ("ar", 2, "العودة إلى البداية خلال ثانيتين"),
    ("ar", 5, "العودة إلى البداية خلال 5 ثوانٍ"),
    ("ar", 15, "العودة إلى البداية خلال 15 ثانية"),
])
def test_countdown_takes_the_right_plural_form(catalogs, lang, n, expected):
    assert catalogs.translator(lang).plural(S.RETURNING_IN, n, seconds=n) == expected


def test_numbers_and_dates_are_written_the_language_s_way(catalogs):
    day = dt.date(2026, 3, 12)
    assert catalogs.translator("en").gettext(S.LAST_VERIFIED, date=day) == \
        "Last verified March 12, 2026"
    assert catalogs.translator("sv").gettext(S.LAST_VERIFIED, date=day) == \
        "Senast kontrollerad 12 mars 2026"
    assert catalogs.translator("el").gettext(S.LAST_VERIFIED, date=day) == \
        "Τελευταίος έλεγχος: 12 Μαρτίου 2026"
    it_text = catalogs.translator("it").plural(S.EVENTS_WAITING, 1500, count=1500)
    assert it_text == "1.500 eventi in attesa di invio"
    # Farsi has its own digits; with no Farsi catalogue the text is English, the digits not.
    assert catalogs.translator("fa").format_value(42) == "۴۲"


def test_pack_override_wins_in_its_language_only(catalogs):
    overrides = {"Touch to begin": {"sv": "Tryck här", "en": "Tap to start"}}
    assert catalogs.translator("sv", overrides).gettext(S.TOUCH_TO_BEGIN) == "Tryck här"
    assert catalogs.translator("en", overrides).gettext(S.TOUCH_TO_BEGIN) == "Tap to start"
    assert catalogs.translator("it", overrides).gettext(S.TOUCH_TO_BEGIN) == "Tocca per iniziare"


def test_language_without_catalogue_uses_pack_then_english(catalogs):
    overrides = {"Start": {"ro": "Începe"}, "Help": {"en": "Get help"}}
    tr = catalogs.translator("ro", overrides)
    assert tr.gettext(S.START) == "Începe"
    assert tr.gettext(S.HELP) == "Get help"  # the pack's English beats the English catalogue
    assert tr.gettext(S.BACK) == "Back"
    assert tr.has(S.START) and not tr.has(S.BACK)


def test_plural_override_uses_the_pack_language_s_rule(catalogs):
    overrides = {"{count} visitor": {"ro": ["{count} vizitator", "{count} vizitatori",
                                             "{count} de vizitatori"]}}
    tr = catalogs.translator("ro", overrides)
    assert tr.plural(S.VISITORS, 1, count=1) == "1 vizitator"
    assert tr.plural(S.VISITORS, 3, count=3) == "3 vizitatori"
    assert tr.plural(S.VISITORS, 25, count=25) == "25 de vizitatori"


def test_broken_override_falls_through_with_a_log_line(catalogs, caplog):
    overrides = {"Last verified {date}": {"sv": "Kontrollerad {datum}"}}
    tr = catalogs.translator("sv", overrides)
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n.catalogs"):
        text = tr.gettext(S.LAST_VERIFIED, date=dt.date(2026, 1, 5))
    assert text == "Senast kontrollerad 5 januari 2026"
    assert "cannot be filled" in caplog.text


def test_unknown_message_comes_back_as_itself_and_is_logged_once(catalogs, caplog):
    tr = catalogs.translator("lv")
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n.catalogs"):
        first = tr.gettext("Not a real string {x}", x=3)
        second = tr.gettext("Not a real string {x}", x=3)
        missing_value = tr.gettext("Hello {name}")
    assert first == second == "Not a real string 3"
    assert missing_value == "Hello {name}"
    assert caplog.text.count("Not a real string") == 1


def test_catalogue_is_reread_when_the_file_changes(tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir)
    catalogs = Catalogs(locale_dir)
    assert catalogs.translator("sv").gettext(S.START) == "Börja"
    po = locale_dir / "sv" / "LC_MESSAGES" / "kiosk.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Börja"', 'msgstr "Starta"'),
                  encoding="utf-8")
    stat = po.stat()
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert catalogs.translator("sv").gettext(S.START) == "Starta"


def test_unreadable_catalogue_falls_back_to_english(tmp_path, caplog):
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir)
    po = locale_dir / "it" / "LC_MESSAGES" / "kiosk.po"
    po.write_bytes(b'msgid "Start"\nmsgstr "Inizia\n\xff\xfe garbage "')
    with caplog.at_level(logging.ERROR, logger="kiosk.i18n.catalogs"):
        tr = Catalogs(locale_dir).translator("it")
    assert tr.gettext(S.START) == "Start"
    assert "cannot be read" in caplog.text


def test_check_overrides_speaks_plainly():
    problems = check_overrides({
        "Strat": {"sv": "Börja"},
        "Last verified {date}": {"sv": "Kontrollerad {datum}", "xx-nope": "?"},
        "{count} visitor": {"lv": ["{count} apmeklētāji", "{count} apmeklētājs"]},
        "Help": {"el": ["Βοήθεια"]},
    })
    text = "\n".join(problems)
    assert "“Strat” is not a kiosk interface string (did you mean “Start”?)" in text
    assert "in sv translation has unknown placeholder(s) {datum}" in text
    assert "unknown language code 'xx-nope'" in text
    assert "in lv has 2 plural form(s); lv needs 3" in text
    assert "“Help” in el: expected text, got list" in text
    assert check_overrides({"Start": {"sv": "Kör", "ro": "Începe"}}) == []
    assert check_overrides(["not", "a", "mapping"]) != []


def test_package_imports_without_pygame_or_flask():
    code = (
        "import sys\n"
        "for name in ('pygame', 'flask', 'flask_babel'): sys.modules[name] = None\n"
        "from kiosk.i18n import Catalogs, language_info, strings as S\n"
        "print(Catalogs().translator('el').gettext(S.HELP), language_info('ar').direction)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["Βοήθεια", "rtl"]


def test_digit_table_is_unicode_s_digits():
    import unicodedata

    from kiosk.i18n.catalogs import _DIGIT_ZERO
    for system, zero in _DIGIT_ZERO.items():
        assert [unicodedata.digit(chr(zero + i)) for i in range(10)] == list(range(10)), system
