"""`report orders` on real order exports, against figures read from the raw files with pandas.

tmall_order_report.csv: one row per order, 买家实际支付金额 net of refunds (总金额 = 实付 + 退款 on paid orders).
Olist: orders.csv (day, buyer, status, payment approval) and order_items.csv (one row per unit, its price), so
an order's money is its items' prices, once. Amazon Sale Report: one row per order line with its own Amount.
Also: the same export uploaded twice, and two overlapping exports, count every order once.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from shopdata import cli
from shopdata.engine import connect
from shopdata.metrics import orders
from shopdata.metrics.query import Scope, data_range

pytestmark = pytest.mark.realdata

TMALL = Path("tmall_orders_cn") / "tmall_order_report.csv"
OLIST = Path("olist_2017_subset")
AMAZON = Path("amazon_india_seller_sales") / "Amazon Sale Report_head796.csv"


def ingest(db: str, *paths: Path) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["ingest", *map(str, paths), "--db", db, "--store", "S"]) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def report(db: str, *args: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["report", *args, "--db", db, "--store", "S"]) == 0
    return json.loads(out.getvalue())


def tmall_raw(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"订单编号": str})
    raw.columns = [c.strip() for c in raw.columns]
    raw["paid"] = raw["订单付款时间"].notna() | (raw["买家实际支付金额"] > 0)
    return raw


def tmall_expected(raw: pd.DataFrame) -> dict:
    paid = raw[raw["paid"]]
    return {
        "orders": len(raw),
        "paid_orders": len(paid),
        "revenue": (paid["买家实际支付金额"] + paid["退款金额"]).sum(),
        "refund": raw["退款金额"].sum(),
    }


def totals(db: str) -> dict:
    records = report(db, "orders", "--by", "platform")
    assert len(records) == 1
    return records[0]


def test_tmall_orders_paid_revenue_refund_and_provinces(realdata_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    raw = tmall_raw(realdata_dir / TMALL)
    ingest(db, realdata_dir / TMALL)
    found, expected = totals(db), tmall_expected(raw)
    assert {k: found[k] for k in expected} == {k: pytest.approx(v) for k, v in expected.items()}
    assert found["net_revenue"] == pytest.approx(expected["revenue"] - expected["refund"])
    assert found["buyers"] is None  # the file has no buyer IDs

    by_province = {r["region"]: r["orders"] for r in report(db, "orders", "--by", "region")}
    assert by_province == raw.groupby("收货地址")["订单编号"].nunique().to_dict()

    overview = {r["metric"]: r for r in report(db, "overview")}
    assert overview["revenue"]["source"] == "orders"
    assert overview["revenue"]["value"] == pytest.approx(expected["revenue"])
    assert overview["orders"]["value"] == expected["paid_orders"]


def test_the_same_tmall_export_twice_or_overlapping_counts_each_order_once(realdata_dir: Path, tmp_path: Path) -> None:
    path = realdata_dir / TMALL
    raw = tmall_raw(path)
    expected = tmall_expected(raw)
    twice = str(tmp_path / "twice.duckdb")
    ingest(twice, path)
    second = ingest(twice, path)[0]
    assert (second["status"], second["rows_replaced"]) == ("loaded", len(raw))  # the second copy replaces the first
    assert {k: totals(twice)[k] for k in expected} == {k: pytest.approx(v) for k, v in expected.items()}

    # Two exports that share their middle third (an owner exporting 1–20 Feb, then 10–29 Feb).
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = text[0], text[1:]
    first, later = tmp_path / "early.csv", tmp_path / "late.csv"
    first.write_text(header + "".join(body[: 2 * len(body) // 3]), encoding="utf-8")
    later.write_text(header + "".join(body[len(body) // 3 :]), encoding="utf-8")
    overlap = str(tmp_path / "overlap.duckdb")
    ingest(overlap, first)
    ingest(overlap, later)
    assert {k: totals(overlap)[k] for k in expected} == {k: pytest.approx(v) for k, v in expected.items()}


OLIST_PAID_STATUSES = {"approved", "invoiced", "processing", "shipped", "delivered"}


def test_olist_orders_with_items_by_month_and_repeat_buyers(realdata_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    ingest(db, realdata_dir / OLIST / "orders.csv", realdata_dir / OLIST / "order_items.csv")
    raw = pd.read_csv(realdata_dir / OLIST / "orders.csv")
    items = pd.read_csv(realdata_dir / OLIST / "order_items.csv")
    raw["month"] = raw["order_purchase_timestamp"].str[:7] + "-01"
    raw["paid"] = raw["order_approved_at"].notna() | raw["order_status"].isin(OLIST_PAID_STATUSES)
    money = items.groupby("order_id")["price"].sum()
    raw["revenue"] = raw["order_id"].map(money).fillna(0.0).where(raw["paid"], 0.0)
    expected = raw.groupby("month").agg(orders=("order_id", "size"), revenue=("revenue", "sum"))

    by_month = report(db, "orders", "--by", "month")
    assert [r["date"] for r in by_month] == list(expected.index)
    assert [r["orders"] for r in by_month] == expected["orders"].tolist()
    assert [r["revenue"] for r in by_month] == pytest.approx(expected["revenue"].tolist())

    paid = raw[raw["paid"]]
    orders_per_buyer = paid.groupby("customer_id")["order_id"].nunique()
    with connect(db) as engine:
        backend = engine.ibis()
        start, end = data_range(backend, "S")
        summary = orders.order_summary(backend, Scope("S", start, end, "BRL"))
    assert summary["order_buyers"] == paid["customer_id"].nunique()
    assert summary["returning_buyers"] == int((orders_per_buyer > 1).sum())  # customer_id is one per order: 0
    assert summary["new_buyers"] == summary["order_buyers"]
    assert summary["order_units"] == len(items[items["order_id"].isin(paid["order_id"])])


AMAZON_PAID = {"Shipped", "Shipped - Delivered to Buyer", "Shipped - Returned to Seller", "Shipped - Rejected by Buyer"}


def test_amazon_sale_report_orders_and_revenue_by_status(realdata_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    ingest(db, realdata_dir / AMAZON)
    raw = pd.read_csv(realdata_dir / AMAZON, dtype={"Order ID": str})
    raw["revenue"] = raw["Amount"].fillna(0.0).where(raw["Status"].isin(AMAZON_PAID), 0.0)
    expected = raw.groupby("Status").agg(orders=("Order ID", "nunique"), revenue=("revenue", "sum"))
    found = {r["status"]: r for r in report(db, "orders", "--by", "status")}
    assert sorted(found) == sorted(expected.index)
    for status, row in expected.iterrows():
        assert found[status]["orders"] == row["orders"], status
        assert found[status]["revenue"] == pytest.approx(row["revenue"]), status
    assert totals(db)["orders"] == raw["Order ID"].nunique()
