"""The admin speaks English, Swedish, Italian, Latvian and Greek; each user picks theirs."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from admin.i18n import LANGUAGES, SOURCE, compile_catalogues
from admin.models import Role
from tests.support.admin_pages import csrf_from

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated_with_its_placeholders(lang):
    template = {m.id for m in _catalog(SOURCE / "messages.pot") if m.id}
    catalog = _catalog(SOURCE / lang / "LC_MESSAGES" / "messages.po")
    translated = {m.id: m for m in catalog if m.id}
    assert template <= set(translated), f"{lang}: missing {template - set(translated)}"
    for mid, m in translated.items():
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(forms) and not m.fuzzy, f"{lang}: {mid!r} is untranslated or fuzzy"
        if isinstance(mid, tuple):
            assert len(forms) == catalog.num_plurals, f"{lang}: {mid[0]!r} plural forms"
            mid = mid[0]
        for form in forms:
            assert sorted(PLACEHOLDER.findall(mid)) == sorted(PLACEHOLDER.findall(form)), mid


def test_the_template_lists_every_string_in_the_code():
    """Each _("...") in the templates and code is in messages.pot (run pybabel extract)."""
    template = {m.id[0] if isinstance(m.id, tuple) else m.id
                for m in _catalog(SOURCE / "messages.pot") if m.id}
    admin = Path(SOURCE).parent
    found = set()
    for path in [*admin.rglob("*.html"), *admin.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\b(?:_l?|ngettext)\(\s*"((?:[^"\\]|\\.)+)"', text))
    assert found - template == set(), "re-extract: see admin/i18n.py"


def test_catalogues_compile_once_and_again_when_a_po_changes(tmp_path):
    assert len(compile_catalogues(tmp_path)) == len(LANGUAGES) - 1
    assert compile_catalogues(tmp_path) == []


def test_a_user_picks_greek_and_the_admin_answers_in_greek(as_role):
    c = as_role(Role.ADMINISTRATOR)
    token = csrf_from(c.get("/account/").get_data(as_text=True))
    assert c.post("/account/language", data={"csrf_token": token,
                                             "ui_language": "el"}).status_code == 302
    page = c.get("/users/").get_data(as_text=True)
    assert '<html lang="el">' in page
    assert "Λογαριασμοί προσωπικού" in page and "Αποσύνδεση" in page


@pytest.mark.parametrize("header,expected", [
    ("lv,en;q=0.5", "Pieteikties"), ("sv-SE", "Logga in"), ("it", "Accedi"),
    ("de,fr", "Log in"),
])
def test_before_login_the_browser_language_is_used(client, header, expected):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f"<h1>{expected}</h1>" in page


def test_password_errors_are_translated(as_role):
    c = as_role(Role.EDITOR)
    token = csrf_from(c.get("/account/").get_data(as_text=True))
    c.post("/account/language", data={"csrf_token": token, "ui_language": "sv"})
    token = csrf_from(c.get("/account/").get_data(as_text=True))
    from tests.support.admin_pages import PASSWORD

    r = c.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                          "password": "qwerty123456"})
    assert "ett av de vanligaste" in r.get_data(as_text=True)


@pytest.mark.parametrize("lang,minutes,expected", [
    ("el", 1, "1 λεπτό"), ("el", 15, "15 λεπτά"), ("lv", 21, "21 minūti"),
    ("lv", 15, "15 minūtes"), ("it", 1, "1 minuto"), ("sv", 15, "15 minuter"),
])
def test_the_lock_out_message_agrees_with_its_number(app, login, make_user, lang, minutes,
                                                     expected):
    app.config.update(LOGIN_FIRST_DELAY_SECONDS=60 * minutes, LOGIN_FAILURES_BEFORE_DELAY=1)
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    login(c, "nobody", "wrong password here")
    assert expected in login(c, "nobody", "wrong password here").get_data(as_text=True)
