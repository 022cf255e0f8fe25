"""Accounts: roles, scrypt hashes, constant-work checks, last-owner rule, login rate limit."""

from __future__ import annotations

import base64
import hashlib

import pytest

from shopdata import accounts as accounts_module
from shopdata.accounts import (
    Accounts,
    LoginLimiter,
    allows,
    canonical_name,
    hash_password,
    sign_in,
    verify_password,
)
from shopdata.errors import AccountError, LoginRefused, LoginThrottled
from shopdata.store import Warehouse


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        ("owner", "view", True),
        ("owner", "upload", True),
        ("owner", "delete", True),
        ("owner", "manage_users", True),
        ("owner", "backup", True),
        ("owner", "edit_settings", True),
        ("member", "view", True),
        ("member", "upload", True),
        ("member", "delete", False),
        ("member", "manage_users", False),
        ("member", "backup", False),
        ("member", "edit_settings", True),
        ("viewer", "view", True),
        ("viewer", "upload", False),
        ("viewer", "delete", False),
        ("viewer", "manage_users", False),
        ("viewer", "edit_settings", False),
        ("stranger", "view", False),
    ],
)
def test_what_each_role_may_do(role: str, permission: str, allowed: bool) -> None:
    assert allows(role, permission) is allowed


def test_hash_is_salted_scrypt_that_recomputes_by_hand() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second  # a fresh salt each time
    scheme, n, r, p, salt, digest = first.split("$")
    assert scheme == "scrypt" and len(base64.b64decode(salt)) == 16
    assert (int(n), int(r), int(p)) == (2**17, 8, 1)  # OWASP's minimum for scrypt
    by_hand = hashlib.scrypt(
        b"correct horse", salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=256 * 1024 * 1024, dklen=32
    )
    assert base64.b64decode(digest) == by_hand
    assert "correct horse" not in first


