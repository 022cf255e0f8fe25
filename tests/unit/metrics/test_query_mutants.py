"""Currency choices no test checked until a mutation run (`make mutation MODULES=query`) changed them unnoticed:
the order of a store's currencies is by rows summed over every platform, and another store's rows never enter
it. Values worked out by hand, on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

from shopdata.metrics.query import UNKNOWN_CURRENCY, currencies, platform_currencies
from shopdata.store import BatchInfo, Warehouse
from tests.unit.metrics.test_query import rows

D1 = date(2024, 3, 1)


def ads(platform: str, currency: str | None, n: int) -> list[dict]:
    return [
        dict(platform=platform, grain="campaign", date=D1, end_date=D1, campaign=f"c{i}", spend=1.0, currency=currency)
        for i in range(n)
    ]


def load(warehouse: Warehouse, store: str, records: list[dict], name: str) -> None:
    info = BatchInfo(store, name, name, 1, records[0]["platform"], "ads", name, {})
    warehouse.load(info, rows("ads", records, name))


def test_the_currency_with_most_rows_over_all_platforms_comes_first(store: Warehouse) -> None:
    # USD: 2 Shopify + 2 Amazon rows = 4; INR: 3 Flipkart rows. Each platform alone has fewer USD rows than INR.
    load(store, "S", ads("shopify", "USD", 2), "shopify.csv")
    load(store, "S", ads("amazon", "USD", 2), "amazon.csv")
    load(store, "S", ads("flipkart", "INR", 3), "flipkart.csv")
    assert currencies(store.engine.ibis(), "S") == ["USD", "INR"]


def test_another_stores_rows_neither_add_a_currency_nor_unsettle_a_platform(store: Warehouse) -> None:
    # Store S: Meta states USD on one export and nothing on another, so the unstated money is USD.
    load(store, "S", ads("meta", "USD", 1), "meta-usd.csv")
    load(store, "S", ads("meta", None, 2), "meta-nocur.csv")
    # Store T: the same platform in euros, and more of it.
    load(store, "T", ads("meta", "EUR", 5), "meta-eur.csv")
    backend = store.engine.ibis()
    assert platform_currencies(backend, "S") == {"meta": "USD"}
    assert currencies(backend, "S") == ["USD"]
    assert currencies(backend, "T") == ["EUR"]
    # Across both stores Meta states two currencies: its unstated rows are in no known one.
    assert currencies(backend, None) == ["EUR", "USD", UNKNOWN_CURRENCY]
