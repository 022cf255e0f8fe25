"""shopdata.ingest.read: files -> sheets (preview + body).

Expected values are written out by hand from the fixture text; the realdata tests compare against
Python's csv module and python-calamine reading the same files by another route.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
import python_calamine
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st

from shopdata.errors import ReadError
from shopdata.ingest import read as read_module
from shopdata.ingest.read import PREVIEW_ROWS, Sheet, read_file

REALDATA = Path(__file__).resolve().parents[3].parent / "shared" / "realdata"


def rows_of(table: pa.Table) -> list[tuple]:
    return [tuple(row.values()) for row in table.to_pylist()]


def only_sheet(sheets: list[Sheet]) -> Sheet:
    assert len(sheets) == 1, [s.sheet_name for s in sheets]
    return sheets[0]


def read_both_ways(tmp_path: Path, name: str, data: bytes) -> list[list[Sheet]]:
    """The same file read from bytes and from a path must give the same sheets."""
    path = tmp_path / name
    path.write_bytes(data)
    return [read_file(name, data), read_file(name, path), read_file(name, str(path))]


# ------------------------------------------------------------------------------------------- text tables

UTF16_GOOGLE = (
    "Search terms report\n1 May 2026 - 8 May 2026\nSearch term\tMatch type\tClicks\tCost\n"
    "tow truck near me\tPhrase\t1,234\t5.00\nTotal: Search terms\t--\t1,240\t6.10\n"
)

TEXT_CASES = [
    # id, file name, bytes, encoding, delimiter, preview, (start_row, n_columns), body rows
    (
        "utf8",
        "a.csv",
        b"sku,qty\nA-1,3\nB-2,4\n",
        "utf-8",
        ",",
        [["sku", "qty"], ["A-1", "3"], ["B-2", "4"]],
        (1, 2),
        [("A-1", "3"), ("B-2", "4")],
    ),
    (
        "utf8-bom-crlf",
        "a.csv",
        codecs.BOM_UTF8 + "商品,数量\r\n苹果,3\r\n梨,\r\n".encode(),
        "utf-8-sig",
        ",",
        [["商品", "数量"], ["苹果", "3"], ["梨", None]],
        (0, 2),
        [("商品", "数量"), ("苹果", "3"), ("梨", None)],
    ),
    (
        "utf16le-bom-tab-google",
        "report.csv",
        codecs.BOM_UTF16_LE + UTF16_GOOGLE.encode("utf-16-le"),
        "utf-16",
        "\t",
        [
            ["Search terms report"],
            ["1 May 2026 - 8 May 2026"],
            ["Search term", "Match type", "Clicks", "Cost"],
            ["tow truck near me", "Phrase", "1,234", "5.00"],
            ["Total: Search terms", "--", "1,240", "6.10"],
        ],
        (3, 4),
        [("tow truck near me", "Phrase", "1,234", "5.00"), ("Total: Search terms", "--", "1,240", "6.10")],
    ),
    (
        "utf16be-bom",
        "a.csv",
        codecs.BOM_UTF16_BE + "a,b\n1,2\n".encode("utf-16-be"),
        "utf-16",
        ",",
        [["a", "b"], ["1", "2"]],
        (1, 2),
        [("1", "2")],
    ),
    (
        "utf16le-no-bom",
        "a.tsv",
        "店铺\tclicks\tcost\nshop 1\t10\t2.5\n".encode("utf-16-le"),
        "utf-16-le",
        "\t",
        [["店铺", "clicks", "cost"], ["shop 1", "10", "2.5"]],
        (1, 3),
        [("shop 1", "10", "2.5")],
    ),
    (
        "utf16be-no-bom",
        "a.txt",
        "a;b\n1;2\n".encode("utf-16-be"),
        "utf-16-be",
        ";",
        [["a", "b"], ["1", "2"]],
        (1, 2),
        [("1", "2")],
    ),
    (
        "gb18030",
        "双十一.csv",
        "update_time,title,price,店名\r\n2016/11/14,美白面霜 50ml,199.0,相宜本草\r\n".encode("gb18030"),
        "gb18030",
        ",",
        [["update_time", "title", "price", "店名"], ["2016/11/14", "美白面霜 50ml", "199.0", "相宜本草"]],
        (1, 4),
        [("2016/11/14", "美白面霜 50ml", "199.0", "相宜本草")],
    ),
    (
        "semicolon-decimal-comma",
        "eu.csv",
        b"Datum;Umsatz;Land\n01.02.2020;1,5;DE\n02.02.2020;12,25;AT\n",
        "utf-8",
        ";",
        [["Datum", "Umsatz", "Land"], ["01.02.2020", "1,5", "DE"], ["02.02.2020", "12,25", "AT"]],
        (1, 3),
        [("01.02.2020", "1,5", "DE"), ("02.02.2020", "12,25", "AT")],
    ),
    (
        "tab-unquoted-thousands",
        "kw.txt",
        b"Keyword\tClicks\tCost\nfoo\t1,234\t2,345.10\nbar\t5\t3\n",
        "utf-8",
        "\t",
        [["Keyword", "Clicks", "Cost"], ["foo", "1,234", "2,345.10"], ["bar", "5", "3"]],
        (1, 3),
        [("foo", "1,234", "2,345.10"), ("bar", "5", "3")],
    ),
    (
        "pipe",
        "p.csv",
        b"a|b|c\n1|x y|\n",
        "utf-8",
        "|",
        [["a", "b", "c"], ["1", "x y", None]],
        (1, 3),
        [("1", "x y", None)],
    ),
    (
        "quoted-commas-newlines-quotes",
        "q.csv",
        b'id,note,n\n1,"x, y",2\n2,"line1\nline2",3\n3,"say ""hi""",4\n4,"",5\n',
        "utf-8",
        ",",
        [["id", "note", "n"], ["1", "x, y", "2"], ["2", "line1\nline2", "3"], ["3", 'say "hi"', "4"], ["4", None, "5"]],
        (1, 3),
        [("1", "x, y", "2"), ("2", "line1\nline2", "3"), ("3", 'say "hi"', "4"), ("4", None, "5")],
    ),
    (
        "quoted-newline-in-preamble",
        "q.csv",
        b'"Report\nfor May"\nid,n\n1,2\n',
        "utf-8",
        ",",
        [["Report\nfor May"], ["id", "n"], ["1", "2"]],
        (2, 2),
        [("1", "2")],
    ),
    (
        "google-preamble",
        "Campaign report.csv",
        b'Campaign report\n"January 20, 2026 - January 21, 2026"\nCampaign,Impr.,Cost\nBrand,"795,836",12.00\n'
        b"Total: Account,--,--\n",
        "utf-8",
        ",",
        [
            ["Campaign report"],
            ["January 20, 2026 - January 21, 2026"],
            ["Campaign", "Impr.", "Cost"],
            ["Brand", "795,836", "12.00"],
            ["Total: Account", "--", "--"],
        ],
        (3, 3),
        [("Brand", "795,836", "12.00"), ("Total: Account", "--", "--")],
    ),
    (
        "ragged-short-rows",
        "r.csv",
        b"a,b,c\n1,2\n3\n4,5,6\n",
        "utf-8",
        ",",
        [["a", "b", "c"], ["1", "2"], ["3"], ["4", "5", "6"]],
        (1, 3),
        [("1", "2", None), ("3", None, None), ("4", "5", "6")],
    ),
    (
        "crlf-no-final-newline",
        "c.csv",
        b"a,b\r\n1,2\r\n3,4",
        "utf-8",
        ",",
        [["a", "b"], ["1", "2"], ["3", "4"]],
        (1, 2),
        [("1", "2"), ("3", "4")],
    ),
    (
        "cr-only-line-ends",
        "mac.csv",
        b"a,b\r1,2\r3,4\r",
        "utf-8",
        ",",
        [["a", "b"], ["1", "2"], ["3", "4"]],
        (1, 2),
        [("1", "2"), ("3", "4")],
    ),
    (
        "blank-lines-and-empty-rows",
        "b.csv",
        b"Title\n\n\na,b\n\n1,2\n,\n\r\n3,4\n\n",
        "utf-8",
        ",",
        [["Title"], ["a", "b"], ["1", "2"], ["3", "4"]],
        (2, 2),
        [("1", "2"), ("3", "4")],
    ),
    (
        "not-trimmed",
        "s.csv",
        b"name ,qty\n  padded  , 7\n",
        "utf-8",
        ",",
        [["name ", "qty"], ["  padded  ", " 7"]],
        (0, 2),
        [("name ", "qty"), ("  padded  ", " 7")],
    ),
    (
        "trailing-empty-cells-dropped",
        "t.csv",
        b"a,b\n1,2,,\n3,4,\n",
        "utf-8",
        ",",
        [["a", "b"], ["1", "2", None, None], ["3", "4", None]],
        (1, 2),
        [("1", "2"), ("3", "4")],
    ),
    (
        "wide-preamble-is-skipped",
        "w.csv",
        b"x,y,z,w\na,b\n1,2\n",
        "utf-8",
        ",",
        [["x", "y", "z", "w"], ["a", "b"], ["1", "2"]],
        (2, 2),
        [("1", "2")],
    ),
    (
        "more-columns-than-cells",
        "m.csv",
        b"a,b\n1,2\n",
        "utf-8",
        ",",
        [["a", "b"], ["1", "2"]],
        (1, 4),
        [("1", "2", None, None)],
    ),
    ("single-column", "one.csv", b"id\n1\n2\n", "utf-8", ",", [["id"], ["1"], ["2"]], (1, 1), [("1",), ("2",)]),
    (
        "unknown-extension-is-text",
        "export.dat",
        b"a\tb\n1\t2\n",
        "utf-8",
        "\t",
        [["a", "b"], ["1", "2"]],
        (1, 2),
        [("1", "2")],
    ),
    (
        "xls-that-is-tab-text",
        "export.xls",
        "统计日期\t支付金额\n2024-01-01\t10.5\n".encode(),
        "utf-8",
        "\t",
        [["统计日期", "支付金额"], ["2024-01-01", "10.5"]],
        (1, 2),
        [("2024-01-01", "10.5")],
    ),
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_text_tables(tmp_path, case):
    _, name, data, encoding, delimiter, preview, (start, width), body = case
    for sheets in read_both_ways(tmp_path, name, data):
        sheet = only_sheet(sheets)
        assert (sheet.file_name, sheet.sheet_name) == (name, None)
        assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
        assert sheet.preview == preview
        table = sheet.body(start, width)
        assert table.schema == pa.schema([(f"c{i}", pa.string()) for i in range(width)])
        assert rows_of(table) == body


