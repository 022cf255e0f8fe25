"""Rival events (shopdata/metrics/rival_events.py) on hand-made rows, on DuckDB and PostgreSQL.

The period is one day, D (11-14). Our shop is "Mine".

Prices:              11-12   11-14
    甲家 / X          129      99     a cut of 23%: an event
    乙品 / Y          100     120     a rise: never a cut
    丙记 / W (11-13)  100      95     5% below: under the 10% a drop needs
    Mine / Z          100      50     our own cut: no rival's
    甲家 / V          200 on 11-10, 150 on 11-13: a cut before the period, no event of it

Promotions: 甲家 直通车 on 11-01 and again on D (seen before: not new), 淘客 first on D (new); 乙品 钻展 on 11-10,
超级推荐 first on 11-13 (new, but before the period); 丁铺 first recorded on D with 直播 (nothing to be new against);
our own shop's 淘客, first on D after 直通车 on 11-01, is no rival's.

流失 (per day, exact unless banded):
    甲家 lost visitors 11-10..11-13: 100, 120, 80, 100 (median 100); D: products A 150 + B 100 = 250 → 2.5×: a jump.
    甲家 lost revenue  11-10..11-13: 1000 each; D: 1500 + 400 = 1900 → 1.9×: not a jump (JUMP_RATIO 2).
    乙品 lost visitors 11-12, 11-13: 50, 60; D: 500 → only 2 earlier days of 4: not judged, never a jump.
    丙记 lost visitors 11-10..11-13: "50 ~ 100" each; D: "150 ~ 300" → at least 150, under 2 × 100 (the usual at
        most): not a jump, though its band reaches 3×.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from shopdata.metrics import rival_events
from shopdata.metrics.query import Scope
from shopdata.metrics.rival_events import RivalEvent, UnjudgedLoss
from shopdata.store import TABLES, BatchInfo, Warehouse
from tests.unit.metrics.test_prices import ARROW

D = date(2026, 11, 14)
SCOPE = Scope("S", D, D, "CNY")
OWN = "Mine"


def day(n: int) -> date:
    return date(2026, 11, n)


def price(n: int, shop: str, product: str, value: float) -> dict:
    return dict(date=day(n), end_date=day(n), shop=shop, product_id=product, product_name=product, price=value)


PRICES = [
    price(12, "甲家", "X", 129.0),
    price(14, "甲家", "X", 99.0),
    price(12, "乙品", "Y", 100.0),
    price(14, "乙品", "Y", 120.0),
    price(13, "丙记", "W", 100.0),
    price(14, "丙记", "W", 95.0),
    price(12, OWN, "Z", 100.0),
    price(14, OWN, "Z", 50.0),
    price(10, "甲家", "V", 200.0),
    price(13, "甲家", "V", 150.0),
]


def promo(d: date, rival: str, product: str, method: str) -> dict:
    return dict(date=d, end_date=d, rival_shop=rival, product_name=product, method=method)


PROMOTIONS = [
    promo(day(1), "甲家", "甲家 保温杯", "直通车"),
    promo(D, "甲家", "甲家 保温杯", "直通车"),
    promo(D, "甲家", "甲家 焖烧杯", "淘客"),
    promo(day(10), "乙品", "乙品 大容量", "钻展"),
    promo(day(13), "乙品", "乙品 大容量", "超级推荐"),
    promo(D, "丁铺", "丁铺 水壶", "直播"),
    promo(day(1), OWN, "our cup", "直通车"),
    promo(D, OWN, "our cup", "淘客"),
]


def loss(n: int, rival: str, product: str, metric: str, low: float, high: float | None = None) -> dict:
    exact = high is None
    return dict(
        date=day(n),
        end_date=day(n),
        grain="loss",
        rival_shop=rival,
        product_id=product,
        metric=metric,
        low=low,
        high=low if exact else high,
        value=low if exact else None,
        currency="CNY" if metric == "lost_revenue" else None,
    )


LOSS = [
    *(loss(n, "甲家", "A", "lost_visitors", v) for n, v in zip((10, 11, 12, 13), (100, 120, 80, 100), strict=True)),
    loss(14, "甲家", "A", "lost_visitors", 150),
    loss(14, "甲家", "B", "lost_visitors", 100),
    *(loss(n, "甲家", "A", "lost_revenue", 1000) for n in (10, 11, 12, 13)),
    loss(14, "甲家", "A", "lost_revenue", 1500),
    loss(14, "甲家", "B", "lost_revenue", 400),
    loss(12, "乙品", "P", "lost_visitors", 50),
    loss(13, "乙品", "P", "lost_visitors", 60),
    loss(14, "乙品", "P", "lost_visitors", 500),
    *(loss(n, "丙记", "Q", "lost_visitors", 50, 100) for n in (10, 11, 12, 13)),
    loss(14, "丙记", "Q", "lost_visitors", 150, 300),
]


def _load(warehouse: Warehouse, kind: str, records: list[dict], name: str) -> None:
    columns = sorted({c.name for c in TABLES[kind].columns} - {"store", "batch_id"})
    table = pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} | {"platform": "tmall", "nk": f"{name}-{n}"} for n, r in enumerate(records)],
        schema=pa.schema([(c, ARROW[TABLES[kind].column(c).type]) for c in columns]),
    )
    warehouse.load(BatchInfo("S", name, name, 1, "tmall", kind, name, {}), table)


@pytest.fixture
def loaded(store: Warehouse) -> Warehouse:
    _load(store, "prices", [{**r, "currency": "CNY"} for r in PRICES], "prices")
    _load(store, "rival_promotions", PROMOTIONS, "promotions")
    _load(store, "rival_metrics", LOSS, "loss")
    return store


def test_the_events_of_the_period_are_the_cut_the_new_method_and_the_jump(loaded: Warehouse) -> None:
    found = rival_events.rival_events(loaded.engine.ibis(), SCOPE, OWN)
    assert found.events == (
        RivalEvent(D, "price_cut", "甲家", product="X", before=129.0, after=99.0, currency="CNY"),
        RivalEvent(D, "new_method", "甲家", product="甲家 焖烧杯", method="淘客"),
        RivalEvent(D, "loss_jump", "甲家", metric="lost_visitors", before=100.0, after=250.0, history=4),
    )
    assert found.events[2].ratio == pytest.approx(2.5)
    assert found.unjudged == (UnjudgedLoss("乙品", "lost_visitors", D, 2),)
    assert found.checked == ("prices", "promotions", "loss")


def test_own_shop_unknown_its_cut_counts_as_a_shop_like_any_other(loaded: Warehouse) -> None:
    found = rival_events.rival_events(loaded.engine.ibis(), SCOPE, None)
    assert [(e.rival, e.product) for e in found.events if e.kind == "price_cut"] == [("Mine", "Z"), ("甲家", "X")]


def test_a_period_without_rival_rows_has_nothing_to_say(loaded: Warehouse) -> None:
    found = rival_events.rival_events(loaded.engine.ibis(), Scope("S", day(20), day(21), "CNY"), OWN)
    assert (found.events, found.unjudged, found.checked) == ((), (), ())


def test_the_context_days_before_an_alert() -> None:
    cut = RivalEvent(day(11), "price_cut", "甲家", product="X", before=2.0, after=1.0)
    jump = RivalEvent(day(14), "loss_jump", "乙品", metric="lost_visitors", before=10.0, after=30.0, history=4)
    found = rival_events.RivalEvents((cut, jump), (), ("prices",))
    assert found.around(day(14), 3) == (cut, jump)
    assert found.around(day(14), 2) == (jump,)
    assert found.around(day(13), 3) == (cut,)  # an event after the alert's day is no context of it


# ---- the rules alone


def test_a_method_seen_before_for_that_rival_is_not_new() -> None:
    rows = [
        {"date": day(1), "rival": "甲家", "product": "p", "method": "直通车"},
        {"date": D, "rival": "甲家", "product": "p", "method": "直通车"},
        {"date": D, "rival": "乙品", "product": "q", "method": "直通车"},  # 乙品's first day: nothing to be new against
        {"date": day(2), "rival": "乙品", "product": "q", "method": None},  # a row without a method is a recorded day
        {"date": D, "rival": "乙品", "product": "q", "method": "Live"},
        {"date": D, "rival": "甲家", "product": "p", "method": "live"},  # the same method for 甲家 is new for 甲家
        {"date": day(3), "rival": "丙记", "product": "r", "method": "LIVE"},
        {"date": D, "rival": "丙记", "product": "r", "method": "live"},  # spelt differently, seen before
    ]
    found = rival_events.new_methods(rows, D, D, None)
    assert sorted((e.rival, e.method) for e in found) == [("乙品", "Live"), ("乙品", "直通车"), ("甲家", "live")]


def _period(n: int, value: float, high: float | None = None, length: int = 0) -> dict:
    return {
        "rival": "R",
        "metric": "lost_visitors",
        "date": day(n),
        "end_date": day(n + length),
        "low": value,
        "high": value if high is None else high,
        "currency": None,
    }


def test_without_enough_history_a_tripling_is_not_judged_a_jump() -> None:
    periods = [_period(11, 100), _period(12, 100), _period(13, 100), _period(14, 300)]
    events, unjudged = rival_events.loss_jumps(periods, D, D, None)
    assert events == []
    assert unjudged == [UnjudgedLoss("R", "lost_visitors", D, 3)]
    # One more earlier day and it is one: 300 ≥ 2 × 100.
    events, unjudged = rival_events.loss_jumps([_period(10, 100), *periods], D, D, None)
    assert [(e.before, e.after, e.history) for e in events] == [(100.0, 300.0, 4)]
    assert unjudged == []


def test_a_jump_is_against_the_median_and_needs_twice_it() -> None:
    # Median of 10, 100, 100, 1000 is 100: 199 is under twice it, 200 is a jump.
    earlier = [_period(10, 10), _period(11, 100), _period(12, 100), _period(13, 1000)]
    assert rival_events.loss_jumps([*earlier, _period(14, 199)], D, D, None)[0] == []
    [jump] = rival_events.loss_jumps([*earlier, _period(14, 200)], D, D, None)[0]
    assert (jump.before, jump.after) == (100.0, 200.0)
    assert rival_events.loss_jumps([*earlier, _period(14, 200)], D, D, "R") == ([], [])  # our own shop: no rival


def test_a_handful_of_visitors_is_never_a_jump() -> None:
    earlier = [_period(n, 5) for n in (10, 11, 12, 13)]
    assert rival_events.loss_jumps([*earlier, _period(14, 29)], D, D, None)[0] == []  # under JUMP_MIN_VISITORS
    assert len(rival_events.loss_jumps([*earlier, _period(14, 30)], D, D, None)[0]) == 1


def test_history_is_the_same_length_of_period_and_a_band_open_above_is_none() -> None:
    weeks = [_period(n, 700, length=6) for n in (1, 8)]  # weekly rows: not the history of a day
    open_above = [_period(n, 100, high=None) for n in (10, 11)]
    open_above = [{**p, "high": None} for p in open_above]
    days = [_period(12, 100), _period(13, 100)]
    _, unjudged = rival_events.loss_jumps([*weeks, *open_above, *days, _period(14, 900)], D, D, None)
    assert unjudged == [UnjudgedLoss("R", "lost_visitors", D, 2)]


def test_history_reaches_back_five_weeks_only() -> None:
    old = [_period(n, 100) for n in (6, 7, 8)]  # 11-06, 11-07, 11-08
    recent = [{**p, "date": date(2026, 12, 10), "end_date": date(2026, 12, 10)} for p in [_period(1, 100)]]
    now = {**_period(1, 500), "date": date(2026, 12, 12), "end_date": date(2026, 12, 12)}
    # 12-12 minus 35 days is 11-07: 11-07 and 11-08 count, 11-06 does not — with 12-10, three earlier days.
    _, unjudged = rival_events.loss_jumps([*old, *recent, now], date(2026, 12, 12), date(2026, 12, 12), None)
    assert unjudged == [UnjudgedLoss("R", "lost_visitors", date(2026, 12, 12), 3)]
