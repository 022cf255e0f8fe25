"""What header words mean, whatever the platform: canonical field -> its terms in Chinese and English.

This module is data plus the normaliser that reduces a header to a term. The layout table
(shopdata/ingest/layouts.py) holds each platform's exact names; this table holds meanings, and serves when
no layout fits a file (an unknown variant of a known report, a platform without a layout).

A term is written as `normalise_term` leaves it: NFKC, lower case, no bracketed part (units such as (元)
(￥) (MYR) (%) （元）, notes), `_` and `-` as spaces, no spaces next to Chinese, and without a 总 / 累计 /
total / cumulative prefix (those sum the same measure, so its meaning survives). 平均 / avg / average and
rates (…率, ctr, roi …) are not prefixes to strip: they are ratios, never a measure to sum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

# Prefixes that keep the measure: 总花费 is spend, 累计成交金额 is revenue, "total sales" is sales.
SUMMING_PREFIXES = ("累计", "总", "total ", "cumulative ")
# Headers that are ratios or averages of measures: recognised as understood, never mapped to a measure.
RATIO_PREFIXES = ("平均", "avg ", "avg. ", "average ", "人均", "单位")
RATIO_SUFFIXES = ("率", "占比", " rate", " %", " share", "单价", "价值")
RATIO_TERMS = frozenset(
    {
        "ctr",
        "cpc",
        "cpm",
        "cpa",
        "cvr",
        "roi",
        "roas",
        "acos",
        "投产比",
        "投入产出比",
        "客单价",
        "uv价值",
        "千次展现花费",
        "千次曝光花费",
        "每笔成交花费",
        "点击花费",
        "cost per click",
        "cost per conversion",
        "cost / conv.",
        "conv. rate",
    }
)

# Per kind of export, per canonical field, its terms (strongest first is not needed: any listed term is exact).
FIELD_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    "ads": {
        "date": ("日期", "时间", "统计日期", "date", "day"),
        "campaign_id": ("计划id", "campaign id", "广告计划id"),
        "campaign": ("计划", "计划名称", "计划名字", "推广计划", "广告计划", "campaign", "campaign name"),
        "campaign_type": ("场景", "推广场景", "营销场景", "campaign type", "推广类型"),
        "ad_group": ("单元", "推广单元", "单元名称", "广告组", "ad group", "ad set", "ad group name", "ad set name"),
        "ad_id": ("创意id", "广告id", "ad id"),
        "ad_name": ("创意", "创意名称", "广告名称", "ad", "ad name"),
        "keyword": ("关键词", "keyword", "targeting"),
        "match_type": ("匹配类型", "匹配方式", "match type"),
        "search_term": ("搜索词", "search term", "customer search term"),
        "product_id": ("商品id", "宝贝id", "skuid", "sku id", "product id", "asin", "item id"),
        "sku": ("sku", "商品编码", "货号"),
        "placement": ("广告位", "展示位置", "placement"),
        "impressions": (
            "展现",
            "展现数",
            "展现量",
            "曝光",
            "曝光数",
            "曝光量",
            "展示",
            "展示量",
            "impressions",
            "impr.",
        ),
        "clicks": ("点击", "点击数", "点击量", "点击次数", "clicks", "link clicks"),
        "spend": ("花费", "消耗", "费用", "推广费用", "推广花费", "cost", "spend", "spending", "amount spent", "spent"),
        "conversions": (
            "成交笔数",
            "成交订单数",
            "订单数",
            "订单行",
            "订单量",
            "成交单量",
            "orders",
            "conversions",
            "转化数",
        ),
        "purchases": ("购买次数", "购物次数", "purchases"),
        "revenue": (
            "成交金额",
            "订单金额",
            "gmv",
            "支付金额",
            "交易额",
            "销售额",
            "sales",
            "revenue",
            "conversion value",
            "conv. value",
        ),
        "units": ("成交件数", "商品件数", "units", "units sold"),
        "carts": ("加购", "加购数", "购物车数", "加购次数", "add to cart", "adds to cart"),
        "currency": ("币种", "货币", "currency", "currency code"),
    },
    "traffic": {
        "date": ("日期", "时间", "统计日期", "date", "day"),
        "device": ("终端", "设备", "流量载体", "device", "device type"),
        "source_1": ("来源", "流量来源", "渠道", "一级来源", "一级渠道", "source", "channel", "traffic source"),
        "source_2": ("二级来源", "二级渠道", "medium"),
        "source_3": ("三级来源",),
        "source_4": ("四级来源",),
        "campaign": ("活动", "campaign"),
        "landing_page": ("落地页", "landing page"),
        "product_id": ("商品id", "宝贝id", "skuid", "sku id", "sku", "product id", "item id", "asin"),
        "product_name": ("商品名称", "宝贝名称", "商品标题", "宝贝标题", "product", "product name", "title"),
        "visitors": ("访客", "访客数", "商品访客数", "uv", "visitors", "users", "unique visitors"),
        "sessions": ("会话", "会话数", "sessions", "visits"),
        "page_views": ("浏览量", "浏览次数", "商品浏览量", "pv", "page views", "pageviews", "views"),
        "new_visitors": ("新访客", "新访客数", "new visitors", "new users"),
        "product_visitors": ("商品点击人数", "商品点击用户数", "product detail views"),
        "checkout_sessions": ("结算会话数", "sessions that reached checkout", "checkout sessions"),
        "cart_users": ("加购人数", "加购客户数", "加购用户数", "add to cart users"),
        "fav_users": ("收藏人数", "收藏用户数", "商品收藏人数"),
        "order_buyers": ("下单买家数", "下单人数", "下单客户数"),
        "order_amount": ("下单金额",),
        "buyers": ("支付买家数", "成交买家数", "成交客户数", "成交人数", "买家数", "buyers", "customers"),
        "orders": ("订单", "订单数", "成交订单数", "支付订单数", "成交单量", "orders"),
        "units": ("支付件数", "成交件数", "成交商品件数", "销量", "units", "units sold", "units ordered"),
        "revenue": ("成交金额", "支付金额", "gmv", "销售额", "sales", "revenue", "net sales"),
        "refund": ("退款金额", "成功退款金额", "refund", "refunds", "returns"),
        "currency": ("币种", "货币", "currency", "currency code"),
    },
    "orders": {
        "order_id": ("订单号", "订单编号", "订单id", "子订单编号", "order id", "order number", "order no.", "order"),
        "line_no": ("行号", "line", "line no.", "line number", "order item id"),
        "order_time": (
            "下单时间",
            "创建时间",
            "订单创建时间",
            "order time",
            "order date",
            "created",
            "created at",
            "created time",
            "date",
        ),
        "paid_time": (
            "付款时间",
            "支付时间",
            "订单付款时间",
            "订单支付时间",
            "paid at",
            "paid time",
            "payment time",
            "paid date",
        ),
        "status": ("订单状态", "状态", "status", "order status"),
        "buyer_id": ("买家", "买家id", "买家昵称", "买家会员名", "buyer", "buyer id", "buyer username", "customer"),
        "product_id": ("商品id", "宝贝id", "skuid", "sku id", "product id", "item id", "asin"),
        "sku": ("sku", "seller sku", "商家编码", "商品编码", "sku编码", "货号"),
        "product_name": ("商品名称", "商品标题", "宝贝标题", "商品", "product name", "product", "item name", "title"),
        "category": ("类目", "品类", "category"),
        "quantity": ("数量", "件数", "购买数量", "商品数量", "成交数量", "订购数量", "quantity", "qty"),
        "amount": ("订单金额", "金额", "应付金额", "商品金额", "amount", "order amount", "order total", "total"),
        "paid_amount": (
            "实付金额",
            "实付款",
            "支付金额",
            "实收金额",
            "买家实付",
            "买家实付金额",
            "买家实际支付金额",
            "paid",
            "paid amount",
        ),
        "refund_amount": ("退款金额", "refund", "refund amount", "refunded amount"),
        "shipping": ("运费", "邮费", "shipping", "shipping fee", "shipping fee paid", "freight"),
        "currency": ("币种", "货币", "currency"),
        "region": ("省份", "省", "收货省份", "地区", "province", "state", "region", "ship state"),
        "channel": ("渠道", "订单来源", "channel", "sales channel"),
        "promotion": ("优惠", "优惠券", "promotion", "discount code"),
    },
    "products": {
        "product_id": ("商品id", "宝贝id", "product id", "item id", "id", "asin"),
        "sku": ("sku", "货号", "商家编码"),
        "name": ("商品名称", "名称", "标题", "title", "name", "product name"),
        "category": ("类目", "品类", "category"),
        "price": ("价格", "售价", "price"),
        "currency": ("币种", "货币", "currency"),
    },
    "prices": {
        "date": ("日期", "时间", "采集时间", "date"),
        "shop": ("店铺", "店名", "卖家", "shop", "store", "seller", "marketplace"),
        "product_id": ("商品id", "宝贝id", "product id", "item id", "sku", "asin"),
        "product_name": ("商品名称", "标题", "商品", "product", "product name", "title"),
        "price": ("价格", "售价", "现价", "到手价", "price", "current price"),
        "list_price": ("原价", "划线价", "list price", "mrp"),
        "sales": ("销量", "月销量", "sales", "sold"),
        "comments": ("评价数", "评论数", "reviews", "comments"),
        "currency": ("币种", "货币", "currency"),
        "available": ("有货", "库存状态", "available", "in stock"),
    },
    "events": {
        "user_id": ("用户id", "user id", "userid", "uid", "visitor id"),
        "item_id": ("商品id", "item id", "itemid", "product id"),
        "category_id": ("类目id", "category id", "category"),
        "behavior": ("行为", "行为类型", "behavior", "behaviour", "event", "event type", "event name", "action"),
        "event_time": ("时间", "行为时间", "time", "timestamp", "event time", "datetime"),
        "event_day": ("日期", "date", "event date"),
        "source": ("来源", "source", "channel"),
        "device": ("设备", "device"),
    },
}

# How sure a match is. A header equal to a term means it; with a summing prefix stripped it still does; a
# header that merely contains a term (推广花费明细, "spend usd net") is a guess the user must confirm.
EXACT, PREFIXED, CONTAINED = 1.0, 0.9, 0.5
STRONG = 0.8  # a match at least this sure is taken without asking

_BRACKETED = re.compile(r"\s*[(\[{（【［｛<《][^)\]}）】］｝>》]*[)\]}）】］｝>》]\s*")
_CJK = r"\u3400-\u9fff"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SEPARATORS = re.compile(r"[_\-–—/:：]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Term:
    text: str  # the header reduced to its meaning
    summed: bool = False  # a 总 / 累计 / total prefix was taken off
    ratio: bool = False  # an average or a rate of measures, never a measure to sum


def normalise_term(header: str) -> Term:
    """A header as a term: see the module's docstring for what is removed and why."""
    text = unicodedata.normalize("NFKC", header).lower()
    text = _BRACKETED.sub(" ", text)
    text = text.replace("￥", " ").replace("¥", " ").replace("%", " % ")
    ratio_sign = "%" in text
    text = _SEPARATORS.sub(" ", text.replace("%", " "))
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    ratio = ratio_sign or _is_ratio(text)
    summed = False
    for prefix in SUMMING_PREFIXES:
        rest = text[len(prefix) :].strip()
        if text.startswith(prefix) and len(rest) >= 2:
            text, summed = rest, True
            break
    return Term(text, summed, ratio or _is_ratio(text))


