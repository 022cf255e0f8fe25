"""`report alerts` on the Olist 2017 orders, loaded through the ingest pipeline: the real Black Friday spike
(2017-11-24) is found without being told, as the period's largest alert."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.realdata.test_report_orders import OLIST, ingest, report
from tests.unit.metrics.test_alerts import ratio_to_moving_average

pytestmark = pytest.mark.realdata


def test_black_friday_2017_is_the_top_alert(realdata_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    ingest(db, realdata_dir / OLIST / "orders.csv", realdata_dir / OLIST / "order_items.csv")
    found = report(db, "alerts", "--from", "2017-11-01", "--to", "2017-11-30")
    top = found[0]
    raw = pd.read_csv(realdata_dir / OLIST / "orders.csv")
    placed = pd.to_datetime(raw["order_purchase_timestamp"]).dt.date.astype(str).value_counts()
    assert (top["date"], top["dimension"], top["direction"]) == ("2017-11-24", "store", "up")
    count = next(r for r in found if r["date"] == "2017-11-24" and r["metric"] == "order_count")
    assert count["actual"] == placed["2017-11-24"]
    daily = pd.Series({d.date(): placed.get(str(d.date()), 0) for d in pd.date_range("2017-09-01", "2017-11-23")})
    assert count["expected"] == pytest.approx(ratio_to_moving_average(daily, date(2017, 11, 24)))
