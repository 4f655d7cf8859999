"""Every setting of the admin, declared once: name, default, help text.

A setting is read, first found wins, from: the ``test_config`` passed to ``create_app``, the
environment variable ``STORYKIOSK_ADMIN_<NAME>``, the instance config file
``<instance>/admin.toml`` (``NAME = value`` lines), then the default below. docs/admin.md's
"Settings" section holds the table printed by ``python -m admin.settings``; a test fails
when a setting is missing there.
"""

from __future__ import annotations

import os
import secrets
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "STORYKIOSK_ADMIN_"
CONFIG_FILE = "admin.toml"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, type, default (None: computed at start) and help text."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return ENV_PREFIX + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting("INSTANCE_PATH", str, None,
            "Folder for the SQLite database, the secret key, the compiled translations and "
            "`admin.toml`. Default: `instance/` in the repository. Environment only."),
    Setting("DATABASE_URL", str, None,
            "SQLAlchemy database URL. Default: SQLite file `admin.sqlite3` in the instance "
            "folder. PostgreSQL: `postgresql+psycopg://user@host/dbname`."),
    Setting("SECRET_KEY", str, None,
            "Key that signs CSRF tokens. Default: a random key generated once and kept in "
            "`<instance>/secret_key` (mode 600)."),
    Setting("SQLITE_WAL_LIMIT_MB", int, 64,
            "SQLite only: when a commit (a feedback batch, an import) leaves the write-ahead "
            "log bigger than this, it is checkpointed and truncated; also its "
            "`journal_size_limit`."),
    Setting("HOST", str, "127.0.0.1",
            "Address the server listens on. Keep 127.0.0.1 and put a TLS proxy in front to "
            "reach it from the network."),
    Setting("PORT", int, 8000, "Port the server listens on."),
    Setting("WORKERS", int, 2, "gunicorn worker processes."),
    Setting("THREADS", int, 8, "Threads per gunicorn worker (gthread worker class)."),
    Setting("TRUSTED_PROXIES", int, 0,
            "Number of reverse proxies in front whose X-Forwarded-* headers are trusted "
            "(the client address for login limits, HTTPS detection for Secure cookies)."),
    Setting("COOKIE_SECURE", str, "auto",
            "`auto`: mark the session cookie Secure when the request came over HTTPS; "
            "`always` or `never` to force it."),
    Setting("SESSION_IDLE_MINUTES", int, 30, "A session ends after this long without a request."),
    Setting("SESSION_ABSOLUTE_HOURS", int, 12, "A session ends this long after login, whatever."),
    Setting("LOGIN_FAILURES_BEFORE_DELAY", int, 5,
            "Failed logins for one account from one client address before each further "
            "try must wait (a wait that doubles each time; the owner elsewhere is not "
            "slowed)."),
    Setting("LOGIN_FIRST_DELAY_SECONDS", int, 60,
            "The first wait once a login limit is reached; each further try doubles it."),
    Setting("LOGIN_MAX_DELAY_MINUTES", int, 60, "The longest wait a login limit imposes."),
    Setting("LOGIN_MAX_FAILURES_PER_ACCOUNT", int, 50,
            "Failed logins for one account from all addresses together before every try "
            "at that account must wait (the ceiling for a flood from many addresses)."),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", int, 20,
            "Failed logins from one client address, whatever the account, before its "
            "tries must wait."),
    Setting("LOGIN_WINDOW_MINUTES", int, 15,
            "Failures are forgotten once an account, address or pair has been quiet this "
            "long after its last wait."),
    Setting("LOGIN_CONCURRENT_HASHES", int, 2,
            "Password checks one worker process runs at once (argon2id takes 64 MiB each); "
            "a flood cannot take more memory than this."),
    Setting("LOGIN_HASH_WAIT_SECONDS", int, 3,
            "How long a login waits for a free password check before it is told the "
            "server is busy (429, try again)."),
    Setting("PASSWORD_MIN_LENGTH", int, 12, "Shortest password accepted (never below 12)."),
    Setting("API_RATE_LIMIT", int, 120,
            "Requests one kiosk token may make to the sync API per minute (counted in the "
            "database, so across all workers); more get 429 with Retry-After."),
    Setting("ENROLMENT_CODE_MINUTES", int, 120,
            "How long a one-time kiosk enrolment code (Kiosks page) stays valid after an "
            "administrator made it."),
    Setting("HEARTBEAT_HISTORY", int, 500,
            "Heartbeats kept per kiosk for its history page; older ones are dropped."),
    Setting("FLEET_SILENT_MINUTES", int, 15,
            "A kiosk not heard from for this long shows as silent on the Kiosks page."),
    Setting("FLEET_CLOCK_SKEW_SECONDS", int, 120,
            "A kiosk whose clock differs from the admin's by more than this is flagged "
            "(wrong times in its record, signatures judged expired or not yet valid)."),
    Setting("FLEET_LOW_DISK_MB", int, 2048,
            "A kiosk with less free disk than this is flagged (a new pack may not fit)."),
    Setting("FLEET_ROLLOUT_STOP_PERCENT", int, 20,
            "A rollout stops by itself when at least this share (in percent) of the kiosks "
            "in its current step report a failure: an error of the update path, or a pack "
            "they went back from by themselves."),
    Setting("MAX_REQUEST_BYTES", int, 1_048_576,
            "Largest request body accepted; larger ones get 413."),
    Setting("DEFAULT_LANGUAGE", str, "en",
            "Interface language before a user has picked one and when the browser asks for "
            "none we have (en, sv, it, lv, el)."),
    Setting("CONTENT_PACKS", str, None,
            "Pack folders the admin edits in place (working copies), separated by `:`. "
            "Default: the repository's `content/` folder (the demo pack) and its country "
            "overlays beside it (`content-*/`). Stories, "
            "translations and media are edited here; a bundle is exported from here."),
    Setting("PACKS_DIR", str, None,
            "Where bundles are installed, activated and rolled back for the kiosks on this "
            "machine (the kiosk's PackStore: `kiosk pack list`). Default: the kiosk's data "
            "folder's `packs/` ($STORYKIOSK_DATA_DIR)."),
    Setting("NEW_PACKS_DIR", str, None,
            "Where a curator's new packs are made, each a working copy in a folder named "
            "after its id (every pack folder here is edited like `CONTENT_PACKS`). Default: "
            "the instance folder's `packs/`."),
    Setting("MAX_UPLOAD_MB", int, 200,
            "Largest media file an editor may upload, in megabytes."),
    Setting("MAX_BUNDLE_MB", int, 1024,
            "Largest pack bundle a curator may import, in megabytes."),
    Setting("FLEET_BUNDLES_DIR", str, None,
            "Where the pack versions published for the kiosks are kept (one bundle each). "
            "Default: the instance folder's `fleet-bundles/`."),
    Setting("FLEET_ACCEL_PREFIX", str, "",
            "Empty: the admin sends bundles to kiosks itself (with HTTP ranges). A path "
            "such as `/_fleet_bundles/`: after checking the kiosk's token it answers with "
            "`X-Accel-Redirect` to that nginx `internal` location (an `alias` of "
            "`FLEET_BUNDLES_DIR`) and nginx sends the file."),
    Setting("FLEET_MANIFEST_HOURS", int, 168,
            "How long a signed assignment stays valid: a kiosk refuses one older than "
            "this (a replayed or frozen answer), so it must reach the admin that often."),
)

