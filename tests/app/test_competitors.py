"""The Competitors page through AppTest, on the competitor fixtures of tests/fixtures/layouts (banded both ways:
"10万 ~ 25万", "1% ~ 2.5%", "< 500", ">1000", "-"), in English and 中文. Every expected figure is worked out by hand
from the fixture files' cells (the comments say how)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from shopdata.engine import connect
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.store import Warehouse
from tests.app.conftest import open_page
from tests.support.charts import values

PAGE = "views/competitors.py"
STORE = "Cups"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
EXPORTS = (
    "sycm_rival_products.csv",
    "sycm_rival_keywords.csv",
    "sycm_rival_sources.csv",
    "sycm_rival_loss.csv",
    "sycm_rival_shops.csv",
    "rival_promotions.csv",
)
ALL_DATES = {"range": "custom", "start": "2026-10-01", "end": "2026-11-30"}


def load(db: Path, names: tuple[str, ...] = EXPORTS, own_shop: str | None = None) -> None:
    with connect(str(db)) as engine:
        warehouse = Warehouse(engine)
        for name in names:
            [result] = ingest_file(name, FIXTURES / name, warehouse, Options(store=STORE))
            assert result.status == "loaded", result.error
        if own_shop is not None:
            warehouse.set_setting("own_shop", own_shop, store=STORE)


def table_with(at, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    frame = found[0]
    return frame.data if hasattr(frame, "data") else frame  # a Styler's frame


def texts(at) -> list[str]:
    return [e.value for kind in (at.success, at.info, at.warning, at.caption, at.markdown) for e in kind]


def test_who_took_our_traffic_and_what_we_lost_in_english(empty_db: Path) -> None:
    load(empty_db)
    at = open_page(PAGE, store=STORE, lang="en", **ALL_DATES)
    assert at.title[0].value == "Competitors"
    # 流失 of 甲家旗舰店 on 2026-11-02..03: 12,345.50 + 2,100.00 + 9,800.25 = 24,245.75 (¥24,246 without cents) and
    # 321 + 45 + 280 = 646 visitors, to 2 products; 乙品官方店 lost 1.2万 = 12,000, so it comes next.
    [answer] = at.success
    assert answer.value.startswith(
        "**甲家旗舰店** took the most: ¥24,246 and 646 visitors left us for 2 of its products"
    )
    assert "(2026-11-02 – 2026-11-03" in answer.value
    assert answer.value.endswith("Next: 乙品官方店.")
    loss = table_with(at, "Money lost")
    assert loss[["Rival product", "Money lost", "Visitors lost"]].values.tolist() == [
        ["甲家 保温杯 500ml", "¥22,146", "601"],  # 12,345.50 + 9,800.25; 321 + 280
        ["乙品 保温杯 大容量", "¥12,000", "150"],
        ["甲家 焖烧杯", "¥2,100", "45"],
        ["丙记 保温壶", "¥880", "12"],
    ]
    sources = table_with(at, "Traffic source")
    # Summed over the period, "< 500" visitors are 0 – 500 (an open low end adds 0: visitors are never negative);
    # a "-" trade index is "—".
    assert sources[["Traffic source", "Visitors", "Trade index"]].values.tolist() == [
        ["淘宝客", "0 – 500", "—"],
        ["手淘搜索", "1,000 – 2,500", "11,200"],
        ["直通车", "500 – 1,000", "6,400"],
    ]
    keywords = table_with(at, "Keyword")
    by_word = {(r["Rival shop"], r["Keyword"]): r for _, r in keywords.iterrows()}
    assert by_word[("甲家旗舰店", "保温杯")]["Rank"] == 1
    assert by_word[("甲家旗舰店", "保温杯")]["Visitors"] == "1,000 – 2,500"
    assert by_word[("乙品官方店", "保温杯 大容量")]["Visitors"] == "< 500"
    assert by_word[("乙品官方店", "儿童保温杯")]["Visitors"] == "—"  # "-" in the export
    promotions = table_with(at, "Method")
    assert promotions["Method"].tolist() == ["淘客", "直通车", "直播"]  # by date, then rival, product, method


def test_the_page_in_chinese_with_our_shop_beside_the_rivals(empty_db: Path) -> None:
    # 甲家旗舰店 chosen as our shop: its keyword rows are ours, so 保温杯 (rank 1) and 保温杯 大容量 (rank 2) are
    # words we hold; 儿童保温杯 only 乙品官方店 ranks for (#2), and nothing of ours converts on it.
    load(empty_db, own_shop="甲家旗舰店")
    at = open_page(PAGE, store=STORE, lang="zh", **ALL_DATES)
    assert at.title[0].value == "竞品分析"
    side = table_with(at, "竞品赢我们没赢")
    first = side.iloc[0]
    assert (first["关键词"], bool(first["竞品赢我们没赢"]), first["各竞品排名"]) == (
        "儿童保温杯",
        True,
        "乙品官方店 #2",
    )
    assert pd.isna(first["本店排名（生意参谋）"])
    ours = {r["关键词"]: r["本店排名（生意参谋）"] for _, r in side.iterrows()}
    assert (ours["保温杯"], ours["保温杯 大容量"]) == (1, 2)
    assert "竞品赢而我们没赢的词：1 个。" in texts(at)
    [answer] = at.success
    # zh writes big amounts in 万: 24,245.75 -> 2.42万 only from 1,000,000; below that the amount is whole.
    assert answer.value.startswith("**甲家旗舰店** 抢走的最多：流失金额 ¥24,246，流失人数 646")
    loss = table_with(at, "流失金额")
    assert loss["流失金额"].tolist()[0] == "¥22,146"


def test_banded_figures_are_drawn_as_ranges_never_as_one_line(empty_db: Path) -> None:
    load(empty_db, ("sycm_rival_products.csv",))
    at = open_page(PAGE, store=STORE, lang="en", **ALL_DATES)
    at.radio(key="competitors_grain").set_value("product").run()
    assert not at.exception
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) == 2  # sales and visitors
    sales = json.loads(charts[0].proto.spec)
    bars = [trace for trace in sales["data"] if trace["type"] == "bar"]
    # 甲家: 10万 ~ 25万 on 11-02 and 750万 ~ 1000万 on 11-03; 乙品: 5万 ~ 10万 on 11-02 (its 12.3万 on 11-03 is exact).
    spans = sorted((b, b + h) for trace in bars for b, h in zip(values(trace["base"]), values(trace["y"]), strict=True))
    assert spans == [(50_000, 100_000), (100_000, 250_000), (7_500_000, 10_000_000)]
    points = [p for trace in sales["data"] if trace["type"] == "scatter" for p in values(trace["y"])]
    assert points == [123_000]
    visitors = json.loads(charts[1].proto.spec)
    # "< 1000" is drawn from 0 to 1,000; ">1000" is a triangle at 1,000; "1,234" an exact dot.
    shapes = sorted(
        (trace["type"], trace.get("marker", {}).get("symbol"), tuple(values(trace["y"]))) for trace in visitors["data"]
    )
    assert ("scatter", "triangle-up", (1000,)) in shapes and ("scatter", "circle", (1234,)) in shapes
    # A text like "No loss data" names the export to upload where a section has nothing.
    assert "Upload the 生意参谋 流失竞品 export on the Data page to see this." in texts(at)


def test_without_competitor_data_the_page_names_the_exports(empty_db: Path) -> None:
    with connect(str(empty_db)) as engine:
        Warehouse(engine).ensure_store(STORE)
    at = open_page(PAGE, store=STORE, lang="en")
    assert any("生意参谋 流失竞品" in i.value and "生意参谋 竞店分析" in i.value for i in at.info)


def test_the_demo_answers_who_took_our_traffic_from_its_loss_export(demo_db: Path) -> None:
    # The demo's 流失竞品 sample summed here with openpyxl over its last 7 days (11-16 .. 11-22): 竞品B旗舰店 cut its
    # serum on 11-17 and takes the most (sample_data/README.md).
    from openpyxl import load_workbook

    from shopdata.demo import SAMPLE_DIR

    [path] = SAMPLE_DIR.glob("*流失竞品*.xlsx")
    sheet = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header = sheet[4]
    money, people = {}, {}
    for cells in sheet[5:]:
        row = dict(zip(header, cells, strict=True))
        if row["统计日期"] >= "2026-11-16":
            shop = row["店铺名称"]
            money[shop] = money.get(shop, 0.0) + float(str(row["流失金额"]).replace(",", ""))
            people[shop] = people.get(shop, 0) + int(row["流失人数"])
    top = max(money, key=money.get)
    assert top == "竞品B旗舰店"
    at = open_page(PAGE, lang="en", range="last_30")
    [answer] = at.success
    assert answer.value.startswith(
        f"**{top}** took the most: ¥{money[top]:,.0f} and {people[top]:,} visitors left us for 1 of its products "
        "(2026-11-16 – 2026-11-22"
    )
    assert not [w.value for w in at.warning]  # the demo has our own 生意参谋 words to compare
