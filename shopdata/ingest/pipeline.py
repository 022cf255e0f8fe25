"""read → locate table → recognise → map/clean/validate → load, for one uploaded file.

`plan_file` does everything that does not touch the database (the Data page shows its result before
anyone presses Import); `ingest_file` plans and loads. A file that cannot be understood raises a
ShopdataError naming the step; nothing is written for it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from shopdata import settings
from shopdata.errors import LocateError, RecogniseError, ShopdataError, ValidateError
from shopdata.i18n import DEFAULT_LANGUAGE, Message, localize
from shopdata.ingest.clean import EDGE_WHITESPACE, PLACEHOLDERS
from shopdata.ingest.layouts import KINDS
from shopdata.ingest.period import Preamble, parse_preamble, period_from_file_name
from shopdata.ingest.read import Sheet, read_file
from shopdata.ingest.recognise import (
    Recognition,
    ambiguity_error,
    candidates,
    header_signature,
    locate_header_row,
    parse_headers,
    recognise,
    recognise_headerless,
    settle,
    wide_columns,
)
from shopdata.ingest.terms import unmapped_measures
from shopdata.ingest.transform import FIGURE_KINDS, PERIOD_KINDS, Prepared, WarehouseRows, prepare
from shopdata.store import BatchInfo, Warehouse

Progress = Callable[[float, str], None]


@dataclass
class Options:
    store: str = settings.STORE.default
    kind: str | None = None
    platform: str | None = None
    period: tuple[date, date] | None = None
    mapping: dict[str, str] | None = None  # field -> header text, chosen by the user (the whole mapping)
    settle: dict[str, str] | None = None  # field -> header text for single fields (--map, the Data page's asking)
    uploaded_by: str | None = None
    currency: str | None = None  # for exports that do not say their currency
    date_order: str | None = None  # "dmy" or "mdy" for a date column every value of which reads both ways


@dataclass
class Plan:
    """A located and recognised table, ready to be cleaned and loaded."""

    file_name: str
    sha256: str
    size_bytes: int
    sheet: Sheet
    header_row: int | None  # None: a headerless log
    recognition: Recognition
    preamble: Preamble
    period: tuple[date, date] | None
    period_source: str | None  # "your input", "title lines", "file name"
    notes: list[str] = field(default_factory=list)
    alternatives: list[Recognition] = field(default_factory=list)
    description_rows: int = 0  # rows under the header that describe the columns (see description_rows)

    @property
    def signature(self) -> str:
        return header_signature(self.recognition.headers)

    @property
    def first_data_row(self) -> int:
        """The sheet row the data starts on: under the header and the rows describing its columns."""
        return 0 if self.header_row is None else self.header_row + 1 + self.description_rows

    def body(self) -> pa.Table:
        return self.sheet.body(self.first_data_row, len(self.recognition.headers))


# A number as exports write one: a currency mark or code, sign, thousands separators, parentheses, a % sign.
_NUMBER_CELL = re.compile(r"^[A-Z]{0,3}\s*[+\-]?\(?[$€£¥￥₹]?\s*\d[\d,]*(\.\d+)?\)?\s*%?\s*[A-Z]{0,3}$")
_MAX_DESCRIPTION_ROWS = 2  # a description row and a unit row, at most
_NUMERIC_SAMPLE_ROWS = 20


def _cell_text(cell: object) -> str | None:
    text = "" if cell is None else str(cell).strip(EDGE_WHITESPACE)
    return None if text.lower() in PLACEHOLDERS else text


def description_rows(preview: list[list[str | None]], header_row: int) -> int:
    """How many rows right under the header describe the columns instead of holding data.

    TikTok Shop puts a row explaining each column under its header (in the seller's language), other exports a
    row of units. Such a row has words where the rows below it have numbers: it is one when, in every column
    whose values further down are all numbers, it holds a value and none of its values there is a number."""
    below = preview[header_row + 1 :]
    for skipped in range(_MAX_DESCRIPTION_ROWS):
        if len(below) < skipped + 2:
            return skipped
        candidate, data = below[skipped], below[skipped + 1 : skipped + 1 + _NUMERIC_SAMPLE_ROWS]
        width = max(len(row) for row in data)
        numeric = []
        for column in range(width):
            values = [v for row in data if column < len(row) and (v := _cell_text(row[column]))]
            if values and all(_NUMBER_CELL.match(v) for v in values):
                numeric.append(column)
        cells = [_cell_text(candidate[c]) if c < len(candidate) else None for c in numeric]
        present = [c for c in cells if c]
        if not numeric or not present or any(_NUMBER_CELL.match(c) for c in present):
            return skipped
    return _MAX_DESCRIPTION_ROWS


@dataclass
class FileResult:
    file: str
    status: str  # loaded | rejected
    kind: str | None = None
    platform: str | None = None
    rows_loaded: int = 0
    rows_replaced: int = 0
    rows_skipped: int = 0
    batch_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    report: str | None = None
    confidence: float | None = None
    skipped_reasons: dict[str, int] = field(default_factory=dict)

    def to_json(self, language: str = DEFAULT_LANGUAGE) -> dict:
        """The result as the command line prints it; warnings and error in `language` (English by default)."""
        out = {
            k: getattr(self, k)
            for k in (
                "file",
                "status",
                "kind",
                "platform",
                "rows_loaded",
                "rows_replaced",
                "rows_skipped",
                "batch_id",
                "date_from",
                "date_to",
                "warnings",
                "error",
                "report",
                "confidence",
                "skipped_reasons",
            )
        }
        out["warnings"] = [localize(w, language) for w in self.warnings]
        out["error"] = None if self.error is None else localize(self.error, language)
        out["date_from"] = self.date_from.isoformat() if self.date_from else None
        out["date_to"] = self.date_to.isoformat() if self.date_to else None
        return out


def file_digest(data: bytes | os.PathLike | str) -> tuple[str, int]:
    digest = hashlib.sha256()
    if isinstance(data, (bytes, bytearray, memoryview)):
        digest.update(data)
        return digest.hexdigest(), len(data)
    size = 0
    with open(data, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _with_user_mapping(rec: Recognition, mapping: dict[str, str]) -> Recognition:
    """Apply a field -> header mapping the user chose (headers are matched by their text)."""
    by_text = {h.raw: i for i, h in enumerate(rec.headers)}
    by_name = {h.name: i for i, h in enumerate(rec.headers)}
    chosen: dict[str, int] = {}
    for field_name, header in mapping.items():
        if not header:
            continue
        index = by_text.get(header, by_name.get(header.strip().lower()))
        if index is None:
            raise RecogniseError(
                Message("recognise.missing_column", column=header, field=field_name), Message("hint.pick_column")
            )
        chosen[field_name] = index
    # The user chose every field: nothing is left to ask.
    matched = {f: rec.headers[i].name for f, i in chosen.items()}
    return dataclasses.replace(rec, mapping=chosen, matched_names=matched, ambiguous={})


def _recognise_sheet(sheet: Sheet, options: Options) -> tuple[int | None, list[Recognition]]:
    located = locate_header_row(sheet.preview)
    if located is not None:
        header_row = located[0]
        found = candidates(parse_headers(sheet.preview[header_row]), options.kind)
        if found:
            return header_row, found
    headerless = recognise_headerless(sheet.preview, options.kind)
    if headerless is not None:
        return None, [headerless]
    return (located[0] if located else None), []


def _choose_sheet(sheets: list[Sheet], options: Options) -> tuple[Sheet, int | None, list[Recognition], list[str]]:
    scored = []
    for sheet in sheets:
        header_row, found = _recognise_sheet(sheet, options)
        if options.platform:
            found = [r for r in found if r.platform == options.platform] or found
        scored.append((found[0].confidence if found else -1.0, len(sheet.preview), sheet, header_row, found))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    _, _, sheet, header_row, found = scored[0]
    notes: list[str] = [
        Message("warn.other_sheet", sheet=other.sheet_name)
        for _, _, other, _, f in scored[1:]
        if f and other.sheet_name
    ]
    if not found:
        if header_row is None and locate_header_row(sheet.preview, minimum=1) is None:
            raise LocateError(Message("locate.no_header"), Message("hint.no_header"))
        headers = parse_headers(sheet.preview[header_row if header_row is not None else 0])
        recognise(headers, options.kind)  # raises the specific explanation
    return sheet, header_row, found, notes


def plan_sheets(
    file_name: str, sheets: list[Sheet], digest: tuple[str, int], options: Options, store: Warehouse | None = None
) -> Plan:
    sheet, header_row, found, notes = _choose_sheet(sheets, options)
    rec = found[0]
    if options.mapping:
        rec = _with_user_mapping(rec, options.mapping)
    elif store is not None and header_row is not None:
        remembered = store.remembered_mapping(header_signature(rec.headers))
        if remembered and remembered["kind"] == rec.kind:
            rec = _with_user_mapping(rec, remembered["mapping"])
            notes.append(Message("warn.remembered_mapping"))
    if options.settle:
        rec = settle(rec, options.settle)
    notes.extend(_unmapped_measure_notes(rec))
    preamble_lines = [
        " ".join(str(c) for c in row if c not in (None, ""))
        for row in (sheet.preview[:header_row] if header_row else [])
    ]
    preamble = parse_preamble(preamble_lines)
    period, source = None, None
    if options.period:
        period, source = options.period, "your input"
    elif preamble.date_from and preamble.date_to:
        period, source = (preamble.date_from, preamble.date_to), "title lines"
    elif found_period := period_from_file_name(Path(file_name).name):
        period, source = found_period, "file name"
    described = 0 if header_row is None or rec.headerless else description_rows(sheet.preview, header_row)
    return Plan(
        file_name, digest[0], digest[1], sheet, header_row, rec, preamble, period, source, notes, found[1:], described
    )


def _unmapped_measure_notes(rec: Recognition) -> list[Message]:
    """A measure the file has but the mapping leaves out would load as missing: say so (asked columns aside)."""
    if rec.headerless:
        return []
    asked = {i for columns in rec.ambiguous.values() for i in columns}
    asked |= set(wide_columns(rec.layout, rec.headers))
    return [
        Message(
            "warn.unmapped_measure",
            column=rec.headers[index].raw.strip(),
            field=Message(f"field.{field_name}"),
            field_name=field_name,
        )
        for index, field_name in unmapped_measures([h.raw for h in rec.headers], rec.kind, rec.mapping)
        if index not in asked
    ]


def plan_file(
    file_name: str,
    data: bytes | os.PathLike | str,
    options: Options,
    store: Warehouse | None = None,
    reader: Callable[..., list[Sheet]] = read_file,
) -> list[Plan]:
    """One plan per table file (a zip gives one per file inside).

    `reader` turns the file into sheets: read_file for files known to be safe (the demo's, the CLI's with
    --trusted), or guard.read_untrusted for every other file (uploads, the CLI by default), which checks
    the file and parses it in a separate process with memory and time limits so a malicious spreadsheet
    cannot take the app down."""
    if options.kind and options.kind not in KINDS:
        raise RecogniseError(
            Message("recognise.unknown_kind", kind=repr(options.kind)), Message("hint.use_kind", kinds=", ".join(KINDS))
        )
    digest = file_digest(data)
    sheets = reader(file_name, data)
    by_file: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        by_file.setdefault(sheet.file_name, []).append(sheet)
    plans = []
    for inner_name, inner_sheets in by_file.items():
        inner_digest = (
            digest
            if len(by_file) == 1
            else (hashlib.sha256(f"{digest[0]}:{inner_name}".encode()).hexdigest(), digest[1])
        )
        plans.append(plan_sheets(inner_name, inner_sheets, inner_digest, options, store))
    return plans


def prepare_plan(plan: Plan, options: Options) -> Prepared:
    """The plan's rows cleaned, for the Data page to show and later load (`load_plan(prepared=...)`).

    The sheet's own rows are released: read in the worker, they are as big as the file, and the page
    keeps its plans until Import; a changed choice plans the file again."""
    try:
        return prepare(
            plan.body(), plan.recognition, options.store, plan.period, options.currency, date_order=options.date_order
        )
    finally:
        plan.sheet.release_rows()


def load_plan(
    plan: Plan, store: Warehouse, options: Options, progress: Progress | None = None, prepared: Prepared | None = None
) -> FileResult:
    rec = plan.recognition
    if rec.ambiguous:
        raise ambiguity_error(rec)
    report = progress or (lambda f, m: None)
    report(0.3, "cleaning rows")
    if prepared is None:
        # On a DuckDB warehouse the rows are cleaned in its own connection and inserted from there.
        con = store.engine.ingest_connection()
        streamed = _prepare_streamed(plan, options, con) if con is not None else None
        prepared = streamed or prepare(
            plan.body(), rec, options.store, plan.period, options.currency, con=con, date_order=options.date_order
        )
        plan.sheet.release_rows()
    try:
        return _load_prepared(plan, store, options, prepared, report)
    finally:
        if isinstance(prepared.rows, WarehouseRows):
            prepared.rows.release()


def _prepare_streamed(plan: Plan, options: Options, con: duckdb.DuckDBPyConnection) -> Prepared | None:
    """The plan's rows cleaned straight from DuckDB's read_csv in the warehouse's connection, with no Arrow
    copy of the body (a CSV on disk that DuckDB reads as the preview did); None when the body must be
    read first (a spreadsheet, a sheet read in the limited worker, a table whose rows become several)."""
    rec = plan.recognition
    if rec.layout.wide or rec.kind in FIGURE_KINDS:
        return None
    body = plan.sheet.streamed_body(plan.first_data_row, len(rec.headers))
    while body is not None:
        try:
            return prepare(
                body, rec, options.store, plan.period, options.currency, con=con, date_order=options.date_order
            )
        except duckdb.Error as exc:
            if body.parallel and body.needs_serial(exc):
                body = body.serial()
            elif body.layout_refused(exc):
                return None  # Sheet.body reads it with the csv module
            else:
                raise body.read_error(exc) or exc from exc
    return None


def _load_prepared(plan: Plan, store: Warehouse, options: Options, prepared: Prepared, report: Progress) -> FileResult:
    rec = plan.recognition
    warnings = list(plan.notes) + prepared.warnings
    if (
        plan.period_source
        and plan.period
        and rec.kind in PERIOD_KINDS
        and "date" not in rec.mapping
        and "period_start" not in rec.mapping
    ):
        warnings.append(
            Message(
                "warn.period_from",
                start=str(plan.period[0]),
                end=str(plan.period[1]),
                source=Message(f"source.{plan.period_source}"),
            )
        )
    earlier = store.find_batches_by_sha(options.store, plan.sha256)
    if earlier:
        first = earlier[0]
        warnings.append(
            Message("warn.already_imported", when=f"{first['created_at']:%Y-%m-%d %H:%M}", batch=first["batch_id"])
        )
    if prepared.rows.num_rows == 0:
        raise _no_rows_error(prepared)
    report(0.7, "saving")
    batch = BatchInfo(
        options.store,
        plan.file_name,
        plan.sha256,
        plan.size_bytes,
        rec.platform,
        rec.kind,
        rec.layout.name,
        prepared.mapping,
        prepared.rows_skipped,
        prepared.skipped_reasons,
        [w.to_json() if isinstance(w, Message) else w for w in warnings],  # stored with their keys
        prepared.date_from,
        prepared.date_to,
        options.uploaded_by,
    )
    loaded = store.load(batch, prepared.rows)
    report(1.0, "done")
    return FileResult(
        plan.file_name,
        "loaded",
        rec.kind,
        rec.platform,
        loaded.rows_loaded,
        loaded.rows_replaced,
        prepared.rows_skipped,
        loaded.batch_id,
        prepared.date_from,
        prepared.date_to,
        warnings,
        None,
        rec.layout.name,
        rec.confidence,
        prepared.skipped_reasons,
    )


def _no_rows_error(prepared: Prepared) -> ValidateError:
    reasons = ", ".join(f"{n} {r}" for r, n in prepared.skipped_reasons.items()) or Message("validate.table_empty")
    return ValidateError(Message("validate.no_rows", reasons=reasons), Message("hint.check_mapping"))


def ingest_file(
    file_name: str,
    data: bytes | os.PathLike | str,
    store: Warehouse,
    options: Options,
    progress: Progress | None = None,
    reader: Callable[..., list[Sheet]] = read_file,
) -> list[FileResult]:
    """Plan and load one uploaded file; every failure becomes a rejected result with a clear message."""
    try:
        if progress:
            progress(0.05, "reading")
        plans = plan_file(file_name, data, options, store, reader)
    except ShopdataError as exc:
        return [FileResult(file_name, "rejected", error=exc.as_message(), kind=options.kind)]
    except Exception as exc:  # a bug or a library surprise must not take the app down or lose other files
        return [FileResult(file_name, "rejected", error=_unexpected(exc), kind=options.kind)]
    results = []
    for plan in plans:
        try:
            results.append(load_plan(plan, store, options, progress))
        except Exception as exc:
            message = exc.as_message() if isinstance(exc, ShopdataError) else _unexpected(exc)
            results.append(
                FileResult(
                    plan.file_name,
                    "rejected",
                    plan.recognition.kind,
                    plan.recognition.platform,
                    error=message,
                    report=plan.recognition.layout.name,
                    confidence=plan.recognition.confidence,
                )
            )
    return results


def _unexpected(exc: Exception) -> Message:
    return Message("error.unexpected", problem=f"{type(exc).__name__}: {str(exc)[:300]}")