def _is_ratio(text: str) -> bool:
    return (
        text in RATIO_TERMS
        or text.startswith(RATIO_PREFIXES)
        or text.endswith(RATIO_SUFFIXES)
        or any(f" {t}" in f" {text}" for t in RATIO_TERMS if t.isascii() and len(t) > 3)
    )


def _contains_any(text: str, terms: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `terms`: an ASCII term as a whole word, another as a substring of 2+ characters."""
    words, others = _term_matchers(terms)
    return (words is not None and words.search(text) is not None) or any(t in text for t in others)


@cache  # a header row is located by scoring every cell of the first rows against every field's terms
def _term_matchers(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One pattern for a field's ASCII terms (each a whole word), and its other terms of 2+ characters."""
    words = [re.escape(t) for t in terms if t.isascii()]
    pattern = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(words)})(?![a-z0-9])") if words else None
    return pattern, tuple(t for t in terms if not t.isascii() and len(t) >= 2)


def score(term: Term, kind: str, field_name: str) -> float:
    """How surely a header (as a term) is `field_name` of a `kind` export: 0 when not at all."""
    known = FIELD_TERMS[kind].get(field_name, ())
    if term.ratio and field_name in measures(kind):
        return 0.0
    if term.text in known:
        return PREFIXED if term.summed else EXACT
    if _contains_any(term.text, tuple(known)):
        return CONTAINED
    return 0.0


