"""The daily and weekly report (日报 / 周报): one summary of a day or a week, as Markdown, HTML and PNG.

`build_digest` gathers the figures the pages show (the overview's KPIs against the comparison period, the
promotion page's scale / cut / cannot-judge ranking, the price page's undercut check, the rivals' price cuts, new
promotion methods and jumps in 流失 — shopdata/metrics/rival_events.py) and the sections its caller
passes in (alerts, targets, activities, follow-ups), already written as lines in the reader's language. The
renderers lay the same lines out for a chat (`to_markdown`, `to_message`), a browser (`to_html`, self-contained)
and an image (`to_png`). Verdicts follow the pages' rules: ads without sales value are "cannot judge", and no
undercut all-clear is given when nothing could be compared.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shopdata import alert_context, settings
from shopdata.errors import ShopdataError
from shopdata.formatting import format_change, format_value, with_cents
from shopdata.i18n import Message, translate
from shopdata.journal import journal_of
from shopdata.metrics import overview, prices, promotion, rival_events
from shopdata.metrics.definitions import metric
from shopdata.metrics.periods import Period, comparison_period
from shopdata.metrics.query import Scope, currencies, for_currency
from shopdata.metrics.segment_names import segment_names
from shopdata.notify import DigestMessage

PERIODS = {"day": 1, "week": 7}
# Days of the trend drawn in the HTML and the PNG: two weeks for a daily report, four for a weekly one.
TREND_DAYS = {"day": 14, "week": 28}
TOP = 3  # campaigns to scale / cut / not judged, undercuts and alerts shown; the rest counted
ALERTS_TOP = 5
RIVALS_TOP = 5  # rival events listed; the rest counted
PNG_SIZE = (750, 1334)  # a phone screen's width and height in CSS pixels × 2 (iPhone 8): opens full-screen
# Fonts that draw Chinese (and Latin); the first that exists is used. CI installs fonts-noto-cjk.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


class DigestError(ShopdataError):
    step = "digest"


@dataclass(frozen=True)
class KpiLine:
    metric: str
    value: float | None
    previous: float | None
    change: float | None


@dataclass(frozen=True)
class Section:
    key: str  # kpis, alerts, targets, ads, undercuts, rivals, activities, follow_ups
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    store: str
    period: str  # day | week
    start: date
    end: date
    comparison: Period | None
    language: str
    currency: str | None
    kpis: tuple[KpiLine, ...]
    sections: tuple[Section, ...]
    trend_metric: str
    trend: tuple[tuple[date, float | None], ...]
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return translate(f"digest.title.{self.period}", self.language, store=self.store, start=self.start, end=self.end)

    def text(self, key: str, **values: object) -> str:
        return translate(key, self.language, **values)


# ---------------------------------------------------------------- building


def _unit(name: str) -> str:
    unit = metric(name).unit
    return "money" if unit == "money_per" else unit


def _fmt(value: float | None, name: str, currency: str | None, cents: bool = True) -> str:
    return format_value(value, _unit(name), currency, cents=cents)


def _kpi_section(kpis: Sequence[KpiLine], currency: str | None, language: str) -> tuple[str, ...]:
    money = [v for k in kpis if _unit(k.metric) == "money" for v in (k.value, k.previous)]
    cents = with_cents(money)
    lines = []
    for k in kpis:
        label = metric(k.metric).text(language)
        value = format_value(k.value, _unit(k.metric), currency, cents=cents)
        if k.previous is None:
            lines.append(translate("digest.kpi_line_alone", language, label=label, value=value))
        else:
            previous = format_value(k.previous, _unit(k.metric), currency, cents=cents)
            lines.append(
                translate(
                    "digest.kpi_line",
                    language,
                    label=label,
                    value=value,
                    previous=previous,
                    change=format_change(k.change),
                )
            )
    return tuple(lines) or (translate("digest.no_data", language),)


def _kpis(backend, scope: Scope, compare: Scope | None) -> tuple[list[KpiLine], bool]:
    """The overview's cards with a value; the order export's when the period has no traffic report."""
    found = overview.sources(backend, (scope,))[0]
    cards = [KpiLine(k.metric, k.value, k.previous, k.change) for k in overview.kpis(backend, scope, compare)]
    from_orders = not found["traffic"] and found["orders"]
    if from_orders:
        order_cards = [
            KpiLine(k.metric, k.value, k.previous, k.change) for k in overview.order_cards(backend, scope, compare)
        ]
        cards = order_cards + [c for c in cards if c.metric not in overview.ORDER_CARDS]
    return [c for c in cards if c.value is not None], from_orders


def _name(row: Mapping[str, Any]) -> str:
    campaign = row.get("campaign")
    platform = row.get("platform")
    return f"{campaign} ({platform})" if platform and campaign else str(campaign or platform or "—")


def _ads_lines(backend, warehouse, scope: Scope, language: str) -> tuple[str, ...] | None:
    """Scale / cut / cannot judge by campaign, with the promotion page's verdict rules; None without ad rows."""
    if not promotion.has_ads(backend, scope):
        return None
    margins = promotion.load_margins(warehouse, scope.store) if warehouse is not None else promotion.Margins()
    ranked = promotion.ranking(promotion.breakdown(backend, scope, "campaign", margins))
    currency = scope.currency
    lines: list[str] = []

    def listed(frame, key: str, **fields) -> None:
        for row in frame.head(TOP).to_dict("records"):
            values = {k: f(row) for k, f in fields.items()}
            lines.append(translate(key, language, name=_name(row), **values))
        if len(frame) > TOP:
            lines.append(translate("digest.ads.more", language, count=len(frame) - TOP))

    money = lambda col: lambda row: format_value(row[col], "money", currency)  # noqa: E731
    roas = lambda row: format_value(row["roas"], "ratio")  # noqa: E731
    listed(ranked.scale, "digest.ads.scale", roas=roas, profit=money("profit"))
    listed(
        ranked.cut,
        "digest.ads.cut",
        roas=roas,
        even=lambda r: format_value(r["break_even_roas"], "ratio"),
        profit=lambda row: format_value(abs(row["profit"]), "money", currency),  # "loss ¥334", not "loss -¥334"
    )
    listed(ranked.unjudged, "digest.ads.unjudged", spend=money("spend"))
    if ranked.judged == 0:
        lines.append(translate("promotion.none_judged", language))
    elif ranked.cut.empty and ranked.unjudged.empty:
        lines.append(translate("promotion.cut_none", language))
    elif ranked.cut.empty:
        lines.append(translate("promotion.cut_none_judged", language, count=len(ranked.unjudged)))
    return tuple(lines)


