"""Hostile uploads: cheap checks before any parser runs, then reading in a separate, limited process.

Anyone on the team can drop a file on the app, and a broken or malicious one must not take it down for
everyone.  A 2 KB xlsx with two cells at A1 and XFD1048576 makes calamine allocate the whole grid and
abort the process; zip bombs, XML entity bombs and 100,000-column text lines cost memory and time out
of all proportion to their size.  Two layers:

`inspect_upload` looks at sizes, the zip directory and the first bytes of the parts a reader would parse,
without inflating anything whole, and raises ReadError for what no real export looks like.

`read_in_worker` runs `read_file` in a separate process with a memory limit (RLIMIT_AS) and a wall-clock
timeout, so whatever the checks cannot see beforehand (a sheet whose cells really span the grid, a
parser bug) costs one child process, never the app (shopdata/sandbox.py's `run_limited`). That process
reads every sheet whole (every row; the line, field and cell limits checked over the whole file) and
answers with Arrow IPC and JSON, data the app checks as it decodes: the app parses no byte of the upload,
unpickles nothing from the worker and never opens a path it names. The process gets the upload's bytes
and runs confined (no network, an empty root directory, nobody's rights, where the system allows).
`read_untrusted` does both.

Limits are generous for real exports: the biggest file in ../shared/realdata inflates to 29 MB, its most
compressed part is 11:1 and its widest line 2 KB.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.ipc

from shopdata import settings
from shopdata.errors import ReadError
from shopdata.i18n import Message
from shopdata.ingest.formats import (
    READABLE_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    WORKBOOK_PARTS,
    ZIP_EXTENSIONS,
    extension,
    is_ole,
    is_zip,
)
from shopdata.ingest.read import (
    CELL_PART_TYPES,
    PREVIEW_ROWS,
    Sheet,
    TextLimitError,
    _ArrowTable,
    _EmptyFileError,
    _is_junk_member,
    _not_text,
    _utf16_without_bom,
    read_file,
)
from shopdata.sandbox import GB, KB, MB, WorkerFailure, run_limited, start_helper


@dataclass(frozen=True)
class Limits:
    """What an upload may be. Pass your own (dataclasses.replace(DEFAULT_LIMITS, ...)) to the functions
    below; without one they use DEFAULT_LIMITS as it is when called."""

    max_upload_bytes: int = 200 * MB  # the app's upload cap (.streamlit/config.toml maxUploadSize)
    max_zip_entries: int = 10_000  # a workbook has ~10 parts (a zip's files are capped below)
    max_zip_members: int = settings.ZIP_MEMBERS.default  # files a plain zip may hold: each one is read and cleaned
    max_unpacked_bytes: int = 1 * GB  # sum of declared sizes, over nested containers too
    max_ratio: int = 200  # deflate reaches ~1000:1 only on repetitive filler
    ratio_min_bytes: int = 1 * MB  # small parts (styles, empty sheets) compress very well
    max_nesting: int = 2  # a workbook inside a zip, no deeper
    max_sheet_cells: int = 50_000_000  # declared <dimension> rows x columns
    max_sheet_rows: int = 1_048_576  # Excel's own limits
    max_sheet_columns: int = 16_384
    xml_head_bytes: int = 64 * KB  # inflated bytes read from a part's start, never more
    max_line_bytes: int = 1 * MB
    max_fields: int = 10_000  # per line, in the first lines
    text_head_bytes: int = 4 * MB  # how much of a text file the line checks look at
    text_head_lines: int = 1_000  # lines whose fields are counted
    read_timeout_s: float = 300.0  # wall clock for one read_file in the worker
    read_memory_mb: int = 4096  # address space the worker may add to its start-up size


DEFAULT_LIMITS = Limits(max_zip_members=settings.from_environment(settings.ZIP_MEMBERS))

_DELIMITERS = (b",", b"\t", b";", b"|")
_REEXPORT = Message("hint.reexport")
_SMALLER = Message("hint.smaller")


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= 10 * MB else f"{n / MB:,.1f} MB"


# ----------------------------------------------------------------------------------------- inspect_upload


def inspect_upload(
    file_name: str, data: bytes | bytearray | memoryview | os.PathLike | str, limits: Limits | None = None
) -> None:
    """Raise ReadError if the upload is bigger, more compressed, more nested or stranger than a real export.

    Reads the zip directory and at most `xml_head_bytes` of each XML part (or `text_head_bytes` of a
    text file); nothing is inflated whole except a workbook inside a zip, after its declared size passed."""
    limits = limits or DEFAULT_LIMITS
    with _opened(data) as (f, size):
        if size > limits.max_upload_bytes:
            raise ReadError(
                Message("guard.too_big", file=file_name, size=_mb(size), cap=_mb(limits.max_upload_bytes)), _SMALLER
            )
        _inspect(file_name, f, size, 1, limits, _Budget())


@contextlib.contextmanager
def _opened(data: bytes | bytearray | memoryview | os.PathLike | str) -> Iterator[tuple[BinaryIO, int]]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        yield io.BytesIO(data), len(data)
        return
    if not isinstance(data, (str, os.PathLike)):
        raise TypeError(f"data must be bytes or a path, not {type(data).__name__}")
    try:
        f = open(data, "rb")  # noqa: SIM115
    except OSError as exc:
        raise ReadError(
            Message("read.cannot_open", file=os.fspath(data), reason=exc.strerror or str(exc)),
            Message("hint.check_file"),
        ) from exc
    with f:
        yield f, os.fstat(f.fileno()).st_size


@dataclass
class _Budget:
    unpacked: int = 0  # declared unpacked bytes so far, over every container


def _inspect(name: str, f: BinaryIO, size: int, depth: int, limits: Limits, budget: _Budget) -> None:
    if size == 0:
        return  # read_file says "the file is empty"
    f.seek(0)
    head = f.read(8)
    if is_zip(head):
        _inspect_zip(name, f, size, depth, limits, budget)
    elif is_ole(head):
        return  # legacy .xls: calamine reads it in the worker, under its limits
    else:
        f.seek(0)
        _inspect_text(name, f.read(limits.text_head_bytes), size, limits)


# ------------------------------------------------------------------------------------------------- zip


def _damaged(name: str, workbook: bool, detail: object = None) -> ReadError:
    key = "guard.damaged_workbook" if workbook else "guard.damaged_zip"
    return ReadError(Message(key, file=name, detail=f" ({detail})" if detail else ""), _REEXPORT)


def _is_workbook_name(name: str) -> bool | None:
    ext = extension(name)
    if ext in WORKBOOK_EXTENSIONS:
        return True
    if ext in ZIP_EXTENSIONS:
        return False
    return None  # decided by the parts, as read.py does


def _count_zip_entries(name: str, f: BinaryIO, size: int, workbook: bool, limits: Limits) -> None:
    """Walk the central directory header by header, stopping past the limit.

    zipfile would build a ZipInfo for every entry first: a 200 MB upload can list four million."""
    # zipfile's own end-of-directory search, so both look at the same directory (its private names are not
    # in the type stubs).
    zf: Any = zipfile
    endrec = zf._EndRecData(f)
    if endrec is None:
        raise _damaged(name, workbook, "no zip directory at its end")
    declared = endrec[zf._ECD_ENTRIES_TOTAL]
    if declared > limits.max_zip_entries:
        raise _too_many_entries(name, declared, limits)
    size_cd, offset_cd = endrec[zf._ECD_SIZE], endrec[zf._ECD_OFFSET]
    start = endrec[zf._ECD_LOCATION] - size_cd
    if endrec[zf._ECD_SIGNATURE] == zf.stringEndArchive64:
        start -= zf.sizeEndCentDir64 + zf.sizeEndCentDir64Locator
    if start < 0 or offset_cd < 0 or size_cd > size:
        raise _damaged(name, workbook, "its directory points outside the file")
    f.seek(start)
    walked = count = 0
    while walked < size_cd:
        header = f.read(46)
        if len(header) < 46 or header[:4] != b"PK\x01\x02":
            return  # zipfile names the damage
        name_len, extra_len, comment_len = struct.unpack("<HHH", header[28:34])
        f.seek(name_len + extra_len + comment_len, os.SEEK_CUR)
        walked += 46 + name_len + extra_len + comment_len
        count += 1
        if count > limits.max_zip_entries:
            raise _too_many_entries(name, None, limits)


def _too_many_entries(name: str, declared: int | None, limits: Limits) -> ReadError:
    cap = f"{limits.max_zip_entries:,}"
    count = f"{declared:,}" if declared is not None else Message("guard.more_than", count=cap)
    return ReadError(Message("guard.zip_entries", file=name, count=count, cap=cap), Message("hint.zip_only_reports"))


def _unsafe_member_name(member: str) -> bool:
    path = member.replace("\\", "/")
    return path.startswith("/") or re.match(r"[A-Za-z]:", path) is not None or ".." in path.split("/") or "\x00" in path


def _inspect_zip(name: str, f: BinaryIO, size: int, depth: int, limits: Limits, budget: _Budget) -> None:
    guess = _is_workbook_name(name)
    if depth > limits.max_nesting:
        raise ReadError(Message("guard.zip_nested", file=name, depth=limits.max_nesting), Message("hint.unpack_zip"))
    _count_zip_entries(name, f, size, bool(guess), limits)
    try:
        f.seek(0)
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error) as exc:
        raise _damaged(name, bool(guess), exc) from exc
    with zf:
        infos = zf.infolist()
        workbook = guess if guess is not None else bool(WORKBOOK_PARTS & {i.filename for i in infos})
        for info in infos:
            _check_entry(name, info, workbook, limits, budget)
        try:
            if workbook:
                for info in infos:
                    if info.filename.lower().endswith((".xml", ".rels")) and info.file_size:
                        _inspect_xml_part(name, zf, info, limits)
            else:
                members = sum(1 for info in infos if not info.is_dir() and not _is_junk_member(info.filename))
                if members > limits.max_zip_members:
                    cap = f"{limits.max_zip_members:,}"
                    raise ReadError(
                        Message("guard.zip_entries", file=name, count=f"{members:,}", cap=cap),
                        Message("hint.zip_only_reports"),
                    )
                for info in infos:
                    _inspect_member(name, zf, info, depth, limits, budget)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, struct.error) as exc:
            raise _damaged(name, workbook, exc) from exc


def _check_entry(name: str, info: zipfile.ZipInfo, workbook: bool, limits: Limits, budget: _Budget) -> None:
    member = info.filename
    if _unsafe_member_name(member):
        raise ReadError(Message("guard.unsafe_name", file=name, member=repr(member[:100])), Message("hint.unsafe_name"))
    budget.unpacked += info.file_size
    if budget.unpacked > limits.max_unpacked_bytes:
        key = "guard.unpacks_workbook" if workbook else "guard.unpacks_zip"
        raise ReadError(Message(key, file=name, cap=_mb(limits.max_unpacked_bytes)), _SMALLER)
    if info.file_size > limits.ratio_min_bytes and info.file_size > limits.max_ratio * info.compress_size:
        ratio = info.file_size / max(1, info.compress_size)
        raise ReadError(
            Message(
                "guard.zip_bomb",
                file=name,
                member=member[:100],
                ratio=f"{ratio:,.0f}",
                size=_mb(info.file_size),
                packed=f"{info.compress_size:,}",
                cap=limits.max_ratio,
            ),
            _REEXPORT,
        )
    # Deflate never grows data by more than a few bytes per 16 KB block; a bigger packed size means the
    # declared unpacked size is a lie, and a reader that trusts the packed size inflates past it.
    if info.compress_size > info.file_size + info.file_size // 100 + 1024:
        raise ReadError(Message("guard.forged_size", file=name, member=member[:100]), _REEXPORT)


def _inspect_member(
    name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int, limits: Limits, budget: _Budget
) -> None:
    """A file inside a plain zip that read_file would open: check it as if it had been uploaded."""
    if info.is_dir() or not info.file_size or _is_junk_member(info.filename):
        return
    if extension(info.filename) not in READABLE_EXTENSIONS:
        return
    inner_name = f"{name}/{info.filename}"
    if info.file_size > limits.max_upload_bytes:
        raise ReadError(
            Message(
                "guard.member_too_big", file=inner_name, size=_mb(info.file_size), cap=_mb(limits.max_upload_bytes)
            ),
            _SMALLER,
        )
    try:
        member = zf.open(info)
    except RuntimeError:
        return  # encrypted: read_file says "password-protected"
    with member:
        head = member.read(8)
        if is_zip(head):
            inner = head + member.read()  # zipfile stops at the declared size, which passed the limits
            _inspect(inner_name, io.BytesIO(inner), len(inner), depth + 1, limits, budget)
        elif not is_ole(head):
            _inspect_text(inner_name, head + member.read(limits.text_head_bytes - len(head)), info.file_size, limits)


# ------------------------------------------------------------------------------------------ XML parts

_XML_NAME = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_DIMENSION = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(r"<(?:[A-Za-z_][\w.\-]*:)?sheetData\b")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,9})")


def _xml_text(head: bytes) -> str:
    """Enough of a decoding to read markup: UTF-16 when the bytes say so, else ASCII-compatible."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("latin-1")


