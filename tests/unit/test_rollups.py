"""Rollups (shopdata/rollups.py) agree with the base rows after every change, on DuckDB and PostgreSQL: the
metric queries answer the same through a Source (which reads a rollup when one answers) and through a bare
Ibis backend (which reads the base rows), on a randomised warehouse and on hand-computed cases."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import ibis.expr.operations as ops
import pandas as pd
import pyarrow as pa
import pytest

from shopdata import engine as engine_module
from shopdata import rollups
from shopdata.backup import restore_backup, write_backup_to_dir
from shopdata.engine import Engine, quote_identifier
from shopdata.metrics import funnel, overview
from shopdata.metrics.cache import uncached_source
from shopdata.metrics.definitions import METRICS
from shopdata.metrics.query import (
    Scope,
    compute,
    compute_periods,
    currencies,
    data_range,
    has_rows,
    metric_expr,
    platform_currencies,
)
from shopdata.migrations import MIGRATIONS, CopyData
from shopdata.schema import ROLLUP_TABLES, TABLES
from shopdata.store import BatchInfo, Warehouse

D0 = date(2024, 5, 1)
DAYS = 10
STORES = ("S", "T")
BREAKDOWNS = {
    # the rollups answer all but the last of each (device and keyword: no rollup keeps them)
    "traffic": [(), ("date",), ("source_1", "source_2"), ("platform", "product_id"), ("device",)],
    "ads": [(), ("date",), ("campaign",), ("platform", "product_id"), ("keyword",)],
}
METRICS_OF = {domain: [m.name for m in METRICS if m.domain == domain] for domain in BREAKDOWNS}


@pytest.fixture(autouse=True)
def compiled_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test compiles the rollups' SELECTs itself: they are memoised per kind of database, and a test run
    after another (or a mutation run's forked test, which starts from a process that has run them all) would
    otherwise check the SELECTs an earlier compile left, not what the code compiles now."""
    monkeypatch.setattr(rollups, "_SELECTS", {})


