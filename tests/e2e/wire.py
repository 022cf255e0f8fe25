"""Speaking to a running app the way an attacker's script does: raw HTTP and a Streamlit websocket client.

``AppSocket`` opens ``/_stcore/stream`` with whatever ``Host``, ``Origin`` and cookies the test chooses (the
TCP connection always goes to 127.0.0.1), asks for a script run as the browser's frontend does (a
``rerun_script`` BackMsg) and collects what the app sends back: the session id and the text of every element.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

RUN_TIMEOUT = 60.0
QUIET = 1.5  # no message for this long after a finished run: the app has settled


class Refused(Exception):
    """The server refused the websocket handshake."""

    def __init__(self, status: int) -> None:
        super().__init__(f"handshake refused with {status}")
        self.status = status


@dataclass
class AppSocket:
    port: int
    host: str = "127.0.0.1"  # what the Host header says
    origin: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    session_id: str = ""
    texts: list[str] = field(default_factory=list)
    _connection: ClientConnection | None = None

    def __enter__(self) -> AppSocket:
        tcp = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        try:
            self._connection = connect(
                f"ws://{self.host}/_stcore/stream",
                sock=tcp,
                origin=self.origin,  # type: ignore[arg-type]  # websockets types it as its Origin NewType
                additional_headers=headers,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                open_timeout=10,
                max_size=None,
            ).__enter__()  # websockets' connect() is a context manager; __exit__ below closes it
        except InvalidStatus as exc:
            tcp.close()
            raise Refused(exc.response.status_code) from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self._connection is not None:
            self._connection.__exit__(None, None, None)

    def run(self, query_string: str = "") -> list[str]:
        """One script run (and any rerun it asks for); the texts of the elements it drew."""
        assert self._connection is not None
        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.page_script_hash = ""
        self._connection.send(back.SerializeToString())
        finished = False
        while True:
            try:
                raw = self._connection.recv(timeout=QUIET if finished else RUN_TIMEOUT)
            except TimeoutError:
                if finished:
                    return self.texts
                raise
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
            elif kind == "delta":
                self.texts.append(str(message.delta))
            elif kind == "script_finished":
                finished = True