def test_gbk_first_seen_far_into_the_file():
    data = b"id,name\n" + b"1,x\n" * 40_000 + "2,旗舰店\n".encode("gbk")
    sheet = only_sheet(read_file("late.csv", data))
    assert sheet.encoding == "gb18030"
    table = sheet.body(1, 2)
    assert table.num_rows == 40_001
    assert rows_of(table.slice(40_000)) == [("2", "旗舰店")]


def test_text_body_past_the_preview(tmp_path):
    lines = ["Report title", "", "id,value"] + [f"{i},v{i}" for i in range(150)]
    data = "\n".join(lines).encode("utf-16")  # not UTF-8: the body is read from a transcoded copy
    for sheets in read_both_ways(tmp_path, "long.csv", data):
        sheet = only_sheet(sheets)
        assert len(sheet.preview) == PREVIEW_ROWS
        assert sheet.preview[1] == ["id", "value"]
        assert sheet.preview[-1] == ["57", "v57"]
        assert rows_of(sheet.body(2, 2)) == [(str(i), f"v{i}") for i in range(150)]
        assert rows_of(sheet.body(PREVIEW_ROWS, 2)) == [(str(i), f"v{i}") for i in range(58, 150)]
        assert rows_of(sheet.body(100, 2)) == [(str(i), f"v{i}") for i in range(98, 150)]
        assert rows_of(sheet.body(151, 2)) == [("149", "v149")]
        assert sheet.body(152, 2).num_rows == 0
        assert sheet.body(500, 3).schema.names == ["c0", "c1", "c2"]