def _undercut_lines(backend, warehouse, scope: Scope, language: str) -> tuple[str, ...] | None:
    """The price page's undercut check over the period; None when the store has no price rows in it."""
    currency = prices.price_currency(backend, scope)
    obs = prices.observations(backend, scope, currency)
    if obs.empty:
        return None
    links = settings.read(warehouse, settings.PRICE_LINKS, scope.store) if warehouse is not None else {}
    own_shop = alert_context.own_shop(backend, warehouse, scope.store)
    check = prices.check_undercuts(obs, own_shop, links)
    if check.reason is not None:
        # Nothing could be compared: the reason, never "no competitor is cheaper".
        return (translate(f"prices.nothing_compared.{check.reason}", language),)
    if check.alerts.empty:
        threshold = format_value(prices.UNDERCUT_THRESHOLD, "percent")
        return (translate("digest.undercut_none", language, threshold=threshold, count=check.compared),)
    lines = [
        translate(
            "digest.undercut",
            language,
            shop=row["shop"],
            product=row["product_name"],
            price=format_value(row["price"], "money", currency),
            gap=format_value(row["gap"], "percent"),
            own_product=row["own_product_name"],
            own_price=format_value(row["own_price"], "money", currency),
        )
        for row in check.alerts.head(TOP).to_dict("records")
    ]
    if len(check.alerts) > TOP:
        lines.append(translate("digest.ads.more", language, count=len(check.alerts) - TOP))
    return tuple(lines)


