"""The `make bench` machinery on a small file: record shape and generated data, never timings."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from bench.data import HEADERS, report_file
from bench.reports import (
    REPORTS,
    baseline,
    cli_scope,
    comparable,
    ours,
    record_differences,
    scope_json,
    sql_scope,
)
from bench.run import Config, format_table, run, save, size_label
from bench.warehouse import STORE, Shape, warehouse

ROWS = 2_000
pytestmark = pytest.mark.slow  # a dozen subprocesses, each importing DuckDB


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> tuple[list[dict], object]:
    cache = tmp_path_factory.mktemp("bench-cache")
    config = Config(csv_rows=ROWS, xlsx_rows=ROWS, repeats=1, cache_dir=cache, only=("ingest",))
    return run(config, log=lambda message: None), cache


def test_generated_csv_has_the_asked_rows_in_amazon_layout(records):
    _, cache = records
    path = report_file("csv", ROWS, cache_dir=cache)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADERS
    assert rows[0][13] == "7 Day Total Sales "  # Amazon's trailing space, kept
    assert len(rows) - 1 == ROWS
    assert all(len(row) == len(HEADERS) for row in rows)
    first = rows[1]
    assert first[0] == "Feb 1, 2020"
    assert first[12].startswith("Rs.") and first[10].endswith("%")


def test_generated_xlsx_has_the_asked_rows(records):
    _, cache = records
    path = report_file("xlsx", ROWS, cache_dir=cache)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert tuple(rows[0]) == HEADERS
    assert len(rows) - 1 == ROWS


def test_cached_file_is_reused_not_rewritten(records):
    _, cache = records
    path = report_file("csv", ROWS, cache_dir=cache)
    before = path.stat().st_mtime_ns
    assert report_file("csv", ROWS, cache_dir=cache) == path
    assert path.stat().st_mtime_ns == before


def test_records_have_the_latest_json_shape(records, tmp_path):
    found, _ = records
    label = size_label(ROWS)
    assert label == "2k"
    assert [r["name"] for r in found] == [
        f"ingest_csv_{label}",
        f"ingest_xlsx_{label}",
        f"peak_memory_csv_{label}",
        f"peak_memory_xlsx_{label}",
    ]
    for record in found:
        assert {"name", "ours_s", "baseline_s", "ratio", "target"} <= set(record)
        for key in ("ours_s", "baseline_s", "ratio", "target"):
            assert isinstance(record[key], (int, float)) and record[key] > 0, (record["name"], key)
        assert record["ratio"] == pytest.approx(record["ours_s"] / record["baseline_s"], rel=0.01)
        assert record["rows"] == ROWS
    csv_memory, xlsx_memory = found[2:]
    for record in (csv_memory, xlsx_memory):
        assert record["unit"] == "MB" and record["peak_mb"] == record["ours_s"]
    # The CSV's peak against the file's size; the xlsx's against calamine's own peak reading the same file.
    assert csv_memory["baseline_s"] == csv_memory["file_mb"]
    assert xlsx_memory["baseline_s"] == xlsx_memory["baseline_peak_mb"] != xlsx_memory["file_mb"]
    for record in found[:2]:
        assert record["cpu_ratio"] == pytest.approx(record["ours_cpu_s"] / record["baseline_cpu_s"], rel=0.01)

    saved = json.loads(save(found, tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert saved == found


def test_table_names_every_figure_and_its_verdict(records):
    found, _ = records
    table = format_table(found)
    for record in found:
        line = next(line for line in table.splitlines() if line.startswith(record["name"]))
        assert line.rstrip().endswith("OK" if record["ok"] else "over")


# ---------------------------------------------------------------- the report figures, on a tiny warehouse

TINY = Shape(events=20_000, ads=2_000, order_lines=20_000)


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory):
    return warehouse(TINY, cache_dir=tmp_path_factory.mktemp("warehouse-cache"))


def _count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_warehouse_spreads_the_same_rows_over_the_asked_days(tmp_path):
    year = Shape(events=2_000, ads=5_000, order_lines=2_000, days=360)  # 6 campaigns × 360 days of campaign rows
    con = duckdb.connect(str(warehouse(year, cache_dir=tmp_path)), read_only=True)
    assert _count(con, "SELECT count(*) FROM events") == 2_000 and _count(con, "SELECT count(*) FROM orders") == 2_000
    for table, day in (("traffic", "date"), ("ads", "date"), ("prices", "date"), ("orders", "order_date")):
        assert con.execute(f"SELECT min({day}), max({day}) FROM {table}").fetchone() == (
            date(2024, 1, 1),
            date(2024, 12, 25),  # 2024 is a leap year: day 359 after January 1st
        ), table
    assert _count(con, "SELECT count(*) FROM batches WHERE kind = 'events'") == 36


def test_warehouse_has_the_asked_rows_in_the_canonical_tables(tiny_warehouse):
    from shopdata.store import TABLES

    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    assert _count(con, "SELECT count(*) FROM events") == TINY.events
    assert _count(con, "SELECT count(*) FROM ads") == TINY.ads
    assert 10_000 < _count(con, "SELECT count(*) FROM traffic") < 100_000
    assert 40_000 < _count(con, "SELECT count(*) FROM prices") < 60_000
    assert _count(con, "SELECT count(*) FROM orders") == TINY.order_lines
    for name in ("events", "ads", "traffic", "prices", "orders"):
        columns = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
        assert columns == TABLES[name].column_names
        assert _count(con, f"SELECT count(DISTINCT nk) FROM {name}") == _count(con, f"SELECT count(*) FROM {name}")
        assert _count(con, f"SELECT count(*) FROM {name} WHERE store <> '{STORE}' OR platform IS NULL") == 0
    # every row's batch has its record, and the record counts exactly its rows
    mismatched = _count(
        con,
        """
        SELECT count(*) FROM batches b FULL JOIN (
            SELECT batch_id, count(*) AS n FROM (SELECT batch_id FROM events UNION ALL SELECT batch_id FROM ads
                UNION ALL SELECT batch_id FROM traffic UNION ALL SELECT batch_id FROM prices
                UNION ALL SELECT batch_id FROM orders) GROUP BY batch_id) r
          ON r.batch_id = b.batch_id
        WHERE b.rows_loaded IS DISTINCT FROM r.n""",
    )
    assert mismatched == 0


def test_warehouse_exercises_the_rules_the_reports_apply(tiny_warehouse):
    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    mix = dict(con.execute("SELECT behavior, count(*) FROM events GROUP BY behavior").fetchall())
    assert mix["view"] > mix["cart"] > mix["fav"] > mix["purchase"] > 0
    assert 0.85 < mix["view"] / TINY.events < 0.93
    # campaign-grain rows and finer rows of the same campaign and day (kept apart by the grain priority),
    # and campaign-days with only the finer rows
    both, finer_only = con.execute("""
        WITH labelled AS (
            SELECT a.platform, a.date, a.grain, coalesce(a.campaign, n.campaign) AS campaign
            FROM ads a LEFT JOIN (SELECT DISTINCT platform, campaign_id, campaign FROM ads
                                  WHERE grain = 'campaign' AND campaign_id IS NOT NULL) n
              ON n.platform = a.platform AND n.campaign_id = a.campaign_id)
        SELECT count(*) FILTER (WHERE has_campaign AND has_finer), count(*) FILTER (WHERE NOT has_campaign)
        FROM (SELECT platform, date, campaign, bool_or(grain = 'campaign') AS has_campaign,
                     bool_or(grain <> 'campaign') AS has_finer
              FROM labelled GROUP BY platform, date, campaign)""").fetchone()
    assert both > 0 and finer_only > 0
    assert _count(con, "SELECT count(*) FROM ads WHERE currency IS NULL") > 0
    assert {r[0] for r in con.execute("SELECT DISTINCT platform FROM ads").fetchall()} == {
        "tmall",
        "amazon",
        "google_ads",
    }
    # 汇总 rows at level 1 over their level-2 children, on the same day and device
    assert (
        _count(
            con,
            """
        SELECT count(*) FROM traffic p JOIN traffic c
          ON c.source_level = 2 AND p.source_level = 1 AND c.source_1 = p.source_1 AND c.date = p.date
         AND c.device = p.device""",
        )
        > 0
    )
    assert {r[0] for r in con.execute("SELECT DISTINCT grain FROM traffic").fetchall()} == {"source", "shop", "product"}
    # orders: several lines per order for some, unpaid, fully and partly refunded orders, repeat buyers, lines
    # that leave the buyer and province to the order's first line
    orders = con.execute("""
        SELECT count(*) FILTER (WHERE lines > 1), count(*) FILTER (WHERE NOT paid),
               count(*) FILTER (WHERE paid AND paid_amount = 0 AND refund > 0),
               count(*) FILTER (WHERE paid AND paid_amount > 0 AND refund > 0), count(*)
        FROM (SELECT order_id, count(*) AS lines, bool_or(paid_time IS NOT NULL) AS paid,
                     sum(paid_amount) AS paid_amount, sum(refund_amount) AS refund
              FROM orders GROUP BY order_id)""").fetchone()
    multi, unpaid, refunded, partly, placed = orders
    assert 0.15 < multi / placed < 0.4 and 0.05 < unpaid / placed < 0.12
    assert refunded > 0 and partly > 0
    repeat = "SELECT count(*) FROM (SELECT buyer_id FROM orders GROUP BY buyer_id HAVING count(DISTINCT order_id) > 1)"
    assert _count(con, repeat) > 0
    assert _count(con, "SELECT count(*) FROM orders WHERE buyer_id IS NULL AND line_no <> '1'") > 0
    assert _count(con, "SELECT count(*) FROM orders WHERE buyer_id IS NULL AND line_no = '1'") == 0
    # products sold with and without product-grain traffic rows, and traffic products that did not sell
    sold = {r[0] for r in con.execute("SELECT DISTINCT product_id FROM orders").fetchall()}
    seen = {r[0] for r in con.execute("SELECT DISTINCT product_id FROM traffic WHERE grain = 'product'").fetchall()}
    assert sold & seen and sold - seen and seen - sold


def test_warehouse_is_deterministic_and_reused(tiny_warehouse, tmp_path):
    again = warehouse(TINY, cache_dir=tmp_path)
    assert again != tiny_warehouse
    fingerprint = "SELECT count(*), bit_xor(hash(t)) FROM {} t"
    first, second = duckdb.connect(str(tiny_warehouse), read_only=True), duckdb.connect(str(again), read_only=True)
    for name in ("events", "ads", "traffic", "prices", "orders", "batches", "stores"):
        assert first.execute(fingerprint.format(name)).fetchone() == second.execute(fingerprint.format(name)).fetchone()
    before = again.stat().st_mtime_ns
    assert warehouse(TINY, cache_dir=tmp_path) == again and again.stat().st_mtime_ns == before


@pytest.fixture
def tiny_store(tiny_warehouse, tmp_path):
    """The CLI's view of a copy of the tiny warehouse: its Store, Ibis backend and default scope."""
    from shopdata.engine import connect
    from shopdata.store import Warehouse

    path = tmp_path / "shop.duckdb"
    shutil.copyfile(tiny_warehouse, path)
    store = Warehouse(connect(str(path)))
    yield store
    store.engine.close()


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_of_ours_equals_the_hand_written_sql(tiny_store, name):
    backend = tiny_store.engine.ibis()
    scope, compare_scope = cli_scope(backend, STORE)
    sql = sql_scope(tiny_store.engine.con, STORE)
    assert scope_json(scope, compare_scope) == sql
    assert sql["currency"] == "CNY" and sql["start"] == "2024-01-01" and sql["end"] == "2024-03-30"
    found = ours(name, backend, scope, compare_scope)
    expected = baseline(name, tiny_store.engine.con, sql)
    assert len(expected) > 0
    assert record_differences(comparable(name, found), comparable(name, expected)) == []


