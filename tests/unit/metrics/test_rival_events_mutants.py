"""What the rivals' events say that no test varied until a mutation run (`make mutation MODULES=rival_events`)
changed it unnoticed: which title names a price cut, how far back a cut's previous price may lie and that a cut
after the period is not the period's; a new method named by the product's ID when the sheet has no title, spaces
collapsed, a blank method no method, the first product of the day in order; the events of one day in order; the
currency of a jump in lost revenue; a usual level of 0 or 1; the rivals left unjudged in order; a rival too small to
judge not stopping the next; 流失 read from the loss rows of rivals only. Values worked out by hand; on DuckDB and
PostgreSQL where a warehouse is read."""

from __future__ import annotations

from datetime import date

from shopdata.metrics import rival_events
from shopdata.metrics.query import Scope
from shopdata.metrics.rival_events import RivalEvent, UnjudgedLoss
from shopdata.store import Warehouse
from tests.unit.metrics.test_rival_events import OWN, SCOPE, D, _load, _period, day, loss, promo


def _price(when: date, shop: str, product_id: str, name: str | None, value: float) -> dict:
    return dict(
        date=when, end_date=when, shop=shop, product_id=product_id, product_name=name, price=value, currency="CNY"
    )


def test_a_cut_is_named_by_its_title_else_its_id_and_belongs_to_the_period_it_is_seen_in(store: Warehouse) -> None:
    _load(
        store,
        "prices",
        [
            _price(day(12), "甲家", "X", "甲家 保温杯", 129.0),
            _price(D, "甲家", "X", "甲家 保温杯", 99.0),  # a cut, named by its title
            _price(day(12), "乙品", "Y", None, 100.0),
            _price(D, "乙品", "Y", None, 80.0),  # a cut of a product without a title: named by its ID
            # 20 days before the period: further back than the 14 days a cut's previous price may lie.
            _price(date(2026, 10, 25), "丙记", "W", "丙记 水壶", 200.0),
            _price(D, "丙记", "W", "丙记 水壶", 150.0),
            _price(D, "丁铺", "V", "丁铺 杯", 100.0),
            _price(day(15), "丁铺", "V", "丁铺 杯", 60.0),  # a cut the day after the period: not the period's
        ],
        "prices",
    )
    found = rival_events.rival_events(store.engine.ibis(), SCOPE, OWN)
    assert found.events == (
        RivalEvent(D, "price_cut", "乙品", product="Y", before=100.0, after=80.0, currency="CNY"),
        RivalEvent(D, "price_cut", "甲家", product="甲家 保温杯", before=129.0, after=99.0, currency="CNY"),
    )
    assert found.checked == ("prices",)


def test_new_methods_named_ordered_and_a_blank_method_none(store: Warehouse) -> None:
    rows = [
        promo(day(1), "甲家", "甲家 保温杯", "直通车"),  # 甲家's first recorded day
        {**promo(D, "甲家", None, "超级  推荐"), "product_id": "SKU-9"},  # no title: the ID; spaces collapsed
        promo(D, "甲家", "甲家 焖烧杯", None),  # a row without a method is no method
        promo(D, "甲家", "A杯", "钻展"),
        promo(D, "甲家", "B杯", "淘客"),
        promo(D, "甲家", "A杯", "淘客"),  # 淘客 first on two products that day: named by the first, A杯
        promo(D, "乙品", "乙品 大容量", "钻展"),  # 乙品's first recorded day
        {**promo(day(15), "乙品", None, "淘客"), "product_id": None},  # a row naming no product …
        promo(day(15), "乙品", "乙品 保温杯", "淘客"),  # … and one that does: the event names it
    ]
    _load(store, "rival_promotions", rows, "promotions")
    found = rival_events.rival_events(store.engine.ibis(), Scope("S", D, day(15), "CNY"), OWN)
    # One day, one rival: by product (A杯 before SKU-9), then method (淘客 before 钻展).
    assert found.events == (
        RivalEvent(D, "new_method", "甲家", product="A杯", method="淘客"),
        RivalEvent(D, "new_method", "甲家", product="A杯", method="钻展"),
        RivalEvent(D, "new_method", "甲家", product="SKU-9", method="超级 推荐"),
        RivalEvent(day(15), "new_method", "乙品", product="乙品 保温杯", method="淘客"),
    )
    assert found.checked == ("promotions",)


