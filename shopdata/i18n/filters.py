"""Shared filters and shared page furniture."""

STRINGS = {
    "filters.range": {"en": "Dates", "zh": "日期"},
    "filters.range.last_7": {"en": "Last 7 days", "zh": "最近 7 天"},
    "filters.range.last_30": {"en": "Last 30 days", "zh": "最近 30 天"},
    "filters.range.last_90": {"en": "Last 90 days", "zh": "最近 90 天"},
    "filters.range.this_month": {"en": "This month", "zh": "本月"},
    "filters.range.last_month": {"en": "Last month", "zh": "上月"},
    "filters.range.all": {"en": "All data", "zh": "全部数据"},
    "filters.range.custom": {"en": "Custom…", "zh": "自定义…"},
    "filters.custom": {"en": "From – to", "zh": "开始 – 结束"},
    "filters.showing": {"en": "{start} … {end}", "zh": "{start} … {end}"},
    "filters.compare": {"en": "Compare with", "zh": "对比"},
    "filters.compare.previous": {"en": "Previous period", "zh": "上一周期"},
    "filters.compare.yoy": {"en": "Same period last year", "zh": "去年同期"},
    "filters.compare.none": {"en": "No comparison", "zh": "不对比"},
    "filters.comparing": {"en": "vs {start} … {end}", "zh": "对比 {start} … {end}"},
    "filters.currency": {"en": "Currency", "zh": "币种"},
    "filters.currency_help": {
        "en": "Money is never added across currencies: each currency shows the platforms that sell in it.",
        "zh": "不同币种的金额不会相加：每个币种只显示以该币种销售的平台。",
    },
    "filters.currency_unknown": {"en": "Currency unknown", "zh": "币种未知"},
    "currency.unknown_note": {
        "en": "{rows} rows in {files} hold money in an unknown currency and are not included in these {currency} "
        "figures. Choose “Currency unknown” in the sidebar to see them, or set their currency on the Data page.",
        "zh": "{files} 中有 {rows} 行金额的币种未知，未计入这些 {currency} 数据。"
        "可在侧栏选择“币种未知”查看，或在“数据”页设置其币种。",
    },
    "currency.unknown_title": {"en": "Money without a currency", "zh": "未标明币种的金额"},
    "currency.unknown_intro": {
        "en": "These uploads did not say their currency, so their money is kept apart from every total in a known "
        "currency. Give each its currency (ISO code, e.g. INR, USD) to count it there; the change is recorded.",
        "zh": "这些上传的文件没有标明币种，其金额不会计入任何已知币种的合计。请为每个文件设置币种"
        "（ISO 代码，如 INR、USD）后即可计入；此更改会被记录。",
    },
    "currency.unknown_batch": {
        "en": "**{file}** ({platform}, store {store}): {rows} rows with money in an unknown currency",
        "zh": "**{file}**（{platform}，店铺 {store}）：{rows} 行金额币种未知",
    },
    "currency.set": {"en": "Set currency", "zh": "设置币种"},
    "currency.not_iso": {
        "en": "“{code}” is not an ISO currency code (three letters, e.g. INR, USD, CNY).",
        "zh": "“{code}”不是 ISO 币种代码（三个字母，如 INR、USD、CNY）。",
    },
    "currency.set_done": {
        "en": "{rows} rows of {file} are now in {currency}.",
        "zh": "{file} 的 {rows} 行已设为 {currency}。",
    },
    "ui.download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "ui.download_xlsx": {"en": "Download XLSX", "zh": "下载 XLSX"},
    "ui.empty": {
        "en": "No {what} for this store and period yet. Upload {exports} on the Data page.",
        "zh": "此店铺在所选期间还没有{what}数据。请在“数据”页上传{exports}。",
    },
    "ui.go_to_data": {"en": "Go to the Data page", "zh": "前往“数据”页"},
    "ui.no_store": {
        "en": "No store yet. Upload your exports on the Data page to begin.",
        "zh": "还没有店铺。请先在“数据”页上传导出文件。",
    },
    "ui.vs": {"en": "vs {value}", "zh": "对比 {value}"},
    "ui.exact": {"en": "Exactly {value}", "zh": "精确值 {value}"},
    # st.spinner texts: shown only when a section takes longer than half a second (Streamlit's delay).
    "ui.working.figures": {"en": "Adding up the figures…", "zh": "正在汇总指标…"},
    "ui.working.decomposition": {"en": "Working out why revenue changed…", "zh": "正在分析收入变化的原因…"},
    "ui.working.movers": {"en": "Finding what moved…", "zh": "正在查找变化最大的项…"},
    "ui.working.funnel": {"en": "Counting the funnel stages…", "zh": "正在计算漏斗各阶段…"},
    "ui.working.breakdown": {"en": "Breaking the figures down…", "zh": "正在拆分数据…"},
    "ui.working.trend": {"en": "Drawing the daily trend…", "zh": "正在绘制每日趋势…"},
    "ui.working.sources": {"en": "Reading the traffic sources…", "zh": "正在读取流量来源…"},
    "ui.working.changes": {"en": "Comparing the sources with the comparison period…", "zh": "正在与对比期比较各来源…"},
    "ui.working.ads": {"en": "Adding up ad spend and sales…", "zh": "正在汇总广告花费与成交…"},
    "ui.data_elsewhere": {
        "en": "No {what} between {pstart} and {pend}. This store's data for this page is from {start} to {end}.",
        "zh": "{pstart} 至 {pend} 没有{what}数据。此店铺本页的数据在 {start} 至 {end}。",
    },
    "ui.show_data_dates": {"en": "Show {start} – {end}", "zh": "查看 {start} – {end}"},
    "ui.data_in_other_currency": {
        "en": "No {what} in {currency} in these dates: this store's {what} for these dates is in {others}. Each "
        "currency is shown on its own, never added together.",
        "zh": "所选日期内没有以 {currency} 计价的{what}数据：此店铺这段日期的{what}数据以 {others} 计价。不同币种分开显示，不相加。",
    },
    "ui.show_currency": {"en": "Show {currency}", "zh": "查看 {currency}"},
    "filters.copy_link": {"en": "🔗 Copy link", "zh": "🔗 复制链接"},
    "filters.link_copied": {"en": "✓ Link copied", "zh": "✓ 链接已复制"},
    "filters.copy_link_prompt": {"en": "Copy this link:", "zh": "复制此链接："},
}
