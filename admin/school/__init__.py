"""School sessions (issue 11): a pedagogue prepares, leads and reviews a class visit.

- ``codes``: the six-character session code (an alphabet without look-alikes), its QR code,
  and the signed code file a pedagogue can carry to an offline kiosk on a USB stick.
- ``ages``: the age groups a session is for, and which stories fit one.
- ``guide``: the teacher's guide of a story in a language, built from the pack.
- ``results``: the class's results beside all visitors, small cells suppressed.
- ``others``: how all visitors chose at each branching point (for the kiosk's "show how other
  visitors chose" view), suppressed the same way.

Views in ``admin/views/school.py``; the table in ``admin/models_school.py``. The kiosk's
side is ``kiosk/school.py``.
"""