def names_some_field_surely(term: Term) -> bool:
    """Whether some field of some kind scores `term` at least STRONG: a header an export surely uses.

    Only the fields whose terms hold the term's text exactly are asked: a term contained in another scores
    CONTAINED, below STRONG (tests/unit/ingest/test_terms.py compares this with asking every field). Asking every
    field (a regex search each) for every cell of a file's first rows, to find its header row, took 0.06 s of
    planning the bench's CSV (0.01 s this way)."""
    return any(score(term, kind, f) >= STRONG for kind, f in _fields_by_term().get(term.text, ()))


@cache
def _fields_by_term() -> dict[str, tuple[tuple[str, str], ...]]:
    """Each term's (kind, field) pairs, from FIELD_TERMS."""
    index: dict[str, list[tuple[str, str]]] = {}
    for kind, fields in FIELD_TERMS.items():
        for field_name, terms in fields.items():
            for text in terms:
                index.setdefault(text, []).append((kind, field_name))
    return {text: tuple(pairs) for text, pairs in index.items()}


@cache  # score() asks for every header × field of every kind; the schema does not change while running
def measures(kind: str) -> tuple[str, ...]:
    """The fields of a kind's table that hold summable numbers (from the schema, the one place for it)."""
    from shopdata.schema import TABLES

    terms = FIELD_TERMS.get(kind, {})  # the competitor kinds have none: only their own layouts read them
    return tuple(c.name for c in TABLES[kind].columns if c.type == "double" and c.name in terms)


