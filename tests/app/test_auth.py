"""The sign-in gate through AppTest: nothing without a sign-in, roles on the Data and Team pages, uploader
recorded on the batch, rate limiting, the OIDC allow-list, and no data on the network without accounts."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit import config
from streamlit.runtime.context import ContextProxy

from shopdata.accounts import Accounts
from shopdata.engine import connect
from shopdata.store import Warehouse
from shopdata.ui import auth
from tests.app.conftest import app_test, open_page
from tests.app.test_data_page import CAMPAIGNS, new_store

TEAM = {"owner": ("Olivia", "owner-pass-1"), "member": ("Ming", "member-pass-2"), "viewer": ("Vic", "viewer-pass-3")}


def add_team(db: Path, **emails: str) -> None:
    with connect(str(db)) as engine:
        accounts = Accounts(Warehouse(engine))
        for role, (name, password) in TEAM.items():
            accounts.add(name, role, password, email=emails.get(role))


@pytest.fixture
def team_demo_db(demo_db: Path) -> Path:
    add_team(demo_db)
    return demo_db


@pytest.fixture
def team_empty_db(empty_db: Path) -> Path:
    add_team(empty_db)
    return empty_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    """Each test starts with no failed sign-ins counted (the limiter lives as long as the server), on a
    clock that moves only when the test says."""
    limiter = auth.LoginLimiter(clock=clock)
    monkeypatch.setattr(auth, "LIMITER", limiter)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> dict:
    """What the next run's browser brings: its address and cookies (AppTest cannot send them itself)."""
    sent: dict = {"ip": None, "cookies": {}}
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: sent["ip"]))
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: dict(sent["cookies"])))
    return sent


def shows_data(at) -> bool:
    """Anything read from the warehouse: KPI cards, tables, charts, the store picker."""
    return bool(at.metric or at.dataframe or at.get("plotly_chart") or at.selectbox)


def sign_in(at, role: str):
    name, password = TEAM[role]
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()  # the form's submit button
    return at


@pytest.mark.parametrize(
    "page",
    [
        "views/overview.py",
        "views/funnel.py",
        "views/traffic.py",
        "views/promotion.py",
        "views/prices.py",
        "views/data.py",
        "views/team.py",
    ],
)
def test_signed_out_sees_the_form_and_no_data(team_demo_db: Path, page: str) -> None:
    at = open_page(page, store="Demo store")
    assert [t.value for t in at.title] == ["Sign in to Shopdata"]
    assert not shows_data(at)
    assert not at.get("file_uploader")
    assert not any("Demo store" in m.value for m in at.markdown)


def test_sign_in_opens_the_requested_page(team_demo_db: Path) -> None:
    at = open_page("views/traffic.py", store="Demo store")
    sign_in(at, "member")
    assert not at.exception
    assert [t.value for t in at.title] == ["Traffic sources"]
    assert at.dataframe  # the sources table, from the demo store
    assert any("Signed in as **Ming** (member)" in m.value for m in at.sidebar.markdown)


def test_wrong_password_is_refused_without_saying_which_part(team_demo_db: Path) -> None:
    at = open_page("views/overview.py")
    at.text_input(key="sign_in_name").input("Olivia")
    at.text_input(key="sign_in_password").input("owner-pass-2")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong name or password."]
    assert not shows_data(at)


def guess(at, name: str, times: int = 1):
    for _ in range(times):
        at.text_input(key="sign_in_name").input(name)
        at.text_input(key="sign_in_password").input("guess-guess")
        at.button[0].click().run()
    return at


def test_failures_slow_that_address_not_the_owner_at_another(team_demo_db: Path, clock, browser) -> None:
    browser["ip"] = "10.0.0.66"
    at = guess(open_page("views/overview.py"), "Olivia", 5)
    sign_in(at, "owner")  # the right password, straight after five wrong ones from here: not even tried
    assert at.error and at.error[0].value.startswith("Too many failed sign-ins.")
    assert not shows_data(at)
    browser["ip"] = "10.0.0.1"  # Olivia at her own desk
    assert shows_data(sign_in(open_page("views/overview.py"), "owner"))
    browser["ip"] = "10.0.0.66"
    clock.now += 1  # 2^(5-5) seconds after the fifth failure, the right password is heard here too
    assert shows_data(sign_in(open_page("views/overview.py"), "owner"))


