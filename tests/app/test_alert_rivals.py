"""Rivals' events under the alerts (issue 15 item 4) on the demo store: the overview lists, under an alert, what
rivals did on its day and the 3 days before — as what happened around the same time, never as its cause — and
the promotion page does the same for its spend and ROAS alert days.

The demo's 11-18 search drop follows 竞品B's serum cut from ¥239 to ¥169 on 11-17 (sample_data/README.md); the
prices are read here from the price table by SQL. The tests add a hand-kept promotion sheet: 竞品A recorded with
直通车 on 11-01 and with 聚划算 first on 11-16 (a new method two days before the alert), 直通车 again on 11-17 (not new). (The demo's own sheet has 竞品A on 直通车, 满减 and 直播 already.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from shopdata.demo import DEMO_STORE
from shopdata.store import TABLES, BatchInfo, open_warehouse
from tests.app.conftest import open_page
from tests.unit.metrics.test_prices import ARROW

DROP_DAY = date(2026, 11, 18)
CUT_DAY = date(2026, 11, 17)
RIVAL_B = "竞品B旗舰店"
RIVAL_A = "竞品A旗舰店"
PROMOTIONS = [
    (date(2026, 11, 1), RIVAL_A, "竞品A 精华", "直通车"),
    (date(2026, 11, 16), RIVAL_A, "竞品A 精华", "聚划算"),
    (date(2026, 11, 17), RIVAL_A, "竞品A 精华", "直通车"),
]


def rival_cut(db: Path) -> tuple[str, float, float]:
    """竞品B's product whose price fell on CUT_DAY, with its price the day before and that day."""
    with duckdb.connect(str(db)) as con:
        return con.execute(
            "SELECT a.product_name, b.price, a.price FROM prices a JOIN prices b ON a.product_id = b.product_id "
            "AND a.shop = b.shop AND b.date = a.date - 1 WHERE a.shop = ? AND a.date = ? AND a.price < b.price",
            [RIVAL_B, CUT_DAY],
        ).fetchone()


def add_promotions(db: Path) -> None:
    columns = sorted({c.name for c in TABLES["rival_promotions"].columns} - {"store", "batch_id"})
    rows = [
        {c: None for c in columns}
        | dict(date=d, end_date=d, rival_shop=r, product_name=p, method=m, platform="tmall", nk=f"promo-{n}")
        for n, (d, r, p, m) in enumerate(PROMOTIONS)
    ]
    schema = pa.schema([(c, ARROW[TABLES["rival_promotions"].column(c).type]) for c in columns])
    warehouse = open_warehouse(str(db))
    with warehouse.engine:
        info = BatchInfo(
            DEMO_STORE, "rivals.csv", "rivals", 1, "tmall", "rival_promotions", "rival_promotions_sheet", {}
        )
        warehouse.load(info, pa.Table.from_pylist(rows, schema=schema))


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_the_rival_cut_is_listed_under_the_drop_as_context_not_as_its_why(demo_db: Path) -> None:
    product, before, after = rival_cut(demo_db)
    assert (before, after) == (239.0, 169.0)
    at = open_page("views/overview.py")
    shown = captions(at)
    why = next(n for n, c in enumerate(shown) if c.startswith("Mostly"))  # the first alert's: the 11-18 drop
    assert "cut" not in shown[why]
    around = shown[why + 1]
    assert around.startswith("Around the same time (context, not a proven cause): ")
    assert f"{RIVAL_B} cut {product} from ¥{before:,.2f} to ¥{after:,.2f} (11-17)" in around


def test_a_new_promotion_method_is_listed_and_a_repeated_one_is_not(demo_db: Path) -> None:
    add_promotions(demo_db)
    at = open_page("views/overview.py")
    shown = captions(at)
    around = shown[next(n for n, c in enumerate(shown) if c.startswith("Mostly")) + 1]
    assert f"{RIVAL_A} started 聚划算 (竞品A 精华, 11-16)" in around
    assert f"{RIVAL_A} started 直通车" not in around  # recorded for 竞品A on 11-01 already
    zh = open_page("views/overview.py", lang="zh")
    shown = captions(zh)
    around = shown[next(n for n, c in enumerate(shown) if c.startswith("主要来自")) + 1]
    assert around.startswith("大约同一时间（仅供参考，并非已证实的原因）：")
    assert (
        f"{RIVAL_A} 开始使用聚划算（竞品A 精华，11-16）；{RIVAL_B} 将 " in around
    )  # a Chinese separator between events


def test_the_promotion_page_lists_rival_events_by_its_alert_days(demo_db: Path) -> None:
    add_promotions(demo_db)
    at = open_page("views/promotion.py")
    lines = [c for c in captions(at) if "around the same time" in c]
    assert lines, captions(at)
    days = [line.split(" · ")[0] for line in lines]
    assert len(days) == len(set(days))  # one line a day, however many of its KPIs left their range
    # Every one an alert day of spend or ROAS within 3 days after a rival event: the demo's own sheet has 竞品A's
    # 直播 on 11-11, the tests add 聚划算 on 11-16, and 竞品B cut its price on 11-17.
    allowed = {f"{d} Nov 2026" for d in range(11, 21)}
    for line in lines:
        assert line.split(" · ")[0] in allowed
        assert line.split(" · ")[1].startswith(("Ad spend", "ROAS"))
    assert any("竞品A旗舰店 started 聚划算" in line for line in lines)
