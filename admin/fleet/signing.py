"""The admin's signing key for the fleet's manifests: Ed25519, made once, kept private.

The private key lives in ``<instance>/fleet-signing.key`` (PEM, PKCS8, mode 600), made at
first use; it is written to a temporary file and linked into place, so that two workers
starting at once keep the same key. What a kiosk pins is the raw 32-byte public key in
base64 (``public_key_b64``). A signature covers the canonical JSON bytes of the signed part
(keys sorted, no spaces, UTF-8), so the kiosk checks exactly what the admin signed,
whatever JSON library sent it (docs/fleet.md).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask

from kiosk.fleet.verify import canonical  # one definition of the signed bytes, both sides

KEY_FILE = "fleet-signing.key"


def _key_path(app: Flask) -> Path:
    return Path(app.instance_path) / KEY_FILE


def private_key(app: Flask) -> Ed25519PrivateKey:
    """The instance's signing key, made at first use (mode 600, race-safe across workers)."""
    cached = app.extensions.get("fleet_signing_key")
    if cached is not None:
        return cached
    path = _key_path(app)
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails when another worker made one first: keep theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds no Ed25519 private key")
    app.extensions["fleet_signing_key"] = key
    return key


def public_key_b64(app: Flask) -> str:
    """The public key a kiosk pins: the raw 32 bytes, base64."""
    raw = private_key(app).public_key().public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign(app: Flask, signed: dict) -> dict:
    """The document a kiosk receives: ``{"signed": ..., "signature": base64}``."""
    signature = private_key(app).sign(canonical(signed))
    return {"signed": signed, "signature": base64.b64encode(signature).decode("ascii")}
