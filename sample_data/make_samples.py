#!/usr/bin/env python3
"""Write the "Demo store" exports in real platforms' layouts, next to this file.

The demo store is the cosmetics brand 示例美妆旗舰店 ("Demo Beauty"): Tmall with 万相台
ads, plus an English Shopify site with Google Ads, over 2026-08-25 .. 2026-11-22.
One calendar model drives every file so the stories agree across platforms:
weekly rhythm, the Double-11 promotion, a competitor price cut on 2026-10-01 and a
money-losing 万相台 campaign. See README.md beside this file for what each file holds.

Run: python sample_data/make_samples.py   (stdlib + openpyxl; fixed seeds; overwrites;
byte-identical output on every run)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook

OUT = Path(__file__).resolve().parent
SEED = 20261111
START = dt.date(2026, 8, 25)
END = dt.date(2026, 11, 22)
DAYS = [START + dt.timedelta(days=i) for i in range((END - START).days + 1)]
CN_TZ = dt.timezone(dt.timedelta(hours=8))
FIXED_ZIP_TIME = (2026, 11, 23, 9, 30, 15)

SHOP_CN = "示例美妆旗舰店"
COMPETITOR_CUT_SHOP = "竞品A旗舰店"
PRESALE_START = dt.date(2026, 10, 20)
PROMO_START = dt.date(2026, 11, 1)
DOUBLE11 = dt.date(2026, 11, 11)
PRICE_CUT_DAY = dt.date(2026, 10, 1)
# An abnormal day worth finding: 竞品B cuts its serum's price on RIVAL_CUT_DAY, and the next day our 手淘搜索
# visitors (and the revenue they bring) fall to SEARCH_DROP_SHARE of an ordinary day's.
RIVAL_CUT_DAY = dt.date(2026, 11, 17)
SEARCH_DROP_DAY = RIVAL_CUT_DAY + dt.timedelta(days=1)
SEARCH_DROP_SHARE = 0.45
US_SALE_START = dt.date(2026, 11, 9)

F_TRAFFIC = "【生意参谋平台】店铺来源_2026-08-25_2026-11-22.xlsx"
F_WXT = "计划报表_20261123_093015.csv"
F_SESSIONS = "shopify_sessions_by_referrer_2026-08-25_2026-11-22.csv"
F_SALES = "shopify_total_sales_over_time_2026-08-25_2026-11-22.csv"
F_GADS = "google_ads_campaign_report.csv"
F_BEHAVIOR = "taobao_user_behavior.csv"
F_PRICES = "竞品价格监控_2026-08-25_2026-11-22.xlsx"
F_ORDERS = "ExportOrderList20261123093015.csv"
F_PRODUCTS = "【生意参谋平台】商品_全部_2026-08-25_2026-11-22.xlsx"
F_WXT_PRODUCTS = "商品报表_20261123_093015.csv"


# ---------------------------------------------------------------- calendar model
def is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def cn_traffic_factor(day: dt.date) -> float:
    """Visitors relative to an ordinary weekday on Tmall."""
    week = 1.18 if is_weekend(day) else (1.05 if day.weekday() == 4 else 1.0)
    if day == PRESALE_START:
        promo = 1.5  # pre-sale opens: deposit hunters arrive
    elif PRESALE_START < day < PROMO_START:
        promo = 1.25
    elif PROMO_START <= day < DOUBLE11:
        promo = 1.45 + 0.035 * (day - PROMO_START).days
    elif day == DOUBLE11:
        promo = 2.1
    elif day == DOUBLE11 + dt.timedelta(days=1):
        promo = 1.4
    elif day > DOUBLE11:
        promo = 0.9  # post-promotion hangover
    else:
        promo = 1.0
    return week * promo


def cn_conversion_factor(day: dt.date) -> float:
    """Paying share of visitors: weekday shoppers convert a bit better; pre-sale waits."""
    week = 0.95 if is_weekend(day) else 1.04
    if PRESALE_START <= day < PROMO_START:
        promo = 0.85  # people add to cart and wait for the 11.11 price
    elif day == DOUBLE11:
        promo = 1.6
    elif day == DOUBLE11 + dt.timedelta(days=1):
        promo = 1.1
    elif day > DOUBLE11:
        promo = 0.95
    else:
        promo = 1.0
    return week * promo


def cn_cart_factor(day: dt.date) -> float:
    if PRESALE_START <= day < PROMO_START:
        return 1.7
    if PROMO_START <= day < DOUBLE11:
        return 1.5
    return 1.0


def cn_basket_factor(day: dt.date) -> float:
    if day == DOUBLE11:
        return 1.12  # bundles and 满减 thresholds lift the basket
    if PROMO_START <= day < DOUBLE11:
        return 1.05
    return 1.0


def cn_ad_spend_factor(day: dt.date) -> float:
    week = 1.08 if is_weekend(day) else 1.0
    if PRESALE_START <= day < PROMO_START:
        promo = 1.5
    elif PROMO_START <= day < DOUBLE11:
        promo = 1.9
    elif day == DOUBLE11:
        promo = 3.0
    elif day == DOUBLE11 + dt.timedelta(days=1):
        promo = 1.3
    elif day > DOUBLE11:
        promo = 0.85
    else:
        promo = 1.0
    return week * promo


def cn_cpc_factor(day: dt.date) -> float:
    if day == DOUBLE11:
        return 1.4
    if PRESALE_START <= day <= DOUBLE11:
        return 1.25  # everyone bids up in the run-up
    return 1.0


def us_traffic_factor(day: dt.date) -> float:
    week = 1.25 if is_weekend(day) else 1.0
    if day == DOUBLE11:
        return week * 1.6
    if US_SALE_START <= day < DOUBLE11:
        return week * 1.25
    return week


def us_conversion_factor(day: dt.date) -> float:
    week = 0.93 if is_weekend(day) else 1.05
    if day == DOUBLE11:
        return week * 1.6
    if US_SALE_START <= day < DOUBLE11:
        return week * 1.2
    return week


def us_ad_spend_factor(day: dt.date) -> float:
    if day == DOUBLE11:
        return 1.8
    if dt.date(2026, 11, 4) <= day < DOUBLE11:
        return 1.3
    return 1.0


# ---------------------------------------------------------------- random helpers
def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binom(rng: random.Random, n: int, p: float) -> int:
    p = min(max(p, 0.0), 1.0)
    if n <= 0 or p == 0.0:
        return 0
    if n <= 60:
        return sum(rng.random() < p for _ in range(n))
    mean = n * p
    if mean < 25:
        return min(n, poisson(rng, mean))
    if n - mean < 25:
        return n - min(n, poisson(rng, n - mean))
    return min(n, max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - p))))))


def order_value_cents(rng: random.Random, mean: float) -> int:
    """One order's value: right-skewed around `mean` yuan/dollars."""
    sigma = 0.35
    return max(100, round(mean * rng.lognormvariate(-sigma * sigma / 2, sigma) * 100))


# ---------------------------------------------------------------- formatting helpers
def pct(num: float, den: float) -> str:
    return "-" if den == 0 else f"{num / den * 100:.2f}%"


def money(cents: int) -> float:
    return round(cents / 100, 2)


def ratio2(num: float, den: float):
    return "-" if den == 0 else round(num / den, 2)


def save_workbook_deterministic(wb: Workbook, path: Path) -> None:
    """openpyxl stamps the save time into docProps and every zip entry; pin both."""
    fixed = dt.datetime(*FIXED_ZIP_TIME)
    wb.properties.created = fixed
    wb.properties.creator = "生意参谋"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)


# ================================================================ 万相台 计划报表
WXT_CAMPAIGNS = [
    # plan id, name, scene id, scene, spend/day, CPC, CTR, click CVR, AOV, cart/click
    ("581203769204517", "关键词推广-精华液", "380", "关键词推广", 600.0, 1.80, 0.045, 0.040, 189.0, 0.085),
    ("581203769211804", "人群推广-面霜", "381", "人群推广", 450.0, 1.20, 0.022, 0.0135, 229.0, 0.060),
    ("581203770036152", "货品全站推-爆款", "376", "货品全站推", 800.0, 1.50, 0.030, 0.030, 159.0, 0.075),
    ("581203771142983", "内容营销-新品", "385", "内容营销", 300.0, 0.90, 0.015, 0.0049, 139.0, 0.030),
]


def build_wanxiangtai(rng: random.Random) -> list[dict]:
    rows = []
    for day in DAYS:
        for plan_id, name, scene_id, scene, spend, cpc, ctr, cvr, aov, cart in WXT_CAMPAIGNS:
            cost = round(spend * cn_ad_spend_factor(day) * rng.uniform(0.9, 1.1) * 100)
            clicks = max(1, round(cost / 100 / (cpc * cn_cpc_factor(day) * rng.uniform(0.92, 1.08))))
            impressions = max(clicks, round(clicks / (ctr * rng.uniform(0.9, 1.1))))
            orders = min(clicks, poisson(rng, clicks * cvr * cn_conversion_factor(day)))
            sales = sum(order_value_cents(rng, aov * cn_basket_factor(day)) for _ in range(orders))
            rows.append(
                dict(
                    day=day,
                    plan_id=plan_id,
                    name=name,
                    scene_id=scene_id,
                    scene=scene,
                    cost=cost,
                    impressions=impressions,
                    clicks=clicks,
                    orders=orders,
                    sales=sales,
                    carts=binom(rng, clicks, cart * cn_cart_factor(day)),
                    visitors=binom(rng, clicks, 0.86),
                )
            )
    return rows


