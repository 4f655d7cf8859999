"""Issue 17: a CSV the admin serves never hands a spreadsheet a formula (OWASP CSV injection).

Staff named the kiosk with a formula; every CSV that shows it holds it as text with a
leading ', and the counts stay numbers. (Story ids that start with - once reached the CSVs
too; the sync API and the USB import now refuse ids not of the pack format's form, so the
writer's own rule is tested on such cells directly below.)
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import update

from admin.db import database
from admin.feedback.csvfile import neutralise
from admin.models_feedback import Kiosk
from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import record_rows

STORIES = ["ana", "mara"]
EVIL_KIOSK = '=HYPERLINK("http://evil.example","x")'


def _sessions(rec, story, n, t):
    for _ in range(n):
        s = rec.begin_session("demo", "1.0.0", "sv", at=t)
        s.record_runtime({"event": "story_started", "story": story, "at": t + 1})
        s.record_runtime({"event": "scene_entered", "story": story, "scene": story, "at": t + 2})
        s.end("done", at=t + 3)
        t += 10
    return t


@pytest.fixture
def evil_record(app, tmp_path, register_kiosk):
    """Six sessions (above the small-cell rule) of each story, from a kiosk whose registered
    name is a formula."""
    data = tmp_path / "kiosk"
    with Recorder.open(data, batch_interval=0.01) as rec:
        t = 1_000.0
        for story in STORIES:
            t = _sessions(rec, story, 6, t)
    store = Store.open(data)
    out = tmp_path / "export.jsonl"
    export(store, data, out, "jsonl")
    store.close()
    result = app.test_cli_runner().invoke(args=["kiosks", "import", str(out)])
    assert result.exit_code == 0, result.output
    register_kiosk(EVIL_KIOSK)
    with database(app).session() as db:
        db.execute(update(Kiosk).where(Kiosk.name == EVIL_KIOSK)
                   .values(record_id=record_rows(data)[0]["kiosk_id"]))
        db.commit()


def _rows(client, path):
    with client.get(path) as r:
        assert r.status_code == 200 and r.mimetype == "text/csv"
        return list(csv.reader(io.StringIO(r.get_data(as_text=True))))


def test_formula_cells_are_neutralised_in_every_csv_and_counts_stay_numbers(
        as_role, evil_record):
    admin = as_role("administrator")
    stories = {r[0]: r[1:] for r in _rows(admin, "/reports/stories.csv")}
    for story in STORIES:
        assert stories[story][0] == "6"  # started: a number, not text
    kiosks = [r for r in _rows(admin, "/reports/breakdowns.csv") if "'" + EVIL_KIOSK in r]
    assert kiosks, "the kiosk's row is in the breakdown"
    for path in ["/reports/stories.csv", "/reports/scenes.csv", "/reports/choices.csv",
                 "/reports/surveys.csv", "/reports/breakdowns.csv", "/reports/events.csv"]:
        for row in _rows(admin, path):
            assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), (
                path, row)
            assert not any(cell.startswith("-") and not _number(cell) for cell in row), (
                path, row)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_the_one_csv_writer_prefixes_formula_text_and_keeps_numbers():
    from admin.feedback.csvfile import PLAIN, for_excel, write_rows

    for dialect in (PLAIN, for_excel("sv")):
        text = write_rows([["-2-3", "@x", "=1+1", "+4", -3, 2.5, "mara"]], dialect)
        cells = next(csv.reader(io.StringIO(text.lstrip("\ufeff")),
                                delimiter=dialect.delimiter))
        assert cells[:4] == ["'-2-3", "'@x", "'=1+1", "'+4"]
        assert cells[4] == "-3" and cells[5] in ("2.5", "2,5") and cells[6] == "mara"


def test_numbers_are_kept_and_only_text_is_prefixed():
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5 and neutralise(None) is None
    assert neutralise("=1+1") == "'=1+1" and neutralise("\tx") == "'\tx"
    assert neutralise("mara") == "mara" and neutralise("<5") == "<5"
