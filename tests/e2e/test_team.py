"""`make serve` as a team uses it: the server started by `python -m shopdata serve` (what the Makefile runs),
two teammates in two browsers, a stranger who is not signed in, and the network protections it sets.

The server listens on 127.0.0.1 here (tests use loopback only); everything else is `make serve`'s.
"""

from __future__ import annotations

import http.client
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopdata.i18n import translate
from tests.app.test_data_page import CAMPAIGNS
from tests.e2e.conftest import SERVERS
from tests.e2e.support import (
    TEAM,
    VIEWPORT,
    StreamlitServer,
    create_team,
    drop_files,
    error_boxes,
    main,
    select,
    self_signed_certificate,
    sidebar,
    sign_in,
    table_rows,
    title,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def text(key: str, **values) -> str:
    return translate(key, "en", **values)


@pytest.fixture(scope="module")
def team_server(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    work = tmp_path_factory.mktemp("e2e-serve")
    create_team(work / "shop.duckdb")

    def serve(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "shopdata",
            "serve",
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--allowed-hosts",
            "127.0.0.1,localhost",
            "--max-upload-mb",
            "20",
        ]

    with StreamlitServer(
        work / "shop.duckdb", work / "server.log", env={"SHOPDATA_DEMO": "1"}, command=serve
    ) as server:
        yield server


@pytest.fixture
def on_team_server(team_server: StreamlitServer, request: pytest.FixtureRequest) -> StreamlitServer:
    request.node.stash.setdefault(SERVERS, []).append(team_server)
    return team_server


def test_a_stranger_sees_only_the_sign_in_form(open_app, on_team_server: StreamlitServer) -> None:
    page = open_app("/traffic?store=Demo+store&range=last_7", server=on_team_server, role=None)
    assert title(page) == text("auth.title")
    app_text = page.get_by_test_id("stApp").inner_text()
    for data_sign in ("Demo store", "¥", "淘内免费", text("nav.traffic"), text("data.batches")):
        assert data_sign not in app_text
    assert page.get_by_test_id("stDataFrame").count() == 0
    assert page.locator("div.js-plotly-plot").count() == 0
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert sidebar(page).get_by_test_id("stSidebarNavLink").count() == 0


def test_two_teammates_in_two_browsers(open_app, on_team_server: StreamlitServer, tmp_path: Path) -> None:
    export = tmp_path / "campaigns.csv"
    export.write_bytes(CAMPAIGNS)  # a Google Ads campaign report: 2 rows and a totals row
    member_name, owner_name = TEAM["member"][0], TEAM["owner"][0]

    member = open_app("/data", server=on_team_server, role="member")
    owner = open_app("/overview", server=on_team_server, role="owner")
    assert title(owner) == text("overview.title") and error_boxes(owner) == []

    select(member, main(member), text("data.store_pick"), text("data.store_new_option"))
    name_box = main(member).get_by_role("textbox", name=text("data.store_new"), exact=True)
    name_box.fill("Team shop")
    name_box.press("Enter")
    wait_for_app(member)
    drop_files(member, member.get_by_test_id("stFileUploaderDropzone").first, [export])
    main(member).get_by_role("button", name=text("data.import"), exact=True).click()
    wait_for_app(member)
    assert error_boxes(member) == []
    # a member may not delete and gets no backup panel
    assert main(member).get_by_role("button", name=text("data.delete", batch=1)).count() == 0

    owner_data = open_app("/data", server=on_team_server, role="owner")
    header, *rows = table_rows(main(owner_data).get_by_test_id("stDataFrame").last)
    latest = dict(zip(header, rows[0], strict=False))
    assert (latest[text("col.file_name")], latest[text("col.uploaded_by")], latest[text("col.rows_loaded")]) == (
        "campaigns.csv",
        member_name,
        "2",
    )
    assert owner_name != member_name

    viewer = open_app("/data", server=on_team_server, role="viewer")
    assert viewer.get_by_test_id("stFileUploader").count() == 0
    assert "can look at the data but not upload" in main(viewer).inner_text()


def websocket_upgrade(server: StreamlitServer, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(
        "GET",
        "/_stcore/stream",
        headers={
            "Host": host,
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol": "streamlit",
        },
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_only_allowed_host_names_get_a_session(team_server: StreamlitServer) -> None:
    # DNS rebinding: a page on evil.example resolving to this machine must not get a session.
    assert websocket_upgrade(team_server, f"evil.example:{team_server.port}") == 403
    assert websocket_upgrade(team_server, f"localhost:{team_server.port}") == 101


def test_uploads_need_the_xsrf_token(team_server: StreamlitServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", team_server.port, timeout=10)
    body = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b\r\n--x--\r\n'
    connection.request(
        "PUT",
        "/_stcore/upload_file/session/file",
        body=body,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    status = connection.getresponse().status
    connection.close()
    assert status == 403


def test_a_browser_stays_signed_in_until_it_signs_out(open_app, browser, on_team_server: StreamlitServer) -> None:
    page = open_app("/funnel", server=on_team_server, role="member")
    page.reload()  # a reload is a new Streamlit session: the cookie signs it in
    wait_for_app(page)
    assert title(page) == text("funnel.title")
    kept = [c for c in page.context.cookies() if c["name"] == "shopdata_sign_in"]
    assert len(kept) == 1 and kept[0]["sameSite"] == "Strict" and kept[0]["expires"] > 0

    sidebar(page).get_by_role("button", name=text("auth.sign_out"), exact=True).click()
    wait_for_app(page)
    assert title(page) == text("auth.title")
    page.reload()
    wait_for_app(page)
    assert title(page) == text("auth.title")

    # The token copied out before the sign-out no longer opens anything: it was revoked on the server.
    thief = browser.new_context()
    try:
        thief.add_cookies([{k: kept[0][k] for k in ("name", "value", "domain", "path")}])
        stolen = thief.new_page()
        stolen.goto(on_team_server.url + "/funnel")
        wait_for_app(stolen)
        assert title(stolen) == text("auth.title")
    finally:
        thief.close()


@pytest.fixture(scope="module")
def https_server(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    work = tmp_path_factory.mktemp("e2e-https")
    create_team(work / "shop.duckdb")
    cert, key = self_signed_certificate(work)

    def serve(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "shopdata",
            "serve",
            "--address",
            "127.0.0.1",
            "--port",
            str(port),
            "--allowed-hosts",
            "127.0.0.1",
            "--tls-cert",
            str(cert),
            "--tls-key",
            str(key),
        ]

    with StreamlitServer(
        work / "shop.duckdb", work / "server.log", env={"SHOPDATA_DEMO": "0"}, command=serve, tls_certificate=cert
    ) as server:
        yield server


def test_https_serving_and_a_secure_cookie(browser, https_server: StreamlitServer) -> None:
    # Plain HTTP gets no page: passwords cannot be sent in clear by mistake.
    plain = http.client.HTTPConnection("127.0.0.1", https_server.port, timeout=10)
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        plain.request("GET", "/")
        plain.getresponse().read()
    plain.close()

    context = browser.new_context(ignore_https_errors=True, viewport=VIEWPORT)  # the certificate is self-signed
    try:
        page = context.new_page()
        page.goto(https_server.url + "/data")
        sign_in(page, *TEAM["member"])
        assert title(page) == text("data.title")
        kept = [c for c in context.cookies() if c["name"] == "shopdata_sign_in"]
        assert len(kept) == 1 and kept[0]["secure"] is True and kept[0]["sameSite"] == "Strict"
    finally:
        context.close()