def _prolog_end(text: str) -> tuple[int, str | None] | None:
    """(where the root element starts, its name), None if the prolog continues past `text`.

    Raises ValueError("doctype") for a document type declaration, the only place entities are declared."""
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return None
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end < 0:
                return None
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif text.startswith("<!", pos):
            if len(text) - pos < 9 and "<!DOCTYPE".startswith(text[pos:].upper()):
                return None
            raise ValueError("doctype")  # <!DOCTYPE, or markup that is not XML at all
        elif text.startswith("<", pos):
            match = _XML_NAME.match(text, pos)
            return pos, (match.group(1).rsplit(":", 1)[-1] if match else None)
        else:
            return pos, None  # not XML: the reader will say so


def _inspect_xml_part(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    part = info.filename
    try:
        stream = zf.open(info)
    except RuntimeError:
        return  # encrypted part: the reader says so
    buf = b""
    found = None
    with stream:
        while len(buf) < limits.xml_head_bytes:
            chunk = stream.read(min(16 * KB, limits.xml_head_bytes - len(buf)))
            if not chunk:
                break
            buf += chunk
            try:
                found = _prolog_end(_xml_text(buf))
            except ValueError:
                raise ReadError(Message("guard.xml_doctype", file=name, part=part), _REEXPORT) from None
            if found is not None:
                break
        if found is None:
            if len(buf) >= limits.xml_head_bytes:
                raise ReadError(
                    Message("guard.xml_prolog", file=name, part=part, kb=limits.xml_head_bytes // KB), _REEXPORT
                )
            return
        start, root = found
        if root != "worksheet":
            return
        # The <dimension> element comes before <sheetData>; read on to it, within the same budget.
        while True:
            text = _xml_text(buf)
            data_at = _SHEET_DATA.search(text, start)
            dimension = _DIMENSION.search(text, start, data_at.start() if data_at else len(text))
            if dimension or data_at or len(buf) >= limits.xml_head_bytes:
                break
            chunk = stream.read(min(16 * KB, limits.xml_head_bytes - len(buf)))
            if not chunk:
                break
            buf += chunk
    if dimension:
        _check_dimension(name, part, dimension.group(1), limits)


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _check_dimension(name: str, part: str, ref: str, limits: Limits) -> None:
    found = [_CELL_REF.fullmatch(c.strip()) for c in ref.split(":")]
    corners = [m for m in found if m is not None]
    if not 1 <= len(found) <= 2 or len(corners) != len(found):
        return  # calamine does not size anything from it; the worker's limits cover the cells themselves
    columns = [_column_number(m.group(1)) for m in corners]
    rows = [int(m.group(2)) for m in corners]
    n_rows, n_columns = max(rows) - min(rows) + 1, max(columns) - min(columns) + 1
    sheet = PurePosixPath(part).stem
    where = Message(
        "guard.sheet_declares", file=name, sheet=sheet, rows=f"{n_rows:,}", columns=f"{n_columns:,}", ref=ref
    )
    hint = Message("hint.sheet_too_big")
    if n_columns > limits.max_sheet_columns or n_rows > limits.max_sheet_rows:
        raise ReadError(
            Message(
                "guard.sheet_beyond",
                where=where,
                rows=f"{limits.max_sheet_rows:,}",
                columns=f"{limits.max_sheet_columns:,}",
            ),
            hint,
        )
    if n_rows * n_columns > limits.max_sheet_cells:
        raise ReadError(
            Message(
                "guard.sheet_cells",
                where=where,
                cells=f"{n_rows * n_columns:,}",
                cap=f"{limits.max_sheet_cells:,}",
            ),
            hint,
        )


# ------------------------------------------------------------------------------------------------ text


def _text_head(head: bytes) -> tuple[bytes | str, int]:
    """The head as lines can be split (bytes for ASCII-compatible encodings, text for UTF-16, judged as
    read_file judges it) and the bytes per unit."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="replace"), 2
    if utf16 := _utf16_without_bom(head):
        return head[: len(head) - len(head) % 2].decode(utf16, errors="replace"), 2
    return head, 1


def _is_markup(text: bytes | str) -> bool:
    """read.py reads HTML saved as .xls (and names XML Spreadsheet 2003) by markup, not by lines."""
    sample = text[: 64 * KB]
    if isinstance(sample, bytes):
        sample = sample.decode("utf-8", errors="replace")
    sample = sample.lstrip("\ufeff \t\r\n").lower()
    return sample.startswith("<") and any(
        tag in sample for tag in ("<table", "<html", "<!doctype html", "urn:schemas-microsoft-com:office:spreadsheet")
    )


def _inspect_text(name: str, head: bytes, size: int, limits: Limits) -> None:
    text, unit = _text_head(head)
    if _is_markup(text):
        return
    if isinstance(text, bytes):
        lines = re.split(rb"\r\n|\r|\n", text)
        delimiters: tuple = _DELIMITERS
    else:
        lines = re.split(r"\r\n|\r|\n", text)
        delimiters = tuple(d.decode() for d in _DELIMITERS)
    for number, line in enumerate(lines, 1):
        if len(line) * unit > limits.max_line_bytes:
            if isinstance(line, bytes) and line.count(0) > len(line) // 100:
                raise _not_text(name)
            raise ReadError(
                Message("guard.line_too_long", file=name, line=f"{number:,}", cap=_mb(limits.max_line_bytes)),
                _REEXPORT,
            )
    for number, line in enumerate(lines[: limits.text_head_lines], 1):
        for delimiter in delimiters:
            fields = line.count(delimiter) + 1
            if fields > limits.max_fields:
                shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[
                    delimiter if isinstance(delimiter, str) else delimiter.decode()
                ]
                raise ReadError(
                    Message(
                        "guard.too_many_fields",
                        file=name,
                        line=f"{number:,}",
                        fields=f"{fields:,}",
                        delimiter=Message(f"delimiter.{shown}"),
                        cap=f"{limits.max_fields:,}",
                    ),
                    _REEXPORT,
                )


# ------------------------------------------------------------------------------------------ the worker


def start_reader_helper(wait: bool = False) -> None:
    """Start the sandbox's helper now rather than on the first read, with the readers imported: at app
    start, or before timing reads. `wait`: until it can fork a reader."""
    if start_helper(_read_task) and wait:
        read_in_worker("warm-up.csv", b"a,b\n1,2\n")


def _read_task(file_name: str, data: bytes, limits: Limits) -> bytes | list[bytes | pa.Buffer]:
    """read_file in the worker, every sheet read whole: b"S" + the sheets as Arrow (`_encode_sheets`), or
    b"E" + the ReadError as JSON. Nothing of the upload is parsed by the app itself."""
    try:
        sheets = read_file(file_name, data)
        wholes = []
        for sheet in sheets:
            try:
                wholes.append(sheet.whole(limits))
            except TextLimitError as exc:
                raise _limit_error(sheet.file_name, exc, limits) from exc
            sheet.release_rows()  # a spreadsheet's cells as Python objects: not needed once in Arrow
    except ReadError as exc:
        error = {
            "message": _jsonable(exc.message),
            "hint": _jsonable(exc.hint),
            "empty": isinstance(exc, _EmptyFileError),
        }
        return b"E" + json.dumps(error).encode()
    return [b"S", *_encode_sheets(sheets, wholes)]


def _limit_error(file_name: str, exc: TextLimitError, limits: Limits) -> ReadError:
    if exc.what == "line":
        line = f"{exc.line:,}" if exc.line else "?"  # DuckDB did not say which
        return ReadError(
            Message("guard.line_too_long", file=file_name, line=line, cap=_mb(limits.max_line_bytes)), _REEXPORT
        )
    if exc.what == "fields":
        shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(exc.delimiter, "comma")
        return ReadError(
            Message(
                "guard.too_many_fields",
                file=file_name,
                line=f"{exc.line:,}" if exc.line else "?",
                fields=f"{exc.count:,}",
                delimiter=Message(f"delimiter.{shown}"),
                cap=f"{limits.max_fields:,}",
            ),
            _REEXPORT,
        )
    return ReadError(
        Message("guard.sheet_cells", where=file_name, cells=f"{exc.count:,}", cap=f"{limits.max_sheet_cells:,}"),
        Message("hint.sheet_too_big"),
    )


def _jsonable(text: str) -> object:
    return text.to_json() if isinstance(text, Message) else str(text)


def _from_jsonable(value: object) -> str:
    if isinstance(value, dict):
        return Message.from_json(value)
    if isinstance(value, str):
        return value
    raise TypeError("not a message")


def _ipc(table: pa.Table) -> pa.Buffer:
    """`table` as an Arrow IPC stream, written into a buffer of its exact size (measured by a first
    pass that copies nothing: a growing buffer would copy a big table several times)."""
    measure = pa.MockOutputStream()
    with pa.ipc.new_stream(measure, table.schema) as writer:
        writer.write_table(table)
    buffer = pa.allocate_buffer(measure.size())
    with pa.ipc.new_stream(pa.FixedSizeBufferWriter(buffer), table.schema) as writer:
        writer.write_table(table)
    return buffer


def _encode_sheets(sheets: list[Sheet], wholes: list[pa.Table]) -> list[bytes | pa.Buffer]:
    """A JSON list of the sheets (names, encoding, sizes of their parts), its length first, then each
    sheet's preview and rows as Arrow IPC streams: data only, which the app checks as it decodes."""
    blobs: list[pa.Buffer] = []
    entries = []
    for sheet, whole in zip(sheets, wholes, strict=True):
        preview = _ipc(pa.table({"row": pa.array(sheet.preview, pa.list_(pa.string()))}))
        rows = _ipc(whole)
        blobs += [preview, rows]
        entries.append(
            {
                "file": sheet.file_name,
                "sheet": sheet.sheet_name,
                "encoding": sheet.encoding,
                "delimiter": sheet.delimiter,
                "cells": _is_cells(whole),
                "preview": preview.size,
                "rows": rows.size,
            }
        )
    # Each part starts 8-byte aligned in the whole answer (after its one-byte tag), so the app's Arrow
    # arrays are views into the answer that compute kernels accept as they are.
    header = json.dumps(entries).encode()
    header += b" " * (-(1 + _FRAME.size + len(header)) % 8)
    pieces: list[bytes | pa.Buffer] = [_FRAME.pack(len(header)) + header]
    for blob in blobs:
        pieces += [blob, bytes(-blob.size % 8)]
    return pieces


def _is_cells(table: pa.Table) -> bool:
    return any(":" in name for name in table.schema.names)


_FRAME = struct.Struct("<Q")
_CELL_NAME = re.compile(r"(0|[1-9][0-9]{0,5}):(kind|text|number|stamp)")
_PREVIEW_SCHEMA = pa.schema([("row", pa.list_(pa.string()))])


def _read_ipc(buffer: pa.Buffer) -> pa.Table:
    return pa.ipc.open_stream(buffer).read_all()


def _checked_rows(table: pa.Table, cells: bool) -> pa.Table:
    """The worker's rows, if they are what `_ArrowTable` reads: c0.. strings, or cells columns."""
    names = table.schema.names
    if not cells:
        if names != [f"c{i}" for i in range(len(names))] or any(t != pa.string() for t in table.schema.types):
            raise ValueError("text rows are not string columns c0..")
        return table
    parts: list[set[str]] = []
    for name, type_ in zip(names, table.schema.types, strict=True):
        match = _CELL_NAME.fullmatch(name)
        if match is None or CELL_PART_TYPES[match.group(2)] != type_:
            raise ValueError(f"unexpected column {name[:40]!r}")
        index = int(match.group(1))
        if index == len(parts):
            parts.append(set())
        if index != len(parts) - 1 or match.group(2) in parts[-1]:
            raise ValueError("cells columns out of order")
        parts[-1].add(match.group(2))
    for found in parts:
        if not (len(found) == 1 and "kind" not in found) and not {"kind", "text"} <= found:
            raise ValueError("a cells column without its parts")
    return table


def _decode_sheets(message: bytes, start: int) -> list[Sheet]:
    """The sheets of an answer whose parts begin at `start`; the tables are views into `message`."""
    buffer = pa.py_buffer(message)
    (size,) = _FRAME.unpack_from(message, start)
    at = start + _FRAME.size
    entries = json.loads(message[at : at + size])
    if not isinstance(entries, list):
        raise TypeError("not a list of sheets")
    at += size
    sheets = []
    for entry in entries:
        texts = [entry.get(k) for k in ("file", "sheet", "encoding", "delimiter")]
        sizes = [entry.get("preview"), entry.get("rows")]
        if not isinstance(texts[0], str) or not all(t is None or isinstance(t, str) for t in texts):
            raise TypeError("sheet names are not text")
        if not all(isinstance(n, int) and n >= 0 for n in sizes) or not isinstance(entry.get("cells"), bool):
            raise TypeError("sheet sizes are not numbers")
        preview_table = _read_ipc(buffer.slice(at, sizes[0]))
        at += sizes[0] + -sizes[0] % 8
        rows = _checked_rows(_read_ipc(buffer.slice(at, sizes[1])), entry["cells"])
        at += sizes[1] + -sizes[1] % 8
        if preview_table.schema != _PREVIEW_SCHEMA:
            raise TypeError("the preview is not rows of text")
        preview = preview_table.column("row").to_pylist()
        if any(row is None for row in preview) or len(preview) > PREVIEW_ROWS:
            raise ValueError("the preview has missing rows")
        table = _ArrowTable(rows, entry["cells"])
        sheets.append(Sheet(texts[0], texts[1], preview, texts[2], texts[3], table))
    if at != len(message):
        raise ValueError("the answer has bytes after its sheets")
    return sheets


_READ_HINTS = {
    "start": "Close other programs and try again.",
    "timeout": _SMALLER,
    "memory": _SMALLER,
    "stopped": _REEXPORT,
    "nested": _REEXPORT,
    "no answer": "Close other programs and try again; if it happens again, the file is damaged.",
}


def _read_error(file_name: str, failure: WorkerFailure) -> ReadError:
    if failure.kind == "bug":
        return ReadError(
            f"{file_name}: {failure.describe('the file')}; nothing was imported from it",
            "Please report it with the file's layout.",
        )
    damaged = "; it is damaged or not a real export" if failure.kind == "stopped" else ""
    return ReadError(f"{file_name}: {failure.describe('the file')}{damaged}", _READ_HINTS[failure.kind])


def read_in_worker(
    file_name: str,
    data: bytes | bytearray | memoryview | os.PathLike | str,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    limits: Limits | None = None,
) -> list[Sheet]:
    """`read_file` in a separate process that may add `memory_mb` of memory and run `timeout_s` seconds,
    every sheet read there whole: the sheets it returns hold their rows as Arrow, decoded from data the
    worker sent (never objects it named), so the calling process parses no byte of the file.

    The worker gets the file's bytes, never its path (it has no access to the file system beyond them,
    see sandbox.py). Every failure, the reader being killed included, is a ReadError."""
    limits = limits or DEFAULT_LIMITS
    timeout_s = limits.read_timeout_s if timeout_s is None else timeout_s
    memory_mb = limits.read_memory_mb if memory_mb is None else memory_mb
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif isinstance(data, (str, os.PathLike)):
        with _opened(data) as (f, _):
            data = f.read()
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes or a path, not {type(data).__name__}")
    try:
        message = run_limited(_read_task, (file_name, data, limits), timeout_s, memory_mb, confined=True)
    except WorkerFailure as failure:
        raise _read_error(file_name, failure) from failure
    return _decode(file_name, message)


def _decode(file_name: str, message: bytes) -> list[Sheet]:
    kind = message[:1]
    try:
        if kind == b"S":
            return _decode_sheets(message, 1)
        if kind == b"E":
            error = json.loads(message[1:])
            if not isinstance(error, dict):
                raise TypeError("not an error")
            cls = _EmptyFileError if error.get("empty") is True else ReadError
            raise cls(_from_jsonable(error.get("message")), _from_jsonable(error.get("hint", "")))
        raise ValueError(f"unknown answer {kind!r}")
    except (
        pa.ArrowException,
        json.JSONDecodeError,
        struct.error,
        UnicodeDecodeError,
        ValueError,
        TypeError,
        KeyError,
    ) as exc:
        raise ReadError(
            f"{file_name}: the file could not be read safely: the reader's answer was not a table "
            f"({type(exc).__name__})",
            _REEXPORT,
        ) from exc


def read_untrusted(
    file_name: str, data: bytes | bytearray | memoryview | os.PathLike | str, limits: Limits | None = None
) -> list[Sheet]:
    """`inspect_upload`, then `read_in_worker` under the same limits: the way to read an uploaded file."""
    limits = limits or DEFAULT_LIMITS
    inspect_upload(file_name, data, limits)
    return read_in_worker(file_name, data, limits=limits)