def test_short_text_body_past_the_end(tmp_path):
    sheet = only_sheet(read_file("a.csv", b"a,b\n1,2\n"))
    empty = sheet.body(2, 2)
    assert empty.num_rows == 0 and empty.schema == pa.schema([("c0", pa.string()), ("c1", pa.string())])


def test_body_can_be_read_twice_and_rejects_bad_arguments():
    sheet = only_sheet(read_file("a.csv", b"a,b\n1,2\n"))
    assert rows_of(sheet.body(1, 2)) == rows_of(sheet.body(1, 2)) == [("1", "2")]
    with pytest.raises(ValueError):
        sheet.body(-1, 2)
    with pytest.raises(ValueError):
        sheet.body(0, 0)


def test_text_value_beyond_n_columns_is_an_error(tmp_path):
    sheet = only_sheet(read_file("x.csv", b"a,b\n1,2,surprise\n3,4\n"))
    with pytest.raises(ReadError, match="beyond the 2 columns"):
        sheet.body(1, 2)
    assert rows_of(sheet.body(1, 3)) == [("1", "2", "surprise"), ("3", "4", None)]


def test_body_follows_the_preview_where_duckdb_would_split_rows_differently():
    # A space before an opening quote: the csv module keeps the quote as text, DuckDB would unquote the field.
    sheet = only_sheet(read_file("odd.csv", b'a,b,c\n1, "x,y"\n2,"p,q",r\n'))
    assert sheet.preview[1:] == [["1", ' "x', 'y"'], ["2", "p,q", "r"]]
    assert rows_of(sheet.body(1, 3)) == [("1", ' "x', 'y"'), ("2", "p,q", "r")]


def test_mixed_line_ends_are_read_with_the_csv_module():
    sheet = only_sheet(read_file("mixed.csv", b'a,b\n1,2\r\n"x\r\ny",3\n\r\n4\n'))
    assert rows_of(sheet.body(1, 2)) == [("1", "2"), ("x\r\ny", "3"), ("4", None)]
    bad = only_sheet(read_file("mixed.csv", b"a,b\n1,2\r\n3,4,5\n"))
    with pytest.raises(ReadError, match=r"row 2 has a value in column 3 \('5'\), beyond the 2 columns"):
        bad.body(1, 2)


def test_unterminated_quote_in_body_is_an_error():
    rows = "\n".join(f"{i},ok" for i in range(70))
    sheet = only_sheet(read_file("u.csv", f'a,b\n{rows}\n70,"never closed\n71,x\n'.encode()))
    with pytest.raises(ReadError, match="u.csv"):
        sheet.body(1, 2)


