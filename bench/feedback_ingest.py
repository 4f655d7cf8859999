"""Benchmark: ingest of kiosk events through the sync API (admin under gunicorn, SQLite).

Measures, in one run:
1. the API: `POST /api/v1/events` over loopback HTTP to the admin served by gunicorn
   (`python -m admin.serve`, its default 2 workers x 8 threads), SQLite in a temporary
   instance folder, batches of --batch events sent by --clients concurrent senders (as
   several kiosks would); events/s end to end, and per-request latency p50/p95/max;
2. the same events sent a second time (all duplicates: the idempotent path);
3. the baseline: bare `sqlite3` executemany inserts of the same rows into the same table
   (schema from the admin's own migrations, same pragmas), one transaction per batch;
   and the ratio API/bare.

Target (issue 10): at least 5,000 events/s through the API.
Usage: .venv/bin/python bench/feedback_ingest.py [--events 100000] [--batch 1000] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from admin import create_app  # noqa: E402
from admin.db import database  # noqa: E402
from admin.feedback import ingest, registry  # noqa: E402

STORIES = ["mara", "emil", "nadia", "samir"]


def make_events(n: int, kiosk_id: str, seed: int = 1) -> list[dict]:
    """n events shaped like a kiosk's: sessions of a start, survey before, scenes, choices,
    survey after and rating, end; a fifth of them school sessions."""
    rng = random.Random(seed)
    out: list[dict] = []
    while len(out) < n:
        sid, story, off = uuid.uuid4().hex, rng.choice(STORIES), 0
        minute = f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(9, 18):02d}:{rng.randint(0, 59):02d}Z"
        start = {"pack": "demo", "pack_version": "1.0.0",
                 "language": rng.choice(["sv", "en", "it", "lv", "el"])}
        if rng.random() < 0.2:
            start["school_code"] = "K7QX2M"
        kinds = [("session_started", start)]
        questions = ["q_leave", "q_force"] if rng.random() < 0.5 else []
        kinds += [("survey_answer", {"question": q, "answer": rng.randint(1, 5),
                                     "phase": "before", "story": story}) for q in questions]
        kinds.append(("story_started", {"story": story}))
        seen = rng.randint(2, 8)
        for i in range(seen):
            kinds.append(("scene_shown", {"story": story, "scene": f"s{i}",
                                          "duration_ms": rng.randint(1000, 60000)}))
            if i in (1, 4):
                kinds.append(("choice_made", {"story": story, "scene": f"s{i}",
                                              "choice": rng.choice(["ask", "wait", "call"])}))
        if seen >= 5:
            kinds.append(("story_finished", {"story": story, "ending": "end"}))
            kinds += [("survey_answer", {"question": q, "answer": rng.randint(1, 5),
                                         "phase": "after", "story": story}) for q in questions]
            kinds.append(("rating", {"story": story, "value": rng.randint(1, 5)}))
        kinds.append(("session_ended", {"reason": "done"}))
        for kind, payload in kinds:
            off += rng.randint(500, 30000)
            out.append({"id": uuid.uuid4().hex, "kiosk_id": kiosk_id, "session_id": sid,
                        "at": minute, "offset_ms": off, "kind": kind, "payload": payload})
    return out[:n]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance),
           "STORYKIOSK_ADMIN_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "-m", "admin.serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("the admin did not start")


def send_all(port: int, tokens: list[str], batches: list[list[dict]]) -> tuple[float, list]:
    """Send the batches with one sender per token; returns (seconds, per-request latencies)."""
    bodies = [json.dumps({"events": b}).encode() for b in batches]
    latencies: list[float] = []
    lock = threading.Lock()

    def sender(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for i in range(k, len(bodies), len(tokens)):
            t0 = time.perf_counter()
            conn.request("POST", "/api/v1/events", body=bodies[i],
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {tokens[k]}"})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise SystemExit(f"refused: {resp.status} {body[:200]!r}")
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(len(tokens))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies


def bare_inserts(tmp: Path, rows: list[dict], batch: int) -> float:
    """Rows/s of bare executemany into the admin's feedback_events table (same schema)."""
    app = create_app({"INSTANCE_PATH": str(tmp / "bare")})
    database(app).migrate()
    database(app).dispose()
    conn = sqlite3.connect(tmp / "bare" / "admin.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    values = [(r["id"], r["kiosk_id"], r["session_id"], r["at_minute"], r["offset_ms"],
               r["kind"], r["story"], r["payload"], "sync", "2026-11-28 12:00:00") for r in rows]
    t0 = time.perf_counter()
    for i in range(0, len(values), batch):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO feedback_events (id, kiosk_id, session_id, at_minute, "
                         "offset_ms, kind, story, payload, source, received_at) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values[i:i + batch])
        conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    conn.close()
    return len(values) / seconds


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-feedback-"))
    instance = tmp / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    database(app).migrate()
    tokens, kiosk_ids = [], []
    with database(app).session() as db:
        for k in range(args.clients):
            tokens.append(registry.register(db, f"bench {k}", None, "bench")[1])
            kiosk_ids.append(uuid.uuid4().hex)
        db.commit()
    database(app).dispose()
    per = args.events // args.clients
    events_by_kiosk = [make_events(per, kid, seed=k) for k, kid in enumerate(kiosk_ids)]
    # Interleave so that sender k sends only kiosk k's batches.
    chunks = [[ev[i:i + args.batch] for i in range(0, len(ev), args.batch)]
              for ev in events_by_kiosk]
    batches = [c[j] for j in range(max(map(len, chunks))) for c in chunks if j < len(c)]
    total = sum(map(len, batches))
    port = free_port()
    proc = start_server(instance, port)
    try:
        seconds, lat = send_all(port, tokens, batches)
        again, lat2 = send_all(port, tokens, batches)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    conn = sqlite3.connect(instance / "admin.sqlite3")
    held = conn.execute("SELECT count(*) FROM feedback_events").fetchone()[0]
    conn.close()
    assert held == total, (held, total)
    rows = [ingest.check_one(e) for ev in events_by_kiosk for e in ev]
    bare = bare_inserts(tmp, rows, args.batch)
    api = total / seconds
    print(f"API (gunicorn 2 workers x 8 threads, SQLite, {args.clients} senders, batches of "
          f"{args.batch}): {total:,} events in {seconds:.2f} s = {api:,.0f} events/s; "
          f"per request p50 {statistics.median(lat) * 1000:.0f} ms, p95 "
          f"{pct(lat, 95) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms")
    print(f"API, the same events again (all duplicates, nothing stored): "
          f"{total / again:,.0f} events/s; p50 {statistics.median(lat2) * 1000:.0f} ms")
    print(f"bare sqlite3 executemany of the same rows, same table and indexes, "
          f"{args.batch} per transaction: {bare:,.0f} rows/s")
    print(f"ratio API/bare: {api / bare:.2f}; target >= 5,000 events/s through the API: "
          f"{'met' if api >= 5000 else 'NOT met'}")
    for p in tmp.rglob("*"):
        if p.is_file():
            p.unlink()


if __name__ == "__main__":
    main()
