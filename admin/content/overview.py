"""What the packs and stories pages show: languages, coverage, findings, consent status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError

from kiosk.content import LoadedPack
from kiosk.content import model as M
from kiosk.content.findings import ERROR, Finding
from kiosk.content.phrase import Phrase


@dataclass
class StoryRow:
    """One story of a pack as the list shows it."""

    id: str
    file: str
    title: str
    languages: list[str]
    coverage: dict[str, float]
    errors: int
    warnings: int
    consent: str  # ok, missing, expired, review-soon, country
    consent_text: str
    findings: list[Finding] = field(default_factory=list)


def language_name(code: str) -> str:
    """A language's own name ("svenska"), or its code."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
        return name[:1].upper() + name[1:]  # a list entry: "Svenska", as menus write it
    except (ValueError, UnknownLocaleError):
        return code


def consent_status(story: M.Story, findings: list[Finding],
                   today: dt.date | None = None) -> tuple[str, str]:
    """(status, sentence) of a story's consent (ETHICS.md rules 1 and 2)."""
    today = today or dt.date.today()
    c = story.consent
    problems = [f for f in findings if f.path.startswith("consent") and f.severity == ERROR]
    if c is None:
        return "missing", Phrase("no consent on record: the story cannot be shown")
    if problems:
        return "blocked", problems[0].phrase()
    if c.review_by < today + dt.timedelta(days=90):
        return "review-soon", Phrase("%(kind)s, %(record)s: review by %(date)s", kind=c.kind,
                                     record=c.record, date=c.review_by.isoformat())
    return "ok", Phrase("%(kind)s, %(record)s, %(countries)s, review by %(date)s",
                        kind=c.kind, record=c.record, countries=", ".join(c.countries),
                        date=c.review_by.isoformat())


def story_title(story: M.Story, prefer: list[str]) -> str:
    """The title in the first language of `prefer` that has one."""
    for lang in prefer:
        if story.title.get(lang):
            return story.title[lang]
    return next(iter(story.title.values()), story.id)


def story_rows(loaded: LoadedPack, prefer: list[str]) -> list[StoryRow]:
    """Every story of a loaded pack, with its findings."""
    if loaded.pack is None:
        return []
    rows = []
    for story in loaded.pack.stories.values():
        mine = [f for f in loaded.findings if f.file == story.file]
        status, text = consent_status(story, mine)
        rows.append(StoryRow(
            story.id, story.file, story_title(story, prefer), story.languages,
            loaded.coverage.get(story.id, {}),
            sum(f.severity == ERROR for f in mine), sum(f.severity != ERROR for f in mine),
            status, text, mine))
    return rows
