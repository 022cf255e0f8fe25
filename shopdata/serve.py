"""`make serve`: the app for the team on the local network, with the settings that make that safe.

`make run` stays on 127.0.0.1 for the owner alone. Serving on the LAN needs accounts first (a stranger on
the network must meet a sign-in form, never data), a Host allow-list against DNS rebinding, XSRF
protection, no tracebacks in the browser and an upload cap.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from shopdata import settings
from shopdata.errors import ServeError

# app.py behind the edge's checks (shopdata/ui/edge.py); `streamlit run` serves the st.App it defines.
APP = Path(__file__).resolve().parent / "ui" / "asgi.py"
DEFAULT_UPLOAD_MB = settings.UPLOAD_MB.default
LOOPBACK_NAMES: tuple[str, ...] = settings.LOCAL_ALLOWED_HOSTS.default


@dataclass(frozen=True)
class ServeSettings:
    address: str = settings.SERVE_ADDRESS.default
    port: int = settings.PORT.default
    max_upload_mb: int = DEFAULT_UPLOAD_MB
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    tls_cert: str | None = None  # PEM certificate and key: HTTPS, so passwords never cross the LAN in clear
    tls_key: str | None = None


def lan_names() -> list[str]:
    """The names and addresses teammates may type to reach this machine."""
    names = {socket.gethostname(), socket.getfqdn(), f"{socket.gethostname()}.local", *LOOPBACK_NAMES}
    try:
        names.update(str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None))
    except OSError:
        pass
    # The address of the interface that would route outwards; UDP connect sends no packet.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            names.add(probe.getsockname()[0])
        except OSError:
            pass
    return sorted(n for n in names if n and n != "0.0.0.0")


def allowed_hosts(settings: ServeSettings) -> tuple[str, ...]:
    return settings.allowed_hosts or tuple(lan_names())


def team_links(settings: ServeSettings) -> list[str]:
    """The addresses to give teammates: every allowed name that is not this computer's loopback."""
    scheme = "https" if settings.tls_cert else "http"
    hosts = [h for h in allowed_hosts(settings) if h not in LOOPBACK_NAMES]
    return [f"{scheme}://{f'[{h}]' if ':' in h else h}:{settings.port}" for h in hosts or ["127.0.0.1"]]


def streamlit_command(settings: ServeSettings, python: str = sys.executable) -> list[str]:
    """The `streamlit run` command line for LAN serving."""
    if settings.max_upload_mb < 1:
        raise ServeError("the upload cap must be at least 1 MB")
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise ServeError("HTTPS needs both a certificate and its key", "give TLS_CERT and TLS_KEY together")
    for path in (settings.tls_cert, settings.tls_key):
        if path and not Path(path).is_file():
            raise ServeError(f"no such file: {path}", "give the paths of the PEM certificate and key files")
    command = [
        python,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        settings.address,
        "--server.port",
        str(settings.port),
        "--server.headless",
        "true",
        "--server.enableXsrfProtection",
        "true",
        "--server.enableCORS",
        "true",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "viewer",  # keeps the "Running…" indicator (minimal hides it), hides developer options
        "--server.maxUploadSize",
        str(settings.max_upload_mb),
        "--server.maxMessageSize",
        str(max(200, settings.max_upload_mb)),
        "--server.enableStaticServing",
        "false",
        "--server.enableAgentApi",
        "false",
        "--server.runOnSave",
        "false",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    for host in allowed_hosts(settings):
        command += ["--server.allowedHosts", host]
    if settings.tls_cert and settings.tls_key:
        command += ["--server.sslCertFile", settings.tls_cert, "--server.sslKeyFile", settings.tls_key]
    return command


def check_ready_to_serve(store) -> None:
    """Refuse to open the app to the network before anyone can sign in."""
    from shopdata.accounts import Accounts

    if not Accounts(store).any():
        raise ServeError(
            "no accounts yet, so serving on the network would show the data to anyone who finds the link",
            "create the owner first: python -m shopdata users add NAME --role owner   (then run make serve again)",
        )
