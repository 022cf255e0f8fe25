"""Backups of the whole warehouse as one DuckDB file, restores from one, and where they are kept.

A backup is a new DuckDB file holding every table of the warehouse as it was at one moment (one
snapshot), whichever database the warehouse runs on, plus a small `shopdata_backup` table saying what
made it. The same file restores into DuckDB or PostgreSQL.

A restore replaces the business data — stores, batches, remembered mappings, settings and every fact
table — with the backup's, in one transaction, after copying the current state aside. It keeps the
`users` and `sign_ins` tables as they are: accounts are who may sign in now, not data of the stores,
and restoring an older list could lock the current owner out. `schema_version` stays too: the live schema is the
current one and an older backup's rows are mapped into it by column name. So does `data_generation`: the
backup's counters are older, and results cached under a generation must never be served for other
data, so a restore counts one more change on top of the live counters instead (a backup holds the table
only because it copies every table).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from shopdata import settings
from shopdata.engine import (
    COPY_CHUNK_ROWS,
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    Engine,
    duckdb_type_name,
    make_private,
    quote_identifier,
)
from shopdata.errors import BackupError
from shopdata.generation import bump_generation
from shopdata.migrations import BATCH_SEQUENCE, SCHEMA_VERSION, columns_at
from shopdata.sandbox import WorkerFailure, run_limited
from shopdata.schema import META_TABLES, TABLES, utcnow

if TYPE_CHECKING:
    from shopdata.store import Warehouse  # which migrates through this module's backup_before_migration

BACKUP_DIR_ENV = settings.BACKUP_DIR.name
SUFFIX = ".duckdb"
INFO_TABLE = "shopdata_backup"
KEPT_ON_RESTORE = ("schema_version", "users", "sign_ins", "data_generation")
RESTORED_TABLES = tuple(name for name in (*META_TABLES, *TABLES) if name not in KEPT_ON_RESTORE)
DOWNLOAD_PREFIX = "shopdata-backup"
# Opening a file someone uploaded: it may read nothing outside itself (a view could name any path).
DuckDBSettings = dict[str, str | int | float]
_UNTRUSTED_FILE_CONFIG: DuckDBSettings = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
_NOT_A_BACKUP_HINT = "choose a .duckdb file made by Shopdata's “Download a backup”, or one from the backups folder"
# The probe: a backup is read whole in a separate process before the server opens it (see _probe).
PROBE_TIMEOUT_S = 300.0  # a 180 MB backup of 5.4 million rows takes 2 s
PROBE_MEMORY_MB = 4096  # and needs less than 512 MB


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema_version: int
    rows: dict[str, int]  # table -> rows in the backup
    size_bytes: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreInfo:
    schema_version: int  # of the backup that was restored
    rows: dict[str, int]  # table -> rows now in the warehouse, all from the backup
    safety_backup: BackupInfo  # the state just before the restore

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def backup_dir(engine: Engine) -> Path:
    """`SHOPDATA_BACKUP_DIR` if set; else beside a DuckDB file (`shop.duckdb.backups/`); else
    `backups/` in the working directory (a PostgreSQL server or an in-memory database has no folder)."""
    chosen = settings.from_environment(settings.BACKUP_DIR)
    database_file = engine.database_file()
    if chosen:
        folder = Path(chosen)
    elif database_file is None:
        folder = Path("backups").resolve()
    else:
        folder = Path(f"{database_file}.backups")
    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    make_private(folder, PRIVATE_DIR_MODE)  # made by a version before backups were private
    return folder


def backup_file_name(prefix: str, moment: datetime | None = None) -> str:
    stamp = (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{prefix}-{stamp}{SUFFIX}"


def write_backup(engine: Engine, path: str | os.PathLike) -> BackupInfo:
    """Copy every warehouse table that exists into a new DuckDB file at `path` (never over an existing
    file: a taken name gets -2, -3 … before the suffix). The file appears only when complete."""
    path = Path(path)
    known = [*META_TABLES, *TABLES]
    tables = [name for name in known if engine.table_exists(name)]
    # Sequences are outside transactions anyway; read before the copy, so every batch id in the copy is
    # at most this value.
    sequence_last = engine.sequence_last_value(BATCH_SEQUENCE) if "batches" in tables else 0
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        engine.copy_to_duckdb_file(str(partial), tables)
        with duckdb.connect(str(partial)) as con:
            version = int(_aggregate(con, "SELECT coalesce(max(version), 0) FROM schema_version"))
            con.execute(f"CREATE TABLE {INFO_TABLE} (key VARCHAR, value VARCHAR)")
            con.executemany(
                f"INSERT INTO {INFO_TABLE} VALUES (?, ?)",
                [
                    ["made_by", "shopdata"],
                    ["schema_version", str(version)],
                    ["created_at", utcnow().isoformat()],
                    ["batch_seq_last", str(sequence_last)],
                ],
            )
            rows = {name: int(_aggregate(con, f"SELECT count(*) FROM {quote_identifier(name)}")) for name in tables}
        os.chmod(partial, PRIVATE_FILE_MODE)  # whatever the umask: it holds password hashes
        final = _claim_new_name(path)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}.wal").unlink(missing_ok=True)
    return BackupInfo(final, version, rows, final.stat().st_size)


def _aggregate(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The value of a query of one aggregate (such a query always gives one row)."""
    row = con.execute(sql).fetchone()
    if row is None:
        raise LookupError(f"no row from an aggregate: {sql}")
    return row[0]


