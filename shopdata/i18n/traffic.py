"""Traffic sources page."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "traffic.title": {"en": "Traffic sources", "zh": "流量来源"},
    "traffic.intro": {
        "en": "Where visitors came from and what they were worth. Level 1 is 生意参谋's first-level source, "
        "Shopify's referrer source and GA's medium; choose one to see the sources under it.",
        "zh": "访客从哪里来、价值多少。一级来源对应生意参谋的“一级来源”、Shopify 的 Referrer source "
        "和 GA 的 Medium；选择一个来源可查看其下级来源。",
    },
    "traffic.empty_what": {"en": "traffic by source", "zh": "流量来源"},
    "traffic.empty_exports": export_list({"traffic": ("source_1",)}),  # from the layouts table
    "traffic.level.1": {"en": "Level-1 source", "zh": "一级来源"},
    "traffic.level.2": {"en": "Level-2 source", "zh": "二级来源"},
    "traffic.level.3": {"en": "Level-3 source", "zh": "三级来源"},
    "traffic.level.4": {"en": "Level-4 source", "zh": "四级来源"},
    "traffic.all": {"en": "All", "zh": "全部"},
    "traffic.path": {"en": "Showing the sources under {path}.", "zh": "当前显示 {path} 下的来源。"},
    "traffic.no_children": {
        "en": "{source} has no lower-level sources in this period.",
        "zh": "{source} 在所选期间没有下级来源。",
    },
    "traffic.source": {"en": "Source", "zh": "来源"},
    "traffic.share": {"en": "Share of visitors", "zh": "访客占比"},
    "traffic.share_help": {
        "en": "A source's visitors ÷ the visitors of all sources in this table.",
        "zh": "该来源访客数 ÷ 本表全部来源的访客数。",
    },
    "traffic.table": {"en": "By source", "zh": "分来源数据"},
    "traffic.trend": {"en": "Daily visitors by source", "zh": "分来源每日访客数"},
    "traffic.other": {"en": "Other", "zh": "其他"},
    "traffic.date": {"en": "Date", "zh": "日期"},
    "traffic.changes": {"en": "Change vs {start} … {end}", "zh": "对比 {start} … {end} 的变化"},
    "traffic.no_comparison": {
        "en": "Choose a comparison period in the sidebar to see which sources gained or lost.",
        "zh": "在侧边栏选择对比周期，即可查看哪些来源增长或流失。",
    },
    "traffic.previous": {"en": "{label}, before", "zh": "{label}（对比期）"},
    "traffic.change_abs": {"en": "{label}, change", "zh": "{label}变化"},
    "traffic.change_pct": {"en": "{label}, change %", "zh": "{label}变化率"},
    "traffic.loss_title": {"en": "Traffic loss", "zh": "流量流失"},
    "traffic.loss_visitors": {"en": "Most visitors lost", "zh": "访客流失最多"},
    "traffic.loss_revenue": {"en": "Most revenue lost", "zh": "销售额流失最多"},
    "traffic.not_reported": {
        "en": "Not in these exports by source, so left out here: {measures}.",
        "zh": "这些导出文件没有按来源的以下数据，因此此处不显示：{measures}。",
    },
    "traffic.loss_not_reported": {"en": "{label}: not in these exports.", "zh": "{label}：导出文件中没有此数据。"},
    "traffic.loss_none_measure": {
        "en": "{label}: {count} sources compared, none lost any.",
        "zh": "{label}：共对比 {count} 个来源，没有来源下降。",
    },
    "traffic.loss_nothing_compared": {
        "en": "{label}: nothing compared — the comparison period has no sources with it.",
        "zh": "{label}：未做对比——对比期没有含此数据的来源。",
    },
    "traffic.change_pct_missing": {
        "en": "the source had none in the comparison period, so there is no change % (the change is all new).",
        "zh": "该来源在对比期为零，因此没有变化率（全部为新增）。",
    },
    "traffic.loss.visitors": {
        "en": "{source} lost the most visitors: {visitors} fewer ({visitors_pct}).",
        "zh": "访客流失最多的是 {source}：减少 {visitors}（{visitors_pct}）。",
    },
    "traffic.loss.revenue": {
        "en": "{source} lost the most revenue: {revenue} less ({revenue_pct}).",
        "zh": "销售额流失最多的是 {source}：减少 {revenue}（{revenue_pct}）。",
    },
    "traffic.loss.same": {
        "en": "{source} lost the most visitors and the most revenue: {visitors} fewer visitors "
        "({visitors_pct}) and {revenue} less revenue ({revenue_pct}).",
        "zh": "访客和销售额流失最多的都是 {source}：访客减少 {visitors}（{visitors_pct}），"
        "销售额减少 {revenue}（{revenue_pct}）。",
    },
    "traffic.loss.none": {
        "en": "{count} sources compared: none lost visitors or revenue against the comparison period.",
        "zh": "共对比 {count} 个来源：与对比期相比，没有来源的访客数或销售额下降。",
    },
    "traffic.loss.nothing_compared": {
        "en": "Nothing compared: the comparison period has no traffic by source here, so no loss can be seen.",
        "zh": "未做对比：对比期此处没有分来源的流量数据，因此无法判断是否流失。",
    },
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "traffic.loss.none": {
        "by": "count",
        "en": "{count} source compared: it lost no visitors or revenue against the comparison period.",
    },
    "traffic.loss_none_measure": {"by": "count", "en": "{label}: {count} source compared, it lost none."},
}
