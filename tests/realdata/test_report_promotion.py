"""Promotion report on real exports: per-campaign figures equal sums taken from the raw files with the csv module."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from shopdata.cli import main
from shopdata.engine import connect
from shopdata.metrics import promotion
from shopdata.metrics.query import Scope, data_range
from shopdata.store import Warehouse

pytestmark = pytest.mark.realdata

AMAZON_CAMPAIGNS = "amazon_sp_ads_india_2020/Sponsored Products Campaign report.csv"
KAG = "facebook_ads_kag/KAG_conversion_data.csv"
KAG_PERIOD = "2017-08-17..2017-08-30"


def rupees(text: str) -> float:
    """'Rs.1,234.56' -> 1234.56"""
    match = re.fullmatch(r"Rs\.([\d,]+(?:\.\d+)?)", text.strip())
    assert match, text
    return float(match.group(1).replace(",", ""))


def ingest(db: Path, *args: str) -> None:
    assert main(["ingest", *args, "--db", str(db), "--store", "S"]) == 0


def whole_range(store: Warehouse) -> Scope:
    start, end = data_range(store.engine.ibis(), "S", ["ads"])
    return Scope("S", start, end)


def test_amazon_campaign_report_spend_and_sales_per_campaign(realdata_dir: Path, tmp_path: Path) -> None:
    path = realdata_dir / AMAZON_CAMPAIGNS
    spend: dict[str, float] = defaultdict(float)
    sales: dict[str, float] = defaultdict(float)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            spend[row["Campaign Name"]] += rupees(row["Spend"])
            sales[row["Campaign Name"]] += rupees(row["14 Day Total Sales (₹)"])
    assert len(spend) == 10

    db = tmp_path / "shop.duckdb"
    ingest(db, str(path))
    with connect(str(db)) as engine:
        store = Warehouse(engine)
        scope = whole_range(store)
        assert (scope.start, scope.end) == (date(2020, 2, 1), date(2020, 2, 29))
        records = promotion.report_records(engine.ibis(), scope, None)
        windows = promotion.platform_windows(promotion.attribution_windows(engine.ibis(), scope))
    assert {r["platform"] for r in records} == {"amazon"}
    got = {r["campaign"]: r for r in records}
    assert set(got) == set(spend)
    for campaign in spend:
        assert got[campaign]["spend"] == pytest.approx(spend[campaign], abs=0.005), campaign
        assert got[campaign]["revenue"] == pytest.approx(sales[campaign], abs=0.005), campaign
        if spend[campaign]:
            assert got[campaign]["roas"] == pytest.approx(sales[campaign] / spend[campaign]), campaign
    assert set(windows["amazon"]) == {"14d"}  # "14 Day Total Sales": Amazon's 14-day window


def test_meta_kag_loaded_twice_counts_each_campaign_once(realdata_dir: Path, tmp_path: Path) -> None:
    path = realdata_dir / KAG
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            campaign = totals[row["xyz_campaign_id"]]
            campaign["spend"] += float(row["Spent"])
            campaign["clicks"] += float(row["Clicks"])
            campaign["impressions"] += float(row["Impressions"])
    assert set(totals) == {"916", "936", "1178"}

    db = tmp_path / "shop.duckdb"
    ingest(db, str(path), "--period", KAG_PERIOD)
    ingest(db, str(path), "--period", KAG_PERIOD)
    with connect(str(db)) as engine:
        records = promotion.report_records(engine.ibis(), Scope("S", date(2017, 8, 17), date(2017, 8, 30)), None)
    got = {r["campaign"]: r for r in records}
    assert {r["platform"] for r in records} == {"meta"}
    assert set(got) == set(totals)
    for campaign, expected in totals.items():
        for field in ("spend", "clicks", "impressions"):
            assert got[campaign][field] == pytest.approx(expected[field]), (campaign, field)
