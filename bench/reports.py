"""The report figures' two sides: a page module's report_records, and the same records from hand-written SQL.

Ours is what `python -m shopdata report NAME` does over the whole data range with the comparison
"previous": the CLI's scope (data_range, the main currency) and then `report_records`. The baseline
is one or two raw DuckDB queries per report that apply the same rules written directly in SQL:

* the store and the dates (a row counts when its whole window is inside the period);
* the currency: rows in the scope's currency, and rows without one whose platform's usual currency
  (the most common in its traffic and ads rows) is not another;
* traffic: only the top source level within each grain of a platform-day (a 汇总 row and its children
  are never added together); traffic and ads: each measure, per platform and day (and breakdown
  value), from the first grain in priority order that has it;
* ads: a campaign named only by its ID takes the name another report gives that ID;
* orders: a line is paid when it has a payment time, a paid amount > 0 or one of its platform's paid
  statuses, and a line saying nothing of payment takes its order's; a line lacking the order's day or buyer
  takes the order's; an order's money counts once (summed over its lines, or taken once where the export
  writes the order's money on every line); a paid amount net of refunds has the refund added back;
* products: one row per product ID across the product-grain traffic rows, the orders and the own shop's
  price tracks, with the classes' rules (shopdata/metrics/products.py's docstring) applied to the figures.

`same_records` compares the two; a difference stops the bench (a fast wrong answer is no figure).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

REPORTS = ("overview", "funnel", "traffic", "promotion", "prices", "orders", "products", "alerts")
PAGES = ("overview", "funnel", "traffic", "promotion", "prices", "orders", "products", "data")
COMPARE = "previous"

# The rules as data the SQL below spells out; kept here, apart from shopdata/, on purpose: the baseline
# must not reuse the code it checks.
TRAFFIC_PRIORITY = (
    "CASE grain WHEN 'shop' THEN 1 WHEN 'source' THEN 2 WHEN 'product' THEN 3 WHEN 'landing_page' THEN 4 END"
)
ADS_PRIORITY = (
    "CASE grain WHEN 'campaign' THEN 1 WHEN 'account' THEN 2 WHEN 'ad_group' THEN 3 WHEN 'product' THEN 4 "
    "WHEN 'ad' THEN 5 WHEN 'keyword' THEN 6 WHEN 'search_term' THEN 7 WHEN 'placement' THEN 8 END"
)
# What each platform's order export means by its columns (the 口径 of ORDER_METRICS): statuses of a paid
# order (compared trimmed, in lower case), paid amounts net of refunds, money written once per order on
# every line, a line per unit sold.
PAID_STATUSES = {
    "tmall": ("买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"),
    "taobao": ("买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"),
    "amazon": (
        "shipped",
        "shipped - delivered to buyer",
        "shipped - returned to seller",
        "shipped - rejected by buyer",
        "unshipped",
        "partiallyshipped",
    ),
    "olist": ("approved", "invoiced", "processing", "shipped", "delivered"),
    "shopify": ("paid", "partially_paid", "partially_refunded", "refunded"),
}
PAID_AFTER_REFUNDS = ("tmall", "taobao")
MONEY_PER_ORDER = ("shopify",)
LINE_IS_UNIT = ("olist",)
TOP_SHARE = 0.2  # 爆款: revenue among the top 20 % of products (rounded up)


# ---------------------------------------------------------------- ours


def cli_scope(backend, store: str | None = None):
    """The Scope and comparison Scope `python -m shopdata report` builds without --from/--to/--currency."""
    from shopdata.metrics.periods import Period, comparison_period
    from shopdata.metrics.query import Scope, currencies, data_range, for_currency

    earliest, latest = data_range(backend, store)
    if earliest is None or latest is None:
        raise ValueError(f"the store {store!r} has no data to report on")
    currency = next(iter(currencies(backend, store)), None)
    # As cmd_report: the platforms' currencies looked up once, carried by both scopes.
    scope = for_currency(backend, Scope(store, earliest, latest, currency))
    comparison = comparison_period(Period(earliest, latest), COMPARE)
    if comparison is None:
        raise ValueError(f"no {COMPARE!r} comparison period for {earliest} – {latest}")
    return scope, scope.shifted(comparison.start, comparison.end)


def scope_json(scope, compare_scope) -> dict:
    return {
        "store": scope.store,
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "compare_start": compare_scope.start.isoformat(),
        "compare_end": compare_scope.end.isoformat(),
        "currency": scope.currency,
    }


def ours(name: str, backend, scope, compare_scope) -> list[dict]:
    import importlib

    if name == "alerts":  # with the store's journal (activities, notes), as `report alerts` runs it
        from shopdata.reports import alert_records

        return alert_records(backend, scope, compare_scope, by=None, language="en")

    module = importlib.import_module(f"shopdata.metrics.{name}")
    return module.report_records(backend, scope, compare_scope, by=None, language="en")


# ---------------------------------------------------------------- the baseline: scope


def sql_scope(con, store: str) -> dict:
    """The CLI's default scope from raw SQL: every table's first and last day, the most common currency."""
    first, last = con.execute(
        """
        SELECT min(lo), max(hi) FROM (
            SELECT min(date) lo, max(end_date) hi FROM traffic WHERE store = $store
            UNION ALL SELECT min(date), max(end_date) FROM ads WHERE store = $store
            UNION ALL SELECT min(event_date), max(event_date) FROM events WHERE store = $store
            UNION ALL SELECT min(date), max(end_date) FROM prices WHERE store = $store
            UNION ALL SELECT min(order_date), max(order_date) FROM orders WHERE store = $store)""",
        {"store": store},
    ).fetchone()
    currency = con.execute(
        """
        SELECT currency FROM (SELECT currency FROM traffic WHERE store = $store
                              UNION ALL SELECT currency FROM ads WHERE store = $store)
        WHERE currency IS NOT NULL GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1""",
        {"store": store},
    ).fetchone()
    days = (last - first).days + 1
    compare_end = first - timedelta(days=1)
    return {
        "store": store,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "compare_start": (compare_end - timedelta(days=days - 1)).isoformat(),
        "compare_end": compare_end.isoformat(),
        "currency": currency[0] if currency else None,
    }


def _query(con, sql: str, scope: dict) -> list[tuple]:
    """Run `sql` with the scope's values bound to the $names it uses (DuckDB refuses unused ones)."""
    values = _params(scope)
    used = set(re.findall(r"\$([a-z]+)", sql))
    return con.execute(sql, {k: v for k, v in values.items() if k in used}).fetchall()


