"""Every CSV of the reports is written here, by one function: plain UTF-8, or for Excel.

Plain: UTF-8 without a byte-order mark, comma-separated, decimals with a point. For Excel:
UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the system's code page), and
the list separator and decimal sign Excel uses in the staff member's locale: where the
decimal sign is a comma (CLDR, through Babel: sv, it, lv, el), the list separator is ``;``.

Either way, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by spreadsheets as a formula (OWASP "CSV injection"); such cells get a
leading ``'`` so they open as text. Story ids, labels and kiosk fields come from packs and
kiosks, so any of them can start that way. Numbers stay numbers: only ``str`` cells are
touched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from babel.numbers import get_decimal_symbol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """The cell, with a leading ' when it is text a spreadsheet would run as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


@dataclass(frozen=True)
class Dialect:
    """How a CSV is written: separator, decimal sign, byte-order mark."""

    delimiter: str = ","
    decimal: str = "."
    bom: bool = False


PLAIN = Dialect()


def for_excel(locale: str) -> Dialect:
    """The dialect Excel reads in this locale (a comma decimal sign means ``;`` between)."""
    decimal = get_decimal_symbol(locale or "en")
    return Dialect(";" if decimal == "," else ",", decimal, True)


def write_rows(rows: Iterable[Iterable], dialect: Dialect = PLAIN, first: bool = True) -> str:
    """Rows as CSV text in the dialect (the byte-order mark, if any, before the first part)."""
    buf = io.StringIO()
    if dialect.bom and first:
        buf.write("\ufeff")
    out = csv.writer(buf, delimiter=dialect.delimiter, lineterminator="\r\n")
    for row in rows:
        out.writerow([str(v).replace(".", dialect.decimal) if isinstance(v, float)
                      else neutralise(v) for v in row])
    return buf.getvalue()
