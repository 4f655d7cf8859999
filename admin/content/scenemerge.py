"""The scene editor's three-way merge: a stale scene form against the scene as saved since.

Every field of the form (``text.sv``, ``choices[1].goto``, ``content_notes``...) merges on
its own (`admin.content.merge.three_way`). Choices merge field by field while the three
sides have the same choices (same ids, same order); when one side added, removed or
reordered choices, the whole list is taken from the side that changed it, and when both
changed it, the list is one clash named ``choices`` (its texts: `choices_json`). When one
side changed the way on (next, choices, ending) and the other changed what the old way held,
``way`` is a clash.
"""

from __future__ import annotations

import json

from werkzeug.datastructures import MultiDict

from admin.content import sceneform as F
from admin.content.merge import Clash, norm, three_way

CHOICES = "choices"


def _texts(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}.{lang}": v for lang, v in values.items()}


def fields(form: F.SceneForm) -> dict[str, str]:
    """The form's values by input name, except the choices."""
    return {
        **_texts("text", form.text), "way": form.way, "next": form.next,
        **_texts("ending.helped", form.helped), **_texts("ending.action", form.action),
        "content_notes": ", ".join(form.content_notes), "school": form.school,
        "image": form.image, **_texts("image.alt", form.image_alt),
        **_texts("narration", form.narration), **_texts("captions", form.captions),
        "video.src": form.video, "video.poster": form.poster,
        **_texts("video.subtitles", form.subtitles)}


def choice_fields(choices: list[F.ChoiceForm]) -> dict[str, str]:
    """The kept choices' values by input name (removed ones left out, the rest renumbered)."""
    out: dict[str, str] = {}
    for i, c in enumerate(c for c in choices if not c.remove):
        p = f"choices[{i}]"
        out.update({f"{p}.id": c.id, **_texts(f"{p}.label", c.label), f"{p}.goto": c.goto,
                    f"{p}.if": c.condition, f"{p}.set": c.set})
    return out


def _shape(choices: list[F.ChoiceForm]) -> tuple[str, ...]:
    return tuple(c.id for c in choices if not c.remove)


def _same(a: dict[str, str], b: dict[str, str]) -> bool:
    """Equal field by field, a missing field the same as an empty one."""
    return all(norm(a.get(k)) == norm(b.get(k)) for k in {*a, *b})


def _way_part(form: F.SceneForm, way: str) -> dict[str, str]:
    """The fields that only count under one way on (``next``, ``choices``, ``ending``)."""
    if way == "next":
        return {"next": form.next}
    if way == "choices":
        return choice_fields(form.choices)
    return {**_texts("ending.helped", form.helped), **_texts("ending.action", form.action)}


def posted(form: F.SceneForm) -> list[tuple[str, str]]:
    """The form as the (name, value) pairs the editor posts (`F.from_request` reads them)."""
    pairs = [(k, v) for k, v in fields(form).items() if k != "content_notes"]
    pairs += [("content_notes", n) for n in form.content_notes]
    pairs.append(("choice_count", str(len(form.choices))))
    for i, c in enumerate(form.choices):
        p = f"choices[{i}]"
        pairs += [(f"{p}.id", c.id), *_texts(f"{p}.label", c.label).items(),
                  (f"{p}.goto", c.goto), (f"{p}.if", c.condition), (f"{p}.set", c.set)]
        if c.remove:
            pairs.append((f"{p}.remove", "1"))
    return pairs


def choices_json(choices: list[F.ChoiceForm]) -> str:
    """A whole choice list as one clash text (what ``expand_choices`` reads back)."""
    return json.dumps(choice_fields(choices), ensure_ascii=False, sort_keys=True)


def expand_choices(form: MultiDict) -> MultiDict:
    """A posted form whose ``choices`` field (a chosen choice list) is spread into inputs."""
    if CHOICES not in form:
        return form
    values = json.loads(form.get(CHOICES) or "{}")
    out = MultiDict([(k, v) for k, v in form.items(multi=True)
                     if not k.startswith("choices[") and k not in (CHOICES, "choice_count")])
    out.setlist("choice_count", [str(len([k for k in values if k.endswith(".goto")]))])
    for k, v in values.items():
        out.add(k, v)
    return out


def merge(base: F.SceneForm | None, theirs: F.SceneForm, mine: F.SceneForm,
          languages: list[str]) -> tuple[F.SceneForm, list[Clash]]:
    """The merged form (clashing fields hold mine) and the clashes; base None: unknown."""
    merged, clashes = three_way(fields(base) if base else None, fields(theirs), fields(mine))
    sides = [theirs, mine] + ([base] if base else [])
    mine_choices = None
    if base is not None and len({_shape(s.choices) for s in sides}) == 1:
        values, more = three_way(choice_fields(base.choices), choice_fields(theirs.choices),
                                 choice_fields(mine.choices))
        merged.update(values)
        clashes += more
    else:
        b = choice_fields(base.choices) if base else None
        t, m = choice_fields(theirs.choices), choice_fields(mine.choices)
        if _same(m, t) or (b is not None and _same(m, b)):
            merged.update(t)
        elif b is not None and _same(t, b):
            mine_choices = mine.choices  # with its remove flags, as the editor posted them
        else:
            clashes.append(Clash(CHOICES, choices_json(theirs.choices),
                                 choices_json(mine.choices)))
            mine_choices = mine.choices
    if base is not None and all(c.name != "way" for c in clashes):
        for one, other in ((theirs, mine), (mine, theirs)):
            # one side changed the way on, the other changed what the old way held (its next
            # scene, its choices, its ending): taking either silently would drop the other
            if one.way != base.way and other.way == base.way and not _same(
                    _way_part(other, base.way), _way_part(base, base.way)):
                clashes.append(Clash("way", theirs.way, mine.way))
                merged["way"] = mine.way
                break
    data = MultiDict([(k, v) for k, v in merged.items() if k != "content_notes"])
    for note in filter(None, (n.strip() for n in merged.get("content_notes", "").split(","))):
        data.add("content_notes", note)
    data["choice_count"] = str(len([k for k in merged if k.endswith(".goto")]))
    form = F.from_request(data, languages)
    if mine_choices is not None:
        form.choices = mine_choices
    return form, clashes
