"""Map → clean → validate: one SQL statement turns a located table into canonical rows.

The body of a sheet arrives as an Arrow table with columns c0..cN (text from CSVs, typed from
spreadsheets). Everything here runs in DuckDB so that a 1M-row export is cleaned vectorised: a
private in-memory DuckDB, used as a compute engine and not the warehouse (which may be PostgreSQL),
or, when the warehouse is a DuckDB file, its own connection (Engine.ingest_connection), so the rows
are inserted from there without a round trip through Arrow. File-supplied text (header-derived shop
names, the store) only ever enters SQL as bound parameters; column references are generated
(c0..cN), never taken from the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

import duckdb
import numpy as np
import pyarrow as pa

from shopdata.errors import ValidateError
from shopdata.i18n import Message
from shopdata.ingest.bands import register_band_functions
from shopdata.ingest.clean import (
    COUNTRY_HEADERS,
    DATE_ORDER_BY_COUNTRY,
    DATE_ORDER_BY_CURRENCY,
    DateFormat,
    currency_from_text,
    day_order_twins,
    detect_datetime_format,
    ends_with_any,
    install_macros,
    looks_like_mangled_id,
)
from shopdata.ingest.layouts import (
    ADS_GRAIN_ORDER,
    ADS_NAME_COLUMNS,
    BEHAVIOR_WORDS,
    DIMENSIONS,
    NOTICE_ROW_PATTERN,
    RATE_TO_COUNT,
    RIVAL_GRAIN_ORDER,
    RIVAL_METRICS,
    SUBTOTAL_WORDS,
    TOTALS_ROW_PATTERN,
)
from shopdata.ingest.read import CsvBody
from shopdata.ingest.recognise import Recognition
from shopdata.schema import TABLES

TOTALS_REASON = "totals row (合计 / Total)"
NOTICE_REASON = "notice line below the data (页脚说明)"
# Rows that are no data: a totals row or a notice line below the rows (each told apart in the skip reasons).
NOT_DATA_PATTERN = f"{TOTALS_ROW_PATTERN}|{NOTICE_ROW_PATTERN}"

ID_FIELDS = {
    "user_id",
    "item_id",
    "category_id",
    "product_id",
    "order_id",
    "campaign_id",
    "ad_id",
    "sku",
    "line_no",
    "buyer_id",
}
TEXT_FIELDS = {
    "behavior",
    "source",
    "device",
    "source_1",
    "source_2",
    "source_3",
    "source_4",
    "campaign",
    "landing_page",
    "product_name",
    "campaign_type",
    "ad_group",
    "ad_name",
    "keyword",
    "match_type",
    "search_term",
    "placement",
    "shop",
    "status",
    "category",
    "region",
    "channel",
    "promotion",
    "name",
    "currency",
    "rival_shop",
    "method",
    "discount",
    "note",
    "age",
    "gender",
    "interest",
}
DATE_FIELDS = {"date", "end_date", "period_start", "period_end", "event_day", "order_date"}
TIMESTAMP_FIELDS = {"event_time", "order_time", "paid_time"}
BOOL_FIELDS = {"available"}
MONEY_FIELDS = ("spend", "revenue", "price", "list_price", "amount", "paid_amount", "order_amount", "refund_amount")
# Every other mapped field is a number.

PERIOD_KINDS = tuple(kind for kind, table in TABLES.items() if table.covers_period)
EPOCH_KINDS = ("unix_s", "unix_ms")
SAMPLE_SIZE = 2000
# Kinds whose every figure column becomes a row of its own (metric, low, high, unit, value): a file row gives many.
FIGURE_KINDS = ("rival_metrics",)


class DateOrderError(ValidateError):
    """A date column whose every value reads both day-first and month-first, with nothing in the file to tell
    which: the Data page asks, the command line names --date-order."""

    def __init__(self, column: str, sample: str) -> None:
        super().__init__(Message("validate.date_order", column=column, sample=sample), Message("hint.date_order"))
        self.column = column
        self.sample = sample


@dataclass
class Prepared:
    rows: pa.Table | WarehouseRows  # canonical columns of the kind, plus nk
    rows_skipped: int
    skipped_reasons: dict[str, int]
    warnings: list[str]
    date_from: date | None
    date_to: date | None
    mapping: dict[str, str] = field(default_factory=dict)


# A sheet's body: an Arrow table (registered in the cleaning connection), or a CSV read where it is cleaned.
Body: TypeAlias = pa.Table | CsvBody


def _column_sample(body: Body, index: int) -> list[str]:
    if isinstance(body, CsvBody):
        return body.column_sample(index, SAMPLE_SIZE)
    column = body.column(index).drop_null()
    return [str(v) for v in column.slice(0, SAMPLE_SIZE).to_pylist()]


TOTALS_CHECK_COLUMNS = 3


def _is_string(body: Body, index: int) -> bool:
    return pa.types.is_string(body.schema.field(index).type) or pa.types.is_large_string(body.schema.field(index).type)


def _is_number(body: Body, index: int) -> bool:
    t = body.schema.field(index).type
    return pa.types.is_floating(t) or pa.types.is_integer(t)


def _is_temporal(body: Body, index: int) -> bool:
    t = body.schema.field(index).type
    return pa.types.is_timestamp(t) or pa.types.is_date(t)


class _Select:
    """Builds the SELECT for one recognised table. Values go in as named parameters ($p1, $p2 …)."""

    def __init__(
        self,
        body: Body,
        rec: Recognition,
        con: duckdb.DuckDBPyConnection,
        currency: str | None = None,
        date_order: str | None = None,
    ) -> None:
        self.body = body
        self.rec = rec
        self.con = con
        self.currency = currency  # the user's, for a file that does not say its own
        self.date_order = date_order  # the user's "dmy" or "mdy", for a date column no value decides
        self.params: dict[str, object] = {}
        self.warnings: list[str] = []

    def sample(self, index: int) -> list[str]:
        """Non-empty values of a column, totals rows and notice lines left out (their first cells say 'Total: …')."""
        rows = self.con.execute(
            f"SELECT CAST(c{index} AS VARCHAR) FROM sd_body WHERE c{index} IS NOT NULL "
            f"AND NOT ({totals_predicate(self.body, self.constant(NOT_DATA_PATTERN))}) LIMIT {SAMPLE_SIZE}"
        ).fetchall()
        return [r[0] for r in rows]

    def param(self, value: object) -> str:
        """A value from the user or the file: always a bound parameter."""
        name = f"p{len(self.params) + 1}"
        self.params[name] = value
        return f"${name}"

    @staticmethod
    def constant(text: str) -> str:
        """A constant of this code base (layouts.py data), inlined so DuckDB can fold it:
        a regex pattern passed as a parameter is recompiled for every row."""
        return "'" + text.replace("'", "''") + "'"

    def header(self, field_name: str) -> str:
        return self.rec.mapping_by_header().get(field_name, field_name)

    def temporal(self, index: int, field_name: str, as_date: bool) -> str:
        c = f"c{index}"
        # Epoch times are UTC; the platform's business day is in its own time zone.
        to_local = (
            f" + INTERVAL {int(self.rec.layout.utc_offset_hours)} HOUR" if self.rec.layout.utc_offset_hours else ""
        )
        if _is_temporal(self.body, index):
            expr = f"CAST({c} AS TIMESTAMP)"
        elif _is_number(self.body, index):
            # Spreadsheet numbers in a date column: unix ms / seconds (a CSV log saved from Excel), else an Excel
            # serial day number, which is already the day as the sheet shows it.
            expr = (
                f"(CASE WHEN {c} > 1e11 THEN make_timestamp(CAST({c} * 1000 AS BIGINT)){to_local} "
                f"WHEN {c} > 1e8 THEN make_timestamp(CAST({c} * 1000000 AS BIGINT)){to_local} "
                f"ELSE TIMESTAMP '1899-12-30' + to_microseconds(CAST(round({c} * 86400e6) AS BIGINT)) END)"
            )
        elif not (values := self.sample(index)):
            expr = "CAST(NULL AS TIMESTAMP)"
        else:
            fmt = detect_datetime_format(values)
            if fmt is None:
                sample = ", ".join(repr(v) for v in values[:3])
                raise ValidateError(
                    Message("validate.date_column", column=self.header(field_name), sample=sample),
                    Message("hint.date_column"),
                )
            if twins := day_order_twins(fmt):
                fmt = self.day_order(index, field_name, values, *twins)
            expr = fmt.sql(f"sd_text({c})")
            if fmt.kind in EPOCH_KINDS and to_local:
                expr = f"({expr}{to_local})"
        return f"CAST({expr} AS DATE)" if as_date else expr

    def day_order(
        self, index: int, field_name: str, values: list[str], month_first: DateFormat, day_first: DateFormat
    ) -> DateFormat:
        """Month- or day-first for a column the sample reads either way, decided by the whole column: a value
        only one order reads proves it; with none, the user's --date-order, else the platform's one order (the
        layout's), else the region of the file's country or currency;
        else the user is asked (DateOrderError). Values both orders read alike (01/01) decide nothing."""
        value = f"sd_text(c{index})"
        rows = f"SELECT {month_first.sql(value)} AS m, {day_first.sql(value)} AS d FROM sd_body WHERE NOT " + (
            f"({totals_predicate(self.body, self.constant(NOT_DATA_PATTERN))})"
        )
        proves_day, proves_month, differ = _one_row(
            self.con,
            "SELECT count(*) FILTER (WHERE m IS NULL AND d IS NOT NULL), "
            "count(*) FILTER (WHERE d IS NULL AND m IS NOT NULL), count(*) FILTER (WHERE m <> d) "
            f"FROM ({rows}) AS read",
        )
        sample = ", ".join(repr(v) for v in values[:3])
        column = self.header(field_name)
        by_order = {"dmy": day_first, "mdy": month_first}
        if proves_day and proves_month:
            raise ValidateError(
                Message("validate.date_column", column=column, sample=sample), Message("hint.date_column")
            )
        if proves_day or proves_month or not differ:
            return day_first if proves_day else month_first
        if self.date_order:
            return by_order[self.date_order]
        if layout_order := self.rec.layout.date_order:
            return by_order[layout_order]
        if hint := self.region_date_order():
            order, clue, said = hint
            self.warnings.append(
                Message(
                    "warn.date_order_by_region",
                    column=column,
                    order=Message(f"date_order.{order}"),
                    clue=Message(f"date_order.clue.{clue}"),
                    value=said,
                )
            )
            return by_order[order]
        raise DateOrderError(column, sample)

    def region_date_order(self) -> tuple[str, str, str] | None:
        """(order, "country" or "currency", the value) when the file says where it is from: a country column
        naming one country, else the file's currency."""
        for index, header in enumerate(self.rec.headers):
            if header.name in COUNTRY_HEADERS and _is_string(self.body, index):
                countries = {v.strip() for v in self.sample(index) if v.strip()}
                if len(countries) == 1:
                    country = countries.pop()
                    if order := DATE_ORDER_BY_COUNTRY.get(country.lower()):
                        return order, "country", country
        currency = self.file_currency()
        if currency and (order := DATE_ORDER_BY_CURRENCY.get(currency)):
            return order, "currency", currency
        return None

    def file_currency(self) -> str | None:
        """The currency the file states (its one currency code, a unit or mark on its money), else the user's."""
        index = self.rec.mapping.get("currency")
        if index is not None and _is_string(self.body, index):
            codes = {v.strip().upper() for v in self.sample(index) if v.strip()}
            if len(codes) == 1:
                return codes.pop()
        return detect_currency(self.rec, self.body) or self.currency

    def value(self, field_name: str, index: int) -> str:
        c = f"c{index}"
        if field_name in DATE_FIELDS:
            return self.temporal(index, field_name, as_date=True)
        if field_name in TIMESTAMP_FIELDS:
            return self.temporal(index, field_name, as_date=False)
        if field_name == "behavior":
            return self.behavior(f"sd_text(CAST({c} AS VARCHAR))")
        if field_name in ID_FIELDS or field_name in TEXT_FIELDS:
            if _is_number(self.body, index):
                return f"sd_id_num(CAST({c} AS DOUBLE))"
            if _is_temporal(self.body, index):
                return f"CAST(CAST({c} AS DATE) AS VARCHAR)"
            if field_name in TEXT_FIELDS:
                return f"sd_text({c})"
            if looks_like_mangled_id(self.sample(index)[:200]):
                self.warnings.append(Message("warn.mangled_ids", column=self.header(field_name)))
            return f"sd_id({c})"
        if field_name in BOOL_FIELDS:
            return f"sd_bool(CAST({c} AS VARCHAR))"
        if _is_number(self.body, index):
            return f"CAST({c} AS DOUBLE)"
        if _is_temporal(self.body, index):
            return "CAST(NULL AS DOUBLE)"
        return f"sd_number({c})"

    def behavior(self, expr: str) -> str:
        """Raw behaviour value -> canonical behaviour; a code mapped to '' is "not a funnel action"."""
        words = {**BEHAVIOR_WORDS, **self.rec.layout.behavior_codes}
        whens = " ".join(
            f"WHEN {self.constant(raw.lower())} THEN {self.constant(canonical or '-')}"
            for raw, canonical in words.items()
        )
        return f"(CASE lower({expr}) {whens} ELSE NULL END)"


def _attribution(rec: Recognition) -> str | None:
    for field_name in ("revenue", "conversions", "units"):
        name = rec.matched_names.get(field_name)
        if name:
            match = re.match(r"^(\d+)\s*(day|天)", name) or re.search(r"(\d+) giorni$", name)
            if match:
                return f"{match.group(1)}d"
    return None


def detect_currency(rec: Recognition, body: Body) -> str | None:
    """Header unit (元) (₹) (SGD), else a value's mark (Rs. £), else the platform's own currency."""
    for field_name in MONEY_FIELDS:
        index = rec.mapping.get(field_name)
        if index is None:
            continue
        unit = rec.headers[index].unit
        if unit and (code := currency_from_text(unit)):
            return code
        if _is_string(body, index):
            for value in _column_sample(body, index)[:50]:
                mark = re.match(r"^\s*([^\d\s.,+\-()]+\.?)", value)
                if mark and (code := currency_from_text(mark.group(1))):
                    return code
    return rec.layout.currency


@dataclass
class Query:
    sql: str
    params: dict[str, object]
    columns: list[str]
    warnings: list[str]
    # The fields whose unreadable cells `_bad` holds, in its order (_bad[1] is the first's).
    number_fields: list[str] = field(default_factory=list)
    # Columns that are one constant of this code base for every row (platform, grain …): column -> SQL literal.
    constants: dict[str, str] = field(default_factory=dict)
    # Columns that are another column's value for every row (end_date = date for a daily report): column -> it.
    copies: dict[str, str] = field(default_factory=dict)

    def from_held(self, column: str) -> str:
        """SQL giving `column` from the cleaned rows as held (sd_flagged), which store neither constants nor
        copies: the constant's literal, the column it copies, else the column itself."""
        return self.constants.get(column) or self.copies.get(column, column)


def build_query(
    con: duckdb.DuckDBPyConnection,
    body: Body,
    rec: Recognition,
    store: str,
    period: tuple[date, date] | None,
    currency: str | None = None,
    date_order: str | None = None,
) -> Query:
    """SELECT over view `body` (columns c0..cN and _row) giving `_row`, `_not_data` (why a row is no data: a
    totals row or a notice line, else NULL), the canonical columns and `_bad`: for a row with a number column
    read from text that could not be read as a number, the raw texts by field (NULL where readable; the whole
    list NULL on the rows, nearly all, with none). Rows that are no data are flagged, not
    left out, so the one pass that cleans the rows also counts them (a CSV is never read just to be counted).

    Two levels: the inner one cleans every mapped cell exactly once (b_<field>); the outer one derives
    the rest (end_date, event_date, source_level, audience …) from those names, so no cleaning
    expression is evaluated twice."""
    kind = rec.kind
    table = TABLES[kind]
    q = _Select(body, rec, con, currency, date_order)
    mapped = dict(rec.mapping)
    figures = {f: mapped.pop(f) for f in list(mapped) if kind in FIGURE_KINDS and f in RIVAL_METRICS}
    if "date" in mapped:
        # With a day column, Start/End Date are the campaign's own dates (Amazon), not the row's period.
        mapped.pop("period_start", None)
        mapped.pop("period_end", None)
    base: dict[str, str] = {f"b_{f}": q.value(f, i) for f, i in mapped.items()}
    # The raw cells of a number column that may hold what is no number: text, or dates (a spreadsheet that turned
    # the clicks into dates, "1-2" read as 2 January, is stored as empty: it is reported like unreadable text).
    raw_numbers = {
        f: i
        for f, i in mapped.items()
        if f not in ID_FIELDS | TEXT_FIELDS | DATE_FIELDS | TIMESTAMP_FIELDS | BOOL_FIELDS
        and f != "behavior"
        and (_is_string(body, i) or _is_temporal(body, i))
    }
    base.update(
        {f"r_{f}": f"CAST(c{i} AS VARCHAR)" if _is_temporal(body, i) else f"c{i}" for f, i in raw_numbers.items()}
    )
    e: dict[str, str] = {f: f"b_{f}" for f in mapped}

    if kind in PERIOD_KINDS:
        if "date" in e:
            e["end_date"] = e["date"]
        elif "period_start" in e:
            e["date"] = e.pop("period_start")
            e["end_date"] = e.pop("period_end", e["date"])
        elif period is not None:
            e["date"] = f"CAST({q.param(period[0])} AS DATE)"
            e["end_date"] = f"CAST({q.param(period[1])} AS DATE)"
        else:
            raise ValidateError(Message("validate.no_period"), Message("hint.give_period"))

    if kind == "events":
        time_expr, day_expr = e.pop("event_time", None), e.pop("event_day", None)
        e["event_time"] = time_expr or f"CAST({day_expr} AS TIMESTAMP)"
        e["event_date"] = f"CAST({e['event_time']} AS DATE)"

    if kind == "orders":
        if "order_time" in e:
            e["order_date"] = f"CAST({e['order_time']} AS DATE)"
        # A row names one item (a line) when it carries the item's identity; a quantity alone is an order's item
        # count as well (Etsy's Number of Items, 天猫's 宝贝总数量, WooCommerce's Items sold).
        e["grain"] = q.constant("line" if {"line_no", "sku", "product_id"} & set(mapped) else "order")

    if kind == "ads":
        parts = [f"{q.constant(p + '=')} || {e.pop(p)}" for p in ("age", "gender", "interest") if p in e]
        if parts:
            e["audience"] = f"concat_ws('; ', {', '.join(parts)})"
        e["grain"] = q.constant(next((g for f, g in ADS_GRAIN_ORDER if f in mapped), "account"))
        if attribution := _attribution(rec):
            e["attribution"] = q.constant(attribution)

    if kind == "traffic":
        levels = [f"source_{n}" for n in (1, 2, 3, 4) if f"source_{n}" in e]
        subtotal_words = ", ".join(q.constant(w) for w in SUBTOTAL_WORDS)
        subtotal = {k: f"list_contains([{subtotal_words}], lower({e[k]}))" for k in levels}
        if levels:
            # A level written as 汇总 means "all of the level above": that row is the subtotal.
            e["source_level"] = " + ".join(
                f"(CASE WHEN {e[k]} IS NOT NULL AND NOT {subtotal[k]} THEN 1 ELSE 0 END)" for k in levels
            )
        for key in levels:
            # list_contains, not IN: DuckDB plans a constant IN list as a join per use.
            e[key] = f"(CASE WHEN {subtotal[key]} THEN NULL ELSE {e[key]} END)"
        for rate, count in RATE_TO_COUNT.items():
            rate_expr = e.pop(rate, None)
            if rate_expr and count not in e and "sessions" in e:
                e[count] = f"round({e['sessions']} * {rate_expr})"
        grain = (
            "product"
            if "product_id" in mapped
            else "landing_page"
            if "landing_page" in mapped
            else "source"
            if levels or "campaign" in mapped
            else "shop"
        )
        e["grain"] = q.constant(grain)

    source = "sd_body"
    if figures:
        source = _figure_rows(q, figures)
        base.update(
            b_metric="figure_metric",
            b_low="sd_band_low(figure_text)",
            b_high="sd_band_high(figure_text)",
            b_unit="sd_band_unit(figure_text)",
            r_figure="CASE WHEN NOT sd_band_readable(figure_text) THEN figure_text END",
        )
        e.update(metric="b_metric", low="b_low", high="b_high", unit="b_unit")
        e["value"] = "(CASE WHEN b_low = b_high THEN b_low END)"  # an exact figure; a band has no single value
        if "keyword_rank" in e:
            e["keyword_rank"] = f"CAST(round({e['keyword_rank']}) AS INTEGER)"
        e["grain"] = q.constant(next((g for f, g in RIVAL_GRAIN_ORDER if f in rec.mapping), "shop"))
    if rec.layout.wide:
        source, wide_columns = _unpivot(q, body, rec)
        base.update({f"b_{c}": c for c in wide_columns})
        e.update({c: f"b_{c}" for c in wide_columns})

    if kind == "prices" and "shop" not in e:
        e["shop"] = f"CAST({q.param(rec.layout.default_shop or store)} AS VARCHAR)"

    if "currency" in table.column_names:
        if "currency" in e:
            e["currency"] = f"upper({e['currency']})"
        elif code := (detect_currency(rec, body) or currency):
            e["currency"] = q.param(code)
    e["platform"] = q.constant(rec.platform)

    columns = [c for c in table.column_names if c in e and c not in ("store", "batch_id", "nk")]
    # One list column, NULL on a row whose number cells all read, rather than a column per number field: the
    # cleaned rows are held in memory until the load, and an empty text column costs as much as a full one.
    suspect = [f"(b_{f} IS NULL AND r_{f} IS NOT NULL)" for f in raw_numbers]
    bad = [
        f"CASE WHEN b_{f} IS NULL AND r_{f} IS NOT NULL THEN CASE WHEN sd_text(r_{f}) IS NOT NULL "
        f"AND NOT regexp_matches(sd_text(r_{f}), '^[<>]') THEN r_{f} END END"
        for f in raw_numbers
    ]
    if figures:
        # A figure that is no band nor number (not "-", which is "unknown") is kept unknown and reported, never 0.
        suspect.append("r_figure IS NOT NULL")
        bad += [f"CASE WHEN b_metric = {q.constant(f)} THEN r_figure END" for f in figures]
    bad_list = [f"CASE WHEN {' OR '.join(suspect)} THEN [{', '.join(bad)}] END AS _bad"] if bad else []
    inner = ",\n    ".join(f"{expr} AS {name}" for name, expr in base.items())
    outer = ",\n  ".join([*(f"{e[c]} AS {c}" for c in columns), *bad_list])
    sql = (
        f"SELECT _row, _not_data, {outer}\nFROM (\n  SELECT _row, {not_data_reason(body)} AS _not_data, {inner}\n"
        f"  FROM {source}\n) AS cleaned"
    )
    # Expressions dropped on the way (e.g. a Start Date beside a Date) leave parameters behind.
    used = {k: v for k, v in q.params.items() if re.search(rf"\${k}\b", sql)}
    constants = {c: e[c] for c in columns if _SQL_LITERAL.fullmatch(e[c])}
    first_with: dict[str, str] = {}  # expression -> the first column it gives
    for c in columns:
        first_with.setdefault(e[c], c)
    copies = {c: first_with[e[c]] for c in columns if c not in constants and first_with[e[c]] != c}
    return Query(sql, used, columns, q.warnings, [*raw_numbers, *figures], constants, copies)


_SQL_LITERAL = re.compile(r"'(?:[^']|'')*'")  # what _Select.constant writes
_UNIT_SUFFIX = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")  # a header's trailing "(₹)" or "（元）"


def _unpivot(q: _Select, body: Body, rec: Recognition) -> tuple[str, list[str]]:
    """Wide price lists (one column per marketplace) become one row per marketplace."""
    if rec.layout.wide is None:
        raise ValueError(f"the layout {rec.layout.name} has no wide columns to unpivot")
    pattern, value_field, key_field = rec.layout.wide
    parts = []
    for index, header in enumerate(rec.headers):
        match = re.match(pattern, header.name)
        if not match:
            continue
        raw = normalize_label(header.raw)
        # The marketplace as the file writes it ("Ajio", not the matched name's "ajio"), also when the header
        # carries a unit ("Ajio MRP (₹)"): otherwise one marketplace would be two shops across files.
        label = re.match(pattern, raw, re.I) or re.match(pattern, _UNIT_SUFFIX.sub("", raw), re.I)
        shop = (label.group(1) if label else match.group(1)).strip()
        value = f"CAST(c{index} AS DOUBLE)" if _is_number(body, index) else f"sd_number(c{index})"
        parts.append(
            f"SELECT *, CAST({q.param(shop)} AS VARCHAR) AS {key_field}, {value} AS {value_field} FROM sd_body"
        )
    return "(" + " UNION ALL ".join(parts) + ") AS wide", [key_field, value_field]


def _figure_rows(q: _Select, figures: dict[str, int]) -> str:
    """Each file row once per figure column: its metric's name and the cell's text, for the band functions."""
    register_band_functions(q.con)
    parts = [
        f"SELECT *, {q.constant(metric)} AS figure_metric, CAST(c{index} AS VARCHAR) AS figure_text FROM sd_body"
        for metric, index in figures.items()
    ]
    return "(" + " UNION ALL ".join(parts) + ") AS figures"


def normalize_label(raw: str) -> str:
    return " ".join(raw.split())


def totals_predicate(body: Body, pattern: str) -> str:
    """A totals row: its first non-empty, non-placeholder cell says 合计/总计/汇总/Total…

    Written against the raw cells (regexes, no cleaning macros): it runs on every row of every file.
    Typed spreadsheet cells (numbers, dates) are never a totals label; when empty, the next cell decides."""
    matches, blanks = [], []
    for i in range(min(TOTALS_CHECK_COLUMNS, body.num_columns)):
        if _is_string(body, i):
            matches.append(f"regexp_matches(c{i}, '(?i)' || {pattern})")
            blanks.append(f"(c{i} IS NULL OR regexp_full_match(c{i}, '{BLANK_CELL}'))")
        else:
            matches.append("false")
            blanks.append(f"c{i} IS NULL")
    predicate = matches[-1]
    for match, blank in zip(reversed(matches[:-1]), reversed(blanks[:-1]), strict=False):
        predicate = f"({match} OR ({blank} AND {predicate}))"
    return f"coalesce({predicate}, false)"


def not_data_reason(body: Body) -> str:
    """SQL giving a row's reason for being no data (TOTALS_REASON, NOTICE_REASON), NULL for a data row; the
    notice pattern is only tried on the few rows the combined one matched."""
    constant = _Select.constant
    return (
        f"(CASE WHEN {totals_predicate(body, constant(NOT_DATA_PATTERN))} THEN "
        f"CASE WHEN {totals_predicate(body, constant(NOTICE_ROW_PATTERN))} THEN {constant(NOTICE_REASON)} "
        f"ELSE {constant(TOTALS_REASON)} END END)"
    )


# Cells that count as empty when looking for a totals label: white space, dashes (Google's " --").
BLANK_CELL = r"[\s\x{00A0}\x{3000}]*[-–—]*[\s\x{00A0}\x{3000}]*"


# (reason, columns that are all empty in such a row), per kind, checked in order.
SKIP_RULES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "events": (("no user ID", ("user_id",)), ("no readable time", ("event_time",))),
    "ads": (("no readable date", ("date",)),),
    "traffic": (("no readable date", ("date",)),),
    "prices": (("no readable date", ("date",)), ("no product", ("product_id", "product_name"))),
    "rival_metrics": (("no readable date", ("date",)), ("no rival", ("rival_shop", "product_id", "product_name"))),
    "rival_promotions": (
        ("no readable date", ("date",)),
        ("no rival", ("rival_shop", "product_id", "product_name")),
    ),
    "orders": (("no order ID", ("order_id",)),),
    "products": (("no product ID", ("product_id",)),),
}


