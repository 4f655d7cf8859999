"""Who may do what, written down from the roles' definitions (docs/admin.md, "Roles"), not read
from the `@allow(...)` declarations it checks: every route must appear here, and each role's
answer on it is checked against this table by requesting the route as that role.

The roles: administrator (staff accounts, the audit log, the server settings, kiosks'
registration; reads reports), curator (all content; activates packs; kiosks and their
imports), editor (stories and media), translator (text in their languages; reads the stories
and media they translate), pedagogue (their own school sessions and their results; reads reports
and the teacher's guide; curators also see and close any session), viewer (read-only: reports, stories, media, packs).
"""

import pytest

from admin.access import declaration
from admin.models import Role
from tests.support.admin_pages import route_url

A, C, E, T, P, V = (Role.ADMINISTRATOR, Role.CURATOR, Role.EDITOR, Role.TRANSLATOR,
                    Role.PEDAGOGUE, Role.VIEWER)
STAFF = "any staff"  # every role, after login
PUBLIC = "public"  # no login needed
TOKEN = "kiosk token"  # no staff session: the view checks a kiosk's token

READ_CONTENT = {C, E, T, V}  # reading stories, scenes, media, previews
EDIT_CONTENT = {C, E}  # changing stories and media
TRANSLATE = {C, E, T}  # translation pages (a translator's languages: checked in the view)
REPORTS = {A, C, E, P, V}  # anonymous visitor reports
SCHOOL = {P, C}  # a pedagogue's own sessions (another's: 404 in the view); curators see all

EXPECTED = {
    "account.index": STAFF, "account.language": STAFF, "account.password": STAFF,
    "api.events": TOKEN, "api.openapi": PUBLIC, "api.status": TOKEN,
    "audit.index": {A},
    "auth.login": PUBLIC, "auth.logout": STAFF,
    "home.health": PUBLIC, "home.index": STAFF,
    "help.page": STAFF, "help.screenshot": STAFF,  # the guides: for every staff member
    "kiosks.import_export": {A, C}, "kiosks.index": {A, C},
    "kiosks.register": {A}, "kiosks.revoke": {A}, "kiosks.enrolment_code": {A},
    "enrol.enrol": PUBLIC, "heartbeat.heartbeat": TOKEN,
    "fleet_health.venue_list": {A, C}, "fleet_health.venue_create": {A, C},
    "fleet_health.venue_update": {A, C}, "fleet_health.kiosk_page": {A, C},
    "fleet_health.kiosk_move": {A, C},
    "fleet.index": {A, C}, "fleet.publish": {A, C}, "fleet.assign_": {A, C},
    "fleet.release": {A, C}, "fleet.rollout_start": {A, C}, "fleet.rollout_next": {A, C},
    "fleet.rollout_stop": {A, C}, "fleet.rollout_resume": {A, C},
    "fleet_api.assignment": TOKEN, "fleet_api.bundle": TOKEN,
    "media.delete": EDIT_CONTENT, "media.describe": EDIT_CONTENT, "media.file": READ_CONTENT,
    "media.index": READ_CONTENT, "media.library": READ_CONTENT, "media.override": {C},
    "media.move_alt": EDIT_CONTENT, "media.restore": EDIT_CONTENT, "media.upload": EDIT_CONTENT,
    "packs.activate": {C}, "packs.export": EDIT_CONTENT, "packs.import_": {C},
    "packs.index": {C, E, V}, "packs.install": {C}, "packs.rollback": {C},
    "packs.settings": {C, E, V}, "packs.save_settings": {C},
    "packs.new": {C}, "packs.create": {C},
    # a country overlay's page (issue 21); reviews: curators, translators in their languages
    "packs.overlay": READ_CONTENT, "packs.accept_override": {C, T},
    "packs.redo_override": {C, T}, "packs.save_redone_override": {C, T},
    "preview.play": READ_CONTENT, "preview.scene": READ_CONTENT,
    "preview.scene_png": READ_CONTENT,
    "reports.breakdowns_csv": REPORTS, "reports.breakdowns_page": REPORTS,
    "reports.choices_csv": REPORTS, "reports.choices_page": REPORTS,
    "reports.events_csv": {A}, "reports.impact_page": REPORTS, "reports.index": REPORTS,
    "reports.scenes_csv": REPORTS, "reports.stories_csv": REPORTS,
    "reports.surveys_csv": REPORTS, "reports.surveys_page": REPORTS,
    "school_sessions.api_session": TOKEN,
    "school_sessions.close": SCHOOL, "school_sessions.code_file": SCHOOL,
    "school_sessions.index": SCHOOL, "school_sessions.new": {P},
    "school_sessions.session_results": SCHOOL, "school_sessions.show": SCHOOL,
    "school_sessions.teacher_guide": {C, E, P},
    "server.index": {A},
    "static": PUBLIC,
    "stories.add_scene": EDIT_CONTENT, "stories.delete_scene": EDIT_CONTENT,
    "stories.history": READ_CONTENT, "stories.index": READ_CONTENT,
    "stories.map": READ_CONTENT, "stories.rename_scene": EDIT_CONTENT,
    "stories.restore": EDIT_CONTENT, "stories.revision": {C, E, V},
    "stories.scene": EDIT_CONTENT, "stories.story": READ_CONTENT,
    # issue 18: a story's life and settings; they show every language, so not translators'
    "stories.new_story": EDIT_CONTENT, "stories.delete_story": EDIT_CONTENT,
    "stories.trash": {C, E, V}, "stories.restore_story": EDIT_CONTENT,
    "stories.settings": {C, E, V}, "stories.save_settings": EDIT_CONTENT,
    "stories.map_add_after": EDIT_CONTENT, "stories.map_add_choice": EDIT_CONTENT,
    "stories.map_ending": EDIT_CONTENT,
    # issue 23: a story imported from a Twine file (a new story, so editors and curators)
    "stories.import_twine": EDIT_CONTENT,
    "translations.export_po": TRANSLATE, "translations.import_po": TRANSLATE,
    "translations.index": TRANSLATE, "translations.save": TRANSLATE,
    "translations.side_by_side": TRANSLATE,
    "users.edit": {A}, "users.index": {A}, "users.new": {A}, "users.set_password": {A},
}


