"""The one module that knows DuckDB from PostgreSQL: connecting, SQL dialect, types, bulk loads.

Everything else talks to an `Engine`: `execute(sql, params)` with `?` placeholders, `transaction()`,
`insert_arrow(table, arrow)` and `ibis()` for the metric layer. One Engine holds one connection and
belongs to one session/thread (DuckDB connections must not be shared across threads). Where the two
databases need different decisions, the decision is a method of Engine implemented by each:
`create_lookup_index` (PostgreSQL needs indexes, DuckDB is faster without), `ingest_connection` (the
DuckDB warehouse lends its connection to the ingest), `database_file` (where backups go by default).
Nothing outside this module names a dialect (tests/unit/test_dialect_boundary.py).
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import io
import os
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from shopdata import settings
from shopdata.errors import DatabaseError

if TYPE_CHECKING:
    import duckdb
    from ibis.backends import BaseBackend

_LOAD_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOAD_LOCKS_GUARD = threading.Lock()
# Every exclusive_transaction holds this key shared; warehouse_exclusive holds it alone. A restore
# replaces every store's rows, so it must wait for the loads of all stores, which use per-store keys.
WAREHOUSE_KEY = "warehouse"

# The dialects that count distinct values per group faster in two groupings — the group's distinct values first,
# then counted — than by COUNT(DISTINCT …). PostgreSQL 15 sorts each group's values for every COUNT(DISTINCT),
# one sort per count (the orders' buyers, new buyers and three repeat counts), where two hash aggregates take
# 0.8–1.4 s instead of 1.8–2.2 s over a million orders; DuckDB hashes distinct values itself, and grouped first it
# took 0.21 s instead of 0.17 s by product (bench warehouse, 10M events).
COUNTS_DISTINCT_BY_GROUPING = frozenset({"postgres"})


# Portable column types of the canonical tables -> each dialect's spelling.
SQL_TYPES = {
    "duckdb": {
        "text": "VARCHAR",
        "double": "DOUBLE",
        "bigint": "BIGINT",
        "date": "DATE",
        "timestamp": "TIMESTAMP",
        "boolean": "BOOLEAN",
        "integer": "INTEGER",
    },
    "postgres": {
        "text": "TEXT",
        "double": "DOUBLE PRECISION",
        "bigint": "BIGINT",
        "date": "DATE",
        "timestamp": "TIMESTAMP",
        "boolean": "BOOLEAN",
        "integer": "INTEGER",
    },
}

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def quote_identifier(name: str) -> str:
    """Only canonical (code-defined) names reach SQL; refuse anything else outright."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a canonical identifier: {name!r}")
    return f'"{name}"'


def database_url(url: str | os.PathLike | None = None) -> str:
    """`--db` beats `SHOPDATA_DB` beats the project's data/shop.duckdb."""
    chosen = url if url is not None else settings.from_environment(settings.DATABASE)
    return str(chosen)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def describe_url(url: str) -> str:
    """For messages: never show a password."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


@dataclass
class Result:
    rows: list[tuple]
    columns: list[str]
    rowcount: int

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple]:
        return self.rows

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def one(self) -> tuple:
        """The only row of a query that always returns one (an aggregate, a sequence's state)."""
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]


