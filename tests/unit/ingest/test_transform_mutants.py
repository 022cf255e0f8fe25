"""What ingest/transform.py makes of a recognised table, checked through the pipeline's public path (plan_file,
prepare_plan) on small hand-made exports: the behaviours a mutation run (make mutation MODULES=transform) found
unchecked. Each expected value is read off the file's text by hand, never from the code's output."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pytest

from shopdata.errors import ValidateError
from shopdata.ingest.pipeline import Options, ingest_file, plan_file, prepare_plan
from shopdata.ingest.transform import SPACE_SEPARATORS, TOTALS_REASON, DateOrderError, Prepared
from shopdata.store import Warehouse

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def prepared(name: str, content: str | bytes, **options: object) -> tuple[str, Prepared, list[dict]]:
    """The layout a file is read as, its prepared result and its rows (the canonical columns, by name).

    content: a CSV's text, or a file's bytes (a spreadsheet)."""
    chosen = Options(store="Shop", **options)  # type: ignore[arg-type]
    data = content.encode("utf-8") if isinstance(content, str) else content
    [plan] = plan_file(name, data, chosen)
    result = prepare_plan(plan, chosen)
    rows = result.rows.to_pylist() if hasattr(result.rows, "to_pylist") else result.rows.to_arrow().to_pylist()
    return plan.recognition.layout.name, result, rows


AMAZON_SP = "Date,Campaign Name,Impressions,Clicks,Spend,{window}\n2026-11-01,Tea,100,10,5.00,{value}\n"


@pytest.mark.parametrize(
    ("window", "attribution"),
    [
        ("7 Day Total Sales", "7d"),
        ("30 Day Total Orders (#)", "30d"),  # only the orders column says the window
        ("14 Day Total Units (#)", "14d"),  # only the units column says it
        ("7 天总销售额", "7d"),
        ("Vendite totali 7 giorni", "7d"),
        ("Totale ordini 30 giorni", "30d"),
    ],
)
def test_an_amazon_ads_reports_attribution_window_is_read_from_its_column_names(window: str, attribution: str) -> None:
    layout, _, rows = prepared("sp.csv", AMAZON_SP.format(window=window, value="2"))
    assert layout == "amazon_sp"
    assert [row["attribution"] for row in rows] == [attribution]


def test_the_sales_window_decides_before_the_orders_window() -> None:
    text = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales,14 Day Total Orders (#)\n2026-11-01,Tea,1,1,1,2,3\n"
    assert [row["attribution"] for row in prepared("sp.csv", text)[2]] == ["7d"]


@pytest.mark.parametrize(
    ("spend", "sales", "currency"),
    [
        ("Spend (₹)", "5.00", "INR"),  # a unit in the header
        ("Spend", "Rs. 5.00", "INR"),  # a mark before the value
        ("Spend", "£5.00", "GBP"),
    ],
)
def test_an_ads_reports_currency_is_read_from_its_money_columns(spend: str, sales: str, currency: str) -> None:
    text = f"Date,Campaign Name,Impressions,Clicks,{spend},7 Day Total Sales\n2026-11-01,Tea,100,10,{sales},20.00\n"
    layout, _, rows = prepared("sp.csv", text)
    assert layout == "amazon_sp"
    assert [(row["currency"], row["spend"]) for row in rows] == [(currency, 5.0)]


def test_a_mark_on_a_later_money_column_still_names_the_currency() -> None:
    text = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n2026-11-01,Tea,100,10,5.00,£20.00\n"
    assert [(row["currency"], row["revenue"]) for row in prepared("sp.csv", text)[2]] == [("GBP", 20.0)]


def test_a_dollar_says_no_currency_and_the_users_choice_is_taken() -> None:
    text = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n2026-11-01,Tea,100,10,$5.00,$20.00\n"
    assert [row.get("currency") for row in prepared("sp.csv", text)[2]] == [None]  # no currency column at all
    assert [row["currency"] for row in prepared("sp.csv", text, currency="CAD")[2]] == ["CAD"]


def test_a_price_list_with_a_column_per_marketplace_gives_a_row_per_marketplace() -> None:
    text = "SKU,Style ID,Ajio  MRP,Amazon MRP,Flipkart MRP,Myntra MRP\nA1,S1,100,110,₹120,130\nA2,S2,200,,220,230\n"
    layout, result, rows = prepared("mrp.csv", text, period=NOVEMBER)
    assert layout == "marketplace_price_list"
    got = sorted((row["product_id"], row["shop"], row["price"], row["currency"]) for row in rows)
    assert got == sorted(
        [
            ("A1", "Ajio", 100.0, "INR"),  # the marketplace as the file writes it, its spaces collapsed
            ("A1", "Amazon", 110.0, "INR"),
            ("A1", "Flipkart", 120.0, "INR"),
            ("A1", "Myntra", 130.0, "INR"),
            ("A2", "Ajio", 200.0, "INR"),
            ("A2", "Amazon", None, "INR"),
            ("A2", "Flipkart", 220.0, "INR"),
            ("A2", "Myntra", 230.0, "INR"),
        ]
    )
    assert {(row["date"], row["end_date"]) for row in rows} == {NOVEMBER}


def test_a_logs_behaviour_codes_and_words_become_funnel_actions() -> None:
    tianchi = (
        "user_id,item_id,behavior_type,user_geohash,item_category,time\n"
        "1,10,1,,5,2014-11-18 10\n2,11,2,,5,2014-11-18 11\n3,12,3,,5,2014-11-18 12\n4,13,4,,5,2014-11-18 13\n"
        "5,14,9,,5,2014-11-18 14\n"  # 9 is no code of the layout
    )
    layout, result, rows = prepared("tianchi.csv", tianchi)
    assert layout == "tianchi_mobile"
    assert [(row["user_id"], row["behavior"]) for row in rows] == [
        ("1", "view"),
        ("2", "fav"),
        ("3", "cart"),
        ("4", "purchase"),
    ]
    assert result.skipped_reasons == {"behaviour is not a funnel action": 1}

    words = (
        "user_id,event_time,event,item_id\nu1,2026-11-01 10:00:00,PV,i1\nu2,2026-11-01 11:00:00,Add To Cart,i1\n"
        "u3,2026-11-01 12:00:00,收藏,i1\nu4,2026-11-01 13:00:00,scroll,i1\n"
    )
    _, result, rows = prepared("events.csv", words)
    assert [(row["user_id"], row["behavior"]) for row in rows] == [("u1", "view"), ("u2", "cart"), ("u3", "fav")]
    assert result.skipped_reasons == {"behaviour is not a funnel action": 1}


def test_a_code_the_layout_marks_as_no_funnel_action_is_skipped() -> None:
    # Google Analytics' ecommerceaction_type: 2 is a product view, 0 is "no e-commerce action" (mapped to nothing).
    text = (
        "fullVisitorId,visitId,date,ecommerceAction_type,channelGrouping,productSKU\n"
        "111,1604217600,20201101,2,Organic Search,SKU1\n222,1604221200,20201101,0,Direct,SKU2\n"
    )
    layout, result, rows = prepared("ga.csv", text)
    assert layout == "ga_sessions"
    assert [(row["user_id"], row["behavior"]) for row in rows] == [("111", "view")]
    assert result.skipped_reasons == {"behaviour is not a funnel action": 1}


def test_a_headerless_taobao_logs_epoch_seconds_are_read_in_chinas_business_day() -> None:
    # 1511544070 s is 2017-11-24 17:21:10 UTC; 淘宝's day is UTC+8, so the event is on the 25th at 01:21:10.
    utc = datetime(1970, 1, 1) + timedelta(seconds=1511544070)
    layout, _, rows = prepared("UserBehavior.csv", "1,2,3,pv,1511544070\n")
    assert layout == "taobao_userbehavior"
    assert [(row["event_time"], row["event_date"]) for row in rows] == [(utc + timedelta(hours=8), date(2017, 11, 25))]


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_same_taobao_log_saved_from_excel_keeps_chinas_business_day() -> None:
    # Saved as xlsx the epoch cells are numbers, read by another route than the text above; the day must not move.
    # 1511544070 s is 17:21:10 UTC on the 24th, 01:21:10 on the 25th in 淘宝's UTC+8; 1511630000123 ms is 17:13:20.123
    # UTC on the 25th, the 26th in China.
    unix = datetime(1970, 1, 1)
    data = xlsx([[1, 2, 3, "pv", 1511544070], [4, 5, 6, "buy", 1511630000123]])
    layout, _, rows = prepared("UserBehavior.xlsx", data)
    assert layout == "taobao_userbehavior"
    assert [(row["event_time"], row["event_date"]) for row in rows] == [
        (unix + timedelta(seconds=1511544070, hours=8), date(2017, 11, 25)),
        (unix + timedelta(milliseconds=1511630000123, hours=8), date(2017, 11, 26)),
    ]


def test_numbers_in_a_spreadsheets_time_column_are_excel_days_or_unix_seconds_or_milliseconds() -> None:
    excel_epoch = datetime(1899, 12, 30)
    evening = excel_epoch + timedelta(days=45962.75)  # an Excel serial day number and time of day
    seconds = datetime(2025, 11, 2, 8, 30)
    millis = datetime(2025, 11, 3, 9, 15, 30)
    unix = datetime(1970, 1, 1)
    data = xlsx(
        [
            ["user_id", "event_time", "event", "item_id"],
            ["u1", 45962.75, "pv", "i1"],
            ["u2", (seconds - unix).total_seconds(), "pv", "i1"],
            ["u3", (millis - unix).total_seconds() * 1000, "pv", "i1"],
        ]
    )
    rows = prepared("events.xlsx", data)[2]
    assert [(row["user_id"], row["event_time"]) for row in rows] == [
        ("u1", evening),
        ("u2", seconds),
        ("u3", millis),
    ]
    assert evening == datetime(2025, 11, 1, 18, 0)


def test_a_date_column_that_cannot_be_read_is_named_as_the_file_writes_it() -> None:
    with pytest.raises(ValidateError) as refused:
        prepared("orders.csv", "Order Date,Order ID,Amount\nfoo,1,5\nbar,2,6\n")
    assert "'Order Date'" in str(refused.value)
    assert "'foo', 'bar'" in str(refused.value)


def test_a_meta_breakdown_by_age_and_gender_is_one_audience_per_row() -> None:
    text = (
        "Reporting starts,Reporting ends,Campaign name,Ad set name,Age,Gender,Amount spent (USD),Impressions,Reach\n"
        "2026-11-01,2026-11-07,C1,S1,25-34,female,10.5,1000,800\n"
        "2026-11-01,2026-11-07,C1,S1,35-44,male,4,300,200\n"
    )
    layout, result, rows = prepared("meta.csv", text)
    assert layout == "meta_ads"
    got = [(r["date"], r["end_date"], r["grain"], r["audience"], r["spend"], r["currency"]) for r in rows]
    week = (date(2026, 11, 1), date(2026, 11, 7))  # the report's own period, from its Reporting starts / ends
    assert got == [
        (*week, "ad_group", "age=25-34; gender=female", 10.5, "USD"),
        (*week, "ad_group", "age=35-44; gender=male", 4.0, "USD"),
    ]
    assert "age" not in rows[0] and "gender" not in rows[0]  # folded into the audience
    assert len({r["nk"] for r in rows}) == 2  # two audiences of one ad set are two rows, not one replaced


def test_a_campaign_total_without_ad_sets_is_a_campaign_row() -> None:
    text = "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions,Reach\n2026-11-01,2026-11-07,C1,10.5,1000,800\n"
    rows = prepared("meta.csv", text)[2]
    assert [(r["grain"], r["campaign"], r.get("audience")) for r in rows] == [("campaign", "C1", None)]


def test_unreadable_numbers_are_stored_as_empty_and_counted_per_column() -> None:
    text = (
        "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n"
        "2026-11-01,A,abc,10,n/a,1\n"  # n/a is a placeholder: missing, not unreadable
        "2026-11-02,B,<5,10,oops,2\n"  # <5 is a censored count: missing, not unreadable
        "2026-11-03,C,100,12,oops,3\n"
    )
    _, result, rows = prepared("sp.csv", text)
    assert [(r["campaign"], r["impressions"], r["clicks"], r["spend"]) for r in rows] == [
        ("A", None, 10.0, None),
        ("B", None, 10.0, None),
        ("C", 100.0, 12.0, None),
    ]
    assert [str(w) for w in result.warnings] == [
        "1 value(s) in 'Impressions' could not be read as numbers (e.g. 'abc') and were stored as empty",
        "2 value(s) in 'Spend' could not be read as numbers (e.g. 'oops') and were stored as empty",
    ]


def test_rows_that_are_no_data_are_skipped_each_under_its_reason_and_left_out_of_the_dates() -> None:
    text = (
        "Date,Campaign Name,Ad Group Name,Impressions,Clicks,Spend\n"
        "2026-10-15,,,100,10,5\n"  # no campaign nor ad group: a summary row
        "2026-11-20,All,,100,10,5\n"  # a campaign called All: the file's subtotal
        "2026-10-01,C,G,,,\n"  # no figures at all
        ",C,G,1,1,1\n"  # no date
        "2026-11-05,C,G,1,1,1\n"
        "2026-11-02,D,G,2,2,2\n"
    )
    layout, result, rows = prepared("sp.csv", text)
    assert layout == "amazon_sp"
    assert [(r["date"], r["campaign"], r["spend"]) for r in rows] == [
        (date(2026, 11, 5), "C", 1.0),
        (date(2026, 11, 2), "D", 2.0),
    ]
    assert result.skipped_reasons == {
        "summary row (all names blank)": 1,
        "subtotal row": 1,
        "no figures": 1,
        "no readable date": 1,
    }
    assert result.rows_skipped == 4
    assert (result.date_from, result.date_to) == (date(2026, 11, 2), date(2026, 11, 5))


def test_an_event_without_a_user_or_a_time_is_skipped_under_the_first_reason_that_holds() -> None:
    text = (
        "user_id,event_time,event,item_id\n"
        ",2026-11-01 10:00:00,pv,i1\n"
        ",,pv,i1\n"  # neither: the first rule, no user ID, names it
        "u2,,pv,i1\n"
        "u3,2026-11-03 11:00:00,pv,i2\n"
    )
    _, result, rows = prepared("events.csv", text)
    assert [r["user_id"] for r in rows] == ["u3"]
    assert result.skipped_reasons == {"no user ID": 2, "no readable time": 1}
    assert (result.date_from, result.date_to) == (date(2026, 11, 3), date(2026, 11, 3))


def test_a_price_row_without_a_shop_is_the_layouts_marketplace_or_else_the_users_own_store() -> None:
    keepa = "ASIN,Title,Buy Box 🚚: Current,Sales Rank: Current\nB001,Tea,$12.50,100\n"
    layout, _, rows = prepared("keepa.csv", keepa, period=NOVEMBER)
    assert layout == "amazon_price_tracker"
    assert [(r["shop"], r["product_id"], r["price"], r["date"], r["end_date"]) for r in rows] == [
        ("Amazon", "B001", 12.5, *NOVEMBER)
    ]
    own = "Date,Product ID,Product Name,Price\n2026-11-01,P1,Tea,12.5\n"
    assert [(r["shop"], r["date"], r["end_date"]) for r in prepared("prices.csv", own)[2]] == [
        ("Shop", date(2026, 11, 1), date(2026, 11, 1))  # the store the file is loaded into
    ]


@pytest.mark.parametrize(
    ("item", "grain"),
    [("SKU", "line"), ("Product ID", "line"), (None, "order")],
)
def test_an_order_row_naming_an_item_is_a_line_and_one_with_a_quantity_alone_is_an_order(
    item: str | None, grain: str
) -> None:
    header = "Order ID,Order Date,Quantity,Amount" + (f",{item}" if item else "")
    row = "A1,2026-11-01 10:30:00,2,5" + (",X1" if item else "")
    _, _, rows = prepared("orders.csv", f"{header}\n{row}\n")
    assert [(r["grain"], r["order_time"], r["order_date"], r["quantity"]) for r in rows] == [
        (grain, datetime(2026, 11, 1, 10, 30), date(2026, 11, 1), 2.0)
    ]


def test_a_currency_mark_on_the_first_value_alone_names_the_currency() -> None:
    text = (
        "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n"
        "2026-11-01,A,1,1,£5.00,1\n2026-11-02,B,1,1,6.00,2\n2026-11-03,C,1,1,,3\n"
    )
    assert [(r["campaign"], r["currency"]) for r in prepared("sp.csv", text)[2]] == [
        ("A", "GBP"),
        ("B", "GBP"),
        ("C", "GBP"),
    ]


def test_a_marketplace_column_with_a_unit_still_gives_that_marketplaces_rows() -> None:
    text = "SKU,Style ID,Ajio MRP (₹),Amazon MRP\nA1,S1,100,110\n"
    rows = prepared("mrp.csv", text, period=NOVEMBER)[2]
    # The marketplace as the file writes it, as without the unit ("Ajio MRP" gives "Ajio").
    assert sorted((r["shop"], r["price"]) for r in rows) == [("Ajio", 100.0), ("Amazon", 110.0)]


AMBIGUOUS_DATES = "03/04/2026", "05/06/2026"  # each reads as a day and a month either way round


@pytest.mark.parametrize(
    ("extra_header", "extra_cell", "spend", "clue"),
    [
        ("", "", "£5.00", "the file's currency GBP"),
        ("Country,", "Germany,", "5.00", "the file's country Germany"),
    ],
)
def test_dates_that_read_both_ways_follow_the_files_country_or_currency_and_say_so(
    extra_header: str, extra_cell: str, spend: str, clue: str
) -> None:
    text = f"Date,{extra_header}Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n" + "".join(
        f"{day},{extra_cell}Tea,1,1,{spend},1\n" for day in AMBIGUOUS_DATES
    )
    _, result, rows = prepared("sp.csv", text)
    assert [r["date"] for r in rows] == [date(2026, 4, 3), date(2026, 6, 5)]  # day first, as in Britain and Germany
    assert [str(w) for w in result.warnings] == [
        "the dates in 'Date' read both ways; they were read day first (DD/MM/YYYY), as dates are written where "
        f"{clue} is. If that is wrong, import it again with the other date order"
    ]


def test_a_campaign_named_after_a_country_does_not_decide_the_date_order() -> None:
    text = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n" + "".join(
        f"{day},Germany,1,1,5.00,1\n" for day in AMBIGUOUS_DATES
    )
    with pytest.raises(DateOrderError):
        prepared("sp.csv", text)


SP_HEADER = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n"


def test_a_date_column_nothing_decides_is_asked_about_showing_its_first_three_values() -> None:
    days = ["03/04/2026", "05/06/2026", "07/08/2026", "09/10/2026"]
    with pytest.raises(DateOrderError) as asked:
        prepared("sp.csv", SP_HEADER + "".join(f"{day},Tea,1,1,5.00,1\n" for day in days))
    assert asked.value.sample == "'03/04/2026', '05/06/2026', '07/08/2026'"
    assert str(asked.value).startswith(
        "validate: the dates in 'Date' ('03/04/2026', '05/06/2026', '07/08/2026') read both day first and month first"
    )


def test_a_date_column_whose_later_rows_prove_both_orders_is_refused() -> None:
    # The format is chosen on the first 2000 values; the order is decided by the whole column, where 13/04 can
    # only be day first and 04/14 only month first: the column holds dates in two formats.
    days = ["03/04/2026"] * 2000 + ["13/04/2026", "04/14/2026"]
    with pytest.raises(ValidateError) as refused:
        prepared("sp.csv", SP_HEADER + "".join(f"{day},Tea,1,1,5.00,1\n" for day in days))
    assert not isinstance(refused.value, DateOrderError)
    assert str(refused.value) == (
        "validate: the column 'Date' should hold dates, but values like '03/04/2026', '03/04/2026', '03/04/2026' "
        "could not all be read as dates in one format — check the column mapping, or export the report with dates "
        "in one format"
    )


def test_a_later_row_only_one_order_reads_decides_the_whole_column() -> None:
    days = ["03/04/2026"] * 2000 + ["13/04/2026"]
    rows = prepared("sp.csv", SP_HEADER + "".join(f"{day},Tea,1,1,5.00,1\n" for day in days))[2]
    assert {r["date"] for r in rows} == {date(2026, 4, 3), date(2026, 4, 13)}


def test_a_spreadsheet_price_list_with_number_cells_gives_a_row_per_marketplace() -> None:
    data = xlsx(
        [["SKU", "Style ID", "Ajio MRP", "Amazon MRP"], ["A1", "S1", 100.5, 1234567.25], ["A2", "S2", None, -3]]
    )
    rows = prepared("mrp.xlsx", data, period=NOVEMBER)[2]
    assert sorted((r["product_id"], r["shop"], r["price"]) for r in rows) == [
        ("A1", "Ajio", 100.5),
        ("A1", "Amazon", 1234567.25),
        ("A2", "Ajio", None),
        ("A2", "Amazon", -3.0),
    ]


@pytest.mark.parametrize(
    ("name", "text", "currency", "money"),
    [
        # No spend nor revenue column: the mark on the price (or the order's amount) still names the currency.
        ("prices.csv", "Date,Product ID,Product Name,Price\n2026-11-01,P1,Tea,£12.50\n", "GBP", ("price", 12.5)),
        ("orders.csv", "Order ID,Order Date,Quantity,Amount\nA1,2026-11-01 10:30:00,2,€5.00\n", "EUR", ("amount", 5.0)),
    ],
)
def test_a_file_without_ad_spend_takes_its_currency_from_the_money_column_it_has(
    name: str, text: str, currency: str, money: tuple[str, float]
) -> None:
    field, value = money
    assert [(r["currency"], r[field]) for r in prepared(name, text)[2]] == [(currency, value)]


def test_an_orders_export_whose_date_column_is_empty_keeps_its_orders_undated() -> None:
    text = "Order ID,Order Date,Quantity,Amount\nA1,,2,5\nA2,,1,3\n"
    _, result, rows = prepared("orders.csv", text)
    assert [(r["order_id"], r["order_time"], r["order_date"], r["amount"]) for r in rows] == [
        ("A1", None, None, 5.0),
        ("A2", None, None, 3.0),
    ]
    assert result.skipped_reasons == {}
    assert (result.date_from, result.date_to) == (None, None)


def test_a_date_column_of_text_is_refused_with_its_first_three_values_and_the_hint() -> None:
    with pytest.raises(ValidateError) as refused:
        prepared("orders.csv", "Order Date,Order ID,Amount\nfoo,1,5\nbar,2,6\nbaz,3,7\nqux,4,8\n")
    assert not isinstance(refused.value, DateOrderError)
    assert str(refused.value) == (
        "validate: the column 'Order Date' should hold dates, but values like 'foo', 'bar', 'baz' could not all be "
        "read as dates in one format — check the column mapping, or export the report with dates in one format"
    )


def test_ids_a_spreadsheet_turned_into_numbers_are_warned_about_naming_the_column() -> None:
    text = "Order ID,Order Date,Amount\n2.81772E+18,2026-11-01,5\n6.93896E+18,2026-11-02,6\n"
    _, result, rows = prepared("orders.csv", text)
    assert [r["amount"] for r in rows] == [5.0, 6.0]  # loaded, with a warning
    assert [str(w) for w in result.warnings] == [
        "'Order ID' holds IDs that a spreadsheet already turned into numbers like 1.2E+17: different IDs may have "
        "collapsed into one. Export the file again without opening it in Excel"
    ]


SP_GROUPS = "Date,Campaign Name,Ad Group Name,Impressions,Clicks,Spend\n"


def test_space_separators_are_what_duckdbs_trim_removes() -> None:
    # Every code point (but surrogates) put on both sides of a letter: those trim() takes off, found by DuckDB.
    removed = duckdb.sql(
        "SELECT list(c ORDER BY c) FROM range(0, 1114112) AS t(c) "
        "WHERE (c < 55296 OR c > 57343) AND trim(chr(c::INT) || 'a' || chr(c::INT)) = 'a'"
    ).fetchone()
    assert removed is not None and removed[0] == list(SPACE_SEPARATORS)


def test_a_subtotal_word_is_found_in_a_name_however_it_is_spaced_and_long_names_are_kept() -> None:
    em, wide = "\u2003", "\u3000"  # an em space (kept by the cell cleaner, taken off by trim) and a CJK one
    text = SP_GROUPS + (
        f"2026-11-01,{em * 8}All,,1,1,1\n"  # All after 24 bytes of em spaces: a subtotal
        f"2026-11-02,C,合计{em * 7},1,1,1\n"  # an ad group written 合计 and 21 bytes of em spaces
        f"2026-11-02,C,{wide}合计{wide},1,1,1\n"  # between CJK spaces
        "2026-11-03,TOTAL,G,1,1,1\n"  # the word in capitals
        "2026-11-04,Total sales of all products in the spring sale campaign,G,2,2,2\n"  # a long name: data
        f"2026-11-05,{em}All day{em},G,3,3,3\n"  # the word inside a longer name: data
    )
    _, result, rows = prepared("sp.csv", text.encode())
    assert [(r["date"], r["spend"]) for r in rows] == [(date(2026, 11, 4), 2.0), (date(2026, 11, 5), 3.0)]
    assert result.skipped_reasons == {"subtotal row": 4}


def test_a_totals_label_after_empty_leading_cells_marks_a_totals_row_and_only_then() -> None:
    text = SP_GROUPS + (
        "Total,,,9,9,9\n"  # the label in the first cell
        ",Total,,2,2,2\n"  # the label in the second cell, the first empty: the file's totals
        ",,Total,3,3,3\n"  # in the third, the first two empty: the totals too
        "2026-11-01,,Total,4,4,4\n"  # a date first: a day's row whose ad group is written Total (a subtotal)
        "2026-11-02,A,G,1,1,1\n"
    )
    _, result, rows = prepared("sp.csv", text)
    assert [(r["date"], r["campaign"], r["spend"]) for r in rows] == [(date(2026, 11, 2), "A", 1.0)]
    assert result.skipped_reasons == {"totals row (合计 / Total)": 3, "subtotal row": 1}


def test_a_spreadsheets_totals_row_below_typed_dates_is_found_by_its_label() -> None:
    # The Date cells are real dates (never a totals label); the totals row leaves its date empty and says 合计.
    header: list[object] = ["Date", "Campaign Name", "Ad Group Name", "Impressions", "Clicks", "Spend"]
    data = xlsx([header, [datetime(2026, 11, 1), "A", "G", 100, 10, 5.0], [None, "合计", None, 100, 10, 5.0]])
    _, result, rows = prepared("sp.xlsx", data)
    assert [(r["date"], r["campaign"], r["spend"]) for r in rows] == [(date(2026, 11, 1), "A", 5.0)]
    assert result.skipped_reasons == {"totals row (合计 / Total)": 1}


def test_dates_in_a_spreadsheets_number_column_are_stored_as_empty_and_said() -> None:
    # Excel turned the clicks into dates (a "1-2" typed in): no count can be read from them, and the owner is told
    # which column lost them (it was silent: only text cells were counted).
    header: list[object] = ["Date", "Campaign Name", "Ad Group Name", "Impressions", "Clicks", "Spend"]
    data = xlsx(
        [
            header,
            [datetime(2026, 11, 1), "A", "G", 100, datetime(2026, 1, 2), 5.0],
            [datetime(2026, 11, 2), "B", "G", 50, datetime(2026, 1, 3), 2.0],
        ]
    )
    _, result, rows = prepared("sp.xlsx", data)
    assert [(r["campaign"], r["impressions"], r["clicks"], r["spend"]) for r in rows] == [
        ("A", 100.0, None, 5.0),
        ("B", 50.0, None, 2.0),
    ]
    assert [str(w) for w in result.warnings] == [
        "2 value(s) in 'Clicks' could not be read as numbers (e.g. '2026-01-02 00:00:00') and were stored as empty"
    ]


def test_a_traffic_row_without_figures_is_skipped_and_a_campaign_called_all_is_kept() -> None:
    # "All" is a subtotal only in an ads report's name columns; in a traffic report it is a campaign's name.
    text = "Date,Source,Campaign,Sessions\n2026-11-01,google,All,10\n2026-11-02,google,Tea,\n2026-11-03,google,Tea,5\n"
    layout, result, rows = prepared("traffic.csv", text)
    assert layout == "generic_traffic"
    assert [(r["date"], r["campaign"], r["sessions"]) for r in rows] == [
        (date(2026, 11, 1), "All", 10.0),
        (date(2026, 11, 3), "Tea", 5.0),
    ]
    assert result.skipped_reasons == {"no figures": 1}


def test_an_ads_row_whose_keyword_or_placement_is_all_is_kept() -> None:
    # "All" is a subtotal only in a column naming one campaign, ad group, ad or product: a shopper may type "all" as
    # a keyword, and "All" placements is a real placement.
    text = (
        "Date,Campaign Name,Ad Group Name,Targeting,Placement,Impressions,Clicks,Spend\n"
        "2026-11-01,Tea,Green,all,Top of Search,100,10,5\n"
        "2026-11-02,Tea,Green,green tea,All,50,4,2\n"
    )
    layout, result, rows = prepared("sp.csv", text)
    assert layout == "amazon_sp"
    assert [(r["date"], r["keyword"], r["placement"], r["spend"]) for r in rows] == [
        (date(2026, 11, 1), "all", "Top of Search", 5.0),
        (date(2026, 11, 2), "green tea", "All", 2.0),
    ]
    assert result.skipped_reasons == {}


def test_ids_are_checked_for_spreadsheet_damage_through_their_200th_value() -> None:
    # The check reads a sample of the column, its first 200 values: a mangled ID as the 200th is still seen. (A
    # longer sample, mutmut's value_36, would only warn about more files: a cost, not a wrong answer, so no test
    # pins the sample's end.)
    ids = [str(n) for n in range(1, 200)] + ["2.81772E+18"]
    text = "Order ID,Order Date,Amount\n" + "".join(f"{i},2026-11-01,5\n" for i in ids)
    _, result, rows = prepared("orders.csv", text)
    assert len(rows) == 200
    mangled = (
        "'Order ID' holds IDs that a spreadsheet already turned into numbers like 1.2E+17: different IDs may have "
        "collapsed into one. Export the file again without opening it in Excel"
    )
    assert [str(w) for w in result.warnings] == [mangled]


def test_the_users_currency_settles_dates_that_read_both_ways_in_a_file_that_names_none() -> None:
    # No mark, country or currency in the file: the currency the user gives (a British shop's GBP, an American's
    # USD) says how its dates are written, as a £ on the file's money would.
    text = SP_HEADER + "".join(f"{day},Tea,1,1,5.00,1\n" for day in AMBIGUOUS_DATES)
    assert [r["date"] for r in prepared("sp.csv", text, currency="GBP")[2]] == [date(2026, 4, 3), date(2026, 6, 5)]
    assert [r["date"] for r in prepared("sp.csv", text, currency="USD")[2]] == [date(2026, 3, 4), date(2026, 5, 6)]


def test_a_campaigns_start_and_end_dates_beside_a_day_column_neither_date_the_rows_nor_stop_the_load() -> None:
    # Amazon's Start Date / End Date are the campaign's schedule; each row's day is its Date. Written here so that
    # they read both ways (nothing in the file decides their order): read as dates they would refuse the file.
    text = (
        "Date,Start Date,End Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n"
        "2026-11-01,03/04/2026,05/06/2026,Tea,100,10,5.00,20.00\n"
        "2026-11-02,03/04/2026,05/06/2026,Tea,50,4,2.00,8.00\n"
    )
    layout, result, rows = prepared("sp.csv", text)
    assert layout == "amazon_sp"
    assert [(r["date"], r["end_date"], r["spend"]) for r in rows] == [
        (date(2026, 11, 1), date(2026, 11, 1), 5.0),
        (date(2026, 11, 2), date(2026, 11, 2), 2.0),
    ]
    assert result.warnings == []


def test_an_ads_report_without_any_name_column_is_the_whole_accounts_figures() -> None:
    text = "Date,Impressions,Clicks,Spend\n2026-11-01,100,10,5.00\n"
    layout, _, rows = prepared("sp.csv", text)
    assert layout == "amazon_sp"
    assert [(r["grain"], r["date"], r["spend"]) for r in rows] == [("account", date(2026, 11, 1), 5.0)]


def test_a_report_with_a_start_date_and_no_end_date_covers_that_one_day() -> None:
    text = "Reporting starts,Campaign name,Amount spent (USD),Impressions,Reach\n2026-11-01,C1,10.5,1000,800\n"
    layout, _, rows = prepared("meta.csv", text)
    assert layout == "meta_ads"
    assert [(r["date"], r["end_date"], r["campaign"], r["spend"]) for r in rows] == [
        (date(2026, 11, 1), date(2026, 11, 1), "C1", 10.5)
    ]


def test_a_ga4_funnels_rates_become_counts_of_its_sessions() -> None:
    # 200 sessions, 10% of them carting and 2.5% buying: 20 cart users and 5 orders. No checkout rate, no count.
    text = (
        "event_date,medium,source,campaign,user_sessions_count,visit_to_cart,visit_to_purchase\n"
        "2026-11-01,cpc,google,Tea,200,0.1,0.025\n"
    )
    layout, _, rows = prepared("ga.csv", text)
    assert layout == "ga4_funnel"
    assert [(r["sessions"], r["cart_users"], r["orders"], r.get("checkout_sessions")) for r in rows] == [
        (200.0, 20.0, 5.0, None)
    ]
    assert "cart_rate" not in rows[0] and "purchase_rate" not in rows[0]


def test_a_fourth_source_level_written_as_a_subtotal_word_is_the_total_of_its_third_level() -> None:
    # 生意参谋's four source levels: a row whose 四级来源 is 汇总 totals its 三级来源 (level 3, no level-4 name); a
    # named fourth level is a level-4 row.
    text = (
        "统计日期,一级来源,二级来源,三级来源,四级来源,访客数\n"
        "2026-11-01,付费流量,直通车,关键词推广,汇总,100\n"
        "2026-11-01,付费流量,直通车,关键词推广,手淘搜索,60\n"
    )
    layout, _, rows = prepared("sycm.csv", text)
    assert layout == "sycm_sources"
    assert [(r["source_3"], r["source_4"], r["source_level"], r["visitors"]) for r in rows] == [
        ("关键词推广", None, 3, 100.0),
        ("关键词推广", "手淘搜索", 4, 60.0),
    ]


@pytest.mark.parametrize(
    ("columns", "value", "grain"),
    [
        ("Sessions", "", "shop"),  # the whole shop's day
        ("Source,Sessions", "google,", "source"),
        ("Campaign,Sessions", "Tea,", "source"),  # a campaign is where the visits came from
        ("Landing Page,Sessions", "/tea,", "landing_page"),
        ("Product ID,Sessions", "P1,", "product"),
        ("Product ID,Landing Page,Sessions", "P1,/tea,", "product"),  # the product decides before the page
    ],
)
def test_a_visits_rows_grain_is_its_product_else_its_landing_page_else_its_channel_else_the_shop(
    columns: str, value: str, grain: str
) -> None:
    rows = prepared("visits.csv", f"Date,{columns}\n2026-11-01,{value}10\n")[2]
    assert [(r["grain"], r["sessions"]) for r in rows] == [(grain, 10.0)]


def test_a_report_with_no_dates_and_no_period_is_refused_saying_what_to_give() -> None:
    # No date column, no dates in a title line or the file name: the owner is told why and where to give the period.
    with pytest.raises(ValidateError) as refused:
        prepared("all-time.csv", "Campaign,Impr.,Clicks,Cost\nA,10,1,2.00\n")
    assert str(refused.value) == (
        "validate: this report has no dates in its rows, and no period was found in its title lines or file name — "
        "give the period it covers: --period FROM..TO on the command line, or the date range on the Data page"
    )


def test_a_behaviour_log_with_a_day_and_no_time_puts_each_event_at_the_start_of_its_day() -> None:
    text = "user_id,date,event,item_id\nu1,2026-11-01,pv,i1\nu2,2026-11-02,buy,i1\n"
    layout, _, rows = prepared("events.csv", text)
    assert layout == "generic_events"
    assert [(r["user_id"], r["behavior"], r["event_time"], r["event_date"]) for r in rows] == [
        ("u1", "view", datetime(2026, 11, 1), date(2026, 11, 1)),
        ("u2", "purchase", datetime(2026, 11, 2), date(2026, 11, 2)),
    ]


def test_an_order_items_row_with_a_transaction_id_and_no_product_column_is_still_a_line() -> None:
    # Etsy's sold order items, one row per item (its Transaction ID), here without the Listing ID and SKU columns:
    # each row is still one line of order O1, not a whole order.
    text = (
        "Sale Date,Item Name,Quantity,Item Total,Transaction ID,Order ID\n"
        "11/01/2026,Tea,2,10.00,T1,O1\n11/01/2026,Cake,1,4.00,T2,O1\n"
    )
    layout, _, rows = prepared("EtsySoldOrderItems.csv", text)
    assert layout == "etsy_sold_order_items"
    assert [(r["order_id"], r["grain"], r["paid_amount"]) for r in rows] == [("O1", "line", 10.0), ("O1", "line", 4.0)]


def test_a_meta_breakdown_by_interest_is_part_of_the_audience() -> None:
    text = (
        "Reporting starts,Reporting ends,Campaign name,Ad set name,Age,Interest,Amount spent (USD),Impressions,Reach\n"
        "2026-11-01,2026-11-07,C1,S1,25-34,Tea,10.5,1000,800\n"
        "2026-11-01,2026-11-07,C1,S1,25-34,Coffee,4,300,200\n"
    )
    layout, _, rows = prepared("meta.csv", text)
    assert layout == "meta_ads"
    assert [(r["audience"], r["spend"]) for r in rows] == [
        ("age=25-34; interest=Tea", 10.5),
        ("age=25-34; interest=Coffee", 4.0),
    ]
    assert "interest" not in rows[0]
    assert len({r["nk"] for r in rows}) == 2  # two interests of one ad set and age are two rows, not one replaced


def test_a_files_own_currency_column_is_read_per_row_in_capitals() -> None:
    # Google Ads writes each row's currency code; an account export may hold two, in any case.
    text = "Day,Currency code,Campaign,Impr.,Clicks,Cost\n2026-11-01,usd,A,10,1,2.00\n2026-11-01,eur,B,10,1,3.00\n"
    layout, _, rows = prepared("ads.csv", text)
    assert layout == "google_ads"
    assert [(r["campaign"], r["currency"], r["spend"]) for r in rows] == [("A", "USD", 2.0), ("B", "EUR", 3.0)]


def test_every_row_carries_the_platform_its_layout_belongs_to() -> None:
    text = "Day,Currency code,Campaign,Impr.,Clicks,Cost\n2026-11-01,USD,A,10,1,2.00\n"
    layout, _, rows = prepared("ads.csv", text)
    assert layout == "google_ads" and [r["platform"] for r in rows] == ["google_ads"]


def test_a_totals_row_below_a_price_list_with_a_column_per_marketplace_is_one_skipped_row() -> None:
    """A totals row of a wide price list is one row skipped, not one per marketplace column (prepare 1-3,
    _flagged_facts 12)."""
    text = "SKU,Style ID,Ajio MRP,Amazon MRP,Flipkart MRP\nA1,S1,100,110,120\nTotal,,100,110,120\n"
    layout, result, rows = prepared("mrp.csv", text, period=NOVEMBER)
    assert layout == "marketplace_price_list"
    assert sorted((r["product_id"], r["shop"]) for r in rows) == [("A1", "Ajio"), ("A1", "Amazon"), ("A1", "Flipkart")]
    assert result.skipped_reasons == {TOTALS_REASON: 1}
    assert result.rows_skipped == 1


def test_a_totals_row_of_a_rival_figures_table_is_one_skipped_row() -> None:
    """A rival table's 合计 row is one row skipped, though each of its two figures would be a row (prepare 4)."""
    text = "统计日期,店铺名称,商品名称,流失金额,流失人数\n2026-11-02,甲家旗舰店,甲家 焖烧杯,880,12\n合计,,,880,12\n"
    layout, result, rows = prepared("loss.csv", text)
    assert layout == "sycm_rival_loss"
    assert [(r["product_name"], r["metric"], r["value"]) for r in rows] == [
        ("甲家 焖烧杯", "lost_revenue", 880.0),  # the one rival product's two figures, a row each
        ("甲家 焖烧杯", "lost_visitors", 12.0),
    ]
    assert result.skipped_reasons == {TOTALS_REASON: 1}
    assert result.rows_skipped == 1


