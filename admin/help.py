"""Which guide section explains each admin page: the target of the *Help* link in its header.

The guides are the Markdown files of ``docs/guides/`` (served by ``admin.views.help``); a
target is ``"<page>#<anchor>"`` with the page relative to ``docs/`` and the anchor GitHub's id
of a heading, so the same link works in the repository. An endpoint's own entry wins over its
blueprint's. ``tests/admin/test_admin_help.py`` opens every page as every role and follows its
link to the heading; a new page fails it until its area (or the page) is listed here.
"""

from __future__ import annotations

INDEX = "guides/README"

# Areas: a blueprint's pages share one section unless an endpoint below says otherwise.
BY_BLUEPRINT = {
    "home": INDEX,
    "account": f"{INDEX}#your-account",
    "help": INDEX,
    "users": "guides/administrators#staff-accounts-and-kiosks",
    "audit": "guides/administrators#staff-accounts-and-kiosks",
    "server": "guides/administrators#deploy-the-admin",
    "kiosks": "guides/administrators#staff-accounts-and-kiosks",
    "fleet_health": "guides/touring-team#the-fleet-at-a-glance",
    "stories": "guides/curators#stories",
    "preview": "guides/curators#stories",
    "media": "guides/curators#media",
    "packs": "guides/curators#packs",
    "translations": "guides/translators#side-by-side",
    "reports": "guides/curators#visitor-feedback-reports",
    "school_sessions": "guides/pedagogues#prepare-a-session",
    "fleet": "guides/touring-team#load-and-switch-packs",
}

BY_ENDPOINT = {
    "kiosks.import_export": "guides/touring-team#bring-the-feedback-home",
    "stories.settings": "guides/curators#consent-and-care",
    "stories.new_story": "guides/curators#consent-and-care",
    "school_sessions.teacher_guide": "guides/pedagogues#the-teachers-guide",
    "school_sessions.session_results": "guides/pedagogues#class-results",
    "school_sessions.show": "guides/pedagogues#at-the-kiosk",
}


def target(endpoint: str | None) -> tuple[str, str] | None:
    """The guide page and anchor for an endpoint, or None (no help link on that page)."""
    if not endpoint:
        return None
    found = BY_ENDPOINT.get(endpoint) or BY_BLUEPRINT.get(endpoint.partition(".")[0])
    if found is None:
        return None
    page, _, anchor = found.partition("#")
    return page, anchor
