"""The admin's content work, timed on the demo pack: saves, new stories, previews, import.

    .venv/bin/python bench/admin_content.py [--saves 30] [--previews 5]

Runs the real admin app (in-process test client: the whole request, form parsing, CSRF,
the scene splice, the validator, the atomic write, the revision row) on a temporary copy of
the demo pack, with a baseline measured in the same run beside each figure:

- saving a scene (target <= 150 ms), beside loading and validating the whole pack with
  ``kiosk.content.load_pack`` (what a save through the full loader would cost);
- creating a blank story, saving a story's settings and saving the pack settings (issue 18,
  target <= 300 ms each, ``--saves`` times each), beside the same ``load_pack`` baseline;
- a scene preview, uncached (target <= 500 ms) and cached (target <= 20 ms), each beside its
  like: the uncached preview with the renderer running beside the kiosk's renderer process
  asked directly for the same scenes (the ratio is what the admin adds), the first preview
  of a fresh admin process beside ``kiosk screenshot`` (both start Python, pygame, the fonts
  and the pack);
- importing a 40 MB bundle through the upload form (target <= 5 s, checksums included),
  beside ``PackStore.install`` on the same bundle (what ``kiosk pack install`` does).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import unescape
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "a long benchmark passphrase 9"


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def row(name: str, values: list[float], target_ms: float | None, baseline: list[float] | None,
        base_name: str = "") -> None:
    """Print one line: median, p95, max, target, ratio to the baseline."""
    med = statistics.median(values) * 1000
    line = (f"{name:<34} n={len(values):<3} median {med:8.1f} ms  p95 {pct(values, 95):8.1f} ms"
            f"  max {max(values) * 1000:8.1f} ms")
    if target_ms is not None:
        line += f"  target <= {target_ms:.0f} ms: {'ok' if pct(values, 95) <= target_ms else 'MISSED'}"
    print(line)
    if baseline:
        bmed = statistics.median(baseline) * 1000
        print(f"  {'baseline: ' + base_name:<32} n={len(baseline):<3} median {bmed:8.1f} ms"
              f"  (ratio {med / bmed:.2f})")


def make_app(tmp: Path, pack: Path):
    from admin import create_app
    from admin.accounts import create_user
    from admin.db import database

    app = create_app({"INSTANCE_PATH": str(tmp / "instance"), "CONTENT_PACKS": str(pack),
                      "PACKS_DIR": str(tmp / "installed"), "MAX_BUNDLE_MB": 100})
    database(app).migrate()
    create_user(app, "cora", PASSWORD, "curator", check=False)
    client = app.test_client()
    from tests.support.admin_pages import csrf_from

    token = csrf_from(client.get("/login").get_data(as_text=True))
    r = client.post("/login", data={"csrf_token": token, "username": "cora",
                                    "password": PASSWORD})
    assert r.status_code == 302, "login failed"
    return app, client


def form_of(html: str) -> dict:
    """The editor form's fields as a browser would send them."""
    from tests.support.admin_pages import form_values

    return form_values(html)


def bench_saves(client, pack: Path, n: int) -> None:
    from kiosk.content import load_pack

    url = "/stories/demo/emil/scenes/gifts"
    times = []
    for i in range(n + 2):
        data = form_of(client.get(url).get_data(as_text=True))
        data["text.en"] = data["text.en"].rstrip(" .") + (" ." if i % 2 else "")
        t = time.perf_counter()
        r = client.post(url, data=data)
        elapsed = time.perf_counter() - t
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
        if i >= 2:  # the first two fill the per-process caches
            times.append(elapsed)
    base = []
    for _ in range(5):
        t = time.perf_counter()
        load_pack(pack)
        base.append(time.perf_counter() - t)
    row("save a scene (demo pack)", times, 150, base, "load_pack(demo)")


def _form(client, url: str):
    """A settings page's form as a browser would send it (every ticked box kept)."""
    from tests.support.admin_pages import form_items

    return form_items(client.get(url).get_data(as_text=True))


def _timed_posts(client, url: str, n: int, make_data, status: int = 303) -> list[float]:
    """POST `make_data(i)` to url n + 2 times; the times of all but the first two (which
    fill the per-process caches). `make_data` fetches the form untimed, as a browser would."""
    times = []
    for i in range(n + 2):
        data = make_data(i)
        t = time.perf_counter()
        r = client.post(url, data=data)
        elapsed = time.perf_counter() - t
        assert r.status_code == status, r.get_data(as_text=True)[:2000]
        if i >= 2:
            times.append(elapsed)
    return times


def bench_settings(client, pack: Path, n: int) -> None:
    """Create a story, save a story's settings, save the pack settings (issue 18)."""
    from kiosk.content import load_pack

    def new_story(i):
        made = pack / "stories" / f"bench-{i - 1}.yaml"
        if made.exists():  # keep the pack as it was: one new story at a time
            made.unlink()
        token = _form(client, "/stories/demo/new")["csrf_token"]
        return {"csrf_token": token, "copy_of": "", "title": f"Bench story {i}",
                "story_id": f"bench-{i}", "summary": "A story made by the bench.",
                "text": "The first scene."}

    created = _timed_posts(client, "/stories/demo/new", n, new_story)
    (pack / "stories" / f"bench-{n + 1}.yaml").unlink()

    def story_settings(i):
        data = _form(client, "/stories/demo/emil/settings")
        data["duration"] = str(12 + i % 2)
        return data

    story = _timed_posts(client, "/stories/demo/emil/settings", n, story_settings)

    def pack_settings(i):
        data = _form(client, "/packs/demo/settings")
        data["kiosk.idle_timeout"] = str(91 + i % 2)  # the demo pack has 90
        return data

    pack_saves = _timed_posts(client, "/packs/demo/settings", n, pack_settings)
    base = []
    for _ in range(5):
        t = time.perf_counter()
        load_pack(pack)
        base.append(time.perf_counter() - t)
    row("create a story (demo pack)", created, 300, base, "load_pack(demo)")
    row("save story settings (emil)", story, 300, base, "load_pack(demo)")
    row("save pack settings (demo)", pack_saves, 300, base, "load_pack(demo)")


