"""Competitor prices page through Streamlit's AppTest, on the demo store and on an empty database.

Expected numbers come from the demo database by plain SQL, or from the sample file itself. The demo store
sets 示例美妆旗舰店 as its own shop and links its serum and cream to competitors' (shopdata.demo); tests of the
page without an own shop or without links save "" or {} first.
"""

from __future__ import annotations

import json
import statistics
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from shopdata.engine import connect
from shopdata.store import Warehouse
from tests.app.conftest import open_page as open_app_page

PAGE = "views/prices.py"
DEMO = "Demo store"
OURS = "示例美妆旗舰店"
OUR_SERUM = "A60318842271"  # 示例美妆 玻尿酸修护精华液, 199
RIVAL_SERUM = "A57720461538"  # 竞品A 玻尿酸水光精华液: 219 → 186 on 2026-10-01
RIVAL_B = "A59102337640"  # 竞品B 烟酰胺焕亮精华液, retitled 【双11预售】… for a while
OWN_SHOP_KEY = f"prices_own_shop:{DEMO}"


def sql(db: Path, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db)) as con:  # same process as the app: same configuration
        return con.execute(query, params or []).fetchall()


def save_settings(db: Path, **settings: object) -> None:
    with connect(str(db)) as engine:
        store = Warehouse(engine)
        for key, value in settings.items():
            store.set_setting(key, value, store=DEMO)


def open_page(**params: str):
    return open_app_page(PAGE, **params)


