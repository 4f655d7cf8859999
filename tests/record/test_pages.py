"""Reading table leaf pages by the file format: what SQLite wrote is what the page reader
decodes, value for value, on a real file (every serial type, an overflowing row)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.record.pages import table_rows


def test_the_leaf_reader_decodes_what_sqlite_wrote(tmp_path: Path):
    db = tmp_path / "t.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (a, b, c)")
    written = {
        1: [None, 0, 1],  # NULL and the integers stored in the type alone (8 and 9)
        2: [-1, 127, -32768],  # 1- and 2-byte integers
        3: [8_388_607, -2_147_483_648, 140_737_488_355_327],  # 3-, 4- and 6-byte
        4: [-(2 ** 63), 2.5, -0.125],  # 8-byte integer, floats
        5: ["", "åäö ✓", b"\x00\xffblob"],  # text (UTF-8) and a blob
        6: ["x" * 10_000, 7, "y" * 5000],  # over two pages: an overflow chain
        -3: ["negative rowid", None, None],
    }
    conn.executemany("INSERT INTO t (rowid, a, b, c) VALUES (?, ?, ?, ?)",
                     [(k, *v) for k, v in written.items()])
    conn.execute("CREATE TABLE two (a, b)")  # records of another width are passed over
    conn.execute("INSERT INTO two VALUES (1, 2)")
    conn.commit()
    conn.close()

    got = dict(table_rows(db, 3))
    assert got == written