def test_a_valid_kept_sign_in_or_an_owners_reset_ends_the_delays(team_demo_db: Path, clock, browser) -> None:
    browser["ip"] = "10.0.0.5"
    at = open_page("views/overview.py")
    for _ in range(8):
        clock.now += 3600  # slow enough to be heard every time
        guess(at, "Olivia")
        guess(at, "Ming")
    for name in ("Olivia", "Ming"):
        with pytest.raises(auth.LoginThrottled):  # 8 s after the eighth failure
            auth.LIMITER.check(name, "10.0.0.5")
    with connect(str(team_demo_db)) as engine:
        browser["cookies"] = {auth.COOKIE: Accounts(Warehouse(engine)).remember("Olivia")}
    kept = open_page("views/team.py")  # Olivia's browser, kept signed in, from the same address
    assert [t.value for t in kept.title] == ["Team"]
    auth.LIMITER.check("Olivia", "10.0.0.5")
    kept.selectbox(key="change_account").set_value("Ming").run()
    kept.text_input(key="change_password_value").input("ming-new-pass")
    next(b for b in kept.button if b.label == "Set password").click().run()
    assert not kept.exception
    auth.LIMITER.check("Ming", "10.0.0.5")
    browser["cookies"] = {}
    with connect(str(team_demo_db)) as engine:
        assert Accounts(Warehouse(engine)).authenticate("Ming", "ming-new-pass").name == "Ming"


def test_viewer_sees_data_but_cannot_upload_or_delete(team_demo_db: Path) -> None:
    at = sign_in(open_page("views/data.py"), "viewer")
    assert not at.exception
    assert not at.get("file_uploader")
    assert any("Your role (viewer) can look at the data" in i.value for i in at.info)
    assert at.dataframe  # the batch list
    assert not [b for b in at.button if str(b.key).startswith("delete_")]
    assert not [b for b in at.button if b.key == "remove_demo"]


def test_member_uploads_and_the_batch_records_who(team_empty_db: Path) -> None:
    at = sign_in(open_page("views/data.py"), "member")
    new_store(at)
    at.file_uploader(key="uploads").upload("campaigns.csv", CAMPAIGNS, "text/csv").run()
    at.button(key="import").click().run()
    assert not at.exception
    with duckdb.connect(str(team_empty_db)) as con:
        assert con.execute("SELECT file_name, uploaded_by FROM batches").fetchall() == [("campaigns.csv", "Ming")]
    assert not [b for b in at.button if str(b.key).startswith("delete_")]  # members do not delete


def test_only_the_owner_gets_the_team_page(team_demo_db: Path) -> None:
    member = sign_in(open_page("views/team.py"), "member")
    assert "Team" not in [t.value for t in member.title]
    owner = sign_in(open_page("views/team.py"), "owner")
    assert [t.value for t in owner.title] == ["Team"]
    listed = owner.dataframe[0].value
    assert list(listed.columns) == ["Name", "Role", "E-mail", "Password set", "Created (UTC)", "Created by"]
    assert list(zip(listed["Name"], listed["Role"], listed["E-mail"], strict=False)) == [
        ("Olivia", "owner", ""),
        ("Ming", "member", ""),
        ("Vic", "viewer", ""),
    ]
    owner.text_input(key="new_name").input("Dee")
    owner.selectbox(key="new_role").set_value("viewer")
    owner.text_input(key="new_email").input("dee@shop.example")
    owner.text_input(key="new_password").input("dee-pass-123")
    owner.text_input(key="new_password_again").input("dee-pass-123")
    next(b for b in owner.button if b.label == "Create account").click().run()
    assert not owner.exception
    assert [s.value for s in owner.success] == ["Account Dee added as viewer."]
    with connect(str(team_demo_db)) as engine:
        assert Accounts(Warehouse(engine)).authenticate("dee", "dee-pass-123").role == "viewer"