def frame_with(at, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def metric_value(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def latest_price(db: Path, shop: str, product: str) -> float:
    return sql(
        db, "SELECT price FROM prices WHERE shop = ? AND product_id = ? ORDER BY date DESC LIMIT 1", [shop, product]
    )[0][0]


def test_demo_tracks_and_drops_without_an_own_shop(demo_db: Path) -> None:
    save_settings(demo_db, own_shop="")
    # The demo's Shopify side sells in USD; its price scrape is in CNY, and the page says so.
    at = open_page(range="last_90", cur="USD")
    assert at.title[0].value == "Competitor prices"
    assert at.selectbox(key=OWN_SHOP_KEY).value == ""  # no shop is named "Demo store"
    assert "Choose your shop above to see your price position and who undercut you." in [i.value for i in at.info]
    observations, shops, tracks = sql(
        demo_db,
        """
        SELECT count(*), count(DISTINCT shop), count(DISTINCT shop || chr(31) || product_id) FROM (
            SELECT DISTINCT date, shop, product_id FROM prices
            WHERE store = 'Demo store' AND date BETWEEN DATE '2026-08-25' AND DATE '2026-11-22')""",
    )[0]
    assert metric_value(at, "Price observations") == f"{observations:,}"
    assert metric_value(at, "Shops") == str(shops) == "5"
    assert metric_value(at, "Products tracked") == str(tracks)
    assert "Prices are in CNY, the currency of this store's price data." in [c.value for c in at.caption]

    drops = frame_with(at, "Drop")
    cut = drops[(drops["Product ID"] == RIVAL_SERUM) & (drops["Date"].astype(str) == "2026-10-01")]
    assert len(cut) == 1
    before, after = sql(
        demo_db,
        "SELECT price FROM prices WHERE product_id = ? AND date IN "
        "(DATE '2026-09-30', DATE '2026-10-01') ORDER BY date",
        [RIVAL_SERUM],
    )
    assert (cut["Shop"].iloc[0], cut["Before"].iloc[0], cut["After"].iloc[0]) == ("竞品A旗舰店", before[0], after[0])
    assert (before[0], after[0]) == (219.0, 186.0)
    assert cut["Drop"].iloc[0] == pytest.approx((219 - 186) / 219)
    assert not cut["Recovered"].iloc[0]  # 竞品A stays at 186
    # Double 11: our serum goes down on 11-01 and is back to its regular price on 11-12.
    ours = drops[(drops["Product ID"] == OUR_SERUM)]
    assert ours["Recovered"].all() and set(ours["Recovered on"].astype(str)) == {"2026-11-12"}

    # The retitled listing is one track, shown with its title on the latest day.
    ranges = frame_with(at, "Sales increase")
    retitled = ranges[ranges["Product ID"] == RIVAL_B]
    latest_title = sql(
        demo_db, "SELECT product_name FROM prices WHERE product_id = ? ORDER BY date DESC LIMIT 1", [RIVAL_B]
    )[0][0]
    assert len(retitled) == 1 and retitled["Product"].iloc[0] == latest_title
    first, last = sql(
        demo_db,
        "SELECT sales FROM prices WHERE product_id = ? AND date IN "
        "(DATE '2026-08-25', DATE '2026-11-22') ORDER BY date",
        [RIVAL_B],
    )
    assert retitled["Sales increase"].iloc[0] == last[0] - first[0]  # cumulative counter: its increase


def test_choosing_the_own_shop_saves_it(demo_db: Path) -> None:
    save_settings(demo_db, own_shop="", price_links={})
    at = open_page()
    at.selectbox(key=OWN_SHOP_KEY).set_value(OURS).run()
    assert not at.exception
    assert sql(demo_db, "SELECT value FROM settings WHERE store = ? AND key = 'own_shop'", [DEMO]) == [
        (json.dumps(OURS, ensure_ascii=False),)
    ]
    assert "None of your products has a competitor yet — link them above." in [i.value for i in at.info]
    # No link yet: nothing was compared, which is not "0 alerts".
    assert metric_value(at, "Undercut alerts") == "—"
    links = frame_with(at, "own_product")  # the links editor, one row per product
    assert sorted(links["own_product"]) == [
        r[0] for r in sql(demo_db, "SELECT DISTINCT product_id FROM prices WHERE shop = ? ORDER BY 1", [OURS])
    ]
    # A new session of the same store starts from the saved shop.
    again = open_page()
    assert again.selectbox(key=OWN_SHOP_KEY).value == OURS


def test_position_and_undercut_with_saved_links(demo_db: Path) -> None:
    save_settings(demo_db, own_shop=OURS, price_links={OUR_SERUM: [RIVAL_SERUM, RIVAL_B]})
    at = open_page(range="last_90")
    ours = latest_price(demo_db, OURS, OUR_SERUM)
    theirs = [latest_price(demo_db, "竞品A旗舰店", RIVAL_SERUM), latest_price(demo_db, "竞品B旗舰店", RIVAL_B)]
    assert (ours, theirs[0]) == (199.0, 186.0)

    position = frame_with(at, "Price index")
    row = position[position["Product ID"] == OUR_SERUM].iloc[0]
    assert (row["Your price"], row["Competitors"]) == (ours, 2)
    assert (row["Cheapest competitor"], row["Dearest competitor"]) == (min(theirs), max(theirs))
    assert row["Competitor median"] == pytest.approx(statistics.median(theirs))
    assert row["Price index"] == pytest.approx(ours / statistics.median(theirs))
    assert (row["Rank"], row["Of"]) == (1 + sum(p < ours for p in theirs), 3)

    alerts = frame_with(at, "Gap")
    expected = [
        (shop, p) for shop, p in zip(["竞品A旗舰店", "竞品B旗舰店"], theirs, strict=False) if (ours - p) / ours > 0.05
    ]
    assert sorted(zip(alerts["Shop"], alerts["Their price"], strict=False)) == sorted(expected)
    gap = alerts[alerts["Shop"] == "竞品A旗舰店"]["Gap"].iloc[0]
    assert gap == pytest.approx((199 - 186) / 199)  # 6.5%: above the default 5%
    assert metric_value(at, "Undercut alerts") == str(len(expected))

    # The chart draws the linked products, ours thicker.
    assert at.selectbox(key="prices_group").value == OUR_SERUM
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    widths = {trace["name"]: trace["line"]["width"] for trace in figure["data"]}
    assert len(widths) == 3
    own = [name for name in widths if name.startswith(OURS)]
    assert len(own) == 1 and own[0].endswith("(yours)")
    assert widths[own[0]] > max(w for name, w in widths.items() if name != own[0])


def test_query_params_reproduce_the_view(demo_db: Path) -> None:
    save_settings(demo_db, own_shop=OURS, price_links={OUR_SERUM: [RIVAL_SERUM]})
    at = open_page(range="last_90", product=RIVAL_SERUM, undercut="7")
    assert at.selectbox(key="prices_group").value == RIVAL_SERUM
    assert at.number_input(key="prices_threshold").value == 7.0
    # 186 against 199 is 6.5% cheaper: not more than 7%.
    assert "No competitor is more than 7.00% below your price." in [s.value for s in at.success]
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    title = sql(
        demo_db, "SELECT product_name FROM prices WHERE product_id = ? ORDER BY date DESC LIMIT 1", [RIVAL_SERUM]
    )[0][0]
    assert [trace["name"] for trace in figure["data"]] == ["竞品A旗舰店 · " + title]
    assert figure["layout"]["title"]["text"].startswith("Price over time: 竞品A")

    at.number_input(key="prices_threshold").set_value(6.0).run()
    at.selectbox(key="prices_group").set_value(OUR_SERUM).run()
    assert not at.exception
    assert (at.query_params["undercut"], at.query_params["product"]) == ("6", OUR_SERUM)
    assert list(frame_with(at, "Gap")["Shop"]) == ["竞品A旗舰店"]


def test_nothing_comparable_is_never_an_all_clear(demo_db: Path) -> None:
    # Our shop chosen, its serum linked to a product no shop sells, and no other shop sells our product IDs.
    save_settings(demo_db, own_shop=OURS, price_links={OUR_SERUM: ["no-such-product"]})
    shared_ids = sql(
        demo_db,
        "SELECT COUNT(*) FROM prices p JOIN prices q ON p.product_id = q.product_id AND p.shop <> q.shop "
        "WHERE p.shop = ?",
        [OURS],
    )[0][0]
    assert shared_ids == 0
    at = open_page(range="last_90")
    assert not at.exception
    assert not [s.value for s in at.success if s.value.startswith("No competitor")]
    warning = next(w.value for w in at.warning if w.value.startswith("No undercut can be judged"))
    assert "linked to yours have no price observation" in warning
    assert metric_value(at, "Undercut alerts") == "—"

    save_settings(demo_db, price_links={})
    at = open_page(range="last_90", lang="zh")
    assert not [s.value for s in at.success if s.value.startswith("没有竞品")]
    assert any("都未关联竞品" in w.value for w in at.warning)

    # No own shop chosen: only the invitation to choose it, no verdict either way.
    save_settings(demo_db, own_shop="")
    at = open_page(range="last_90")
    assert not at.success and not [w.value for w in at.warning if w.value.startswith("No undercut")]
    assert "Choose your shop above" in " ".join(i.value for i in at.info)


def test_empty_database_and_store_without_prices(empty_db: Path) -> None:
    at = open_page()
    assert "No store yet. Upload your exports on the Data page to begin." in [i.value for i in at.info]
    with connect(str(empty_db)) as engine:
        Warehouse(engine).ensure_store("My shop")
    at = open_page()
    message = next(i.value for i in at.info if i.value.startswith("No competitor prices"))
    assert "淘宝/天猫 商品价格采集" in message and "Keepa" in message and "Price list per marketplace" in message
    assert not at.metric


def test_chinese_labels(demo_db: Path) -> None:
    save_settings(demo_db, own_shop="")
    at = open_page(lang="zh", range="last_90")
    assert at.title[0].value == "竞品价格"
    assert {"价格走势", "降价监测", "各商品价格区间", "各店铺价格区间"} <= {s.value for s in at.subheader}
    assert metric_value(at, "跟踪商品数") == str(len(sample_latest_prices()))  # the products in the sample file
    assert "降幅" in frame_with(at, "降幅").columns
    assert "请在上方选择您的店铺，以查看价格位置和谁比您便宜。" in [i.value for i in at.info]


def sample_latest_prices() -> dict[str, float]:
    """Each product's price on its latest update_time, read from the sample xlsx (not from the database)."""
    import openpyxl

    from shopdata.demo import SAMPLE_DIR

    book = openpyxl.load_workbook(next(SAMPLE_DIR.glob("竞品价格监控_*.xlsx")), read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    at_id, at_time, at_price = header.index("id"), header.index("update_time"), header.index("price")
    latest: dict[str, tuple] = {}
    for row in rows:
        day = datetime.strptime(row[at_time], "%Y/%m/%d")  # written like 2026/11/5
        if row[at_id] and (row[at_id] not in latest or day >= latest[row[at_id]][0]):
            latest[row[at_id]] = (day, float(row[at_price]))
    return {pid: price for pid, (_, price) in latest.items()}


def test_a_fresh_demo_store_answers_the_undercut_question(demo_db: Path) -> None:
    from shopdata.demo import DEMO_PRICE_LINKS

    at = open_page()
    assert at.selectbox(key=OWN_SHOP_KEY).value == OURS
    latest = sample_latest_prices()
    expected = sorted(
        (round((latest[ours] - latest[rival]) / latest[ours], 6), rival)
        for ours, rivals in DEMO_PRICE_LINKS.items()
        for rival in rivals
        if (latest[ours] - latest[rival]) / latest[ours] > 0.05
    )
    assert expected  # the demo's story: 竞品A's serum cut, among others
    alerts = frame_with(at, "Gap")
    assert sorted(zip(alerts["Gap"].round(6), alerts["Product ID"], strict=True)) == expected
    assert metric_value(at, "Undercut alerts") == str(len(expected))
    assert not at.warning  # nothing is "cannot be judged" on the demo


def test_each_table_starts_with_the_column_that_answers_it(demo_db: Path) -> None:
    at = open_page(range="last_90")
    assert list(frame_with(at, "Gap").columns)[0] == "Gap"
    assert list(frame_with(at, "Drop").columns)[0] == "Drop"
    assert list(frame_with(at, "Drop").columns)[1:3] == ["After", "Before"]
    assert list(frame_with(at, "Price index").columns)[:2] == ["Product", "Price index"]
    ranges = list(frame_with(at, "Sales increase").columns)
    assert ranges[:4] == ["Product", "Latest", "Lowest", "Highest"]


def test_no_track_seen_twice_is_no_all_clear_on_drops(demo_db: Path) -> None:
    at = open_page(**{"range": "custom", "from": "2026-11-22", "to": "2026-11-22"})
    assert "No price drop can be judged: no product was observed on two days in this period." in [
        w.value for w in at.warning
    ]
    assert metric_value(at, "Price drops") == "—"
    assert not [i for i in at.info if "No price fell" in i.value]


def test_a_long_table_is_drawn_a_page_at_a_time(empty_db: Path, tmp_path: Path) -> None:
    from shopdata.ingest.pipeline import Options, ingest_file
    from shopdata.ui.prices import PAGE_ROWS

    products = 2 * PAGE_ROWS + 7
    scrape = tmp_path / "scrape.csv"
    lines = ["update_time,id,title,price,sale_count,comment_count,店名"]
    lines += [
        f"2024/3/{day},P{n:04d},商品{n:04d},{100 + n},{n},{n},店{n % 3}" for n in range(products) for day in (1, 2)
    ]
    scrape.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with connect(str(empty_db)) as engine:
        ingest_file(scrape.name, scrape, Warehouse(engine), Options(store="Mine", uploaded_by="test", currency="CNY"))
    at = open_page(store="Mine")
    ranges = frame_with(at, "Sales increase")
    assert len(ranges) == PAGE_ROWS
    page_picker = at.selectbox(key="price_ranges_page")
    assert page_picker.options == ["1 of 3", "2 of 3", "3 of 3"]
    page_picker.set_value(3).run()
    assert len(frame_with(at, "Sales increase")) == products - 2 * PAGE_ROWS
