"""`python -m shopdata users …`: accounts from the command line, passwords never on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shopdata.accounts import Accounts, verify_password
from shopdata.engine import connect
from shopdata.store import Warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]


def users(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shopdata", "users", *args, "--db", str(db)],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_list_role_passwd_remove(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    added = users(
        db,
        "add",
        "Olivia",
        "--role",
        "owner",
        "--email",
        "Olivia@Shop.example",
        "--password-stdin",
        stdin="owner-pass-1\n",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {
        "status": "added",
        "name": "Olivia",
        "role": "owner",
        "email": "olivia@shop.example",
    }
    assert users(db, "add", "Ming", "--role", "member", "--password-stdin", stdin="member-pass-2\n").returncode == 0
    assert users(db, "role", "Ming", "viewer").returncode == 0
    assert users(db, "passwd", "ming", "--password-stdin", stdin="new-member-pass\n").returncode == 0

    listed = [json.loads(line) for line in users(db, "list").stdout.splitlines()]
    assert [(u["name"], u["role"], u["has_password"]) for u in listed] == [
        ("Olivia", "owner", True),
        ("Ming", "viewer", True),
    ]
    assert all("password" not in key or key == "has_password" for u in listed for key in u)
    with connect(str(db)) as engine:
        stored = dict(engine.execute("SELECT name, password_hash FROM users").rows)
        assert verify_password("new-member-pass", stored["Ming"]) and verify_password("owner-pass-1", stored["Olivia"])

    refused = users(db, "remove", "Olivia")
    assert refused.returncode == 2 and "at least one owner" in refused.stderr
    assert users(db, "remove", "Ming").returncode == 0
    with connect(str(db)) as engine:
        assert [u["name"] for u in Accounts(Warehouse(engine)).list()] == ["Olivia"]


def test_weak_password_refused_and_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    done = users(db, "add", "Olivia", "--role", "owner", "--password-stdin", stdin="short\n")
    assert done.returncode == 2 and "at least 8 characters" in done.stderr
    with connect(str(db)) as engine:
        assert not Accounts(Warehouse(engine)).any()


def test_cli_uploads_record_who_ran_them(tmp_path: Path) -> None:
    import getpass

    db = tmp_path / "shop.duckdb"
    for name, extra in (
        ("google_ads_campaign_report.csv", []),
        ("shopify_sessions_by_referrer_2026-08-25_2026-11-22.csv", ["--user", "Ming"]),
    ):
        export = REPO_ROOT / "sample_data" / name
        done = subprocess.run(
            [sys.executable, "-m", "shopdata", "ingest", str(export), "--db", str(db), *extra],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    with connect(str(db)) as engine:
        assert engine.execute("SELECT uploaded_by FROM batches ORDER BY batch_id").rows == [
            (getpass.getuser(),),
            ("Ming",),
        ]


def test_add_refuses_a_name_that_is_another_spelling_of_an_account(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    assert users(db, "add", "victor", "--role", "owner", "--password-stdin", stdin="owner-pass-1\n").returncode == 0
    for clash in ("ｖｉｃｔｏｒ", "VİCTOR"):
        refused = users(db, "add", clash, "--role", "member", "--password-stdin", stdin="member-pass-2\n")
        assert refused.returncode == 2 and "already an account called victor" in refused.stderr
    assert [json.loads(line)["name"] for line in users(db, "list").stdout.splitlines()] == ["victor"]
