"""The Orders page: the store's own order exports."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "nav.orders": {"en": "Orders", "zh": "订单分析"},
    "orders.title": {"en": "Orders", "zh": "订单分析"},
    "orders.intro": {
        "en": "From the store's own order exports, by the day each order was placed. These are the store's records; "
        "platform analytics (生意参谋, Shopify Analytics) count differently and usually come out a little apart.",
        "zh": "来自店铺自己的订单报表，按下单日期统计。这是店铺自己的记录；平台数据（生意参谋、Shopify Analytics）"
        "的口径不同，数字通常略有出入。",
    },
    "orders.what": {"en": "order export", "zh": "订单报表"},
    "orders.exports": export_list({"orders": ()}),  # from the layouts table
    "orders.period": {"en": "{start} – {end}", "zh": "{start} 至 {end}"},
    "orders.period_vs": {
        "en": "{start} – {end}, compared with {cstart} – {cend}",
        "zh": "{start} 至 {end}，对比 {cstart} 至 {cend}",
    },
    "orders.no_comparison_data": {
        "en": "The comparison period {start} – {end} has no orders: the figures are shown without a change.",
        "zh": "对比期 {start} 至 {end} 没有订单，指标不显示变化。",
    },
    "orders.aov_note": {
        "en": "Average order value is per order (revenue ÷ paid orders). Revenue per buyer in platform analytics "
        "(生意参谋) is per paying buyer, so a buyer with two orders makes the two differ.",
        "zh": "笔单价按订单计（销售额 ÷ 支付订单数）；平台数据中的客单价按买家计（销售额 ÷ 支付买家数），"
        "一位买家下两单时两者会不同。",
    },
    "orders.grain": {"en": "Show by", "zh": "时间粒度"},
    "orders.grain.day": {"en": "Day", "zh": "按日"},
    "orders.grain.week": {"en": "Week", "zh": "按周"},
    "orders.grain.month": {"en": "Month", "zh": "按月"},
    "orders.unit.day": {"en": "day", "zh": "日"},
    "orders.unit.week": {"en": "week", "zh": "周"},
    "orders.unit.month": {"en": "month", "zh": "月"},
    "orders.trend.title.day": {"en": "Paid revenue and paid orders by day", "zh": "每日销售额与支付订单数"},
    "orders.trend.title.week": {"en": "Paid revenue and paid orders by week", "zh": "每周销售额与支付订单数"},
    "orders.trend.title.month": {"en": "Paid revenue and paid orders by month", "zh": "每月销售额与支付订单数"},
    "orders.trend.bucket_note": {
        "en": "Weeks start on Monday and months on the 1st; the first and last may be partial (only the period's "
        "days count). The comparison's n-th {grain} is drawn at this period's n-th.",
        "zh": "每周从周一开始，每月从 1 日开始；首尾两段可能不完整（只计期间内的日期）。对比期的第 n 个{grain}画在本期第 n 个{grain}处。",
    },
    "orders.stages.title": {"en": "Placed → paid → refunded", "zh": "下单 → 付款 → 退款"},
    "orders.stage.placed": {"en": "Orders placed", "zh": "下单订单数"},
    "orders.stage.paid": {"en": "Paid", "zh": "已付款"},
    "orders.stage.refunded": {"en": "With a refund", "zh": "有退款"},
    "orders.stages.sentence": {
        "en": "{paid} of {placed} orders placed were paid ({rate}); {unpaid} were left unpaid. {refunded} paid "
        "orders had money refunded ({refunded_share} of paid orders; {refund_rate} of revenue).",
        "zh": "{placed} 笔下单中 {paid} 笔已付款（{rate}），{unpaid} 笔未付款。{refunded} 笔已付款订单发生退款"
        "（占支付订单 {refunded_share}，退款金额占销售额 {refund_rate}）。",
    },
    "orders.stages.no_refund_column": {
        "en": "The loaded order exports have no refund column, so refunds cannot be shown.",
        "zh": "已导入的订单报表没有退款金额列，无法显示退款。",
    },
    "orders.buyers.title": {"en": "New and returning buyers", "zh": "新老买家"},
    "orders.buyers.none": {
        "en": "The order exports in this period have no buyer IDs, so buyers, new and returning buyers, repeat "
        "rates and cohorts cannot be counted. Exports with a buyer column: the Tmall/Taobao order "
        "report (buyer nickname), Shopify orders (Email), Olist (customer_id).",
        "zh": "期间内的订单报表没有买家 ID，无法统计买家数、新老买家、复购率和同期群。含买家列的报表：天猫/淘宝订单报表"
        "（买家会员名）、Shopify 订单导出（Email）、Olist（customer_id）。",
    },
    "orders.buyers.caption": {
        "en": "A buyer is new in the {grain} of their first paid order in everything loaded for the store, and "
        "returning after that.",
        "zh": "买家在店铺全部已导入数据中首次付款下单所在的那一{grain}计为新买家，之后计为老买家。",
    },
    "orders.buyers.axis": {"en": "Buyers", "zh": "买家数"},
    "orders.buyers.series": {"en": "Buyers", "zh": "买家"},
    "orders.cohort.title": {"en": "Cohorts: who comes back", "zh": "同期群：买家回购"},
    "orders.cohort.caption": {
        "en": "Rows: buyers by the month of their first paid order (in the period). Columns: months since; each "
        "cell is the share of the row's buyers with a paid order in that month (month 0 counts a second order "
        "in the first month). Months after the data's last day are empty.",
        "zh": "行：按首次付款月份（在期间内）分组的买家；列：首单后的第几个月；每格为该组买家中在那个月再次付款下单的比例"
        "（第 0 月指首单当月的第二笔订单）。数据最后一天之后的月份为空。",
    },
    "orders.cohort.cohort": {"en": "First order", "zh": "首单月份"},
    "orders.cohort.buyers": {"en": "Buyers", "zh": "买家数"},
    "orders.cohort.month": {"en": "Month {n}", "zh": "第 {n} 月"},
    "orders.cohort.not_yet": {
        "en": "this month lies after the last day of the data.",
        "zh": "该月份晚于数据的最后一天。",
    },
    "orders.cohort.empty": {
        "en": "No buyer's first paid order falls in this period.",
        "zh": "期间内没有买家的首笔付款订单。",
    },
    "orders.breakdown.title": {"en": "Breakdowns", "zh": "分维度"},
    "orders.by.region": {"en": "Region", "zh": "地区"},
    "orders.by.channel": {"en": "Channel", "zh": "渠道"},
    "orders.by.status": {"en": "Status", "zh": "订单状态"},
    "orders.by.product": {"en": "Product", "zh": "商品"},
    "orders.by.none.region": {
        "en": "The order exports in this period have no ship-to region. Exports with one: the Tmall/Taobao order "
        "report (shipping address), Amazon order reports (ship-state), Shopify orders (Shipping Province).",
        "zh": "期间内的订单报表没有收货地区。含地区的报表：天猫/淘宝订单报表（收货地址）、亚马逊订单报告"
        "（ship-state）、Shopify 订单导出（Shipping Province）。",
    },
    "orders.by.none.channel": {
        "en": "The order exports in this period have no sales channel. Exports with one: Amazon order reports "
        "(Fulfilment), Shopify orders (Source).",
        "zh": "期间内的订单报表没有销售渠道。含渠道的报表：亚马逊订单报告（Fulfilment）、Shopify 订单导出（Source）。",
    },
    "orders.by.none.status": {
        "en": "The order exports in this period have no order status. Exports with one: the Tmall/Taobao order "
        "report (order status), Amazon order reports (Status), Shopify orders (Financial Status), Olist (order_status).",
        "zh": "期间内的订单报表没有订单状态。含状态的报表：天猫/淘宝订单报表（订单状态）、亚马逊订单报告（Status）、"
        "Shopify 订单导出（Financial Status）、Olist（order_status）。",
    },
    "orders.by.none.product": {
        "en": "The order exports in this period name no product (ID, SKU or title).",
        "zh": "期间内的订单报表没有商品信息（商品 ID、SKU 或标题）。",
    },
    "orders.region.chart": {"en": "Paid revenue by region (top {top})", "zh": "各地区销售额（前 {top}）"},
    "orders.hours.title": {"en": "Orders by hour and weekday", "zh": "各时段下单分布"},
    "orders.hours.caption": {
        "en": "Orders placed in each hour of each weekday over the period, by the order's creation time as the "
        "platform exported it (its own clock).",
        "zh": "期间内每个星期几、每个小时的下单数，按平台导出的下单时间（平台时区）。",
    },
    "orders.hours.none": {
        "en": "The order exports in this period give no time of day for their orders.",
        "zh": "期间内的订单报表没有下单的具体时刻。",
    },
    "orders.hours.hour": {"en": "Hour", "zh": "小时"},
    "orders.hours.weekday": {"en": "Weekday", "zh": "星期"},
    "orders.hours.orders": {"en": "Orders", "zh": "订单数"},
    "orders.weekdays": {"en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "zh": "周一,周二,周三,周四,周五,周六,周日"},
    "orders.refunds.title": {"en": "Refunds by product", "zh": "各商品退款"},
    "orders.refunds.reason": {
        "en": "Refund reasons: — none of the order exports Shopdata reads carries a refund reason (on Tmall/Taobao "
        "it is in the separate refund report, which Shopdata does not read yet).",
        "zh": "退款原因：— Shopdata 读取的订单报表都不含退款原因（天猫/淘宝的退款原因在单独的退款报表中，Shopdata 暂不读取）。",
    },
    "orders.refunds.none": {"en": "No refunds on this period's orders.", "zh": "期间内的订单没有退款。"},
    "orders.col.refund_rate_missing": {
        "en": "no paid revenue for this row.",
        "zh": "此行没有销售额。",
    },
    "orders.col.buyers_missing": {
        "en": "the export has no buyer IDs.",
        "zh": "报表没有买家 ID。",
    },
    "ui.working.orders": {"en": "Counting the orders…", "zh": "正在统计订单…"},
    "ui.working.cohorts": {"en": "Following each buyer's orders…", "zh": "正在追踪每位买家的订单…"},
}