def test_a_removed_account_is_signed_out_on_its_next_click(team_demo_db: Path) -> None:
    at = sign_in(open_page("views/overview.py"), "member")
    assert shows_data(at)
    with connect(str(team_demo_db)) as engine:
        Accounts(Warehouse(engine)).remove("Ming")
    at.run()
    assert [t.value for t in at.title] == ["Sign in to Shopdata"]
    assert not shows_data(at)


def test_local_mode_without_accounts_then_first_owner_turns_the_gate_on(empty_db: Path) -> None:
    at = open_page("views/team.py")
    assert any("Local use on this computer only" in c.value for c in at.sidebar.caption)
    at.text_input(key="new_name").input("Olivia")
    at.text_input(key="new_password").input("owner-pass-1")
    at.text_input(key="new_password_again").input("owner-pass-1")
    at.button[0].click().run()
    assert not at.exception
    assert any("Signed in as **Olivia** (owner)" in m.value for m in at.sidebar.markdown)
    fresh = open_page("views/overview.py")  # another browser: must sign in now
    assert [t.value for t in fresh.title] == ["Sign in to Shopdata"]


@pytest.fixture
def served_on_the_network():
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def test_on_the_network_without_accounts_nothing_is_shown(
    empty_db: Path, served_on_the_network, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPDATA_DEMO", "1")
    at = app_test()
    at.switch_page("views/overview.py")
    at.run()
    assert at.error and "has no accounts yet" in at.error[0].value
    assert not shows_data(at)
    with duckdb.connect(str(empty_db)) as con:  # the run stopped before even loading the demo store
        assert con.execute("SELECT count(*) FROM stores").fetchone() == (0,)


SSO = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
}


def sso_session(page: str, email: str, verified: bool = True):
    at = app_test()
    at.secrets.update(SSO)
    at.user = {"is_logged_in": True, "email": email, "email_verified": verified}
    at.switch_page(page)
    at.run()
    return at


def test_sso_allows_only_listed_emails_on_every_page(demo_db: Path) -> None:
    add_team(demo_db, member="ming@shop.example")
    allowed = sso_session("views/overview.py", "Ming@Shop.example")
    assert not allowed.exception and shows_data(allowed)
    assert any("Signed in as **Ming** (member)" in m.value for m in allowed.sidebar.markdown)
    for email, verified in (("stranger@elsewhere.example", True), ("ming@shop.example", False)):
        refused = sso_session("views/promotion.py", email, verified)
        assert refused.error and "is not on this team's list" in refused.error[0].value
        assert not shows_data(refused)


OCTOBER = {"range": "custom", "from": "2026-10-01", "to": "2026-10-31", "cur": "CNY"}
PRICE_SHOP = "示例美妆旗舰店"  # a shop of the demo's price exports
RIVAL_SHOP = "竞品A旗舰店"  # another one


def crafted(widget):
    """The widget as a hand-made websocket message sees it: the browser's `disabled` does not bind the sender."""
    widget.proto.disabled = False
    return widget


def saved_settings(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db)) as con:
        return dict(con.execute("SELECT key, value FROM settings WHERE store = 'Demo store'").fetchall())


def test_a_viewer_cannot_change_the_margin_that_drives_everyones_advice(team_demo_db: Path) -> None:
    at = sign_in(open_page("views/promotion.py", **OCTOBER), "viewer")
    crafted(at.number_input(key="promotion_margin_Demo store")).set_value(99.0)
    crafted(at.button(key="promotion_margin_save")).click().run()
    assert not at.exception
    assert "gross_margin" not in saved_settings(team_demo_db)
    assert at.number_input(key="promotion_margin_Demo store").disabled
    assert at.button(key="promotion_margin_save").disabled
    member = sign_in(open_page("views/promotion.py", **OCTOBER), "member")
    member.number_input(key="promotion_margin_Demo store").set_value(40.0)
    member.button(key="promotion_margin_save").click().run()
    assert saved_settings(team_demo_db)["gross_margin"] == "0.4"


