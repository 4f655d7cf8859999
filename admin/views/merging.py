"""What the stories and translations views say about a merged or clashing save.

The clash page shows each field in plain words (its label, its language, their text, your
text, a choice), never as YAML; this module names the fields and the people.
"""

from __future__ import annotations

import json
import re

from flask_babel import gettext as _

from admin.content.merge import changes_since
from admin.content.overview import language_name
from admin.content.scenemerge import CHOICES
from admin.db import get_db

_LANG_FIELD = re.compile(r"^(.*)\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)$")
_CHOICE = re.compile(r"^choices\[(\d+)\]\.(.+)$")


def _scene_labels() -> dict[str, str]:
    return {
        "text": _("Text"), "way": _("How the story goes on"), "next": _("Next scene"),
        "ending.helped": _("What helped"), "ending.action": _("What a visitor can do"),
        "content_notes": _("Content notes"), "school": _("School alternative (scene played instead in a school session)"),
        "image": _("Image (path under media/)"), "image.alt": _("Alt text"),
        "narration": _("Narration"), "captions": _("Captions"),
        "video.src": _("Film (path under media/)"), "video.poster": _("Poster picture"),
        "video.subtitles": _("Subtitles"), "choices": _("Choices"), "label": _("Label"),
        "goto": _("Goes to"), "if": _("Only when (condition)"), "set": _("Sets (name=value, …)"),
        "id": "id"}


def scene_field(name: str, languages: list[str]) -> tuple[str, str]:
    """A scene form field's label and language name ("" when it has none)."""
    labels = _scene_labels()
    lang = ""
    m = _LANG_FIELD.match(name)
    if m and m.group(2) in languages:
        name, lang = m.group(1), m.group(2)
    c = _CHOICE.match(name)
    if c:
        label = _("Choice %(n)d", n=int(c.group(1)) + 1) + " · " + labels.get(
            c.group(2), c.group(2))
    else:
        label = labels.get(name, name)
    return label, language_name(lang) if lang else ""


def in_words(name: str, value: str, languages: list[str]) -> str:
    """A scene clash's text as shown: a choice list or a way on in words, a text as it is."""
    if name == CHOICES:
        return choices_in_words(value, languages)
    if name == "way":
        return way_in_words(value)
    return value


def choices_in_words(value: str, languages: list[str]) -> str:
    """A whole choice list (a clash's JSON text) as lines: label, then where it goes."""
    values = json.loads(value or "{}")
    lines, i = [], 0
    while f"choices[{i}].goto" in values:
        label = next((values.get(f"choices[{i}].label.{lang}") for lang in languages
                      if values.get(f"choices[{i}].label.{lang}")), "")
        lines.append(f"{i + 1}. {label} → {values[f'choices[{i}].goto']}")
        i += 1
    return "\n".join(lines) or "—"


def way_in_words(value: str) -> str:
    """A scene's way on as the editor names it."""
    return {"next": _("Next scene"), "choices": _("Choices"),
            "ending": _("The story ends here")}.get(value, value)


def who_changed(pack_id: str, rel: str, base_hash: str, current_hash: str) -> list[str]:
    """Sentences naming who saved the file after the form was opened, and when (UTC)."""
    revs, complete = changes_since(get_db(), pack_id, rel, base_hash, current_hash)
    out = [_("%(who)s changed this story at %(time)s UTC, after you opened it.",
             who=r.actor, time=r.at.strftime("%H:%M")) for r in revs]
    if not complete:
        out.append(_("The file was also changed outside the admin."))
    return out


def merged_note(pack_id: str, rel: str, opened_on: str, saved_on: str) -> str:
    """What a save merged: " Merged with X's change of HH:MM UTC." for each save between
    the version the form was opened on and the one it was saved on; "" when none."""
    if opened_on == saved_on:
        return ""
    revs, complete = changes_since(get_db(), pack_id, rel, opened_on, saved_on)
    notes = [_("Merged with %(who)s's change of %(time)s UTC.", who=r.actor,
               time=r.at.strftime("%H:%M")) for r in revs]
    if not complete:
        notes.append(_("Merged with a change made outside the admin."))
    return "".join(" " + n for n in notes)
