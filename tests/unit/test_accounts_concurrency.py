"""Two teammates changing the team at the same moment, on DuckDB and PostgreSQL. Each change to the accounts
checks first (the name and the e-mail are free; another owner remains) and then writes; it runs alone (the
lock "accounts"), so its check still holds when it writes. The users table has no unique key: only that lock
keeps two accounts from sharing a name or an e-mail, and the team from losing its last owner.

Each test holds the first session's change between its check and its write, starts the second's, then lets
the first finish: the second must have waited, and then meet the first's result."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from shopdata.accounts import Accounts
from shopdata.engine import connect
from shopdata.errors import AccountError
from shopdata.store import Warehouse

PASSWORD = "s3cret-pass"
# Long enough for a second change that is not held back to have run; ordering, not speed, is asserted.
SETTLE_SECONDS = 1.0
NO_OWNER = "the team needs at least one owner; make someone else owner first"

Change = Callable[[Accounts], object]

# name: (the team before, the first change, the SQL it is held before, the second change, the second's refusal
#        (None: it is carried out), the team after as (name, role, e-mail))
AT_ONCE: dict[str, tuple[list[tuple], Change, str, Change, str | None, list[tuple]]] = {
    "one name added twice": (
        [("ana", "owner")],
        lambda a: a.add("asha", "member", PASSWORD),
        "INSERT INTO users",
        lambda a: a.add("Asha", "viewer", PASSWORD),  # the same login: names are compared case-folded
        "there is already an account called asha",
        [("ana", "owner", None), ("asha", "member", None)],
    ),
    "one e-mail given to two new accounts": (
        [("ana", "owner")],
        lambda a: a.add("asha", "member", PASSWORD, email="shop@x.example"),
        "INSERT INTO users",
        lambda a: a.add("bo", "member", PASSWORD, email="shop@x.example"),
        "another account already uses shop@x.example",
        [("ana", "owner", None), ("asha", "member", "shop@x.example")],
    ),
    "two owners make each other members": (
        [("ana", "owner"), ("ben", "owner")],
        lambda a: a.set_role("ben", "member"),
        "UPDATE users SET role",
        lambda a: a.set_role("ana", "member"),
        NO_OWNER,
        [("ana", "owner", None), ("ben", "member", None)],
    ),
    "two owners remove each other": (
        [("ana", "owner"), ("ben", "owner")],
        lambda a: a.remove("ben"),
        "DELETE FROM users",
        lambda a: a.remove("ana"),
        NO_OWNER,
        [("ana", "owner", None)],
    ),
    "one owner removes the other while that one steps down": (
        [("ana", "owner"), ("ben", "owner")],
        lambda a: a.remove("ben"),
        "DELETE FROM users",
        lambda a: a.set_role("ana", "viewer"),
        NO_OWNER,
        [("ana", "owner", None)],
    ),
    "one owner steps down while the other removes them": (
        [("ana", "owner"), ("ben", "owner")],
        lambda a: a.set_role("ana", "viewer"),
        "UPDATE users SET role",
        lambda a: a.remove("ben"),
        NO_OWNER,
        [("ana", "viewer", None), ("ben", "owner", None)],
    ),
    "an account removed while a new one of its name is added": (
        [("ana", "owner"), ("asha", "member")],
        lambda a: a.remove("asha"),
        "DELETE FROM users",
        lambda a: a.add("asha", "viewer", PASSWORD),  # the name is free once the removal is done
        None,
        [("ana", "owner", None), ("asha", "viewer", None)],
    ),
}


@pytest.mark.parametrize("case", AT_ONCE)
def test_a_change_to_the_team_waits_for_one_under_way_and_then_meets_its_result(
    case: str, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    team, first, held_before, second, refusal, expected = AT_ONCE[case]
    setup = Warehouse(connect(warehouse_url))
    try:
        for name, role in team:
            Accounts(setup).add(name, role, PASSWORD)
    finally:
        setup.engine.close()

    sessions = [Warehouse(connect(warehouse_url)) for _ in range(2)]
    try:
        _change_at_once(sessions, first, held_before, second, refusal, expected, monkeypatch)
    finally:
        for session in sessions:
            session.engine.close()


def _change_at_once(
    sessions: list[Warehouse],
    first: Change,
    held_before: str,
    second: Change,
    refusal: str | None,
    expected: list[tuple],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_accounts, second_accounts = (Accounts(session) for session in sessions)
    engine = first_accounts.engine
    original_execute = engine.execute
    checked, release = threading.Event(), threading.Event()

    def held_execute(sql: str, params=()):
        if sql.startswith(held_before) and not checked.is_set():
            checked.set()  # the first change has made its checks and is about to write
            release.wait(20)
        return original_execute(sql, params)

    monkeypatch.setattr(engine, "execute", held_execute)
    errors: dict[str, list[BaseException]] = {"first": [], "second": []}

    def run(which: str, change: Change, accounts: Accounts) -> None:
        try:
            change(accounts)
        except BaseException as exc:  # every failure is the finding, whatever its type
            errors[which].append(exc)

    first_thread = threading.Thread(target=run, args=("first", first, first_accounts))
    second_thread = threading.Thread(target=run, args=("second", second, second_accounts))
    try:
        first_thread.start()
        assert checked.wait(20), errors["first"]
        second_thread.start()
        second_thread.join(SETTLE_SECONDS)
        waited = second_thread.is_alive()
    finally:
        release.set()
        first_thread.join(20)
        second_thread.join(20)
    assert waited, "the second change did not wait for the first"
    assert errors["first"] == []
    if refusal is None:
        assert errors["second"] == []
    else:
        assert [type(e) for e in errors["second"]] == [AccountError]
        assert str(errors["second"][0]) == f"accounts: {refusal}"
    found = [(u["name"], u["role"], u["email"]) for u in second_accounts.list()]
    assert sorted(found) == expected
