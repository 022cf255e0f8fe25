"""The warehouse's tables as data: their columns, natural keys, and which column holds a row's day.

Pure data, no I/O. Every module that needs to know a table's shape reads it here: the load
(shopdata.store), the cleaning SQL (shopdata.ingest.transform), the metrics (shopdata.metrics.query),
backups. Changing a table here is half of a schema change; the other half is a new migration in
shopdata.migrations (DEVELOPERS.md, "Adding a column"), and a test fails until both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # portable: text double bigint integer date timestamp boolean (engine.py spells them per database)
    doc: str


# The columns of a row that covers a period rather than one day: its first and its last day.
PERIOD_START, PERIOD_END = "date", "end_date"


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...] = ()  # besides store and platform; identical keys in one file get an occurrence number
    day_column: str | None = None  # the column holding the row's day (its first day when it covers a period)
    covers_period: bool = False  # rows cover PERIOD_START…PERIOD_END (a day, a week, a report's window)
    money: tuple[str, ...] = ()  # the columns holding money, in the row's `currency`

    def __post_init__(self) -> None:
        names = set(self.column_names)
        if self.money and ("currency" not in names or not set(self.money) <= names):
            raise ValueError(f"{self.name}: money columns need a currency column and must be columns")
        if self.day_column is not None and self.day_column not in names:
            raise ValueError(f"{self.name}: day column {self.day_column} is not one of its columns")
        if self.covers_period and (self.day_column != PERIOD_START or PERIOD_END not in names):
            raise ValueError(f"{self.name}: a table whose rows cover a period has {PERIOD_START} and {PERIOD_END}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def day_columns(self) -> tuple[str, str]:
        """(first day, last day) columns of a row: the period's bounds, or the one day twice."""
        if self.day_column is None:
            raise ValueError(f"the {self.name} table has no day column")
        return (PERIOD_START, PERIOD_END) if self.covers_period else (self.day_column, self.day_column)


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


