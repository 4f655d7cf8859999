"""Benchmark: the anonymous record's append path (kiosk/record).

Measures, in one run:
1. the main-thread cost of `session.record()` inside a 60 fps frame loop (the kiosk's case),
   and in a tight loop while the writer thread competes for the interpreter; each with the
   append journal (the default: an event survives kill -9 once record() returned) and
   queue-only (`journal=False`, the path before the journal), with the ratio of medians;
2. sustained throughput: events appended and committed per second (until `flush()` returns);
3. the baseline: bare `sqlite3` inserts of the same rows into the same schema (WAL,
   synchronous=NORMAL, executemany, one transaction per batch), and the ratio.

Targets (issue 7): p99 main-thread cost <= 0.2 ms; throughput >= 20,000 events/s.
Usage: .venv/bin/python bench/record_append.py [--events 300000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.record import Recorder  # noqa: E402
from kiosk.record.store import MIGRATIONS, _statements  # noqa: E402

KINDS = [
    ("scene_shown", {"story": "mara", "scene": "offer", "duration_ms": 5400}),
    ("choice_made", {"story": "mara", "scene": "offer", "choice": 2}),
    ("survey_answer", {"question": "q-worry", "answer": 4, "phase": "after", "story": "mara"}),
    ("story_started", {"story": "mara"}),
]


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def frame_loop(tmp: Path, seconds: float, batch_interval: float = 0.1,
               journal: bool = True) -> list[float]:
    """60 fps, a burst of 1-40 events per frame; the cost of each record() in microseconds."""
    rec = Recorder.open(tmp / f"frames-{batch_interval}-{journal}", batch_interval=batch_interval,
                        journal=journal)
    rec.flush(10)
    session = rec.begin_session("demo", "1.0", "sv")
    costs: list[float] = []
    frame = 1 / 60
    end = time.perf_counter() + seconds
    n = 0
    clock = time.perf_counter
    while clock() < end:
        start = clock()
        for _ in range(1 + (n * 7) % 40):
            kind, fields = KINDS[n % 4]
            t0 = clock()
            session.record(kind, **fields)
            costs.append((clock() - t0) * 1e6)
            n += 1
        time.sleep(max(0.0, frame - (clock() - start)))
    rec.close()
    return costs


def tight(tmp: Path, events: int, journal: bool = True) -> tuple[list[float], float, float]:
    """Append `events` as fast as possible; per-call costs (us), append rate, committed rate."""
    rec = Recorder.open(tmp / f"tight-{journal}", journal=journal)
    rec.flush(10)
    session = rec.begin_session("demo", "1.0", "sv")
    costs = [0.0] * events
    clock = time.perf_counter
    t_start = clock()
    for i in range(events):
        kind, fields = KINDS[i % 4]
        t0 = clock()
        session.record(kind, **fields)
        costs[i] = (clock() - t0) * 1e6
    t_appended = clock()
    assert rec.flush(120), "flush failed"
    t_done = clock()
    written = rec.status().written
    rec.close()
    assert written == events + 1, (written, events)
    return costs, events / (t_appended - t_start), events / (t_done - t_start)


def sustained(tmp: Path, seconds: float, rate: int) -> tuple[float, int, float]:
    """Offer `rate` events/s for `seconds` in 10 ms slices; committed rate and max backlog."""
    rec = Recorder.open(tmp / "sustained")
    rec.flush(10)
    session = rec.begin_session("demo", "1.0", "sv")
    per_slice = rate // 100
    clock = time.perf_counter
    start = clock()
    n = 0
    max_held = 0
    costs = []
    while clock() - start < seconds:
        s0 = clock()
        for _ in range(per_slice):
            kind, fields = KINDS[n % 4]
            t0 = clock()
            session.record(kind, **fields)
            costs.append(clock() - t0)
            n += 1
        max_held = max(max_held, rec.status().held)
        time.sleep(max(0.0, 0.01 - (clock() - s0)))
    assert rec.flush(60)
    elapsed = clock() - start
    rec.close()
    return n / elapsed, max_held, pct(costs, 99) * 1e6


def bare_sqlite(tmp: Path, events: int, batch: int = 1000) -> float:
    """Bare sqlite3: the same rows, the same schema, executemany per transaction; rows/s."""
    path = tmp / "bare.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    kiosk, session = uuid.uuid4().hex, uuid.uuid4().hex
    rows = [(uuid.uuid4().hex, kiosk, session, "2026-11-28T12:00Z", i, KINDS[i % 4][0],
             json.dumps(KINDS[i % 4][1], separators=(",", ":"))) for i in range(events)]
    sql = ("INSERT INTO events (id, kiosk_id, session_id, at_minute, offset_ms, kind, payload)"
           " VALUES (?, ?, ?, ?, ?, ?, ?)")
    start = time.perf_counter()
    for i in range(0, events, batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows[i:i + batch])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return events / elapsed


def main() -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=300_000)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-record-"))
    try:
        idle = frame_loop(tmp, args.seconds, batch_interval=3600)
        print(f"baseline: the journaled frame loop with the writer idle (nothing committed): p50 "
              f"{statistics.median(idle):.1f} us, p99 {pct(idle, 99):.1f} us, p99.9 "
              f"{pct(idle, 99.9):.1f} us, max {max(idle):.1f} us")
        queued = frame_loop(tmp, args.seconds, journal=False)
        frames = frame_loop(tmp, args.seconds)
        for name, c in (("queue only (journal=False)", queued), ("journaled (default)", frames)):
            print(f"frame loop, {name} (60 fps, 1-40 events/frame, {len(c)} appends): "
                  f"main-thread cost per append p50 {statistics.median(c):.1f} us, p99 "
                  f"{pct(c, 99):.1f} us, p99.9 {pct(c, 99.9):.1f} us, max {max(c):.1f} us")
        print(f"frame loop ratio journaled/queue-only: p50 "
              f"{statistics.median(frames) / statistics.median(queued):.2f}, p99 "
              f"{pct(frames, 99) / pct(queued, 99):.2f}")
        qcosts, qappended, qcommitted = tight(tmp, args.events, journal=False)
        costs, appended, committed = tight(tmp, args.events)
        for name, c, a, m in (("queue only", qcosts, qappended, qcommitted),
                              ("journaled", costs, appended, committed)):
            print(f"tight loop, {name} ({args.events} appends, writer competing): cost p50 "
                  f"{statistics.median(c):.1f} us, p99 {pct(c, 99):.1f} us, p99.9 "
                  f"{pct(c, 99.9):.1f} us; appended {a:,.0f}/s, committed "
                  f"(until flush returned) {m:,.0f} events/s")
        print(f"tight loop ratio journaled/queue-only: cost p50 "
              f"{statistics.median(costs) / statistics.median(qcosts):.2f}, committed "
              f"throughput {committed / qcommitted:.2f}")
        rate, held, p99s = sustained(tmp, args.seconds, 25_000)
        print(f"sustained: aiming at 25,000 events/s for {args.seconds:.0f} s: committed "
              f"{rate:,.0f} events/s (all offered), most events held in memory {held:,}, cost p99 {p99s:.1f} us")
        bare = bare_sqlite(tmp, args.events)
        (tmp / "bare.sqlite3").unlink()
        bare_big = bare_sqlite(tmp, args.events, batch=10_000)
        print(f"bare sqlite3, same rows and schema, WAL + NORMAL, executemany: "
              f"{bare:,.0f} rows/s at 1,000 per transaction, {bare_big:,.0f} rows/s at 10,000")
        print(f"ratio recorder/bare (committed throughput): {committed / bare:.2f} "
              f"(vs 1,000 per transaction), {committed / bare_big:.2f} (vs 10,000)")
        ok = pct(frames, 99) <= 200 and committed >= 20_000
        print("targets (p99 <= 200 us in the frame loop, >= 20,000 events/s):",
              "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