def write_wanxiangtai(rows: list[dict]) -> int:
    header = [
        "日期",
        "计划ID",
        "计划名字",
        "场景ID",
        "场景名字",
        "花费",
        "展现量",
        "点击量",
        "点击率",
        "平均点击花费",
        "千次展现花费",
        "总成交金额",
        "总成交笔数",
        "总购物车数",
        "实际投产比",
        "点击转化率",
        "引导访问人数",
    ]
    with open(OUT / F_WXT, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)  # CRLF, quotes only where needed ("4,918.00")
        out.writerow(header)
        for r in rows:
            out.writerow(
                [
                    r["day"].isoformat(),
                    r["plan_id"],
                    r["name"],
                    r["scene_id"],
                    r["scene"],
                    f"{r['cost'] / 100:.2f}",
                    r["impressions"],
                    r["clicks"],
                    pct(r["clicks"], r["impressions"]),
                    f"{r['cost'] / r['clicks'] / 100:.2f}",
                    f"{r['cost'] / r['impressions'] * 10:.2f}",
                    f"{r['sales'] / 100:,.2f}",  # this column comes out as text with separators
                    r["orders"],
                    r["carts"],
                    f"{r['sales'] / r['cost']:.2f}",
                    pct(r["orders"], r["clicks"]),
                    r["visitors"],
                ]
            )
    return len(rows)


# ================================================================ 生意参谋 店铺来源
# child: (name, base visitors/day or None when driven by 万相台 clicks, new-visitor share,
#         product-click share, fav share, cart share, pay conversion, AOV yuan)
TRAFFIC_TREE = [
    (
        "淘内免费",
        [
            ("手淘搜索", 1800, 0.62, 0.68, 0.035, 0.085, 0.030, 172.0),
            ("手淘推荐", 1250, 0.72, 0.55, 0.025, 0.045, 0.012, 158.0),
            ("手淘其他店铺", 140, 0.55, 0.60, 0.030, 0.060, 0.018, 165.0),
        ],
    ),
    (
        "付费推广",
        [
            ("万相台", None, 0.70, 0.62, 0.030, 0.070, 0.022, 176.0),
            ("淘宝客", 120, 0.50, 0.70, 0.020, 0.090, 0.040, 139.0),
        ],
    ),
    (
        "自主访问",
        [
            ("我的淘宝", 260, 0.08, 0.75, 0.050, 0.140, 0.062, 185.0),
            ("购物车", 190, 0.04, 0.85, 0.030, 0.100, 0.120, 190.0),
            ("直接访问", 85, 0.30, 0.60, 0.030, 0.090, 0.050, 180.0),
        ],
    ),
    (
        "淘外流量",
        [
            ("抖音", 160, 0.86, 0.45, 0.020, 0.030, 0.008, 149.0),
            ("小红书", 110, 0.80, 0.50, 0.040, 0.050, 0.015, 162.0),
        ],
    ),
]
TRAFFIC_METRICS = [
    "访客数",
    "新访客",
    "商品点击人数",
    "加购人数",
    "商品收藏人数",
    "下单买家数",
    "下单金额",
    "支付买家数",
    "支付金额",
]


def source_factor(name: str, day: dt.date) -> float:
    if name == "手淘搜索" and day >= PRICE_CUT_DAY:
        return 0.89  # shoppers searching 玻尿酸精华 now find 竞品A cheaper
    if name == "购物车":
        if day == DOUBLE11:
            return 2.2  # carts filled during pre-sale get paid on the day
        if PROMO_START <= day < DOUBLE11:
            return 1.3
    return 1.0


def source_row(rng: random.Random, day: dt.date, child: tuple, visitors: int) -> dict:
    """One 二级来源's figures of a day, from its visitors."""
    name, base, new, click, fav, cart, cvr, aov = child
    conv = cvr * cn_conversion_factor(day) * rng.gauss(1.0, 0.06)
    if name == "购物车" and day == DOUBLE11:
        conv *= 1.4
    payers = binom(rng, visitors, conv)
    clickers = max(binom(rng, visitors, click), min(visitors, payers + binom(rng, payers, 0.3)))
    unpaid = min(clickers - payers, poisson(rng, payers * 0.09 + 0.2))
    basket = aov * cn_basket_factor(day)
    paid_cents = sum(order_value_cents(rng, basket) for _ in range(payers))
    unpaid_cents = sum(order_value_cents(rng, basket) for _ in range(unpaid))
    return {
        "访客数": visitors,
        "新访客": binom(rng, visitors, new),
        "商品点击人数": clickers,
        "加购人数": binom(rng, visitors, cart * cn_cart_factor(day)),
        "商品收藏人数": binom(rng, visitors, fav),
        "下单买家数": payers + unpaid,
        "下单金额": paid_cents + unpaid_cents,
        "支付买家数": payers,
        "支付金额": paid_cents,
        "二级来源": name,
    }


def build_traffic(rng: random.Random, wxt_rows: list[dict]) -> list[dict]:
    wxt_visitors = Counter()
    for r in wxt_rows:
        wxt_visitors[r["day"]] += r["visitors"]
    rows = []
    for day in DAYS:
        day_noise = rng.gauss(1.0, 0.03)
        for level1, children in TRAFFIC_TREE:
            kids = []
            for child in children:
                name, base = child[0], child[1]
                if base is None:
                    # 生意参谋 de-duplicates and attributes differently from 万相台: loose match only
                    visitors = round(wxt_visitors[day] * rng.uniform(0.88, 0.96))
                else:
                    visitors = round(
                        base * cn_traffic_factor(day) * source_factor(name, day) * day_noise * rng.gauss(1.0, 0.05)
                    )
                kids.append(source_row(rng, day, child, max(0, visitors)))
                if name == "手淘搜索" and day == SEARCH_DROP_DAY:
                    # The drop day's search row comes from its own generator, so every other row of every file
                    # draws the same random numbers as without the drop.
                    kids[-1] = source_row(random.Random(SEED + 11), day, child, round(visitors * SEARCH_DROP_SHARE))
            subtotal = {m: sum(k[m] for k in kids) for m in TRAFFIC_METRICS}
            rows.append(dict(subtotal, day=day, 一级来源=level1, 二级来源="汇总", 三级来源="汇总"))
            rows.extend(dict(k, day=day, 一级来源=level1, 三级来源="-") for k in kids)
    return rows


