"""A deterministic, realistic warehouse for the report figures: one store, 90 days (Shape.days; report_alerts
uses a year) of every kind of data.

The rows are made by DuckDB SQL straight into the canonical tables that `shopdata.store.Warehouse` creates
(so the schema is the real one), not through the ingest pipeline, which `make bench` measures apart:

* events   a 淘宝 behaviour log: ~users = events / 50 (200k at 10M), ~5k items in ~100 categories, half
           the users only browse, so the mix is ~89 % view, 6 % cart, 3 % fav, 2 % purchase; a few
           sources and two devices; one batch per 10 days, as UserBehavior extracts come;
* ads      tmall (万相台, CNY), google_ads (CNY) and amazon (USD) campaigns (~200): a daily campaign-grain
           row per campaign (about 3 % of campaign-days missing, so a finer grain must stand in) plus
           keyword / search-term rows of the same days (the grain-priority rule keeps them from being
           added to the campaign rows); 万相台 keyword rows name the campaign by ID only and state no
           currency; one batch per platform, grain and 30 days;
* traffic  生意参谋 sources by day × device: 汇总 rows at level 1 and their children at level 2, shop-grain
           rows and product-grain rows (~30k rows);
* prices   daily price scrapes of our shop and nine others (~50k rows), with retitled listings, the same
           product ID sold by several shops, a shop without product IDs, a USD marketplace and the odd
           duplicate listing on a day; one batch per week;
* orders   a 天猫 订单报表 at line level (1M lines): ~30 % of orders have two or more lines (only the first line
           of half of those names the buyer and province, as some exports write them), ~8 % are unpaid
           (等待买家付款 / 交易关闭 without payment), ~5 % fully and ~4 % partly refunded (paid amount net of the
           refund, as Tmall writes it), repeat buyers (one buyer per two orders on average), ten provinces, two
           channels; products 0–89 of the product-grain traffic rows sell, 90–99 do not (slow movers) and 50
           more sell without traffic rows; one batch per 30 days.

Randomness is DuckDB's hash() of the row number, a salt and the seed, so the data is the same however
the insert is parallelised. The file is built once per (sizes, seed, DuckDB version) under bench/.cache/,
under a temporary name renamed when complete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.data import DEFAULT_SEED

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
STORE = "Bench store"
FIRST_DAY = date(2024, 1, 1)
DAYS = 90
# Bump when the generated content changes, so a stale cached warehouse is not reused.
GENERATOR_VERSION = 4

EVENTS_PER_BATCH_DAYS = 10
ADS_BATCH_DAYS = 30
PRICE_BATCH_DAYS = 7

# 生意参谋 一级来源 and how many 二级来源 each has.
TRAFFIC_SOURCES = (
    ("淘内免费", 30),
    ("付费流量", 25),
    ("自主访问", 10),
    ("淘外网站", 15),
    ("淘外APP", 15),
    ("大促会场", 5),
    ("内容推广", 5),
    ("其它来源", 5),
)
TRAFFIC_DEVICES = ("无线端", "PC端")
PRODUCT_ROWS_PER_DAY = 100
# Price tracks: shops × products per shop.
PRICE_SHOPS = (
    STORE,
    "优品旗舰店",
    "百货专营店",
    "家居生活馆",
    "潮流工厂店",
    "源头好货",
    "品质之选",
    "京东自营",
    "比价采集",
    "Amazon.com",
)
PRICE_PRODUCTS_PER_SHOP = 60


@dataclass(frozen=True)
class Shape:
    """How big each table is; everything else follows from these numbers."""

    events: int = 10_000_000
    ads: int = 1_000_000
    order_lines: int = 1_000_000
    days: int = DAYS  # the days the rows are spread over, from FIRST_DAY

    @property
    def users(self) -> int:
        return max(100, self.events // 50)

    @property
    def items(self) -> int:
        return max(50, min(5_000, self.events // 2_000))

    @property
    def categories(self) -> int:
        return max(5, min(100, self.items // 50))

    @property
    def campaigns(self) -> int:
        return max(6, min(200, self.ads // 5_000))


# The warehouse sizes `python -m bench --size` names: `make bench` measures the report and page figures at 1m
# and 10m and prints how each grows between them; 100m (a 100M-event warehouse, ~25 GB of DuckDB file and
# hours to build) is for a bigger machine than the 2-core one the bench was written on.
SIZES = {
    "1m": Shape(events=1_000_000, ads=100_000, order_lines=100_000),
    "10m": Shape(events=10_000_000, ads=1_000_000, order_lines=1_000_000),
    "100m": Shape(events=100_000_000, ads=10_000_000, order_lines=10_000_000),
}
DEFAULT_SIZES = ("1m", "10m")


def _batches(shape: Shape) -> list[dict]:
    """The uploads the rows came in: one record per batch, with the block of days it covers."""
    out: list[dict] = []

    def add(kind: str, platform: str, report: str, part: str, first: int, last: int, name: str) -> None:
        out.append(
            {
                "batch_id": len(out) + 1,
                "kind": kind,
                "platform": platform,
                "report": report,
                "part": part,
                "first": first,
                "last": min(last, shape.days - 1),
                "file_name": name,
            }
        )

    for first in range(0, shape.days, EVENTS_PER_BATCH_DAYS):
        add(
            "events",
            "taobao",
            "taobao_userbehavior",
            "",
            first,
            first + EVENTS_PER_BATCH_DAYS - 1,
            f"UserBehavior_{first // EVENTS_PER_BATCH_DAYS + 1:02d}.csv",
        )
    for platform, report, grains in (
        ("tmall", "tmall_wanxiangtai", ("campaign", "keyword")),
        ("google_ads", "google_ads", ("campaign", "keyword", "search_term")),
        ("amazon", "amazon_sp", ("campaign", "search_term")),
    ):
        for grain in grains:
            for first in range(0, shape.days, ADS_BATCH_DAYS):
                add(
                    "ads",
                    platform,
                    report,
                    grain,
                    first,
                    first + ADS_BATCH_DAYS - 1,
                    f"{platform}_{grain}_report_{first // ADS_BATCH_DAYS + 1}.xlsx",
                )
    for grain, report in (("source", "sycm_sources"), ("shop", "generic_traffic"), ("product", "sycm_products")):
        for first in range(0, shape.days, ADS_BATCH_DAYS):
            add(
                "traffic",
                "tmall",
                report,
                grain,
                first,
                first + ADS_BATCH_DAYS - 1,
                f"生意参谋_{grain}_{first // ADS_BATCH_DAYS + 1}.xls",
            )
    for first in range(0, shape.days, ADS_BATCH_DAYS):
        add(
            "orders",
            "tmall",
            "tmall_orders",
            "",
            first,
            first + ADS_BATCH_DAYS - 1,
            f"tmall_order_report_{first // ADS_BATCH_DAYS + 1}.csv",
        )
    for first in range(0, shape.days, PRICE_BATCH_DAYS):
        add(
            "prices",
            "taobao",
            "taobao_price_scrape",
            "",
            first,
            first + PRICE_BATCH_DAYS - 1,
            f"price_scrape_week_{first // PRICE_BATCH_DAYS + 1:02d}.csv",
        )
    return out


def _batch_values(batches: list[dict]) -> str:
    rows = ", ".join(
        f"({b['batch_id']}, '{b['kind']}', '{b['platform']}', '{b['report']}', '{b['part']}', "
        f"{b['first']}, {b['last']}, '{b['file_name']}')"
        for b in batches
    )
    return (
        "CREATE TEMP TABLE bench_batches AS SELECT * FROM (VALUES "
        + rows
        + ") t(batch_id, kind, platform, report, part, first_day, last_day, file_name)"
    )


def _sql(shape: Shape, seed: int) -> list[str]:
    """The statements that fill the canonical tables (after Warehouse() has created them)."""
    n_events, users, items, categories = shape.events, shape.users, shape.items, shape.categories
    campaigns = shape.campaigns
    # Campaign indexes: [0, tm) tmall, [tm, tm + gg) google_ads, the rest amazon.
    tm, gg = round(campaigns * 0.4), round(campaigns * 0.3)
    am = campaigns - tm - gg
    day0 = f"DATE '{FIRST_DAY.isoformat()}'"
    store = f"'{STORE}'"
    sources = ", ".join(f"('{name}', {k}, {n})" for k, (name, n) in enumerate(TRAFFIC_SOURCES))
    devices = ", ".join(f"('{d}', {k})" for k, d in enumerate(TRAFFIC_DEVICES))
    shops = ", ".join(f"('{s}', {k})" for k, s in enumerate(PRICE_SHOPS))
    created = "TIMESTAMP '2024-04-01 09:00:00'"
    return [
        # r(i, salt): a uniform number in [0, 1) that depends only on the row, the salt and the seed.
        f"CREATE OR REPLACE TEMP MACRO r(i, salt) AS hash(i, salt, {seed})::DOUBLE / 18446744073709551616.0",
        f"INSERT INTO stores (name, is_demo, created_at) VALUES ({store}, false, {created})",
        # ---- events
        f"""
        INSERT INTO events (store, batch_id, platform, nk, user_id, item_id, category_id, behavior, event_time,
                            event_date, source, device)
        SELECT {store}, 1 + day // {EVENTS_PER_BATCH_DAYS}, 'taobao', md5('event:' || i), (100000000 + u)::VARCHAR,
               (500000000 + item)::VARCHAR, (1000 + hash(item, {seed}) % {categories})::VARCHAR,
               CASE WHEN r(u, 1) < 0.5 OR x < 0.78 THEN 'view' WHEN x < 0.90 THEN 'cart'
                    WHEN x < 0.96 THEN 'fav' ELSE 'purchase' END,
               ts, ts::DATE,
               CASE WHEN s < 0.45 THEN '手淘搜索' WHEN s < 0.70 THEN '手淘推荐' WHEN s < 0.82 THEN '直通车'
                    WHEN s < 0.90 THEN '购物车' WHEN s < 0.96 THEN '我的淘宝' ELSE '淘外流量' END,
               CASE WHEN r(i, 7) < 0.85 THEN 'mobile' ELSE 'pc' END
        FROM (SELECT i, day, floor({users} * pow(r(i, 2), 1.3))::BIGINT AS u,
                     floor({items} * pow(r(i, 3), 2))::BIGINT AS item, r(i, 4) AS x, r(i, 5) AS s,
                     TIMESTAMP '{FIRST_DAY.isoformat()}' + to_days(day::INTEGER)
                         + to_seconds(floor(86400 * r(i, 6))::BIGINT) AS ts
              FROM (SELECT range AS i, range * {shape.days} // {n_events} AS day FROM range({n_events}))) e
        """,
        # ---- ads: the campaigns, then a campaign-grain row per campaign and day (a few missing) ...
        f"""
        CREATE TEMP TABLE bench_campaigns AS
        SELECT c,
               CASE WHEN c < {tm} THEN 'tmall' WHEN c < {tm + gg} THEN 'google_ads' ELSE 'amazon' END AS platform,
               CASE WHEN c < {tm} THEN (1000000 + c)::VARCHAR WHEN c < {tm + gg} THEN (20000000000 + c * 7919)::VARCHAR
                    END AS campaign_id,
               CASE WHEN c < {tm} THEN '万相台-' || (['货品加速', '拉新快', '上新快', '全站推广'])[1 + c % 4] || '-' || c
                    WHEN c < {tm + gg}
                        THEN 'Search | ' || (['Brand', 'Generic', 'Competitor', 'DSA'])[1 + c % 4] || ' #' || c
                    ELSE 'SP - ' || (['Auto', 'Exact', 'Broad', 'Product targeting'])[1 + c % 4] || ' #' || c
               END AS campaign,
               CASE WHEN c < {tm} THEN (['货品加速', '拉新快', '上新快', '全站推广'])[1 + c % 4]
                    WHEN c < {tm + gg} THEN 'Search' ELSE 'Sponsored Products' END AS campaign_type,
               CASE WHEN c < {tm + gg} THEN 'CNY' ELSE 'USD' END AS currency,
               CASE WHEN c < {tm} THEN '15d' WHEN c < {tm + gg} THEN '30d' ELSE '7d' END AS attribution,
               20 + 400 * pow(r(c, 10), 2) AS size
        FROM range({campaigns}) t(c)
        """,
        f"""
        CREATE TEMP TABLE bench_ads AS
        SELECT k.platform, 'campaign' AS grain, d AS day, k.campaign_id, k.campaign, k.campaign_type,
               NULL::VARCHAR AS ad_group, NULL::VARCHAR AS keyword, NULL::VARCHAR AS match_type,
               NULL::VARCHAR AS search_term, impressions, clicks, round(clicks * cpc, 2) AS spend, conversions,
               round(conversions * (40 + 160 * r(c * 1000 + d, 14)), 2) AS revenue, conversions AS units,
               CASE WHEN k.platform = 'tmall' THEN floor(clicks * 0.08) END AS carts, k.currency, k.attribution,
               c * 1000 + d AS key
        FROM (SELECT *, floor(clicks * 0.06 * r(c * 1000 + d, 13)) AS conversions
              FROM (SELECT *, floor(impressions * (0.01 + 0.03 * r(c * 1000 + d, 12))) AS clicks
                    FROM (SELECT k.*, d, floor(k.size * 50 * (0.6 + 0.8 * r(c * 1000 + d, 11))) AS impressions,
                                 0.3 + 2.5 * r(c, 15) AS cpc
                          FROM bench_campaigns k, range({shape.days}) t(d)
                          WHERE r(c * 1000 + d, 16) >= 0.03))) k
        """,
        # ... then keyword / search-term rows of the same campaigns and days, to make up the ad rows asked for.
        f"""
        INSERT INTO bench_ads
        SELECT k.platform, f.grain, f.day, k.campaign_id, CASE WHEN k.platform = 'tmall' THEN NULL ELSE k.campaign END,
               k.campaign_type, k.campaign || ' / ad group ' || (f.i % 5), f.keyword,
               (['EXACT', 'PHRASE', 'BROAD'])[1 + (f.i % 3)::INTEGER],
               CASE WHEN f.grain = 'search_term' THEN 'term ' || (hash(f.i, 22, {seed}) % 50000) END,
               f.impressions, f.clicks, round(f.clicks * (0.2 + 3 * r(f.i, 23)), 2), f.conversions,
               round(f.conversions * (40 + 160 * r(f.i, 24)), 2), f.conversions,
               CASE WHEN k.platform = 'tmall' THEN floor(f.clicks * 0.1) END,
               CASE WHEN k.platform = 'tmall' THEN NULL ELSE k.currency END, k.attribution, 100000000 + f.i
        FROM (SELECT *, floor(clicks * 0.07 * r(i, 21)) AS conversions
              FROM (SELECT *, floor(impressions * 0.04 * r(i, 20)) AS clicks
                    FROM (SELECT i, i * {shape.days} // n AS day, floor(1 + 300 * pow(r(i, 19), 3)) AS impressions,
                                 CASE WHEN p < 0.45 THEN floor({tm} * pow(r(i, 18), 1.5))
                                      WHEN p < 0.80 THEN {tm} + floor({gg} * pow(r(i, 18), 1.5))
                                      ELSE {tm + gg} + floor({am} * pow(r(i, 18), 1.5)) END AS c,
                                 CASE WHEN p < 0.45 THEN 'keyword' WHEN p < 0.80 AND r(i, 25) < 0.4 THEN 'keyword'
                                      ELSE 'search_term' END AS grain,
                                 CASE WHEN p < 0.45 THEN '关键词' ELSE 'keyword ' END || (hash(i, 26, {seed}) % 5000) AS keyword
                          FROM (SELECT range AS i, r(range, 17) AS p, {{fine_rows}} AS n
                                FROM range({{fine_rows}}))))) f
        JOIN bench_campaigns k ON k.c = f.c
        """,
        f"""
        INSERT INTO ads (store, batch_id, platform, nk, date, end_date, grain, campaign_id, campaign, campaign_type,
                         ad_group, keyword, match_type, search_term, impressions, clicks, spend, conversions, revenue,
                         units, carts, currency, attribution)
        SELECT {store}, b.batch_id, a.platform, md5('ads:' || a.key), {day0} + a.day::INTEGER, {day0} + a.day::INTEGER,
               a.grain, a.campaign_id, a.campaign, a.campaign_type, a.ad_group, a.keyword, a.match_type,
               a.search_term, a.impressions, a.clicks, a.spend, a.conversions, a.revenue, a.units, a.carts,
               a.currency, a.attribution
        FROM bench_ads a
        JOIN bench_batches b ON b.kind = 'ads' AND b.platform = a.platform AND b.part = a.grain
                             AND a.day BETWEEN b.first_day AND b.last_day
        ORDER BY b.batch_id, a.day, a.key
        """,
        # ---- traffic: 二级来源 rows, their 汇总 rows at level 1, the shop's rows, product rows
        f"""
        CREATE TEMP TABLE bench_sources AS
        SELECT s.name AS source_1, s.k, j, dv.device, dv.dk, d AS day,
               CASE WHEN j = 0 AND s.k = 0 THEN '手淘搜索' WHEN j = 0 AND s.k = 1 THEN '直通车'
                    WHEN j = 1 AND s.k = 0 THEN '手淘推荐' ELSE s.name || '-' || (j + 1) END AS source_2,
               floor((CASE WHEN dv.dk = 0 THEN 3000 ELSE 500 END) * pow(r(s.k * 100 + j, 30), 3) / (1 + j * 0.2)
                     * (0.8 + 0.4 * r(((d * 10 + s.k) * 100 + j) * 2 + dv.dk, 31)) * (1 + 0.2 * sin(d / 7))) AS visitors,
               ((d * 10 + s.k) * 100 + j) * 2 + dv.dk AS key
        FROM (VALUES {sources}) s(name, k, n), range(60) t(j), (VALUES {devices}) dv(device, dk), range({shape.days}) u(d)
        WHERE j < s.n
        """,
        """
        CREATE TEMP TABLE bench_traffic AS
        SELECT 'source' AS grain, day, device, source_1, source_2, 2 AS source_level, NULL::VARCHAR AS product_id,
               NULL::VARCHAR AS product_name, visitors, floor(visitors * (1.5 + r(key, 32))) AS page_views,
               floor(visitors * 0.6 * r(key, 33)) AS new_visitors, floor(visitors * 0.7) AS product_visitors,
               floor(visitors * 0.08 * r(key, 34)) AS cart_users, floor(visitors * 0.03 * r(key, 35)) AS fav_users,
               floor(visitors * 0.04 * r(key, 36)) AS order_buyers, NULL::DOUBLE AS orders,
               floor(visitors * 0.03 * r(key, 36)) AS buyers, 0.0::DOUBLE AS revenue, key
        FROM bench_sources
        """,
        "UPDATE bench_traffic SET revenue = round(buyers * (60 + 140 * r(key, 37)), 2)",
        # Money is summed as DECIMAL: the last bits of a float sum depend on the order the threads add in,
        # and the warehouse must come out the same on every build.
        """
        INSERT INTO bench_traffic
        SELECT 'source', day, device, source_1, NULL, 1, NULL, NULL, floor(sum(visitors) * 0.93), sum(page_views),
               floor(sum(new_visitors) * 0.95), floor(sum(product_visitors) * 0.95), floor(sum(cart_users) * 0.97),
               floor(sum(fav_users) * 0.97), sum(order_buyers), NULL, sum(buyers),
               sum(revenue::DECIMAL(18, 2))::DOUBLE, 10000000 + min(key)
        FROM bench_traffic GROUP BY day, device, source_1
        """,
        """
        INSERT INTO bench_traffic
        SELECT 'shop', day, device, NULL, NULL, NULL, NULL, NULL, floor(sum(visitors) * 0.9), sum(page_views),
               sum(new_visitors), sum(product_visitors), sum(cart_users), sum(fav_users), sum(order_buyers),
               floor(sum(buyers) * 1.05), floor(sum(buyers) * 0.98), sum(revenue::DECIMAL(18, 2))::DOUBLE,
               20000000 + min(key)
        FROM bench_traffic WHERE source_level = 1 GROUP BY day, device
        """,
        f"""
        INSERT INTO bench_traffic
        SELECT 'product', d, NULL, NULL, NULL, NULL, (500000000 + p)::VARCHAR, '商品 ' || p || ' 夏季新款',
               v, floor(v * 2.1), NULL, v, floor(v * 0.1), floor(v * 0.04), floor(v * 0.05), NULL,
               floor(v * 0.035), round(floor(v * 0.035) * (50 + p % 150), 2), 90000000 + d * 1000 + p
        FROM (SELECT p, d, floor(2000 / (1 + p) * (0.7 + 0.6 * r(d * 1000 + p, 38))) AS v
              FROM range({PRODUCT_ROWS_PER_DAY}) t(p), range({shape.days}) u(d))
        """,
        f"""
        INSERT INTO traffic (store, batch_id, platform, nk, date, end_date, grain, device, source_1, source_2,
                             source_level, product_id, product_name, visitors, page_views, new_visitors,
                             product_visitors, cart_users, fav_users, order_buyers, buyers, orders, units, revenue,
                             refund, currency)
        SELECT {store}, b.batch_id, 'tmall', md5('traffic:' || t.key), {day0} + t.day::INTEGER,
               {day0} + t.day::INTEGER, t.grain, t.device, t.source_1, t.source_2, t.source_level, t.product_id,
               t.product_name, t.visitors, t.page_views, t.new_visitors, t.product_visitors, t.cart_users,
               t.fav_users, t.order_buyers, t.buyers, t.orders, floor(t.buyers * 1.2),
               t.revenue, CASE WHEN t.grain = 'shop' THEN round(t.revenue * 0.04, 2) END, 'CNY'
        FROM bench_traffic t
        JOIN bench_batches b ON b.kind = 'traffic' AND b.part = t.grain AND t.day BETWEEN b.first_day AND b.last_day
        ORDER BY b.batch_id, t.day, t.source_1, t.source_level, t.source_2, t.device, t.product_id
        """,
        # ---- prices
        f"""
        CREATE TEMP TABLE bench_prices AS
        SELECT s.shop, s.sk, p, d, dup,
               CASE WHEN s.shop = '比价采集' THEN NULL
                    WHEN s.sk = 0 OR p % 3 = 0 THEN (610000000 + p)::VARCHAR
                    ELSE (620000000 + s.sk * 1000 + p)::VARCHAR END AS product_id,
               CASE WHEN s.shop <> '比价采集' AND r((s.sk * 100 + p) * 100 + d, 41) < 0.1 THEN '【限时折扣】' ELSE '' END
                   || s.shop || ' 同款 ' || p || ' 号商品' AS product_name,
               (20 + 380 * r(s.sk * 100 + p, 42)) * (CASE WHEN s.sk = 0 THEN 1.0 ELSE 0.85 + 0.3 * r(s.sk * 100 + p, 43) END)
                   * (CASE WHEN s.shop = 'Amazon.com' THEN 0.14 ELSE 1 END) AS base,
               r(((s.sk * 100 + p) * 100 + d) * 2 + dup, 44) AS x,
               CASE WHEN s.shop = 'Amazon.com' THEN 'USD' WHEN s.shop = '比价采集' THEN NULL ELSE 'CNY' END AS currency,
               ((s.sk * 100 + p) * 100 + d) * 2 + dup AS key
        FROM (VALUES {shops}) s(shop, sk), range({PRICE_PRODUCTS_PER_SHOP}) t(p), range({shape.days}) u(d), range(2) v(dup)
        WHERE r((s.sk * 100 + p) * 100 + d, 40) < 0.92 AND (dup = 0 OR r((s.sk * 100 + p) * 100 + d, 45) < 0.02)
        """,
        f"""
        INSERT INTO prices (store, batch_id, platform, nk, date, end_date, shop, product_id, product_name, price,
                            list_price, currency, sales, comments, available)
        SELECT {store}, b.batch_id, 'taobao', md5('price:' || p.key), {day0} + p.d::INTEGER, {day0} + p.d::INTEGER,
               p.shop, p.product_id, p.product_name,
               round(p.base * CASE WHEN p.x < 0.05 THEN 0.8 ELSE 0.99 + 0.02 * p.x END - p.dup, 2),
               round(p.base * 1.25, 2), p.currency, floor(p.d * (5 + 50 * r(p.sk * 100 + p.p, 46))),
               floor(p.d * (1 + 5 * r(p.sk * 100 + p.p, 47))), p.x >= 0.01
        FROM bench_prices p
        JOIN bench_batches b ON b.kind = 'prices' AND p.d BETWEEN b.first_day AND b.last_day
        ORDER BY b.batch_id, p.d, p.shop, p.p, p.dup
        """,
        # ---- orders: a line starts a new order unless it continues the one before (~30 % of lines)
        f"""
        CREATE TEMP TABLE bench_lines AS
        SELECT i, (sum(CASE WHEN i = 0 OR r(i, 50) >= 0.3 THEN 1 ELSE 0 END) OVER (ORDER BY i) - 1)::BIGINT AS o
        FROM range({shape.order_lines}) t(i)
        """,
        f"""
        CREATE TEMP TABLE bench_orders AS
        SELECT o, day, floor(buyers * pow(r(o, 53), 1.5))::BIGINT AS u, r(o, 54) AS x, r(o, 57) AS y,
               TIMESTAMP '{FIRST_DAY.isoformat()}' + to_days(day::INTEGER) + to_seconds(floor(86400 * r(o, 52))::BIGINT)
                   AS created
        FROM (SELECT o, o * {shape.days} // n AS day, greatest(1, n // 2) AS buyers
              FROM (SELECT DISTINCT o FROM bench_lines), (SELECT max(o) + 1 AS n FROM bench_lines))
        """,
        """
        CREATE TEMP TABLE bench_order_lines AS
        SELECT *, round(quantity * (50 + pid % 150) * (0.85 + 0.15 * r(i, 61)), 2) AS amount
        FROM (SELECT l.i, l.o, row_number() OVER (PARTITION BY l.o ORDER BY l.i) AS line_no, d.day, d.u, d.x, d.y,
                     d.created, CASE WHEN p < 90 THEN p ELSE p + 10 END AS pid,
                     1 + (r(l.i, 56) < 0.2)::INTEGER + (r(l.i, 56) < 0.05)::INTEGER AS quantity
              FROM (SELECT *, floor(140 * pow(r(i, 55), 1.6))::BIGINT AS p FROM bench_lines) l
              JOIN bench_orders d ON d.o = l.o)
        """,
        f"""
        INSERT INTO orders (store, batch_id, platform, nk, grain, order_id, line_no, order_time, order_date, paid_time,
                            status, buyer_id, product_id, sku, product_name, quantity, amount, paid_amount,
                            refund_amount, shipping, currency, region, channel)
        SELECT {store}, b.batch_id, 'tmall', md5('order:' || l.i), 'line', (3000000000000 + l.o * 17)::VARCHAR,
               l.line_no::VARCHAR, l.created, l.created::DATE,
               CASE WHEN l.x >= 0.08 THEN l.created + to_seconds(60 + floor(3600 * r(l.o, 60))::BIGINT) END,
               CASE WHEN l.x < 0.06 THEN '等待买家付款' WHEN l.x < 0.13 THEN '交易关闭'
                    WHEN l.x < 0.20 THEN '卖家已发货，等待买家确认' WHEN l.x < 0.25 THEN '买家已付款，等待卖家发货'
                    ELSE '交易成功' END,
               CASE WHEN l.line_no = 1 OR l.y >= 0.5 THEN 'tb_' || (70000000 + l.u) END,
               (500000000 + l.pid)::VARCHAR, NULL, '商品 ' || l.pid || ' 夏季新款', l.quantity, l.amount,
               -- unpaid: nothing paid; fully refunded: paid 0 and the whole amount refunded; partly refunded: the
               -- first line's half refunded, the paid amount net of it
               CASE WHEN l.x < 0.13 THEN 0.0 WHEN l.x < 0.17 AND l.line_no = 1 THEN l.amount - round(l.amount / 2, 2)
                    ELSE l.amount END,
               CASE WHEN l.x < 0.08 THEN NULL WHEN l.x < 0.13 THEN l.amount
                    WHEN l.x < 0.17 AND l.line_no = 1 THEN round(l.amount / 2, 2) ELSE 0.0 END,
               CASE WHEN l.line_no = 1 AND l.y < 0.3 THEN 8.0 ELSE 0.0 END, 'CNY',
               CASE WHEN l.line_no = 1 OR l.y >= 0.5
                    THEN (['广东省', '浙江省', '江苏省', '上海', '北京', '山东省', '四川省', '湖北省', '福建省', '河南省'])
                         [1 + floor(10 * pow(r(l.u, 58), 1.2))::INTEGER] END,
               CASE WHEN r(l.o, 59) < 0.85 THEN '无线端' ELSE 'PC端' END
        FROM bench_order_lines l
        JOIN bench_batches b ON b.kind = 'orders' AND l.day BETWEEN b.first_day AND b.last_day
        ORDER BY b.batch_id, l.o, l.line_no
        """,
        # ---- one batch record per upload, as the pipeline writes them
        f"""
        INSERT INTO batches (batch_id, store, file_name, sha256, size_bytes, platform, kind, report, mapping,
                             rows_loaded, rows_replaced, rows_skipped, skipped_reasons, warnings, date_from, date_to,
                             uploaded_by, created_at)
        SELECT b.batch_id, {store}, b.file_name, sha256('bench batch ' || b.batch_id), n.rows * 120, b.platform,
               b.kind, b.report, '{{}}', n.rows, 0, 0, '{{}}', '[]', {day0} + b.first_day::INTEGER,
               {day0} + b.last_day::INTEGER, 'bench', {created} + to_minutes(b.batch_id)
        FROM bench_batches b
        JOIN (SELECT batch_id, count(*) AS rows FROM (SELECT batch_id FROM events UNION ALL SELECT batch_id FROM ads
              UNION ALL SELECT batch_id FROM traffic UNION ALL SELECT batch_id FROM prices UNION ALL SELECT batch_id FROM orders) GROUP BY batch_id) n
          ON n.batch_id = b.batch_id
        ORDER BY b.batch_id
        """,
        # Later uploads must get new batch numbers.
        "SELECT max(nextval('batch_seq')) FROM (SELECT batch_id FROM bench_batches)",
    ]


def build(path: Path, shape: Shape = Shape(), seed: int = DEFAULT_SEED) -> Path:
    """Create the warehouse at `path` (which must not exist yet)."""
    from shopdata import rollups
    from shopdata.store import open_warehouse

    store = open_warehouse(str(path))
    try:
        con = store.engine.con
        batches = _batches(shape)
        # The events' batch is computed from the day in SQL: they must be batches 1, 2, 3 …
        assert [b["batch_id"] for b in batches if b["kind"] == "events"] == list(
            range(1, shape.days // EVENTS_PER_BATCH_DAYS + 1)
        )
        con.execute("SET enable_progress_bar = false")
        con.execute(_batch_values(batches))
        for statement in _sql(shape, seed):
            if "{fine_rows}" in statement:
                # The keyword / search-term rows make up what the campaign rows leave of the ad rows asked for.
                fine = shape.ads - con.execute("SELECT count(*) FROM bench_ads").fetchone()[0]
                if fine < 0:
                    raise ValueError(f"{shape.ads:,} ad rows are fewer than the campaign rows alone")
                statement = statement.replace("{fine_rows}", str(fine))
            con.execute(statement)
        rollups.rebuild(store.engine)  # the rows went in by SQL, not through loads that keep the rollups
        con.execute("CHECKPOINT")
    finally:
        store.engine.close()
    return path


def warehouse(shape: Shape = Shape(), seed: int = DEFAULT_SEED, cache_dir: Path | None = None, log=None) -> Path:
    """The warehouse file for `shape`, built on first use and reused from `cache_dir` afterwards."""
    import duckdb

    from shopdata.migrations import SCHEMA_VERSION

    directory = Path(cache_dir) if cache_dir is not None else CACHE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (
        # The schema version too: a warehouse of an older one would be migrated, and first backed up, at each run.
        f"warehouse_v{GENERATOR_VERSION}_schema{SCHEMA_VERSION}_{shape.events}ev_{shape.ads}ads_{shape.order_lines}ol"
        + ("" if shape.days == DAYS else f"_{shape.days}d")
        + f"_{seed}_duckdb{duckdb.__version__}.duckdb"
    )
    if not path.exists():
        if log:
            log(
                f"building the warehouse {path.name} ({shape.events:,} events, {shape.ads:,} ad rows, "
                f"{shape.order_lines:,} order lines; "
                "cached after the first run)"
            )
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            build(partial, shape, seed)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
            partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
    return path
