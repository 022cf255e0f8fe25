"""App-wide strings and the Data page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # app
    "app.title": {"en": "Shopdata", "zh": "Shopdata 店铺数据"},
    "app.language": {"en": "Language", "zh": "语言"},
    "app.store": {"en": "Store", "zh": "店铺"},
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
        "zh": "当前是**示例店铺**：按真实平台格式生成的演示数据。请在“数据”页上传您自己的导出文件。",
    },
    "demo.remove": {"en": "Remove the demo store", "zh": "删除示例店铺"},
    "demo.removed": {"en": "The demo store was removed ({rows} rows).", "zh": "示例店铺已删除（{rows} 行）。"},
    "demo.loading": {"en": "Loading the demo store…", "zh": "正在载入示例店铺…"},
    # data page
    "data.title": {"en": "Data", "zh": "数据"},
    "data.intro": {
        "en": "Drop exports from 生意参谋, 万相台, 京东商智, 拼多多, Shopify, Amazon, Google Ads, Meta or GA. "
        "Nothing is imported until you press Import.",
        "zh": "拖入生意参谋、万相台、京东商智、拼多多、Shopify、亚马逊、Google Ads、Meta 或 GA 的导出文件。"
        "点击“导入”之前不会写入任何数据。",
    },
    "data.store_pick": {"en": "Load into store", "zh": "导入到店铺"},
    "data.store_new": {"en": "New store name", "zh": "新店铺名称"},
    "data.store_new_option": {"en": "➕ New store…", "zh": "➕ 新建店铺…"},
    "data.uploader": {
        "en": "Export files (CSV, TSV, XLSX, XLS, ODS or ZIP)",
        "zh": "导出文件（CSV、TSV、XLSX、XLS、ODS 或 ZIP）",
    },
    "data.detected": {
        "en": "**{title}** — {kind} · {platform} · confidence {confidence}",
        "zh": "**{title}** —— {kind} · {platform} · 置信度 {confidence}",
    },
    "data.kind": {"en": "What the file holds", "zh": "文件内容类型"},
    "data.kind_auto": {"en": "(recognised)", "zh": "（自动识别）"},
    "data.period": {"en": "Period the report covers", "zh": "报表覆盖的日期范围"},
    "data.period_needed": {
        "en": "This report has no dates in its rows. Give the period it covers.",
        "zh": "此报表的行里没有日期，请填写它覆盖的日期范围。",
    },
    "data.period_found": {
        "en": "Period {start} … {end} (from {source}).",
        "zh": "日期范围 {start} … {end}（来自{source}）。",
    },
    "data.currency": {
        "en": "Currency of this export (ISO code, e.g. USD)",
        "zh": "此导出文件的币种（ISO 代码，如 CNY）",
    },
    "data.currency_help": {
        "en": "The file does not say which currency its money columns are in.",
        "zh": "文件中没有注明金额所用的币种。",
    },
    "data.mapping": {"en": "Column mapping", "zh": "字段映射"},
    "data.mapping_help": {
        "en": "Which column of the file feeds each field. Your choice is remembered for this layout.",
        "zh": "文件中的哪一列对应每个字段。您的选择会针对此表头格式被记住。",
    },
    "data.field": {"en": "Field", "zh": "字段"},
    "data.column": {"en": "Column in the file", "zh": "文件中的列"},
    "data.none": {"en": "(none)", "zh": "（无）"},
    "data.preview": {"en": "Preview: the first rows as they will be stored", "zh": "预览：将要保存的前几行"},
    "data.skipped": {"en": "Rows that will be skipped: {reasons}", "zh": "将被跳过的行：{reasons}"},
    "data.import": {"en": "Import", "zh": "导入"},
    "data.importing": {"en": "Importing {name}…", "zh": "正在导入 {name}…"},
    "data.loaded": {
        "en": "{file}: {rows} rows loaded ({replaced} replaced, {skipped} skipped) as batch {batch}.",
        "zh": "{file}：已导入 {rows} 行（替换 {replaced} 行，跳过 {skipped} 行），批次 {batch}。",
    },
    "data.rejected": {"en": "{file} was not imported: {error}", "zh": "{file} 未导入：{error}"},
    "data.cannot_read": {"en": "{file} cannot be imported: {error}", "zh": "{file} 无法导入：{error}"},
    "data.batches": {"en": "Uploads", "zh": "上传记录"},
    "data.no_batches": {"en": "No uploads yet.", "zh": "还没有上传记录。"},
    "data.delete": {"en": "Delete batch {batch}", "zh": "删除批次 {batch}"},
    "data.deleted": {
        "en": "Batch {batch} deleted ({rows} rows removed).",
        "zh": "批次 {batch} 已删除（移除 {rows} 行）。",
    },
    "data.quality": {"en": "Quality", "zh": "数据质量"},
    "data.gaps": {"en": "Missing days: {days}", "zh": "缺少的日期：{days}"},
    "data.no_gaps": {"en": "No missing days.", "zh": "没有缺失的日期。"},
    "data.warnings": {"en": "Notes", "zh": "提示"},
    "data.already": {"en": "Already imported in this session.", "zh": "本次会话中已导入。"},
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
    "platform.amazon": {"en": "Amazon", "zh": "亚马逊"},
    "platform.google_ads": {"en": "Google Ads", "zh": "Google Ads"},
    "platform.meta": {"en": "Meta", "zh": "Meta"},
    "platform.shopify": {"en": "Shopify", "zh": "Shopify"},
    "platform.ga": {"en": "Google Analytics", "zh": "Google Analytics"},
    "platform.olist": {"en": "Olist", "zh": "Olist"},
    "platform.multi": {"en": "Several marketplaces", "zh": "多个平台"},
    "platform.other": {"en": "Other", "zh": "其他"},
}