def _skip_rules(kind: str, rec: Recognition, columns: list[str]) -> list[tuple[str, str]]:
    """(reason, condition) pairs, checked in order; the first that holds names the row's skip reason."""

    def all_null(names: Sequence[str]) -> str | None:
        present = [n for n in names if n in columns]
        return " AND ".join(f"{n} IS NULL" for n in present) if present else None

    rules = [(reason, cond) for reason, names in SKIP_RULES.get(kind, ()) if (cond := all_null(names))]
    if kind == "events":
        rules.append(("behaviour is not a funnel action", "behavior IS NULL OR behavior = '-'"))
    dims = [d for d in DIMENSIONS.get(kind, ()) if d in rec.mapping]
    metrics = [c for c in columns if c in _METRIC_COLUMNS]
    if dims and metrics and (cond := all_null(dims)):
        rules.append(("summary row (all names blank)", cond))
    if kind == "ads" and dims:
        # 千川's 全部 row, a 合计 per day in the 计划 column: a name that says "all of them" is a subtotal.
        named = [d for d in dims if d in columns and d in ADS_NAME_COLUMNS]
        if named:
            rules.append(("subtotal row", " OR ".join(_is_subtotal_word(d) for d in named)))
    if kind in ("ads", "traffic") and (cond := all_null(metrics)):
        rules.append(("no figures", cond))
    return rules


