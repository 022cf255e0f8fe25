"""A CSV on disk loaded into a DuckDB warehouse is cleaned straight from read_csv in the warehouse's connection
(no Arrow copy of its body): it must give exactly what the same bytes give through the Arrow route."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shopdata.engine import connect
from shopdata.ingest import read, transform
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.schema import TABLES
from shopdata.store import Warehouse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"

GOOGLE_CAMPAIGNS = (
    "Campaign report\n"
    '"1 May 2026 - 8 May 2026"\n'
    "Campaign,Campaign type,Impr.,Clicks,Currency code,Cost,Conversions,Conv. value\n"
    'Brand,Search,"1,200",80,USD,40.50,4.00,400.00\n'
    "Generic,Search,900,30,USD,60.00,1.00, --\n"
    'Total: Account,--,"2,100",110,USD,100.50,5.00,400.00\n'
)
# The same key three times with different spend, a blank line, a value that is no number, a row without a date.
REPEATED_ROWS = (
    "Date,Campaign Name,Impressions,Clicks,Spend\n"
    "2026-05-01,Camp,100,10,1.50\n"
    "2026-05-01,Camp,100,10,2.50\n"
    "\n"
    "2026-05-02,Camp,abc,10,3.00\n"
    ",Camp,100,10,4.00\n"
    "2026-05-01,Camp,100,10,5.50\n"
)
# A quoted value spanning lines and a short row: DuckDB's parallel scanner refuses it, one thread reads it.
QUOTED_LINES = (
    "Date,Campaign Name,Impressions,Clicks,Spend\n"
    '2026-05-01,"Camp\non two lines",100,10,1.50\n'
    "2026-05-02,Short,100\n"
    "2026-05-03,Camp,100,10,2.00\n"
)
# LF and CRLF line ends in one file: DuckDB cannot follow it, the csv module reads it.
MIXED_LINE_ENDS = (
    "Date,Campaign Name,Impressions,Clicks,Spend\r\n2026-05-01,A,100,10,1.50\n2026-05-02,B,100,10,2.00\r\n"
)
HAND_MADE = {
    "campaigns.csv": GOOGLE_CAMPAIGNS,
    "repeated.csv": REPEATED_ROWS,
    "quoted_lines.csv": QUOTED_LINES,
    "mixed_line_ends.csv": MIXED_LINE_ENDS,
}


def _warehouse(path: Path) -> Warehouse:
    return Warehouse(connect(str(path)))


def _result(result) -> dict:
    out = result.to_json()
    out.pop("batch_id")
    return out


def _facts(warehouse: Warehouse) -> dict[str, list[tuple]]:
    facts = {}
    for kind, table in TABLES.items():
        columns = [c for c in table.column_names if c != "batch_id"]
        rows = warehouse.engine.execute(f"SELECT {', '.join(columns)} FROM {kind}").rows
        facts[kind] = sorted(rows, key=repr)
    return facts


def _both_routes(tmp_path: Path, name: str, data: bytes) -> tuple[list, list, Warehouse, Warehouse]:
    """The file loaded from its path (streamed) and from its bytes (Arrow), each into a fresh warehouse."""
    file = tmp_path / name
    file.write_bytes(data)
    streamed, copied = _warehouse(tmp_path / "streamed.duckdb"), _warehouse(tmp_path / "copied.duckdb")
    from_path = ingest_file(name, file, streamed, Options(store="Shop"))
    from_bytes = ingest_file(name, data, copied, Options(store="Shop"))
    return from_path, from_bytes, streamed, copied


CSV_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.csv"))


@pytest.mark.parametrize("name", [*HAND_MADE, *CSV_FIXTURES])
def test_streamed_csv_loads_exactly_what_the_arrow_route_loads(tmp_path: Path, name: str) -> None:
    data = HAND_MADE[name].encode() if name in HAND_MADE else (FIXTURES / name).read_bytes()
    from_path, from_bytes, streamed, copied = _both_routes(tmp_path, name, data)
    try:
        assert [_result(r) for r in from_path] == [_result(r) for r in from_bytes]
        assert _facts(streamed) == _facts(copied)
    finally:
        streamed.engine.close()
        copied.engine.close()


def test_a_csv_on_disk_is_never_copied_into_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "repeated.csv"
    file.write_text(REPEATED_ROWS, encoding="utf-8")

    def no_arrow_copy(self, start_row: int, n_columns: int):
        raise AssertionError("the body was read into Arrow")

    monkeypatch.setattr(read.Sheet, "body", no_arrow_copy)
    warehouse = _warehouse(tmp_path / "shop.duckdb")
    try:
        [result] = ingest_file(file.name, file, warehouse, Options(store="Shop"))
        assert result.status == "loaded", result.error
        # 5 data rows: "abc" is kept (its impressions unknown), the row without a date is skipped.
        assert (result.rows_loaded, result.rows_skipped) == (4, 1)
        spend_by_day = warehouse.engine.execute("SELECT date, spend FROM ads ORDER BY spend").rows
        assert [float(s) for _, s in spend_by_day] == [1.5, 2.5, 3.0, 5.5]
        # The repeated key is told apart by its occurrence: every loaded row has its own key.
        assert warehouse.engine.execute("SELECT count(DISTINCT nk) FROM ads").scalar() == 4
    finally:
        warehouse.engine.close()


def test_repeated_rows_get_the_same_keys_by_either_route(tmp_path: Path) -> None:
    """The n-th occurrence of a key gets the n-th key in file order, streamed or not (a reload replaces
    each row by its own occurrence)."""
    _, _, streamed, copied = _both_routes(tmp_path, "repeated.csv", REPEATED_ROWS.encode())
    try:
        sql = "SELECT spend, nk FROM ads ORDER BY spend"
        assert streamed.engine.execute(sql).rows == copied.engine.execute(sql).rows
    finally:
        streamed.engine.close()
        copied.engine.close()


def test_a_row_wider_than_the_header_is_the_same_error_streamed(tmp_path: Path) -> None:
    data = b"Date,Campaign Name,Impressions,Clicks,Spend\n2026-05-01,A,100,10,1.50\n2026-05-02,B,100,10,2.00,extra\n"
    from_path, from_bytes, streamed, copied = _both_routes(tmp_path, "wide.csv", data)
    try:
        assert from_path[0].status == from_bytes[0].status == "rejected"
        assert from_path[0].error == from_bytes[0].error
        assert "beyond the 5 columns" in from_path[0].error
        assert streamed.count_rows("ads") == copied.count_rows("ads") == 0
    finally:
        streamed.engine.close()
        copied.engine.close()


class _Recorder:
    """A connection that notes every statement run on it (duck-typed: the engine only calls its methods)."""

    def __init__(self, con) -> None:
        self._con = con
        self.statements: list[str] = []

    def execute(self, sql, *args, **kwargs):
        self.statements.append(" ".join(str(sql).split()))
        result = self._con.execute(sql, *args, **kwargs)
        return self if result is self._con else result

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_csv_on_disk_is_read_whole_once_while_cleaned(tmp_path: Path) -> None:
    """Reading the file is a large share of a big CSV's load: one pass cleans, flags and counts its rows (the
    totals row, a skipped row, repeated keys and an unreadable number included); every other statement that
    reads the body stops after a sample."""
    file = tmp_path / "campaigns.csv"
    file.write_text(REPEATED_ROWS + "Total,,400,40,16.50\n", encoding="utf-8")
    warehouse = _warehouse(tmp_path / "shop.duckdb")
    recorder = _Recorder(warehouse.engine.con)
    warehouse.engine.con = recorder  # type: ignore[assignment]  # the recording stand-in for the connection
    try:
        [result] = ingest_file(file.name, file, warehouse, Options(store="Shop"))
        assert result.status == "loaded", result.error
        assert (result.rows_loaded, result.rows_skipped) == (4, 2)
        assert set(result.skipped_reasons) == {"totals row (合计 / Total)", "no readable date"}
        whole_reads = [s for s in recorder.statements if "sd_body" in s and " LIMIT " not in s and "VIEW" not in s]
        assert len(whole_reads) == 1 and whole_reads[0].startswith("CREATE TEMP TABLE sd_flagged"), whole_reads
    finally:
        warehouse.engine.con = recorder._con
        warehouse.engine.close()


def test_the_rows_held_until_the_load_store_no_column_the_load_can_make_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cleaned rows stay in memory until they are inserted (a million-row CSV's peak): a daily report's end
    date is its date, the platform and grain are constants, a streamed CSV's row number is NULL, and the
    unreadable cells of every number column share one list column — none of these is stored per row. The rows
    loaded are still whole: end_date equals date, and "abc" is reported as the impressions' unreadable cell."""
    held: list[list[str]] = []
    facts = transform._flagged_facts

    def noting_the_columns(con, *args, **kwargs):
        held.append([name for name, *_ in con.execute("DESCRIBE sd_flagged").fetchall()])
        return facts(con, *args, **kwargs)

    monkeypatch.setattr(transform, "_flagged_facts", noting_the_columns)
    from_path, from_bytes, streamed, copied = _both_routes(tmp_path, "repeated.csv", REPEATED_ROWS.encode())
    try:
        streamed_columns, arrow_columns = held
        assert set(streamed_columns) == {"date", "campaign", "impressions", "clicks", "spend", "_bad", "_skip", "_key"}
        assert set(arrow_columns) == {*streamed_columns, "_row"}  # an Arrow body's rows are numbered
        for warehouse, [result] in ((streamed, from_path), (copied, from_bytes)):
            rows = warehouse.engine.execute("SELECT date, end_date, platform, grain FROM ads").rows
            assert sorted((d, e) for d, e, _, _ in rows) == [(date(2026, 5, d), date(2026, 5, d)) for d in (1, 1, 1, 2)]
            # The file names campaigns and nothing finer; the platform is the one the file was recognised as.
            assert {(p, g) for _, _, p, g in rows} == {(result.platform, "campaign")} and result.platform
            assert any("abc" in w and "Impressions" in w for w in result.warnings), result.warnings
    finally:
        streamed.engine.close()
        copied.engine.close()
