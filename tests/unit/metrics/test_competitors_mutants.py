"""What the competitors module does that no competitor test varied until a mutation run (`make mutation
MODULES=competitors`) changed it unnoticed: `report competitors` without a breakdown (one record per stored row,
its band and day, by day, rival, product and metric), the messages of a breakdown the reports do not have, the
order of the traffic lost when money ties or a figure is unknown (unknown counts 0, below any known amount), a 流失
export that gives only 流失人数, and a period with no figure at all (unknown, not 0). Figures worked out by hand
from the cells written here; on DuckDB and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopdata.errors import ReportError
from shopdata.metrics import competitors as c
from shopdata.metrics.cache import uncached_source
from shopdata.store import Warehouse
from tests.unit.metrics.test_competitors_page import LOSS_HEADER, SCOPE, load, write

PRODUCT_HEADER = "统计日期,店铺名称,商品ID,商品名称,交易指数,支付金额,访客数"


def test_competitors_without_a_breakdown_lists_each_stored_figure_with_its_band_and_day(
    store: Warehouse, tmp_path: Path
) -> None:
    # 11-02: 支付金额 "10万 ~ 25万" (a band, no value), 交易指数 900 and 访客数 "1,234" exact.
    # 11-03: 支付金额 "12.3万" exact, 交易指数 "-" (unknown), 访客数 ">1000" (no upper end). Each cell is one record,
    # by day and then metric (revenue, trade_index, visitors), with that day as its first and last.
    path = write(
        tmp_path,
        "products.csv",
        PRODUCT_HEADER,
        [
            '2026-11-02,甲家旗舰店,610001,甲家 杯,900,10万 ~ 25万,"1,234"',
            "2026-11-03,甲家旗舰店,610001,甲家 杯,-,12.3万,>1000",
        ],
    )
    load(store, path)
    records = c.report_records(uncached_source(store.engine), SCOPE)

    def record(day: str, metric: str, low: float | None, high: float | None, value: float | None) -> dict:
        return {
            "rival": "甲家旗舰店",
            "product": "甲家 杯",
            "metric": metric,
            "low": low,
            "high": high,
            "value": value,
            "date_from": day,
            "date_to": day,
        }

    assert records == [
        record("2026-11-02", "revenue", 100_000.0, 250_000.0, None),
        record("2026-11-02", "trade_index", 900.0, 900.0, 900.0),
        record("2026-11-02", "visitors", 1234.0, 1234.0, 1234.0),
        record("2026-11-03", "revenue", 123_000.0, 123_000.0, 123_000.0),
        record("2026-11-03", "trade_index", None, None, None),
        record("2026-11-03", "visitors", 1000.0, None, None),
    ]
    assert all(list(r) == list(c.RECORD_FIELDS) for r in records)


def test_a_breakdown_the_reports_do_not_have_is_refused_with_what_to_give(store: Warehouse) -> None:
    backend = uncached_source(store.engine)
    with pytest.raises(ReportError) as refused:
        c.report_records(backend, SCOPE, by="week")
    assert str(refused.value) == (
        "report: the competitors report cannot be broken down by 'week' — --by one of: rival, product, keyword"
    )
    with pytest.raises(ReportError) as refused:
        c.traffic_loss_records(backend, SCOPE, by="rival")
    assert str(refused.value) == (
        "report: the traffic-loss report has one record per rival product and no breakdown, not 'rival'"
    )


def test_lost_traffic_ties_and_unknown_figures_rank_by_what_is_known(store: Warehouse, tmp_path: Path) -> None:
    # One product per rival, on one day:
    #   E: ¥100, 5 visitors     F: ¥100, 9 visitors    (same money: more visitors first on the page)
    #   C: ¥50, "-" visitors    D: ¥50, 1 visitor      (unknown visitors count 0: below D's known 1, not level)
    #   A: "-" money, 10        B: ¥0.50, 5 visitors   (unknown money counts 0: below B's known ¥0.50, not above)
    # The page (loss_table, traffic_taker): money's known low end, then visitors', then names.
    # traffic-loss (the command): money only, ties in rival, product order.
    path = write(
        tmp_path,
        "loss.csv",
        LOSS_HEADER,
        [
            "2026-11-02,A店,1,A 杯,-,10,1%",
            "2026-11-02,B店,2,B 杯,0.50,5,1%",
            "2026-11-02,C店,3,C 杯,50,-,1%",
            "2026-11-02,D店,4,D 杯,50,1,1%",
            "2026-11-02,E店,5,E 杯,100,5,1%",
            "2026-11-02,F店,6,F 杯,100,9,1%",
        ],
    )
    load(store, path)
    backend = uncached_source(store.engine)
    table = c.loss_table(backend, SCOPE)
    assert list(table["rival"]) == ["F店", "E店", "D店", "C店", "B店", "A店"]
    assert list(table["lost_revenue"].fillna(-1)) == [100, 100, 50, 50, 0.5, -1]
    assert list(table["lost_visitors"].fillna(-1)) == [9, 5, 1, -1, 5, 10]
    taker = c.traffic_taker(backend, SCOPE)
    assert taker is not None
    assert (taker.rival, taker.runner_up) == ("F店", "E店")
    records = c.traffic_loss_records(backend, SCOPE)
    assert [(r["rival"], r["lost_revenue"], r["lost_visitors"]) for r in records] == [
        ("E店", 100.0, 5.0),
        ("F店", 100.0, 9.0),
        ("C店", 50.0, None),
        ("D店", 50.0, 1.0),
        ("B店", 0.5, 5.0),
        ("A店", None, 10.0),
    ]


def test_traffic_loss_ties_keep_rival_then_product_order(store: Warehouse, tmp_path: Path) -> None:
    # Every product lost us ¥100 on 11-02, written out of order; R1 also has a 流失 row of the shop as a whole (no
    # product: a file without 商品 columns), which comes before R1's named products.
    products = write(
        tmp_path,
        "loss.csv",
        LOSS_HEADER,
        [
            "2026-11-02,R2,22,Q,100,1,1%",
            "2026-11-02,R1,12,B,100,1,1%",
            "2026-11-02,R3,31,Z,100,1,1%",
            "2026-11-02,R1,11,A,100,1,1%",
            "2026-11-02,R2,21,P,100,1,1%",
        ],
    )
    shop = write(tmp_path, "shop_loss.csv", "统计日期,店铺名称,流失金额,流失人数", ["2026-11-02,R1,100,1"])
    load(store, products)
    load(store, shop)
    records = c.traffic_loss_records(uncached_source(store.engine), SCOPE)
    assert [(r["rival"], r["product"]) for r in records] == [
        ("R1", None),
        ("R1", "A"),
        ("R1", "B"),
        ("R2", "P"),
        ("R2", "Q"),
        ("R3", "Z"),
    ]
    assert {r["lost_revenue"] for r in records} == {100.0}


def test_a_loss_export_of_visitors_only_ranks_by_them_and_leaves_the_money_unknown(
    store: Warehouse, tmp_path: Path
) -> None:
    # 流失人数 only: A 30 + 40 = 70 over 11-02..11-03, B 50. No money anywhere: it is unknown, never 0 or a crash.
    path = write(
        tmp_path,
        "loss.csv",
        "统计日期,店铺名称,商品名称,流失人数",
        ["2026-11-02,A店,A 杯,30", "2026-11-02,B店,B 杯,50", "2026-11-03,A店,A 杯,40"],
    )
    load(store, path)
    backend = uncached_source(store.engine)
    taker = c.traffic_taker(backend, SCOPE)
    assert taker is not None
    assert (taker.rival, taker.runner_up, taker.products) == ("A店", "B店", 1)
    assert taker.lost_visitors == c.Figure(70.0, 70.0, 70.0)
    assert taker.lost_revenue == c.Figure(None, None, None)
    table = c.loss_table(backend, SCOPE)
    assert list(zip(table["rival"], table["lost_visitors"], strict=True)) == [("A店", 70.0), ("B店", 50.0)]
    assert table[["lost_revenue_low", "lost_revenue_high", "lost_revenue"]].isna().all().all()
    records = c.traffic_loss_records(backend, SCOPE)
    assert records == [
        {"rival": "A店", "product": "A 杯", "lost_visitors": 70.0, "lost_revenue": None},
        {"rival": "B店", "product": "B 杯", "lost_visitors": 50.0, "lost_revenue": None},
    ]


def test_competitors_without_a_breakdown_come_by_day_rival_product_then_metric(
    store: Warehouse, tmp_path: Path
) -> None:
    # Written out of order: 甲家's 11-03 before its 11-02, 甲家 before 乙品 (乙 U+4E59 sorts before 甲 U+7532), and
    # 甲家's own shop figures (竞店: no product) in a second file. Within a day and a rival the products come first,
    # the shop's own figures (product unknown) after them; within each, metrics by name.
    products = write(
        tmp_path,
        "products.csv",
        PRODUCT_HEADER,
        [
            '2026-11-03,甲家旗舰店,610001,甲家 杯,950,12.3万,"1,234"',
            "2026-11-02,甲家旗舰店,610001,甲家 杯,900,10万 ~ 25万,>1000",
            "2026-11-02,乙品官方店,620002,乙品 杯,800,5万 ~ 10万,< 1000",
        ],
    )
    shops = write(
        tmp_path,
        "shops.csv",
        "统计日期,店铺名称,交易指数,支付金额,访客数",
        ["2026-11-02,甲家旗舰店,45000,750万 ~ 1000万,10万 ~ 25万"],
    )
    load(store, products)
    load(store, shops)
    records = c.report_records(uncached_source(store.engine), SCOPE)
    metrics = ("revenue", "trade_index", "visitors")
    assert [(r["date_from"], r["rival"], r["product"], r["metric"]) for r in records] == [
        *(("2026-11-02", "乙品官方店", "乙品 杯", m) for m in metrics),
        *(("2026-11-02", "甲家旗舰店", "甲家 杯", m) for m in metrics),
        *(("2026-11-02", "甲家旗舰店", None, m) for m in metrics),
        *(("2026-11-03", "甲家旗舰店", "甲家 杯", m) for m in metrics),
    ]


@pytest.mark.parametrize("metric", ["revenue", "trade_index"])
def test_a_period_without_any_figure_is_unknown_not_zero(metric: str) -> None:
    # No day gave the figure: nothing is known of it, whether it adds up (money) or spans (an index).
    assert c.combine(metric, []) == c.Figure(None, None, None)