class Engine(abc.ABC):
    dialect: str
    con: Any  # the driver's connection (duckdb or psycopg); both take execute() and close()

    def __init__(self, url: str) -> None:
        self.url = url
        self._ibis: BaseBackend | None = None
        self._ibis_tables: dict[str, Any] = {}
        self._ibis_expressions: dict[Hashable, Any] = {}
        self._materialized: dict[Hashable, tuple[int, str]] = {}  # key -> (generation, temporary table)
        self._materialized_count = 0
        self._depth = 0

    # -- provided by each dialect
    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result: ...

    @abc.abstractmethod
    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table: ...

    @abc.abstractmethod
    def insert_arrow(
        self, table: str, data: pa.Table, columns: Sequence[str], constants: dict[str, Any] | None = None
    ) -> None:
        """Append rows; `constants` are the same value for every row (bound parameters, not data)."""

    def is_conflict(self, exc: BaseException) -> bool:
        """A transaction lost a race with another session's (it can simply be run again)."""
        return False

    @property
    @abc.abstractmethod
    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """What the database driver raises when a statement fails (to turn into a plain message)."""

    @abc.abstractmethod
    def exclusive_transaction(self, key: str) -> contextlib.AbstractContextManager:
        """A transaction that runs alone among those with the same key, across every session of this
        database: a load must see the rows of the previous load to replace them, which snapshot
        isolation would hide from two concurrent ones. It also waits while a warehouse_exclusive
        block runs anywhere."""

    @abc.abstractmethod
    def warehouse_exclusive(self) -> contextlib.AbstractContextManager:
        """A block (not itself a transaction) during which no exclusive_transaction of any key runs,
        in any session of this database: for work that replaces every store at once (a restore)."""

    @abc.abstractmethod
    def copy_to_duckdb_file(self, path: str, tables: Sequence[str]) -> None:
        """Write the named tables, as one consistent snapshot, into a new DuckDB file at `path`."""

    @abc.abstractmethod
    def sequence_last_value(self, name: str) -> int:
        """The last value the sequence handed out (start - 1 when it has handed out none)."""

    @abc.abstractmethod
    def advance_sequence_past(self, name: str, value: int) -> None:
        """Make the sequence's next value greater than `value`; never moves it backwards."""

    @abc.abstractmethod
    def set_sequence_last_value(self, name: str, value: int) -> None:
        """Make the sequence's next value `value` + 1, also backwards (a restore repairing a sequence run
        far ahead)."""

    @abc.abstractmethod
    def create_lookup_index(self, name: str, table: str, columns: Sequence[str]) -> None:
        """An index for the lookups a load and a delete make (by natural key, by batch), where this
        database needs one. Migrations call it, so what it creates for given arguments never changes."""

    @abc.abstractmethod
    def ingest_connection(self) -> Any | None:
        """A DuckDB connection in which ingest may leave prepared rows for `insert_select`, sparing
        them a round trip through Arrow: the warehouse's own connection when it is one; else None."""

    @abc.abstractmethod
    def database_file(self) -> Path | None:
        """The file holding the database, or None (a database server, or one in memory)."""

    @abc.abstractmethod
    def column_types(self, table: str) -> list[tuple[str, str]]:
        """The table's columns in order, each with its portable type (the keys of SQL_TYPES' entries)."""

    def _outside_transaction(self, what: str) -> None:
        if self._depth:
            raise RuntimeError(f"{what} cannot run inside a transaction")

    # -- shared: both drivers' connections take these statements as they are
    def _begin(self) -> None:
        self.con.execute("BEGIN")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()

    def ibis(self) -> BaseBackend:
        """An Ibis backend over this very connection (one per session, like the connection)."""
        if self._ibis is None:
            import ibis

            self._ibis = getattr(ibis, self.dialect).from_connection(self.con)
        return self._ibis

    def _column_types(self, table: str, portable_of: dict[str, str]) -> list[tuple[str, str]]:
        return [
            (column, portable_of[data_type.lower()])
            for column, data_type in self.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
                [table],
            ).rows
        ]

    def insert_select(self, table: str, select_sql: str, columns: Sequence[str], constants: dict[str, Any]) -> None:
        """Append the rows of a query on this same connection (see ingest_connection)."""
        target = ", ".join(quote_identifier(c) for c in [*columns, *constants])
        values = ", ".join([*(quote_identifier(c) for c in columns), *("?" for _ in constants)])
        self.execute(
            f"INSERT INTO {quote_identifier(table)} ({target}) SELECT {values} FROM ({select_sql}) AS prepared",
            list(constants.values()),
        )

    def ibis_table(self, name: str) -> Any:
        """A table of this warehouse as an Ibis expression, looked up once per engine: Ibis asks the
        database for the schema on every lookup, and schemas change only through migrations, which run
        before any query. (Kept here, not on the Ibis backend: Ibis backends compare equal by database
        name, so a dictionary keyed by them would mix sessions.)"""
        if name not in self._ibis_tables:
            self._ibis_tables[name] = self.ibis().table(name)
        return self._ibis_tables[name]

    def ibis_expression(self, shape: Hashable, build: Callable[[], Any]) -> Any:
        """An Ibis expression over this engine's tables, built once per `shape` (a key that says everything
        the expression depends on: the metrics layer's scopes are parameters, not values)."""
        if shape not in self._ibis_expressions:
            self._ibis_expressions[shape] = build()
        return self._ibis_expressions[shape]

    def ibis_arrow(self, expr: Any, values: Mapping[Any, str]) -> Any:
        """`expr.to_pyarrow(params=...)` — an Arrow table, or a scalar for a scalar expression — with the
        SQL compiled once per expression shape: the metrics' expressions take every value from a user
        (store, dates, currency) as a text parameter (`values`: parameter node -> value), so
        expressions of one shape are equal and their SQL differs only in those values, which are bound
        here instead of compiled in. Compiling is most of a query's time on a store of this size."""
        template = _compiled_template(self, expr)
        if template is None:  # a shape this cannot template (see _compiled_template): Ibis compiles it
            return expr.to_pyarrow(params={node.to_expr(): value for node, value in values.items()})
        sql, order = template
        return self._ibis_result(expr, sql, [values[node] for node in order])

    def materialized(self, generation: int, key: Hashable, expr: Any, values: Mapping[Any, str]) -> Any:
        """`expr`'s rows as a temporary table of this connection (an Ibis table over it), computed once per data
        generation and `key` (everything the expression depends on besides the data); the tables of older
        generations are dropped. For a derivation every query of a page starts from — the order lines, each
        filled in from its order's other lines and its buyer's history, a window over all the store's orders —
        that only the period's filter follows: computed on the first query, read by the others and by every
        filter change until the data changes. None when the expression's SQL cannot be templated."""
        found = self.existing_materialized(generation, key)
        if found is not None:
            return found
        template = _compiled_template(self, expr)
        if template is None:
            return None
        for old_key, (old_generation, old_name) in list(self._materialized.items()):
            if old_generation < generation or old_key == key:
                self._drop_temporary(old_name)
                del self._materialized[old_key]
        sql, order = template
        self._materialized_count += 1
        name = f"shopdata_derived_{self._materialized_count}"
        self._create_temporary(name, sql, [values[node] for node in order])
        self._materialized[key] = (generation, name)
        return self.ibis_table(name)

    def existing_materialized(self, generation: int, key: Hashable) -> Any:
        """The table `materialized` made for `key` at this data generation, or None: asked first, so that the
        expression, a window over all the store's orders (~60 ms of Ibis to build), is built only when needed."""
        found = self._materialized.get(key)
        if found is not None and found[0] == generation:
            return self.ibis_table(found[1])
        return None

    def _create_temporary(self, name: str, select_sql: str, params: Sequence[Any]) -> None:
        self.execute(f"CREATE TEMPORARY TABLE {quote_identifier(name)} AS {select_sql}", params)

    def _template_text(self, sql: str) -> str:
        """Compiled SQL as _ibis_result and _create_temporary run it with its parameters (DuckDB's: as is)."""
        return sql

    @abc.abstractmethod
    def refresh_statistics(self, tables: Sequence[str]) -> None:
        """Tell the planner what the tables hold now, after rows were written in bulk (a restore)."""

    def _drop_temporary(self, name: str) -> None:
        self._ibis_tables.pop(name, None)
        self.execute(f"DROP TABLE IF EXISTS {quote_identifier(name)}")

    @abc.abstractmethod
    def _ibis_result(self, expr: Any, sql: str, params: Sequence[Any]) -> Any:
        """Run SQL compiled from `expr` and convert its rows as Ibis's to_pyarrow does."""

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Engine]:
        """All or nothing. Nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        else:
            self._depth = 0
            self._commit()

    def table_exists(self, name: str) -> bool:
        return bool(
            self.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()",
                [name],
            ).scalar()
        )

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_COMPILED: OrderedDict[tuple[str, Any], tuple[str, tuple[Any, ...]] | None] = OrderedDict()
_COMPILED_LOCK = threading.Lock()
COMPILED_SHAPES = 2048  # a few hundred shapes serve every page; the least recently used go first
_SENTINEL = re.compile(r"'shopdata_param_([0-9]+)_[0-9a-f]{12}'")


def counts_distinct_by_grouping(backend: Any) -> bool:
    """Whether the database behind `backend` — an Engine, or an Ibis backend over its connection (whose `name` is
    the dialect) — counts distinct values per group faster by grouping on them first (COUNTS_DISTINCT_BY_GROUPING)."""
    dialect = backend.dialect if isinstance(backend, Engine) else getattr(backend, "name", "")
    return dialect in COUNTS_DISTINCT_BY_GROUPING


def _compiled_template(engine: Engine, expr: Any) -> tuple[str, tuple[Any, ...]] | None:
    """The expression's SQL with a `?` for each parameter occurrence and the parameters in that order, or
    None when it cannot be templated safely (then it is compiled as usual every time)."""
    import ibis.expr.operations as ops

    key = (engine.dialect, expr.op())
    with _COMPILED_LOCK:
        if key in _COMPILED:
            _COMPILED.move_to_end(key)
            return _COMPILED[key]
    nodes = list(expr.op().find(ops.ScalarParameter))
    template: tuple[str, tuple[Any, ...]] | None = None
    # In-memory tables are registered by Ibis just before it runs a query; text parameters only, so each
    # renders as one quoted literal; SQL with its own ? would make the placeholders ambiguous (a % is
    # escaped by the dialect's _template_text: a weekday's `% 7`).
    if not expr.op().find(ops.InMemoryTable) and all(node.dtype.is_string() for node in nodes):
        token = uuid.uuid4().hex[:12]
        sentinels = {node.to_expr(): f"shopdata_param_{n}_{token}" for n, node in enumerate(nodes)}
        sql = str(engine.ibis().compile(expr, params=sentinels))
        if "?" not in sql:
            order = tuple(nodes[int(found.group(1))] for found in _SENTINEL.finditer(sql))
            text = _SENTINEL.sub("?", sql)
            if token not in text:
                template = (engine._template_text(text), order)
    with _COMPILED_LOCK:
        _COMPILED[key] = template
        while len(_COMPILED) > COMPILED_SHAPES:
            _COMPILED.popitem(last=False)
    return template


class _SharedExclusiveLock:
    """Any number of shared holders, or one exclusive holder. A waiting exclusive holder keeps new
    shared ones out, so a restore is not starved by a stream of loads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._shared_holders = 0
        self._exclusive_held = False
        self._exclusive_waiting = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._exclusive_held and not self._exclusive_waiting)
            self._shared_holders += 1
        try:
            yield
        finally:
            with self._changed:
                self._shared_holders -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._changed:
            self._exclusive_waiting += 1
            try:
                self._changed.wait_for(lambda: not self._exclusive_held and not self._shared_holders)
            finally:
                self._exclusive_waiting -= 1
            self._exclusive_held = True
        try:
            yield
        finally:
            with self._changed:
                self._exclusive_held = False
                self._changed.notify_all()


