"""Helpers for the school-session tests: the admin as a real server, kiosk records, suppression.

The expected numbers are computed here from the kiosk's own record files with plain sqlite3
and JSON, independently of ``admin.school.results`` (which reads the admin's tables).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from tests.support.feedback import breakdown_problems
from tests.support.isolation import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "school"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
FEWER = "fewer than 5"
PROTECTED = "hidden to protect a small group"  # a larger cell hidden beside a small one
HIDDEN = "hidden"
CHROME = {"language", "text_size", "sound", "help", "leave", "back"}
# The class's answers: q_leave moves from "agree" (4) to "disagree" (2); the others vary.
BEFORE = {"q_leave": lambda i: 4}
AFTER = {"q_leave": lambda i: 2}


class LiveAdmin:
    """``python -m admin.serve`` (gunicorn) on a free port, in its own process group."""

    def __init__(self, instance: Path, data_dir: Path):
        self.instance = instance
        self.env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance),
                    "STORYKIOSK_ADMIN_PORT": str(free_port()), "STORYKIOSK_ADMIN_WORKERS": "2",
                    "STORYKIOSK_ADMIN_THREADS": "4", "STORYKIOSK_DATA_DIR": str(data_dir)}
        self.env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "admin.serve"], cwd=ROOT,
                                     env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        self.base = None
        deadline = time.monotonic() + 60
        while self.base is None and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if m := re.search(r"admin: (http://127\.0\.0\.1:\d+/)", line):
                self.base = m.group(1)
        assert self.base, "the admin's run command did not print its address"
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)

    def app(self):
        """An in-process app on the same instance (to make accounts and register kiosks).

        Its kiosk data folder is the server's only while the caller sets
        $STORYKIOSK_DATA_DIR to ``self.env``'s (the ``live`` fixture does, for its module).
        """
        from admin import create_app

        return create_app({"INSTANCE_PATH": str(self.instance)})

    def stop(self) -> None:
        """SIGTERM the server's process group, then wait."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def record_rows(data_dir: Path) -> list[dict]:
    """A kiosk record's events as dicts (session_id, kind, offset_ms, payload as a dict)."""
    conn = sqlite3.connect(data_dir / "record.sqlite3")
    try:
        rows = conn.execute("SELECT session_id, kind, offset_ms, payload FROM events "
                            "ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [{"session": s, "kind": k, "offset": o, "payload": json.loads(p)}
            for s, k, o, p in rows]


def sessions_of(rows: list[dict], code: str | None) -> set[str]:
    """Sessions whose session_started carries the code (None: those without any code)."""
    return {r["session"] for r in rows if r["kind"] == "session_started"
            and r["payload"].get("school_code") == code}


def last_choices(rows: list[dict], sessions: set[str]) -> dict:
    """(story, scene) -> choice -> number of sessions whose last choice there it was."""
    last = {}
    for r in rows:
        if r["kind"] == "choice_made" and r["session"] in sessions:
            p = r["payload"]
            last[(r["session"], p["story"], p["scene"])] = str(p["choice"])
    out: dict = defaultdict(lambda: defaultdict(int))
    for (_s, story, scene), choice in last.items():
        out[(story, scene)][choice] += 1
    return out


def last_answers(rows: list[dict], sessions: set[str]) -> dict:
    """(question, phase) -> session -> its last answer."""
    out: dict = defaultdict(dict)
    for r in rows:
        if r["kind"] == "survey_answer" and r["session"] in sessions:
            p = r["payload"]
            out[(p["question"], p["phase"])][r["session"]] = p["answer"]
    return out


def published_problems(cells: dict[str, int], keys: list[str], got: dict[str, str],
                       total: str, unanimity: bool = False) -> list[str]:
    """What is wrong with a breakdown as the page shows it (ETHICS.md rule 11): see
    ``feedback_helpers.breakdown_problems``; with ``unanimity`` (the class's columns), a
    breakdown with a single non-empty cell is hidden whole."""
    if unanimity and sum(1 for k in keys if cells.get(k, 0) > 0) == 1:
        return [] if set(got.values()) == {HIDDEN} else [f"unanimous, shown as {got}"]
    plain = {FEWER: "<5", PROTECTED: "protected"}
    return breakdown_problems({k: cells.get(k, 0) for k in keys},
                              {k: plain.get(v, v) for k, v in got.items()},
                              plain.get(total, total))


