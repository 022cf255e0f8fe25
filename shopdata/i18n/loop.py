"""The daily loop's stored parts: 复盘 note causes, activity kinds, monthly targets (shopdata/journal.py)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "loop.cause.activity": {"en": "Activity or promotion", "zh": "活动/促销"},
    "loop.cause.platform_rule": {"en": "Platform rule or algorithm change", "zh": "平台规则或算法调整"},
    "loop.cause.competitor": {"en": "Competitor", "zh": "竞品"},
    "loop.cause.stock_out": {"en": "Out of stock", "zh": "断货"},
    "loop.cause.price_change": {"en": "Price change", "zh": "调价"},
    "loop.cause.ad_change": {"en": "Ad change", "zh": "推广调整"},
    "loop.cause.technical": {"en": "Technical fault", "zh": "技术故障"},
    "loop.cause.other": {"en": "Other", "zh": "其他"},
    "loop.kind.festival": {"en": "Platform festival", "zh": "平台大促"},
    "loop.kind.own": {"en": "Own promotion", "zh": "店铺自有活动"},
    "loop.target.revenue": {"en": "Revenue", "zh": "销售额"},
    "loop.target.orders": {"en": "Orders", "zh": "订单数"},
    "loop.target.visitors": {"en": "Visitors", "zh": "访客数"},
    "loop.target.spend": {"en": "Ad spend budget", "zh": "推广预算"},
    "loop.target.roas": {"en": "ROAS", "zh": "投产比 (ROAS)"},
    "loop.targets.method": {
        "en": "Projection: the month so far at its daily run rate, carried to the month's end "
        "(ROAS: its value so far).",
        "zh": "预测方法：按本月至今的日均水平线性推算到月末（ROAS 取本月至今的值）。",
    },
    "loop.targets.progress": {
        "en": "Day {day} of {days}: {share} of the {metric} target, on pace for {projected}",
        "zh": "第 {day} / {days} 天：已完成{metric}目标的 {share}，按当前进度预计完成 {projected}",
    },
}
