"""Hostile uploads: cheap checks before any parser runs, then reading in a separate, limited process.

Anyone on the team can drop a file on the app, and a broken or malicious one must not take it down for
everyone.  A 2 KB xlsx with two cells at A1 and XFD1048576 makes calamine allocate the whole grid and
abort the process; zip bombs, XML entity bombs and 100,000-column text lines cost memory and time out
of all proportion to their size.  Two layers:

`inspect_upload` looks at sizes, the zip directory and the first bytes of the parts a reader would parse,
without inflating anything whole, and raises ReadError for what no real export looks like.

`read_in_worker` runs `read_file` in a separate process with a memory limit (RLIMIT_AS) and a wall-clock
timeout, so whatever the checks cannot see beforehand (a sheet whose cells really span the grid, a
parser bug) costs one child process, never the app.  `read_untrusted` does both.  `run_limited` is that
process for any other task (backup.py probes an uploaded backup with it).

Limits are generous for real exports: the biggest file in ../shared/realdata inflates to 29 MB, its most
compressed part is 11:1 and its widest line 2 KB.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import pickle
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from shopdata.errors import ReadError
from shopdata.i18n import Message
from shopdata.ingest.read import (
    TEXT_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    ZIP_EXTENSIONS,
    Sheet,
    _is_junk_member,
    _not_text,
    _Source,
    _utf16_without_bom,
    read_file,
)

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


@dataclass(frozen=True)
class Limits:
    """What an upload may be. Pass your own (dataclasses.replace(DEFAULT_LIMITS, ...)) to the functions
    below; without one they use DEFAULT_LIMITS as it is when called."""

    max_upload_bytes: int = 200 * MB  # the app's upload cap (.streamlit/config.toml maxUploadSize)
    max_zip_entries: int = 10_000  # a workbook has ~10 parts; a zip of exports a few dozen files
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


DEFAULT_LIMITS = Limits()

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = (b",", b"\t", b";", b"|")
_REEXPORT = Message("hint.reexport")
_SMALLER = Message("hint.smaller")


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= 10 * MB else f"{n / MB:,.1f} MB"


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


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
    if head.startswith(_ZIP_MAGIC):
        _inspect_zip(name, f, size, depth, limits, budget)
    elif head.startswith(_OLE_MAGIC):
        return  # legacy .xls: calamine reads it in the worker, under its limits
    else:
        f.seek(0)
        _inspect_text(name, f.read(limits.text_head_bytes), size, limits)


# ------------------------------------------------------------------------------------------------- zip


def _damaged(name: str, workbook: bool, detail: object = None) -> ReadError:
    key = "guard.damaged_workbook" if workbook else "guard.damaged_zip"
    return ReadError(Message(key, file=name, detail=f" ({detail})" if detail else ""), _REEXPORT)


def _is_workbook_name(name: str) -> bool | None:
    ext = _extension(name)
    if ext in WORKBOOK_EXTENSIONS:
        return True
    if ext in ZIP_EXTENSIONS:
        return False
    return None  # decided by the parts, as read.py does


def _count_zip_entries(name: str, f: BinaryIO, size: int, workbook: bool, limits: Limits) -> None:
    """Walk the central directory header by header, stopping past the limit.

    zipfile would build a ZipInfo for every entry first: a 200 MB upload can list four million."""
    # zipfile's own end-of-directory search, so both look at the same directory.
    endrec = zipfile._EndRecData(f)
    if endrec is None:
        raise _damaged(name, workbook, "no zip directory at its end")
    declared = endrec[zipfile._ECD_ENTRIES_TOTAL]
    if declared > limits.max_zip_entries:
        raise _too_many_entries(name, declared, limits)
    size_cd, offset_cd = endrec[zipfile._ECD_SIZE], endrec[zipfile._ECD_OFFSET]
    start = endrec[zipfile._ECD_LOCATION] - size_cd
    if endrec[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
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
        workbook = (
            guess
            if guess is not None
            else bool({"[Content_Types].xml", "mimetype", "xl/workbook.xml"} & {i.filename for i in infos})
        )
        for info in infos:
            _check_entry(name, info, workbook, limits, budget)
        try:
            if workbook:
                for info in infos:
                    if info.filename.lower().endswith((".xml", ".rels")) and info.file_size:
                        _inspect_xml_part(name, zf, info, limits)
            else:
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
    if _extension(info.filename) not in TEXT_EXTENSIONS | WORKBOOK_EXTENSIONS | ZIP_EXTENSIONS:
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
        if head.startswith(_ZIP_MAGIC):
            inner = head + member.read()  # zipfile stops at the declared size, which passed the limits
            _inspect(inner_name, io.BytesIO(inner), len(inner), depth + 1, limits, budget)
        elif not head.startswith(_OLE_MAGIC):
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
    corners = [_CELL_REF.fullmatch(c.strip()) for c in ref.split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
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
#
# Each read (each run_limited task) runs in a fresh process forked from a "zygote": a helper process
# started once (on first use) that has imported the readers and does nothing but fork. A fork costs
# milliseconds where starting Python and importing pyarrow, DuckDB and calamine costs most of a second.
# The forked reader gets the job over a socket, limits its own memory, runs the task, answers and exits;
# the zygote reports how it ended.
# Not multiprocessing: its children re-run the caller's __main__ script first, which for a command-line
# script means running the script again. Without fork and fd passing (Windows) each read starts a
# fresh Python instead.

_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_HELPER_CODE = (
    "import sys; sys.path.insert(0, sys.argv[1]); from shopdata.ingest import guard; getattr(guard, sys.argv[2])()"
)
_LENGTH = struct.Struct("<Q")
_PID = struct.Struct("<q")
_USE_ZYGOTE = hasattr(os, "fork") and hasattr(socket, "send_fds")


def _helper_command(entry: str) -> list[str]:
    return [sys.executable, "-c", _HELPER_CODE, _PROJECT_ROOT, entry]


def _helper_env() -> dict[str, str]:
    # A process that forks should run no other threads: OpenBLAS (imported with pyarrow's numpy) and
    # Arrow's jemalloc start theirs unless told not to; readers use neither. DuckDB's import leaves one
    # idle thread, which holds no lock the reader needs. The Rust backtrace of an aborted calamine is
    # long and tells the user nothing.
    return dict(
        os.environ, OPENBLAS_NUM_THREADS="1", JE_ARROW_MALLOC_CONF="background_thread:false", RUST_BACKTRACE="0"
    )


class _Zygote:
    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                _helper_command("_zygote_main"),
                stdin=theirs.fileno(),
                stdout=subprocess.DEVNULL,
                env=_helper_env(),
                close_fds=True,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.control = ours
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork_reader(self, log: BinaryIO) -> tuple[socket.socket, socket.socket]:
        """(job socket, status socket) of a new reader process whose stderr goes to `log`."""
        job, job_theirs = socket.socketpair()
        status, status_theirs = socket.socketpair()
        try:
            with self.lock:
                socket.send_fds(self.control, [b"J"], [job_theirs.fileno(), status_theirs.fileno(), log.fileno()])
        except OSError:
            job.close()
            status.close()
            raise
        finally:
            job_theirs.close()
            status_theirs.close()
        return job, status

    def close(self) -> None:
        self.control.close()  # the zygote exits when it sees the end of its control socket
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_zygote_lock = threading.Lock()
_zygote: _Zygote | None = None


def _running_zygote() -> _Zygote:
    global _zygote
    with _zygote_lock:
        if _zygote is None or not _zygote.alive():
            if _zygote is not None:
                _zygote.close()
            _zygote = _Zygote()
        return _zygote


def _fork_reader(log: BinaryIO) -> tuple[socket.socket, socket.socket]:
    global _zygote
    for attempt in range(2):
        zygote = _running_zygote()
        try:
            return zygote.fork_reader(log)
        except OSError:
            if attempt:
                raise
            with _zygote_lock:  # it died between the check and the send: start another
                if _zygote is zygote:
                    _zygote.close()
                    _zygote = None
    raise AssertionError("unreachable")


def start_reader_helper(wait: bool = False) -> None:
    """Start the helper now rather than on the first read (it takes a Python start and the readers'
    imports, most of a second): at app start, or before timing reads. `wait`: until it can fork."""
    if not _USE_ZYGOTE:
        return
    if wait:
        read_in_worker("warm-up.csv", b"a,b\n1,2\n")
    else:
        _running_zygote()


def _zygote_main() -> None:
    """The zygote: fork one reader per request on stdin (a socket carrying three fds), report each
    reader's end on its status socket, exit when the app closes the control socket."""
    control = socket.socket(fileno=0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the app; the app's exit stops this
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    statuses: dict[int, socket.socket] = {}

    def reap() -> None:
        while statuses:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            status = statuses.pop(pid, None)
            if status is not None:
                with contextlib.suppress(OSError):
                    status.sendall(b"X" + _PID.pack(os.waitstatus_to_exitcode(wait_status)))
                status.close()

    while True:
        ready, _, _ = select.select([control, wake_r], [], [])
        if wake_r in ready:
            with contextlib.suppress(OSError):
                while os.read(wake_r, 512):
                    pass
            reap()
        if control not in ready:
            continue
        try:
            message, fds, _, _ = socket.recv_fds(control, 1, 3)
        except OSError:
            break
        if not message:
            break  # the app has gone
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        job_fd, status_fd, log_fd = fds
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: the app sees the sockets close without an answer
            for fd in fds:
                os.close(fd)
            continue
        if pid == 0:  # the reader
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                control.close()
                for fd in (wake_r, wake_w, status_fd):
                    os.close(fd)
                for other in statuses.values():
                    other.close()
                os.dup2(log_fd, 2)
                os.dup2(log_fd, 1)
                os.close(log_fd)
                with socket.socket(fileno=job_fd) as job:
                    _serve_job(job.makefile("rb"), job.makefile("wb"))
                code = 0
            finally:
                os._exit(code)
        os.close(job_fd)
        os.close(log_fd)
        status = socket.socket(fileno=status_fd)
        with contextlib.suppress(OSError):
            status.sendall(b"P" + _PID.pack(pid))
        statuses[pid] = status
        reap()
    os._exit(0)


def _one_job_main() -> None:
    """Without a zygote: a fresh process for one job on stdin/stdout."""
    result = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to the log, never into the result
    _serve_job(sys.stdin.buffer, result)


def _serve_job(jobs: BinaryIO, results: BinaryIO) -> None:
    """Read one job, run its task under the job's memory limit, write one framed answer."""
    header = jobs.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return  # the app went away
    task, arguments, memory_mb = pickle.loads(jobs.read(_LENGTH.unpack(header)[0]))
    _limit_memory(memory_mb)
    try:
        try:
            message = task(*arguments)
        except MemoryError:
            message = b"M"
        except RecursionError:
            message = b"R"
        except Exception as exc:  # a reader bug: the app reports it as a file it cannot read
            message = b"U" + f"{type(exc).__name__}: {exc}"[:300].encode("utf-8", "replace")
    except MemoryError:  # building the message itself ran out
        message = b"M"
    results.write(_LENGTH.pack(len(message)))
    results.write(message)
    results.flush()


def _read_task(file_name: str, data: bytes | str) -> bytes:
    """read_file in the worker: b"S" + the sheets, or b"E" + the ReadError."""
    try:
        sheets = read_file(file_name, data)
    except ReadError as exc:
        return b"E" + pickle.dumps((type(exc), exc.message, exc.hint))
    return b"S" + _pickle_sheets(sheets, data)


def _address_space_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _limit_memory(memory_mb: int | None) -> None:
    """No core dumps (a 4 GB one helps nobody), and at most `memory_mb` more address space than now."""
    try:
        import resource
    except ImportError:  # Windows: the timeout still applies
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    current = _address_space_bytes()  # Linux; elsewhere RLIMIT_AS is not enforced anyway
    if memory_mb is None or current is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = current + memory_mb * MB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


# A text sheet reads its body later from the upload itself. The worker does not send the upload back (up
# to 200 MB); the parent puts its own in its place.
_unpickling = threading.local()


def _upload_source() -> _Source:
    return _unpickling.source


def _pickle_sheets(sheets: list[Sheet], upload: bytes | str) -> bytes:
    def reduce_source(source: _Source):
        if (source.raw is not None and source.raw is upload) or (source.path is not None and source.path is upload):
            return _upload_source, ()
        return _Source, (source.raw, source.path)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {_Source: reduce_source}  # looked up only for non-builtin types: cells stay fast
    pickler.dump(sheets)
    return buffer.getvalue()


class _ResultUnpickler(pickle.Unpickler):
    """Only the classes a read result is made of: the worker parsed a hostile file, so its output is not
    trusted to name arbitrary callables."""

    _ALLOWED = {
        "shopdata.ingest.read": {"Sheet", "_TextTable", "_RowTable", "_Source", "_EmptyFileError"},
        "shopdata.ingest.guard": {"_upload_source"},
        "shopdata.errors": {"ReadError"},
        "shopdata.i18n": {"Message"},  # a ReadError's text keeps its catalog key, so the page can translate it
        "datetime": {"datetime", "date", "time", "timedelta", "timezone"},
    }

    def find_class(self, module: str, name: str):
        if name in self._ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a read result")


def _unpickle(payload: bytes, upload: bytes | str):
    _unpickling.source = _Source.of(upload)
    try:
        return _ResultUnpickler(io.BytesIO(payload)).load()
    finally:
        del _unpickling.source


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


@dataclass
class _Outcome:
    message: bytes | None  # the reader's complete answer, None if there is none
    timed_out: bool
    exit_code: int | None  # negative: killed by that signal


class WorkerFailure(Exception):
    """A task run by `run_limited` gave no answer of its own. `kind` says how it ended: "start" (no
    process could be started), "timeout", "memory", "stopped" (killed by a signal or an exit status),
    "no answer", "nested" (too deep to read) or "bug" (an unexpected exception in the task); `reason`
    says it in words for the user, without naming the file."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason

    @property
    def safely(self) -> bool:
        """The input stopped the reader (rather than the machine, or a bug)."""
        return self.kind in ("timeout", "memory", "stopped", "nested")

    def describe(self, subject: str) -> str:
        """The sentence "<subject> could not be read [safely]: <reason>"."""
        if self.kind == "bug":
            return f"{subject} could not be read ({self.reason})"
        return f"{subject} could not be read{' safely' if self.safely else ''}: {self.reason}"


def run_limited(task, arguments: tuple, timeout_s: float, memory_mb: int) -> bytes:
    """`task(*arguments)` in a separate process that may add `memory_mb` of memory and run `timeout_s`
    seconds: the way to let a native library near an uploaded file. Returns the task's answer (bytes,
    which the caller decodes without trusting: the process handled a hostile file); raises
    WorkerFailure if it gave none.

    `task` is sent by name, so it must be a module-level function of an importable module; its
    answer must not start with M, R or U (the worker's own answers for MemoryError, RecursionError and
    any other exception it raises)."""
    job = pickle.dumps((task, arguments, memory_mb), protocol=pickle.HIGHEST_PROTOCOL)
    with tempfile.TemporaryFile(prefix="shopdata-read-") as log:
        try:
            outcome = (_run_forked if _USE_ZYGOTE else _run_fresh)(job, log, timeout_s)
        except OSError as exc:
            raise WorkerFailure("start", f"no reader process could be started ({exc.strerror or exc})") from exc
        if outcome.timed_out:
            raise WorkerFailure(
                "timeout",
                f"reading it takes longer than the time allowed ({timeout_s:g} s) "
                "(it may be damaged or built to hang the reader)",
            )
        if outcome.message is None:
            raise _ended(outcome.exit_code, _tail(log), memory_mb)
    kind, body = outcome.message[:1], outcome.message[1:]
    if kind == b"M":
        raise _out_of_memory(memory_mb)
    if kind == b"R":
        raise WorkerFailure("nested", "it is nested too deeply to read")
    if kind == b"U":
        raise WorkerFailure("bug", f"unexpected problem in the reader: {body.decode('utf-8', 'replace')}")
    return outcome.message


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
) -> list[Sheet]:
    """`read_file` in a separate process that may add `memory_mb` of memory and run `timeout_s` seconds.

    Returns the same sheets read_file would; every failure, the reader being killed included, is a
    ReadError. The calling process never parses the file itself (a text sheet's body is read later, by
    DuckDB, in the caller, exactly as after read_file)."""
    timeout_s = DEFAULT_LIMITS.read_timeout_s if timeout_s is None else timeout_s
    memory_mb = DEFAULT_LIMITS.read_memory_mb if memory_mb is None else memory_mb
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif isinstance(data, os.PathLike):
        data = os.fspath(data)
    if not isinstance(data, (bytes, str)):
        raise TypeError(f"data must be bytes or a path, not {type(data).__name__}")
    try:
        message = run_limited(_read_task, (file_name, data), timeout_s, memory_mb)
    except WorkerFailure as failure:
        raise _read_error(file_name, failure) from failure
    return _decode(file_name, message, data)


def _run_forked(job: bytes, log: BinaryIO, timeout_s: float) -> _Outcome:
    deadline = time.monotonic() + timeout_s
    job_socket, status_socket = _fork_reader(log)
    with job_socket, status_socket:
        try:
            job_socket.settimeout(timeout_s)
            job_socket.sendall(_LENGTH.pack(len(job)))
            job_socket.sendall(job)
            message = _receive(job_socket, deadline)
        except TimeoutError:
            message, timed_out = None, True
        except OSError:  # the reader died before taking the whole job
            message, timed_out = None, False
        else:
            timed_out = False
        status = _StatusReader(status_socket)
        if timed_out:
            pid = status.pid(time.monotonic() + 10)
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)  # not reaped yet (no exit status came): still our reader
        exit_code = status.exit_code(time.monotonic() + 10)
    return _Outcome(message, timed_out, exit_code)


class _StatusReader:
    """The zygote writes b"P" + pid at the fork and b"X" + exit code when it has reaped the reader."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""
        self._pid: int | None = None
        self._exit_code: int | None = None

    def _read_until(self, deadline: float, done) -> None:
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._sock.settimeout(remaining)
            try:
                chunk = self._sock.recv(64)
            except (TimeoutError, OSError):
                return
            if not chunk:
                return
            self._buffer += chunk
            while len(self._buffer) >= 1 + _PID.size:
                tag, value = self._buffer[:1], _PID.unpack_from(self._buffer, 1)[0]
                self._buffer = self._buffer[1 + _PID.size :]
                if tag == b"P":
                    self._pid = value
                elif tag == b"X":
                    self._exit_code = value

    def pid(self, deadline: float) -> int | None:
        self._read_until(deadline, lambda: self._pid is not None)
        return None if self._exit_code is not None else self._pid

    def exit_code(self, deadline: float) -> int | None:
        self._read_until(deadline, lambda: self._exit_code is not None)
        return self._exit_code


