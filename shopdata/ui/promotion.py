"""Promotion page pieces: KPI cards, trend, attribution notes, margin form, breakdown table, scale/cut lists."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from shopdata import settings
from shopdata.formatting import MISSING as NO_VALUE
from shopdata.formatting import format_value, is_missing, md_escape
from shopdata.i18n import CATALOG
from shopdata.metrics import promotion
from shopdata.metrics.definitions import metric
from shopdata.ui import annotations as chart_marks
from shopdata.ui import widgets
from shopdata.ui.auth import current_account
from shopdata.ui.i18n import current_language, t

MONEY = ("spend", "cpc", "cpm", "cpa", "ad_revenue", "profit")
PERCENT = ("ctr", "cvr", "acos", "margin")
COUNT = ("impressions", "clicks", "ad_conversions")
RATIO = ("roas", "break_even_roas")
# The KPIs whose alerts the page shows (their normal range and alert days on the trend, the rivals around them).
ALERTED = ("spend", "roas")
# The page asks whether the ads pay: ROAS, its reading against break-even, and ACOS come right after the
# names (a wide table's right edge is off screen), then the money, then the rest.
RANKING_COLUMNS = ("roas", "break_even_roas", "profit", "spend", "ad_revenue")
DECISIVE = ("roas", "acos", "status", "break_even_roas", "profit", "spend", "ad_revenue")
# Why a cell of the column can be empty (the tooltip says so beside "—").
MISSING = {
    "cpa": "promotion.missing.cpa",
    "roas": "promotion.missing.sales",
    "acos": "promotion.missing.sales",
    "profit": "promotion.missing.sales",
    "ad_revenue": "promotion.missing.sales",
    "ctr": "promotion.missing.rate",
    "cvr": "promotion.missing.rate",
    "cpc": "promotion.missing.rate",
    "cpm": "promotion.missing.rate",
}


def _label(column: str) -> str:
    if column == "platform":
        return t("col.platform")
    if column == "product_id":
        return t("promotion.by.product")
    if column in ("campaign", "ad_group", "keyword"):
        return t(f"promotion.by.{column}")
    if f"promotion.col.{column}" in CATALOG:
        return t(f"promotion.col.{column}")
    return metric(column).text(current_language())


def kpi_section(kpis: list[promotion.Kpi], currency: str | None, comparison=None) -> None:
    """The ad KPIs; comparison is the comparison Period, if one is chosen."""
    cards = [widgets.metric_card(kpi.name, kpi.value, kpi.previous, kpi.change, currency) for kpi in kpis]
    widgets.kpi_cards(cards, per_row=4)
    if comparison is not None and all(kpi.previous is None for kpi in kpis):
        st.info(t("promotion.no_comparison_data", start=comparison.start, end=comparison.end))


def margin_summary(
    totals: dict, margins: promotion.Margins, currency: str | None, unjudged: pd.DataFrame | None = None
) -> None:
    """The period's ROAS and profit against break-even; unjudged: the campaigns whose exports report no sales
    value (their spend is in the totals with no revenue, so the verdict is said to leave them out of account)."""
    margin = format_value(margins.default, "percent")
    even = format_value(totals["break_even_roas"], "ratio")
    if not margins.entered:
        st.caption(t("promotion.margin_assumed", margin=margin, break_even=even))
    if totals["status"] == promotion.UNJUDGED:
        st.warning(t("promotion.no_sales_value", spend=format_value(totals["spend"], "money", currency)), icon="❔")
        return
    text = t(
        "promotion.margin_summary",
        margin=margin,
        break_even=even,
        roas=format_value(totals["roas"], "ratio"),
        profit=format_value(totals["profit"], "money", currency),
    )
    if unjudged is not None and not unjudged.empty and totals["status"] in (promotion.ABOVE, promotion.BELOW):
        text += " " + t(
            "promotion.summary_includes_unjudged",
            count=len(unjudged),
            spend=format_value(float(unjudged["spend"].sum()), "money", currency),
        )
    if totals["status"] == promotion.BELOW:
        st.warning(text, icon="🔻")
    elif totals["status"] == promotion.ABOVE:
        st.success(text, icon="✅")
    else:
        st.info(text)


def margin_form(store, store_name: str, margins: promotion.Margins, products: pd.DataFrame) -> None:
    """The store's margin and per-product overrides, saved in the database for everyone using this store
    (read-only without the edit_settings permission)."""
    user = current_account()
    locked = not user.can("edit_settings")
    with st.expander(t("promotion.margin_title"), expanded=not margins.entered):
        st.caption(t(settings.GROSS_MARGIN.ui_help))
        if locked:
            st.caption(t("auth.settings_read_only", role=t(f"role.{user.role}")))
        with st.form(key="promotion_margins", border=False):
            narrow, _ = st.columns([1, 2])
            default_pct = narrow.number_input(
                t("promotion.margin_default"),
                min_value=1.0,
                max_value=100.0,
                value=round(margins.default * 100, 1),
                step=1.0,
                format="%.1f",
                key=f"promotion_margin_{store_name}",
                disabled=locked,
            )
            known = list(products["product_id"]) if not products.empty else []
            ids = known + [pid for pid in margins.by_product if pid not in known]
            names = dict(zip(products["product_id"], products["name"], strict=False)) if not products.empty else {}
            table = pd.DataFrame(
                {
                    "product_id": pd.Series(ids, dtype="object"),
                    "name": pd.Series([names.get(pid) for pid in ids], dtype="object"),
                    "margin_pct": pd.Series(
                        [margins.by_product[pid] * 100 if pid in margins.by_product else None for pid in ids],
                        dtype="float64",
                    ),
                }
            )
            edited = st.data_editor(
                table,
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                key=f"promotion_product_margins_{store_name}",
                disabled=locked,
                # An empty margin uses the default above; Streamlit would paint it "None".
                placeholder=NO_VALUE,
                column_config={
                    "product_id": st.column_config.TextColumn(t("promotion.by.product")),
                    "name": st.column_config.TextColumn(t("promotion.col.product_name"), disabled=True),
                    "margin_pct": st.column_config.NumberColumn(
                        t("promotion.col.margin_pct"), min_value=1.0, max_value=100.0, format="%.1f"
                    ),
                },
            )
            st.caption(t(settings.PRODUCT_MARGINS.ui_help))
            submitted = st.form_submit_button(t("promotion.margin_save"), key="promotion_margin_save", disabled=locked)
            # Checked here, not only by disabling the button: a crafted message can still submit the form.
            if submitted and not locked:
                by_product = {
                    str(row["product_id"]).strip(): row["margin_pct"] / 100
                    for row in edited.to_dict("records")
                    if not is_missing(row["product_id"]) and not is_missing(row["margin_pct"])
                }
                promotion.save_margins(store, store_name, default_pct / 100, by_product)
                st.toast(t("promotion.margin_saved", store=md_escape(store_name)))
                st.rerun()


def trend(
    daily: pd.DataFrame,
    margins: promotion.Margins,
    currency: str | None,
    band: pd.DataFrame | None = None,
    marks: Sequence[chart_marks.Mark] = (),
) -> None:
    """Spend and ad revenue, and ROAS against break-even, by day; with `band` (annotations.band_frame) the
    normal range of spend and of ROAS behind them with their alert days, and the notes and activities marked."""
    if daily.empty:
        st.caption(t("promotion.no_daily"))
        return
    language = current_language()
    day, series = t("promotion.col.date"), t("promotion.col.series")

    def long(values: pd.Series | float, name: str) -> pd.DataFrame:
        return pd.DataFrame({day: daily["date"], series: name, "value": values})

    spend, revenue, roas_name = (metric(name).text(language) for name in ("spend", "ad_revenue", "roas"))
    break_even = t("promotion.series.break_even")
    money = pd.concat([long(daily["spend"], spend), long(daily["ad_revenue"], revenue)], ignore_index=True)
    roas = pd.concat(
        [long(daily["roas"], roas_name), long(promotion.break_even_roas(margins.default), break_even)],
        ignore_index=True,
    )
    money_fig = widgets.line_figure(
        money,
        day,
        "value",
        t("promotion.trend_money"),
        unit="money",
        currency=currency,
        color=series,
        colors={spend: widgets.SPEND_COLOR, revenue: widgets.REVENUE_COLOR},
    )
    roas_fig = widgets.line_figure(
        roas,
        day,
        "value",
        t("promotion.trend_roas"),
        unit="ratio",
        color=series,
        dashed=[break_even],
        colors={roas_name: widgets.REVENUE_COLOR, break_even: widgets.REFERENCE_COLOR},
    )
    left, right = st.columns(2)
    for column, fig, colors, key in (
        (left, money_fig, {"spend": widgets.SPEND_COLOR}, "promotion_trend_money"),
        (right, roas_fig, {"roas": widgets.REVENUE_COLOR}, "promotion_trend_roas"),
    ):
        banded = chart_marks.with_bands(fig, band, colors, currency)
        column.plotly_chart(chart_marks.annotated(banded, marks), key=key, width="stretch")


def _window_text(window: str | None) -> str:
    if window is None:
        return t("promotion.attribution_unstated")
    digits = window[:-1] if window.endswith("d") else ""
    if digits.isdigit():
        return t("promotion.attribution_days", days=digits)
    return t("promotion.attribution_other", window=md_escape(window))


def attribution_notes(windows: dict[str, dict[str | None, list[str]]]) -> None:
    """One line per platform, e.g. "Amazon: 14-day attribution", so ROAS is not compared blindly."""
    if not windows:
        return
    st.subheader(t("promotion.attribution_title"))
    st.caption(t("promotion.attribution_intro"))
    lines = []
    for platform, by_window in sorted(windows.items()):
        if len(by_window) == 1:
            text = _window_text(next(iter(by_window)))
        else:
            text = "; ".join(
                t("promotion.attribution_campaigns", window=_window_text(w), count=len(c))
                for w, c in sorted(by_window.items(), key=lambda item: (item[0] is None, item[0] or ""))
            )
        lines.append("- " + t("promotion.attribution_line", platform=widgets.platform_name(platform), windows=text))
    st.markdown("\n".join(lines))
    stated = {w for by_window in windows.values() for w in by_window if w is not None}
    if len(stated) > 1:
        st.warning(t("promotion.attribution_differs"), icon="⚖️")


def _display(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = frame[columns].copy()
    shown["platform"] = shown["platform"].map(widgets.platform_name)
    if "attribution" in shown:
        shown["attribution"] = [a if isinstance(a, str) else "—" for a in shown["attribution"]]
    if "status" in shown:
        shown["status"] = [
            t(f"promotion.status.{s}") if isinstance(s, str) else t("promotion.status.no_spend")
            for s in shown["status"]
        ]
    return shown.rename(columns={c: _label(c) for c in columns})


def _config(columns: list[str], currency: str | None) -> dict:
    config = {}
    for column in columns:
        label = _label(column)
        missing = t(MISSING[column]) if column in MISSING else None
        if column in MONEY:
            config[label] = widgets.money_column(label, currency, missing=missing)
        elif column in PERCENT:
            config[label] = widgets.percent_column(label, missing=missing)
        elif column in COUNT:
            config[label] = widgets.count_column(label, missing=missing)
        elif column in RATIO:
            config[label] = widgets.ratio_column(label, missing=missing)
    return config


def breakdown_columns(by: str) -> list[str]:
    """The breakdown table's columns: the names, the columns that answer "does it pay?", then the rest."""
    keys = list(dict.fromkeys(["platform", promotion.BREAKDOWNS[by]]))
    rest = [*promotion.KPI_METRICS, "attribution", "margin", "break_even_roas", "profit", "status"]
    return [*keys, *DECISIVE, *[c for c in rest if c not in DECISIVE]]


