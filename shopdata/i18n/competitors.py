"""The Competitors page: rivals' banded sales and visitors, keywords, traffic sources, promotions and the traffic our
store lost to them (生意参谋 竞品/竞店/流失 exports, issue 15)."""

from __future__ import annotations

from shopdata.ingest.layouts import LAYOUTS_BY_NAME, LIST_SEPARATOR, title_in


def _exports(*names: str) -> dict[str, str]:
    """The exports a section needs, named as the platform names them (from the layouts table)."""
    return {
        language: separator.join(title_in(LAYOUTS_BY_NAME[name], language) for name in names)
        for language, separator in LIST_SEPARATOR.items()
    }


STRINGS: dict[str, dict[str, str]] = {
    "nav.competitors": {"en": "Competitors", "zh": "竞品分析"},
    "competitors.title": {"en": "Competitors", "zh": "竞品分析"},
    "competitors.intro": {
        "en": "Who takes your traffic, and with which keywords, traffic sources and promotions, from 生意参谋's "
        "competitor exports, kept over weeks. 生意参谋 shows rivals' sales and visitors as ranges; they are shown "
        "as ranges here too, never as a guessed middle.",
        "zh": "根据生意参谋的竞品/竞店/流失导出，逐周查看谁在抢您的流量，用的是哪些关键词、流量来源和推广方式。"
        "生意参谋只给出竞品销售额和访客数的区间，这里也按区间展示，从不取猜测的中间值。",
    },
    "competitors.empty_what": {"en": "competitor data", "zh": "竞品"},
    "competitors.empty_exports": _exports(
        "sycm_rival_loss",
        "sycm_rival_shops",
        "sycm_rival_products",
        "sycm_rival_keywords",
        "sycm_rival_sources",
        "rival_promotions_sheet",
    ),
    "competitors.upload": {
        "en": "Upload the {exports} export on the Data page to see this.",
        "zh": "请在数据页上传{exports}导出文件后查看。",
    },
    "competitors.exports.loss": _exports("sycm_rival_loss"),
    "competitors.exports.trends": _exports("sycm_rival_shops", "sycm_rival_products"),
    "competitors.exports.keywords": _exports("sycm_rival_keywords"),
    "competitors.exports.sources": _exports("sycm_rival_sources"),
    "competitors.exports.promotions": _exports("rival_promotions_sheet"),
    "competitors.currency_note": {
        "en": "Money is in {currency}, the currency of the competitor exports.",
        "zh": "金额以 {currency} 计，即竞品导出数据的币种。",
    },
    # who took our traffic this week
    "competitors.taker": {"en": "Who took our traffic this week", "zh": "本周谁抢走了我们的流量"},
    "competitors.taker_answer": {
        "en": "**{rival}** took the most: {revenue} and {visitors} visitors left us for {products} of its products "
        "({start} – {end}, the last {days} days of lost-traffic data).",
        "zh": "**{rival}** 抢走的最多：流失金额 {revenue}，流失人数 {visitors}，流向其 {products} 个商品"
        "（{start} – {end}，流失数据的最近 {days} 天）。",
    },
    "competitors.taker_next": {"en": "Next: {rival}.", "zh": "其次：{rival}。"},
    "competitors.taker_rule": {
        "en": "Ranked by the money lost (the low end of a range: at least that much), then by visitors lost.",
        "zh": "按流失金额排序（区间取下限：至少这么多），其次按流失人数。",
    },
    # over time
    "competitors.trends": {"en": "Sales and visitors over time", "zh": "销售额与访客数走势"},
    "competitors.trends_help": {
        "en": "A bar spans the range 生意参谋 gave (from its low to its high end); a dot is an exact figure; a "
        'triangle is an open range ("more than"), drawn at its low end. A range written "< x" is drawn from 0: '
        "these figures are never negative.",
        "zh": "柱形表示生意参谋给出的区间（从下限到上限）；圆点是确切数值；三角形是开放区间（“大于”），画在下限处。"
        "“< x”的区间从 0 画起：这些数值不会为负。",
    },
    "competitors.grain": {"en": "Show", "zh": "查看"},
    "competitors.grain.shop": {"en": "Rival shops", "zh": "竞店"},
    "competitors.grain.product": {"en": "Rival products", "zh": "竞品"},
    "competitors.metric.revenue": {"en": "Sales", "zh": "支付金额"},
    "competitors.metric.visitors": {"en": "Visitors", "zh": "访客数"},
    "competitors.chart_title": {"en": "{metric} per day", "zh": "每日{metric}"},
    "competitors.unknown_days": {
        "en": '{count} figures are not drawn: 生意参谋 showed "-" (hidden, or below its threshold).',
        "zh": "{count} 个数值未画出：生意参谋显示为“-”（隐藏或低于其显示门槛）。",
    },
    "competitors.trace.range": {"en": "range", "zh": "区间"},
    "competitors.trace.exact": {"en": "exact", "zh": "确切值"},
    "competitors.trace.above": {"en": "more than", "zh": "大于"},
    # lost to rivals
    "competitors.loss": {"en": "What we lost to them", "zh": "流失到竞品的商品与金额"},
    "competitors.loss_help": {
        "en": "Rival products our visitors left for, with the money and visitors lost over the chosen dates, most "
        "money first.",
        "zh": "我们的访客流失去的竞品，以及所选日期内流失的金额和人数，按流失金额从高到低。",
    },
    # keywords
    "competitors.keywords": {"en": "Their keywords", "zh": "竞品关键词"},
    "competitors.keywords_help": {
        "en": "Search words bringing visitors to each rival product: the rank on the word's last day, "
        "how far it moved since its first day (+ is up the list), and its visitors and trade index on its last day.",
        "zh": "为各竞品带来访客的搜索词（入店搜索词）：该词最后一天的排名、与第一天相比的变化（+ 表示上升），"
        "以及最后一天的访客数和交易指数。",
    },
    "competitors.status.kept": {"en": "kept", "zh": "保持"},
    "competitors.status.new": {"en": "new", "zh": "新出现"},
    "competitors.status.gone": {"en": "gone", "zh": "已消失"},
    "competitors.side_by_side": {"en": "Keywords side by side", "zh": "关键词对比"},
    "competitors.side_by_side_help": {
        "en": "Our words (from ad keyword and search-term reports, and 生意参谋 keyword rows of your shop) against "
        "each rival's. A rival wins a word we do not when it ranks for it while our ads converted nothing on it "
        "and 生意参谋 does not rank our shop for it; those come first.",
        "zh": "我们的关键词（来自广告关键词/搜索词报表，以及生意参谋中本店的关键词）与各竞品的对比。"
        "竞品有排名、而我们的广告在该词上没有成交、生意参谋也未给本店排名的词，即竞品赢而我们没赢的词，排在最前。",
    },
    "competitors.they_win_count": {
        "en": "{count} words rivals win and we do not.",
        "zh": "竞品赢而我们没赢的词：{count} 个。",
    },
    "competitors.no_own_words": {
        "en": "We have no keywords of our own to compare: upload ad keyword or search-term reports, or a 生意参谋 竞品分析 入店搜索词 "
        "export that lists your shop ({shop}).",
        "zh": "没有本店的关键词可供对比：请上传广告关键词或搜索词报表，或包含本店（{shop}）的入店搜索词导出。",
    },
    "competitors.no_own_shop": {"en": "not chosen", "zh": "未选择"},
    "competitors.own_shop_note": {
        "en": "Your shop is {shop} (chosen on the Competitor prices page); its rows count as ours.",
        "zh": "您的店铺是 {shop}（在竞品价格页选择）；其数据算作本店。",
    },
    # sources and promotions
    "competitors.sources": {"en": "Their traffic sources", "zh": "竞品流量来源"},
    "competitors.sources_help": {
        "en": "Visitors per traffic source over the chosen dates, summed from the daily ranges; trade index: "
        "the range it stayed within.",
        "zh": "所选日期内各入店来源的访客数（由每日区间相加）；交易指数：期间所处的范围。",
    },
    "competitors.promotions": {"en": "Their promotions", "zh": "竞品推广与活动"},
    "competitors.promotions_help": {
        "en": 'From your sheet of rivals\' promotions. "New method": a method the rival had not used before in the '
        "chosen dates.",
        "zh": "来自您记录的竞品活动表。“新方式”：该竞品在所选日期内首次使用的推广方式。",
    },
    "competitors.timeline_title": {"en": "Promotions by rival and method", "zh": "各竞品的推广方式时间线"},
    # table columns
    "competitors.col.rival": {"en": "Rival shop", "zh": "竞店"},
    "competitors.col.product": {"en": "Rival product", "zh": "竞品"},
    "competitors.col.lost_revenue": {"en": "Money lost", "zh": "流失金额"},
    "competitors.col.lost_visitors": {"en": "Visitors lost", "zh": "流失人数"},
    "competitors.col.date_from": {"en": "From", "zh": "开始"},
    "competitors.col.date_to": {"en": "To", "zh": "结束"},
    "competitors.col.keyword": {"en": "Keyword", "zh": "关键词"},
    "competitors.col.rank": {"en": "Rank", "zh": "排名"},
    "competitors.col.rank_before": {"en": "Rank on first day", "zh": "首日排名"},
    "competitors.col.rank_change": {"en": "Rank change", "zh": "排名变化"},
    "competitors.col.visitors": {"en": "Visitors", "zh": "访客数"},
    "competitors.col.trade_index": {"en": "Trade index", "zh": "交易指数"},
    "competitors.col.status": {"en": "Status", "zh": "状态"},
    "competitors.col.source": {"en": "Traffic source", "zh": "流量来源"},
    "competitors.col.date": {"en": "Date", "zh": "日期"},
    "competitors.col.end_date": {"en": "Until", "zh": "截止"},
    "competitors.col.method": {"en": "Method", "zh": "推广方式"},
    "competitors.col.discount": {"en": "Offer", "zh": "优惠"},
    "competitors.col.note": {"en": "Note", "zh": "备注"},
    "competitors.col.new_method": {"en": "New method", "zh": "新方式"},
    "competitors.col.they_win": {"en": "They win, we do not", "zh": "竞品赢我们没赢"},
    "competitors.col.our_clicks": {"en": "Our ad clicks", "zh": "本店广告点击"},
    "competitors.col.our_conversions": {"en": "Our ad conversions", "zh": "本店广告成交"},
    "competitors.col.our_rank": {"en": "Our rank (生意参谋)", "zh": "本店排名（生意参谋）"},
    "competitors.col.rivals": {"en": "Rivals ranking", "zh": "有排名的竞品数"},
    "competitors.col.best_rival": {"en": "Best rival", "zh": "排名最高的竞品"},
    "competitors.col.best_rank": {"en": "Its rank", "zh": "其排名"},
    "competitors.col.rival_ranks": {"en": "Each rival's rank", "zh": "各竞品排名"},
    # why a cell shows —
    "competitors.missing.band": {
        "en": '生意参谋 showed "-" (hidden, or below its threshold), or the export has no such column',
        "zh": "生意参谋显示为“-”（隐藏或低于显示门槛），或导出中没有此列",
    },
    "competitors.missing.rank_before": {
        "en": "the word was seen on one day only",
        "zh": "该词只出现在一天",
    },
    "competitors.missing.ours": {
        "en": "no ad keyword or search-term row of ours has this word",
        "zh": "本店广告关键词/搜索词中没有该词",
    },
    "competitors.missing.our_rank": {
        "en": "生意参谋 does not list our shop for this word (or your shop is not chosen)",
        "zh": "生意参谋未列出本店在该词上的排名（或未选择您的店铺）",
    },
    "competitors.missing.best_rank": {"en": "no rival ranks for this word", "zh": "没有竞品在该词上有排名"},
    "competitors.missing.text": {"en": "not in the export", "zh": "导出中没有"},
}
