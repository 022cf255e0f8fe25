"""The Promotion page: ad cost-effectiveness, break-even ROAS, what to scale and what to cut."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "promotion.title": {"en": "Promotion", "zh": "推广效果"},
    "promotion.intro": {
        "en": "Maximum turnover with the least ad spend: what the ads cost, what they brought back, "
        "and which of them pay for themselves at your gross margin.",
        "zh": "用最少的推广花费换取最大的成交：花了多少、带回多少，以及按您的毛利率哪些推广能赚回成本。",
    },
    "promotion.empty_what": {"en": "ad data", "zh": "推广"},
    "promotion.empty_exports": export_list({"ads": ()}),  # from the layouts table
    "promotion.no_comparison_data": {
        "en": "The comparison period {start} … {end} has no ad data, so the cards show no change.",
        "zh": "对比期 {start} … {end} 没有推广数据，因此卡片上没有变化幅度。",
    },
    # trend
    "promotion.trend_money": {"en": "Spend and ad revenue per day", "zh": "每日花费与推广成交金额"},
    "promotion.trend_roas": {"en": "ROAS per day and break-even ROAS", "zh": "每日投产比与保本投产比"},
    "promotion.col.date": {"en": "Date", "zh": "日期"},
    "promotion.col.series": {"en": "Series", "zh": "指标"},
    "promotion.series.break_even": {"en": "Break-even ROAS", "zh": "保本投产比"},
    "promotion.no_daily": {
        "en": "These ad reports cover a whole period, not single days, so there is no daily trend.",
        "zh": "这些推广报表按整段时间汇总，没有按天的数据，因此无法显示每日趋势。",
    },
    # attribution
    "promotion.attribution_title": {"en": "Attribution windows", "zh": "归因窗口"},
    "promotion.attribution_intro": {
        "en": "Platforms credit sales to ads over different windows after the click, so "
        "compare ROAS across platforms with that in mind.",
        "zh": "各平台把点击后多长时间内的成交算给广告各不相同，跨平台比较投产比时请留意。",
    },
    "promotion.attribution_line": {"en": "**{platform}**: {windows}", "zh": "**{platform}**：{windows}"},
    "promotion.attribution_days": {"en": "{days}-day attribution", "zh": "{days} 天归因"},
    "promotion.attribution_other": {"en": "attribution {window}", "zh": "归因 {window}"},
    "promotion.attribution_unstated": {
        "en": "attribution window not stated in the export",
        "zh": "导出文件未注明归因窗口",
    },
    "promotion.attribution_campaigns": {"en": "{window} ({count} campaigns)", "zh": "{window}（{count} 个计划）"},
    "promotion.attribution_differs": {
        "en": "The platforms here use different attribution windows: a longer window "
        "credits more sales to the ads, so a higher ROAS there is not by itself "
        "a better campaign.",
        "zh": "这些平台的归因窗口不同：窗口越长，算给广告的成交越多，因此那里较高的投产比本身并不代表推广更好。",
    },
    # margin
    "promotion.margin_title": {"en": "Gross margin and break-even", "zh": "毛利率与保本投产比"},
    "promotion.margin_help": {
        "en": "Gross margin before ads: (price − cost of goods − platform fees − shipping) ÷ "
        "price. Break-even ROAS = 1 ÷ margin. Per-product margins apply to the product "
        "breakdown; every other row uses the store's margin.",
        "zh": "推广前毛利率 =（售价 − 商品成本 − 平台扣点 − 运费）÷ 售价。保本投产比 = 1 ÷ 毛利率。"
        "按商品填写的毛利率用于“按商品”查看；其他行使用店铺毛利率。",
    },
    "promotion.margin_default": {"en": "Store gross margin before ads (%)", "zh": "店铺推广前毛利率（%）"},
    "promotion.margin_products": {
        "en": "Per-product gross margin (%) — leave empty to use the store's",
        "zh": "按商品的毛利率（%）——留空则使用店铺毛利率",
    },
    "promotion.margin_save": {"en": "Save margins", "zh": "保存毛利率"},
    "promotion.margin_saved": {"en": "Margins saved for {store}.", "zh": "已为 {store} 保存毛利率。"},
    "promotion.margin_assumed": {
        "en": "No margin entered yet: using {margin} (break-even ROAS {break_even}). "
        "Enter yours under “Gross margin and break-even”.",
        "zh": "尚未填写毛利率：暂按 {margin} 计算（保本投产比 {break_even}）。请在“毛利率与保本投产比”中填写您的毛利率。",
    },
    "promotion.margin_summary": {
        "en": "At a {margin} gross margin the break-even ROAS is **{break_even}**. "
        "This period's ads returned ROAS **{roas}**: **{profit}** after ad spend.",
        "zh": "按 {margin} 的毛利率，保本投产比为 **{break_even}**。本期推广投产比为 **{roas}**，"
        "扣除推广花费后利润为 **{profit}**。",
    },
    "promotion.no_sales_value": {
        "en": "This period's ads report no sales value: {spend} was spent, but the exports have no revenue "
        "column, so whether the ads pay for themselves cannot be judged. Upload a report with the ads' "
        "sales (conversion value / purchases value) to judge them.",
        "zh": "本期推广没有报告成交金额：花费 {spend}，但导出文件没有成交金额列，因此无法判断推广能否赚回花费。"
        "请上传带有推广成交金额（转化价值 / 购买价值）的报表后再判断。",
    },
    "promotion.summary_includes_unjudged": {
        "en": "This includes {spend} spent by {count} campaigns whose exports report no sales value: their "
        "revenue is unknown, not zero (see “Cannot judge” below).",
        "zh": "其中包括 {count} 个计划的 {spend} 花费，这些计划的导出文件没有成交金额：其成交未知，并非为零（见下方“无法判断”）。",
    },
    "promotion.col.product_name": {"en": "Product name", "zh": "商品名称"},
    "promotion.col.margin_pct": {"en": "Gross margin (%)", "zh": "毛利率（%）"},
    # breakdown
    "promotion.breakdown_title": {
        "en": "By platform, campaign, ad group, keyword or product",
        "zh": "按平台、计划、单元、关键词或商品",
    },
    "promotion.by": {"en": "Break down by", "zh": "查看维度"},
    "promotion.by.platform": {"en": "Platform", "zh": "平台"},
    "promotion.by.campaign": {"en": "Campaign", "zh": "计划"},
    "promotion.by.ad_group": {"en": "Ad group", "zh": "单元 / 广告组"},
    "promotion.by.keyword": {"en": "Keyword", "zh": "关键词"},
    "promotion.by.product": {"en": "Product", "zh": "商品"},
    "promotion.breakdown_note": {
        "en": "Only ad rows that have a {breakdown} are counted here, so the rows can add up "
        "to less than the totals above.",
        "zh": "这里只统计带有“{breakdown}”的推广数据行，因此各行之和可能小于上方的合计。",
    },
    "promotion.no_rows": {
        "en": "None of this period's ad reports has a {breakdown} column. Upload a report at that "
        "level (e.g. a search-term, targeting or advertised-product report).",
        "zh": "本期的推广报表中没有“{breakdown}”列。请上传该层级的报表（如搜索词、投放或推广商品报表）。",
    },
    "promotion.col.attribution": {"en": "Attribution", "zh": "归因窗口"},
    "promotion.missing.cpa": {"en": "no conversions, so no cost per conversion.", "zh": "没有转化，因此没有转化成本。"},
    "promotion.missing.sales": {
        "en": "the ad report has no sales value (or no spend), so this cannot be judged.",
        "zh": "推广报表没有成交金额（或没有花费），因此无法判断。",
    },
    "promotion.missing.rate": {
        "en": "no impressions or clicks to divide by.",
        "zh": "没有展现或点击作为分母。",
    },
    "promotion.col.margin": {"en": "Gross margin", "zh": "毛利率"},
    "promotion.col.break_even_roas": {"en": "Break-even ROAS", "zh": "保本投产比"},
    "promotion.col.profit": {"en": "Profit after ad spend", "zh": "扣除推广费后利润"},
    "promotion.col.status": {"en": "vs break-even", "zh": "与保本线相比"},
    "promotion.status.above": {"en": "✅ above break-even", "zh": "✅ 高于保本线"},
    "promotion.status.below": {"en": "🔻 below break-even", "zh": "🔻 低于保本线"},
    "promotion.status.unjudged": {
        "en": "❔ cannot judge — the export has no sales value",
        "zh": "❔ 无法判断——导出文件没有成交金额",
    },
    "promotion.status.no_spend": {"en": "no spend to earn back", "zh": "没有需要赚回的花费"},
    # ranking
    "promotion.scale_title": {"en": "Scale", "zh": "加大投放"},
    "promotion.scale_advice": {
        "en": "These return at least {factor}× their break-even ROAS and earned {profit} "
        "after ad spend: raise their budgets or bids step by step, biggest profit first, "
        "and stop once ROAS nears break-even.",
        "zh": "这些推广的投产比至少是保本线的 {factor} 倍，扣除花费后共赚 {profit}：按利润从高到低"
        "逐步加预算或出价，投产比接近保本线时停止加码。",
    },
    "promotion.scale_none": {
        "en": "Nothing returns {factor}× its break-even ROAS yet: hold budgets and work on "
        "conversion before adding spend.",
        "zh": "目前没有投产比达到保本线 {factor} 倍的推广：先稳住预算、提升转化，再考虑加大投放。",
    },
    "promotion.cut_title": {"en": "Cut", "zh": "削减或暂停"},
    "promotion.cut_advice": {
        "en": "These return less than their break-even ROAS and lost {loss} after ad spend: "
        "lower bids, narrow the targeting or pause them, biggest loss first.",
        "zh": "这些推广的投产比低于保本线，扣除花费后共亏 {loss}：按亏损从大到小降低出价、收窄定向或暂停。",
    },
    "promotion.cut_none": {
        "en": "Everything here pays for its ad spend at your margin.",
        "zh": "按您的毛利率，这里所有推广都能赚回推广花费。",
    },
    "promotion.cut_none_judged": {
        "en": "None of the rows that could be judged is below break-even; {count} could not be judged "
        "(listed under “Cannot judge”), so this is not an all-clear.",
        "zh": "可判断的推广中没有低于保本线的；另有 {count} 项无法判断（见“无法判断”），因此这并不代表全部赚回了花费。",
    },
    "promotion.none_judged": {
        "en": "Nothing here could be judged: no row with ad spend reports a sales value.",
        "zh": "这里没有可判断的推广：有花费的行都没有报告成交金额。",
    },
    "promotion.unjudged_title": {"en": "Cannot judge", "zh": "无法判断"},
    "promotion.unjudged_advice": {
        "en": "These {count} spent {spend}, but their exports have no sales value (no revenue column), so "
        "whether they pay for their ad spend cannot be judged. They are counted neither as paying nor as "
        "losing.",
        "zh": "这 {count} 项共花费 {spend}，但导出文件没有成交金额（没有成交金额列），因此无法判断能否赚回推广花费；"
        "既不算作赚回，也不算作亏损。",
    },
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "promotion.attribution_campaigns": {"by": "count", "en": "{window} ({count} campaign)"},
    "promotion.summary_includes_unjudged": {
        "by": "count",
        "en": "This includes {spend} spent by {count} campaign whose export reports no sales value: its revenue is "
        "unknown, not zero (see “Cannot judge” below).",
    },
    "promotion.unjudged_advice": {
        "by": "count",
        "en": "This {count} spent {spend}, but its export has no sales value (no revenue column), so whether it pays "
        "for its ad spend cannot be judged. It is counted neither as paying nor as losing.",
    },
}