def test_temporary_copies_are_removed(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(read_module.tempfile, "tempdir", str(scratch))
    sheet = only_sheet(read_file("a.csv", "a,b\n1,2\n3,4,5\n".encode("gb18030")))
    assert rows_of(sheet.body(1, 3)) == [("1", "2", None), ("3", "4", "5")]
    assert list(scratch.iterdir()) == []
    with pytest.raises(ReadError):
        sheet.body(1, 2)
    assert list(scratch.iterdir()) == []


def test_utf8_path_is_read_in_place(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n1,2\n")

    def no_temp_files(*args, **kwargs):
        raise AssertionError("a UTF-8 file on disk needs no copy")

    monkeypatch.setattr(read_module.tempfile, "mkstemp", no_temp_files)
    assert rows_of(only_sheet(read_file("a.csv", path)).body(1, 2)) == [("1", "2")]


CELL = st.text(alphabet=st.sampled_from(list('ab Z09,;|\t"\n店名-.')), max_size=8)


@settings(
    max_examples=40,
    deadline=None,
)
@given(
    table=st.integers(min_value=2, max_value=5).flatmap(
        lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=12)
    ),
    delimiter=st.sampled_from([",", "\t", ";", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_any_quoted_table_round_trips(table, delimiter, encoding, line_end):
    header = [f"h{i}" for i in range(len(table[0]))]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator=line_end).writerows([header] + table)
    sheet = only_sheet(read_file("t.csv", out.getvalue().encode(encoding)))
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    expected = [tuple(cell or None for cell in row) for row in table if any(row)]
    assert sheet.preview[0] == header
    assert [tuple(r) for r in sheet.preview[1:]] == expected
    assert rows_of(sheet.body(1, len(header))) == expected


# ---------------------------------------------------------------------------------------- text: errors

ERROR_CASES = [
    ("empty", "a.csv", b"", "the file is empty"),
    ("whitespace-only", "a.csv", b"  \r\n\n\t\n", "the file is empty"),
    ("bom-only", "a.csv", codecs.BOM_UTF16_LE, "the file is empty"),
    ("only-empty-cells", "a.csv", b",,\n,,\n", "the file is empty"),
    (
        "binary-with-nuls",
        "a.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8,
        "this is not a text table",
    ),
    ("control-characters", "a.csv", bytes(range(1, 9)) * 300 + b"a,b\n", "this is not a text table"),
    ("cp1252", "fr.csv", "produit,prix\ncafé,2\ncrème brûlée,5\n".encode("cp1252"), "encoding could not be recognised"),
    (
        "utf16-bom-odd-surrogate",
        "a.csv",
        codecs.BOM_UTF16_LE + "a,b\n".encode("utf-16-le") + b"\x00\xd8,\x00",
        "starts as UTF-16 text but holds bytes that are not valid UTF-16",
    ),
    (
        "gbk-bytes-after-ascii-head",
        "late.csv",
        b"id,v\n" + b"1,2\n" * 40_000 + "3,店\n".encode("gbk") + "4,caf\xe9\n".encode("latin-1"),
        "encoding could not be recognised",
    ),
    ("big5", "tw.csv", "店名,價格,銷量,評價數\n台灣商品,100,20,5\n".encode("big5"), "encoding could not be recognised"),
    (
        "utf8-bom-then-garbage",
        "a.csv",
        codecs.BOM_UTF8 + b"a,b\n\xff\xfe,1\n",
        "starts as UTF-8 text but holds bytes that are not valid UTF-8",
    ),
    (
        "xml-spreadsheet-2003",
        "jd.xls",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>\n',
        "XML Spreadsheet 2003",
    ),
    ("text-named-xlsx", "a.xlsx", b"a,b\n1,2\n", "damaged or incomplete, export it again"),
    ("html-without-table", "a.xls", b"<html><body><p>no data</p></body></html>", "no table with data"),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_read_errors(case):
    _, name, data, message = case
    with pytest.raises(ReadError, match=message) as raised:
        read_file(name, data)
    assert raised.value.hint
    assert name in raised.value.message


# A NUL two million bytes in (past the sniffed head and the first chunk of the whole-file scan), in each encoding
# whose scan looks for it among the bytes rather than the decoded text.
LATE_NUL_FILES = {
    "utf-8": (b"id,v\n" + b"1,2\n" * 500_000, "utf-8"),
    "utf-8-sig": (codecs.BOM_UTF8 + "id,名\n".encode() + b"1,2\n" * 500_000, "utf-8-sig"),
    "gb18030": ("店名,价格\n".encode("gb18030") + "店,2\n".encode("gb18030") * 500_000, "gb18030"),
}


@pytest.mark.parametrize("encoding", sorted(LATE_NUL_FILES))
def test_a_nul_far_into_the_file_makes_it_not_text(encoding):
    clean, expected = LATE_NUL_FILES[encoding]
    assert len(clean) > 1 << 20  # past the scan's first chunk
    assert only_sheet(read_file("late.csv", clean)).encoding == expected  # the same file without it reads
    with pytest.raises(ReadError, match="this is not a text table"):
        read_file("late.csv", clean + b"3,\x00\n")


# Bytes that make and break UTF-8: ASCII, NUL, spaces (ASCII, NBSP, ideographic), continuation bytes, first bytes of
# 2-, 3- and 4-byte characters (overlong C0, surrogate ED, F4 past U+10FFFF, F5 and FF never valid) and whole CJK.
_UTF8_PIECES = [b"a", b"\x00", b" ", b"\n", b"\xc2\xa0", b"\xe3\x80\x80", b"\x80", b"\xa0", b"\xbf", b"\x8f",
                b"\x90", b"\xc2", b"\xc0", b"\xe0", b"\xed", b"\xef", b"\xf0", b"\xf4", b"\xf5", b"\xff",
                "名".encode(), "😀".encode()]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_UTF8_PIECES), max_size=14).map(b"".join),
    st.integers(min_value=1, max_value=6),
    st.booleans(),
)
def test_the_utf8_scan_agrees_with_pythons_decoder_however_the_chunks_fall(data, chunk_bytes, bom):
    """Valid exactly when Python's strict decoder reads the whole file (a character split between chunks
    included); then NUL and a character that is not whitespace are found as in the decoded text (the byte order
    mark is no character of it)."""
    raw = codecs.BOM_UTF8 + data if bom else data
    encoding = "utf-8-sig" if bom else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = None
    source = read_module._Source.of(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read_module, "_CHUNK_BYTES", chunk_bytes)
        if text is None:
            with pytest.raises(UnicodeDecodeError):
                read_module._scan_decoded(source, encoding)
            return
        found = read_module._scan_decoded(source, encoding)
    assert (found.has_nul, found.has_text) == ("\x00" in text, any(not c.isspace() for c in text))


def test_the_utf8_scan_reads_a_file_on_disk_whole(tmp_path, monkeypatch):
    """Past the first chunks: a character split across the boundary is whole, one broken far in is found."""
    monkeypatch.setattr(read_module, "_CHUNK_BYTES", 1000)
    good = ("名" * 999 + "\n").encode() * 20  # 3-byte characters: chunk boundaries fall inside them
    path = tmp_path / "big.csv"
    path.write_bytes(good)
    assert read_module._scan_decoded(read_module._Source.of(path), "utf-8").has_text
    path.write_bytes(good[:30_001] + b"\xff" + good[30_001:])
    with pytest.raises(UnicodeDecodeError):
        read_module._scan_decoded(read_module._Source.of(path), "utf-8")


def test_missing_path_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="could not be read"):
        read_file("gone.csv", tmp_path / "gone.csv")
    path = tmp_path / "a.csv"
    path.write_bytes("a,b\n1,2\n".encode("utf-16"))
    sheet = only_sheet(read_file("a.csv", path))
    path.unlink()
    with pytest.raises(ReadError, match="could not be read"):
        sheet.body(1, 2)