def _claim_new_name(path: Path) -> Path:
    """Create an empty file under the first free name (atomically, so two writers never pick the same)."""
    for n in range(1, 1000):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(path)


def write_backup_to_dir(engine: Engine, prefix: str) -> BackupInfo:
    return write_backup(engine, backup_dir(engine) / backup_file_name(prefix))


def backup_before_migration(engine: Engine, found_version: int) -> BackupInfo:
    """The schema is never changed without this copy: a failure stops the migration."""
    try:
        return write_backup_to_dir(engine, f"before-migration-{found_version}-to-{SCHEMA_VERSION}")
    except OSError as exc:
        raise BackupError(
            f"the database could not be backed up before updating it to version {SCHEMA_VERSION}: {exc}",
            f"free some disk space, or set {BACKUP_DIR_ENV} to a writable folder, then open it again",
        ) from exc


@functools.cache
def schema_at(version: int) -> dict[str, dict[str, str]]:
    """table -> column -> DuckDB type, as migrations 1..version create them: what a backup of a database
    at that version holds (a backup is a DuckDB file, whichever database it was made from)."""
    return {
        table: {column: duckdb_type_name(sql_type) for column, sql_type in columns.items()}
        for table, columns in columns_at(version).items()
    }


@dataclass
class _OpenBackup:
    con: duckdb.DuckDBPyConnection
    schema_version: int
    columns: dict[str, list[str]]  # restored table -> its columns in the backup, all known to this version
    batch_seq_last: int


def _schema_version_of(con: duckdb.DuckDBPyConnection, tables: dict[str, str], found: dict[str, dict[str, str]]) -> int:
    if tables.get("schema_version") != "BASE TABLE" or "version" not in found["schema_version"]:
        raise BackupError(
            "this DuckDB file is not a Shopdata backup: it has no schema_version table", _NOT_A_BACKUP_HINT
        )
    version = _aggregate(con, "SELECT max(TRY_CAST(version AS INTEGER)) FROM schema_version")
    if version is None or version < 1:
        raise BackupError(
            "this DuckDB file is not a Shopdata backup: its schema_version table is empty", _NOT_A_BACKUP_HINT
        )
    if version > SCHEMA_VERSION:
        raise BackupError(
            f"this backup was made by a newer Shopdata (database version {version}; this one "
            f"knows up to {SCHEMA_VERSION})",
            "update Shopdata, then restore it again",
        )
    return int(version)


def _checked_columns(name: str, found: dict[str, str], expected: dict[str, str]) -> list[str]:
    for column, data_type in found.items():
        if column not in expected:
            raise BackupError(
                f"the backup's table {name} has a column Shopdata does not know: {column}", _NOT_A_BACKUP_HINT
            )
        if data_type != expected[column]:
            raise BackupError(
                f"the backup's column {name}.{column} is {data_type}, Shopdata expects {expected[column]}",
                _NOT_A_BACKUP_HINT,
            )
    return list(found)


