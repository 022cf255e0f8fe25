"""The currency rule on DuckDB and PostgreSQL: money counts in the currency its row states, or in an
unknown currency — never in one borrowed from another platform (issue 10 item 2)."""

from __future__ import annotations

from datetime import date

import pytest

from shopdata.metrics.query import UNKNOWN_CURRENCY, Scope, currencies, has_rows, totals, unknown_currency_batches
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_query import rows

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)
INR = Scope("S", D1, D2, "INR")
UNKNOWN = Scope("S", D1, D2, UNKNOWN_CURRENCY)

AMAZON_ADS = [
    dict(platform="amazon", grain="campaign", date=D1, end_date=D1, campaign="SP", spend=100.0, revenue=300.0,
         clicks=10.0, impressions=1000.0, currency="INR"),
    dict(platform="amazon", grain="campaign", date=D2, end_date=D2, campaign="SP", spend=50.0, revenue=100.0,
         clicks=5.0, impressions=500.0, currency="INR"),
]  # fmt: skip
META_ADS = [  # an Ads Manager export: no currency column, imported without one
    dict(platform="meta", grain="campaign", date=D1, end_date=D1, campaign="Reels", spend=70.0, clicks=7.0,
         impressions=700.0),
    dict(platform="meta", grain="campaign", date=D2, end_date=D2, campaign="Reels", spend=30.0, clicks=3.0,
         impressions=300.0),
]  # fmt: skip
AMAZON_TRAFFIC = [
    dict(platform="amazon", grain="shop", date=D1, end_date=D1, visitors=200.0, buyers=5.0, revenue=1000.0,
         currency="INR"),
]  # fmt: skip
# The same Amazon account's report without a currency column: Amazon states INR and nothing else here.
AMAZON_TRAFFIC_UNSTATED = [
    dict(platform="amazon", grain="shop", date=D2, end_date=D2, visitors=100.0, buyers=2.0, revenue=500.0),
]  # fmt: skip
# Visitors only (a GA sessions report): no money, so no currency to miss.
GA_TRAFFIC = [
    dict(platform="ga", grain="source", date=D1, end_date=D1, source_1="google", source_level=1, visitors=40.0),
]  # fmt: skip


def load(warehouse: Warehouse, kind: str, records: list[dict], name: str) -> int:
    info = BatchInfo("S", name, name, 1, records[0]["platform"], kind, name, {})
    return warehouse.load(info, rows(kind, records, name)).batch_id


@pytest.fixture
def meta_batch(store: Warehouse) -> int:
    load(store, "ads", AMAZON_ADS, "amazon-campaigns.csv")
    load(store, "traffic", AMAZON_TRAFFIC, "amazon-business.csv")
    load(store, "traffic", AMAZON_TRAFFIC_UNSTATED, "amazon-business-nocur.csv")
    load(store, "traffic", GA_TRAFFIC, "ga-sessions.csv")
    return load(store, "ads", META_ADS, "meta-ads.csv")


def test_money_without_a_currency_is_not_added_to_a_known_one(store: Warehouse, meta_batch: int) -> None:
    found = totals(store.engine.ibis(), ["spend", "clicks", "visitors", "revenue"], INR)
    assert found["spend"] == 150.0  # Amazon's 100 + 50; Meta's 70 + 30 is in no known currency
    assert found["clicks"] == 15.0  # the Meta rows are out as a whole, not only their money
    assert found["visitors"] == 340.0  # Amazon 200 + 100, and the GA row without money (40) still counts
    assert found["revenue"] == 1500.0  # 1000 + the unstated Amazon row's 500: Amazon's sole currency is INR


def test_the_unknown_currency_is_a_choice_with_exactly_that_money(store: Warehouse, meta_batch: int) -> None:
    backend = store.engine.ibis()
    assert currencies(backend, "S") == ["INR", UNKNOWN_CURRENCY]
    found = totals(backend, ["spend", "clicks", "revenue", "visitors"], UNKNOWN)
    assert found["spend"] == 100.0 and found["clicks"] == 10.0  # Meta's 70 + 30 and 7 + 3
    assert found["revenue"] is None  # the unstated Amazon revenue is INR, not unknown
    assert found["visitors"] == 40.0  # the GA row without money counts in every currency
    listed = unknown_currency_batches(backend, "S")
    assert [(b["batch_id"], b["file_name"], b["platform"], b["rows"]) for b in listed] == [
        (meta_batch, "meta-ads.csv", "meta", 2)
    ]


def test_a_platform_stating_several_currencies_lends_none(store: Warehouse) -> None:
    load(store, "ads", AMAZON_ADS, "amazon-in.csv")
    load(store, "ads", [dict(AMAZON_ADS[0], campaign="US", spend=9.0, currency="USD")], "amazon-us.csv")
    load(store, "ads", [dict(AMAZON_ADS[1], campaign="X", spend=4.0, currency=None)], "amazon-nocur.csv")
    backend = store.engine.ibis()
    assert totals(backend, ["spend"], INR)["spend"] == 150.0  # 100 + 50: the 4 may as well be dollars
    assert totals(backend, ["spend"], UNKNOWN)["spend"] == 4.0


def test_setting_a_batch_currency_relabels_it_and_is_recorded(store: Warehouse, meta_batch: int) -> None:
    changed = store.set_batch_currency(meta_batch, "INR", "asha")
    assert changed == 2
    backend = store.engine.ibis()
    assert totals(backend, ["spend"], INR)["spend"] == 250.0  # 150 + Meta's 100
    assert currencies(backend, "S") == ["INR"]
    assert unknown_currency_batches(backend, "S") == ()
    [record] = store.currency_changes("S")
    assert (record["batch_id"], record["file_name"], record["old_currency"], record["new_currency"]) == (
        meta_batch,
        "meta-ads.csv",
        "",
        "INR",
    )
    assert (record["rows_changed"], record["changed_by"]) == (2, "asha")
    assert record["changed_at"] is not None
    with pytest.raises(ValueError):  # nothing is left without a currency
        store.set_batch_currency(meta_batch, "USD", "asha")
    with pytest.raises(ValueError):
        store.set_batch_currency(meta_batch, "RUPEES", "asha")
    assert totals(backend, ["spend"], INR)["spend"] == 250.0


def test_setting_a_currency_bumps_the_data_generation(store: Warehouse, meta_batch: int) -> None:
    from shopdata.generation import data_generation

    before = data_generation(store.engine)
    store.set_batch_currency(meta_batch, "INR", None)
    assert data_generation(store.engine) == before + 1


def test_has_rows_answers_by_the_rows_in_the_currency(store: Warehouse) -> None:
    load(store, "ads", AMAZON_ADS, "amazon-campaigns.csv")
    backend = store.engine.ibis()
    assert has_rows(backend, INR, "ads")
    assert not has_rows(backend, Scope("S", D1, D2, "USD"), "ads")  # no ad row is in dollars
    assert not has_rows(backend, INR, "traffic")
