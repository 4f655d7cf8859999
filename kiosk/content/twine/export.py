"""A story of our model -> Twee 3 that Twine 2 imports (SugarCube or Harlowe).

Scenes become passages named by their ids (so an import gives the same ids back), `next`
a bare `[[id]]`, choices `[[Label->id]]` links, guarded by `<<if>>`/`(if:)` and carrying
their `set`/`add` as SugarCube setters or Harlowe `(link:)[(set:)(go-to:)]`. The story's
`variables` go into `StoryInit` (SugarCube) or a `startup` passage (Harlowe). Our format
keeps media, endings' texts and discussion prompts that Twine has no place for; they are
named in the returned notes. Passages are placed on Twine's map by depth from the start.
"""

from __future__ import annotations

import json
import uuid

from kiosk.content import model as M
from kiosk.content.twine.twee import escape

FORMATS = {"sugarcube": ("SugarCube", "2.37.3"), "harlowe": ("Harlowe", "3.3.9")}
_OPS = {"sugarcube": {"==": "is", "!=": "isnot"}, "harlowe": {"==": "is", "!=": "is not"}}


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False)


def expression(cond: list, fmt: str) -> str:
    """A parsed condition (kiosk.content.conditions) as a SugarCube or Harlowe expression."""
    kind = cond[0]
    if kind == "var":
        return f"${cond[1]}"
    if kind == "lit":
        return _value(cond[1])
    if kind == "visits":
        return f'visited("{cond[1]}")' if fmt == "sugarcube" else \
            f'(count: (history:), "{cond[1]}")'
    if kind == "not":
        return f"not {_group(cond[1], fmt)}"
    if kind in ("and", "or"):
        return f" {kind} ".join(_group(c, fmt) for c in cond[1:])
    op = _OPS[fmt].get(cond[1], cond[1])
    return f"{expression(cond[2], fmt)} {op} {expression(cond[3], fmt)}"


def _group(cond: list, fmt: str) -> str:
    """A sub-expression, in parentheses unless it is a single value."""
    text = expression(cond, fmt)
    return text if cond[0] in ("var", "lit", "visits") else f"({text})"


def _assign(sets: dict, adds: dict, fmt: str) -> list[str]:
    out = [f"${k} to {_value(v)}" for k, v in sets.items()]
    for k, v in adds.items():
        sign = "-" if v < 0 else "+"
        out.append(f"${k} {sign}= {abs(v)}" if fmt == "sugarcube" else
                   f"${k} to it {sign} {abs(v)}")
    return out


def _link(c: M.Choice, label: str, fmt: str) -> str:
    effects = _assign(c.set, c.add, fmt)
    if not effects:
        link = f"[[{label}->{c.goto}]]"
    elif fmt == "sugarcube":
        link = f"[[{label}->{c.goto}][{'; '.join(effects)}]]"
    else:
        sets = "".join(f"(set: {e})" for e in effects)
        link = f'(link: {json.dumps(label, ensure_ascii=False)})[{sets}(go-to: "{c.goto}")]'
    if c.condition is None:
        return link
    test = expression(c.condition, fmt)
    return f"<<if {test}>>{link}<</if>>" if fmt == "sugarcube" else f"(if: {test})[{link}]"


def _positions(story: M.Story) -> dict[str, tuple[int, int]]:
    """Twine's passage positions (x, y): the story map's rows top to bottom."""
    return {sid: (100 + 200 * place, 100 + 150 * row)
            for sid, (row, place) in story.map_grid(school=False).items()}


def _header(name: str, tags: list[str] = (), meta: dict | None = None) -> str:
    out = f":: {escape(name)}"
    if tags:
        out += " [" + " ".join(escape(t) for t in tags) + "]"
    if meta:
        out += " " + json.dumps(meta, separators=(",", ":"))
    return out


def export(story: M.Story, lang: str, fmt: str = "harlowe") -> tuple[str, list[str]]:
    """Twee 3 text of one story in one language, and notes on what Twine cannot hold."""
    name, version = FORMATS[fmt]
    notes: list[str] = []

    def text(t: M.Text, what: str) -> str:
        if lang in t:
            return t[lang]
        if t:
            notes.append(f"{what} has no {lang} text; left empty")
        return ""

    title = text(story.title, "the title") or story.id
    data = {"ifid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"storykiosk:{story.id}")).upper(),
            "format": name, "format-version": version, "start": story.start}
    parts = [f"{_header('StoryTitle')}\n{title}", f"{_header('StoryData')}\n"
             + json.dumps(data, indent=2)]
    if story.variables:
        effects = _assign(story.variables, {}, fmt)
        body = "\n".join(f"<<set {e}>>" if fmt == "sugarcube" else f"(set: {e})"
                         for e in effects)
        parts.append(f"{_header('StoryInit')}\n{body}" if fmt == "sugarcube" else
                     f"{_header('Startup', ['startup'])}\n{body}")
    pos = _positions(story)
    lost: set[str] = set()
    for sid, sc in story.scenes.items():
        lines = [escape_text(text(sc.text, f'scene "{sid}"'))]
        if sc.next:
            lines += ["", f"[[{sc.next}]]"]
        elif sc.choices:
            lines.append("")
            lines += [_link(c, escape_label(text(c.label, f'a choice of "{sid}"')), fmt)
                      for c in sc.choices]
        for what, there in (("pictures", sc.image), ("narration", sc.narration),
                            ("films", sc.video), ("ending texts", sc.ending and
                                                  (sc.ending.helped or sc.ending.action)),
                            ("discussion prompts", sc.discussion),
                            ("school branches", sc.school)):
            if there:
                lost.add(what)
        x, y = pos[sid]
        meta = {"position": f"{x},{y}", "size": "100,100"}
        parts.append(f"{_header(sid, sc.content_notes, meta)}\n" + "\n".join(lines).strip("\n"))
    if lost:
        notes.append("Twine holds text and links only; not exported: " + ", ".join(sorted(lost)))
    return "\n\n\n".join(parts) + "\n", notes


def escape_text(s: str) -> str:
    """Passage text safe in Twee: a line starting with `::` is escaped."""
    return "\n".join("\\" + line if line.startswith("::") else line
                     for line in s.rstrip("\n").split("\n"))


def escape_label(s: str) -> str:
    """A link label that cannot end the link early."""
    return s.replace("]]", "] ]").replace("][", "] [")
