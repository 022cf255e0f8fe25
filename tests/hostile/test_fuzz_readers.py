"""Fuzzing the readers through the guard: random bytes and mutated small real files, under every extension.

The only allowed outcomes are sheets or a ReadError that names the file (and is not a reader bug); the
test process itself never parses the input until the worker has read it safely, and then must read it
the same way.
"""

from __future__ import annotations

import codecs
import io
from collections import Counter

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopdata.errors import ReadError
from shopdata.ingest.guard import inspect_upload, read_in_worker
from shopdata.ingest.read import read_file
from tests.hostile.make_hostile import ODS_ROWS, ods, ods_content, xlsx, zip_bytes
from tests.support.summary import report

EXTENSIONS = [".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".zip"]
TRIED: Counter[str] = Counter()  # inputs read through the guard, by extension


@pytest.fixture(scope="module", autouse=True)
def report_tried():
    yield
    if TRIED:
        report(
            f"fuzz inputs read through the guard: {sum(TRIED.values())} "
            f"({', '.join(f'{n} {ext}' for ext, n in sorted(TRIED.items()))})"
        )


FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _openpyxl_book() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["日期", "花费(元)", "点击量"], ["2026-05-01", 12.5, 3], ["2026-05-02", 7, 1]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlwt_book() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate([["Campaign", "Clicks"], ["Brand", 12], ["Generic", 3.5]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CSV = b'Campaign,Clicks,Cost\r\nBrand,80,"1,040.50"\r\nGeneric,30,60.00\r\n'
SEEDS = {
    "csv": CSV,
    "utf16.tsv": codecs.BOM_UTF16_LE + "店铺\t访客数\n旗舰店\t1,234\n".encode("utf-16-le"),
    "gbk.txt": "商品,价格\n面霜,199.0\n".encode("gbk"),
    "html.xls": b"<html><table><tr><th>SKU</th><th>Units</th></tr><tr><td>A-1</td><td>3</td></tr></table></html>",
    "openpyxl.xlsx": _openpyxl_book(),
    "handmade.xlsx": xlsx(),
    "xlwt.xls": _xlwt_book(),
    "handmade.ods": ods(ods_content(ODS_ROWS + ODS_ROWS)),
    "zip": zip_bytes([("report.csv", CSV), ("book.xlsx", xlsx())]),
}


def test_seeds_are_readable() -> None:
    for name, data in SEEDS.items():
        assert read_file(name, data), name


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate", "zero"]))
        if operation == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif operation == "truncate":
            del data[at:]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif operation == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        elif operation == "zero":
            end = at + draw(st.integers(1, 64))
            data[at:end] = bytes(len(data[at:end]))
    return bytes(data)


def read_through_the_guard(name: str, data: bytes) -> None:
    TRIED[name.rsplit(".", 1)[-1]] += 1
    try:
        inspect_upload(name, data)
        sheets = read_in_worker(name, data, timeout_s=60, memory_mb=1024)
    except ReadError as exc:
        assert exc.message.startswith(name), exc.message
        assert "unexpected problem" not in exc.message, exc.message  # a reader bug, not a bad file
        return
    # Read safely in the worker: the same bytes read the same way here.
    assert [(s.sheet_name, s.preview) for s in sheets] == [(s.sheet_name, s.preview) for s in read_file(name, data)]


@settings(FUZZ, max_examples=80)
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=4096))
def test_random_bytes(extension: str, data: bytes) -> None:
    read_through_the_guard(f"upload{extension}", data)


@settings(FUZZ, max_examples=160)
@given(extension=st.sampled_from(EXTENSIONS), data=mutated())
def test_mutated_real_files(extension: str, data: bytes) -> None:
    read_through_the_guard(f"upload{extension}", data)