def write_traffic(rows: list[dict]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "全店流量来源"
    ws.append(["生意参谋 > 流量 > 店铺来源"])
    ws.append([f"统计日期：{START.isoformat()} ~ {END.isoformat()}"])
    ws.append([f"店铺名称：{SHOP_CN}"])
    ws.append(["说明：数据来源于生意参谋，汇总行为各级来源合计"])
    ws.append(
        [
            "统计日期",
            "流量载体",
            "一级来源",
            "二级来源",
            "三级来源",
            *TRAFFIC_METRICS[:7],
            "支付买家数",
            "支付金额",
            "支付转化率",
            "客单价",
            "UV价值",
        ]
    )
    for r in rows:
        ws.append(
            [
                r["day"].isoformat(),
                "无线端",
                r["一级来源"],
                r["二级来源"],
                r["三级来源"],
                r["访客数"],
                r["新访客"],
                r["商品点击人数"],
                r["加购人数"],
                r["商品收藏人数"],
                r["下单买家数"],
                money(r["下单金额"]),
                r["支付买家数"],
                money(r["支付金额"]),
                pct(r["支付买家数"], r["访客数"]),
                ratio2(r["支付金额"] / 100, r["支付买家数"]),
                ratio2(r["支付金额"] / 100, r["访客数"]),
            ]
        )
        for col in (12, 14, 16, 17):
            cell = ws.cell(row=ws.max_row, column=col)
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    ws.column_dimensions["A"].width = 12
    save_workbook_deterministic(wb, OUT / F_TRAFFIC)
    return len(rows)


# ================================================================ Google Ads campaign report
GADS_CAMPAIGNS = [
    # name, type, spend/day USD, CPC, CTR, conv/click, value/conv, impression share
    ("Brand Search | Demo Beauty", "Search", 38.0, 0.42, 0.140, 0.060, 56.0, (0.88, 0.97)),
    ("Generic Search | Serum & Moisturizer", "Search", 125.0, 1.15, 0.036, 0.047, 54.0, (0.06, 0.16)),
    ("Display | Remarketing", "Display", 55.0, 0.38, 0.0042, 0.0064, 50.0, None),
]
# Data-driven attribution hands out fractional credit on non-brand campaigns
DDA_CREDITS = [1.0, 1.0, 1.0, 0.5, 0.33, 0.67, 0.25]


def build_google_ads(rng: random.Random) -> list[dict]:
    rows = []
    for day in DAYS:
        for name, ctype, spend, cpc, ctr, cvr, value, share in GADS_CAMPAIGNS:
            cost = round(spend * us_ad_spend_factor(day) * rng.uniform(0.85, 1.12) * 100)
            clicks = max(1, round(cost / 100 / (cpc * rng.uniform(0.9, 1.1))))
            impressions = round(clicks / (ctr * rng.uniform(0.88, 1.12)))
            n_conv = min(clicks, poisson(rng, clicks * cvr * us_conversion_factor(day)))
            conv_hundredths, value_cents = 0, 0
            for _ in range(n_conv):
                credit = 1.0 if name.startswith("Brand") else rng.choice(DDA_CREDITS)
                conv_hundredths += round(credit * 100)
                value_cents += round(order_value_cents(rng, value) * credit)
            rows.append(
                dict(
                    day=day,
                    name=name,
                    ctype=ctype,
                    cost=cost,
                    clicks=clicks,
                    impressions=impressions,
                    conv=conv_hundredths,
                    value=value_cents,
                    eligible=impressions / rng.uniform(*share) if share else None,
                )
            )
    return rows


def gads_share(impressions: int, eligible: float | None) -> str:
    if eligible is None:
        return " --"
    share = impressions / eligible
    if share < 0.10:
        return "< 10%"
    if share > 0.90:
        return "> 90%"
    return f"{share * 100:.2f}%"


def gads_line(
    first: str,
    name: str,
    status: str,
    ctype: str,
    impressions: int,
    clicks: int,
    cost: int,
    conv: int,
    value: int,
    share: str,
) -> list[str]:
    return [
        first,
        name,
        status,
        ctype,
        f"{impressions:,}",
        f"{clicks:,}",
        pct(clicks, impressions),
        "USD",
        f"{cost / clicks / 100:.2f}" if clicks else "0.00",
        f"{cost / 100:.2f}",
        f"{conv / 100:,.2f}",
        f"{value / 100:,.2f}",
        f"{cost / conv:.2f}" if conv else " --",
        pct(conv / 100, clicks) if clicks else "0.00%",
        share,
    ]


def write_google_ads(rows: list[dict]) -> int:
    header = [
        "Day",
        "Campaign",
        "Campaign status",
        "Campaign type",
        "Impr.",
        "Clicks",
        "CTR",
        "Currency code",
        "Avg. CPC",
        "Cost",
        "Conversions",
        "Conv. value",
        "Cost / conv.",
        "Conv. rate",
        "Search impr. share",
    ]
    lines = [["Campaign report"], ["25 August 2026 - 22 November 2026"], header]
    for r in rows:
        lines.append(
            gads_line(
                r["day"].isoformat(),
                r["name"],
                "Enabled",
                r["ctype"],
                r["impressions"],
                r["clicks"],
                r["cost"],
                r["conv"],
                r["value"],
                gads_share(r["impressions"], r["eligible"]),
            )
        )
    search_rows = [r for r in rows if r["ctype"] == "Search"]
    search_share = gads_share(sum(r["impressions"] for r in search_rows), sum(r["eligible"] for r in search_rows))
    for label, ctype, subset, share in (
        ("Total: Account", " --", rows, search_share),
        ("Total: Search", "Search", search_rows, search_share),
        ("Total: Display", "Display", [r for r in rows if r["ctype"] == "Display"], " --"),
    ):
        lines.append(
            gads_line(
                label,
                " --",
                " --",
                ctype,
                *(sum(r[k] for r in subset) for k in ("impressions", "clicks", "cost", "conv", "value")),
                share,
            )
        )
    text = "".join("\t".join(line) + "\r\n" for line in lines)
    (OUT / F_GADS).write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return len(rows)


# ================================================================ Shopify sessions and sales
SHOPIFY_REFERRERS = [
    # source, name, base sessions/day, order conversion per session
    ("Direct", "(none)", 210, 0.034),
    ("Search", "Google", 230, 0.025),  # plus paid Search clicks below
    ("Search", "Bing", 28, 0.020),
    ("Social", "Instagram", 150, 0.010),
    ("Social", "Facebook", 75, 0.008),
    ("Email", "Klaviyo", 45, 0.045),
    ("Unknown", "(none)", 35, 0.006),  # plus Display clicks below
]


def klaviyo_factor(day: dt.date) -> float:
    if US_SALE_START <= day <= DOUBLE11:
        return 6.0  # daily sale e-mails
    return 4.0 if day.weekday() in (1, 4) else 1.0  # Tuesday and Friday newsletters


def build_shopify_sessions(rng: random.Random, gads_rows: list[dict]) -> list[dict]:
    paid_search, display = Counter(), Counter()
    for r in gads_rows:
        (paid_search if r["ctype"] == "Search" else display)[r["day"]] += r["clicks"]
    rows = []
    for day in DAYS:
        for source, name, base, cvr in SHOPIFY_REFERRERS:
            expected = base * us_traffic_factor(day)
            if name == "Klaviyo":
                expected *= klaviyo_factor(day)
            if name == "Google":
                expected += paid_search[day] * 0.92
            if source == "Unknown":
                expected += display[day] * 0.8
            sessions = max(1, round(expected * rng.gauss(1.0, 0.07)))
            cart_rate = min(0.5, cvr * us_conversion_factor(day) * 3.2 * rng.gauss(1.0, 0.08))
            carts = binom(rng, sessions, cart_rate)
            checkout = binom(rng, carts, 0.55)
            completed = binom(rng, checkout, 1 / (3.2 * 0.55))
            rows.append(
                dict(
                    day=day,
                    source=source,
                    name=name,
                    sessions=sessions,
                    visitors=max(1, binom(rng, sessions, 0.86)),
                    carts=carts,
                    checkout=checkout,
                    completed=completed,
                )
            )
    return rows


def write_shopify_sessions(rows: list[dict]) -> int:
    with open(OUT / F_SESSIONS, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        out.writerow(
            [
                "Day",
                "Referrer source",
                "Referrer name",
                "Online store visitors",
                "Sessions",
                "Sessions with cart additions",
                "Sessions that reached checkout",
                "Sessions that completed checkout",
            ]
        )
        for r in rows:
            out.writerow(
                [
                    r["day"].isoformat(),
                    r["source"],
                    r["name"],
                    r["visitors"],
                    r["sessions"],
                    r["carts"],
                    r["checkout"],
                    r["completed"],
                ]
            )
    return len(rows)


SHOPIFY_PRICES = [28.0, 34.0, 42.0, 48.0, 56.0, 64.0]
SALES_KEYS = ["gross", "discounts", "returns", "shipping", "duties", "fees", "taxes"]


def build_shopify_sales(rng: random.Random, session_rows: list[dict]) -> list[dict]:
    orders_by_day = Counter()
    for r in session_rows:
        orders_by_day[r["day"]] += r["completed"]
    ledger = {day: dict.fromkeys(SALES_KEYS, 0) for day in DAYS}
    for day in DAYS:
        for _ in range(orders_by_day[day]):
            gross = sum(round(rng.choice(SHOPIFY_PRICES) * 100) for _ in range(rng.choice([1, 1, 1, 2, 2, 3])))
            if day == DOUBLE11:
                rate = 0.25 if rng.random() < 0.85 else 0.0
            elif US_SALE_START <= day < DOUBLE11:
                rate = 0.20 if rng.random() < 0.75 else 0.0
            else:
                rate = 0.10 if rng.random() < 0.28 else 0.0  # WELCOME10
            discount = round(gross * rate)
            tax = round((gross - discount) * 0.0725)
            book = ledger[day]
            book["gross"] += gross
            book["discounts"] -= discount
            book["shipping"] += 0 if gross >= 5000 else 595
            book["duties"] += round(gross * 0.05) if rng.random() < 0.06 else 0  # Canadian orders
            book["taxes"] += tax
            if rng.random() < 0.045:  # refunded 7-20 days later; later than the window is not shown
                back = day + dt.timedelta(days=rng.randint(7, 20))
                if back in ledger:
                    ledger[back]["returns"] -= gross - discount
                    ledger[back]["taxes"] -= tax
    rows = []
    for day in DAYS:
        book = ledger[day]
        net = book["gross"] + book["discounts"] + book["returns"]
        total = net + book["shipping"] + book["duties"] + book["fees"] + book["taxes"]
        rows.append(dict(book, day=day, orders=orders_by_day[day], net=net, total=total))
    return rows


def write_shopify_sales(rows: list[dict]) -> int:
    with open(OUT / F_SALES, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(
            [
                "Day",
                "Orders",
                "Gross sales",
                "Discounts",
                "Returns",
                "Net sales",
                "Shipping charges",
                "Duties",
                "Additional fees",
                "Taxes",
                "Total sales",
            ]
        )
        for r in rows:
            out.writerow(
                [r["day"].isoformat(), r["orders"]]
                + [
                    f"{r[k] / 100:.2f}"
                    for k in ("gross", "discounts", "returns", "net", "shipping", "duties", "fees", "taxes", "total")
                ]
            )
    return len(rows)


# ================================================================ Tianchi UserBehavior log
N_USERS = 6000
N_CATEGORIES = 8
N_ITEMS = 60
BASE_SESSIONS_PER_DAY = 228
HOUR_WEIGHTS = [3, 1.5, 0.8, 0.5, 0.4, 0.5, 1, 2, 3, 4, 5, 5, 4.5, 5, 5, 5, 4.5, 4, 4, 5, 7, 8, 7, 5]
P_FAV, P_CART, P_BUY_AFTER_CART, P_BUY_NO_CART = 0.030, 0.052, 0.30, 0.003
N_DUPLICATES = 12
N_REORDERS = 20


def cn_unix(day: dt.date, seconds: int) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=CN_TZ).timestamp()) + seconds


def build_behavior(rng: random.Random) -> list[tuple[int, int, int, str, int]]:
    categories = rng.sample(range(10_000, 100_000), N_CATEGORIES)
    item_ids = rng.sample(range(100_000, 1_000_000), N_ITEMS)
    item_cat = {item: categories[i % N_CATEGORIES] for i, item in enumerate(item_ids)}
    items_in = defaultdict(list)
    for item in item_ids:
        items_in[item_cat[item]].append(item)
    popularity = {item: 1 / (rank + 1) ** 0.8 for rank, item in enumerate(rng.sample(item_ids, N_ITEMS))}
    user_ids = sorted(rng.sample(range(1, 10_000), N_USERS))
    user_weight = [rng.lognormvariate(0, 1.0) for _ in user_ids]
    user_cat = {u: rng.choice(categories) for u in user_ids}
    cum_users, acc = [], 0.0
    for w in user_weight:
        acc += w
        cum_users.append(acc)
    end_ts = cn_unix(END, 86400) - 1

    sessions = []  # (day, user)
    for day in DAYS:
        n = poisson(rng, BASE_SESSIONS_PER_DAY * cn_traffic_factor(day))
        sessions.extend((day, u) for u in rng.choices(user_ids, cum_weights=cum_users, k=n))
    seen = {u for _, u in sessions}
    day_weights = [cn_traffic_factor(d) for d in DAYS]
    for u in user_ids:  # every user in the panel shows up at least once
        if u not in seen:
            sessions.append((rng.choices(DAYS, weights=day_weights)[0], u))
    sessions.sort(key=lambda s: (s[0], s[1]))

    events = []
    pending = defaultdict(list)  # pre-sale carts waiting for 11.11: user -> [item]
    viewed = defaultdict(set)
    for day, user in sessions:
        hours = HOUR_WEIGHTS[:]
        if day == DOUBLE11:
            hours[0] *= 12  # the midnight rush when the final payments open
        t = cn_unix(day, rng.choices(range(24), weights=hours)[0] * 3600 + rng.randrange(3600))
        conv = cn_conversion_factor(day)
        presale = PRESALE_START <= day < DOUBLE11
        if day == DOUBLE11 and pending[user]:
            for item in pending.pop(user):
                if rng.random() < 0.15:
                    if rng.random() < 0.5:
                        events.append((user, item, item_cat[item], "pv", t))
                        t += rng.randint(5, 60)
                    events.append((user, item, item_cat[item], "buy", t))
                    t += rng.randint(20, 120)
        n_pv = 1 + min(25, int(rng.expovariate(1 / 3.6)))
        for _ in range(n_pv):
            cat = user_cat[user] if rng.random() < 0.7 else rng.choice(categories)
            pool = items_in[cat]
            item = rng.choices(pool, weights=[popularity[i] for i in pool])[0]
            events.append((user, item, cat, "pv", t))
            viewed[user].add(item)
            t += rng.randint(10, 240)
            if rng.random() < P_FAV:
                events.append((user, item, cat, "fav", t))
                t += rng.randint(3, 40)
            if rng.random() < P_CART * cn_cart_factor(day):
                events.append((user, item, cat, "cart", t))
                t += rng.randint(5, 90)
                if rng.random() < P_BUY_AFTER_CART * conv * (0.6 if presale else 1.0):
                    t += rng.randint(30, 600)
                    events.append((user, item, cat, "buy", t))
                elif presale:
                    pending[user].append(item)
            elif rng.random() < P_BUY_NO_CART * conv:
                t += rng.randint(20, 300)
                events.append((user, item, cat, "buy", t))
    # re-orders from the order list: a buy with no pv of that item in the log
    buyers = sorted({e[0] for e in events if e[3] == "buy"})
    for user in rng.sample(buyers, N_REORDERS):
        item = rng.choice([i for i in item_ids if i not in viewed[user]])
        day = rng.choice(DAYS)
        events.append((user, item, item_cat[item], "buy", cn_unix(day, rng.randrange(9 * 3600, 23 * 3600))))
    events = [e for e in events if e[4] <= end_ts]
    events = list(dict.fromkeys(events))  # the duplicates below are the only ones
    events.sort(key=lambda e: (e[0], e[4]))
    for idx in sorted(rng.sample(range(len(events)), N_DUPLICATES), reverse=True):
        events.insert(idx + 1, events[idx])
    return events


def write_behavior(events: list[tuple]) -> int:
    with open(OUT / F_BEHAVIOR, "w", encoding="utf-8", newline="") as fh:
        fh.writelines(f"{u},{i},{c},{b},{t}\n" for u, i, c, b, t in events)
    return len(events)


# ================================================================ competitor price monitor
PRODUCTS = [
    # id, shop, title, list price, base units/day, opening sale_count, opening comment_count
    ("A60318842271", SHOP_CN, "示例美妆 玻尿酸修护精华液30ml 补水保湿 修护屏障 精华正品", 199, 60, 18620, 2311),
    ("A60318842955", SHOP_CN, "示例美妆 积雪草舒缓修护面霜50g 敏感肌 补水保湿 滋润面霜", 229, 28, 9432, 1190),
    ("A60319017306", SHOP_CN, "示例美妆 氨基酸温和洁面乳120g 深层清洁 洗面奶女", 89, 45, 25107, 3604),
    ("A57720461538", COMPETITOR_CUT_SHOP, "竞品A 玻尿酸水光精华液30ml 补水保湿 提亮肤色 精华液", 219, 52, 31544, 4018),
    ("A57720463102", COMPETITOR_CUT_SHOP, "竞品A 神经酰胺修护面霜50g 舒缓泛红 保湿霜", 259, 22, 12066, 1503),
    (
        "A57721908417",
        COMPETITOR_CUT_SHOP,
        "竞品A 水乳套装 爽肤水150ml+乳液120ml 补水保湿 护肤品套装",
        329,
        18,
        8810,
        977,
    ),
    ("A59102337640", "竞品B旗舰店", "竞品B 烟酰胺焕亮精华液30ml 提亮肤色 淡化痘印", 239, 35, 20415, 2876),
    ("A59102339815", "竞品B旗舰店", "竞品B 清透防晒霜SPF50+ PA++++ 50ml 户外防紫外线", 129, 40, 40230, 6121),
    ("A52290614473", "竞品C官方旗舰店", "竞品C 积雪草修护面霜50g 舒缓修护 敏感肌可用", 199, 26, 15872, 2044),
    ("A52290618006", "竞品C官方旗舰店", "竞品C 温和卸妆水400ml 深层清洁 眼唇可用", 79, 70, 65312, 9930),
    ("A63475520189", "竞品D美妆专营店", "竞品D 玻尿酸原液精华30ml 补水保湿 学生平价", 159, 30, 11209, 1322),
    ("A63475527741", "竞品D美妆专营店", "竞品D 补水保湿面膜10片装 玻尿酸 熬夜急救", 99, 55, 48770, 7405),
    # Two more of ours, listed last so the rows above draw the same random numbers as before they were added:
    # a toner launched with the 内容营销-新品 campaign, and a mist that hardly anyone buys.
    ("A61207735518", SHOP_CN, "示例美妆 烟酰胺亮肤精华水150ml 提亮肤色 补水保湿 爽肤水", 139, 6, 1208, 96),
    ("A61207739042", SHOP_CN, "示例美妆 玫瑰保湿喷雾150ml 补水定妆 舒缓爽肤", 79, 0, 2315, 288),
]
CUT_PRODUCT = "A57720461538"  # 竞品A 玻尿酸水光精华液: 219 -> 186 from 2026-10-01
OUR_MATCHING_PRODUCT = "A60318842271"  # our 玻尿酸修护精华液 that loses sales to it
RENAMED_PRODUCT = "A59102337640"  # 竞品B prefixes 【双11预售】 during pre-sale and promotion
CUT_PRICE = 186
RIVAL_CUT_PRODUCT = "A59102337640"  # 竞品B 烟酰胺焕亮精华液, linked to our serum: 239 -> 169 from RIVAL_CUT_DAY
RIVAL_CUT_PRICE = 169
PROMO_DISCOUNT = {
    SHOP_CN: 0.80,
    COMPETITOR_CUT_SHOP: 0.85,
    "竞品B旗舰店": 0.78,
    "竞品C官方旗舰店": 0.82,
    "竞品D美妆专营店": 0.75,
}
PROMO_FIRST_DAY = {
    SHOP_CN: PROMO_START,
    COMPETITOR_CUT_SHOP: PROMO_START,
    "竞品B旗舰店": PROMO_START,
    "竞品C官方旗舰店": dt.date(2026, 11, 2),
    "竞品D美妆专营店": dt.date(2026, 11, 3),
}


def list_price(pid: str, shop: str, base: float, day: dt.date) -> float:
    regular = CUT_PRICE if pid == CUT_PRODUCT and day >= PRICE_CUT_DAY else base
    if pid == RIVAL_CUT_PRODUCT and day >= RIVAL_CUT_DAY:
        regular = RIVAL_CUT_PRICE
    if PROMO_FIRST_DAY[shop] <= day <= DOUBLE11:
        promo = regular * PROMO_DISCOUNT[shop]
        return float(math.floor(promo) - 0.1) if shop == "竞品D美妆专营店" else float(round(promo))
    return float(regular)


def build_prices(rng: random.Random) -> list[dict]:
    rows = []
    for pid, shop, title, base, units, sold, comments in PRODUCTS:
        for day in DAYS:
            demand = units * cn_traffic_factor(day) * cn_conversion_factor(day) / 1.08
            if day >= PRICE_CUT_DAY and pid == CUT_PRODUCT:
                demand *= 1.3
            if day >= PRICE_CUT_DAY and pid == OUR_MATCHING_PRODUCT:
                demand *= 0.85
            sold += poisson(rng, demand)
            comments += poisson(rng, demand * 0.12)
            shown = title
            if pid == RENAMED_PRODUCT and PRESALE_START <= day <= DOUBLE11:
                shown = "【双11预售】" + title
            price = list_price(pid, shop, base, day)
            rows.append(
                dict(
                    day=day,
                    id=pid,
                    title=shown,
                    price=int(price) if price.is_integer() else price,
                    sale_count=sold,
                    comment_count=comments,
                    shop=shop,
                )
            )
    shop_order = {shop: i for i, shop in enumerate(dict.fromkeys(p[1] for p in PRODUCTS))}
    rows.sort(key=lambda r: (shop_order[r["shop"]], -r["day"].toordinal(), r["id"]))
    return rows


def write_prices(rows: list[dict]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "价格"
    ws.append(["update_time", "id", "title", "price", "sale_count", "comment_count", "店名"])
    for r in rows:
        d = r["day"]
        ws.append(
            [
                f"{d.year}/{d.month}/{d.day}",
                r["id"],
                r["title"],
                r["price"],
                r["sale_count"],
                r["comment_count"],
                r["shop"],
            ]
        )
    save_workbook_deterministic(wb, OUT / F_PRICES)
    return len(rows)


# ================================================================ 天猫 千牛 订单报表 (order export)
# The 千牛 / 卖家中心 "订单报表" columns the recogniser maps (shopdata/ingest/layouts.py, tmall_orders), in the
# real export's order, plus a few it keeps unread. 收货地址 holds the province only, as in the Tianchi
# tmall_order_report.csv the layout was built on (the full export adds city, district and street).
ORDER_COLUMNS = [
    "订单编号",
    "买家会员名",
    "买家应付货款",
    "买家应付邮费",
    "总金额",
    "买家实际支付金额",
    "订单状态",
    "收货地址",
    "运送方式",
    "订单创建时间",
    "订单付款时间",
    "宝贝标题",
    "宝贝种类",
    "宝贝总数量",
    "店铺名称",
    "订单关闭原因",
    "是否手机订单",
    "退款金额",
]
EXPORTED_AT = dt.datetime(2026, 11, 23, 9, 30, 15)
# Provinces as the Tianchi file writes them, weighted by its order counts (rounded).
ORDER_PROVINCES = {
    "上海": 34, "广东省": 25, "江苏省": 21, "浙江省": 21, "北京": 21, "四川省": 20, "山东省": 18, "辽宁省": 12,
    "天津": 12, "湖南省": 11, "河北省": 11, "重庆": 10, "河南省": 10, "云南省": 8, "安徽省": 6, "陕西省": 5,
    "福建省": 5, "山西省": 5, "广西壮族自治区": 4, "江西省": 4, "吉林省": 4, "黑龙江省": 4, "贵州省": 3,
    "内蒙古自治区": 2, "海南省": 2, "甘肃省": 2, "湖北省": 1, "新疆维吾尔自治区": 1,
}  # fmt: skip
ORDER_QUANTITY = {1: 0.84, 2: 0.13, 3: 0.03}
RETURN_SHARE = 0.2  # share of paid orders placed by someone who bought before (more on 11-11)
REFUND_SHARE = 0.06
UNPAID_SHARE = 0.07
STORE_VS_ANALYTICS = 0.98  # the store's records come out a little below 生意参谋's 支付金额


# What our own products are, by ID: each one's story on the Products page (sample_data/README.md) comes from
# its share of the orders (ORDER_MIX, relative weights of paid orders) and its 生意参谋 商品效果 pay conversion
# (PRODUCT_CONVERSION; visitors = buyers ÷ conversion), and which 万相台 campaigns advertise it (AD_PRODUCTS).
SERUM, CREAM, CLEANSER, TONER, MIST = "A60318842271", "A60318842955", "A60319017306", "A61207735518", "A61207739042"
ORDER_MIX = {SERUM: 60, CREAM: 28, CLEANSER: 25, TONER: 4.8}  # the mist sells nothing
PRODUCT_CONVERSION = {SERUM: 0.05, CREAM: 0.09, CLEANSER: 0.010, TONER: 0.013}
MIST_VISITORS = 100  # per ordinary weekday, and none of them buys
PRODUCT_FAV_SHARE, PRODUCT_CART_SHARE = 0.03, 0.06
# 计划ID -> (product, share of the campaign's row); the shares of a campaign add up to 1.
AD_PRODUCTS = {
    "581203769204517": ((SERUM, 1.0),),  # 关键词推广-精华液
    "581203769211804": ((CREAM, 1.0),),  # 人群推广-面霜
    "581203770036152": ((SERUM, 0.55), (CLEANSER, 0.45)),  # 货品全站推-爆款
    "581203771142983": ((TONER, 1.0),),  # 内容营销-新品: the launch that does not pay for itself
}


def own_products() -> list[tuple[str, str, int, float]]:
    """Our products that sell: ID, title, list price, weight in the orders."""
    return [(pid, title, base, ORDER_MIX[pid]) for pid, shop, title, base, _, _, _ in PRODUCTS if pid in ORDER_MIX]


def order_status(created: dt.datetime) -> str:
    """A paid, unrefunded order's status on the export's morning: shipped after a day, confirmed after ten."""
    age = EXPORTED_AT - created
    if age < dt.timedelta(days=1):
        return "买家已付款，等待卖家发货"
    if age < dt.timedelta(days=10):
        return "卖家已发货，等待买家确认"
    return "交易成功"


def build_orders(rng: random.Random, traffic_rows: list[dict]) -> list[dict]:
    paid_cents = Counter()
    for r in traffic_rows:
        if r["二级来源"] == "汇总":
            paid_cents[r["day"]] += r["支付金额"]
    products = own_products()
    provinces, province_weights = list(ORDER_PROVINCES), list(ORDER_PROVINCES.values())
    quantities, quantity_weights = list(ORDER_QUANTITY), list(ORDER_QUANTITY.values())
    buyers: list[str] = []
    taken: set[str] = set()
    order_no = rng.randrange(2_900_000_000_000_000_000, 3_000_000_000_000_000_000)

    def new_buyer() -> str:
        while True:
            name = f"tb{rng.randrange(10**9, 10**10)}"
            if name not in taken:
                taken.add(name)
                buyers.append(name)
                return name

    def created_at(day: dt.date) -> dt.datetime:
        weights = HOUR_WEIGHTS if day != DOUBLE11 else [40, 12, *HOUR_WEIGHTS[2:]]  # the 11-11 midnight rush
        hour = rng.choices(range(24), weights=weights)[0]
        return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))

    rows = []
    for day in DAYS:
        weights = [
            units * (0.85 if pid == OUR_MATCHING_PRODUCT and day >= PRICE_CUT_DAY else 1)
            for pid, _, _, units in products
        ]
        target = paid_cents[day] * rng.gauss(STORE_VS_ANALYTICS, 0.03)
        paid_today = 0
        returning = RETURN_SHARE * (1.6 if day == DOUBLE11 else 1.0)
        placed = []
        while paid_today < target:
            pid, title, base, _ = rng.choices(products, weights=weights)[0]
            quantity = rng.choices(quantities, weights=quantity_weights)[0]
            unit_cents = round(list_price(pid, SHOP_CN, base, day) * 100)
            total = unit_cents * quantity
            paid_today += total
            buyer = rng.choice(buyers[-4000:]) if buyers and rng.random() < returning else new_buyer()
            placed.append((title, quantity, unit_cents, total, buyer, True))
        for _ in range(poisson(rng, len(placed) * UNPAID_SHARE)):
            pid, title, base, _ = rng.choices(products, weights=weights)[0]
            unit_cents = round(list_price(pid, SHOP_CN, base, day) * 100)
            placed.append((title, 1, unit_cents, unit_cents, new_buyer(), False))
        for title, quantity, unit_cents, total, buyer, paid in placed:
            created = created_at(day)
            order_no += rng.randrange(1, 9_000_000_000)
            row = dict(
                order_id=str(order_no),
                buyer=buyer,
                created=created,
                # paid the same day: 生意参谋 counts the payment on the day the order report does
                paid=min(
                    created + dt.timedelta(seconds=rng.randrange(5, 900)),
                    created.replace(hour=23, minute=59, second=59),
                )
                if paid
                else None,
                title=title,
                quantity=quantity,
                total=total,
                province=rng.choices(provinces, weights=province_weights)[0],
                refund=0,
                close_reason="",
            )
            if not paid:
                late = created.date() == END
                row.update(status="等待买家付款" if late else "交易关闭", close_reason="" if late else "买家未付款")
                row["paid_amount"] = 0
            elif rng.random() < REFUND_SHARE:
                partial = quantity > 1 and rng.random() < 0.5
                row["refund"] = unit_cents if partial else total
                row["status"] = order_status(created) if partial else "交易关闭"
                row["close_reason"] = "" if partial else "退款"
                row["paid_amount"] = total - row["refund"]  # 买家实际支付金额 is net of refunds in this export
            else:
                row.update(status=order_status(created), paid_amount=total)
            rows.append(row)
    rows.sort(key=lambda r: (r["created"], r["order_id"]), reverse=True)  # newest first, as exported
    return rows


