"""School sessions at the kiosk: the code, where the kiosk learns a session, and its mode.

A pedagogue prepares a session in the admin (``admin/views/school.py``) and gets a
six-character code. At the kiosk the code is entered on a keypad (the attract screen's
"School session" button, or the staff menu); ``SessionFinder.find(code)`` then looks for it:

1. **the admin**, when the kiosk has a sync server and token (``kiosk sync --save``, see
   ``kiosk.sync``): ``GET /api/v1/school-sessions/<code>`` with the kiosk's bearer token;
   the answer is kept in ``<data>/school/<CODE>.json`` so the session survives a restart;
2. **code files**: ``school-session-<CODE>.json`` as the admin's "Code file" button makes it,
   in ``<data>/school/`` (put there by ``kiosk school add FILE`` or by step 1) or at the top
   of a USB stick (``/media/*/``, ``/media/*/*/``, ``/run/media/*/*/``, or the folders in
   ``$STORYKIOSK_SCHOOL_DIRS``, separated by ``:``). A file from a stick must carry a
   signature made for this kiosk: HMAC-SHA256 of the session, keyed by the SHA-256 of the
   kiosk's sync token (the admin keeps only that hash; ``sign``/``verify``).

Whatever the source, the kiosk checks the date itself with its own clock: a code is valid on
its session's day only, and ``SchoolMode.expired`` turns true at local midnight. A code of
another pack, or whose stories this pack lacks, is not valid.

While a ``SchoolMode`` is on the context (``ctx.school``): the menu offers only the session's
stories, the visit's language is the session's, the story runtime plays school alternatives
(``StoryEngine(school=True)``), and each visitor session's ``session_started`` carries the
code. That tags every event of the session: each event carries the session's random id, and
a record session never spans a change of mode (entering or ending a code ends the visit in
progress first, ``kiosk/scenes/school_code.py``), so all of a session's events were recorded
under the code its start carries. The code is kept on that one event rather than copied to
every row (docs/school.md, Running). Discussion mode pauses at each branching point on the
``discussion`` screen.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import hmac
import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.settings import env

log = logging.getLogger(__name__)

# No look-alikes: 0/O, 1/I/L, 5/S, 2/Z, 8/B are all left out.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6
FILE_FORMAT = 1
USB_GLOBS = ("/media/*", "/media/*/*", "/run/media/*/*", "/mnt/*")
ENV_DIRS = "STORYKIOSK_SCHOOL_DIRS"
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise(raw: str) -> str:
    """The code as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t")


