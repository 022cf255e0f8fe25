"""Schema migrations: forward only, and each one frozen the day it is written.

A migration says literally what it does to the database — the tables it creates with their columns
and types, the columns it adds, the data it copies — and never reads shopdata.schema: a database
made by version 1 has the columns version 1 listed, whatever the code says today. Changing a table
in shopdata.schema therefore means appending migration N+1 here (DEVELOPERS.md, "Adding a column");
tests/unit/test_migrations.py fails until the two agree, and upgrades a database of every earlier
version to check that no row is lost.

Column types are written as SQL that DuckDB and PostgreSQL spell alike: TEXT, DOUBLE PRECISION,
BIGINT, INTEGER, DATE, TIMESTAMP, BOOLEAN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from shopdata.engine import Engine, quote_identifier
from shopdata.schema import utcnow

SQL_COLUMN_TYPES = frozenset({"TEXT", "DOUBLE PRECISION", "BIGINT", "INTEGER", "DATE", "TIMESTAMP", "BOOLEAN"})

# table -> column -> SQL type, in column order
Columns = dict[str, dict[str, str]]


def _parse_columns(listed: str) -> tuple[tuple[str, str], ...]:
    """ "name TYPE, name TYPE, …" (line breaks anywhere between columns) -> ((name, TYPE), …)."""
    columns = []
    for part in listed.split(","):
        name, _, sql_type = part.strip().partition(" ")
        sql_type = " ".join(sql_type.split())
        quote_identifier(name)  # a canonical name, or ValueError
        if sql_type not in SQL_COLUMN_TYPES:
            raise ValueError(f"column {name}: {sql_type!r} is not one of {sorted(SQL_COLUMN_TYPES)}")
        columns.append((name, sql_type))
    return tuple(columns)


class Step(Protocol):
    def apply(self, engine: Engine) -> None:
        """Change the database."""

    def apply_to(self, columns: Columns) -> None:
        """Change a description of the database's tables the same way (for schema_at; no database)."""