def bench_previews(client, tmp: Path, pack: Path, n: int) -> None:
    scenes = ["start", "gifts", "grooming", "friends", "debt", "teacher", "talk", "after"]
    cache = tmp / "instance" / "content-cache" / "previews"
    uncached, cached, cold = [], [], []
    # Cold: the first preview of a fresh admin process, with the renderer not started.
    client.application.extensions["storykiosk_workspace"].renderer.close()
    shutil.rmtree(cache, ignore_errors=True)
    t = time.perf_counter()
    assert client.get("/preview/demo/emil/start/sv.png").status_code == 200
    cold.append(time.perf_counter() - t)
    for i in range(n):
        shutil.rmtree(cache, ignore_errors=True)
        url = f"/preview/demo/emil/{scenes[i % len(scenes)]}/sv.png"
        t = time.perf_counter()
        r = client.get(url)
        uncached.append(time.perf_counter() - t)
        assert r.status_code == 200 and r.data[:4] == b"\x89PNG", r.data[:200]
        for _ in range(10):
            t = time.perf_counter()
            r = client.get(url)
            cached.append(time.perf_counter() - t)
            assert r.status_code == 200
    from admin.content.preview import Renderer

    direct = []  # the kiosk's renderer process asked directly: no Flask, no cache, no checks
    renderer = Renderer()
    try:
        renderer.render(pack, tmp / "direct.png", "emil", "start", "sv")  # started, warm
        for i in range(n):
            t = time.perf_counter()
            renderer.render(pack, tmp / "direct.png", "emil", scenes[i % len(scenes)], "sv")
            direct.append(time.perf_counter() - t)
    finally:
        renderer.close()
    cli = []
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    for i in range(min(n, 3)):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kiosk", "screenshot", str(pack), "--story",
                        "emil", "--scene", scenes[i], "--lang", "sv", "--size", "1280x720",
                        "-o", str(tmp / "base.png")], check=True, capture_output=True, env=env)
        cli.append(time.perf_counter() - t)
    row("preview, uncached (renderer running)", uncached, 500, direct,
        "the renderer process asked directly")
    row("preview, first in a fresh process", cold, 500, cli, "kiosk screenshot (CLI)")
    row("preview, cached", cached, 20, None)


def bench_import(client, tmp: Path) -> None:
    from kiosk.content.bundle import build_bundle
    from kiosk.content.packstore import PackStore
    from tests.support.admin_pages import csrf_from

    src = tmp / "big-pack"
    shutil.copytree(ROOT / "tests" / "fixtures" / "packs" / "valid", src)
    video = src / "media" / "video"
    video.mkdir(parents=True)
    for i in range(4):  # incompressible, like real film: stored, not deflated
        (video / f"clip{i}.mp4").write_bytes(os.urandom(10 * 1024 * 1024))
    times, base = [], []
    for i in range(3):
        text = (src / "pack.yaml").read_text()
        (src / "pack.yaml").write_text(re.sub(r'version: "[^"]*"', f'version: "2.{i}"', text))
        bundle = tmp / f"big-{i}.zip"
        build_bundle(src, bundle)
        data = bundle.read_bytes()
        token = csrf_from(client.get("/packs/").get_data(as_text=True))
        t = time.perf_counter()
        r = client.post("/packs/import", data={"csrf_token": token,
                                               "bundle": (BytesIO(data), bundle.name)},
                        content_type="multipart/form-data")
        times.append(time.perf_counter() - t)
        assert r.status_code == 303
        page = unescape(client.get("/packs/").get_data(as_text=True))
        assert f"version 2.{i}" in page, page[:3000]
        store = PackStore(tmp / f"kiosk-{i}")
        t = time.perf_counter()
        store.install(bundle)
        base.append(time.perf_counter() - t)
    size = (tmp / "big-0.zip").stat().st_size / 1e6
    print(f"bundle of {size:.1f} MB:")
    row("import through the admin", times, 5000, base, "PackStore.install")


def main() -> None:
    """Run the measurements and print them."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--saves", type=int, default=30)
    ap.add_argument("--previews", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-content-") as d:
        tmp = Path(d)
        pack = tmp / "demo"
        shutil.copytree(ROOT / "content", pack)
        app, client = make_app(tmp, pack)
        print(f"admin content bench on {os.cpu_count()} cores, demo pack copy in {tmp}")
        bench_saves(client, pack, args.saves)
        bench_settings(client, pack, args.saves)
        bench_previews(client, tmp, pack, args.previews)
        bench_import(client, tmp)


if __name__ == "__main__":
    main()