def is_code(raw: str) -> bool:
    """True when raw (normalised) has the form of a session code."""
    code = normalise(raw)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def canonical(session: dict) -> bytes:
    """The bytes a signature covers: the session dict as sorted, compact JSON."""
    return json.dumps(session, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sign(session: dict, token_hash: str) -> str:
    """HMAC-SHA256 (hex) of a session for one kiosk; the key is its token's SHA-256 (hex)."""
    return hmac.new(token_hash.encode("ascii"), canonical(session), hashlib.sha256).hexdigest()


def verify(document: dict, token: str) -> bool:
    """True when one of a code file's signatures was made for the kiosk holding this token."""
    if not isinstance(document, dict) or not isinstance(document.get("session"), dict):
        return False
    mine = sign(document["session"], hashlib.sha256(token.encode("utf-8")).hexdigest())
    return any(hmac.compare_digest(mine, str(s)) for s in document.get("signatures") or [])


class CodeRefused(Exception):
    """A code the kiosk will not run: ``reason`` is "not_valid" or "expired"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class SchoolSession:
    """What the kiosk knows of a session."""

    code: str
    day: dt.date
    language: str
    pack: str
    stories: tuple[str, ...]
    discussion: bool = False
    age_group: str = ""
    # story -> scene -> choice -> visitor sessions (int) or "<5" (suppressed by the admin)
    others: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, data: dict) -> SchoolSession:
        """Build from the admin's JSON; CodeRefused("not_valid") when it is malformed."""
        try:
            day = data["date"]
            if not isinstance(day, str) or not DAY_RE.match(day):
                raise ValueError("date")
            stories = data["stories"]
            if not isinstance(stories, list) or not all(isinstance(s, str) for s in stories):
                raise ValueError("stories")
            others = data.get("others") or {}
            if not isinstance(others, dict):
                raise ValueError("others")
            return cls(normalise(str(data["code"])), dt.date.fromisoformat(day),
                       str(data["language"]), str(data["pack"]), tuple(stories),
                       bool(data.get("discussion")), str(data.get("age_group", "")), others)
        except (KeyError, TypeError, ValueError) as exc:
            raise CodeRefused("not_valid", f"malformed session ({exc})") from None

    def to_dict(self) -> dict:
        """The JSON form (as the admin sends it)."""
        return {"code": self.code, "date": self.day.isoformat(), "language": self.language,
                "pack": self.pack, "stories": list(self.stories), "discussion": self.discussion,
                "age_group": self.age_group, "others": self.others}


class SchoolMode:
    """A session running on this kiosk (``ctx.school``) until ended or midnight."""

    def __init__(self, session: SchoolSession, pack, today: Callable[[], dt.date]):
        self.session = session
        self.today = today
        self.stories = [s for s in session.stories if s in pack.stories]
        self.language = session.language if session.language in pack.languages \
            else pack.default_language

    @property
    def code(self) -> str:
        """The session code every visitor session is tagged with."""
        return self.session.code

    @property
    def discussion(self) -> bool:
        """True in discussion mode (pause at each branching point)."""
        return self.session.discussion

    def expired(self) -> bool:
        """True from local midnight after the session's day (or before it)."""
        return self.today() != self.session.day

    def offers(self, story_id: str) -> bool:
        """True when the story is one of the session's."""
        return story_id in self.stories

    def filter(self, stories: list) -> list:
        """The session's stories among those given (model Story objects)."""
        return [s for s in stories if s.id in self.stories]

    def others(self, story: str, scene: str) -> dict:
        """How other visitors chose at a branching point: choice id -> int or "<5"."""
        return dict((self.session.others.get(story) or {}).get(scene) or {})


class SessionFinder:
    """Finds the session of a code: the admin's API first, then code files (module doc)."""

    def __init__(self, data_dir: Path, *, sync_config=None,
                 today: Callable[[], dt.date] = dt.date.today,
                 usb_dirs: list[Path] | None = None, timeout: float = 5.0):
        self.folder = Path(data_dir) / "school"
        self.sync_config = sync_config
        self.today = today
        self.usb_dirs = usb_dirs
        self.timeout = timeout

    @classmethod
    def for_kiosk(cls, data_dir: Path, today: Callable[[], dt.date] = dt.date.today,
                  config_dir: Path | None = None) -> SessionFinder:
        """A finder with the kiosk's sync settings (none when no server is configured)."""
        from kiosk.sync import SyncError, load_config

        try:
            config = load_config(config_dir=config_dir)
        except SyncError as exc:
            log.warning("school sessions: sync settings unusable (%s): code files only", exc)
            config = None
        return cls(data_dir, sync_config=config, today=today)

    def find(self, raw_code: str, pack) -> SchoolMode:
        """The running mode for a code, or CodeRefused with the reason to show."""
        code = normalise(raw_code)
        if not is_code(code):
            raise CodeRefused("not_valid", "not a session code")
        session = self._from_server(code) or self._from_files(code)
        if session is None or session.code != code:
            raise CodeRefused("not_valid", "no session with this code")
        if session.day != self.today():
            raise CodeRefused("expired", f"the session was for {session.day.isoformat()}")
        mode = SchoolMode(session, pack, self.today)
        if session.pack != pack.id or not mode.stories:
            raise CodeRefused("not_valid", f"the session is for pack {session.pack!r}")
        return mode

    # -- sources ----------------------------------------------------------------------------
    def _from_server(self, code: str) -> SchoolSession | None:
        config = self.sync_config
        if config is None:
            return None
        req = urllib.request.Request(
            f"{config.api}/school-sessions/{urllib.parse.quote(code)}",
            headers={"Authorization": f"Bearer {config.token}", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 410:
                raise CodeRefused("expired", "the admin says: not today") from None
            if exc.code == 404:
                log.info("school session: the admin knows no such code; trying code files")
            else:
                log.warning("school session lookup refused: HTTP %s", exc.code)
            return None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("school session lookup: no answer from the admin (%s)", exc)
            return None
        session = SchoolSession.from_dict((data or {}).get("session") or {})
        self._keep({"format": FILE_FORMAT, "session": session.to_dict(), "source": "admin"},
                   code)
        return session

    def _keep(self, document: dict, code: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{code}.{os.getpid()}"
            tmp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.folder / f"{code}.json")
        except OSError as exc:
            log.warning("school session not kept on disk: %s", exc)

    def _from_files(self, code: str) -> SchoolSession | None:
        kept = self.folder / f"{code}.json"
        if kept.exists():
            document = _read(kept)
            if document is not None:
                return SchoolSession.from_dict(document["session"])
        token = self.sync_config.token if self.sync_config else None
        for folder in self._usb_folders():
            path = folder / f"school-session-{code}.json"
            if not path.is_file():
                continue
            document = _read(path)
            if document is None:
                continue
            if token is None or not verify(document, token):
                log.warning("school code file %s: not signed for this kiosk", path)
                continue
            self._keep(document, code)
            return SchoolSession.from_dict(document["session"])
        return None

    def _usb_folders(self) -> list[Path]:
        if self.usb_dirs is not None:
            return list(self.usb_dirs)
        extra = [Path(p) for p in env(ENV_DIRS).split(":") if p]
        return extra + [Path(p) for pattern in USB_GLOBS for p in sorted(glob.glob(pattern))]


def _read(path: Path) -> dict | None:
    """A code file's JSON, or None (logged) when it cannot be read or is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("school code file %s unreadable: %s", path, exc)
        return None
    if not isinstance(document, dict) or not isinstance(document.get("session"), dict):
        log.warning("school code file %s: not a code file", path)
        return None
    return document


def add_file(path: Path, data_dir: Path) -> SchoolSession:
    """Keep a code file a staff member copied in (``kiosk school add``); returns its session."""
    document = _read(Path(path))
    if document is None:
        raise CodeRefused("not_valid", f"{path} is not a school session code file")
    session = SchoolSession.from_dict(document["session"])
    SessionFinder(data_dir)._keep(document, session.code)
    return session


def finder_for(app) -> SessionFinder:
    """The app's finder (``app.school_finder`` when a test or the launcher set one)."""
    finder = getattr(app, "school_finder", None)
    if finder is None:
        from kiosk.paths import data_dir

        finder = SessionFinder.for_kiosk(app.ctx.data_dir or data_dir())
        app.school_finder = finder
    return finder