def _read_backup(con: duckdb.DuckDBPyConnection) -> _OpenBackup:
    tables = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    )
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall():
        found.setdefault(table, {})[column] = data_type
    version = _schema_version_of(con, tables, found)
    expected = schema_at(version)
    columns = {}
    for name in RESTORED_TABLES:
        if name not in expected:
            continue  # made by a later migration than the backup's: restored as empty
        if tables.get(name) != "BASE TABLE":
            raise BackupError(f"the backup is incomplete: it has no table {name}", _NOT_A_BACKUP_HINT)
        columns[name] = _checked_columns(name, found[name], expected[name])
    sequence_last = 0
    if tables.get(INFO_TABLE) == "BASE TABLE":
        recorded = _aggregate(
            con, f"SELECT max(TRY_CAST(value AS BIGINT)) FROM {INFO_TABLE} WHERE key = 'batch_seq_last'"
        )
        sequence_last = int(recorded or 0)
    return _OpenBackup(con, version, columns, sequence_last)


@contextlib.contextmanager
def open_backup(path: str | os.PathLike, settings: DuckDBSettings | None = None) -> Iterator[_OpenBackup]:
    """A backup file opened read-only in its own connection and checked; anything that is not a
    Shopdata backup this version can restore raises BackupError with a plain message. `settings`:
    more DuckDB configuration, on top of reading nothing outside the file."""
    try:
        con = duckdb.connect(str(path), read_only=True, config={**_UNTRUSTED_FILE_CONFIG, **(settings or {})})
    except duckdb.Error as exc:
        raise BackupError(
            "this file is not a Shopdata backup: it is not a DuckDB database, or it is damaged or from a newer DuckDB",
            _NOT_A_BACKUP_HINT,
        ) from exc
    try:
        try:
            backup = _read_backup(con)
        except duckdb.Error as exc:
            raise BackupError(
                "this file is not a Shopdata backup: it cannot be read (damaged?)", _NOT_A_BACKUP_HINT
            ) from exc
        yield backup
    finally:
        con.close()


def _row_batches(backup: _OpenBackup, name: str) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    """The columns a restore takes from one of the backup's tables (those the live schema has too)
    and its rows in chunks of them."""
    live = schema_at(SCHEMA_VERSION)[name]
    columns = [c for c in backup.columns.get(name, []) if c in live]
    if not columns:
        return [], iter(())
    select = ", ".join(quote_identifier(c) for c in columns)
    return columns, backup.con.execute(f"SELECT {select} FROM {quote_identifier(name)}").to_arrow_reader(
        COPY_CHUNK_ROWS
    )


def _copy_rows(backup: _OpenBackup, name: str, engine: Engine) -> int:
    """Append the backup's rows of one table, in chunks; columns the backup lacks stay NULL."""
    columns, chunks = _row_batches(backup, name)
    copied = 0
    for chunk in chunks:
        engine.insert_arrow(name, pa.Table.from_batches([chunk]), columns)
        copied += chunk.num_rows
    return copied


def _highest_batch_id(backup: _OpenBackup) -> int:
    holders = [name for name in ("batches", *TABLES) if "batch_id" in backup.columns.get(name, [])]
    if not holders:
        return 0
    union = " UNION ALL ".join(f"SELECT max(batch_id) AS id FROM {quote_identifier(name)}" for name in holders)
    return int(_aggregate(backup.con, f"SELECT coalesce(max(id), 0) FROM ({union})"))


def _out_of_memory(exc: BaseException | None) -> bool:
    # DuckDB's own exception, or its message in an error that came through Arrow's stream.
    return isinstance(exc, (MemoryError, duckdb.OutOfMemoryException)) or str(exc).startswith("Out of Memory Error")


