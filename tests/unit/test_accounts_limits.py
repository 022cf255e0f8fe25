"""Account and sign-in behaviours the mutation run (make mutation MODULES=accounts) found unchecked: the
limiter's documented defaults and boundaries on a clock far from zero, a throttled burst refused without
waiting for the password check, a user's permissions, and the refusals' reasons."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from shopdata import accounts as accounts_module
from shopdata.accounts import ROLES, Accounts, LoginLimiter, User, allows, canonical_name, sign_in
from shopdata.errors import AccountError, LoginRefused, LoginThrottled
from shopdata.store import Warehouse

DAY = 86400.0


class FarClock:
    """A monotonic clock that, like time.monotonic on a long-running server, is far from zero."""

    def __init__(self) -> None:
        self.now = 5_000_000.0

    def __call__(self) -> float:
        return self.now


def failures(limiter: LoginLimiter, clock: FarClock, name: str, client: str | None, times: int) -> None:
    for _ in range(times):
        limiter.check(name, client)
        limiter.failed(name, client)


def test_the_default_limits_are_five_free_failures_per_name_and_twenty_per_address() -> None:
    clock = FarClock()
    limiter = LoginLimiter(clock=clock)
    failures(limiter, clock, "ana", "10.0.0.1", 4)
    limiter.check("ana", "10.0.0.1")  # four failures: still free
    limiter.failed("ana", "10.0.0.1")
    with pytest.raises(LoginThrottled) as waited:  # the fifth: 2^0 s
        limiter.check("ana", "10.0.0.1")
    assert waited.value.retry_after == pytest.approx(1.0)

    guesser = LoginLimiter(clock=clock)
    for n in range(19):  # 19 names, 1 failure each, from one address: free
        failures(guesser, clock, f"name{n}", "10.0.0.9", 1)
    guesser.check("name19", "10.0.0.9")
    guesser.failed("name19", "10.0.0.9")
    with pytest.raises(LoginThrottled):  # the twentieth slows the address for any name
        guesser.check("name20", "10.0.0.9")


def test_the_default_delay_stops_growing_at_fifteen_minutes() -> None:
    clock = FarClock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(30):
        limiter.failed("ana", "10.0.0.1")
    with pytest.raises(LoginThrottled) as waited:
        limiter.check("ana", "10.0.0.1")
    assert waited.value.retry_after == pytest.approx(900.0)


@pytest.mark.parametrize("after, remembered", [(DAY - 1, True), (DAY, False)])
def test_failures_are_forgotten_exactly_a_day_after_the_last(after: float, remembered: bool) -> None:
    clock = FarClock()
    limiter = LoginLimiter(clock=clock)  # the default: a day
    for _ in range(20):
        limiter.failed("ana", "10.0.0.1")
    clock.now += after
    limiter.failed("bob", "10.0.0.2")  # any failure sweeps the stale counters away
    assert (("name", "ana", "10.0.0.1") in limiter._failures) is remembered
    limiter.failed("ana", "10.0.0.1")  # the 21st failure, or the first again
    if remembered:
        with pytest.raises(LoginThrottled):
            limiter.check("ana", "10.0.0.1")
    else:
        limiter.check("ana", "10.0.0.1")


def test_an_owners_reset_of_one_name_leaves_other_names_slowed() -> None:
    clock = FarClock()
    limiter = LoginLimiter(free_per_client=100, clock=clock)
    for name in ("ana", "bob"):
        for _ in range(8):
            limiter.failed(name, "10.0.0.1")
    limiter.clear("ana")
    limiter.check("ana", "10.0.0.1")
    with pytest.raises(LoginThrottled):
        limiter.check("bob", "10.0.0.1")


def test_a_throttled_sign_in_is_refused_at_once_not_queued_behind_a_password_check(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "member", "s3cret-pass")
    clock = FarClock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(8):
        limiter.failed("ana", "10.0.0.66")
    outcome: list[str] = []

    def attempt() -> None:
        try:
            sign_in(accounts, limiter, "ana", "s3cret-pass", "10.0.0.66")
            outcome.append("signed in")
        except LoginThrottled:
            outcome.append("throttled")

    with accounts_module._ONE_CHECK_AT_A_TIME:  # another sign-in's password check is running
        waiting = threading.Thread(target=attempt, daemon=True)
        waiting.start()
        waiting.join(timeout=30)  # a guard against hanging the run, not a speed measure
        queued = waiting.is_alive()
    waiting.join()
    assert not queued
    assert outcome == ["throttled"]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_user_may_do_what_its_role_allows(role: str) -> None:
    user = User("ana", role)
    for permission in sorted(set().union(*ROLES.values())):
        assert user.can(permission) is (permission in ROLES[role]) is allows(role, permission)


def test_any_account_and_an_unknown_email(store: Warehouse) -> None:
    accounts = Accounts(store)
    assert not accounts.any()
    accounts.add("ana", "owner", "s3cret-pass", email="ana@shop.example")
    assert accounts.any()  # one account is enough to turn the sign-in gate on
    assert accounts.by_email("nobody@shop.example") is None
    found = accounts.by_email("ANA@shop.example")
    assert found is not None and (found.name, found.role, found.email) == ("ana", "owner", "ana@shop.example")


def test_refusals_say_why(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    with pytest.raises(AccountError, match="^accounts: the role must be one of owner, member, viewer$"):
        accounts.set_role("ana", "admin")
    with pytest.raises(
        AccountError, match="^accounts: the team needs at least one owner; make someone else owner first$"
    ):
        accounts.set_role("ana", "member")


def test_an_owner_may_step_down_while_another_owner_remains(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    accounts.set_role("ana", "owner")  # the sole owner kept as owner: nothing to refuse
    accounts.add("bob", "owner", "s3cret-pass")
    accounts.set_role("ana", "viewer")
    assert {u["name"]: u["role"] for u in accounts.list()} == {"ana": "viewer", "bob": "owner"}


def test_a_new_password_may_not_be_the_login_name_either(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("victoria9", "owner", "s3cret-pass")
    with pytest.raises(AccountError, match="^accounts: the password must not be the login name$"):
        accounts.set_password("victoria9", "VICTORIA9")  # the name in another case is the name
    accounts.authenticate("victoria9", "s3cret-pass")  # the old password still works


def test_a_new_account_is_recorded_as_given_and_its_first_session_resumes(store: Warehouse) -> None:
    accounts = Accounts(store)
    before = datetime.now(UTC).replace(tzinfo=None)
    made = accounts.add("  Xia   Xu ", "member", "s3cret-pass", email=" Xia@Shop.example ", created_by="olivia")
    after = datetime.now(UTC).replace(tzinfo=None)
    assert (made.name, made.role, made.email) == ("Xia Xu", "member", "xia@shop.example")
    [listed] = accounts.list()
    assert (listed["name"], listed["email"], listed["role"], listed["created_by"]) == (
        "Xia Xu",
        "xia@shop.example",
        "member",
        "olivia",
    )
    assert before <= listed["created_at"] <= after  # UTC, without a zone, as every timestamp column
    assert accounts.resume("Xia Xu", made.epoch) == made  # the epoch handed back is the one stored


def test_a_login_name_may_be_64_characters_long_not_65(store: Warehouse) -> None:
    accounts = Accounts(store)
    assert accounts.add("n" * 64, "owner", "s3cret-pass").name == "n" * 64
    with pytest.raises(AccountError, match=r"^accounts: a login name is 1–64 characters, without \$ or line breaks$"):
        accounts.add("m" * 65, "owner", "s3cret-pass")


def test_a_dot_above_an_i_or_a_j_is_the_dot_it_already_has() -> None:
    # Typed as a letter plus U+0307 COMBINING DOT ABOVE (or produced by casefolding the Turkish İ).
    assert canonical_name("Vi\u0307ctor") == canonical_name("VİCTOR") == "victor"
    assert canonical_name("j\u0307ane") == "jane"
    assert canonical_name("a\u0307na") != "ana"  # an a has no dot of its own: that one is a different letter


def test_a_password_of_eight_characters_is_enough_and_seven_are_not(store: Warehouse) -> None:
    accounts = Accounts(store)
    with pytest.raises(AccountError, match="^accounts: a password needs at least 8 characters$"):
        accounts.add("ana", "owner", "7-chars")
    accounts.add("ana", "owner", "8-chars!")
    assert accounts.authenticate("ana", "8-chars!").name == "ana"


@pytest.mark.parametrize(
    ("name", "role", "password", "email", "message"),
    [
        ("bo", "admin", "s3cret-pass", None, "the role must be one of owner, member, viewer"),
        ("bo", "member", "s3cret-pass", "bo.example", "that e-mail address is not valid"),
        ("bo", "member", None, None, "an account needs a password, or an e-mail for single sign-on"),
        ("ANA", "member", "s3cret-pass", None, "there is already an account called ana"),
        ("bo", "member", "s3cret-pass", "ANA@shop.example", "another account already uses ana@shop.example"),
    ],
)
def test_a_refused_account_says_exactly_why(
    store: Warehouse, name: str, role: str, password: str | None, email: str | None, message: str
) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass", email="ana@shop.example")
    with pytest.raises(AccountError) as refused:
        accounts.add(name, role, password, email=email)
    assert str(refused.value) == f"accounts: {message}"
    assert [u["name"] for u in accounts.list()] == ["ana"]


def test_a_change_to_an_unknown_account_names_it(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    for change in (
        lambda: accounts.set_password("  nobody   here ", "s3cret-pass"),
        lambda: accounts.set_role("  nobody   here ", "member"),
        lambda: accounts.remove("  nobody   here "),
    ):
        with pytest.raises(AccountError) as refused:
            change()
        assert str(refused.value) == "accounts: there is no account called nobody here"


def test_a_refused_sign_in_says_only_wrong_name_or_password(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    for name, password in (("ana", "wrong-pass"), ("nobody", "s3cret-pass"), ("ana", "")):
        with pytest.raises(LoginRefused) as refused:
            accounts.authenticate(name, password)
        assert str(refused.value) == "sign-in: wrong name or password"


def test_the_exact_name_wins_over_an_older_account_with_the_same_canonical_form(store: Warehouse) -> None:
    # An older database may hold two names that fold alike (made before names were compared canonically).
    accounts = Accounts(store)
    accounts.add("Victor", "owner", "s3cret-pass")
    store.engine.execute(
        "INSERT INTO users (name, email, role, password_hash, created_at, created_by, session_epoch) "
        "VALUES (?, NULL, ?, '', ?, NULL, 7)",
        ["victor", "viewer", datetime(2030, 1, 1)],
    )
    assert [u["name"] for u in accounts.list()] == ["Victor", "victor"]  # Victor is the older
    found = accounts.get("victor")
    assert found is not None and (found.name, found.role, found.epoch) == ("victor", "viewer", 7)
    older = accounts.get("VICTOR")  # no exact match: the older of the two
    assert older is not None and (older.name, older.role) == ("Victor", "owner")
