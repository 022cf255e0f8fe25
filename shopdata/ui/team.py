"""The Team page's parts: the account list and the forms that change it (owners only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from shopdata import notify
from shopdata.accounts import ROLES, Accounts, User
from shopdata.errors import AccountError, ShopdataError
from shopdata.formatting import md_escape
from shopdata.journal import Journal
from shopdata.store import Warehouse
from shopdata.ui import auth, widgets
from shopdata.ui.auth import mark_signed_in
from shopdata.ui.i18n import current_language, t

ACCOUNT_COLUMNS = ("name", "role", "email", "has_password", "created_at", "created_by")


def _role_label(role: str) -> str:
    return f"{t(f'role.{role}')} — {t(f'role.{role}.help')}"


def _account_cell(column: str, value):
    if column == "role":
        return t(f"role.{value}")
    return "" if value is None else value


def account_table(accounts: Accounts) -> None:
    frame = pd.DataFrame(
        [{t(f"team.col.{c}"): _account_cell(c, r[c]) for c in ACCOUNT_COLUMNS} for r in accounts.list()]
    )
    widgets.frame_table(frame)


def add_account_form(accounts: Accounts, by: User, first: bool) -> None:
    st.subheader(t("team.add"))
    if first:
        st.info(t("team.first_owner"))
    with st.form("add_account", clear_on_submit=True):
        name = st.text_input(t("auth.name"), key="new_name")
        roles = ["owner"] if first else list(ROLES)
        role = st.selectbox(
            t("team.role"),
            roles,
            index=roles.index("owner" if first else "member"),
            format_func=_role_label,
            key="new_role",
        )
        email = st.text_input(t("team.email"), key="new_email")
        password = st.text_input(t("auth.password"), type="password", key="new_password", autocomplete="new-password")
        again = st.text_input(
            t("team.password_again"), type="password", key="new_password_again", autocomplete="new-password"
        )
        submitted = st.form_submit_button(t("team.create"), type="primary")
    if not submitted:
        return
    if password != again:
        st.error(t("team.passwords_differ"))
        return
    try:
        user = accounts.add(name, role, password, email=email or None, created_by=by.name)
    except AccountError as exc:
        st.error(md_escape(exc.message))
        return
    st.success(t("team.added", name=md_escape(user.name), role=t(f"role.{user.role}")))
    if first:
        # From now on the gate asks for a password; the owner who just made the account is it.
        mark_signed_in(user)
        st.rerun()


def change_account_form(accounts: Accounts) -> None:
    names = [r["name"] for r in accounts.list()]
    if not names:
        return
    st.subheader(t("team.change"))
    name = st.selectbox(t("team.account"), names, key="change_account")
    current = accounts.get(name)
    if current is None:  # removed by someone else since the list was read
        return
    left, middle, right = st.columns(3)
    with left.form("change_role"):
        role = st.selectbox(
            t("team.role"),
            list(ROLES),
            index=list(ROLES).index(current.role),
            format_func=_role_label,
            key="change_role_value",
        )
        if st.form_submit_button(t("team.set_role")) and role is not None:
            _apply(lambda: accounts.set_role(name, role))
    with middle.form("change_password", clear_on_submit=True):
        password = st.text_input(
            t("team.new_password"), type="password", key="change_password_value", autocomplete="new-password"
        )
        if st.form_submit_button(t("team.set_password")):
            _apply(lambda: _reset_password(accounts, name, password))
    with right:
        if st.button(t("team.sign_out_everywhere"), key="end_sessions"):
            _apply(lambda: accounts.sign_out_everywhere(name))
        if st.button(t("team.remove"), key="remove_account"):
            _apply(lambda: accounts.remove(name))


def _reset_password(accounts: Accounts, name: str, password: str) -> None:
    """The owner's reset: a new password, and the name's sign-in delays end (the owner vouches for it)."""
    accounts.set_password(name, password)
    auth.LIMITER.clear(name)


def _apply(change) -> None:
    try:
        change()
    except AccountError as exc:
        st.error(md_escape(exc.message))
        return
    st.toast(t("team.done"))
    st.rerun()


# ---- group robots (issue 12): where the daily report is sent; owners only (permission manage_webhooks)

ROBOT_COLUMNS = ("name", "kind", "url", "has_secret", "store", "created_by")


def _robot_cell(column: str, value):
    if column == "kind":
        return t(notify.ROBOT_NAMES[value])
    if column == "store":
        return value or t("team.robots.all_stores")
    return "" if value is None else value


def robots_section(warehouse: Warehouse, by: User) -> None:
    """List (masked: host and last characters, never the token or the secret), add, test and remove robots."""
    if not by.can("manage_webhooks"):
        return
    journal = Journal(warehouse)
    st.subheader(t("team.robots"))
    st.caption(t("team.robots.intro"))
    robots = journal.webhooks()
    if robots:
        frame = pd.DataFrame([{t(f"team.robots.col.{c}"): _robot_cell(c, r[c]) for c in ROBOT_COLUMNS} for r in robots])
        widgets.frame_table(frame)
        _robot_actions(journal, by, robots)
    else:
        st.info(t("team.robots.none"))
    _add_robot_form(journal, warehouse, by)


def _robot_actions(journal: Journal, by: User, robots: list[dict]) -> None:
    by_id = {int(r["webhook_id"]): r for r in robots}
    chosen = st.selectbox(
        t("team.robots.robot"),
        list(by_id),
        format_func=lambda i: f"{by_id[i]['name']} · {t(notify.ROBOT_NAMES[by_id[i]['kind']])} · {by_id[i]['url']}",
        key="robot_chosen",
    )
    if chosen is None:
        return
    left, right = st.columns(2)
    if left.button(t("team.robots.test"), key="robot_test") and by.can("manage_webhooks"):
        _send_test(journal, chosen)
    if right.button(t("team.robots.delete"), key="robot_delete"):
        try:
            journal.delete_webhook(by, chosen)
        except ShopdataError as exc:
            st.error(md_escape(exc.message))
            return
        st.toast(t("team.robots.removed"))
        st.rerun()


def _send_test(journal: Journal, webhook_id: int) -> None:
    try:
        hook = journal.webhook(webhook_id)
    except ShopdataError as exc:  # removed by someone else since the list was read
        st.error(md_escape(exc.message))
        return
    language = current_language()
    message = notify.DigestMessage(
        t("team.robots.test_title"), ((t("team.robots.robot"), (t("team.robots.test_line", name=hook.name),)),)
    )
    with st.spinner(t("team.robots.sending")):
        delivery = notify.send(hook.kind, hook.url, message, hook.secret or None, language=language)
    shown = md_escape(delivery.text(language))
    if delivery.delivered:
        st.success(shown)
    else:
        st.error(shown)


def _add_robot_form(journal: Journal, warehouse: Warehouse, by: User) -> None:
    st.subheader(t("team.robots.add"))
    stores = [""] + [s["name"] for s in warehouse.stores()]
    with st.form("add_robot", clear_on_submit=True):
        left, right = st.columns(2)
        kind = left.selectbox(
            t("team.robots.kind"), list(notify.KINDS), format_func=lambda k: t(notify.ROBOT_NAMES[k]), key="robot_kind"
        )
        name = right.text_input(t("team.robots.name"), key="robot_name")
        url = st.text_input(t("team.robots.url"), type="password", key="robot_url", autocomplete="off")
        secret = st.text_input(t("team.robots.secret"), type="password", key="robot_secret", autocomplete="off")
        store = st.selectbox(
            t("team.robots.store"), stores, format_func=lambda s: s or t("team.robots.all_stores"), key="robot_store"
        )
        submitted = st.form_submit_button(t("team.robots.save"), type="primary")
    if not submitted:
        return
    try:  # add_webhook checks the permission again: a hand-made message can submit a form it was never shown
        journal.add_webhook(by, kind or "", name, url, secret, store or "")
    except ShopdataError as exc:
        st.error(md_escape(exc.message))
        return
    st.toast(t("team.robots.added", name=md_escape(name.strip())))
    st.rerun()
