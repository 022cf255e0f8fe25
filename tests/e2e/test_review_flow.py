"""An alert on the demo store, from the overview to a note on its chart, in a real browser (issue 12: "an alert on
the demo store is opened, explained, and given a note that then shows on the overview chart").

The alert's figures are worked out here from the sample files (openpyxl, not the app) by the method the page
names: the ratio to moving average (the weekday's median ratio to its centred week over the 8 weeks before × the
level of the last 14 days), leaving out the days of the demo's recorded activity; the competitor's price cut is read from the price tracker's rows."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page

from shopdata.formatting import with_cents
from shopdata.i18n import translate
from tests.e2e.support import error_boxes, main, normalize, select, table_rows, title, wait_for_app

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
TRAFFIC = SAMPLES / "【生意参谋平台】店铺来源_2026-08-25_2026-11-22.xlsx"
PRICES = SAMPLES / "竞品价格监控_2026-08-25_2026-11-22.xlsx"
DROP_DAY = date(2026, 11, 18)  # sample_data/README.md: 手淘搜索 falls after 竞品B's price cut on 11-17
ACTIVITY = (date(2026, 10, 20), date(2026, 11, 12))  # the demo's recorded 双11预售+大促+返场 (README)
RIVAL_PRODUCT = "A59102337640"  # 竞品B 烟酰胺焕亮精华液
PERIOD = ("2026-11-16", "2026-11-22")
LINK = f"/?range=custom&from={PERIOD[0]}&to={PERIOD[1]}&cur=CNY"
NOTE = "Search rank lost to 竞品B's cut to 169"


def en(key: str, **values) -> str:
    return translate(key, "en", **values)


def daily_totals() -> dict[date, Counter]:
    """Per day, the store's revenue, visitors and buyers: the 一级来源 subtotal rows (二级来源 = 汇总) summed."""
    sheet = load_workbook(TRAFFIC, read_only=True).active.iter_rows(values_only=True)
    header = next(row for row in sheet if row[0] == "统计日期")
    col = {name: i for i, name in enumerate(header)}
    totals: dict[date, Counter] = {}
    for row in sheet:
        if row[col["二级来源"]] == "汇总":
            day = date.fromisoformat(row[col["统计日期"]])
            sums = totals.setdefault(day, Counter())
            sums["revenue"] += row[col["支付金额"]]
            sums["visitors"] += row[col["访客数"]]
            sums["buyers"] += row[col["支付买家数"]]
    return totals


def ratio_range(totals: dict[date, Counter], day: date, measure: str) -> tuple[float, float, float]:
    """expected, low, high by the ratio to moving average, never from a day of the activity: each same weekday's
    value ÷ the mean of the days around it (h − 3 … h + 3, those with a value); expected = the median of those 8
    ratios × the mean of the last 14 days with a value; half-width 3 × 1.4826 × the ratios' MAD × that mean, at
    least 10% of the expected."""
    kept = {d: float(v[measure]) for d, v in totals.items() if not ACTIVITY[0] <= d <= ACTIVITY[1]}
    ratios = []
    for w in range(1, 9):
        h = day - timedelta(days=7 * w)
        around = [kept[h + timedelta(days=k)] for k in range(-3, 4) if h + timedelta(days=k) in kept]
        if h in kept and len(around) >= 4:
            ratios.append(kept[h] / (sum(around) / len(around)))
    recent = [kept[d] for d in sorted(kept) if d < day][-14:]
    level = sum(recent) / len(recent)
    factor = statistics.median(ratios)
    expected = level * factor
    half = max(3 * 1.4826 * statistics.median(abs(r - factor) for r in ratios) * level, 0.10 * expected)
    return expected, max(expected - half, 0.0), expected + half


def expected_on(totals: dict[date, Counter], day: date, measure: str) -> float:
    return ratio_range(totals, day, measure)[0]


def normal_range(totals: dict[date, Counter], day: date, measure: str) -> tuple[float, float]:
    return ratio_range(totals, day, measure)[1:]


def money(value: float, cents: bool = False) -> str:
    return f"¥{value:,.2f}" if cents else f"¥{value:,.0f}"


def drivers_sentence(totals: dict[date, Counter], day: date) -> str:
    """Revenue against its expected split into visitors × conversion × revenue per buyer (LMDI), as written."""
    now = totals[day]
    before = {m: expected_on(totals, day, m) for m in ("revenue", "visitors", "buyers")}

    def factors(values) -> dict[str, float]:
        return {
            "visitors": values["visitors"],
            "conversion_rate": values["buyers"] / values["visitors"],
            "aov": values["revenue"] / values["buyers"],
        }

    r0, r1 = before["revenue"], now["revenue"]
    f0, f1 = factors(before), factors(now)
    amounts = {
        n: (r1 - r0) * math.log(f1[n] / f0[n]) / math.log(r1 / r0) for n in ("visitors", "conversion_rate", "aov")
    }
    cents = with_cents([r0 - r1, *amounts.values()])  # the sentence's amounts all show cents, or none does
    parts = []
    for name, amount in amounts.items():
        way = "up" if amount > 0 else "down"
        parts.append(f"{en(f'overview.factor.{name}.{way}')} {'+' if amount > 0 else '−'}{money(abs(amount), cents)}")
    return en("overview.decomp.fell", amount=money(r0 - r1, cents), parts=", ".join(parts))