def _arrow_type(portable: str) -> pa.DataType:
    return {
        "text": pa.string(),
        "double": pa.float64(),
        "bigint": pa.int64(),
        "integer": pa.int32(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us"),
        "boolean": pa.bool_(),
    }[portable]


def rows(kind: str, records: list[dict]) -> pa.Table:
    columns = sorted({c.name for c in TABLES[kind].columns} - {"store", "batch_id"})
    return pa.Table.from_pylist(
        [{c: r.get(c) for c in columns} for r in records],
        schema=pa.schema([(c, _arrow_type(TABLES[kind].column(c).type)) for c in columns]),
    )


def load(warehouse: Warehouse, store: str, kind: str, records: list[dict], name: str) -> int:
    info = BatchInfo(store, name, name, 1, records[0]["platform"], kind, name, {})
    return warehouse.load(info, rows(kind, records)).batch_id


# ------------------------------------------------------------------ a randomised warehouse


def _maybe(rng: random.Random, value, empty: float = 0.25):
    return None if rng.random() < empty else value


def _figure(rng: random.Random) -> float | None:
    return _maybe(rng, float(rng.randint(0, 50)))  # whole numbers: sums are exact in any order


def traffic_record(rng: random.Random, n: int, store: str) -> dict:
    platform = rng.choice(["tmall", "shopify", "meta"])
    day = D0 + timedelta(days=rng.randrange(DAYS))
    level = rng.choice([None, 1, 2])
    currency = {"tmall": rng.choice(["CNY", None]), "shopify": "USD", "meta": None}[platform]
    return {
        "nk": f"{store}-t{n}",
        "platform": platform,
        "date": day,
        "end_date": day + timedelta(days=6) if rng.random() < 0.1 else day,
        "grain": rng.choice(["shop", "source", "product", "landing_page"]),
        "source_level": level,
        "source_1": _maybe(rng, rng.choice(["付费", "自然"]), 0.2),
        "source_2": rng.choice(["万相台", "淘宝客"]) if level == 2 else None,
        "product_id": _maybe(rng, rng.choice(["p1", "p2"]), 0.5),
        "device": rng.choice(["无线端", "PC"]),
        "currency": currency,
        **{c: _figure(rng) for c in ("visitors", "sessions", "page_views", "product_visitors", "cart_users")},
        **{c: _figure(rng) for c in ("checkout_sessions", "order_buyers", "buyers", "orders")},
        **{c: _maybe(rng, float(rng.randint(0, 900)), 0.4) for c in ("revenue", "order_amount", "refund")},
    }


def ads_record(rng: random.Random, n: int, store: str) -> dict:
    platform = rng.choice(["tmall", "amazon", "google_ads"])
    day = D0 + timedelta(days=rng.randrange(DAYS))
    currency = {"tmall": "CNY", "amazon": rng.choice(["USD", None]), "google_ads": rng.choice(["CNY", None])}[platform]
    return {
        "nk": f"{store}-a{n}",
        "platform": platform,
        "date": day,
        "end_date": day + timedelta(days=13) if rng.random() < 0.1 else day,
        "grain": rng.choice(["campaign", "ad_group", "keyword", "search_term", "product"]),
        "campaign": _maybe(rng, rng.choice(["c1", "c2", "c3"]), 0.15),
        "product_id": _maybe(rng, rng.choice(["p1", "p2"]), 0.5),
        "keyword": _maybe(rng, rng.choice(["k1", "k2"]), 0.5),
        "currency": currency,
        **{c: _figure(rng) for c in ("impressions", "clicks", "conversions")},
        **{c: _maybe(rng, float(rng.randint(0, 900)), 0.3) for c in ("spend", "revenue")},
    }


def event_record(rng: random.Random, n: int, store: str, first: date = D0, days: int = DAYS) -> dict:
    """A behaviour-log row at a random minute of the `days` days from `first`; `store` names its natural key."""
    moment = datetime.combine(first, datetime.min.time()) + timedelta(minutes=rng.randrange(days * 24 * 60))
    return {
        "nk": f"{store}-e{n}",
        "platform": rng.choice(["taobao", "jd"]),
        "user_id": _maybe(rng, f"u{rng.randrange(12)}", 0.05),
        "item_id": f"i{rng.randrange(4)}",
        "behavior": _maybe(rng, rng.choice(["view", "view", "view", "cart", "fav", "checkout", "purchase"]), 0.05),
        "event_time": moment,
        "event_date": moment.date(),
        "source": rng.choice(["search", "ads"]),
    }


def log_records(events: list[tuple[str, str, datetime]]) -> list[dict]:
    """Behaviour-log rows on one platform from (user, behaviour, time)."""
    return [
        {"nk": f"e{n}", "platform": "taobao", "user_id": u, "behavior": b, "event_time": t, "event_date": t.date()}
        for n, (u, b, t) in enumerate(events)
    ]


MAKERS = {"traffic": traffic_record, "ads": ads_record, "events": event_record}


def changed(rng: random.Random, record: dict, kind: str) -> dict:
    """The same natural key (so the same days) with other figures: an overlapping re-export."""
    fresh = MAKERS[kind](rng, 0, "")
    keep = {"nk", "platform", "date", "end_date", "event_time", "event_date", "user_id", "behavior"}
    return {**fresh, **{k: v for k, v in record.items() if k in keep}}


@pytest.fixture
def randomised(store: Warehouse) -> tuple[Warehouse, dict]:
    """Two stores, each with two batches of every rolled-up kind; returns the batch ids."""
    rng = random.Random(14)
    made: dict = {}
    for name in STORES:
        for kind, maker in MAKERS.items():
            records = [maker(rng, n, name) for n in range(60)]
            made[(name, kind)] = records
            made[(name, kind, "batches")] = [
                load(store, name, kind, records[:35], f"{name}-{kind}-1"),
                load(store, name, kind, records[35:], f"{name}-{kind}-2"),
            ]
    return store, made


# ------------------------------------------------------------------ what is compared


def snapshot(engine: Engine, select: str) -> list[tuple]:
    found = engine.execute(f"SELECT * FROM ({select}) AS r").rows
    return sorted(found, key=repr)


def assert_rollups_are_their_base_rows(engine: Engine) -> None:
    """Each rollup table holds exactly what its SELECT computes from the base rows now."""
    for table in ROLLUP_TABLES:
        columns = ", ".join(quote_identifier(c) for c in ROLLUP_TABLES[table].column_names)
        stored = snapshot(engine, f"SELECT {columns} FROM {quote_identifier(table)}")
        computed = snapshot(engine, f"SELECT {columns} FROM ({rollups._select_sql(engine, table)}) AS s")
        assert stored == computed, table
        assert stored or table == rollups.EVENT_USERS or not engine.execute("SELECT 1 FROM traffic").rows


def scopes_of(warehouse: Warehouse) -> list[Scope]:
    """A whole store, a window across both, and a window of store S in each of its currencies."""
    window = (D0 + timedelta(days=1), D0 + timedelta(days=8))
    found = [Scope("S"), Scope(None, D0 + timedelta(days=2), D0 + timedelta(days=7))]
    return found + [Scope("S", *window, currency) for currency in currencies(warehouse.engine.ibis(), "S")]


def rows_of(frame: pd.DataFrame) -> list[tuple]:
    """A frame's rows in a set order (the funnel's counts come in no particular one)."""
    return sorted(map(tuple, frame.astype(object).where(frame.notna(), None).to_numpy().tolist()), key=repr)


def assert_routes_agree(warehouse: Warehouse) -> None:
    """Every traffic and ad metric, by every breakdown, and the behaviour funnel's counts: the same through a
    Source (rollups where they answer) and through the bare backend (base rows)."""
    source, base = uncached_source(warehouse.engine), warehouse.engine.ibis()
    for store in STORES:
        assert currencies(source, store) == currencies(base, store)
        assert platform_currencies(source, store) == platform_currencies(base, store)
        assert data_range(source, store) == data_range(base, store)
    scopes = scopes_of(warehouse)
    for scope in scopes:
        assert overview.availability(source, (scope,)) == overview.availability(base, (scope,)), scope
        for domain, bys in BREAKDOWNS.items():
            assert has_rows(source, scope, domain) == has_rows(base, scope, domain)
            for by in bys:
                via_rollup = compute(source, METRICS_OF[domain], scope, by=list(by)).to_pylist()
                via_rows = compute(base, METRICS_OF[domain], scope, by=list(by)).to_pylist()
                assert via_rollup == via_rows, (scope, domain, by)
        for by in (None, "platform", "week", "source"):
            assert rows_of(funnel.open_counts(source, scope, by)) == rows_of(funnel.open_counts(base, scope, by))
        assert funnel.event_stages(source, scope) == funnel.event_stages(base, scope)
        assert funnel.favorite_users(source, scope) == funnel.favorite_users(base, scope)
        assert rows_of(funnel.daily_event_conversion(source, scope)) == rows_of(
            funnel.daily_event_conversion(base, scope)
        )
        assert funnel.days_with_data(source, scope, funnel.EVENTS) == funnel.days_with_data(base, scope, funnel.EVENTS)
    for domain in BREAKDOWNS:
        periods = compute_periods(source, METRICS_OF[domain], scopes[:2], by=["date"])
        assert [p.to_pylist() for p in periods] == [
            p.to_pylist() for p in compute_periods(base, METRICS_OF[domain], scopes[:2], by=["date"])
        ]


def tables_read(expr) -> set[str]:
    return {node.name for node in expr.op().find(ops.DatabaseTable)}


def test_a_source_reads_the_rollup_and_a_bare_backend_the_rows(randomised: tuple[Warehouse, dict]) -> None:
    warehouse, _ = randomised
    source, base = uncached_source(warehouse.engine), warehouse.engine.ibis()
    scope = Scope("S", D0, D0 + timedelta(days=3))
    assert tables_read(metric_expr(source, ["visitors"], scope)) == {"rollup_traffic_daily"}
    assert tables_read(metric_expr(source, ["spend"], scope, by=["campaign"])) == {"rollup_ads_breakdown"}
    assert tables_read(metric_expr(source, ["spend"], scope, by=["keyword"])) == {"ads"}
    assert tables_read(metric_expr(base, ["visitors"], scope)) == {"traffic"}


def test_rollups_agree_with_the_rows_after_load_replace_currency_change_and_delete(
    randomised: tuple[Warehouse, dict],
) -> None:
    warehouse, made = randomised
    engine = warehouse.engine
    assert_rollups_are_their_base_rows(engine)
    assert_routes_agree(warehouse)

    rng = random.Random(15)
    for kind in MAKERS:  # an overlapping re-export of half of the first batch, with other figures
        again = [changed(rng, r, kind) for r in made[("S", kind)][10:30]]
        load(warehouse, "S", kind, again, f"S-{kind}-again")
    assert_rollups_are_their_base_rows(engine)

    unstated = next(b["batch_id"] for b in warehouse.batches("T") if b["kind"] == "ads" and b["file_name"] == "T-ads-1")
    warehouse.set_batch_currency(unstated, "USD", "tester")
    assert_rollups_are_their_base_rows(engine)

    for kind in MAKERS:
        warehouse.delete_batch(made[("T", kind, "batches")][1])
    assert_rollups_are_their_base_rows(engine)
    assert_routes_agree(warehouse)

    warehouse.delete_store("T")
    assert_rollups_are_their_base_rows(engine)
    for table in ROLLUP_TABLES:
        assert not engine.execute(f"SELECT 1 FROM {table} WHERE store = ?", ["T"]).rows


def test_a_restore_rebuilds_the_rollups_of_the_restored_rows(randomised: tuple[Warehouse, dict]) -> None:
    warehouse, made = randomised
    info = write_backup_to_dir(warehouse.engine, "test")
    for kind in MAKERS:
        warehouse.delete_batch(made[("S", kind, "batches")][0])
    load(warehouse, "S", "traffic", [traffic_record(random.Random(3), 999, "S")], "after the backup")
    restore_backup(warehouse, info.path)
    assert_rollups_are_their_base_rows(warehouse.engine)
    assert_routes_agree(warehouse)


def test_migrations_9_and_10_fill_the_rollups_as_the_loads_keep_them(randomised: tuple[Warehouse, dict]) -> None:
    warehouse, _ = randomised
    engine = warehouse.engine
    kept = {t: snapshot(engine, f"SELECT * FROM {t}") for t in ROLLUP_TABLES}
    assert kept[rollups.EVENT_USER_MONTHS]
    with engine.transaction():
        for table in ROLLUP_TABLES:
            engine.execute(f"DELETE FROM {table}")
        for migration in MIGRATIONS:
            for step in migration.steps if migration.version in (9, 10) else ():
                if isinstance(step, CopyData):
                    step.apply(engine)
    assert {t: snapshot(engine, f"SELECT * FROM {t}") for t in ROLLUP_TABLES} == kept


# ------------------------------------------------------------------ hand-computed


def test_hand_computed_rollup_rows_and_totals(store: Warehouse) -> None:
    d1, d2 = D0, D0 + timedelta(days=1)
    tmall = {"platform": "tmall", "grain": "source", "currency": "CNY"}
    load(
        store,
        "S",
        "traffic",
        [
            # a 汇总 row and its two children on day 1, one child on day 2; a Shopify row with sessions only
            {**tmall, "nk": "a", "date": d1, "end_date": d1, "source_1": "付费", "source_level": 1, "visitors": 100.0},
            {**tmall, "nk": "b", "date": d1, "end_date": d1, "source_1": "付费", "source_2": "x", "source_level": 2,
             "visitors": 70.0, "revenue": 300.0},
            {**tmall, "nk": "c", "date": d1, "end_date": d1, "source_1": "付费", "source_2": "y", "source_level": 2,
             "visitors": 30.0, "revenue": 100.0},
            {**tmall, "nk": "d", "date": d2, "end_date": d2, "source_1": "付费", "source_2": "x", "source_level": 2,
             "visitors": 5.0},
        ],
        "sycm",
    )  # fmt: skip
    load(
        store,
        "S",
        "traffic",
        [{"nk": "e", "platform": "shopify", "grain": "shop", "date": d2, "end_date": d2, "sessions": 40.0}],
        "shopify",
    )
    daily = store.engine.execute(
        "SELECT platform, date, source_level, currency, has_money, row_count, visitors, revenue "
        "FROM rollup_traffic_daily ORDER BY platform, date, source_level"
    ).rows
    assert [tuple(r) for r in daily] == [
        ("shopify", d2, None, None, False, 1, 40.0, None),
        ("tmall", d1, 1, "CNY", False, 1, 100.0, None),
        ("tmall", d1, 2, "CNY", True, 2, 100.0, 400.0),
        ("tmall", d2, 2, "CNY", False, 1, 5.0, None),
    ]
    source = uncached_source(store.engine)
    # Day 1 counts the 汇总 row only (100), day 2 its level-2 row (5); Shopify's sessions stand for visitors.
    assert compute(source, ["visitors"], Scope("S"), by=["date"]).to_pylist() == [
        {"date": d1, "visitors": 100.0},
        {"date": d2, "visitors": 45.0},
    ]
    assert compute(source, ["visitors", "revenue"], Scope("S"), by=["source_2"]).to_pylist() == [
        {"source_2": "x", "visitors": 75.0, "revenue": 300.0},
        {"source_2": "y", "visitors": 30.0, "revenue": 100.0},
    ]
    # Replacing row b (same key) with other figures changes the rollup in the same load.
    load(
        store,
        "S",
        "traffic",
        [{**tmall, "nk": "b", "date": d1, "end_date": d1, "source_1": "付费", "source_2": "x", "source_level": 2,
          "visitors": 10.0, "revenue": 50.0}],
        "sycm again",
    )  # fmt: skip
    assert compute(source, ["revenue"], Scope("S"), by=["source_2"]).to_pylist() == [
        {"source_2": "x", "revenue": 50.0},
        {"source_2": "y", "revenue": 100.0},
    ]


def test_hand_computed_event_users(store: Warehouse) -> None:
    at = datetime(2024, 5, 1, 9)
    events = [
        ("u1", "view", at),
        ("u1", "view", at - timedelta(hours=2)),  # the first view of the day is the earlier one
        ("u1", "cart", at + timedelta(hours=1)),
        ("u2", "view", at + timedelta(days=1)),
        ("u1", "view", at + timedelta(days=1)),
    ]
    load(store, "S", "events", log_records(events), "log")
    found = store.engine.execute(
        "SELECT event_date, user_id, behavior, first_time FROM rollup_event_users ORDER BY 1, 2, 3"
    ).rows
    day1, day2 = at.date(), at.date() + timedelta(days=1)
    assert [tuple(r) for r in found] == [
        (day1, "u1", "cart", at + timedelta(hours=1)),
        (day1, "u1", "view", at - timedelta(hours=2)),
        (day2, "u1", "view", at + timedelta(days=1)),
        (day2, "u2", "view", at + timedelta(days=1)),
    ]
    source = uncached_source(store.engine)
    funnel_found = funnel.event_funnel(source, Scope("S"))
    assert dict(zip(funnel_found["stage"], funnel_found["users"], strict=True)) == {"view": 2, "cart": 1, "purchase": 0}


def test_the_compiled_query_cache_never_serves_another_scopes_result(randomised: tuple[Warehouse, dict]) -> None:
    warehouse, _ = randomised
    source, base = uncached_source(warehouse.engine), warehouse.engine.ibis()
    metrics = METRICS_OF["traffic"]
    first = Scope("S", D0, D0 + timedelta(days=4))
    others = [Scope("T", D0, D0 + timedelta(days=4)), Scope("S", D0 + timedelta(days=5), D0 + timedelta(days=9))]
    expected = compute(base, metrics, first, by=["date"]).to_pylist()
    assert compute(source, metrics, first, by=["date"]).to_pylist() == expected
    compiled = len(engine_module._COMPILED)
    for other in others:
        found = compute(source, metrics, other, by=["date"]).to_pylist()
        assert found == compute(base, metrics, other, by=["date"]).to_pylist()
        assert found != expected
    assert len(engine_module._COMPILED) == compiled  # the same SQL served them, with other values bound
    assert compute(source, metrics, first, by=["date"]).to_pylist() == expected


@pytest.mark.parametrize("platforms", [("taobao",), ("taobao", "jd")], ids=["one-platform", "two-platforms"])
def test_daily_event_conversion_counts_each_user_once_a_day(store: Warehouse, platforms: tuple[str, ...]) -> None:
    """With one platform the daily counts are read from the rollup's rows without a DISTINCT; with two, a user
    seen on both on one day is still one user that day. Hand-computed for both."""
    at = datetime(2024, 5, 1, 9)
    events = [
        ("u1", "view", at),
        ("u1", "view", at + timedelta(hours=3)),  # the same user again that day: one viewer
        ("u2", "view", at),
        ("u2", "cart", at + timedelta(hours=1)),
        ("u1", "purchase", at + timedelta(days=1)),
    ]
    records = [
        {
            "nk": f"e{n}",
            "platform": platforms[n % len(platforms)],
            "user_id": u,
            "behavior": b,
            "event_time": t,
            "event_date": t.date(),
        }
        for n, (u, b, t) in enumerate(events)
    ]
    load(store, "S", "events", records, "log")
    day1, day2 = at.date(), at.date() + timedelta(days=1)
    expected = [(day1, 2, 1, 0), (day2, 0, 0, 1)]
    for backend in (uncached_source(store.engine), store.engine.ibis()):
        daily = funnel.daily_event_conversion(backend, Scope("S", day1, day2))
        found = [
            (d, int(v), int(c), int(p)) for d, v, c, p in daily[["date", "viewers", "carters", "purchasers"]].to_numpy()
        ]
        assert found == expected


# ------------------------------------------------------------------ each user's days of a month


def test_hand_computed_user_months_and_the_periods_they_answer(store: Warehouse) -> None:
    """Day d of a month is bit d - 1 of the user's row for that month and behaviour; a period counts a user
    when one of its days has the bit, whatever months it spans. Bits and counts worked out by hand."""
    events = [
        ("u1", "view", datetime(2024, 5, 1, 10)),
        ("u1", "view", datetime(2024, 5, 31, 23, 59)),
        ("u1", "view", datetime(2024, 6, 1, 0, 1)),
        ("u2", "cart", datetime(2024, 4, 30, 8)),
        ("u2", "view", datetime(2024, 5, 16, 8)),
    ]
    load(store, "S", "events", log_records(events), "log")
    found = store.engine.execute(
        "SELECT month, user_id, behavior, days FROM rollup_event_user_months ORDER BY 1, 2, 3"
    ).rows
    assert [tuple(r) for r in found] == [
        (date(2024, 4, 1), "u2", "cart", 536870912),  # day 30: 2 ** 29
        (date(2024, 5, 1), "u1", "view", 1073741825),  # days 1 and 31: 2 ** 0 + 2 ** 30
        (date(2024, 5, 1), "u2", "view", 32768),  # day 16: 2 ** 15
        (date(2024, 6, 1), "u1", "view", 1),
    ]
    expected = {
        (date(2024, 5, 2), date(2024, 5, 15)): {},
        (date(2024, 5, 2), date(2024, 5, 30)): {"view": 1},  # u2 on the 16th
        (date(2024, 5, 17), date(2024, 5, 30)): {},
        (date(2024, 5, 31), date(2024, 5, 31)): {"view": 1},
        (date(2024, 5, 17), date(2024, 6, 1)): {"view": 1},  # u1 on the 31st and the 1st: one user
        (date(2024, 4, 30), date(2024, 5, 1)): {"view": 1, "cart": 1},
        (date(2024, 4, 1), date(2024, 4, 29)): {},
        (date(2024, 6, 2), date(2024, 6, 30)): {},
        (date(2024, 1, 1), date(2024, 12, 31)): {"view": 2, "cart": 1},
    }
    for backend in (uncached_source(store.engine), store.engine.ibis()):
        for (start, end), counts in expected.items():
            found_counts = funnel.open_counts(backend, Scope("S", start, end))
            assert dict(zip(found_counts["behavior"], found_counts["users"], strict=True)) == counts, (start, end)


def test_periods_across_months_count_the_same_users_as_the_events(store: Warehouse) -> None:
    """Every period between the days around three month ends, and periods open at one end: the open funnel
    (also by platform), its stages and the favourite users are the same through the monthly rollup as from
    the events; and after a load and a delete whose days begin mid-month, the whole month is refolded."""
    rng = random.Random(10)
    load(store, "S", "events", [event_record(rng, n, "a", date(2024, 4, 20), 52) for n in range(300)], "spring")
    edges = [date(2024, 4, 30), date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 30), date(2024, 5, 31)]
    edges += [date(2024, 6, 1), date(2024, 6, 10)]
    scopes = [Scope("S", a, b) for a in edges for b in edges if a <= b]
    scopes += [Scope("S", date(2024, 5, 31), None), Scope("S", None, date(2024, 5, 1)), Scope(None)]

    def assert_same_users() -> None:
        source, base = uncached_source(store.engine), store.engine.ibis()
        for scope in scopes:
            for by in (None, "platform"):
                assert rows_of(funnel.open_counts(source, scope, by)) == rows_of(funnel.open_counts(base, scope, by))
            assert funnel.favorite_users(source, scope) == funnel.favorite_users(base, scope), scope

    assert_same_users()
    for scope in scopes[:3]:  # a checkout in the period or not: from the month rows too
        assert funnel.event_stages(uncached_source(store.engine), scope) == funnel.event_stages(
            store.engine.ibis(), scope
        )
    late_may = [event_record(rng, n, "b", date(2024, 5, 20), 14) for n in range(80)]
    later = load(store, "S", "events", late_may, "late May")
    assert_rollups_are_their_base_rows(store.engine)
    assert_same_users()
    store.delete_batch(later)
    assert_rollups_are_their_base_rows(store.engine)
    assert_same_users()


def test_the_funnel_reads_the_monthly_rollup_unless_it_needs_days(randomised: tuple[Warehouse, dict]) -> None:
    warehouse, _ = randomised
    source = uncached_source(warehouse.engine)
    scope = Scope("S", D0, D0 + timedelta(days=3))
    assert tables_read(funnel._events(source, scope)) == {rollups.EVENT_USER_MONTHS}
    assert tables_read(funnel._events(source, scope, "platform")) == {rollups.EVENT_USER_MONTHS}
    assert tables_read(funnel._events(source, scope, dated=True)) == {rollups.EVENT_USERS}
    assert tables_read(funnel._events(source, scope, "week")) == {rollups.EVENT_USERS}
    assert tables_read(funnel._events(warehouse.engine.ibis(), scope)) == {"events"}
