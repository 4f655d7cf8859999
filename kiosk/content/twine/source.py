"""The neutral form of a Twine story, and `read`, which picks the reader a file needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.content.findings import ERROR, WARNING, Finding
from kiosk.content.phrase import Phrase

THE_FILE = Phrase("the file")


class TwineError(ValueError):
    """A file that cannot be read as a Twine story; the message is a sentence for the author.

    Like ``admin.content.media.Refused``: ``msgid`` with ``%(name)s`` placeholders and
    ``params`` (a param may be a Phrase), so the admin shows it translated
    (``admin.i18n.reason``); ``str(exc)``, which ``kiosk import twine`` prints, is English.
    """

    def __init__(self, msgid: str, **params: object):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params


@dataclass
class Passage:
    """One passage: `line` is the 1-based line of its header (or tag) in the source file."""

    name: str
    text: str
    tags: list[str] = field(default_factory=list)
    line: int = 0
    position: tuple[float, float] | None = None
    size: tuple[float, float] | None = None


@dataclass
class TwineStory:
    """A story as Twine holds it, plus what the reader had to say about the file."""

    title: str
    passages: list[Passage]
    start: str | None = None
    format: str = ""
    format_version: str = ""
    ifid: str = ""
    file: str = ""
    findings: list[Finding] = field(default_factory=list)
    legacy: bool = False

    def warn(self, code: str, message: str, line: int = 0, hint: str = "") -> None:
        """Record a warning about the source file."""
        self.findings.append(Finding(WARNING, code, message, self.file, line, 0, "", hint))

    def error(self, code: str, message: str, line: int = 0, hint: str = "") -> None:
        """Record an error about the source file."""
        self.findings.append(Finding(ERROR, code, message, self.file, line, 0, "", hint))


def read(text: str, file: str = "") -> list[TwineStory]:
    """Every story in `text` (Twee or Twine HTML); TwineError when it is neither."""
    from kiosk.content.twine import html, twee

    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    if "<tw-storydata" in head or "<tw-storydata" in text.lower():
        return html.read(text, file)
    if twee.looks_like_twee(text):
        return [twee.read(text, file)]
    if head.startswith("<"):
        raise TwineError("%(file)s is HTML but holds no Twine story (no <tw-storydata> "
                         "element): publish the story from Twine 2 with 'Publish to File', "
                         "or export it as Twee", file=file or THE_FILE)
    raise TwineError("%(file)s is neither Twee (passages start with '::') nor a Twine 2 HTML "
                     "file, so there is nothing to import", file=file or THE_FILE)
