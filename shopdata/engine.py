"""The one module that knows DuckDB from PostgreSQL: connecting, SQL dialect, DDL types, bulk loads.

Everything else talks to an `Engine`: `execute(sql, params)` with `?` placeholders, `transaction()`,
`insert_arrow(table, arrow)` and `ibis()` for the metric layer. One Engine holds one connection and
belongs to one session/thread (DuckDB connections must not be shared across threads).
"""
from __future__ import annotations

import abc
import contextlib
import hashlib
import io
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from shopdata.errors import DatabaseError

_LOAD_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOAD_LOCKS_GUARD = threading.Lock()

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "shop.duckdb"

# Portable column types of the canonical tables -> each dialect's spelling.
SQL_TYPES = {
    "duckdb": {"text": "VARCHAR", "double": "DOUBLE", "bigint": "BIGINT", "date": "DATE",
               "timestamp": "TIMESTAMP", "boolean": "BOOLEAN", "integer": "INTEGER"},
    "postgres": {"text": "TEXT", "double": "DOUBLE PRECISION", "bigint": "BIGINT", "date": "DATE",
                 "timestamp": "TIMESTAMP", "boolean": "BOOLEAN", "integer": "INTEGER"},
}

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def quote_identifier(name: str) -> str:
    """Only canonical (code-defined) names reach SQL; refuse anything else outright."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a canonical identifier: {name!r}")
    return f'"{name}"'


def database_url(url: str | os.PathLike | None = None) -> str:
    """`--db` beats `SHOPDATA_DB` beats the project's data/shop.duckdb."""
    chosen = url if url is not None else os.environ.get("SHOPDATA_DB") or DEFAULT_DB_PATH
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
        return [dict(zip(self.columns, row)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


class Engine(abc.ABC):
    dialect: str

    def __init__(self, url: str) -> None:
        self.url = url
        self._ibis = None
        self._depth = 0

    # -- provided by each dialect
    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result: ...

    @abc.abstractmethod
    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table: ...

    @abc.abstractmethod
    def insert_arrow(self, table: str, data: pa.Table, columns: Sequence[str],
                     constants: dict[str, Any] | None = None) -> None:
        """Append rows; `constants` are the same value for every row (bound parameters, not data)."""

    def is_conflict(self, exc: BaseException) -> bool:
        """A transaction lost a race with another session's (it can simply be run again)."""
        return False

    @abc.abstractmethod
    def exclusive_transaction(self, key: str) -> contextlib.AbstractContextManager:
        """A transaction that runs alone among those with the same key, across every session of this
        database: a load must see the rows of the previous load to replace them, which snapshot
        isolation would hide from two concurrent ones."""

    # -- shared: both drivers' connections take these statements as they are
    def _begin(self) -> None:
        self.con.execute("BEGIN")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()

    def ibis(self):
        """An Ibis backend over this very connection (one per session, like the connection)."""
        if self._ibis is None:
            import ibis

            self._ibis = getattr(ibis, self.dialect).from_connection(self.con)
        return self._ibis
    def sql_type(self, portable: str) -> str:
        return SQL_TYPES[self.dialect][portable]

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
        return bool(self.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()",
            [name]).scalar())

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBEngine(Engine):
    dialect = "duckdb"

    def __init__(self, url: str, read_only: bool = False) -> None:
        import duckdb

        super().__init__(url)
        path = Path(url)
        if url != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(url, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseError(
                    f"the database file {url} is in use by another program",
                    "close the other Shopdata window or command that has it open (or stop it), then try again",
                ) from exc
            raise DatabaseError(f"cannot open the database file {url}: {exc}",
                                "check that the folder exists and is writable") from exc

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

    def insert_arrow(self, table: str, data: pa.Table, columns: Sequence[str],
                     constants: dict[str, Any] | None = None) -> None:
        constants = constants or {}
        target = ", ".join(quote_identifier(c) for c in [*columns, *constants])
        values = ", ".join([*(quote_identifier(c) for c in columns), *("?" for _ in constants)])
        view = "_shopdata_incoming"
        self.con.register(view, data)
        try:
            self.con.execute(f"INSERT INTO {quote_identifier(table)} ({target}) SELECT {values} FROM {view}",
                             list(constants.values()))
        finally:
            self.con.unregister(view)

    @contextlib.contextmanager
    def exclusive_transaction(self, key: str) -> Iterator[Engine]:
        # One process owns a DuckDB file for writing, so a lock per file and key in this process is
        # enough; it is taken before the transaction so the snapshot starts after the last commit.
        with _LOAD_LOCKS_GUARD:
            lock = _LOAD_LOCKS.setdefault((os.path.abspath(self.url), key), threading.Lock())
        with lock, self.transaction():
            yield self

    def is_conflict(self, exc: BaseException) -> bool:
        import duckdb

        return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()

    def insert_select(self, table: str, select_sql: str, columns: Sequence[str], constants: dict[str, Any]) -> None:
        """Append the rows of a query on this same connection (rows prepared in a temp table)."""
        target = ", ".join(quote_identifier(c) for c in [*columns, *constants])
        values = ", ".join([*(quote_identifier(c) for c in columns), *("?" for _ in constants)])
        self.con.execute(f"INSERT INTO {quote_identifier(table)} ({target}) SELECT {values} FROM ({select_sql}) AS prepared",
                         list(constants.values()))



class PostgresEngine(Engine):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        super().__init__(url)
        try:
            self.con = psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as exc:
            raise DatabaseError(f"cannot connect to PostgreSQL at {describe_url(url)}",
                                "check that the server is running and the URL, user and password are right") from exc

    @contextlib.contextmanager
    def exclusive_transaction(self, key: str) -> Iterator[Engine]:
        # A transaction-scoped advisory lock; under READ COMMITTED every later statement sees what the
        # previous holder committed.
        digest = int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big", signed=True)
        with self.transaction():
            self.execute("SELECT pg_advisory_xact_lock(?)", [digest])
            yield self

    @staticmethod
    def _placeholders(sql: str) -> str:
        # Canonical SQL in this project uses `?`; psycopg wants %s. No SQL here contains literal % or ?.
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        with self.con.cursor() as cur:
            cur.execute(self._placeholders(sql), list(params) if params else None)
            if cur.description is None:
                return Result([], [], cur.rowcount)
            columns = [d.name for d in cur.description]
            rows = [tuple(r) for r in cur.fetchall()]
            return Result(rows, columns, cur.rowcount)

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        result = self.execute(sql, params)
        return pa.Table.from_pylist(result.records()) if result.rows else pa.table(
            {c: pa.array([], pa.null()) for c in result.columns})

    def insert_arrow(self, table: str, data: pa.Table, columns: Sequence[str],
                     constants: dict[str, Any] | None = None) -> None:
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
                    copy.write(view[start:start + step])



def connect(url: str | os.PathLike | None = None, read_only: bool = False) -> Engine:
    """Open the warehouse: a DuckDB file path (created on first use) or a postgresql:// URL."""
    chosen = database_url(url)
    if is_postgres_url(chosen):
        return PostgresEngine(chosen)
    return DuckDBEngine(chosen, read_only=read_only)