def _receive(sock: socket.socket, deadline: float) -> bytes | None:
    """One framed message; None if the reader closed the socket before finishing it."""
    header = _receive_exactly(sock, _LENGTH.size, deadline)
    if header is None:
        return None
    body = _receive_exactly(sock, _LENGTH.unpack(header)[0], deadline)
    return None if body is None else bytes(body)


def _receive_exactly(sock: socket.socket, size: int, deadline: float) -> bytearray | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        n = sock.recv_into(view[got:], min(size - got, 1 << 20))
        if n == 0:
            return None
        got += n
    return buffer


def _run_fresh(job: bytes, log: BinaryIO, timeout_s: float) -> _Outcome:
    process = subprocess.Popen(
        _helper_command("_one_job_main"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=_helper_env()
    )
    try:
        output, _ = process.communicate(_LENGTH.pack(len(job)) + job, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return _Outcome(None, True, process.returncode)
    complete = len(output) >= _LENGTH.size and _LENGTH.unpack_from(output)[0] == len(output) - _LENGTH.size
    return _Outcome(output[_LENGTH.size :] if complete else None, False, process.returncode)


def _tail(log: BinaryIO) -> str:
    try:
        log.seek(0, os.SEEK_END)
        log.seek(max(0, log.tell() - 16 * KB))
        return log.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""


def _ended(exit_code: int | None, log_tail: str, memory_mb: int) -> WorkerFailure:
    """Why a reader gave no answer, from how it ended and the end of what it wrote to stderr."""
    # Rust's and C++'s failed allocations, Python's, or the kernel's OOM killer.
    if (
        any(sign in log_tail for sign in ("memory allocation of", "std::bad_alloc", "MemoryError"))
        or exit_code == -signal.SIGKILL
    ):
        return _out_of_memory(memory_mb)
    if exit_code is None:
        return WorkerFailure("no answer", "the reader process ended without an answer")
    how = _signal_name(-exit_code) if exit_code < 0 else f"exit status {exit_code}"
    return WorkerFailure("stopped", f"the reader stopped on it ({how})")


def _out_of_memory(memory_mb: int) -> WorkerFailure:
    return WorkerFailure(
        "memory",
        f"reading it needs more memory than the {memory_mb:,} MB allowed "
        "(it may be damaged or built to exhaust memory)",
    )


def _decode(file_name: str, message: bytes, upload: bytes | str) -> list[Sheet]:
    kind, body = message[:1], message[1:]
    try:
        if kind == b"S":
            sheets = _unpickle(body, upload)
            if not isinstance(sheets, list) or not all(isinstance(s, Sheet) for s in sheets):
                raise TypeError("not a list of sheets")
            return sheets
        if kind == b"E":
            cls, text, hint = _unpickle(body, upload)
            raise (cls if isinstance(cls, type) and issubclass(cls, ReadError) else ReadError)(text, hint)
        raise ValueError(f"unknown answer {kind!r}")
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as exc:
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
    return read_in_worker(file_name, data, limits.read_timeout_s, limits.read_memory_mb)