def write_orders(rows: list[dict]) -> int:
    """GBK-family text with CRLF, every cell quoted, as 千牛 writes it; money with 2 decimals."""
    buf = io.StringIO()
    out = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    out.writerow(ORDER_COLUMNS)
    for r in rows:
        out.writerow(
            [
                r["order_id"],
                r["buyer"],
                f"{r['total'] / 100:.2f}",
                "0.00",
                f"{r['total'] / 100:.2f}",
                f"{r['paid_amount'] / 100:.2f}",
                r["status"],
                r["province"],
                "快递",
                r["created"].strftime("%Y-%m-%d %H:%M:%S"),
                r["paid"].strftime("%Y-%m-%d %H:%M:%S") if r["paid"] else "",
                r["title"],
                1,
                r["quantity"],
                SHOP_CN,
                r["close_reason"],
                "手机订单",
                f"{r['refund'] / 100:.2f}",
            ]
        )
    (OUT / F_ORDERS).write_bytes(buf.getvalue().encode("gb18030"))
    return len(rows)


# ================================================================ 生意参谋 商品效果 (product-grain traffic)
PRODUCT_COLUMNS = [
    "统计日期",
    "商品ID",
    "商品名称",
    "主商品ID",
    "商品类型",
    "货号",
    "商品状态",
    "商品访客数",
    "商品浏览量",
    "平均停留时长",
    "商品详情页跳出率",
    "商品收藏人数",
    "商品加购人数",
    "下单买家数",
    "下单金额",
    "下单转化率",
    "支付买家数",
    "支付件数",
    "支付金额",
    "商品支付转化率",
    "访客平均价值",
]
ITEM_CODES = {SERUM: "SL-JHY-30", CREAM: "SL-MS-50", CLEANSER: "SL-JM-120", TONER: "SL-JHS-150", MIST: "SL-PW-150"}
# The products of a day add up to at most this share of the shop-grain report's figure (visitors: some browse
# the shop's pages and no product's).
PRODUCT_SHARE_CAP = {"访客数": 0.9, "支付买家数": 1.0, "支付金额": 1.0}


