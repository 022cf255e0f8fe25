"""The Team page's group robots: added by an owner, listed masked (never the token or the secret again), tested
against a fake robot; a member can neither see nor add them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto

from shopdata.accounts import Accounts
from shopdata.engine import connect
from shopdata.store import Warehouse
from tests.app.conftest import open_page
from tests.app.test_auth import add_team, crafted, sign_in
from tests.support.robot import Robot, running_robot

TOKEN = "t3amt0ken8b2d4f6a8c0e1f3b5d7a9c1e"
SECRET = "SECteam5ecret0123456789abcdefghij"


@pytest.fixture
def robot() -> Iterator[Robot]:
    with running_robot() as fake:
        yield fake


@pytest.fixture
def team_demo_db(demo_db: Path) -> Path:
    add_team(demo_db)
    return demo_db


def stored_webhooks(db: Path) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute("SELECT kind, name, url, secret, created_by FROM webhooks ORDER BY webhook_id").fetchall()


def shown_text(at) -> str:
    parts = [str(e.value) for e in (*at.markdown, *at.caption, *at.success, *at.error, *at.info, *at.code)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    # What the server sends into the inputs (AppTest's own `.value` keeps what the test typed, as a browser
    # would not after clear_on_submit).
    parts += [f"{w.proto.default} {w.proto.value}" for w in at.text_input]
    return "\n".join(parts)


def add_through_the_form(at, url: str, secret: str):
    at.selectbox(key="robot_kind").set_value("dingtalk")
    at.text_input(key="robot_name").input("运营群")
    at.text_input(key="robot_url").input(url)
    at.text_input(key="robot_secret").input(secret)
    next(b for b in at.button if b.label == "Add robot").click().run()
    assert not at.exception
    return at


def test_an_owner_adds_a_robot_and_never_sees_its_token_or_secret_again(team_demo_db: Path, robot: Robot) -> None:
    url = f"{robot.base}/robot/send?access_token={TOKEN}"
    at = add_through_the_form(sign_in(open_page("views/team.py"), "owner"), url, SECRET)
    assert stored_webhooks(team_demo_db) == [("dingtalk", "运营群", url, SECRET, "Olivia")]
    assert {at.text_input(key=k).proto.type for k in ("robot_url", "robot_secret")} == {TextInputProto.PASSWORD}
    for shown in (shown_text(at), shown_text(sign_in(open_page("views/team.py"), "owner"))):
        assert "运营群" in shown
        assert url[-4:] in shown  # the masked address: its host and last characters
        assert TOKEN not in shown and SECRET not in shown

    at.button(key="robot_test").click().run()
    assert not at.exception
    assert len(robot.requests) == 1
    path, body = robot.requests[0]
    assert f"access_token={TOKEN}" in path and "sign=" in path
    assert "运营群 is set up" in body.decode()
    assert at.success and "Delivered to the DingTalk robot" in at.success[0].value
    assert TOKEN not in shown_text(at) and SECRET not in shown_text(at)

    at.button(key="robot_delete").click().run()
    assert not at.exception
    assert stored_webhooks(team_demo_db) == []


def test_a_robots_refusal_is_plain_and_without_the_token(team_demo_db: Path, robot: Robot) -> None:
    robot.script = [(200, '{"errcode": 300001, "errmsg": "token is not exist ' + TOKEN + '"}', {})]
    at = add_through_the_form(
        sign_in(open_page("views/team.py"), "owner"), f"{robot.base}/robot/send?access_token={TOKEN}", ""
    )
    at.button(key="robot_test").click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "refused the message" in shown and "300001" in shown
    assert TOKEN not in shown_text(at)


def test_a_member_sees_no_robots_and_a_crafted_submit_writes_nothing(team_demo_db: Path, robot: Robot) -> None:
    member = sign_in(open_page("views/team.py"), "member")
    assert not [b for b in member.button if b.label == "Add robot"]
    assert "Group robots" not in shown_text(member)
    # An owner's page left open after the account became a member: its form, submitted by hand, stores nothing.
    at = sign_in(open_page("views/team.py"), "owner")
    with connect(str(team_demo_db)) as engine:
        accounts = Accounts(Warehouse(engine))
        accounts.add("Otto", "owner", "owner-pass-9")  # the team keeps an owner
        accounts.set_role("Olivia", "member")
    at.selectbox(key="robot_kind").set_value("dingtalk")
    at.text_input(key="robot_name").input("运营群")
    at.text_input(key="robot_url").input(f"{robot.base}/robot/send?access_token={TOKEN}")
    crafted(next(b for b in at.button if b.label == "Add robot")).click().run()
    assert not at.exception
    assert stored_webhooks(team_demo_db) == []
