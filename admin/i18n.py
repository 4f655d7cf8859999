"""The admin's own interface languages (Flask-Babel) and compiling their catalogues.

The PO files in ``admin/translations/<lang>/LC_MESSAGES/messages.po`` are the source; the
app compiles each into ``<instance>/translations`` at start when the .mo is missing or older,
so a fresh clone needs no build step. Update them after changing strings with::

    .venv/bin/pybabel extract -F admin/babel.cfg -k _l -k Refused -k BundleError -k EditError \
        -k AssignError \
        -k Reason -k Phrase -k N_ -k Setting:4 -k TwineError -k BreaksOverlays -k BaseNotFound \
        --no-location --sort-output -o admin/translations/messages.pot \
        admin kiosk/content/bundle.py kiosk/content/packstore.py kiosk/content/findings.py \
        kiosk/content/validate.py kiosk/content/slots.py kiosk/content/schema.py \
        kiosk/content/build.py kiosk/content/loader.py kiosk/content/yamlsafe.py \
        kiosk/content/mediacheck.py kiosk/content/languages.py kiosk/content/conditions.py \
        kiosk/i18n/languages.py kiosk/ui/fontfiles.py kiosk/media/subtitles.py \
        kiosk/content/twine/source.py kiosk/content/twine/html.py kiosk/media/probe.py \
        kiosk/i18n/checks.py kiosk/i18n/placeholders.py

(``-k Refused -k BundleError -k EditError -k Reason -k TwineError -k AssignError``: the sentences of
``admin.content.media.Refused``, ``kiosk.content.bundle.BundleError``,
``admin.content.yamledit.EditError``, a PO import's ``admin.content.po.Reason``, a Twine
import's ``kiosk.content.twine.TwineError`` and a fleet assignment's ``admin.fleet.assign.AssignError`` are messages too; ``reason(exc)`` (also in templates) shows them translated. ``-k Phrase``: line
labels, media uses, consent lines (``kiosk.content.phrase.Phrase``); ``-k N_``: revision
summaries (``admin.content.summaries``); ``-k Setting:4``: each setting's help text, shown
on the server settings page.)
Then add the new msgids' translations to each ``messages.po`` (or ``pybabel update -i
admin/translations/messages.pot -d admin/translations`` and fill in the new entries).
    .venv/bin/pybabel update -i admin/translations/messages.pot -d admin/translations
"""

from __future__ import annotations

import os
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, gettext
from jinja2 import pass_eval_context
from markupsafe import Markup

from kiosk.content.phrase import COUNTRY, LANGUAGE

SOURCE = Path(__file__).with_name("translations")
# Code -> the language's own name, shown in the pickers.
LANGUAGES = {"en": "English", "sv": "Svenska", "it": "Italiano", "lv": "Latviešu",
             "el": "Ελληνικά"}


def compile_catalogues(target: Path) -> list[Path]:
    """Compile every PO file whose .mo under target is missing or stale; return those made."""
    made = []
    for po in sorted(SOURCE.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(SOURCE).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parts[-3])
        tmp = mo.with_name(f".messages.{os.getpid()}.mo")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo)  # atomic: workers starting together never read half a file
        made.append(mo)
    return made


def reason(exc: BaseException) -> str:
    """An exception's (or a phrase's) sentence in the user's language.

    A refusal that carries its English sentence as ``msgid`` with ``params`` (``Refused`` of
    admin.content.media, ``EditError`` of admin.content.yamledit, ``BundleError`` of
    kiosk.content.bundle), and a ``kiosk.content.phrase.Phrase`` (line labels, media uses,
    revision summaries, consent lines; a validator finding's ``phrase()``), is translated
    and filled in (a param that is a phrase translated in turn: a finding's ``path`` is kept
    as ``findings.place`` says it); anything else is shown as it is.
    """
    msgid = getattr(exc, "msgid", None)
    if not isinstance(msgid, str):
        return str(exc)
    params = dict(getattr(exc, "params", {}))
    if msgid == COUNTRY:  # a country's name (kiosk.content.phrase.Country): CLDR's, not ours
        return country_name(str(params.get("country_code", "")))
    if msgid == LANGUAGE:  # "el (Greek)" (kiosk.content.phrase.LanguageName): CLDR's name
        return "{} ({})".format(params.get("language_code", ""),
                                language_display_name(str(params.get("locale_id", "")),
                                                      str(params.get("language_name", ""))))
    # a param that is a phrase itself ("a list", a finding's place) is translated as well
    return gettext(msgid, **{k: reason(v) for k, v in params.items()})