def build_product_traffic(rng: random.Random, orders: list[dict], traffic_rows: list[dict]) -> list[dict]:
    """Per day and own product: paying buyers, units and money from the order export (生意参谋 counts by its own
    rules: money within a few % of the orders'), visitors from each product's conversion; the products of a day
    never add up to more than PRODUCT_SHARE_CAP of the shop-grain report's figures."""
    by_title = {title: pid for pid, shop, title, *_ in PRODUCTS if shop == SHOP_CN}
    shop = defaultdict(Counter)
    for r in traffic_rows:
        if r["二级来源"] == "汇总":
            for m in PRODUCT_SHARE_CAP:
                shop[r["day"]][m] += r[m]
    sold = defaultdict(lambda: {"buyers": set(), "units": 0, "cents": 0})
    for r in orders:
        if r["paid"]:
            cell = sold[(r["created"].date(), by_title[r["title"]])]
            cell["buyers"].add(r["buyer"])
            cell["units"] += r["quantity"]
            cell["cents"] += r["total"]
    ours = [(pid, title) for pid, shop_name, title, *_ in PRODUCTS if shop_name == SHOP_CN]
    rows = []
    for day in DAYS:
        today = []
        for pid, title in ours:
            cell = sold[(day, pid)]
            buyers = len(cell["buyers"])
            if pid in PRODUCT_CONVERSION:
                conversion = PRODUCT_CONVERSION[pid] * cn_conversion_factor(day) * rng.gauss(1.0, 0.08)
                visitors = max(buyers, round(buyers / conversion))
            else:
                visitors = round(MIST_VISITORS * cn_traffic_factor(day) * rng.gauss(1.0, 0.1))
            today.append(
                dict(
                    day=day,
                    pid=pid,
                    title=title,
                    访客数=visitors,
                    支付买家数=buyers,
                    支付件数=cell["units"],
                    支付金额=round(cell["cents"] * rng.uniform(0.97, 1.03)),
                )
            )
        for m, share in PRODUCT_SHARE_CAP.items():
            total, cap = sum(r[m] for r in today), shop[day][m] * share
            if total > cap:
                for r in today:
                    r[m] = math.floor(r[m] * cap / total)
        for r in today:
            visitors, buyers = r["访客数"], min(r["支付买家数"], r["访客数"])
            r["支付买家数"] = buyers
            r["商品浏览量"] = round(visitors * rng.uniform(1.5, 1.9))
            r["商品收藏人数"] = binom(rng, visitors, PRODUCT_FAV_SHARE)
            r["商品加购人数"] = max(
                binom(rng, visitors, PRODUCT_CART_SHARE * cn_cart_factor(day)), min(buyers, visitors)
            )
            unpaid = min(visitors - buyers, poisson(rng, buyers * 0.08))
            r["下单买家数"] = buyers + unpaid
            r["下单金额"] = r["支付金额"] + (round(r["支付金额"] / buyers * unpaid) if buyers else 0)
            r["平均停留时长"] = round(rng.uniform(18, 42), 2)
            r["商品详情页跳出率"] = f"{rng.uniform(0.45, 0.7) * 100:.2f}%"
        rows.extend(today)
    rows.sort(key=lambda r: (-r["day"].toordinal(), -r["支付金额"], r["pid"]))  # newest day first, best first
    return rows


