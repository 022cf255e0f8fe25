"""The conversion funnel page."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "funnel.title": {"en": "Conversion funnel", "zh": "转化漏斗"},
    "funnel.intro.events": {
        "en": "Distinct users at each stage, from the behaviour log. Favourites are counted beside the funnel: "
        "nobody has to favourite an item to buy it.",
        "zh": "来自行为日志的各环节去重人数。收藏不作为漏斗环节（购买无需先收藏），单独列出。",
    },
    "funnel.intro.exports": {
        "en": "Stage counts as the platforms' exports report them. Each stage is counted on its own (an open "
        "funnel); only the stages every platform in the funnel reports are shown.",
        "zh": "各环节数值取自平台导出报表，每个环节单独统计（开放漏斗）；只显示漏斗中所有平台都提供的环节。",
    },
    "funnel.what": {"en": "behaviour log or traffic export with funnel stages", "zh": "行为日志或含漏斗环节的流量"},
    "funnel.exports": export_list(
        {"events": (), "traffic": ("cart_users", "cart_rate", "checkout_sessions", "checkout_rate")}
    ),  # from the layouts table
    "funnel.source": {"en": "Funnel from", "zh": "漏斗数据来源"},
    "funnel.source.events": {"en": "Behaviour log (users)", "zh": "行为日志（按用户）"},
    "funnel.source.exports": {"en": "Platform exports", "zh": "平台导出报表"},
    "funnel.window": {"en": "Counting", "zh": "计算方式"},
    "funnel.window.open": {"en": "Open: any order", "zh": "开放漏斗：不限顺序"},
    "funnel.window.1h": {"en": "Closed: next step within 1 hour", "zh": "封闭漏斗：1 小时内完成下一步"},
    "funnel.window.1d": {"en": "Closed: next step within 1 day", "zh": "封闭漏斗：1 天内完成下一步"},
    "funnel.window.7d": {"en": "Closed: next step within 7 days", "zh": "封闭漏斗：7 天内完成下一步"},
    "funnel.window.period": {"en": "Closed: in order, within the period", "zh": "封闭漏斗：期间内按顺序完成"},
    "funnel.window.note.open": {
        "en": "Open funnel: everyone who did a stage in the period counts there, in any order.",
        "zh": "开放漏斗：期间内完成某环节的用户都计入该环节，不限顺序。",
    },
    "funnel.window.note.closed": {
        "en": "Closed funnel: from each user's first view, a user counts at a stage only when they reached it "
        "after the previous stage and within the window.",
        "zh": "封闭漏斗：从用户首次浏览算起，只有在上一环节之后、且在时间窗口内完成的环节才计入。",
    },
    "funnel.stage.view": {"en": "Viewed", "zh": "浏览"},
    "funnel.stage.cart": {"en": "Added to cart", "zh": "加购"},
    "funnel.stage.checkout": {"en": "Reached checkout", "zh": "进入结算"},
    "funnel.stage.purchase": {"en": "Purchased", "zh": "购买"},
    "funnel.stage.fav": {"en": "Favourited", "zh": "收藏"},
    "funnel.stage": {"en": "Stage", "zh": "环节"},
    "funnel.users": {"en": "Users", "zh": "人数"},
    "funnel.rate_from_previous": {"en": "From previous stage", "zh": "环节转化率"},
    "funnel.missing.first_stage": {
        "en": "the first stage has no stage before it.",
        "zh": "第一个环节之前没有环节。",
    },
    "funnel.missing.comparison": {
        "en": "no comparison, or the comparison period has no users at this stage.",
        "zh": "没有对比期，或对比期此环节没有用户。",
    },
    "funnel.missing.not_stated": {
        "en": "the export does not state this stage here (生意参谋 shows “-” for small figures), so it is not "
        "counted as 0; or a rate would divide by zero.",
        "zh": "导出文件此处没有给出这一环节的数据（生意参谋对较小的数值显示“-”），因此不按 0 计算；或转化率的分母为零。",
    },
    "funnel.missing.first_or_not_stated": {
        "en": "the first stage has no stage before it; elsewhere the export does not state this stage or the one "
        "before it (生意参谋 shows “-” for small figures), or the one before it has no users.",
        "zh": "第一个环节之前没有环节；其他环节：导出文件没有给出这一环节或上一环节的数据（生意参谋对较小的数值显示“-”），"
        "或上一环节没有用户。",
    },
    "funnel.unstated": {
        "en": "{stage}: unknown for this period. The exports do not state it for {visitors} of the {total} visitors "
        "({where}), so it is not worked out from part of them; the rows that state it count {stated}.",
        "zh": "{stage}：本期未知。导出文件没有给出 {total} 位访客中 {visitors} 位的这一项（{where}），因此不按部分访客计算；"
        "给出这一项的行合计 {stated}。",
    },
    "funnel.unstated.days": {
        "en": "{days} days on which no export states it",
        "zh": "有 {days} 天没有任何导出给出",
    },
    "funnel.rate_from_start": {"en": "From first stage", "zh": "总体转化率"},
    "funnel.users_previous": {"en": "Users (comparison)", "zh": "人数（对比期）"},
    "funnel.rate_from_start_previous": {"en": "From first stage (comparison)", "zh": "总体转化率（对比期）"},
    "funnel.change": {"en": "Change in users", "zh": "人数变化"},
    "funnel.overall": {"en": "Overall conversion", "zh": "总体转化率"},
    "funnel.favorites_help": {
        "en": "Users who favourited an item in the period: {share} of viewers. Not a funnel stage.",
        "zh": "期间内收藏过商品的用户，占浏览用户的 {share}。不作为漏斗环节。",
    },
    "funnel.current": {"en": "This period {start} … {end}", "zh": "本期 {start} … {end}"},
    "funnel.previous": {"en": "Comparison {start} … {end}", "zh": "对比期 {start} … {end}"},
    "funnel.no_comparison": {
        "en": "No funnel data in the comparison period {start} … {end}.",
        "zh": "对比期 {start} … {end} 没有漏斗数据。",
    },
    "funnel.chart_unknown": {"en": "— not stated", "zh": "— 未给出"},
    "funnel.chart_text": {"en": "{users}<br>{previous} of previous", "zh": "{users}<br>上一环节的 {previous}"},
    "funnel.drop": {
        "en": "The biggest drop-off is from **{from_stage}** to **{to_stage}**: {rate} go on and {lost} are lost.",
        "zh": "流失最大的环节是 **{from_stage}** → **{to_stage}**：只有 {rate} 继续，流失 {lost} 人。",
    },
    "funnel.stages_heading": {"en": "Stages, this period and the comparison", "zh": "各环节：本期与对比期"},
    "funnel.breakdown": {"en": "Break down by", "zh": "细分维度"},
    "funnel.by.none": {"en": "None", "zh": "不细分"},
    "funnel.by.source": {"en": "Source", "zh": "来源"},
    "funnel.by.product": {"en": "Product", "zh": "商品"},
    "funnel.by.category": {"en": "Category", "zh": "类目"},
    "funnel.by.device": {"en": "Device", "zh": "设备"},
    "funnel.breakdown_heading": {"en": "Funnel by {by}", "zh": "按{by}细分的漏斗"},
    "funnel.breakdown_empty": {"en": "No rows with a {by} in this period.", "zh": "此期间没有带{by}的数据。"},
    "funnel.rate_to": {"en": "→ {stage}", "zh": "→ {stage}"},
    "funnel.trend_heading": {"en": "Conversion per day", "zh": "每日转化率"},
    "funnel.ratio": {"en": "{numerator} ÷ {denominator}", "zh": "{numerator} ÷ {denominator}"},
    "funnel.date": {"en": "Date", "zh": "日期"},
    "funnel.rate": {"en": "Rate", "zh": "比率"},
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "funnel.unstated.days": {"by": "days", "en": "{days} day on which no export states it"},
}
