"""Chinese platform exports (issue 13) through the CLI: `python -m shopdata ingest`, then `report …`.

Each fixture in tests/fixtures/layouts (README there: where each header list comes from) carries the mess the
platform writes: title rows, a totals row (合计, 全部, a per-day 汇总 inside the source column), GB18030 or a
UTF-8 BOM, "1,234.50" and "12.3%", `="…"` text guards around IDs, negatives in brackets. Every figure a test
expects is read from the fixture here with the csv module / openpyxl, not taken from what Shopdata printed.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import openpyxl
import pytest

from shopdata import cli
from shopdata.ingest.recognise import parse_headers, recognise

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "layouts"
# What a platform writes in a row that sums the others (first cell, or the name column of 千川).
TOTAL_LABELS = {"合计", "全部", "汇总"}


def ingest(db: Path, *args: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["ingest", *args, "--db", str(db), "--store", "S"])
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0, results
    assert len(results) == 1
    return results[0]


def report(db: Path, *args: str) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["report", *args, "--db", str(db), "--store", "S"]) == 0
    return json.loads(out.getvalue())


def csv_table(name: str, encoding: str, first_header: str) -> tuple[list[str], list[list[str]]]:
    """The header (the first row starting with `first_header`: the title rows above it are skipped) and rows."""
    text = (FIXTURES / name).read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start], [r for r in rows[start + 1 :] if any(r)]


def xlsx_table(name: str, first_header: str) -> tuple[list[str], list[list[object]]]:
    sheet = openpyxl.load_workbook(FIXTURES / name, read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return [str(h) for h in rows[start]], [r for r in rows[start + 1 :] if any(c is not None for c in r)]


def value(cell: object) -> float:
    """A cell as the platform means it: "1,234.50" -> 1234.5, "(12.50)" -> -12.5, "3.00%" -> 0.03."""
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).replace(",", "").strip()
    sign = -1.0 if text.startswith("(") and text.endswith(")") else 1.0
    text = text.strip("()")
    return sign * (float(text[:-1]) / 100 if text.endswith("%") else float(text))


def is_total(row: list) -> bool:
    return any(isinstance(c, str) and c.strip() in TOTAL_LABELS for c in row[:3])


def column_sum(header: list[str], rows: list[list], name: str) -> float:
    i = header.index(name)
    return sum(value(r[i]) for r in rows)


def mapped(header: list[str]) -> dict[str, str]:
    """Field -> header of the layout the header row is recognised as."""
    return recognise(parse_headers(header)).mapping_by_header()


# (fixture, encoding, first header, layout, platform, {field: header the file has for it}, names column, --by)
ADS = [
    (
        "jd_kuaiche_keyword.csv",
        "gb18030",
        "日期",
        "jd_kuaiche",
        "jd",
        {
            "spend": "总费用(元)",
            "impressions": "展现数",
            "clicks": "点击数",
            "revenue": "总订单金额(元)",
            "conversions": "总订单行",
            "carts": "总加购数",
            "keyword": "关键词",
            "ad_group": "单元名称",
            "campaign": "计划名称",
        },
        "关键词",
        "keyword",
    ),
    (
        "jd_kuaiche_plan_day.csv",
        "gb18030",
        "日期",
        "jd_kuaiche",
        "jd",
        {
            "spend": "总费用(元)",
            "impressions": "展现数",
            "clicks": "点击数",
            "revenue": "总订单金额(元)",
            "conversions": "总订单行",
            "campaign": "计划名称",
        },
        "计划名称",
        "campaign",
    ),
    (
        "jd_kuaiche_day.csv",
        "gb18030",
        "日期",
        "jd_kuaiche",
        "jd",
        {
            "spend": "总费用(元)",
            "impressions": "展现数",
            "clicks": "点击数",
            "revenue": "总订单金额(元)",
            "conversions": "总订单行",
        },
        None,
        None,
    ),
    (
        "qianchuan_uni_product.csv",
        "utf-8-sig",
        "日期",
        "qianchuan",
        "douyin",
        {
            "spend": "整体消耗(元)",
            "impressions": "整体展示次数",
            "clicks": "整体点击次数",
            "revenue": "整体成交金额(元)",
            "conversions": "整体成交订单数",
            "product_id": "商品ID",
            "campaign": "计划名称",
        },
        "商品ID",
        "product",
    ),
    (
        "qianchuan_live_plan.csv",
        "utf-8-sig",
        "日期",
        "qianchuan",
        "douyin",
        {
            "spend": "消耗(元)",
            "impressions": "展示数",
            "clicks": "点击数",
            "revenue": "成交订单金额(元)",
            "conversions": "成交订单数",
            "campaign": "计划名称",
            "campaign_type": "营销场景",
        },
        "计划名称",
        "campaign",
    ),
]


@pytest.mark.parametrize(("name", "encoding", "first", "layout", "platform", "fields", "names", "by"), ADS)
def test_chinese_ad_reports_load_with_their_totals_left_out(
    tmp_path: Path,
    name: str,
    encoding: str,
    first: str,
    layout: str,
    platform: str,
    fields: dict[str, str],
    names: str | None,
    by: str | None,
) -> None:
    header, rows = csv_table(name, encoding, first)
    kept = [r for r in rows if not is_total(r)]
    assert len(kept) < len(rows)  # the fixture has its totals row

    assert fields.items() <= mapped(header).items()

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(FIXTURES / name))
    assert (result["status"], result["kind"], result["platform"], result["report"]) == (
        "loaded",
        "ads",
        platform,
        layout,
    )
    assert (result["rows_loaded"], result["rows_skipped"]) == (len(kept), len(rows) - len(kept))

    [total] = report(db, "promotion", "--by", "platform", "--compare", "none")
    for measure in ("spend", "impressions", "clicks", "revenue", "conversions"):
        assert total[measure] == pytest.approx(column_sum(header, kept, fields[measure])), measure

    if by is not None and names is not None:
        segments = {r[by] for r in report(db, "promotion", "--by", by, "--compare", "none")}
        assert segments == {r[header.index(names)] for r in kept}


def test_a_qianchuan_report_was_a_product_catalogue_and_is_now_an_ad_report() -> None:
    header, _ = csv_table("qianchuan_uni_product.csv", "utf-8-sig", "日期")
    recognition = recognise(parse_headers(header))
    assert (recognition.kind, recognition.layout.name) == ("ads", "qianchuan")


def test_the_jd_ad_report_is_no_longer_mistaken_for_a_wanxiangtai_report() -> None:
    header, _ = csv_table("jd_kuaiche_keyword.csv", "gb18030", "日期")
    assert recognise(parse_headers(header)).layout.name == "jd_kuaiche"


def _stripped(cell: str) -> str:
    """An ID without Excel's text guard: ="261101-…" -> 261101-…"""
    return cell[2:-1] if cell.startswith('="') and cell.endswith('"') else cell


