"""The anonymous visitor record: events appended on the kiosk, exported or synced later.

The kiosk (its main loop) uses it like this::

    from kiosk.record import Recorder, EventRefused

    recorder = Recorder.open()                 # or Recorder.open(data_dir, retention_days=400)
    session = recorder.begin_session("demo", "1.0.0", "sv", school_code=None,
                                     free_text_questions={"q-why"})
    session.record("story_started", story="mara")
    session.record_runtime(event_dict_from_the_story_runtime)   # scene_entered -> scene_shown
    session.record("survey_answer", question="q1", answer=4, phase="after", story="mara")
    session.end("leave_now", story="mara", scene="offer")      # or end("done"), end("idle_reset")
    recorder.status().line                     # the sentence for the staff menu
    recorder.close()                           # at exit: writes what is queued

API (exact names):

- `Recorder.open(data_dir=None, kiosk_id=None, *, retention_days=400, batch_interval=0.1,
  max_backlog=20_000, retry_interval=5.0, max_size_mb=None, check_on_open=True,
  journal=True) -> Recorder`. Returns at once; the SQLite file is opened on the writer
  thread (the append journal on the caller's). Never raises for disk trouble.
- `recorder.begin_session(pack_id, pack_version, language, school_code=None, *,
  free_text_questions=frozenset(), at=None) -> VisitorSession` records `session_started`.
- `session.record(kind, at=None, **fields) -> bool` and `recorder.append(session, kind,
  at=None, **fields) -> bool`: validate, write one line to the append journal (`os.write`
  into the page cache: no fsync, never waits on the disk) and queue for the writer.
  `at` is a `time.monotonic()` reading (default now). False when the event will not be
  recorded: the session has ended, the recorder is closed (or its writer thread gone), or
  recording is stopped with `max_backlog` events already held in memory. True means it is
  kept. A kind or field outside the whitelist raises `EventRefused`
  (a `ValueError`); see `kiosk.record.kinds.KINDS`.
- `session.record_runtime(event: dict) -> bool`: the story runtime's events (story_started,
  scene_entered, choice_made, story_ended, story_left; name under "event", "kind" or "type",
  monotonic time under "at", "t" or "time"); scene_skipped and language_changed are not kept.
  Pass it as the engine's callback: `kiosk.story.StoryEngine(pack, story, clock=time.monotonic,
  emit=session.record_runtime)`; the session's `at` must come from the same clock.
- `session.end(reason="done", at=None, **fields) -> bool`: reason done, leave_now, idle_reset,
  language_changed or shutdown; writes the open scene's `scene_shown`, then `leave_now` /
  `idle_reset` (with optional story, scene), then `session_ended`; the id is forgotten.
- `recorder.flush(timeout=5.0, fsync=False) -> bool`: blocks until everything queued before
  the call is committed. Not for use inside a frame.
- `recorder.status() -> RecordStatus` (recording, state, line, since, written, dropped, held,
  waiting_sync, waiting_export, kiosk_id): cheap, for the staff menu.
- `recorder.close(timeout=10.0) -> bool`.
- For `kiosk sync` (issue 10): `Store.open(data_dir)` then `store.pending_batch(limit)`
  (oldest unacknowledged events as dicts) and `store.mark_synced(ids) -> int`.

What "returned" means (durability): once `record()` returned, the event survives a `kill -9`
of the process at any moment: its line is in the append journal (`record.journal.*`, see
`kiosk.record.journal`), which the next start replays into SQLite (events already committed
are skipped by id). The writer commits the queue every `batch_interval` (0.1 s), one
transaction per batch, and deletes journal files whose events are all committed. Once
`flush()` has returned True, every event queued before it is committed to the SQLite file;
`flush(fsync=True)` also survives a power cut (WAL checkpointed and synced). The journal is
not synced: a power cut (not a kill) can lose what was recorded since the last commit, at
most `batch_interval` (WAL with synchronous=NORMAL may lose its last commits too; the file is
never damaged). While the disk refuses writes, or the journal passed 16 MiB with nothing
committed, events are only held in memory (one log line) until the journal is written again.

When the disk is full or read-only, the kiosk keeps playing: the writer logs one line, holds
up to `max_backlog` events in memory (`record()` returns False for newer ones and counts them
in `dropped`), `status()` says so, and recording resumes by itself within `retry_interval` of
the disk coming back. A damaged file is moved aside as `record.sqlite3.corrupt-<UTC stamp>`
(never deleted) and a new one started holding every event that could still be read from it
(`kiosk.record.salvage`; their sync state kept); the log and `status().line` say how many.
Events older than `retention_days` are deleted once exported or synced (at start and daily),
never before.
"""

from kiosk.record.kinds import KINDS, EventRefused
from kiosk.record.recorder import Recorder, RecordStatus
from kiosk.record.session import VisitorSession
from kiosk.record.store import RecordDamaged, RecordError, Store

__all__ = ["KINDS", "EventRefused", "RecordDamaged", "RecordError", "RecordStatus", "Recorder",
           "Store", "VisitorSession"]
