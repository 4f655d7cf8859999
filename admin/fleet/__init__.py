"""The fleet in the admin (issue 22): packs over the network to the kiosks (docs/fleet.md),
venues, enrolment, heartbeats and the kiosks' health (docs/fleet-health.md).

- ``signing``: the admin's Ed25519 key (made at first use in the instance folder), canonical
  JSON and signatures; ``public_key_b64(app)`` is what a kiosk pins.
- ``downloads``: the bundles published for kiosks (built from a working copy, stored in the
  instance folder) and serving them to the kiosk they are assigned to, with HTTP ranges or
  through nginx (X-Accel-Redirect).
- ``assign``: staff assign a published pack version to one kiosk or to every kiosk, with the
  moment to switch; an older version assigned is a rollback.
- ``manifest``: the signed answer to a kiosk's ``GET /api/v1/assignment``.
- ``api``: the two kiosk-token routes of distribution.
- ``venues``, ``enrol``, ``heartbeat``, ``health``: venues and their time zones, one-time
  enrolment codes, the kiosks' heartbeats and the state each kiosk is shown in.
"""
