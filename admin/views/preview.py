"""Preview: a scene as the kiosk draws it (PNG), and a click-through play of a story.

The play runs the kiosk's own story runtime (``kiosk.story``): the same engine, conditions,
variables and line provider with fallback. Its state travels in the page's form as the
runtime's plain dict, so nothing is stored for a preview.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, g, render_template, request, send_file, url_for
from flask_babel import gettext as _

from admin.access import allow, may_read_language, readable_languages
from admin.content import preview as PV
from admin.content.overview import language_name, story_title
from admin.content.workspace import workspace
from admin.models import Role
from kiosk.content.helplines import helplines_for
from kiosk.story import LineProvider, Phase, StoryEngine, StoryError, StoryState

bp = Blueprint("preview", __name__, url_prefix="/preview")
READERS = (Role.CURATOR, Role.EDITOR, Role.TRANSLATOR, Role.VIEWER)


def _story(pack_id: str, story_id: str):
    ws = workspace()
    wc = ws.working_copy(pack_id)
    loaded = ws.load(wc.root)
    if loaded.pack is None or story_id not in loaded.pack.stories:
        abort(404)
    return ws, wc, loaded, loaded.pack.stories[story_id]


def _lang(pack, story) -> str:
    lang = request.values.get("lang") or pack.default_language
    if lang not in pack.languages:
        abort(404)
    _readable(pack, lang)
    return lang


def _readable(pack, lang: str) -> None:
    """A translator previews only their languages and the source (access.may_read_language)."""
    if not may_read_language(g.user, lang, pack.default_language):
        abort(403)


def _languages(pack, story) -> list[str]:
    return readable_languages(g.user, story.languages, pack.default_language)


@bp.route("/<pack_id>/<story_id>/<scene_id>", endpoint="scene")
@allow(*READERS)
def scene_page(pack_id: str, story_id: str, scene_id: str):
    """A page with the scene's preview in one language and links to the others."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    if scene_id not in st.scenes:
        abort(404)
    lang = _lang(loaded.pack, st)
    ws.renderer.warm()
    return render_template("preview/scene.html", wc=wc, story=st, scene_id=scene_id, lang=lang,
                           languages=_languages(loaded.pack, st), language_name=language_name,
                           title=story_title(st, [lang, loaded.pack.default_language]))


@bp.route("/<pack_id>/<story_id>/<scene_id>/<language>.png")
@allow(*READERS)
def scene_png(pack_id: str, story_id: str, scene_id: str, language: str):
    """The PNG the kiosk draws for a scene (cached by the pack's content hash)."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    if scene_id not in st.scenes or language not in loaded.pack.languages:
        abort(404)
    _readable(loaded.pack, language)
    try:
        path = PV.preview(ws.renderer, wc.root, ws.cache_dir, loaded.content_hash, story_id,
                          scene_id, language)
    except PV.PreviewError as exc:
        return Response(f"The kiosk could not draw this scene: {exc}\n", 503,
                        mimetype="text/plain")
    return send_file(path, mimetype="image/png", max_age=0)


@bp.route("/<pack_id>/<story_id>/play", methods=["GET", "POST"])
@allow(*READERS)
def play(pack_id: str, story_id: str):
    """Play the story through in the browser with the kiosk's runtime."""
    ws, wc, loaded, st = _story(pack_id, story_id)
    pack = loaded.pack
    lang = _lang(pack, st)
    school = request.values.get("school") == "1"
    engine = StoryEngine(pack, story_id, school=school)
    if lang not in engine.languages:  # the runtime plays only the story's own languages
        if request.values.get("lang"):
            abort(404)
        lang = engine.language_for(lang)
        _readable(pack, lang)
    error = None
    state = None
    if request.method == "POST" and request.form.get("action") != "restart":
        try:
            state = StoryState.from_dict(json.loads(request.form.get("state", "")))
            engine.check(state)
            action = request.form.get("action", "")
            if action == "next":
                engine.advance(state)
            elif action == "back":
                engine.back(state)
            elif action == "skip":
                engine.skip(state)
            elif action.startswith("choose:"):
                engine.choose(state, action.split(":", 1)[1])
            if lang != state.language:
                engine.set_language(state, lang)
        except (StoryError, ValueError, TypeError, KeyError) as exc:
            error, state = str(exc), None
    if state is None:
        state = engine.start(language=lang)
    view = engine.view(state)
    lines = LineProvider(pack, state.language)
    image = view.scene.image.src if view.scene.image else None
    return render_template(
        "preview/play.html", wc=wc, story=st, view=view, lines=lines, error=error,
        state=json.dumps(state.to_dict(), ensure_ascii=False), lang=lang, school=school,
        image=url_for("media.file", pack_id=pack_id, filename=image) if image else None,
        ended=view.phase == Phase.ENDED, languages=_languages(pack, st),
        language_name=language_name,
        title=story_title(st, [lang, pack.default_language]), helplines=helplines_for(pack),
        fiction=(st.consent is not None and st.consent.kind == "composite-fiction"),
        _=_)
