"""The validator's checks across a whole pack: references, graph, consent, media, coverage.

Runs on the built model; `where` maps each file's data paths to (line, col) so every finding
points at the value it is about. The rules come from docs/content-format.md and ETHICS.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from kiosk.content import conditions, mediacheck, slots
from kiosk.content import model as M
from kiosk.content.figures import has_statistic
from kiosk.content.findings import ERROR, WARNING, Finding, finding, suggest
from kiosk.content.languages import check_pack_languages
from kiosk.content.phrase import Phrase

HELPLINE_MAX_AGE_DAYS = 90
REVIEW_MAX_YEARS = 3


class Report:
    """Collects findings for one file, placing them by data path.

    `placed` maps data paths whose value comes from another file (an overlay's override of a
    base story, a base's setting in an overlay's pack) to (file, line, col); the longest
    known path wins, so a finding names the file and line its value comes from."""

    def __init__(self, file: str, where: dict[str, tuple[int, int]],
                 placed: dict[str, tuple[str, int, int]] | None = None):
        self.file = file
        self.where = where
        self.placed = placed or {}
        self.findings: list[Finding] = []
        self.names: dict[str, str] = {}  # "helplines[0]" -> its id, for findings.place
        self.folders: dict[str, str] = {}  # media folders with links followed (locate)

    def add(self, path: str, code: str, message: str, hint: str = "", severity: str = ERROR):
        """Record a finding at the value `path` names (or its nearest known parent)."""
        probe, where, placed = path, self.where, self.placed
        while probe and probe not in where and probe not in placed:
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
        if probe in placed:
            file, line, col = placed[probe]
        else:
            file, (line, col) = self.file, where.get(probe, (0, 0))
        self.findings.append(finding(severity, code, message, file, line, col, path, hint,
                                     self.names))

    def warn(self, path: str, code: str, message: str, hint: str = ""):
        """Record a warning."""
        self.add(path, code, message, hint, WARNING)


def check_pack(pack: M.Pack, rep: Report, root: Path, today: dt.date) -> None:
    """Pack-level rules: languages, helplines, notes, surveys, attract media."""
    rep.names.update({f"helplines[{i}]": line.id for i, line in enumerate(pack.helplines)})
    rep.names.update({f"surveys.{phase}[{i}]": q.id for phase in ("before", "after")
                      for i, q in enumerate(getattr(pack.surveys, phase))})
    check_pack_languages(pack, rep)
    if pack.default_language not in pack.languages:
        rep.add("default_language", "bad-language",
                Phrase('the default language "%(language)s" is not in languages',
                       language=pack.default_language),
                suggest(pack.default_language, pack.languages))
    _coverage(rep, pack.languages, {"title": pack.title}, None, pack.fallback)
    for i, line in enumerate(pack.helplines):
        path = f"helplines[{i}]"
        age = (today - line.verified).days
        if age > HELPLINE_MAX_AGE_DAYS:
            rep.warn(f"{path}.verified", "helpline-stale",
                     Phrase('helpline "%(id)s" (%(number)s) was last verified %(days)s days ago',
                            id=line.id, number=line.number, days=str(age)),
                     Phrase("call it, then update verified"))
        for j, code in enumerate(line.languages):
            if not _known_language(code):
                rep.add(f"{path}.languages[{j}]", "bad-language",
                        Phrase('helpline "%(id)s" answers in "%(language)s", a language code '
                               "CLDR does not know", id=line.id, language=code),
                        Phrase("the kiosk names each language in itself, e.g. sv, en, ar"))
        _coverage(rep, pack.languages, {f"{path}.name": line.name, f"{path}.hours": line.hours,
                                        f"{path}.audience": line.audience}, None, pack.fallback)
    for note_id, note in pack.content_notes.items():
        _coverage(rep, pack.languages, {f"content_notes.{note_id}.label": note.label,
                                        f"content_notes.{note_id}.description": note.description},
                  None, pack.fallback)
    questions = [("before", q) for q in pack.surveys.before] + [
        ("after", q) for q in pack.surveys.after]
    if pack.surveys.rating:
        questions.append(("rating", pack.surveys.rating))
    for i, (phase, q) in enumerate(questions):
        path = f"surveys.{phase}" if phase == "rating" else f"surveys.{phase}[{i if phase == 'before' else i - len(pack.surveys.before)}]"
        if q.kind == "single" and len(q.options) < 2:
            rep.add(path, "survey-options",
                    Phrase('question "%(id)s" needs at least two options', id=q.id))
        texts = {f"{path}.text": q.text}
        texts.update({f"{path}.options[{j}].label": o.label for j, o in enumerate(q.options)})
        _coverage(rep, pack.languages, texts, None, pack.fallback)
    for i, picture in enumerate(pack.kiosk.attract):
        _media(rep, pack, picture.src, f"kiosk.attract[{i}]", "image")
    _check_pictures(pack, rep)
    _check_fallback(pack, rep)
    for lang in pack.strings:
        if lang not in pack.languages:
            rep.warn(f"strings.{lang}", "unused-language",
                     Phrase('strings are given for "%(language)s", which the pack does not '
                            "offer", language=lang))
    _check_strings(pack, rep)


def _check_fallback(pack: M.Pack, rep: Report) -> None:
    """`fallback:` names languages of the pack, none falling back to itself."""
    for lang, order in pack.fallback.items():
        if lang not in pack.languages:
            rep.add(f"fallback.{lang}", "bad-language",
                    Phrase('a fallback is given for "%(language)s", which the pack does not '
                           "offer", language=lang), suggest(lang, pack.languages))
        for j, other in enumerate(order):
            if other == lang or other not in pack.languages:
                rep.add(f"fallback.{lang}[{j}]", "bad-language",
                        Phrase('"%(language)s" falls back to "%(other)s", which is not another '
                               "language of the pack", language=lang, other=other),
                        suggest(other, [x for x in pack.languages if x != lang]))


def _check_pictures(pack: M.Pack, rep: Report) -> None:
    """The library's pictures (`pictures:`): each an image of media/ (its alt text is checked
    where a scene shows it, in that story's languages). A file deleted in the admin keeps its
    entry (a restore brings both back), so a missing file is a warning."""
    for src in pack.pictures:
        path = f"pictures.{src}"
        for code, message, hint in mediacheck.check(Path(pack.media_root(src)), src, "image"):
            if code == "media-missing":
                rep.warn(path, code, message,
                         Phrase("remove its entry from pictures, or restore the file"))
            else:
                rep.add(path, code, message, hint)


def _known_language(code: str) -> bool:
    """True when CLDR knows the language (the kiosk shows its name in itself)."""
    from kiosk.i18n.languages import UnknownLanguage, parse_language  # Babel, no pygame

    try:
        parse_language(code)
    except UnknownLanguage:
        return False
    return True


def _check_strings(pack: M.Pack, rep: Report) -> None:
    """Interface-string overrides: known msgids, same placeholders (kiosk.i18n checks them)."""
    if not pack.strings:
        return
    from kiosk.i18n.checks import override_problems, template_messages  # no pygame

    messages = template_messages()
    for lang, table in pack.strings.items():
        for msgid, text in table.items():
            for problem in override_problems({msgid: {lang: text}}, messages=messages):
                rep.warn(f"strings.{lang}.{msgid}", "bad-string", problem)


def check_story(pack: M.Pack, story: M.Story, rep: Report, root: Path, today: dt.date,
                coverage: dict[str, float],
                fallbacks: dict[str, list[str]] | None = None) -> None:
    """Story-level rules: references, graph, consent, ethics, media, coverage (media are
    found by `pack.media_root`; `root` is kept for callers). `fallbacks` receives, per
    language, the line ids whose text comes from a fallback language."""
    stem = Path(story.file).stem
    if story.id != stem:
        rep.add("id", "id-mismatch",
                Phrase('the story\'s id "%(id)s" differs from its file name', id=story.id),
                Phrase('rename the file to %(id)s.yaml or the id to "%(stem)s"', id=story.id,
                       stem=stem))
    for lang in story.languages:
        if lang not in pack.languages:
            rep.add("languages", "bad-language",
                    Phrase('the story is offered in "%(language)s", which the pack does not '
                           'offer', language=lang),
                    suggest(lang, pack.languages))
    _check_consent(pack, story, rep, today)
    for i, note in enumerate(story.content_notes):
        _note(pack, rep, note, f"content_notes[{i}]")
    scenes = story.scenes
    if story.start not in scenes:
        rep.add("start", "bad-scene", Phrase('the start scene "%(scene)s" does not exist',
                                             scene=story.start),
                suggest(story.start, scenes))
    set_vars = set(story.variables)
    for scene in scenes.values():
        for choice in scene.choices:
            set_vars.update(choice.set)
            set_vars.update(choice.add)
    for sid, scene in scenes.items():
        _check_scene(pack, story, sid, scene, rep, set_vars)
    _check_graph(story, rep)
    langs = [x for x in story.languages if x in pack.languages]
    coverage.update(_story_coverage(pack, story, rep, langs,
                                    fallbacks if fallbacks is not None else {}))


def _check_consent(pack: M.Pack, story: M.Story, rep: Report, today: dt.date) -> None:
    consent = story.consent
    if consent is None and "consent" in rep.where:
        return  # given, but a field is wrong: the schema's finding names that field
    if consent is None:
        rep.add("consent", "consent-missing", Phrase("the story has no consent on record"),
                Phrase("add consent: {kind, record, countries, review_by} (ETHICS.md rule 1)"))
        return
    if consent.review_by < today:
        rep.add("consent.review_by", "consent-expired",
                Phrase("the consent review date %(date)s has passed",
                       date=str(consent.review_by)),
                Phrase("review the consent and set a new date; until then the story is hidden"))
    elif consent.review_by > _add_years(today, REVIEW_MAX_YEARS):
        rep.add("consent.review_by", "consent-too-far",
                Phrase("the consent review date %(date)s is more than three years away",
                       date=str(consent.review_by)),
                Phrase("set a review date at most three years ahead (ETHICS.md rule 2)"))
    if pack.country and pack.country not in consent.countries:
        rep.add("consent.countries", "consent-country",
                Phrase("the consent does not cover %(country)s, where this pack is shown",
                       country=pack.country),
                Phrase("add the country to consent.countries if the consent covers it"))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _note(pack: M.Pack, rep: Report, note: str, path: str) -> None:
    if note not in pack.content_notes:
        rep.add(path, "unknown-note",
                Phrase('the content note "%(note)s" is not in the pack\'s vocabulary', note=note),
                suggest(note, pack.content_notes)
                or Phrase("add it under content_notes in pack.yaml"))


def _check_scene(pack, story, sid, scene: M.Scene, rep: Report, set_vars) -> None:
    path = f"scenes.{sid}"
    scenes = story.scenes
    if scene.next and scene.next not in scenes:
        rep.add(f"{path}.next", "bad-scene",
                Phrase('scene "%(scene)s" goes on to scene "%(next)s", which does not exist',
                       scene=sid, next=scene.next),
                suggest(scene.next, scenes))
    for i, choice in enumerate(scene.choices):
        cpath = f"{path}.choices[{i}]"
        label = next(iter(choice.label.values()), choice.id)
        if choice.goto not in scenes:
            rep.add(f"{cpath}.goto", "bad-scene",
                    Phrase('choice "%(label)s" goes to scene "%(scene)s", which does not exist',
                           label=label, scene=choice.goto),
                    suggest(choice.goto, scenes))
        if choice.condition is not None:
            variables, visited = conditions.names(choice.condition)
            for name in sorted(visited - set(scenes)):
                rep.add(f"{cpath}.if", "bad-scene",
                        Phrase('the condition of choice "%(label)s" counts visits to '
                               '"%(name)s", which does not exist', label=label, name=name),
                        suggest(name, scenes))
            for name in sorted(variables - set_vars):
                rep.warn(f"{cpath}.if", "unset-variable",
                         Phrase('the condition of choice "%(label)s" uses "%(name)s", which no '
                                'choice sets', label=label, name=name),
                         suggest(name, set_vars) or Phrase("declare it under variables"))
    if scene.choices and all(c.condition is not None for c in scene.choices):
        rep.warn(f"{path}.choices", "all-choices-conditional",
                 Phrase('every choice of scene "%(scene)s" has a condition; when none holds, '
                        'the kiosk offers the last one anyway', scene=sid),
                 Phrase("leave one choice without a condition"))
    if scene.school and scene.school not in scenes:
        rep.add(f"{path}.school", "bad-scene",
                Phrase('the school alternative "%(school)s" of scene "%(scene)s" does not '
                       'exist', school=scene.school, scene=sid),
                suggest(scene.school, scenes))
    for i, note in enumerate(scene.content_notes):
        _note(pack, rep, note, f"{path}.content_notes[{i}]")
    for i, src in enumerate(scene.sources):
        if src not in story.sources:
            rep.add(f"{path}.sources[{i}]", "unknown-source",
                    Phrase('the source "%(source)s" is not among the story\'s sources',
                           source=src),
                    suggest(src, story.sources))
    if not scene.sources and any(has_statistic(t) for t in scene.text.values()):
        rep.warn(f"{path}.text", "statistic-without-source",
                 Phrase('scene "%(scene)s" states a figure without a source', scene=sid),
                 Phrase("add sources: [id] to the scene (ETHICS.md rule 12)"))
    for slot in slots.scene_slots(story.id, scene):
        for lang, rel in slot.files():
            _media(rep, pack, rel, slot.path + (f".{lang}" if lang else ""), slot.kind,
                   story.languages if slot.kind == "video" else None)
    if scene.image:
        img = scene.image
        if not pack.alt_text(img):
            rep.warn(f"{path}.image", "no-alt",
                     Phrase('the picture of scene "%(scene)s" has no alt text', scene=sid),
                     Phrase("describe media/%(file)s in the media library, so visitors who "
                            "cannot see it are told what it shows", file=img.src))

        blocked = sorted(set(img.tags) & set(M.BLOCKED_TAGS))
        if blocked and not img.override:
            rep.add(f"{path}.image", "blocked-imagery",
                    Phrase('the picture of scene "%(scene)s" is tagged %(tags)s, which '
                           'misrepresents coercion and blocks publishing', scene=sid,
                           tags=", ".join(blocked)),
                    Phrase("replace it, or record a reviewer's override with a reason"))
        if story.involves_minor and img.photo and not img.override:
            rep.add(f"{path}.image", "minor-photo",
                    Phrase('scene "%(scene)s" shows a photo in a story involving a minor',
                           scene=sid),
                    Phrase("use an illustration, or record a reviewer's override (ETHICS.md "
                           "rule 4)"))
    if scene.narration and not scene.captions:
        rep.warn(f"{path}.narration", "no-captions",
                 Phrase('the narration of scene "%(scene)s" has no captions', scene=sid),
                 Phrase("add captions: {language: file.vtt} so deaf visitors get every word"))
    if scene.video:
        if not scene.video.subtitles:
            rep.warn(f"{path}.video", "no-subtitles",
                     Phrase('the video of scene "%(scene)s" has no subtitles', scene=sid),
                     Phrase("add subtitles: {language: file.vtt} in every language of the "
                            "story"))


def _media(rep: Report, pack: M.Pack, rel: str, path: str, want: str,
           languages: list[str] | None = None) -> None:
    real, problems = mediacheck.locate(Path(pack.media_root(rel)), rel, rep.folders)
    found = [(ERROR, *p) for p in problems]
    if real is not None:
        found = mediacheck.content_findings(real, rel, want, languages or ())
    for severity, code, message, hint in found:
        rep.add(path, code, message, hint, severity)


def _check_graph(story: M.Story, rep: Report) -> None:
    scenes = story.scenes
    if story.start not in scenes:
        return
    reach = _closure([story.start], lambda s: _edges(scenes, s, school=True))
    for sid in scenes:
        if sid not in reach:
            rep.warn(f"scenes.{sid}", "unreachable",
                     Phrase('no path reaches scene "%(scene)s"', scene=sid),
                     Phrase("link to it, or remove it"))
    # Which scenes can reach an ending at all (conditions aside)? Those that cannot are
    # dead ends or loops with no way out; checked for visitors and for school sessions, where
    # the runtime enters a scene's school alternative instead of the scene.
    stuck = _stuck(scenes, story.start, lambda t: t)
    for sid in stuck:
        rep.add(f"scenes.{sid}", "no-way-out",
                Phrase('from scene "%(scene)s" no path leads to an ending (a loop with no way '
                       'out?)', scene=sid),
                Phrase("add a choice or next that leads on to an ending"))

    def school(t: str) -> str:
        alt = scenes[t].school
        return alt if alt in scenes else t

    for sid in _stuck(scenes, school(story.start), school) - stuck:
        rep.warn(f"scenes.{sid}", "no-way-out-school",
                 Phrase('in a school session, from scene "%(scene)s" no path leads to an ending',
                        scene=sid),
                 Phrase("check where the school alternatives lead"))


def _stuck(scenes: dict[str, M.Scene], start: str, enter: Callable[[str], str]) -> set[str]:
    """Scenes reachable from start that cannot reach an ending; `enter` maps a target to the
    scene actually entered."""

    def step(sid: str) -> list[str]:
        return [enter(t) for t in scenes[sid].targets if t in scenes]

    reach = _closure([start], step)
    back: dict[str, list[str]] = {s: [] for s in scenes}
    for sid in reach:
        for t in step(sid):
            back[t].append(sid)
    endings = [s for s in reach if scenes[s].ending is not None]
    finishing = _closure(endings, lambda s: back.get(s, []))
    return {s for s in reach if s not in finishing and _has_way(scenes[s])}


def _has_way(scene: M.Scene) -> bool:
    return bool(scene.next or scene.choices)


def _edges(scenes: dict[str, M.Scene], sid: str, school: bool) -> list[str]:
    scene = scenes[sid]
    out = [t for t in scene.targets if t in scenes]
    if school and scene.school in scenes:
        out.append(scene.school)
    return out


def _closure(start: list[str], step: Callable[[str], list[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _coverage(rep: Report | None, langs: list[str], texts: dict[str, M.Text],
              counts: dict[str, list[int]] | None,
              fallback: dict[str, list[str]] | None = None,
              falls: dict[str, list[str]] | None = None) -> None:
    """Count (and warn about) each text missing in a language; a text a declared fallback
    language has (`fallback`) is no warning: its path goes to `falls[language]` instead."""
    fallback = fallback or {}
    for path, text in texts.items():
        if not text:
            continue
        for lang in langs:
            present = bool(text.get(lang))
            if counts is not None:
                counts[lang][0] += present
                counts[lang][1] += 1
            if present:
                continue
            if any(text.get(f) for f in fallback.get(lang, ())):
                if falls is not None:
                    falls.setdefault(lang, []).append(path)
            elif rep is not None:
                rep.warn(f"{path}", "missing-translation",
                         Phrase("%(path)s has no %(language)s text", path=path, language=lang))


def _story_coverage(pack: M.Pack, story: M.Story, rep: Report, langs: list[str],
                    fallbacks: dict[str, list[str]]) -> dict[str, float]:
    """Warn about each slot given per language that lacks one of `langs` (unless a fallback
    language has it: its line id goes to `fallbacks`); the percentages of own text."""
    counts = {lang: [0, 0] for lang in langs}
    # A picture's alt text counts as the scene shows it: the library's merged with the scene's
    # override (a partial override is no missing translation; the library's text counts).
    per_language = [slot for slot in slots.story_slots(story) if slot.per_language]
    texts = {slot.path: pack.alt_text(story.scenes[slot.scene].image)
             if slot.id.endswith("/image/alt") else slot.value for slot in per_language}
    falls: dict[str, list[str]] = {}
    _coverage(rep, langs, texts, counts, pack.fallback, falls)
    ids = {slot.path: slot.id for slot in per_language}
    for lang, paths in falls.items():
        fallbacks[lang] = [ids[p] for p in paths]
    return {lang: (100.0 * ok / total if total else 100.0) for lang, (ok, total) in counts.items()}
