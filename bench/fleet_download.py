"""Benchmark: a pack to many kiosks at once over loopback, and a cut download resumed.

Measures, in one run:
1. the admin under gunicorn (`python -m admin.serve`, --workers x 4 threads) on 127.0.0.1
   serving one published pack of --mb MB (random media, so the zip cannot shrink it) to
   --kiosks kiosks at once, each fetching with the kiosk's own code
   (`kiosk.fleet.download.fetch`: ranges, write, fsync, SHA-256 check), each with its own
   token and folder; the wall time until all have a verified copy;
2. the baseline: copying the same bundle --kiosks times on this disk (`shutil.copyfile`
   and fsync, one after the other), and the ratio fetch/copy;
3. a download cut by a proxy at 60 % of the bundle and resumed: the bytes of the bundle
   sent twice (the second answer's body minus what was missing), against one chunk of the
   kiosk's reads (`download.CHUNK`).

Targets (issue 22): 1. within 2 x of 2.; 3. at most one chunk sent again.
Usage: .venv/bin/python bench/fleet_download.py [--mb 100] [--kiosks 10] [--workers 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from admin import create_app  # noqa: E402
from admin.db import database  # noqa: E402
from admin.feedback import registry  # noqa: E402
from admin.fleet import assign, downloads  # noqa: E402
from kiosk.fleet import download  # noqa: E402
from tests.support.byte_proxy import ByteProxy  # noqa: E402
from tests.support.feedback import AdminServer  # noqa: E402
from tests.support.fleet_packs import pack_at  # noqa: E402
from tests.support.isolation import free_port  # noqa: E402


def set_up(base: Path, mb: int, kiosks: int):
    """A migrated admin with the pack published and assigned to every kiosk; the tokens."""
    app = create_app({"INSTANCE_PATH": str(base / "instance")})
    database(app).migrate()
    tokens = []
    with database(app).session() as db:
        pack = pack_at(base / "pack" / "test", "1.0", mb * 1024 * 1024, seed=22,
                       today=dt.date.today())
        bundle = downloads.publish(app, db, pack, base / "work", None)
        assign.assign(db, bundle, None, "attract", None, "Europe/Stockholm", None)
        for i in range(kiosks + 1):
            _k, token = registry.register(db, f"bench {i}", None, actor_name="bench")
            tokens.append(token)
        db.commit()
        info = (bundle.pack_id, bundle.version, bundle.size, bundle.sha256,
                downloads.bundles_dir(app) / bundle.file)
    database(app).dispose()
    return info, tokens


def fetch_all(port: int, info, tokens: list[str], base: Path) -> float:
    """Every kiosk fetches at once; the wall time until all copies are verified."""
    pack_id, version, size, sha, _path = info
    url = f"http://127.0.0.1:{port}/api/v1/bundles/{pack_id}/{version}"
    errors: list[BaseException] = []

    def one(i: int, token: str) -> None:
        try:
            download.fetch(url, token, base / f"kiosk{i}" / "b.zip", size, sha, timeout=120)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i, t)) for i, t in enumerate(tokens)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    if errors:
        raise SystemExit(f"a kiosk failed: {errors[0]}")
    return took


def copy_all(path: Path, n: int, base: Path) -> float:
    """The same bytes copied n times on this disk, each fsynced."""
    start = time.perf_counter()
    for i in range(n):
        dest = base / f"copy{i}.zip"
        shutil.copyfile(path, dest)
        with dest.open("rb+") as fh:
            os.fsync(fh.fileno())
    return time.perf_counter() - start


def cut_and_resume(port: int, info, token: str, base: Path) -> tuple[int, int]:
    """(bytes the first try kept, bytes of the bundle sent again) for a cut at 60 %."""
    pack_id, version, size, sha, _path = info
    proxy = ByteProxy(port, [("cut", int(size * 0.6))])
    url = f"http://127.0.0.1:{proxy.port}/api/v1/bundles/{pack_id}/{version}"
    dest = base / "resumed" / "b.zip"
    try:
        download.fetch(url, token, dest, size, sha, timeout=120)
        raise SystemExit("the cut did not happen")
    except download.Transient:
        pass
    had = download.part_size(dest.with_name(dest.name + ".part"))
    download.fetch(url, token, dest, size, sha, timeout=120)
    deadline = time.monotonic() + 5
    while 1 not in proxy.answers and time.monotonic() < deadline:
        time.sleep(0.01)
    proxy.close()
    return had, proxy.answers[1][1] - (size - had)


def main() -> int:
    """Run the three measurements and print them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--kiosks", type=int, default=10)
    ap.add_argument("--workers", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        base = Path(tmp)
        info, tokens = set_up(base, args.mb, args.kiosks)
        size = info[2]
        server = AdminServer(base / "instance", free_port(), workers=args.workers)
        server.start()
        try:
            fetched = fetch_all(server.port, info, tokens[:args.kiosks], base)
            copied = copy_all(info[4], args.kiosks, base)
            had, resent = cut_and_resume(server.port, info, tokens[-1], base)
        finally:
            server.stop()
        total = size * args.kiosks / 1e6
        print(f"bundle {size / 1e6:.1f} MB to {args.kiosks} kiosks at once over loopback: "
              f"{fetched:.2f} s ({total / fetched:.0f} MB/s, checksums included)")
        print(f"the same bytes copied {args.kiosks} times on this disk: {copied:.2f} s "
              f"({total / copied:.0f} MB/s)")
        ratio = fetched / copied
        print(f"fetch / copy: {ratio:.2f} x (target <= 2 x: {'met' if ratio <= 2 else 'missed'})")
        print(f"cut at 60 %: {had / 1e6:.2f} MB kept; sent again after the resume: {resent} "
              f"bytes (one chunk is {download.CHUNK}: "
              f"{'met' if resent <= download.CHUNK else 'missed'})")
        print(f"load average: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
