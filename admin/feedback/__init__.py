"""Visitor feedback in the admin (issue 10): every kiosk's anonymous record, brought in.

- ``api``: the sync API under ``/api/v1`` (bearer token of a registered kiosk; JSON in and
  out; described at ``/api/v1/openapi.json`` by ``openapi``). ``POST /api/v1/events`` stores a
  batch (at most ``ingest.MAX_BATCH`` events) and answers ``{"stored": [...],
  "duplicates": [...]}``; the same event uploaded twice is stored once.
- ``kiosks``: the Kiosks page (each kiosk's state and flags by venue: ``admin.fleet``; last
  contact, pack version, events waiting, events received; one-time enrolment codes),
  registration (token shown once, SHA-256 kept: ``registry``), revocation, and the import
  of a USB export file (``usb``). Also ``flask --app admin kiosks register|revoke|import``.
- ``ingest``: the checks (the kiosk's own whitelist, ``kiosk.record.kinds``) and the one
  insert path both routes share; ``aggregate`` keeps the report tables current in the same
  transaction. Tables in ``admin/models_feedback.py``.
- Reports (``reports_view``: pages under ``/reports``, CSV of each table via ``tables``):
  ``reports`` (stories), ``choices`` (branching points by language, country, kiosk),
  ``surveys`` (before/after, paired shift; ``stats`` for Student's t), ``breakdowns``
  (language, country, kiosk, day, hour, school), ``impact`` (all four, printable); shared
  ``filters`` (one ``restrict`` for every table), ``suppress`` (small numbers, and how a
  hidden cell reads), ``disclosure`` (the per-page audit that picks the cells hidden to
  protect them), ``csvfile`` (every CSV, plain or for Excel), ``labels`` (pack -> country,
  kiosk -> name, story titles, scene and choice wording), ``svg`` (bar charts).

The kiosk's side is ``kiosk/sync.py`` (``kiosk sync`` and the background ``Syncer``).
"""
