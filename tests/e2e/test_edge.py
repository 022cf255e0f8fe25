"""Attacks on the HTTP edge (shopdata/ui/edge.py), each performed on loopback against a real server started
the way `make run` starts it: DNS rebinding, a page on another port, a stranger's uploads, downloads
fetched without the session that offered them, the framing and metrics of the server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from shopdata.i18n import translate
from tests.e2e.conftest import SERVERS
from tests.e2e.support import StreamlitServer, create_team, main, title, wait_for_app
from tests.e2e.wire import AppSocket, Refused

pytestmark = pytest.mark.e2e
MB = 1024 * 1024


def text(key: str, **values) -> str:
    return translate(key, "en", **values)


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """`make run` before any account exists: local mode."""
    work = tmp_path_factory.mktemp("edge-local")
    with StreamlitServer(work / "shop.duckdb", work / "server.log", env={"SHOPDATA_DEMO": "0"}) as server:
        yield server


@pytest.fixture(scope="module")
def team_run_server(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """`make run` with the team's accounts (the upload cap of .streamlit/config.toml, 200 MB)."""
    work = tmp_path_factory.mktemp("edge-team")
    create_team(work / "shop.duckdb")
    with StreamlitServer(work / "shop.duckdb", work / "server.log", env={"SHOPDATA_DEMO": "1"}) as server:
        yield server


@pytest.fixture
def on_team_run_server(team_run_server: StreamlitServer, request: pytest.FixtureRequest) -> StreamlitServer:
    request.node.stash.setdefault(SERVERS, []).append(team_run_server)
    return team_run_server


def local_mode_shown(texts: list[str]) -> bool:
    return any(text("auth.local_mode")[:40] in t for t in texts)


# --- item 1: DNS rebinding on `make run` ----------------------------------------------------------------


def test_make_run_answers_only_loopback_host_names(local_server: StreamlitServer) -> None:
    port = local_server.port
    with pytest.raises(Refused) as refused:
        with AppSocket(port, host=f"attacker.example:{port}") as rebound:
            rebound.run()
    assert refused.value.status == 403
    page = requests.get(f"{local_server.url}/", headers={"Host": f"attacker.example:{port}"}, timeout=10)
    assert page.status_code == 403
    for name in ("localhost", "127.0.0.1", "[::1]"):
        with AppSocket(port, host=f"{name}:{port}") as local:
            assert local_mode_shown(local.run()), name


def test_local_mode_needs_a_loopback_host_even_without_the_allow_list(tmp_path: Path) -> None:
    """With Streamlit's allow-list switched off, the sign-in gate still refuses local mode to a rebound name."""

    def any_host(port: int) -> list[str]:
        return [*StreamlitServer.run_command(port), "--server.allowedHosts", "*"]

    with StreamlitServer(tmp_path / "shop.duckdb", tmp_path / "server.log", command=any_host) as server:
        with AppSocket(server.port, host=f"attacker.example:{server.port}") as rebound:
            texts = rebound.run()
        assert not local_mode_shown(texts)
        assert any(text("auth.no_accounts_lan")[:40] in t for t in texts)
        assert not any(text("overview.title") in t for t in texts)
        with AppSocket(server.port, host=f"localhost:{server.port}") as local:
            assert local_mode_shown(local.run())


# --- item 16: headers and metrics ------------------------------------------------------------------------


def test_no_framing_no_sniffing_no_metrics(local_server: StreamlitServer) -> None:
    for path in ("/", "/_stcore/health", "/data"):
        response = requests.get(local_server.url + path, timeout=10)
        assert response.status_code == 200, path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
    metrics = requests.get(local_server.url + "/_stcore/metrics", timeout=10)
    assert metrics.status_code == 404 and "session" not in metrics.text


# --- item 11: the stay-signed-in cookie and the websocket's Origin -----------------------------------------


def test_a_page_on_another_port_gets_no_session(team_run_server: StreamlitServer) -> None:
    port = team_run_server.port
    for origin in ("http://localhost:9999", f"https://localhost:{port}", "http://attacker.example", "null"):
        with pytest.raises(Refused) as refused:
            with AppSocket(port, host=f"localhost:{port}", origin=origin):
                pass
        assert refused.value.status == 403, origin
    with AppSocket(port, host=f"localhost:{port}", origin=f"http://localhost:{port}") as same:
        assert any(text("auth.title") in t for t in same.run())


def test_the_stay_signed_in_cookie_is_set_by_the_server_out_of_page_scripts_reach(
    open_app, on_team_run_server: StreamlitServer
) -> None:
    page = open_app("/funnel", server=on_team_run_server, role="member")
    [kept] = [c for c in page.context.cookies() if c["name"] == "shopdata_sign_in"]
    assert kept["httpOnly"] is True and kept["sameSite"] == "Strict" and kept["expires"] > 0
    assert "shopdata_sign_in" not in page.evaluate("document.cookie")
    page.reload()  # a new Streamlit session, signed in by the cookie
    wait_for_app(page)
    assert title(page) == text("funnel.title")