def _params(scope: dict) -> dict:
    return {
        "store": scope["store"],
        "start": date.fromisoformat(scope["start"]),
        "end": date.fromisoformat(scope["end"]),
        "cstart": date.fromisoformat(scope["compare_start"]),
        "cend": date.fromisoformat(scope["compare_end"]),
        "cur": scope["currency"],
    }


# Each platform's usual currency, and the rows of a table `t` the scope's currency keeps.
_CURRENCY_CTES = """
platform_currency AS (
    SELECT platform, arg_max(currency, n) AS currency
    FROM (SELECT platform, currency, count(*) AS n
          FROM (SELECT platform, currency FROM traffic WHERE store = $store AND currency IS NOT NULL
                UNION ALL SELECT platform, currency FROM ads WHERE store = $store AND currency IS NOT NULL
                UNION ALL SELECT platform, currency FROM orders WHERE store = $store AND currency IS NOT NULL)
          GROUP BY platform, currency)
    GROUP BY platform),
other_currency AS (SELECT platform FROM platform_currency WHERE currency <> $cur)"""


def _in_currency(t: str) -> str:
    return (
        f"($cur IS NULL OR {t}.currency = $cur OR ({t}.currency IS NULL AND "
        f"{t}.platform NOT IN (SELECT platform FROM other_currency)))"
    )


def _first_grain(measure: str, priority: str) -> str:
    """The measure from the first grain, in priority order, that has it (grains outside the order do not count)."""
    return f"arg_min({measure}, {priority}) FILTER (WHERE {measure} IS NOT NULL AND {priority} IS NOT NULL)"


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _change(now, before) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before)


# ---------------------------------------------------------------- the baseline: the five reports


def _overview(con, scope: dict) -> list[dict]:
    """KPI totals of the period and of the previous period: one traffic query and one ads query for both."""
    period = (
        "CASE WHEN date >= $start AND end_date <= $end THEN 'now' "
        "WHEN date >= $cstart AND end_date <= $cend THEN 'before' END"
    )
    traffic = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES},
        rows AS (
            SELECT {period} AS period, platform, date, end_date, grain, source_level,
                   coalesce(visitors, sessions) AS visitors, coalesce(buyers, orders) AS buyers,
                   coalesce(orders, buyers) AS orders, revenue
            FROM traffic t WHERE store = $store AND {_in_currency("t")}),
        top_level AS (
            SELECT *, min(source_level) OVER (PARTITION BY period, platform, date, end_date, grain) AS top
            FROM rows WHERE period IS NOT NULL),
        per_grain AS (
            SELECT period, platform, date, end_date, grain, sum(visitors) AS visitors, sum(buyers) AS buyers,
                   sum(orders) AS orders, sum(revenue) AS revenue
            FROM top_level WHERE source_level IS NULL OR source_level = top
            GROUP BY period, platform, date, end_date, grain),
        per_day AS (
            SELECT period, {_first_grain("visitors", TRAFFIC_PRIORITY)} AS visitors,
                   {_first_grain("buyers", TRAFFIC_PRIORITY)} AS buyers,
                   {_first_grain("orders", TRAFFIC_PRIORITY)} AS orders,
                   {_first_grain("revenue", TRAFFIC_PRIORITY)} AS revenue
            FROM per_grain GROUP BY period, platform, date, end_date)
        SELECT period, sum(revenue), sum(visitors), sum(buyers), sum(orders) FROM per_day GROUP BY period""",
        scope,
    )
    ads = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES},
        per_grain AS (
            SELECT {period} AS period, platform, date, end_date, grain, sum(spend) AS spend, sum(revenue) AS revenue
            FROM ads a WHERE store = $store AND {_in_currency("a")}
            GROUP BY ALL HAVING period IS NOT NULL),
        per_day AS (
            SELECT period, {_first_grain("spend", ADS_PRIORITY)} AS spend,
                   {_first_grain("revenue", ADS_PRIORITY)} AS revenue
            FROM per_grain GROUP BY period, platform, date, end_date)
        SELECT period, sum(spend), sum(revenue) FROM per_day GROUP BY period""",
        scope,
    )
    values: dict[str, dict] = {"now": {}, "before": {}}
    for period, revenue, visitors, buyers, orders in traffic:
        values[period].update(revenue=revenue, visitors=visitors, buyers=buyers, orders=orders)
    for period, spend, ad_revenue in ads:
        values[period].update(spend=spend, ad_revenue=ad_revenue)
    for v in values.values():
        v["conversion_rate"] = _ratio(v.get("buyers"), v.get("visitors"))
        v["aov"] = _ratio(v.get("revenue"), v.get("buyers"))
        v["roas"] = _ratio(v.get("ad_revenue"), v.get("spend"))
    now, before = values["now"], values["before"]
    return [
        {
            "metric": m,
            "value": now.get(m),
            "previous": before.get(m),
            "change": _change(now.get(m), before.get(m)),
            "source": "ads" if m in ("spend", "roas") else "traffic",  # the bench store has a traffic report
        }
        for m in ("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov", "spend", "roas")
    ]


def _funnel(con, scope: dict) -> list[dict]:
    """Distinct users per behaviour (dedupe, then count), then the stage rates."""
    users = dict(
        _query(
            con,
            """
        SELECT behavior, count(*) FROM (
            SELECT DISTINCT user_id, behavior FROM events
            WHERE store = $store AND event_date >= $start AND event_date <= $end
              AND user_id IS NOT NULL AND behavior IS NOT NULL)
        GROUP BY behavior""",
            scope,
        )
    )
    if not users:
        raise ValueError("the bench's funnel baseline expects events in the scope")
    stages = ["view", "cart", *(["checkout"] if users.get("checkout") else []), "purchase"]
    records, first, previous = [], users.get(stages[0], 0), None
    for stage in stages:
        n = users.get(stage, 0)
        records.append(
            {
                "stage": stage,
                "users": n,
                "rate_from_previous": None if previous is None else _ratio(n, previous),
                "rate_from_start": _ratio(n, first),
            }
        )
        previous = n
    if users.get("fav"):
        rate = _ratio(users["fav"], first)
        records.append(
            {"stage": "favorite", "users": users["fav"], "rate_from_previous": rate, "rate_from_start": rate}
        )
    return records


