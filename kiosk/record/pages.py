"""Reading SQLite leaf pages by the file format: the rows SQL cannot reach in a damaged file.

When an interior page of a table's b-tree is destroyed, SQL cannot reach the leaves below it,
though they are intact. This module walks the file page by page (SQLite file format,
https://www.sqlite.org/fileformat.html: 1.6 "B-tree Pages", 2.1 "Record Format"), takes every
table leaf page (type 0x0D) not on the freelist, and decodes each cell: payload length and
rowid varints, the record header's serial types, the values, and the overflow chain when the
payload is larger than the page keeps locally. Anything that does not decode exactly (a cell
running off its page, a bad varint, a reserved serial type, a header or body whose sizes do
not add up, text that is not UTF-8, a broken overflow chain) is dropped, never guessed at.

One sequential pass over the file, a page at a time; an overflow chain is followed by seeking
(rare for events). Pages on the freelist are skipped, so deleted rows are not brought back.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

DEFAULT_PAGE = 4096  # when page 1's header is destroyed: SQLite's default page size
MAX_PAYLOAD = 1 << 20  # junk can claim any length: no chain that long is followed or held
_LEAF_TABLE = 0x0D
_FIXED = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8}  # serial type -> bytes


class _Bad(Exception):
    """A cell or record that does not decode by the format (dropped, never guessed at)."""


def table_rows(path: Path, columns: int) -> Iterator[tuple[int, list]]:
    """(rowid, values) of every cleanly decoded record of `columns` columns on the table leaf
    pages of the SQLite file `path`, in file order; damage is skipped, never raised."""
    with open(path, "rb") as f:
        head = f.read(100)
        page, usable, free = _geometry(f, head)
        number = 0
        while True:
            number += 1
            f.seek((number - 1) * page)  # an overflow chain read may have moved the position
            data = f.read(page)
            if len(data) < page:
                return
            if number in free:
                continue
            start = 100 if number == 1 else 0
            if data[start] != _LEAF_TABLE:
                continue
            yield from _leaf(f, data, start, page, usable, columns)


def _geometry(f, head: bytes) -> tuple[int, int, set[int]]:
    """Page size, usable size and freelist pages, from page 1's header (defaults if junk)."""
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return DEFAULT_PAGE, DEFAULT_PAGE, set()
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return DEFAULT_PAGE, DEFAULT_PAGE, set()
    usable = page - head[20]
    if usable < 480:
        return DEFAULT_PAGE, DEFAULT_PAGE, set()
    return page, usable, _freelist(f, page, usable, *struct.unpack(">II", head[32:40]))


def _freelist(f, page: int, usable: int, trunk: int, count: int) -> set[int]:
    """The pages on the freelist (trunk and leaf pages); as far as the chain can be read."""
    free: set[int] = set()
    while trunk and trunk not in free and len(free) < count:
        free.add(trunk)
        f.seek((trunk - 1) * page)
        data = f.read(usable)
        if len(data) < 8:
            break
        nxt, leaves = struct.unpack(">II", data[:8])
        if leaves > (usable - 8) // 4:
            break
        free.update(struct.unpack(f">{leaves}I", data[8:8 + 4 * leaves]))
        trunk = nxt
    return free


def _leaf(f, data: bytes, start: int, page: int, usable: int, columns: int):
    """The decodable records on one table leaf page."""
    cells = int.from_bytes(data[start + 3:start + 5], "big")
    pointers = start + 8
    if pointers + 2 * cells > usable:
        return
    for i in range(cells):
        at = int.from_bytes(data[pointers + 2 * i:pointers + 2 * i + 2], "big")
        if not pointers + 2 * cells <= at < usable:
            continue
        try:
            rowid, payload = _cell(f, data, at, page, usable)
            values = _record(payload, columns)
        except _Bad:
            continue
        yield rowid, values


def _cell(f, data: bytes, at: int, page: int, usable: int) -> tuple[int, bytes]:
    """A table leaf cell at offset `at`: its rowid and whole payload (overflow followed)."""
    size, at = _varint(data, at, usable)
    if size > MAX_PAYLOAD:
        raise _Bad("payload larger than any row of ours")
    rowid, at = _varint(data, at, usable)
    rowid = rowid - (1 << 64) if rowid >= 1 << 63 else rowid  # a 64-bit two's complement
    most = usable - 35  # the largest payload kept wholly on the page (format 1.6)
    if size <= most:
        if at + size > usable:
            raise _Bad("cell runs off the page")
        return rowid, data[at:at + size]
    least = (usable - 12) * 32 // 255 - 23
    local = least + (size - least) % (usable - 4)
    local = local if local <= most else least
    if at + local + 4 > usable:
        raise _Bad("cell runs off the page")
    parts = [data[at:at + local]]
    remaining = size - local
    nxt = int.from_bytes(data[at + local:at + local + 4], "big")
    seen: set[int] = set()
    while remaining > 0:
        if nxt == 0 or nxt in seen:
            raise _Bad("overflow chain broken")
        seen.add(nxt)
        f.seek((nxt - 1) * page)
        over = f.read(usable)
        if len(over) < usable:
            raise _Bad("overflow page past the end of the file")
        take = min(remaining, usable - 4)
        parts.append(over[4:4 + take])
        remaining -= take
        nxt = int.from_bytes(over[:4], "big")
    if nxt != 0:
        raise _Bad("overflow chain longer than the payload")
    return rowid, b"".join(parts)


def _record(payload: bytes, columns: int) -> list:
    """The values of a record (format 2.1) of exactly `columns` columns, decoded strictly."""
    end = len(payload)
    header, at = _varint(payload, 0, end)
    if not at <= header <= end:
        raise _Bad("record header runs off the payload")
    types = []
    while at < header:
        serial, at = _varint(payload, at, header)
        types.append(serial)
    if at != header or len(types) != columns:
        raise _Bad("record header does not match the table's columns")
    values: list = []
    for serial in types:
        if serial in (10, 11):
            raise _Bad("reserved serial type")
        if serial in (0, 8, 9):
            values.append(None if serial == 0 else serial - 8)
            continue
        n = _FIXED.get(serial, (serial - 12) // 2)
        if at + n > end:
            raise _Bad("record body runs off the payload")
        raw = payload[at:at + n]
        at += n
        if serial == 7:
            values.append(struct.unpack(">d", raw)[0])
        elif serial < 7:
            values.append(int.from_bytes(raw, "big", signed=True))
        elif serial % 2:
            try:
                values.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise _Bad("text is not UTF-8") from None
        else:
            values.append(raw)
    if at != end:
        raise _Bad("record body does not fill the payload")
    return values


def _varint(data: bytes, at: int, end: int) -> tuple[int, int]:
    """A SQLite varint (1-9 bytes, big-endian, 7 bits a byte, the 9th byte whole) at `at`,
    within data[:end]; returns its value and the offset after it."""
    value = 0
    for i in range(9):
        if at + i >= end:
            raise _Bad("varint runs off its bounds")
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")