# ------------------------------------------------------------------------------------------ spreadsheets


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TYPED_ROWS = [
    ["Shop report"],  # preamble
    [None],
    ["id", "amount", "day", "when", "mixed", "flag", "note", "empty"],
    [708746, 1.5, dt.date(2020, 2, 1), dt.datetime(2020, 2, 1, 10, 0), 708746.0, True, " x ", None],
    [None, None, None, None, None, None, None, None],  # blank row: dropped
    [2.0, None, dt.date(2020, 2, 2), dt.date(2020, 2, 3), "abc", False, "y", None],
    [3, -0.25, None, dt.datetime(2020, 2, 3, 23, 59, 59), dt.date(2020, 2, 1), None, None, None],
    [4, 1e20, dt.date(2020, 2, 4), None, 0.1, True, None, None],
    [5, 7, dt.date(2020, 2, 5), None, dt.datetime(2020, 2, 1, 10, 0), None, "z", None],
]


def test_xlsx_two_sheets_one_empty_and_typed_columns(tmp_path):
    data = xlsx_bytes({"Orders": TYPED_ROWS, "Empty": []})
    for sheets in read_both_ways(tmp_path, "shop.xlsx", data):
        sheet = only_sheet(sheets)
        assert (sheet.file_name, sheet.sheet_name, sheet.encoding, sheet.delimiter) == (
            "shop.xlsx",
            "Orders",
            None,
            None,
        )
        assert sheet.preview == [
            ["Shop report", None, None, None, None, None, None, None],
            ["id", "amount", "day", "when", "mixed", "flag", "note", "empty"],
            ["708746", "1.5", "2020-02-01", "2020-02-01 10:00:00", "708746", "true", " x ", None],
            ["2", None, "2020-02-02", "2020-02-03", "abc", "false", "y", None],
            ["3", "-0.25", None, "2020-02-03 23:59:59", "2020-02-01", None, None, None],
            ["4", "1e+20", "2020-02-04", None, "0.1", "true", None, None],
            ["5", "7", "2020-02-05", None, "2020-02-01 10:00:00", None, "z", None],
        ]
        table = sheet.body(2, 8)
        assert table.schema == pa.schema(
            [
                ("c0", pa.float64()),
                ("c1", pa.float64()),
                ("c2", pa.timestamp("us")),
                ("c3", pa.timestamp("us")),
                ("c4", pa.string()),
                ("c5", pa.string()),
                ("c6", pa.string()),
                ("c7", pa.string()),
            ]
        )
        d = dt.datetime
        assert rows_of(table) == [
            (708746.0, 1.5, d(2020, 2, 1), d(2020, 2, 1, 10), "708746", "true", " x ", None),
            (2.0, None, d(2020, 2, 2), d(2020, 2, 3), "abc", "false", "y", None),
            (3.0, -0.25, None, d(2020, 2, 3, 23, 59, 59), "2020-02-01", None, None, None),
            (4.0, 1e20, d(2020, 2, 4), None, "0.1", "true", None, None),
            (5.0, 7.0, d(2020, 2, 5), None, "2020-02-01 10:00:00", None, "z", None),
        ]
        # Typing looks only at the rows asked for: with the title and header rows every column is text.
        from_top = sheet.body(0, 8)
        assert set(from_top.schema.types) == {pa.string()}
        assert from_top.column("c0").to_pylist() == ["Shop report", "id", "708746", "2", "3", "4", "5"]
        assert from_top.column("c3").to_pylist() == [
            None,
            "when",
            "2020-02-01 10:00:00",
            "2020-02-03",
            "2020-02-03 23:59:59",
            None,
            None,
        ]
        assert rows_of(sheet.body(6, 8)) == [(5.0, 7.0, d(2020, 2, 5), None, d(2020, 2, 1, 10), None, "z", None)]


