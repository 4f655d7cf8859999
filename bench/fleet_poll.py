"""200 kiosks polling the admin every 30 s under gunicorn: the time of a whole poll.

    .venv/bin/python bench/fleet_poll.py [--kiosks 200] [--interval 30] [--compress 10]
                                         [--seconds 60] [--database sqlite|postgresql|both]

A kiosk's poll is its heartbeat (``POST /api/v1/heartbeat``) then its question
``GET /api/v1/assignment`` (a signed manifest of a pack assigned to every kiosk), each on a
new connection, as a kiosk's urllib does. Starts the admin with the README's run command
(``python -m admin.serve``, gunicorn, default WORKERS/THREADS) on a temporary instance,
registers the kiosks through the same registry as the Kiosks page, and has each poll every
``interval / compress`` seconds with +-20% jitter, as ``kiosk.fleet.heartbeat.HeartbeatSender``
does: time is compressed, the concurrency and the work per answer are the real ones. A pool
of client threads sends each poll when it falls due; each request is timed from sending to
the whole answer. The baseline, in the same run: a bare Flask "hello" under the same
gunicorn options (``bench/admin_pages.py --serve-hello``) polled the same way (two GETs).
For PostgreSQL, ``$STORYKIOSK_TEST_DATABASE_URL`` (``. scripts/postgres-env``) names the
server; the bench makes a database of its own there and drops it after. Target: the
answer's p95 <= 50 ms on SQLite and on PostgreSQL (each request of a poll; the whole poll's
p95 is printed too).
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
from collections import Counter
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
    from admin.models_distribution import Assignment, FleetBundle

    tokens = []
    with database(app).session() as db:
        for k in range(kiosks):
            tokens.append(registry.register(db, f"bench kiosk {k:03d}", None, "bench")[1])
        bundle = FleetBundle(pack_id="demo", version="1.2.0", sha256="f" * 64,
                             size=300_000_000, file="demo-1.2.0.zip")
        db.add(bundle)
        db.flush()  # the manifest names the bundle; its file is never fetched here
        db.add(Assignment(bundle_id=bundle.id, switch_mode="at", switch_at="22:00",
                          timezone="", rollback=False))
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


def _request(port: int, method: str, path: str, token: str | None,
             body: bytes | None = None) -> tuple[float, int]:
    """One request on a new connection: (seconds to the whole answer, status)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    sent = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return time.monotonic() - sent, resp.status


def poll(port: int, tokens: list[str], period: float, seconds: float, clients: int,
         hello: bool = False) -> dict[str, list[float]]:
    """Have every kiosk poll each period (with jitter) for `seconds`: its heartbeat, then its
    assignment (hello: two GET / instead). Times of each request ("heartbeat",
    "assignment"), of whole polls ("poll"), how late each poll was sent ("late"), and the
    refusals ("refused", one entry each)."""
    rng = random.Random(7)
    start = time.monotonic() + 0.5
    due = [(start + rng.uniform(0, period), k) for k in range(len(tokens))]
    heapq.heapify(due)
    lock = threading.Condition()
    out: dict[str, list[float]] = {"heartbeat": [], "assignment": [], "poll": [], "late": [],
                                   "refused": []}
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
            sent = time.monotonic()
            if hello:
                first = _request(port, "GET", "/", None)
                second = _request(port, "GET", "/", None)
            else:
                first = _request(port, "POST", "/api/v1/heartbeat", tokens[k],
                                 json.dumps(heartbeat(k, wrng)).encode())
                second = _request(port, "GET", "/api/v1/assignment", tokens[k])
            with lock:
                out["heartbeat"].append(first[0])
                out["assignment"].append(second[0])
                out["poll"].append(time.monotonic() - sent)
                out["late"].append(sent - at)
                out["refused"] += [s for _, s in (first, second) if s != 200]

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


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


def start_hello(port: int) -> subprocess.Popen:
    """The bare Flask "hello" under the admin's gunicorn options (bench/admin_pages.py)."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "admin_pages.py"),
                             "--serve-hello", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("the hello server did not start")


def _figures(label: str, got: dict[str, list[float]]) -> float:
    """Print one run's answer times; the p95 of its requests, in ms."""
    both = [t * 1000 for t in got["heartbeat"] + got["assignment"]]
    parts = ", ".join(f"{name} p50 {statistics.median(got[name]) * 1000:.1f} / p95 "
                      f"{pct(got[name], 95) * 1000:.1f} ms" for name in ("heartbeat", "assignment"))
    refused = ", ".join(f"{n} x {code}" for code, n in sorted(Counter(got["refused"]).items()))
    print(f"  {label}: {len(got['poll'])} polls, {len(got['refused'])} refused "
          f"({refused or 'none'}); {parts}; "
          f"each request p95 {pct(both, 95):.1f} ms, p99 {pct(both, 99):.1f} ms; whole poll "
          f"p95 {pct(got['poll'], 95) * 1000:.1f} ms; sent late p95 "
          f"{pct(got['late'], 95) * 1000:.0f} ms")
    return pct(both, 95)


def run(kind: str, args: argparse.Namespace) -> bool:
    """One run on one database, and the hello baseline; prints its figures; True when the
    target is met."""
    database_url, drop = None, lambda: None
    if kind == "postgresql":
        base = os.environ.get("STORYKIOSK_TEST_DATABASE_URL")
        if not base:
            print("postgresql: skipped: set STORYKIOSK_TEST_DATABASE_URL (. scripts/postgres-env)")
            return True
        database_url, drop = pg_database(base)
    tmp = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    period = args.interval / args.compress
    try:
        tokens = prepare(tmp / "instance", database_url, args.kiosks)
        port = free_port()
        proc = start_server(tmp / "instance", port, database_url)
        try:
            admin = poll(port, tokens, period, args.seconds, args.clients)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
    finally:
        drop()
    hello_port = free_port()
    hello_proc = start_hello(hello_port)
    try:
        hello = poll(hello_port, tokens, period, args.seconds, args.clients, hello=True)
    finally:
        os.killpg(hello_proc.pid, signal.SIGTERM)
        hello_proc.wait(20)
    print(f"{kind}: {args.kiosks} kiosks every {args.interval:g} s compressed "
          f"{args.compress:g}x (every {period:.2f} s, {args.kiosks / period:.0f} polls/s "
          f"offered, two requests each), {args.seconds:g} s each:")
    p95 = _figures("admin", admin)
    base = _figures("hello (baseline)", hello)
    met = p95 <= 50 and not admin["refused"]
    print(f"  admin p95 / hello p95 = {p95 / base:.2f} x; target p95 <= 50 ms: "
          f"{'met' if met else 'NOT met'}")
    return met


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
