"""Packs over the network, end to end: the admin under gunicorn on 127.0.0.1, kiosks as
`kiosk fleet pull` processes, through a proxy that cuts or corrupts downloads (issue 22).

Each test registers its own kiosks and assigns per kiosk, so the tests share one admin
without seeing each other's assignments. Both sides check packs as of the real date (real
processes), so the packs carry dates valid today (tests/support/fleet_packs.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from admin import create_app
from admin.db import database
from admin.feedback import registry
from admin.fleet import assign, downloads
from admin.fleet.signing import public_key_b64
from kiosk.content.packstore import PackStore
from kiosk.fleet import download, switch, verify
from kiosk.sync import SyncConfig, save_config
from tests.support.byte_proxy import ByteProxy
from tests.support.feedback import PYTHON, ROOT, AdminServer
from tests.support.fleet_packs import pack_at
from tests.support.isolation import free_port

PAD = 3_000_000  # bytes of media in each pack, so that a download can be cut in its middle


class Fleet:
    """The admin (in-process for set-up, under gunicorn for the kiosks) and its bundles."""

    def __init__(self, base: Path):
        self.base = base
        self.instance = base / "instance"
        self.app = create_app({"INSTANCE_PATH": str(self.instance)})
        database(self.app).migrate()
        self.bundles = {v: self._publish(v, seed) for seed, v in enumerate(("1.0", "1.1"))}
        self.server = AdminServer(self.instance, free_port())
        self.server.start()

    def _publish(self, version: str, seed: int):
        root = pack_at(self.base / f"pack-{version}" / "test", version, PAD, seed,
                       today=dt.date.today())
        with database(self.app).session() as db:
            bundle = downloads.publish(self.app, db, root, self.base / "work", None)
            db.commit()
            return bundle.id, bundle.size, bundle.sha256

    def kiosk(self, folder: Path, name: str, port: int | None = None) -> tuple[Path, int]:
        """A registered kiosk whose folder holds sync.toml and the pinned key."""
        with database(self.app).session() as db:
            kiosk, token = registry.register(db, name, None, actor_name="test")
            db.commit()
            kid = kiosk.id
        save_config(SyncConfig(f"http://127.0.0.1:{port or self.server.port}", token), folder)
        verify.trust(public_key_b64(self.app), folder)
        return folder, kid

    def assign(self, kiosk_id: int, version: str, mode: str = "attract") -> None:
        """Assign a published version to one kiosk."""
        from admin.models_distribution import FleetBundle
        from admin.models_feedback import Kiosk

        with database(self.app).session() as db:
            assign.assign(db, db.get(FleetBundle, self.bundles[version][0]),
                          db.get(Kiosk, kiosk_id), mode, None, "Europe/Riga", None)
            db.commit()

    def close(self) -> None:
        self.server.stop()
        database(self.app).dispose()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    f = Fleet(tmp_path_factory.mktemp("fleet"))
    yield f
    f.close()


def pull(folder: Path, *extra: str, env: dict | None = None,
         wait: bool = True) -> subprocess.Popen | subprocess.CompletedProcess:
    """`kiosk fleet pull --apply` as its own process, on a kiosk's folder."""
    cmd = [PYTHON, "-m", "kiosk", "fleet", "pull", "--apply", "--data-dir", str(folder), "--config-dir", str(folder), *extra]
    environ = {**os.environ, "STORYKIOSK_CONFIG_DIR": str(folder),
               "STORYKIOSK_DATA_DIR": str(folder), **(env or {})}
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, env=environ, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=120)


def playing(folder: Path) -> str | None:
    """The version the kiosk's pack store plays (its folder's version part)."""
    active = PackStore(folder / "packs").active("test")
    return active.name.rsplit("-", 1)[0] if active else None


def staged_files(folder: Path) -> list[str]:
    staging = folder / "fleet" / "staging"
    return sorted(p.name for p in staging.iterdir()) if staging.is_dir() else []


def test_three_kiosks_converge_on_the_assigned_pack_then_on_the_next(fleet, tmp_path):
    kiosks = [fleet.kiosk(tmp_path / f"k{i}", f"converge {i}") for i in range(3)]
    for _folder, kid in kiosks:
        fleet.assign(kid, "1.0")
    for version in ("1.0", "1.1"):
        if version == "1.1":
            for _folder, kid in kiosks:
                fleet.assign(kid, "1.1")
        procs = [pull(folder, wait=False) for folder, _kid in kiosks]  # all three at once
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "staged" in out and "switched" in out
        assert [playing(folder) for folder, _ in kiosks] == [version] * 3
        assert [switch.last_error(folder) for folder, _ in kiosks] == [None] * 3
    # once converged, a pull changes nothing and fetches nothing
    again = pull(kiosks[0][0])
    assert again.returncode == 0 and again.stdout.startswith("up_to_date")


