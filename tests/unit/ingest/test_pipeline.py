"""The whole pipeline on small hand-made exports: values, idempotency, hostile input."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from shopdata.ingest.pipeline import Options, ingest_file, plan_file
from shopdata.store import TABLES, Warehouse

GOOGLE_CAMPAIGNS = (
    "Campaign report\n"
    '"1 May 2026 - 8 May 2026"\n'
    "Campaign,Campaign type,Impr.,Clicks,Currency code,Cost,Conversions,Conv. value\n"
    'Brand,Search,"1,200",80,USD,40.50,4.00,400.00\n'
    "Generic,Search,900,30,USD,60.00,1.00, --\n"
    'Total: Account,--,"2,100",110,USD,100.50,5.00,400.00\n'
)


def ingest(store: Warehouse, name: str, data: bytes, **options) -> list:
    return ingest_file(name, data, store, Options(store="Shop", **options))


def fact_counts(store: Warehouse) -> dict[str, int]:
    return {kind: store.count_rows(kind) for kind in TABLES}


def test_google_ads_report_values_totals_and_preamble_period(duck_store: Warehouse) -> None:
    [result] = ingest(duck_store, "campaigns.csv", GOOGLE_CAMPAIGNS.encode())
    assert result.status == "loaded", result.error
    assert (result.kind, result.platform, result.rows_loaded, result.rows_skipped) == ("ads", "google_ads", 2, 1)
    assert (result.date_from, result.date_to) == (date(2026, 5, 1), date(2026, 5, 8))
    rows = duck_store.engine.execute(
        "SELECT campaign, impressions, clicks, spend, conversions, revenue, currency, grain, date, end_date "
        "FROM ads ORDER BY campaign"
    ).rows
    assert rows == [
        ("Brand", 1200.0, 80.0, 40.5, 4.0, 400.0, "USD", "campaign", date(2026, 5, 1), date(2026, 5, 8)),
        ("Generic", 900.0, 30.0, 60.0, 1.0, None, "USD", "campaign", date(2026, 5, 1), date(2026, 5, 8)),
    ]


def test_same_file_twice_is_loaded_once(duck_store: Warehouse) -> None:
    data = GOOGLE_CAMPAIGNS.encode()
    [first] = ingest(duck_store, "campaigns.csv", data)
    [second] = ingest(duck_store, "campaigns.csv", data)
    assert second.status == "loaded"
    assert (second.rows_loaded, second.rows_replaced) == (2, 2)
    assert any("already imported" in w and f"batch {first.batch_id}" in w for w in second.warnings)
    assert duck_store.engine.execute("SELECT sum(spend), count(*) FROM ads").fetchone() == (100.5, 2)


def daily_spend_csv(days: list[tuple[str, float]]) -> bytes:
    lines = ["Date,Campaign Name,Impressions,Clicks,Spend,Click-Thru Rate (CTR)"]
    lines += [f"{d},Camp,100,10,{s},10%" for d, s in days]
    return "\n".join(lines).encode()


def test_overlapping_daily_exports_do_not_double_count(duck_store: Warehouse) -> None:
    ingest(duck_store, "jan1-3.csv", daily_spend_csv([("2024-01-01", 1), ("2024-01-02", 2), ("2024-01-03", 3)]))
    [second] = ingest(duck_store, "jan3-4.csv", daily_spend_csv([("2024-01-03", 3), ("2024-01-04", 4)]))
    assert second.rows_replaced == 1
    assert duck_store.engine.execute("SELECT sum(spend), count(*) FROM ads").fetchone() == (10.0, 4)


def test_deleting_a_batch_removes_exactly_its_rows(duck_store: Warehouse) -> None:
    [a] = ingest(duck_store, "a.csv", daily_spend_csv([("2024-01-01", 1), ("2024-01-02", 2)]))
    [b] = ingest(duck_store, "b.csv", daily_spend_csv([("2024-01-05", 5)]))
    assert duck_store.delete_batch(a.batch_id) == 2
    assert duck_store.engine.execute("SELECT sum(spend), count(*) FROM ads").fetchone() == (5.0, 1)
    assert [x["batch_id"] for x in duck_store.batches()] == [b.batch_id]


def test_placeholders_are_missing_never_zero(duck_store: Warehouse) -> None:
    data = "Date,Campaign Name,Impressions,Clicks,Spend\n2024-01-01,A,7,--,—\n2024-01-02,B,5,1,2.5\n".encode()
    [result] = ingest(duck_store, "p.csv", data)
    assert result.status == "loaded", result.error
    assert duck_store.engine.execute("SELECT impressions, clicks, spend FROM ads ORDER BY date").rows == [
        (7.0, None, None),
        (5.0, 1.0, 2.5),
    ]


def test_ids_stay_text_exactly(duck_store: Warehouse) -> None:
    data = ("date,id,title,price,店名\n2024-01-01,00012345678901234567,A,9.9,S\n2024-01-01,'0042,B,1,S\n").encode()
    [result] = ingest(duck_store, "prices.csv", data)
    assert result.status == "loaded", result.error
    assert sorted(r[0] for r in duck_store.engine.execute("SELECT product_id FROM prices").rows) == [
        "00012345678901234567",
        "0042",
    ]


def test_mangled_ids_are_warned_about(duck_store: Warehouse) -> None:
    data = "user_id,item_id,behavior,timestamp\n2.81772E+18,1,pv,1511544070\n6.93896E+18,2,buy,1511544071\n"
    [result] = ingest(duck_store, "log.csv", data.encode())
    assert result.status == "loaded", result.error
    assert any("1.2E+17" in w for w in result.warnings)


def test_meta_account_summary_row_is_dropped(duck_store: Warehouse) -> None:
    data = (
        b'"Reporting starts","Reporting ends","Campaign name","Ad set name","Amount spent (SGD)","Impressions"\n'
        b'"2026-09-01","2026-09-30","","","3,084.40","50,000"\n'
        b'"2026-09-01","2026-09-30","C1","S1","1,000.40","20,000"\n'
        b'"2026-09-01","2026-09-30","C2","S2","2,084.00","30,000"\n'
    )
    [result] = ingest(duck_store, "meta.csv", data)
    assert result.status == "loaded", result.error
    assert result.rows_loaded == 2 and result.skipped_reasons == {"summary row (all names blank)": 1}
    assert duck_store.engine.execute("SELECT sum(spend), any_value(currency) FROM ads").fetchone() == (3084.4, "SGD")


def test_report_without_dates_needs_a_period(duck_store: Warehouse) -> None:
    data = b"Campaign,Impr.,Clicks,Cost\nA,10,1,2.00\n"
    [rejected] = ingest(duck_store, "all-time.csv", data)
    assert rejected.status == "rejected" and "period" in rejected.error
    assert fact_counts(duck_store)["ads"] == 0
    [loaded] = ingest(duck_store, "all-time.csv", data, period=(date(2024, 1, 1), date(2024, 1, 31)))
    assert loaded.status == "loaded"
    assert duck_store.engine.execute("SELECT date, end_date FROM ads").fetchone() == (
        date(2024, 1, 1),
        date(2024, 1, 31),
    )


def test_period_from_file_name(duck_store: Warehouse) -> None:
    data = b"Sku,Ajio MRP,Myntra MRP\nA1,100,120\nA2,-,90\n"
    [result] = ingest(duck_store, "May-2022.csv", data)
    assert result.status == "loaded", result.error
    rows = duck_store.engine.execute(
        "SELECT product_id, shop, price, date, end_date FROM prices WHERE price IS NOT NULL ORDER BY 1, 2"
    ).rows
    assert rows == [
        ("A1", "Ajio", 100.0, date(2022, 5, 1), date(2022, 5, 31)),
        ("A1", "Myntra", 120.0, date(2022, 5, 1), date(2022, 5, 31)),
        ("A2", "Myntra", 90.0, date(2022, 5, 1), date(2022, 5, 31)),
    ]


def test_sycm_subtotal_rows_keep_their_level(duck_store: Warehouse) -> None:
    data = (
        "统计日期,一级来源,二级来源,访客数,支付金额\n"
        "2024-01-01,付费推广,汇总,30,300.00\n2024-01-01,付费推广,万相台,20,200.00\n"
        "2024-01-01,付费推广,淘宝客,10,100.00\n"
    ).encode()
    [result] = ingest(duck_store, "sources.csv", data)
    assert result.status == "loaded", result.error
    rows = duck_store.engine.execute(
        "SELECT source_level, sum(visitors), sum(revenue) FROM traffic GROUP BY 1 ORDER BY 1"
    ).rows
    assert rows == [(1, 30.0, 300.0), (2, 30.0, 300.0)]
    assert duck_store.engine.execute("SELECT currency FROM traffic LIMIT 1").scalar() == "CNY"


def test_zip_with_one_csv(duck_store: Warehouse) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "计划报表_20240102_101010.csv",
            "日期,计划ID,计划名字,花费,展现量,点击量,总成交金额\n2024-01-01,123456789012345,P1,10.5,1000,20,50\n",
        )
    [result] = ingest(duck_store, "export.zip", buffer.getvalue())
    assert result.status == "loaded", result.error
    assert (result.platform, result.rows_loaded) == ("tmall", 1)
    assert duck_store.engine.execute("SELECT campaign_id, spend, revenue FROM ads").fetchone() == (
        "123456789012345",
        10.5,
        50.0,
    )


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_numeric_ids_and_dates(duck_store: Warehouse) -> None:
    data = xlsx_bytes(
        [
            ["ad_id", "xyz_campaign_id", "Impressions", "Clicks", "Spent", "Reporting starts"],
            [708746, 916, 7350, 1, 1.43, date(2024, 3, 1)],
        ]
    )
    [result] = ingest(duck_store, "kag.xlsx", data)
    assert result.status == "loaded", result.error
    assert duck_store.engine.execute("SELECT ad_id, campaign_id, spend, date FROM ads").fetchone() == (
        "708746",
        "916",
        1.43,
        date(2024, 3, 1),
    )


HOSTILE = [
    ("empty file", "empty.csv", b"", "empty"),
    ("binary garbage named csv", "garbage.csv", bytes(range(256)) * 40, "not a text table"),
    ("truncated xlsx", "cut.xlsx", None, "damaged"),
    ("header nobody knows", "odd.csv", b"colour,size\nred,10\n", "no header row"),
]


@pytest.mark.parametrize("case, name, data, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_get_a_clear_error_and_change_nothing(duck_store: Warehouse, case, name, data, message) -> None:
    if data is None:
        whole = xlsx_bytes([["Date", "Spend"]] + [[date(2024, 1, 1), n] for n in range(500)])
        data = whole[: len(whole) // 2]
    ingest(duck_store, "campaigns.csv", GOOGLE_CAMPAIGNS.encode())
    before, batches = fact_counts(duck_store), duck_store.batches()
    [result] = ingest(duck_store, name, data)
    assert result.status == "rejected"
    assert message in result.error
    assert fact_counts(duck_store) == before and duck_store.batches() == batches


def test_duplicate_headers_differing_in_case(duck_store: Warehouse) -> None:
    data = b"Date,Campaign Name,Spend,Clicks,Amount,amount\n2024-01-01,A,5,1,7,8\n"
    [result] = ingest(duck_store, "dup.csv", data)
    assert result.status == "loaded", result.error
    assert duck_store.engine.execute("SELECT spend FROM ads").scalar() == 5.0


def test_sql_in_a_header_never_reaches_sql(duck_store: Warehouse) -> None:
    data = b'Date,Campaign Name,Spend,Clicks,"x"" DOUBLE); DROP TABLE ads; --"\n2024-01-01,A,5,1,1\n'
    [result] = ingest(duck_store, "evil.csv", data)
    assert result.status == "loaded", result.error
    assert duck_store.engine.table_exists("ads")
    assert duck_store.engine.execute("SELECT count(*), sum(spend) FROM ads").fetchone() == (1, 5.0)


def test_plan_reports_recognition_without_touching_the_database(duck_store: Warehouse) -> None:
    [plan] = plan_file("campaigns.csv", GOOGLE_CAMPAIGNS.encode(), Options(store="Shop"))
    assert (plan.recognition.layout.name, plan.header_row, plan.period_source) == ("google_ads", 2, "title lines")
    assert fact_counts(duck_store) == {kind: 0 for kind in TABLES}
