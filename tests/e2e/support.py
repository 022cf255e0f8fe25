"""Real-browser test support: a ``streamlit run`` server and Playwright helpers for Streamlit pages.

``StreamlitServer`` starts ``python -m streamlit run shopdata/ui/asgi.py`` (what `make run` starts: app.py behind
the edge) from the repo root on a free 127.0.0.1 port
against its own DuckDB file, in its own process group, and stops it by PID (SIGTERM, then SIGKILL).

Page helpers read what a user sees: the script-run state Streamlit puts on ``stApp``, error boxes,
widget values (the combobox input, the checked radio label) and the first rows of a ``st.dataframe``
(from the accessible <table> Glide Data Grid keeps inside its canvas, since the grid itself is drawn).
"""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.pg import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Wide enough that Streamlit keeps the sidebar open.
VIEWPORT = {"width": 1400, "height": 1000}

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
RUN_TIMEOUT = 90.0  # one script run, including the demo store's first load
SETTLE = 0.6  # how long a finished run must stay unchanged before the page counts as ready


class ServerError(RuntimeError):
    pass


class StreamlitServer:
    """``streamlit run app.py`` on 127.0.0.1:<free port> with SHOPDATA_DB pointing at ``db_path``."""

    def __init__(
        self,
        db_path: Path,
        log_path: Path,
        env: dict[str, str] | None = None,
        command: Callable[[int], list[str]] | None = None,
        tls_certificate: Path | None = None,
    ) -> None:
        self.db_path = db_path
        self.tls_certificate = tls_certificate  # the server speaks HTTPS with this (self-signed) certificate
        self.log_path = log_path
        self.extra_env = env or {}
        self.command = command or self.run_command
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls_certificate else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> StreamlitServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        # A free port can be taken between asking and binding; a server that exits at once gets another one.
        for _attempt in range(3):
            self.port = free_port()
            self._launch()
            if self._wait_healthy():
                return
        raise ServerError(f"streamlit did not start\n{self.log_tail()}")

    @staticmethod
    def run_command(port: int) -> list[str]:
        """What `make run` starts, on the given port."""
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "shopdata/ui/asgi.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # Engineers edit app files while tests run; a watcher would put "Source file changed"
            # into the status widget the helpers wait on.
            "--server.fileWatcherType",
            "none",
        ]

    def _launch(self) -> None:
        env = {**os.environ, "SHOPDATA_DB": str(self.db_path), **self.extra_env}
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                self.command(self.port),
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait_healthy(self) -> bool:
        """True once /_stcore/health answers ok; False if the process exited; raises after START_TIMEOUT."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                trusted = ssl.create_default_context(cafile=self.tls_certificate) if self.tls_certificate else None
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2, context=trusted) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerError(f"streamlit on port {self.port} not healthy within {START_TIMEOUT:.0f}s\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM to the server's own process group (its PID), then SIGKILL if it has not gone in time."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_TIMEOUT)
        except ProcessLookupError:
            proc.wait(timeout=STOP_TIMEOUT)

    @property
    def pid(self) -> int:
        """The server's process id (`make serve` execs into Streamlit, so it is the server itself)."""
        assert self._proc is not None
        return self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, chars: int = 6000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return f"--- server log {self.log_path} ---\n{text[-chars:]}"


# --- waiting for Streamlit -----------------------------------------------------