def _traffic(con, scope: dict) -> list[dict]:
    """Level-1 sources: the top source level of each grain, the first grain per day, summed per source."""
    rows = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES},
        top_level AS (
            SELECT platform, date, end_date, grain, source_level, source_1,
                   coalesce(visitors, sessions) AS visitors, coalesce(buyers, orders) AS buyers, revenue,
                   min(source_level) OVER (PARTITION BY platform, date, end_date, grain) AS top
            FROM traffic t
            WHERE store = $store AND date >= $start AND end_date <= $end AND source_1 IS NOT NULL
              AND {_in_currency("t")}),
        per_grain AS (
            SELECT platform, date, end_date, source_1, grain, sum(visitors) AS visitors, sum(buyers) AS buyers,
                   sum(revenue) AS revenue
            FROM top_level WHERE source_level IS NULL OR source_level = top
            GROUP BY platform, date, end_date, source_1, grain),
        per_day AS (
            SELECT source_1, {_first_grain("visitors", TRAFFIC_PRIORITY)} AS visitors,
                   {_first_grain("buyers", TRAFFIC_PRIORITY)} AS buyers,
                   {_first_grain("revenue", TRAFFIC_PRIORITY)} AS revenue
            FROM per_grain GROUP BY platform, date, end_date, source_1)
        SELECT source_1, sum(visitors), sum(buyers), sum(revenue) FROM per_day GROUP BY source_1""",
        scope,
    )
    total = sum(r[1] for r in rows if r[1] is not None) if any(r[1] is not None for r in rows) else None
    rows.sort(key=lambda r: (r[1] is None, -(r[1] or 0), r[0]))
    return [
        {
            "source": source,
            "visitors": visitors,
            "buyers": buyers,
            "revenue": revenue,
            "conversion_rate": _ratio(buyers, visitors),
            "share": visitors / total if total and total > 0 and visitors is not None else None,
        }
        for source, visitors, buyers, revenue in rows
    ]


def _promotion(con, scope: dict) -> list[dict]:
    """Per platform and campaign: each measure from the campaign grain, or the first finer grain that has it."""
    measures = ("spend", "impressions", "clicks", "conversions", "revenue")
    rows = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES},
        id_names AS (
            SELECT store, platform, campaign_id, max(campaign) AS name FROM ads
            WHERE campaign IS NOT NULL AND campaign_id IS NOT NULL GROUP BY store, platform, campaign_id),
        per_grain AS (
            SELECT a.platform, a.date, a.end_date, coalesce(a.campaign, n.name, a.campaign_id) AS campaign, a.grain,
                   {", ".join(f"sum(a.{m}) AS {m}" for m in measures)}
            FROM ads a LEFT JOIN id_names n
              ON n.store = a.store AND n.platform = a.platform AND n.campaign_id = a.campaign_id
            WHERE a.store = $store AND a.date >= $start AND a.end_date <= $end AND {_in_currency("a")}
            GROUP BY ALL HAVING campaign IS NOT NULL AND a.platform IS NOT NULL),
        per_day AS (
            SELECT platform, campaign, {", ".join(f"{_first_grain(m, ADS_PRIORITY)} AS {m}" for m in measures)}
            FROM per_grain GROUP BY platform, date, end_date, campaign)
        SELECT platform, campaign, {", ".join(f"sum({m})" for m in measures)}
        FROM per_day GROUP BY platform, campaign ORDER BY platform, campaign""",
        scope,
    )
    return [
        {
            "platform": platform,
            "campaign": campaign,
            "spend": spend,
            "impressions": impressions,
            "clicks": clicks,
            "conversions": conversions,
            "revenue": revenue,
            "ctr": _ratio(clicks, impressions),
            "cpc": _ratio(spend, clicks),
            "cpa": _ratio(spend, conversions),
            "roas": _ratio(revenue, spend),
        }
        for platform, campaign, spend, impressions, clicks, conversions, revenue in rows
    ]


# The price observations: the scope's price rows in the compared currency, each track's latest title, and
# day × shop × product with the lowest price of the day.
_PRICE_CTES = """
in_scope AS (
    SELECT * FROM prices WHERE store = $store AND date >= $start AND end_date <= $end),
price_currency AS (
    SELECT CASE WHEN EXISTS (SELECT 1 FROM in_scope WHERE currency = $cur) THEN $cur
                ELSE (SELECT currency FROM in_scope WHERE currency IS NOT NULL
                      GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1) END AS currency),
tracked AS (
    SELECT date, shop, nullif(trim(product_name), '') AS product_name, price,
           nullif(trim(product_id), '') AS product_id,
           coalesce(nullif(trim(product_id), ''), nullif(trim(product_name), '')) AS product
    FROM in_scope, price_currency c
    WHERE price IS NOT NULL AND shop IS NOT NULL
      AND (c.currency IS NULL OR in_scope.currency = c.currency OR in_scope.currency IS NULL)),
latest AS (
    SELECT shop, product, arg_max(product_name, (date, product_name)) AS name
    FROM tracked WHERE product_name IS NOT NULL AND product IS NOT NULL GROUP BY shop, product),
daily AS (
    SELECT date, shop, product, min(price) AS price, max(product_id) AS product_id FROM tracked
    WHERE product IS NOT NULL GROUP BY date, shop, product)"""


def _prices(con, scope: dict) -> list[dict]:
    """Observations (day × shop × product, the lowest price of the day) with each track's latest title."""
    rows = _query(
        con,
        f"""
        WITH {_PRICE_CTES}
        SELECT d.date, d.shop, d.product, coalesce(l.name, d.product), d.price
        FROM daily d LEFT JOIN latest l ON l.shop = d.shop AND l.product = d.product
        ORDER BY d.date, d.shop, d.product""",
        scope,
    )
    return [
        {"date": day.isoformat(), "shop": shop, "product": product, "product_name": name, "price": price}
        for day, shop, product, name, price in rows
    ]