def test_a_viewer_cannot_choose_the_own_shop_or_save_competitor_links(team_demo_db: Path) -> None:
    # The demo store comes with its own shop and links chosen; a viewer must leave them as they are.
    demo_settings = saved_settings(team_demo_db)
    assert demo_settings["own_shop"] != json.dumps(RIVAL_SHOP, ensure_ascii=False)
    at = sign_in(open_page("views/prices.py"), "viewer")
    crafted(at.selectbox(key="prices_own_shop:Demo store")).set_value(RIVAL_SHOP).run()
    assert not at.exception
    assert saved_settings(team_demo_db) == demo_settings
    assert at.selectbox(key="prices_own_shop:Demo store").disabled

    with connect(str(team_demo_db)) as engine:
        Warehouse(engine).set_setting("own_shop", PRICE_SHOP, store="Demo store")
    with duckdb.connect(str(team_demo_db)) as con:
        con.execute("DELETE FROM settings WHERE store = 'Demo store' AND key = 'price_links'")
    before = saved_settings(team_demo_db)
    at = sign_in(open_page("views/prices.py"), "viewer")
    crafted(next(b for b in at.button if b.label == "Save links")).click().run()
    assert not at.exception
    assert saved_settings(team_demo_db) == before
    assert next(b for b in at.button if b.label == "Save links").disabled
    member = sign_in(open_page("views/prices.py"), "member")
    next(b for b in member.button if b.label == "Save links").click().run()
    assert "price_links" in saved_settings(team_demo_db)


def signed_out_with_the_reason(at) -> bool:
    return [t.value for t in at.title] == ["Sign in to Shopdata"] and any(
        "You were signed out" in w.value for w in at.warning
    )


def change(db: Path, action) -> None:
    with connect(str(db)) as engine:
        action(Accounts(Warehouse(engine)))


@pytest.mark.parametrize(
    "revoke",
    [
        lambda accounts: accounts.set_password("Ming", "ming-new-pass"),
        lambda accounts: accounts.set_role("Ming", "viewer"),
        lambda accounts: accounts.sign_out_everywhere("ming"),
    ],
    ids=["new password", "role change", "sign out everywhere"],
)
def test_a_revocation_ends_a_session_already_open(team_demo_db: Path, browser, revoke) -> None:
    at = sign_in(open_page("views/overview.py"), "member")
    assert shows_data(at)
    change(team_demo_db, revoke)
    at.run()  # the teammate's next click, or a dropped socket resuming the same session
    assert signed_out_with_the_reason(at)
    assert not shows_data(at)


def test_signing_out_a_stolen_token_ends_the_session_that_used_it(team_demo_db: Path, browser) -> None:
    victim = sign_in(open_page("views/overview.py"), "member")  # "stay signed in" is ticked by default
    stolen = victim.session_state[auth.TOKEN_KEY]
    browser["cookies"] = {auth.COOKIE: stolen}
    thief = open_page("views/overview.py")
    assert shows_data(thief)
    browser["cookies"] = {}
    victim.button(key="sign_out").click().run()  # the victim signs out on their own browser
    assert [t.value for t in victim.title] == ["Sign in to Shopdata"]
    thief.run()
    assert [t.value for t in thief.title] == ["Sign in to Shopdata"] and not shows_data(thief)


def test_sign_out_everywhere_from_the_account_box_and_the_team_page(team_demo_db: Path, browser) -> None:
    laptop = sign_in(open_page("views/overview.py"), "member")
    phone = sign_in(open_page("views/overview.py"), "member")
    laptop.button(key="sign_out_everywhere").click().run()
    assert [t.value for t in laptop.title] == ["Sign in to Shopdata"]
    phone.run()
    assert signed_out_with_the_reason(phone)

    ming = sign_in(open_page("views/overview.py"), "member")
    owner = sign_in(open_page("views/team.py"), "owner")
    owner.selectbox(key="change_account").set_value("Ming").run()
    owner.button(key="end_sessions").click().run()
    assert not owner.exception and shows_data(owner)  # the owner's own session goes on
    ming.run()
    assert signed_out_with_the_reason(ming)
    assert shows_data(sign_in(ming, "member"))  # and Ming signs in again as usual