_METRIC_COLUMNS = {c.name for t in TABLES.values() for c in t.columns if c.type == "double"}

# What DuckDB's trim() removes from either end: the Unicode space separators (category Zs), no tab or line break.
SPACE_SEPARATORS = (32, 160, 5760, *range(8192, 8203), 8239, 8287, 12288)
# lower() maps each code point to one code point, of at most 4 bytes: a longer name is no subtotal word.
_SUBTOTAL_WORD_MAX_BYTES = 4 * max(len(w) for w in SUBTOTAL_WORDS)


def _is_subtotal_word(column: str) -> str:
    """SQL: the column, trimmed and lower-cased, is a subtotal word. Most names (campaigns run to dozens of
    characters) are ruled out by their length before trim() and lower() read them (0.25 s of a million-row
    file's 2.6 s of cleaning); one with a space at an end still goes through trim()."""
    words = ", ".join(_Select.constant(w) for w in SUBTOTAL_WORDS)
    spaces = "[" + ", ".join(map(str, SPACE_SEPARATORS)) + "]"
    return (
        f"((strlen({column}) <= {_SUBTOTAL_WORD_MAX_BYTES} OR list_contains({spaces}, ord({column})) "
        f"OR {ends_with_any(column, map(chr, SPACE_SEPARATORS))}) AND list_contains([{words}], lower(trim({column}))))"
    )


