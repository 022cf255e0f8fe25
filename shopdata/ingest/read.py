"""Step 1 of ingest: turn an uploaded file into sheets of raw cells.

A sheet offers a small text `preview` (for locating the header row) and `body(start_row, n_columns)`, which
returns every row from there on as an Arrow table.  Text tables are previewed with Python's csv module but
their body is read by DuckDB, so a million-row CSV costs about as much as DuckDB's own read_csv.
That DuckDB is a private in-memory compute engine, not the warehouse.
Spreadsheets (.xlsx .xlsm .xls .ods) go through python-calamine, parsed once per sheet.

For an upload, guard.py's limited worker calls `Sheet.whole` for every sheet (all its rows as Arrow, the
limits checked over the whole file) and the app gets sheets backed by `_ArrowTable`, whose `body` only
slices what the worker read.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import islice, zip_longest
from pathlib import PurePosixPath
from typing import Any, BinaryIO, Protocol

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from shopdata.errors import ReadError
from shopdata.i18n import Message
from shopdata.ingest.formats import (
    READABLE_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    WORKBOOK_PARTS,
    ZIP_EXTENSIONS,
    ZIP_WORKBOOK_EXTENSIONS,
    extension,
    is_ole,
    is_zip,
)

PREVIEW_ROWS = 60
# Every codec a read may use, looked up now: the limited worker imports this module before it forks a
# reader, and a confined reader cannot import anything (sandbox._confine).
READ_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gb2312", "cp437", "latin-1")
for _encoding in READ_ENCODINGS:
    codecs.lookup(_encoding)

DELIMITERS = (",", "\t", ";", "|")
_SNIFF_BYTES = 64 * 1024  # enough text to see the delimiter and judge the encoding
_CHUNK_BYTES = 1 << 20  # streaming unit for validating and transcoding big text files
_SNIFF_RECORDS = 200
_WIDTH_CHUNK_BYTES = 8 << 20  # unit of the whole-file field count
_CSV_BATCH_ROWS = 65_536  # rows per Arrow batch when the csv module reads a body DuckDB could not
# Control characters other than tab, CR, LF: real tables have (almost) none, binary files plenty.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_SAMPLE = 20_000
# GBK text decoded right is nearly all GB2312 (common) characters; Big5, Shift-JIS or cp1252 bytes that
# happen to be valid GB18030 decode to mostly rare characters outside it.
_MIN_GB2312_SHARE = 0.8

_REEXPORT_HINT = Message("hint.reexport")
_UTF8_HINT = Message("hint.save_utf8")


# ----------------------------------------------------------------------------------------------- public API


@dataclass
class Sheet:
    file_name: str
    sheet_name: str | None
    preview: list[list[str | None]]
    encoding: str | None = None
    delimiter: str | None = None
    _table: _TextTable | _RowTable | _ArrowTable | None = field(default=None, repr=False, compare=False)

    def body(self, start_row: int, n_columns: int) -> pa.Table:
        """Rows from `start_row` (preview numbering) to the end, as columns c0..c{n_columns-1}."""
        if start_row < 0:
            raise ValueError(f"start_row must be >= 0, not {start_row}")
        if n_columns < 1:
            raise ValueError(f"n_columns must be >= 1, not {n_columns}")
        if self._table is None:
            raise ValueError("this Sheet has no rows (not made by read_file, or released)")
        with _file_errors(self.file_name):
            return self._table.body(self.file_name, start_row, n_columns)

    def streamed_body(self, start_row: int, n_columns: int) -> CsvBody | None:
        """The rows from `start_row` as a CsvBody, for cleaning them where DuckDB reads them, without an
        Arrow copy: for a UTF-8 text table on disk whose layout DuckDB follows from that row (its first
        row is the preview's). None otherwise: `body` reads the rows."""
        if start_row < 0 or n_columns < 1:
            raise ValueError(f"no body starts at row {start_row} with {n_columns} columns")
        if not isinstance(self._table, _TextTable):
            return None
        with _file_errors(self.file_name):
            return self._table.streamed_body(self.file_name, start_row, n_columns)

    def release_rows(self) -> None:
        """Let go of the rows (a sheet read in the worker holds all of them): the preview stays. Arrow's
        allocator keeps freed memory for reuse; it is handed back, as the load that follows needs its own."""
        self._table = None
        pa.default_memory_pool().release_unused()

    def whole(self, limits: BodyLimits) -> pa.Table:
        """Every row of the sheet as Arrow, for `_ArrowTable` (guard.py's worker sends it to the app).

        Text: string columns c0..; cells spreadsheets typed per cell (see `_cells_table`). Raises
        TextLimitError when a line, a record's fields or the table's cells pass `limits`."""
        if isinstance(self._table, _TextTable):
            with _file_errors(self.file_name):
                return self._table.whole(self.file_name, limits)
        if isinstance(self._table, (_RowTable, _ArrowTable)):
            return self._table.whole(self.file_name, limits)
        raise ValueError("this Sheet was not made by read_file")


class BodyLimits(Protocol):
    """What a whole read checks (guard.Limits has these, and more)."""

    @property
    def max_line_bytes(self) -> int: ...
    @property
    def max_fields(self) -> int: ...
    @property
    def max_sheet_cells(self) -> int: ...


class TextLimitError(Exception):
    """A whole read passed one of BodyLimits: `what` is "line", "fields" or "cells"; guard.py words it."""

    def __init__(self, what: str, line: int = 0, count: int = 0, delimiter: str = "") -> None:
        super().__init__(f"{what} limit at line {line} ({count})")
        self.what = what
        self.line = line
        self.count = count
        self.delimiter = delimiter


def read_file(file_name: str, data: bytes | os.PathLike | str) -> list[Sheet]:
    """Read an uploaded file (its bytes, or a path to it) into its non-empty sheets."""
    source = _Source.of(data)
    with _file_errors(file_name):
        return _read_source(file_name, source, inside_zip=False)


@contextlib.contextmanager
def _file_errors(file_name: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise ReadError(
            Message("read.cannot_open", file=file_name, reason=exc.strerror or str(exc)),
            Message("hint.check_file_disk"),
        ) from exc


# ------------------------------------------------------------------------------------------- dispatching


class _EmptyFileError(ReadError):
    """The file holds no cells at all (so a zip may skip it: nothing is lost)."""


@dataclass(frozen=True)
class _Source:
    raw: bytes | None
    path: str | None

    @classmethod
    def of(cls, data: bytes | bytearray | memoryview | os.PathLike | str) -> _Source:
        if isinstance(data, bytes):
            return cls(data, None)
        if isinstance(data, (bytearray, memoryview)):
            return cls(bytes(data), None)
        if isinstance(data, (str, os.PathLike)):
            return cls(None, os.fspath(data))
        raise TypeError(f"data must be bytes or a path, not {type(data).__name__}")

    @property
    def file(self) -> str:
        """The path of a source that is a file (one of raw and path is always set)."""
        if self.path is None:
            raise ValueError("this source holds bytes, not a path")
        return self.path

    def open(self) -> BinaryIO:
        if self.raw is not None:
            return io.BytesIO(self.raw)
        return open(self.file, "rb")  # noqa: SIM115

    def head(self, n: int) -> bytes:
        if self.raw is not None:
            return self.raw[:n]
        with open(self.file, "rb") as f:
            return f.read(n)

    def size(self) -> int:
        return len(self.raw) if self.raw is not None else os.path.getsize(self.file)


def _read_source(file_name: str, source: _Source, inside_zip: bool) -> list[Sheet]:
    ext = extension(file_name)
    if source.size() == 0:
        raise _EmptyFileError(Message("read.empty", file=file_name), _REEXPORT_HINT)
    head = source.head(8)
    if is_zip(head):
        if ext in WORKBOOK_EXTENSIONS or (ext not in ZIP_EXTENSIONS and _zip_is_workbook(source)):
            return _read_workbook(file_name, source)
        if inside_zip:
            raise ReadError(Message("read.zip_in_zip", file=file_name), Message("hint.unpack_outer"))
        return _read_zip(file_name, source)
    if is_ole(head):
        return _read_workbook(file_name, source)
    if ext in ZIP_WORKBOOK_EXTENSIONS:
        # These are always zip containers: anything else is a cut-off or mislabelled file.
        if not _looks_like_markup(source.head(_SNIFF_BYTES)):
            raise ReadError(Message("read.workbook_damaged", file=file_name), _REEXPORT_HINT)
    return _read_text_like(file_name, source)


def _zip_is_workbook(source: _Source) -> bool:
    try:
        with source.open() as f, zipfile.ZipFile(f) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # a damaged container: let the workbook reader name the problem
    return bool(WORKBOOK_PARTS & names)


def _looks_like_markup(head: bytes) -> bool:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.replace(b"\x00", b"").lstrip().lower()
    return head.startswith(b"<")


# ------------------------------------------------------------------------------------------------ zip


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip tools on Chinese Windows store GBK names without the UTF-8 flag; zipfile shows them as cp437."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _is_junk_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _read_zip(file_name: str, source: _Source) -> list[Sheet]:
    try:
        with source.open() as f, zipfile.ZipFile(f) as zf:
            sheets: list[Sheet] = []
            seen: list[str] = []
            for info in zf.infolist():
                name = _member_name(info)
                if info.is_dir() or _is_junk_member(name):
                    continue
                seen.append(name)
                if extension(name) not in READABLE_EXTENSIONS:
                    continue
                inner_name = f"{file_name}/{name}"
                try:
                    inner = zf.read(info)
                except RuntimeError as exc:  # zipfile says "encrypted, password required"
                    raise ReadError(
                        f"{inner_name}: the file in the zip is password-protected",
                        "Unpack the zip yourself and upload the files.",
                    ) from exc
                try:
                    sheets.extend(_read_source(inner_name, _Source(inner, None), inside_zip=True))
                except _EmptyFileError:
                    continue
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise ReadError(f"{file_name}: the zip file is damaged or incomplete ({exc})", _REEXPORT_HINT) from exc
    if not sheets:
        found = ", ".join(seen[:5]) + (" …" if len(seen) > 5 else "") if seen else "nothing"
        raise ReadError(
            f"{file_name}: the zip holds no readable table file (found: {found})",
            "Put .csv, .xlsx, .xls or .ods files in the zip, or upload them directly.",
        )
    return sheets


# ------------------------------------------------------------------------------------------- encodings


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text that is mostly ASCII has a NUL in every other byte."""
    sample = head[: 4096 - (len(head[:4096]) % 2)]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.2 * half and even_nuls <= 0.01 * half:
        return "utf-16-le"
    if even_nuls >= 0.2 * half and odd_nuls <= 0.01 * half:
        return "utf-16-be"
    return None


@dataclass
class _Decoded:
    has_nul: bool = False
    has_text: bool = False  # any character that is not whitespace
    non_ascii: str = ""  # the first non-ASCII characters, to judge whether a guessed decoding is plausible


def _scan_decoded(source: _Source, encoding: str) -> _Decoded:
    """Decode the whole file strictly, a chunk at a time (never the whole text in memory).

    Raises UnicodeDecodeError if the file is not valid in `encoding`."""
    if encoding in ("utf-8", "utf-8-sig"):
        return _scan_utf8(source, bom=encoding == "utf-8-sig")
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    found = _Decoded()
    parts: list[str] = []
    collected = 0
    # In GB18030 a NUL byte is a NUL character (no multi-byte sequence holds one), and finding it among bytes is
    # several times quicker than in the decoded text.
    nul_in_bytes = encoding == "gb18030"

    def look(text: str) -> None:
        nonlocal collected
        if not nul_in_bytes:
            found.has_nul = found.has_nul or "\x00" in text
        found.has_text = found.has_text or (text != "" and not text.isspace())
        if collected < _NON_ASCII_SAMPLE and not text.isascii():
            match = _NON_ASCII.search(text)
            first = match.start() if match else 0
            part = "".join(_NON_ASCII.findall(text, first, first + 4 * _NON_ASCII_SAMPLE))
            part = part[: _NON_ASCII_SAMPLE - collected]
            parts.append(part)
            collected += len(part)

    with source.open() as f:
        while chunk := f.read(_CHUNK_BYTES):
            found.has_nul = found.has_nul or (nul_in_bytes and b"\x00" in chunk)
            look(decoder.decode(chunk))
        look(decoder.decode(b"", final=True))
    found.non_ascii = "".join(parts)
    return found


def _scan_utf8(source: _Source, bom: bool) -> _Decoded:
    """_scan_decoded for UTF-8 (`bom`: with a byte order mark, which is no character of the text), without
    making text of the whole file: Arrow checks each chunk's bytes are valid UTF-8 (0.05 s for a 207 MB file,
    where Python's decoder took 0.4 s), and a chunk it refuses is decoded by Python, whose error is raised. NUL
    is looked for among the bytes (no multi-byte sequence holds a 0x00 byte), and the text decoded only until a
    character that is not whitespace is seen. No non-ASCII sample is kept: only a GB18030 guess is judged by one."""
    found = _Decoded()
    carry = b""  # a character whose first bytes end one chunk and whose last ones start the next
    skip = len(codecs.BOM_UTF8) if bom else 0
    with source.open() as f:
        while chunk := f.read(_CHUNK_BYTES):
            data = carry + chunk if carry else chunk
            end = _complete_utf8_end(data)
            data, carry = data[:end], data[end:]
            if not _valid_utf8(data):
                data.decode("utf-8")  # raises UnicodeDecodeError, where and why included
            found.has_nul = found.has_nul or b"\x00" in data
            if not found.has_text:
                text = data[skip:].decode("utf-8")
                found.has_text = text != "" and not text.isspace()
            skip = max(0, skip - len(data))  # the mark's 3 bytes may all have been carried into a later chunk
    if carry:
        carry.decode("utf-8")  # the file ends inside a character: raises
    return found


def _complete_utf8_end(data: bytes) -> int:
    """Where `data`'s last whole UTF-8 character ends: before a first byte at its end that announces more
    continuation bytes than follow it (the next chunk holds them); len(data) otherwise, invalid bytes included,
    which the check that follows refuses."""
    n = len(data)
    i = n - 1
    while i > n - 4 and i >= 0 and data[i] & 0xC0 == 0x80:  # a character has at most 3 continuation bytes
        i -= 1
    if i < 0:
        return n
    first = data[i]
    length = 2 if first & 0xE0 == 0xC0 else 3 if first & 0xF0 == 0xE0 else 4 if first & 0xF8 == 0xF0 else 1
    return i if n - i < length else n


def _valid_utf8(data: bytes) -> bool:
    """Whether `data` is valid UTF-8 by Arrow's full validation of a one-string array over it (no copy)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int32))
    array = pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _control_share(text: str) -> float:
    return len(_CONTROL_CHARS.findall(text)) / max(1, len(text))


def _decoded_head(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)


def _plausible_chinese(non_ascii: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese rather than as mis-decoded Big5, Shift-JIS, cp1252."""
    if not _CJK.search(non_ascii):
        return False
    common = 0
    for char in non_ascii:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= _MIN_GB2312_SHARE * len(non_ascii)


def _not_text(file_name: str) -> ReadError:
    return ReadError(Message("read.not_text", file=file_name), Message("hint.upload_export"))


def _detect_encoding(file_name: str, source: _Source) -> str:
    head = source.head(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif utf16 := _utf16_without_bom(head):
        candidates = [utf16]
    elif b"\x00" in head:
        raise _not_text(file_name)
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            decoded = _scan_decoded(source, encoding)
        except UnicodeDecodeError as exc:
            if encoding in ("utf-8-sig", "utf-16"):
                name = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
                raise ReadError(Message("read.bad_unicode", file=file_name, encoding=name), _UTF8_HINT) from exc
            if encoding.startswith("utf-16"):
                raise _not_text(file_name) from exc
            continue
        if encoding == "gb18030" and not _plausible_chinese(decoded.non_ascii):
            continue
        if decoded.has_nul or _control_share(_decoded_head(head, encoding)) > _MAX_CONTROL_SHARE:
            raise _not_text(file_name)
        if not decoded.has_text:
            raise _EmptyFileError(Message("read.empty", file=file_name), _REEXPORT_HINT)
        return encoding
    if _control_share(head.decode("latin-1")) > _MAX_CONTROL_SHARE:
        raise _not_text(file_name)
    raise ReadError(Message("read.unknown_encoding", file=file_name), _UTF8_HINT)


def _text_lines(source: _Source, encoding: str) -> io.TextIOWrapper:
    """The decoded text; iterating yields physical lines with their endings, as csv.reader expects."""
    return io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="")


# ------------------------------------------------------------------------------------------ text tables


def _records(lines: Iterable[str], delimiter: str, strict: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(record index, cells) for every non-blank record. The index counts blank records too, because
    DuckDB's `skip` does: it counts records (a quoted line break does not start one), blank lines included."""
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=strict)
    for index, cells in enumerate(reader):
        if any(cells):
            yield index, cells


def _sniff_delimiter(sample: str, truncated: bool) -> str:
    """The delimiter whose quoting parses cleanly and that gives the most rows of one consistent width,
    counted from the first row of that width (so title and date lines above the table do not vote);
    ties go to the wider table."""
    best: tuple[bool, int, int] = (False, 0, 0)
    chosen = ","
    for delimiter in DELIMITERS:
        clean = True
        try:  # a wrong delimiter usually leaves a closing quote followed by something else
            widths = [
                len(cells)
                for _, cells in islice(
                    _records(io.StringIO(sample, newline=""), delimiter, strict=True), _SNIFF_RECORDS
                )
            ]
        except csv.Error as exc:
            clean = truncated and "unexpected end of data" in str(exc)  # the sample ends inside a value
            widths = [
                len(cells) for _, cells in islice(_records(io.StringIO(sample, newline=""), delimiter), _SNIFF_RECORDS)
            ]
        counts = Counter(w for w in widths if w > 1)
        if not counts:
            continue
        width = max(counts, key=lambda w: (counts[w], w))
        first = widths.index(width)
        score = (clean, sum(1 for w in widths[first:] if w == width), width)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def _csv_error(file_name: str, exc: csv.Error) -> ReadError:
    return ReadError(
        f"{file_name}: the text table could not be parsed ({exc})",
        "A quoted value may never be closed; export the report again.",
    )


def _read_text_like(file_name: str, source: _Source) -> list[Sheet]:
    encoding = _detect_encoding(file_name, source)
    with _text_lines(source, encoding) as text:
        sample = text.read(_SNIFF_BYTES)
        truncated = text.read(1) != ""
        if truncated:  # cut the sample at a line end so no record is half-seen
            cut = max(sample.rfind("\n"), sample.rfind("\r"))
            sample = sample[: cut + 1] if cut >= 0 else sample
    stripped = sample.lstrip()
    if stripped[:1] == "<":
        lowered = stripped[:_SNIFF_BYTES].lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
            raise ReadError(
                f"{file_name}: this is an 'XML Spreadsheet 2003' file, which is not supported",
                "Open it in Excel and save it as .xlsx, then upload that file.",
            )
        if "<table" in lowered or "<html" in lowered or "<!doctype html" in lowered:
            return _read_html(file_name, source, encoding)
    delimiter = _sniff_delimiter(sample, truncated)

    rows: list[list[str | None]] = []
    starts: list[int] = []
    with _text_lines(source, encoding) as text:
        try:
            # One row past the preview, so body(PREVIEW_ROWS, n) knows where to start without a rescan.
            for record, cells in islice(_records(text, delimiter), PREVIEW_ROWS + 1):
                starts.append(record)
                rows.append([cell if cell else None for cell in cells])
        except csv.Error as exc:
            raise _csv_error(file_name, exc) from exc
    if not rows:
        raise _EmptyFileError(f"{file_name}: the file is empty (it has no cell with a value)", _REEXPORT_HINT)
    table = _TextTable(source, encoding, delimiter, rows, starts, complete=len(rows) <= PREVIEW_ROWS)
    return [Sheet(file_name, None, rows[:PREVIEW_ROWS], encoding, delimiter, table)]


class _TextTable:
    def __init__(
        self,
        source: _Source,
        encoding: str,
        delimiter: str,
        rows: list[list[str | None]],
        starts: list[int],
        complete: bool,
    ) -> None:
        self._source = source
        self._encoding = encoding
        self._delimiter = delimiter
        self._rows = rows  # parsed by csv, for checking that DuckDB starts at the same row
        self._starts = starts  # record index of each of those rows
        self._complete = complete  # True when `rows` are all the rows of the file

    def body(self, file_name: str, start_row: int, n_columns: int) -> pa.Table:
        skip = self._record_of_row(file_name, start_row)
        if skip is None:
            return _empty_table(n_columns)
        with self._utf8_path() as path:
            table = _duckdb_read_csv(file_name, path, self._delimiter, skip, n_columns)
        if table is None or not self._aligned(table, start_row, n_columns):
            # DuckDB refused the file's layout (mixed line endings) or split it differently from the
            # preview (odd quoting): read it with the csv module, exactly as the preview was read.
            table = self._read_with_csv_module(file_name, start_row, skip, n_columns)
        return table

    def streamed_body(self, file_name: str, start_row: int, n_columns: int) -> CsvBody | None:
        if self._source.path is None or self._encoding not in ("utf-8", "utf-8-sig"):
            return None  # bytes in memory, or text DuckDB would need a transcoded copy of
        skip = self._record_of_row(file_name, start_row)
        if skip is None:
            return None
        body = CsvBody(file_name, self._source.path, self._delimiter, skip, n_columns)
        first = body.head(1)
        if first is None or not self._aligned(first, start_row, n_columns):
            return None
        return body

    def whole(self, file_name: str, limits: BodyLimits) -> pa.Table:
        """Every non-blank record as string columns c0.., row i being preview row i; trailing columns
        without a value are dropped. DuckDB reads it when it can (its widest row no wider than the
        preview's, every line within the limit); else the csv module, counting every line and record."""
        width = max(len(row) for row in self._rows)
        if width > limits.max_fields:
            raise TextLimitError("fields", 0, width, self._delimiter)
        with self._utf8_path() as path:
            table = _duckdb_read_csv(file_name, path, self._delimiter, 0, width, limits.max_line_bytes)
            if table is not None and self._starts_like_preview(table, width):
                # DuckDB pads short rows and drops trailing empty fields: count every line's fields.
                widest = _widest_line(path, self._delimiter, limits.max_fields)
                if widest is not None:
                    raise TextLimitError("fields", widest[0], widest[1], self._delimiter)
            else:
                table = None
        if table is None:
            table = self._whole_with_csv_module(file_name, limits)
        # No cap on cells here: a text table's rows cost what its text costs (a 1M-row, 70-column orders
        # export is legitimate); what a hostile one can cost is bounded by the worker's memory limit.
        return _without_empty_tail(table)

    def _starts_like_preview(self, table: pa.Table, width: int) -> bool:
        """Whether DuckDB's rows begin with exactly the rows the csv module read for the preview."""
        head = table.slice(0, len(self._rows)).to_pylist()
        if len(head) != min(len(self._rows), table.num_rows) or (self._complete and table.num_rows != len(self._rows)):
            return False
        names = table.schema.names
        for row, cells in zip(head, self._rows, strict=False):
            expected = cells + [None] * (width - len(cells))
            if [row[n] if row[n] != "" else None for n in names] != expected:
                return False
        return True

    def _whole_with_csv_module(self, file_name: str, limits: BodyLimits) -> pa.Table:
        batches: list[list[pa.Array]] = []
        rows: list[list[str]] = []
        width = 0
        with _text_lines(self._source, self._encoding) as text:
            lines = _limited_lines(text, limits.max_line_bytes)
            try:
                for _, cells in _records(lines, self._delimiter):
                    if len(cells) > limits.max_fields:
                        raise TextLimitError("fields", lines.number, len(cells), self._delimiter)
                    while not cells[-1]:  # a non-blank record has a value somewhere
                        cells.pop()
                    rows.append(cells)
                    width = max(width, len(cells))
                    if len(rows) == _CSV_BATCH_ROWS:
                        batches.append(_string_columns(rows, width))
                        rows = []
            except csv.Error as exc:
                raise _csv_error(file_name, exc) from exc
        if rows or not batches:
            batches.append(_string_columns(rows, width))
        names = [f"c{i}" for i in range(width)]
        padded = [
            pa.record_batch(
                columns + [pa.nulls(len(columns[0]) if columns else 0, pa.string())] * (width - len(columns)),
                names=names,
            )
            for columns in batches
        ]
        return pa.Table.from_batches(padded, pa.schema([(n, pa.string()) for n in names]))

    def _record_of_row(self, file_name: str, start_row: int) -> int | None:
        if start_row < len(self._starts):
            return self._starts[start_row]
        if self._complete:
            return None
        with _text_lines(self._source, self._encoding) as text:
            try:
                for record, _ in islice(_records(text, self._delimiter), start_row, start_row + 1):
                    return record
            except csv.Error as exc:
                raise _csv_error(file_name, exc) from exc
        return None

    @contextlib.contextmanager
    def _utf8_path(self) -> Iterator[str]:
        """A UTF-8 file DuckDB can read: the upload itself when possible, else a private temporary copy."""
        if self._source.path is not None and self._encoding in ("utf-8", "utf-8-sig"):
            yield self._source.path
            return
        fd, path = tempfile.mkstemp(prefix="shopdata-read-", suffix=".csv")
        try:
            with os.fdopen(fd, "wb") as out:
                if self._source.raw is not None and self._encoding in ("utf-8", "utf-8-sig"):
                    out.write(self._source.raw)  # DuckDB skips a UTF-8 BOM itself
                else:
                    decoder = codecs.getincrementaldecoder(self._encoding)("strict")
                    with self._source.open() as f:
                        while chunk := f.read(_CHUNK_BYTES):
                            out.write(decoder.decode(chunk).encode("utf-8"))
                    out.write(decoder.decode(b"", final=True).encode("utf-8"))
            yield path
        finally:
            os.unlink(path)

    def _aligned(self, table: pa.Table, start_row: int, n_columns: int) -> bool:
        """Whether DuckDB's first row is the preview's row `start_row` (when the preview has it)."""
        if start_row >= len(self._rows):
            return True
        expected = (self._rows[start_row] + [None] * n_columns)[:n_columns]
        return table.num_rows > 0 and [table.column(i)[0].as_py() for i in range(n_columns)] == expected

    def _read_with_csv_module(self, file_name: str, start_row: int, skip: int, n_columns: int) -> pa.Table:
        names = [f"c{i}" for i in range(n_columns)]
        batches = []
        rows: list[list[str]] = []
        row_number = start_row
        with _text_lines(self._source, self._encoding) as text:
            try:
                for record, cells in _records(text, self._delimiter):
                    if record < skip:
                        continue
                    if len(cells) > n_columns and any(cells[n_columns:]):
                        column = n_columns + next(i for i, c in enumerate(cells[n_columns:]) if c)
                        raise ReadError(
                            f"{file_name}: row {row_number} has a value in column {column + 1} "
                            f"({cells[column][:50]!r}), beyond the {n_columns} columns of the table",
                            "The table is wider than its header; choose more columns or fix that row.",
                        )
                    rows.append(cells[:n_columns])
                    row_number += 1
                    if len(rows) == _CSV_BATCH_ROWS:
                        batches.append(_string_batch(rows, names))
                        rows = []
            except csv.Error as exc:
                raise _csv_error(file_name, exc) from exc
        if rows:
            batches.append(_string_batch(rows, names))
        return pa.Table.from_batches(batches, _empty_table(n_columns).schema)


class _LimitedLines:
    """The physical lines of a text, each checked against `max_chars` before the csv module sees it (it
    would hold a line of any length whole); `number` is the line last handed out."""

    def __init__(self, text: io.TextIOWrapper, max_chars: int) -> None:
        self._text = text
        self._max = max_chars
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        while line := self._text.readline(self._max + 2):  # room for a CR LF ending
            self.number += 1
            if len(line.rstrip("\r\n")) > self._max:
                raise TextLimitError("line", self.number, self._max)
            yield line


def _limited_lines(text: io.TextIOWrapper, max_chars: int) -> _LimitedLines:
    return _LimitedLines(text, max_chars)


def _widest_line(path: str, delimiter: str, max_fields: int) -> tuple[int, int] | None:
    """(line number, fields) of the first line of a UTF-8 file with more than `max_fields` fields, counted
    as delimiters + 1 (a quoted delimiter counts too, as in guard.py's look at the head); None if none.
    Vectorised per chunk: a line's fields are the delimiters between two line ends."""
    code = ord(delimiter)
    carry = lines = 0  # delimiters since the last line end; line ends so far
    with open(path, "rb") as f:
        while chunk := f.read(_WIDTH_CHUNK_BYTES):
            bytes_ = np.frombuffer(chunk, np.uint8)
            ends = (bytes_ == 10) | (bytes_ == 13)
            ends[1:] &= ~((bytes_[1:] == 10) & (bytes_[:-1] == 13))  # CR LF ends one line
            end_at = np.flatnonzero(ends)
            delimiters_at = np.flatnonzero(bytes_ == code)
            before = np.searchsorted(delimiters_at, end_at)
            per_line = np.diff(before, prepend=0)
            if per_line.size:
                per_line[0] += carry
                over = np.flatnonzero(per_line >= max_fields)
                if over.size:
                    return lines + int(over[0]) + 1, int(per_line[over[0]]) + 1
                carry = len(delimiters_at) - int(before[-1])
            else:
                carry += len(delimiters_at)
            lines += end_at.size
    return (lines + 1, carry + 1) if carry >= max_fields else None


def _without_empty_tail(table: pa.Table) -> pa.Table:
    """The table without its trailing columns that hold no value (rows padded with empty fields)."""
    keep = table.num_columns
    while keep > 1 and table.column(keep - 1).null_count == table.num_rows:
        keep -= 1
    return table.select(range(keep)) if keep < table.num_columns else table


def _string_batch(rows: list[list[str]], names: list[str]) -> pa.RecordBatch:
    return pa.record_batch(_string_columns(rows, len(names)), names=names)


def _string_columns(rows: list[list[str]], width: int) -> list[pa.Array]:
    """Rows of cells (short rows padded) as `width` string columns, empty cells null. Column by column:
    never a tuple per column of the widest row (a row of 20,000 empty fields made zip_longest build
    20,000 tuples as long as the file)."""
    return [pa.array([row[j] if j < len(row) and row[j] else None for row in rows], pa.string()) for j in range(width)]


def _read_csv_sql(n_columns: int, value: Callable[[str], str], max_line: bool = False) -> str:
    """The SELECT reading a text table's body with DuckDB, every cell as text, blank rows left out;
    `value(name)` is how the statement refers to the value `name` (path, delim, skip, columns, parallel,
    max_line): a bound parameter or a session variable."""
    names = [f"c{i}" for i in range(n_columns)]
    return (
        f"SELECT * FROM read_csv({value('path')}, header = false, auto_detect = false, all_varchar = true, "
        f"delim = {value('delim')}, quote = '\"', escape = '\"', skip = {value('skip')}, "
        f"columns = {value('columns')}, null_padding = true, parallel = {value('parallel')}"
        f"{', max_line_size = ' + value('max_line') if max_line else ''}) "
        f"WHERE COALESCE({', '.join(names)}) IS NOT NULL"  # blank rows (every cell empty) are not rows
    )


# A read_csv error that says DuckDB's parser cannot follow the file's layout (LF and CRLF line ends mixed in
# one file): the csv module reads it instead.
_LAYOUT_REFUSED = "state machine reached an invalid state"
# DuckDB's parallel scanner cannot pad short rows once a value spans lines: read on one thread.
_NEEDS_SERIAL = "quoted new lines"
# Errors of DuckDB's CSV reader (as opposed to a statement's own): they are about the file.
_CSV_ERRORS = ("CSV Error", "Expected Number of Columns", "unterminated quote", "Maximum line size")


class CsvBody:
    """A text table's body as DuckDB's read_csv reads it, in the connection that cleans it (the warehouse's
    own, so a million-row CSV is cleaned and inserted without ever being copied into Arrow or Python).

    `attach(con, view)` makes `view` (columns c0.. as text, then `_row`, which is NULL: a streamed body has
    no row numbers, and the rows keep the file's order wherever DuckDB preserves insertion order). The file's
    path and the reading options are bound as the connection's session variables, never written into SQL.
    Errors surface while a statement reads the view: `read_error` words those that concern the file."""

    VARIABLE_PREFIX = "sd_csv_"

    def __init__(
        self, file_name: str, path: str, delimiter: str, skip: int, n_columns: int, parallel: bool = True
    ) -> None:
        self.file_name = file_name
        self.path = path
        self.delimiter = delimiter
        self.skip = skip
        self.num_columns = n_columns
        self.parallel = parallel
        self.schema = pa.schema([(f"c{i}", pa.string()) for i in range(n_columns)])

    def serial(self) -> CsvBody:
        """The same body read on one thread (see _NEEDS_SERIAL)."""
        return CsvBody(self.file_name, self.path, self.delimiter, self.skip, self.num_columns, parallel=False)

    def _values(self) -> dict[str, object]:
        return {
            "path": self.path,
            "delim": self.delimiter,
            "skip": self.skip,
            "columns": {f"c{i}": "VARCHAR" for i in range(self.num_columns)},
            "parallel": self.parallel,
        }

    def _sql(self) -> str:
        return _read_csv_sql(self.num_columns, lambda name: f"getvariable('{self.VARIABLE_PREFIX}{name}')")

    def attach(self, con: duckdb.DuckDBPyConnection, view: str) -> None:
        for name, value in self._values().items():
            con.execute(f"SET VARIABLE {self.VARIABLE_PREFIX}{name} = $value", {"value": value})
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT *, CAST(NULL AS BIGINT) AS _row FROM ({self._sql()})"
        )

    def detach(self, con: duckdb.DuckDBPyConnection, view: str) -> None:
        con.execute(f"DROP VIEW IF EXISTS {view}")
        for name in self._values():
            con.execute(f"RESET VARIABLE {self.VARIABLE_PREFIX}{name}")

    def head(self, limit: int) -> pa.Table | None:
        """The first `limit` rows, read in a private connection; None when DuckDB cannot follow the layout."""
        con = duckdb.connect()
        try:
            self.attach(con, "sd_head")
            return con.execute(f"SELECT * EXCLUDE (_row) FROM sd_head LIMIT {int(limit)}").to_arrow_table()
        except duckdb.Error as exc:
            if _LAYOUT_REFUSED in str(exc):
                return None
            if self.parallel and self.needs_serial(exc):
                return self.serial().head(limit)
            raise self.read_error(exc) or exc from exc
        finally:
            con.close()

    def column_sample(self, index: int, limit: int) -> list[str]:
        """The first `limit` values of column `index` that are not empty."""
        con = duckdb.connect()
        try:
            self.attach(con, "sd_sample")
            rows = con.execute(
                f"SELECT c{int(index)} FROM sd_sample WHERE c{int(index)} IS NOT NULL LIMIT {int(limit)}"
            )
            return [r[0] for r in rows.fetchall()]
        except duckdb.Error as exc:
            raise self.read_error(exc) or exc from exc
        finally:
            con.close()

    def read_error(self, exc: duckdb.Error) -> ReadError | None:
        """The ReadError for a reading error of this body, None for any other error (not the file's)."""
        message = str(exc)
        if not any(marker in message for marker in _CSV_ERRORS):
            return None
        return _duckdb_error(self.file_name, exc, self.num_columns)

    @staticmethod
    def needs_serial(exc: duckdb.Error) -> bool:
        return _NEEDS_SERIAL in str(exc)

    @staticmethod
    def layout_refused(exc: duckdb.Error) -> bool:
        return _LAYOUT_REFUSED in str(exc)


def _duckdb_read_csv(
    file_name: str,
    path: str,
    delimiter: str,
    skip: int,
    n_columns: int,
    max_line_bytes: int | None = None,
) -> pa.Table | None:
    """The rows from record `skip` on, or None when DuckDB's parser cannot follow the file's layout.

    With `max_line_bytes` (a whole read): a row wider than `n_columns` also gives None (the csv module
    reads it, counting its fields), and a longer line raises TextLimitError."""
    names = [f"c{i}" for i in range(n_columns)]
    sql = _read_csv_sql(n_columns, lambda name: f"${name}", max_line_bytes is not None)
    params: dict[str, object] = {
        "path": path,
        "delim": delimiter,
        "skip": skip,
        "columns": dict.fromkeys(names, "VARCHAR"),
    }
    if max_line_bytes:
        params["max_line"] = max_line_bytes
    con = duckdb.connect()
    try:
        try:
            table = con.execute(sql, params | {"parallel": True}).to_arrow_table()
        except duckdb.Error as exc:
            if _NEEDS_SERIAL not in str(exc):
                raise
            # DuckDB's parallel scanner cannot pad short rows once a value spans lines.
            table = con.execute(sql, params | {"parallel": False}).to_arrow_table()
    except duckdb.Error as exc:
        message = str(exc)
        if _LAYOUT_REFUSED in message:
            return None  # e.g. LF and CRLF line ends mixed in one file
        if max_line_bytes and "Expected Number of Columns" in message:
            return None
        if max_line_bytes and "Maximum line size" in message:
            line = re.search(r"Line: (\d+)", message)
            raise TextLimitError("line", int(line.group(1)) if line else 0, max_line_bytes) from exc
        raise _duckdb_error(file_name, exc, n_columns) from exc
    finally:
        con.close()
    return table.cast(pa.schema([(n, pa.string()) for n in names]))


def _duckdb_error(file_name: str, exc: duckdb.Error, n_columns: int) -> ReadError:
    message = str(exc)
    line = re.search(r"Line: (\d+)", message)
    where = f"line {line.group(1)}" if line else "a line"
    original = re.search(r"Original Line: (.*)", message)
    shown = f": {original.group(1)[:200]}" if original else ""
    if "Expected Number of Columns" in message:
        return ReadError(
            f"{file_name}: {where} has a value beyond the {n_columns} columns of the table{shown}",
            "The table is wider than its header; choose more columns or fix that row.",
        )
    if "unterminated quote" in message:
        return ReadError(
            f"{file_name}: {where} has a quoted value that is never closed{shown}",
            "Export the report again, or open it in Excel and save it as 'CSV UTF-8'.",
        )
    if "Maximum line size" in message:
        return ReadError(f"{file_name}: {where} is too long to be a table row", _REEXPORT_HINT)
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    return ReadError(f"{file_name}: the text table could not be read ({first})", _REEXPORT_HINT)


def _empty_table(n_columns: int) -> pa.Table:
    return pa.table({f"c{i}": pa.array([], pa.string()) for i in range(n_columns)})


# ---------------------------------------------------------------------------- HTML tables saved as .xls


class _HtmlTables(HTMLParser):
    """Collects the rows of each top-level <table>; cell text is whitespace-collapsed as a browser shows it."""

    _SPACE = re.compile(r"[ \t\r\n\f]+")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
            return
        if self._depth != 1:
            if tag == "br" and self._cell is not None:
                self._cell.append("\n")
            return
        if tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.strip().isdigit() and int(span) > 0 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1:
                self._end_row()
            self._depth = max(0, self._depth - 1)
        elif self._depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self._depth == 1 and tag == "tr":
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:  # a cell always opens inside a row
            return
        text = "\n".join(self._SPACE.sub(" ", part).strip() for part in "".join(self._cell).split("\n"))
        self._row.append(text.strip("\n"))
        self._row.extend([""] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None


def _read_html(file_name: str, source: _Source, encoding: str) -> list[Sheet]:
    parser = _HtmlTables()
    with _text_lines(source, encoding) as text:
        while chunk := text.read(_CHUNK_BYTES):
            parser.feed(chunk)
    parser.close()
    tables = [_non_blank(rows) for rows in parser.tables]
    named = [(None if len(parser.tables) == 1 else f"table {i + 1}", rows) for i, rows in enumerate(tables)]
    sheets = [Sheet(file_name, name, _preview(rows), encoding, None, _RowTable(rows)) for name, rows in named if rows]
    if not sheets:
        raise _EmptyFileError(f"{file_name}: the HTML file has no table with data", _REEXPORT_HINT)
    return sheets


# ------------------------------------------------------------------------------------------- workbooks


def _read_workbook(file_name: str, source: _Source) -> list[Sheet]:
    damaged = f"{file_name}: the workbook is damaged or incomplete, export it again"
    try:
        with source.open() as f:
            workbook = python_calamine.CalamineWorkbook.from_filelike(f)
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no cells
            read = _sheet_cells(workbook.get_sheet_by_name(meta.name))
            if read is not None:
                preview, table = read
                sheets.append(Sheet(file_name, meta.name, preview, None, None, _ArrowTable(table, cells=True)))
    except python_calamine.PasswordError as exc:
        raise ReadError(
            f"{file_name}: the workbook is password-protected", "Remove the password in Excel, save, and upload again."
        ) from exc
    except (python_calamine.CalamineError, ValueError, TypeError, OverflowError) as exc:
        raise ReadError(damaged, f"{_REEXPORT_HINT} ({exc})") from exc
    if not sheets:
        raise _EmptyFileError(f"{file_name}: no sheet of this workbook has any data", _REEXPORT_HINT)
    return sheets


_SHEET_BATCH_ROWS = 4096  # rows of a worksheet turned into Arrow at a time


def _sheet_rows(sheet: python_calamine.CalamineSheet) -> Iterator[list]:
    """The sheet's non-blank rows as `to_python(skip_empty_area=False)` gives them (from column A: iter_rows
    starts at the first used column), one at a time."""
    pad = [""] * sheet.start[1] if sheet.start else []
    for row in sheet.iter_rows():
        if row.count("") != len(row):
            yield pad + row if pad else row


def _sheet_batches(sheet: python_calamine.CalamineSheet) -> Iterator[list[tuple]]:
    """The sheet's non-blank rows, _SHEET_BATCH_ROWS at a time, as columns (every row is as wide as the sheet)."""
    rows = _sheet_rows(sheet)
    while batch := list(islice(rows, _SHEET_BATCH_ROWS)):
        yield list(zip_longest(*batch, fillvalue=""))


def _present_types(column: tuple) -> set[type]:
    """The types of a column's cells that are not empty ("" is an empty cell)."""
    present = set(map(type, column))
    if str in present and "" in column:
        present = set(map(type, (v for v in column if v != "")))
    return present


def _sheet_cells(sheet: python_calamine.CalamineSheet) -> tuple[list[list[str | None]], pa.Table] | None:
    """A worksheet's preview and its cells table (what `_cells_table` makes of its non-blank rows), built a
    batch of rows at a time so that the cells are never all Python objects at once. Each batch of a column is
    turned into Arrow as its own cells' types say; a column whose batches differ is then given the parts the
    whole column needs from those arrays (`_as_mixed`). The rare batch whose arrays cannot say that exactly (an
    int among floats, dates beside datetimes, in a column mixed elsewhere) sends the sheet through
    `_sheet_cells_two_pass`. None for a sheet without a value."""
    present: list[set[type]] = []
    head: list[list] = []
    # per column, per batch: the batch's own types and its parts (None: no value in this batch)
    read: list[list[tuple[set[type], list[tuple[str, pa.Array]] | None]]] = []
    lengths: list[int] = []
    for columns in _sheet_batches(sheet):
        if len(head) < PREVIEW_ROWS:
            head += [list(row) for row in islice(zip(*columns, strict=True), PREVIEW_ROWS - len(head))]
        for _ in range(len(columns) - len(present)):
            present.append(set())
            read.append([(set(), None)] * len(lengths))
        for j in range(len(present)):
            types = _present_types(columns[j]) if j < len(columns) else set()
            present[j] |= types
            read[j].append((types, _cells_parts(columns[j], types) if types else None))
        lengths.append(len(columns[0]))
    if not head:
        return None
    width = len(present)
    while width > 1 and not present[width - 1]:
        width -= 1
    arrays: list[pa.ChunkedArray] = []
    names: list[str] = []
    for j in range(width):
        whole = present[j]
        if not _is_mixed(whole):
            part = _pure_part(whole)
            chunks = [
                parts[0][1]
                if parts is not None and parts[0][1].type == CELL_PART_TYPES[part]
                else pa.nulls(n, CELL_PART_TYPES[part])
                for (_, parts), n in zip(read[j], lengths, strict=True)
            ]
            names.append(f"{j}:{part}")
            arrays.append(pa.chunked_array(chunks, CELL_PART_TYPES[part]))
            continue
        wanted = [
            "kind",
            "text",
            *(["number"] if whole & _NUMBER_TYPES else []),
            *(["stamp"] if whole & _DATE_TYPES else []),
        ]
        batches = []
        for (types, parts), n in zip(read[j], lengths, strict=True):
            mixed = _as_mixed(types, parts, n)
            if mixed is None:
                return _sheet_cells_two_pass(sheet)
            batches.append(mixed)
        for part in wanted:
            names.append(f"{j}:{part}")
            arrays.append(
                pa.chunked_array(
                    [b.get(part, pa.nulls(n, CELL_PART_TYPES[part])) for b, n in zip(batches, lengths, strict=True)],
                    CELL_PART_TYPES[part],
                )
            )
    return _preview(head), pa.Table.from_arrays(arrays, names=names)


def _is_mixed(present: set[type]) -> bool:
    return not (present <= _NUMBER_TYPES or present <= _DATE_TYPES or present == {str})


def _pure_part(present: set[type]) -> str:
    """The one part of a column whose cells are all numbers, all dates or all text (all empty: text)."""
    return (
        "number" if present and present <= _NUMBER_TYPES else "stamp" if present and present <= _DATE_TYPES else "text"
    )


def _as_mixed(types: set[type], parts: list[tuple[str, pa.Array]] | None, n: int) -> dict[str, pa.Array] | None:
    """A batch's parts as a mixed column has them (`_cells_parts` of its cells with the column's types; parts
    it lacks are all null), from the parts its own types gave; None when those cannot say it exactly."""
    if parts is None:
        return {"kind": pa.array(np.full(n, _KIND_EMPTY, np.int8))}
    if _is_mixed(types):
        return dict(parts)
    [(part, array)] = parts
    valid = pc.is_valid(array)
    if part == "text":
        kind = _KIND_TEXT
    elif part == "number" and types == {float}:  # an int's text is its digits, which a float64 no longer tells
        kind = _KIND_NUMBER
    elif part == "stamp" and len(types) == 1:  # a date and a datetime are worded differently
        kind = _KIND_DATE if types == {dt.date} else _KIND_DATETIME
    else:
        return None
    kinds = pc.if_else(valid, pa.scalar(kind, pa.int8()), pa.scalar(_KIND_EMPTY, pa.int8()))
    return {"kind": kinds, "text" if part == "text" else part: array}


def _sheet_cells_two_pass(sheet: python_calamine.CalamineSheet) -> tuple[list[list[str | None]], pa.Table] | None:
    """_sheet_cells reading the sheet twice: once to learn each column's types, then to turn each batch into
    the parts the whole column needs."""
    present: list[set[type]] = []
    head: list[list] = []
    for columns in _sheet_batches(sheet):
        if len(head) < PREVIEW_ROWS:
            head += [list(row) for row in islice(zip(*columns, strict=True), PREVIEW_ROWS - len(head))]
        present += [set() for _ in range(len(columns) - len(present))]
        for j, column in enumerate(columns):
            present[j] |= _present_types(column)
    if not head:
        return None
    width = len(present)
    while width > 1 and not present[width - 1]:
        width -= 1
    parts: list[list[list[tuple[str, pa.Array]]]] = [[] for _ in range(width)]
    for columns in _sheet_batches(sheet):
        for j in range(width):
            parts[j].append(_cells_parts(columns[j], present[j]))
    arrays: list[pa.ChunkedArray] = []
    names: list[str] = []
    for j, batches in enumerate(parts):
        for n, (part, _) in enumerate(batches[0]):
            names.append(f"{j}:{part}")
            arrays.append(pa.chunked_array([batch[n][1] for batch in batches], CELL_PART_TYPES[part]))
    return _preview(head), pa.Table.from_arrays(arrays, names=names)


def _cells_parts(column: tuple, present: set[type]) -> list[tuple[str, pa.Array]]:
    """One batch of a column as the parts `_cells_table` gives the whole column whose types are `present`."""
    if present <= _NUMBER_TYPES or present <= _DATE_TYPES or present == {str}:
        part = "number" if present and present <= _NUMBER_TYPES else "stamp" if present <= _DATE_TYPES else "text"
        if not present:
            part = "text"  # an empty column: _column_array makes it text
        array = _column_array(column)
        if array.type != CELL_PART_TYPES[part]:  # a batch of empty cells in a number or date column
            array = pa.nulls(len(column), CELL_PART_TYPES[part])
        return [(part, array)]
    kinds = [_KIND_EMPTY if v == "" else _KIND_OF.get(type(v), _KIND_OTHER) for v in column]
    texts = [
        None if type(v) is float or k in (_KIND_DATE, _KIND_DATETIME) else _display(v)
        for v, k in zip(column, kinds, strict=True)
    ]
    parts = [("kind", pa.array(kinds, pa.int8())), ("text", pa.array(texts, pa.string()))]
    if present & _NUMBER_TYPES:
        numbers = [v if k == _KIND_NUMBER else None for v, k in zip(column, kinds, strict=True)]
        parts.append(("number", pa.array(numbers, pa.float64())))
    if present & _DATE_TYPES:
        parts.append(("stamp", pa.array([_stamp(v) for v in column], pa.timestamp("us"))))
    return parts


def _non_blank(rows: list[list]) -> list[list]:
    return [row for row in rows if row.count("") != len(row)]


def _format_float(value: float) -> str:
    text = repr(value)  # shortest text that reads back as the same float
    return text[:-2] if text.endswith(".0") else text


def _format_duration(value: dt.timedelta) -> str:
    micros = value // dt.timedelta(microseconds=1)
    sign = "-" if micros < 0 else ""
    seconds, micros = divmod(abs(micros), 1_000_000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{text}.{micros:06d}" if micros else text


_DISPLAY: dict[type, Callable[[Any], str]] = {
    str: lambda v: v,
    float: _format_float,
    int: str,
    bool: lambda v: "true" if v else "false",
    dt.datetime: lambda v: v.isoformat(sep=" "),
    dt.date: dt.date.isoformat,
    dt.time: dt.time.isoformat,
    dt.timedelta: _format_duration,
}


def _display(value: object) -> str | None:
    if value is None or value == "":
        return None
    formatter = _DISPLAY.get(type(value))
    return formatter(value) if formatter else str(value)


def _preview(rows: list[list]) -> list[list[str | None]]:
    return [[_display(v) for v in row] for row in rows[:PREVIEW_ROWS]]


_NUMBER_TYPES = frozenset({float, int})
_DATE_TYPES = frozenset({dt.date, dt.datetime})


def _column_array(values: tuple | list) -> pa.Array:
    """One spreadsheet column as Arrow: all numbers -> float64, all dates -> timestamp[us], else text."""
    kinds = set(map(type, values))
    if str in kinds and "" in values:
        values = [None if v == "" else v for v in values]
        kinds = set(map(type, values))
        kinds.discard(type(None))
    if not kinds:
        return pa.nulls(len(values), pa.string())
    if kinds <= _NUMBER_TYPES:
        return pa.array(values, pa.float64())
    if kinds == {dt.date}:
        return pa.array(values, pa.date32()).cast(pa.timestamp("us"))
    if kinds <= _DATE_TYPES:
        return pa.array(
            [dt.datetime(v.year, v.month, v.day) if type(v) is dt.date else v for v in values], pa.timestamp("us")
        )
    if kinds == {str}:
        return pa.array(values, pa.string())
    return pa.array([v if v is None or type(v) is str else _display(v) for v in values], pa.string())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowTable:
    """Rows already in memory (a spreadsheet sheet or an HTML table); empty cells are ''."""

    def __init__(self, rows: list[list]) -> None:
        self._rows = rows

    def body(self, file_name: str, start_row: int, n_columns: int) -> pa.Table:
        rows = self._rows[start_row:]
        if not rows:
            return _empty_table(n_columns)
        columns = list(zip_longest(*rows, fillvalue=""))
        for j in range(n_columns, len(columns)):
            column = columns[j]
            if column.count("") != len(column):
                i = next(i for i, v in enumerate(column) if v != "")
                raise ReadError(
                    f"{file_name}: row {start_row + i} has a value in column {_column_letter(j)} "
                    f"({_display(column[i])!r}), beyond the {n_columns} columns of the table",
                    "The table is wider than its header; choose more columns or clear that cell.",
                )
        arrays = [
            _column_array(columns[j]) if j < len(columns) else pa.nulls(len(rows), pa.string())
            for j in range(n_columns)
        ]
        return pa.table(arrays, names=[f"c{j}" for j in range(n_columns)])

    def whole(self, file_name: str, limits: BodyLimits) -> pa.Table:
        return _cells_table(self._rows, limits)


# ----------------------------------------------------------------------- a sheet read in the limited worker
#
# guard.py's worker reads every sheet whole and hands the app Arrow (never its own Python objects). A
# spreadsheet's column is typed by the rows of the body only (`_column_array`), and which rows those are
# is decided later, by the app; so a column of mixed cells travels as up to four parallel arrays: each
# cell's kind, its text as the preview shows it, its number and its timestamp.

_KIND_EMPTY, _KIND_NUMBER, _KIND_DATE, _KIND_DATETIME, _KIND_TEXT, _KIND_OTHER = range(6)
_KIND_OF: dict[type, int] = {float: _KIND_NUMBER, int: _KIND_NUMBER, dt.date: _KIND_DATE, dt.datetime: _KIND_DATETIME}
_KIND_OF[str] = _KIND_TEXT
CELL_PARTS = ("kind", "text", "number", "stamp")
CELL_PART_TYPES = {"kind": pa.int8(), "text": pa.string(), "number": pa.float64(), "stamp": pa.timestamp("us")}


def _stamp(value: object) -> dt.datetime | None:
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value if isinstance(value, dt.datetime) else None


def _cells_table(rows: list[list], limits: BodyLimits) -> pa.Table:
    """Spreadsheet rows as columns named "<j>:<part>": a column whose cells are all numbers, all dates or
    all text has that one part; a mixed one all the parts its cells need, "kind" first."""
    width = max((len(row) for row in rows), default=0)
    while width > 1 and all(len(row) < width or row[width - 1] == "" for row in rows):
        width -= 1
    if len(rows) * width > limits.max_sheet_cells:
        raise TextLimitError("cells", 0, len(rows) * width)
    arrays: list[pa.Array] = []
    names: list[str] = []
    pure_part = {pa.float64(): "number", pa.timestamp("us"): "stamp", pa.string(): "text"}
    for j, column in enumerate(islice(zip_longest(*rows, fillvalue=""), width)):  # rows x width: checked above
        present = set(map(type, column))
        if str in present and "" in column:
            present = set(map(type, (v for v in column if v != "")))
        if present <= _NUMBER_TYPES or present <= _DATE_TYPES or present == {str}:
            # _column_array types it as it would type any run of its rows (all empty: text)
            array = _column_array(column)
            parts = {pure_part[array.type]: array}
        else:
            kinds = [_KIND_EMPTY if v == "" else _KIND_OF.get(type(v), _KIND_OTHER) for v in column]
            # Text for the cells a number or timestamp cannot say exactly; the app words the rest when needed.
            texts = [
                None if type(v) is float or k in (_KIND_DATE, _KIND_DATETIME) else _display(v)
                for v, k in zip(column, kinds, strict=True)
            ]
            parts = {"kind": pa.array(kinds, pa.int8()), "text": pa.array(texts, pa.string())}
            if present & _NUMBER_TYPES:
                parts["number"] = pa.array(
                    [v if k == _KIND_NUMBER else None for v, k in zip(column, kinds, strict=True)], pa.float64()
                )
            if present & _DATE_TYPES:
                parts["stamp"] = pa.array([_stamp(v) for v in column], pa.timestamp("us"))
        for part, array in parts.items():
            names.append(f"{j}:{part}")
            arrays.append(array)
    return pa.table(arrays, names=names) if arrays else pa.table({"0:text": pa.nulls(len(rows), pa.string())})


def _mixed_text(parts: dict[str, pa.ChunkedArray]) -> pa.Array | pa.ChunkedArray:
    """A mixed column's cells as the preview shows them: the worker sent text for all but the floats and
    timestamps, which are worded here (only for the rows of a body, only when its cells are mixed)."""
    text, kind = parts["text"], parts["kind"]
    missing = pc.and_(pc.is_null(text), pc.not_equal(kind, _KIND_EMPTY))
    if not pc.any(missing).as_py():
        return text
    values, kinds = text.to_pylist(), kind.to_pylist()
    numbers = parts["number"].to_pylist() if "number" in parts else None
    stamps = parts["stamp"].to_pylist() if "stamp" in parts else None
    for i in pc.indices_nonzero(
        missing.combine_chunks() if isinstance(missing, pa.ChunkedArray) else missing
    ).to_pylist():
        if kinds[i] == _KIND_NUMBER and numbers is not None and numbers[i] is not None:
            values[i] = _format_float(numbers[i])
        elif kinds[i] == _KIND_DATE and stamps is not None and stamps[i] is not None:
            values[i] = stamps[i].date().isoformat()
        elif kinds[i] == _KIND_DATETIME and stamps is not None and stamps[i] is not None:
            values[i] = stamps[i].isoformat(sep=" ")
    return pa.array(values, pa.string())


class _ArrowTable:
    """A sheet's rows as the limited worker read them (Sheet.whole): text columns, or cells columns."""

    def __init__(self, table: pa.Table, cells: bool) -> None:
        self._table = table
        self._cells = cells
        if cells:
            self._columns: list[dict[str, pa.ChunkedArray]] = []
            for name, column in zip(table.schema.names, table.columns, strict=True):
                index, part = name.split(":")
                if int(index) == len(self._columns):
                    self._columns.append({})
                self._columns[int(index)][part] = column

    @property
    def width(self) -> int:
        return len(self._columns) if self._cells else self._table.num_columns

    def whole(self, file_name: str, limits: BodyLimits) -> pa.Table:
        """A workbook sheet's cells table (read_file builds it), its cells checked as `_cells_table` does."""
        if not self._cells:
            raise ValueError(f"{file_name}: a text table's rows are read whole by _TextTable")
        if self._table.num_rows * self.width > limits.max_sheet_cells:
            raise TextLimitError("cells", 0, self._table.num_rows * self.width)
        return self._table

    def _column(self, j: int, start_row: int) -> pa.Array | pa.ChunkedArray:
        length = self._table.num_rows - start_row
        if j >= self.width:
            return pa.nulls(length, pa.string())
        if not self._cells:
            return self._table.column(j).slice(start_row)
        parts = {part: array.slice(start_row) for part, array in self._columns[j].items()}
        if "kind" not in parts:
            (only,) = parts.values()
            return pa.nulls(length, pa.string()) if only.null_count == length else only
        present = set(pc.unique(parts["kind"]).to_pylist()) - {_KIND_EMPTY}
        if not present:
            return pa.nulls(length, pa.string())
        if present <= {_KIND_NUMBER}:
            return parts["number"]
        if present <= {_KIND_DATE, _KIND_DATETIME}:
            return parts["stamp"]
        return _mixed_text(parts)

    def _first_value(self, j: int, start_row: int) -> tuple[int, str] | None:
        """(row after start_row, its text) of the first value in column j from start_row on."""
        column = self._column(j, start_row)
        if column.null_count == len(column):
            return None
        i = pc.index(pc.is_valid(column), True).as_py()
        value = column[i].as_py()
        return i, value if isinstance(value, str) else (_display(value) or "")

    def body(self, file_name: str, start_row: int, n_columns: int) -> pa.Table:
        start_row = min(start_row, self._table.num_rows)
        for j in range(n_columns, self.width):
            found = self._first_value(j, start_row)
            if found is None:
                continue
            i, value = found
            if self._cells:
                raise ReadError(
                    f"{file_name}: row {start_row + i} has a value in column {_column_letter(j)} "
                    f"({value!r}), beyond the {n_columns} columns of the table",
                    "The table is wider than its header; choose more columns or clear that cell.",
                )
            raise ReadError(
                f"{file_name}: row {start_row + i} has a value in column {j + 1} "
                f"({value[:50]!r}), beyond the {n_columns} columns of the table",
                "The table is wider than its header; choose more columns or fix that row.",
            )
        if start_row >= self._table.num_rows:
            return _empty_table(n_columns)
        return pa.table(
            [self._column(j, start_row) for j in range(n_columns)], names=[f"c{j}" for j in range(n_columns)]
        )