@dataclass
class TermMatch:
    """A header row read by terms for one kind: what is taken, what is asked, what is left."""

    kind: str
    mapping: dict[str, int]  # field -> column, taken without asking
    scores: dict[str, float]  # field -> how sure (of the taken column)
    ambiguous: dict[str, list[int]]  # field -> the candidate columns, best first: the user decides
    ratios: list[int]  # columns understood as ratios (not loaded, not a measure left out)


def match_terms(headers: list[str], kind: str, needed: Collection[str] = ()) -> TermMatch:
    """Map each field of `kind` to the header that means it; a column serves one field. A field whose best
    columns are equally sure is ambiguous rather than guessed; so is one whose best column is only a guess,
    when the field is `needed` (another guessed column is not taken: `unmapped_measures` warns of a measure)."""
    terms = [normalise_term(h) if h.strip() else None for h in headers]
    table = {
        f: sorted(
            ((s, i) for i, t in enumerate(terms) if t is not None and (s := score(t, kind, f)) > 0),
            key=lambda pair: (-pair[0], pair[1]),
        )
        for f in FIELD_TERMS[kind]
    }
    mapping: dict[str, int] = {}
    scores: dict[str, float] = {}
    ambiguous: dict[str, list[int]] = {}
    claimed: set[int] = set()
    # Surest fields first, so an exact 支付金额 -> revenue is not taken away by a guess for another field.
    order = sorted(table, key=lambda f: -(table[f][0][0] if table[f] else 0))
    for field_name in order:
        ranked = [(s, i) for s, i in table[field_name] if i not in claimed]
        if not ranked:
            continue
        best = ranked[0][0]
        tied = [i for s, i in ranked if s == best]
        if best >= STRONG and len(tied) == 1:
            mapping[field_name] = tied[0]
            scores[field_name] = best
            claimed.add(tied[0])
        elif best >= STRONG or field_name in needed:
            ambiguous[field_name] = [i for _, i in ranked]
    # A column asked about for a field it is the only candidate of, but taken surely by another, is not asked.
    for field_name in list(ambiguous):
        ambiguous[field_name] = [i for i in ambiguous[field_name] if i not in claimed]
        if not ambiguous[field_name]:
            del ambiguous[field_name]
    ratios = [i for i, t in enumerate(terms) if t is not None and t.ratio and i not in claimed]
    return TermMatch(kind, mapping, scores, ambiguous, ratios)


def unmapped_measures(headers: list[str], kind: str, mapping: dict[str, int]) -> list[tuple[int, str]]:
    """(column, field) for each column that means, or seems to mean, a measure of `kind` the mapping leaves
    empty: loading without it would show that measure as missing although the file may have it."""
    taken = set(mapping.values())
    found = []
    for index, header in enumerate(headers):
        if index in taken or not header.strip():
            continue
        term = normalise_term(header)
        for field_name in measures(kind):
            if field_name not in mapping and score(term, kind, field_name) > 0:
                found.append((index, field_name))
                break
    return found
