"""The Overview page (metric labels and definitions come from shopdata/metrics/definitions.py)."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    # what is abnormal (alerts, shopdata/metrics/alerts.py)
    "overview.alerts.title": {"en": "What is abnormal", "zh": "异常"},
    "overview.alerts.intro": {
        "en": "The {shown} largest of {count} alerts of the period, by their money impact.",
        "zh": "本期 {count} 条异常中按金额影响最大的 {shown} 条。",
    },
    "overview.alerts.none": {
        "en": "Nothing abnormal among {count} judged figures of the period.",
        "zh": "本期已判断的 {count} 个数据点中没有异常。",
    },
    "overview.alerts.no_history": {
        "en": "Too little history to judge this period: a day needs the same weekday in at least 2 earlier weeks.",
        "zh": "历史数据不足，无法判断本期：每一天都需要之前至少 2 周同一星期几的数据。",
    },
    "overview.alerts.line": {
        "en": "{day} · {metric}, {segment} {arrow} {actual} — expected {expected} ({low} … {high}) · impact {impact}",
        "zh": "{day} · {metric}，{segment} {arrow} {actual} — 预期 {expected}（{low} … {high}）· 影响 {impact}",
    },
    "overview.alerts.store": {"en": "the store", "zh": "全店"},
    "overview.alerts.segment": {"en": "{dimension} {segment}", "zh": "{dimension} {segment}"},
    "overview.alerts.dimension.source": {"en": "source", "zh": "来源"},
    "overview.alerts.dimension.product": {"en": "product", "zh": "商品"},
    "overview.alerts.dimension.campaign": {"en": "campaign", "zh": "推广计划"},
    "overview.alerts.dimension.platform": {"en": "platform", "zh": "平台"},
    "overview.alerts.why.driver": {
        "en": "Mostly {driver} ({amount} of revenue)",
        "zh": "主要来自{driver}（销售额 {amount}）",
    },
    "overview.alerts.why.segment": {"en": "most in {segment}", "zh": "集中在{segment}"},
    "overview.alerts.why.none": {
        "en": "No driver or segment accounts for it.",
        "zh": "没有可归因的驱动因素或细分。",
    },
    "overview.alerts.reviewed": {"en": "reviewed", "zh": "已复盘"},
    "overview.alerts.open_review": {"en": "Open in Review", "zh": "在复盘中打开"},
    "overview.alerts.add_note": {"en": "Add a note", "zh": "添加备注"},
    "overview.alerts.note.cause": {"en": "Cause", "zh": "原因"},
    "overview.alerts.note.text": {"en": "What you found", "zh": "发现了什么"},
    "overview.alerts.note.save": {"en": "Save the note", "zh": "保存备注"},
    "overview.alerts.note.empty": {"en": "Write what you found first.", "zh": "请先填写发现的情况。"},
    "overview.trend.band": {"en": "{metric}: normal range", "zh": "{metric}：正常范围"},
    "overview.trend.alert_days": {"en": "{metric}: alert days", "zh": "{metric}：异常日"},
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
    "overview.empty.what": {"en": "traffic, sales, order or ad data", "zh": "流量、销售、订单或推广"},
    "overview.empty.traffic_what": {"en": "traffic and sales data", "zh": "流量和销售"},
    "overview.empty.ads_what": {"en": "ad data", "zh": "推广"},
    # built from the layouts table, so a new layout is named here without anyone editing this
    "overview.empty.traffic_exports": export_list({"traffic": ()}),
    "overview.empty.ads_exports": export_list({"ads": ()}),
    "overview.empty.both_exports": export_list({"traffic": (), "ads": (), "orders": ()}),
    # a period with orders and no traffic report: the figures that need one
    "overview.orders.source": {"en": "From your order export.", "zh": "来自您的订单导出。"},
    "overview.orders.intro": {
        "en": "No traffic report in this period, so revenue, orders, buyers and average order value come from your "
        "order export (the store's own records).",
        "zh": "本期没有流量报表，因此销售额、订单数、购买人数和笔单价来自您的订单导出（店铺自己的记录）。",
    },
    "overview.orders.needs_traffic": {
        "en": "Visitors and conversion rate need a traffic report: {exports}.",
        "zh": "访客数和转化率需要流量报表：{exports}。",
    },
    "overview.orders.needs_ads": {
        "en": "Ad spend and ROAS need an ad report: {exports}.",
        "zh": "推广花费和投入产出比需要推广报表：{exports}。",
    },
    # a period with both: the order export beside the traffic report
    "overview.beside.title": {"en": "Your order records", "zh": "您的订单记录"},
    "overview.beside.col.metric": {"en": "Figure", "zh": "指标"},
    "overview.beside.col.report": {"en": "Traffic report", "zh": "流量报表"},
    "overview.beside.col.records": {"en": "Order export", "zh": "订单导出"},
    "overview.beside.col.difference": {"en": "Difference", "zh": "差额"},
    "overview.beside.col.difference_pct": {"en": "Difference %", "zh": "差异率"},
    "overview.beside.missing": {
        "en": "one of the two exports has no such figure.",
        "zh": "其中一个导出没有该指标。",
    },
    "overview.beside.revenue": {
        "en": "Your order export's revenue is {difference} ({pct}) against the traffic report's.",
        "zh": "订单导出的销售额与流量报表相差 {difference}（{pct}）。",
    },
    "overview.beside.why": {
        "en": "Platform analytics and the store's own records rarely match exactly: analytics count orders by "
        "payment time and may include or exclude refunds, cancelled orders and orders outside the shop's "
        "channels; the order export counts by the day the order was placed.",
        "zh": "平台数据分析与店铺自己的订单记录很少完全一致：生意参谋等按付款时间统计，可能包含或剔除退款、"
        "取消的订单以及店铺渠道以外的订单；订单导出按下单日统计。",
    },
    "overview.beside.same_days": {
        "en": "Both cover the same {days} days ({span}).",
        "zh": "两者覆盖相同的 {days} 天（{span}）。",
    },
    "overview.beside.other_days": {
        "en": "They cover different days — the traffic report {report_days} days ({report_span}), the order export "
        "{order_days} days ({order_span}) — so part of the difference is the days one of them lacks.",
        "zh": "两者覆盖的日期不同：流量报表 {report_days} 天（{report_span}），订单导出 {order_days} 天"
        "（{order_span}），差额中有一部分来自其中一方缺少的日期。",
    },
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
    "overview.missing.in_order_records": {
        "en": "None of this period's traffic and sales reports has a “{metric}” column; your order export's "
        "figure is under “Your order records” below (counted from your own orders, so it can differ).",
        "zh": "本期的流量和销售报表都没有“{metric}”列；订单导出中的数字见下方“您的订单记录”（按店铺自己的订单统计，可能与报表不同）。",
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
    "overview.trend.orders_title": {
        "en": "Revenue and paid orders by day (from your order export)",
        "zh": "每日销售额与支付订单数（来自订单导出）",
    },
    "overview.trend.current": {"en": "{metric}", "zh": "{metric}"},
    "overview.trend.comparison": {"en": "{metric}, {span} (comparison)", "zh": "{metric}（对比期 {span}）"},
    "overview.trend.comparison_day": {"en": "(comparison)", "zh": "（对比期）"},
    "overview.trend.aligned": {
        "en": "Dashed lines: the comparison period {span}, drawn over this period {current} day by day — its first "
        "day over this period's first day. Hover a point to see the day it belongs to.",
        "zh": "虚线为对比期间 {span}，与本期 {current} 逐日对齐（对比期第一天对齐本期第一天）。"
        "鼠标悬停可查看每个点所属的日期。",
    },
    # decomposition
    "overview.decomp.title": {"en": "Why revenue changed", "zh": "销售额变化拆解"},
    "overview.decomp.formula": {
        "en": "Revenue = visitors × conversion rate × revenue per buyer",
        "zh": "销售额 = 访客数 × 转化率 × 客单价",
    },
    "overview.decomp.formula_orders": {
        "en": "The traffic report cannot split this change (no visitors, no paying buyers, or no revenue in one of the "
        "periods), so revenue from your order export is split: revenue = paid orders × average order value (per order)",
        "zh": "流量报表无法拆解此变化（其中一期没有访客数、支付买家数或销售额），因此按订单导出的销售额拆解："
        "销售额 = 支付订单数 × 笔单价（按订单）",
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
        "en": "How the change is shared out (the LMDI method): measured on a logarithmic scale, revenue's growth is "
        "exactly the sum of the growths of visitors, conversion rate and revenue per buyer; each driver gets the "
        "part of the revenue change that its growth is of that sum. So the three parts add up exactly to the change, "
        "and the order of the drivers does not matter.",
        "zh": "变化的分配方法（LMDI 对数平均迪氏指数法）：按对数尺度衡量增长时，销售额的增长恰好等于访客数、转化率、"
        "客单价三者增长之和；每个因素按其增长占这一总和的比例分得销售额变化。因此三部分之和恰好等于销售额变化，"
        "且与因素的先后顺序无关。",
    },
    "overview.decomp.method.sequential": {
        "en": "A driver is zero or missing in one period, so the split uses sequential substitution (visitors first, "
        "then conversion rate, then revenue per buyer); the three parts still add up exactly to the change.",
        "zh": "某个因素在其中一期为零或缺失，因此采用连环替代法（依次替换访客数、转化率、客单价）拆分；三部分之和仍恰好等于销售额变化。",
    },
    "overview.decomp.method_orders.lmdi": {
        "en": "How the change is shared out (the LMDI method): on a logarithmic scale revenue's growth is exactly the "
        "growth of paid orders plus that of the average order value; each gets the part of the revenue change that "
        "its growth is of that sum, so the two parts add up exactly to the change.",
        "zh": "变化的分配方法（LMDI 对数平均迪氏指数法）：按对数尺度，销售额的增长恰好等于支付订单数与笔单价的增长之和；"
        "各因素按其增长占该总和的比例分得销售额变化，因此两部分之和恰好等于销售额变化。",
    },
    "overview.decomp.method_orders.sequential": {
        "en": "Paid orders are zero in one period, so the split uses sequential substitution (paid orders first, then "
        "average order value); the two parts still add up exactly to the change.",
        "zh": "其中一期支付订单数为零，因此采用连环替代法（先替换支付订单数，再替换笔单价）拆分；两部分之和仍恰好等于销售额变化。",
    },
    "overview.decomp.unavailable": {
        "en": "Splitting the change needs revenue in both periods and what accounts for it: visitors and paying "
        "buyers from a traffic report, or paid orders from an order export.",
        "zh": "拆解变化需要两个期间都有销售额，以及能解释它的数据：流量报表的访客数和支付买家数，或订单导出的支付订单。",
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
    "overview.factor.aov.up": {"en": "higher revenue per buyer", "zh": "客单价提高"},
    "overview.factor.aov.down": {"en": "lower revenue per buyer", "zh": "客单价降低"},
    "overview.factor.aov.same": {"en": "same revenue per buyer", "zh": "客单价持平"},
    "overview.factor.paid_orders.up": {"en": "more paid orders", "zh": "支付订单增加"},
    "overview.factor.paid_orders.down": {"en": "fewer paid orders", "zh": "支付订单减少"},
    "overview.factor.paid_orders.same": {"en": "same paid orders", "zh": "支付订单持平"},
    "overview.factor.order_aov.up": {"en": "higher average order value", "zh": "笔单价提高"},
    "overview.factor.order_aov.down": {"en": "lower average order value", "zh": "笔单价降低"},
    "overview.factor.order_aov.same": {"en": "same average order value", "zh": "笔单价持平"},
    # movers
    "overview.movers.title": {"en": "What moved", "zh": "主要变化"},
    "overview.movers.intro": {
        "en": "The {top} biggest changes against the comparison period.",
        "zh": "与对比期间相比变化最大的 {top} 项。",
    },
    "overview.movers.sources": {"en": "Traffic sources", "zh": "流量来源"},
    "overview.movers.products": {"en": "Products", "zh": "商品"},
    "overview.movers.campaigns": {"en": "Ad campaigns", "zh": "推广计划"},
    "overview.movers.order_products": {"en": "Products (orders)", "zh": "商品（订单）"},
    "overview.movers.order_regions": {"en": "Regions (orders)", "zh": "地区（订单）"},
    "overview.movers.order_channels": {"en": "Channels (orders)", "zh": "渠道（订单）"},
    "overview.movers.what.order_products": {"en": "products", "zh": "商品"},
    "overview.movers.what.order_regions": {"en": "regions", "zh": "地区"},
    "overview.movers.what.order_channels": {"en": "channels", "zh": "渠道"},
    "overview.movers.from_orders": {
        "en": "The traffic and ad reports have nothing to compare here, so these come from your order export.",
        "zh": "流量和推广报表在此没有可对比的数据，因此以下来自您的订单导出。",
    },
    "overview.movers.what.sources": {"en": "traffic sources", "zh": "流量来源"},
    "overview.movers.what.products": {"en": "products", "zh": "商品"},
    "overview.movers.what.campaigns": {"en": "ad campaigns", "zh": "推广计划"},
    "overview.movers.ranked_by": {
        "en": "{count} {what} compared, ranked by the change in {metric}.",
        "zh": "共对比 {count} 个{what}，按{metric}的变化排序。",
    },
    "overview.movers.none_changed": {
        "en": "{count} {what} compared: none of them changed in {metric} between the two periods.",
        "zh": "共对比 {count} 个{what}：两个期间内{metric}都没有变化。",
    },
    "overview.movers.no_rows": {
        "en": "Nothing compared: one of the two periods has no data of this kind, so {what} cannot be compared.",
        "zh": "未做对比：其中一个期间没有这类数据，因此无法对比{what}。",
    },
    "overview.movers.no_measure": {
        "en": "Nothing compared: these exports do not break their figures down by {what}.",
        "zh": "未做对比：这些导出文件没有按{what}细分的数据。",
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
    "overview.col.product": {"en": "Product", "zh": "商品"},
    "overview.col.region": {"en": "Region", "zh": "地区"},
    "overview.col.channel": {"en": "Channel", "zh": "渠道"},
    "overview.col.campaign": {"en": "Campaign", "zh": "推广计划"},
    "overview.col.previous": {"en": "{metric}, before", "zh": "{metric}（对比期）"},
    "overview.col.current": {"en": "{metric}, now", "zh": "{metric}（本期）"},
    "overview.col.change": {"en": "{metric} change", "zh": "{metric}变化"},
    "overview.col.change_pct": {"en": "{metric} change %", "zh": "{metric}变化率"},
    "overview.col.change_pct_missing": {
        "en": "nothing in the comparison period to measure the change against.",
        "zh": "对比期为零，无法计算变化率。",
    },
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "overview.movers.what.sources": {"by": "count", "en": "traffic source"},
    "overview.movers.what.products": {"by": "count", "en": "product"},
    "overview.movers.what.campaigns": {"by": "count", "en": "ad campaign"},
    "overview.movers.what.order_products": {"by": "count", "en": "product"},
    "overview.movers.what.order_regions": {"by": "count", "en": "region"},
    "overview.movers.what.order_channels": {"by": "count", "en": "channel"},
    "overview.movers.none_changed": {
        "by": "count",
        "en": "{count} {what} compared: it did not change in {metric} between the two periods.",
    },
    "overview.alerts.none": {"by": "count", "en": "Nothing abnormal in the {count} judged figure of the period."},
}
