"""Canonical tables, migrations, batches, and idempotent all-or-nothing loads.

Every fact row carries its store, its batch and a natural key (`nk`). Loading a batch replaces rows
with the same (store, nk) in the same transaction, so uploading a file twice, or an export that
overlaps an earlier one, never counts anything twice. Deleting a batch removes exactly its rows.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shopdata.engine import Engine, quote_identifier

if TYPE_CHECKING:
    from shopdata.ingest.transform import WarehouseRows


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # portable: text double bigint integer date timestamp boolean
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...] = ()  # besides store and platform; identical keys in one file get an occurrence number

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


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
    ("date", "date", "the day, or the first day of the period the row covers"),
    ("end_date", "date", "the last day the row covers (equal to date for daily rows)"),
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
        ),
    )
}

FACT_KINDS = tuple(TABLES)  # events traffic ads prices orders products

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
                ("kind", "text", "events, traffic, ads, prices, orders or products"),
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
                ("name", "text", "login name (unique, case-insensitive)"),
                ("email", "text", "e-mail; an OIDC sign-in is allowed only for an e-mail listed here"),
                ("role", "text", "owner, member or viewer"),
                ("password_hash", "text", "scrypt$n$r$p$salt$hash; empty for OIDC-only accounts"),
                ("created_at", "timestamp", "when (UTC)"),
                ("created_by", "text", "who created the account"),
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
    )
}


def _create_table_sql(engine: Engine, table: Table) -> str:
    cols = ", ".join(f"{quote_identifier(c.name)} {engine.sql_type(c.type)}" for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {quote_identifier(table.name)} ({cols})"


def _migration_1(engine: Engine) -> None:
    for name in ("stores", "batches", "mappings", "settings"):
        engine.execute(_create_table_sql(engine, META_TABLES[name]))
    for table in TABLES.values():
        engine.execute(_create_table_sql(engine, table))
    engine.execute("CREATE SEQUENCE IF NOT EXISTS batch_seq START 1")
    if engine.dialect == "postgres":
        # DuckDB's ART indexes slow bulk inserts and its hash joins need none; PostgreSQL needs these.
        for name in TABLES:
            engine.execute(f"CREATE INDEX IF NOT EXISTS {name}_nk ON {quote_identifier(name)} (store, nk)")
            engine.execute(f"CREATE INDEX IF NOT EXISTS {name}_batch ON {quote_identifier(name)} (batch_id)")


def _migration_2(engine: Engine) -> None:
    engine.execute(_create_table_sql(engine, META_TABLES["users"]))


def _migration_3(engine: Engine) -> None:
    engine.execute(_create_table_sql(engine, META_TABLES["sign_ins"]))


def _migration_4(engine: Engine) -> None:
    # Literal and frozen. TEXT and BIGINT are each dialect's own spelling of the portable types text and
    # bigint (DuckDB stores TEXT as VARCHAR), so one statement serves both.
    engine.execute("CREATE TABLE IF NOT EXISTS data_generation (writer TEXT, generation BIGINT)")


# Forward-only. Append; never edit an applied one.
MIGRATIONS: tuple = ((1, _migration_1), (2, _migration_2), (3, _migration_3), (4, _migration_4))
SCHEMA_VERSION = MIGRATIONS[-1][0]
BATCH_SEQUENCE = "batch_seq"  # created by migration 1; batch ids come from it


def bump_generation(engine: Engine, writer: str) -> None:
    """Count one committed change to the data, inside the transaction that makes it: the new data
    generation becomes visible together with the new rows, so a cached result is never keyed by a
    generation whose rows it does not show.

    Each writer has its own counter row and the generation is their sum: writers that run at the
    same time under different locks (loads of two stores) update different rows, so DuckDB never
    aborts one of them for a conflict on a shared row; writers under the same lock take turns."""
    bumped = engine.execute(
        "UPDATE data_generation SET generation = generation + 1 WHERE writer = ?", [writer]
    ).rowcount
    if not bumped:
        engine.execute("INSERT INTO data_generation (writer, generation) VALUES (?, 1)", [writer])


def data_generation(engine: Engine) -> int:
    """The data generation: it grows with every load, batch or store delete, settings change and restore
    (in every session and process on this database), and never goes back."""
    return int(engine.execute("SELECT coalesce(sum(generation), 0) FROM data_generation").scalar() or 0)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _schema_version(engine: Engine) -> int:
    if not engine.table_exists("schema_version"):
        return 0
    return int(engine.execute("SELECT coalesce(max(version), 0) FROM schema_version").scalar() or 0)


def migrate(engine: Engine) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before."""
    current = _schema_version(engine)
    if current >= SCHEMA_VERSION:
        return current  # every session opening an up-to-date database: no lock, no wait
    # Sessions opening a new or older database at the same moment: one migrates, the others wait
    # and then find the work done (DuckDB aborts concurrent DDL; PostgreSQL reports duplicates).
    with engine.warehouse_exclusive():
        engine.execute(_create_table_sql(engine, META_TABLES["schema_version"]))
        current = _schema_version(engine)
        if 0 < current < SCHEMA_VERSION:
            # Data written by an older version is copied aside before anything changes it; a fresh
            # database has nothing to lose. Imported here: shopdata.backup builds on this module.
            from shopdata.backup import backup_before_migration

            backup_before_migration(engine, current)
        for version, step in MIGRATIONS:
            if version > current:
                with engine.transaction():
                    step(engine)
                    engine.execute(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", [version, utcnow()]
                    )
    return current