def test_a_hash_made_with_a_given_salt_is_that_salt_s_hash() -> None:
    salt = bytes(range(16))
    by_hand = hashlib.scrypt(b"correct horse", salt=salt, n=2**17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    expected = f"scrypt$131072$8$1${base64.b64encode(salt).decode()}${base64.b64encode(by_hand).decode()}"
    assert hash_password("correct horse", salt) == expected


@pytest.mark.parametrize(
    ("password", "stored", "expected"),
    [
        ("s3cret-pass", hash_password("s3cret-pass"), True),
        ("s3cret-pasS", hash_password("s3cret-pass"), False),
        ("", hash_password("s3cret-pass"), False),
        ("s3cret-pass", "", False),
        ("s3cret-pass", "bcrypt$x$y", False),
        # The right password under another scheme's name: only scrypt is ever trusted.
        ("s3cret-pass", hash_password("s3cret-pass").replace("scrypt$", "bcrypt$", 1), False),
        ("s3cret-pass", "scrypt$16384$8$1$!!notbase64$abc", False),
        ("s3cret-pass", "scrypt$1073741824$8$1$AAAA$AAAA", False),  # a tampered cost: refused, not attempted
    ],
)
def test_verify_password(password: str, stored: str, expected: bool) -> None:
    assert verify_password(password, stored) is expected


def test_checks_compare_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = []
    real = accounts_module.hmac.compare_digest
    monkeypatch.setattr(accounts_module.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    stored = hash_password("s3cret-pass")
    assert verify_password("s3cret-pass", stored) and not verify_password("nope-nope", stored)
    assert len(compared) == 2


def test_unknown_name_costs_the_same_scrypt_as_a_wrong_password(
    store: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    accounts_module._absent_user_hash()  # made once per process, before any name is looked up
    calls = []
    real = accounts_module.hashlib.scrypt
    monkeypatch.setattr(accounts_module.hashlib, "scrypt", lambda *a, **k: calls.append(k["n"]) or real(*a, **k))
    for name, password in (("ana", "wrong-pass"), ("nobody", "wrong-pass")):
        with pytest.raises(LoginRefused) as refused:
            accounts.authenticate(name, password)
        assert "wrong name or password" in str(refused.value)  # never says which of the two
    assert calls == [accounts_module.SCRYPT_N] * 2


def test_accounts_round_trip(store: Warehouse) -> None:
    accounts = Accounts(store)
    assert not accounts.any()
    accounts.add("Ana Li", "owner", "s3cret-pass", email=" Ana@Shop.example ", created_by="cli")
    accounts.add("bo", "viewer", "another-pass")
    assert accounts.any()
    signed = accounts.authenticate("  ana   LI ", "s3cret-pass")  # names are case- and space-insensitive
    assert (signed.name, signed.role, signed.email) == ("Ana Li", "owner", "ana@shop.example")
    assert accounts.by_email("ANA@shop.example").name == "Ana Li"
    listed = {u["name"]: u for u in accounts.list()}
    assert set(listed) == {"Ana Li", "bo"} and listed["bo"]["has_password"] is True
    assert "password_hash" not in listed["bo"]
    stored = store.engine.execute("SELECT password_hash FROM users WHERE name = 'bo'").scalar()
    assert stored.startswith("scrypt$") and "another-pass" not in stored

    accounts.set_password("bo", "brand-new-pass")
    with pytest.raises(LoginRefused):
        accounts.authenticate("bo", "another-pass")
    assert accounts.authenticate("bo", "brand-new-pass").role == "viewer"
    accounts.set_role("bo", "member")
    assert accounts.get("BO").role == "member"
    accounts.remove("bo")
    assert accounts.get("bo") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "email", "message"),
    [
        ("", "owner", "s3cret-pass", None, "login name"),
        ("a$b", "owner", "s3cret-pass", None, "login name"),
        ("x" * 65, "owner", "s3cret-pass", None, "login name"),
        ("ana", "admin", "s3cret-pass", None, "role"),
        ("ana", "owner", "short", None, "at least 8"),
        ("password", "owner", "PASSWORD", None, "not be the login name"),
        ("ana", "owner", None, None, "needs a password"),
        ("ana", "owner", "s3cret-pass", "not-an-email", "not valid"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(store: Warehouse, name, role, password, email, message) -> None:
    with pytest.raises(AccountError, match=message):
        Accounts(store).add(name, role, password, email=email)
    assert not Accounts(store).any()


def test_duplicates_refused(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass", email="ana@x.example")
    with pytest.raises(AccountError, match="already an account"):
        accounts.add("ANA", "member", "s3cret-pass")
    with pytest.raises(AccountError, match="already uses"):
        accounts.add("other", "member", "s3cret-pass", email="ANA@x.example")
    assert [u["name"] for u in accounts.list()] == ["ana"]


def test_the_team_always_keeps_an_owner(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    accounts.add("bo", "member", "s3cret-pass")
    with pytest.raises(AccountError, match="at least one owner"):
        accounts.remove("ana")
    with pytest.raises(AccountError, match="at least one owner"):
        accounts.set_role("ana", "viewer")
    accounts.set_role("bo", "owner")
    accounts.remove("ana")  # allowed now that bo is an owner
    assert [(u["name"], u["role"]) for u in accounts.list()] == [("bo", "owner")]


def test_sso_only_account_cannot_sign_in_with_a_password(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("cy", "member", None, email="cy@x.example")
    assert store.engine.execute("SELECT password_hash FROM users").scalar() == ""
    for guess in ("", "anything-at-all"):
        with pytest.raises(LoginRefused):
            accounts.authenticate("cy", guess)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail(limiter: LoginLimiter, clock: FakeClock, name: str, client: str | None, times: int) -> None:
    """`times` failures, each attempted as soon as the limiter hears it."""
    for _ in range(times):
        try:
            limiter.check(name, client)
        except LoginThrottled as throttled:
            clock.now += throttled.retry_after
            limiter.check(name, client)
        limiter.failed(name, client)


def test_after_five_failures_each_attempt_waits_twice_as_long_up_to_the_cap() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(free_per_name=5, free_per_client=100, max_delay=900, clock=clock)
    for _ in range(5):
        limiter.check("ana", "10.0.0.1")  # the first five are heard at once
        limiter.failed("ana", "10.0.0.1")
    for failures, wait in ((5, 1), (6, 2), (7, 4), (8, 8), (14, 512), (15, 900), (30, 900)):
        fail(limiter, clock, "ana", "10.0.0.1", failures - _count(limiter, "ana", "10.0.0.1"))
        with pytest.raises(LoginThrottled) as throttled:
            limiter.check("ANA", "10.0.0.1")
        assert throttled.value.retry_after == pytest.approx(wait)  # 2^(failures - 5) s after the last, capped
        clock.now += wait - 0.5
        with pytest.raises(LoginThrottled):
            limiter.check("ana", "10.0.0.1")
        clock.now += 0.5
        limiter.check("ana", "10.0.0.1")  # heard again once the delay has passed: never a lock


def _count(limiter: LoginLimiter, name: str, client: str) -> int:
    failures = limiter._failures.get(("name", canonical_name(name), client))
    return failures.count if failures else 0


def test_someone_elses_failures_do_not_slow_the_name_at_another_address() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(clock=clock)
    fail(limiter, clock, "ana", "10.0.0.66", 12)
    with pytest.raises(LoginThrottled):
        limiter.check("ana", "10.0.0.66")
    limiter.check("ana", "10.0.0.1")  # the owner of the name, at their own desk
    limiter.check("bo", "10.0.0.66")  # the guesser's address has not used up its own free failures


def test_an_address_guessing_many_names_is_slowed_too() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(free_per_name=5, free_per_client=3, clock=clock)
    for name in ("a", "b", "c"):
        limiter.failed(name, "10.0.0.7")
    with pytest.raises(LoginThrottled) as throttled:
        limiter.check("d", "10.0.0.7")
    assert throttled.value.retry_after == pytest.approx(1)
    limiter.check("d", "10.0.0.8")


def test_failures_are_forgotten_a_day_after_the_last() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(forget_after=86400, clock=clock)
    fail(limiter, clock, "ana", "10.0.0.1", 10)
    clock.now += 86400
    limiter.check("ana", "10.0.0.1")
    limiter.failed("ana", "10.0.0.1")  # counting starts again from one
    limiter.check("ana", "10.0.0.1")
    assert limiter._failures.keys() == {("name", "ana", "10.0.0.1"), ("client", "10.0.0.1")}


def test_an_owners_reset_clears_the_name_everywhere_a_success_only_its_own_address() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(clock=clock)
    for client in ("10.0.0.1", "10.0.0.2"):
        fail(limiter, clock, "ana", client, 7)
    limiter.succeeded("Ana", "10.0.0.1")
    limiter.check("ana", "10.0.0.1")
    with pytest.raises(LoginThrottled):
        limiter.check("ana", "10.0.0.2")
    limiter.clear("ANA")
    limiter.check("ana", "10.0.0.2")


def test_sign_in_counts_failures_and_a_success_clears_them(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "member", "s3cret-pass")
    clock = FakeClock()
    limiter = LoginLimiter(free_per_name=3, clock=clock)
    for _ in range(2):
        with pytest.raises(LoginRefused):
            sign_in(accounts, limiter, "ana", "wrong-pass", "c1")
    assert sign_in(accounts, limiter, "ana", "s3cret-pass", "c1").name == "ana"
    for _ in range(3):  # the success wiped the pair's count: three more failures are heard at once
        with pytest.raises(LoginRefused):
            sign_in(accounts, limiter, "ana", "wrong-pass", "c1")
    with pytest.raises(LoginThrottled):  # even the right password is not tried before the delay
        sign_in(accounts, limiter, "ana", "s3cret-pass", "c1")
    assert sign_in(accounts, limiter, "ana", "s3cret-pass", "c2").name == "ana"  # another address: at once
    clock.now += 1
    assert sign_in(accounts, limiter, "ana", "s3cret-pass", "c1").name == "ana"  # and here after a second


def test_a_browser_kept_signed_in_until_sign_out_password_change_or_expiry(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "member", "s3cret-pass")
    accounts.add("bo", "viewer", "s3cret-pass")
    laptop, phone, other = accounts.remember("ANA"), accounts.remember("ana"), accounts.remember("bo")
    assert len({laptop, phone, other}) == 3 and len(laptop) >= 40
    stored = [r[0] for r in store.engine.execute("SELECT token_hash FROM sign_ins").rows]
    assert sorted(stored) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in (laptop, phone, other))
    assert accounts.recall(laptop).name == "ana" and accounts.recall(other).name == "bo"
    for wrong in (None, "", laptop[:-1], stored[0], 42):
        assert accounts.recall(wrong) is None  # a stored hash is not a token

    accounts.forget(laptop)  # sign-out on the laptop
    assert accounts.recall(laptop) is None and accounts.recall(phone).name == "ana"
    accounts.set_password("ana", "brand-new-pass")  # a new password ends every kept sign-in
    assert accounts.recall(phone) is None and accounts.recall(other).name == "bo"
    accounts.remove("bo")
    assert accounts.recall(other) is None
    assert store.engine.execute("SELECT count(*) FROM sign_ins").scalar() == 0

    expired = accounts.remember("ana", days=-1)
    assert accounts.recall(expired) is None
    accounts.remember("ana")  # remembering again clears out the expired rows
    assert store.engine.execute("SELECT count(*) FROM sign_ins").scalar() == 1


def test_a_burst_of_guesses_at_once_gets_no_more_tries_than_the_limit(store: Warehouse) -> None:
    import threading

    accounts = Accounts(store)
    accounts.add("ana", "member", "s3cret-pass")
    limiter = LoginLimiter(free_per_name=3, clock=FakeClock())
    guesses = 12
    start = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        try:
            sign_in(accounts, limiter, "ana", f"guess-{n:04d}", "10.0.0.66")
        except (LoginRefused, LoginThrottled) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["LoginRefused"] * 3 + ["LoginThrottled"] * 9


SPELLINGS_OF_VICTOR = ("vİctor", "VICTOR", "ｖｉｃｔｏｒ", " Victor ")  # Turkish İ (U+0130), full-width


@pytest.mark.parametrize("spelling", SPELLINGS_OF_VICTOR)
def test_one_canonical_form_per_name(spelling: str) -> None:
    assert canonical_name(spelling) == "victor"
    assert canonical_name("Straße") == canonical_name("STRASSE") == "strasse"
    assert canonical_name("Ana  Li") == canonical_name("ANA LI") == "ana li"
    assert canonical_name("vector") != "victor" and canonical_name("víctor") != "victor"
    assert canonical_name("") == canonical_name(" \t ") == ""  # no name is no one's name


def test_every_spelling_of_a_name_counts_against_its_one_bucket(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("victor", "member", "s3cret-pass")
    limiter = LoginLimiter(free_per_name=5, clock=FakeClock())
    for spelling in (*SPELLINGS_OF_VICTOR, "victor"):  # five failures, four spellings of them not "victor"
        with pytest.raises(LoginRefused):
            sign_in(accounts, limiter, spelling, "wrong-pass")
    for spelling in (*SPELLINGS_OF_VICTOR, "victor"):
        with pytest.raises(LoginThrottled):
            sign_in(accounts, limiter, spelling, "s3cret-pass")


@pytest.mark.parametrize("spelling", SPELLINGS_OF_VICTOR)
def test_names_are_found_in_their_canonical_form_on_either_database(store: Warehouse, spelling: str) -> None:
    accounts = Accounts(store)
    accounts.add("victor", "member", "s3cret-pass")
    assert accounts.get(spelling).name == "victor"
    assert accounts.authenticate(spelling, "s3cret-pass").name == "victor"


@pytest.mark.parametrize(
    ("existing", "clash"), [("victor", "ｖｉｃｔｏｒ"), ("Straße", "STRASSE"), ("victor", "vİctor")]
)
def test_a_name_whose_canonical_form_is_taken_is_refused(store: Warehouse, existing: str, clash: str) -> None:
    accounts = Accounts(store)
    accounts.add(existing, "owner", "s3cret-pass")
    with pytest.raises(AccountError, match=f"already an account called {existing}"):
        accounts.add(clash, "member", "another-pass")
    assert [u["name"] for u in accounts.list()] == [existing]


def epoch_of(store: Warehouse, name: str) -> int:
    return store.engine.execute("SELECT session_epoch FROM users WHERE name = ?", [name]).scalar()


def test_a_new_password_a_role_change_or_signing_out_everywhere_ends_open_sessions(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    bo = accounts.add("bo", "member", "s3cret-pass")
    assert bo.epoch == epoch_of(store, "bo") and accounts.get("BO").epoch == bo.epoch
    for password, end in (
        ("s3cret-pass", lambda: accounts.set_password("bo", "brand-new-pass")),
        ("brand-new-pass", lambda: accounts.set_role("bo", "viewer")),
        ("brand-new-pass", lambda: accounts.sign_out_everywhere("Bo")),
    ):
        session = accounts.authenticate("bo", password)
        kept = accounts.remember("bo")
        assert accounts.resume("bo", session.epoch, kept) == accounts.get("bo")
        before = epoch_of(store, "bo")
        end()
        assert epoch_of(store, "bo") == before + 1
        assert accounts.resume("bo", session.epoch, None) is None
    assert accounts.resume("ana", accounts.get("ana").epoch) is not None  # other accounts go on
    # signing out everywhere also revokes every browser kept signed in
    kept = accounts.remember("bo")
    accounts.sign_out_everywhere("bo")
    assert accounts.recall(kept) is None


def test_a_session_holding_a_revoked_token_ends(store: Warehouse) -> None:
    accounts = Accounts(store)
    ana = accounts.add("ana", "member", "s3cret-pass")
    laptop, stolen = accounts.remember("ana"), accounts.remember("ana")
    assert accounts.resume("ana", ana.epoch, stolen) is not None
    accounts.forget(stolen)
    assert accounts.resume("ana", ana.epoch, stolen) is None
    assert accounts.resume("ana", ana.epoch, laptop) is not None
    assert accounts.resume("ana", ana.epoch) is not None  # signed in with a password, no token kept
    other = accounts.add("bo", "member", "s3cret-pass")
    assert accounts.resume("bo", other.epoch, laptop) is None  # someone else's token proves nothing


def test_a_removed_name_added_again_does_not_resume_the_old_sessions(store: Warehouse) -> None:
    accounts = Accounts(store)
    accounts.add("ana", "owner", "s3cret-pass")
    old = accounts.add("bo", "member", "s3cret-pass")
    accounts.remove("bo")
    assert accounts.resume("bo", old.epoch) is None
    new = accounts.add("bo", "member", "other-pass-1")
    assert new.epoch != old.epoch and accounts.resume("bo", old.epoch) is None


def test_accounts_of_a_version_4_database_start_at_epoch_zero(warehouse_url: str, tmp_path, monkeypatch) -> None:
    from shopdata.backup import BACKUP_DIR_ENV
    from shopdata.engine import connect
    from shopdata.store import open_warehouse
    from tests.support.schema_fixtures import fixture_path, statements

    monkeypatch.setenv(BACKUP_DIR_ENV, str(tmp_path / "backups"))
    with connect(warehouse_url) as engine:
        for statement in statements(fixture_path(4).read_text(encoding="utf-8")):
            engine.execute(statement)
    warehouse = open_warehouse(warehouse_url)
    try:
        rows = warehouse.engine.execute("SELECT name, session_epoch FROM users").rows
        assert len(rows) == 2 and {epoch for _, epoch in rows} == {0}
        name = rows[0][0]
        assert Accounts(warehouse).resume(name, 0) is not None
    finally:
        warehouse.engine.close()
