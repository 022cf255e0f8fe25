"""Every setting of Shopdata, declared once: environment variables, the defaults of `make run` / `make serve`
and the command line, and the settings kept per store in the database's `settings` table.

Each has a name, a type (the function that turns a raw value into a checked one), a default and its help
text. The command line, `serve`, the backup folder, the demo switch and the pages read them from here;
README's *Settings* section lists them (a test keeps the two in step), and the Makefile's `PORT ?=` and
`UPLOAD_MB ?=` are tested against PORT and UPLOAD_MB below.

Values in the `settings` table are read and written only through `read`/`write`: a value is checked on
the way in (a margin is a fraction above 0 and at most 1), and a stored value that does not pass the
same check (an older version's, or one written by hand into the database) reads as the default, so no
page breaks on it. This module imports nothing from shopdata, so anything may import it.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

T = TypeVar("T")
PROJECT_ROOT = Path(__file__).resolve().parents[1]

Where = Literal["environment", "make", "config", "command line", "store", "app"]
WHERE_HELP: dict[Where, str] = {
    "environment": "environment variable",
    "make": "`make` variable",
    "config": ".streamlit/config.toml",
    "command line": "command-line option",
    "store": "per store, in the database",
    "app": "whole database, in the database",
}


class SettingValueError(ValueError):
    """A value a setting does not accept (raised by `write` and the parsers; `read` falls back instead)."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: each setting is one object
class Setting(Generic[T]):
    name: str  # the environment variable, the option, or the key in the settings table
    where: Where
    parse: Callable[[Any], T]  # raw value -> checked value; raises SettingValueError
    default: T
    help: str  # English, one sentence: what it does
    shown_default: str = ""  # how README shows the default, when str(default) would not say it well
    ui_help: str = ""  # the i18n catalog key of the help a page shows beside it (English and 中文 live there)

    @property
    def documented_default(self) -> str:
        return self.shown_default or ("none" if self.default is None else str(self.default))