def test_a_jump_in_lost_revenue_carries_its_currency_and_only_rivals_loss_rows_count(store: Warehouse) -> None:
    rows = [
        *(loss(n, "甲家", "A", "lost_revenue", 1000) for n in (10, 11, 12, 13)),
        loss(D.day, "甲家", "A", "lost_revenue", 2500),  # 2.5 × the usual 1000: a jump, in yuan
        # 竞店 figures of the same rival (another grain) are no 流失, however they move.
        *({**loss(n, "甲家", "A", "lost_visitors", 10), "grain": "shop"} for n in (10, 11, 12, 13)),
        {**loss(D.day, "甲家", "A", "lost_visitors", 100), "grain": "shop"},
        # A 流失 row of no rival is no rival's loss.
        *({**loss(n, "甲家", "A", "lost_visitors", 40), "rival_shop": None} for n in (10, 11, 12, 13)),
        {**loss(D.day, "甲家", "A", "lost_visitors", 400), "rival_shop": None},
    ]
    _load(store, "rival_metrics", rows, "loss")
    found = rival_events.rival_events(store.engine.ibis(), SCOPE, OWN)
    assert found.events == (
        RivalEvent(
            D, "loss_jump", "甲家", metric="lost_revenue", before=1000.0, after=2500.0, currency="CNY", history=4
        ),
    )
    assert (found.unjudged, found.checked) == ((), ("loss",))


def _history(rival: str, metric: str, values: tuple[float, ...], now: float | None, currency: str | None = None):
    """`rival`'s periods of `metric`: one a day from 11-10 with `values`, then D with `now` (None: open below)."""
    earlier = [
        {**_period(10 + n, v), "rival": rival, "metric": metric, "currency": currency} for n, v in enumerate(values)
    ]
    return [
        *earlier,
        {**_period(D.day, now or 0.0), "low": now, "rival": rival, "metric": metric, "currency": currency},
    ]


def test_a_count_has_no_currency_and_revenue_keeps_its_own() -> None:
    periods = [
        *_history("R", "lost_revenue", (100.0,) * 4, 300.0, "CNY"),
        *_history("R", "lost_visitors", (100.0,) * 4, 300.0, "CNY"),  # an export that stamps every row
    ]
    events, _ = rival_events.loss_jumps(periods, D, D, None)
    assert [(e.metric, e.currency) for e in events] == [("lost_revenue", "CNY"), ("lost_visitors", None)]


def test_a_usual_level_of_nothing_makes_no_jump_and_of_one_does() -> None:
    # Usually 0 lost: 100 now is no "2 × the usual" (there is no usual level to multiply), and not unjudged.
    assert rival_events.loss_jumps(_history("R", "lost_revenue", (0.0,) * 4, 100.0), D, D, None) == ([], [])
    # Usually ¥1 lost: ¥2 now is twice it.
    [jump], _ = rival_events.loss_jumps(_history("R", "lost_revenue", (1.0,) * 4, 2.0), D, D, None)
    assert (jump.before, jump.after) == (1.0, 2.0)
    # An open low end counts 0 lost (at least nothing): not a jump over a usual ¥0.40.
    assert rival_events.loss_jumps(_history("R", "lost_revenue", (0.4,) * 4, None), D, D, None) == ([], [])


def test_a_rival_too_small_to_judge_does_not_stop_the_next() -> None:
    # A: 5 → 20 lost visitors, 4 ×, but under 30 people; B: 100 → 300, a jump. loss_periods sorts A before B.
    periods = [*_history("A", "lost_visitors", (5.0,) * 4, 20.0), *_history("B", "lost_visitors", (100.0,) * 4, 300.0)]
    events, _ = rival_events.loss_jumps(periods, D, D, None)
    assert [(e.rival, e.before, e.after) for e in events] == [("B", 100.0, 300.0)]


def test_the_rivals_left_unjudged_are_listed_by_rival_then_metric() -> None:
    periods = [
        *_history("B", "lost_visitors", (100.0,), 300.0),
        *_history("A", "lost_visitors", (100.0, 100.0), 300.0),
        *_history("A", "lost_revenue", (100.0,), 300.0),
    ]
    _, unjudged = rival_events.loss_jumps(periods, D, D, None)
    assert unjudged == [
        UnjudgedLoss("A", "lost_revenue", D, 1),
        UnjudgedLoss("A", "lost_visitors", D, 2),
        UnjudgedLoss("B", "lost_visitors", D, 1),
    ]
