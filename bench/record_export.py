"""Benchmark: `kiosk record export` of one million events (kiosk/record).

Builds a record of N events (default 1,000,000; the last tenth on a later day), then runs the
real command line in a child process for CSV and JSON Lines, all events and the last tenth
(`--since`), and reports wall time and the child's peak RSS (from wait4). Flat memory means
the peak RSS of exporting all events is about that of exporting a tenth, and of a process
that only opens the record (the baseline, measured in the same run).

Target (issue 7): export of one million events in <= 10 s, memory flat (streamed).
Usage: .venv/bin/python bench/record_export.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.record import Store  # noqa: E402
from kiosk.record.export import verify  # noqa: E402

PAYLOADS = [
    ("scene_shown", '{"story":"mara","scene":"offer","duration_ms":5400}'),
    ("choice_made", '{"story":"mara","scene":"offer","choice":2}'),
    ("survey_answer", '{"question":"q-worry","answer":4,"phase":"after","story":"mara"}'),
    ("story_started", '{"story":"mara"}'),
]


def build(data_dir: Path, events: int) -> None:
    """A record of `events` events; the last tenth dated a day later."""
    store = Store.open(data_dir)
    kiosk = uuid.uuid4().hex
    tenth = events - events // 10
    batch = 50_000
    for start in range(0, events, batch):
        session = uuid.uuid4().hex
        rows = []
        for i in range(start, min(events, start + batch)):
            kind, payload = PAYLOADS[i % 4]
            day = "2026-11-02" if i >= tenth else "2026-11-01"
            rows.append((uuid.uuid4().hex, kiosk, session, f"{day}T{(i // 60000) % 24:02d}:00Z",
                         i, kind, payload))
        store.append_rows(rows)
    store.checkpoint()
    store.close()


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run a child process; its wall time (s), peak RSS (MiB) and stdout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {args}\n{err.decode()}")
    return elapsed, usage.ru_maxrss / 1024, out.decode()


def main() -> int:
    """Build the record, run the exports, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        data = tmp / "data"
        t0 = time.perf_counter()
        build(data, args.events)
        size = (data / "record.sqlite3").stat().st_size / 2**20
        print(f"built a record of {args.events:,} events ({size:.0f} MiB) in "
              f"{time.perf_counter() - t0:.1f} s")
        _, base_rss, _ = run_child(["-c", (
            "import sys; from kiosk.record import Store; from kiosk.record.export import export;"
            f"s = Store.open({str(data)!r}, check=False); s.total(); s.close()")])
        print(f"baseline: a process that opens the record and counts it: peak RSS "
              f"{base_rss:.0f} MiB")
        worst = 0.0
        for fmt in ("csv", "jsonl"):
            for label, extra in (("all", []), ("last tenth", ["--since", "2026-11-02"])):
                out = tmp / f"export-{fmt}-{len(extra)}.{fmt}"
                elapsed, rss, _ = run_child(["-m", "kiosk", "record", "export", "--format", fmt,
                                             "-o", str(out), "--data-dir", str(data), *extra])
                manifest = verify(out)
                mib = out.stat().st_size / 2**20
                print(f"{fmt:5} {label:10}: {manifest['count']:>9,} events, {mib:6.0f} MiB, "
                      f"{elapsed:5.2f} s wall (command start to end), "
                      f"{manifest['count'] / elapsed:>9,.0f} events/s, peak RSS {rss:.0f} MiB")
                if label == "all":
                    worst = max(worst, elapsed)
                    assert manifest["count"] == args.events
                out.unlink()
        print(json.dumps({"events": args.events, "worst_full_export_s": round(worst, 2)}))
        ok = worst <= 10 * args.events / 1_000_000
        print("target (1,000,000 events in <= 10 s):", "met" if ok else "NOT met")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