# --- item 3: uploads only for signed-in sessions with upload rights -------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def put_raw(port: int, path: str, size: int, cookies: dict[str, str], xsrf: str) -> int:
    """A multipart PUT of `size` bytes sent as fast as the server reads it; the status the server answers."""
    boundary = b"x" * 16
    head = b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    tail = b"\r\n--" + boundary + b"--\r\n"
    length = len(head) + size + len(tail)
    request = (
        f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {length}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary.decode()}\r\nX-Xsrftoken: {xsrf}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n\r\n"
    ).encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=60)

    def send_body() -> None:
        chunk = b"a" * MB
        try:
            connection.sendall(request + head)
            for _ in range(size // MB):
                connection.sendall(chunk)
            connection.sendall(tail)
        except OSError:  # the server answered and closed without reading the rest
            pass

    sender = threading.Thread(target=send_body, daemon=True)
    sender.start()
    try:
        status_line = connection.makefile("rb").readline().decode()
    finally:
        sender.join(timeout=60)
        connection.close()
    return int(status_line.split()[1])


def test_a_signed_out_session_cannot_fill_the_servers_memory(team_run_server: StreamlitServer) -> None:
    port, pid = team_run_server.port, team_run_server.pid
    visit = requests.Session()
    visit.get(team_run_server.url + "/", timeout=10)
    visit.get(team_run_server.url + "/_stcore/health", timeout=10)
    cookies = visit.cookies.get_dict()
    with AppSocket(port, cookies=cookies) as stranger:  # kept open: the session stays active meanwhile
        assert any(text("auth.title") in t for t in stranger.run())
        before = rss_mb(pid)
        statuses = [
            put_raw(
                port, f"/_stcore/upload_file/{stranger.session_id}/f{i}", 100 * MB, cookies, cookies["_streamlit_xsrf"]
            )
            for i in range(4)
        ]
        grown = rss_mb(pid) - before
    assert statuses == [403] * 4
    assert grown < 50, f"the server grew by {grown:.0f} MB"


def test_a_members_session_uploads_within_its_quota_and_only_from_its_browser(
    open_app, on_team_run_server: StreamlitServer, tmp_path: Path
) -> None:
    page = open_app("/data", server=on_team_run_server, role="member")
    upload_paths: list[str] = []
    page.on("request", lambda r: upload_paths.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    export = tmp_path / "a.csv"
    export.write_text("date,campaign,clicks\n2024-01-01,x,1\n")
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(export))
    wait_for_app(page)
    assert upload_paths, "the member's upload did not reach the server"
    session_id = upload_paths[0].split("/_stcore/upload_file/")[1].split("/")[0]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    port, xsrf = on_team_run_server.port, cookies["_streamlit_xsrf"]

    assert put_raw(port, f"/_stcore/upload_file/{session_id}/small", 1 * MB, cookies, xsrf) == 204
    # Past the upload cap (200 MB) for everything the session holds: refused before the body is read.
    assert put_raw(port, f"/_stcore/upload_file/{session_id}/big", 200 * MB, cookies, xsrf) == 413
    # The member's session id without the member's browser cookie: a stranger who learnt it.
    stolen = {k: v for k, v in cookies.items() if k != "shopdata_browser"}
    assert put_raw(port, f"/_stcore/upload_file/{session_id}/stolen", 1 * MB, stolen, xsrf) == 403


# --- item 10: downloads only to the signed-in session that offered them ------------------------------------


def test_a_backup_download_is_for_its_session_once(open_app, on_team_run_server: StreamlitServer) -> None:
    page = open_app("/data", server=on_team_run_server, role="owner")
    main(page).get_by_text(text("backup.title")).click()
    main(page).get_by_role("button", name=text("backup.prepare"), exact=True).click()
    wait_for_app(page)
    link = main(page).get_by_role("link", name=text("backup.download"))
    href = link.get_attribute("href")
    assert href and href.startswith("/_shopdata/download/")
    url = on_team_run_server.url + href

    stranger = requests.get(url, timeout=30)  # no cookies: a copied link
    assert stranger.status_code == 404 and not stranger.content.startswith(b"DUCK")
    fetched = page.context.request.get(url)
    assert fetched.status == 200 and fetched.headers["cache-control"] == "no-store"
    assert fetched.body()[8:12] == b"DUCK"  # a DuckDB file
    backups = list((on_team_run_server.db_path.parent / "shop.duckdb.backups").glob("shopdata-backup-*"))
    assert backups == []  # deleted once fetched
    assert page.context.request.get(url).status == 404


def test_a_table_download_ends_with_its_tab(open_app, on_team_run_server: StreamlitServer) -> None:
    page = open_app("/traffic?store=Demo+store", server=on_team_run_server, role="viewer")
    link = main(page).get_by_role("link", name=text("ui.download_csv")).first
    url = on_team_run_server.url + link.get_attribute("href")
    fetched = page.context.request.get(url)
    assert fetched.status == 200 and fetched.headers["cache-control"] == "no-store" and len(fetched.body()) > 0
    assert requests.get(url, timeout=30).status_code == 404  # the same link without the browser's cookie
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    page.close()  # the tab closes: its session disconnects (the browser and its cookies live on)
    for _ in range(50):
        late = requests.get(url, cookies=cookies, timeout=30)
        if late.status_code == 404:
            break
        threading.Event().wait(0.2)
    assert late.status_code == 404
