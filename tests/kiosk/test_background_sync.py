"""The kiosk sends its record to a real admin (gunicorn on 127.0.0.1) while it plays."""

from __future__ import annotations

from admin import create_app
from admin.db import database
from admin.feedback import registry
from kiosk.sync import SyncConfig, save_config
from tests.support.feedback import AdminServer, admin_rows, record_rows
from tests.support.isolation import free_port
from tests.support.kiosk_driver import FIXTURE_PACK, make_app
from tests.support.waiting import wait_for


def register(instance) -> str:
    app = create_app({"INSTANCE_PATH": str(instance)})
    database(app).migrate()
    with database(app).session() as db:
        _kiosk, token = registry.register(db, "Hall 1", None, actor_name="test")
        db.commit()
    database(app).dispose()
    return token


def visit(k) -> None:
    for _ in range(3):  # from the calm screen after Leave now, a tap returns to attract
        if k.screen == "language":
            break
        k.tap((960, 500))
    k.press("lang:sv")
    assert k.screen == "menu", k.screen
    k.press("leave")


def test_the_kiosk_sends_each_visit_to_the_admin_in_the_background(cache_env):
    instance = cache_env / "instance"
    token = register(instance)
    port = free_port()
    server = AdminServer(instance, port, workers=1)
    server.start()
    save_config(SyncConfig(f"http://127.0.0.1:{port}", token), cache_env / "config")
    k = make_app(FIXTURE_PACK, cache_env, sync_interval=0.5)
    try:
        assert k.app.ctx.syncer is not None
        data_dir = cache_env / "data"
        for _ in range(2):
            visit(k)
            k.frame(1.0)
            assert k.app.ctx.recorder.flush(10)
            recorded = len(record_rows(data_dir))
            assert recorded > 0
            assert wait_for(lambda n=recorded: len(admin_rows(instance / "admin.sqlite3")) == n,
                            timeout=30), k.app.ctx.syncer.last_error
        kinds = [row["kind"] for row in admin_rows(instance / "admin.sqlite3")]
        assert kinds.count("session_started") == 2 and kinds.count("leave_now") == 2, kinds
        # The server commits before it answers, so the kiosk counts what was confirmed a
        # moment after the rows appear on the admin.
        total = len(record_rows(data_dir))
        assert wait_for(lambda: k.app.ctx.syncer.sent == total, timeout=30), (
            k.app.ctx.syncer.sent, total)
    finally:
        k.app.close()
        server.stop()


def test_without_a_server_the_kiosk_keeps_its_record(kiosk, cache_env):
    assert kiosk.app.ctx.recorder is not None and kiosk.app.ctx.syncer is None
    visit(kiosk)
    kiosk.frame(1.0)
    assert kiosk.app.ctx.recorder.flush(10)
    for _ in range(3):  # minutes pass with nobody to send the record to
        kiosk.frame(60.0)
    rows = record_rows(cache_env / "data")
    kinds = [row["kind"] for row in rows]
    assert kinds.count("session_started") == 1 and kinds.count("leave_now") == 1, kinds
    assert [row for row in rows if row["synced_at"] is not None] == []  # none marked as sent
