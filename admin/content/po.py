"""A pack's language as a PO file (Babel), for Poedit or Weblate, and reading one back.

Each line is one message: the context is the line id (``emil/scenes/start/text``), the
msgid the source-language text, the msgstr the translation. The alt texts of the pictures
the stories show come last, one message a picture (``@pictures/<path>/alt``: the media
library's, in pack.yaml); an import keeps them under ``values[PICTURES]``. An import is all or nothing:
unknown ids, broken placeholders, a source that changed since the export, or a file in
another language refuse the whole file, with every reason listed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from admin.content.lines import source_hash, story_lines
from kiosk.content import model as M
from kiosk.content.slots import PICTURES, picture_slot


class Reason:
    """Why a line or a file was refused or skipped: an English sentence with ``%(name)s``
    placeholders and their values, shown translated (``admin.i18n.reason``)."""

    def __init__(self, msgid: str, **params: object):
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        return self.msgid % self.params if self.params else self.msgid

    def __repr__(self) -> str:
        return f"Reason({str(self)!r})"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{[A-Za-z0-9_]*\}")


def placeholders(text: str) -> list[str]:
    """The placeholders in a text, sorted (`{name}`, `%(n)d`, `%s`)."""
    return sorted(PLACEHOLDER.findall(text))


def export_po(pack: M.Pack, language: str, marks: dict[str, str],
              previous: dict[str, str] | None = None, translator: str = "") -> bytes:
    """Every story line of a pack in one language as PO bytes: out-of-date ones fuzzy, with
    the source they were translated from (``#| msgid``) where `previous` (line id -> old
    source) has it, so Poedit and Weblate show what changed."""
    previous = previous or {}
    source = pack.default_language
    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name("en")
    except (ValueError, UnknownLocaleError):
        name = language
    # A full header (msgfmt -c warns about the template's placeholders otherwise).
    cat = Catalog(locale=language.replace("-", "_"), project=f"storykiosk pack {pack.id}",
                  version=pack.version, charset="utf-8", fuzzy=False,
                  language_team=f"{name} <{language}@storykiosk.invalid>",
                  last_translator=translator or f"Storykiosk <{pack.id}@storykiosk.invalid>",
                  msgid_bugs_address=f"{pack.id}@storykiosk.invalid",
                  creation_date=datetime.now(UTC),
                  revision_date=datetime.now(UTC))
    cat.domain = pack.id
    for story in pack.stories.values():
        for line in story_lines(story):
            src = line.text.get(source, "").strip()
            if not src:
                continue
            tgt = line.text.get(language, "").strip()
            fuzzy = bool(tgt) and line.id in marks and marks[line.id] != source_hash(src)
            old = previous.get(line.id) if fuzzy else None
            cat.add(src, tgt, context=line.id, auto_comments=[f"{story.id}: {line.label}"],
                    flags=("fuzzy",) if fuzzy else (),
                    previous_id=old or ())
    for line in shown_pictures(pack):
        src = line.text.get(source, "").strip()
        if src:
            cat.add(src, line.text.get(language, "").strip(), context=line.id,
                    auto_comments=[f"media/{line.keys[1]}: {line.label}"])
    buf = io.BytesIO()
    write_po(buf, cat, width=0, sort_output=False, include_previous=True)
    return buf.getvalue()


def shown_pictures(pack: M.Pack) -> list:
    """The alt-text lines of the pictures the pack's stories show, once each, in story order."""
    paths = dict.fromkeys(scene.image.src for story in pack.stories.values()
                          for scene in story.scenes.values() if scene.image)
    return [picture_slot(pack, src) for src in paths]


@dataclass
class ImportReport:
    """What an import did or would do: added, changed, refused (with reasons), skipped."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, Reason | str]] = field(default_factory=list)
    refused: list[tuple[str, Reason | str]] = field(default_factory=list)
    # story id (or PICTURES) -> line id -> text
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    interrupted: str = ""  # "conflict" or "failure": checked fine, but nothing was written

    @property
    def ok(self) -> bool:
        """True when nothing was refused."""
        return not self.refused


def read_import(pack: M.Pack, language: str, data: bytes) -> ImportReport:
    """Check a PO file against the pack; the report says what it would change."""
    report = ImportReport()
    try:
        cat = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        report.refused.append(("file", Reason("not a readable PO file: %(error)s",
                                              error=str(exc))))
        return report
    if not any(msg.id for msg in cat):
        report.refused.append(("file", Reason("not a readable PO file: it holds no messages")))
        return report
    if cat.locale is not None and str(cat.locale).replace("_", "-") != language:
        report.refused.append(("file", Reason("the file is in %(found)s, not %(language)s",
                                              found=str(cat.locale), language=language)))
        return report
    source = pack.default_language
    lines = {}
    for story in pack.stories.values():
        for line in story_lines(story):
            lines[line.id] = (story.id, line)
    for line in shown_pictures(pack):
        lines[line.id] = (PICTURES, line)
    for msg in cat:
        if not msg.id:
            continue
        ctx = msg.context or ""
        if ctx not in lines:
            report.refused.append((ctx or str(msg.id)[:40],
                                   Reason("unknown id: no such line in the pack")))
            continue
        if isinstance(msg.id, tuple) or isinstance(msg.string, tuple):
            report.refused.append((ctx, Reason("plural forms are not used in stories")))
            continue
        story_id, line = lines[ctx]
        src = line.text.get(source, "").strip()
        if msg.id.strip() != src:
            report.refused.append((ctx, Reason("the source text changed since the file was "
                                               "exported: export again")))
            continue
        new = (msg.string or "").strip()
        if not new:
            continue
        if msg.fuzzy:
            report.skipped.append((ctx, Reason("marked fuzzy (needs review)")))
            continue
        if placeholders(new) != placeholders(src):
            report.refused.append((ctx, Reason(
                "placeholders differ from the source: %(source)s vs %(translation)s",
                source=str(placeholders(src)), translation=str(placeholders(new)))))
            continue
        old = line.text.get(language, "").strip()
        if new == old:
            report.unchanged += 1
            continue
        (report.added if not old else report.changed).append(ctx)
        report.values.setdefault(story_id, {})[ctx] = new
    return report