# Columns every fact table starts with.
_FACT_HEAD = (
    ("store", "text", "the store (shop) the row belongs to"),
    ("batch_id", "bigint", "the upload that brought the row"),
    ("platform", "text", "taobao, tmall, jd, pdd, shopify, amazon, google_ads, meta, ga …"),
    ("nk", "text", "natural key: md5 of the identifying columns and the occurrence number"),
)
_PERIOD = (
    (PERIOD_START, "date", "the day, or the first day of the period the row covers"),
    (PERIOD_END, "date", "the last day the row covers (equal to date for daily rows)"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "events",
            "behaviour log: one row per user action",
            _cols(
                *_FACT_HEAD,
                ("user_id", "text", "the user (text, exactly as exported)"),
                ("item_id", "text", "the product"),
                ("category_id", "text", "the product's category"),
                ("behavior", "text", "view, fav, cart, checkout or purchase"),
                ("event_time", "timestamp", "when it happened (as exported; offsets converted to UTC)"),
                ("event_date", "date", "the day of event_time"),
                ("source", "text", "traffic source / channel when the log has one"),
                ("device", "text", "device or carrier when the log has one"),
            ),
            ("user_id", "item_id", "behavior", "event_time"),
            day_column="event_date",
        ),
        Table(
            "traffic",
            "visits and sales by day × source (or × product / landing page)",
            _cols(
                *_FACT_HEAD,
                *_PERIOD,
                ("grain", "text", "source, product, landing_page or shop"),
                ("device", "text", "流量载体 / device"),
                ("source_1", "text", "一级来源 / channel group / referrer source"),
                ("source_2", "text", "二级来源 / referrer name / medium"),
                ("source_3", "text", "三级来源"),
                ("source_4", "text", "四级来源"),
                (
                    "source_level",
                    "integer",
                    "how deep the source path goes; a row at level 1 is the subtotal of its children",
                ),
                ("campaign", "text", "UTM / source campaign"),
                ("landing_page", "text", "landing page path"),
                ("product_id", "text", "product (product-grain reports)"),
                ("product_name", "text", "product title"),
                ("visitors", "double", "访客数 / visitors / users"),
                ("sessions", "double", "sessions"),
                ("page_views", "double", "浏览量 / page views"),
                ("new_visitors", "double", "新访客"),
                ("product_visitors", "double", "商品点击人数 / product detail views"),
                ("cart_users", "double", "加购人数 / sessions with cart additions"),
                ("fav_users", "double", "收藏人数"),
                ("checkout_sessions", "double", "sessions that reached checkout"),
                ("order_buyers", "double", "下单买家数"),
                ("order_amount", "double", "下单金额"),
                ("buyers", "double", "支付买家数 / paying customers"),
                ("orders", "double", "paid orders / sessions that completed checkout"),
                ("units", "double", "支付件数 / units sold"),
                ("revenue", "double", "支付金额 / sales"),
                ("refund", "double", "退款金额 / returns"),
                ("currency", "text", "ISO currency of the money columns"),
            ),
            (
                "grain",
                "date",
                "end_date",
                "device",
                "source_1",
                "source_2",
                "source_3",
                "source_4",
                "campaign",
                "landing_page",
                "product_id",
            ),
            day_column=PERIOD_START,
            covers_period=True,
            money=("order_amount", "revenue", "refund"),
        ),
        Table(
            "ads",
            "advertising: day × campaign [× ad group × keyword/target × search term × product]",
            _cols(
                *_FACT_HEAD,
                *_PERIOD,
                ("grain", "text", "account, campaign, placement, ad_group, ad, keyword, search_term or product"),
                ("campaign_id", "text", "campaign ID"),
                ("campaign", "text", "campaign name"),
                ("campaign_type", "text", "scene / campaign type"),
                ("ad_group", "text", "ad group / ad set / unit"),
                ("ad_id", "text", "ad ID"),
                ("ad_name", "text", "ad name or headline"),
                ("keyword", "text", "keyword / targeting"),
                ("match_type", "text", "match type"),
                ("search_term", "text", "customer search term"),
                ("product_id", "text", "advertised product / ASIN / 商品ID"),
                ("sku", "text", "advertised SKU"),
                ("placement", "text", "placement"),
                ("audience", "text", "audience breakdown (age, gender, interest)"),
                ("impressions", "double", "展现量 / impressions"),
                ("clicks", "double", "点击量 / clicks"),
                ("spend", "double", "花费 / cost / amount spent"),
                ("conversions", "double", "成交笔数 / conversions / orders attributed"),
                ("purchases", "double", "purchases when reported apart from conversions (Meta approved conversions)"),
                ("revenue", "double", "成交金额 / conversion value / attributed sales"),
                ("units", "double", "units attributed"),
                ("carts", "double", "购物车数 / adds to cart"),
                ("currency", "text", "ISO currency"),
                ("attribution", "text", "attribution window as exported, e.g. 7d, 14d"),
            ),
            (
                "grain",
                "date",
                "end_date",
                "campaign_id",
                "campaign",
                "ad_group",
                "ad_id",
                "keyword",
                "match_type",
                "search_term",
                "product_id",
                "sku",
                "placement",
                "audience",
            ),
            day_column=PERIOD_START,
            covers_period=True,
            money=("spend", "revenue"),
        ),
        Table(
            "prices",
            "observed prices: day × shop × product",
            _cols(
                *_FACT_HEAD,
                *_PERIOD,
                ("shop", "text", "the shop or marketplace selling it"),
                ("product_id", "text", "product ID when the export has one"),
                ("product_name", "text", "listing title"),
                ("price", "double", "price"),
                ("list_price", "double", "list price / MRP / compare-at price"),
                ("currency", "text", "ISO currency"),
                ("sales", "double", "sales count as exported (cumulative for scrapes)"),
                ("comments", "double", "review / comment count"),
                ("available", "boolean", "in stock"),
            ),
            ("date", "end_date", "shop", "product_id", "product_name"),
            day_column=PERIOD_START,
            covers_period=True,
            money=("price", "list_price"),
        ),
        # Competitors beyond price (issue 15): 生意参谋's 竞品/竞店/流失 exports, one row per figure, so that a
        # banded figure ("10万 ~ 25万") keeps both ends and its unit (shopdata.ingest.bands) and an exact one its value.
        Table(
            "rival_metrics",
            "competitors' figures: period × rival shop × rival product [× keyword | × source] × metric",
            _cols(
                *_FACT_HEAD,
                *_PERIOD,
                (
                    "grain",
                    "text",
                    "product (竞品), shop (竞店), keyword (入店搜索词), source (入店来源) or loss (流失)",
                ),
                ("rival_shop", "text", "the rival's shop (店铺名称)"),
                ("product_id", "text", "the rival's product (商品ID)"),
                ("product_name", "text", "the rival's product title"),
                ("keyword", "text", "a search word bringing visitors to the rival's product (引流/成交关键词)"),
                ("keyword_rank", "integer", "the word's rank in the export's list"),
                ("source", "text", "a traffic source of the rival (入店来源)"),
                ("metric", "text", "what the figure measures: trade_index, revenue, visitors, lost_revenue …"),
                ("low", "double", "the figure's low end in base units (NULL: open or unknown)"),
                ("high", "double", "the figure's high end in base units (NULL: open or unknown)"),
                ("unit", "text", "the mark the export wrote: 万, 亿, %, '' for a plain number"),
                ("value", "double", "the figure when the export gave it exactly (low = high), else NULL"),
                ("currency", "text", "ISO currency of money metrics (revenue, lost_revenue)"),
            ),
            ("date", "end_date", "grain", "rival_shop", "product_id", "product_name", "keyword", "source", "metric"),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "rival_promotions",
            "rivals' promotions, kept by hand: day × rival × product × method",
            _cols(
                *_FACT_HEAD,
                *_PERIOD,
                ("rival_shop", "text", "the rival's shop"),
                ("product_id", "text", "the rival's product ID"),
                ("product_name", "text", "the rival's product"),
                ("method", "text", "promotion method: 直通车, 钻展, 淘客, 超级推荐, 直播, 满减 …"),
                ("discount", "text", "the offer as written (满300减40, 8.5折)"),
                ("note", "text", "the operator's note"),
            ),
            ("date", "end_date", "rival_shop", "product_id", "product_name", "method"),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "orders",
            "orders (one row per order, or per order line)",
            _cols(
                *_FACT_HEAD,
                ("grain", "text", "order or line"),
                ("order_id", "text", "order number"),
                ("line_no", "text", "line number within the order"),
                ("order_time", "timestamp", "created"),
                ("order_date", "date", "day created"),
                ("paid_time", "timestamp", "paid"),
                ("status", "text", "status as exported"),
                ("buyer_id", "text", "customer"),
                ("product_id", "text", "product / ASIN"),
                ("sku", "text", "SKU"),
                ("product_name", "text", "product title"),
                ("category", "text", "category"),
                ("quantity", "double", "units"),
                ("amount", "double", "order or line amount"),
                ("paid_amount", "double", "amount actually paid"),
                ("refund_amount", "double", "refunded"),
                ("shipping", "double", "freight / shipping"),
                ("currency", "text", "ISO currency"),
                ("region", "text", "province / state / ship-to"),
                ("channel", "text", "sales channel / fulfilment"),
                ("promotion", "text", "promotion IDs"),
            ),
            ("order_id", "line_no", "product_id", "sku"),
            day_column="order_date",
            money=("amount", "paid_amount", "refund_amount", "shipping"),
        ),
        Table(
            "products",
            "product catalogue",
            _cols(
                *_FACT_HEAD,
                ("product_id", "text", "product ID"),
                ("sku", "text", "SKU"),
                ("name", "text", "title"),
                ("category", "text", "category"),
                ("price", "double", "price"),
                ("currency", "text", "ISO currency"),
            ),
            ("product_id", "sku"),
            money=("price",),
        ),
    )
}