def test_a_file_whose_every_row_is_skipped_has_no_dates_and_is_refused_on_load(duck_store: Warehouse) -> None:
    """A file with nothing to load says so, with its skip reasons, and gives no dates (_flagged_facts 28, 29)."""
    text = "user_id,event_time,event,item_id\n,2026-11-01 10:00:00,pv,i1\n,2026-11-02 10:00:00,pv,i2\n"
    _, result, rows = prepared("events.csv", text)
    assert rows == []
    assert result.skipped_reasons == {"no user ID": 2}
    assert (result.date_from, result.date_to) == (None, None)
    [loaded] = ingest_file("events.csv", text.encode(), duck_store, Options(store="Shop"))
    assert loaded.status == "rejected"
    assert duck_store.count_rows("events") == 0


def test_the_same_campaign_and_day_from_two_ad_platforms_are_two_rows(duck_store: Warehouse) -> None:
    """An Amazon campaign does not replace a Google Ads campaign of the same name and day (_natural_key_sql 2, 3)."""
    google = "Day,Currency code,Campaign,Impr.,Clicks,Cost\n2026-11-01,USD,Tea,10,1,2.00\n"
    amazon = "Date,Campaign Name,Impressions,Clicks,Spend\n2026-11-01,Tea,100,10,5.00\n"
    [first] = ingest_file("google.csv", google.encode(), duck_store, Options(store="Shop"))
    [second] = ingest_file("amazon.csv", amazon.encode(), duck_store, Options(store="Shop"))
    assert (first.platform, first.status, second.status) == ("google_ads", "loaded", "loaded")
    assert second.platform != "google_ads"
    assert second.rows_replaced == 0
    assert duck_store.count_rows("ads") == 2