# (fixture, first header, layout, platform, order ID, money, quantity, status, paid rule, {field: header})
ORDERS = [
    (
        "douyin_orders.csv",
        "主订单编号",
        "douyin_orders",
        "douyin",
        "主订单编号",
        "订单应付金额",
        "商品数量",
        # 抖店: paid is the status (a closed order keeps its 支付完成时间).
        lambda row, h: row[h.index("订单状态")] in {"待发货", "已发货", "已完成"},
        {
            "order_id": "主订单编号",
            "line_no": "子订单编号",
            "amount": "订单应付金额",
            "quantity": "商品数量",
            "status": "订单状态",
            "order_time": "订单提交时间",
            "product_id": "商品ID",
        },
    ),
    (
        "pdd_orders.csv",
        "商品",
        "pdd_orders",
        "pdd",
        "订单号",
        "用户实付金额(元)",
        "商品数量(件)",
        # 拼多多: what the buyer paid says it.
        lambda row, h: value(row[h.index("用户实付金额(元)")]) > 0,
        {
            "order_id": "订单号",
            "amount": "商品总价(元)",
            "paid_amount": "用户实付金额(元)",
            "quantity": "商品数量(件)",
            "status": "订单状态",
            "order_time": "订单成交时间",
            "product_id": "商品id",
        },
    ),
    (
        "kuaishou_orders.csv",
        "订单号",
        "kuaishou_orders",
        "kuaishou",
        "订单号",
        "实付款",
        "成交数量",
        # 快手小店: the payment time says paid (an unpaid order's 实付款 is filled in the fixture; a 交易关闭 order
        # with a payment time was charged, then refunded).
        lambda row, h: bool(row[h.index("订单支付时间")]),
        {
            "order_id": "订单号",
            "amount": "实付款",
            "paid_time": "订单支付时间",
            "quantity": "成交数量",
            "status": "订单状态",
            "order_time": "订单创建时间",
            "product_id": "商品ID",
            "sku": "SKU编码",
            "region": "收货地址-省",
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "first", "layout", "platform", "order_id", "money", "quantity", "is_paid", "fields"), ORDERS
)
def test_chinese_order_exports_count_paid_orders_revenue_and_units(
    tmp_path: Path,
    name: str,
    first: str,
    layout: str,
    platform: str,
    order_id: str,
    money: str,
    quantity: str,
    is_paid,
    fields: dict[str, str],
) -> None:
    header, rows = csv_table(name, "utf-8-sig", first)
    assert fields.items() <= mapped(header).items()

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(FIXTURES / name))
    assert (result["status"], result["kind"], result["platform"], result["report"]) == (
        "loaded",
        "orders",
        platform,
        layout,
    )
    assert (result["rows_loaded"], result["rows_skipped"]) == (len(rows), 0)

    ids = {_stripped(r[header.index(order_id)]) for r in rows}
    paid = [r for r in rows if is_paid(r, header)]
    [total] = report(db, "orders", "--by", "platform", "--compare", "none")
    assert total["orders"] == len(ids)
    assert total["paid_orders"] == len({_stripped(r[header.index(order_id)]) for r in paid})
    assert total["revenue"] == pytest.approx(column_sum(header, paid, money))
    assert total["units"] == pytest.approx(column_sum(header, paid, quantity))

    # IDs are kept as text, without the ="…" guard, never as numbers.
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT order_id FROM orders").fetchall()}
    assert stored == ids