def test_a_cut_download_resumes_without_fetching_again_what_it_had(fleet, tmp_path):
    proxy = ByteProxy(fleet.server.port, ["pass", ("cut", 1_200_000)])
    folder, kid = fleet.kiosk(tmp_path / "k", "resume", proxy.port)
    fleet.assign(kid, "1.0")
    _bid, size, sha = fleet.bundles["1.0"]
    first = pull(folder)
    assert first.returncode == 3, first.stdout + first.stderr  # a cut: worth retrying
    assert playing(folder) is None
    part = folder / "fleet" / "staging" / f"{sha}.zip.part"
    had = part.stat().st_size
    assert 1_000_000 < had < 1_200_000
    second = pull(folder)
    assert second.returncode == 0, second.stderr
    assert playing(folder) == "1.0"
    _sent, body = proxy.answers[3]  # the second pull's download: only the rest
    assert body == size - had
    assert staged_files(folder) == []
    proxy.close()


def test_flipped_bytes_are_refused_and_fetched_again(fleet, tmp_path):
    proxy = ByteProxy(fleet.server.port, ["pass", ("flip", 2_000_000)])
    folder, kid = fleet.kiosk(tmp_path / "k", "flipped", proxy.port)
    fleet.assign(kid, "1.0")
    _bid, size, _sha = fleet.bundles["1.0"]
    first = pull(folder)
    assert first.returncode == 4 and first.stdout.startswith("corrupt"), first.stdout
    assert playing(folder) is None and staged_files(folder) == []
    assert "checksum" in switch.last_error(folder)
    second = pull(folder)
    assert second.returncode == 0, second.stderr
    assert proxy.answers[3][1] == size  # fetched again whole
    assert playing(folder) == "1.0" and switch.last_error(folder) is None
    proxy.close()


