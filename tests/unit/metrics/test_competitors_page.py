"""The Competitors page's metrics (shopdata.metrics.competitors, issue 15 items 2 and 3) on the competitor fixtures of
tests/fixtures/layouts and on small exports written here. Expected figures are summed from the raw files with the
csv module, or worked out by hand from the cells (the comments say how); on DuckDB and PostgreSQL."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.metrics import competitors as c
from shopdata.metrics.cache import uncached_source
from shopdata.metrics.query import Scope
from shopdata.store import Warehouse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"
STORE = "S"
SCOPE = Scope(STORE)
LOSS_HEADER = "统计日期,店铺名称,商品ID,商品名称,流失金额,流失人数,流失率"
KEYWORD_HEADER = "统计日期,店铺名称,商品名称,排名,关键词,访客数,交易指数"
PROMOTION_HEADER = "日期,竞店,竞品,推广方式,优惠,备注"


@pytest.fixture
def warehouse(store: Warehouse) -> Warehouse:
    """Each test on DuckDB and on PostgreSQL (tests/conftest.py's store)."""
    return store


def load(warehouse: Warehouse, path: Path) -> None:
    [result] = ingest_file(path.name, path, warehouse, Options(store=STORE))
    assert result.status == "loaded", result.error


def load_fixtures(warehouse: Warehouse, *names: str) -> None:
    for name in names:
        load(warehouse, FIXTURES / name)


def write(tmp_path: Path, name: str, header: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def raw_loss() -> list[dict[str, str]]:
    with (FIXTURES / "sycm_rival_loss.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def money(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "").replace("万", "")) * (10_000 if "万" in cell else 1)


def test_who_took_our_traffic_sums_the_rivals_loss_from_the_raw_file(warehouse: Warehouse) -> None:
    load_fixtures(warehouse, "sycm_rival_loss.csv")
    totals: dict[str, list[Decimal]] = {}
    for row in raw_loss():
        shares = totals.setdefault(row["店铺名称"], [Decimal(0), Decimal(0)])
        shares[0] += money(row["流失金额"])
        shares[1] += Decimal(row["流失人数"])
    taker = c.traffic_taker(uncached_source(warehouse.engine), SCOPE)
    assert taker is not None
    top = max(totals, key=lambda rival: totals[rival][0])
    assert taker.rival == top == "甲家旗舰店"
    assert taker.lost_revenue.value == pytest.approx(float(totals[top][0])) == pytest.approx(24_245.75)
    assert taker.lost_visitors.value == float(totals[top][1]) == 646
    assert (taker.products, taker.date_from, taker.date_to) == (2, "2026-11-02", "2026-11-03")
    assert taker.runner_up == "乙品官方店"  # 1.2万 = 12,000 beats 丙记小店's 880


def test_this_week_is_the_last_seven_days_of_loss_data(warehouse: Warehouse, tmp_path: Path) -> None:
    # 甲家 lost us the most money over all, but on 11-02 .. 11-08 (the last 7 days up to 11-08) only 乙品 did.
    path = write(
        tmp_path,
        "loss.csv",
        LOSS_HEADER,
        [
            "2026-11-01,甲家旗舰店,1,甲家 杯,9000,90,1%",
            "2026-11-02,乙品官方店,2,乙品 杯,500,5,1%",
            "2026-11-08,乙品官方店,2,乙品 杯,700,7,1%",
            "2026-11-08,丙记小店,3,丙记 壶,100,40,1%",
        ],
    )
    load(warehouse, path)
    taker = c.traffic_taker(uncached_source(warehouse.engine), SCOPE)
    assert taker is not None
    assert (taker.rival, taker.lost_revenue.value, taker.lost_visitors.value) == ("乙品官方店", 1200.0, 12.0)
    assert (taker.date_from, taker.date_to, taker.runner_up) == ("2026-11-02", "2026-11-08", "丙记小店")


def test_no_loss_data_no_answer(warehouse: Warehouse) -> None:
    load_fixtures(warehouse, "sycm_rival_products.csv")
    backend = uncached_source(warehouse.engine)
    assert c.traffic_taker(backend, SCOPE) is None
    assert c.loss_table(backend, SCOPE).empty
    assert c.has_figures(backend, SCOPE) == {
        "shop": False,
        "product": True,
        "keyword": False,
        "source": False,
        "loss": False,
        "promotions": False,
    }


def test_loss_table_ranks_rival_products_by_money_lost(warehouse: Warehouse) -> None:
    load_fixtures(warehouse, "sycm_rival_loss.csv")
    expected: dict[tuple[str, str], list[Decimal]] = {}
    for row in raw_loss():
        sums = expected.setdefault((row["店铺名称"], row["商品名称"]), [Decimal(0), Decimal(0)])
        sums[0] += money(row["流失金额"])
        sums[1] += Decimal(row["流失人数"])
    ranked = sorted(expected, key=lambda key: -expected[key][0])
    table = c.loss_table(uncached_source(warehouse.engine), SCOPE)
    assert list(zip(table["rival"], table["product"], strict=True)) == ranked
    for (_, row), key in zip(table.iterrows(), ranked, strict=True):
        assert row["lost_revenue"] == pytest.approx(float(expected[key][0]))
        assert row["lost_revenue_low"] == row["lost_revenue_high"] == pytest.approx(row["lost_revenue"])
        assert row["lost_visitors"] == float(expected[key][1])


def test_bands_over_time_keep_both_ends_and_say_how_they_are_drawn(warehouse: Warehouse) -> None:
    load_fixtures(warehouse, "sycm_rival_products.csv", "sycm_rival_shops.csv")
    backend = uncached_source(warehouse.engine)
    products = c.band_series(backend, SCOPE, "product")
    cells = {(r.rival, r.date.isoformat(), r.metric): (r.low, r.high, r.value, r.shape) for r in products.itertuples()}
    nan = cells[("甲家旗舰店", "2026-11-02", "revenue")][2]
    assert cells[("甲家旗舰店", "2026-11-02", "revenue")][:2] == (100_000, 250_000)  # 10万 ~ 25万
    assert cells[("甲家旗舰店", "2026-11-02", "revenue")][3] == c.BAND and nan != nan
    assert cells[("甲家旗舰店", "2026-11-03", "visitors")][0] == 1000  # >1000
    assert cells[("甲家旗舰店", "2026-11-03", "visitors")][3] == c.ABOVE
    assert cells[("乙品官方店", "2026-11-02", "visitors")][1] == 1000  # < 1000
    assert cells[("乙品官方店", "2026-11-02", "visitors")][3] == c.BELOW
    assert cells[("乙品官方店", "2026-11-03", "revenue")][2:] == (123_000, c.EXACT)  # 12.3万
    assert set(products["metric"]) == {"revenue", "visitors"}  # 交易指数 and the rates are not drawn here
    assert set(products["track"]) == {"甲家旗舰店 · 甲家 保温杯 500ml", "乙品官方店 · 乙品 保温杯 大容量"}
    shops = c.band_series(backend, SCOPE, "shop")
    assert sorted(shops["track"].unique()) == ["乙品官方店", "甲家旗舰店"]
    assert len(shops) == 4  # 2 shops × (支付金额, 访客数) on 11-02
    with pytest.raises(ValueError):
        c.band_series(backend, SCOPE, "keyword")


@pytest.mark.parametrize(
    ("figure", "shape"),
    [
        (c.Figure(1.0, 1.0, 1.0), c.EXACT),
        (c.Figure(1.0, 2.0, None), c.BAND),
        (c.Figure(None, 2.0, None), c.BELOW),
        (c.Figure(1.0, None, None), c.ABOVE),
        (c.Figure(None, None, None), c.UNKNOWN_FIGURE),
    ],
)
def test_shape_of(figure: c.Figure, shape: str) -> None:
    assert c.shape_of(figure) == shape


def test_keyword_ranks_and_how_they_changed(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "words.csv",
        KEYWORD_HEADER,
        [
            "2026-11-02,甲家旗舰店,甲家 杯,1,保温杯,1000 ~ 2500,900",
            "2026-11-02,甲家旗舰店,甲家 杯,4,焖烧杯,-,300",
            "2026-11-02,甲家旗舰店,甲家 杯,5,旧词,< 500,100",
            "2026-11-09,甲家旗舰店,甲家 杯,2,保温杯,500 ~ 1000,800",
            "2026-11-09,甲家旗舰店,甲家 杯,1,焖烧杯,2500 ~ 5000,1200",
            "2026-11-09,甲家旗舰店,甲家 杯,3,新词,< 500,200",
            "2026-11-09,我的店,我的 杯,1,保温杯,1000 ~ 2500,700",
        ],
    )
    load(warehouse, path)
    table = c.keyword_changes(uncached_source(warehouse.engine), SCOPE, own_shop="我的店")
    rows = {r.keyword: r for r in table.itertuples()}
    assert set(rows) == {"保温杯", "焖烧杯", "旧词", "新词"}  # our shop's word is not a rival's
    assert (rows["焖烧杯"].rank, rows["焖烧杯"].rank_before, rows["焖烧杯"].rank_change) == (1, 4, 3)  # up 3
    assert (rows["保温杯"].rank, rows["保温杯"].rank_change) == (2, -1)
    assert (rows["焖烧杯"].visitors_low, rows["焖烧杯"].visitors_high) == (2500, 5000)  # its last day's band
    assert rows["焖烧杯"].trade_index == 1200
    assert (rows["保温杯"].status, rows["旧词"].status, rows["新词"].status) == (c.KEPT, c.GONE, c.NEW)
    assert rows["旧词"].rank == 5 and rows["旧词"].rank_before != rows["旧词"].rank_before  # seen once: no change
    assert list(table["keyword"]) == ["焖烧杯", "保温杯", "新词", "旧词"]  # by rank on the word's last day


def test_sources_sum_visitor_bands_and_span_the_index(warehouse: Warehouse) -> None:
    load_fixtures(warehouse, "sycm_rival_sources.csv")
    table = c.source_table(uncached_source(warehouse.engine), SCOPE)
    got = [(r.rival, r.source, r.visitors_low, r.visitors_high) for r in table.itertuples()]
    # 乙品's "< 500": an open low end adds 0 (visitors are never negative).
    assert got == [
        ("乙品官方店", "淘宝客", 0.0, 500.0),
        ("甲家旗舰店", "手淘搜索", 1000.0, 2500.0),
        ("甲家旗舰店", "直通车", 500.0, 1000.0),
    ]
    assert list(table["trade_index"].fillna(-1)) == [-1, 11_200, 6_400]  # "-" stays unknown


def test_promotions_mark_a_rivals_new_method(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "promos.csv",
        PROMOTION_HEADER,
        [
            "2026-11-01,甲家旗舰店,甲家 杯,直通车,,",
            "2026-11-01,甲家旗舰店,甲家 杯,淘客,满300减40,",
            "2026-11-05,甲家旗舰店,甲家 杯,直通车,,加价",
            "2026-11-06,甲家旗舰店,甲家 杯,直播,8折,开播",
            "2026-11-06,乙品官方店,乙品 杯,直播,,",
        ],
    )
    load(warehouse, path)
    table = c.promotion_table(uncached_source(warehouse.engine), SCOPE)
    assert [(r.date.isoformat(), r.rival, r.method, r.new_method) for r in table.itertuples()] == [
        ("2026-11-01", "甲家旗舰店", "淘客", False),  # its first day: what it already did
        ("2026-11-01", "甲家旗舰店", "直通车", False),
        ("2026-11-05", "甲家旗舰店", "直通车", False),  # used before
        ("2026-11-06", "乙品官方店", "直播", False),  # 乙品's first recorded day
        ("2026-11-06", "甲家旗舰店", "直播", True),
    ]
    assert table.loc[table["method"] == "淘客", "discount"].item() == "满300减40"


def test_keywords_side_by_side_with_our_ads_and_our_sycm_rows(warehouse: Warehouse) -> None:
    # Our JD 快车 keywords: 保温杯 234 + 198 clicks, 8 + 6 orders (总订单行); 保温杯 大容量 51 clicks, 1 order;
    # 儿童水杯 80 clicks, 3 orders. Rivals: 保温杯 甲家 #1; 保温杯 大容量 乙品 #1, 甲家 #2; 儿童保温杯 乙品 #2.
    load_fixtures(warehouse, "sycm_rival_keywords.csv", "jd_kuaiche_keyword.csv")
    backend = uncached_source(warehouse.engine)
    result = c.keyword_comparison(backend, SCOPE)
    assert result.own_sources == (c.OWN_FROM_ADS,)
    rows = {r.keyword: r for r in result.table.itertuples()}
    assert (rows["保温杯"].our_clicks, rows["保温杯"].our_conversions) == (432, 14)
    assert (rows["保温杯 大容量"].our_clicks, rows["保温杯 大容量"].our_conversions) == (51, 1)
    assert (rows["儿童水杯"].rivals, rows["儿童水杯"].they_win) == (0, False)
    assert rows["保温杯 大容量"].rival_ranks == "乙品官方店 #1 · 甲家旗舰店 #2"
    assert (rows["保温杯 大容量"].best_rival, rows["保温杯 大容量"].best_rank) == ("乙品官方店", 1)
    assert [k for k, r in rows.items() if r.they_win] == ["儿童保温杯"]  # ranked by a rival, nothing of ours
    assert result.table["keyword"].iloc[0] == "儿童保温杯"  # the words they win come first
    # With 甲家旗舰店 as our own shop, its rows are ours: no longer a rival on 保温杯.
    mine = c.keyword_comparison(backend, SCOPE, own_shop="甲家旗舰店")
    assert mine.own_sources == (c.OWN_FROM_ADS, c.OWN_FROM_SYCM)
    rows = {r.keyword: r for r in mine.table.itertuples()}
    assert (rows["保温杯"].our_rank, rows["保温杯"].rivals) == (1, 0)


def test_words_match_whatever_their_case_and_spacing() -> None:
    assert c.word_key(" Vitamin C  Serum ") == c.word_key("vitamin c serum")