_WAREHOUSE_LOCKS: dict[str, _SharedExclusiveLock] = {}

# DuckDB column types as PostgreSQL's information_schema spells the same portable types.
_DUCKDB_TYPE_OF_POSTGRES = {
    **{SQL_TYPES["postgres"][p].lower(): SQL_TYPES["duckdb"][p] for p in SQL_TYPES["postgres"]},
    "timestamp without time zone": SQL_TYPES["duckdb"]["timestamp"],
}
ARROW_TYPE_OF_DUCKDB = {
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BIGINT": pa.int64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
}
COPY_CHUNK_ROWS = 100_000
# The least memory a PostgreSQL sort or hash of ours may use before it spills to disk (the server's default is
# 4 MB). At 4 MB the funnel's distinct users over 90 days of a 10M-event store (2.4M rows, 370k user-behaviour
# pairs, ~45 MB of hash table) spilled to disk, and the planner read the rows by index one page at a time: 9.4 s
# a query; at 32 MB, 2.5 s. A server configured with more keeps its own figure.
POSTGRES_MIN_WORK_MEM = "32MB"
# information_schema's type names (lower case) -> portable types.
_PORTABLE_OF_DUCKDB = {spelled.lower(): portable for portable, spelled in SQL_TYPES["duckdb"].items()}
_PORTABLE_OF_POSTGRES = {
    **{spelled.lower(): portable for portable, spelled in SQL_TYPES["postgres"].items()},
    "timestamp without time zone": "timestamp",
}