# 生意参谋 流量来源: the day's 汇总 row sits in the source column; it is the day's total, not a source.
SOURCES = [
    ("sycm_sources_daily.csv", "一级来源"),
    ("sycm_sources_two_level.csv", "流量来源"),
]


@pytest.mark.parametrize(("name", "source"), SOURCES)
def test_a_per_day_summary_row_in_the_source_column_is_not_a_source(tmp_path: Path, name: str, source: str) -> None:
    header, rows = csv_table(name, "gb18030", "统计日期")
    sources = [r for r in rows if r[header.index(source)] not in TOTAL_LABELS]
    assert len(sources) < len(rows)

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(FIXTURES / name))
    assert (result["kind"], result["platform"], result["report"]) == ("traffic", "tmall", "sycm_sources")
    assert result["rows_loaded"] == len(sources)

    by_source = {r["source"]: r for r in report(db, "traffic", "--by", "source_1", "--compare", "none")}
    assert set(by_source) == {r[header.index(source)] for r in sources}
    for name_, record in by_source.items():
        own = [r for r in sources if r[header.index(source)] == name_]
        assert record["visitors"] == pytest.approx(column_sum(header, own, "访客数"))
        assert record["revenue"] == pytest.approx(column_sum(header, own, "支付金额"))

    overview = {r["metric"]: r["value"] for r in report(db, "overview", "--compare", "none")}
    assert overview["visitors"] == pytest.approx(column_sum(header, sources, "访客数"))
    assert overview["revenue"] == pytest.approx(column_sum(header, sources, "支付金额"))


JD_SKU_FIELDS = {
    "product_id": "SKU",
    "revenue": "成交金额",
    "units": "成交商品件数",
    "orders": "成交单量",
    "buyers": "成交客户数",
    "visitors": "商品访客数",
    "page_views": "商品浏览量",
    "cart_users": "加购客户数",
    "order_amount": "下单金额",
    "order_buyers": "下单客户数",
    "refund": "取消及售后退款金额",
}


@pytest.mark.parametrize(
    ("name", "first", "period"),
    [("jd_sku_daily.xlsx", "时间", []), ("jd_sku_summary.xlsx", "SKU", ["--period", "2026-11-01..2026-11-02"])],
)
def test_jd_shangzhi_sku_exports_leave_their_heji_row_out(
    tmp_path: Path, name: str, first: str, period: list[str]
) -> None:
    header, rows = xlsx_table(name, first)
    kept = [r for r in rows if not is_total(r)]
    assert len(kept) == len(rows) - 1
    assert JD_SKU_FIELDS.items() <= mapped(header).items()

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(FIXTURES / name), *period)
    assert (result["kind"], result["platform"], result["report"]) == ("traffic", "jd", "jd_sku")
    assert (result["rows_loaded"], result["rows_skipped"]) == (len(kept), 1)

    overview = {r["metric"]: r["value"] for r in report(db, "overview", "--compare", "none")}
    for metric, column in (
        ("revenue", "成交金额"),
        ("visitors", "商品访客数"),
        ("buyers", "成交客户数"),
        ("orders", "成交单量"),
    ):
        assert overview[metric] == pytest.approx(column_sum(header, kept, column)), metric


def test_every_platform_a_layout_names_has_a_name_people_use() -> None:
    from shopdata.i18n import CATALOG
    from shopdata.ingest.layouts import LAYOUTS

    missing = sorted({layout.platform for layout in LAYOUTS} - {k.removeprefix("platform.") for k in CATALOG})
    assert missing == []


