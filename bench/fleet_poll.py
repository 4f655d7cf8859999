"""200 kiosks sending their heartbeat every 30 s to the admin under gunicorn: the answer's time.

    .venv/bin/python bench/fleet_poll.py [--kiosks 200] [--interval 30] [--compress 10]
                                         [--seconds 60] [--database sqlite|postgresql|both]

Starts the admin with the README's run command (``python -m admin.serve``, gunicorn, default
WORKERS/THREADS) on a temporary instance, registers the kiosks through the same registry as
the Kiosks page, and has each post a full heartbeat (``POST /api/v1/heartbeat``, a new
connection each time, as a kiosk's urllib does) every ``interval / compress`` seconds with
+-20% jitter, as ``kiosk.fleet.heartbeat.HeartbeatSender`` does: time is compressed, the
concurrency and the work per answer are the real ones. A pool of client threads sends each
heartbeat when it falls due; the time is measured from sending to the whole answer. For
PostgreSQL, ``$STORYKIOSK_TEST_DATABASE_URL`` (``. scripts/postgres-env``) names the server;
the bench makes a database of its own there and drops it after. Target: p95 <= 50 ms on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GB = 1_000_000_000


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heartbeat(k: int, rng: random.Random) -> dict:
    """A kiosk's full heartbeat (some downloading, some with a switch planned)."""
    playing = {"id": "demo", "version": "1.1.0", "sha256": f"{k:064x}"}
    assigned = {"id": "demo", "version": "1.2.0", "sha256": "f" * 64}
    done = rng.randrange(0, 300_000_000)
    return {"playing": playing, "assigned": assigned,
            "download": {"done": done, "total": 300_000_000},
            "switch": {"version": "1.2.0", "when": "22:00"} if k % 5 == 0 else None,
            "disk": {"free": rng.randrange(1, 60) * GB, "total": 64 * GB},
            "program": "0.1.0", "uptime": rng.uniform(0, 86400), "last_error": None,
            "screen_failures": rng.randrange(0, 3), "waiting": rng.randrange(0, 500),
            "clock": time.time(), "screen": "1920x1080", "time_zone": "Europe/Riga"}


def prepare(instance: Path, database_url: str | None, kiosks: int) -> list[str]:
    """Migrate the admin's database and register the kiosks; their tokens."""
    from admin import create_app
    from admin.db import database
    from admin.feedback import registry

    config = {"INSTANCE_PATH": str(instance)}
    if database_url:
        config["DATABASE_URL"] = database_url
    app = create_app(config)
    database(app).migrate()
    tokens = []
    with database(app).session() as db:
        for k in range(kiosks):
            tokens.append(registry.register(db, f"bench kiosk {k:03d}", None, "bench")[1])
        db.commit()
    database(app).dispose()
    return tokens


def start_server(instance: Path, port: int, database_url: str | None) -> subprocess.Popen:
    """The admin under gunicorn, as the README runs it."""
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": str(instance),
           "STORYKIOSK_ADMIN_PORT": str(port)}
    if database_url:
        env["STORYKIOSK_ADMIN_DATABASE_URL"] = database_url
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


def poll(port: int, tokens: list[str], period: float, seconds: float,
         clients: int) -> tuple[list[float], list[float], int]:
    """Send every kiosk's heartbeat each period (with jitter) for `seconds`; returns the
    answer times, how late each was sent, and the number of refusals."""
    rng = random.Random(7)
    start = time.monotonic() + 0.5
    due = [(start + rng.uniform(0, period), k) for k in range(len(tokens))]
    heapq.heapify(due)
    lock = threading.Condition()
    times: list[float] = []
    late: list[float] = []
    refused = [0]
    end = start + seconds

    def worker() -> None:
        wrng = random.Random()
        while True:
            with lock:
                while True:
                    at, k = due[0]
                    if at >= end:
                        return
                    wait = at - time.monotonic()
                    if wait <= 0:
                        heapq.heappop(due)
                        heapq.heappush(due, (at + period * (1 + wrng.uniform(-0.2, 0.2)), k))
                        break
                    lock.wait(min(wait, 0.05))
            body = json.dumps(heartbeat(k, wrng)).encode()
            sent = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/api/v1/heartbeat", body=body,
                         headers={"Content-Type": "application/json",
                                  "Authorization": f"Bearer {tokens[k]}"})
            resp = conn.getresponse()
            resp.read()
            conn.close()
            took = time.monotonic() - sent
            with lock:
                times.append(took)
                late.append(sent - at)
                if resp.status != 200:
                    refused[0] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, late, refused[0]


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def pg_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A database of the bench's own beside $STORYKIOSK_TEST_DATABASE_URL, and its dropper."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"storykiosk_bench_fleet_{secrets.token_hex(4)}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    url = make_url(base_url).set(database=name)
    return url.render_as_string(hide_password=False), drop


def run(kind: str, args: argparse.Namespace) -> bool:
    """One run on one database; prints its figures; True when the target is met."""
    database_url, drop = None, lambda: None
    if kind == "postgresql":
        base = os.environ.get("STORYKIOSK_TEST_DATABASE_URL")
        if not base:
            print("postgresql: skipped: set STORYKIOSK_TEST_DATABASE_URL (. scripts/postgres-env)")
            return True
        database_url, drop = pg_database(base)
    tmp = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    try:
        tokens = prepare(tmp / "instance", database_url, args.kiosks)
        port = free_port()
        proc = start_server(tmp / "instance", port, database_url)
        period = args.interval / args.compress
        try:
            times, late, refused = poll(port, tokens, period, args.seconds, args.clients)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
    finally:
        drop()
    ms = [t * 1000 for t in times]
    p95 = pct(ms, 95)
    print(f"{kind}: {args.kiosks} kiosks every {args.interval:g} s compressed {args.compress:g}x "
          f"(every {period:.2f} s, {args.kiosks / period:.0f} heartbeats/s offered), "
          f"{len(ms)} answers in {args.seconds:g} s, {refused} refused; answer p50 "
          f"{statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, p99 {pct(ms, 99):.1f} ms, max "
          f"{max(ms):.1f} ms; sent late p95 {pct(late, 95) * 1000:.0f} ms; target p95 <= 50 ms: "
          f"{'met' if p95 <= 50 and not refused else 'NOT met'}")
    return p95 <= 50 and not refused


def main() -> int:
    """Run on the databases asked for; exit 1 when a target is missed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosks", type=int, default=200)
    ap.add_argument("--interval", type=float, default=30.0, help="seconds between heartbeats")
    ap.add_argument("--compress", type=float, default=10.0,
                    help="time compression: heartbeats come this many times as often")
    ap.add_argument("--seconds", type=float, default=60.0, help="length of each run")
    ap.add_argument("--clients", type=int, default=32, help="client threads sending")
    ap.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    return 0 if all([run(kind, args) for kind in kinds]) else 1


if __name__ == "__main__":
    sys.exit(main())