def count(n: int) -> str:
    """A single count as published."""
    return FEWER if 0 < n < 5 else str(n)


def play_general_visitors(data_dir: Path, pack, n: int, seed: int = 7) -> None:
    """n ordinary visitors at another kiosk: the real record and story runtime, random taps."""
    from kiosk.record import Recorder
    from kiosk.story import Phase, StoryEngine

    rng = random.Random(seed)
    recorder = Recorder.open(data_dir)
    clock = [1000.0]

    def now() -> float:
        return clock[0]

    try:
        for _ in range(n):
            session = recorder.begin_session(pack.id, pack.version, "en", at=clock[0])
            engine = StoryEngine(pack, rng.choice(["emil", "samir"]),
                                 emit=session.record_runtime, clock=now)
            for q in pack.surveys.before:
                session.record("survey_answer", at=clock[0], question=q.id,
                               answer=rng.randint(1, 5), phase="before")
            state = engine.start(language="en")
            while engine.phase(state) != Phase.ENDED:
                clock[0] += rng.uniform(3, 20)
                if engine.phase(state) == Phase.AWAITING_CHOICE:
                    engine.choose(state, rng.choice(engine.view(state).choices).id)
                else:
                    engine.advance(state)
            for q in pack.surveys.after:
                session.record("survey_answer", at=clock[0] + 1, question=q.id,
                               answer=rng.randint(1, 5), phase="after")
            session.end("done", at=clock[0] + 2)
            clock[0] += 10
        assert recorder.flush()
    finally:
        recorder.close()


def kiosk_sync(data_dir: Path, base: str, token: str, tmp: Path) -> subprocess.CompletedProcess:
    """``kiosk sync`` as a process, for one kiosk's data folder."""
    env = {**os.environ, "STORYKIOSK_DATA_DIR": str(data_dir),
           "STORYKIOSK_CONFIG_DIR": str(tmp / "sync-config"),
           "STORYKIOSK_CACHE_DIR": str(tmp / "cache")}
    return subprocess.run([sys.executable, "-m", "kiosk", "sync", "--server", base,
                           "--token", token, "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def own_keys(driver) -> list[str]:
    """The screen's own buttons (not the chrome)."""
    return [k for k in driver.keys() if k not in CHROME]


def class_visit(driver, i: int, pack, shoot=None, hands=None) -> None:
    """One visit of the class in discussion mode: emil, through to the menu, then Leave now.

    ``driver`` says what is on the screen; ``hands`` taps (the driver itself, or the real
    window's xdotool with the driver as its shadow); ``shoot(name)`` saves a screenshot.
    """
    hands = hands or driver
    hands.tap((960, 540))  # attract -> menu (the session's language, no picker)
    assert driver.screen == "menu"
    assert sorted(k for k in own_keys(driver) if k.startswith("story:")) == [
        "story:emil", "story:samir"]
    if shoot:
        shoot("12-kiosk-menu")
    hands.press("story:emil")
    for _ in range(80):
        screen, keys = driver.screen, own_keys(driver)
        if screen == "discussion":
            view = driver.top.view
            scene = pack.stories["emil"].scenes[view.scene_id]
            if scene.discussion:
                assert driver.top.prompt == scene.discussion["en"]
            if shoot and view.scene_id == "teacher":
                shoot("13-kiosk-discussion")
                hands.press("show_others")
                shoot("14-kiosk-discussion-others")
            pick = {"teacher": "get-help"}.get(view.scene_id)
            choices = [k for k in keys if k.startswith("choice:")]
            hands.press(f"choice:{pick}" if f"choice:{pick}" in choices else choices[-1])
        elif screen == "choice":
            raise AssertionError("discussion mode must replace the choice screen")
        elif screen == "survey":
            top = driver.top
            qid = top.questions[top.index].id if top.index < len(top.questions) else None
            phase = top.params.get("phase")
            rule = (BEFORE if phase == "before" else AFTER).get(qid)
            answer = rule(i) if rule else (i + len(qid or "")) % 5 + 1
            hands.press(f"answer:{answer}" if f"answer:{answer}" in keys else keys[0])
        elif screen == "menu":
            break
        else:
            for key in ("continue", "next", "done"):
                if key in keys:
                    hands.press(key)
                    break
            else:
                raise AssertionError(f"stuck on {screen}: {keys}")
    assert driver.screen == "menu"
    hands.press("leave")
    hands.tap((960, 540))
    assert driver.screen == "attract"
