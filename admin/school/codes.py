"""Session codes, their QR codes, and the signed code file for kiosks without a network.

A code is six characters from ``ALPHABET``: digits and capitals without the pairs people
confuse when they read a code off paper or a projector (0/O, 1/I/L, 5/S, 2/Z, 8/B), 25
characters, so 25**6 (about 244 million) codes. ``normalise`` forgives lower case, spaces and
dashes.

The code file (``school-session-<CODE>.json``) carries what the kiosk needs to run the session
offline. It is signed once per registered kiosk with HMAC-SHA256 keyed by the SHA-256 of that
kiosk's token: the admin keeps only that hash (``admin.feedback.registry``), and the kiosk
computes it from the token in its ``sync.toml``, so no new secret needs handing out.
``kiosk/school.py`` checks the signature (and the date) with the same function.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import segno

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6
FILE_FORMAT = 1


def generate(taken=lambda code: False) -> str:
    """A fresh random code for which ``taken(code)`` is False."""
    for _ in range(100):
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not taken(code):
            return code
    raise RuntimeError("no free session code after 100 tries")


def normalise(raw: str) -> str:
    """The code as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t")


def is_code(raw: str) -> bool:
    """True when raw (normalised) has the form of a session code."""
    code = normalise(raw)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def qr_svg(text: str, scale: int = 6) -> str:
    """An inline SVG of a QR code (no script, no external reference)."""
    return segno.make(text, error="m").svg_inline(scale=scale, dark="#111", light="#fff",
                                                    omitsize=False)


def canonical(session: dict) -> bytes:
    """The bytes a signature covers: the session dict as sorted, compact JSON."""
    return json.dumps(session, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sign(session: dict, token_hash: str) -> str:
    """The HMAC-SHA256 (hex) of a session for one kiosk (key: its token's SHA-256 hex)."""
    return hmac.new(token_hash.encode("ascii"), canonical(session), hashlib.sha256).hexdigest()


def code_file(session: dict, token_hashes: list[str]) -> dict:
    """The code file: the session and one signature per registered kiosk."""
    return {"format": FILE_FORMAT, "session": session,
            "signatures": sorted(sign(session, h) for h in token_hashes)}


def verify(document: dict, token: str) -> bool:
    """True when one of the file's signatures was made for the kiosk holding this token."""
    if not isinstance(document, dict) or not isinstance(document.get("session"), dict):
        return False
    mine = sign(document["session"], hashlib.sha256(token.encode("utf-8")).hexdigest())
    return any(hmac.compare_digest(mine, str(s)) for s in document.get("signatures") or [])
