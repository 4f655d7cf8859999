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

import secrets

import segno

from kiosk.school import ALPHABET, FILE_FORMAT, LENGTH, canonical, is_code, normalise, sign, verify

__all__ = ["ALPHABET", "LENGTH", "canonical", "code_file", "generate", "is_code", "normalise",
           "qr_svg", "sign", "verify"]


def generate(taken=lambda code: False) -> str:
    """A fresh random code for which ``taken(code)`` is False."""
    for _ in range(100):
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not taken(code):
            return code
    raise RuntimeError("no free session code after 100 tries")


def qr_svg(text: str, scale: int = 6) -> str:
    """An inline SVG of a QR code (no script, no external reference)."""
    return segno.make(text, error="m").svg_inline(scale=scale, dark="#111", light="#fff",
                                                    omitsize=False)


def code_file(session: dict, token_hashes: list[str]) -> dict:
    """The code file: the session and one signature per registered kiosk."""
    return {"format": FILE_FORMAT, "session": session,
            "signatures": sorted(sign(session, h) for h in token_hashes)}
