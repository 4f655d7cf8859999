"""What the tests import: helpers shared across the suite, one concept a module.

Import them as ``tests.support.x`` (pytest puts the repository root on sys.path:
``pythonpath = ["."]``); fixtures are in ``tests/conftest.py`` (the suite's) and each folder's
``conftest.py`` (its own).

- ``fixture_date``: ``TODAY``, the suite's one fixed day where a date matters to validation.
- ``finding_catalog``: the sentences of validator findings the admin's catalogue lacks
  (staff would read them in English).
- ``isolation``: what parallel workers must not share (ports, X displays, the ``alone`` lock).
- ``pgschema``: a throw-away PostgreSQL schema per test, in this worker's own database.
- ``waiting``: poll until a condition holds or a port listens.
- ``admin_pages``: the test accounts' password, CSRF tokens and form values read from the
  admin's pages, a URL for every route.
- ``kiosk_driver``: a real kiosk App on SDL's dummy drivers, tapped like a finger.
- ``generated_media``: test video and narration made with ffmpeg and espeak-ng, and checks.
- ``story_transcripts``: golden playthroughs of the story runtime (replay, rewrite).
- ``demo_pack``: the demo pack's folder, countries, touring languages, every path of a story.
- ``record_rows``: a kiosk record's events read with plain sqlite3.
- ``feedback``: visitor sessions played into a real Recorder, the admin under gunicorn, the
  rows on each side, the small-numbers rule worked out independently.
- ``cutting_proxy``: a TCP proxy that cuts chosen connections (the sync tests).
- ``byte_proxy``: a TCP proxy that counts, cuts or corrupts answers (the fleet's downloads).
- ``fleet_packs``: the fixture pack at a chosen version, size and day (the fleet's tests).
- ``school``: the admin as a live server for school sessions, class visits, their results.
"""