def _natural_key_sql(kind: str, columns: list[str]) -> str:
    """md5 of the row's identifying columns (absent ones as NUL, so every file of a layout agrees)."""
    keys = ["platform", *TABLES[kind].natural_key]
    parts = [f"coalesce(CAST({k} AS VARCHAR), chr(0))" if k in columns else "chr(0)" for k in keys]
    return f"md5(concat_ws(chr(31), {', '.join(parts)}))"


def _parse_failures(rec: Recognition, unreadable: dict[str, tuple[int, object]]) -> list[str]:
    """Say how many cells of a number column were text we could not read (stored as empty, never 0)."""
    headers = rec.mapping_by_header()
    return [
        Message("warn.unreadable_numbers", count=count, column=headers[field_name], example=repr(example))
        for field_name, (count, example) in unreadable.items()
        if count
    ]


@dataclass
class WarehouseRows:
    """Prepared rows left in the warehouse's own DuckDB connection: the load inserts them with one
    INSERT … SELECT instead of a round trip through Arrow (the largest cost on million-row files)."""

    con: duckdb.DuckDBPyConnection
    select_sql: str  # canonical columns + nk
    columns: list[str]
    num_rows: int

    def to_arrow(self) -> pa.Table:
        return self.con.execute(self.select_sql).to_arrow_table()

    def release(self) -> None:
        _drop_work_tables(self.con)


