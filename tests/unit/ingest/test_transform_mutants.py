"""What ingest/transform.py makes of a recognised table, checked through the pipeline's public path (plan_file,
prepare_plan) on small hand-made exports: the behaviours a mutation run (make mutation MODULES=transform) found
unchecked. Each expected value is read off the file's text by hand, never from the code's output."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata.ingest.pipeline import Options, plan_file, prepare_plan
from shopdata.ingest.transform import Prepared

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def prepared(name: str, text: str, **options: object) -> tuple[str, Prepared, list[dict]]:
    """The layout a file is read as, its prepared result and its rows (the canonical columns, by name)."""
    chosen = Options(store="Shop", **options)  # type: ignore[arg-type]
    [plan] = plan_file(name, text.encode("utf-8"), chosen)
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
