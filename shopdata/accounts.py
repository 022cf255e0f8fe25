"""Team accounts: roles, salted scrypt password hashes, and a login rate limit.

Accounts live in the warehouse's `users` table, so the CLI, `make serve` and the app agree on who exists.
Passwords are stored only as `scrypt$n$r$p$salt$hash`; checks compare in constant time and cost the same
whether or not the name exists, so timing says nothing about which names are real.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from shopdata.errors import AccountError, LoginRefused, LoginThrottled
from shopdata.store import Warehouse, utcnow

# What each role may do. Pages and buttons ask `allows(role, permission)`; nothing else knows the roles.
# edit_settings: the store-wide settings every teammate's pages use (margins, own shop, competitor links).
# review: write the team's 复盘 notes, activities and monthly targets (shopdata/journal.py).
# manage_webhooks: configure the group robots the reports are pushed to (their URLs and secrets).
ROLES: dict[str, frozenset[str]] = {
    "owner": frozenset(
        {"view", "upload", "delete", "manage_users", "backup", "edit_settings", "review", "manage_webhooks"}
    ),
    "member": frozenset({"view", "upload", "edit_settings", "review"}),
    "viewer": frozenset({"view"}),
}
MIN_PASSWORD_LENGTH = 8
REMEMBER_DAYS = 14  # how long "stay signed in on this browser" lasts
MAX_NAME_LENGTH = 64

# scrypt cost as OWASP recommends (N=2^17, r=8, p=1): 128 MB and about a quarter of a second per check
# here, which makes guessing a stolen hash expensive. A stored hash asking for more memory than
# SCRYPT_MAXMEM (a tampered table) fails the check rather than exhausting the server.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
SCRYPT_MAXMEM = 256 * 1024 * 1024
SALT_BYTES = 16


@dataclass(frozen=True)
class User:
    name: str
    role: str
    email: str | None = None
    epoch: int = 0  # users.session_epoch when looked up: a session signed in at another one has been ended

    def can(self, permission: str) -> bool:
        return allows(self.role, permission)


def allows(role: str, permission: str) -> bool:
    return permission in ROLES.get(role, frozenset())


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=SCRYPT_MAXMEM,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _absent_user_hash() -> str:
    """Checked against when the name does not exist, so an unknown name costs as much as a wrong password.
    Made on first use: a CLI command or a page that never checks a password should not pay for it."""
    return hash_password(secrets.token_hex(16))


def _normal_name(name: str) -> str:
    return " ".join((name or "").split())


_DOT_ABOVE = "\u0307"


def canonical_name(name: str) -> str:
    """The one form in which login names are compared, looked up and rate-limited: NFKC + casefold, with
    spaces collapsed. `VICTOR`, full-width `ｖｉｃｔｏｒ` and `vİctor` are all `victor`: casefold turns the
    Turkish İ into i + COMBINING DOT ABOVE, a dot an i or j already has, so it is dropped (the databases'
    lower() already match `vİctor` to `victor`; this is why the rate limit must too)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    folded = folded.replace("i" + _DOT_ABOVE, "i").replace("j" + _DOT_ABOVE, "j")
    return " ".join(folded.split())