@dataclass(frozen=True)
class CreateTable:
    table: str
    listed: str  # "name TYPE, name TYPE, …" exactly as the migration was written

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return _parse_columns(self.listed)

    def __post_init__(self) -> None:
        quote_identifier(self.table)
        _parse_columns(self.listed)  # a typo fails at import, not in a user's migration

    def sql(self) -> str:
        listed = ", ".join(f"{quote_identifier(name)} {sql_type}" for name, sql_type in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {quote_identifier(self.table)} ({listed})"

    def apply(self, engine: Engine) -> None:
        engine.execute(self.sql())

    def apply_to(self, columns: Columns) -> None:
        columns[self.table] = dict(self.columns)


@dataclass(frozen=True)
class AddColumn:
    """A new column at the end of a table; existing rows hold NULL in it (CopyData can fill it)."""

    table: str
    column: str
    sql_type: str

    def __post_init__(self) -> None:
        _parse_columns(f"{self.column} {self.sql_type}")
        quote_identifier(self.table)

    def apply(self, engine: Engine) -> None:
        engine.execute(
            f"ALTER TABLE {quote_identifier(self.table)} ADD COLUMN IF NOT EXISTS "
            f"{quote_identifier(self.column)} {self.sql_type}"
        )

    def apply_to(self, columns: Columns) -> None:
        columns[self.table][self.column] = self.sql_type


@dataclass(frozen=True)
class CopyData:
    """A literal statement that fills or moves data, e.g. UPDATE ads SET new_column = old_column.
    Plain SQL both databases run the same; it changes no table's columns."""

    sql: str

    def apply(self, engine: Engine) -> None:
        engine.execute(self.sql)

    def apply_to(self, columns: Columns) -> None:
        return None


@dataclass(frozen=True)
class CreateSequence:
    name: str
    start: int

    def apply(self, engine: Engine) -> None:
        engine.execute(f"CREATE SEQUENCE IF NOT EXISTS {quote_identifier(self.name)} START {int(self.start)}")

    def apply_to(self, columns: Columns) -> None:
        return None


@dataclass(frozen=True)
class CreateLookupIndex:
    """See Engine.create_lookup_index: created where the database needs it (not in DuckDB)."""

    name: str
    table: str
    columns: tuple[str, ...]

    def apply(self, engine: Engine) -> None:
        engine.create_lookup_index(self.name, self.table, self.columns)

    def apply_to(self, columns: Columns) -> None:
        return None


@dataclass(frozen=True)
class Migration:
    version: int
    why: str
    steps: tuple[Step, ...]


# Bookkeeping: which migrations a database has had. Created before any migration runs, so it is
# not one of them; like them, it never changes.
SCHEMA_VERSION_TABLE = CreateTable("schema_version", "version INTEGER, applied_at TIMESTAMP")
BATCH_SEQUENCE = "batch_seq"  # created by migration 1; batch ids come from it
_FACT_TABLES_OF_VERSION_1 = ("events", "traffic", "ads", "prices", "orders", "products")

# Forward only. Append; never edit one that has been released.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "stores, batches, remembered mappings, settings and the six fact tables",
        (
            CreateTable("stores", "name TEXT, is_demo BOOLEAN, created_at TIMESTAMP"),
            CreateTable(
                "batches",
                """
                batch_id BIGINT, store TEXT, file_name TEXT, sha256 TEXT, size_bytes BIGINT, platform TEXT,
                kind TEXT, report TEXT, mapping TEXT, rows_loaded BIGINT, rows_replaced BIGINT,
                rows_skipped BIGINT, skipped_reasons TEXT, warnings TEXT, date_from DATE, date_to DATE,
                uploaded_by TEXT, created_at TIMESTAMP
                """,
            ),
            CreateTable("mappings", "signature TEXT, kind TEXT, platform TEXT, mapping TEXT, updated_at TIMESTAMP"),
            CreateTable("settings", "store TEXT, key TEXT, value TEXT"),
            CreateTable(
                "events",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, user_id TEXT, item_id TEXT,
                category_id TEXT, behavior TEXT, event_time TIMESTAMP, event_date DATE, source TEXT, device TEXT
                """,
            ),
            CreateTable(
                "traffic",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, date DATE, end_date DATE, grain TEXT,
                device TEXT, source_1 TEXT, source_2 TEXT, source_3 TEXT, source_4 TEXT, source_level INTEGER,
                campaign TEXT, landing_page TEXT, product_id TEXT, product_name TEXT, visitors DOUBLE PRECISION,
                sessions DOUBLE PRECISION, page_views DOUBLE PRECISION, new_visitors DOUBLE PRECISION,
                product_visitors DOUBLE PRECISION, cart_users DOUBLE PRECISION, fav_users DOUBLE PRECISION,
                checkout_sessions DOUBLE PRECISION, order_buyers DOUBLE PRECISION, order_amount DOUBLE PRECISION,
                buyers DOUBLE PRECISION, orders DOUBLE PRECISION, units DOUBLE PRECISION,
                revenue DOUBLE PRECISION, refund DOUBLE PRECISION, currency TEXT
                """,
            ),
            CreateTable(
                "ads",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, date DATE, end_date DATE, grain TEXT,
                campaign_id TEXT, campaign TEXT, campaign_type TEXT, ad_group TEXT, ad_id TEXT, ad_name TEXT,
                keyword TEXT, match_type TEXT, search_term TEXT, product_id TEXT, sku TEXT, placement TEXT,
                audience TEXT, impressions DOUBLE PRECISION, clicks DOUBLE PRECISION, spend DOUBLE PRECISION,
                conversions DOUBLE PRECISION, purchases DOUBLE PRECISION, revenue DOUBLE PRECISION,
                units DOUBLE PRECISION, carts DOUBLE PRECISION, currency TEXT, attribution TEXT
                """,
            ),
            CreateTable(
                "prices",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, date DATE, end_date DATE, shop TEXT,
                product_id TEXT, product_name TEXT, price DOUBLE PRECISION, list_price DOUBLE PRECISION,
                currency TEXT, sales DOUBLE PRECISION, comments DOUBLE PRECISION, available BOOLEAN
                """,
            ),
            CreateTable(
                "orders",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, grain TEXT, order_id TEXT, line_no TEXT,
                order_time TIMESTAMP, order_date DATE, paid_time TIMESTAMP, status TEXT, buyer_id TEXT,
                product_id TEXT, sku TEXT, product_name TEXT, category TEXT, quantity DOUBLE PRECISION,
                amount DOUBLE PRECISION, paid_amount DOUBLE PRECISION, refund_amount DOUBLE PRECISION,
                shipping DOUBLE PRECISION, currency TEXT, region TEXT, channel TEXT, promotion TEXT
                """,
            ),
            CreateTable(
                "products",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, product_id TEXT, sku TEXT, name TEXT,
                category TEXT, price DOUBLE PRECISION, currency TEXT
                """,
            ),
            CreateSequence(BATCH_SEQUENCE, 1),
            *(
                index
                for table in _FACT_TABLES_OF_VERSION_1
                for index in (
                    CreateLookupIndex(f"{table}_nk", table, ("store", "nk")),
                    CreateLookupIndex(f"{table}_batch", table, ("batch_id",)),
                )
            ),
        ),
    ),
    Migration(
        2,
        "team accounts",
        (
            CreateTable(
                "users", "name TEXT, email TEXT, role TEXT, password_hash TEXT, created_at TIMESTAMP, created_by TEXT"
            ),
        ),
    ),
    Migration(
        3,
        "browsers kept signed in",
        (CreateTable("sign_ins", "token_hash TEXT, name TEXT, created_at TIMESTAMP, expires_at TIMESTAMP"),),
    ),
    Migration(
        4,
        "the data generation that keys cached results",
        (CreateTable("data_generation", "writer TEXT, generation BIGINT"),),
    ),
    Migration(
        5,
        "a session epoch per account: a new password, a role change or signing out everywhere ends open sessions",
        (
            AddColumn("users", "session_epoch", "BIGINT"),
            CopyData("UPDATE users SET session_epoch = 0"),
        ),
    ),
    Migration(
        6,
        "a record of currencies given to uploads after their import",
        (
            CreateTable(
                "currency_changes",
                """
                batch_id BIGINT, store TEXT, file_name TEXT, old_currency TEXT, new_currency TEXT,
                rows_changed BIGINT, changed_by TEXT, changed_at TIMESTAMP
                """,
            ),
        ),
    ),
    Migration(
        7,
        "the team's review (复盘) notes, activities, monthly targets and group-robot webhooks",
        (
            CreateTable(
                "notes",
                """
                note_id BIGINT, store TEXT, date_from DATE, date_to DATE, metric TEXT, dimension TEXT, segment TEXT,
                alert_key TEXT, cause TEXT, text TEXT, action TEXT, follow_up DATE, follow_up_done BOOLEAN,
                author TEXT, created_at TIMESTAMP, updated_at TIMESTAMP
                """,
            ),
            CreateTable(
                "activities",
                """
                activity_id BIGINT, store TEXT, name TEXT, kind TEXT, festival TEXT, year INTEGER, date_from DATE,
                date_to DATE, hidden BOOLEAN, created_by TEXT, created_at TIMESTAMP
                """,
            ),
            CreateTable(
                "targets",
                "store TEXT, month TEXT, metric TEXT, value DOUBLE PRECISION, currency TEXT, set_by TEXT, set_at TIMESTAMP",
            ),
            CreateTable(
                "webhooks",
                """
                webhook_id BIGINT, store TEXT, kind TEXT, name TEXT, url TEXT, secret TEXT, created_by TEXT,
                created_at TIMESTAMP
                """,
            ),
        ),
    ),
    Migration(
        8,
        "competitors beyond price: their banded figures, keywords, sources and traffic lost to them; their promotions",
        (
            CreateTable(
                "rival_metrics",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, date DATE, end_date DATE, grain TEXT,
                rival_shop TEXT, product_id TEXT, product_name TEXT, keyword TEXT, keyword_rank INTEGER, source TEXT,
                metric TEXT, low DOUBLE PRECISION, high DOUBLE PRECISION, unit TEXT, value DOUBLE PRECISION,
                currency TEXT
                """,
            ),
            CreateTable(
                "rival_promotions",
                """
                store TEXT, batch_id BIGINT, platform TEXT, nk TEXT, date DATE, end_date DATE, rival_shop TEXT,
                product_id TEXT, product_name TEXT, method TEXT, discount TEXT, note TEXT
                """,
            ),
            *(
                index
                for table in ("rival_metrics", "rival_promotions")
                for index in (
                    CreateLookupIndex(f"{table}_nk", table, ("store", "nk")),
                    CreateLookupIndex(f"{table}_batch", table, ("batch_id",)),
                )
            ),
        ),
    ),
    Migration(
        9,
        "rollups: per store and day, the traffic and ad measures summed, and each user's first time at each behaviour",
        (
            CreateTable(
                "rollup_traffic_daily",
                """
                store TEXT, platform TEXT, date DATE, end_date DATE, grain TEXT, source_level INTEGER, currency TEXT,
                has_money BOOLEAN, row_count BIGINT, visitors DOUBLE PRECISION, sessions DOUBLE PRECISION,
                page_views DOUBLE PRECISION, product_visitors DOUBLE PRECISION, cart_users DOUBLE PRECISION,
                checkout_sessions DOUBLE PRECISION, buyers DOUBLE PRECISION, orders DOUBLE PRECISION,
                revenue DOUBLE PRECISION
                """,
            ),
            CreateTable(
                "rollup_traffic_breakdown",
                """
                store TEXT, platform TEXT, date DATE, end_date DATE, grain TEXT, source_level INTEGER, currency TEXT,
                has_money BOOLEAN, source_1 TEXT, source_2 TEXT, source_3 TEXT, source_4 TEXT, product_id TEXT,
                row_count BIGINT, visitors DOUBLE PRECISION, sessions DOUBLE PRECISION, page_views DOUBLE PRECISION,
                product_visitors DOUBLE PRECISION, cart_users DOUBLE PRECISION, checkout_sessions DOUBLE PRECISION,
                buyers DOUBLE PRECISION, orders DOUBLE PRECISION, revenue DOUBLE PRECISION
                """,
            ),
            CreateTable(
                "rollup_ads_daily",
                """
                store TEXT, platform TEXT, date DATE, end_date DATE, grain TEXT, currency TEXT, has_money BOOLEAN,
                row_count BIGINT, spend DOUBLE PRECISION, impressions DOUBLE PRECISION, clicks DOUBLE PRECISION,
                ad_conversions DOUBLE PRECISION, ad_revenue DOUBLE PRECISION
                """,
            ),
            CreateTable(
                "rollup_ads_breakdown",
                """
                store TEXT, platform TEXT, date DATE, end_date DATE, grain TEXT, currency TEXT, has_money BOOLEAN,
                campaign TEXT, product_id TEXT, row_count BIGINT, spend DOUBLE PRECISION, impressions DOUBLE PRECISION,
                clicks DOUBLE PRECISION, ad_conversions DOUBLE PRECISION, ad_revenue DOUBLE PRECISION
                """,
            ),
            CreateTable(
                "rollup_event_users",
                "store TEXT, platform TEXT, event_date DATE, user_id TEXT, behavior TEXT, first_time TIMESTAMP",
            ),
            *(
                CopyData(
                    f"""
                    INSERT INTO {table} SELECT store, platform, date, end_date, grain, source_level, currency,
                    (order_amount IS NOT NULL OR revenue IS NOT NULL OR refund IS NOT NULL), {breakdown} count(*),
                    sum(coalesce(visitors, sessions)), sum(sessions), sum(page_views), sum(product_visitors),
                    sum(cart_users), sum(coalesce(checkout_sessions, order_buyers)), sum(coalesce(buyers, orders)),
                    sum(orders), sum(revenue)
                    FROM traffic GROUP BY store, platform, date, end_date, grain, source_level, currency,
                    (order_amount IS NOT NULL OR revenue IS NOT NULL OR refund IS NOT NULL) {breakdown_group}
                    """
                )
                for table, breakdown, breakdown_group in (
                    ("rollup_traffic_daily", "", ""),
                    (
                        "rollup_traffic_breakdown",
                        "source_1, source_2, source_3, source_4, product_id,",
                        ", source_1, source_2, source_3, source_4, product_id",
                    ),
                )
            ),
            *(
                CopyData(
                    f"""
                    INSERT INTO {table} SELECT store, platform, date, end_date, grain, currency,
                    (spend IS NOT NULL OR revenue IS NOT NULL), {breakdown} count(*), sum(spend), sum(impressions),
                    sum(clicks), sum(conversions), sum(revenue)
                    FROM ads GROUP BY store, platform, date, end_date, grain, currency,
                    (spend IS NOT NULL OR revenue IS NOT NULL) {breakdown_group}
                    """
                )
                for table, breakdown, breakdown_group in (
                    ("rollup_ads_daily", "", ""),
                    ("rollup_ads_breakdown", "campaign, product_id,", ", campaign, product_id"),
                )
            ),
            CopyData(
                """
                INSERT INTO rollup_event_users SELECT store, platform, event_date, user_id, behavior, min(event_time)
                FROM events WHERE user_id IS NOT NULL AND behavior IS NOT NULL
                GROUP BY store, platform, event_date, user_id, behavior
                """
            ),
            *(
                CreateLookupIndex(f"{table}_day", table, ("store", day))
                for table, day in (
                    ("rollup_traffic_daily", "date"),
                    ("rollup_traffic_breakdown", "date"),
                    ("rollup_ads_daily", "date"),
                    ("rollup_ads_breakdown", "date"),
                    ("rollup_event_users", "event_date"),
                )
            ),
        ),
    ),
    Migration(
        10,
        "rollups: the days of each month on which each user had each behaviour, one bit a day",
        (
            CreateTable(
                "rollup_event_user_months",
                "store TEXT, platform TEXT, month DATE, user_id TEXT, behavior TEXT, days BIGINT",
            ),
            CopyData(
                """
                INSERT INTO rollup_event_user_months
                SELECT store, platform, CAST(date_trunc('month', event_date) AS DATE), user_id, behavior,
                bit_or(CAST(1 AS BIGINT) << CAST(extract(day FROM event_date) - 1 AS INTEGER))
                FROM rollup_event_users
                GROUP BY store, platform, CAST(date_trunc('month', event_date) AS DATE), user_id, behavior
                """
            ),
            CreateLookupIndex("rollup_event_user_months_day", "rollup_event_user_months", ("store", "month")),
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def columns_at(version: int) -> Columns:
    """table -> column -> SQL type, as migrations 1..version leave them (schema_version aside)."""
    columns: Columns = {}
    for migration in MIGRATIONS:
        if migration.version <= version:
            for step in migration.steps:
                step.apply_to(columns)
    return columns


def applied_version(engine: Engine) -> int:
    """The last migration the database has had (0: a new database)."""
    if not engine.table_exists(SCHEMA_VERSION_TABLE.table):
        return 0
    return int(engine.execute("SELECT coalesce(max(version), 0) FROM schema_version").scalar() or 0)


def migrate(engine: Engine, before_migration: Callable[[Engine, int], object]) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version found before.

    `before_migration(engine, found_version)` runs first when a database of an older version is
    about to change (shopdata.backup.backup_before_migration: nothing is changed without a copy);
    an exception from it stops the migration."""
    current = applied_version(engine)
    if current >= SCHEMA_VERSION:
        return current  # every session opening an up-to-date database: no lock, no wait
    # Sessions opening a new or older database at the same moment: one migrates, the others wait
    # and then find the work done (DuckDB aborts concurrent DDL; PostgreSQL reports duplicates).
    with engine.warehouse_exclusive():
        SCHEMA_VERSION_TABLE.apply(engine)
        current = applied_version(engine)
        if 0 < current < SCHEMA_VERSION:
            before_migration(engine, current)  # a new database has nothing to lose
        for migration in MIGRATIONS:
            if migration.version > current:
                with engine.transaction():
                    for step in migration.steps:
                        step.apply(engine)
                    engine.execute(
                        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                        [migration.version, utcnow()],
                    )
    return current
