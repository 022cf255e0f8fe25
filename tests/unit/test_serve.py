"""`make serve`: the Streamlit settings it passes, and that it refuses to start without an account."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from shopdata.accounts import Accounts
from shopdata.errors import ServeError
from shopdata.serve import APP, ServeSettings, check_ready_to_serve, lan_names, streamlit_command, team_links
from shopdata.store import Warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]


def options(command: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for flag, value in zip(command, command[1:], strict=False):
        if flag.startswith("--"):
            found.setdefault(flag[2:], []).append(value)
    return found


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("server.address", ["0.0.0.0"]),
        ("server.port", ["8600"]),
        ("server.enableXsrfProtection", ["true"]),
        ("server.enableCORS", ["true"]),
        ("client.showErrorDetails", ["none"]),
        ("server.maxUploadSize", ["350"]),
        ("server.maxMessageSize", ["350"]),
        ("server.allowedHosts", ["shop-laptop.local", "192.168.1.20"]),
        ("server.enableStaticServing", ["false"]),
        ("server.enableAgentApi", ["false"]),
        ("browser.gatherUsageStats", ["false"]),
    ],
)
def test_streamlit_command_sets_what_lan_serving_needs(option: str, expected: list[str]) -> None:
    command = streamlit_command(
        ServeSettings("0.0.0.0", 8600, 350, ("shop-laptop.local", "192.168.1.20")), python="/venv/bin/python"
    )
    assert command[:5] == ["/venv/bin/python", "-m", "streamlit", "run", str(APP)]
    assert options(command)[option] == expected


def test_default_upload_cap_is_200_mb_and_hosts_default_to_this_machine() -> None:
    command = options(streamlit_command(ServeSettings()))
    assert command["server.maxUploadSize"] == ["200"]
    assert set(command["server.allowedHosts"]) == set(lan_names())
    assert {"localhost", "127.0.0.1"} <= set(command["server.allowedHosts"])


def test_upload_cap_must_be_positive() -> None:
    with pytest.raises(ServeError):
        streamlit_command(ServeSettings(max_upload_mb=0))


def test_serving_needs_an_account(store: Warehouse) -> None:
    with pytest.raises(ServeError, match="no accounts yet"):
        check_ready_to_serve(store)
    Accounts(store).add("ana", "owner", "s3cret-pass")
    check_ready_to_serve(store)


def test_make_serve_refuses_to_start_without_an_account(tmp_path: Path) -> None:
    db = tmp_path / "shop.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "shopdata", "serve", "--db", str(db), "--port", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no accounts yet" in done.stderr and "users add" in done.stderr
    assert "serving the team" not in done.stdout


def test_https_passes_the_certificate_and_key(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("cert")
    key.write_text("key")
    command = options(streamlit_command(ServeSettings(tls_cert=str(cert), tls_key=str(key))))
    assert command["server.sslCertFile"] == [str(cert)] and command["server.sslKeyFile"] == [str(key)]
    assert "server.sslCertFile" not in options(streamlit_command(ServeSettings()))


@pytest.mark.parametrize(
    ("cert", "key", "message"),
    [
        ("cert.pem", None, "both a certificate and its key"),
        (None, "key.pem", "both a certificate and its key"),
        ("missing.pem", "key.pem", "no such file"),
    ],
)
def test_https_needs_both_files(tmp_path: Path, cert, key, message) -> None:
    (tmp_path / "cert.pem").write_text("cert")
    (tmp_path / "key.pem").write_text("key")
    with pytest.raises(ServeError, match=message):
        streamlit_command(ServeSettings(tls_cert=cert and str(tmp_path / cert), tls_key=key and str(tmp_path / key)))


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            ServeSettings(port=8600, allowed_hosts=("localhost", "shop.local", "192.168.1.20")),
            ["http://shop.local:8600", "http://192.168.1.20:8600"],
        ),
        (
            ServeSettings(port=443, allowed_hosts=("fe80::1", "127.0.0.1"), tls_cert="c.pem", tls_key="k.pem"),
            ["https://[fe80::1]:443"],
        ),
        (ServeSettings(port=8501, allowed_hosts=("localhost",)), ["http://127.0.0.1:8501"]),
    ],
)
def test_links_for_teammates(settings: ServeSettings, expected: list[str]) -> None:
    assert team_links(settings) == expected