WORK_TABLES = ("sd_flagged", "sd_repeated")  # what prepare() leaves in a connection it does not own


def _drop_work_tables(con: duckdb.DuckDBPyConnection, body: Body | None = None) -> None:
    """Remove what prepare() left in a connection it does not own."""
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    _drop_body(con, body)


def _drop_body(con: duckdb.DuckDBPyConnection, body: Body | None = None) -> None:
    """Let go of the body: the registered Arrow table (so its memory is freed before the load), or the
    streamed CSV's view."""
    if isinstance(body, CsvBody):
        body.detach(con, "sd_body")
        return
    try:
        con.unregister("sd_body")
    except duckdb.Error:  # already gone
        pass


def _attach_body(con: duckdb.DuckDBPyConnection, body: Body) -> None:
    """Make `body` the view sd_body (columns c0.. and _row) in `con`."""
    if isinstance(body, CsvBody):
        body.attach(con, "sd_body")
        return
    # Row numbers made here, not with row_number() OVER (), which would serialise the whole query.
    con.register("sd_body", body.append_column("_row", pa.array(np.arange(body.num_rows, dtype=np.int64))))


@dataclass
class _Flagged:
    """What one pass over sd_flagged tells: rows kept, rows skipped by reason, the kept rows' repeated keys and
    days, and per number column its unreadable cells (count, an example) among the rows kept."""

    kept: int
    repeated: int
    reasons: dict[str, int]
    date_from: date | None
    date_to: date | None
    unreadable: dict[str, tuple[int, object]]