LOAD_ATTEMPTS = 8


@dataclass
class BatchInfo:
    store: str
    file_name: str
    sha256: str
    size_bytes: int
    platform: str
    kind: str
    report: str
    mapping: dict[str, str]
    rows_skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    uploaded_by: str | None = None


@dataclass
class LoadResult:
    batch_id: int
    rows_loaded: int
    rows_replaced: int


class Warehouse:
    """The warehouse seen as stores, batches and canonical tables. One per session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        migrate(engine)

    # -- stores
    def ensure_store(self, name: str, is_demo: bool = False) -> None:
        name = name.strip()
        if not name:
            raise ValueError("a store needs a name")
        if not self.engine.execute("SELECT 1 FROM stores WHERE name = ?", [name]).rows:
            self.engine.execute(
                "INSERT INTO stores (name, is_demo, created_at) VALUES (?, ?, ?)", [name, is_demo, utcnow()]
            )

    def stores(self) -> list[dict[str, Any]]:
        return self.engine.execute("SELECT name, is_demo, created_at FROM stores ORDER BY created_at, name").records()

    def delete_store(self, name: str) -> int:
        """Remove a store with every row and batch it has. Returns the number of fact rows removed."""
        removed = 0
        with self.engine.exclusive_transaction(f"load:{name}"):  # not while a load or restore runs
            for table in TABLES:
                removed += self.engine.execute(
                    f"DELETE FROM {quote_identifier(table)} WHERE store = ?", [name]
                ).rowcount
            self.engine.execute("DELETE FROM batches WHERE store = ?", [name])
            self.engine.execute("DELETE FROM settings WHERE store = ?", [name])
            self.engine.execute("DELETE FROM stores WHERE name = ?", [name])
            bump_generation(self.engine, f"load:{name}")
        return removed

    # -- batches
    def find_batches_by_sha(self, store: str, sha256: str) -> list[dict[str, Any]]:
        return self.engine.execute(
            "SELECT batch_id, created_at, file_name FROM batches WHERE store = ? AND sha256 = ? ORDER BY batch_id",
            [store, sha256],
        ).records()

    def load(self, batch: BatchInfo, rows: pa.Table | WarehouseRows) -> LoadResult:
        """Store one upload: all its rows and its batch record, or nothing.

        `rows` holds canonical columns of the batch's kind plus `nk`; store and batch_id are added here.
        The new rows go in first; then earlier rows with the same (store, nk) are deleted — the
        replaced count — so nothing is counted twice and no staging copy is needed.
        """
        table = TABLES[batch.kind]
        if isinstance(rows, pa.Table):
            given = rows.column_names
        elif rows.con is getattr(self.engine, "con", None):
            given = rows.columns
        else:
            rows = rows.to_arrow()
            given = rows.column_names
        columns = [c for c in table.column_names if c in given and c not in ("store", "batch_id")]
        attempt = 1
        while True:
            try:
                return self._load_once(table, batch, rows, columns)
            except Exception as exc:
                # Two sessions loading overlapping rows at once: DuckDB aborts one transaction with a
                # conflict; it ran nothing, so it is simply run again after the other committed.
                if attempt >= LOAD_ATTEMPTS or not self.engine.is_conflict(exc):
                    raise
                time.sleep(0.05 * attempt + random.random() * 0.05)
                attempt += 1

    def _load_once(
        self, table: Table, batch: BatchInfo, rows: pa.Table | WarehouseRows, columns: list[str]
    ) -> LoadResult:
        tname = quote_identifier(table.name)
        constants: dict[str, Any] = {"store": batch.store}
        with self.engine.exclusive_transaction(f"load:{batch.store}"):
            self.ensure_store(batch.store)
            batch_id = int(self.engine.execute("SELECT nextval('batch_seq')").scalar())
            constants["batch_id"] = batch_id
            if isinstance(rows, pa.Table):
                self.engine.insert_arrow(table.name, rows, columns, constants)
            else:
                self.engine.insert_select(table.name, rows.select_sql, columns, constants)
            replaced = self.engine.execute(
                f"DELETE FROM {tname} WHERE store = ? AND batch_id <> ? "
                f"AND nk IN (SELECT nk FROM {tname} WHERE batch_id = ?)",
                [batch.store, batch_id, batch_id],
            ).rowcount
            # An earlier upload of this very file whose rows were all replaced is gone for good:
            # the same file imported twice (or by two people at once) leaves one batch.
            self.engine.execute(
                f"DELETE FROM batches WHERE store = ? AND sha256 = ? AND batch_id <> ? AND NOT EXISTS "
                f"(SELECT 1 FROM {tname} t WHERE t.batch_id = batches.batch_id)",
                [batch.store, batch.sha256, batch_id],
            )
            self._insert_batch(batch_id, batch, rows.num_rows, replaced)
            bump_generation(self.engine, f"load:{batch.store}")
        return LoadResult(batch_id, rows.num_rows, replaced)

    def _insert_batch(self, batch_id: int, batch: BatchInfo, loaded: int, replaced: int) -> None:
        self.engine.execute(
            "INSERT INTO batches (batch_id, store, file_name, sha256, size_bytes, platform, kind, report, mapping,"
            " rows_loaded, rows_replaced, rows_skipped, skipped_reasons, warnings, date_from, date_to, uploaded_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                batch.store,
                batch.file_name,
                batch.sha256,
                batch.size_bytes,
                batch.platform,
                batch.kind,
                batch.report,
                json.dumps(batch.mapping, ensure_ascii=False),
                loaded,
                replaced,
                batch.rows_skipped,
                json.dumps(batch.skipped_reasons, ensure_ascii=False),
                json.dumps(batch.warnings, ensure_ascii=False),
                batch.date_from,
                batch.date_to,
                batch.uploaded_by,
                utcnow(),
            ],
        )

    def batches(self, store: str | None = None) -> list[dict[str, Any]]:
        """Batches newest first, with how many of their rows are still live (later uploads may have replaced them)."""
        live = " UNION ALL ".join(
            f"SELECT batch_id, count(*) AS n FROM {quote_identifier(t)} GROUP BY batch_id" for t in TABLES
        )
        where, params = ("WHERE b.store = ?", [store]) if store else ("", [])
        result = self.engine.execute(
            f"SELECT b.*, coalesce(l.n, 0) AS rows_live FROM batches b "
            f"LEFT JOIN (SELECT batch_id, sum(n) AS n FROM ({live}) u GROUP BY batch_id) l ON l.batch_id = b.batch_id "
            f"{where} ORDER BY b.batch_id DESC",
            params,
        ).records()
        for record in result:
            for key in ("mapping", "skipped_reasons", "warnings"):
                record[key] = json.loads(record[key]) if record.get(key) else ({} if key != "warnings" else [])
            record["rows_live"] = int(record["rows_live"])
        return result

    def delete_batch(self, batch_id: int) -> int:
        """Remove exactly the rows this batch brought (those not since replaced) and its record."""
        found = self.engine.execute("SELECT kind, store FROM batches WHERE batch_id = ?", [batch_id]).fetchone()
        if not found:
            raise KeyError(batch_id)
        with self.engine.exclusive_transaction(f"load:{found[1]}"):  # not while a load or restore runs
            removed = self.engine.execute(
                f"DELETE FROM {quote_identifier(TABLES[found[0]].name)} WHERE batch_id = ?", [batch_id]
            ).rowcount
            self.engine.execute("DELETE FROM batches WHERE batch_id = ?", [batch_id])
            bump_generation(self.engine, f"load:{found[1]}")
        return removed

    def covered_days(self, batch_id: int) -> list[date]:
        """The days a batch has daily rows for (window-scoped rows cover no single day)."""
        kind = self.engine.execute("SELECT kind FROM batches WHERE batch_id = ?", [batch_id]).scalar()
        if kind is None:
            raise KeyError(batch_id)
        day = {"events": "event_date", "orders": "order_date"}.get(kind, "date")
        if day not in TABLES[kind].column_names:
            return []
        daily = " AND date = end_date" if day == "date" else ""
        rows = self.engine.execute(
            f"SELECT DISTINCT {day} FROM {quote_identifier(kind)} WHERE batch_id = ? AND {day} IS NOT NULL{daily} "
            f"ORDER BY 1",
            [batch_id],
        ).rows
        return [r[0] if isinstance(r[0], date) and not isinstance(r[0], datetime) else r[0].date() for r in rows]

    def count_rows(self, kind: str, store: str | None = None) -> int:
        where, params = ("WHERE store = ?", [store]) if store else ("", [])
        return int(self.engine.execute(f"SELECT count(*) FROM {quote_identifier(kind)} {where}", params).scalar())

    # -- remembered mappings and settings
    def remembered_mapping(self, signature: str) -> dict[str, Any] | None:
        row = self.engine.execute(
            "SELECT kind, platform, mapping FROM mappings WHERE signature = ?", [signature]
        ).fetchone()
        return {"kind": row[0], "platform": row[1], "mapping": json.loads(row[2])} if row else None

    def remember_mapping(self, signature: str, kind: str, platform: str, mapping: dict[str, str]) -> None:
        # Locked like a load: a restore replacing every table must not run into it half way.
        with self.engine.exclusive_transaction("mappings"):
            self.engine.execute("DELETE FROM mappings WHERE signature = ?", [signature])
            self.engine.execute(
                "INSERT INTO mappings (signature, kind, platform, mapping, updated_at) VALUES (?, ?, ?, ?, ?)",
                [signature, kind, platform, json.dumps(mapping, ensure_ascii=False), utcnow()],
            )

    def get_setting(self, key: str, store: str = "", default: Any = None) -> Any:
        row = self.engine.execute("SELECT value FROM settings WHERE store = ? AND key = ?", [store, key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, store: str = "") -> None:
        self.set_settings({key: value}, store)

    def set_settings(self, values: dict[str, Any], store: str = "") -> None:
        """Several settings of one store, all or none (locked like a load, so never half way into a restore)."""
        with self.engine.exclusive_transaction("settings"):
            for key, value in values.items():
                self.engine.execute("DELETE FROM settings WHERE store = ? AND key = ?", [store, key])
                self.engine.execute(
                    "INSERT INTO settings (store, key, value) VALUES (?, ?, ?)",
                    [store, key, json.dumps(value, ensure_ascii=False)],
                )
            bump_generation(self.engine, "settings")


def open_warehouse(url: str | None = None) -> Warehouse:
    from shopdata.engine import connect

    return Warehouse(connect(url))
