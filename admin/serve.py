"""Run the admin under gunicorn: ``python -m admin.serve`` (or ``flask --app admin serve``).

Migrates the database, creates the first administrator (password printed once) when there
is no account, prints the address, then serves on HOST:PORT with WORKERS x THREADS
(gthread). Never Flask's development server.
"""

from __future__ import annotations

import socket
import sys

from flask import Flask
from gunicorn.app.base import BaseApplication

from admin import create_app
from admin.accounts import FIRST_ADMIN, ensure_first_admin
from admin.db import database


def gunicorn_options(config: dict) -> dict:
    """gunicorn settings from the admin's settings (also used by deploy/ and bench/)."""
    return {
        "bind": f"{config['HOST']}:{config['PORT']}",
        "workers": config["WORKERS"],
        "threads": config["THREADS"],
        "worker_class": "gthread",
        "timeout": 30,
        "keepalive": 5,
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        # No access log: it would hold staff addresses and paths nobody needs to keep.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": "*" if config["TRUSTED_PROXIES"] else "127.0.0.1",
    }


class GunicornServer(BaseApplication):
    """gunicorn with options from a dict and an app built by a factory in each worker."""

    def __init__(self, factory, options: dict):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Copy our options into gunicorn's config."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """Build the WSGI app (in each worker, after the fork)."""
        return self.factory()


def prepare(app: Flask) -> str | None:
    """Migrate and make sure an administrator exists; return a new password or None."""
    database(app).migrate()
    password = ensure_first_admin(app)
    database(app).dispose()  # no pooled connection may cross the fork into the workers
    return password


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port yet."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def serve(app: Flask) -> None:
    """Prepare, announce and serve the app's configuration under gunicorn."""
    config = dict(app.config)
    if not port_is_free(config["HOST"], config["PORT"]):
        raise SystemExit(f"admin: {config['HOST']}:{config['PORT']} is already in use; set "
                         f"STORYKIOSK_ADMIN_PORT to a free port")
    password = prepare(app)
    if password:
        print(f"admin: first administrator created: user name {FIRST_ADMIN!r}, "
              f"password {password!r} (shown once: change it under 'My account')", flush=True)
    print(f"admin: http://{config['HOST']}:{config['PORT']}/", flush=True)
    overrides = {"INSTANCE_PATH": app.instance_path}
    GunicornServer(lambda: create_app(overrides), gunicorn_options(config)).run()


def main() -> None:
    """Entry point of ``python -m admin.serve``."""
    sys.argv = sys.argv[:1]  # gunicorn parses argv; our settings come from the environment
    serve(create_app())


if __name__ == "__main__":
    main()
