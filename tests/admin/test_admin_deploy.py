"""The deploy files agree with the admin's settings: nginx lets the largest uploads through and
systemd's read-only file system leaves every folder the admin writes writable."""
import re
from pathlib import Path

from admin.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "admin"


def _default(name):
    return next(s.default for s in SETTINGS if s.name == name)


def _mb(value):
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"k": 1 / 1024, "m": 1, "g": 1024, "": 1 / 1024 / 1024}[unit]


def _body_limits():
    """Map each nginx location (or 'server') to its client_max_body_size in MB."""
    limits, where = {}, "server"
    for line in (DEPLOY / "nginx-site.conf").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("location"):
            where = line.removeprefix("location").rstrip("{").strip()
        elif line == "}":
            where = "server"
        elif line.startswith("client_max_body_size"):
            limits[where] = _mb(line.split()[1].rstrip(";"))
    return limits


def _route_limit(path):
    limits = _body_limits()
    for where, mb in limits.items():
        if where == "server":
            continue
        if where.startswith("= ") and where[2:] == path:
            return mb
        if where.startswith("~ ") and re.search(where[2:], path):
            return mb
    return limits["server"]


def test_nginx_lets_media_uploads_and_bundles_through_at_the_admins_limits():
    assert _route_limit("/media/demo/upload") >= _default("MAX_UPLOAD_MB")
    assert _route_limit("/packs/import") >= _default("MAX_BUNDLE_MB")


def test_nginx_keeps_every_other_request_at_the_form_limit():
    assert _route_limit("/users/") * 1024 * 1024 <= _default("MAX_REQUEST_BYTES")
    assert _route_limit("/media/demo/describe") * 1024 * 1024 <= _default("MAX_REQUEST_BYTES")


def _unit():
    env, rw = {}, []
    for line in (DEPLOY / "storykiosk-admin.service").read_text().splitlines():
        if line.startswith("Environment="):
            key, _, value = line.removeprefix("Environment=").partition("=")
            env[key] = value
        elif line.startswith("ReadWritePaths="):
            rw += line.removeprefix("ReadWritePaths=").split()
    return env, rw


def _writable(path, rw):
    return any(Path(path) == Path(p) or Path(p) in Path(path).parents for p in rw)


def test_systemd_leaves_the_instance_content_and_pack_store_writable():
    env, rw = _unit()
    assert "ProtectSystem=strict" in (DEPLOY / "storykiosk-admin.service").read_text()
    for key in ("STORYKIOSK_ADMIN_INSTANCE_PATH", "STORYKIOSK_ADMIN_PACKS_DIR"):
        assert key in env, f"{key} must be set: the default is not writable under systemd"
        assert _writable(env[key], rw), f"{key}={env[key]} is read-only under ProtectSystem"
    packs = env.get("STORYKIOSK_ADMIN_CONTENT_PACKS")
    assert packs, "the working copies must be set: /opt/storykiosk/content is read-only"
    for folder in packs.split(":"):
        assert _writable(folder, rw), f"working copy {folder} is read-only under ProtectSystem"


def test_nginx_serves_the_fleet_bundles_from_the_folder_the_admin_keeps_them_in():
    """The unit's X-Accel prefix is an internal nginx location aliasing FLEET_BUNDLES_DIR
    (its default: the instance folder's fleet-bundles/)."""
    env, _rw = _unit()
    prefix = env["STORYKIOSK_ADMIN_FLEET_ACCEL_PREFIX"]
    text = (DEPLOY / "nginx-site.conf").read_text()
    block = re.search(r"location " + re.escape(prefix) + r" \{(.*?)\}", text, re.S)
    assert block, f"no nginx location {prefix}"
    assert re.search(r"^\s*internal;", block.group(1), re.M)
    alias = re.search(r"alias (\S+);", block.group(1)).group(1)
    folder = env.get("STORYKIOSK_ADMIN_FLEET_BUNDLES_DIR") or \
        str(Path(env["STORYKIOSK_ADMIN_INSTANCE_PATH"]) / "fleet-bundles")
    assert alias.rstrip("/") == folder.rstrip("/")