def test_a_full_disk_leaves_the_old_pack_playing_and_says_disk_full(fleet, tmp_path):
    folder, kid = fleet.kiosk(tmp_path / "k", "full disk")
    fleet.assign(kid, "1.0")
    assert pull(folder).returncode == 0 and playing(folder) == "1.0"
    fleet.assign(kid, "1.1")
    # the reserve a real disk cannot keep: the setting is read, the disk's free space measured
    free_mb = download.disk_free(folder) // (1024 * 1024)
    # (a terabyte more than free: other processes free and fill this disk meanwhile)
    full = pull(folder, env={"STORYKIOSK_FLEET_RESERVE_MB": str(free_mb + 1024 * 1024)})
    assert full.returncode == 4 and full.stdout.startswith("disk_full"), full.stdout
    assert playing(folder) == "1.0"
    assert staged_files(folder) == []  # nothing fetched
    status = subprocess.run([PYTHON, "-m", "kiosk", "fleet", "status", "--data-dir",
                             str(folder), "--config-dir", str(folder)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert "last error: disk full" in status.stdout
    assert pull(folder).returncode == 0 and playing(folder) == "1.1"


def test_bad_signature_old_and_expired_manifests_are_refused(fleet, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.fleet.pull import pull_once
    from kiosk.sync import load_config

    # a key that is not the admin's pinned: every manifest is refused
    folder, kid = fleet.kiosk(tmp_path / "wrong-key", "wrong key")
    fleet.assign(kid, "1.0")
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    import base64

    verify.trust(base64.b64encode(stranger).decode(), folder)
    refused = pull(folder)
    assert refused.returncode == 4 and refused.stdout.startswith("refused")
    assert "signature" in switch.last_error(folder) and playing(folder) is None

    # a manifest older than one accepted before
    folder, kid = fleet.kiosk(tmp_path / "old", "old manifest")
    fleet.assign(kid, "1.0")
    (folder / verify.ACCEPTED_NAME).write_text(json.dumps({"version": 10**9, "kiosk": kid}))
    old = pull(folder)
    assert old.returncode == 4 and "older than version 1000000000" in old.stdout
    assert playing(folder) is None

    # an expired one: the same real answer, read after its expiry
    folder, kid = fleet.kiosk(tmp_path / "late", "expired manifest")
    fleet.assign(kid, "1.0")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=168, minutes=1)
    result = pull_once(load_config(config_dir=folder), folder, folder,
                       PackStore(folder / "packs"), now=later)
    assert result.outcome == "refused" and "expired" in result.detail
    assert staged_files(folder) == [] and playing(folder) is None


def test_the_admin_killed_mid_download_and_started_again_the_kiosk_resumes(fleet, tmp_path):
    second = AdminServer(fleet.instance, free_port())  # the same admin, killed in this test
    second.start()
    try:
        proxy = ByteProxy(second.port, ["pass", ("hold", 1_500_000)])
        folder, kid = fleet.kiosk(tmp_path / "k", "killed admin", proxy.port)
        fleet.assign(kid, "1.1")
        _bid, size, sha = fleet.bundles["1.1"]
        running = pull(folder, wait=False)
        assert proxy.held.wait(60), "the download never reached the held byte"
        second.kill()  # SIGKILL, master and workers, mid-answer
        out, err = running.communicate(timeout=60)
        assert running.returncode == 3, out + err
        had = download.part_size(folder / "fleet" / "staging" / f"{sha}.zip.part")
        assert 1_000_000 < had < 1_500_000
        second.start()
        again = pull(folder)
        assert again.returncode == 0, again.stderr
        assert proxy.answers[3][1] == size - had  # only what it lacked
        assert playing(folder) == "1.1"
        proxy.close()
    finally:
        second.stop()


def test_a_puller_thread_asks_at_once_when_staff_press_check_now(fleet, tmp_path):
    import time

    from kiosk.fleet.pull import Puller
    from kiosk.sync import load_config

    folder, kid = fleet.kiosk(tmp_path / "k", "check now")
    store = PackStore(folder / "packs")
    puller = Puller(folder, folder, store, load_config(config_dir=folder), interval=3600)
    puller.start()
    try:
        deadline = time.monotonic() + 30
        while puller.last is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert puller.last is not None and puller.last.outcome == "no_pack"
        fleet.assign(kid, "1.0")
        puller.check_now()  # not the hour's wait
        while puller.last.outcome != "staged" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert puller.last.outcome == "staged"
        assert switch.apply_due(folder, store) is not None
        assert playing(folder) == "1.0"
    finally:
        puller.stop()


def beat(folder: Path) -> dict:
    """One heartbeat of the kiosk in `folder`, collected as the playing kiosk collects it
    (its pack store's active pack and what its update path remembers), sent to the admin."""
    from kiosk.fleet.heartbeat import HeartbeatSender, collect, update_path
    from kiosk.sync import load_config

    active = PackStore(folder / "packs").active("test")
    pack = ("test", active.name.rsplit("-", 1)[0], active) if active else None
    return HeartbeatSender(load_config(config_dir=folder),
                           lambda: collect(folder, pack, **update_path(folder))).beat()


def shown(fleet, kiosk_id: int) -> tuple[str, dict, list[str]]:
    """The kiosk's state, latest heartbeat and flags as the Kiosks page shows them."""
    from sqlalchemy import select

    from admin.fleet import health
    from admin.models import utcnow
    from admin.models_feedback import Kiosk
    from admin.models_fleet_health import KioskHealth

    with fleet.app.test_request_context(), database(fleet.app).session() as db:
        latest = db.scalar(select(KioskHealth).where(KioskHealth.kiosk_id == kiosk_id))
        r = health.row(db.get(Kiosk, kiosk_id), latest, utcnow(), fleet.app.config)
        return r.state, r.report, r.flags


def test_the_fleet_page_shows_what_the_update_path_did(fleet, tmp_path):
    """The two halves of the fleet together: what a kiosk's pulls did reaches the Kiosks page
    through its heartbeat (assigned pack, switch planned, up to date, disk full)."""
    folder, kid = fleet.kiosk(tmp_path / "k", "health")
    fleet.assign(kid, "1.0")
    assert pull(folder).returncode == 0 and playing(folder) == "1.0"
    beat(folder)
    state, report, flags = shown(fleet, kid)
    assert state == "up-to-date", (report, flags)
    assert report["assigned"] == {"id": "test", "version": "1.0",
                                  "sha256": fleet.bundles["1.0"][2]}
    assert report["playing"]["version"] == "1.0"

    fleet.assign(kid, "1.1", mode="confirm")  # staged, waiting for staff at the kiosk
    assert pull(folder).returncode == 0 and playing(folder) == "1.0"
    beat(folder)
    state, report, _ = shown(fleet, kid)
    assert state == "switch-planned"
    assert report["switch"] == {"version": "1.1", "when": "when staff confirm"}

    other, oid = fleet.kiosk(tmp_path / "k2", "health, full disk")
    fleet.assign(oid, "1.0")
    assert pull(other).returncode == 0 and playing(other) == "1.0"
    fleet.assign(oid, "1.1")
    free_mb = download.disk_free(other) // (1024 * 1024)
    full = pull(other, env={"STORYKIOSK_FLEET_RESERVE_MB": str(free_mb + 1024 * 1024)})
    assert full.stdout.startswith("disk_full"), full.stdout + full.stderr
    beat(other)
    state, report, flags = shown(fleet, oid)
    assert state == "failed" and report["playing"]["version"] == "1.0"
    assert report["assigned"]["version"] == "1.1"
    assert any("disk full" in f for f in flags), flags