def _flagged_facts(con: duckdb.DuckDBPyConnection, kind: str, query: Query, multiplied: bool) -> _Flagged:
    """One GROUP BY _skip over the cleaned rows instead of a query per fact. `multiplied`: a file row became
    several (wide tables, tables of figures), so rows that are no data are counted by their file row."""
    first, last = TABLES[kind].day_columns() if TABLES[kind].day_column is not None else (None, None)
    columns = query.columns
    days = (
        f"min({query.from_held(first)}), max({query.from_held(last)})"
        if first in columns and last in columns
        else "NULL, NULL"
    )
    by_file_row = "count(DISTINCT _row)" if multiplied else "count(*)"
    number_fields = query.number_fields
    bad = "".join(f", count(_bad[{n}]), any_value(_bad[{n}])" for n in range(1, len(number_fields) + 1))
    groups = con.execute(
        f"SELECT _skip, count(*), {by_file_row}, count(DISTINCT _key) FILTER (WHERE _skip IS NULL), {days}{bad} "
        "FROM sd_flagged GROUP BY _skip ORDER BY 2 DESC"
    ).fetchall()
    kept = repeated = 0
    date_from = date_to = None
    not_data: dict[str, int] = {}
    reasons: dict[str, int] = {}
    unreadable: dict[str, tuple[int, object]] = {f: (0, None) for f in number_fields}
    for skip, rows, file_rows, distinct_keys, earliest, latest, *cells in groups:
        if skip is None:
            kept, repeated, date_from, date_to = rows, rows - distinct_keys, earliest, latest
            # The warning says these were stored as empty: the kept rows' alone (a skipped row's cells are not
            # stored at all, and its skip is reported with its reason).
            unreadable = {f: (cells[2 * n], cells[2 * n + 1]) for n, f in enumerate(number_fields)}
        elif skip in (TOTALS_REASON, NOTICE_REASON):
            not_data[skip] = file_rows
        else:
            reasons[skip] = rows
    ordered = {r: not_data[r] for r in (TOTALS_REASON, NOTICE_REASON) if r in not_data}
    return _Flagged(kept, repeated, {**ordered, **reasons}, date_from, date_to, unreadable)