def written(path: Path, rows: list[list[str]]) -> Path:
    """`rows` written to `path` as a CSV or, by its name, an xlsx workbook."""
    if path.suffix == ".csv":
        path.write_text("".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    else:
        path.write_bytes(xlsx(rows))
    return path


def assert_nothing_left_in(store: Warehouse) -> None:
    """Neither the file's body (sd_body), the work tables nor a variable is left in the warehouse's connection."""
    con = store.engine.ingest_connection()
    for table in ("sd_body", "sd_flagged", "sd_repeated"):
        with pytest.raises(duckdb.CatalogException):
            con.execute(f"SELECT count(*) FROM {table}")
    assert con.execute("SELECT name FROM duckdb_variables()").fetchall() == []


@pytest.mark.parametrize("name", ["events.csv", "events.xlsx"])
def test_a_loaded_file_leaves_nothing_of_itself_in_the_warehouse_connection(
    duck_store: Warehouse, tmp_path: Path, name: str
) -> None:
    """Once a file is loaded its rows, the CSV read and the work tables are let go (_drop_body 2, 8; prepare 63, 65);
    its totals row is one skipped row (_flagged_facts 13)."""
    header = ["user_id", "item_id", "behavior_type", "time"]
    rows = [["u1", "i9", "cart", "2026-11-01 10:00:00"], ["u2", "i9", "buy", "2026-11-01 11:00:00"], ["Total"]]
    [result] = ingest_file(name, written(tmp_path / name, [header, *rows]), duck_store, Options(store="Shop"))
    assert (result.status, result.rows_loaded, result.skipped_reasons) == ("loaded", 2, {TOTALS_REASON: 1})
    assert_nothing_left_in(duck_store)


def test_the_date_order_the_owner_chooses_reads_dates_that_read_both_ways() -> None:
    """Dates that read both ways, nothing in the file to decide: the owner's choice on the Data page (or
    --date-order) decides them (prepare 23)."""
    text = "Date,Campaign Name,Impressions,Clicks,Spend,7 Day Total Sales\n03/04/2026,Tea,1,1,5.00,1\n05/06/2026,Tea,1,1,5.00,1\n"
    assert [r["date"] for r in prepared("sp.csv", text, date_order="dmy")[2]] == [date(2026, 4, 3), date(2026, 6, 5)]
    assert [r["date"] for r in prepared("sp.csv", text, date_order="mdy")[2]] == [date(2026, 3, 4), date(2026, 5, 6)]


def test_rows_cleaned_for_the_data_page_are_a_plain_table_holding_no_connection() -> None:
    """The Data page keeps its cleaned rows until Import: they are a table of their own, not rows left in a
    connection that is never closed (prepare 7)."""
    text = "Date,Campaign Name,Impressions,Clicks,Spend\n2026-11-01,Tea,100,10,5.00\n"
    [plan] = plan_file("sp.csv", text.encode(), Options(store="Shop"))
    result = prepare_plan(plan, Options(store="Shop"))
    assert isinstance(result.rows, pa.Table)
    assert [(r["date"], r["campaign"], r["spend"]) for r in result.rows.to_pylist()] == [
        (date(2026, 11, 1), "Tea", 5.0)
    ]


@pytest.mark.parametrize("name", ["orders.csv", "orders.xlsx"])
def test_a_file_refused_while_cleaned_says_why_and_leaves_nothing_of_itself_in_the_warehouse_connection(
    duck_store: Warehouse, tmp_path: Path, name: str
) -> None:
    """A file refused while its rows are cleaned is refused with its reason, and its rows and the CSV read are let
    go, not held in the warehouse's connection until the next load (prepare 112-116)."""
    rows = [["Order Date", "Order ID", "Amount"], ["foo", "1", "5"], ["bar", "2", "6"]]
    [result] = ingest_file(name, written(tmp_path / name, rows), duck_store, Options(store="Shop"))
    assert result.status == "rejected"
    assert "the column 'Order Date' should hold dates, but values like 'foo', 'bar'" in str(result.error)
    assert_nothing_left_in(duck_store)


def test_the_prepared_file_says_which_of_its_columns_each_field_was_read_from() -> None:
    """The import records, by field, the column of the file it was read from, as the file writes it: what the
    owner sees and can change (prepare 124)."""
    text = "Date,Campaign Name,Impressions,Clicks,Spend\n2026-11-01,Tea,100,10,5.00\n"
    assert prepared("sp.csv", text)[1].mapping == {
        "date": "Date",
        "campaign": "Campaign Name",
        "impressions": "Impressions",
        "clicks": "Clicks",
        "spend": "Spend",
    }


def test_a_product_catalogue_without_days_is_cleaned_and_covers_no_dates() -> None:
    """A catalogue has no day column: its products are cleaned all the same, and it covers no dates
    (_flagged_facts 3)."""
    text = "product_id,title,category,price\nP1,Green tea,Tea,12.50\n"
    layout, result, rows = prepared("catalogue.csv", text)
    assert layout == "generic_products"
    assert [(r["product_id"], r["name"], r["category"], r["price"]) for r in rows] == [("P1", "Green tea", "Tea", 12.5)]
    assert (result.date_from, result.date_to) == (None, None)


def test_the_unreadable_number_a_warning_names_is_kept_when_a_skipped_row_follows() -> None:
    """The warning about unreadable numbers names one of them, though rows skipped for another reason come after
    the data rows (_flagged_facts 52)."""
    text = "Date,Campaign Name,Impressions,Clicks,Spend\n2026-11-01,A,abc,10,5\n2026-11-02,B,7,10,5\n,C,1,1,1\n"
    _, result, rows = prepared("sp.csv", text)
    assert [(r["campaign"], r["impressions"]) for r in rows] == [("A", None), ("B", 7.0)]
    assert result.skipped_reasons == {"no readable date": 1}
    assert [str(w) for w in result.warnings] == [
        "1 value(s) in 'Impressions' could not be read as numbers (e.g. 'abc') and were stored as empty"
    ]


def test_unreadable_numbers_of_skipped_rows_are_not_said_to_be_stored() -> None:
    """The warning says its values were stored as empty: it counts the rows kept. A row skipped for having no
    date, with unreadable text in its figures, is reported under its reason, its cells nowhere stored; a row
    whose every figure is unreadable is skipped as having none."""
    text = (
        "Date,Campaign Name,Impressions,Clicks,Spend\n"
        "2026-11-01,A,abc,10,5\n"
        ",B,xyz,oops,5\n"  # no date: skipped, so neither value is stored
        "2026-11-02,C,huh,what,eh\n"  # nothing readable: skipped as no figures
        "2026-11-03,D,9,ok?,5\n"
    )
    _, result, rows = prepared("sp.csv", text)
    assert [(r["campaign"], r["impressions"], r["clicks"]) for r in rows] == [("A", None, 10.0), ("D", 9.0, None)]
    assert result.skipped_reasons == {"no readable date": 1, "no figures": 1}
    assert [str(w) for w in result.warnings] == [
        "1 value(s) in 'Impressions' could not be read as numbers (e.g. 'abc') and were stored as empty",
        "1 value(s) in 'Clicks' could not be read as numbers (e.g. 'ok?') and were stored as empty",
    ]


def test_an_empty_text_guarded_id_and_a_yes_no_word_it_cannot_read_are_not_called_unreadable_numbers() -> None:
    """Only number columns are checked for cells that could not be read as numbers: an ID written as Excel's
    empty text guard (="") is an unknown product, a stock flag of "maybe" an unknown availability, and neither is
    named in a warning about numbers (build_query's raw_numbers without its ID, text, date, time or yes/no
    fields)."""
    text = 'Order ID,Order Date,Product ID,Quantity,Amount\nA1,2026-11-01,="",1,5\nA2,2026-11-02,P2,1,6\n'
    _, result, rows = prepared("orders.csv", text)
    assert [(r["order_id"], r["product_id"], r["amount"]) for r in rows] == [("A1", None, 5.0), ("A2", "P2", 6.0)]
    assert result.warnings == []
    text = "Date,Product ID,Shop,Price,Available\n2026-11-01,P1,Rival,10,maybe\n2026-11-02,P1,Rival,11,yes\n"
    _, result, rows = prepared("prices.csv", text)
    assert [(r["date"], r["price"], r["available"]) for r in rows] == [
        (date(2026, 11, 1), 10.0, None),
        (date(2026, 11, 2), 11.0, True),
    ]
    assert result.warnings == []