# 京东 POP 订单导出 (GB18030 CSV, one row per SKU, the order's money on each of its lines). 订单号 is a 12-digit
# number: written bare (a numeric column), guarded as ="…", with a trailing tab, or as numbers in an .xlsx, it is kept
# digit for digit as text; rewritten by Excel as 2.81235E+11 it cannot be recovered, and the load says so.
JD_ORDER_FIELDS = {
    "order_id": "订单号",
    "product_id": "商品ID",
    "product_name": "商品名称",
    "quantity": "订购数量",
    "order_time": "下单时间",
    "amount": "应付金额",
    "status": "订单状态",
    "buyer_id": "下单帐号",
    "sku": "货号",
    "shipping": "运费金额",
    "channel": "订单来源",
}
# 锁定 and the "(删除)…" rows of a deleted or split order are not sales; 等待付款 was never paid.
JD_PAID_STATUSES = {"等待出库", "等待确认收货", "完成"}


def _jd_orders_written(tmp_path: Path, form: str) -> Path:
    """jd_orders.csv with its 订单号 written in `form`; the rest of every row as the fixture has it."""
    header, rows = csv_table("jd_orders.csv", "gb18030", "订单号")
    if form == "bare":
        return FIXTURES / "jd_orders.csv"
    id_cell = {
        "guarded": lambda i: f'="{i}"',
        "tab": lambda i: f"{i}\t",
        "excel": lambda i: f"{float(i):.5E}",
        "xlsx": int,
    }[form]
    written = [[id_cell(r[0]), *r[1:]] for r in rows]
    if form == "xlsx":
        book = openpyxl.Workbook()
        book.active.append(header)
        for row in written:
            book.active.append(row)
        path = tmp_path / "jd_orders.xlsx"
        book.save(path)
        return path
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *written])
    path = tmp_path / "jd_orders.csv"
    path.write_bytes(out.getvalue().encode("gb18030"))
    return path


@pytest.mark.parametrize("form", ["bare", "guarded", "tab", "xlsx"])
def test_a_jd_order_export_counts_each_order_once_and_keeps_its_order_numbers(tmp_path: Path, form: str) -> None:
    header, rows = csv_table("jd_orders.csv", "gb18030", "订单号")
    assert JD_ORDER_FIELDS.items() <= mapped(header).items()
    col = {name: header.index(name) for name in header}
    lines_of: dict[str, list[list[str]]] = {}
    for r in rows:
        lines_of.setdefault(r[col["订单号"]], []).append(r)
    # The fixture's money is the order's, the same on each of its lines, and more than one line's worth.
    assert all(len({value(r[col["应付金额"]]) for r in lines}) == 1 for lines in lines_of.values())
    assert any(len(lines) > 1 for lines in lines_of.values())
    paid = {o for o, lines in lines_of.items() if lines[0][col["订单状态"]] in JD_PAID_STATUSES}

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(_jd_orders_written(tmp_path, form)))
    assert (result["status"], result["kind"], result["platform"], result["report"]) == (
        "loaded",
        "orders",
        "jd",
        "jd_orders",
    )
    assert (result["rows_loaded"], result["rows_skipped"], result["warnings"]) == (len(rows), 0, [])

    [total] = report(db, "orders", "--by", "platform", "--compare", "none")
    assert total["orders"] == len(lines_of)
    assert total["paid_orders"] == len(paid)
    assert total["revenue"] == pytest.approx(sum(value(lines_of[o][0][col["应付金额"]]) for o in paid))
    assert total["units"] == pytest.approx(sum(value(r[col["订购数量"]]) for o in paid for r in lines_of[o]))

    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT order_id FROM orders").fetchall()}
    assert stored == set(lines_of)


def test_jd_order_numbers_excel_already_rewrote_are_loaded_with_a_warning(tmp_path: Path) -> None:
    _, rows = csv_table("jd_orders.csv", "gb18030", "订单号")
    assert len({f"{float(r[0]):.5E}" for r in rows}) < len({r[0] for r in rows})  # distinct orders collapsed

    result = ingest(tmp_path / "shop.duckdb", str(_jd_orders_written(tmp_path, "excel")))
    assert (result["platform"], result["report"]) == ("jd", "jd_orders")
    assert any("订单号" in w and "1.2E+17" in w for w in result["warnings"])


