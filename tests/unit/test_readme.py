"""README documents the data model and the supported exports; keep it in step with the code."""

from pathlib import Path

from shopdata.ingest.layouts import LAYOUTS
from shopdata.schema import TABLES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_canonical_column_is_documented() -> None:
    for table in TABLES.values():
        section = README.split(f"### `{table.name}`")[1].split("### ")[0]
        for column in table.columns:
            assert f"| `{column.name}` |" in section, (table.name, column.name)


def test_every_layout_is_listed() -> None:
    for layout in LAYOUTS:
        assert f"| `{layout.name}` | {layout.kind} | {layout.platform} |" in README, layout.name