def rival_price_cut() -> tuple[date, float, float]:
    """The day 竞品B's product got cheaper and its price before and after, from the tracker's rows."""
    rows = list(load_workbook(PRICES, read_only=True).active.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(rows[0])}
    prices = {}
    for row in rows[1:]:
        if row[col["id"]] == RIVAL_PRODUCT:
            y, m, d = map(int, row[col["update_time"]].split("/"))
            prices[date(y, m, d)] = float(row[col["price"]])
    days = [d for d in sorted(prices) if DROP_DAY - timedelta(days=7) <= d <= DROP_DAY]
    cuts = [(d, prices[d - timedelta(days=1)], prices[d]) for d in days if prices[d] < prices[d - timedelta(days=1)]]
    assert len(cuts) == 1, cuts
    return cuts[0]


def alert_box(page: Page, heading: str) -> Locator:
    """The bordered box of the overview alert whose line starts with `heading`."""
    # Blocks nest (the page, the section, the box): the last one in document order is the innermost.
    boxes = main(page).get_by_test_id("stVerticalBlock").filter(has_text=heading)
    assert boxes.count() >= 1, f"no alert {heading!r}: {normalize(main(page).inner_text())[:2000]}"
    return boxes.last  # the innermost box holding the line


def trend_layout(page: Page) -> dict:
    """The overview trend chart's Plotly layout as drawn in the page (the graph div keeps the figure it drew)."""
    chart = main(page).locator(".st-key-overview_trend .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    chart.wait_for(state="visible")
    return chart.evaluate("gd => ({shapes: gd.layout.shapes || [], annotations: gd.layout.annotations || []})")


def test_an_alert_is_opened_explained_and_noted_then_shows_on_the_chart(open_app) -> None:
    totals = daily_totals()
    actual, expected = totals[DROP_DAY]["revenue"], expected_on(totals, DROP_DAY, "revenue")
    assert actual < 0.7 * expected  # the drop the demo was given
    heading = f"18 Nov 2026 · Revenue, the store ↓ {money(actual)} — expected {money(expected)}"

    page = open_app(LINK)
    assert error_boxes(page) == []
    assert main(page).get_by_role("heading", name=en("overview.alerts.title"), exact=True).count() == 1
    box = alert_box(page, heading)
    assert f"impact -{money(expected - actual)}" in normalize(box.inner_text())
    assert en("overview.alerts.reviewed") not in box.inner_text()

    link = box.get_by_role("link", name=en("overview.alerts.open_review"), exact=True)
    assert "alert=2026-11-18%7Crevenue%7Cstore%7C" in (link.get_attribute("href") or "")
    if link.get_attribute("target") == "_blank":  # Streamlit opens markdown links in a new tab
        with page.context.expect_page() as opened:
            link.click()
        review = opened.value
    else:
        link.click()
        review = page
    wait_for_app(review)
    assert error_boxes(review) == []
    assert title(review) == en("review.title")
    assert "alert=2026-11-18" in review.url.replace("%7C", "|")

    shown = normalize(main(review).inner_text())
    # The expected value is no whole number of cents: the amounts are read back and compared to the cent rather
    # than as text.
    template = re.escape(en("review.why.summary", day=DROP_DAY, kpi="Revenue", segment=en("review.dim.store"),
                            actual="@", expected="@", low="@", high="@"))  # fmt: skip
    found = re.search(template.replace("@", r"¥([\d,]+\.\d\d)"), shown)
    assert found, shown[:3000]
    amounts = [float(a.replace(",", "")) for a in found.groups()]
    assert amounts == pytest.approx([actual, expected, *normal_range(totals, DROP_DAY, "revenue")], abs=0.011)
    assert drivers_sentence(totals, DROP_DAY) in shown, shown[shown.find("Drivers") : shown.find("Drivers") + 400]
    cut_day, before, after = rival_price_cut()
    assert cut_day == date(2026, 11, 17) and (before, after) == (239, 169)
    drops = main(review).get_by_test_id("stDataFrame").filter(has_text="竞品B旗舰店")
    rows = [row for row in table_rows(drops.first, 10)[1:] if "竞品B旗舰店" in row and str(cut_day) in row]
    assert len(rows) == 1, rows
    numbers = {float(cell.replace(",", "").lstrip("¥")) for cell in rows[0] if re.fullmatch(r"¥?[\d,.]+", cell.strip())}
    assert {before, after} <= numbers, rows

    form = main(review).get_by_test_id("stForm").filter(has_text=en("review.note.save"))
    form.get_by_role("textbox", name=en("review.note.found"), exact=True).fill(NOTE)
    select(review, form, en("review.note.cause"), en("loop.cause.competitor"))
    form.get_by_role("button", name=en("review.note.save"), exact=True).click()
    wait_for_app(review)
    assert error_boxes(review) == []
    assert en("review.saved") in main(review).inner_text()

    overview = open_app(LINK)
    assert error_boxes(overview) == []
    assert f"— {en('overview.alerts.reviewed')}" in alert_box(overview, heading).inner_text()
    layout = trend_layout(overview)
    notes = [a for a in layout["annotations"] if NOTE in (a.get("hovertext") or "")]
    assert len(notes) == 1, layout["annotations"]
    assert str(notes[0]["x"]).startswith(str(DROP_DAY))
    assert notes[0]["hovertext"].startswith(en("loop.cause.competitor") + ":")
    lines = [s for s in layout["shapes"] if s.get("type") == "line" and str(s.get("x0", "")).startswith(str(DROP_DAY))]
    assert len(lines) == 1, layout["shapes"]