def allowed(expected, who) -> bool:
    """The table's answer: may `who` (None: no login) use a route?"""
    if expected in (PUBLIC, TOKEN):
        return True
    if who is None:
        return False
    return expected == STAFF or who in expected


@pytest.fixture
def app_config(app_config):
    """The matrix checks access, not CSRF (test_security.py checks that on every POST)."""
    return {**app_config, "WTF_CSRF_ENABLED": False}


def test_every_route_is_in_the_written_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(endpoints - set(EXPECTED)) == [], "routes missing from the table"
    assert sorted(set(EXPECTED) - endpoints) == [], "the table names routes that are gone"


def test_no_role_but_the_administrator_manages_accounts_or_reads_the_audit_log():
    for endpoint, expected in EXPECTED.items():
        if endpoint.startswith(("users.", "audit.", "server.")):
            assert expected == {A}, endpoint


def test_every_role_gets_the_answer_the_table_gives(app, make_user, as_role):
    ctx = {"target": make_user(Role.VIEWER, username="target")}
    clients = {None: app.test_client(), **{role: as_role(
        role, languages="en" if role == Role.TRANSLATOR else "") for role in Role}}
    checked = 0
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout")
    for rule in rules:
        url = route_url(app, rule, ctx)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who in [None, *Role]:
                r = clients[who].open(url, method=method, data={})
                where = f"{method} {url} as {who or 'no login'}: {r.status_code}"
                if allowed(EXPECTED[rule.endpoint], who):
                    assert r.status_code != 403, where
                    if who is not None and rule.endpoint != "auth.logout":
                        assert "/login" not in r.headers.get("Location", ""), where
                elif who is None:
                    assert r.status_code == 302 and "/login" in r.headers["Location"], where
                else:
                    assert r.status_code == 403, where
                checked += 1
    assert checked >= 7 * len(EXPECTED)


def test_every_route_declares_who_may_use_it(app):
    undeclared = [r.endpoint for r in app.url_map.iter_rules()
                  if declaration(app, r.endpoint) is None]
    assert undeclared == [], f"routes without @allow(...): {undeclared}"


def test_an_undeclared_route_is_refused_to_everyone(app, as_role):
    def sneaky():
        return "should never be served"

    app.add_url_rule("/sneaky", "sneaky", sneaky)  # before the app's first request
    admin = as_role(Role.ADMINISTRATOR)
    assert admin.get("/sneaky").status_code == 403
    assert app.test_client().get("/sneaky").status_code == 403


# The rules below the route table: a declaration that makes no sense is refused when the
# module loads, and the finer per-language rule for translators (docs/admin.md, "Roles").

@pytest.mark.parametrize(("who", "message"), [
    ((), "allow() needs at least one role, ANY_STAFF or PUBLIC"),
    (("public", Role.EDITOR), "PUBLIC, ANY_STAFF and KIOSK_TOKEN stand alone"),
    (("any-staff", "kiosk-token"), "PUBLIC, ANY_STAFF and KIOSK_TOKEN stand alone"),
])
def test_a_declaration_that_makes_no_sense_is_refused(who, message):
    from admin.access import allow

    with pytest.raises(ValueError) as refused:
        allow(*who)
    assert str(refused.value) == message


def test_allow_records_exactly_the_roles_given():
    from admin.access import allow

    def view():
        return "x"

    assert allow(Role.EDITOR, "translator")(view) is view
    assert declaration_of(view) == frozenset({E, T})


def declaration_of(view):
    from admin.access import ATTRIBUTE

    return getattr(view, ATTRIBUTE)


@pytest.mark.parametrize(("declared", "role", "allowed"), [
    (None, A, False), (frozenset(), A, False),  # nothing declared: denied
    (frozenset({"public"}), None, True), (frozenset({"kiosk-token"}), None, True),
    (frozenset({"any-staff"}), None, False), (frozenset({"any-staff"}), V, True),
    (frozenset({E}), E, True), (frozenset({E}), "editor", True), (frozenset({E}), T, False),
    (frozenset({E}), None, False),
])
def test_may_use(declared, role, allowed):
    from admin.access import may_use

    assert may_use(declared, role) is allowed


def staff(role: Role, languages: str = ""):
    from admin.models import User

    return User(username="x", role=role.value, languages=languages)


@pytest.mark.parametrize(("user", "language", "edit", "read"), [
    # a translator: their languages, not the source (sv); reads the source too
    (("translator", "ar,en"), "ar", True, True),
    (("translator", "ar,en"), "sv", False, True),
    (("translator", "ar,en"), "el", False, False),
    (("translator", "sv"), "sv", False, True),  # assigned the source: still not editable
    # every other role edits and reads any language
    (("editor", ""), "sv", True, True), (("editor", ""), "el", True, True),
    (("curator", ""), "el", True, True),
    (None, "sv", False, False),  # nobody logged in
])
def test_a_translator_edits_only_their_languages_and_reads_the_source(user, language, edit,
                                                                      read):
    from admin.access import may_edit_language, may_read_language, readable_languages

    who = staff(Role(user[0]), user[1]) if user else None
    assert may_edit_language(who, language, "sv") is edit
    assert may_read_language(who, language, "sv") is read
    assert (language in readable_languages(who, ["sv", "en", "ar", "el"], "sv")) is read