def test_the_alerts_baseline_covers_every_kpi_and_dimension(tiny_store):
    backend = tiny_store.engine.ibis()
    scope, compare_scope = cli_scope(backend, STORE)
    found = ours("alerts", backend, scope, compare_scope)
    covered = comparable("alerts", found)
    # Every record is compared: the traffic KPIs at store level and per source, product (from 50 of its products)
    # and platform, the ad KPIs per campaign and platform, the order-export KPIs at store level.
    assert len(covered) == len(found)
    assert {r["dimension"] for r in covered} >= {"store", "source", "product", "campaign"}
    assert {"revenue", "conversion_rate", "spend", "ctr", "order_revenue", "order_refund"} <= {
        r["metric"] for r in covered
    }
    # At most the 50 largest products are judged; most have an alert on some day of the tiny store's year.
    assert 40 <= len({r["segment"] for r in covered if r["dimension"] == "product"}) <= 50
    expected = comparable("alerts", baseline("alerts", tiny_store.engine.con, sql_scope(tiny_store.engine.con, STORE)))
    assert record_differences(covered, expected) == []
    wrong = [dict(r) for r in expected]
    wrong[0]["expected"] = wrong[0]["expected"] * (1 + 1e-6)
    assert "expected" in " ".join(record_differences(wrong, expected))


