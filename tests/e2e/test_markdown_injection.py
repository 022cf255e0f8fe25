"""Hostile names from uploads in a real browser: no request reaches the address they name (issue 9 item 5).

The demo store with every name an upload controls made hostile (tests/app/test_markdown_injection.py) is
served by `streamlit run`; the names point at an HTTP listener on a free loopback port that counts what
reaches it. Chromium opens the Data page and the Traffic page drilled into the hostile source, as a viewer
and as the owner: the names show as text, and the listener hears nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from shopdata import demo
from shopdata.engine import connect
from shopdata.formatting import WORD_JOINER
from shopdata.store import Warehouse
from tests.app.test_markdown_injection import image, link, make_hostile
from tests.e2e.support import StreamlitServer, create_team, error_boxes, main

pytestmark = pytest.mark.e2e


class _Counting(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on a free loopback port; its address and the paths requested from it."""
    handler = type("Handler", (_Counting,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hostile_server(listener, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[StreamlitServer]:
    host, _ = listener
    db = tmp_path / "shop.duckdb"
    with connect(str(db)) as engine:
        demo.load_demo(Warehouse(engine))
    make_hostile(db, host)
    create_team(db)
    with StreamlitServer(db, tmp_path / "server.log", env={"SHOPDATA_DEMO": "0"}) as server:
        yield server


@pytest.mark.parametrize("role", ["viewer", "owner"])
def test_no_request_reaches_the_address_a_hostile_name_names(open_app, hostile_server, listener, role: str) -> None:
    host, requests = listener
    data = open_app("/data", server=hostile_server, role=role)
    main(data).get_by_text("Quality", exact=False).first.click()  # open an upload's details: quoted cells
    traffic = open_app(f"/traffic?level1={quote(image(host))}", server=hostile_server, role=role)
    time.sleep(2)  # any image or prefetch the pages triggered has long reached a loopback listener
    assert requests == []
    for page in (data, traffic):
        assert error_boxes(page) == []
        # (The sidebar's page links carry the URL's ?store=…, which names the host inside a query string.)
        found = page.locator(f"a[href^='http://{host}'], img[src^='http://{host}']")
        assert found.count() == 0, [
            found.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(found.count())
        ]
    # The names are shown as the text they are (with an invisible word joiner that stops autolinking).
    assert f"{link(host)}.csv" in main(data).inner_text().replace(WORD_JOINER, "")
    assert image(host) in main(traffic).inner_text().replace(WORD_JOINER, "")
