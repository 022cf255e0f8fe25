"""The Overview page (metric labels and definitions come from shopdata/metrics/definitions.py)."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "overview.title": {"en": "Overview", "zh": "概览"},
    "overview.period": {"en": "{start} … {end}", "zh": "{start} … {end}"},
    "overview.period_vs": {
        "en": "{start} … {end}, compared with {cstart} … {cend}",
        "zh": "{start} … {end}，对比 {cstart} … {cend}",
    },
    "overview.no_comparison_data": {
        "en": "The comparison period {start} … {end} has no data, so there is no change to show.",
        "zh": "对比期间 {start} … {end} 没有数据，因此无法显示变化。",
    },
    # empty states
    "overview.empty.what": {"en": "traffic, sales or ad data", "zh": "流量、销售或推广"},
    "overview.empty.traffic_what": {"en": "traffic and sales data", "zh": "流量和销售"},
    "overview.empty.ads_what": {"en": "ad data", "zh": "推广"},
    # built from the layouts table, so a new layout is named here without anyone editing this
    "overview.empty.traffic_exports": export_list({"traffic": ()}),
    "overview.empty.ads_exports": export_list({"ads": ()}),
    "overview.empty.both_exports": export_list({"traffic": (), "ads": ()}),
    # why a card is empty (shopdata.metrics.overview.missing_reason)
    "overview.missing.no_column.traffic": {
        "en": "None of this period's traffic and sales reports has a “{metric}” column, so there is no "
        "figure to show (no other figure stands in for it).",
        "zh": "本期的流量和销售报表都没有“{metric}”列，因此没有数据可显示（不会用其他指标代替）。",
    },
    "overview.missing.no_column.ads": {
        "en": "None of this period's ad reports has a “{metric}” column, so there is no figure to show.",
        "zh": "本期的推广报表都没有“{metric}”列，因此没有数据可显示。",
    },
    "overview.missing.no_rows.traffic": {
        "en": "No traffic and sales data in this period.",
        "zh": "本期没有流量和销售数据。",
    },
    "overview.missing.no_rows.ads": {"en": "No ad data in this period.", "zh": "本期没有推广数据。"},
    "overview.missing.summary": {"en": "**{metric}** shows —: {reason}", "zh": "**{metric}** 显示为 —：{reason}"},
    # trend
    "overview.trend.title": {"en": "Revenue and visitors by day", "zh": "每日销售额与访客数"},
    "overview.trend.spend_title": {"en": "Ad spend by day", "zh": "每日推广花费"},
    "overview.trend.current": {"en": "{metric}", "zh": "{metric}"},
    "overview.trend.comparison": {"en": "{metric} (comparison)", "zh": "{metric}（对比期）"},
    "overview.trend.aligned": {
        "en": "Dashed lines: the comparison period, day by day from its first day.",
        "zh": "虚线为对比期间，按第几天与本期逐日对齐。",
    },
    # decomposition
    "overview.decomp.title": {"en": "Why revenue changed", "zh": "销售额变化拆解"},
    "overview.decomp.formula": {
        "en": "Revenue = visitors × conversion rate × 客单价 (revenue per buyer)",
        "zh": "销售额 = 访客数 × 转化率 × 客单价",
    },
    "overview.decomp.previous": {"en": "Comparison period", "zh": "对比期销售额"},
    "overview.decomp.current": {"en": "This period", "zh": "本期销售额"},
    "overview.decomp.chart": {"en": "Revenue change by driver", "zh": "销售额变化的驱动因素"},
    "overview.decomp.rose": {"en": "Revenue rose {amount}: {parts}.", "zh": "销售额增加 {amount}：{parts}。"},
    "overview.decomp.fell": {"en": "Revenue fell {amount}: {parts}.", "zh": "销售额减少 {amount}：{parts}。"},
    "overview.decomp.flat": {"en": "Revenue did not change: {parts}.", "zh": "销售额没有变化：{parts}。"},
    "overview.decomp.part": {"en": "{factor} {amount}", "zh": "{factor} {amount}"},
    "overview.decomp.sep": {"en": ", ", "zh": "，"},
    "overview.decomp.method.lmdi": {
        "en": "Split with the logarithmic mean (LMDI) method: each driver gets the revenue change × ln(its ratio) ÷ "
        "ln(revenue ratio), so the three parts add up exactly to the change and the order does not matter.",
        "zh": "采用对数平均迪氏指数法（LMDI）拆分：每个因素分得 销售额变化 × ln(该因素之比) ÷ ln(销售额之比)，"
        "三部分之和恰好等于销售额变化，且与先后顺序无关。",
    },
    "overview.decomp.method.sequential": {
        "en": "A driver is zero or missing in one period, so the split uses sequential substitution (visitors first, "
        "then conversion rate, then 客单价); the three parts still add up exactly to the change.",
        "zh": "某个因素在其中一期为零或缺失，因此采用连环替代法（依次替换访客数、转化率、客单价）拆分；三部分之和仍恰好等于销售额变化。",
    },
    "overview.decomp.unavailable": {
        "en": "Revenue in both periods is needed to split the change.",
        "zh": "需要两个期间都有销售额数据才能拆解变化。",
    },
    "overview.decomp.no_comparison": {
        "en": "Choose a comparison in the sidebar to see why revenue changed.",
        "zh": "请在侧边栏选择对比期间，以查看销售额变化的原因。",
    },
    "overview.factor.visitors.up": {"en": "more visitors", "zh": "访客增加"},
    "overview.factor.visitors.down": {"en": "fewer visitors", "zh": "访客减少"},
    "overview.factor.visitors.same": {"en": "same visitors", "zh": "访客持平"},
    "overview.factor.conversion_rate.up": {"en": "higher conversion", "zh": "转化率提升"},
    "overview.factor.conversion_rate.down": {"en": "lower conversion", "zh": "转化率下降"},
    "overview.factor.conversion_rate.same": {"en": "same conversion", "zh": "转化率持平"},
    "overview.factor.aov.up": {"en": "higher 客单价", "zh": "客单价提高"},
    "overview.factor.aov.down": {"en": "lower 客单价", "zh": "客单价降低"},
    "overview.factor.aov.same": {"en": "same 客单价", "zh": "客单价持平"},
    # movers
    "overview.movers.title": {"en": "What moved", "zh": "主要变化"},
    "overview.movers.intro": {
        "en": "The {top} biggest changes against the comparison period.",
        "zh": "与对比期间相比变化最大的 {top} 项。",
    },
    "overview.movers.sources": {"en": "Traffic sources (by revenue)", "zh": "流量来源（按销售额）"},
    "overview.movers.products": {"en": "Products (by revenue)", "zh": "商品（按销售额）"},
    "overview.movers.campaigns": {"en": "Ad campaigns (by spend)", "zh": "推广计划（按花费）"},
    "overview.movers.none": {
        "en": "Nothing changed here, or there is no data of this kind for the two periods.",
        "zh": "此项没有变化，或两个期间都没有这类数据。",
    },
    "overview.movers.no_comparison": {
        "en": "Choose a comparison in the sidebar to see what moved.",
        "zh": "请在侧边栏选择对比期间，以查看主要变化。",
    },
    "overview.col.platform": {"en": "Platform", "zh": "平台"},
    "overview.col.source_1": {"en": "Channel", "zh": "一级来源"},
    "overview.col.source_2": {"en": "Source", "zh": "二级来源"},
    "overview.col.product_id": {"en": "Product ID", "zh": "商品ID"},
    "overview.col.product_name": {"en": "Product", "zh": "商品名称"},
    "overview.col.campaign": {"en": "Campaign", "zh": "推广计划"},
    "overview.col.previous": {"en": "{metric}, before", "zh": "{metric}（对比期）"},
    "overview.col.current": {"en": "{metric}, now", "zh": "{metric}（本期）"},
    "overview.col.change": {"en": "{metric} change", "zh": "{metric}变化"},
    "overview.col.change_pct": {"en": "{metric} change %", "zh": "{metric}变化率"},
}
