"""scripts/postgres-env fails the test run when PostgreSQL cannot start, never skips quietly."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fake(bin_dir, name, body):
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _source(tmp_path, status_rc, extra_env=None):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake(bin_dir, "pg_lsclusters", 'echo "15 main 5432 down postgres /nowhere /nowhere.log"')
    # start fails the way a broken cluster does; status tells whether it runs.
    _fake(bin_dir, "pg_ctlcluster",
          f'[ "$3" = status ] && exit {status_rc}; echo "start failed" >&2; exit 1')
    for name in ("psql", "createdb", "createuser", "su"):
        _fake(bin_dir, name, "echo 1")
    script = ('set -euo pipefail; . scripts/postgres-env; '
              'echo "URL=${STORYKIOSK_TEST_DATABASE_URL:-}"')
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", **(extra_env or {})}
    return subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=30)


def test_a_server_that_does_not_start_fails_the_run(tmp_path):
    r = _source(tmp_path, status_rc=3)
    assert r.returncode != 0
    assert "did not start" in r.stderr
    assert "URL=" not in r.stdout


def test_a_running_server_sets_the_database_url(tmp_path):
    r = _source(tmp_path, status_rc=0)
    assert r.returncode == 0, r.stderr
    assert "URL=postgresql+psycopg:///storykiosk_test" in r.stdout


def test_skipping_postgres_must_be_asked_for(tmp_path):
    r = _source(tmp_path, status_rc=3, extra_env={"STORYKIOSK_TEST_NO_POSTGRES": "1"})
    assert r.returncode == 0
    assert "URL=\n" in r.stdout and "skipped" in r.stderr