# ---------------------------------------------------------------------------------------------- parsers


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise SettingValueError(f"expected text, got {value!r}")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _name(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise SettingValueError("a name cannot be empty")
    return text


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(_name(v) for v in value)


def _switch(value: Any) -> bool:
    """An environment switch: "0" (or off/false/no) turns it off, anything else leaves it on."""
    return _text(value).strip().lower() not in ("0", "off", "false", "no")


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingValueError(f"expected true or false, got {value!r}")
    return value


def _bounded_int(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise SettingValueError(f"expected a whole number, got {value!r}")
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise SettingValueError(f"expected a whole number, got {value!r}") from exc
        if isinstance(value, float) and number != value:
            raise SettingValueError(f"expected a whole number, got {value!r}")
        if not low <= number <= high:
            raise SettingValueError(f"expected a number from {low} to {high}, got {value!r}")
        return number

    return parse


def fraction(value: Any) -> float:
    """A share such as a gross margin: above 0 and at most 1 (30 % is 0.3)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SettingValueError(f"expected a fraction above 0 and at most 1, got {value!r}")
    try:
        number = float(value)
    except ValueError as exc:
        raise SettingValueError(f"expected a fraction above 0 and at most 1, got {value!r}") from exc
    if not (math.isfinite(number) and 0 < number <= 1):
        raise SettingValueError(f"a gross margin is a fraction above 0 and at most 1, got {value!r}")
    return number


def _share(value: Any) -> float:
    """A share from 0 to 1 (a recogniser's confidence: 0.4 is 40 %)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SettingValueError(f"expected a number from 0 to 1, got {value!r}")
    try:
        number = float(value)
    except ValueError as exc:
        raise SettingValueError(f"expected a number from 0 to 1, got {value!r}") from exc
    if not (math.isfinite(number) and 0 <= number <= 1):
        raise SettingValueError(f"expected a number from 0 to 1, got {value!r}")
    return number


def _product_id(value: Any) -> str:
    """An ID exactly as exported (never stripped: it must match the rows' IDs)."""
    if not isinstance(value, str) or not value.strip():
        raise SettingValueError(f"expected a product ID, got {value!r}")
    return value


def _product_fractions(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise SettingValueError(f"expected product ID -> fraction, got {value!r}")
    return {_product_id(k): fraction(v) for k, v in value.items()}


def _links(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise SettingValueError(f"expected product ID -> list of product IDs, got {value!r}")
    links: dict[str, list[str]] = {}
    for own, others in value.items():
        if not isinstance(others, list):
            raise SettingValueError(f"expected a list of product IDs for {own!r}, got {others!r}")
        links[_product_id(own)] = [_product_id(o) for o in others]
    return links


# ---------------------------------------------------------------------------------------------- registry

DATABASE: Setting[str] = Setting(
    "SHOPDATA_DB",
    "environment",
    _name,
    str(PROJECT_ROOT / "data" / "shop.duckdb"),
    "the DuckDB file or postgresql:// URL of the warehouse (`--db` on the command line wins)",
    shown_default="data/shop.duckdb",
)
DEMO: Setting[bool] = Setting(
    "SHOPDATA_DEMO",
    "environment",
    _switch,
    True,
    "0 stops the app from loading the Demo store on the first run with an empty database",
    shown_default="1",
)
BACKUP_DIR: Setting[str | None] = Setting(
    "SHOPDATA_BACKUP_DIR",
    "environment",
    _optional_text,
    None,
    "the folder for backups (default: beside the DuckDB file, `shop.duckdb.backups/`; `backups/` for PostgreSQL)",
    shown_default="beside the database",
)
PORT: Setting[int] = Setting(
    "PORT", "make", _bounded_int(1, 65535), 8501, "the port `make run` and `make serve` listen on (`serve --port`)"
)
UPLOAD_MB: Setting[int] = Setting(
    "UPLOAD_MB",
    "make",
    _bounded_int(1, 1_000_000),
    200,
    "the largest upload in MB for `make serve`, enforced by the browser and again by the reader "
    "(`serve --max-upload-mb`); `make run` has the same in `server.maxUploadSize`",
)
ZIP_MEMBERS: Setting[int] = Setting(
    "SHOPDATA_ZIP_MEMBERS",
    "environment",
    _bounded_int(1, 10_000),
    50,
    "the most files one uploaded zip may hold; a zip with more is refused before any is read",
)
LOCAL_ADDRESS: Setting[str] = Setting(
    "server.address",
    "config",
    _name,
    "127.0.0.1",
    "the interface `make run` listens on: this computer only",
)
LOCAL_ALLOWED_HOSTS: Setting[tuple[str, ...]] = Setting(
    "server.allowedHosts",
    "config",
    _names,
    ("localhost", "127.0.0.1", "::1"),
    "the host names `make run` answers to: loopback only, so a web page whose name is rebound to this computer "
    "gets no session (DNS rebinding)",
    shown_default="localhost, 127.0.0.1, ::1",
)
SERVE_ADDRESS: Setting[str] = Setting(
    "--address", "command line", _name, "0.0.0.0", "the interface `serve` (`make serve`) listens on: every one"
)
ALLOWED_HOSTS: Setting[str] = Setting(
    "ALLOWED_HOSTS",
    "make",
    _text,
    "",
    "host names teammates type, comma separated; a page on any other name gets no session (`serve --allowed-hosts`)",
    shown_default="this machine's names and addresses",
)
TLS_CERT: Setting[str | None] = Setting(
    "TLS_CERT", "make", _optional_text, None, "PEM certificate: `make serve` serves HTTPS only (`serve --tls-cert`)"
)
TLS_KEY: Setting[str | None] = Setting(
    "TLS_KEY", "make", _optional_text, None, "the private key of TLS_CERT (`serve --tls-key`)"
)
STORE: Setting[str] = Setting(
    "--store", "command line", _name, "My store", "the store `ingest` loads into when none is named (created if new)"
)
GROSS_MARGIN: Setting[float] = Setting(
    "gross_margin",
    "store",
    fraction,
    0.30,  # 30 %, break-even ROAS 3.33, conservative on purpose: a campaign that clears break-even ROAS 3.33 clears it for most stores
    "gross margin before ads, as a fraction: the Promotion page's break-even ROAS is 1 / margin",
    shown_default="0.3 (30 %, assumed until entered)",
    ui_help="promotion.margin_help",
)
PRODUCT_MARGINS: Setting[dict[str, float]] = Setting(
    "gross_margin_by_product",
    "store",
    _product_fractions,
    {},
    "per-product gross margins (product ID -> fraction) that override gross_margin",
    shown_default="{}",
    ui_help="promotion.margin_products",
)
OWN_SHOP: Setting[str | None] = Setting(
    "own_shop",
    "store",
    _optional_text,
    None,
    'which shop in the price exports is yours ("" when you chose none; unset: the shop named like the store)',
    shown_default="the shop named like the store",
    ui_help="prices.own_shop_help",
)
PRICE_LINKS: Setting[dict[str, list[str]]] = Setting(
    "price_links",
    "store",
    _links,
    {},
    "your products' competitor products (product ID -> product IDs) on the Competitor prices page",
    shown_default="{}",
    ui_help="prices.links_help",
)
DEMO_OFFERED: Setting[bool] = Setting(
    "demo_offered",
    "app",
    _flag,
    False,
    "set once the Demo store was loaded, so that removing it keeps it away",
    shown_default="false",
)
CONFIRM_BELOW_CONFIDENCE: Setting[float] = Setting(
    "confirm_below_confidence",
    "app",
    _share,
    # Specific exports score 0.8 to 1; a generic sheet scores at most 0.6 and a sheet whose columns are mostly
    # unknown far less (the flagship-store analysis sheet taken as prices: 0.3; a Google Ads ad report
    # with its columns half known: 0.19). The GA sessions extract, 0.47, is read right: no question for it.
    0.4,
    "files recognised with a lower confidence (0 to 1) show what each column was taken to mean and are "
    "imported only once the user confirms",
)

SETTINGS: tuple[Setting[Any], ...] = (
    DATABASE,
    DEMO,
    BACKUP_DIR,
    PORT,
    UPLOAD_MB,
    ZIP_MEMBERS,
    LOCAL_ADDRESS,
    LOCAL_ALLOWED_HOSTS,
    SERVE_ADDRESS,
    ALLOWED_HOSTS,
    TLS_CERT,
    TLS_KEY,
    STORE,
    GROSS_MARGIN,
    PRODUCT_MARGINS,
    OWN_SHOP,
    PRICE_LINKS,
    DEMO_OFFERED,
    CONFIRM_BELOW_CONFIDENCE,
)
BY_NAME: dict[str, Setting[Any]] = {s.name: s for s in SETTINGS}


# ---------------------------------------------------------------------------------------------- reading


def argument_type(setting: Setting[T]) -> Callable[[str], T]:
    """The setting's check as an argparse `type`, so a bad option gets argparse's one-line usage error."""

    def parse(text: str) -> T:
        try:
            return setting.parse(text)
        except SettingValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from exc

    parse.__name__ = setting.name
    return parse


def from_environment(setting: Setting[T], environ: Mapping[str, str] | None = None) -> T:
    """An environment variable's value, or its default when unset or empty."""
    if setting.where != "environment":
        raise ValueError(f"{setting.name} is not an environment variable")
    raw = (os.environ if environ is None else environ).get(setting.name)
    return setting.default if raw in (None, "") else setting.parse(raw)


class SettingsTable(Protocol):
    """What `read`/`write` need of the warehouse (kept as a protocol so this module imports nothing)."""

    def get_setting(self, key: str, store: str = "", default: Any = None) -> Any: ...

    def set_settings(self, values: dict[str, Any], store: str = "") -> None: ...


_UNSET = object()


def _scope(setting: Setting[Any], store: str | None) -> str:
    if setting.where == "app":
        return ""
    if setting.where != "store":
        raise ValueError(f"{setting.name} is not kept in the database")
    return store or ""


def read(table: SettingsTable, setting: Setting[T], store: str | None = None) -> T:
    """The saved value if it passes the setting's check, else the default (a bad value never reaches a page)."""
    raw = table.get_setting(setting.name, store=_scope(setting, store), default=_UNSET)
    if raw is not _UNSET and raw is not None:
        try:
            return setting.parse(raw)
        except SettingValueError:
            pass
    return copy.deepcopy(setting.default)  # a caller may change the dict it gets; the default stays as declared


def is_saved(table: SettingsTable, setting: Setting[Any], store: str | None = None) -> bool:
    """Whether someone saved a valid value (a page may say "assumed" while the default stands)."""
    raw = table.get_setting(setting.name, store=_scope(setting, store), default=_UNSET)
    if raw is _UNSET or raw is None:
        return False
    try:
        setting.parse(raw)
    except SettingValueError:
        return False
    return True


def write(table: SettingsTable, values: Mapping[Setting[Any], Any], store: str | None = None) -> None:
    """Check every value, then save them together (all or none); SettingValueError names the first bad one."""
    checked: dict[str, Any] = {}
    scopes = set()
    for setting, value in values.items():
        scopes.add(_scope(setting, store))
        checked[setting.name] = None if value is None and setting.default is None else setting.parse(value)
    if len(scopes) > 1:
        raise ValueError("settings of one store and of the whole database are saved separately")
    if checked:
        table.set_settings(checked, store=scopes.pop())