def write_product_traffic(rows: list[dict]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "【生意参谋平台】1"
    ws.append(["生意参谋 > 品类 > 商品排行 > 全部商品"])
    ws.append([f"统计日期：{START.isoformat()} ~ {END.isoformat()}"])
    ws.append([f"店铺名称：{SHOP_CN}"])
    ws.append(["说明：按日统计，仅含当前在线商品"])
    ws.append(PRODUCT_COLUMNS)
    for r in rows:
        ws.append(
            [
                r["day"].isoformat(),
                r["pid"],
                r["title"],
                r["pid"],
                "普通商品",
                ITEM_CODES[r["pid"]],
                "当前在线",
                r["访客数"],
                r["商品浏览量"],
                r["平均停留时长"],
                r["商品详情页跳出率"],
                r["商品收藏人数"],
                r["商品加购人数"],
                r["下单买家数"],
                money(r["下单金额"]),
                pct(r["下单买家数"], r["访客数"]),
                r["支付买家数"],
                r["支付件数"],
                money(r["支付金额"]),
                pct(r["支付买家数"], r["访客数"]),
                ratio2(r["支付金额"] / 100, r["访客数"]),
            ]
        )
    save_workbook_deterministic(wb, OUT / F_PRODUCTS)
    return len(rows)


# ================================================================ 万相台 商品报表 (ads by product)
def split_count(rng: random.Random, n: int, shares: tuple[float, ...]) -> list[int]:
    """n split across shares (binomially, each remainder to the last), adding up to n exactly."""
    parts, left, rest = [], n, 1.0
    for share in shares[:-1]:
        part = binom(rng, left, share / rest)
        parts.append(part)
        left, rest = left - part, rest - share
    return [*parts, left]


def build_wxt_products(rng: random.Random, wxt_rows: list[dict]) -> list[dict]:
    """Each 计划报表 row split across the products it advertises (AD_PRODUCTS): every measure of a campaign's
    product rows adds up to its 计划报表 row exactly, so the campaign and product views agree."""
    titles = {pid: title for pid, _, title, *_ in PRODUCTS}
    rows = []
    for r in wxt_rows:
        targets = AD_PRODUCTS[r["plan_id"]]
        shares = tuple(share * rng.uniform(0.9, 1.1) for _, share in targets)
        shares = tuple(share / sum(shares) for share in shares)
        cost = split_count(rng, r["cost"], shares) if len(targets) > 1 else [r["cost"]]
        clicks = split_count(rng, r["clicks"], shares)
        impressions = split_count(rng, r["impressions"] - r["clicks"], shares)
        orders = split_count(rng, r["orders"], shares)
        sales, sales_left = [], r["sales"]
        for n, k in enumerate(orders):
            part = sales_left if n == len(orders) - 1 else (round(r["sales"] * k / r["orders"]) if r["orders"] else 0)
            sales.append(part)
            sales_left -= part
        carts = split_count(rng, r["carts"], shares)
        visitors = split_count(rng, r["visitors"], shares)
        for n, (pid, _) in enumerate(targets):
            rows.append(
                dict(
                    day=r["day"],
                    pid=pid,
                    title=titles[pid],
                    plan_id=r["plan_id"],
                    cost=cost[n],
                    clicks=clicks[n],
                    impressions=impressions[n] + clicks[n],
                    orders=orders[n],
                    sales=sales[n],
                    carts=carts[n],
                    visitors=visitors[n],
                )
            )
    return rows


def write_wxt_products(rows: list[dict]) -> int:
    header = [
        "日期",
        "主体ID",
        "主体类型",
        "主体名称",
        "计划ID",
        "花费",
        "展现量",
        "点击量",
        "点击率",
        "平均点击花费",
        "千次展现花费",
        "总成交金额",
        "总成交笔数",
        "总购物车数",
        "实际投产比",
        "点击转化率",
        "引导访问人数",
    ]
    with open(OUT / F_WXT_PRODUCTS, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)  # as the 计划报表: CRLF, quotes only where needed ("4,918.00")
        out.writerow(header)
        for r in rows:
            out.writerow(
                [
                    r["day"].isoformat(),
                    r["pid"],
                    "商品",
                    r["title"],
                    r["plan_id"],
                    f"{r['cost'] / 100:.2f}",
                    r["impressions"],
                    r["clicks"],
                    pct(r["clicks"], r["impressions"]),
                    f"{r['cost'] / r['clicks'] / 100:.2f}" if r["clicks"] else "-",
                    f"{r['cost'] / r['impressions'] * 10:.2f}" if r["impressions"] else "-",
                    f"{r['sales'] / 100:,.2f}",
                    r["orders"],
                    r["carts"],
                    f"{r['sales'] / r['cost']:.2f}" if r["cost"] else "-",
                    pct(r["orders"], r["clicks"]),
                    r["visitors"],
                ]
            )
    return len(rows)


# ================================================================ 生意参谋 竞争: 竞品 / 竞店 / 流失 exports
# Three rivals watched over the last four weeks (RIVAL_START .. END), in 生意参谋's own downloads (issue 15): 竞店分析
# (per shop and day), 竞品分析 关键指标对比 (per rival product and day), 入店搜索词 and 入店来源 (per rival product,
# weekly), 流失竞品 (the rival products our visitors left for, per day), and the team's own sheet of rivals'
# promotions. 生意参谋 shows rivals' money and visitors only as bands ("10万 ~ 25万", "1% ~ 2.5%", "< 1,000"), and
# "-" where a figure is hidden; our own 流失 figures are exact. Stories: 竞品A's October price cut keeps it the
# biggest taker until 竞品B cuts its serum on RIVAL_CUT_DAY (with 直播 and more 直通车), after which 竞品B takes the
# most of our traffic and climbs to #1 on 烟酰胺精华.
RIVAL_START = END - dt.timedelta(days=27)
RIVAL_DAYS = [d for d in DAYS if d >= RIVAL_START]
RIVAL_WEEKS = [d for d in RIVAL_DAYS if d.weekday() == 6]  # 入店搜索词 / 入店来源 snapshots, one per week (Sundays)
F_RIVAL_SHOPS = "【生意参谋平台】竞店分析_2026-10-26_2026-11-22.xlsx"
F_RIVAL_PRODUCTS = "【生意参谋平台】竞品分析_关键指标对比_2026-10-26_2026-11-22.xlsx"
F_RIVAL_KEYWORDS = "【生意参谋平台】竞品分析_入店搜索词_2026-10-26_2026-11-22.xlsx"
F_RIVAL_SOURCES = "【生意参谋平台】竞品分析_入店来源_2026-10-26_2026-11-22.xlsx"
F_RIVAL_LOSS = "【生意参谋平台】流失竞品_2026-10-26_2026-11-22.xlsx"
F_RIVAL_PROMOTIONS = "竞品活动记录.csv"
# rival shop -> (its watched product, revenue per ordinary day in yuan, visitors per ordinary day, shop multiple)
RIVALS = {
    COMPETITOR_CUT_SHOP: ("A57720461538", 52_000, 2_600, 6.0),
    "竞品B旗舰店": ("A59102337640", 38_000, 1_900, 4.5),
    "竞品C官方旗舰店": ("A52290614473", 21_000, 1_300, 3.0),
}
RIVAL_TITLES = {pid: title for pid, _, title, *_ in PRODUCTS}
# 生意参谋's band edges: money and visitors (yuan / people) and conversion rates.
COUNT_EDGES = (
    1_000, 2_500, 5_000, 7_500, 10_000, 25_000, 50_000, 75_000, 100_000, 250_000, 500_000, 750_000, 1_000_000,
    2_500_000, 5_000_000, 7_500_000, 10_000_000,
)  # fmt: skip
RATE_EDGES = (0.01, 0.025, 0.05, 0.075, 0.10, 0.15, 0.20)
# The words rivals' products are found by (rank order on an ordinary week) and the sources of their visitors.
RIVAL_WORDS = {
    COMPETITOR_CUT_SHOP: ("玻尿酸精华", "补水精华液", "精华液 保湿", "玻尿酸原液", "提亮精华"),
    "竞品B旗舰店": ("烟酰胺精华液", "提亮精华", "美白精华", "烟酰胺精华", "淡化痘印精华"),
    "竞品C官方旗舰店": ("积雪草面霜", "修护面霜", "敏感肌面霜", "舒缓面霜"),
}
# Our own serum in the same 入店搜索词 export (生意参谋 lists 本店 beside the rivals): the words we hold.
OWN_WORDS = ("玻尿酸精华", "修护精华液", "精华液 保湿", "补水精华液")
RIVAL_SOURCES = {"手淘搜索": 0.46, "直通车": 0.18, "淘宝客": 0.10, "超级推荐": 0.14, "手淘推荐": 0.12}
RIVAL_PROMOTIONS = [
    # date, rival, product, method, offer, note
    (dt.date(2026, 10, 26), COMPETITOR_CUT_SHOP, "A57720461538", "直通车", "", "玻尿酸精华 出价一直很高"),
    (dt.date(2026, 10, 26), "竞品B旗舰店", "A59102337640", "淘客", "满200减30", ""),
    (dt.date(2026, 10, 27), "竞品C官方旗舰店", "A52290614473", "超级推荐", "", ""),
    (dt.date(2026, 11, 1), COMPETITOR_CUT_SHOP, "A57720461538", "满减", "满300减50", "双11 正式开始"),
    (dt.date(2026, 11, 1), "竞品B旗舰店", "A59102337640", "满减", "满300减40", "双11 正式开始"),
    (dt.date(2026, 11, 3), "竞品C官方旗舰店", "A52290614473", "钻展", "", "首页焦点图"),
    (dt.date(2026, 11, 11), COMPETITOR_CUT_SHOP, "A57720461538", "直播", "前1小时 第二件半价", "双11 当天直播"),
    (dt.date(2026, 11, 17), "竞品B旗舰店", "A59102337640", "直播", "直播间专享价 169", "降价当天开播"),
    (dt.date(2026, 11, 17), "竞品B旗舰店", "A59102337640", "直通车", "", "烟酰胺精华 加价抢首位"),
    (dt.date(2026, 11, 19), "竞品B旗舰店", "A59102337640", "淘客", "券后 159", ""),
]


def wan(amount: float) -> str:
    """An edge as 生意参谋 writes it: 万 from 10,000 up (10万, 2.5万), else with thousands separators."""
    if amount >= 10_000:
        return f"{amount / 10_000:g}万"
    return f"{amount:,.0f}"


def count_band(amount: float) -> str:
    below = [e for e in COUNT_EDGES if e <= amount]
    above = [e for e in COUNT_EDGES if e > amount]
    if not below:
        return f"< {wan(COUNT_EDGES[0])}"
    if not above:
        return f"> {wan(COUNT_EDGES[-1])}"
    if below[-1] < 10_000:  # both ends in one unit: "7,500 ~ 10,000", never "7,500 ~ 1万"
        return f"{below[-1]:,} ~ {above[0]:,}"
    return f"{wan(below[-1])} ~ {wan(above[0])}"


def rate_band(rate: float) -> str:
    below = [e for e in RATE_EDGES if e <= rate]
    above = [e for e in RATE_EDGES if e > rate]
    if not below:
        return f"< {RATE_EDGES[0]:.0%}"
    if not above:
        return f"> {RATE_EDGES[-1]:.0%}"
    return f"{below[-1] * 100:g}% ~ {above[0] * 100:g}%"


def rival_factor(shop: str, day: dt.date) -> float:
    """A rival's day against its ordinary one: the Double-11 calendar, 竞品A's cut, 竞品B's cut on RIVAL_CUT_DAY."""
    factor = cn_traffic_factor(day)
    if shop == "竞品B旗舰店" and day >= RIVAL_CUT_DAY:
        factor *= 1.9
    if shop == COMPETITOR_CUT_SHOP and day >= RIVAL_CUT_DAY:
        factor *= 0.85
    return factor


def sycm_workbook(name: str, title: str, module: str, header: list[str], rows: list[list]) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([f"生意参谋 > 竞争 > {module}"])
    ws.append([f"统计日期：{RIVAL_START.isoformat()} ~ {END.isoformat()}"])
    ws.append([f"店铺名称：{SHOP_CN}"])
    ws.append(["说明：竞品数据为区间值，“-”表示数据不可见"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    save_workbook_deterministic(wb, OUT / name)
    return len(rows)


def write_rival_exports(rng: random.Random) -> dict[str, int]:
    counts = {}
    shops, products, losses = [], [], []
    for day in RIVAL_DAYS:
        for shop, (pid, revenue, visitors, multiple) in RIVALS.items():
            factor = rival_factor(shop, day) * rng.uniform(0.9, 1.1)
            money, people = revenue * factor, visitors * factor
            shops.append(
                [
                    day.isoformat(),
                    shop,
                    f"{round(money * multiple / 18):,}",  # 交易指数: exact, not money
                    f"{round(people * multiple * 2.1):,}",  # 流量指数
                    count_band(money * multiple),
                    count_band(people * multiple),
                ]
            )
            hidden = rng.random() < 0.06  # 生意参谋 hides a figure now and then
            products.append(
                [
                    day.isoformat(),
                    shop,
                    pid,
                    RIVAL_TITLES[pid],
                    f"{round(money / 18):,}",
                    f"{round(people * 2.1):,}",
                    "-" if hidden else f"{round(people * 1.3):,}",  # 搜索人气
                    count_band(money),
                    "-" if hidden else count_band(people),
                    rate_band(money / max(people, 1) / 190),  # 支付转化率 at about ¥190 a buyer
                ]
            )
            # 流失: our visitors who left for this rival's product; 竞品B's share jumps after its cut.
            lost = visitors * 0.012 * rival_factor(shop, day) * rng.uniform(0.8, 1.2)
            if shop == "竞品B旗舰店" and day >= RIVAL_CUT_DAY:
                lost *= 1.8
            lost_people = round(lost)
            losses.append(
                [
                    day.isoformat(),
                    shop,
                    pid,
                    RIVAL_TITLES[pid],
                    f"{lost_people * rng.uniform(150, 200):,.2f}",
                    lost_people,
                    f"{lost_people / 2_400:.1%}",  # 流失率: of our serum's visitors
                ]
            )
    header = ["统计日期", "店铺名称", "交易指数", "流量指数", "支付金额", "访客数"]
    counts[F_RIVAL_SHOPS] = sycm_workbook(F_RIVAL_SHOPS, "竞店分析", "竞店分析", header, shops)
    header = [
        "统计日期",
        "店铺名称",
        "商品ID",
        "商品名称",
        "交易指数",
        "流量指数",
        "搜索人气",
        "支付金额",
        "访客数",
        "支付转化率",
    ]
    counts[F_RIVAL_PRODUCTS] = sycm_workbook(F_RIVAL_PRODUCTS, "关键指标对比", "竞品分析", header, products)
    header = ["统计日期", "店铺名称", "商品ID", "商品名称", "流失金额", "流失人数", "流失率"]
    counts[F_RIVAL_LOSS] = sycm_workbook(F_RIVAL_LOSS, "流失竞品", "流失竞品", header, losses)

    words, sources = [], []
    for week in RIVAL_WEEKS:
        for shop, (pid, _, visitors, _) in RIVALS.items():
            ranked = list(RIVAL_WORDS[shop])
            if shop == "竞品B旗舰店" and week >= RIVAL_CUT_DAY:
                ranked.insert(0, ranked.pop(ranked.index("烟酰胺精华")))  # bought to the top with 直通车
            if shop == COMPETITOR_CUT_SHOP and week < dt.date(2026, 11, 8):
                ranked = ranked[:-1]  # 提亮精华 is new to it from the Double-11 week
            weekly = visitors * 7 * rival_factor(shop, week)
            for rank, word in enumerate(ranked, start=1):
                share = 0.34 / rank
                words.append(
                    [
                        week.isoformat(),
                        shop,
                        pid,
                        RIVAL_TITLES[pid],
                        rank,
                        word,
                        count_band(weekly * share) if rank < 5 else "-",
                        f"{round(weekly * share * 3.4):,}",
                    ]
                )
            for source, share in RIVAL_SOURCES.items():
                boost = 1.6 if shop == "竞品B旗舰店" and week >= RIVAL_CUT_DAY and source == "直通车" else 1.0
                sources.append(
                    [
                        week.isoformat(),
                        shop,
                        RIVAL_TITLES[pid],
                        source,
                        count_band(weekly * share * boost),
                        f"{round(weekly * share * boost * 3.1):,}",
                    ]
                )
        for rank, word in enumerate(OWN_WORDS, start=1):
            serum = next(title for p, _, title, *_ in PRODUCTS if p == SERUM)
            words.append(
                [
                    week.isoformat(),
                    SHOP_CN,
                    SERUM,
                    serum,
                    rank,
                    word,
                    count_band(9_000 / rank),
                    f"{round(28_000 / rank):,}",
                ]
            )
    header = ["统计日期", "店铺名称", "商品ID", "商品名称", "排名", "关键词", "访客数", "交易指数"]
    counts[F_RIVAL_KEYWORDS] = sycm_workbook(F_RIVAL_KEYWORDS, "入店搜索词", "竞品分析", header, words)
    header = ["统计日期", "店铺名称", "商品名称", "流量来源", "访客数", "交易指数"]
    counts[F_RIVAL_SOURCES] = sycm_workbook(F_RIVAL_SOURCES, "入店来源", "竞品分析", header, sources)

    with open(OUT / F_RIVAL_PROMOTIONS, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["日期", "竞店", "商品ID", "竞品", "推广方式", "优惠", "备注"])
        for day, shop, pid, method, offer, note in RIVAL_PROMOTIONS:
            writer.writerow([day.isoformat(), shop, pid, RIVAL_TITLES[pid], method, offer, note])
    counts[F_RIVAL_PROMOTIONS] = len(RIVAL_PROMOTIONS)
    return counts


# ================================================================ read-back summary
def summarize(counts: dict[str, int]) -> None:
    print(f"{'file':62} {'rows':>8} {'bytes':>10}")
    total = 0
    for name, n in counts.items():
        size = (OUT / name).stat().st_size
        total += size
        print(f"{name:62} {n:8,} {size:10,}")
    print(f"{'total':62} {'':8} {total:10,}")

    ws = load_workbook(OUT / F_TRAFFIC, read_only=True).active
    sheet = list(ws.iter_rows(values_only=True))
    assert sheet[4][0] == "统计日期" and len(sheet) - 5 == counts[F_TRAFFIC]
    col = {h: i for i, h in enumerate(sheet[4])}
    pay, search = Counter(), Counter()
    for row in sheet[5:]:
        if row[col["二级来源"]] == "汇总":
            pay[row[0]] += row[col["支付金额"]]
        if row[col["二级来源"]] == "手淘搜索":
            search[row[0]] += row[col["访客数"]]
    sept = [pay[d] for d in pay if d.startswith("2026-09")]
    print(
        f"Tmall 11-11 支付金额 {pay['2026-11-11']:,.2f} = {pay['2026-11-11'] / (sum(sept) / len(sept)):.1f}x "
        f"the September daily mean"
    )

    def mean(days, series):
        return sum(series[d.isoformat()] for d in days) / len(days)

    before = [d for d in DAYS if d.month == 9]
    after = [d for d in DAYS if PRICE_CUT_DAY <= d < PRESALE_START]
    print(f"手淘搜索 visitors/day: September {mean(before, search):.0f}, 2026-10-01..10-19 {mean(after, search):.0f}")

    spend, sales = Counter(), Counter()
    with open(OUT / F_WXT, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            spend[row["计划名字"]] += float(row["花费"])
            sales[row["计划名字"]] += float(row["总成交金额"].replace(",", ""))
    print("万相台 ROAS: " + ", ".join(f"{k} {sales[k] / spend[k]:.2f}" for k in spend))

    text = (OUT / F_GADS).read_bytes().decode("utf-16")
    lines = text.split("\r\n")
    assert lines[2].split("\t")[0] == "Day"
    cost, value = Counter(), Counter()
    for line in lines[3:]:
        cells = line.split("\t")
        if len(cells) == 15 and not cells[0].startswith("Total:"):
            cost[cells[1]] += float(cells[9])
            value[cells[1]] += float(cells[11].replace(",", ""))
    print("Google Ads ROAS: " + ", ".join(f"{k} {value[k] / cost[k]:.2f}" for k in cost))

    ws = load_workbook(OUT / F_PRODUCTS, read_only=True).active
    sheet = list(ws.iter_rows(values_only=True))
    assert sheet[4][:2] == ("统计日期", "商品ID") and len(sheet) - 5 == counts[F_PRODUCTS]
    col = {h: i for i, h in enumerate(sheet[4])}
    products = defaultdict(Counter)
    for row in sheet[5:]:
        for m in ("商品访客数", "支付金额"):
            products[row[col["商品名称"]]][m] += row[col[m]]
    with open(OUT / F_ORDERS, encoding="gb18030", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["订单付款时间"]:
                products[row["宝贝标题"]]["orders"] += float(row["总金额"])
    for title, sums in products.items():
        ratio = f"{sums['支付金额'] / sums['orders']:.3f}" if sums["orders"] else "-"
        print(f"{title[:16]}: 商品访客数 {sums['商品访客数']:,}, 支付金额 ÷ orders' paid 总金额 {ratio}")

    kinds = Counter()
    with open(OUT / F_BEHAVIOR, encoding="utf-8") as fh:
        for line in fh:
            kinds[line.split(",")[3]] += 1
    print("UserBehavior: " + ", ".join(f"{k} {v:,} ({v / kinds['pv']:.1%} of pv)" for k, v in kinds.items()))


def main() -> None:
    wxt = build_wanxiangtai(random.Random(SEED + 2))
    traffic = build_traffic(random.Random(SEED + 1), wxt)
    gads = build_google_ads(random.Random(SEED + 5))
    sessions = build_shopify_sessions(random.Random(SEED + 3), gads)
    sales = build_shopify_sales(random.Random(SEED + 4), sessions)
    counts = {
        F_TRAFFIC: write_traffic(traffic),
        F_WXT: write_wanxiangtai(wxt),
        F_SESSIONS: write_shopify_sessions(sessions),
        F_SALES: write_shopify_sales(sales),
        F_GADS: write_google_ads(gads),
        F_BEHAVIOR: write_behavior(build_behavior(random.Random(SEED + 6))),
        F_PRICES: write_prices(build_prices(random.Random(SEED + 7))),
    }
    orders = build_orders(random.Random(SEED + 8), traffic)
    counts[F_ORDERS] = write_orders(orders)
    counts[F_PRODUCTS] = write_product_traffic(build_product_traffic(random.Random(SEED + 9), orders, traffic))
    counts[F_WXT_PRODUCTS] = write_wxt_products(build_wxt_products(random.Random(SEED + 10), wxt))
    counts.update(write_rival_exports(random.Random(SEED + 11)))
    summarize(counts)


if __name__ == "__main__":
    main()
