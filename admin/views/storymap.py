"""Stories: the story map's edits, each a plain form (the admin runs no script).

Routes of the stories blueprint (``admin.views.stories`` imports this module); the edits are
``admin.content.mapedits``, saved like every structural change (``stories._structural``).
"""

from __future__ import annotations

from flask import request, url_for

from admin.access import allow
from admin.content import mapedits
from admin.views.stories import EDITORS, _structural, bp


def _back(pack_id: str, story_id: str) -> str:
    return url_for("stories.map", pack_id=pack_id, story_id=story_id)


def _field(name: str) -> str:
    return request.form.get(name, "").strip()


@bp.route("/<pack_id>/<story_id>/map/add-after", methods=["POST"])
@allow(*EDITORS)
def map_add_after(pack_id: str, story_id: str):
    """Add a scene after a scene; it takes over the way that scene went on."""
    after, new_id = _field("after"), _field("new_id")
    return _structural(pack_id, story_id, f"add scene {new_id} after {after}",
                       lambda text: mapedits.add_after(text, after, new_id, _field("language"),
                                                       request.form.get("text", "")),
                       back=_back(pack_id, story_id))


@bp.route("/<pack_id>/<story_id>/map/add-choice", methods=["POST"])
@allow(*EDITORS)
def map_add_choice(pack_id: str, story_id: str):
    """Add a choice from one scene to another (the target picked from the map's scenes)."""
    source, target = _field("source"), _field("target")
    return _structural(pack_id, story_id, f"add a choice from {source} to {target}",
                       lambda text: mapedits.add_choice(
                           text, source, target, _field("language"), _field("label"),
                           _field("first_label")), back=_back(pack_id, story_id))


@bp.route("/<pack_id>/<story_id>/map/ending", methods=["POST"])
@allow(*EDITORS)
def map_ending(pack_id: str, story_id: str):
    """Mark a scene as an ending."""
    scene_id = _field("scene")
    return _structural(pack_id, story_id, f"scene {scene_id} ends the story",
                       lambda text: mapedits.mark_ending(text, scene_id),
                       back=_back(pack_id, story_id))
