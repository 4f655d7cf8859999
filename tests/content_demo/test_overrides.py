"""The demo pack's interface overrides and helplines: every override is a string the kiosk
really shows, given in every pack language; the helplines are ETHICS.md's, dated, not
claimed verified (issue "The demo pack")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kiosk.i18n import Catalogs, check_overrides, template_messages
from kiosk.i18n import strings as S
from kiosk.i18n.placeholders import placeholders
from tests.support.demo_pack import COUNTRIES, PACK

ETHICS = PACK.parents[1] / "shared" / "ETHICS.md"  # beside the repository, where the team keeps it


def interface_strings() -> set[str]:
    """Every plain (non-plural) interface string declared in kiosk/i18n/strings.py."""
    return {v for k, v in vars(S).items() if k.isupper() and isinstance(v, str)}


def test_every_override_is_a_kiosk_string_given_in_every_pack_language(pack):
    assert pack.strings, "the demo pack overrides some interface strings"
    msgids = set().union(*(table.keys() for table in pack.strings.values()))
    template = template_messages()
    declared = interface_strings()
    for msgid in msgids:
        assert msgid in declared and msgid in template, f"{msgid!r} is no kiosk string"
        assert template[msgid].plural is None, f"{msgid!r} is a plural: not overridable"
    assert set(pack.strings) == set(pack.languages)
    for lang in pack.languages:
        table = pack.strings[lang]
        assert set(table) == msgids, (lang, msgids - set(table))
        for msgid, text in table.items():
            assert text.strip() and placeholders(text) == placeholders(msgid), (lang, msgid)
            if lang != "en":
                assert text != msgid, (lang, msgid, "left in English")
    assert check_overrides(pack.string_overrides()) == []


def test_the_kiosk_shows_the_overrides_in_every_language(pack):
    catalogs = Catalogs()
    day = pack.helplines[0].verified
    for lang in pack.languages:
        tr = catalogs.translator(lang, pack.string_overrides())
        plain = catalogs.translator(lang)
        for msgid, text in pack.strings[lang].items():
            shown = tr.gettext(msgid, date=tr.format_value(day))
            assert shown == text.format(date=tr.format_value(day)), (lang, msgid)
            assert shown != plain.gettext(msgid, date=plain.format_value(day)), (lang, msgid)


def test_the_helplines_screen_claims_no_check_nobody_made(pack):
    """The numbers were copied from ETHICS.md, not called: `verified` holds the date they
    were taken, the pack says so, and the screen words it as the date of the information."""
    source = " ".join((PACK / "pack.yaml").read_text(encoding="utf-8").replace("#", "").split())
    assert "NOT VERIFIED BY PHONE" in source and "touring team must call every line" in source
    assert {h.verified for h in pack.helplines} == {dt.date(2026, 11, 28)}
    catalogs = Catalogs()
    for lang in pack.languages:
        shown = catalogs.translator(lang, pack.string_overrides()).gettext(S.LAST_VERIFIED,
                                                                          date="X")
        catalogue = catalogs.translator(lang).gettext(S.LAST_VERIFIED, date="X")
        assert shown != catalogue and "X" in shown, lang


# ETHICS.md's helpline table ("Helplines for the demo pack"), copied here so the check runs in
# any clone: (where, number). EU's 112 holds in every country of the tour.
ETHICS_HELPLINES = {
    ("EU", "112"), ("SE", "116 006"), ("SE", "020-50 50 50"), ("IT", "800 290 290"),
    ("IT", "1522"), ("LV", "116 006"), ("GR", "1109"), ("GR", "15900"),
}


def _per_country(rows) -> set[tuple[str, str]]:
    return {(c, n) for where, n in rows for c in (sorted(COUNTRIES) if where == "EU" else [where])}


def test_every_helpline_number_is_one_of_ethics_md(overlays):
    """The four overlays together carry ETHICS.md's table, each line where it is reachable."""
    listed = {(c, h.number) for loaded in overlays.values() for h in loaded.pack.helplines
              for c in h.countries}
    assert listed == _per_country(ETHICS_HELPLINES)


@pytest.mark.skipif(not ETHICS.is_file(), reason="ETHICS.md is not beside the repository")
def test_the_copy_of_the_ethics_table_is_current():
    rows = re.findall(r"^\| (EU|[A-Z]{2}) \| ([0-9 -]+) \|", ETHICS.read_text(encoding="utf-8"),
                      re.MULTILINE)
    assert {(where, n.strip()) for where, n in rows} == ETHICS_HELPLINES
