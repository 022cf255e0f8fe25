"""What real exports call things: one table of canonical field -> header names, per platform report.

This module is data. Header names are written as `normalize_header` + `split_unit` leave them
(lowercase, NFKC, single spaces, en-dash as '-', a trailing unit such as (元) (₹) (USD) (#) removed).
A name starting with `re:` is a regular expression over that normalised text; its first group, for
revenue/conversions/units, is the attribution window in days.
Within a field, earlier names win; a header is claimed by the first field (in layout order) that names it.

Besides canonical table columns, layouts may name these input-only fields:
  period_start / period_end   a row's own period (Amazon Start/End Date, Meta Reporting starts/ends)
  event_day                   a day without time (combined with event_time when both exist)
  age / gender / interest     parts of ads.audience
  cart_rate / checkout_rate / purchase_rate   session rates, turned into counts (× sessions)
  wide price columns          see Layout.wide
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shopdata.schema import FACT_KINDS

KINDS = FACT_KINDS  # a layout loads into one fact table

# What counts as each behaviour in an event log, whatever the platform calls it.
BEHAVIOR_WORDS: dict[str, str] = {
    "pv": "view",
    "view": "view",
    "page_view": "view",
    "pageview": "view",
    "click": "view",
    "detail": "view",
    "view_item": "view",
    "product_view": "view",
    "浏览": "view",
    "点击": "view",
    "fav": "fav",
    "favorite": "fav",
    "favourite": "fav",
    "collect": "fav",
    "wishlist": "fav",
    "收藏": "fav",
    "cart": "cart",
    "add_to_cart": "cart",
    "addtocart": "cart",
    "add to cart": "cart",
    "加购": "cart",
    "加入购物车": "cart",
    "checkout": "checkout",
    "begin_checkout": "checkout",
    "下单": "checkout",
    "buy": "purchase",
    "purchase": "purchase",
    "order": "purchase",
    "transaction": "purchase",
    "购买": "purchase",
    "支付": "purchase",
    "成交": "purchase",
}
BEHAVIORS = ("view", "fav", "cart", "checkout", "purchase")

# Fields that identify what a row is about; a row where all mapped ones are blank is a summary row.
DIMENSIONS = {
    "ads": (
        "campaign_id",
        "campaign",
        "ad_group",
        "ad_id",
        "ad_name",
        "keyword",
        "search_term",
        "product_id",
        "sku",
        "placement",
        "age",
        "gender",
        "interest",
    ),
    "traffic": (
        "source_1",
        "source_2",
        "source_3",
        "source_4",
        "campaign",
        "landing_page",
        "product_id",
        "product_name",
    ),
}

# Ads grain: the finest dimension present names it.
ADS_GRAIN_ORDER = (
    ("search_term", "search_term"),
    ("keyword", "keyword"),
    ("ad_id", "ad"),
    ("ad_name", "ad"),
    ("product_id", "product"),
    ("sku", "product"),
    ("ad_group", "ad_group"),
    ("placement", "placement"),
    ("campaign", "campaign"),
    ("campaign_id", "campaign"),
)


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    platform: str
    title: str  # shown to the user
    fields: dict[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...]  # each inner tuple: at least one of these fields
    markers: tuple[str, ...] = ()  # header names that single out this platform
    forbidden: tuple[str, ...] = ()  # header names that rule this layout out
    currency: str | None = None  # default currency
    default_shop: str | None = None  # prices without a shop column
    behavior_codes: dict[str, str] = field(default_factory=dict)  # raw value -> behaviour, or '' to skip
    headerless: tuple[str, ...] = ()  # regex per column for logs that come without a header
    positional: tuple[str, ...] = ()  # fields of a headerless layout, by column
    wide: tuple[str, str, str] | None = None  # (regex over headers, value field, key field) to unpivot
    utc_offset_hours: int = 0  # the platform's business time zone, for epoch timestamps
    # "mdy" or "dmy": how the export writes dates like 01/11/26 whatever the seller's region, for a column no
    # value decides (a value > 12 first still proves the other order).
    date_order: str | None = None
    generic: bool = False


def _f(**fields: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {k: (v,) if isinstance(v, str) else tuple(v) for k, v in fields.items()}


_AMAZON_ADS = _f(
    date=("date", "日期"),
    period_start=("start date", "开始日期"),
    period_end=("end date", "结束日期"),
    currency="currency",
    campaign=("campaign name", "广告活动名称"),
    ad_group=("ad group name", "广告组名称"),
    search_term=("customer search term", "客户搜索词"),
    keyword=("targeting", "keyword", "投放", "关键词"),
    match_type=("match type", "匹配类型"),
    product_id=("advertised asin", "推广的 asin", "广告 asin"),
    sku=("advertised sku", "推广的 sku", "广告 sku"),
    placement=("placement", "展示位置"),
    campaign_type="campaign type",
    impressions=("impressions", "展示量", "曝光量"),
    clicks=("clicks", "点击量", "点击次数"),
    spend=("spend", "花费", "支出"),
    revenue=(r"re:^(\d+) day total sales$", r"re:^(\d+) 天总销售额$", r"re:^vendite totali (\d+) giorni$"),
    conversions=(r"re:^(\d+) day total orders$", r"re:^(\d+) 天总订单数$", r"re:^totale ordini (\d+) giorni$"),
    units=(r"re:^(\d+) day total units$", r"re:^(\d+) 天总件数$"),
)

_GOOGLE_ADS = _f(
    date=("day", "date", "日期", "天"),
    currency=("currency code", "currency", "货币代码"),
    campaign=("campaign", "广告系列"),
    campaign_type=("campaign type", "广告系列类型"),
    ad_group=("ad group", "广告组"),
    search_term=("search term", "搜索字词"),
    keyword=("keyword", "search keyword", "关键字"),
    match_type=("match type", "匹配类型", "search terms match type"),
    ad_name=("headline 1", "headline", "ad", "广告"),
    impressions=("impr.", "impressions", "展示次数"),
    clicks=("clicks", "点击次数"),
    spend=("cost", "费用"),
    # zh-CN UI names (语言: 简体中文): 转化 is the Conversions column, 转化次数 its older name.
    conversions=("conversions", "转化次数", "转化"),
    revenue=("conv. value", "conversion value", "转化价值"),
)

_META_ADS = _f(
    date=("day", "date"),
    period_start=("reporting starts", "inicio del informe", "报告开始日期"),
    period_end=("reporting ends", "fin del informe", "报告结束日期"),
    campaign_id=("campaign id", "xyz_campaign_id"),
    campaign=("campaign name", "nombre de la campaña", "广告系列名称"),
    ad_group=("ad set name", "fb_campaign_id", "ad set id", "广告组名称"),
    ad_id=("ad id", "ad_id"),
    ad_name=("ad name", "广告名称"),
    age="age",
    gender="gender",
    interest="interest",
    impressions=("impressions", "展示次数"),
    clicks=("link clicks", "clicks (all)", "clicks", "链接点击量"),
    spend=("amount spent", "spent", "importe gastado", "已花费金额"),
    conversions=("results", "total_conversion", "成效"),
    purchases=("purchases", "approved_conversion", "购物次数"),
    revenue=("purchases conversion value", "purchase conversion value", "购物转化价值"),
)

_WANXIANGTAI = _f(
    date=("日期", "统计日期"),
    campaign_id=("计划id",),
    campaign=("计划名字", "计划名称"),
    campaign_type=("场景名字", "场景名称", "推广单元类型"),
    product_id=("主体id", "商品id", "宝贝id"),
    ad_name=("主体名称", "商品名称", "宝贝名称"),
    keyword=("关键词",),
    impressions=("展现量",),
    clicks=("点击量",),
    spend=("花费", "推广消耗", "推广消耗金额"),
    revenue=("总成交金额", "总引导成交金额", "推广引导总成交金额"),
    conversions=("总成交笔数", "总引导成交笔数"),
    carts=("总购物车数", "推广总加购数"),
)

_PDD_ADS = _f(
    date=("日期",),
    product_id=("商品id",),
    ad_name=("商品名称",),
    campaign_type=("推广场景",),
    campaign=("推广名称", "计划名称"),
    ad_group=("分组",),
    impressions=("曝光量",),
    clicks=("点击量",),
    spend=("总花费", "花费"),
    revenue=("交易额",),
    conversions=("成交笔数",),
)

# ---- 京东 / 抖音 / 快手 / 拼多多 (issue 13). Evidence per layout; names not seen in a source are marked.
# 京准通 京东快车 推广报表 (计划 / 单元 / 关键词 / 天). Metric names from the platform's own 快车 metric guide
# "新快车各指说明" (https://m.31ppt.com/p-3566347.html: 展现量, 点击量, 点击率, 直接/间接/总订单行, 总订单行金额,
# 转化率, ROI = 总订单金额 / 总费用); 总费用 / 展现数 / 点击数 as headers from the GB18030 CSV of issue 13.
# Partial: the exact download header (展现数 vs 展现量, 总订单金额 vs 总订单行金额) varies between report
# versions, so both are listed; 单元 / 关键词 column names are [unverified].
_JD_ADS = _f(
    date=("日期", "时间"),
    campaign_id=("计划id",),
    campaign=("计划名称", "推广计划", "计划"),
    ad_group=("单元名称", "推广单元", "单元"),
    keyword=("关键词",),
    product_id=("sku", "sku编号", "商品sku"),
    impressions=("展现数", "展现量"),
    clicks=("点击数", "点击量"),
    spend=("总费用", "花费"),
    revenue=("总订单金额", "总订单行金额"),
    conversions=("总订单行", "总订单数"),
    carts=("总加购数", "加购数"),
)
# 巨量千川 数据报表 (标准推广 推商品 / 推直播间, 全域推广), day x 计划 / 商品. Names from the 千川 reporting API
# model, bububa/oceanengine marketing-api/model/qianchuan/report: metrics.go (标准推广: 消耗, 展示数, 点击数, 点击率,
# 成交订单数, 成交订单金额, 支付roi, 下单成交金额) and uni_promotion_get.go (全域推广: 整体消耗, 整体支付ROI,
# 整体成交金额, 整体成交订单数). Partial: those are the platform's metric names, the download's header is assumed
# to use them; 展示次数 / 点击次数 / 直接成交金额 / 直接成交订单数 (older UI wording), 整体展示次数 / 整体点击次数,
# 营销场景 and 直播间名称 are [unverified]. The 全部 totals row is from issue 13.
_QIANCHUAN = _f(
    date=("日期", "时间"),
    campaign_id=("计划id",),
    campaign=("计划名称",),
    campaign_type=("营销场景", "推广方式", "营销目标"),
    product_id=("商品id",),
    ad_name=("商品名称", "直播间名称", "抖音号昵称"),
    impressions=("展示数", "展示次数", "整体展示次数"),
    clicks=("点击数", "点击次数", "整体点击次数"),
    spend=("整体消耗", "消耗"),
    revenue=("整体成交金额", "成交订单金额", "直接成交金额"),
    conversions=("整体成交订单数", "成交订单数", "直接成交订单数"),
)
_CN_LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "jd_kuaiche",
        "ads",
        "jd",
        "京准通 京东快车 推广报表",
        _JD_ADS,
        required=(("spend",), ("clicks", "impressions")),
        currency="CNY",
        # 展现数 / 点击数 are every Chinese ad report's words: a marker must be JD's own.
        markers=("总费用", "直接订单行", "间接订单行", "总订单行", "总订单金额", "总订单行金额"),
    ),
    Layout(
        "qianchuan",
        "ads",
        "douyin",
        "巨量千川 数据报表",
        _QIANCHUAN,
        required=(("spend",),),
        currency="CNY",
        markers=(
            "整体消耗",
            "整体成交金额",
            "整体支付roi",
            "整体成交订单数",
            "支付roi",
            "下单roi",
            "成交订单金额",
            "下单成交金额",
            "直接成交金额",
            "直接成交订单数",
            "展示次数",
        ),
    ),
    # 抖店 订单管理 → 导出 (标准报表, CSV): "以商品维度导出时，报表中每个商品名称(子订单)列为一行" (抖音订单报表使用说明,
    # http://gtc8.cn/baike/i103939.html). Headers 主订单编号, 选购商品, 商品ID, 商品数量, 商品金额 (unit price),
    # 订单提交时间, 支付完成时间, 订单完成时间, 订单状态, 取消原因, 售后状态 from a public script that reads the export
    # (found through the code index, repository not named there). 子订单编号 and 订单应付金额 (the line's payable
    # amount) are [unverified]. 支付完成时间 is left unmapped: a closed (refunded) order keeps it and the file has
    # no refund amount, so the status decides paid (ORDER_EXPORTS["douyin"]).
    Layout(
        "douyin_orders",
        "orders",
        "douyin",
        "抖店 订单导出",
        _f(
            order_id=("主订单编号", "订单编号"),
            line_no=("子订单编号",),
            order_time=("订单提交时间", "下单时间"),
            status=("订单状态",),
            product_id=("商品id",),
            product_name=("选购商品", "商品名称"),
            sku=("商家编码", "货号"),
            quantity=("商品数量", "商品数量(件)"),
            amount=("订单应付金额", "应付金额"),
            region=("省", "省份"),
            channel=("流量来源", "订单类型"),
        ),
        required=(("order_id",), ("amount", "quantity")),
        currency="CNY",
        markers=("主订单编号", "子订单编号", "选购商品", "订单提交时间", "支付完成时间", "订单应付金额", "售后状态"),
    ),
    # 拼多多 商家后台 订单查询 → 导出. Headers 订单号, 订单状态, 商品, 商品总价(元), 店铺优惠折扣(元), 平台优惠折扣(元),
    # 用户实付金额(元), 商家实收金额(元), 商品数量(件), 商品id, 商品规格, 售后状态, 订单成交时间, 发货时间, 确认收货时间
    # from public scripts that read the export (found through the code index, repositories not named there); one
    # order per row. 订单号 arrives as an Excel text guard ="…" in CSV downloads (sd_id strips it).
    Layout(
        "pdd_orders",
        "orders",
        "pdd",
        "拼多多 订单导出",
        _f(
            order_id=("订单号",),
            order_time=("订单成交时间", "成交时间", "支付时间"),
            status=("订单状态",),
            product_id=("商品id",),
            product_name=("商品", "商品名称"),
            sku=("商品规格",),
            quantity=("商品数量(件)", "商品数量"),
            amount=("商品总价",),
            paid_amount=("用户实付金额",),
            region=("省", "省份"),
        ),
        required=(("order_id",), ("amount", "paid_amount")),
        currency="CNY",
        markers=(
            "用户实付金额",
            "商家实收金额",
            "商品总价",
            "店铺优惠折扣",
            "平台优惠折扣",
            "订单成交时间",
            "确认收货时间",
        ),
    ),
    # 京东 POP 商家后台 订单管理 → 订单导出 (CSV). All 30 columns in order, with a sample row, in a public importer of
    # that CSV (code index, repository not named there): 订单号, 商品ID, 商品名称, 订购数量, 支付方式, 下单时间, 京东价,
    # 订单金额, 结算金额, 余额支付, 应付金额, 订单状态, 订单类型, 下单帐号, 客户姓名, 客户地址, 联系电话, 订单备注, 发票类型,
    # 发票抬头, 发票内容, 商家备注, 商家备注等级（等级1-5为由高到低）, 运费金额, 付款确认时间, 增值税发票, 货号, 订单完成时间,
    # 订单来源, 订单渠道. A second public script reads 订单号, 商品ID, 订购数量, 下单时间, 结算金额, 订单状态, 商家备注,
    # 付款确认时间 from the same export. One row per SKU; the sample's 订单金额 (1097.00) exceeds its line (京东价 758.00
    # × 1), so the money columns are the order's, repeated on each of its lines (ORDER_EXPORTS["jd"]). The sample's
    # "(删除)等待出库" row keeps its 付款确认时间, so that column does not say paid; the status does.
    Layout(
        "jd_orders",
        "orders",
        "jd",
        "京东 商家后台 订单导出",
        _f(
            order_id=("订单号",),
            product_id=("商品id",),
            product_name=("商品名称",),
            quantity=("订购数量",),
            order_time=("下单时间",),
            amount=("应付金额",),
            status=("订单状态",),
            buyer_id=("下单帐号",),
            sku=("货号",),
            shipping=("运费金额",),
            channel=("订单来源",),
        ),
        required=(("order_id",), ("amount", "quantity")),
        currency="CNY",
        markers=("京东价", "订购数量", "结算金额", "余额支付", "下单帐号", "付款确认时间", "商家备注等级"),
    ),
    # 快手小店 订单管理 → 订单导出. All 61 columns in order in a public finance importer that checks an uploaded 快手
    # 订单 file against them: KevinFan1/FinEngine backend/app/tasks/processors/kuaishou.py (KUAISHOU_ORDER_HEADERS;
    # the same list in backend/scripts/seed_file_specs.py, "快手订单"): 订单号, 赠品订单号, 活动订单编号, 订单创建时间,
    # 订单支付时间, 预售定金支付时间, 订单状态, 实付款, 快递费, 店铺优惠, 平台补贴, 主播补贴, …, 成交数量, …, 订单载体,
    # 商品名称, 商品ID, 商品规格, SKU编码, 商品单价, 渠道, CPS达人ID, …, 收货地址-省, …, 发货时间, 快递公司, 快递单号 ….
    # That importer keys each row by 订单号 and dates it by 订单创建时间. [unverified]: one row per order (the
    # file's grain), the status texts, and whether 实付款 is filled on an unpaid order; so 订单支付时间, not 实付款 or
    # the status, says paid (ORDER_EXPORTS["kuaishou"]).
    Layout(
        "kuaishou_orders",
        "orders",
        "kuaishou",
        "快手小店 订单导出",
        _f(
            order_id=("订单号",),
            order_time=("订单创建时间",),
            paid_time=("订单支付时间",),
            status=("订单状态",),
            product_id=("商品id",),
            product_name=("商品名称",),
            sku=("sku编码",),
            quantity=("成交数量",),
            amount=("实付款",),
            shipping=("快递费",),
            region=("收货地址-省",),
            channel=("订单载体",),
        ),
        required=(("order_id",), ("amount", "quantity")),
        currency="CNY",
        # 快赚客 (快手's affiliate program) and 主播补贴 / 混资活动优惠 name no other platform's columns.
        markers=(
            "赠品订单号",
            "活动订单编号",
            "预售定金支付时间",
            "成交数量",
            "主播补贴",
            "混资活动优惠",
            "订单载体",
            "快赚客id",
            "快赚客昵称",
            "授权推广者id",
        ),
    ),
    # 抖音电商罗盘 → 商品 → 商品卡 (商品卡列表 download, first sheet, the header on row 1, one row per product over
    # the period the page was set to). Headers from two public importers of the real file: a PostgreSQL loader
    # ("商品卡列表接入", code index id 58749054302, repository not named: "表头 → 目标列（真实中文表头，逐列显式）":
    # 商品标题, 商品ID, 商品链接, 上架时间, 商品卡曝光人数, 商品卡曝光次数, 商品卡点击人数, 商品卡点击次数, 商品卡点击率(人数),
    # 新客点击人数, 老客点击人数, 商品卡用户支付金额, 商品卡成交人数, 商品卡成交订单数, 商品卡成交客单价, 商品卡加购人数,
    # 商品卡收藏人数, 首购用户数, 复购用户数, 平台扶持曝光次数 …; it reads the period from the file name,
    # YYYY_MM_DD~YYYY_MM_DD) with that project's source profile of four such files (id 58622321878: "无TOTAL行(每行=商品)",
    # sheet1), and a Feishu sync's field map "douyin_trade_sale_card" (id 68650874937) with the same names plus 日期,
    # 店铺名称, 店铺ID. 商品卡曝光人数 has no column in the traffic table and is not loaded.
    Layout(
        "douyin_compass_product_cards",
        "traffic",
        "douyin",
        "抖音电商罗盘 商品卡列表",
        _f(
            date=("日期",),
            product_id=("商品id",),
            product_name=("商品标题", "商品名称"),
            product_visitors=("商品卡点击人数",),
            cart_users=("商品卡加购人数",),
            fav_users=("商品卡收藏人数",),
            buyers=("商品卡成交人数",),
            orders=("商品卡成交订单数",),
            revenue=("商品卡用户支付金额",),
        ),
        required=(("product_id",), ("product_visitors", "revenue")),
        currency="CNY",
        markers=("商品卡曝光人数", "商品卡点击人数", "商品卡用户支付金额", "商品卡成交订单数", "商品卡成交客单价"),
    ),
    # 抖音电商罗盘 → 商品 → 商品卡 → 流量来源 (download: one row per 一级渠道 × 二级渠道 over the period). Headers from a
    # public importer of the real file ("商品卡流量来源导入", code index id 58815356493, repository not named): 一级渠道,
    # 二级渠道, 商品卡曝光人数, 商品卡点击人数, 商品卡点击率, 老客点击人数, 老客点击占比, 新客点击人数, 新客点击占比,
    # 用户支付金额(元), 成交人数, 成交客单价(元), 点击-成交转化率, 首购新客数, 首购新客占比, 复购老客数, 复购老客占比; it skips
    # a 合计 / 总计 row in 一级渠道 and reads the period from the file name. [unverified]: a 日期 column in a per-day form.
    Layout(
        "douyin_compass_card_sources",
        "traffic",
        "douyin",
        "抖音电商罗盘 商品卡流量来源",
        _f(
            date=("日期",),
            source_1=("一级渠道",),
            source_2=("二级渠道",),
            product_visitors=("商品卡点击人数",),
            buyers=("成交人数",),
            revenue=("用户支付金额",),
        ),
        required=(("source_1",), ("product_visitors", "revenue")),
        currency="CNY",
        markers=("一级渠道", "二级渠道", "商品卡曝光人数", "商品卡点击人数", "老客点击人数", "首购新客数"),
    ),
)
_AMAZON_SP_MARKERS = (
    "click-thru rate (ctr)",
    "cost per click (cpc)",
    "total advertising cost of sales (acos)",
    "total return on advertising spend (roas)",
    "portfolio name",
)
# Columns of Sponsored Brands / Sponsored Display reports that Sponsored Products reports never have.
_AMAZON_SB_SD_ONLY = (
    "cost type",
    "viewable impressions",
    "14 day new-to-brand orders",
    "14 day new-to-brand sales",
    "14 day detail page views (dpv)",
    "cost per 1,000 viewable impressions (vcpm)",
    "bid optimization",
)

# ---- Western marketplaces and ad platforms (issue 13). Each layout names the public evidence of its headers;
# tests/fixtures/layouts/README.md lists the same sources beside the fixture built from them.
_WESTERN_EXPORTS: tuple[Layout, ...] = (
    # TikTok Shop Seller Center → Orders → Export (OrderSKUList): one row per SKU line; Order Amount and Order
    # Refund Amount are the order's, repeated on each of its lines. Headers: jeffpham2906/JP-Manager
    # server/types/order.d.ts and ComaGear/shopeesalescoverter …/OrderReportTikTokOrderColumn.java. Under the header
    # sits a row describing each column (in the seller's language: read.py's description-row rule drops it), and
    # IDs and times end in a tab so that spreadsheets keep them as text (clean.py trims it).
    Layout(
        "tiktok_shop_orders",
        "orders",
        "tiktok_shop",
        "TikTok Shop orders export",
        _f(
            order_id=("order id",),
            status=("order status",),
            product_id=("sku id",),
            sku=("seller sku",),
            product_name=("product name",),
            quantity=("quantity",),
            amount=("order amount",),
            refund_amount=("order refund amount",),
            shipping=("shipping fee after discount",),
            order_time=("created time",),
            paid_time=("paid time",),
            buyer_id=("buyer username",),
            region=("province",),
            channel=("fulfillment type",),
        ),
        required=(("order_id",), ("amount", "quantity")),
        markers=(
            "order substatus",
            "cancelation/return type",
            "normal or pre-order",
            "sku subtotal after discount",
            "sku platform discount",
            "order refund amount",
            "rts time",
        ),
    ),
    # Shopee Seller Centre → My Orders → Export (Order.all.*.xlsx): one row per item; Total Amount is the order's,
    # repeated on each item row. Headers: ComaGear/shopeesalescoverter …/ShopeeSalesOrderColumn.java (Shopee MY);
    # "Order Paid Time", "Username (Buyer)" and "Grand Total" are other markets' names, not confirmed by a file.
    Layout(
        "shopee_orders",
        "orders",
        "shopee",
        "Shopee orders export",
        _f(
            order_id=("order id",),
            status=("order status",),
            order_time=("order creation date",),
            paid_time=("order paid time",),
            sku=("sku reference no.",),
            product_name=("product name",),
            quantity=("quantity",),
            amount=("total amount", "grand total"),
            buyer_id=("username (buyer)",),
        ),
        required=(("order_id",), ("amount",)),
        markers=(
            "sku reference no.",
            "parent sku reference no.",
            "deal price",
            "variation name",
            "return / refund status",
            "order complete time",
            "estimated shipping fee",
            "shipping rebate estimate",
        ),
    ),
    # Lazada Seller Center → Orders → Export (.xlsx, sheet "sheet1"): one row per order item with its own
    # paidPrice (a public invoicing script sums paidPrice per orderNumber, so nothing is repeated per line).
    # Headers orderItemId, lazadaId, orderNumber, invoiceNumber, paidPrice, unitPrice, sellerDiscountTotal,
    # itemName, lazadaSku: that script (the index does not name its repository). createTime, sellerSku and status
    # are the same export's other columns as remembered, not confirmed by a file.
    Layout(
        "lazada_orders",
        "orders",
        "lazada",
        "Lazada orders export",
        _f(
            line_no=("orderitemid", "order item id"),
            order_id=("ordernumber", "order number"),
            order_time=("createtime", "created at"),
            status=("status",),
            sku=("sellersku", "seller sku"),
            product_id=("lazadasku", "lazada sku"),
            product_name=("itemname", "item name"),
            # What the buyer pays for the item, on unpaid and canceled rows too: status says whether it was paid.
            amount=("paidprice", "paid price"),
            shipping=("shippingfee", "shipping fee"),
        ),
        required=(("order_id",), ("amount",)),
        markers=("orderitemid", "lazadaid", "lazadasku", "paidprice", "unitprice", "sellerdiscounttotal"),
    ),
    # Etsy Shop Manager → Settings → Options → Download Data → Orders (EtsySoldOrders<year>.csv): one row per
    # order. Headers: YitongM/Etsy2ParcelMonkeyCSV Etsy2ParcelMonkeyCSV/Models/EtsyImportModel.cs and a public
    # fixture generator's 36-column list; "Sale Date" is M/D/YY. A sold order is a paid one: Order Total is what
    # the buyer paid (items − discount + shipping + tax); Status is empty on most rows.
    Layout(
        "etsy_sold_orders",
        "orders",
        "etsy",
        "Etsy sold orders",
        _f(
            order_time=("sale date",),
            order_id=("order id",),
            buyer_id=("buyer user id", "buyer"),
            quantity=("number of items",),
            currency=("currency",),
            paid_amount=("order total",),
            shipping=("shipping", "delivery"),
            status=("status",),
            region=("ship state", "delivery state"),
            promotion=("coupon code",),
        ),
        required=(("order_id",), ("paid_amount",)),
        markers=("number of items", "order value", "order net", "card processing fees", "adjusted order total"),
        date_order="mdy",  # Sale Date is M/D/YY (the fixture README's sources)
    ),
    # Etsy … Download Data → Order Items (EtsySoldOrderItems<year>.csv): one row per transaction (listing × order)
    # with its own Item Total; Order Shipping and Order Sales Tax are the order's, repeated, so they are not read.
    # Headers: a public fixture generator's 33-column list "verified against public code", matching the columns
    # a Ruby importer and a pandas notebook read (Sale Date, Item Name, Quantity, Price, Item Total, Order ID …).
    Layout(
        "etsy_sold_order_items",
        "orders",
        "etsy",
        "Etsy sold order items",
        _f(
            order_time=("sale date",),
            product_name=("item name",),
            buyer_id=("buyer",),
            quantity=("quantity",),
            paid_amount=("item total",),
            currency=("currency",),
            line_no=("transaction id",),
            product_id=("listing id",),
            paid_time=("date paid",),
            region=("ship state",),
            order_id=("order id",),
            sku=("sku",),
        ),
        required=(("order_id",), ("paid_amount",)),
        markers=("item name", "transaction id", "listing id", "date paid", "order shipping", "order sales tax"),
        date_order="mdy",  # Sale Date M/D/YY, Date Paid MM/DD/YYYY
    ),
    # WooCommerce → Analytics → Orders → Download: one row per order, Net sales after coupons and refunds.
    # Headers: woocommerce/woocommerce plugins/woocommerce/client/admin/client/analytics/report/orders/table.js
    # (getHeadersContent: Date, Order #, Status, Customer, Customer type, Product(s), Items sold, Coupon(s),
    # Net sales, Origin). The CSV's status values (slug or label) are not confirmed by a file.
    Layout(
        "woocommerce_orders",
        "orders",
        "woocommerce",
        "WooCommerce orders (Analytics)",
        _f(
            order_time=("date",),
            order_id=("order #",),
            status=("status",),
            buyer_id=("customer",),
            product_name=("product(s)",),
            quantity=("items sold",),
            amount=("net sales",),
            promotion=("coupon(s)",),
            channel=("origin", "attribution"),
        ),
        required=(("order_id",), ("amount",)),
        markers=("order #", "customer type", "items sold", "coupon(s)", "product(s)", "net sales"),
    ),
    # eBay Seller Hub → Orders → Download report (CSV): one row per order line, money with "$". Headers:
    # randomecho/shifted-sales-report README.md (the full export header). A blank line may precede the header and
    # a "N record(s) downloaded" / "Seller ID:" footer follow the rows (TOTALS_ROW_PATTERN drops them).
    Layout(
        "ebay_orders",
        "orders",
        "ebay",
        "eBay orders report",
        _f(
            order_id=("order number",),
            line_no=("transaction id",),
            order_time=("sale date",),
            paid_time=("paid on date",),
            buyer_id=("buyer username",),
            product_id=("item number",),
            product_name=("item title",),
            sku=("custom label",),
            quantity=("quantity",),
            amount=("total price",),
            shipping=("shipping and handling",),
            region=("ship to state", "buyer state"),
        ),
        required=(("order_id",), ("amount", "quantity")),
        markers=(
            "sales record number",
            "sold via promoted listings",
            "shipping and handling",
            "paid on date",
            "ebay collected tax",
            "feedback left",
            "custom label",
        ),
    ),
    # Shopee Seller Centre → Marketing Centre → Shopee Ads → Export (all ads, one row per ad over the chosen
    # period; Start Date / End Date are the ad's own schedule, not the report's days, so they are not read and
    # the period is the user's). The 30 columns in Portuguese (Nome do Anúncio … Despesas, ROAS Direto …): a
    # public dashboard's implementation notes; Indonesian names (Nama Iklan, Dilihat, Jumlah Klik, Konversi,
    # Omzet Penjualan, Biaya): a public Shopee-export processor (the index names neither repository). The English
    # names are the same columns as Shopee's English UI shows them, not confirmed by a file.
    Layout(
        "shopee_ads",
        "ads",
        "shopee",
        "Shopee Ads report",
        _f(
            campaign=("ad name", "nome do anúncio", "nama iklan"),
            campaign_type=("ads type", "tipos de anúncios"),
            product_id=("product id", "id do produto"),
            placement=("placement", "posicionamento"),
            impressions=("impression", "impressions", "impressões", "dilihat"),
            clicks=("clicks", "cliques", "jumlah klik"),
            conversions=("conversions", "conversões", "konversi"),
            units=("items sold", "itens vendidos"),
            revenue=("gmv", "omzet penjualan"),
            spend=("expense", "despesas", "biaya"),
        ),
        required=(("spend",),),
        markers=(
            "direct gmv",
            "direct roas",
            "direct acos",
            "cost per direct conversion",
            "bidding method",
            "product ctr",
            "ads type",
            "conversões diretas",
            "roas direto",
            "método de lance",
        ),
    ),
    # Microsoft Advertising → Reports → Download (CSV; also zipped): quoted "Report Name: …", "Report Time: …",
    # "Time Zone: …", "Rows: N" lines above the header and a "©YYYY Microsoft Corporation. All rights reserved."
    # line below the rows. TimePeriod is the row's day. Column names: the Reporting API's (segmentstream-com
    # _docs/datasources/microsoft-ads.md: TimePeriod, CampaignName, Spend …) and the UI's spaced ones
    # (MicrosoftDocs/Advertising-docs Advertising/adsua/bing-ads/hlp_BA_CONC_ReportFields.md). The preamble text
    # is from public parsers that skip it; its exact wording is not confirmed by a file.
    Layout(
        "microsoft_ads",
        "ads",
        "microsoft_ads",
        "Microsoft Advertising report",
        _f(
            date=("timeperiod", "time period", "gregoriandate", "gregorian date", "date"),
            currency=("currencycode", "currency code", "currency"),
            campaign_id=("campaignid", "campaign id"),
            campaign=("campaignname", "campaign name", "campaign"),
            ad_group=("adgroupname", "ad group name", "ad group"),
            keyword=("keyword",),
            search_term=("searchquery", "search term"),
            impressions=("impressions", "impr."),
            clicks=("clicks",),
            spend=("spend",),
            conversions=("conversions", "conv."),
            revenue=("revenue",),
        ),
        required=(("spend", "clicks", "impressions"),),
        markers=(
            "timeperiod",
            "time period",
            "campaignname",
            "accountname",
            "account name",
            "adgroupname",
            "averagecpc",
            "currencycode",
            "returnonadspend",
            "addistribution",
        ),
    ),
    # Amazon Ads → Reports → Sponsored Brands / Sponsored Display (CSV/XLSX): the Sponsored Products columns
    # with a 14-day attribution window ("14 Day Total Sales ") and columns SP reports never have (Cost type,
    # viewable impressions, new-to-brand, detail page views). ../shared/EXPORT_FORMATS.md §2.12 (columns logged
    # from real downloads). Which of the two reports a file is cannot be told from those columns alone.
    Layout(
        "amazon_sb_sd",
        "ads",
        "amazon",
        "Amazon Ads — Sponsored Brands / Sponsored Display report",
        _AMAZON_ADS,
        required=(("spend", "clicks"), ("date", "period_start")),
        markers=(*_AMAZON_SP_MARKERS, *_AMAZON_SB_SD_ONLY),
    ),
)

# ---- Competitors beyond price (issue 15): 生意参谋 竞争 exports and a hand-kept sheet of rivals' promotions.
# Every figure of these exports becomes one rival_metrics row (metric = the field's name below), read as a band
# by shopdata.ingest.bands: 生意参谋 shows rivals' money and visitors as ranges ("750万 ~ 1000万", "1% ~ 2.5%").
# Evidence (tests/fixtures/layouts/README.md, "Competitor exports"): the module paths 竞争 → 竞品分析 (关键指标对比,
# 入店搜索词 with 引流关键词 / 成交关键词, 入店来源), 竞店分析 and 流失竞品 / 流失竞店, and the figures 交易指数,
# 流量指数, 流失金额, 流失人数 from 生意参谋 how-to pages (https://www.qdjiaoyu.cn/dianshang/5114.html:
# 【生意参谋-竞争-流失竞店/流失竞品】, 流失金额, 流失人数; https://www.xhho.cn/read-69248.html: 竞店流失 / 流失金额;
# https://www.qdjiaoyu.cn/dianshang/4437.html: 【生意参谋-竞品分析-竞店】, 成交指数; https://www.lingtaoedu.com/4529.html
# and http://m.huobaoweishang.com/jingyan/56923.html: 交易指数, 流量指数). No public importer of the downloaded
# files was found: 搜索人气, 收藏人气, 加购人气, 支付转化指数, 流失率 and every column name of the download (统计日期,
# 店铺名称, 商品ID, 排名, 关键词, 流量来源, 访客占比) are [unverified], listed with the UI's wording.
RIVAL_METRICS: dict[str, tuple[str, ...]] = {
    # metric -> header names; a header claimed by an earlier metric is not read again.
    "trade_index": ("交易指数", "成交指数"),
    "traffic_index": ("流量指数",),
    "search_popularity": ("搜索人气",),
    "fav_popularity": ("收藏人气",),
    "cart_popularity": ("加购人气",),
    "conversion_index": ("支付转化指数",),
    "revenue": ("支付金额", "销售额", "交易金额"),
    "visitors": ("访客数", "访客人数", "入店访客数"),
    "search_users": ("搜索人数",),
    "buyers": ("支付买家数", "买家数"),
    "conversion_rate": ("支付转化率", "转化率"),
    "share": ("访客占比", "占比", "访客数占比"),
    "lost_revenue": ("流失金额",),
    "lost_visitors": ("流失人数",),
    "loss_rate": ("流失率",),
}
RIVAL_MONEY_METRICS = ("revenue", "lost_revenue")  # in the layout's currency (CNY); indices and counts have none
RIVAL_LOSS_METRICS = ("lost_revenue", "lost_visitors", "loss_rate")
# What a rival_metrics row is about: the finest dimension the file maps names it (else a whole rival shop).
RIVAL_GRAIN_ORDER = (
    ("keyword", "keyword"),
    ("source", "source"),
    *((metric, "loss") for metric in RIVAL_LOSS_METRICS),
    ("product_id", "product"),
    ("product_name", "product"),
)
_RIVAL = _f(
    date=("统计日期", "日期", "时间"),
    rival_shop=("店铺名称", "竞店", "店铺", "竞店名称"),
    product_id=("商品id", "竞品id", "宝贝id"),
    product_name=("商品名称", "竞品名称", "竞品", "宝贝名称", "商品"),
)
_RIVAL_KEYWORD = _f(
    keyword=("关键词", "搜索词", "入店搜索词", "引流关键词", "成交关键词"), keyword_rank=("排名", "序号")
)
_RIVAL_SOURCE = _f(source=("流量来源", "来源名称", "入店来源", "来源"))
_RIVAL_INDICES = ("交易指数", "成交指数", "流量指数", "搜索人气", "收藏人气", "加购人气", "支付转化指数")
_RIVAL_LOSS_NAMES = ("流失金额", "流失人数", "流失率")


def _rival_layout(
    name: str,
    title: str,
    fields: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    markers: tuple[str, ...],
    forbidden: tuple[str, ...] = (),
) -> Layout:
    """A 生意参谋 competitor export: its own columns, then every figure it may hold; at least one figure."""
    return Layout(
        name,
        "rival_metrics",
        "tmall",
        title,
        {**fields, **RIVAL_METRICS},
        required=(required, tuple(RIVAL_METRICS)),
        markers=markers,
        forbidden=forbidden,
        currency="CNY",
    )


_RIVAL_LAYOUTS: tuple[Layout, ...] = (
    # 竞品分析 → 入店搜索词 (引流关键词: 关键词, 访客数; 成交关键词: 关键词, 交易指数), one rival product per row.
    _rival_layout(
        "sycm_rival_keywords",
        "生意参谋 竞品分析 入店搜索词",
        {**_RIVAL, **_RIVAL_KEYWORD},
        ("keyword",),
        markers=("引流关键词", "成交关键词", "入店搜索词", *_RIVAL_INDICES),
    ),
    # 竞品分析 → 入店来源: the rival's traffic sources with 访客数 / 交易指数.
    _rival_layout(
        "sycm_rival_sources",
        "生意参谋 竞品分析 入店来源",
        {**_RIVAL, **_RIVAL_SOURCE},
        ("source",),
        markers=("入店来源", *_RIVAL_INDICES),
        forbidden=("关键词", "搜索词", "一级来源", "二级来源", "流量载体"),
    ),
    # 竞争 → 流失竞品 / 竞品识别 (顾客流失竞品推荐): products our visitors left for, with 流失金额 and 流失人数.
    _rival_layout(
        "sycm_rival_loss",
        "生意参谋 流失竞品",
        _RIVAL,
        ("lost_revenue", "lost_visitors"),
        markers=_RIVAL_LOSS_NAMES,
        forbidden=("关键词", "搜索词", "入店来源"),
    ),
    # 竞品分析 → 关键指标对比 (a rival product × day): 交易指数, 流量指数, 搜索人气 … with 支付金额 / 访客数 banded.
    _rival_layout(
        "sycm_rival_products",
        "生意参谋 竞品分析 关键指标对比",
        _RIVAL,
        ("product_id", "product_name"),
        markers=_RIVAL_INDICES,
        forbidden=("关键词", "搜索词", "入店来源", *_RIVAL_LOSS_NAMES),
    ),
    # 竞店分析 (a rival shop × day): 销售 (交易指数, 支付金额 banded) and 流量 (流量指数, 访客数 banded); its top items
    # load through sycm_rival_products (they name a product).
    _rival_layout(
        "sycm_rival_shops",
        "生意参谋 竞店分析",
        _RIVAL,
        ("rival_shop",),
        markers=_RIVAL_INDICES,
        forbidden=("关键词", "搜索词", "入店来源", "商品名称", "商品id", "宝贝名称", *_RIVAL_LOSS_NAMES),
    ),
    # The operators' own sheet of rivals' promotions (issue 15: "date, rival, product, method, discount, note");
    # no platform exports it, so its names are the and their usual Chinese words.
    Layout(
        "rival_promotions_sheet",
        "rival_promotions",
        "other",
        "Rivals' promotions sheet",
        _f(
            date=("date", "日期"),
            rival_shop=("rival", "competitor", "竞店", "竞品店铺", "店铺"),
            product_id=("product id", "商品id"),
            product_name=("product", "竞品", "商品", "商品名称"),
            method=("method", "promotion method", "推广方式", "促销方式", "活动方式", "方式"),
            discount=("discount", "优惠", "折扣", "优惠力度"),
            note=("note", "notes", "备注"),
        ),
        required=(("rival_shop", "product_name", "product_id"), ("method",)),
        markers=("推广方式", "促销方式", "活动方式", "promotion method"),
    ),
)


LAYOUTS: tuple[Layout, ...] = (
    # ---- ads
    Layout(
        "amazon_sp",
        "ads",
        "amazon",
        "Amazon Ads — Sponsored Products report",
        _AMAZON_ADS,
        required=(("spend", "clicks"), ("date", "period_start")),
        markers=_AMAZON_SP_MARKERS,
        forbidden=_AMAZON_SB_SD_ONLY,
    ),
    Layout(
        "google_ads",
        "ads",
        "google_ads",
        "Google Ads report",
        _GOOGLE_ADS,
        required=(("spend", "clicks", "impressions"),),
        markers=(
            "impr.",
            "avg. cpc",
            "cost / conv.",
            "conv. rate",
            "interactions",
            "currency code",
            "search impr. share",
            "campaign status",
            "ad group status",
            "keyword status",
            # zh-CN UI: Avg. CPC, Cost / conv., Currency code, Campaign status, Conv. value / cost
            "平均每次点击费用",
            "每次转化费用",
            "货币代码",
            "广告系列状态",
            "转化价值/费用",
        ),
        forbidden=("advertised asin",),
    ),
    Layout(
        "meta_ads",
        "ads",
        "meta",
        "Meta (Facebook) Ads Manager export",
        _META_ADS,
        required=(("spend",),),
        markers=(
            "amount spent",
            "reporting starts",
            "reach",
            "frequency",
            "ad set name",
            "xyz_campaign_id",
            "fb_campaign_id",
            "cpm (cost per 1,000 impressions)",
            "ctr (link click-through rate)",
            "spent",
            "approved_conversion",
            "result indicator",
        ),
    ),
    Layout(
        "tmall_wanxiangtai",
        "ads",
        "tmall",
        "天猫 万相台 / 直通车 报表",
        _WANXIANGTAI,
        required=(("spend",),),
        currency="CNY",
        markers=(
            "计划名字",
            "主体id",
            "主体类型",
            "实际投产比",
            "场景名字",
            "净成交金额",
            "平均点击花费",
            "千次展现花费",
            "投入产出比",
            "推广直接roi",
            "总roi",
            "点击转化率",
        ),
    ),
    Layout(
        "pdd_ads",
        "ads",
        "pdd",
        "拼多多 推广报表",
        _PDD_ADS,
        required=(("spend",),),
        currency="CNY",
        markers=(
            "推广场景",
            "出价方式",
            "净交易额",
            "结算投产比",
            "每笔成交花费",
            "成交花费",
            "千次曝光花费",
            "是否已删除",
        ),
    ),
    Layout(
        "generic_ads",
        "ads",
        "other",
        "Ad report (generic)",
        _f(
            date=("date", "day", "日期"),
            campaign=("campaign", "campaign name", "计划", "广告计划"),
            ad_group=("ad group", "广告组"),
            keyword=("keyword", "关键词"),
            impressions=("impressions", "展现", "曝光"),
            clicks=("clicks", "点击"),
            spend=("spend", "cost", "花费", "消耗"),
            conversions=("conversions", "orders", "成交笔数", "订单数"),
            revenue=("revenue", "sales", "成交金额", "销售额"),
            currency="currency",
        ),
        required=(("spend",), ("clicks", "impressions")),
        generic=True,
    ),
    # ---- traffic
    Layout(
        "sycm_sources",
        "traffic",
        "tmall",
        "生意参谋 流量来源",
        _f(
            date=("统计日期", "日期"),
            device=("流量载体",),
            # 流量来源 / 来源明细: the two-level form of the same report ([unverified] beyond issue 13's file).
            source_1=("一级来源", "来源", "流量来源"),
            source_2=("二级来源", "来源明细"),
            source_3=("三级来源",),
            source_4=("四级来源",),
            visitors=("访客数",),
            new_visitors=("新访客", "新访客数"),
            page_views=("浏览量",),
            product_visitors=("商品点击人数",),
            cart_users=("加购人数",),
            fav_users=("商品收藏人数", "收藏人数"),
            order_buyers=("下单买家数",),
            order_amount=("下单金额",),
            buyers=("支付买家数",),
            units=("支付件数",),
            revenue=("支付金额",),
        ),
        required=(("source_1",), ("visitors",)),
        currency="CNY",
        markers=("一级来源", "二级来源", "流量载体", "uv价值", "支付转化率"),
    ),
    Layout(
        "sycm_products",
        "traffic",
        "tmall",
        "生意参谋 商品效果",
        _f(
            date=("统计日期",),
            product_id=("商品id",),
            product_name=("商品名称",),
            visitors=("商品访客数",),
            page_views=("商品浏览量",),
            cart_users=("商品加购人数",),
            fav_users=("商品收藏人数",),
            order_buyers=("下单买家数",),
            order_amount=("下单金额",),
            buyers=("支付买家数",),
            units=("支付件数",),
            revenue=("支付金额",),
            refund=("成功退款金额",),
        ),
        required=(("product_id",), ("visitors", "revenue")),
        currency="CNY",
        markers=("商品访客数", "商品支付转化率", "访客平均价值", "商品加购人数", "主商品id"),
    ),
    Layout(
        "jd_sku",
        "traffic",
        "jd",
        "京东商智 商品明细",
        _f(
            date=("时间", "日期"),
            product_id=("sku", "spu"),
            product_name=("sku名称", "spu名称"),
            visitors=("商品访客数",),
            page_views=("商品浏览量",),
            cart_users=("加购客户数",),
            order_buyers=("下单客户数",),
            order_amount=("下单金额",),
            buyers=("成交客户数",),
            orders=("成交单量",),
            units=("成交商品件数",),
            revenue=("成交金额",),
            # Non-real-time files only (EXPORT_FORMATS 2.6); real-time ones have 取消订单金额 instead.
            refund=("取消及售后退款金额",),
        ),
        required=(("product_id",), ("visitors", "revenue")),
        currency="CNY",
        markers=("成交客户数", "成交单量", "件单价", "加购客户数", "sku名称"),
    ),
    Layout(
        "pdd_goods",
        "traffic",
        "pdd",
        "拼多多 商品数据",
        _f(
            date=("统计日期", "日期"),
            product_id=("商品id",),
            product_name=("商品名称",),
            visitors=("商品访客数",),
            page_views=("商品浏览量",),
            fav_users=("商品收藏用户数", "商品收藏数"),
            buyers=("成交买家数", "支付买家数"),
            orders=("成交订单数", "支付订单数"),
            units=("成交件数", "支付件数"),
            revenue=("成交金额", "支付金额"),
        ),
        required=(("product_id",), ("visitors",)),
        currency="CNY",
        markers=("商品收藏用户数", "成交订单数", "流量损失指数", "成团订单数", "同行成交转化率"),
    ),
    Layout(
        "shopify_sessions",
        "traffic",
        "shopify",
        "Shopify sessions report",
        _f(
            date=("day", "date", "hour", "week", "month"),
            source_1=("referrer source", "utm medium"),
            source_2=("referrer name", "utm source"),
            campaign=("utm campaign",),
            landing_page=("landing page path", "landing page url"),
            device=("device type",),
            visitors=("online store visitors",),
            sessions=("sessions",),
            cart_users=("sessions with cart additions",),
            checkout_sessions=("sessions that reached checkout",),
            orders=("sessions that completed checkout",),
            page_views=("pageviews",),
        ),
        required=(("sessions", "visitors"),),
        markers=(
            "online store visitors",
            "sessions with cart additions",
            "sessions that reached checkout",
            "sessions that completed checkout",
            "referrer source",
            "landing page type",
        ),
    ),
    Layout(
        "shopify_sales",
        "traffic",
        "shopify",
        "Shopify sales over time",
        _f(
            date=("day", "date", "week", "month"),
            orders=("orders",),
            revenue=("net sales", "total sales"),
            refund=("returns",),
        ),
        required=(("revenue",), ("date",)),
        markers=(
            "gross sales",
            "net sales",
            "shipping charges",
            "total sales",
            "discounts",
            "duties",
            "additional fees",
        ),
    ),
    Layout(
        "amazon_business",
        "traffic",
        "amazon",
        "Amazon Business Report — sales and traffic",
        _f(
            date=("date", "日期"),
            product_id=("(child) asin", "(子)asin", "(parent) asin", "(父)asin"),
            product_name=("title", "标题"),
            sessions=("sessions - total", "会话数 - 总计", "sessions"),
            page_views=("page views - total", "页面浏览量 - 总计", "page views"),
            units=("units ordered", "已订购商品数量"),
            orders=("total order items", "订单商品总数"),
            revenue=("ordered product sales", "已订购商品销售额"),
        ),
        required=(("sessions", "page_views"), ("revenue", "units")),
        markers=(
            "units ordered",
            "unit session percentage",
            "featured offer (buy box) percentage",
            "total order items",
            "order item session percentage",
            "(child) asin",
            "(子)asin",
        ),
        # EXPORT_FORMATS §2.11: the By Date report writes Date as M/D/YY (8/3/26) in the real files seen.
        date_order="mdy",
    ),
    Layout(
        "ga4_funnel",
        "traffic",
        "ga",
        "Google Analytics sessions and funnel rates",
        _f(
            date=("event_date", "date"),
            source_1=("medium", "session medium"),
            source_2=("source", "session source"),
            campaign=("campaign", "session campaign"),
            sessions=("user_sessions_count", "sessions"),
            cart_rate=("visit_to_cart",),
            checkout_rate=("visit_to_checkout",),
            purchase_rate=("visit_to_purchase",),
        ),
        required=(("sessions",), ("cart_rate", "checkout_rate", "purchase_rate")),
        markers=("visit_to_cart", "visit_to_checkout", "visit_to_purchase", "user_sessions_count"),
    ),
    Layout(
        "ga4_acquisition",
        "traffic",
        "ga",
        "Google Analytics traffic acquisition",
        _f(
            date=("date",),
            source_1=(
                "session primary channel group (default channel group)",
                "session default channel group",
                "first user default channel group",
                "session source / medium",
            ),
            landing_page=("landing page + query string", "landing page"),
            visitors=("total users", "active users", "users"),
            sessions=("sessions",),
            orders=("key events", "conversions", "ecommerce purchases", "transactions"),
            revenue=("total revenue", "purchase revenue"),
        ),
        required=(("sessions", "visitors"), ("source_1", "landing_page")),
        markers=(
            "engaged sessions",
            "engagement rate",
            "key events",
            "session primary channel group (default channel group)",
        ),
    ),
    Layout(
        "generic_traffic",
        "traffic",
        "other",
        "Traffic report (generic)",
        _f(
            date=("date", "day", "日期", "统计日期"),
            source_1=("source", "channel", "来源", "渠道", "traffic source"),
            visitors=("visitors", "访客数", "uv", "users"),
            sessions=("sessions",),
            page_views=("page views", "pv", "浏览量"),
            buyers=("buyers", "支付买家数", "买家数"),
            orders=("orders", "订单数"),
            revenue=("revenue", "sales", "支付金额", "销售额", "成交金额"),
            currency="currency",
        ),
        # 抖店 罗盘's 商品 / 流量 exports count 商品曝光人数 and 商品点击人数, never 访客数: without product_visitors
        # here such a file loaded as a product catalogue with its 成交金额, 成交件数 and 成交人数 left out.
        required=(("visitors", "sessions", "product_visitors"),),
        generic=True,
    ),
    # ---- events
    Layout(
        "taobao_userbehavior",
        "events",
        "taobao",
        "淘宝 用户行为日志 (UserBehavior)",
        _f(),
        required=(),
        headerless=(r"^\d+$", r"^\d+$", r"^\d+$", r"^(pv|buy|cart|fav)$", r"^\d{9,13}$"),
        positional=("user_id", "item_id", "category_id", "behavior", "event_time"),
        utc_offset_hours=8,
    ),
    Layout(
        "tianchi_mobile",
        "events",
        "taobao",
        "淘宝 移动端用户行为 (天池)",
        _f(
            user_id="user_id",
            item_id="item_id",
            behavior="behavior_type",
            category_id="item_category",
            event_time="time",
        ),
        required=(("user_id",), ("behavior",), ("event_time",)),
        markers=("user_geohash", "item_category", "behavior_type"),
        behavior_codes={"1": "view", "2": "fav", "3": "cart", "4": "purchase"},
    ),
    Layout(
        "ga_sessions",
        "events",
        "ga",
        "Google Analytics session hits (BigQuery extract)",
        _f(
            user_id="fullvisitorid",
            event_time="visitid",
            event_day="date",
            item_id="productsku",
            category_id="v2productcategory",
            behavior="ecommerceaction_type",
            source="channelgrouping",
            device="devicecategory",
        ),
        required=(("user_id",), ("behavior",), ("event_time", "event_day")),
        markers=("fullvisitorid", "channelgrouping", "ecommerceaction_type", "visitid"),
        behavior_codes={
            "1": "view",
            "2": "view",
            "3": "cart",
            "5": "checkout",
            "6": "purchase",
            "0": "",
            "4": "",
            "7": "",
            "8": "",
        },
    ),
    Layout(
        "generic_events",
        "events",
        "other",
        "Behaviour log (generic)",
        _f(
            user_id=("user_id", "userid", "user id", "用户id", "visitor_id", "customer_id", "uid"),
            item_id=("item_id", "itemid", "product_id", "商品id", "sku", "item"),
            category_id=("category_id", "categoryid", "category", "类目id", "类目"),
            behavior=(
                "behavior",
                "behavior_type",
                "behaviour",
                "event",
                "event_type",
                "event_name",
                "action",
                "行为",
                "行为类型",
            ),
            event_time=("timestamp", "event_time", "time", "datetime", "时间", "行为时间", "event_timestamp"),
            event_day=("date", "日期", "event_date"),
            source=("source", "channel", "来源"),
            device=("device", "platform", "设备"),
        ),
        required=(("user_id",), ("behavior",), ("event_time", "event_day")),
        generic=True,
    ),
    # ---- prices
    Layout(
        "taobao_price_scrape",
        "prices",
        "taobao",
        "淘宝/天猫 商品价格采集",
        _f(
            date=("update_time", "日期", "采集时间", "统计日期", "date"),
            product_id=("id", "商品id", "宝贝id", "item_id"),
            product_name=("title", "商品名称", "宝贝名称", "标题"),
            price=("price", "价格", "售价", "到手价"),
            list_price=("原价", "划线价"),
            sales=("sale_count", "销量", "月销量", "总销量"),
            comments=("comment_count", "评价数", "评论数"),
            shop=("店名", "店铺", "店铺名称", "shop"),
        ),
        required=(("price",), ("product_id", "product_name")),
        currency="CNY",
        markers=("店名", "sale_count", "comment_count", "update_time", "店铺名称"),
    ),
    Layout(
        "amazon_price_tracker",
        "prices",
        "amazon",
        "Amazon price history (ASIN tracker / Keepa)",
        _f(
            date=("date", "tracking date"),
            product_id=("asin",),
            product_name=("title",),
            price=("price", "buy box 🚚: current", "buy box: current", "new: current", "amazon: current"),
            list_price=("list price", "list price: current"),
            currency="currency",
            available=("available", "in stock"),
            sales=("bought in past month",),
            comments=("reviews: rating count", "reviews: review count"),
        ),
        required=(("price",), ("product_id",)),
        default_shop="Amazon",
        markers=("asin", "buy box 🚚: current", "sales rank: current"),
    ),
    Layout(
        "marketplace_price_list",
        "prices",
        "multi",
        "Price list per marketplace (MRP by channel)",
        _f(product_id=("sku",), product_name=("style id", "style", "catalog")),
        required=(("product_id",),),
        wide=(r"^(.+) mrp$", "price", "shop"),
        currency="INR",
        markers=("ajio mrp", "amazon mrp", "flipkart mrp", "myntra mrp"),
    ),
    Layout(
        "generic_prices",
        "prices",
        "other",
        "Price sheet (generic)",
        _f(
            date=("date", "日期", "时间", "day"),
            shop=("shop", "seller", "store", "marketplace", "店铺", "店名", "卖家"),
            product_id=("product_id", "product id", "item_id", "sku", "asin", "商品id", "id"),
            product_name=("product", "product name", "title", "name", "名称", "商品名称", "商品", "标题"),
            price=("price", "价格", "售价", "现价", "current price"),
            list_price=("list price", "原价", "mrp"),
            sales=("sales", "销量", "总销量", "sold"),
            comments=("reviews", "评价数", "comments"),
            currency="currency",
        ),
        required=(("price",), ("product_id", "product_name")),
        generic=True,
    ),
    # ---- orders
    Layout(
        "tmall_orders",
        "orders",
        "tmall",
        "天猫 订单报表",
        _f(
            order_id=("订单编号", "订单号"),
            amount=("总金额", "订单金额"),
            paid_amount=("买家实际支付金额", "实付金额"),
            region=("收货地址", "省份"),
            order_time=("订单创建时间", "创建时间", "下单时间"),
            paid_time=("订单付款时间", "付款时间"),
            refund_amount=("退款金额",),
            status=("订单状态",),
            buyer_id=("买家会员名", "买家id"),
            product_name=("宝贝标题", "商品名称"),
            quantity=("宝贝总数量", "购买数量"),
        ),
        required=(("order_id",), ("amount", "paid_amount")),
        currency="CNY",
        markers=("买家实际支付金额", "订单创建时间", "订单付款时间"),
    ),
    Layout(
        "amazon_orders",
        "orders",
        "amazon",
        "Amazon order report",
        _f(
            order_id=("order id", "amazon-order-id", "order-id"),
            order_time=("date", "purchase-date", "purchase date"),
            status=("status", "order-status"),
            channel=("fulfilment", "fulfillment-channel", "fulfillment"),
            sku=("sku",),
            product_id=("asin",),
            category=("category",),
            quantity=("qty", "quantity"),
            currency=("currency",),
            amount=("amount", "item-price"),
            region=("ship-state",),
            promotion=("promotion-ids",),
        ),
        required=(("order_id",), ("amount", "quantity")),
        markers=("ship-state", "promotion-ids", "fulfilled-by", "ship-service-level", "amazon-order-id"),
    ),
    Layout(
        "olist_orders",
        "orders",
        "olist",
        "Olist orders",
        _f(
            order_id="order_id",
            buyer_id="customer_id",
            status="order_status",
            order_time="order_purchase_timestamp",
            paid_time="order_approved_at",
        ),
        required=(("order_id",), ("order_time",)),
        currency="BRL",
        markers=("order_purchase_timestamp", "order_estimated_delivery_date", "order_status"),
    ),
    Layout(
        "olist_order_items",
        "orders",
        "olist",
        "Olist order items",
        _f(
            order_id="order_id",
            line_no="order_item_id",
            product_id="product_id",
            amount="price",
            shipping="freight_value",
        ),
        required=(("order_id",), ("line_no",), ("amount",)),
        currency="BRL",
        markers=("order_item_id", "freight_value", "shipping_limit_date", "seller_id"),
    ),
    Layout(
        "shopify_orders",
        "orders",
        "shopify",
        "Shopify orders export",
        _f(
            order_id=("name",),
            order_time=("created at",),
            paid_time=("paid at",),
            status=("financial status",),
            currency=("currency",),
            amount=("total",),
            refund_amount=("refunded amount",),
            quantity=("lineitem quantity",),
            product_name=("lineitem name",),
            sku=("lineitem sku",),
            shipping=("shipping",),
            region=("shipping province", "billing province"),
            channel=("source",),
            promotion=("discount code",),
            buyer_id=("email",),
        ),
        required=(("order_id",), ("order_time",)),
        markers=("financial status", "fulfillment status", "lineitem quantity", "lineitem name", "paid at"),
    ),
    *_WESTERN_EXPORTS,
    Layout(
        "generic_orders",
        "orders",
        "other",
        "Orders (generic)",
        _f(
            order_id=("order_id", "order id", "order number", "订单号", "订单编号", "订单id"),
            order_time=("order_time", "order date", "created", "created at", "date", "下单时间", "创建时间", "日期"),
            paid_time=("paid at", "payment time", "付款时间", "支付时间"),
            status=("status", "订单状态", "状态"),
            buyer_id=("customer", "customer_id", "buyer", "买家"),
            product_id=("product_id", "商品id", "asin"),
            sku=("sku",),
            quantity=("quantity", "qty", "数量"),
            amount=("amount", "total", "金额", "订单金额"),
            paid_amount=("paid", "实付金额", "支付金额"),
            currency="currency",
        ),
        required=(("order_id",), ("amount", "paid_amount", "quantity", "order_time")),
        generic=True,
    ),
    # ---- products
    Layout(
        "olist_products",
        "products",
        "olist",
        "Olist products",
        _f(product_id="product_id", category="product_category_name"),
        required=(("product_id",),),
        markers=("product_name_lenght", "product_weight_g", "product_photos_qty"),
    ),
    Layout(
        "tianchi_items",
        "products",
        "taobao",
        "淘宝 商品信息 (天池)",
        _f(product_id="item_id", category="item_category"),
        required=(("product_id",), ("category",)),
        markers=("item_geohash",),
    ),
    Layout(
        "generic_products",
        "products",
        "other",
        "Product catalogue (generic)",
        _f(
            product_id=("product_id", "product id", "item_id", "商品id", "asin", "id"),
            sku=("sku", "货号"),
            name=("title", "name", "product name", "商品名称", "名称"),
            category=("category", "类目"),
            price=("price", "价格"),
            currency="currency",
        ),
        required=(("product_id",), ("name", "category", "price")),
        generic=True,
    ),
    *_CN_LAYOUTS,
    *_RIVAL_LAYOUTS,
)

LAYOUTS_BY_NAME = {layout.name: layout for layout in LAYOUTS}


@dataclass(frozen=True)
class OrderExport:
    """What a platform's order export means by its columns, beyond their names (read by shopdata/metrics/orders.py).

    A row is paid when it has a payment time, a paid amount > 0, or one of `paid_statuses` (compared in
    lower case, trimmed). A line that says nothing about payment (no payment time, paid amount or status)
    takes its order's: Olist's order items carry money, its orders file the payment."""

    paid_statuses: tuple[str, ...] = ()
    # The export's money columns are the whole order's even on line rows (count once per order, never sum).
    money_per_order: bool = False
    # paid_amount is what the buyer paid after refunds (revenue before refunds = paid_amount + refund_amount).
    paid_after_refunds: bool = False
    # Each line row is one unit sold, and the export has no quantity column.
    line_is_unit: bool = False


ORDER_EXPORTS: dict[str, OrderExport] = {
    # Tianchi tmall_order_report.csv has no 订单状态: paid is 订单付款时间 / 买家实际支付金额 > 0. On every paid
    # order of that file 总金额 = 买家实际支付金额 + 退款金额 (5,132 fully refunded orders paid 0.0), so the paid
    # amount is net of refunds. The statuses are those of the 千牛 / 卖家中心 订单导出 that mean the buyer paid
    # (交易关闭 is left out: it closes unpaid orders as well as refunded ones).
    "tmall": OrderExport(
        paid_statuses=("买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"),
        paid_after_refunds=True,
    ),
    "taobao": OrderExport(
        paid_statuses=("买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"),
        paid_after_refunds=True,
    ),
    # Amazon Sale Report (amazon_india_seller_sales): one row per order line with its own Amount; the file's
    # statuses are Shipped, Shipped - Delivered to Buyer, Shipped - Returned to Seller, Shipped - Rejected by
    # Buyer (all charged) and Cancelled (not charged, Qty 0). Unshipped and PartiallyShipped are the Seller
    # Central order report's statuses of charged orders not yet (fully) shipped; Pending is not yet charged.
    "amazon": OrderExport(
        paid_statuses=(
            "shipped",
            "shipped - delivered to buyer",
            "shipped - returned to seller",
            "shipped - rejected by buyer",
            "unshipped",
            "partiallyshipped",
        ),
    ),
    # Olist: orders.csv holds status and order_approved_at (the payment's approval), order_items.csv one row
    # per unit with its price and freight. Statuses from olist_2017_subset/orders.csv; these follow approval
    # (3 delivered orders of the file lack order_approved_at). unavailable and canceled count only when approved.
    "olist": OrderExport(
        paid_statuses=("approved", "invoiced", "processing", "shipped", "delivered"),
        line_is_unit=True,
    ),
    # Shopify orders export: one row per line item; Total, Shipping, Refunded Amount, Financial Status and Paid
    # at are the order's, written on its first row only. Financial statuses of a charged order.
    "shopify": OrderExport(
        paid_statuses=("paid", "partially_paid", "partially_refunded", "refunded"),
        money_per_order=True,
    ),
    # 抖店: one row per 子订单 with its own payable amount; paid is the status (see douyin_orders). 已完成 and
    # 已关闭 are the statuses the public 抖店 script names; 待发货 / 已发货 are the order list's tabs
    # (抖音订单报表使用说明). 已关闭 (cancelled or refunded) and 待支付 are not paid.
    "douyin": OrderExport(paid_statuses=("待发货", "已发货", "已完成")),
    # 拼多多: 用户实付金额 > 0 says paid; the statuses cover rows where it is blank. [unverified] beyond 订单状态
    # existing: 待发货, 已发货，待收货 and 已签收 are the 订单查询 page's filters.
    "pdd": OrderExport(paid_statuses=("待发货", "已发货，待收货", "已签收")),
    # 京东 POP 订单导出: 订单金额 / 应付金额 / 运费金额 are the order's on each SKU line (see jd_orders). Statuses from a
    # public model of that export's 订单状态 (code index, repository not named): 等待出库, 等待确认收货, 完成 follow
    # payment; 锁定 (a cancellation or dispute under review) and the "(删除)…" rows of deleted or split orders are not
    # counted. 等待付款 (an unpaid online order) is [unverified].
    "jd": OrderExport(paid_statuses=("等待出库", "等待确认收货", "完成"), money_per_order=True),
    # 快手小店: 订单支付时间 says paid (see kuaishou_orders); the export's status texts are [unverified], so none is
    # listed. An order paid and later refunded keeps its payment time: it was charged.
    "kuaishou": OrderExport(),
    # TikTok Shop OrderSKUList: Order Amount / Order Refund Amount / shipping are the order's, on every SKU line.
    # Paid Time marks payment; without it these statuses follow payment (ComaGear/shopeesalescoverter
    # TikTokOrderStatus.java: To Ship, Shipped, Completed; Canceled is not charged; Unpaid awaits payment).
    "tiktok_shop": OrderExport(
        paid_statuses=(
            "to ship",
            "awaiting shipment",
            "awaiting collection",
            "shipped",
            "in transit",
            "delivered",
            "completed",
        ),
        money_per_order=True,
    ),
    # Shopee: Total Amount is the order's, repeated on each item row. ShopeeOrderStatus.java: To ship, Shipping,
    # Delivered, Order Received, Completed follow payment; Unpaid and Cancelled do not.
    "shopee": OrderExport(
        paid_statuses=("to ship", "shipping", "delivered", "order received", "completed"),
        money_per_order=True,
    ),
    # Lazada: each row is one item with its own paidPrice (summed per order). Payment is verified before an
    # order shows as pending (ssopdot.com/blog/9662.html: "verifies the payment, and the valid order is … displayed
    # on the Pending page"); unpaid and canceled orders were not charged. One row per unit, no quantity column.
    "lazada": OrderExport(
        paid_statuses=("pending", "ready_to_ship", "shipped", "delivered", "returned"),
        line_is_unit=True,
    ),
    # Etsy sold orders / order items: every row is a sale the buyer paid (Order Total / Item Total > 0);
    # each row's money is its own (an order's total on the orders file, a transaction's on the items file).
    "etsy": OrderExport(),
    # WooCommerce: processing and completed orders were charged (on-hold waits for a manual payment; pending,
    # failed and cancelled were never charged); a refunded order was charged before its refund.
    "woocommerce": OrderExport(paid_statuses=("processing", "completed", "refunded")),
    # eBay orders report: Paid On Date marks payment; Total Price is the line's (its order's on a one-item order).
    "ebay": OrderExport(),
}
# Input-only fields and what they feed.
INPUT_ONLY_FIELDS = {
    "period_start",
    "period_end",
    "event_day",
    "age",
    "gender",
    "interest",
    "cart_rate",
    "checkout_rate",
    "purchase_rate",
}
RATE_TO_COUNT = {"cart_rate": "cart_users", "checkout_rate": "checkout_sessions", "purchase_rate": "orders"}

# First cell of a totals row (checked case-insensitively on the first non-empty cell).
# 全部 alone (巨量千川's totals row) is one; 全部 before other words (a 全部商品 plan) is a name.
TOTALS_ROW_PATTERN = r"^\s*(合计|总计|汇总|全部合计|全部\s*$|total\b|totals\b|grand total|summary\b)"
# First cell of a notice line some exports put below the rows (skipped like a totals row, under its own reason):
# Microsoft Advertising's "©2026 Microsoft Corporation. All rights reserved." and eBay's "12 record(s) downloaded,
# from … to …" / "Seller ID : …".
NOTICE_ROW_PATTERN = r"^\s*(©|\d+ record\(s\) downloaded|seller id\s*:)"
# A source level written as one of these means "all of the level above" (a subtotal row); an ads name column
# (campaign, ad group, product …) written as one of them is a totals row of the file, not a campaign.
# 全部: 巨量千川's totals row in the 计划 column; 汇总 also heads 生意参谋's per-day total in the source column.
SUBTOTAL_WORDS = ("汇总", "合计", "总计", "全部", "all", "total")
# The ads columns that name one thing (a campaign, an ad, a product): written as a subtotal word, the row is the
# file's total. Placement, age, gender and interest are left out: "All" there is a real value (Shopee's "All"
# placements, Meta's "All" ages), and so are keywords and search terms, which a shopper may type as "all".
ADS_NAME_COLUMNS = ("campaign_id", "campaign", "ad_group", "ad_id", "ad_name", "product_id", "sku")

# How a Chinese-speaking user calls the reports whose title is English (the Chinese titles serve both).
TITLES_ZH: dict[str, str] = {
    "amazon_sp": "亚马逊广告 Sponsored Products 报告",
    "google_ads": "Google Ads 报告",
    "meta_ads": "Meta（Facebook）广告管理工具导出",
    "generic_ads": "推广报表（通用）",
    "shopify_sessions": "Shopify 会话报告",
    "shopify_sales": "Shopify 销售额趋势报告",
    "amazon_business": "亚马逊业务报告（销售与流量）",
    "ga4_funnel": "Google Analytics 会话与漏斗转化率",
    "ga4_acquisition": "Google Analytics 流量获取报告",
    "generic_traffic": "流量报表（通用）",
    "ga_sessions": "Google Analytics 会话点击（BigQuery 导出）",
    "generic_events": "行为日志（通用）",
    "amazon_price_tracker": "亚马逊价格历史（ASIN 追踪 / Keepa）",
    "marketplace_price_list": "各平台价格表（按渠道的标价）",
    "generic_prices": "价格表（通用）",
    "amazon_orders": "亚马逊订单报告",
    "olist_orders": "Olist 订单",
    "olist_order_items": "Olist 订单明细",
    "shopify_orders": "Shopify 订单导出",
    "tiktok_shop_orders": "TikTok Shop 订单导出",
    "shopee_orders": "Shopee（虾皮）订单导出",
    "lazada_orders": "Lazada 订单导出",
    "etsy_sold_orders": "Etsy 已售订单",
    "etsy_sold_order_items": "Etsy 已售订单明细",
    "woocommerce_orders": "WooCommerce 订单（Analytics）",
    "ebay_orders": "eBay 订单报告",
    "microsoft_ads": "Microsoft Advertising（必应广告）报告",
    "amazon_sb_sd": "亚马逊广告 Sponsored Brands / Sponsored Display 报告",
    "shopee_ads": "Shopee（虾皮）广告报告",
    "generic_orders": "订单（通用）",
    "olist_products": "Olist 商品",
    "generic_products": "商品目录（通用）",
    "rival_promotions_sheet": "竞品活动记录表",
}
LIST_SEPARATOR = {"en": ", ", "zh": "、"}

# Exports that come as several reports in one layout: Amazon names each Sponsored Products report after what
# its rows are split by, so the finest split among the fields a file maps names the report (first match;
# no fields listed: the one left, a report over time only).
REPORT_VARIANTS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "amazon_sp": (
        ("search_term", ("search_term",)),
        ("targeting", ("keyword",)),
        ("placement", ("placement",)),
        ("advertised_product", ("product_id", "sku")),
        ("campaign", ("campaign", "campaign_id")),
        ("performance_over_time", ()),
    ),
}
VARIANT_TITLES: dict[tuple[str, str], dict[str, str]] = {
    ("amazon_sp", "search_term"): {
        "en": "Amazon Ads — Sponsored Products Search term report",
        "zh": "亚马逊广告 Sponsored Products 搜索词报告",
    },
    ("amazon_sp", "targeting"): {
        "en": "Amazon Ads — Sponsored Products Targeting report",
        "zh": "亚马逊广告 Sponsored Products 投放报告",
    },
    ("amazon_sp", "placement"): {
        "en": "Amazon Ads — Sponsored Products Placement report",
        "zh": "亚马逊广告 Sponsored Products 广告位报告",
    },
    ("amazon_sp", "advertised_product"): {
        "en": "Amazon Ads — Sponsored Products Advertised product report",
        "zh": "亚马逊广告 Sponsored Products 推广的商品报告",
    },
    ("amazon_sp", "campaign"): {
        "en": "Amazon Ads — Sponsored Products Campaign report",
        "zh": "亚马逊广告 Sponsored Products 广告活动报告",
    },
    ("amazon_sp", "performance_over_time"): {
        "en": "Amazon Ads — Sponsored Products Performance over time report",
        "zh": "亚马逊广告 Sponsored Products 长期表现报告",
    },
}


def title_in(layout: Layout, language: str) -> str:
    return TITLES_ZH.get(layout.name, layout.title) if language == "zh" else layout.title


def report_variant(layout_name: str, fields: Iterable[str]) -> str | None:
    """Which of a layout's reports a file is, from the fields it maps (None: the layout is one report)."""
    mapped = set(fields)
    for variant, marks in REPORT_VARIANTS.get(layout_name, ()):
        if not marks or mapped & set(marks):
            return variant
    return None


def report_title(layout_name: str, fields: Iterable[str], language: str) -> str:
    """The report as its platform names it, in `language`: a layout's title, or the report of a layout that
    covers several (Amazon Sponsored Products). An unknown layout (an older version's) shows its name."""
    layout = LAYOUTS_BY_NAME.get(layout_name)
    if layout is None:
        return layout_name
    variant = report_variant(layout_name, fields)
    if variant is not None:
        titles = VARIANT_TITLES[(layout_name, variant)]
        return titles.get(language, titles["en"])
    return title_in(layout, language)


def export_list(wanted: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The platform reports a page can use, in English and 中文: a catalog entry for the page's empty state.

    `wanted` maps a kind to the fields a layout must map at least one of (empty: any layout of the kind).
    Generic sheets are left out: they are not an export anyone looks for by name."""
    chosen = [
        layout
        for layout in LAYOUTS
        if layout.kind in wanted
        and not layout.generic
        and (not wanted[layout.kind] or any(f in layout.fields for f in wanted[layout.kind]))
    ]
    return {
        language: separator.join(title_in(layout, language) for layout in chosen)
        for language, separator in LIST_SEPARATOR.items()
    }
