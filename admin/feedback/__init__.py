"""Visitor feedback in the admin (issue 10): every kiosk's anonymous record, brought in.

- ``api``: the sync API under ``/api/v1`` (bearer token of a registered kiosk; JSON in and
  out; described at ``/api/v1/openapi.json`` by ``openapi``). ``POST /api/v1/events`` stores a
  batch (at most ``ingest.MAX_BATCH`` events) and answers ``{"stored": [...],
  "duplicates": [...]}``; the same event uploaded twice is stored once.
- ``kiosks``: the Kiosks page (last contact, pack version, events waiting, events received),
  registration (token shown once, SHA-256 kept: ``registry``), revocation, and the import
  of a USB export file (``usb``). Also ``flask --app admin kiosks register|revoke|import``.
- ``ingest``: the checks (the kiosk's own whitelist, ``kiosk.record.kinds``) and the one
  insert path both routes share. Tables in ``admin/models_feedback.py``.

The kiosk's side is ``kiosk/sync.py`` (``kiosk sync`` and the background ``Syncer``).
"""