def _sql_texts(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _order_ctes() -> str:
    """order_rows: the scope's order rows with each row's product key and paid flag; order_lines: each row
    with its order's day, paid flag and buyer where it lacks them, its money and units."""
    paid_status = " ".join(
        f"WHEN '{platform}' THEN lower(trim(o.status)) IN ({_sql_texts(statuses)})"
        for platform, statuses in PAID_STATUSES.items()
    )
    return f"""
order_rows AS (
    SELECT o.*, coalesce(o.product_id, o.sku, o.product_name) AS product,
           (o.paid_time IS NOT NULL OR o.paid_amount IS NOT NULL OR o.status IS NOT NULL) AS states_payment,
           (o.paid_time IS NOT NULL OR coalesce(o.paid_amount, 0) > 0
            OR coalesce(CASE o.platform {paid_status} END, false)) AS own_paid
    FROM orders o WHERE o.store = $store AND {_in_currency("o")}),
order_lines AS (
    SELECT platform, order_id, product, refund_amount, platform IN ({_sql_texts(MONEY_PER_ORDER)}) AS per_order,
           min(order_date) OVER w AS day,
           CASE WHEN states_payment THEN own_paid ELSE bool_or(own_paid) OVER w END AS paid,
           coalesce(buyer_id, max(buyer_id) OVER w) AS buyer_id,
           coalesce(CASE WHEN platform IN ({_sql_texts(PAID_AFTER_REFUNDS)}) THEN paid_amount + coalesce(refund_amount, 0)
                         ELSE paid_amount END, amount) AS money,
           coalesce(quantity, CASE WHEN platform IN ({_sql_texts(LINE_IS_UNIT)}) AND grain = 'line' THEN 1.0 END) AS units
    FROM order_rows WINDOW w AS (PARTITION BY platform, order_id))"""


def _orders_per(con, scope: dict, key: str) -> list[tuple]:
    """Per `key` (day or product) of the orders placed in the period: orders, paid orders, revenue, refund,
    units, buyers (None without buyer IDs). An order is counted once per key value it has lines of."""
    return _query(
        con,
        f"""
        WITH {_CURRENCY_CTES}, {_order_ctes()},
        parts AS (
            SELECT {key} AS key, min(day) AS day, bool_or(paid) AS paid, max(buyer_id) AS buyer_id,
                   CASE WHEN bool_or(per_order) THEN max(CASE WHEN paid THEN money ELSE money * 0 END)
                        ELSE sum(CASE WHEN paid THEN money ELSE money * 0 END) END AS revenue,
                   CASE WHEN bool_or(per_order) THEN max(refund_amount) ELSE sum(refund_amount) END AS refund,
                   sum(CASE WHEN paid THEN units ELSE units * 0 END) AS units
            FROM order_lines GROUP BY platform, order_id, {key})
        SELECT key, count(*), count(*) FILTER (WHERE paid), sum(revenue), sum(refund), sum(units),
               CASE WHEN bool_or(buyer_id IS NOT NULL) THEN count(DISTINCT buyer_id) FILTER (WHERE paid) END
        FROM parts WHERE day >= $start AND day <= $end AND key IS NOT NULL GROUP BY key ORDER BY key""",
        scope,
    )


def _orders(con, scope: dict) -> list[dict]:
    """`report orders`: one record per day of the orders placed in the period."""
    return [
        {
            "date": day.isoformat(),
            "orders": placed,
            "paid_orders": paid,
            "revenue": revenue,
            "refund": refund,
            "net_revenue": revenue - refund if revenue is not None and refund is not None else None,
            "buyers": buyers,
            "aov": _ratio(revenue, paid),
            "units": units,
        }
        for day, placed, paid, revenue, refund, units, buyers in _orders_per(con, scope, "day")
    ]


def _products(con, scope: dict) -> list[dict]:
    """`report products`: the product-grain traffic rows, the orders and the own shop's price tracks joined by
    product ID, classified. The bench store has neither product-grain ad rows nor saved settings, titles
    shared across IDs nor products without an ID; the baseline refuses data that has them (it spells only the
    rules the bench exercises)."""
    in_traffic = "store = $store AND date >= $start AND end_date <= $end AND product_id IS NOT NULL"
    traffic = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES},
        top_level AS (
            SELECT platform, date, end_date, grain, source_level, product_id,
                   coalesce(visitors, sessions) AS visitors, page_views, product_visitors, cart_users,
                   coalesce(buyers, orders) AS buyers,
                   min(source_level) OVER (PARTITION BY platform, date, end_date, grain) AS top
            FROM traffic t WHERE {in_traffic} AND {_in_currency("t")}),
        per_grain AS (
            SELECT platform, date, end_date, product_id, grain, sum(visitors) AS visitors, sum(page_views) AS page_views,
                   sum(product_visitors) AS product_visitors, sum(cart_users) AS cart_users, sum(buyers) AS buyers
            FROM top_level WHERE source_level IS NULL OR source_level = top
            GROUP BY platform, date, end_date, product_id, grain),
        per_day AS (
            SELECT product_id,
                   {
            ", ".join(
                f"{_first_grain(m, TRAFFIC_PRIORITY)} AS {m}"
                for m in ("visitors", "page_views", "product_visitors", "cart_users", "buyers")
            )
        }
            FROM per_grain GROUP BY platform, date, end_date, product_id),
        names AS (
            SELECT product_id, max(product_name) AS name FROM traffic t
            WHERE {in_traffic} AND product_name IS NOT NULL AND {_in_currency("t")} GROUP BY product_id)
        SELECT p.product_id, n.name, sum(visitors), sum(page_views), sum(product_visitors), sum(cart_users),
               sum(buyers)
        FROM per_day p LEFT JOIN names n ON n.product_id = p.product_id GROUP BY p.product_id, n.name""",
        scope,
    )
    sold = {row[0]: row[1:] for row in _orders_per(con, scope, "product")}
    order_names = _query(
        con,
        f"""
        WITH {_CURRENCY_CTES}, {_order_ctes()}
        SELECT product, product_id IS NOT NULL OR sku IS NOT NULL, max(product_name) FROM order_rows
        WHERE order_date >= $start AND order_date <= $end AND product IS NOT NULL GROUP BY ALL""",
        scope,
    )
    own_prices = _query(
        con,
        f"""
        WITH {_PRICE_CTES},
        tracks AS (
            SELECT shop, product, arg_max(price, date) AS price, arg_max(product_id IS NOT NULL, date) AS has_id
            FROM daily GROUP BY shop, product),
        rivals AS (
            SELECT o.product, median(t.price) AS median
            FROM tracks o JOIN tracks t ON t.product = o.product AND t.shop <> o.shop
            WHERE o.shop = $store GROUP BY o.product)
        SELECT o.product, o.has_id, coalesce(l.name, o.product), o.price, o.price / nullif(r.median, 0)
        FROM tracks o LEFT JOIN latest l ON l.shop = o.shop AND l.product = o.product
        LEFT JOIN rivals r ON r.product = o.product
        WHERE o.shop = $store""",
        scope,
    )
    product_ads = _query(
        con,
        "SELECT count(*) FROM ads WHERE store = $store AND "
        "coalesce(nullif(trim(product_id), ''), nullif(trim(sku), '')) IS NOT NULL",
        scope,
    )[0][0]
    saved = _query(con, "SELECT count(*) FROM settings WHERE store = $store", scope)[0][0]
    if product_ads or saved or any(not has_id for _, has_id, _ in order_names):
        raise ValueError("the bench's products baseline expects no product-grain ads, settings or products without ID")

    def clean(name):
        return name.strip() or None if isinstance(name, str) else None

    names: dict[str, dict[str, str | None]] = {}
    for key, name, *_ in traffic:
        names.setdefault(key, {})["traffic"] = clean(name)
    for key, _, name in order_names:
        names.setdefault(key, {}).setdefault("orders", clean(name))
    for key, _, name, *_ in own_prices:
        names.setdefault(key, {})["prices"] = clean(name)
    titles: dict[str, set[str]] = {}
    for key, by_source in names.items():
        for name in by_source.values():
            if name is not None:
                titles.setdefault(name, set()).add(key)
    if any(len(keys) > 1 for keys in titles.values()):
        raise ValueError("the bench's products baseline expects no title shared by products of different IDs")

    seen = {key: figures for key, _, *figures in traffic}
    priced = {key: (price, index) for key, _, _, price, index in own_prices}
    rows = []
    for key in {*seen, *sold, *priced}:
        by_source = names.get(key, {})
        name = next((by_source[s] for s in ("traffic", "orders", "prices") if by_source.get(s) is not None), None)
        visitors, _views, _product_visitors, _carts, traffic_buyers = seen.get(key, (None,) * 5)
        if key in sold:
            _placed, _paid, revenue, refund, units, order_buyers = sold[key]
        else:  # an order export lists every sale: a product it does not list sold nothing
            revenue = refund = units = order_buyers = 0.0
        rows.append(
            {
                "product_id": key,
                "product_name": name,
                "visitors": visitors,
                "buyers": traffic_buyers if traffic_buyers is not None else order_buyers,
                "conversion_rate": traffic_buyers / visitors if traffic_buyers is not None and visitors else None,
                "units": units,
                "revenue": revenue,
                "refund": refund,
                "spend": None,  # no product-grain ad rows
                "roas": None,
                "profit": None,  # revenue × margin − ad spend, and the spend is unknown
                "price_index": priced.get(key, (None, None))[1],
            }
        )
    _classify(rows)
    rows.sort(
        key=lambda r: (
            r["revenue"] is None,
            -(r["revenue"] or 0),
            r["visitors"] is None,
            -(r["visitors"] or 0),
            r["product_name"] is None,
            r["product_name"] or "",
        )
    )
    return rows


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _classify(rows: list[dict]) -> None:
    """The classes of products.py's docstring: 爆款 best_seller, 潜力款 potential, 引流款 traffic_driver, 滞销
    slow_mover, loss_making; "regular" when some rule could judge and none matched, None when none could."""
    revenues = sorted((r["revenue"] for r in rows if r["revenue"] is not None), reverse=True)
    top = math.ceil(TOP_SHARE * len(revenues))
    cut = revenues[top - 1] if top else None
    conversion = _median([r["conversion_rate"] for r in rows if r["conversion_rate"] is not None])
    visitors = _median([r["visitors"] for r in rows if r["visitors"] is not None])
    for r in rows:
        rev, conv, vis, profit = r["revenue"], r["conversion_rate"], r["visitors"], r["profit"]
        judged, found = False, []
        if rev is not None and conv is not None:
            judged = True
            if rev > 0 and cut is not None and rev >= cut and conversion is not None and conv >= conversion:
                found.append("best_seller")
        if conv is not None and vis is not None:
            judged = True
            if conv > conversion and vis < visitors:
                found.append("potential")
            if vis > visitors and conv < conversion:
                found.append("traffic_driver")
        if vis is not None and rev is not None:
            judged = True
            if vis > 0 and rev == 0:
                found.append("slow_mover")
        if profit is not None:
            judged = True
            if profit < 0:
                found.append("loss_making")
        r["class"] = ", ".join(found) if found else ("regular" if judged else None)


# ---------------------------------------------------------------- the baseline: alerts (every KPI and segment)

# What `report alerts` judges, as data apart from shopdata/metrics/alerts.py and baseline.py (see their
# docstrings): the traffic report's KPIs at store level and per source, product and platform, the ad KPIs at store
# level and per campaign and platform, the order-export KPIs at store level. ALERTS_COVERED says which of ours'
# records are compared with it: all of them.
ALERT_WEEKS = 8  # the weekday's ratios over the 8 weeks before the day
ALERT_MIN_WEEKS = 2  # fewer ratios: not judged
ALERT_LEVEL_DAYS = 14  # the level: the mean of the last 14 days with a value before the day
ALERT_MIN_WINDOW_DAYS = 4  # a 7-day mean (centred, or the level) needs 4 days with a value
ALERT_HISTORY_DAYS = 7 * ALERT_WEEKS + 3  # the oldest ratio's centred week reaches 3 days further back
ALERT_K = 3.0  # expected ± 3σ
ALERT_MAD_TO_SIGMA = 1.4826
ALERT_MIN_RELATIVE_WIDTH = 0.10
ALERT_MAX_SEGMENTS = 50  # the largest segments by revenue (ads: spend) over the days looked at


@dataclass(frozen=True)
class AlertTable:
    measures: tuple[str, ...]
    metrics: tuple[str, ...]
    size: str
    dimensions: dict[str, str]


# table -> its daily measures, the KPIs judged (each measure or ratio), the measure segments are sized by and its
# dimensions (-> the column; the store level has none)
ALERT_TABLES: dict[str, AlertTable] = {
    "traffic": AlertTable(
        measures=("visitors", "buyers", "orders", "revenue"),
        metrics=("revenue", "visitors", "buyers", "orders", "conversion_rate", "aov"),
        size="revenue",
        dimensions={"source": "source_1", "product": "product_id", "platform": "platform"},
    ),
    "ads": AlertTable(
        measures=("spend", "clicks", "impressions", "ad_revenue"),
        metrics=("spend", "roas", "cpc", "ctr"),
        size="spend",
        dimensions={"campaign": "campaign", "platform": "platform"},
    ),
    "orders": AlertTable(
        measures=("order_count", "paid_orders", "order_revenue", "order_refund"),
        metrics=("order_revenue", "order_count", "paid_orders", "order_aov", "order_refund"),
        size="order_revenue",
        dimensions={},
    ),
}
# ratio -> (numerator, denominator, the count it needs on a day to be history and, expected, to be judged, least)
ALERT_RATIOS = {
    "conversion_rate": ("buyers", "visitors", "buyers", 20),
    "aov": ("revenue", "buyers", "buyers", 20),
    "roas": ("ad_revenue", "spend", "clicks", 50),
    "cpc": ("spend", "clicks", "clicks", 50),
    "ctr": ("clicks", "impressions", "impressions", 1000),
    "order_aov": ("order_revenue", "paid_orders", "paid_orders", 20),
}
ALERT_COUNTS = ("visitors", "buyers", "orders", "clicks", "impressions", "order_count", "paid_orders")
# metric -> its money impact per unit of (actual − expected), over the day's actual measures (a_<measure>) and
# expected ones (e_<measure>)
ALERT_IMPACT = {
    "revenue": "1",
    "visitors": "e_revenue / nullif(e_visitors, 0)",
    "buyers": "e_revenue / nullif(e_buyers, 0)",
    "orders": "e_revenue / nullif(e_orders, 0)",
    "conversion_rate": "a_visitors * (e_revenue / nullif(e_buyers, 0))",
    "aov": "a_buyers",
    "spend": "-1",
    "roas": "a_spend",
    "cpc": "-a_clicks",
    "ctr": "a_impressions * (e_ad_revenue / nullif(e_clicks, 0))",
    "order_revenue": "1",
    "order_count": "e_order_revenue / nullif(e_order_count, 0)",
    "paid_orders": "e_order_revenue / nullif(e_paid_orders, 0)",
    "order_aov": "a_paid_orders",
    "order_refund": "-1",
}
ALERTS_COVERED = {
    "metrics": tuple(m for t in ALERT_TABLES.values() for m in t.metrics),
    "dimensions": ("store", *{d for t in ALERT_TABLES.values() for d in t.dimensions}),
}


def comparable(name: str, records: list[dict]) -> list[dict]:
    """The records of report `name` the baseline reproduces, in an order both sides agree on. For alerts: those
    of ALERTS_COVERED, ordered by |impact| to 9 significant digits, then date and key — two alerts whose impacts
    are the same sum added up in another order (one ulp apart) are a tie on both sides."""
    if name != "alerts":
        return records
    covered = [
        r
        for r in records
        if r["metric"] in ALERTS_COVERED["metrics"] and r["dimension"] in ALERTS_COVERED["dimensions"]
    ]
    return sorted(
        covered,
        key=lambda r: (
            r["impact"] is None,
            -float(f"{abs(r['impact'] or 0):.9g}"),
            r["date"],
            f"{r['date']}|{r['metric']}|{r['dimension']}|{r['segment']}",
        ),
    )


def _alert_daily_ctes() -> str:
    """per_day_<table>: dimension, segment, date and the table's measures, one row per day a segment has rows
    (the rules of _overview, _traffic, _promotion and _orders_per), from ALERT_HISTORY_DAYS before the period."""
    since = f"$start - {ALERT_HISTORY_DAYS}"
    traffic = ALERT_TABLES["traffic"]
    t_measures = traffic.measures
    t_sums = ", ".join(f"sum({m}) AS {m}" for m in t_measures)

    def first_grain(measures, priority: str) -> str:
        return ", ".join(f"{_first_grain(m, priority)} AS {m}" for m in measures)

    t_parts = [
        f"""SELECT 'store' AS dimension, '' AS segment, date, {t_sums}
            FROM (SELECT date, {first_grain(t_measures, TRAFFIC_PRIORITY)} FROM (
                SELECT platform, date, grain, {t_sums} FROM t_top WHERE source_level IS NULL OR source_level = top
                GROUP BY platform, date, grain) GROUP BY platform, date) GROUP BY date"""
    ]
    for dimension, column in traffic.dimensions.items():
        t_parts.append(
            f"""SELECT '{dimension}', segment, date, {t_sums}
            FROM (SELECT date, segment, {first_grain(t_measures, TRAFFIC_PRIORITY)} FROM (
                SELECT platform, date, grain, CAST({column} AS VARCHAR) AS segment, {t_sums} FROM t_top
                WHERE (source_level IS NULL OR source_level = top) AND {column} IS NOT NULL
                GROUP BY platform, date, grain, {column}) GROUP BY platform, date, segment) GROUP BY segment, date"""
        )
    a_measures = ("spend", "clicks", "impressions", "revenue")
    a_sums = ", ".join(f"sum({m}) AS {m}" for m in a_measures)
    a_out = ", ".join(f"sum({m}) AS {n}" for m, n in zip(a_measures, ALERT_TABLES["ads"].measures, strict=True))
    a_parts = [
        f"""SELECT 'store' AS dimension, '' AS segment, date, {a_out}
            FROM (SELECT date, {first_grain(a_measures, ADS_PRIORITY)} FROM (
                SELECT platform, date, grain, {a_sums} FROM a_rows GROUP BY platform, date, grain)
                GROUP BY platform, date) GROUP BY date"""
    ]
    for dimension, column in ALERT_TABLES["ads"].dimensions.items():
        a_parts.append(
            f"""SELECT '{dimension}', segment, date, {a_out}
            FROM (SELECT date, segment, {first_grain(a_measures, ADS_PRIORITY)} FROM (
                SELECT platform, date, grain, CAST({column} AS VARCHAR) AS segment, {a_sums} FROM a_rows
                WHERE {column} IS NOT NULL GROUP BY platform, date, grain, {column})
                GROUP BY platform, date, segment) GROUP BY segment, date"""
        )
    union = "\n            UNION ALL "
    return f"""
        {_CURRENCY_CTES}, {_order_ctes()},
        t_top AS (
            SELECT platform, date, grain, source_level, {", ".join(traffic.dimensions.values())},
                   coalesce(visitors, sessions) AS visitors, coalesce(buyers, orders) AS buyers, orders, revenue,
                   min(source_level) OVER (PARTITION BY platform, date, end_date, grain) AS top
            FROM traffic t
            WHERE store = $store AND date >= {since} AND end_date <= $end AND date = end_date
              AND {_in_currency("t")}),
        per_day_traffic AS ({union.join(t_parts)}),
        id_names AS (
            SELECT store, platform, campaign_id, max(campaign) AS name FROM ads
            WHERE campaign IS NOT NULL AND campaign_id IS NOT NULL GROUP BY store, platform, campaign_id),
        a_rows AS (
            SELECT a.platform, a.date, a.grain, coalesce(a.campaign, n.name, a.campaign_id) AS campaign,
                   {", ".join(f"a.{m}" for m in a_measures)}
            FROM ads a LEFT JOIN id_names n
              ON n.store = a.store AND n.platform = a.platform AND n.campaign_id = a.campaign_id
            WHERE a.store = $store AND a.date >= {since} AND a.end_date <= $end AND a.date = a.end_date
              AND {_in_currency("a")}),
        per_day_ads AS ({union.join(a_parts)}),
        o_parts AS (
            SELECT min(day) AS day, bool_or(paid) AS paid,
                   CASE WHEN bool_or(per_order) THEN max(CASE WHEN paid THEN money ELSE money * 0 END)
                        ELSE sum(CASE WHEN paid THEN money ELSE money * 0 END) END AS revenue,
                   CASE WHEN bool_or(per_order) THEN max(refund_amount) ELSE sum(refund_amount) END AS refund
            FROM order_lines GROUP BY platform, order_id),
        per_day_orders AS (
            SELECT 'store' AS dimension, '' AS segment, day AS date, count(*) AS order_count,
                   count(*) FILTER (WHERE paid) AS paid_orders, sum(revenue) AS order_revenue, sum(refund) AS order_refund
            FROM o_parts WHERE day >= {since} AND day <= $end GROUP BY day)"""


def _alert_series_ctes(table: str) -> str:
    """grid_<t>: every day × judged segment of the table (a segment without rows on a day the store has the measure
    counts zero), and series_<t>: one row per segment, KPI and day with its value and its value as history."""
    spec = ALERT_TABLES[table]
    measures = spec.measures
    ratios = [m for m in spec.metrics if m in ALERT_RATIOS]
    zero_filled = ", ".join(f"coalesce(p.{m}, CASE WHEN s.{m} IS NOT NULL THEN 0 END) AS {m}" for m in measures)

    def ratio(m: str) -> str:
        numerator, denominator, volume, least = ALERT_RATIOS[m]
        return (
            f"{numerator} / nullif({denominator}, 0) AS {m}, "
            f"CASE WHEN {volume} >= {least} THEN {numerator} / nullif({denominator}, 0) END AS h_{m}"
        )

    columns = [f"{m}, {m} AS h_{m}" for m in measures] + [ratio(m) for m in ratios]
    pairs = ", ".join(f"({m}, h_{m}) AS {m}" for m in (*measures, *ratios))
    return f"""
        seg_{table} AS (
            SELECT dimension, segment FROM (
                SELECT dimension, segment, row_number() OVER (
                    PARTITION BY dimension ORDER BY coalesce(sum({spec.size}), 0) DESC, segment) AS n
                FROM per_day_{table} GROUP BY dimension, segment)
            WHERE n <= {ALERT_MAX_SEGMENTS}),
        grid_{table} AS (
            SELECT g.dimension, g.segment, d.date, {zero_filled}
            FROM seg_{table} g CROSS JOIN days d
            LEFT JOIN per_day_{table} p ON p.dimension = g.dimension AND p.segment = g.segment AND p.date = d.date
            LEFT JOIN (SELECT * FROM per_day_{table} WHERE dimension = 'store') s ON s.date = d.date),
        series_{table} AS (
            SELECT dimension, segment, metric, date, value, hvalue
            FROM (SELECT dimension, segment, date, {", ".join(columns)} FROM grid_{table})
            UNPIVOT INCLUDE NULLS ((value, hvalue) FOR metric IN ({pairs})))"""


def _alerts(con, scope: dict) -> list[dict]:
    """`report alerts`: every KPI of ALERT_TABLES the store has, at store level and per segment of the 50 largest
    of each dimension, from ALERT_HISTORY_DAYS before the period; each day × segment of a day the store has data
    for counted as zero where the segment has no row. The method (ratio to moving average): a day's ratio is its
    history value ÷ the mean of the 7 days centred on it (4 at least with a value); the weekday factor the median
    of the same weekday's ratios over the 8 weeks before the day (2 at least), the level the mean of the last 14
    history values before the day (4 at least); expected = level × factor, half-width 3 × 1.4826 × the ratios' MAD
    × level, at least 10% of the expected and, for counts, 3·√expected. A ratio's history holds only days with
    enough volume, and it is judged only where that volume is expected. The days outside the range with their money
    impact, a segment's alert repeating the store's dropped, largest |impact| first. The bench store records no
    activities or notes; the baseline refuses a store that has them.

    One query. Each fact is aggregated to day × segment once (per_day_<table>), spread on the grid of every day ×
    judged segment and unpivoted to one series per segment and KPI, which holds every day of the period and its
    history: the centred means, the levels and the 8 weekly lags are then window functions over that small table
    (the level: the mean over the last 14 values up to a day — a RANGE frame over the running count of values —
    taken from the day before), and the KPIs the store has are a filter in the same query."""
    journal = _query(
        con,
        "SELECT (SELECT count(*) FROM activities WHERE store = $store) + "
        "(SELECT count(*) FROM notes WHERE store = $store)",
        scope,
    )[0][0]
    if journal:
        raise ValueError("the bench's alerts baseline expects a store without activities or notes")
    tables = list(ALERT_TABLES)
    e_cols = sorted({m for t in tables for m in ALERT_TABLES[t].measures})
    a_cols = ("visitors", "buyers", "spend", "clicks", "impressions", "paid_orders")
    volume_of = {m: v for m, (_, _, v, _) in ALERT_RATIOS.items()}
    metrics = [m for t in ALERT_TABLES.values() for m in t.metrics]
    # metric -> the measures the store must have in the period for it to be judged (a ratio: its two)
    parts = ", ".join(f"('{m}', '{p}')" for m in metrics for p in (ALERT_RATIOS[m][:2] if m in ALERT_RATIOS else (m,)))
    partition = "PARTITION BY dimension, segment, metric"
    lags = ", ".join(f"lag(ratio, {7 * w}) OVER daily" for w in range(1, ALERT_WEEKS + 1))
    rows = _query(
        con,
        "WITH "
        + _alert_daily_ctes()
        + f""",
        days AS (
            SELECT CAST(d AS DATE) AS date
            FROM range(CAST($start - {ALERT_HISTORY_DAYS} AS TIMESTAMP), CAST($end + 1 AS TIMESTAMP),
                       INTERVAL 1 DAY) r(d)),"""
        + ",".join(_alert_series_ctes(t) for t in tables)
        + f""",
        series AS ({" UNION ALL ".join(f"SELECT * FROM series_{t}" for t in tables)}),
        present AS (
            SELECT DISTINCT metric FROM series
            WHERE dimension = 'store' AND date BETWEEN $start AND $end AND value IS NOT NULL),
        judged AS (
            SELECT k.metric FROM (VALUES {parts}) k(metric, part) LEFT JOIN present p ON p.metric = k.part
            GROUP BY k.metric HAVING count(p.metric) = count(*)),
        with_ratio AS (
            SELECT *, CASE WHEN count(hvalue) OVER centred >= {ALERT_MIN_WINDOW_DAYS}
                           THEN hvalue / nullif(avg(hvalue) OVER centred, 0) END AS ratio,
                      count(hvalue) OVER daily AS valued
            FROM series
            WINDOW daily AS ({partition} ORDER BY date),
                   centred AS (daily ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING)),
        with_recent AS (
            SELECT *, CASE WHEN count(hvalue) OVER recent >= {ALERT_MIN_WINDOW_DAYS}
                           THEN avg(hvalue) OVER recent END AS recent_mean
            FROM with_ratio
            WINDOW recent AS ({partition} ORDER BY valued
                              RANGE BETWEEN {ALERT_LEVEL_DAYS - 1} PRECEDING AND CURRENT ROW)),
        lagged AS (
            SELECT dimension, segment, metric, date, value AS actual, lag(recent_mean) OVER daily AS level,
                   list_filter([{lags}], x -> x IS NOT NULL) AS ratios
            FROM with_recent
            WINDOW daily AS ({partition} ORDER BY date)),
        ranges AS (
            SELECT *, level * factor AS expected, greatest(
                       {ALERT_K} * {ALERT_MAD_TO_SIGMA} * level
                           * list_aggregate(list_transform(ratios, x -> abs(x - factor)), 'median'),
                       {ALERT_MIN_RELATIVE_WIDTH} * abs(level * factor),
                       CASE WHEN metric IN ({_sql_texts(ALERT_COUNTS)})
                            THEN {ALERT_K} * sqrt(greatest(level * factor, 0)) ELSE 0 END) AS half
            FROM (SELECT *, list_aggregate(ratios, 'median') AS factor FROM lagged
                  WHERE date BETWEEN $start AND $end)),
        judged_ranges AS (SELECT * FROM ranges WHERE len(ratios) >= {ALERT_MIN_WEEKS} AND level IS NOT NULL),
        values_of AS (
            SELECT dimension, segment, date,
                   {", ".join(f"max(expected) FILTER (WHERE metric = '{m}') AS e_{m}" for m in e_cols)},
                   {", ".join(f"max(actual) FILTER (WHERE metric = '{m}') AS a_{m}" for m in a_cols)}
            FROM (SELECT dimension, segment, date, metric, actual,
                         CASE WHEN len(ratios) >= {ALERT_MIN_WEEKS} THEN expected END AS expected FROM ranges)
            GROUP BY dimension, segment, date),
        found AS (
            SELECT r.dimension, r.segment, r.metric, r.date, r.actual, r.expected,
                   greatest(r.expected - r.half, 0) AS low, r.expected + r.half AS high,
                   (r.actual - r.expected) * CASE r.metric
                       {" ".join(f"WHEN '{m}' THEN {ALERT_IMPACT[m]}" for m in metrics)} END AS impact
            FROM judged_ranges r JOIN values_of v USING (dimension, segment, date)
            WHERE r.metric IN (SELECT metric FROM judged) AND r.actual IS NOT NULL
              AND CASE r.metric {" ".join(f"WHEN '{m}' THEN v.e_{v} >= {ALERT_RATIOS[m][3]}" for m, v in volume_of.items())}
                  ELSE true END
              AND (r.actual < greatest(r.expected - r.half, 0) OR r.actual > r.expected + r.half))
        SELECT f.date, f.metric, f.dimension, f.segment, f.actual, f.expected, f.low, f.high,
               CASE WHEN f.actual > f.high THEN 'up' ELSE 'down' END, f.impact
        FROM found f LEFT JOIN found s ON s.dimension = 'store' AND s.date = f.date AND s.metric = f.metric
        WHERE f.dimension = 'store' OR s.date IS NULL
           OR NOT (abs(s.actual - f.actual) <= 1e-9 * abs(f.actual)
                   AND abs(s.expected - f.expected) <= 1e-9 * abs(f.expected))
        ORDER BY abs(f.impact) DESC NULLS LAST, f.date,
                 strftime(f.date, '%Y-%m-%d') || '|' || f.metric || '|' || f.dimension || '|' || f.segment""",
        scope,
    )
    return [
        {
            "date": day.isoformat(),
            "metric": metric,
            "dimension": dimension,
            "segment": segment,
            "actual": actual,
            "expected": expected,
            "low": low,
            "high": high,
            "direction": direction,
            "impact": impact,
            "reviewed": False,  # no notes in the bench store
        }
        for day, metric, dimension, segment, actual, expected, low, high, direction, impact in rows
    ]


BASELINES = {
    "overview": _overview,
    "funnel": _funnel,
    "traffic": _traffic,
    "promotion": _promotion,
    "prices": _prices,
    "orders": _orders,
    "products": _products,
    "alerts": _alerts,
}


def baseline(name: str, con, scope: dict) -> list[dict]:
    return BASELINES[name](con, scope)


# ---------------------------------------------------------------- the check


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def record_differences(ours_records: list[dict], base_records: list[dict], limit: int = 5) -> list[str]:
    """What differs between two lists of records (empty when they are the same, in the same order)."""
    problems = []
    if len(ours_records) != len(base_records):
        problems.append(f"{len(ours_records)} records, the baseline has {len(base_records)}")
    for index, (mine, theirs) in enumerate(zip(ours_records, base_records, strict=False)):
        if set(mine) != set(theirs):
            problems.append(f"record {index}: fields {sorted(mine)} vs the baseline's {sorted(theirs)}")
        else:
            wrong = {k: (mine[k], theirs[k]) for k in mine if not _same_value(mine[k], theirs[k])}
            if wrong:
                problems.append(f"record {index} ({ {k: mine[k] for k in list(mine)[:2]} }): ours vs baseline {wrong}")
        if len(problems) >= limit:
            break
    return problems