FACT_KINDS = tuple(TABLES)  # events traffic ads prices rival_metrics rival_promotions orders products

# Bookkeeping tables. Not facts: no nk, no batch.
META_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "schema_version",
            "applied migrations",
            _cols(
                ("version", "integer", "migration number"),
                ("applied_at", "timestamp", "when"),
            ),
        ),
        Table(
            "stores",
            "stores (shops) data can be loaded into",
            _cols(
                ("name", "text", "store name"),
                ("is_demo", "boolean", "the embedded demo store"),
                ("created_at", "timestamp", "when"),
            ),
        ),
        Table(
            "batches",
            "one row per upload",
            _cols(
                ("batch_id", "bigint", "id"),
                ("store", "text", "store"),
                ("file_name", "text", "uploaded file name"),
                ("sha256", "text", "SHA-256 of the file's bytes"),
                ("size_bytes", "bigint", "file size"),
                ("platform", "text", "detected or chosen platform"),
                ("kind", "text", "events, traffic, ads, prices, rival_metrics, rival_promotions, orders or products"),
                ("report", "text", "the layout recognised, e.g. amazon_sp_search_term"),
                ("mapping", "text", "JSON: canonical column -> header used"),
                ("rows_loaded", "bigint", "data rows stored by this upload"),
                ("rows_replaced", "bigint", "rows of earlier uploads replaced by this one"),
                ("rows_skipped", "bigint", "rows skipped"),
                ("skipped_reasons", "text", "JSON: reason -> count"),
                ("warnings", "text", "JSON list of warnings"),
                ("date_from", "date", "first day covered"),
                ("date_to", "date", "last day covered"),
                ("uploaded_by", "text", "who uploaded it"),
                ("created_at", "timestamp", "when (UTC)"),
            ),
        ),
        Table(
            "mappings",
            "column mappings remembered per header layout",
            _cols(
                ("signature", "text", "hash of the normalised header row"),
                ("kind", "text", "kind"),
                ("platform", "text", "platform"),
                ("mapping", "text", "JSON: canonical column -> header"),
                ("updated_at", "timestamp", "when"),
            ),
        ),
        Table(
            "settings",
            "small key/value settings (e.g. gross margin)",
            _cols(
                ("store", "text", "store, or '' for all stores"),
                ("key", "text", "setting"),
                ("value", "text", "JSON value"),
            ),
        ),
        Table(
            "users",
            "team accounts: who may sign in and what their role allows",
            _cols(
                ("name", "text", "login name (unique in its canonical form: NFKC + casefold, accounts.canonical_name)"),
                ("email", "text", "e-mail; an OIDC sign-in is allowed only for an e-mail listed here"),
                ("role", "text", "owner, member or viewer"),
                ("password_hash", "text", "scrypt$n$r$p$salt$hash; empty for OIDC-only accounts"),
                ("created_at", "timestamp", "when (UTC)"),
                ("created_by", "text", "who created the account"),
                (
                    "session_epoch",
                    "bigint",
                    "changes when the account's open sessions must end (new password, role, sign out everywhere)",
                ),
            ),
        ),
        Table(
            "sign_ins",
            "browsers kept signed in: a sign-in cookie's hash, whose it is, until when",
            _cols(
                ("token_hash", "text", "SHA-256 of the cookie's random token (the token itself is never stored)"),
                ("name", "text", "the account"),
                ("created_at", "timestamp", "when (UTC)"),
                ("expires_at", "timestamp", "after this the browser must sign in again (UTC)"),
            ),
        ),
        Table(
            "data_generation",
            "counters of changes to the data; their sum is the data generation that keys cached results",
            _cols(
                ("writer", "text", "what changes data under one lock: load:<store>, settings, restore"),
                ("generation", "bigint", "how many changes it committed (never goes down; rows are never deleted)"),
            ),
        ),
        Table(
            "currency_changes",
            "currencies given to uploads afterwards: which batch, from what to what, by whom, when",
            _cols(
                ("batch_id", "bigint", "the upload whose rows were re-labelled"),
                ("store", "text", "its store"),
                ("file_name", "text", "its file (kept readable after the batch is deleted)"),
                ("old_currency", "text", "the currency before: empty, the file stated none"),
                ("new_currency", "text", "the ISO currency given"),
                ("rows_changed", "bigint", "rows re-labelled"),
                ("changed_by", "text", "who gave it"),
                ("changed_at", "timestamp", "when (UTC)"),
            ),
        ),
        Table(
            "notes",
            "review (复盘) notes: what the team found on a day or days, why, and what it did (shopdata/journal.py)",
            _cols(
                ("note_id", "bigint", "id (one more than the highest so far)"),
                ("store", "text", "the store"),
                ("date_from", "date", "the first day the note is about"),
                ("date_to", "date", "the last day (equal to date_from for one day)"),
                ("metric", "text", "the KPI it is about, or NULL"),
                ("dimension", "text", "store, source, product, campaign or platform, or NULL"),
                ("segment", "text", "the segment of that dimension ('' at store level), or NULL"),
                ("alert_key", "text", "the alert it reviews: YYYY-MM-DD|metric|dimension|segment, or NULL"),
                ("cause", "text", "one of journal.CAUSES"),
                ("text", "text", "what was found"),
                ("action", "text", "what was done"),
                ("follow_up", "date", "when to look again, or NULL"),
                ("follow_up_done", "boolean", "the follow-up has been done"),
                ("author", "text", "who wrote it"),
                ("created_at", "timestamp", "when (UTC)"),
                ("updated_at", "timestamp", "last edited (UTC)"),
            ),
        ),
        Table(
            "activities",
            "活动: the store's own promotions, and its edits of the preloaded festival calendar (shopdata/festivals.py)",
            _cols(
                ("activity_id", "bigint", "id (one more than the highest so far)"),
                ("store", "text", "the store"),
                ("name", "text", "what the team calls it"),
                ("kind", "text", "festival or own"),
                ("festival", "text", "the festival's key (festivals.FESTIVALS) when it edits one; '' otherwise"),
                ("year", "integer", "the festival's year when it edits one"),
                ("date_from", "date", "first day"),
                ("date_to", "date", "last day"),
                ("hidden", "boolean", "the store does not take part in this festival: it is not shown"),
                ("created_by", "text", "who recorded it"),
                ("created_at", "timestamp", "when (UTC)"),
            ),
        ),
        Table(
            "targets",
            "monthly targets: one value per store, month and metric",
            _cols(
                ("store", "text", "the store"),
                ("month", "text", "YYYY-MM"),
                ("metric", "text", "one of journal.TARGET_METRICS"),
                ("value", "double", "the target"),
                ("currency", "text", "ISO currency of a money target; NULL for counts and ROAS"),
                ("set_by", "text", "who set it"),
                ("set_at", "timestamp", "when (UTC)"),
            ),
        ),
        Table(
            "webhooks",
            "group-robot webhooks the owner configured (URL and secret never shown again in full, never logged)",
            _cols(
                ("webhook_id", "bigint", "id (one more than the highest so far)"),
                ("store", "text", "the store whose reports it receives, or '' for all"),
                ("kind", "text", "dingtalk, wecom, feishu or slack"),
                ("name", "text", "the group it posts to, as the owner calls it"),
                ("url", "text", "the robot's webhook URL (holds its access token)"),
                ("secret", "text", "the signing secret, or ''"),
                ("created_by", "text", "who configured it"),
                ("created_at", "timestamp", "when (UTC)"),
            ),
        ),
    )
}


