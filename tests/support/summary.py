"""Counts a test wants the person running the suite to see (files tried, kills, sessions).

pytest hides a passing test's output; lines given to `report` are printed in the run's summary instead
(see `pytest_terminal_summary` in tests/conftest.py), so `make test` shows them every time.
"""

from __future__ import annotations

REPORTED: list[str] = []


def report(line: str) -> None:
    REPORTED.append(line.strip())
