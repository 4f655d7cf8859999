"""Benchmark: the visitor-feedback story report over many stored events (SQLite).

Fills a temporary admin database with --events events (sessions as kiosks record them,
through the same ingest path as the API), then times `reports.story_report` for a few filter
sets, --repeat times each, and prints p50/p95 per filter set.

Target (issue 10): every report over one million events answers at p95 within 300 ms.
Usage: .venv/bin/python bench/feedback_reports.py [--events 1000000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from feedback_ingest import make_events  # noqa: E402

from admin import create_app  # noqa: E402
from admin.db import database  # noqa: E402
from admin.feedback import ingest, reports  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main() -> None:
    """Fill, then time the report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        app = create_app({"INSTANCE_PATH": str(tmp)})
        db_ = database(app)
        db_.migrate()
        t0 = time.perf_counter()
        for k in range(4):
            events = make_events(args.events // 4, uuid.uuid4().hex, seed=k)
            rows = [ingest.check_one(e) for e in events]
            for i in range(0, len(rows), 1000):
                with db_.session() as db:
                    ingest.store(db, rows[i:i + 1000], "sync")
                    db.commit()
        print(f"filled {args.events:,} events in {time.perf_counter() - t0:.0f} s")
        cases = {"no filter": reports.Filters(), "one story": reports.Filters(story="mara"),
                 "one language": reports.Filters(language="sv"),
                 "a week": reports.Filters(date_from="2026-11-01", date_to="2026-11-07")}
        for name, filters in cases.items():
            times = []
            for _ in range(args.repeat):
                with db_.session() as db:
                    t = time.perf_counter()
                    reports.story_report(db, filters)
                    times.append(time.perf_counter() - t)
            print(f"story report, {name}: p50 {pct(times, 50) * 1000:.0f} ms, p95 "
                  f"{pct(times, 95) * 1000:.0f} ms (target p95 <= 300 ms)")
        db_.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
