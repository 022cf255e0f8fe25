"""Streamlit's "Running…" indicator stays visible (issue 10 item 10): toolbarMode "minimal" hides it (seen in
Chromium with Streamlit 1.67), both under `make run` (.streamlit/config.toml) and `make serve`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from shopdata.serve import ServeSettings, streamlit_command

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
HIDES_THE_INDICATOR = "minimal"


def test_make_run_keeps_the_running_indicator() -> None:
    mode = tomllib.loads(CONFIG.read_text())["client"].get("toolbarMode", "auto")
    assert mode != HIDES_THE_INDICATOR


def test_make_serve_keeps_the_running_indicator() -> None:
    command = streamlit_command(ServeSettings())
    mode = command[command.index("--client.toolbarMode") + 1]
    assert mode != HIDES_THE_INDICATOR