def _normal_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def _check_password_strength(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if canonical_name(password) == canonical_name(name):
        raise AccountError("the password must not be the login name")


class Accounts:
    """The team's accounts in one warehouse."""

    def __init__(self, store: Warehouse) -> None:
        self.engine = store.engine

    def any(self) -> bool:
        return self.engine.execute("SELECT count(*) FROM users").scalar() > 0

    def list(self) -> list[dict]:
        return self.engine.execute(
            "SELECT name, email, role, created_at, created_by, password_hash <> '' AS has_password "
            "FROM users ORDER BY created_at, name"
        ).records()

    def _find(self, name: str, columns: str = "name, role, email, session_epoch") -> tuple | None:
        """The account whose canonical name is `name`'s, as `columns` (the first is name). Matched here, not
        by SQL's lower(): the databases fold case differently from each other and from Python. A team has
        tens of accounts, so reading the names is cheap; the exact name wins should an older database hold
        two names with one canonical form."""
        wanted = canonical_name(name)
        rows = self.engine.execute(f"SELECT {columns} FROM users ORDER BY created_at, name").rows
        matches = [row for row in rows if canonical_name(row[0]) == wanted]
        exact = [row for row in matches if row[0] == _normal_name(name)]
        return (exact or matches)[0] if matches else None

    def get(self, name: str) -> User | None:
        row = self._find(name)
        return User(*row) if row else None

    def by_email(self, email: str | None) -> User | None:
        email = _normal_email(email)
        if not email:
            return None
        row = self.engine.execute(
            "SELECT name, role, email, session_epoch FROM users WHERE email = ?", [email]
        ).fetchone()
        return User(*row) if row else None

    def add(
        self, name: str, role: str, password: str | None = None, email: str | None = None, created_by: str | None = None
    ) -> User:
        """A new account. `password` may be omitted only when `email` is given (an OIDC-only account)."""
        name, email = _normal_name(name), _normal_email(email)
        if not name or len(name) > MAX_NAME_LENGTH or any(ch in name for ch in "$\n\r\t"):
            raise AccountError(f"a login name is 1–{MAX_NAME_LENGTH} characters, without $ or line breaks")
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}")
        if email and "@" not in email:
            raise AccountError("that e-mail address is not valid")
        if password is None and not email:
            raise AccountError("an account needs a password, or an e-mail for single sign-on")
        if password is not None:
            _check_password_strength(password, name)
        hashed = hash_password(password) if password is not None else ""
        # A random first epoch: a session of a removed account never resumes as a new one of the same name.
        epoch = secrets.randbits(62)
        with self.engine.exclusive_transaction("accounts"):
            taken = self._find(name, "name")
            if taken is not None:
                raise AccountError(f"there is already an account called {taken[0]}")
            if email and self.engine.execute("SELECT 1 FROM users WHERE email = ?", [email]).rows:
                raise AccountError(f"another account already uses {email}")
            self.engine.execute(
                "INSERT INTO users (name, email, role, password_hash, created_at, created_by, session_epoch) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, email, role, hashed, utcnow(), created_by, epoch],
            )
        return User(name, role, email, epoch)

    def set_password(self, name: str, password: str) -> None:
        """A new password; every session and every browser kept signed in with the old one must sign in again."""
        user = self._existing(name)
        _check_password_strength(password, user.name)
        with self.engine.transaction():
            self.engine.execute(
                "UPDATE users SET password_hash = ? WHERE name = ?", [hash_password(password), user.name]
            )
            self._end_sessions(user.name)
            self.engine.execute("DELETE FROM sign_ins WHERE name = ?", [user.name])

    def sign_out_everywhere(self, name: str) -> None:
        """Every open session and every browser kept signed in ends (a lost laptop, a copied cookie)."""
        user = self._existing(name)
        with self.engine.transaction():
            self._end_sessions(user.name)
            self.engine.execute("DELETE FROM sign_ins WHERE name = ?", [user.name])

    def _end_sessions(self, exact_name: str) -> None:
        self.engine.execute(
            "UPDATE users SET session_epoch = coalesce(session_epoch, 0) + 1 WHERE name = ?", [exact_name]
        )

    def set_role(self, name: str, role: str) -> None:
        user = self._existing(name)
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}")
        with self.engine.exclusive_transaction("accounts"):
            if user.role == "owner" and role != "owner":
                self._keep_an_owner(user.name)
            self.engine.execute("UPDATE users SET role = ? WHERE name = ?", [role, user.name])
            self._end_sessions(user.name)  # open sessions sign in again, under the new role

    def remove(self, name: str) -> None:
        user = self._existing(name)
        with self.engine.exclusive_transaction("accounts"):
            if user.role == "owner":
                self._keep_an_owner(user.name)
            self.engine.execute("DELETE FROM users WHERE name = ?", [user.name])
            self.engine.execute("DELETE FROM sign_ins WHERE name = ?", [user.name])

    def _existing(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise AccountError(f"there is no account called {_normal_name(name)}")
        return user

    def _keep_an_owner(self, leaving: str) -> None:
        others = self.engine.execute(
            "SELECT count(*) FROM users WHERE role = 'owner' AND name <> ?", [leaving]
        ).scalar()
        if not others:
            raise AccountError("the team needs at least one owner; make someone else owner first")

    def authenticate(self, name: str, password: str) -> User:
        """The user, or LoginRefused. Same work for an unknown name as for a wrong password."""
        absent = _absent_user_hash()  # made before the lookup: the process's first check costs the same either way
        row = self._find(name, "name, role, email, session_epoch, password_hash")
        stored = row[4] if row and row[4] else absent
        matches = verify_password(password or "", stored)
        if row is None or not row[4] or not matches:
            raise LoginRefused("wrong name or password")
        return User(*row[:4])

    # -- browsers kept signed in
    def remember(self, name: str, days: int = REMEMBER_DAYS) -> str:
        """A random token for a browser's sign-in cookie; only its SHA-256 is stored, so the table
        (or a backup of it) cannot be replayed as cookies."""
        user = self._existing(name)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self.engine.transaction():
            self.engine.execute("DELETE FROM sign_ins WHERE expires_at <= ?", [now])
            self.engine.execute(
                "INSERT INTO sign_ins (token_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                [_token_hash(token), user.name, now, now + timedelta(days=days)],
            )
        return token

    def recall(self, token: str | None) -> User | None:
        """The account a browser's unexpired, unrevoked token belongs to."""
        if not isinstance(token, str) or not token:
            return None
        row = self.engine.execute(
            "SELECT name FROM sign_ins WHERE token_hash = ? AND expires_at > ?", [_token_hash(token), utcnow()]
        ).fetchone()
        return self.get(row[0]) if row else None

    def resume(self, name: str, epoch: int | None, token: str | None = None) -> User | None:
        """The account a session signed in as, on this run, unless something has ended that sign-in since:
        the account was removed, its epoch moved on (new password, role change, signed out everywhere), or
        the stay-signed-in token the session holds was revoked. Checked on every run of every session, so
        a session resumed after a dropped socket is checked like any other."""
        user = self._find(name)
        if user is None or user[0] != name or user[3] != epoch:
            return None
        if token is not None:
            kept = self.recall(token)
            if kept is None or kept.name != name:
                return None
        return User(*user)

    def forget(self, token: str | None) -> None:
        """Sign-out: the token stops working everywhere, whatever the browser still holds."""
        if isinstance(token, str) and token:
            self.engine.execute("DELETE FROM sign_ins WHERE token_hash = ?", [_token_hash(token)])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class _Failures:
    count: int
    last: float  # the clock's time of the latest


class LoginLimiter:
    """Growing delays after failed sign-ins, never a lock that the right password cannot open.

    Failures count per (canonical name, client address) and per client address. Past its free failures
    (`free_per_name` for a pair, `free_per_client` for an address guessing many names) the next attempt
    must wait 2^(failures - free) seconds after the latest failure, at most `max_delay`: an attacker's
    guesses slow to a trickle, while the account's owner at another address is not slowed at all, and
    anyone who waits is heard. Failures are forgotten `forget_after` seconds after the latest one; a
    success (or a valid stay-signed-in token) clears its pair, an owner's password reset every pair of
    the name. Shared by every session of the server process (sessions are threads of one process).
    """

    def __init__(
        self,
        free_per_name: int = 5,
        free_per_client: int = 20,
        max_delay: float = 900.0,
        forget_after: float = 86400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_per_name = free_per_name
        self.free_per_client = free_per_client
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.clock = clock
        self._failures: dict[tuple[str, ...], _Failures] = {}
        self._lock = threading.Lock()

    def _keys(self, name: str, client: str | None) -> list[tuple[tuple[str, ...], int]]:
        """Each counter an attempt is checked against, with its free failures."""
        address = client or ""
        keys: list[tuple[tuple[str, ...], int]] = [(("name", canonical_name(name), address), self.free_per_name)]
        if client:
            keys.append((("client", address), self.free_per_client))
        return keys

    def delay(self, failures: int, free: int) -> float:
        """Seconds an attempt waits after the latest of `failures`."""
        return 0.0 if failures < free else float(min(2 ** min(failures - free, 64), self.max_delay))

    def check(self, name: str, client: str | None = None) -> None:
        """Raise LoginThrottled while this name from this client, or this client, must still wait."""
        now = self.clock()
        with self._lock:
            waits = [
                failures.last + self.delay(failures.count, free) - now
                for key, free in self._keys(name, client)
                if (failures := self._failures.get(key)) is not None and now - failures.last < self.forget_after
            ]
        wait = max(waits, default=0.0)
        if wait > 0:
            raise LoginThrottled(wait)

    def failed(self, name: str, client: str | None = None) -> None:
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(name, client):
                failures = self._failures.get(key)
                if failures is None or now - failures.last >= self.forget_after:
                    failures = self._failures[key] = _Failures(0, now)
                failures.count += 1
                failures.last = now
            # Forget stale counters, so names made up by a guesser do not pile up for the server's lifetime.
            stale = [key for key, failures in self._failures.items() if now - failures.last >= self.forget_after]
            for key in stale:
                del self._failures[key]

    def succeeded(self, name: str, client: str | None = None) -> None:
        """The right password (or a valid token) for `name` from `client`: that pair starts afresh. The
        address's own counter stays: one good account must not reset a guesser's count of other names."""
        with self._lock:
            self._failures.pop(self._keys(name, client)[0][0], None)

    def clear(self, name: str) -> None:
        """An owner set a new password: the name's delays end at every address."""
        wanted = canonical_name(name)
        with self._lock:
            for key in [k for k in self._failures if k[0] == "name" and k[1] == wanted]:
                del self._failures[key]


# One password check at a time in the server: a burst of sign-ins cannot run past the rate limit (each
# sees the failures before it) or hold many 128 MB scrypt buffers at once.
_ONE_CHECK_AT_A_TIME = threading.Lock()


def sign_in(accounts: Accounts, limiter: LoginLimiter, name: str, password: str, client: str | None = None) -> User:
    """Rate limit, then check the password; a failure counts against the name and the client."""
    limiter.check(name, client)  # refuse a throttled burst without queueing it
    with _ONE_CHECK_AT_A_TIME:
        limiter.check(name, client)
        try:
            user = accounts.authenticate(name, password)
        except LoginRefused:
            limiter.failed(name, client)
            raise
        limiter.succeeded(name, client)
    return user
