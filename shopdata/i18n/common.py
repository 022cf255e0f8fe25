"""App-wide strings (the Data page's are in data.py)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # app
    "app.title": {"en": "Shopdata", "zh": "Shopdata 店铺数据"},
    "app.language": {"en": "Language", "zh": "语言"},
    "app.store": {"en": "Store", "zh": "店铺"},
    "app.demo_store": {"en": "Demo store", "zh": "演示店铺"},
    "app.no_stores": {
        "en": "No store yet — upload exports on the Data page.",
        "zh": "还没有店铺——请在“数据”页上传导出文件。",
    },
    "app.db_error": {"en": "The database could not be opened: {error}", "zh": "无法打开数据库：{error}"},
    "nav.data": {"en": "Data", "zh": "数据"},
    "nav.overview": {"en": "Overview", "zh": "概览"},
    "nav.funnel": {"en": "Funnel", "zh": "转化漏斗"},
    "nav.traffic": {"en": "Traffic sources", "zh": "流量来源"},
    "nav.promotion": {"en": "Promotion", "zh": "推广效果"},
    "nav.prices": {"en": "Competitor prices", "zh": "竞品价格"},
    # between the names of a list in a sentence
    "ui.list_separator": {"en": ", ", "zh": "、"},
    # comparisons (shopdata.metrics.periods.Coverage)
    "ui.comparison_incomplete": {
        "en": "The comparison period is incomplete: it has data on {days} of {length} days, against {current} days "
        "with data in this period. Changes against it are not shown.",
        "zh": "对比期数据不完整：{length} 天中只有 {days} 天有数据，本期有数据的天数为 {current} 天。因此不显示变化。",
    },
    # tables: why a cell shows "—" (shopdata.ui.widgets, in the column's tooltip)
    "ui.missing_cell": {"en": "{missing} means: {reason}", "zh": "{missing} 表示：{reason}"},
    "ui.missing_default": {
        "en": "no figure — the exports do not report it here, or it would divide by zero.",
        "zh": "没有数值——导出文件此处没有该数据，或计算时分母为零。",
    },
    # demo
    "demo.banner": {
        "en": "You are looking at the **Demo store**: made-up exports in real platforms' layouts. "
        "Upload your own on the Data page.",
        "zh": "当前是**演示店铺**：按真实平台格式生成的演示数据。请在“数据”页上传您自己的导出文件。",
    },
    "demo.remove": {"en": "Remove the demo store", "zh": "删除演示店铺"},
    "demo.removed": {"en": "The demo store was removed ({rows} rows).", "zh": "演示店铺已删除（{rows} 行）。"},
    "demo.loading": {"en": "Loading the demo store…", "zh": "正在载入演示店铺…"},
    "col.batch_id": {"en": "Batch", "zh": "批次"},
    "col.file_name": {"en": "File", "zh": "文件"},
    "col.store": {"en": "Store", "zh": "店铺"},
    "col.kind": {"en": "Kind", "zh": "类型"},
    "col.platform": {"en": "Platform", "zh": "平台"},
    "col.report": {"en": "Report", "zh": "报表"},
    "col.rows_loaded": {"en": "Rows loaded", "zh": "导入行数"},
    "col.rows_live": {"en": "Rows now", "zh": "当前行数"},
    "col.rows_replaced": {"en": "Replaced", "zh": "替换行数"},
    "col.rows_skipped": {"en": "Skipped", "zh": "跳过行数"},
    "col.date_from": {"en": "From", "zh": "开始日期"},
    "col.date_to": {"en": "To", "zh": "结束日期"},
    "col.uploaded_by": {"en": "By", "zh": "上传人"},
    "col.created_at": {"en": "Imported at (UTC)", "zh": "导入时间（UTC）"},
    "kind.events": {"en": "behaviour log", "zh": "行为日志"},
    "kind.traffic": {"en": "traffic", "zh": "流量"},
    "kind.ads": {"en": "ads", "zh": "推广"},
    "kind.prices": {"en": "prices", "zh": "价格"},
    "kind.rival_metrics": {"en": "competitor figures", "zh": "竞品数据"},
    "kind.rival_promotions": {"en": "competitor promotions", "zh": "竞品活动"},
    "kind.orders": {"en": "orders", "zh": "订单"},
    "kind.products": {"en": "products", "zh": "商品"},
    "source.your input": {"en": "your input", "zh": "您的输入"},
    "source.title lines": {"en": "the report's title lines", "zh": "报表标题行"},
    "source.file name": {"en": "the file name", "zh": "文件名"},
    # platforms, as people call them
    "platform.tmall": {"en": "Tmall", "zh": "天猫"},
    "platform.taobao": {"en": "Taobao", "zh": "淘宝"},
    "platform.jd": {"en": "JD", "zh": "京东"},
    "platform.pdd": {"en": "Pinduoduo", "zh": "拼多多"},
    "platform.douyin": {"en": "Douyin", "zh": "抖音"},
    "platform.kuaishou": {"en": "Kuaishou", "zh": "快手"},
    "platform.amazon": {"en": "Amazon", "zh": "亚马逊"},
    "platform.google_ads": {"en": "Google Ads", "zh": "Google Ads"},
    "platform.meta": {"en": "Meta", "zh": "Meta"},
    "platform.shopify": {"en": "Shopify", "zh": "Shopify"},
    "platform.ga": {"en": "Google Analytics", "zh": "Google Analytics"},
    "platform.olist": {"en": "Olist", "zh": "Olist"},
    "platform.tiktok_shop": {"en": "TikTok Shop", "zh": "TikTok Shop"},
    "platform.shopee": {"en": "Shopee", "zh": "Shopee（虾皮）"},
    "platform.lazada": {"en": "Lazada", "zh": "Lazada（来赞达）"},
    "platform.etsy": {"en": "Etsy", "zh": "Etsy"},
    "platform.woocommerce": {"en": "WooCommerce", "zh": "WooCommerce"},
    "platform.ebay": {"en": "eBay", "zh": "eBay"},
    "platform.microsoft_ads": {"en": "Microsoft Advertising", "zh": "Microsoft Advertising（必应广告）"},
    "platform.multi": {"en": "Several marketplaces", "zh": "多个平台"},
    "platform.other": {"en": "Other", "zh": "其他"},
}