def test_the_comparison_sees_a_wrong_number_a_missing_record_and_a_wrong_order(tiny_store):
    expected = baseline("promotion", tiny_store.engine.con, sql_scope(tiny_store.engine.con, STORE))
    assert len(expected) >= 2
    wrong = [dict(r) for r in expected]
    wrong[1]["spend"] = wrong[1]["spend"] * (1 + 1e-6)
    assert "spend" in " ".join(record_differences(wrong, expected))
    assert record_differences(expected[:-1], expected)
    assert record_differences([expected[1], expected[0], *expected[2:]], expected)


def test_report_and_page_figures_have_the_latest_json_shape(tiny_warehouse, tmp_path):
    config = Config(
        repeats=1,
        cache_dir=tiny_warehouse.parent,
        only=("reports",),
        events=TINY.events,
        ad_rows=TINY.ads,
        order_lines=TINY.order_lines,
        reports=("promotion",),
        pages=("promotion",),
    )
    found = run(config, log=lambda message: None)
    assert [r["name"] for r in found] == ["report_promotion", "page_promotion", "page_promotion_cold"]
    report, page, cold = found
    assert cold["ours_s"] > 0 and len(cold["ours_runs_s"]) == 1 and cold["presets"] == ["last_7"]
    for key in ("ours_s", "baseline_s", "ratio", "target"):
        assert isinstance(report[key], (int, float)) and report[key] > 0, key
    assert report["ratio"] == pytest.approx(report["ours_s"] / report["baseline_s"], rel=0.01)
    assert report["records"] > 0 and report["scope"]["currency"] == "CNY"
    # The scope carries the platforms' currencies (looked up once, as cmd_report does): the report asks none.
    assert report["breakdown"]["queries"] >= 1 and report["breakdown"]["platform_currencies_calls"] == 0
    assert page["ours_s"] > 0 and page["baseline_s"] is None and page["ratio"] is None
    assert page["elements"].get("dataframe", 0) >= 1  # the page drew its tables, not an empty state
    table = format_table(found)
    assert (
        next(line for line in table.splitlines() if line.startswith("report_promotion"))
        .rstrip()
        .endswith("OK" if report["ok"] else "over")
    )
    assert report["cpu_ratio"] == pytest.approx(report["ours_cpu_s"] / report["baseline_cpu_s"], rel=0.01)
    assert next(line for line in table.splitlines() if line.startswith("page_promotion")).split()[1:] == [
        f"{page['ours_s']:.2f}",
        "s",
        "-",
        "-",
        "-",
        "<=",
        "0.1",
        "s",
        "OK" if page["ours_s"] <= 0.1 else "over",
    ]

    earlier = tmp_path / "latest.json"
    save([{"name": "ingest_csv_2k", "ours_s": 1.0, "baseline_s": 1.0, "ratio": 1.0, "target": 2.0}], earlier)
    saved = json.loads(save(found, earlier, keep_others=True).read_text(encoding="utf-8"))
    assert [r["name"] for r in saved] == ["ingest_csv_2k", "report_promotion", "page_promotion", "page_promotion_cold"]