def _rival_lines(backend, warehouse, scope: Scope, language: str) -> tuple[str, ...] | None:
    """The rivals' price cuts, new promotion methods and jumps in 流失 of the period (shopdata.metrics.rival_events),
    oldest first, and the rivals whose 流失 had too little history to judge; None when the period has no rival
    data at all, a "none" line naming what was looked at when it has some and nothing happened."""
    found = rival_events.rival_events(backend, scope, alert_context.own_shop(backend, warehouse, scope.store))
    if not found.checked:
        return None
    lines = [alert_context.event_text(event, language) for event in found.events[:RIVALS_TOP]]
    if len(found.events) > RIVALS_TOP:
        lines.append(translate("digest.ads.more", language, count=len(found.events) - RIVALS_TOP))
    lines += [alert_context.unjudged_text(u, language) for u in found.unjudged]
    return tuple(lines) or (alert_context.none_line(found.checked, language),)


def _get(record: object, name: str, default: object = None) -> object:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def _records(records: Iterable[object]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for r in records:
        if is_dataclass(r) and not isinstance(r, type):
            out.append(asdict(r))
        elif isinstance(r, Mapping):
            out.append(r)
        else:
            out.append(vars(r))
    return out


def _metric_label(name: object, language: str) -> str:
    try:
        return metric(str(name)).text(language)
    except KeyError:
        return str(name)


def _metric_value(value: object, name: object, currency: str | None) -> str:
    try:
        unit = _unit(str(name))
    except KeyError:
        unit = "count"
    return format_value(value if isinstance(value, (int, float)) else None, unit, currency)


def _alert_lines(records: Sequence[Mapping[str, Any]], currency: str | None, language: str) -> list[str]:
    lines = []
    for r in records[:ALERTS_TOP]:
        name = r.get("metric")
        # A product by its title (segment_name, from shopdata.metrics.segment_names), else the segment itself.
        shown = r.get("segment_name") or r.get("segment")
        segment = f" · {shown}" if shown else ""
        line = translate(
            "digest.alert",
            language,
            date=r.get("date"),
            metric=_metric_label(name, language),
            segment=segment,
            actual=_metric_value(r.get("actual"), name, currency),
            expected=_metric_value(r.get("expected"), name, currency),
            low=_metric_value(r.get("low"), name, currency),
            high=_metric_value(r.get("high"), name, currency),
            impact=format_value(r.get("impact"), "money", currency, signed=True),
        )
        drivers = r.get("drivers")
        if drivers:
            parts = [
                f"{_metric_label(name, language)} {format_value(money, 'money', currency, signed=True)}"
                for name, money in drivers.items()
            ]
            line += translate("digest.alert_drivers", language, drivers=", ".join(parts))
        rivals = r.get("rivals")
        if rivals:  # what rivals did in the days before: context, worded as such (shopdata.alert_context)
            line += translate("digest.alert_rivals", language, events=alert_context.events_text(rivals, language))
        lines.append(line + (translate("digest.alert_reviewed", language) if r.get("reviewed") else ""))
    if len(records) > ALERTS_TOP:
        lines.append(translate("digest.ads.more", language, count=len(records) - ALERTS_TOP))
    return lines


def _target_lines(records: Sequence[Mapping[str, Any]], currency: str | None, language: str) -> list[str]:
    return [
        translate(
            "digest.target",
            language,
            month=r.get("month"),
            metric=_metric_label(r.get("metric"), language),
            actual=_metric_value(r.get("actual"), r.get("metric"), currency),
            target=_metric_value(r.get("target"), r.get("metric"), currency),
            projected=_metric_value(r.get("projected"), r.get("metric"), currency),
            projected_pct=format_value(r.get("projected_pct"), "percent"),
        )
        for r in records
    ]


def _activity_lines(records: Sequence[Mapping[str, Any]], currency: str | None, language: str) -> list[str]:
    return [
        translate(
            "digest.activity",
            language,
            name=r.get("name"),
            date_from=r.get("date_from"),
            date_to=r.get("date_to"),
            revenue=format_value(r.get("revenue"), "money", currency),
            lift=format_value(r.get("lift"), "money", currency, signed=True),
            lift_pct=format_change(r.get("lift_pct")),
        )
        for r in records
    ]


def _follow_up_lines(records: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    return [
        translate(
            "digest.follow_up",
            language,
            due=r.get("follow_up") or r.get("date") or "—",
            text=r.get("text") or r.get("done") or "",
        )
        for r in records
    ]


def _given(key: str, records: Iterable[object] | None, lines_of, language: str) -> Section | None:
    """A caller's section: omitted when not given (None), "none" when given empty."""
    if records is None:
        return None
    lines = lines_of(_records(records))
    return Section(
        key, translate(f"digest.section.{key}", language), tuple(lines) or (translate("digest.none", language),)
    )


def build_digest(
    backend,
    store: str,
    day: date,
    period: str,
    language: str,
    currency: str | None = None,
    *,
    warehouse=None,
    alerts: Iterable[object] | None = None,
    targets: Iterable[object] | None = None,
    activities: Iterable[object] | None = None,
    follow_ups: Iterable[object] | None = None,
) -> Digest:
    """The report of `day` (period "day") or of the 7 days ending on `day` (period "week"), compared with the
    period just before. `warehouse` (the Warehouse) gives the store's saved margins, own shop and price links; the
    other keyword sections are records from the alerts / notes / targets modules, shown when given."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose one of {sorted(PERIODS)}")
    start = period_start(day, period)
    if currency is None:
        currency = next(iter(currencies(backend, store)), None)
    scope = for_currency(backend, Scope(store, start, day, currency))
    comparison = comparison_period(Period(start, day), "previous")
    compare = scope.shifted(comparison.start, comparison.end) if comparison else None
    kpis, from_orders = _kpis(backend, scope, compare)

    sections = [Section("kpis", translate("digest.section.kpis", language), _kpi_section(kpis, currency, language))]
    money_lines = {
        "alerts": lambda rs: _alert_lines(rs, currency, language),
        "targets": lambda rs: _target_lines(rs, currency, language),
    }
    for key, records in (("alerts", alerts), ("targets", targets)):
        given = _given(key, records, money_lines[key], language)
        if given:
            sections.append(given)
    ads = _ads_lines(backend, warehouse, scope, language)
    if ads is not None:
        sections.append(Section("ads", translate("digest.section.ads", language), ads))
    undercut = _undercut_lines(backend, warehouse, scope, language)
    if undercut is not None:
        sections.append(Section("undercuts", translate("digest.section.undercuts", language), undercut))
    rivals = _rival_lines(backend, warehouse, scope, language)
    if rivals is not None:
        sections.append(Section("rivals", translate("digest.section.rivals", language), rivals))
    for given in (
        _given("activities", activities, lambda rs: _activity_lines(rs, currency, language), language),
        _given("follow_ups", follow_ups, lambda rs: _follow_up_lines(rs, language), language),
    ):
        if given:
            sections.append(given)

    trend_metric, trend = _trend(backend, scope, period, from_orders)
    notes = [
        translate("digest.compared_with", language, start=comparison.start, end=comparison.end)
        if comparison
        else translate("digest.no_comparison", language)
    ]
    if currency:
        notes.append(translate("digest.currency", language, currency=currency))
    if from_orders:
        notes.append(translate("digest.from_orders", language))
    return Digest(
        store,
        period,
        start,
        day,
        comparison,
        language,
        currency,
        tuple(kpis),
        tuple(sections),
        trend_metric,
        trend,
        tuple(notes),
    )


def period_start(day: date, period: str) -> date:
    """The first day of the report of `day`: the day itself, or 6 days before for a week."""
    return day - timedelta(days=PERIODS[period] - 1)


def journal_sections(
    backend, store: str, day: date, period: str, language: str, currency: str | None = None
) -> dict[str, Any]:
    """build_digest's sections from the store's journal, for a backend that reaches it (a Source; nothing
    otherwise): the period's alerts (activities judged as such, notes marking them reviewed), largest |impact|
    first, the shown ones with their drivers and the first of each day with the rivals' events around it; the progress of the month's targets on `day`; the activities of
    the period with their lift; the notes whose follow-up is not done yet, soonest first."""
    from shopdata.metrics import alerts as alert_metrics
    from shopdata.metrics.targets import target_progress
    from shopdata.reports import activity_records

    journal = journal_of(backend)
    if journal is None:
        return {}
    if currency is None:
        currency = next(iter(currencies(backend, store)), None)
    start = period_start(day, period)
    scope = for_currency(backend, Scope(store, start, day, currency))
    context = alert_context.alert_context(journal, backend, scope)
    found = context.found.to_dict("records")
    names = segment_names(backend, store)
    for row in found:
        row["segment_name"] = names.label(row["dimension"], row["segment"])
    days_with_rivals: set[date] = set()
    for row in found[:ALERTS_TOP]:
        drivers = alert_metrics.explain_alert(backend, scope, row).drivers
        row["drivers"] = None if drivers is None else dict(drivers.contributions)
        # A day's rival events once, with its first (largest) alert: every alert of the day has the same ones.
        row["rivals"] = () if row["date"] in days_with_rivals else context.rivals_around(row["date"])
        days_with_rivals.add(row["date"])
    follow_ups = journal.notes(store, open_follow_ups=True)
    return {
        "alerts": found,
        "targets": target_progress(backend, store, f"{day:%Y-%m}", day, currency),
        "activities": activity_records(backend, scope, language=language),
        "follow_ups": sorted(follow_ups, key=lambda n: (n["follow_up"], n["note_id"])),
    }


def journal_stamp(warehouse, store: str) -> tuple[Any, ...]:
    """What of the store's journal a digest shows and the data generation does not follow: its notes (alerts
    reviewed, open follow-ups) and targets, written without bumping it (shopdata/journal.py). Equal stamps, same
    sections, so a digest built at the same generation and stamp can be reused."""
    notes = warehouse.engine.execute(
        "SELECT count(*), max(note_id), max(updated_at), max(created_at) FROM notes WHERE store = ?", [store]
    ).rows[0]
    targets = warehouse.engine.execute("SELECT count(*), max(set_at) FROM targets WHERE store = ?", [store]).rows[0]
    return tuple(str(value) for value in (*notes, *targets))


def _trend(backend, scope: Scope, period: str, from_orders: bool) -> tuple[str, tuple[tuple[date, float | None], ...]]:
    """Daily revenue (the order export's when the KPIs come from it) over the TREND_DAYS ending on the report's day."""
    assert scope.end is not None
    window = scope.shifted(scope.end - timedelta(days=TREND_DAYS[period] - 1), scope.end)
    name = "order_revenue" if from_orders else "revenue"
    frame = overview.trend(backend, window, None)
    values = tuple(
        (d.date(), None if v != v else float(v))  # NaN: a day without data
        for d, v in zip(frame["period_date"], frame[name], strict=True)
    )
    return name, values


# ---------------------------------------------------------------- rendering


def to_message(digest: Digest) -> DigestMessage:
    """The digest for a chat robot (shopdata/notify.py): title, sections of lines, the notes as footer."""
    sections = tuple((s.title, s.lines) for s in digest.sections)
    return DigestMessage(digest.title, sections, " ".join(digest.notes))


def to_markdown(digest: Digest) -> str:
    """Markdown that pastes cleanly into WeChat, DingTalk and Feishu: headings and short list lines, no tables."""
    return to_message(digest).markdown()


def _trend_label(digest: Digest) -> str:
    return digest.text("digest.trend", metric=metric(digest.trend_metric).text(digest.language), days=len(digest.trend))


def _svg(digest: Digest, width: int = 640, height: int = 180) -> str:
    """The trend as an inline SVG polyline (no script, no external file); gaps where a day has no data."""
    values = [v for _, v in digest.trend if v is not None]
    if not values:
        return ""
    top, pad = max(max(values), 0.0) or 1.0, 8
    step = (width - 2 * pad) / max(len(digest.trend) - 1, 1)
    runs: list[list[str]] = [[]]
    for n, (_, v) in enumerate(digest.trend):
        if v is None:
            runs.append([])
            continue
        y = height - pad - (height - 2 * pad) * max(v, 0.0) / top
        runs[-1].append(f"{pad + n * step:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline fill="none" stroke="#2563eb" stroke-width="2" points="{" ".join(r)}"/>' for r in runs if r
    )
    label = html.escape(_trend_label(digest))
    return (
        f'<figure><figcaption>{label}</figcaption><svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" fill="#f8fafc"/>{lines}</svg></figure>'
    )


HTML_STYLE = (
    "body{font-family:-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:0;"
    "padding:16px;max-width:720px;color:#111827;line-height:1.5}h1{font-size:1.25rem}h2{font-size:1.05rem;"
    "margin:1.2em 0 .3em}ul{padding-left:1.2em;margin:0}li{margin:.2em 0}figure{margin:1em 0}"
    "figcaption,.note{color:#6b7280;font-size:.85rem}"
)


def to_html(digest: Digest) -> str:
    """One self-contained HTML file: inline CSS and an inline SVG chart, nothing fetched; fits a phone."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if digest.language == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(digest.title)}</title><style>{HTML_STYLE}</style></head><body>",
        f"<h1>{e(digest.title)}</h1>",
        *(f'<p class="note">{e(n)}</p>' for n in digest.notes),
    ]
    for n, section in enumerate(digest.sections):
        parts.append(f"<h2>{e(section.title)}</h2><ul>{''.join(f'<li>{e(line)}</li>' for line in section.lines)}</ul>")
        if n == 0:
            parts.append(_svg(digest))
    parts.append(f'<p class="note">{e(digest.text("digest.footer"))}</p></body></html>')
    return "\n".join(parts)


def find_cjk_font(candidates: Sequence[str] = CJK_FONTS) -> Path | None:
    return next((Path(p) for p in candidates if Path(p).is_file()), None)


def to_png(digest: Digest, fonts: Sequence[str] = CJK_FONTS) -> bytes:
    """The summary (title, notes, section lines while they fit) and the trend chart, PNG_SIZE pixels.

    Needs a font that draws Chinese (store, campaign and product names are often Chinese even in an English
    report): without one it raises DigestError instead of drawing boxes."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = find_cjk_font(fonts)
    if font_path is None:
        raise DigestError(
            Message("digest.error.no_cjk_font", paths=", ".join(fonts[:2])), Message("digest.error.cjk_font_hint")
        )
    width, height = PNG_SIZE
    margin, chart_height = 32, 220
    image = Image.new("RGB", PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)
    title_font = ImageFont.truetype(str(font_path), 34)
    head_font = ImageFont.truetype(str(font_path), 26)
    font = ImageFont.truetype(str(font_path), 22)
    small = ImageFont.truetype(str(font_path), 18)
    usable = width - 2 * margin
    bottom = height - chart_height - 2 * margin
    y = margin

    def wrapped(text: str, face) -> list[str]:
        rows, row = [], ""
        for char in text:
            if face.getlength(row + char) > usable and row:
                rows.append(row)
                row = char.lstrip()
            else:
                row += char
        return [*rows, row] if row else rows

    def write(text: str, face, fill: str = "#111827", gap: int = 6) -> bool:
        nonlocal y
        size = face.size + gap
        for row in wrapped(text, face):
            if y + size > bottom:
                return False
            draw.text((margin, y), row, font=face, fill=fill)
            y += size
        return True

    write(digest.title, title_font, gap=12)
    for note in digest.notes:
        write(note, small, "#6b7280")
    for section in digest.sections:
        y += 10
        if not write(section.title, head_font, gap=8):
            break
        if not all(write(f"• {line}", font) for line in section.lines):
            break
    _draw_trend(draw, digest, (margin, height - chart_height - margin, width - margin, height - margin), small)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw_trend(draw, digest: Digest, box: tuple[int, int, int, int], font) -> None:
    left, top, right, bottom = box
    draw.text((left, top), _trend_label(digest), font=font, fill="#6b7280")
    top += font.size + 8
    draw.rectangle((left, top, right, bottom), fill="#f8fafc")
    values = [v for _, v in digest.trend if v is not None]
    if not values:
        return
    peak = max(max(values), 0.0) or 1.0
    step = (right - left) / max(len(digest.trend) - 1, 1)
    run: list[tuple[float, float]] = []
    for n, (_, v) in enumerate([*digest.trend, (digest.end, None)]):
        if v is None:
            if len(run) > 1:
                draw.line(run, fill="#2563eb", width=3)
            elif run:
                draw.ellipse((run[0][0] - 2, run[0][1] - 2, run[0][0] + 2, run[0][1] + 2), fill="#2563eb")
            run = []
            continue
        run.append((left + n * step, bottom - (bottom - top) * max(v, 0.0) / peak))
