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

The server never opens an uploaded backup: a limited worker process (`_export`, run by sandbox.run_limited)
reads it, refuses anything but plain tables and values the app can use, and writes the rows as Arrow
streams into a folder the server made; the restore inserts those rows.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from shopdata import rollups, settings
from shopdata.engine import (
    ARROW_TYPE_OF_DUCKDB,
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
from shopdata.ingest.layouts import KINDS, LAYOUTS
from shopdata.migrations import BATCH_SEQUENCE, SCHEMA_VERSION, columns_at
from shopdata.sandbox import WorkerFailure, run_limited
from shopdata.schema import META_TABLES, ROLLUP_TABLES, TABLES, utcnow

if TYPE_CHECKING:
    from shopdata.store import Warehouse  # which migrates through this module's backup_before_migration

BACKUP_DIR_ENV = settings.BACKUP_DIR.name
SUFFIX = ".duckdb"
INFO_TABLE = "shopdata_backup"
# Kept as they are: the installation's own state and its credentials (accounts, the group robots' URLs and
# secrets), not the data a backup brings back.
KEPT_ON_RESTORE = ("schema_version", "users", "sign_ins", "data_generation", "webhooks")
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
# The export: an uploaded backup is read whole, checked and written out as plain rows in a separate
# process; the server restores from those rows and never opens the file (see _export).
EXPORT_TIMEOUT_S = 300.0  # a 180 MB backup of 5.4 million rows takes 2 s to read
EXPORT_MEMORY_MB = 4096  # and needs less than 512 MB
# Batch ids, and the sequence that hands them out, stay below this: exact in a JavaScript number (the
# pages), and far from BIGINT's end, where every later upload would fail.
BATCH_ID_LIMIT = 2**53


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


def _recorded_sequence(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> int:
    """The batch sequence's last value the backup recorded (0 in a file without the record)."""
    if tables.get(INFO_TABLE) != "BASE TABLE":
        return 0
    recorded = [
        row[0]
        for row in con.execute(
            f"SELECT CAST(value AS VARCHAR) FROM {INFO_TABLE} WHERE key = 'batch_seq_last' LIMIT 2"
        ).fetchall()
    ]
    if not recorded:
        return 0
    text = recorded[0] or ""
    if len(recorded) > 1 or not text.isascii() or not text.isdigit() or len(text) > 20:
        raise BackupError(f"the backup's batch sequence is not a number: {text[:40]!r}", _NOT_A_BACKUP_HINT)
    return _batch_id_in_range(int(text), "the backup's batch sequence")


def _batch_id_in_range(value: int, what: str) -> int:
    if not 0 <= value < BATCH_ID_LIMIT:
        raise BackupError(f"{what} is {value:,}, beyond the {BATCH_ID_LIMIT:,} Shopdata allows", _NOT_A_BACKUP_HINT)
    return value


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
    _refuse_anything_but_plain_tables(con)
    return _OpenBackup(con, version, columns, _recorded_sequence(con, tables))


# What a backup never holds (write_backup makes plain tables of values, nothing more): anything here is
# something the file would have DuckDB compute or keep doing while it is read — a generated column can
# expand a small file into gigabytes.
_NOT_PLAIN = (
    ("a view", "SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = ?"),
    ("a macro", "SELECT function_name FROM duckdb_functions() WHERE NOT internal AND database_name = ?"),
    ("a sequence", "SELECT sequence_name FROM duckdb_sequences() WHERE database_name = ?"),
    ("an index", "SELECT index_name FROM duckdb_indexes() WHERE database_name = ?"),
    ("a type of its own", "SELECT type_name FROM duckdb_types() WHERE NOT internal AND database_name = ?"),
    (
        "a computed or default column",
        "SELECT table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE database_name = ? AND column_default IS NOT NULL",
    ),
    (
        "a constraint",
        "SELECT table_name || ' ' || constraint_type FROM duckdb_constraints() "
        "WHERE database_name = ? AND constraint_type <> 'NOT NULL'",
    ),
)


def _refuse_anything_but_plain_tables(con: duckdb.DuckDBPyConnection) -> None:
    database = _aggregate(con, "SELECT current_database()")
    for what, sql in _NOT_PLAIN:
        row = con.execute(f"{sql} LIMIT 1", [database]).fetchone()
        if row is not None:
            raise BackupError(
                f"this file is not a plain Shopdata backup: it holds {what} ({str(row[0])[:80]})", _NOT_A_BACKUP_HINT
            )


@contextlib.contextmanager
def open_backup(path: str | os.PathLike, settings: DuckDBSettings | None = None) -> Iterator[_OpenBackup]:
    """A backup file opened read-only in its own connection and checked; anything that is not a
    Shopdata backup this version can restore raises BackupError with a plain message. `settings`:
    more DuckDB configuration, on top of reading nothing outside the file. Only for a file this
    process may open: an uploaded one is opened by `_export`, in the limited worker."""
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


# -- the export: the limited worker reads the uploaded file, checks every value the app later trusts, and
# writes plain rows (one Arrow IPC stream per table) that the server restores from.

_EXPORT_SUFFIX = ".arrows"
_EXPORT_COMPRESSION = "zstd"
# Values the pages and the command line parse or look up: a restore must not store one they cannot.
_JSON_SHAPES: dict[str, dict[str, type]] = {
    "batches": {"mapping": dict, "skipped_reasons": dict, "warnings": list},
    "mappings": {"mapping": dict},
    "settings": {"value": object},
}
_KIND_COLUMNS = {"batches": "kind", "mappings": "kind"}
PLATFORMS = tuple(sorted({layout.platform for layout in LAYOUTS}))  # every upload's platform is its layout's
_PLATFORM_TABLES = ("batches", "mappings", *TABLES)


def _live_arrow_schema(name: str, columns: list[str]) -> pa.Schema:
    live = schema_at(SCHEMA_VERSION)[name]
    return pa.schema([(column, ARROW_TYPE_OF_DUCKDB[live[column]]) for column in columns])


def _first_offender(con: duckdb.DuckDBPyConnection, name: str, column: str, where: str, params: list) -> Any:
    row = con.execute(
        f"SELECT {quote_identifier(column)} FROM {quote_identifier(name)} WHERE {where} LIMIT 1", params
    ).fetchone()
    return None if row is None else (row[0],)


def _check_values(backup: _OpenBackup, name: str) -> int:
    """Refuse values of one table the app could not use; the table's highest batch id (0 without)."""
    con, columns = backup.con, backup.columns[name]
    kind_column = _KIND_COLUMNS.get(name)
    if kind_column in columns:
        marks = ", ".join("?" for _ in KINDS)
        bad = _first_offender(
            con, name, kind_column, f"{kind_column} IS NULL OR {kind_column} NOT IN ({marks})", [*KINDS]
        )
        if bad is not None:
            raise BackupError(f"the backup's table {name} has an unknown kind: {bad[0]!r:.60}", _NOT_A_BACKUP_HINT)
    if name in _PLATFORM_TABLES and "platform" in columns:
        marks = ", ".join("?" for _ in PLATFORMS)
        bad = _first_offender(con, name, "platform", f"platform IS NULL OR platform NOT IN ({marks})", [*PLATFORMS])
        if bad is not None:
            raise BackupError(f"the backup's table {name} has an unknown platform: {bad[0]!r:.60}", _NOT_A_BACKUP_HINT)
    if "batch_id" not in columns:
        return 0
    bad = _first_offender(con, name, "batch_id", "batch_id IS NULL OR batch_id < 1 OR batch_id >= ?", [BATCH_ID_LIMIT])
    if bad is not None:
        raise BackupError(
            f"the backup's table {name} has a batch id out of range: {bad[0]} (1 … {BATCH_ID_LIMIT - 1:,})",
            _NOT_A_BACKUP_HINT,
        )
    return int(_aggregate(con, f"SELECT coalesce(max(batch_id), 0) FROM {quote_identifier(name)}"))


def _check_json(name: str, chunk: pa.RecordBatch) -> None:
    for column, shape in _JSON_SHAPES.get(name, {}).items():
        index = chunk.schema.get_field_index(column)
        if index < 0:
            continue
        for text in chunk.column(index).to_pylist():
            if text is None:
                continue
            try:
                value = json.loads(text)
            except ValueError:
                value = _NOT_JSON
            if value is _NOT_JSON or not isinstance(value, shape):
                raise BackupError(
                    f"the backup's column {name}.{column} holds a value that is not the JSON Shopdata writes: "
                    f"{text[:60]!r}",
                    _NOT_A_BACKUP_HINT,
                )


_NOT_JSON = object()


def _export_table(backup: _OpenBackup, name: str, folder: Path) -> int:
    """Write the live schema's columns of one of the backup's tables to `folder`/<name>.arrows, cast to
    the live types; the number of rows."""
    live = schema_at(SCHEMA_VERSION)[name]
    columns = [c for c in backup.columns.get(name, []) if c in live]
    if not columns:
        return 0
    select = ", ".join(f"CAST({quote_identifier(c)} AS {live[c]}) AS {quote_identifier(c)}" for c in columns)
    reader = backup.con.execute(f"SELECT {select} FROM {quote_identifier(name)}").to_arrow_reader(COPY_CHUNK_ROWS)
    schema = _live_arrow_schema(name, columns)
    written = 0
    options = pa.ipc.IpcWriteOptions(compression=_EXPORT_COMPRESSION)
    with (
        pa.OSFile(str(folder / f"{name}{_EXPORT_SUFFIX}"), "wb") as sink,
        pa.ipc.new_stream(sink, schema, options=options) as out,
    ):
        for chunk in reader:
            _check_json(name, chunk)
            out.write_batch(pa.RecordBatch.from_arrays(chunk.columns, schema=schema))
            written += chunk.num_rows
    return written


def _out_of_memory(exc: BaseException | None) -> bool:
    # DuckDB's own exception, or its message in an error that came through Arrow's stream.
    return isinstance(exc, (MemoryError, duckdb.OutOfMemoryException)) or str(exc).startswith("Out of Memory Error")


def _export(path: str, folder: str, duckdb_memory_mb: int) -> bytes:
    """In the limited worker process: everything a restore takes from the file — the checks of
    open_backup, the values checks, every row of every restored table, written as plain rows into
    `folder` (made by the server) — so a file that makes DuckDB crash, hang or eat memory does that
    here, not in the server. Answers b"K" + the plan as JSON, or b"E" + the BackupError's message and
    hint as JSON (never a pickle: this process read a hostile file)."""
    # One thread, and DuckDB's own memory limit under the process's, so it fails with an error first.
    settings: DuckDBSettings = {"threads": 1, "memory_limit": f"{duckdb_memory_mb}MB"}
    try:
        with open_backup(path, settings) as backup:
            highest = max((_check_values(backup, name) for name in backup.columns), default=0)
            rows = {name: _export_table(backup, name, Path(folder)) for name in RESTORED_TABLES}
            plan = {
                "schema_version": backup.schema_version,
                "batch_seq_last": backup.batch_seq_last,
                "highest_batch_id": highest,
                "rows": rows,
            }
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
        return b"K" + json.dumps(plan).encode()
    return b"E" + json.dumps([refusal.message, refusal.hint]).encode()


_WORKER_HINTS = {
    "bug": "please report it",
    "start": "close other programs and try again",
    "no answer": "close other programs and try again",
}
_NOT_UNDERSTOOD = "the backup could not be read safely: the reader's answer was not understood"


@dataclass(frozen=True)
class _RestorePlan:
    """What the worker found in the backup, checked again here: it comes from a process that read a hostile file."""

    schema_version: int
    batch_seq_last: int
    highest_batch_id: int

    @classmethod
    def from_answer(cls, answer: bytes) -> _RestorePlan:
        try:
            plan = json.loads(answer[1:])
            values = [plan[field] for field in ("schema_version", "batch_seq_last", "highest_batch_id")]
        except (ValueError, TypeError, KeyError):
            raise BackupError(_NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT) from None
        version, *ids = values
        if not all(type(v) is int for v in values) or not 1 <= version <= SCHEMA_VERSION:
            raise BackupError(_NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT)
        if not all(0 <= v < BATCH_ID_LIMIT for v in ids):
            raise BackupError(_NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT)
        return cls(version, *ids)


def _export_in_worker(path: str | os.PathLike, folder: Path) -> _RestorePlan:
    """The plan of `_export`, run on the file within EXPORT_MEMORY_MB and EXPORT_TIMEOUT_S, its rows in
    `folder`; BackupError unless it read the whole file cleanly."""
    try:
        answer = run_limited(
            _export,
            (os.path.abspath(path), str(folder), max(1, EXPORT_MEMORY_MB // 2)),
            EXPORT_TIMEOUT_S,
            EXPORT_MEMORY_MB,
        )
    except WorkerFailure as failure:
        damaged = "; it is damaged or not a Shopdata backup" if failure.kind == "stopped" else ""
        raise BackupError(
            f"{failure.describe('the backup')}{damaged}",
            f"nothing was changed; {_WORKER_HINTS.get(failure.kind, _NOT_A_BACKUP_HINT)}",
        ) from failure
    if answer[:1] == b"K":
        return _RestorePlan.from_answer(answer)
    try:
        message, hint = json.loads(answer[1:]) if answer[:1] == b"E" else (None, None)
        if not isinstance(message, str) or not isinstance(hint, str):
            raise ValueError("not a message and a hint")
    except (ValueError, TypeError):
        message, hint = _NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT
    raise BackupError(message, hint)


def _copy_rows(folder: Path, name: str, engine: Engine) -> int:
    """Append the exported rows of one table, in chunks; columns the backup lacks stay NULL. The stream
    must hold only the live schema's columns, in its types."""
    path = folder / f"{name}{_EXPORT_SUFFIX}"
    if not path.exists():
        return 0
    copied = 0
    with pa.OSFile(str(path), "rb") as source, pa.ipc.open_stream(source) as stream:
        columns = stream.schema.names
        if len(set(columns)) != len(columns) or not set(columns) <= set(schema_at(SCHEMA_VERSION)[name]):
            raise BackupError(_NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT)
        if stream.schema != _live_arrow_schema(name, columns):
            raise BackupError(_NOT_UNDERSTOOD, _NOT_A_BACKUP_HINT)
        for chunk in stream:
            engine.insert_arrow(name, pa.Table.from_batches([chunk]), columns)
            copied += chunk.num_rows
    return copied


def _next_sequence_last(engine: Engine, plan: _RestorePlan) -> int:
    """The batch sequence after a restore: past every id the backup holds or recorded, and past every id
    this database handed out (README: batch numbers continue after the highest one ever used). A
    sequence run beyond BATCH_ID_LIMIT (a crafted backup restored by an older Shopdata) is repaired: past
    the highest id this database still holds below the limit instead."""
    current = engine.sequence_last_value(BATCH_SEQUENCE)
    if current >= BATCH_ID_LIMIT:
        union = " UNION ALL ".join(
            f"SELECT max(batch_id) AS id FROM {quote_identifier(name)} WHERE batch_id < ?"
            for name in ("batches", *TABLES)
        )
        current = int(
            engine.execute(
                f"SELECT coalesce(max(id), 0) FROM ({union}) u", [BATCH_ID_LIMIT] * (1 + len(TABLES))
            ).scalar()
        )
    return max(plan.batch_seq_last, plan.highest_batch_id, current)


def restore_backup(warehouse: Warehouse, path: str | os.PathLike) -> RestoreInfo:
    """Replace the warehouse's business data with the backup's (see the module docstring for what is
    kept), after writing the current state to the backup folder. All or nothing.

    This process never opens the file: a limited worker checks it whole and writes its rows out as plain
    Arrow streams (`_export`); the restore reads those."""
    engine = warehouse.engine
    # Reading the exported rows or writing the warehouse: a failure leaves the warehouse as it was.
    failures: tuple[type[BaseException], ...] = (duckdb.Error, pa.ArrowException, *engine.driver_errors)
    with tempfile.TemporaryDirectory(prefix="shopdata-restore-") as exported:
        folder = Path(exported)
        plan = _export_in_worker(path, folder)
        # No load of any store may run in between: it would read the old rows to replace, or take a
        # batch id the restored batches hold.
        with engine.warehouse_exclusive():
            safety = write_backup_to_dir(engine, "before-restore")
            try:
                with engine.transaction():
                    sequence_last = _next_sequence_last(engine, plan)  # from the batches before they go
                    rows = {}
                    for name in RESTORED_TABLES:
                        # DELETE, not TRUNCATE: PostgreSQL's TRUNCATE would block every reader until commit.
                        engine.execute(f"DELETE FROM {quote_identifier(name)}")
                        rows[name] = _copy_rows(folder, name, engine)
                    engine.set_sequence_last_value(BATCH_SEQUENCE, sequence_last)
                    rollups.rebuild(engine)  # derived from the rows just restored: never backed up
                    bump_generation(engine, "restore")
            except failures as exc:
                raise BackupError(
                    f"the backup could not be restored: {exc}",
                    "nothing was changed; try again, or restore another backup",
                ) from exc
            engine.refresh_statistics([*RESTORED_TABLES, *ROLLUP_TABLES])
    return RestoreInfo(plan.schema_version, rows, safety)