def duckdb_type_name(sql_type: str) -> str:
    """How DuckDB (a backup file) names the type of a column declared as `sql_type` in DuckDB or
    PostgreSQL (TEXT -> VARCHAR, DOUBLE PRECISION -> DOUBLE)."""
    return _DUCKDB_TYPE_OF_POSTGRES[" ".join(sql_type.lower().split())]


def duckdb_string_literal(text: str) -> str:
    """A SQL string literal for the few statements (ATTACH) that take no bound parameters."""
    return "'" + text.replace("'", "''") + "'"


class DuckDBEngine(Engine):
    dialect = "duckdb"

    @property
    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import duckdb

        return (duckdb.Error,)

    def __init__(self, url: str, read_only: bool = False) -> None:
        import duckdb

        super().__init__(url)
        path = Path(url)
        if url != ":memory:":
            path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            if path.parent.resolve() == Path(settings.DATABASE.default).parent:
                make_private(path.parent, PRIVATE_DIR_MODE)  # the project's data/ folder
        try:
            self.con = duckdb.connect(url, read_only=read_only)
            if url != ":memory:":
                for existing in (path, Path(f"{url}.wal")):  # one made before files were private: tightened
                    make_private(existing, PRIVATE_FILE_MODE)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseError(
                    f"the database file {url} is in use by another program",
                    "close the other Shopdata window or command that has it open (or stop it), then try again",
                ) from exc
            raise DatabaseError(
                f"cannot open the database file {url}: {exc}", "check that the folder exists and is writable"
            ) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        cur = self.con.execute(sql, list(params)) if params else self.con.execute(sql)
        if cur.description is None:
            return Result([], [], -1)
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
        # DuckDB reports DML row counts as a one-row result named "Count".
        rowcount = int(rows[0][0]) if columns == ["Count"] and len(rows) == 1 else len(rows)
        return Result(rows, columns, rowcount)

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        cur = self.con.execute(sql, list(params)) if params else self.con.execute(sql)
        return cur.fetch_arrow_table()

    def _ibis_result(self, expr: Any, sql: str, params: Sequence[Any]) -> Any:
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        return expr.__pyarrow_result__(self.arrow(sql, params), data_mapper=DuckDBPyArrowData)

    def insert_arrow(
        self, table: str, data: pa.Table, columns: Sequence[str], constants: dict[str, Any] | None = None
    ) -> None:
        constants = constants or {}
        target = ", ".join(quote_identifier(c) for c in [*columns, *constants])
        values = ", ".join([*(quote_identifier(c) for c in columns), *("?" for _ in constants)])
        view = "_shopdata_incoming"
        self.con.register(view, data)
        try:
            self.con.execute(
                f"INSERT INTO {quote_identifier(table)} ({target}) SELECT {values} FROM {view}",
                list(constants.values()),
            )
        finally:
            self.con.unregister(view)

    @contextlib.contextmanager
    def exclusive_transaction(self, key: str) -> Iterator[Engine]:
        # One process owns a DuckDB file for writing, so a lock per file and key in this process is
        # enough; it is taken before the transaction so the snapshot starts after the last commit.
        with _LOAD_LOCKS_GUARD:
            lock = _LOAD_LOCKS.setdefault((os.path.abspath(self.url), key), threading.Lock())
        with self._warehouse_lock().shared(), lock, self.transaction():
            yield self

    def _warehouse_lock(self) -> _SharedExclusiveLock:
        with _LOAD_LOCKS_GUARD:
            return _WAREHOUSE_LOCKS.setdefault(os.path.abspath(self.url), _SharedExclusiveLock())

    @contextlib.contextmanager
    def warehouse_exclusive(self) -> Iterator[Engine]:
        self._outside_transaction("warehouse_exclusive")
        with self._warehouse_lock().exclusive():
            yield self

    def copy_to_duckdb_file(self, path: str, tables: Sequence[str]) -> None:
        # Inside DuckDB: no rows pass through Python. Attached databases are shared by every
        # connection of this file, so the alias is unique to this copy.
        self._outside_transaction("copy_to_duckdb_file")
        alias = f"shopdata_copy_{uuid.uuid4().hex}"
        self.con.execute(f"ATTACH {duckdb_string_literal(str(path))} AS {alias}")
        try:
            with self.transaction():  # one snapshot for every table
                for name in tables:
                    self.con.execute(
                        f"CREATE TABLE {alias}.main.{quote_identifier(name)} AS SELECT * FROM {quote_identifier(name)}"
                    )
        finally:
            self.con.execute(f"DETACH {alias}")  # closes the file, writing its WAL into it

    def sequence_last_value(self, name: str) -> int:
        last, start = self.execute(
            "SELECT last_value, start_value FROM duckdb_sequences() "
            "WHERE sequence_name = ? AND database_name = current_database() AND schema_name = current_schema()",
            [name],
        ).one()
        return int(last) if last is not None else int(start) - 1

    def advance_sequence_past(self, name: str, value: int) -> None:
        # DuckDB cannot ALTER a sequence's value; recreating it is transactional, and this project
        # uses sequences only through nextval() calls, never as column defaults that would hold on to them.
        if self.sequence_last_value(name) >= value:
            return
        with self.transaction():
            self.execute(f"DROP SEQUENCE {quote_identifier(name)}")
            self.execute(f"CREATE SEQUENCE {quote_identifier(name)} START {int(value) + 1}")

    def set_sequence_last_value(self, name: str, value: int) -> None:
        if self.sequence_last_value(name) == value:
            return
        with self.transaction():
            self.execute(f"DROP SEQUENCE {quote_identifier(name)}")
            self.execute(f"CREATE SEQUENCE {quote_identifier(name)} START {int(value) + 1}")

    def is_conflict(self, exc: BaseException) -> bool:
        import duckdb

        return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()

    def create_lookup_index(self, name: str, table: str, columns: Sequence[str]) -> None:
        # None: DuckDB's ART indexes slow bulk inserts, and its hash joins need no index.
        return None

    def refresh_statistics(self, tables: Sequence[str]) -> None:
        return None  # DuckDB keeps each table's statistics as it writes

    def ingest_connection(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def database_file(self) -> Path | None:
        return None if self.url == ":memory:" else Path(self.url)

    def column_types(self, table: str) -> list[tuple[str, str]]:
        return self._column_types(table, _PORTABLE_OF_DUCKDB)


class PostgresEngine(Engine):
    dialect = "postgres"

    @property
    def driver_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def __init__(self, url: str) -> None:
        import psycopg

        super().__init__(url)
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as exc:
            raise DatabaseError(
                f"cannot connect to PostgreSQL at {describe_url(url)}",
                "check that the server is running and the URL, user and password are right",
            ) from exc
        self.con.execute(
            "SELECT set_config('work_mem', %(least)s, false)"
            " WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%(least)s)",
            {"least": POSTGRES_MIN_WORK_MEM},
        )

    @contextlib.contextmanager
    def exclusive_transaction(self, key: str) -> Iterator[Engine]:
        # A transaction-scoped advisory lock; under READ COMMITTED every later statement sees what the
        # previous holder committed.
        with self.transaction():
            self.execute("SELECT pg_advisory_xact_lock_shared(?)", [self._lock_id(WAREHOUSE_KEY)])
            self.execute("SELECT pg_advisory_xact_lock(?)", [self._lock_id(key)])
            yield self

    @staticmethod
    def _lock_id(key: str) -> int:
        return int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big", signed=True)

    @contextlib.contextmanager
    def warehouse_exclusive(self) -> Iterator[Engine]:
        # Session-level, not transaction-level: the block runs several transactions of its own.
        self._outside_transaction("warehouse_exclusive")
        self.execute("SELECT pg_advisory_lock(?)", [self._lock_id(WAREHOUSE_KEY)])
        try:
            yield self
        finally:
            self.execute("SELECT pg_advisory_unlock(?)", [self._lock_id(WAREHOUSE_KEY)])

    def copy_to_duckdb_file(self, path: str, tables: Sequence[str]) -> None:
        import duckdb

        self._outside_transaction("copy_to_duckdb_file")
        target = duckdb.connect(str(path))
        try:
            # One snapshot for every table; streamed through a server-side cursor in chunks so a large
            # table never sits in memory whole.
            self.con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                for name in tables:
                    self._copy_table(name, target)
            finally:
                self.con.execute("ROLLBACK")  # read only: nothing to keep
        finally:
            target.close()

    def _copy_table(self, name: str, target) -> None:
        columns = self.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            [name],
        ).rows
        types = {column: _DUCKDB_TYPE_OF_POSTGRES[data_type] for column, data_type in columns}
        target.execute(
            f"CREATE TABLE {quote_identifier(name)} ("
            + ", ".join(f"{quote_identifier(c)} {t}" for c, t in types.items())
            + ")"
        )
        schema = pa.schema([(c, ARROW_TYPE_OF_DUCKDB[t]) for c, t in types.items()])
        select = ", ".join(quote_identifier(c) for c in types)
        with self.con.cursor(name=f"shopdata_copy_{name}") as cur:
            cur.execute(f"SELECT {select} FROM {quote_identifier(name)}")
            while rows := cur.fetchmany(COPY_CHUNK_ROWS):
                chunk = pa.Table.from_arrays(
                    [
                        pa.array(values, type=field.type)
                        for values, field in zip(zip(*rows, strict=False), schema, strict=False)
                    ],
                    schema=schema,
                )
                target.register("_shopdata_chunk", chunk)
                target.execute(f"INSERT INTO {quote_identifier(name)} SELECT * FROM _shopdata_chunk")
                target.unregister("_shopdata_chunk")

    def sequence_last_value(self, name: str) -> int:
        last, called = self.execute(f"SELECT last_value, is_called FROM {quote_identifier(name)}").one()
        return int(last) if called else int(last) - 1

    def advance_sequence_past(self, name: str, value: int) -> None:
        if self.sequence_last_value(name) < value:
            self.execute("SELECT setval(?, ?)", [name, int(value)])

    def set_sequence_last_value(self, name: str, value: int) -> None:
        # Batch sequences start at 1: "none handed out yet" is 1 with is_called false.
        self.execute("SELECT setval(?, ?, ?)", [name, max(int(value), 1), value >= 1])

    def create_lookup_index(self, name: str, table: str, columns: Sequence[str]) -> None:
        self.execute(
            f"CREATE INDEX IF NOT EXISTS {quote_identifier(name)} ON {quote_identifier(table)} "
            f"({', '.join(quote_identifier(c) for c in columns)})"
        )

    def ingest_connection(self) -> None:
        return None

    def database_file(self) -> Path | None:
        return None

    def column_types(self, table: str) -> list[tuple[str, str]]:
        return self._column_types(table, _PORTABLE_OF_POSTGRES)

    @staticmethod
    def _placeholders(sql: str) -> str:
        # Canonical SQL in this project uses `?`; psycopg wants %s. No SQL here contains literal % or ?.
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        # Without parameters psycopg is handed none, and a % in the SQL is read as written.
        return self._run(self._placeholders(sql), list(params) if params else None)

    def _run(self, sql: str, params: list[Any] | None) -> Result:
        with self.con.cursor() as cur:
            cur.execute(sql, params)
            if cur.description is None:
                return Result([], [], cur.rowcount)
            columns = [d.name for d in cur.description]
            rows = [tuple(r) for r in cur.fetchall()]
            return Result(rows, columns, cur.rowcount)

    def _template_text(self, sql: str) -> str:
        # psycopg reads a % as the start of a placeholder in SQL run with parameters, as _ibis_result and
        # _create_temporary always run a template (with none, too): a literal % is written %%. Without this a
        # query with a weekday (`% 7`) was compiled afresh on every run and never kept as a temporary table.
        return sql.replace("%", "%%")

    def _create_temporary(self, name: str, select_sql: str, params: Sequence[Any]) -> None:
        import psycopg

        # PostgreSQL takes no parameters in a utility statement (CREATE TABLE … AS): psycopg binds them on the
        # client side for this one, quoting each value as a literal of its type.
        with psycopg.ClientCursor(self.con) as cur:
            cur.execute(
                self._placeholders(f"CREATE TEMPORARY TABLE {quote_identifier(name)} AS {select_sql}"), list(params)
            )
        # Autovacuum never analyses a temporary table: without its statistics the planner guesses its size and
        # the queries over it (every order figure of a page) pick nested loops over a million rows.
        self.refresh_statistics([name])

    def refresh_statistics(self, tables: Sequence[str]) -> None:
        # Autovacuum analyses a table some time after rows are written; pages asked before then are planned
        # blind (a restored warehouse of millions of rows read as if empty).
        for name in tables:
            self.execute(f"ANALYZE {quote_identifier(name)}")

    def _ibis_result(self, expr: Any, sql: str, params: Sequence[Any]) -> Any:
        # As Ibis's PostgreSQL backend builds its Arrow results: rows into its schema's struct type.
        schema = expr.as_table().schema()
        # Its parameter list is handed over even when empty: a template writes a literal % as %% (_template_text).
        rows = self._run(self._placeholders(sql), list(params)).rows
        batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=schema.as_struct().to_pyarrow()))
        return expr.__pyarrow_result__(pa.Table.from_batches([batch], schema=schema.to_pyarrow()))

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        result = self.execute(sql, params)
        return (
            pa.Table.from_pylist(result.records())
            if result.rows
            else pa.table({c: pa.array([], pa.null()) for c in result.columns})
        )

    def insert_arrow(
        self, table: str, data: pa.Table, columns: Sequence[str], constants: dict[str, Any] | None = None
    ) -> None:
        import pyarrow.csv as pacsv

        if data.num_rows == 0:
            return
        data = data.select(list(columns))
        for name, value in (constants or {}).items():
            data = data.append_column(name, pa.repeat(pa.scalar(value), data.num_rows))
        cols = ", ".join(quote_identifier(c) for c in data.column_names)
        buffer = io.BytesIO()
        pacsv.write_csv(data, buffer, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
        with self.con.cursor() as cur:
            with cur.copy(f"COPY {quote_identifier(table)} ({cols}) FROM STDIN WITH (FORMAT csv)") as copy:
                view = buffer.getbuffer()
                step = 1 << 20
                for start in range(0, len(view), step):
                    copy.write(view[start : start + step])


PRIVATE_FILE_MODE, PRIVATE_DIR_MODE = 0o600, 0o700


def keep_files_private() -> None:
    """Every file and folder this process creates from now on is readable by its own account only (0600,
    0700): the warehouse holds password hashes, and so do its backups. A umask, not a chmod after each
    file: DuckDB deletes the .wal at each checkpoint and creates it again on the next write. Set for the
    whole process and never put back (os.umask cannot be read without setting it, so another thread
    could create a file under a looser mask in between)."""
    os.umask(0o077)


def make_private(path: Path, mode: int) -> None:
    """Tighten a file or folder Shopdata made before its files were private (a file of another account
    is left to it)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if path.stat().st_mode & 0o777 & ~mode:
            path.chmod(mode)


def connect(url: str | os.PathLike | None = None, read_only: bool = False) -> Engine:
    """Open the warehouse: a DuckDB file path (created on first use) or a postgresql:// URL. Whichever it
    is, the files this process writes from now on (the DuckDB file and its .wal, backups) are private."""
    keep_files_private()
    chosen = database_url(url)
    if is_postgres_url(chosen):
        return PostgresEngine(chosen)
    return DuckDBEngine(chosen, read_only=read_only)
