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


# ---- orders (the store's own order exports): computed by shopdata/metrics/orders.py over one row per order
# (or per order and breakdown value), because an order's money must be counted once and buyers are distinct
# counts; these records hold what each figure is. Ratios name their parts, which orders.py computes.
ORDER_METRICS: tuple[Metric, ...] = (
    Metric(
        "order_count",
        "orders",
        {"en": "Orders placed", "zh": "下单订单数"},
        "count",
        +1,
        {
            "en": "Orders placed in the period (by the day the order was created), paid or not; an order of "
            "several lines counts once.",
            "zh": "期间内创建的订单数（按下单日），无论是否付款；多行明细的订单只计一次。",
        },
    ),
    Metric(
        "paid_orders",
        "orders",
        {"en": "Paid orders", "zh": "支付订单数"},
        "count",
        +1,
        {
            "en": "Orders placed in the period that were paid: a payment time, a paid amount above zero, or a "
            "status that means paid on that platform (see ORDER_EXPORTS in shopdata/ingest/layouts.py).",
            "zh": "期间内下单且已付款的订单数：有付款时间、实付金额大于 0，或订单状态表示已付款（各平台状态见 "
            "shopdata/ingest/layouts.py 的 ORDER_EXPORTS）。",
        },
    ),
    Metric(
        "order_revenue",
        "orders",
        {"en": "Revenue (orders)", "zh": "销售额（订单）"},
        "money",
        +1,
        {
            "en": "Money paid for the paid orders, before refunds and without shipping where the export shows "
            "shipping apart. An order's money is counted once, whether the export has a row per order or per line.",
            "zh": "已付款订单实付金额，未扣退款；导出单独列出运费时不含运费。无论导出按订单还是按明细行，"
            "每笔订单的金额只计一次。",
        },
    ),
    Metric(
        "order_refund",
        "orders",
        {"en": "Refunds", "zh": "退款金额"},
        "money",
        -1,
        {
            "en": "Money refunded on the period's orders, where the export has a refund column (empty otherwise).",
            "zh": "期间订单的退款金额；导出没有退款列时为空。",
        },
    ),
    Metric(
        "net_revenue",
        "orders",
        {"en": "Net revenue", "zh": "净销售额"},
        "money",
        +1,
        {
            "en": "Revenue (orders) minus refunds; empty where the export has no refund column.",
            "zh": "销售额（订单）减退款金额；导出没有退款列时为空。",
        },
    ),
    Metric(
        "order_shipping",
        "orders",
        {"en": "Shipping charged", "zh": "运费"},
        "money",
        0,
        {
            "en": "Shipping (freight) of the paid orders, where the export shows it apart.",
            "zh": "已付款订单的运费（导出单独列出时）。",
        },
    ),
    Metric(
        "order_buyers",
        "orders",
        {"en": "Buyers (orders)", "zh": "购买人数（订单）"},
        "count",
        +1,
        {
            "en": "Distinct buyer IDs of the paid orders, where the export has buyer IDs (Olist's customer_id "
            "is one per order, so there every order is a new buyer).",
            "zh": "已付款订单的不同买家 ID 数（导出含买家 ID 时）。Olist 的 customer_id 每单一个，因此每单都是新买家。",
        },
    ),
    Metric(
        "order_aov",
        "orders",
        {"en": "AOV (per order)", "zh": "笔单价（按订单）"},
        "money",
        +1,
        {
            "en": "Revenue (orders) ÷ paid orders: per order, unlike 客单价, which is per buyer.",
            "zh": "销售额（订单）÷ 支付订单数，按订单计算；客单价按买家计算，二者不同。",
        },
        ratio=("order_revenue", "paid_orders"),
    ),
    Metric(
        "order_units",
        "orders",
        {"en": "Units sold", "zh": "销售件数"},
        "count",
        +1,
        {
            "en": "Units in the paid orders (the quantity column; Olist writes one row per unit).",
            "zh": "已付款订单的商品件数（按数量列；Olist 每件一行）。",
        },
    ),
    Metric(
        "new_buyers",
        "orders",
        {"en": "New buyers", "zh": "新买家数"},
        "count",
        +1,
        {
            "en": "Buyers whose first paid order in the store's data falls in the period.",
            "zh": "在本店数据中首笔付款订单落在期间内的买家数。",
        },
    ),
    Metric(
        "returning_buyers",
        "orders",
        {"en": "Returning buyers", "zh": "老买家数"},
        "count",
        +1,
        {
            "en": "Buyers with a paid order in the period whose first paid order was earlier.",
            "zh": "期间内有付款订单、且首笔付款订单更早的买家数。",
        },
    ),
    *(
        Metric(
            f"repeat_rate_{days}",
            "orders",
            {"en": f"Repeat rate ({days} days)", "zh": f"{days} 天复购率"},
            "percent",
            +1,
            {
                "en": f"Of the buyers whose first paid order falls in the period, the share who paid for another "
                f"order within {days} days of the first (counted on all data loaded, also after the period).",
                "zh": f"首笔付款订单在期间内的买家中，在首单后 {days} 天内再次付款下单的比例（按已导入的全部数据计，"
                "包括期间之后）。",
            },
            ratio=(f"repeat_buyers_{days}", "new_buyers"),
        )
        for days in (30, 60, 90)
    ),
    *(
        Metric(
            f"repeat_buyers_{days}",
            "orders",
            {"en": f"Repeat buyers ({days} days)", "zh": f"{days} 天复购买家数"},
            "count",
            +1,
            {
                "en": f"New buyers of the period who paid for another order within {days} days of their first.",
                "zh": f"期间内的新买家中，首单后 {days} 天内再次付款下单的人数。",
            },
        )
        for days in (30, 60, 90)
    ),
    Metric(
        "refund_rate",
        "orders",
        {"en": "Refund rate", "zh": "退款率"},
        "percent",
        -1,
        {
            "en": "Refunds ÷ revenue (orders), by money.",
            "zh": "退款金额 ÷ 销售额（订单），按金额计。",
        },
        ratio=("order_refund", "order_revenue"),
    ),
    Metric(
        "payment_rate",
        "orders",
        {"en": "Payment rate", "zh": "付款率"},
        "percent",
        +1,
        {
            "en": "Paid orders ÷ orders placed: orders left unpaid are a signal worth following up.",
            "zh": "支付订单数 ÷ 下单订单数；未付款订单值得跟进。",
        },
        ratio=("paid_orders", "order_count"),
    ),
)
METRICS = (*METRICS, *ORDER_METRICS)

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
