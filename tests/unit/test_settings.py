"""The settings registry: documented in README, equal to the Makefile's and .streamlit's defaults, read by
the command line, and per-store values checked on the way in and on the way out."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

from shopdata import demo, settings
from shopdata.cli import build_parser
from shopdata.engine import database_url
from shopdata.i18n import CATALOG
from shopdata.ingest.guard import DEFAULT_LIMITS, MB
from shopdata.metrics import promotion
from shopdata.serve import ServeSettings
from shopdata.store import Warehouse

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def readme_settings_rows() -> dict[str, list[str]]:
    section = README.split("\n## Settings\n")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    cells = [[c.strip() for c in row.strip("|").split(" | ")] for row in rows]
    return {c[0].strip("`"): c[1:] for c in cells}


def test_every_setting_is_documented_in_readme_with_its_default_and_help() -> None:
    rows = readme_settings_rows()
    for setting in settings.SETTINGS:
        assert setting.name in rows, setting.name
        where, default, what = rows[setting.name]
        assert (where, default, what) == (
            settings.WHERE_HELP[setting.where],
            setting.documented_default,
            setting.help,
        ), setting.name


def test_readme_lists_no_setting_the_registry_lacks() -> None:
    assert set(readme_settings_rows()) == set(settings.BY_NAME)
    assert len(settings.BY_NAME) == len(settings.SETTINGS)  # no name declared twice


def makefile_default(variable: str) -> str:
    found = re.findall(rf"^{variable} \?= ?(.*)$", MAKEFILE, flags=re.M)
    assert len(found) == 1, variable
    return found[0].strip()


def test_makefile_defaults_equal_the_registry() -> None:
    assert int(makefile_default("PORT")) == settings.PORT.default == 8501
    assert int(makefile_default("UPLOAD_MB")) == settings.UPLOAD_MB.default == 200
    for variable in ("ALLOWED_HOSTS", "TLS_CERT", "TLS_KEY"):
        assert makefile_default(variable) == "", variable
    run_line = next(line for line in MAKEFILE.splitlines() if "streamlit run shopdata/ui/asgi.py" in line)
    assert f"--server.address {settings.LOCAL_ADDRESS.default} " in run_line


def test_streamlit_config_and_the_reader_use_the_registry_defaults() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == settings.LOCAL_ADDRESS.default == "127.0.0.1"
    assert config["server"]["maxUploadSize"] == settings.UPLOAD_MB.default
    assert DEFAULT_LIMITS.max_upload_bytes == settings.UPLOAD_MB.default * MB


def test_command_line_and_serve_defaults_come_from_the_registry() -> None:
    parser = build_parser()
    serve = parser.parse_args(["serve"])
    assert (serve.address, serve.port, serve.max_upload_mb) == ("0.0.0.0", 8501, 200)
    assert ServeSettings() == ServeSettings("0.0.0.0", 8501, 200)
    assert parser.parse_args(["ingest", "x.csv"]).store == "My store"
    assert parser.parse_args(["serve", "--port", "8600", "--max-upload-mb", "50"]).port == 8600


@pytest.mark.parametrize(
    "argv", [["serve", "--port", "0"], ["serve", "--port", "http"], ["serve", "--max-upload-mb", "0"]]
)
def test_a_bad_option_value_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    assert "expected" in capsys.readouterr().err


def test_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert settings.from_environment(settings.DEMO, {}) is True
    assert settings.from_environment(settings.DEMO, {"SHOPDATA_DEMO": "0"}) is False
    assert settings.from_environment(settings.DEMO, {"SHOPDATA_DEMO": "1"}) is True
    assert settings.from_environment(settings.BACKUP_DIR, {"SHOPDATA_BACKUP_DIR": ""}) is None
    monkeypatch.delenv("SHOPDATA_DB", raising=False)
    assert database_url() == str(ROOT / "data" / "shop.duckdb")
    monkeypatch.setenv("SHOPDATA_DB", str(tmp_path / "x.duckdb"))
    assert database_url() == str(tmp_path / "x.duckdb")
    assert database_url("other.duckdb") == "other.duckdb"
    with pytest.raises(ValueError):
        settings.from_environment(settings.GROSS_MARGIN)


def test_page_help_of_each_setting_is_in_the_catalog() -> None:
    shown = [s for s in settings.SETTINGS if s.ui_help]
    assert {s.name for s in shown} == {"gross_margin", "gross_margin_by_product", "own_shop", "price_links"}
    for setting in shown:
        assert setting.ui_help in CATALOG, setting.name


@pytest.mark.parametrize("bad", [0, 1.5, -0.2, math.nan, math.inf, "lots", True, None, [0.3]])
def test_a_margin_is_a_fraction_above_0_and_at_most_1(duck_store: Warehouse, bad: object) -> None:
    with pytest.raises(settings.SettingValueError):
        settings.write(duck_store, {settings.GROSS_MARGIN: bad}, "Shop")
    assert duck_store.get_setting("gross_margin", store="Shop", default="unset") == "unset"


def test_values_are_saved_per_store_and_read_back(duck_store: Warehouse) -> None:
    settings.write(duck_store, {settings.GROSS_MARGIN: 0.25, settings.PRICE_LINKS: {"P1": ["C1", "C2"]}}, "Shop")
    settings.write(duck_store, {settings.OWN_SHOP: ""}, "Shop")
    assert settings.read(duck_store, settings.GROSS_MARGIN, "Shop") == 0.25
    assert settings.read(duck_store, settings.PRICE_LINKS, "Shop") == {"P1": ["C1", "C2"]}
    assert settings.read(duck_store, settings.OWN_SHOP, "Shop") == ""  # chosen: none
    assert settings.read(duck_store, settings.OWN_SHOP, "Other") is None  # not chosen yet
    assert settings.read(duck_store, settings.GROSS_MARGIN, "Other") == 0.30
    assert settings.is_saved(duck_store, settings.GROSS_MARGIN, "Shop")
    assert not settings.is_saved(duck_store, settings.GROSS_MARGIN, "Other")
    with pytest.raises(ValueError):  # a setting of the whole database and one of a store are never mixed
        settings.write(duck_store, {settings.GROSS_MARGIN: 0.2, settings.DEMO_OFFERED: True}, "Shop")
    with pytest.raises(ValueError):  # an environment variable is not kept in the database
        settings.read(duck_store, settings.DATABASE)


@pytest.mark.parametrize(
    ("setting", "crafted"),
    [
        (settings.GROSS_MARGIN, "lots"),
        (settings.GROSS_MARGIN, 7),
        (settings.GROSS_MARGIN, {"x": 1}),
        (settings.PRODUCT_MARGINS, {"P1": "half"}),
        (settings.PRODUCT_MARGINS, ["P1", 0.3]),
        (settings.PRICE_LINKS, "P1=C1"),
        (settings.PRICE_LINKS, {"P1": "C1"}),
        (settings.PRICE_LINKS, {"P1": [1, 2]}),
        (settings.OWN_SHOP, 42),
        (settings.OWN_SHOP, ["a"]),
    ],
)
def test_a_crafted_saved_value_reads_as_the_default(duck_store: Warehouse, setting, crafted: object) -> None:
    duck_store.set_setting(setting.name, crafted, store="Shop")  # as if written into the database by hand
    assert settings.read(duck_store, setting, "Shop") == setting.default
    assert not settings.is_saved(duck_store, setting, "Shop")


def test_a_crafted_margin_leaves_the_promotion_margins_at_their_defaults(duck_store: Warehouse) -> None:
    duck_store.set_settings({"gross_margin": "NaN", "gross_margin_by_product": {"P1": 40}}, store="Shop")
    margins = promotion.load_margins(duck_store, "Shop")
    assert margins == promotion.Margins(0.30, {}, entered=False)


def test_the_default_a_caller_gets_is_its_own(duck_store: Warehouse) -> None:
    links = settings.read(duck_store, settings.PRICE_LINKS, "Shop")
    links["P1"] = ["C1"]
    assert settings.PRICE_LINKS.default == {}
    assert settings.read(duck_store, settings.PRICE_LINKS, "Shop") == {}


def test_demo_offered_is_kept_for_the_whole_database(duck_store: Warehouse) -> None:
    assert demo.should_load_demo(duck_store)
    demo.remove_demo(duck_store)
    assert duck_store.get_setting("demo_offered", store="") is True
    assert not demo.should_load_demo(duck_store)