def breakdown_table(frame: pd.DataFrame, by: str, currency: str | None) -> None:
    breakdown_label = t(f"promotion.by.{by}")
    if frame.empty:
        st.info(t("promotion.no_rows", breakdown=breakdown_label))
        return
    if by != "platform":
        st.caption(t("promotion.breakdown_note", breakdown=breakdown_label))
    columns = breakdown_columns(by)
    widgets.show_table(
        _display(frame, columns),
        key="promotion_table",
        file_name=f"promotion_by_{by}",
        column_config=_config(columns, currency),
    )


def ranking(ranked: promotion.Ranking, by: str, currency: str | None) -> None:
    keys = list(dict.fromkeys(["platform", promotion.BREAKDOWNS[by]]))
    columns = [*keys, *RANKING_COLUMNS]
    factor = f"{promotion.SCALE_FACTOR:g}"
    st.subheader("🚀 " + t("promotion.scale_title"))
    if ranked.judged == 0:
        st.caption(t("promotion.none_judged"))
    elif ranked.scale.empty:
        st.caption(t("promotion.scale_none", factor=factor))
    else:
        st.markdown(
            t(
                "promotion.scale_advice",
                factor=factor,
                profit=format_value(float(ranked.scale["profit"].sum()), "money", currency),
            )
        )
        widgets.show_table(
            _display(ranked.scale, columns),
            key="promotion_scale",
            file_name=f"promotion_scale_by_{by}",
            column_config=_config(columns, currency),
        )
    st.subheader("✂️ " + t("promotion.cut_title"))
    if ranked.all_pay:
        st.caption(t("promotion.cut_none"))
    elif ranked.judged == 0:
        st.caption(t("promotion.none_judged"))
    elif ranked.cut.empty:
        st.caption(t("promotion.cut_none_judged", count=len(ranked.unjudged)))
    else:
        st.markdown(t("promotion.cut_advice", loss=format_value(-float(ranked.cut["profit"].sum()), "money", currency)))
        widgets.show_table(
            _display(ranked.cut, columns),
            key="promotion_cut",
            file_name=f"promotion_cut_by_{by}",
            column_config=_config(columns, currency),
        )
    if not ranked.unjudged.empty:
        st.subheader("❔ " + t("promotion.unjudged_title"))
        st.markdown(
            t(
                "promotion.unjudged_advice",
                count=len(ranked.unjudged),
                spend=format_value(float(ranked.unjudged["spend"].sum()), "money", currency),
            )
        )
        unjudged_columns = [*keys, "spend", "status"]
        widgets.show_table(
            _display(ranked.unjudged, unjudged_columns),
            key="promotion_unjudged",
            file_name=f"promotion_unjudged_by_{by}",
            column_config=_config(unjudged_columns, currency),
        )
