"""The one "today" of the test suite wherever a date matters to validation.

The fixture packs and the demo pack were written against this day: their consent review
dates and helpline `verified` dates are valid as of it, so tests that pass it to
`load_pack(root, today=TODAY)`, `load_cached(..., today=TODAY)`, `App(..., today=TODAY)` or
`kiosk check --today` give the same answer in any year (tests/test_date_bombs.py runs them
years ahead under faketime to prove it).
"""

import datetime as dt

TODAY = dt.date(2026, 11, 28)
