"""A fake group robot on a loopback port, for the delivery tests (unit and AppTest)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Robot:
    """A fake robot: records each request (path with query, JSON body) and answers from a script of responses."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []
        self.script: list[tuple[int, str, dict[str, str]]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.requests.append((self.path, body))
                status, text, headers = robot.script.pop(0) if robot.script else (200, '{"errcode":0}', {})
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def json(self, n: int = -1) -> dict:
        return json.loads(self.requests[n][1])


@contextmanager
def running_robot() -> Iterator[Robot]:
    """A fake robot serving on a free loopback port until the block ends."""
    fake = Robot()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        fake.thread.join(5)
