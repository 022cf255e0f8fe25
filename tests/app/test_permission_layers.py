"""Each layer of the Team page's permission defence on its own (issue 16 item 4).

Layer 1, registration: app.py registers the Team page only for roles that may manage the team (and, hidden,
while signed out, so a copied link survives the sign-in). Layer 2, the page's own check: views/team.py run
directly, with no app.py and no navigation, refuses a role without the permission and draws nothing after the
refusal. Either layer alone must hold; tests/app/test_auth.py tests them together."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from shopdata.accounts import ROLES, User, allows
from shopdata.ui.auth import CURRENT_KEY
from shopdata.ui.pages import DEFAULT_PAGE, PAGES, TEAM_PAGE
from tests.app.conftest import TIMEOUT, open_page
from tests.app.test_auth import TEAM, add_team, sign_in

TEAM_SCRIPT = str(Path(__file__).resolve().parents[2] / TEAM_PAGE.script)
REFUSAL = "Only an owner can do this."


@pytest.fixture
def team_db(demo_db: Path) -> Path:
    add_team(demo_db)
    return demo_db


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The url paths of the pages each run of app.py registers with st.navigation."""
    runs: list[set[str]] = []
    navigation = st.navigation

    def recording(pages, **kwargs):
        runs.append({page.url_path for page in pages})
        return navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return runs


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_team_page_is_registered_only_for_roles_that_manage_the_team(
    team_db: Path, registered: list[set[str]], role: str
) -> None:
    assert role in TEAM  # every role has a test account
    sign_in(open_page("views/overview.py"), role)
    signed_in = registered[-1]
    assert {page.url_path for page in PAGES if page is not DEFAULT_PAGE} <= signed_in  # the default one is ""
    assert (TEAM_PAGE.url_path in signed_in) is allows(role, "manage_users")


def test_signed_out_the_team_page_is_registered_so_its_link_survives_the_sign_in(
    team_db: Path, registered: list[set[str]]
) -> None:
    open_page("views/overview.py")
    assert TEAM_PAGE.url_path in registered[-1]


def run_team_page_directly(role: str) -> AppTest:
    """views/team.py without app.py: no gate, no navigation, only the page's own check."""
    at = AppTest.from_file(TEAM_SCRIPT, default_timeout=TIMEOUT)
    at.session_state[CURRENT_KEY] = User(TEAM[role][0], role)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role", sorted(r for r in ROLES if not allows(r, "manage_users")))
def test_the_team_page_itself_refuses_and_stops_for_a_role_without_the_permission(team_db: Path, role: str) -> None:
    at = run_team_page_directly(role)
    assert [w.value for w in at.warning] == [REFUSAL]
    # Nothing after the refusal: no title, no account list, no form, no robots.
    assert not at.title and not at.caption and not at.dataframe and not at.text_input and not at.button
    assert len(at.main.children) == 1  # the warning alone


def test_the_team_page_run_directly_opens_for_an_owner(team_db: Path) -> None:
    at = run_team_page_directly("owner")
    assert not at.warning
    assert [t.value for t in at.title] == ["Team"]
    assert at.dataframe
