"""CSV for spreadsheets: every CSV the admin serves is written through ``writer`` here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by spreadsheets as a formula (OWASP "CSV injection"); such cells get a leading ``'`` so they
open as text. Story ids, labels and kiosk fields come from packs and kiosks, so any of them
can start that way. Numbers are left as numbers: only ``str`` cells are touched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """The cell, with a leading ' when it is text a spreadsheet would run as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class SafeWriter:
    """A csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, stream):
        self._out = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._out.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


def writer(stream) -> SafeWriter:
    """The admin's CSV writer (CRLF lines, formula cells neutralised) on a text stream."""
    return SafeWriter(stream)
