"""`python -m shopdata ingest … --map FIELD=COLUMN` (issue 13 items 3 and 4): a file whose columns compete for a
field is rejected with the columns named, --map settles it; a file no layout knows loads by its columns'
meaning as platform `other`; a measure column left unmapped is a warning, in English and 中文."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import duckdb
import pytest

from shopdata import cli

COMPETING = "日期,计划,花费,消耗,展现,点击\n2026-11-01,双11,12.5,99.0,1000,40\n2026-11-02,双11,7.5,1.0,800,30\n"
# A 快手 磁力金牛-style report in GB18030 with a formatted number: no layout has it (no evidence of its headers
# was found), its 花费 / 点击数 / 计划名称 are also a JD layout's names, and the term table reads it whole.
KUAISHOU_LIKE = (
    "日期,计划名称,花费(元),曝光数,点击数,点击率(%),平均点击成本(元),订单数,GMV(元)\n"
    '2026-11-01,双11大促,"1,234.50",10000,300,3.00%,4.12,12,"5,600.00"\n'
    "2026-11-02,双11大促,100,2000,50,2.5%,2,1,300\n"
)
# A Google Ads campaign export with a revenue column its layout has no name for.
GOOGLE_WITH_REVENUE = "Campaign,Impr.,Clicks,Cost,Revenue\nBrand,100,10,5.00,40.00\n"


def run(*argv: str) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(list(argv))
    return status, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def ads(db: Path) -> tuple:
    with duckdb.connect(str(db)) as con:
        return con.execute(
            "SELECT count(*), sum(spend), sum(impressions), sum(clicks), sum(conversions), sum(revenue), "
            "min(platform) FROM ads"
        ).fetchone()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "shop.duckdb"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_competing_columns_are_rejected_naming_them_and_the_option(tmp_path: Path, db: Path) -> None:
    file = write(tmp_path, "ledger.csv", COMPETING)
    status, [result], _ = run("ingest", file, "--db", str(db), "--period", "2026-11-01..2026-11-02")
    assert status == 2 and result["status"] == "rejected"
    assert "spend: '花费' / '消耗'" in result["error"] and "--map FIELD=COLUMN" in result["error"]
    assert (result["kind"], result["platform"]) == ("ads", "other")
    status, [result], _ = run("ingest", file, "--db", str(db), "--language", "zh")
    assert "无法确定以下字段对应哪一列" in result["error"] and "--map" in result["error"]


def test_map_settles_the_field_with_the_chosen_column(tmp_path: Path, db: Path) -> None:
    file = write(tmp_path, "ledger.csv", COMPETING)
    status, [result], err = run("ingest", file, "--db", str(db), "--map", "spend=消耗")
    assert (status, result["status"]) == (0, "loaded"), (result, err)
    assert ads(db)[:2] == (2, 99.0 + 1.0)


def test_map_names_an_unknown_field_or_column(tmp_path: Path, db: Path) -> None:
    file = write(tmp_path, "ledger.csv", COMPETING)
    status, [result], _ = run("ingest", file, "--db", str(db), "--map", "spent=消耗")
    assert status == 2 and "spent is not a field of a ads export" in result["error"]
    status, [result], _ = run("ingest", file, "--db", str(db), "--map", "spend=费用")
    assert status == 2 and "the column '费用' chosen for spend is not in this file" in result["error"]
    status, results, err = run("ingest", file, "--db", str(db), "--map", "spend")
    assert (status, results) == (2, []) and "expected FIELD=COLUMN, got 'spend'" in err


def test_a_report_no_layout_knows_loads_by_terms_as_platform_other(tmp_path: Path, db: Path) -> None:
    file = write(tmp_path, "磁力金牛_计划报表.csv", KUAISHOU_LIKE, "gb18030")
    status, [result], err = run("ingest", file, "--db", str(db))
    assert (status, result["status"]) == (0, "loaded"), (result, err)
    assert (result["kind"], result["platform"], result["report"]) == ("ads", "other", "generic_ads")
    assert 0 < result["confidence"] <= 0.6  # a generic reading is never as sure as a platform's layout
    assert result["warnings"] == []  # every measure it has is mapped; the ratios are not measures
    assert ads(db) == (2, 1234.5 + 100, 10000.0 + 2000, 300.0 + 50, 12.0 + 1, 5600.0 + 300, "other")


def test_a_measure_column_left_unmapped_is_a_warning_in_both_languages(tmp_path: Path, db: Path) -> None:
    file = write(tmp_path, "campaigns.csv", GOOGLE_WITH_REVENUE)
    status, [result], _ = run("ingest", file, "--db", str(db), "--period", "2026-11-01..2026-11-01")
    assert (status, result["platform"]) == (0, "google_ads")
    assert result["warnings"][0].startswith("the column 'Revenue' looks like Revenue, which is not imported")
    status, [result], _ = run("ingest", file, "--db", str(db), "--period", "2026-11-01..2026-11-01", "--language", "zh")
    assert result["warnings"][0].startswith("列“Revenue”看起来是销售额，但销售额没有从任何列导入")
    status, [result], _ = run(
        "ingest", file, "--db", str(db), "--period", "2026-11-01..2026-11-01", "--map", "revenue=Revenue"
    )
    assert not any("looks like" in w for w in result["warnings"])
    assert ads(db)[5] == 40.0
