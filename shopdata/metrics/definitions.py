"""Every KPI, defined once: a record with its expression, labels, unit, direction and definition (口径).

A *measure* sums a row-level expression of one canonical table. A *ratio* divides two measures
(division by zero gives empty, never an error or infinity). Pages, the CLI and the tests all read
these records; nothing else defines a KPI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

RowExpr = Callable[[ir.Table], ir.Value]


@dataclass(frozen=True)
class Metric:
    name: str
    domain: str  # the canonical table it reads: traffic, ads, events, orders, prices
    label: dict[str, str]  # en, zh
    unit: str  # count, money, percent, ratio, money_per (money per unit)
    direction: int  # +1 up is good, -1 down is good, 0 neither
    definition: dict[str, str]  # 口径, en and zh
    row: RowExpr | None = None  # measure: row-level expression, summed
    ratio: tuple[str, str] | None = None  # ratio: numerator and denominator measure names
    scale: float = 1.0

    @property
    def is_ratio(self) -> bool:
        return self.ratio is not None

    def text(self, language: str) -> str:
        return self.label.get(language) or self.label["en"]

    def describe(self, language: str) -> str:
        return self.definition.get(language) or self.definition["en"]


def _col(name: str) -> RowExpr:
    return lambda t: t[name]


def _first(*names: str) -> RowExpr:
    return lambda t: ibis.coalesce(*(t[n] for n in names))


METRICS: tuple[Metric, ...] = (
    # ---- traffic and sales (生意参谋 / Shopify / Amazon Business / GA)
    Metric(
        "visitors",
        "traffic",
        {"en": "Visitors", "zh": "访客数"},
        "count",
        +1,
        {
            "en": "Unique visitors (生意参谋 访客数, Shopify online store visitors, GA users). Where a platform "
            "reports only sessions (Amazon, GA funnel exports), its sessions are counted.",
            "zh": "访客数（生意参谋“访客数”、Shopify“Online store visitors”、GA 用户）。只提供会话数的平台（亚马逊、GA）按会话数计。",
        },
        row=_first("visitors", "sessions"),
    ),
    Metric(
        "sessions",
        "traffic",
        {"en": "Sessions", "zh": "会话数"},
        "count",
        +1,
        {
            "en": "Sessions as the platform counts them (Shopify: ends after 30 minutes idle or at midnight UTC).",
            "zh": "平台统计的会话数（Shopify：闲置 30 分钟或 UTC 零点结束）。",
        },
        row=_col("sessions"),
    ),
    Metric(
        "page_views",
        "traffic",
        {"en": "Page views", "zh": "浏览量"},
        "count",
        +1,
        {"en": "Page views (浏览量 / Pageviews).", "zh": "浏览量（PV）。"},
        row=_col("page_views"),
    ),
    Metric(
        "product_visitors",
        "traffic",
        {"en": "Product views", "zh": "商品点击人数"},
        "count",
        +1,
        {
            "en": "Visitors who opened a product page (生意参谋 商品点击人数).",
            "zh": "点击进入商品详情页的人数（生意参谋“商品点击人数”）。",
        },
        row=_col("product_visitors"),
    ),
    Metric(
        "cart_users",
        "traffic",
        {"en": "Added to cart", "zh": "加购人数"},
        "count",
        +1,
        {
            "en": "Visitors who added to cart (加购人数; Shopify sessions with cart additions).",
            "zh": "加购人数（Shopify 为“有加购的会话数”）。",
        },
        row=_col("cart_users"),
    ),
    Metric(
        "checkout_sessions",
        "traffic",
        {"en": "Reached checkout", "zh": "进入结算"},
        "count",
        +1,
        {
            "en": "Sessions that reached checkout (Shopify); 下单买家数 where a Chinese platform reports orders placed.",
            "zh": "进入结算的会话数（Shopify）；中国平台按“下单买家数”计。",
        },
        row=_first("checkout_sessions", "order_buyers"),
    ),
    Metric(
        "buyers",
        "traffic",
        {"en": "Paying buyers", "zh": "支付买家数"},
        "count",
        +1,
        {
            "en": "Buyers who paid (支付买家数, 成交客户数). Where a platform reports only orders (Shopify "
            "completed checkouts, Amazon order items), its orders are counted.",
            "zh": "支付买家数（京东为成交客户数）。只提供订单数的平台（Shopify、亚马逊）按订单数计。",
        },
        row=_first("buyers", "orders"),
    ),
    Metric(
        "orders",
        "traffic",
        {"en": "Orders", "zh": "订单数"},
        "count",
        +1,
        {
            "en": "Paid orders (Shopify orders, JD 成交单量), as the reports state them. A report without an "
            "orders column leaves this empty: paying buyers are a different count and never stand in for it.",
            "zh": "支付订单数（Shopify 订单、京东成交单量），以报表所列为准。报表没有订单数列时此项为空："
            "支付买家数是另一个口径，不会拿来代替。",
        },
        row=_col("orders"),
    ),
    Metric(
        "revenue",
        "traffic",
        {"en": "Revenue", "zh": "销售额"},
        "money",
        +1,
        {
            "en": "Paid sales: 生意参谋 支付金额, JD 成交金额, Shopify net sales (gross − discounts − returns, "
            "before shipping and taxes), Amazon ordered product sales.",
            "zh": "支付金额（生意参谋）、成交金额（京东）、Shopify 净销售额（总额−折扣−退货，不含运费和税）、亚马逊已订购商品销售额。",
        },
        row=_col("revenue"),
    ),
    Metric(
        "conversion_rate",
        "traffic",
        {"en": "Conversion rate", "zh": "支付转化率"},
        "percent",
        +1,
        {
            "en": "Paying buyers ÷ visitors (支付转化率 = 支付买家数 ÷ 访客数). Shopify's own figure is orders ÷ "
            "sessions; that is what it is where a platform reports only those.",
            "zh": "支付买家数 ÷ 访客数。Shopify 自身口径为订单数 ÷ 会话数，仅有这两项数据的平台按此计算。",
        },
        ratio=("buyers", "visitors"),
    ),
    Metric(
        "aov",
        "traffic",
        {"en": "Revenue per buyer", "zh": "客单价"},
        "money",
        +1,
        {
            "en": "Revenue ÷ paying buyers (客单价, per buyer, as 生意参谋 defines it). Shopify's AOV is per "
            "order; where only orders are reported this is per order.",
            "zh": "销售额 ÷ 支付买家数（按买家计算，与生意参谋一致）。Shopify 的 AOV 按订单计算；仅有订单数时按订单计。",
        },
        ratio=("revenue", "buyers"),
    ),
    Metric(
        "uv_value",
        "traffic",
        {"en": "Revenue per visitor", "zh": "UV价值"},
        "money",
        +1,
        {"en": "Revenue ÷ visitors (UV价值 / 访客平均价值).", "zh": "销售额 ÷ 访客数（访客平均价值）。"},
        ratio=("revenue", "visitors"),
    ),
    Metric(
        "cart_rate",
        "traffic",
        {"en": "Add-to-cart rate", "zh": "加购率"},
        "percent",
        +1,
        {"en": "Visitors who added to cart ÷ visitors.", "zh": "加购人数 ÷ 访客数。"},
        ratio=("cart_users", "visitors"),
    ),
    # ---- advertising
    Metric(
        "spend",
        "ads",
        {"en": "Ad spend", "zh": "推广花费"},
        "money",
        -1,
        {
            "en": "What the ad platforms charged (花费, Cost, Spend, Amount spent).",
            "zh": "推广平台扣费金额（花费、Cost、Spend、Amount spent）。",
        },
        row=_col("spend"),
    ),
    Metric(
        "impressions",
        "ads",
        {"en": "Impressions", "zh": "展现量"},
        "count",
        +1,
        {"en": "Times an ad was shown.", "zh": "广告展现次数。"},
        row=_col("impressions"),
    ),
    Metric(
        "clicks",
        "ads",
        {"en": "Clicks", "zh": "点击量"},
        "count",
        +1,
        {"en": "Clicks on ads (Meta: link clicks where exported).", "zh": "广告点击次数（Meta 为链接点击）。"},
        row=_col("clicks"),
    ),
    Metric(
        "ad_conversions",
        "ads",
        {"en": "Ad conversions", "zh": "推广成交笔数"},
        "count",
        +1,
        {
            "en": "Conversions the ad platform attributes to its ads (Amazon orders within its attribution "
            "window, Google conversions, 万相台 总成交笔数, Meta results).",
            "zh": "推广平台归因的成交（亚马逊归因窗口内订单、Google 转化、万相台总成交笔数、Meta 成效）。",
        },
        row=_col("conversions"),
    ),
    Metric(
        "ad_revenue",
        "ads",
        {"en": "Ad revenue", "zh": "推广成交金额"},
        "money",
        +1,
        {
            "en": "Sales the ad platform attributes to its ads (Amazon N-day total sales, Google conversion "
            "value, 万相台 总成交金额). Attribution windows differ between platforms.",
            "zh": "推广平台归因的成交金额（亚马逊 N 天总销售额、Google 转化价值、万相台总成交金额）。各平台归因窗口不同。",
        },
        row=_col("revenue"),
    ),
    Metric(
        "ctr",
        "ads",
        {"en": "CTR", "zh": "点击率"},
        "percent",
        +1,
        {"en": "Clicks ÷ impressions.", "zh": "点击量 ÷ 展现量。"},
        ratio=("clicks", "impressions"),
    ),
    Metric(
        "cpc",
        "ads",
        {"en": "CPC", "zh": "平均点击花费"},
        "money",
        -1,
        {"en": "Spend ÷ clicks.", "zh": "花费 ÷ 点击量。"},
        ratio=("spend", "clicks"),
    ),
    Metric(
        "cpm",
        "ads",
        {"en": "CPM", "zh": "千次展现花费"},
        "money",
        -1,
        {"en": "Spend ÷ impressions × 1,000.", "zh": "花费 ÷ 展现量 × 1000。"},
        ratio=("spend", "impressions"),
        scale=1000.0,
    ),
    Metric(
        "cvr",
        "ads",
        {"en": "Ad CVR", "zh": "点击转化率"},
        "percent",
        +1,
        {"en": "Ad conversions ÷ clicks.", "zh": "推广成交笔数 ÷ 点击量。"},
        ratio=("ad_conversions", "clicks"),
    ),
    Metric(
        "cpa",
        "ads",
        {"en": "CPA", "zh": "每笔成交花费"},
        "money",
        -1,
        {"en": "Spend ÷ ad conversions.", "zh": "花费 ÷ 推广成交笔数。"},
        ratio=("spend", "ad_conversions"),
    ),
    Metric(
        "roas",
        "ads",
        {"en": "ROAS", "zh": "投产比 (ROI)"},
        "ratio",
        +1,
        {
            "en": "Ad revenue ÷ spend: what each unit of spend brought back in attributed sales. Chinese "
            "operators call this ROI (投产比).",
            "zh": "推广成交金额 ÷ 花费，即每花 1 元带来的归因成交额（国内常称 ROI/投产比）。",
        },
        ratio=("ad_revenue", "spend"),
    ),
    Metric(
        "acos",
        "ads",
        {"en": "ACOS", "zh": "ACOS（费比）"},
        "percent",
        -1,
        {
            "en": "Spend ÷ ad revenue (Amazon's ACOS; PDD 费比) — the inverse of ROAS.",
            "zh": "花费 ÷ 推广成交金额（亚马逊 ACOS、拼多多费比），即投产比的倒数。",
        },
        ratio=("spend", "ad_revenue"),
    ),
)

METRICS_BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def metric(name: str) -> Metric:
    return METRICS_BY_NAME[name]


def metrics_of(domain: str) -> list[Metric]:
    return [m for m in METRICS if m.domain == domain]


def measures_needed(names: list[str]) -> list[str]:
    """The summed measures behind a list of metrics (ratios expand to their parts), in a stable order."""
    needed: list[str] = []
    for name in names:
        m = METRICS_BY_NAME[name]
        for part in m.ratio if m.ratio is not None else (name,):
            if part not in needed:
                needed.append(part)
    return needed