def language_display_name(locale_id: str, english: str) -> str:
    """A language's name in the user's language (CLDR, through Babel), else `english`."""
    try:
        name = Locale.parse(locale_id).get_display_name(Locale.parse(str(get_locale() or "en")))
    except (ValueError, TypeError):
        name = None
    return name or english


def country_name(code: str) -> str:
    """A country's name in the user's language (CLDR, through Babel), or the code itself when
    CLDR knows no such country."""
    try:
        names = Locale.parse(str(get_locale() or "en")).territories
    except (ValueError, TypeError):
        names = {}
    return names.get(code.upper(), code)


def request_translations():
    """The catalogue of the request's language, as Flask-Babel gives it, found once per
    request and language (`force_locale` gives another language: it is looked up anew)."""
    try:
        ns = g._flask_babel
        locale, kept = ns.storykiosk_catalogue
        if locale is ns.babel_locale:
            return kept
    except (AttributeError, RuntimeError):  # first string of the request; no app context
        pass
    translations = get_translations()
    try:
        ns = g._flask_babel
        ns.storykiosk_catalogue = (ns.babel_locale, translations)
    except (AttributeError, RuntimeError):
        pass
    return translations


# The template functions behave as Jinja's "newstyle" gettext (the text is a %-format string
# of its keyword arguments, escaped in an autoescaped template), in one call each: Jinja's own
# wraps three calls around Flask-Babel's lookup, which finds the catalogue anew for every
# string; with ~600 strings that was a fifth of the pack settings page's time.
@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables):
    rv = request_translations().ugettext(string)
    return (Markup(rv) if eval_ctx.autoescape else rv) % variables


@pass_eval_context
def _template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables):
    variables.setdefault("num", num)
    rv = request_translations().ungettext(singular, plural, num)
    return (Markup(rv) if eval_ctx.autoescape else rv) % variables


@pass_eval_context
def _template_pgettext(eval_ctx, context: str, string: str, **variables):
    variables.setdefault("context", context)
    rv = request_translations().upgettext(context, string)
    return (Markup(rv) if eval_ctx.autoescape else rv) % variables


@pass_eval_context
def _template_npgettext(eval_ctx, context: str, singular: str, plural: str, num: int,
                        **variables):
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    rv = request_translations().unpgettext(context, singular, plural, num)
    return (Markup(rv) if eval_ctx.autoescape else rv) % variables


def select_locale() -> str:
    """The user's own choice, else the browser's best match, else the default."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    if not has_request_context():  # the command line
        return default
    user = g.get("user")
    if user is not None and user.ui_language in LANGUAGES:
        return user.ui_language
    return request.accept_languages.best_match(list(LANGUAGES), default=default)


def init_app(app: Flask) -> None:
    """Compile the catalogues and install Flask-Babel."""
    target = Path(app.instance_path) / "translations"
    compile_catalogues(target)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(app, locale_selector=select_locale)
    # Templates look their strings up in the request's catalogue directly (see _template_gettext).
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext, pgettext=_template_pgettext,
                                 npgettext=_template_npgettext)
    app.jinja_env.globals["reason"] = reason  # also in imported macros (no context there)
    app.jinja_env.globals["country_name"] = country_name

    @app.context_processor
    def _languages():
        from admin.content.summaries import phrase

        return {"LANGUAGES": LANGUAGES, "get_locale": get_locale, "reason": reason,
                "summary_phrase": phrase}
