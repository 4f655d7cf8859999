"""Admin page latency under 16 concurrent clients, beside a bare Flask "hello" (same gunicorn).

    .venv/bin/python bench/admin_pages.py [--clients 16] [--seconds 10]

Starts the admin with the README's run command (``python -m admin.serve``, gunicorn, default
WORKERS/THREADS) on a temporary instance with some accounts and audit entries, editing a
temporary copy of the demo pack, logs every client in once (password checks are not timed),
then has the clients request the admin's pages in a loop over keep-alive connections: half
as an administrator (the account pages), half as a curator (the content pages of issue 18:
story settings, pack settings, new story, new pack, the trash, the story map with its edit
forms; administrators are not curators). Then the same for a bare Flask app answering "hello" under the same gunicorn
options. Prints percentiles, throughput and the p95 ratio, and the p95 of each page group.
Target: admin p95 <= 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/users/", "/users/1", "/audit/", "/account/"]
CONTENT_PAGES = ["/stories/demo/emil/settings", "/packs/demo/settings", "/stories/demo/new",
                 "/packs/new", "/stories/demo/trash", "/stories/demo/emil/map"]
PASSWORD = "quiet gallery after closing time"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_hello(port: int) -> None:
    """Serve a bare Flask 'hello' with exactly the admin's gunicorn options."""
    from flask import Flask

    from admin.serve import GunicornServer, gunicorn_options
    from admin.settings import resolve

    config = resolve(tempfile.mkdtemp(prefix="hello-"), {"PORT": port})
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    sys.argv = sys.argv[:1]
    GunicornServer(lambda: hello, gunicorn_options(config)).run()


def seed(instance: str) -> None:
    """A bench user, 30 more accounts and 500 audit entries, so pages have content."""
    from admin import audit, create_app
    from admin.accounts import create_user
    from admin.db import database
    from admin.models import Role, User
    from admin.passwords import hash_password

    app = create_app({"INSTANCE_PATH": instance})
    database(app).migrate()
    create_user(app, "bench", PASSWORD, Role.ADMINISTRATOR, "Bench Administrator")
    create_user(app, "curator", PASSWORD, Role.CURATOR, "Bench Curator", check=False)
    shared_hash = hash_password(PASSWORD)
    roles = list(Role)
    with database(app).session() as db:
        for i in range(30):
            user = User(username=f"staff{i:02d}", display_name=f"Staff member {i}",
                        password_hash=shared_hash, role=roles[i % len(roles)].value,
                        languages="sv,it" if roles[i % len(roles)] == Role.TRANSLATOR else "")
            db.add(user)
            db.flush()
            audit.record(db, None, "user.create", f"user:{user.id}", None, user.snapshot(),
                         actor_name="bench")
        for i in range(470):
            audit.record(db, None, "user.edit", f"user:{2 + i % 30}", {"display_name": "a"},
                         {"display_name": f"b{i}"}, actor_name="bench")
        db.commit()
    database(app).dispose()


def start(cmd: list[str], env: dict, port: int) -> subprocess.Popen:
    """Start a server process and wait until its port answers."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server on port {port} did not start: {proc.stderr.read().decode()}")


class Client:
    """One keep-alive connection with the session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        """Send one request, remember a new cookie, return (status, body).

        A keep-alive connection the server closed while the client was idle (gunicorn keeps
        one 2 s; logging 16 clients in takes longer) is opened again, as a browser does."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
        data = r.read().decode()
        if set_cookie := r.getheader("Set-Cookie"):
            self.cookie = set_cookie.split(";", 1)[0]
        return r.status, data

    def log_in(self, username: str) -> None:
        """Log in through the real form (not timed)."""
        _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                       "password": PASSWORD})
        status, _ = self.request("POST", "/login", body)
        assert status == 302, f"login failed: {status}"


def load(port: int, plan: list[tuple[str | None, list[str]]], clients: int,
         seconds: float) -> dict:
    """Run the clients for `seconds` after a warm-up; latencies in ms and the request rate.

    Client i logs in as the user of ``plan[i % len(plan)]`` (None: no login) and requests
    that entry's paths in turn; ``groups`` holds the p95 of each entry's requests.
    """
    conns = [Client(port) for _ in range(clients)]
    for i, c in enumerate(conns):
        if plan[i % len(plan)][0]:
            c.log_in(plan[i % len(plan)][0])
    latencies: list[list[float]] = [[] for _ in conns]
    errors = []
    start_at = time.monotonic() + 2.0  # warm-up until then
    stop_at = start_at + seconds

    def run(i: int) -> None:
        c, n, paths = conns[i], i, plan[i % len(plan)][1]
        while (now := time.monotonic()) < stop_at:
            path = paths[n % len(paths)]
            n += 1
            t0 = time.perf_counter()
            status, _ = c.request("GET", path)
            elapsed = (time.perf_counter() - t0) * 1000
            if status != 200:
                errors.append((path, status))
            if now >= start_at:
                latencies[i].append(elapsed)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = sorted(x for lat in latencies for x in lat)
    q = statistics.quantiles(flat, n=100)
    groups = [statistics.quantiles([x for i, lat in enumerate(latencies)
                                    if i % len(plan) == g for x in lat], n=100)[94]
              for g in range(len(plan))]
    return {"n": len(flat), "rps": len(flat) / seconds, "p50": q[49], "p95": q[94],
            "p99": q[98], "errors": len(errors), "groups": groups}


def main() -> None:
    """Measure both servers and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--serve-hello", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_hello:
        serve_hello(args.serve_hello)
        return

    instance = tempfile.mkdtemp(prefix="bench-admin-")
    seed(instance)
    pack = Path(instance) / "demo"
    shutil.copytree(ROOT / "content", pack)
    admin_port, hello_port = free_port(), free_port()
    env = {**os.environ, "STORYKIOSK_ADMIN_INSTANCE_PATH": instance,
           "STORYKIOSK_ADMIN_PORT": str(admin_port), "PYTHONPATH": str(ROOT),
           "STORYKIOSK_ADMIN_CONTENT_PACKS": str(pack),
           "STORYKIOSK_ADMIN_PACKS_DIR": str(Path(instance) / "installed")}
    env.pop("STORYKIOSK_ADMIN_DATABASE_URL", None)
    results = {}
    hello = start([sys.executable, __file__, "--serve-hello", str(hello_port)], env, hello_port)
    try:
        results["hello"] = load(hello_port, [(None, ["/"])], args.clients, args.seconds)
    finally:
        hello.terminate()
        hello.wait()
    admin = start([sys.executable, "-m", "admin.serve"], env, admin_port)
    try:
        results["admin"] = load(admin_port, [("bench", PAGES), ("curator", CONTENT_PAGES)],
                                args.clients, args.seconds)
    finally:
        admin.terminate()
        admin.wait()

    print(f"{args.clients} clients, {args.seconds:.0f} s each, gunicorn gthread "
          f"(workers/threads from the admin's settings), {os.cpu_count()} cores")
    print(f"{'server':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:<8} {r['n']:>9} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['p99']:>8.1f} {r['errors']:>7}")
    for name, p95 in zip(("account pages (administrator)", "content pages (curator)"),
                         results["admin"]["groups"], strict=True):
        print(f"  {name:<30} p95 {p95:8.1f} ms")
    ratio = results["admin"]["p95"] / results["hello"]["p95"]
    verdict = "met" if results["admin"]["p95"] <= 100 else "MISSED"
    print(f"admin p95 / hello p95 = {ratio:.2f} x; target admin p95 <= 100 ms: {verdict}")


if __name__ == "__main__":
    main()