BY_NAME = {s.name: s for s in SETTINGS}


def _convert(setting: Setting, raw: Any, source: str) -> Any:
    """Turn a raw value into the setting's type, or raise a clear error."""
    if raw is None or isinstance(raw, setting.type) and not isinstance(raw, bool):
        return raw
    try:
        return setting.type(str(raw).strip())
    except ValueError:
        raise ValueError(
            f"setting {setting.name} from {source}: {raw!r} is not a valid "
            f"{setting.type.__name__}") from None


def read_config_file(instance_path: str) -> dict[str, Any]:
    """The instance config file's values, or {} when there is none."""
    path = Path(instance_path) / CONFIG_FILE
    if not path.exists():
        return {}
    with path.open("rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path}: {e}") from None
    unknown = sorted(set(data) - set(BY_NAME))
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return data


def resolve(instance_path: str, test_config: dict | None = None,
            environ: os._Environ | dict | None = None) -> dict[str, Any]:
    """Every setting's value, from test_config, environment, instance file or default."""
    environ = os.environ if environ is None else environ
    test_config = test_config or {}
    from_file = read_config_file(instance_path)
    values: dict[str, Any] = {}
    for s in SETTINGS:
        if s.name == "INSTANCE_PATH":
            values[s.name] = instance_path
        elif s.name in test_config:
            values[s.name] = _convert(s, test_config[s.name], "test_config")
        elif s.env in environ:
            values[s.name] = _convert(s, environ[s.env], f"${s.env}")
        elif s.name in from_file:
            values[s.name] = _convert(s, from_file[s.name], CONFIG_FILE)
        else:
            values[s.name] = s.default
    if values["DATABASE_URL"] is None:
        values["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "admin.sqlite3")
    if values["SECRET_KEY"] is None:
        values["SECRET_KEY"] = _instance_secret(Path(instance_path))
    if values["COOKIE_SECURE"] not in ("auto", "always", "never"):
        raise ValueError("setting COOKIE_SECURE must be auto, always or never")
    values["PASSWORD_MIN_LENGTH"] = max(12, values["PASSWORD_MIN_LENGTH"])
    if values["FLEET_BUNDLES_DIR"] is None:
        values["FLEET_BUNDLES_DIR"] = str(Path(instance_path) / "fleet-bundles")
    if values["LOGIN_CONCURRENT_HASHES"] < 1:
        raise ValueError("setting LOGIN_CONCURRENT_HASHES must be 1 or more")
    return values


def _instance_secret(instance: Path) -> str:
    """Read the instance's secret key, creating it once (race-safe across workers)."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        tmp = instance / f".secret_key.{os.getpid()}"
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # fails if another worker won the race: keep theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def markdown_table() -> str:
    """The docs/admin.md table of every setting."""
    rows = ["| environment variable | default | what it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = "(computed)" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.env}` | {default} | {s.help} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.stdout.write(markdown_table() + "\n")
