"""The story map: scenes and choices as a server-rendered SVG, problems marked.

Rows are the distance from the start scene (breadth first), read top to bottom like the
story; scenes no path reaches go in a last row. Which scenes are unreachable or dead ends comes from the validator's own
findings (codes ``unreachable`` and ``no-way-out``), plus scenes whose every target is
missing, so the map and ``kiosk check`` never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from kiosk.content import model as M
from kiosk.content.findings import Finding

W, H, GAP_X, GAP_Y, PAD = 170, 46, 30, 50, 20


def _problems(story: M.Story, findings: list[Finding]) -> tuple[set[str], set[str]]:
    unreachable, dead = set(), set()
    for f in findings:
        parts = f.path.split(".")
        if len(parts) >= 2 and parts[0] == "scenes":
            if f.code == "unreachable":
                unreachable.add(parts[1])
            elif f.code == "no-way-out":
                dead.add(parts[1])
    for sid, sc in story.scenes.items():
        if sc.ending is None and not any(t in story.scenes for t in sc.targets):
            dead.add(sid)
    return unreachable, dead


def layout(story: M.Story) -> dict[str, tuple[int, int]]:
    """(row, place in the row) of every scene (school alternatives count as paths)."""
    return story.map_grid(school=True)


def story_svg(story: M.Story, findings: list[Finding], link: Callable[[str], str]) -> Markup:
    """The map as inline SVG; `link(scene_id)` gives each scene's URL (editor or preview)."""
    pos = layout(story)
    unreachable, dead = _problems(story, findings)
    rows = max((r for r, _ in pos.values()), default=0) + 1
    cols = max((c for _, c in pos.values()), default=0) + 1
    width = max(PAD * 2 + cols * W + (cols - 1) * GAP_X + 60, 640)
    height = PAD * 2 + rows * H + (rows - 1) * GAP_Y + 30

    def box(sid):
        r, c = pos[sid]
        return PAD + c * (W + GAP_X), PAD + r * (H + GAP_Y)

    count = ngettext("%(num)d scene", "%(num)d scenes", len(story.scenes))
    # a group, not an img: an img's content is presentational, so its scene links would be
    # hidden from assistive technology (axe: nested-interactive)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="story-map" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="group" '
           f'aria-labelledby="map-title"><title id="map-title">'
           f'{escape(story.id)}: {escape(count)}</title>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#53606e"/></marker></defs>']
    for sid, sc in story.scenes.items():
        x1, y1 = box(sid)
        edges = [(t, "choice" if sc.choices else "next") for t in sc.targets]
        if sc.school:
            edges.append((sc.school, "school"))
        for target, kind in edges:
            if target not in pos:
                continue
            x2, y2 = box(target)
            if y2 > y1:  # onwards, down the page
                sx, sy, ex, ey = x1 + W / 2, y1 + H, x2 + W / 2, y2
                my = (sy + ey) / 2
                d = f"M{sx},{sy} C{sx},{my} {ex},{my} {ex},{ey}"
            elif y2 == y1 and x2 > x1:  # sideways, to the right
                sx, sy, ex, ey = x1 + W, y1 + H / 2, x2, y2 + H / 2
                d = f"M{sx},{sy} L{ex},{ey}"
            else:  # a way back: round the right-hand side
                sx, sy, ex, ey = x1 + W, y1 + H / 2, x2 + W, y2 + H / 2
                d = f"M{sx},{sy} C{sx + 60},{sy} {ex + 60},{ey} {ex},{ey}"
            dash = ' stroke-dasharray="5 4"' if kind == "school" else ""
            out.append(f'<path class="edge {kind}" d="{d}" fill="none" stroke="#53606e" '
                       f'stroke-width="1.5"{dash} marker-end="url(#arrow)"/>')
    for sid, sc in story.scenes.items():
        x, y = box(sid)
        classes = ["scene"]
        fill, stroke, note = "#ffffff", "#1f5f8b", ""
        if sid == story.start:
            classes.append("start")
        if sc.ending is not None:
            classes.append("ending")
            fill = "#e8f4ec"
        if sid in dead:
            classes.append("dead-end")
            fill, stroke, note = "#fdecec", "#a4161a", _("dead end")
        if sid in unreachable:
            classes.append("unreachable")
            fill, stroke, note = "#fff4d6", "#7a5200", _("unreachable")
        label = sid if len(sid) <= 20 else sid[:19] + "…"
        sub = note or (_("ending") if sc.ending is not None else _("start")
                       if sid == story.start else ngettext(
                           "%(num)d choice", "%(num)d choices", len(sc.choices))
                       if sc.choices else "")
        width_px = 3 if sid == story.start else 1.5
        dash = ' stroke-dasharray="6 3"' if sid in unreachable else ""
        out.append(
            f'<a href="{escape(link(sid))}" class="{" ".join(classes)}" data-scene="{escape(sid)}">'
            f'<title>{escape(sid)}{": " + note if note else ""}</title>'
            f'<rect x="{x}" y="{y}" width="{W}" height="{H}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width_px}"{dash}/>'
            f'<text x="{x + 10}" y="{y + 19}" font-size="14" font-weight="600" '
            f'fill="#1d232b">{escape(label)}</text>'
            f'<text x="{x + 10}" y="{y + 36}" font-size="11" fill="{stroke}">{escape(sub)}'
            f'</text></a>')
    ly = height - 16
    legend = _("Rows: steps from the start. Dashed arrow: school alternative. Yellow: no path reaches it. Red: no way to an ending.")  # noqa: E501 - one msgid
    out.append(f'<text x="{PAD}" y="{ly}" font-size="11" fill="#53606e">{escape(legend)}'
               '</text>')
    out.append("</svg>")
    return Markup("".join(out))
