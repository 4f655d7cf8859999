"""A developer adds a string to a screen: extract, update, and the check names what is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.cli import main as kiosk_main
from kiosk.i18n import check_catalogues, template_messages
from kiosk.i18n.checks import catalogue_languages
from kiosk.i18n.files import LOCALE_DIR, PACKAGE_DIR
from kiosk.i18n.maintain import extract, init, update

ROOT = Path(__file__).resolve().parents[2]


def test_new_string_flows_into_every_catalogue_and_is_reported(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(PACKAGE_DIR / "strings.py", source / "strings.py")
    (source / "screen.py").write_text(
        "def draw(tr, n):\n"
        "    tr.gettext('Brand new button')\n"
        "    tr.ngettext('{n} new thing', '{n} new things', n, n=n)\n", encoding="utf-8")
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir)
    template = extract(output=locale_dir / "kiosk.pot", source=source)
    assert template_messages(template)["{n} new thing"].plural == "{n} new things"
    update(locale_dir=locale_dir, template=template)
    problems = check_catalogues(locale_dir, template)
    languages = catalogue_languages(locale_dir)
    assert len(problems) == 2 * len(languages)
    assert all("is not translated" in p or "has an empty plural form" in p for p in problems)
    assert any("Brand new button" in p and "/ar/" in p for p in problems)


def test_init_adds_a_language_with_cldr_plural_forms(tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir)
    po = init("ru", locale_dir=locale_dir, template=LOCALE_DIR / "kiosk.pot")
    assert "nplurals=3" in po.read_text(encoding="utf-8")
    problems = check_catalogues(locale_dir)
    assert problems and all("/ru/" in p for p in problems)


def test_kiosk_command_checks_the_shipped_catalogues(capsys):
    assert kiosk_main(["ui-strings", "check"]) == 0
    assert "every catalogue translates every interface string" in capsys.readouterr().out


def test_python_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "kiosk.i18n", "check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
