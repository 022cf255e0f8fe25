"""Competitor exports (issue 15): 生意参谋's 竞品 / 竞店 / 流失 files and the rivals' promotion sheet, on DuckDB and
PostgreSQL. The fixtures in tests/fixtures/layouts carry the header lists of README.md's "Competitor exports"
section, with bands in both directions ("10万 ~ 25万", "1% ~ 2.5%", "< 10%", ">1000", "-"). The expected ends are
worked out by hand from the cells; the 流失 totals are summed here from the raw file with the csv module."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path

import pytest

from shopdata import cli
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.ingest.recognise import parse_headers, recognise
from shopdata.metrics.cache import uncached_source
from shopdata.metrics.competitors import report_records, traffic_loss_records
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"
# file -> (layout, table, stored rows: data rows × figure columns)
FILES = {
    "sycm_rival_products.csv": ("sycm_rival_products", "rival_metrics", 4 * 6),
    "sycm_rival_keywords.csv": ("sycm_rival_keywords", "rival_metrics", 4 * 2),
    "sycm_rival_sources.csv": ("sycm_rival_sources", "rival_metrics", 3 * 2),
    "sycm_rival_loss.csv": ("sycm_rival_loss", "rival_metrics", 5 * 3),
    "sycm_rival_shops.csv": ("sycm_rival_shops", "rival_metrics", 2 * 4),
    "rival_promotions.csv": ("rival_promotions_sheet", "rival_promotions", 3),
}


def raw_rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(warehouse: Warehouse, name: str):
    [result] = ingest_file(name, FIXTURES / name, warehouse, Options(store="S"))
    assert result.status == "loaded", result.error
    return result


def stored(warehouse: Warehouse, condition: str, values: list[object]) -> list[tuple]:
    return warehouse.engine.execute(
        f"SELECT low, high, unit, value FROM rival_metrics WHERE {condition} ORDER BY low", values
    ).rows


@pytest.mark.parametrize("name", FILES)
def test_each_competitor_export_is_recognised_as_its_layout(name: str) -> None:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert recognise(parse_headers(header)).layout.name == FILES[name][0]


def test_bands_are_stored_exactly_and_a_reload_replaces_them(store: Warehouse) -> None:
    expected: dict[str, int] = {}
    for name, (_, table, rows) in FILES.items():
        first = load(store, name)
        assert (first.rows_loaded, first.rows_skipped) == (rows, 0), name
        expected[table] = expected.get(table, 0) + rows
    assert {table: store.count_rows(table) for table in expected} == expected
    # 竞品 关键指标对比, 甲家 on 11-02: 支付金额 "10万 ~ 25万", 访客数 "1,000 ~ 2,500", 支付转化率 "1% ~ 2.5%".
    day = "date = DATE '2026-11-02' AND grain = 'product' AND rival_shop = ? AND metric = ?"
    assert stored(store, day, ["甲家旗舰店", "revenue"]) == [(100_000.0, 250_000.0, "万", None)]
    assert stored(store, day, ["甲家旗舰店", "visitors"]) == [(1000.0, 2500.0, "", None)]
    assert stored(store, day, ["甲家旗舰店", "conversion_rate"]) == [(0.01, 0.025, "%", None)]
    # 乙品 on 11-02: "< 1000" visitors, "< 10%" conversion: the low end open, never 0; 搜索人气 "-": unknown.
    assert stored(store, day, ["乙品官方店", "visitors"]) == [(None, 1000.0, "", None)]
    assert stored(store, day, ["乙品官方店", "conversion_rate"]) == [(None, 0.1, "%", None)]
    assert stored(store, day, ["乙品官方店", "search_popularity"]) == [(None, None, None, None)]
    # 11-03: ">1000" (high end open), "750万 ~ 1000万", and the exact "12.3万" and "1,234" with their value.
    later = "date = DATE '2026-11-03' AND grain = 'product' AND rival_shop = ? AND metric = ?"
    assert stored(store, later, ["甲家旗舰店", "visitors"]) == [(1000.0, None, "", None)]
    assert stored(store, later, ["甲家旗舰店", "revenue"]) == [(7_500_000.0, 10_000_000.0, "万", None)]
    assert stored(store, later, ["乙品官方店", "revenue"]) == [(123_000.0, 123_000.0, "万", 123_000.0)]
    assert stored(store, later, ["乙品官方店", "visitors"]) == [(1234.0, 1234.0, "", 1234.0)]
    # Keywords keep their word and rank; sources their source; the shop file is the shop's own grain.
    assert store.engine.execute(
        "SELECT keyword_rank, low, high FROM rival_metrics WHERE grain = 'keyword' AND keyword = ? "
        "AND rival_shop = ? AND metric = 'visitors'",
        ["保温杯", "甲家旗舰店"],
    ).rows == [(1, 1000.0, 2500.0)]
    assert stored(store, "grain = 'source' AND source = ? AND metric = 'visitors'", ["直通车"]) == [
        (500.0, 1000.0, "", None)
    ]
    assert stored(store, "grain = 'shop' AND rival_shop = ? AND metric = 'visitors'", ["乙品官方店"]) == [
        (None, 100_000.0, "万", None)
    ]
    assert store.engine.execute(
        "SELECT method, discount, note FROM rival_promotions WHERE rival_shop = ? ORDER BY method", ["甲家旗舰店"]
    ).rows == [("淘客", "满300减40", None), ("直通车", None, "加大了搜索词出价")]

    for name, (_, _, rows) in FILES.items():
        again = load(store, name)  # the same file again replaces its rows one for one
        assert (again.rows_loaded, again.rows_replaced) == (rows, rows), name
    assert {table: store.count_rows(table) for table in expected} == expected


def _money(cell: str) -> Decimal:
    """流失金额 as the fixture writes it: "12,345.50", "880" or "1.2万"."""
    text = cell.replace(",", "")
    return Decimal(text[:-1]) * 10_000 if text.endswith("万") else Decimal(text)


def test_traffic_lost_per_rival_adds_up_to_the_raw_file(store: Warehouse) -> None:
    load(store, "sycm_rival_loss.csv")
    revenue: dict[str, Decimal] = {}
    visitors: dict[str, int] = {}
    for row in raw_rows("sycm_rival_loss.csv"):
        revenue[row["店铺名称"]] = revenue.get(row["店铺名称"], Decimal(0)) + _money(row["流失金额"])
        visitors[row["店铺名称"]] = visitors.get(row["店铺名称"], 0) + int(row["流失人数"])
    backend = uncached_source(store.engine)
    scope = Scope("S")
    by_rival = report_records(backend, scope, None, by="rival")
    found = {(r["rival"], r["metric"]): r for r in by_rival}
    for rival, total in revenue.items():
        assert found[(rival, "lost_revenue")]["value"] == pytest.approx(float(total), abs=1e-9)
        assert found[(rival, "lost_visitors")]["value"] == visitors[rival]
    assert found[("甲家旗舰店", "lost_revenue")]["date_from"] == "2026-11-02"
    assert found[("甲家旗舰店", "lost_revenue")]["date_to"] == "2026-11-03"

    # traffic-loss: per rival product over both days, most money first.
    per_product: dict[tuple[str, str], list] = {}
    for row in raw_rows("sycm_rival_loss.csv"):
        totals = per_product.setdefault((row["店铺名称"], row["商品名称"]), [0, Decimal(0)])
        totals[0] += int(row["流失人数"])
        totals[1] += _money(row["流失金额"])
    expected = sorted(per_product.items(), key=lambda item: -item[1][1])
    records = traffic_loss_records(backend, scope)
    assert [(r["rival"], r["product"]) for r in records] == [key for key, _ in expected]
    for record, (_, (lost_visitors, lost_revenue)) in zip(records, expected, strict=True):
        assert record["lost_visitors"] == lost_visitors
        assert record["lost_revenue"] == pytest.approx(float(lost_revenue), abs=1e-9)


def test_a_breakdown_combines_bands_without_a_midpoint(store: Warehouse) -> None:
    load(store, "sycm_rival_products.csv")
    backend = uncached_source(store.engine)
    records = {(r["rival"], r["metric"]): r for r in report_records(backend, Scope("S"), None, by="product")}
    # 甲家's 支付金额: 10万 ~ 25万 on 11-02 and 750万 ~ 1000万 on 11-03 add up to 760万 ~ 1025万, no value.
    revenue = records[("甲家旗舰店", "revenue")]
    assert (revenue["low"], revenue["high"], revenue["value"]) == (7_600_000.0, 10_250_000.0, None)
    # Its 访客数: "1,000 ~ 2,500" then ">1000": at least 2,000, no upper end.
    visitors = records[("甲家旗舰店", "visitors")]
    assert (visitors["low"], visitors["high"], visitors["value"]) == (2000.0, None, None)
    # 乙品's 访客数: "< 1000" then "1,234": the low end open counts 0 (never negative): 1,234 ~ 2,234.
    rival_visitors = records[("乙品官方店", "visitors")]
    assert (rival_visitors["low"], rival_visitors["high"]) == (1234.0, 2234.0)
    # 交易指数 does not add up: the span it stayed in, 12,345 ~ 13,002 for 甲家.
    index = records[("甲家旗舰店", "trade_index")]
    assert (index["low"], index["high"], index["value"]) == (12_345.0, 13_002.0, None)
    # 乙品's 支付转化率 "< 10%" then "-": both ends open.
    rate = records[("乙品官方店", "conversion_rate")]
    assert (rate["low"], rate["high"], rate["value"]) == (None, None, None)


def test_the_cli_reports_competitors_and_traffic_loss(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    for name in ("sycm_rival_keywords.csv", "sycm_rival_loss.csv"):
        with redirect_stdout(io.StringIO()):
            assert cli.main(["ingest", str(FIXTURES / name), "--db", db, "--store", "S"]) == 0

    def report(*args: str) -> list[dict]:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["report", *args, "--db", db, "--store", "S"]) == 0
        return json.loads(out.getvalue())

    words = report("competitors", "--by", "keyword")
    assert list(words[0]) == ["rival", "product", "keyword", "keyword_rank", "metric", "low", "high", "value"] + [
        "date_from",
        "date_to",
    ]
    # 乙品's 儿童保温杯: 访客数 "-" (unknown), 交易指数 3021 exact.
    child = {r["metric"]: r for r in words if r["keyword"] == "儿童保温杯"}
    assert (child["trade_index"]["low"], child["trade_index"]["value"]) == (3021.0, 3021.0)
    assert child["visitors"]["value"] is None and child["visitors"]["high"] is None
    lost = report("traffic-loss")
    assert list(lost[0]) == ["rival", "product", "lost_visitors", "lost_revenue"]
    assert [r["lost_revenue"] for r in lost] == sorted((r["lost_revenue"] for r in lost), reverse=True)
    assert len(lost) == len({(r["店铺名称"], r["商品名称"]) for r in raw_rows("sycm_rival_loss.csv")})


def test_a_column_no_layout_names_does_not_stop_a_competitor_file(duck_store: Warehouse) -> None:
    text = "统计日期,店铺名称,商品名称,流失金额,流失人数,收藏后流失人数\n2026-11-02,甲家旗舰店,甲家 焖烧杯,880,12,3\n"
    [result] = ingest_file("loss.csv", text.encode(), duck_store, Options(store="S"))
    assert (result.status, result.report, result.rows_loaded) == ("loaded", "sycm_rival_loss", 2), result.error
