"""`kiosk enroll` against the real admin under gunicorn: the code becomes sync.toml (mode
600); again changes nothing; a wrong code or an unreachable admin is one sentence, exit 1."""

from __future__ import annotations

import stat
import tomllib
import urllib.request

from admin.fleet.signing import public_key_b64
from tests.support.fleet import code_for, kiosk_enroll
from tests.support.isolation import free_port


def test_a_kiosk_enrols_once_and_again_changes_nothing(admin_server, tmp_path):
    url, instance = admin_server
    code = code_for(instance)
    config = tmp_path / "config"
    done = kiosk_enroll(url, code.lower(), config)
    assert done.returncode == 0, done.stderr
    assert "Enrolled as 'Riga, hall 2'" in done.stdout
    path = config / "sync.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = tomllib.loads(path.read_text())
    assert saved["server"] == url and saved["token"].startswith("sk_")
    req = urllib.request.Request(url + "/api/v1/heartbeat", data=b'{"waiting": 0}',
                                 method="POST",
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {saved['token']}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200  # the admin knows the token
    before = path.read_bytes()
    again = kiosk_enroll(url + "/", code, config)
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert path.read_bytes() == before


def test_a_wrong_code_or_an_unreachable_admin_is_one_sentence(admin_server, tmp_path):
    url, _instance = admin_server
    wrong = kiosk_enroll(url, "AAAA-AAAA", tmp_path / "a")
    assert wrong.returncode == 1 and wrong.stdout == ""
    assert wrong.stderr.count("\n") == 1 and "not one the admin made" in wrong.stderr
    assert not (tmp_path / "a" / "sync.toml").exists()
    nobody = f"http://127.0.0.1:{free_port()}"
    gone = kiosk_enroll(nobody, "AAAA-AAAA", tmp_path / "b")
    assert gone.returncode == 1 and gone.stderr.count("\n") == 1
    assert f"The admin at {nobody} cannot be reached" in gone.stderr
    insecure = kiosk_enroll("http://admin.example.org", "AAAA-AAAA", tmp_path / "c")
    assert insecure.returncode == 1 and "plain http" in insecure.stderr


def test_the_admins_signing_key_is_pinned_beside_the_token(admin_server, tmp_path):
    """The key the admin signs manifests with is pinned where `kiosk fleet trust` pins it,
    mode 600, so the kiosk takes packs signed by this admin only."""
    from admin import create_app
    from kiosk.fleet.verify import KEY_NAME, trusted_key

    url, instance = admin_server
    done = kiosk_enroll(url, code_for(instance), tmp_path / "config")
    assert done.returncode == 0, done.stderr
    assert "signing key is pinned" in done.stdout
    pinned = tmp_path / "config" / KEY_NAME
    assert stat.S_IMODE(pinned.stat().st_mode) == 0o600
    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        expected = public_key_b64(app)
    assert pinned.read_text().strip() == expected
    assert trusted_key(tmp_path / "config") is not None


def test_an_answer_with_a_key_that_is_no_key_saves_nothing(tmp_path):
    """A server that is not the admin (or a broken proxy) answers a token and a "key" that is
    not an Ed25519 key: one sentence, and neither sync.toml nor a key is written."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NotTheAdmin(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = json.dumps({"token": "sk_" + "t" * 43, "kiosk": sent["name"],
                               "venue": None, "signing_key": "not a key"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotTheAdmin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = kiosk_enroll(f"http://127.0.0.1:{server.server_port}", "AAAA-AAAA",
                            tmp_path / "config")
    finally:
        server.shutdown()
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "signing key that is not one" in done.stderr
    assert not (tmp_path / "config").exists() or not any((tmp_path / "config").iterdir())
