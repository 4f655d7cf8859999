"""The kiosk's side of the fleet (issue 22): enrolment and the heartbeat; pulling the
assigned pack from the admin, verifying it and switching.

- ``enroll``: a one-time code traded for this kiosk's token (sync.toml) and the admin's key.
- ``heartbeat``: the kiosk's health, collected from real sources and sent in the background.
- ``verify``: the admin's public key this kiosk pins (``kiosk fleet trust KEY``), and the
  checks of a signed manifest: signature, expiry, version never lower than the last accepted.
- ``download``: a bundle fetched with HTTP ranges into a ``.part`` file that a cut leaves in
  place for the next try, its SHA-256 checked; free disk space checked first.
- ``state``: what the kiosk remembers in ``<data>/fleet/state.json``: the switch planned,
  the first visits after a switch, the last error.
- ``switch``: when a staged pack becomes the playing one (next attract loop, a local time,
  staff confirm), and the way back by itself when it fails there.
- ``pull``: one pull (ask, verify, download, install beside the playing pack, plan the
  switch) and the background ``Puller``.

No pygame: the kiosk app calls ``switch`` from its attract loop and staff menu. See
docs/fleet.md for the protocol and docs/fleet-health.md for the heartbeat.
"""
