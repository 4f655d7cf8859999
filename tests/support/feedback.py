"""Helpers for the feedback tests: visitor sessions played into a real Recorder, servers."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from kiosk.record import Recorder
from tests.support.waiting import wait_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
STORIES = {"mara": ["home", "offer", "advert", "messages", "border", "end"],
           "emil": ["farm", "bus", "hostel", "talk", "end"],
           "nadia": ["flat", "phone", "office", "end"]}
LANGUAGES = ["sv", "en", "it", "lv"]


def play_sessions(recorder: Recorder, n: int, seed: int = 1, pack_version: str = "1.0.0",
                  t0: float = 1000.0, pack: str = "demo") -> float:
    """Play n varied visitor sessions (monotonic times from t0) of a pack (the demo base by
    default; "demo-se" for the Swedish overlay, whose country the admin knows); return the
    last time used."""
    rng = random.Random(seed)
    t = t0
    for _ in range(n):
        school = "CLASS-7B" if rng.random() < 0.2 else None
        s = recorder.begin_session(pack, pack_version, rng.choice(LANGUAGES), school, at=t)
        story = rng.choice(sorted(STORIES))
        scenes = STORIES[story]
        t += 1
        s.record("survey_answer", at=t, question="q-aware", answer=rng.randint(1, 5),
                 phase="before", story=story)
        s.record_runtime({"event": "story_started", "story": story, "at": t})
        stop_at = rng.randint(1, len(scenes)) if rng.random() < 0.4 else len(scenes)
        for i, scene in enumerate(scenes[:stop_at]):
            t += rng.uniform(2, 40)
            s.record_runtime({"event": "scene_entered", "story": story, "scene": scene, "at": t})
            if i == 1:
                t += 1
                s.record_runtime({"event": "choice_made", "story": story, "scene": scene,
                                  "choice": rng.randint(0, 2), "at": t})
        t += rng.uniform(2, 20)
        if stop_at == len(scenes):
            s.record_runtime({"event": "story_finished", "story": story, "ending": "end",
                              "at": t})
            s.record("survey_answer", at=t + 1, question="q-aware", answer=rng.randint(1, 5),
                     phase="after", story=story)
            s.end("done", at=t + 2)
        elif rng.random() < 0.5:
            s.end("leave_now", at=t, story=story, scene=scenes[stop_at - 1])
        else:
            s.record_runtime({"event": "story_left", "story": story,
                              "scene": scenes[stop_at - 1], "at": t})
            s.end("idle_reset", at=t + 1)
        t += 5
    return t


def record_rows(data_dir: Path) -> list[dict]:
    """The kiosk record's events, as plain dicts (id, session, kind, payload, synced_at...)."""
    conn = sqlite3.connect(data_dir / "record.sqlite3")
    try:
        cur = conn.execute("SELECT id, kiosk_id, session_id, at_minute, offset_ms, kind, "
                           "payload, synced_at FROM events ORDER BY seq")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]
    finally:
        conn.close()


def admin_rows(db_path: Path) -> list[dict]:
    """The admin's stored events, read with plain sqlite3."""
    conn = sqlite3.connect(db_path)
    try:
        cur = conn.execute("SELECT id, kiosk_id, session_id, at_minute, offset_ms, kind, "
                           "payload FROM feedback_events")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur]
    finally:
        conn.close()


def admin_count(db_path: Path) -> int:
    """How many events the admin holds (0 before its tables exist)."""
    try:
        conn = sqlite3.connect(db_path, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM feedback_events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def same_event(kiosk: dict, admin: dict) -> bool:
    """True when the admin's copy carries what the kiosk recorded."""
    return (kiosk["kiosk_id"], kiosk["session_id"], kiosk["at_minute"], kiosk["offset_ms"],
            kiosk["kind"], json.loads(kiosk["payload"])) == (
        admin["kiosk_id"], admin["session_id"], admin["at_minute"], admin["offset_ms"],
        admin["kind"], json.loads(admin["payload"]))


class AdminServer:
    """The admin under gunicorn (`python -m admin.serve`), a real process group."""

    def __init__(self, instance: Path, port: int, workers: int = 2):
        self.instance = instance
        self.port = port
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        """Start and wait until it listens."""
        env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(self.instance),
               "STORYKIOSK_ADMIN_PORT": str(self.port), "STORYKIOSK_ADMIN_HOST": "127.0.0.1",
               "STORYKIOSK_ADMIN_WORKERS": str(self.workers), "STORYKIOSK_ADMIN_THREADS": "4"}
        self.proc = subprocess.Popen([PYTHON, "-m", "admin.serve"], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        if not wait_port(self.port):
            self.kill()
            raise RuntimeError("the admin did not start listening")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once (a crash, not a shutdown)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then kill what is left."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.kill()


def breakdown_problems(cells: dict[str, int], published: dict[str, str],
                       total: str | None = None) -> list[str]:
    """What is wrong with a published breakdown whose total a reader knows (ETHICS.md 11).

    Worked out here from the rule, independently of the admin's audit: a cell of 1 to 4
    reads "<5", a hidden larger one "protected", a shown one its count; and from the total
    minus the shown cells, every hidden cell could be anything in a range of at least 5, and
    every "<5" still any of three counts or more (knowing "<5" is 1 to 4, "protected" 5 or
    more). Where the labels are withheld, every hidden cell reads "hidden" (1 or more) and
    every small one is still any of three counts or more.
    ``total``: the total as published, when the breakdown prints it ("protected": unknown).
    """
    out = []
    withheld = "hidden" in published.values()
    for k, n in cells.items():
        want = ("hidden" if withheld else "<5") if 0 < n < 5 else None
        got = published.get(k, "0" if n == 0 else None)
        if want and got != want:
            out.append(f"{k}: {n} published as {got}")
        elif not want and got not in (str(n), "hidden" if withheld else "protected"):
            out.append(f"{k}: {n} published as {got}")
        elif got == "protected" and n < 5:
            out.append(f"{k}: {n} labelled protected")
    if total is not None and total != str(sum(cells.values())):
        if total == "<5" and 0 < sum(cells.values()) < 5:
            return out  # a small total: every cell of it is small too, and reads "<5"
        if total != "protected" or sum(cells.values()) < 5:
            out.append(f"the total {sum(cells.values())} published as {total}")
        return out  # a hidden total: nothing to work the hidden cells out from
    hidden = [k for k in cells if published.get(k) in ("<5", "protected", "hidden")]
    rest = sum(cells[k] for k in hidden)  # the total minus the shown cells
    for k in hidden:
        if len(hidden) == 1 or rest < 5:
            out.append(f"{k}: lies in 0..{rest} with only {len(hidden)} hidden")
        if published[k] == "hidden" and cells[k] < 5:
            high = rest - (len(hidden) - 1)  # the others are 1 or more each
            if high - 1 < 2:
                out.append(f"{k}: read as 1..{high} from the other cells being hidden")
        if published[k] != "<5":
            continue
        others = [published[o] for o in hidden if o != k]
        low = 1 if "protected" in others else max(1, rest - 4 * len(others))
        high = min(4, rest - sum(1 if o == "<5" else 5 for o in others))
        if high - low < 2:
            out.append(f"{k}: read as {low}..{high} from the other cells' labels")
    return out
