"""The HTTP edge of the app: what every request meets before Streamlit's own routes (shopdata/ui/asgi.py).

Streamlit's server knows sessions but not who signed in to them, so the sign-in gate (ui/auth.py) writes
what each session may do into `GRANTS` on every run, and the edge reads it:

- every request: a `Host` outside `server.allowedHosts` is refused (DNS rebinding), a websocket whose
  `Origin` is not the served scheme, host and port is refused (a page on another port of this host),
  `/_stcore/metrics` is not served, and every response says it may not be framed or sniffed;
- `PUT /_stcore/upload_file/<session>/<file>`: only a session signed in with the `upload` permission, from
  the browser it was opened in, within the upload cap for all the files it holds, refused before a byte
  of the body is read;
- `/_shopdata/cookie/<code>`: sets the stay-signed-in cookie (HttpOnly, SameSite=Strict, Secure under TLS)
  for a one-time code the gate issued, so no page script ever sees the token;
- `/_shopdata/download/<token>`: a download a page offered, served only while the session that offered it
  is connected, signed in with the permission, in the same browser; `Cache-Control: no-store`; a one-time
  download (a backup) is deleted once fetched.

"The same browser" is the `shopdata_browser` cookie: random, HttpOnly, set here on the first page load and
read by the gate from the websocket's handshake.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

# Streamlit's own Host rule (what it applies to the websocket), applied here to every request.
from streamlit.web.server.starlette.starlette_websocket import is_host_allowed

from shopdata.ui.pages import is_unknown_page

APP_SCRIPT = Path(__file__).resolve().parents[2] / "app.py"
BROWSER_COOKIE = "shopdata_browser"
SIGN_IN_COOKIE = "shopdata_sign_in"
ROUTE_PREFIX = "/_shopdata"
COOKIE_ROUTE = f"{ROUTE_PREFIX}/cookie"
DOWNLOAD_ROUTE = f"{ROUTE_PREFIX}/download"
UPLOAD_PREFIX = "/_stcore/upload_file/"
HIDDEN_PATHS = frozenset({"/_stcore/metrics"})  # Streamlit's internals (sessions, cache sizes): nobody's business
# Requests for Streamlit's own machinery, never a page load: they do not get the browser cookie.
MACHINERY_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", ROUTE_PREFIX)
COOKIE_CODE_SECONDS = 60.0  # a code the browser fetches within a second of receiving it
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


# ---------------------------------------------------------------------------------------------- grants


@dataclass
class Grant:
    """What a Streamlit session was signed in as on its latest run."""

    name: str
    permissions: frozenset[str]
    browser: str | None  # the browser cookie its websocket was opened with


@dataclass
class SessionGrants:
    """Streamlit session id -> Grant, for the whole server process (sessions are threads in it)."""

    _grants: dict[str, Grant] = field(default_factory=dict)
    _uploading: dict[str, int] = field(default_factory=dict)  # bytes of upload bodies in flight per session
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, session_id: str, grant: Grant | None) -> None:
        """Called by the gate on every run; sessions that have ended are forgotten at the same time."""
        with self._lock:
            if grant is None:
                self._grants.pop(session_id, None)
            else:
                self._grants[session_id] = grant
            for ended in [s for s in self._grants if s != session_id and not _session_alive(s)]:
                del self._grants[ended]

    def get(self, session_id: str) -> Grant | None:
        with self._lock:
            return self._grants.get(session_id)

    def reserve_upload(self, session_id: str, size: int, held: int, quota: int) -> bool:
        """Count `size` bytes as in flight for the session if held + in flight + size stays within quota."""
        with self._lock:
            in_flight = self._uploading.get(session_id, 0)
            if held + in_flight + size > quota:
                return False
            self._uploading[session_id] = in_flight + size
            return True

    def release_upload(self, session_id: str, size: int) -> None:
        with self._lock:
            left = self._uploading.get(session_id, 0) - size
            if left > 0:
                self._uploading[session_id] = left
            else:
                self._uploading.pop(session_id, None)


GRANTS = SessionGrants()


def _session_alive(session_id: str) -> bool:
    """A session whose browser is connected now (a closed tab's session is not, even while Streamlit keeps it)."""
    return Runtime.exists() and Runtime.instance().is_active_session(session_id)


def live_grant(session_id: str, request_browser: str | None, permission: str) -> Grant | None:
    """The session's grant if the session is connected, has `permission` and the request comes from its browser."""
    if not _session_alive(session_id):
        return None
    grant = GRANTS.get(session_id)
    if grant is None or permission not in grant.permissions:
        return None
    if grant.browser is None or request_browser is None or not secrets.compare_digest(grant.browser, request_browser):
        return None
    return grant


# ---------------------------------------------------------------------------------------------- one-time tickets


@dataclass(frozen=True)
class CookieCode:
    value: str  # "" clears the cookie
    max_age: int
    browser: str | None
    expires: float


@dataclass(frozen=True)
class Download:
    session_id: str
    permission: str
    file_name: str
    mime: str
    path: Path | None = None  # a file on disk (a backup), or
    produce: Callable[[], bytes] | None = None  # the bytes, made when the browser asks
    once: bool = False  # deleted, file and ticket, after the first fetch


@dataclass
class Tickets:
    """Codes for the cookie route and tokens for the download route; random, unguessable, kept in memory."""

    _codes: dict[str, CookieCode] = field(default_factory=dict)
    _downloads: dict[str, Download] = field(default_factory=dict)
    _by_place: dict[tuple[str, str], str] = field(default_factory=dict)  # (session, key) -> its current token
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_cookie(self, value: str, max_age: int, browser: str | None) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            for old in [c for c, v in self._codes.items() if v.expires < now]:
                del self._codes[old]
            self._codes[code] = CookieCode(value, max_age, browser, now + COOKIE_CODE_SECONDS)
        return code

    def take_cookie(self, code: str) -> CookieCode | None:
        with self._lock:
            found = self._codes.pop(code, None)
        return found if found is not None and found.expires >= time.monotonic() else None

    def offer(self, key: str, download: Download) -> str:
        """The token for a download offered at `key` on a page; it replaces what that place offered before."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            previous = self._by_place.pop((download.session_id, key), None)
            if previous is not None:
                self._downloads.pop(previous, None)
            for stale in [t for t, d in self._downloads.items() if not _session_alive(d.session_id)]:
                del self._downloads[stale]
            self._by_place = {p: t for p, t in self._by_place.items() if t in self._downloads}
            self._downloads[token] = download
            self._by_place[(download.session_id, key)] = token
        return token

    def peek(self, token: str) -> Download | None:
        with self._lock:
            return self._downloads.get(token)

    def take(self, token: str) -> Download | None:
        with self._lock:
            return self._downloads.pop(token, None)


TICKETS = Tickets()


def cookie_url(code: str) -> str:
    return f"{COOKIE_ROUTE}/{code}"


def download_url(token: str) -> str:
    return f"{DOWNLOAD_ROUTE}/{token}"


# ---------------------------------------------------------------------------------------------- routes


def _is_tls(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


def _cookie_header(name: str, value: str, max_age: int, same_site: str, tls: bool) -> str:
    parts = [f"{name}={value}", f"Max-Age={max_age}", "Path=/", "HttpOnly", f"SameSite={same_site}"]
    if tls:
        parts.append("Secure")
    return "; ".join(parts)


async def _set_sign_in_cookie(request: Request) -> Response:
    code = TICKETS.take_cookie(request.path_params["code"])
    browser = request.cookies.get(BROWSER_COOKIE)
    if code is None or code.browser is None or browser is None or not secrets.compare_digest(code.browser, browser):
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    tls = _is_tls(request.scope)
    response.headers.append("Set-Cookie", _cookie_header(SIGN_IN_COOKIE, code.value, code.max_age, "Strict", tls))
    return response


async def _download(request: Request) -> Response:
    token = request.path_params["token"]
    download = TICKETS.peek(token)
    refused = Response(status_code=404, headers={"Cache-Control": "no-store"})
    if download is None:
        return refused
    if live_grant(download.session_id, request.cookies.get(BROWSER_COOKIE), download.permission) is None:
        return refused
    if download.once and TICKETS.take(token) is None:  # two fetches at once: one of them wins
        return refused
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": f"attachment; filename*=utf-8''{quote(download.file_name, safe='')}",
    }
    if download.path is not None:
        if not download.path.is_file():
            return refused
        remove = BackgroundTask(_unlink, download.path) if download.once else None
        return FileResponse(download.path, media_type=download.mime, headers=headers, background=remove)
    assert download.produce is not None
    return Response(download.produce(), media_type=download.mime, headers=headers)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def routes() -> list[BaseRoute]:
    return [
        Route(f"{COOKIE_ROUTE}/{{code}}", _set_sign_in_cookie, methods=["GET"]),
        Route(f"{DOWNLOAD_ROUTE}/{{token}}", _download, methods=["GET"]),
    ]


# ---------------------------------------------------------------------------------------------- middleware


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header counts as no cookies
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def same_origin(origin: str, host: str, tls: bool) -> bool:
    """The Origin names exactly the scheme, host and port this request was served on."""
    scheme = "https" if tls else "http"
    try:
        theirs, ours = urlsplit(origin), urlsplit(f"{scheme}://{host}")
        their_port, our_port = theirs.port, ours.port
    except ValueError:
        return False
    default = 443 if tls else 80
    return (
        theirs.scheme == scheme
        and theirs.hostname is not None
        and theirs.hostname == ours.hostname
        and (their_port or default) == (our_port or default)
        and not theirs.path.strip("/")
    )


async def _refuse(scope: Scope, send: Send, status: int) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})  # before accept: the handshake gets 403
        return
    body = f"{status}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _to_default_page(scope: Scope, send: Send) -> None:
    """A redirect to "/" with the same query (a link's filters survive): the default page, without Streamlit's
    "Page not found" box."""
    query = scope.get("query_string", b"")
    location = b"/" + (b"?" + query if query else b"")
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [
                (b"location", location),
                (b"content-length", b"0"),
                (b"cache-control", b"no-store"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


class EdgeMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        path: str = scope["path"]
        if not is_host_allowed(headers.get("host")):
            await _refuse(scope, send, 403)
            return
        if scope["type"] == "websocket":
            origin = headers.get("origin")
            # Browsers always send Origin on a websocket; a client that does not is no browser a page could drive.
            if origin is not None and not same_origin(origin, headers.get("host", ""), _is_tls(scope)):
                await _refuse(scope, send, 403)
                return
            await self.app(scope, receive, send)
            return
        if path in HIDDEN_PATHS:
            await _refuse(scope, send, 404)
            return
        cookies = _cookies(headers)
        if scope["method"] == "PUT" and path.startswith(UPLOAD_PREFIX):
            await self._upload(scope, receive, send, path, headers, cookies)
            return
        if scope["method"] in ("GET", "HEAD") and not path.startswith(MACHINERY_PREFIXES) and is_unknown_page(path):
            await _to_default_page(scope, send)
            return
        new_browser = None
        if BROWSER_COOKIE not in cookies and not path.startswith(MACHINERY_PREFIXES):
            new_browser = secrets.token_urlsafe(32)
        await self.app(scope, receive, _with_edge_headers(send, new_browser, _is_tls(scope)))

    async def _upload(
        self, scope: Scope, receive: Receive, send: Send, path: str, headers: dict[str, str], cookies: dict[str, str]
    ) -> None:
        parts = path[len(UPLOAD_PREFIX) :].split("/")
        if len(parts) != 2 or live_grant(parts[0], cookies.get(BROWSER_COOKIE), "upload") is None:
            await _refuse(scope, send, 403)
            return
        session_id, file_id = parts
        try:
            size = int(headers["content-length"])
        except (KeyError, ValueError):
            await _refuse(scope, send, 411)  # a body of unknown length cannot be checked against the quota
            return
        quota = int(config.get_option("server.maxUploadSize")) * 1024 * 1024
        if not GRANTS.reserve_upload(session_id, size, _held_bytes(session_id, file_id), quota):
            await _refuse(scope, send, 413)
            return
        try:
            await self.app(scope, _capped(receive, size), _with_edge_headers(send, None, _is_tls(scope)))
        finally:
            GRANTS.release_upload(session_id, size)


def _held_bytes(session_id: str, replacing: str) -> int:
    """What the session's uploads hold in memory now, without the file this upload replaces."""
    manager = Runtime.instance().uploaded_file_mgr
    if not isinstance(manager, MemoryUploadedFileManager):
        return 0
    held = dict(manager.file_storage.get(session_id, {}))
    return sum(len(record.data) for file_id, record in held.items() if file_id != replacing)


def _capped(receive: Receive, size: int) -> Receive:
    """The body as declared: uvicorn already stops at Content-Length; this makes it a promise, not an assumption."""
    received = 0

    async def capped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > size:
                return {"type": "http.disconnect"}
        return message

    return capped


def _with_edge_headers(send: Send, new_browser: str | None, tls: bool) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            raw: list[Any] = [
                (k, v) for k, v in message.get("headers", []) if k.lower() not in {h for h, _ in SECURITY_HEADERS}
            ]
            raw.extend(SECURITY_HEADERS)
            if new_browser is not None:
                cookie = _cookie_header(BROWSER_COOKIE, new_browser, 400 * 86400, "Lax", tls)
                raw.append((b"set-cookie", cookie.encode("latin-1")))
            message = {**message, "headers": raw}
        await send(message)

    return sending


def middleware() -> list[Middleware]:
    return [Middleware(EdgeMiddleware)]