# Rollups (shopdata/rollups.py): per store, sums of each measure of definitions.py over the base rows that share
# every column a metric query filters or groups by, kept in the same transaction as the rows they sum. Derived:
# not backed up (a restore rebuilds them), never shown. The measure columns are named after the measures.
_ROLLUP_TRAFFIC_KEYS = (
    ("store", "text", "the store"),
    ("platform", "text", "the platform of the rows summed"),
    *_PERIOD,
    ("grain", "text", "the grain of the rows summed"),
    ("source_level", "integer", "their source level"),
    ("currency", "text", "their currency"),
    ("has_money", "boolean", "whether they hold money (the currency rule treats rows without money apart)"),
)
_ROLLUP_ADS_KEYS = tuple(c for c in _ROLLUP_TRAFFIC_KEYS if c[0] != "source_level")
_ROLLUP_ROWS = (("row_count", "bigint", "how many base rows were summed"),)
_ROLLUP_TRAFFIC_MEASURES = tuple(
    (name, "double", f"sum of the {name} measure")
    for name in (
        "visitors",
        "sessions",
        "page_views",
        "product_visitors",
        "cart_users",
        "checkout_sessions",
        "buyers",
        "orders",
        "revenue",
    )
)
_ROLLUP_ADS_MEASURES = tuple(
    (name, "double", f"sum of the {name} measure")
    for name in ("spend", "impressions", "clicks", "ad_conversions", "ad_revenue")
)
_ROLLUP_TRAFFIC_BREAKDOWN = (
    ("source_1", "text", "一级来源"),
    ("source_2", "text", "二级来源"),
    ("source_3", "text", "三级来源"),
    ("source_4", "text", "四级来源"),
    ("product_id", "text", "product"),
)
_ROLLUP_ADS_BREAKDOWN = (
    ("campaign", "text", "campaign name"),
    ("product_id", "text", "advertised product"),
)

