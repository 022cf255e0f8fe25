"""Team: who may sign in and with which role (owners only)."""

import streamlit as st

from shopdata.accounts import Accounts
from shopdata.ui import team
from shopdata.ui.auth import is_local_mode, require_permission
from shopdata.ui.i18n import t
from shopdata.ui.session import get_warehouse

user = require_permission("manage_users")
warehouse = get_warehouse()
accounts = Accounts(warehouse)
st.title(t("team.title"))
st.caption(t("team.intro"))
team.account_table(accounts)
team.add_account_form(accounts, user, first=is_local_mode())
team.change_account_form(accounts)
team.robots_section(warehouse, user)
