"""Backups and restores of the whole warehouse, and the backup before a schema migration — on DuckDB and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from shopdata import backup as backup_module
from shopdata.accounts import User
from shopdata.backup import (
    BACKUP_DIR_ENV,
    backup_dir,
    restore_backup,
    schema_at,
    write_backup,
    write_backup_to_dir,
)
from shopdata.engine import connect, is_postgres_url
from shopdata.errors import BackupError
from shopdata.ingest.pipeline import Options, ingest_file
from shopdata.journal import Journal
from shopdata.migrations import BATCH_SEQUENCE, MIGRATIONS, SCHEMA_VERSION, SCHEMA_VERSION_TABLE
from shopdata.store import Warehouse
from tests.conftest import ci_require
from tests.hostile.processes import running_readers

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
GOOGLE_ADS = "google_ads_campaign_report.csv"
WANXIANGTAI = "计划报表_20261123_093015.csv"
SHOPIFY_SESSIONS = "shopify_sessions_by_referrer_2026-08-25_2026-11-22.csv"
PRICES = "竞品价格监控_2026-08-25_2026-11-22.xlsx"

# Every restored table in an order that makes its rows comparable, read with plain SQL.
ORDER_BY = {
    "stores": "name",
    "batches": "batch_id",
    "mappings": "signature",
    "settings": "store, key",
    "currency_changes": "batch_id, changed_at",
    "notes": "note_id",
    "activities": "activity_id",
    "targets": "store, month, metric",
    "events": "nk",
    "traffic": "nk",
    "ads": "nk",
    "prices": "nk",
    "rival_metrics": "nk",
    "rival_promotions": "nk",
    "orders": "nk",
    "products": "nk",
}


@pytest.fixture
def backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv(BACKUP_DIR_ENV, str(folder))
    return folder


def load_sample(store: Warehouse, name: str, store_name: str = "Shop") -> int:
    currency = "USD" if name.startswith("shopify_") else None  # Shopify's analytics exports do not say theirs
    [result] = ingest_file(name, SAMPLES / name, store, Options(store=store_name, currency=currency))
    assert result.status == "loaded", result.error
    return result.batch_id


def warehouse_state(store: Warehouse) -> dict[str, list[tuple]]:
    return {
        table: store.engine.execute(f"SELECT * FROM {table} ORDER BY {order}").rows for table, order in ORDER_BY.items()
    }


def users(store: Warehouse) -> list[tuple]:
    return store.engine.execute("SELECT name, role FROM users ORDER BY name").rows


def add_user(store: Warehouse, name: str, role: str) -> None:
    store.engine.execute(
        "INSERT INTO users (name, email, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
        [name, f"{name}@example.com", role, "", datetime(2026, 1, 1), "test"],
    )


def test_notes_activities_and_targets_are_restored_and_webhooks_kept(store: Warehouse, backups: Path) -> None:
    owner = User("olga", "owner")
    store.ensure_store("Shop")
    journal = Journal(store)
    journal.add_note(owner, "Shop", date(2024, 3, 4), "搜索流量下降 — competitor's cut", cause="competitor")
    journal.add_activity(owner, "Shop", "Spring sale", date(2024, 3, 8), date(2024, 3, 10))
    journal.edit_festival(owner, "Shop", "618", 2024, date(2024, 5, 31), date(2024, 6, 18))
    journal.set_target(owner, "Shop", "2024-03", "revenue", 50_000, currency="CNY")
    journal.add_webhook(owner, "dingtalk", "old group", "https://oapi.dingtalk.com/robot/send?access_token=old", "s1")
    before = warehouse_state(store)
    assert [len(before[t]) for t in ("notes", "activities", "targets")] == [1, 2, 1]

    info = write_backup_to_dir(store.engine, "test")
    journal.delete_note(owner, 1)
    journal.add_note(owner, "Shop", date(2024, 3, 5), "written after the backup")
    journal.delete_activity(owner, 1)
    journal.set_target(owner, "Shop", "2024-03", "revenue", 1, currency="CNY")
    journal.delete_webhook(owner, 1)
    journal.add_webhook(owner, "slack", "new group", "https://hooks.slack.com/services/new")
    assert warehouse_state(store) != before

    restore_backup(store, info.path)
    assert warehouse_state(store) == before
    assert [n["text"] for n in journal.notes("Shop")] == ["搜索流量下降 — competitor's cut"]
    assert journal.add_note(owner, "Shop", date(2024, 3, 6), "next") == 2  # ids go on from the restored ones
    # The group robots configured now stay: a backup brings back data, not an older set of credentials.
    assert [w["name"] for w in journal.webhooks()] == ["new group"]


def test_restore_brings_back_exactly_the_backed_up_data_and_keeps_accounts(store: Warehouse, backups: Path) -> None:
    google = load_sample(store, GOOGLE_ADS)
    load_sample(store, WANXIANGTAI)
    load_sample(store, SHOPIFY_SESSIONS, store_name="Second shop")
    store.set_setting("gross_margin", 0.35)  # store '' — must stay '' and not become NULL
    store.remember_mapping("sig-1", "ads", "google_ads", {"spend": "Cost"})
    add_user(store, "alice", "owner")
    before = warehouse_state(store)
    assert len(before["ads"]) == 270 + 360 and len(before["traffic"]) == 630  # the sample files' data rows

    info = write_backup_to_dir(store.engine, "test")
    assert info.path.parent == backups and info.schema_version == SCHEMA_VERSION
    assert {t: info.rows[t] for t in ORDER_BY} == {t: len(rows) for t, rows in before.items()}
    assert info.rows["users"] == 1 and info.size_bytes == info.path.stat().st_size

    store.delete_batch(google)
    later = load_sample(store, PRICES)
    store.set_setting("gross_margin", 0.5)
    store.engine.execute("DELETE FROM users WHERE name = 'alice'")
    add_user(store, "bob", "owner")
    changed = warehouse_state(store)
    assert changed != before

    result = restore_backup(store, info.path)
    assert warehouse_state(store) == before
    assert result.rows == {t: len(rows) for t, rows in before.items()}
    if store.engine.dialect == "postgres":  # analysed at once: pages asked before autovacuum are not planned blind
        analysed = "SELECT reltuples FROM pg_class WHERE relname = ? AND relkind = 'r'"
        assert store.engine.execute(analysed, ["ads"]).scalar() == 270 + 360
        assert store.engine.execute(analysed, ["rollup_ads_daily"]).scalar() > 0
    assert result.schema_version == SCHEMA_VERSION
    assert store.get_setting("gross_margin") == 0.35
    assert users(store) == [("bob", "owner")]  # accounts are as they were, not as backed up

    # The state just before the restore was saved, and restoring it undoes the restore.
    safety = result.safety_backup.path
    assert safety.parent == backups and safety.name.startswith("before-restore-")
    restore_backup(store, safety)
    assert warehouse_state(store) == changed
    restore_backup(store, info.path)

    # No batch id is handed out twice: not a restored one, nor the one loaded after the backup.
    after = load_sample(store, SHOPIFY_SESSIONS)
    restored_ids = [row[0] for row in before["batches"]]
    assert after > max(*restored_ids, later)


def test_a_backup_never_overwrites_a_file_and_leaves_no_partial_file(store: Warehouse, tmp_path: Path) -> None:
    load_sample(store, GOOGLE_ADS)
    target = tmp_path / "copy.duckdb"
    target.write_bytes(b"keep me")
    info = write_backup(store.engine, target)
    assert info.path == tmp_path / "copy-2.duckdb"
    assert target.read_bytes() == b"keep me"
    with duckdb.connect(str(info.path), read_only=True) as con:
        assert (
            con.execute("SELECT count(*), sum(spend) FROM ads").fetchone()
            == store.engine.execute("SELECT count(*), sum(spend) FROM ads").fetchone()
        )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) == [
        "copy-2.duckdb",
        "copy.duckdb",
    ]


# -- files that must be refused, leaving the database as it was


def _rewritten(good: Path, tmp_path: Path, *statements: str) -> Path:
    bad = tmp_path / "bad.duckdb"
    shutil.copyfile(good, bad)
    with duckdb.connect(str(bad)) as con:
        for statement in statements:
            con.execute(statement)
    return bad


BAD_FILES = {
    "random bytes": (lambda good, tmp: _written(tmp, bytes(range(256)) * 256), "not a DuckDB database"),
    "an empty file": (lambda good, tmp: _written(tmp, b""), "not a DuckDB database"),
    "a CSV export": (lambda good, tmp: _written(tmp, (SAMPLES / GOOGLE_ADS).read_bytes()), "not a DuckDB database"),
    "a cut-off backup": (
        lambda good, tmp: _written(tmp, good.read_bytes()[: good.stat().st_size // 3]),
        "not a DuckDB database",
    ),
    "another DuckDB database": (
        lambda good, tmp: _rewritten(good, tmp, "DROP TABLE schema_version"),
        "no schema_version table",
    ),
    "a newer Shopdata's backup": (
        lambda good, tmp: _rewritten(good, tmp, f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION + 1}, now())"),
        "newer Shopdata",
    ),
    "an unknown column": (
        lambda good, tmp: _rewritten(good, tmp, "ALTER TABLE ads ADD COLUMN secret VARCHAR"),
        "does not know: secret",
    ),
    "a column of another type": (
        lambda good, tmp: _rewritten(good, tmp, "ALTER TABLE ads ALTER spend TYPE VARCHAR"),
        "ads.spend is VARCHAR",
    ),
    "a missing table": (lambda good, tmp: _rewritten(good, tmp, "DROP TABLE prices"), "no table prices"),
    "a view in place of a table": (
        lambda good, tmp: _rewritten(
            good, tmp, "DROP TABLE events", "CREATE VIEW events AS SELECT * FROM duckdb_settings()"
        ),
        "no table events",
    ),
    # Built to be evaluated: refused before a row is read, by the worker (the server never opens the file).
    "a generated column": (
        lambda good, tmp: _rewritten(good, tmp, *_events_with_a_generated_column(rows=3)),
        r"holds a computed or default column \(events.user_id\)",
    ),
    "a column default": (
        lambda good, tmp: _rewritten(good, tmp, "ALTER TABLE ads ALTER campaign SET DEFAULT 'x'"),
        r"holds a computed or default column \(ads.campaign\)",
    ),
    "a view beside the tables": (
        lambda good, tmp: _rewritten(good, tmp, "CREATE VIEW extra AS SELECT * FROM range(1000000000000)"),
        r"holds a view \(extra\)",
    ),
    "a macro": (lambda good, tmp: _rewritten(good, tmp, "CREATE MACRO twice(x) AS x * 2"), r"holds a macro \(twice\)"),
    "a sequence": (lambda good, tmp: _rewritten(good, tmp, "CREATE SEQUENCE extra_seq"), r"holds a sequence"),
    "a check constraint": (
        lambda good, tmp: _rewritten(
            good,
            tmp,
            "DROP TABLE settings",
            "CREATE TABLE settings (store VARCHAR, key VARCHAR, value VARCHAR CHECK (value <> ''))",
        ),
        r"holds a constraint \(settings CHECK\)",
    ),
    # Values the pages and the command line would choke on.
    "malformed JSON in a batch's warnings": (
        lambda good, tmp: _rewritten(good, tmp, "UPDATE batches SET warnings = '[{\"key\": '"),
        r"batches.warnings holds a value that is not the JSON Shopdata writes: '\[\{\"key\": '",
    ),
    "JSON of the wrong shape in a batch's mapping": (
        lambda good, tmp: _rewritten(good, tmp, "UPDATE batches SET mapping = '[1, 2]'"),
        r"batches.mapping holds a value that is not the JSON",
    ),
    "malformed JSON in a setting": (
        lambda good, tmp: _rewritten(good, tmp, "INSERT INTO settings VALUES ('', 'gross_margin', '0.3.5')"),
        r"settings.value holds a value that is not the JSON",
    ),
    "a batch sequence near BIGINT's end": (
        lambda good, tmp: _rewritten(
            good, tmp, f"UPDATE {backup_module.INFO_TABLE} SET value = '{2**63 - 2}' WHERE key = 'batch_seq_last'"
        ),
        "the backup's batch sequence is 9,223,372,036,854,775,806, beyond the 9,007,199,254,740,992",
    ),
    "a batch sequence that is not a number": (
        lambda good, tmp: _rewritten(
            good, tmp, f"UPDATE {backup_module.INFO_TABLE} SET value = '1e30' WHERE key = 'batch_seq_last'"
        ),
        "the backup's batch sequence is not a number: '1e30'",
    ),
    "a batch id beyond the bound": (
        lambda good, tmp: _rewritten(good, tmp, f"UPDATE ads SET batch_id = {2**62}"),
        f"the backup's table ads has a batch id out of range: {2**62}",
    ),
    "an unknown kind": (
        lambda good, tmp: _rewritten(good, tmp, "UPDATE batches SET kind = 'wormhole'"),
        "the backup's table batches has an unknown kind: 'wormhole'",
    ),
    "an unknown platform": (
        lambda good, tmp: _rewritten(good, tmp, "UPDATE ads SET platform = 'myspace'"),
        "the backup's table ads has an unknown platform: 'myspace'",
    ),
}


def _events_with_a_generated_column(rows: int, megabytes: int = 2) -> tuple[str, ...]:
    """SQL that replaces the backup's events table with one whose user_id DuckDB computes on every read:
    `rows` rows of a `megabytes` MB string each, from a few bytes of file."""
    columns = schema_at(SCHEMA_VERSION)["events"]
    generated = f"VARCHAR GENERATED ALWAYS AS (repeat('x', {megabytes * 1_000_000})) VIRTUAL"
    definitions = ", ".join(f"{c} {generated if c == 'user_id' else t}" for c, t in columns.items())
    return (
        "DROP TABLE events",
        f"CREATE TABLE events ({definitions})",
        f"INSERT INTO events (store, batch_id, platform, nk) SELECT 'Shop', 1, 'google_ads', 'nk' || i FROM range({rows}) t(i)",
    )


def _written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "bad.duckdb"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_file_that_is_not_a_restorable_backup_is_refused_and_nothing_changes(
    store: Warehouse, backups: Path, tmp_path: Path, kind: str
) -> None:
    load_sample(store, GOOGLE_ADS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    load_sample(store, PRICES)
    before = warehouse_state(store)
    sequence = store.engine.sequence_last_value(BATCH_SEQUENCE)
    make, message = BAD_FILES[kind]
    with pytest.raises(BackupError, match=message):
        restore_backup(store, make(good, tmp_path))
    assert warehouse_state(store) == before
    assert store.engine.sequence_last_value(BATCH_SEQUENCE) == sequence
    assert not backups.exists() or not list(backups.iterdir())  # refused before anything was written


def _damaged_in_row_data(good: Path, tmp_path: Path) -> Path:
    """The backup with one block damaged that holds rows only: it still opens and lists its tables (so
    it passes the checks), and fails only when its rows are read."""
    data = good.read_bytes()
    for offset in range(1000, len(data), 1 << 16):
        damaged = bytearray(data)
        damaged[offset] ^= 0xFF
        path = _written(tmp_path, bytes(damaged))
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
                con.execute("SELECT * FROM schema_version").fetchall()
        except duckdb.Error:
            continue
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                for table in ORDER_BY:
                    con.execute(f"SELECT * FROM {table}").fetchall()
        except duckdb.Error:
            return path
    raise AssertionError("no block of the backup holds row data only")


def test_a_backup_damaged_inside_its_rows_is_refused_before_anything_is_written(
    store: Warehouse, backups: Path, tmp_path: Path
) -> None:
    load_sample(store, GOOGLE_ADS)
    load_sample(store, SHOPIFY_SESSIONS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    store.delete_batch(1)
    before = warehouse_state(store)
    with pytest.raises(BackupError, match="the backup is damaged: its rows cannot be read .*Corrupt"):
        restore_backup(store, _damaged_in_row_data(good, tmp_path))
    assert warehouse_state(store) == before
    # The worker read the rows: the server never got as far as saving the state before a restore.
    assert not backups.exists() or not list(backups.iterdir())


def test_a_failure_while_the_server_copies_the_rows_changes_nothing(
    store: Warehouse, backups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_sample(store, GOOGLE_ADS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    store.delete_batch(1)
    load_sample(store, PRICES)
    before = warehouse_state(store)
    copy_rows = backup_module._copy_rows
    copied = []

    def fail_at_the_ads(folder: Path, name: str, engine) -> int:
        # In this process only: the worker, in its own process, read the file cleanly.
        if name == "ads":
            raise duckdb.IOException("disk read error")
        copied.append(name)
        return copy_rows(folder, name, engine)

    monkeypatch.setattr(backup_module, "_copy_rows", fail_at_the_ads)
    with pytest.raises(BackupError, match="could not be restored: disk read error"):
        restore_backup(store, good)
    assert "stores" in copied and "batches" in copied  # replaced before the failure, and rolled back
    assert warehouse_state(store) == before


def test_the_warehouse_refusing_a_row_changes_nothing(
    store: Warehouse, backups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing fails on the warehouse's side (its own driver's error, e.g. PostgreSQL's), mid-restore."""
    load_sample(store, GOOGLE_ADS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    store.delete_batch(1)
    load_sample(store, PRICES)
    before = warehouse_state(store)
    insert_arrow = store.engine.insert_arrow
    refusal = store.engine.driver_errors[0]

    def refuse_the_ads(table: str, *args, **kwargs):
        if table == "ads":
            raise refusal("value out of range")
        return insert_arrow(table, *args, **kwargs)

    monkeypatch.setattr(store.engine, "insert_arrow", refuse_the_ads)
    with pytest.raises(BackupError, match="could not be restored: value out of range"):
        restore_backup(store, good)
    assert warehouse_state(store) == before


# -- the export: the backup is read whole in a limited process; the server never opens it
#
# The tasks below run in that process (sent by name). This test process plays the server: had the export
# run in it, os.abort() would have ended the test run.

EXPORT = backup_module._export  # the real one, also while a test replaces it


def export_then_abort(path: str, folder: str, duckdb_memory_mb: int) -> bytes:
    EXPORT(path, folder, duckdb_memory_mb)  # really opens and reads the file, then dies natively
    os.abort()


def export_then_hang(path: str, folder: str, duckdb_memory_mb: int) -> bytes:
    EXPORT(path, folder, duckdb_memory_mb)
    time.sleep(3600)
    return b"K"


def answer_nonsense(path: str, folder: str, duckdb_memory_mb: int) -> bytes:
    return b"E[1, 2]"


@pytest.fixture
def exported(store: Warehouse, backups: Path, tmp_path: Path) -> tuple[Warehouse, Path, dict[str, list[tuple]]]:
    """A warehouse, a good backup of an earlier state of it, and the warehouse's state now."""
    load_sample(store, GOOGLE_ADS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    store.delete_batch(1)
    load_sample(store, PRICES)
    return store, good, warehouse_state(store)


def refused(store: Warehouse, good: Path, backups: Path, before: dict[str, list[tuple]]) -> BackupError:
    """The restore's error; the warehouse as it was, nothing written, and no worker process left."""
    with pytest.raises(BackupError) as caught:
        restore_backup(store, good)
    assert warehouse_state(store) == before
    assert not backups.exists() or not list(backups.iterdir())
    assert running_readers() == []
    return caught.value


def test_an_export_that_dies_natively_is_a_backup_error_and_the_server_goes_on(
    exported, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, good, before = exported
    monkeypatch.setattr(backup_module, "_export", export_then_abort)
    error = refused(store, good, backups, before)
    assert error.message == (
        "the backup could not be read safely: the reader stopped on it (SIGABRT); "
        "it is damaged or not a Shopdata backup"
    )
    assert error.hint.startswith("nothing was changed; ")

    monkeypatch.undo()  # the real export: the same file restores
    restore_backup(store, good)
    assert [b["file_name"] for b in store.batches()] == [GOOGLE_ADS]


def test_an_export_over_its_memory_is_a_backup_error(exported, backups: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, good, before = exported
    monkeypatch.setattr(backup_module, "EXPORT_MEMORY_MB", 2)  # less than DuckDB needs to open any file
    error = refused(store, good, backups, before)
    assert error.message == (
        "the backup could not be read safely: reading it needs more memory than the 2 MB "
        "allowed (it may be damaged or built to exhaust memory)"
    )


def test_an_export_over_its_time_is_killed_and_a_backup_error(
    exported, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, good, before = exported
    monkeypatch.setattr(backup_module, "_export", export_then_hang)
    monkeypatch.setattr(backup_module, "EXPORT_TIMEOUT_S", 1.5)
    started = time.monotonic()
    error = refused(store, good, backups, before)
    assert error.message.startswith(
        "the backup could not be read safely: reading it takes longer than the time allowed (1.5 s)"
    )
    assert time.monotonic() - started < 60  # not the hour the export would have slept


def test_an_answer_the_server_does_not_understand_is_a_backup_error(
    exported, backups: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, good, before = exported
    monkeypatch.setattr(backup_module, "_export", answer_nonsense)
    error = refused(store, good, backups, before)
    assert error.message == "the backup could not be read safely: the reader's answer was not understood"


# -- the backup before a schema migration

V1_ADS = [("Old shop", "nk-1", "Brand", 40.5), ("Old shop", "nk-2", "Generic", 60.0)]


def build_version_1_database(url: str) -> None:
    """A warehouse as the first release left it: migration 1 only, one batch of two ads rows."""
    with connect(url) as engine:
        SCHEMA_VERSION_TABLE.apply(engine)
        [first] = [migration for migration in MIGRATIONS if migration.version == 1]
        for step in first.steps:
            step.apply(engine)
        engine.execute("INSERT INTO schema_version VALUES (?, ?)", [1, datetime(2026, 1, 1)])
        batch_id = engine.execute("SELECT nextval('batch_seq')").scalar()
        engine.execute(
            "INSERT INTO stores (name, is_demo, created_at) VALUES ('Old shop', false, ?)", [datetime(2026, 1, 1)]
        )
        engine.execute(
            "INSERT INTO batches (batch_id, store, file_name, sha256, size_bytes, platform, kind, report, "
            "rows_loaded, rows_replaced, rows_skipped, created_at) "
            "VALUES (?, 'Old shop', 'old.csv', 'sha-old', 99, 'google_ads', 'ads', 'google_ads', 2, 0, 0, ?)",
            [batch_id, datetime(2026, 1, 1)],
        )
        for store_name, nk, campaign, spend in V1_ADS:
            engine.execute(
                "INSERT INTO ads (store, batch_id, platform, nk, date, end_date, grain, campaign, spend, "
                "currency) VALUES (?, ?, 'google_ads', ?, ?, ?, 'campaign', ?, ?, 'USD')",
                [store_name, batch_id, nk, date(2026, 1, 1), date(2026, 1, 1), campaign, spend],
            )


def test_opening_an_older_database_backs_it_up_before_migrating(
    warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if is_postgres_url(warehouse_url):
        expected_dir = tmp_path / "pg-backups"
        monkeypatch.setenv(BACKUP_DIR_ENV, str(expected_dir))
    else:
        monkeypatch.delenv(BACKUP_DIR_ENV, raising=False)
        expected_dir = Path(warehouse_url + ".backups")  # beside the database file
    build_version_1_database(warehouse_url)

    with connect(warehouse_url) as engine:
        Warehouse(engine)
        assert engine.execute("SELECT max(version) FROM schema_version").scalar() == SCHEMA_VERSION
        assert engine.table_exists("users")
    [saved] = expected_dir.glob(f"before-migration-1-to-{SCHEMA_VERSION}-*.duckdb")
    with duckdb.connect(str(saved), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (1,)
        assert "users" not in {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert con.execute("SELECT store, nk, campaign, spend FROM ads ORDER BY nk").fetchall() == V1_ADS
        assert con.execute("SELECT file_name, sha256, rows_loaded FROM batches").fetchall() == [
            ("old.csv", "sha-old", 2)
        ]

    with connect(warehouse_url) as engine:
        Warehouse(engine)  # up to date: nothing more to back up
    assert len(list(expected_dir.iterdir())) == 1


def test_a_new_database_needs_no_backup_before_its_first_migration(warehouse_url: str, backups: Path) -> None:
    with connect(warehouse_url) as engine:
        Warehouse(engine)
    assert not backups.exists() or not list(backups.iterdir())


def test_a_backup_of_an_older_version_restores_into_the_current_schema(
    store: Warehouse, backups: Path, tmp_path: Path
) -> None:
    old_url = str(tmp_path / "old.duckdb")
    build_version_1_database(old_url)
    with connect(old_url) as old_engine:
        old_backup = write_backup(old_engine, tmp_path / "v1.duckdb")
    assert old_backup.schema_version == 1 and "users" not in old_backup.rows
    load_sample(store, GOOGLE_ADS)
    add_user(store, "carol", "owner")

    result = restore_backup(store, old_backup.path)
    assert result.schema_version == 1
    assert store.engine.execute("SELECT store, nk, campaign, spend FROM ads ORDER BY nk").rows == V1_ADS
    assert store.engine.execute("SELECT count(*) FROM ads WHERE impressions IS NULL").scalar() == 2
    assert [s["name"] for s in store.stores()] == ["Old shop"]
    assert users(store) == [("carol", "owner")]
    assert load_sample(store, PRICES) > 1  # batch ids go on after the restored batch 1


# -- where backups go


def test_backups_go_beside_the_database_file_unless_a_folder_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(BACKUP_DIR_ENV, raising=False)
    with connect(str(tmp_path / "shop.duckdb")) as engine:
        assert backup_dir(engine) == tmp_path / "shop.duckdb.backups"
        assert backup_dir(engine).is_dir()
        monkeypatch.setenv(BACKUP_DIR_ENV, str(tmp_path / "elsewhere"))
        assert backup_dir(engine) == tmp_path / "elsewhere"


@pytest.mark.postgres
def test_postgres_backups_go_to_the_working_directory_unless_a_folder_is_set(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(BACKUP_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with connect(pg_url) as engine:
        assert backup_dir(engine) == tmp_path / "backups"


# -- the server process, the batch sequence

# What a refused restore may add to the server process's peak memory: the export runs in the worker, so
# the server holds no row of the file. The backup below expands to 300 MB when read.
REFUSED_RESTORE_RSS_BOUND_MB = 100


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def test_a_generated_column_backup_never_expands_in_the_server_process(
    duck_store: Warehouse, backups: Path, tmp_path: Path
) -> None:
    ci_require(Path("/proc/self/clear_refs").exists(), "Linux's /proc (the peak resident set size is read there)")
    load_sample(duck_store, GOOGLE_ADS)
    good = write_backup(duck_store.engine, tmp_path / "good.duckdb").path
    bad = _rewritten(good, tmp_path, *_events_with_a_generated_column(rows=150))
    with duckdb.connect(str(bad), read_only=True) as con:  # the expansion is real: 150 rows of 2 MB
        assert con.execute("SELECT sum(length(user_id)) FROM events").fetchone() == (300_000_000,)
    before = warehouse_state(duck_store)

    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    baseline = _status_kib("VmRSS")
    with pytest.raises(BackupError, match="computed or default column"):
        restore_backup(duck_store, bad)
    growth_mb = (_status_kib("VmHWM") - baseline) / 1024
    assert growth_mb < REFUSED_RESTORE_RSS_BOUND_MB
    assert warehouse_state(duck_store) == before


def test_a_restore_repairs_a_sequence_run_to_the_end_and_batch_numbers_go_on(
    store: Warehouse, backups: Path, tmp_path: Path
) -> None:
    first = load_sample(store, GOOGLE_ADS)
    good = write_backup(store.engine, tmp_path / "good.duckdb").path
    second = load_sample(store, PRICES)
    # What restoring a crafted backup did before: every later upload fails at nextval.
    store.engine.advance_sequence_past(BATCH_SEQUENCE, 2**63 - 2)

    restore_backup(store, good)
    # Beyond the bound, the sequence's value is not kept: numbers go on after the highest batch the
    # database held (the one loaded after the backup), not after 2^63 - 2.
    assert second == first + 1
    assert store.engine.sequence_last_value(BATCH_SEQUENCE) == second
    third = load_sample(store, SHOPIFY_SESSIONS)
    assert third == second + 1

    # Within the bound, numbers continue after the highest one this database ever handed out, though the
    # backup's own batches end at `first`.
    restore_backup(store, good)
    assert load_sample(store, PRICES) == third + 1