def _probe(path: str, duckdb_memory_mb: int) -> bytes:
    """In the limited worker process: everything a restore reads from the file — the checks of
    open_backup, every row of every restored table, the highest batch id — so a file that makes DuckDB
    crash, hang or eat memory does that here, not in the server. Answers b"K", or b"E" + the
    BackupError's message and hint as JSON (never a pickle: this process read a hostile file)."""
    # One thread, and DuckDB's own memory limit under the process's, so it fails with an error first.
    settings: DuckDBSettings = {"threads": 1, "memory_limit": f"{duckdb_memory_mb}MB"}
    try:
        with open_backup(path, settings) as backup:
            for name in RESTORED_TABLES:
                for _chunk in _row_batches(backup, name)[1]:
                    pass
            _highest_batch_id(backup)
    except BackupError as exc:
        if _out_of_memory(exc.__cause__):
            raise MemoryError from exc  # the worker answers "needs more memory than allowed"
        refusal = exc
    except (duckdb.Error, pa.ArrowException, OSError) as exc:  # from the rows: through Arrow as OSError too
        if _out_of_memory(exc):
            raise MemoryError from exc
        first_line = str(exc).partition("\n")[0]
        refusal = BackupError(f"the backup is damaged: its rows cannot be read ({first_line})", _NOT_A_BACKUP_HINT)
    else:
        return b"K"
    return b"E" + json.dumps([refusal.message, refusal.hint]).encode()


_PROBE_HINTS = {
    "bug": "please report it",
    "start": "close other programs and try again",
    "no answer": "close other programs and try again",
}


def _probe_in_worker(path: str | os.PathLike) -> None:
    """Raise BackupError unless `_probe` read the whole file cleanly within PROBE_MEMORY_MB and
    PROBE_TIMEOUT_S."""
    try:
        answer = run_limited(
            _probe, (os.path.abspath(path), max(1, PROBE_MEMORY_MB // 2)), PROBE_TIMEOUT_S, PROBE_MEMORY_MB
        )
    except WorkerFailure as failure:
        damaged = "; it is damaged or not a Shopdata backup" if failure.kind == "stopped" else ""
        raise BackupError(
            f"{failure.describe('the backup')}{damaged}",
            f"nothing was changed; {_PROBE_HINTS.get(failure.kind, _NOT_A_BACKUP_HINT)}",
        ) from failure
    if answer == b"K":
        return
    try:
        message, hint = json.loads(answer[1:]) if answer[:1] == b"E" else (None, None)
        if not isinstance(message, str) or not isinstance(hint, str):
            raise ValueError("not a message and a hint")
    except (ValueError, TypeError):
        message = "the backup could not be read safely: the reader's answer was not understood"
        hint = _NOT_A_BACKUP_HINT
    raise BackupError(message, hint)


def restore_backup(warehouse: Warehouse, path: str | os.PathLike) -> RestoreInfo:
    """Replace the warehouse's business data with the backup's (see the module docstring for what is
    kept), after writing the current state to the backup folder. All or nothing.

    The file is read whole in a limited worker process first (`_probe`): only a file that process
    read cleanly is opened here."""
    _probe_in_worker(path)
    engine = warehouse.engine
    # Reading the backup or writing the warehouse: a failure leaves the warehouse as it was.
    failures: tuple[type[BaseException], ...] = (duckdb.Error, *engine.driver_errors)
    with open_backup(path) as backup:
        # No load of any store may run in between: it would read the old rows to replace, or take a
        # batch id the restored batches hold.
        with engine.warehouse_exclusive():
            safety = write_backup_to_dir(engine, "before-restore")
            try:
                with engine.transaction():
                    rows = {}
                    for name in RESTORED_TABLES:
                        # DELETE, not TRUNCATE: PostgreSQL's TRUNCATE would block every reader until commit.
                        engine.execute(f"DELETE FROM {quote_identifier(name)}")
                        rows[name] = _copy_rows(backup, name, engine)
                    # Never hand out a batch id again that a restored batch, or any batch before, had.
                    engine.advance_sequence_past(BATCH_SEQUENCE, max(_highest_batch_id(backup), backup.batch_seq_last))
                    bump_generation(engine, "restore")
            except failures as exc:
                raise BackupError(
                    f"the backup could not be restored: {exc}",
                    "nothing was changed; try again, or restore another backup",
                ) from exc
    return RestoreInfo(backup.schema_version, rows, safety)