# One snapshot of what decides "finished running": the script state and connection Streamlit writes on
# stApp, the "Running…" status widget, skeletons and stale (greyed-out) elements, and a fingerprint of the
# visible text and element count so late renders (plotly, lazy components) count as "still changing".
_SNAPSHOT_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return null;
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    script: app.getAttribute('data-test-script-state'),
    connection: app.getAttribute('data-test-connection-state'),
    status: document.querySelectorAll('[data-testid="stStatusWidget"]').length,
    busy: document.querySelectorAll('[data-testid="stSkeleton"], [data-stale="true"]').length,
    content: main ? main.querySelectorAll('[data-testid="stElementContainer"]').length : 0,
    fingerprint: app.innerText.length + ':' + app.querySelectorAll('*').length,
  };
}"""


def app_ready(snap: dict | None) -> bool:
    """A _SNAPSHOT_JS snapshot of an app that has finished its script run and shows content."""
    return bool(
        snap
        and snap["script"] == "notRunning"
        and snap["connection"] == "CONNECTED"
        and not snap["status"]
        and not snap["busy"]
        and snap["content"]
    )


def wait_for_app(page: Page, timeout: float = RUN_TIMEOUT, settle: float = SETTLE) -> None:
    """Wait until Streamlit has finished running the script and the page has stopped changing."""
    deadline = time.monotonic() + timeout
    stable_since, last = None, None
    while True:
        snap = page.evaluate(_SNAPSHOT_JS)
        ready = app_ready(snap)
        now = time.monotonic()
        if ready and snap == last:
            if now - stable_since >= settle:
                return
        else:
            stable_since = now
        last = snap
        if now > deadline:
            raise AssertionError(f"Streamlit still running or changing after {timeout:.0f}s: {snap} ({page.url})")
        page.wait_for_timeout(100)


def error_boxes(page: Page) -> list[str]:
    """Texts of exception boxes and st.error alerts on the page."""
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [box.inner_text() for box in boxes.all()]


# --- reading and driving widgets -------------------------------------------------


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def title(page: Page) -> str:
    return main(page).get_by_role("heading", level=1).first.inner_text().strip()


def select(page: Page, scope: Locator, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` and wait for the rerun."""
    box = scope.get_by_role("combobox", name=label, exact=True)
    choice = page.get_by_role("option", name=option, exact=True)
    # A rerun still settling (a URL update after the last choice) can close the list just opened; a person
    # clicks again, and so does this, a few times before failing.
    for attempt in range(3):
        box.click()
        try:
            choice.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)
    choice.click()
    wait_for_app(page)


def selected(scope: Locator, label: str) -> str:
    return scope.get_by_role("combobox", name=label, exact=True).input_value()


def radio_group(scope: Locator, label: str) -> Locator:
    return scope.get_by_role("radiogroup", name=label, exact=True)


def choose_radio(page: Page, scope: Locator, label: str, option: str) -> None:
    radio_group(scope, label).get_by_test_id("stRadioOption").filter(
        has_text=re.compile(rf"^\s*{re.escape(option)}\s*$")
    ).click()
    wait_for_app(page)


def checked_radio(scope: Locator, label: str) -> str:
    return radio_group(scope, label).locator('label[data-selected="true"]').inner_text().strip()


def table_rows(table: Locator, count: int = 5) -> list[list[str]]:
    """Header and first ``count`` rows of a st.dataframe, as the accessible grid table gives them."""
    return table.locator("table[role=grid]").evaluate(
        "(t, n) => Array.from(t.querySelectorAll('tr')).slice(0, n + 1)"
        ".map(r => Array.from(r.children).map(c => c.textContent))",
        count,
    )


def normalize(text: str) -> str:
    return " ".join(text.split())


# --- the team and signing in -------------------------------------------------------

# The accounts every e2e server has: a team as the owner would set it up with `python -m shopdata users add`.
TEAM = {
    "owner": ("Olivia", "owner-pass-1"),
    "member": ("Ming 明", "member-pass-2"),
    "viewer": ("Vic", "viewer-pass-3"),
}


def create_team(db_path: Path) -> None:
    """The team's accounts in a database file no server has open yet."""
    from shopdata.accounts import Accounts
    from shopdata.engine import connect
    from shopdata.store import Warehouse

    with connect(str(db_path)) as engine:
        accounts = Accounts(Warehouse(engine))
        for role, (name, password) in TEAM.items():
            accounts.add(name, role, password, created_by="e2e")


def sign_in(page: Page, name: str, password: str) -> None:
    """Fill the sign-in form the way a person does and wait for the app behind it.

    The fields are found by their autocomplete roles, so this works in either language."""
    wait_for_app(page)
    form = main(page).get_by_test_id("stForm")
    form.locator("input[autocomplete=username]").fill(name)
    form.locator("input[autocomplete=current-password]").fill(password)
    form.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_for_app(page)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost and its key, as PEM files (for `make serve TLS_CERT=…`)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shopdata test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


_DATA_TRANSFER_JS = """(files) => {
  const transfer = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.b64), c => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, {type: f.type}));
  }
  return transfer;
}"""


def drop_files(page: Page, dropzone: Locator, paths: list[Path]) -> None:
    """Drag files from the desktop onto a drop zone: the browser's own dragenter, dragover and drop events
    carrying a DataTransfer with the files' bytes, as a person's drag and drop does."""
    import base64

    files = [{"name": p.name, "type": "", "b64": base64.b64encode(p.read_bytes()).decode("ascii")} for p in paths]
    transfer = page.evaluate_handle(_DATA_TRANSFER_JS, files)
    for event in ("dragenter", "dragover", "drop"):
        dropzone.dispatch_event(event, {"dataTransfer": transfer})
    wait_for_app(page)
