"""Only shopdata/engine.py knows which database it talks to.

Everywhere else, a difference between DuckDB and PostgreSQL is a method of `Engine` (declared on the
base class, implemented per database). The names below may not appear anywhere in another module of
shopdata/, not even in a comment or docstring: the check stays a plain text search, and a comment naming
a dialect usually sits next to code that decides by one.
"""

from __future__ import annotations

import re
from pathlib import Path

SHOPDATA = Path(__file__).resolve().parents[2] / "shopdata"
ALLOWED = {SHOPDATA / "engine.py"}
FORBIDDEN = ("dialect", "DuckDBEngine", "PostgresEngine", "is_postgres_url", "psycopg")
_FORBIDDEN = re.compile("|".join(re.escape(word) for word in FORBIDDEN), re.IGNORECASE)


def mentions(root: Path, allowed: set[Path]) -> list[str]:
    """path:line: text, for every line of a .py file under `root` (other than `allowed`) naming one."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _FORBIDDEN.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_no_module_but_engine_py_names_a_database_dialect() -> None:
    assert (SHOPDATA / "engine.py").exists() and len(list(SHOPDATA.rglob("*.py"))) > 10  # the tree is read
    found = mentions(SHOPDATA, ALLOWED)
    assert not found, "only shopdata/engine.py may name these; add an Engine method instead:\n" + "\n".join(found)


def test_a_mention_in_code_or_in_a_docstring_is_found(tmp_path: Path) -> None:
    package = tmp_path / "shopdata"
    package.mkdir()
    (package / "engine.py").write_text('dialect = "duckdb"\n', encoding="utf-8")
    (package / "load.py").write_text(
        '"""Rows go through Psycopg\'s COPY."""\nfast = engine.dialect == "duckdb"\nsafe = True\n', encoding="utf-8"
    )
    assert mentions(package, {package / "engine.py"}) == [
        'shopdata/load.py:1: """Rows go through Psycopg\'s COPY."""',
        'shopdata/load.py:2: fast = engine.dialect == "duckdb"',
    ]