def test_xlsx_value_beyond_n_columns_is_an_error():
    sheet = only_sheet(read_file("a.xlsx", xlsx_bytes({"S": [["a", "b"], [1, 2, None, "note"], [3, 4]]})))
    with pytest.raises(ReadError, match=r"row 1 has a value in column D \('note'\), beyond the 2 columns"):
        sheet.body(1, 2)
    assert rows_of(sheet.body(1, 4)) == [(1.0, 2.0, None, "note"), (3.0, 4.0, None, None)]
    # Extra empty cells are fine, and missing columns are null.
    assert rows_of(sheet.body(2, 5)) == [(3.0, 4.0, None, None, None)]
    assert sheet.body(3, 2).num_rows == 0


def test_xlsx_all_sheets_empty_is_an_error():
    with pytest.raises(ReadError, match="no sheet of this workbook has any data"):
        read_file("a.xlsx", xlsx_bytes({"A": [], "B": [[None, None]]}))


def test_truncated_xlsx_is_damaged():
    data = xlsx_bytes({"S": [[f"row {i}", i] for i in range(200)]})
    with pytest.raises(ReadError, match="damaged or incomplete, export it again"):
        read_file("report.xlsx", data[: len(data) // 2])
    with pytest.raises(ReadError, match="damaged or incomplete"):
        read_file("report.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_xls_biff(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("【生意参谋平台】1")
    sheet.write(0, 0, "说明")
    rows = [
        ["统计日期", "商品ID", "支付金额", "商品状态"],
        [dt.date(2024, 1, 1), "'1001", 10.5, "当前在线"],
        [dt.date(2024, 1, 2), "1002", 3, None],
    ]
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value, date_style if isinstance(value, dt.date) else xlwt.Style.default_style)
    out = io.BytesIO()
    book.save(out)
    for sheets in read_both_ways(tmp_path, "商品_全部.xls", out.getvalue()):
        got = only_sheet(sheets)
        assert got.sheet_name == "【生意参谋平台】1"
        assert got.preview == [
            ["说明", None, None, None],
            ["统计日期", "商品ID", "支付金额", "商品状态"],
            ["2024-01-01", "'1001", "10.5", "当前在线"],
            ["2024-01-02", "1002", "3", None],
        ]
        table = got.body(2, 4)
        assert [f.type for f in table.schema] == [pa.timestamp("us"), pa.string(), pa.float64(), pa.string()]
        assert rows_of(table) == [
            (dt.datetime(2024, 1, 1), "'1001", 10.5, "当前在线"),
            (dt.datetime(2024, 1, 2), "1002", 3.0, None),
        ]


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value is None:
                    cell = TableCell()
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def test_ods(tmp_path):
    data = ods_bytes(
        {
            "Sales": [["day", "units", "sku"], [dt.date(2024, 3, 1), 5, "A1"], [dt.date(2024, 3, 2), 2.5, None]],
            "Notes": [[None]],
        }
    )
    for sheets in read_both_ways(tmp_path, "sales.ods", data):
        sheet = only_sheet(sheets)
        assert sheet.sheet_name == "Sales"
        assert sheet.preview == [["day", "units", "sku"], ["2024-03-01", "5", "A1"], ["2024-03-02", "2.5", None]]
        table = sheet.body(1, 3)
        assert [f.type for f in table.schema] == [pa.timestamp("us"), pa.float64(), pa.string()]
        assert rows_of(table) == [(dt.datetime(2024, 3, 1), 5.0, "A1"), (dt.datetime(2024, 3, 2), 2.5, None)]


def test_workbook_found_by_content_whatever_the_name(tmp_path):
    data = xlsx_bytes({"S": [["a"], [1]]})
    for name in ("download", "report.csv", "report.xls"):
        sheet = only_sheet(read_file(name, data))
        assert (sheet.sheet_name, sheet.preview) == ("S", [["a"], ["1"]])


# ------------------------------------------------------------------------------------ HTML saved as .xls

HTML_XLS = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><table border="1">
  <tr><th>商品ID</th><th>商品名称</th><th>支付金额</th></tr>
  <tr><td>1001</td><td>
      白象  汤好喝 &amp; 面
  </td><td>12.50</td></tr>
  <tr><td></td><td></td><td></td></tr>
  <tr><td>1002<td>line<br>two<td>-
  <tr><td colspan="2">合计</td><td>12.50</td></tr>
</table></body></html>"""


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_disguised_xls(tmp_path, encoding):
    for sheets in read_both_ways(tmp_path, "【生意参谋平台】商品_全部.xls", HTML_XLS.encode(encoding)):
        sheet = only_sheet(sheets)
        assert (sheet.sheet_name, sheet.encoding, sheet.delimiter) == (None, encoding, None)
        assert sheet.preview == [
            ["商品ID", "商品名称", "支付金额"],
            ["1001", "白象 汤好喝 & 面", "12.50"],
            ["1002", "line\ntwo", "-"],
            ["合计", None, "12.50"],
        ]
        table = sheet.body(1, 3)
        assert table.schema == pa.schema([("c0", pa.string()), ("c1", pa.string()), ("c2", pa.string())])
        assert rows_of(table) == [
            ("1001", "白象 汤好喝 & 面", "12.50"),
            ("1002", "line\ntwo", "-"),
            ("合计", None, "12.50"),
        ]


def test_html_with_two_tables_gives_two_sheets():
    html = b"<table><tr><td>Shop</td><td>A</td></tr></table><table><tr><td>x</td></tr><tr><td>1</td></tr></table>"
    sheets = read_file("two.xls", html)
    assert [(s.sheet_name, s.preview) for s in sheets] == [("table 1", [["Shop", "A"]]), ("table 2", [["x"], ["1"]])]


# ------------------------------------------------------------------------------------------------- zip


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data)
    return out.getvalue()


def test_zip_with_one_csv(tmp_path):
    data = zip_bytes({"orders.csv": b"id,total\n1,9.99\n"})
    for sheets in read_both_ways(tmp_path, "archive.zip", data):
        sheet = only_sheet(sheets)
        assert (sheet.file_name, sheet.encoding, sheet.delimiter) == ("archive.zip/orders.csv", "utf-8", ",")
        assert rows_of(sheet.body(1, 2)) == [("1", "9.99")]


def test_zip_skips_macos_junk_dotfiles_folders_and_empty_files():
    data = zip_bytes(
        {
            "export/": b"",
            "export/订单.csv": "订单编号,总金额\n1,178.8\n".encode("gb18030"),
            "export/广告.xlsx": xlsx_bytes({"Ads": [["Spend"], [1.25]]}),
            "export/empty.csv": b"",
            "export/readme.pdf": b"%PDF-1.4",
            "__MACOSX/export/._订单.csv": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
        }
    )
    sheets = read_file("downloads.zip", data)
    assert [(s.file_name, s.sheet_name, s.encoding) for s in sheets] == [
        ("downloads.zip/export/订单.csv", None, "gb18030"),
        ("downloads.zip/export/广告.xlsx", "Ads", None),
    ]
    assert rows_of(sheets[0].body(1, 2)) == [("1", "178.8")]
    assert rows_of(sheets[1].body(1, 1)) == [(1.25,)]


ZIP_ERRORS = [
    ("only-junk", {"__MACOSX/._a.csv": b"junk", ".hidden.csv": b"a,b\n", "docs/": b""}, "holds no readable table"),
    ("only-empty", {"a.csv": b""}, "holds no readable table"),
    ("nested-zip", {"inner.zip": zip_bytes({"a.csv": b"a\n1\n"})}, "a zip inside a zip"),
    ("bad-member", {"ok.csv": b"a\n1\n", "bad.csv": b"\x00\x01\x02\x03" * 50}, r"bad\.csv: this is not a text"),
]


@pytest.mark.parametrize("case", ZIP_ERRORS, ids=[c[0] for c in ZIP_ERRORS])
def test_zip_errors(case):
    _, members, message = case
    with pytest.raises(ReadError, match=message):
        read_file("archive.zip", zip_bytes(members))


def test_truncated_zip_is_damaged():
    data = zip_bytes({f"f{i}.csv": os.urandom(2000).hex().encode() for i in range(5)})
    with pytest.raises(ReadError, match="zip file is damaged or incomplete"):
        read_file("archive.zip", data[: len(data) // 2])


def test_zip_with_corrupt_member_is_damaged():
    data = bytearray(zip_bytes({"a.csv": b"id,name\n" + b"".join(b"%d,row %d\n" % (i, i) for i in range(2000))}))
    middle = len(data) // 3
    data[middle : middle + 40] = b"\xff" * 40
    with pytest.raises(ReadError, match="zip file is damaged or incomplete"):
        read_file("archive.zip", bytes(data))


def test_zip_member_names_from_chinese_windows():
    info = zipfile.ZipInfo("订单报表.csv".encode("gbk").decode("cp437"))
    assert info.flag_bits & 0x800 == 0
    assert read_module._member_name(info) == "订单报表.csv"
    flagged = zipfile.ZipInfo("Ré.csv")
    flagged.flag_bits |= 0x800
    assert read_module._member_name(flagged) == "Ré.csv"


# ---------------------------------------------------------------------------------------------- realdata

# Header row in preview numbering (None: no header), and the encoding/delimiter each file was saved with.
REALDATA_CSV_LAYOUT = {
    "google_ads_reports/calpreserving_Campaign report.csv": (2, "utf-8", ","),
    "google_ads_reports/calpreserving_Ad report- 22nd Jan.csv": (2, "utf-8", ","),
    "google_ads_reports/towing_Search keyword report.csv": (2, "utf-16", "\t"),
    "google_ads_reports/towing_Search terms report.csv": (2, "utf-16", "\t"),
    "taobao_userbehavior/UserBehavior_head84475.csv": (None, "utf-8", ","),
    "taobao_double11_cosmetics_prices/双十一淘宝美妆数据.csv": (0, "gb18030", ","),
    "facebook_ads_kag/KAG_conversion_data.csv": (0, "utf-8-sig", ","),
}


def realdata_files(pattern: str) -> list[str]:
    found = sorted(p.relative_to(REALDATA).as_posix() for p in REALDATA.rglob(pattern))
    return found or ["<realdata missing>"]  # still one test, so that CI=true fails instead of passing empty


@pytest.mark.realdata
@pytest.mark.parametrize("relative", realdata_files("*.csv"))
def test_realdata_csv_matches_python_csv(realdata_dir, relative):
    path = realdata_dir / relative
    header_row, encoding, delimiter = REALDATA_CSV_LAYOUT.get(relative, (0, "utf-8", ","))
    text = path.read_bytes().decode(encoding)
    expected = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(row)]
    start = 0 if header_row is None else header_row + 1
    width = max(len(row) for row in expected)

    sheet = only_sheet(read_file(path.name, path))
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    if header_row is not None:
        assert sheet.preview[header_row] == [cell or None for cell in expected[header_row]]
    table = sheet.body(start, width)
    assert table.num_rows == len(expected) - start
    assert rows_of(table) == [tuple((row + [""] * width)[i] or None for i in range(width)) for row in expected[start:]]


@pytest.mark.realdata
def test_realdata_gbk_and_utf16_files(realdata_dir):
    gbk_path = realdata_dir / "taobao_double11_cosmetics_prices" / "双十一淘宝美妆数据.csv"
    gbk = only_sheet(read_file(gbk_path.name, gbk_path))
    assert gbk.encoding == "gb18030" and "店名" in gbk.preview[0]
    for name in ("towing_Search keyword report.csv", "towing_Search terms report.csv"):
        sheet = only_sheet(read_file(name, (realdata_dir / "google_ads_reports" / name).read_bytes()))
        assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")


def calamine_rows(path: Path) -> dict[str, list[list]]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets = {
        name: [
            row
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if any(c != "" for c in row)
        ]
        for name in workbook.sheet_names
    }
    return {name: rows for name, rows in sheets.items() if rows}


# Data rows per sheet as SOURCES.md states them (some of these files carry a wrong <dimension> tag).
REALDATA_XLSX_ROWS = {
    "amazon_sp_ads_india_2020/Sponsored Products Search term report.xlsx": 923,
    "amazon_sp_ads_india_2020/Sponsored Products Targeting report (1).xlsx": 1683,
    "amazon_sp_ads_india_2020/Sponsored Products Placement report (1).xlsx": 545,
    "amazon_sp_ads_india_2020/Sponsored Products Advertised product report.xlsx": 265,
    "amazon_sp_ads_india_2020/Sponsored Products Performance Over Time report (2).xlsx": 29,
    "amazon_sp_searchterm_us_2019/Sponsored Products Search term report.xlsx": 24_575,
    "amazon_sp_searchterm_uk_2023/Sponsored Products Search term report.xlsx": 2399,
    "facebook_ads_kag/KAG_conversion_data.xlsx": 1143,
    "cn_flagship_store_xlsx/某厂商旗舰店脱敏数据.xlsx": 76,
}


@pytest.mark.realdata
@pytest.mark.parametrize("relative", realdata_files("*.xlsx"))
def test_realdata_xlsx_row_counts(realdata_dir, relative):
    path = realdata_dir / relative
    raw = calamine_rows(path)
    sheets = read_file(path.name, path)
    assert [s.sheet_name for s in sheets] == list(raw)
    for sheet in sheets:
        rows = raw[sheet.sheet_name]
        width = max(len(row) for row in rows)
        assert sheet.body(1, width).num_rows == len(rows) - 1
    assert (
        sheets[0].body(1, max(len(row) for row in raw[sheets[0].sheet_name])).num_rows == REALDATA_XLSX_ROWS[relative]
    )


@pytest.mark.realdata
def test_realdata_amazon_us_search_terms_spend(realdata_dir):
    path = realdata_dir / "amazon_sp_searchterm_us_2019" / "Sponsored Products Search term report.xlsx"
    (raw,) = calamine_rows(path).values()
    spend = raw[0].index("Spend")
    expected = math.fsum(row[spend] for row in raw[1:] if row[spend] != "")

    sheet = only_sheet(read_file(path.name, path.read_bytes()))
    assert sheet.preview[0][spend] == "Spend"
    table = sheet.body(1, len(raw[0]))
    assert table.num_rows == 24_575
    assert table.schema.field(f"c{spend}").type == pa.float64()
    assert math.fsum(v for v in table.column(f"c{spend}").to_pylist() if v is not None) == expected
    assert 6_000 < expected < 6_300  # SOURCES.md: total spend about $6,139
