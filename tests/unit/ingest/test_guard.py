"""shopdata.ingest.guard: the checks before any parser runs, and reading in a separate process (shopdata.sandbox).

Limits are tested at their edge (the largest thing allowed passes, one more is refused) with small
custom limits, so the files stay tiny. The worker is compared with read_file in this process.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import signal
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from shopdata import sandbox
from shopdata.errors import ReadError
from shopdata.ingest import guard
from shopdata.ingest import read as read_module
from shopdata.ingest.guard import DEFAULT_LIMITS, Limits, inspect_upload, read_in_worker
from shopdata.ingest.read import read_file
from tests.hostile.make_hostile import (
    BILLION_LAUGHS,
    XML_DECLARATION,
    cell,
    deflate,
    many_entries_zip,
    noise,
    raw_zip,
    sheet_xml,
    xlsx,
    zip_bytes,
)
from tests.hostile.processes import running_readers

CSV = b"Campaign,Clicks,Cost\nBrand,80,40.50\nGeneric,30,60.00\n"


def refused(name: str, data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(ReadError) as caught:
        inspect_upload(name, data, limits)
    return caught.value.message


def dimension_xlsx(ref: str) -> bytes:
    return xlsx(sheet_xml([(1, cell("A1", "x"))], ref))


# ------------------------------------------------------------------------------------------ sizes


def test_upload_size_limit_is_inclusive() -> None:
    limits = replace(DEFAULT_LIMITS, max_upload_bytes=len(CSV))
    inspect_upload("a.csv", CSV, limits)
    message = refused("a.csv", CSV + b"x", limits)
    assert message.startswith("a.csv: the file is ") and "an upload may have" in message


def test_path_and_bytes_are_inspected_alike(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b",".join([b"c"] * 20) + b"\n")
    limits = replace(DEFAULT_LIMITS, max_fields=19)
    for data in (path, str(path), path.read_bytes()):
        with pytest.raises(ReadError, match="line 1 has 20 comma-separated fields"):
            inspect_upload("wide.csv", data, limits)


def test_missing_path_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="could not be read"):
        inspect_upload("gone.csv", tmp_path / "gone.csv")


# -------------------------------------------------------------------------------------------- zips


def test_entry_count_limit_is_inclusive() -> None:
    limits = replace(DEFAULT_LIMITS, max_zip_entries=50)
    inspect_upload("fifty.zip", many_entries_zip(50), limits)
    assert "the zip lists 51 files, more than the 50" in refused("many.zip", many_entries_zip(51), limits)


def test_entry_count_is_walked_not_trusted() -> None:
    limits = replace(DEFAULT_LIMITS, max_zip_entries=50)
    forged = raw_zip([(f"e{i}.csv", b"", 0, 0, 0) for i in range(51)], declared_count=1)
    assert "lists more than 50 files" in refused("forged.zip", forged, limits)


def test_compression_ratio_limit_applies_to_big_members_only() -> None:
    limits = replace(DEFAULT_LIMITS, max_ratio=100, ratio_min_bytes=64 * 1024)
    small = zip_bytes([("a.csv", b"a\n" * 32 * 1024)])  # 64 KB, compressed ~300:1, but not over the size
    inspect_upload("small.zip", small, limits)
    big = zip_bytes([("a.csv", b"a\n" * (32 * 1024 + 1))])
    info = zipfile.ZipFile(io.BytesIO(big)).infolist()[0]
    assert info.file_size > 100 * info.compress_size
    assert "is compressed" in refused("big.zip", big, limits)
    at_ratio = raw_zip([("a.csv", b"x" * 1000, 0, 1000, 100_000)])  # declared exactly 100:1
    with pytest.raises(ReadError, match="damaged"):  # passes the ratio; zipfile then finds it is no deflate
        inspect_upload("at.zip", at_ratio, replace(limits, ratio_min_bytes=1))
    over = raw_zip([("a.csv", b"x" * 1000, 0, 1000, 100_001)])
    assert "compressed 100:1" in refused("over.zip", over, replace(limits, ratio_min_bytes=1))


def test_declared_unpacked_total_counts_every_member() -> None:
    limits = replace(DEFAULT_LIMITS, max_unpacked_bytes=3000, max_ratio=10**9)
    entries = [(f"r{i}.csv", deflate(b"a,b\n"), 8, 6, 1000) for i in range(3)]
    with pytest.raises(ReadError, match="damaged"):  # 3000 declared: allowed (then found not to match)
        inspect_upload("three.zip", raw_zip(entries), limits)
    entries.append(("r3.csv", deflate(b"a,b\n"), 8, 6, 1))
    assert "unpacks to more than" in refused("four.zip", raw_zip(entries), limits)


def test_packed_size_larger_than_unpacked_is_refused() -> None:
    packed = deflate(noise(0, 4096))  # random bytes do not compress: 4 KB packed, 10 bytes declared
    assert "does not match its content" in refused("lie.zip", raw_zip([("a.csv", packed, 8, len(packed), 10)]))


def test_nesting_depth() -> None:
    inner = zip_bytes([("report.csv", CSV)])
    once = zip_bytes([("inner.zip", inner)])
    inspect_upload("once.zip", once)  # zip in zip: depth 2 (read_file itself then declines it)
    twice = zip_bytes([("once.zip", once)])
    assert "nested more than 2 deep" in refused("twice.zip", twice)
    assert "nested more than 1 deep" in refused("once.zip", once, replace(DEFAULT_LIMITS, max_nesting=1))


@pytest.mark.parametrize("member", ["../x.csv", "a/../../x.csv", "/x.csv", "C:/x.csv", "a\\..\\..\\x.csv"])
def test_unsafe_member_names(member: str) -> None:
    data = raw_zip([(member, CSV, 0, len(CSV), len(CSV))])
    assert "unsafe name" in refused("t.zip", data)


def test_members_read_file_skips_are_not_opened() -> None:
    # A junk member's content is never checked: read_file skips it too.
    data = zip_bytes(
        [("report.csv", CSV), ("__MACOSX/._report.csv", b"," * 20_000 + b"\n"), ("notes.md", b"," * 20_000 + b"\n")]
    )
    inspect_upload("bundle.zip", data)
    assert "fields" in refused("bundle.zip", zip_bytes([("report.csv", CSV), ("wide.csv", b"," * 20_000)]))


# ----------------------------------------------------------------------------------------- XML parts


@pytest.mark.parametrize(
    "ref, allowed",
    [
        ("A1", True),
        ("A1:B2", True),
        ("a1:b2", True),
        ("$A$1:$E$10000000", True),  # 5 columns × 10M rows: 50M
        ("A1:E10000001", False),
        ("A1:XFD1", True),
        ("A1:XFE1", False),
        ("A1:A1048576", True),
        ("A1:A1048577", False),
        ("B2:A1", True),
        ("not a ref", True),
    ],
)
def test_declared_dimension(ref: str, allowed: bool) -> None:
    limits = replace(DEFAULT_LIMITS, max_sheet_rows=10_000_000) if "10000000" in ref else DEFAULT_LIMITS
    data = dimension_xlsx(ref)
    if allowed:
        inspect_upload("d.xlsx", data, limits)
    else:
        assert "sheet1 declares" in refused("d.xlsx", data, limits)


def test_dimension_after_a_long_sheet_header_is_still_found() -> None:
    # sheetPr, sheetViews and the like may come first; the dimension is found within the head budget.
    padding = "<sheetPr>" + "<!-- padding -->" * 2000 + "</sheetPr>"
    sheet = (
        f'{XML_DECLARATION}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{padding}<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    assert len(padding) > 16 * 1024
    assert "declares 1,048,576 rows × 16,384 columns" in refused("d.xlsx", xlsx(sheet))


@pytest.mark.parametrize(
    "prolog",
    [
        BILLION_LAUGHS,
        "<!-- a comment -->" + BILLION_LAUGHS,
        '<?xml-stylesheet href="a"?>\n  ' + BILLION_LAUGHS,
        '<!DOCTYPE worksheet SYSTEM "http://example.com/x.dtd">',
        "<!doctype worksheet>",
    ],
)
def test_doctype_in_any_part_is_refused(prolog: str) -> None:
    sheet = sheet_xml([(1, cell("A1", "x"))], prolog=prolog)
    assert "declares a document type or entities" in refused("x.xlsx", xlsx(sheet))


def test_doctype_split_across_read_chunks_is_seen() -> None:
    # The part is read 16 KB at a time; a declaration straddling the boundary is still a declaration.
    comment = "<!--" + "c" * (16 * 1024 - len(XML_DECLARATION) - 11) + "-->"
    sheet = sheet_xml([(1, cell("A1", "x"))], prolog=comment + BILLION_LAUGHS)
    start = sheet.index("<!DOCTYPE")
    assert start < 16 * 1024 < start + len("<!DOCTYPE")
    assert "declares a document type" in refused("x.xlsx", xlsx(sheet))


def test_utf16_parts_are_read_as_utf16() -> None:
    sheet = sheet_xml([(1, cell("A1", "x"))], prolog=BILLION_LAUGHS)
    for encoded in (codecs.BOM_UTF16_LE + sheet.encode("utf-16-le"), sheet.encode("utf-16-be")):
        assert "declares a document type" in refused("x.xlsx", xlsx(encoded))
    inspect_upload("ok.xlsx", xlsx(codecs.BOM_UTF16_LE + sheet_xml([(1, cell("A1", "x"))]).encode("utf-16-le")))


def test_prolog_budget() -> None:
    limits = replace(DEFAULT_LIMITS, xml_head_bytes=4096)
    near = sheet_xml([(1, cell("A1", "x"))], prolog="<!--" + "c" * 3000 + "-->")
    inspect_upload("near.xlsx", xlsx(near), limits)
    far = sheet_xml([(1, cell("A1", "x"))], prolog="<!--" + "c" * 5000 + "-->")
    assert "more than 4 KB before its first element" in refused("far.xlsx", xlsx(far), limits)


def test_entities_in_cell_text_are_escaped_text_not_declarations() -> None:
    sheet = sheet_xml([(1, cell("A1", "&lt;!DOCTYPE x [&lt;!ENTITY a 'b'&gt;]&gt;"))])
    inspect_upload("fine.xlsx", xlsx(sheet))
    assert read_in_worker("fine.xlsx", xlsx(sheet))[0].preview == [["<!DOCTYPE x [<!ENTITY a 'b'>]>"]]


def test_a_zip_is_a_workbook_by_its_parts_whatever_its_name() -> None:
    # read_file opens a zip named .dat as a workbook when it has workbook parts; so does the guard.
    assert "sheet1 declares" in refused("export.dat", dimension_xlsx("A1:XFD1048576"))


# --------------------------------------------------------------------------------------------- text


def test_line_length_limit_is_inclusive() -> None:
    limits = replace(DEFAULT_LIMITS, max_line_bytes=100)
    inspect_upload("a.csv", b"a" * 100 + b"\r\n" + b"b" * 100, limits)
    for ending in (b"\n", b"\r", b"\r\n", b""):
        assert "line 2 is longer than" in refused("a.csv", b"a\n" + b"b" * 101 + ending + b"c", limits)


def test_line_length_beyond_the_head_is_left_to_the_reader() -> None:
    limits = replace(DEFAULT_LIMITS, max_line_bytes=100, text_head_bytes=1000)
    inspect_upload("a.csv", b"a,b\n" * 250 + b"c" * 500, limits)


def test_field_limit_is_inclusive_for_every_delimiter() -> None:
    limits = replace(DEFAULT_LIMITS, max_fields=10)
    for delimiter, word in ((b",", "comma"), (b"\t", "tab"), (b";", "semicolon"), (b"|", "bar")):
        inspect_upload("a.csv", b"h\n" + delimiter.join([b"x"] * 10) + b"\n", limits)
        message = refused("a.csv", b"h\n" + delimiter.join([b"x"] * 11) + b"\n", limits)
        assert f"line 2 has 11 {word}-separated fields" in message


def test_fields_are_counted_in_the_first_lines_only() -> None:
    limits = replace(DEFAULT_LIMITS, max_fields=10, text_head_lines=3)
    inspect_upload("a.csv", b"a\nb\nc\n" + b"," * 50 + b"\n", limits)
    assert "line 3" in refused("a.csv", b"a\nb\n" + b"," * 50 + b"\n", limits)


def test_utf16_text_is_measured_in_characters() -> None:
    limits = replace(DEFAULT_LIMITS, max_fields=10, max_line_bytes=200)
    no_bom = "\t".join(["店"] * 11).encode("utf-16-le")
    assert "11 tab-separated fields" in refused("a.tsv", no_bom, limits)
    inspect_upload("a.tsv", codecs.BOM_UTF16_LE + ("x" * 99 + "\n").encode("utf-16-le"), limits)  # 198 bytes
    assert "longer than" in refused("a.tsv", codecs.BOM_UTF16_LE + ("x" * 101).encode("utf-16-le"), limits)


def test_html_saved_as_xls_is_not_judged_by_lines() -> None:
    limits = replace(DEFAULT_LIMITS, max_line_bytes=100, max_fields=5)
    html = b"<html><body><table>" + b"<tr><td>a,b,c,d,e,f,g</td></tr>" * 20 + b"</table></body></html>"
    inspect_upload("report.xls", html, limits)
    assert read_in_worker("report.xls", html)[0].preview[0] == ["a,b,c,d,e,f,g"]
    # Markup that read_file would parse as CSV is judged as CSV.
    assert "longer than" in refused("report.csv", b"<" + b"x" * 200, limits)


def test_legacy_xls_is_checked_for_size_only() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 10_000
    inspect_upload("a.xls", ole, replace(DEFAULT_LIMITS, max_line_bytes=10))
    assert "an upload may have" in refused("a.xls", ole, replace(DEFAULT_LIMITS, max_upload_bytes=100))


# ------------------------------------------------------------------------------------------- worker


def sheets_summary(sheets) -> list[tuple]:
    return [(s.file_name, s.sheet_name, s.encoding, s.delimiter, s.preview) for s in sheets]


def test_worker_returns_what_read_file_returns(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    for row in (["Date", "Spend", "Note"], ["2026-05-01", 12.5, "a"], ["2026-05-02", 3, None]):
        book.active.append(row)
    book.create_sheet("Empty")
    buffer = io.BytesIO()
    book.save(buffer)
    uploads = {
        "a.csv": CSV,
        "u16.tsv": codecs.BOM_UTF16_LE + "店,x\t1\n店铺\t2\n".encode("utf-16-le"),
        "book.xlsx": buffer.getvalue(),
        "bundle.zip": zip_bytes([("a.csv", CSV), ("book.xlsx", buffer.getvalue())]),
    }
    for name, data in uploads.items():
        path = tmp_path / name
        path.write_bytes(data)
        expected = read_file(name, data)
        for source in (data, path, str(path), bytearray(data)):
            got = read_in_worker(name, source)
            assert sheets_summary(got) == sheets_summary(expected), (name, type(source))
            for mine, theirs in zip(got, expected, strict=False):
                width = max(map(len, theirs.preview))
                assert mine.body(0, width).equals(theirs.body(0, width)), name


def test_rows_come_back_as_arrow_not_as_a_reference_to_the_upload() -> None:
    # The worker reads every row; the app keeps Arrow and nothing that could read the upload again.
    data = CSV * 1000
    for name, upload in (("a.csv", data), ("z.zip", zip_bytes([("a.csv", data)]))):
        [sheet] = read_in_worker(name, upload)
        assert isinstance(sheet._table, read_module._ArrowTable), name
        assert not any(isinstance(v, (bytes, str)) and len(v) > 100 for v in vars(sheet._table).values()), name


def test_the_parent_never_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed in the calling process")

    monkeypatch.setattr(read_module, "read_file", no_parsing)
    monkeypatch.setattr(read_module.python_calamine.CalamineWorkbook, "from_filelike", no_parsing)
    [sheet] = read_in_worker("book.xlsx", xlsx())
    assert sheet.preview == [["Campaign", "Clicks"], ["Brand", "12"]]


def test_read_errors_keep_their_class_message_and_hint() -> None:
    for name, data in (("empty.csv", b""), ("noise.csv", bytes(range(256)) * 10), ("cut.xlsx", xlsx()[:-30])):
        with pytest.raises(ReadError) as in_process:
            read_file(name, data)
        with pytest.raises(ReadError) as in_worker:
            read_in_worker(name, data)
        assert type(in_worker.value) is type(in_process.value)
        assert (in_worker.value.message, in_worker.value.hint) == (in_process.value.message, in_process.value.hint)


def test_memory_limit_python_allocation() -> None:
    bomb = b'<html><table><tr><td colspan="300000000">x</td></tr></table></html>'
    with pytest.raises(ReadError, match="needs more memory than the 256 MB allowed") as caught:
        read_in_worker("bomb.xls", bomb, memory_mb=256)
    assert caught.value.hint


def test_memory_limit_native_allocation() -> None:
    corners = xlsx(sheet_xml([(1, cell("A1", "x")), (1048576, cell("XFD1048576", "y"))], dimension=None))
    inspect_upload("corners.xlsx", corners)  # nothing to see before reading: the cells are the problem
    with pytest.raises(ReadError, match="needs more memory than the 512 MB allowed"):
        read_in_worker("corners.xlsx", corners, memory_mb=512)


def test_timeout_kills_the_reader() -> None:
    # Six million tags for the HTML parser, no table to keep: well over the 10 s the guard waits for a
    # reader to end after killing it, in little memory.
    slow = b"<html>" + b"<b>x</b>" * 6_000_000
    with pytest.raises(ReadError, match=r"takes longer than the time allowed \(0.5 s\)"):
        read_in_worker("slow.xls", slow, timeout_s=0.5)
    assert running_readers() == []  # killed and reaped before the error was raised


@pytest.mark.parametrize(
    "exit_code, log, expected",
    [
        (-signal.SIGSEGV, "", "the reader stopped on it (SIGSEGV); it is damaged or not a real export"),
        (-signal.SIGABRT, "memory allocation of 549755813888 bytes failed\n", "needs more memory than the 64 MB"),
        (
            -signal.SIGABRT,
            "terminate called after throwing an instance of 'std::bad_alloc'\n",
            "needs more memory than the 64 MB",
        ),
        (-signal.SIGKILL, "", "needs more memory than the 64 MB"),  # the kernel's OOM killer
        (3, "", "the reader stopped on it (exit status 3)"),
    ],
)
def test_how_a_reader_ended_becomes_a_message(exit_code: int, log: str, expected: str) -> None:
    error = guard._read_error("x.xlsx", sandbox._ended(exit_code, log, 64))
    assert error.message.startswith("x.xlsx: the file could not be read safely: ")
    assert expected in error.message


def test_a_reader_that_never_started_is_a_read_error() -> None:
    error = guard._read_error("x.xlsx", sandbox._ended(None, "", 64))
    assert error.message == "x.xlsx: the file could not be read: the reader process ended without an answer"
    assert error.hint


def fail_with_index_error() -> bytes:
    """A task for run_limited with a bug (sent to the worker by name)."""
    raise IndexError("boom")


def test_a_reader_bug_is_reported_as_a_read_error() -> None:
    with pytest.raises(sandbox.WorkerFailure) as caught:
        sandbox.run_limited(fail_with_index_error, (), 60, 256)
    assert caught.value.kind == "bug"
    error = guard._read_error("x.csv", caught.value)
    assert error.message == (
        "x.csv: the file could not be read (unexpected problem in the reader: IndexError: "
        "boom); nothing was imported from it"
    )


def test_a_forged_answer_cannot_name_other_callables() -> None:
    import pickle

    header = json.dumps([{"file": "x.csv", "sheet": None, "encoding": None, "delimiter": None, "cells": False}])
    forged_sheets = struct.pack("<Q", len(header)) + header.encode()  # no sizes, no Arrow
    for forged in (pickle.dumps(os.system), pickle.dumps({"not": "sheets"}), forged_sheets, b"\xff" * 20):
        with pytest.raises(ReadError, match="answer was not a table"):
            guard._decode("x.csv", b"S" + forged)
    with pytest.raises(ReadError, match="answer was not a table"):
        guard._decode("x.csv", b"E" + pickle.dumps(os.system))


def test_a_path_in_the_readers_answer_is_never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader's answer used to carry a _Source that could name a path, read later by the app. Now it is
    # data only: an answer that names a file is decoded and its rows read without opening anything.
    answer = b"".join(map(bytes, guard._read_task("a.csv", CSV, DEFAULT_LIMITS)))  # the worker's own function
    (size,) = struct.unpack_from("<Q", answer, 1)
    entries = json.loads(answer[9 : 9 + size])
    entries[0].update(path="/etc/passwd", source={"path": "/etc/passwd"})
    header = json.dumps(entries).encode()
    header += b" " * (-(9 + len(header)) % 8)
    forged = b"S" + struct.pack("<Q", len(header)) + header + answer[9 + size :]
    expected = read_module.read_file("a.csv", CSV)[0]
    width = max(map(len, expected.preview))
    expected_rows = expected.body(1, width).to_pylist()

    def no_opening(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"opened {args[:1]}")

    monkeypatch.setattr("builtins.open", no_opening)
    monkeypatch.setattr(os, "open", no_opening)
    monkeypatch.setattr(io, "open", no_opening)
    [sheet] = guard._decode("a.csv", forged)
    assert sheet.preview == expected.preview
    assert sheet.body(1, width).to_pylist() == expected_rows


def test_worker_bodies_equal_in_process_bodies_from_every_row(tmp_path: Path) -> None:
    # A spreadsheet column is typed by the rows of the body only; the worker sends each column once, so
    # every start row must still give exactly the in-process body (numbers, dates, text, mixed cells).
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    rows = [
        ["Report", None, None, None, None, None],
        ["Day", "Clicks", "When", "Flag", "Note", "Mixed"],
        [dt.date(2026, 5, 1), 3, dt.datetime(2026, 5, 1, 10, 30), True, "a", 1.5],
        [dt.date(2026, 5, 2), 4.25, dt.date(2026, 5, 2), False, None, "-"],
        [dt.date(2026, 5, 3), None, dt.datetime(2026, 5, 3, 0, 0, 1), None, "c", dt.date(2026, 1, 2)],
        ["Total", 7.25, None, None, None, 12345678901],
    ]
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    [worker] = read_in_worker("mixed.xlsx", data)
    [process] = read_file("mixed.xlsx", data)
    assert worker.preview == process.preview
    for start in range(len(rows) + 1):
        for width in (5, 6, 7):
            try:
                expected = process.body(start, width)
            except ReadError as exc:
                with pytest.raises(ReadError) as caught:
                    worker.body(start, width)
                assert caught.value.message == exc.message
                continue
            got = worker.body(start, width)
            assert got.schema == expected.schema, (start, width)
            assert got.to_pylist() == expected.to_pylist(), (start, width)


@pytest.mark.parametrize(
    "data",
    [
        b'Report 2026\n\nDay,Clicks,Note\n2026-05-01,3,"a\nb"\n2026-05-02,4,\n\n2026-05-03,,c\nTotal,7,\n',
        b"a,b\r\n1,2\n3,4,\r\n5,6,,,\n",  # mixed line ends: the csv module reads it
        b"a;b;c\n1;2;3\n4;5;6;7\n",  # a row wider than the header
    ],
)
def test_worker_text_bodies_equal_in_process_bodies_from_every_row(data: bytes) -> None:
    [worker] = read_in_worker("t.csv", data)
    [process] = read_file("t.csv", data)
    assert worker.preview == process.preview
    for start in range(len(process.preview) + 1):
        for width in (2, 3, 4):
            try:
                expected = process.body(start, width)
            except ReadError:
                with pytest.raises(ReadError, match="beyond the"):
                    worker.body(start, width)
                continue
            assert worker.body(start, width).to_pylist() == expected.to_pylist(), (start, width)


def test_uploads_are_read_by_a_confined_task(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = guard.run_limited

    def recording(*args: object, **kwargs: object) -> bytes:
        calls.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guard, "run_limited", recording)
    guard.read_untrusted("a.csv", CSV)
    assert calls == [{"confined": True}]


SMALL = replace(DEFAULT_LIMITS, max_line_bytes=1_000, max_fields=50, max_sheet_cells=12)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"mixed"])  # DuckDB reads the first two, the csv module the last
def test_limits_hold_over_the_whole_body_whichever_reader_reads_it(ending: bytes) -> None:
    def lines(rows: list[bytes]) -> bytes:
        if ending == b"mixed":
            return b"".join(row + (b"\n" if i % 2 else b"\r\n") for i, row in enumerate(rows))
        return b"".join(row + ending for row in rows)

    plain = [b"a,b,c"] + [b"%d,x,y" % i for i in range(200)]
    assert len(read_in_worker("ok.csv", lines(plain), limits=SMALL)) == 1
    wide = plain + [b"1,2,3" + b"," * 60]  # line 202
    with pytest.raises(ReadError) as caught:
        read_in_worker("wide.csv", lines(wide), limits=SMALL)
    assert caught.value.message == (
        "wide.csv: line 202 has 63 comma-separated fields, more than the 50 columns Shopdata reads"
    )
    long = plain + [b"1,2," + b"z" * 1_500]
    with pytest.raises(ReadError) as caught:
        read_in_worker("long.csv", lines(long), limits=SMALL)
    assert caught.value.message.startswith("long.csv: line 202 is longer than 0.0 MB")


def test_a_spreadsheet_with_more_cells_than_the_cap_is_refused_by_the_worker() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for i in range(5):
        book.active.append([f"r{i}c{j}" for j in range(3)])  # 15 cells, the cap is 12
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ReadError) as caught:
        read_in_worker("big.xlsx", buffer.getvalue(), limits=SMALL)
    assert caught.value.message.startswith("big.xlsx: 15 cells, more than the 12 Shopdata reads from one sheet")
