"""The translation layer: every string has both languages and the same placeholders in each."""

import json
import pickle
import re
from pathlib import Path

import pytest

from shopdata.errors import ReadError, ShopdataError, ValidateError
from shopdata.i18n import CATALOG, LANGUAGES, SINGULAR, Message, localize, translate
from shopdata.ingest.clean import DATE_ORDERS
from shopdata.ingest.terms import FIELD_TERMS, measures


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_string_has_every_language_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == set(LANGUAGES), key
    placeholders = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in entry.items()}
    assert placeholders["en"] == placeholders["zh"], key


def test_a_pages_empty_state_names_its_data_once_in_chinese() -> None:
    # The empty states' Chinese templates say "没有{what}数据": a page's {what} ending in 数据 read "没有商品数据数据".
    whats = {key: CATALOG[key]["zh"] for key in CATALOG if key.endswith(".empty_what")}
    assert whats and not [key for key, text in whats.items() if text.endswith("数据")]
    for key in ("ui.empty", "ui.data_elsewhere"):
        assert "{what}数据" in CATALOG[key]["zh"]
    assert translate("ui.empty", "zh", what=whats["products.empty_what"], exports="x").startswith(
        "此店铺在所选期间还没有商品数据。"
    )


def test_translate_fills_values_and_falls_back_to_the_key() -> None:
    assert translate("data.deleted", "zh", batch=3, rows=10) == "批次 3 已删除（移除 10 行）。"
    assert translate("no.such.key", "zh") == "no.such.key"


@pytest.mark.parametrize("key", sorted(SINGULAR))
def test_a_singular_has_the_placeholders_of_its_string_and_counts_one_of_them(key: str) -> None:
    one = SINGULAR[key]
    assert key in CATALOG and set(one) - {"by"} <= set(LANGUAGES), key
    base = set(re.findall(r"\{(\w+)\}", CATALOG[key]["en"]))
    assert set(re.findall(r"\{(\w+)\}", one["en"])) == base, key
    assert one["by"] in base or not base, key  # a bare noun ("traffic source") is given the count to choose by


def test_the_singular_is_for_exactly_one_in_english_only() -> None:
    import numpy as np

    assert translate("traffic.loss.none", "en", count=1) == (
        "1 source compared: it lost no visitors or revenue against the comparison period."
    )
    assert translate("traffic.loss.none", "en", count=np.int64(1)).startswith("1 source compared: it lost")
    for other in (0, 2, True, "1", 1.0):  # not the integer one: the plural as written
        assert translate("traffic.loss.none", "en", count=other).startswith(f"{other} sources compared: none lost")
    assert (
        translate("traffic.loss.none", "zh", count=1) == "共对比 1 个来源：与对比期相比，没有来源的访客数或销售额下降。"
    )
    assert translate("data.delete_yes", "en", rows=1) == "Delete 1 row"
    assert translate("data.delete_yes", "en", rows=2) == "Delete 2 rows"
    assert translate("alerts.too_little_history", "en", days=1).startswith("1 day could not be judged")
    assert translate("overview.movers.what.sources", "en", count=1) == "traffic source"
    assert translate("overview.movers.what.sources", "en", count=3) == "traffic sources"
    assert translate("overview.movers.what.sources", "en") == "traffic sources"


# ------------------------------------------------------------------ messages: catalog key + parameters

SHOPDATA = Path(__file__).resolve().parents[2] / "shopdata"
KEY_LITERAL = re.compile(r"""\bMessage\(\s*["']([^"'{}]+)["']""")
KEY_PREFIX = re.compile(r"""\bMessage\(\s*f["']([\w.]+)\{""")


def message_keys_in_code() -> tuple[set[str], set[str]]:
    """Keys passed to Message(...) as literals, and prefixes of keys built with an f-string."""
    keys, prefixes = set(), set()
    for path in SHOPDATA.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(KEY_LITERAL.findall(text))
        prefixes |= set(KEY_PREFIX.findall(text))
    return keys, prefixes


def test_every_message_key_used_in_code_is_in_both_catalogs() -> None:
    keys, prefixes = message_keys_in_code()
    assert len(keys) > 50  # the scan finds the ingest messages (a broken pattern would pass vacuously)
    assert sorted(k for k in keys if k not in CATALOG) == []
    assert prefixes == {"step.", "source.", "delimiter.", "field.", "date_order.", "date_order.clue."}
    steps = {cls.step for cls in _subclasses(ShopdataError)} | {ShopdataError.step}
    assert sorted(s for s in steps if f"step.{s}" not in CATALOG) == []
    assert sorted(s for s in ("your input", "title lines", "file name") if f"source.{s}" not in CATALOG) == []
    assert sorted(d for d in ("tab", "comma", "semicolon", "bar") if f"delimiter.{d}" not in CATALOG) == []
    assert sorted(o for o in DATE_ORDERS if f"date_order.{o}" not in CATALOG) == []
    assert sorted(c for c in ("country", "currency") if f"date_order.clue.{c}" not in CATALOG) == []
    # field.*: the measures an ingest warning names (shopdata/ingest/terms.py)
    assert sorted(f for kind in FIELD_TERMS for f in measures(kind) if f"field.{f}" not in CATALOG) == []


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_a_message_is_its_english_text_and_renders_in_chinese() -> None:
    note = Message("warn.already_imported", when="2026-05-01 10:00", batch=3)
    assert note == (
        "this file was already imported on 2026-05-01 10:00 UTC (batch 3); its rows were replaced, nothing is "
        "counted twice"
    )
    assert note.text("zh") == "此文件已于 2026-05-01 10:00 UTC 导入过（批次 3）；其行已被替换，不会重复计算"
    assert json.dumps([note]) == json.dumps([str(note)])  # the command line's JSON keeps English strings


def test_an_error_names_its_step_in_the_language_asked() -> None:
    error = ValidateError(Message("validate.no_period"), Message("hint.give_period"))
    assert str(error).startswith("validate: this report has no dates in its rows")
    assert error.as_message().text("zh").startswith("校验：此报表的行中没有日期")
    plain = ReadError("something only English code said")
    assert plain.as_message().text("zh") == "读取：something only English code said"


def test_stored_messages_come_back_with_nested_parameters() -> None:
    note = Message("warn.period_from", start="2026-05-01", end="2026-05-07", source=Message("source.file name"))
    stored = json.loads(json.dumps(note.to_json()))
    assert localize(stored, "zh") == "报表的行中没有日期；其日期范围 2026-05-01..2026-05-07 来自文件名"
    assert localize(stored, "en") == str(note)
    assert localize("a warning an older version stored", "zh") == "a warning an older version stored"
    gone = {"key": "warn.no_longer_in_the_catalog", "params": {}, "text": "what it said then"}
    assert localize(gone, "zh") == "what it said then"


def test_a_message_survives_pickling_and_bad_parameters_never_raise() -> None:
    error = ReadError(Message("read.empty", file="a.csv"), Message("hint.reexport"))
    again = pickle.loads(pickle.dumps((type(error), error.message, error.hint)))
    assert again[1].key == "read.empty" and again[1].text("zh") == "a.csv：文件是空的"
    assert Message("read.empty").text("zh") == "{file}：文件是空的"  # a missing parameter shows its name