def prepare(
    body: Body,
    rec: Recognition,
    store: str,
    period: tuple[date, date] | None,
    currency: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    date_order: str | None = None,
) -> Prepared:
    """Clean and validate a located table into canonical rows with natural keys.

    With `con` (the warehouse's own DuckDB connection) the rows stay there as WarehouseRows for the
    load; without it a private connection is used and the rows come back as an Arrow table.

    A CsvBody (read where it is cleaned, never copied) has no row numbers: it cannot be a wide table or a
    table of figures, whose rows become several; its rows' order is the flagged table's (insertion order)."""
    multiplied = bool(rec.layout.wide or rec.kind in FIGURE_KINDS)
    if isinstance(body, CsvBody) and multiplied:
        raise ValueError(f"a {rec.kind} table ({rec.layout.name}) needs its rows numbered: read it as Arrow")
    own = con is None
    if con is None:
        con = duckdb.connect()
    try:
        install_macros(con)
        _attach_body(con, body)
        query = build_query(con, body, rec, store, period, currency, date_order)
        rules = _skip_rules(rec.kind, rec, query.columns)
        reason_sql = (
            "CASE WHEN _not_data IS NOT NULL THEN _not_data "
            + "".join(f"WHEN {cond} THEN '{reason}' " for reason, cond in rules)
            + "END"
        )
        for table in WORK_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        # Constant columns and copies of another are not stored for every row (the rows are held in memory until
        # the load); the query giving the rows adds them back. A streamed CSV's _row is NULL: not stored either.
        streamed = isinstance(body, CsvBody)
        left_out = ", ".join(["_not_data", *query.constants, *query.copies, *(["_row"] if streamed else [])])
        con.execute(
            f"CREATE TEMP TABLE sd_flagged AS SELECT * EXCLUDE ({left_out}), {reason_sql} AS _skip, "
            f"{_natural_key_sql(rec.kind, query.columns)} AS _key FROM ({query.sql}) AS rows",
            query.params,
        )
        _drop_body(con, body)  # the rows are all in sd_flagged now
        facts = _flagged_facts(con, rec.kind, query, multiplied)
        if facts.repeated:
            con.execute(_REPEATED_SQL.format(order="rowid" if streamed else "_row, rowid"))
            con.execute(
                "UPDATE sd_flagged SET _key = r.nk FROM sd_repeated AS r WHERE sd_flagged.rowid = r.flagged_row"
            )
            con.execute("DROP TABLE sd_repeated")
        kept = ", ".join(f"{query.from_held(c)} AS {c}" for c in query.columns)
        select_sql = f"SELECT {kept}, _key AS nk FROM sd_flagged WHERE _skip IS NULL"
        warnings = query.warnings + _parse_failures(rec, facts.unreadable)
        if own:
            rows: pa.Table | WarehouseRows = con.execute(select_sql).to_arrow_table()
        else:
            rows = WarehouseRows(con, select_sql, [*query.columns, "nk"], facts.kept)
    except BaseException:
        if not own:
            _drop_work_tables(con, body)
        raise
    finally:
        if own:
            con.close()
    reasons = facts.reasons
    return Prepared(
        rows, sum(reasons.values()), reasons, warnings, facts.date_from, facts.date_to, rec.mapping_by_header()
    )


# Rows with the same identifying columns in one file (real logs repeat lines) are told apart by their occurrence
# number, so the same file loaded again replaces them one for one instead of collapsing them. Only the repeated
# keys are numbered, into a small table by flagged row that then updates their keys: a window over every row
# would sort the whole file, and joining it to the rows as they are inserted makes the insert hold all of them
# in memory. Occurrences follow the file's rows: by _row, rowid breaking ties, or by rowid alone for a streamed CSV,
# which has no _row but whose rows were stored in the file's order.
_REPEATED_SQL = """CREATE TEMP TABLE sd_repeated AS
SELECT flagged_row, md5(_key || chr(31) || CAST(occurrence AS VARCHAR)) AS nk FROM (
  SELECT rowid AS flagged_row, _key, row_number() OVER (PARTITION BY _key ORDER BY {order}) AS occurrence
  FROM sd_flagged
  WHERE _skip IS NULL AND _key IN (SELECT _key FROM sd_flagged WHERE _skip IS NULL GROUP BY _key HAVING count(*) > 1)
) AS numbered
WHERE occurrence > 1"""


def _one_row(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    """The row of an aggregate query without GROUP BY, which always has exactly one."""
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"an aggregate query returned no row: {sql}")
    return row