def test_demo_page_figures_have_the_latest_json_shape():
    found = run(Config(repeats=1, only=("pages",), pages=("funnel",)), log=lambda message: None)
    assert [r["name"] for r in found] == ["page_funnel_demo_warm", "page_funnel_demo_cold"]
    warm, cold = found
    assert (warm["target"], cold["target"]) == (0.1, 0.4)
    for record in found:
        assert record["ours_s"] > 0 and record["baseline_s"] is None and record["group"] == "pages"
        assert record["ok"] == (record["ours_s"] <= record["target"])
    assert warm["ours_s"] == min(warm["ours_runs_s"]) and cold["ours_s"] == max(cold["ours_runs_s"])
    assert cold["presets"] == ["last_7"]
    line = next(line for line in format_table(found).splitlines() if line.startswith("page_funnel_demo_cold"))
    assert line.split()[-1] == ("OK" if cold["ok"] else "over") and "<= 0.4 s" in line


def test_digest_figures_have_the_latest_json_shape():
    found = run(Config(repeats=1, only=("digest",)), log=lambda message: None)
    assert [r["name"] for r in found] == [
        f"digest_{fmt}_demo_{kind}" for fmt in ("md", "html", "png") for kind in ("cold", "warm")
    ]
    for record in found:
        assert record["group"] == "digest" and record["baseline_s"] is None and record["target"] is None
        assert record["ours_s"] == pytest.approx(record["build_s"] + record["render_s"], abs=2e-4)
        assert record["ours_s"] == min(record["ours_runs_s"]) and record["output_size"] > 0
    md_line = next(line for line in format_table(found).splitlines() if line.startswith("digest_md_demo_cold"))
    assert md_line.split()[1:3] == [f"{found[0]['ours_s']:.2f}", "s"]