# 罗盘's 商品列表 (商品 → 商品列表, by carrier) has no layout (no public reader of its columns was found:
# tests/fixtures/layouts/README.md). Plausible headers, made up from the platform's metric names, show such a file
# is read by the term table as platform `other`, every measure it has mapped, rather than as a catalogue or with
# its money left out.
COMPASS_PRODUCTS_LIKE = (
    "日期,商品ID,商品名称,成交金额,成交件数,成交人数,成交订单数,商品曝光人数,商品点击人数,"
    "商品曝光-点击转化率(人数),商品点击-成交转化率(人数),退款金额(支付时间)\n"
    '2026-11-01,3612345678901234567,保温杯,"1,234.50",15,12,13,"5,000",400,8.00%,3.00%,89.00\n'
    "2026-11-01,3612345678901234568,吸管杯,300.00,3,3,3,900,100,11.11%,3.00%,0\n"
    '2026-11-02,3612345678901234567,保温杯,620.00,7,6,6,"2,100",210,10.00%,2.86%,0\n'
)


def _written(tmp_path: Path, name: str, text: str) -> tuple[Path, list[str], list[list[str]]]:
    path = tmp_path / name
    path.write_bytes(text.encode("gb18030"))
    header, *rows = list(csv.reader(io.StringIO(text)))
    return path, header, rows


def test_a_compass_like_product_report_is_traffic_by_product_not_a_catalogue(tmp_path: Path) -> None:
    path, header, rows = _written(tmp_path, "罗盘_商品.csv", COMPASS_PRODUCTS_LIKE)
    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(path))
    assert (result["kind"], result["platform"], result["report"]) == ("traffic", "other", "generic_traffic")
    assert (result["rows_loaded"], result["warnings"]) == (len(rows), [])

    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "SELECT count(DISTINCT product_id), sum(revenue), sum(units), sum(buyers), sum(orders), "
            "sum(product_visitors), sum(refund) FROM traffic"
        ).fetchone()
    assert stored == pytest.approx(
        (
            len({r[1] for r in rows}),
            column_sum(header, rows, "成交金额"),
            column_sum(header, rows, "成交件数"),
            column_sum(header, rows, "成交人数"),
            column_sum(header, rows, "成交订单数"),
            column_sum(header, rows, "商品点击人数"),
            column_sum(header, rows, "退款金额(支付时间)"),
        )
    )


# 抖音电商罗盘 商品卡 exports (first sheet, header on row 1, no date: the period is the one the page was set to).
# {traffic column: the file's header}; 商品卡曝光人数 has no traffic column and is checked as left out.
COMPASS = [
    (
        "douyin_compass_product_cards.xlsx",
        "商品标题",
        "douyin_compass_product_cards",
        {
            "product_id": "商品ID",
            "product_name": "商品标题",
            "product_visitors": "商品卡点击人数",
            "cart_users": "商品卡加购人数",
            "fav_users": "商品卡收藏人数",
            "buyers": "商品卡成交人数",
            "orders": "商品卡成交订单数",
            "revenue": "商品卡用户支付金额",
        },
    ),
    (
        "douyin_compass_card_sources.xlsx",
        "一级渠道",
        "douyin_compass_card_sources",
        {
            "source_1": "一级渠道",
            "source_2": "二级渠道",
            "product_visitors": "商品卡点击人数",
            "buyers": "成交人数",
            "revenue": "用户支付金额(元)",
        },
    ),
]
MEASURE_COLUMNS = ("product_visitors", "cart_users", "fav_users", "buyers", "orders", "revenue")


@pytest.mark.parametrize(("name", "first", "layout", "fields"), COMPASS)
def test_douyin_compass_product_card_exports_load_as_douyin_traffic(
    tmp_path: Path, name: str, first: str, layout: str, fields: dict[str, str]
) -> None:
    header, rows = xlsx_table(name, first)
    kept = [r for r in rows if not is_total(r)]
    assert fields.items() <= mapped(header).items()
    assert "商品卡曝光人数" not in mapped(header).values()

    db = tmp_path / "shop.duckdb"
    result = ingest(db, str(FIXTURES / name), "--period", "2026-11-01..2026-11-07")
    assert (result["status"], result["kind"], result["platform"], result["report"]) == (
        "loaded",
        "traffic",
        "douyin",
        layout,
    )
    assert (result["rows_loaded"], result["rows_skipped"]) == (len(kept), len(rows) - len(kept))

    measures = [m for m in MEASURE_COLUMNS if m in fields]
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(f"SELECT {', '.join(f'sum({m})' for m in measures)} FROM traffic").fetchone()
    assert stored == pytest.approx(tuple(column_sum(header, kept, fields[m]) for m in measures))

    overview = {r["metric"]: r["value"] for r in report(db, "overview", "--compare", "none")}
    assert overview["revenue"] == pytest.approx(column_sum(header, kept, fields["revenue"]))
