"""The sign-in gate app.py runs before anything else, on every rerun of every page.

Who is signed in lives in server-side session state (never in the URL or a widget the browser could set)
and is looked up again in the users table on every run, so removing an account or changing its role
takes effect on the teammate's next click.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from shopdata.accounts import REMEMBER_DAYS, ROLES, Accounts, LoginLimiter, User, sign_in
from shopdata.errors import LoginRefused, LoginThrottled
from shopdata.formatting import md_escape
from shopdata.serve import LOOPBACK_NAMES
from shopdata.store import Warehouse
from shopdata.ui import edge
from shopdata.ui.i18n import t

SIGNED_IN_KEY = "_signed_in_name"  # the account name this session proved it owns
CURRENT_KEY = "_current_user"  # the User as looked up on this run
LOCAL_KEY = "_local_mode"  # no accounts yet and served on loopback only
TOKEN_KEY = "_sign_in_token"  # this browser's stay-signed-in token, to revoke on sign-out
EPOCH_KEY = "_signed_in_epoch"  # the account's session epoch when this session signed in
ENDED_KEY = "_sign_in_ended"  # set when a revocation ended this session: the form says why
PENDING_COOKIE_KEY = "_pending_cookie"  # (value, max-age) to write into the browser on the next run
COOKIE = edge.SIGN_IN_COOKIE
# One limiter for the whole server process: every session is a thread in it.
LIMITER = LoginLimiter()


def oidc_configured() -> bool:
    """Single sign-on is on when .streamlit/secrets.toml has an [auth] section (see README)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all (Streamlit's secret-not-found error is one)
        return False


def local_only() -> bool:
    """Served on a loopback address and reached by a loopback name: only someone at this computer.

    The Host check stops DNS rebinding even if the allow-list were lost: a page on attacker.example whose
    name now resolves to 127.0.0.1 still sends `Host: attacker.example`. A run with no request headers at
    all has no browser behind it (AppTest); every HTTP/1.1 request carries a Host.
    """
    if str(st.get_option("server.address") or "") not in LOOPBACK_NAMES:
        return False
    headers = st.context.headers
    return not headers or host_name(headers.get("Host")) in LOOPBACK_NAMES


def host_name(host: str | None) -> str | None:
    """`localhost:8501` -> `localhost`, `[::1]:8501` -> `::1`; None when it is not a plain host[:port]."""
    try:
        parsed = urlsplit(f"//{host or ''}")
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    if parsed.username is not None or parsed.path or not parsed.hostname:
        return None
    return parsed.hostname.rstrip(".")


def signed_in_user(store: Warehouse) -> User | None:
    """Who this session is, checked against the users table on every run; None until someone signs in.

    Served beyond loopback with no accounts at all, the run stops here with what to do.
    """
    accounts = Accounts(store)
    _grant(None)  # until this run has decided who it is (it may stop on the way)
    local = not accounts.any()
    st.session_state[LOCAL_KEY] = local
    user: User | None
    if local:
        if not local_only():
            st.error(t("auth.no_accounts_lan"))
            st.stop()
        # `make run` before any account exists: the owner alone at their own computer.
        user = User(_local_name(), "owner")
    else:
        user = _account_user(accounts)
    st.session_state[CURRENT_KEY] = user
    _grant(user)
    return user


def _grant(user: User | None) -> None:
    """Tell the edge (uploads, downloads) what this Streamlit session may do, as decided on this run."""
    context = get_script_run_ctx()
    if context is None:
        return
    grant = None
    if user is not None:
        grant = edge.Grant(user.name, ROLES.get(user.role, frozenset()), st.context.cookies.get(edge.BROWSER_COOKIE))
    edge.GRANTS.record(context.session_id, grant)


def offer_download(
    key: str,
    label: str,
    permission: str,
    file_name: str,
    mime: str,
    *,
    path: Path | None = None,
    produce: Callable[[], bytes] | None = None,
    once: bool = False,
) -> None:
    """A download button served by the edge: only to this session while it is connected and signed in."""
    context = get_script_run_ctx()
    if context is None:
        return
    download = edge.Download(context.session_id, permission, file_name, mime, path, produce, once)
    st.link_button(label, edge.download_url(edge.TICKETS.offer(key, download)))


def _local_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "owner"


def _account_user(accounts: Accounts) -> User | None:
    name = st.session_state.get(SIGNED_IN_KEY)
    if name:
        user = accounts.resume(name, st.session_state.get(EPOCH_KEY), st.session_state.get(TOKEN_KEY))
        if user is not None:
            return user
        # Removed, a new password or role, signed out everywhere, or this session's token revoked meanwhile.
        for key in (SIGNED_IN_KEY, EPOCH_KEY, TOKEN_KEY):
            st.session_state.pop(key, None)
        st.session_state[ENDED_KEY] = True
    if oidc_configured() and st.user.get("is_logged_in"):
        return _oidc_user(accounts)
    # A reload or a new tab is a new session; a browser kept signed in brings its token as a cookie.
    # The cookies are those of the session's start, so a token revoked since then finds nothing.
    token = st.context.cookies.get(COOKIE)
    user = accounts.recall(token)
    if user is not None:
        mark_signed_in(user, token)
        LIMITER.succeeded(user.name, st.context.ip_address)  # the token proves it: no delay left here
    return user


def mark_signed_in(user: User, token: str | None = None) -> None:
    """This session has proved it is `user` (with the browser's stay-signed-in token, if it has one)."""
    st.session_state[SIGNED_IN_KEY] = user.name
    st.session_state[EPOCH_KEY] = user.epoch
    st.session_state.pop(ENDED_KEY, None)
    if token is not None:
        st.session_state[TOKEN_KEY] = token


def _oidc_user(accounts: Accounts) -> User:
    """An identity-provider sign-in counts only for an e-mail on the team's list, checked on every run."""
    email = str(st.user.get("email") or "")
    verified = st.user.get("email_verified")
    user = accounts.by_email(email) if verified is not False else None
    if user is None:
        st.error(t("auth.not_allowed", email=md_escape(email or "?")))
        if st.button(t("auth.sign_out"), key="oidc_sign_out"):
            st.logout()
        st.stop()
    return user


def sign_in_form(store: Warehouse) -> None:
    """The sign-in form, and nothing else: the run stops here."""
    accounts = Accounts(store)
    st.title(t("auth.title"))
    st.caption(t("auth.intro"))
    if st.session_state.get(ENDED_KEY):
        st.warning(t("auth.session_ended"))
    with st.form("sign_in", enter_to_submit=True):
        name = st.text_input(t("auth.name"), key="sign_in_name", autocomplete="username")
        password = st.text_input(
            t("auth.password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        remember = st.checkbox(t("auth.remember", days=REMEMBER_DAYS), value=True, key="sign_in_remember")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    _write_pending_cookie()
    if submitted:
        try:
            user = sign_in(accounts, LIMITER, name, password, client=st.context.ip_address)
        except LoginThrottled as exc:
            st.error(t("auth.throttled", seconds=int(exc.retry_after) + 1))
        except LoginRefused:
            st.error(t("auth.wrong"))
        else:
            token = accounts.remember(user.name) if remember else None
            mark_signed_in(user, token)
            if token is not None:
                st.session_state[PENDING_COOKIE_KEY] = (token, REMEMBER_DAYS * 86400)
            st.rerun()
    if oidc_configured() and st.button(t("auth.sso"), key="sso"):
        st.login()
    st.stop()


def current_account() -> User:
    """The user app.py signed in on this run (pages run after the gate)."""
    return st.session_state[CURRENT_KEY]


def is_local_mode() -> bool:
    return bool(st.session_state.get(LOCAL_KEY))


def _write_pending_cookie() -> None:
    """Set or clear the stay-signed-in cookie, HttpOnly: the server sets it when the browser fetches a one-time
    code's address (edge.py), so the token never passes through page script."""
    pending = st.session_state.pop(PENDING_COOKIE_KEY, None)
    if pending is None:
        return
    value, max_age = pending
    code = edge.TICKETS.issue_cookie(value, int(max_age), st.context.cookies.get(edge.BROWSER_COOKIE))
    url = json.dumps(edge.cookie_url(code))
    st.sidebar.html(
        f"<script>fetch({url}, {{credentials: 'same-origin', cache: 'no-store'}});</script>",
        unsafe_allow_javascript=True,
    )


def account_box(store: Warehouse, user: User) -> None:
    """Sidebar: who is signed in, and the way out."""
    if is_local_mode():
        st.sidebar.caption(t("auth.local_mode"))
        return
    _write_pending_cookie()
    st.sidebar.markdown(t("auth.signed_in", name=md_escape(user.name), role=t(f"role.{user.role}")))
    sign_out = st.sidebar.button(t("auth.sign_out"), key="sign_out")
    if st.sidebar.button(t("auth.sign_out_everywhere"), key="sign_out_everywhere"):
        Accounts(store).sign_out_everywhere(user.name)
        sign_out = True
    if sign_out:
        Accounts(store).forget(st.session_state.pop(TOKEN_KEY, None))
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.session_state[PENDING_COOKIE_KEY] = ("", 0)
        if oidc_configured() and st.user.get("is_logged_in"):
            st.logout()
        st.rerun()


def require_permission(permission: str) -> User:
    """For a page only some roles may open: others get a plain message and nothing else."""
    user = current_account()
    if not user.can(permission):
        st.warning(t("auth.owner_only"))
        st.stop()
    return user