ROLLUP_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "rollup_traffic_daily",
            "traffic measures per store × platform × period × grain × source level × currency",
            _cols(*_ROLLUP_TRAFFIC_KEYS, *_ROLLUP_ROWS, *_ROLLUP_TRAFFIC_MEASURES),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "rollup_traffic_breakdown",
            "rollup_traffic_daily further split by source path and product",
            _cols(*_ROLLUP_TRAFFIC_KEYS, *_ROLLUP_TRAFFIC_BREAKDOWN, *_ROLLUP_ROWS, *_ROLLUP_TRAFFIC_MEASURES),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "rollup_ads_daily",
            "ad measures per store × platform × period × grain × currency",
            _cols(*_ROLLUP_ADS_KEYS, *_ROLLUP_ROWS, *_ROLLUP_ADS_MEASURES),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "rollup_ads_breakdown",
            "rollup_ads_daily further split by campaign and product",
            _cols(*_ROLLUP_ADS_KEYS, *_ROLLUP_ADS_BREAKDOWN, *_ROLLUP_ROWS, *_ROLLUP_ADS_MEASURES),
            day_column=PERIOD_START,
            covers_period=True,
        ),
        Table(
            "rollup_event_users",
            "behaviour log: each user's first time at each behaviour on each day",
            _cols(
                ("store", "text", "the store"),
                ("platform", "text", "the platform"),
                ("event_date", "date", "the day"),
                ("user_id", "text", "the user"),
                ("behavior", "text", "the behaviour"),
                ("first_time", "timestamp", "the user's first event of that behaviour on that day"),
            ),
            day_column="event_date",
        ),
        Table(
            "rollup_event_user_months",
            "behaviour log: the days of each month on which each user had each behaviour",
            _cols(
                ("store", "text", "the store"),
                ("platform", "text", "the platform"),
                ("month", "date", "the month's first day"),
                ("user_id", "text", "the user"),
                ("behavior", "text", "the behaviour"),
                ("days", "bigint", "bit d - 1 is set when the user had the behaviour on day d of the month"),
            ),
            day_column="month",
        ),
    )
}


def utcnow() -> datetime:
    """Now, as every timestamp column holds it: UTC without a zone (the portable `timestamp` type has none)."""
    return datetime.now(UTC).replace(tzinfo=None)
