"""What `python -m shopdata report products` reads of the choices the pages saved — margins, the own shop, price
links — which no test saved until a mutation run (`make mutation MODULES=products`) changed it unnoticed. On
DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from shopdata import settings
from shopdata.metrics import products
from shopdata.metrics.promotion import DEFAULT_MARGIN, Margins
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse
from tests.unit.metrics.test_query import load

DAY = date(2024, 3, 1)


def price(shop: str, product_id: str) -> dict:
    return dict(platform="taobao", date=DAY, end_date=DAY, shop=shop, product_id=product_id, price=99.0, currency="CNY")


def test_the_report_reads_the_choices_saved_for_its_own_store(store: Warehouse) -> None:
    # Store S: our shop 我的店 and a rival 对手店 have price rows; the pages saved a 40 % margin, 25 % for P1, our
    # shop and P1's link to the rival's R9. Store T saved a 10 % margin and 我的店 as its shop (a shop of S's
    # price rows, none of T's); the whole database (no store) 50 %.
    load(store, "prices", [price("我的店", "P1"), price("对手店", "R9")], "prices")
    saved = {
        settings.GROSS_MARGIN: 0.4,
        settings.PRODUCT_MARGINS: {"P1": 0.25},
        settings.OWN_SHOP: "我的店",
        settings.PRICE_LINKS: {"P1": ["R9"]},
    }
    settings.write(store, saved, store="S")
    settings.write(store, {settings.GROSS_MARGIN: 0.1, settings.OWN_SHOP: "我的店"}, store="T")
    settings.write(store, {settings.GROSS_MARGIN: 0.5}, store=None)
    backend = store.engine.ibis()
    assert products.saved_choices(backend, Scope("S")) == (Margins(0.4, {"P1": 0.25}, True), "我的店", {"P1": ["R9"]})
    # T's margin, none of S's choices, and no own shop: 我的店 has no price rows in T.
    assert products.saved_choices(backend, Scope("T")) == (Margins(0.1, {}, True), None, {})
    # A store that saved nothing has the assumed margin, not another store's and not the database's.
    assert products.saved_choices(backend, Scope("U")) == (Margins(DEFAULT_MARGIN, {}, False), None, {})
    # Every store at once reads what was saved for no store in particular.
    assert products.saved_choices(backend, Scope(None))[0] == Margins(0.5, {}, True)


def test_the_report_never_saves_a_choice(store: Warehouse) -> None:
    reader = products._SavedSettings(store.engine.ibis(), Scope("S"))
    with pytest.raises(TypeError, match=r"^a report reads settings; only the pages save them$"):
        settings.write(reader, {settings.GROSS_MARGIN: 0.4}, store="S")


def classes(products_rows: dict[str, tuple[float, float, float]]) -> dict[str, str]:
    """product -> (revenue, conversion rate, visitors), each with a profit of ¥1 (never loss-making)."""
    frame = pd.DataFrame(
        [
            dict(product_id=p, revenue=r, conversion_rate=c, visitors=v, profit=1.0)
            for p, (r, c, v) in products_rows.items()
        ]
    )
    found = products.classify(frame, ("traffic", "orders", "ads"), "orders")
    return dict(zip(found["product_id"], found["class"], strict=True))


def test_each_class_at_its_exact_boundary() -> None:
    # Five products: top 20 % by revenue is 1 product, cut ¥300 (X); conversion median 0.03 (X and W have it);
    # visitors median 80 (Z and V have it).
    assert classes({
        "X": (300.0, 0.03, 100.0),  # at the revenue cut and at the conversion median: a best seller, no driver
        "Y": (200.0, 0.02, 50.0),
        "Z": (100.0, 0.04, 80.0),  # converts above the median but at the visitors median: not "potential"
        "W": (150.0, 0.03, 10.0),  # few visitors but conversion at the median, not above: not "potential"
        "V": (0.0, 0.01, 80.0),  # no sale with visitors: slow; at the visitors median: not a traffic driver
    }) == {"X": "best_seller", "Y": "regular", "Z": "regular", "W": "regular", "V": "slow_mover"}  # fmt: skip
    # A ¥1 product on top is still a best seller (and converts above the median with few visitors).
    assert classes({"P": (1.0, 0.5, 2.0), "Q": (0.0, 0.0, 10.0)}) == {
        "P": "best_seller, potential",
        "Q": "traffic_driver, slow_mover",
    }
    # Nothing sold anywhere: no best seller at a cut of ¥0; a product without visitors is not slow, one with a
    # single visitor is.
    assert classes({"R": (0.0, 0.0, 5.0), "S": (0.0, 0.0, 5.0), "T": (0.0, 0.0, 0.0), "U": (0.0, 0.0, 1.0)}) == {
        "R": "slow_mover", "S": "slow_mover", "T": "regular", "U": "slow_mover",
    }  # fmt: skip
    with pytest.raises(ValueError, match=r"^no rule named 'hero'$"):
        products._matches(
            "hero", {"revenue": 1.0, "conversion_rate": 0.1, "visitors": 1.0}, products.thresholds(pd.DataFrame())
        )
