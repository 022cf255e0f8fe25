"""The Competitor prices page."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "prices.title": {"en": "Competitor prices", "zh": "竞品价格"},
    "prices.intro": {
        "en": "Price tracks per product and shop, who undercut you, and price drops (promotions). "
        "A product is tracked by its ID, so a retitled listing stays one track, shown with its "
        "latest title.",
        "zh": "按商品和店铺查看价格走势、谁比您便宜，以及降价（促销）。商品按商品ID跟踪，改过标题的链接仍是同一条走势，"
        "显示最新标题。",
    },
    "prices.empty_what": {"en": "competitor prices", "zh": "竞品价格"},
    "prices.empty_exports": export_list({"prices": ()}),  # from the layouts table
    "prices.currency_note": {
        "en": "Prices are in {currency}, the currency of this store's price data.",
        "zh": "价格以 {currency} 计，即此店铺价格数据的币种。",
    },
    # your shop and links
    "prices.settings": {"en": "Your shop and your competitors", "zh": "您的店铺与竞品"},
    "prices.own_shop": {"en": "Your shop", "zh": "您的店铺"},
    "prices.own_shop_none": {"en": "(none chosen)", "zh": "（未选择）"},
    "prices.own_shop_help": {
        "en": "Which shop in the price data is yours; saved for this store. Until you choose, the shop named like "
        "the store is taken, if there is one. Without your shop the page shows price tracks only.",
        "zh": "价格数据中哪个店铺是您的；按店铺保存。未选择时，若有与店铺同名的店铺则默认选它。未选择您的店铺时只显示价格走势。",
    },
    "prices.choose_own": {
        "en": "Choose your shop above to see your price position and who undercut you.",
        "zh": "请在上方选择您的店铺，以查看价格位置和谁比您便宜。",
    },
    "prices.links": {"en": "Link your products to competitors' products", "zh": "关联您的商品与竞品"},
    "prices.links_help": {
        "en": "For each of your products, pick the competitor products it competes with (by product ID). The same "
        "product ID sold by another shop counts as a competitor without a link.",
        "zh": "为您的每个商品选择与之竞争的竞品（按商品ID）。其他店铺销售的同一商品ID无需关联即视为竞品。",
    },
    "prices.links_own": {"en": "Your product", "zh": "您的商品"},
    "prices.links_competitors": {"en": "Competitor products", "zh": "竞品"},
    "prices.links_save": {"en": "Save links", "zh": "保存关联"},
    "prices.links_saved": {"en": "Links saved.", "zh": "关联已保存。"},
    "prices.no_own_products": {"en": "Your shop has no products in this period.", "zh": "您的店铺在此期间没有商品。"},
    # KPI cards
    "prices.kpi.tracks": {"en": "Products tracked", "zh": "跟踪商品数"},
    "prices.kpi.tracks_help": {
        "en": "Distinct product × shop tracks with a price in the period.",
        "zh": "期间内有价格的商品 × 店铺组合数。",
    },
    "prices.kpi.shops": {"en": "Shops", "zh": "店铺数"},
    "prices.kpi.observations": {"en": "Price observations", "zh": "价格记录数"},
    "prices.kpi.observations_help": {"en": "One per product, shop and day.", "zh": "每个商品、店铺、日期一条。"},
    "prices.kpi.drops": {"en": "Price drops", "zh": "降价次数"},
    "prices.kpi.undercuts": {"en": "Undercut alerts", "zh": "被低价次数"},
    # tracks
    "prices.tracks": {"en": "Price tracks", "zh": "价格走势"},
    "prices.group": {"en": "Product", "zh": "商品"},
    "prices.group_own": {
        "en": "{name} — yours, vs {count} competitors",
        "zh": "{name} —— 您的商品，对比 {count} 个竞品",
    },
    "prices.group_other": {"en": "{name} — {shop}", "zh": "{name} —— {shop}"},
    "prices.chart_title": {"en": "Price over time: {name}", "zh": "价格走势：{name}"},
    "prices.price_axis": {"en": "Price", "zh": "价格"},
    "prices.ours": {"en": "yours", "zh": "您的店铺"},
    # position
    "prices.position": {"en": "Price position on {date}", "zh": "{date} 的价格位置"},
    "prices.position_help": {
        "en": "Each price is the product's latest in the period. Price index = your price ÷ the competitors' "
        "median (above 1: dearer than the middle of the market). Rank 1 is the cheapest.",
        "zh": "每个价格均为该商品在期间内的最新价格。价格指数 = 您的价格 ÷ 竞品中位价（大于 1 表示比市场中位更贵）。排名 1 为最便宜。",
    },
    "prices.no_position": {
        "en": "None of your products has a competitor yet — link them above.",
        "zh": "您的商品还没有竞品——请在上方关联。",
    },
    # undercuts
    "prices.undercuts": {"en": "Undercut alerts", "zh": "低价预警"},
    "prices.threshold": {
        "en": "Alert when a competitor is cheaper by more than (%)",
        "zh": "竞品价格低于您超过多少时预警（%）",
    },
    "prices.undercuts_help": {
        "en": "Gap = (your price − their price) ÷ your price, from each product's latest price.",
        "zh": "差距 = （您的价格 − 竞品价格）÷ 您的价格，按各商品最新价格计算。",
    },
    "prices.no_undercuts": {
        "en": "No competitor is more than {threshold} below your price.",
        "zh": "没有竞品比您的价格低超过 {threshold}。",
    },
    "prices.nothing_compared": {
        "en": "No undercut can be judged: none of your prices could be compared with a competitor's in this period.",
        "zh": "无法判断是否被低价：本期没有任何您的价格可与竞品价格比较。",
    },
    "prices.nothing_compared.no_own_shop": {
        "en": "Your shop is not chosen.",
        "zh": "尚未选择您的店铺。",
    },
    "prices.nothing_compared.no_own_prices": {
        "en": "Your shop has no price observation in this period.",
        "zh": "本期没有您店铺的价格记录。",
    },
    "prices.nothing_compared.no_links": {
        "en": "None of your products is linked to a competitor's product (and no other shop sells the same product "
        "ID) — link them above.",
        "zh": "您的商品都未关联竞品（也没有其他店铺销售相同商品ID）——请在上方关联。",
    },
    "prices.nothing_compared.no_competitor_prices": {
        "en": "The competitor products linked to yours have no price observation in this period.",
        "zh": "与您的商品关联的竞品在本期没有价格记录。",
    },
    "prices.undercuts_compared": {
        "en": "Compared: {count} pairs of your product and a competitor's.",
        "zh": "已比较：{count} 组您的商品与竞品。",
    },
    # drops
    "prices.drops": {"en": "Detected price drops", "zh": "降价监测"},
    "prices.drops_help": {
        "en": "A price at least {threshold} below the product's previous observation. Recovered: a later price "
        "back at or above the price before the drop.",
        "zh": "价格比该商品上一次记录低至少 {threshold}。已恢复：之后的价格回到降价前或更高。",
    },
    "prices.no_drops": {
        "en": "No price fell by {threshold} or more in this period.",
        "zh": "此期间没有降价 {threshold} 或以上的商品。",
    },
    "prices.no_drop_pairs": {
        "en": "No price drop can be judged: no product was observed on two days in this period.",
        "zh": "无法判断是否降价：本期没有任何商品有两天的价格记录。",
    },
    "prices.drops_compared": {
        "en": "Compared: {count} pairs of a product's consecutive observations.",
        "zh": "已比较：{count} 组同一商品的相邻两次记录。",
    },
    # ranges
    "prices.ranges": {"en": "Price range per product", "zh": "各商品价格区间"},
    "prices.shop_ranges": {"en": "Price range per shop", "zh": "各店铺价格区间"},
    "prices.sales_help": {
        "en": "Sales counts in price scrapes are cumulative: the sales increase is how much the counter rose "
        "between the first and the last observation in the period.",
        "zh": "价格采集中的销量为累计值：销量增长为期间内第一次到最后一次记录之间计数的增加量。",
    },
    "prices.table_page": {
        "en": "Page ({rows} rows; the downloads hold all)",
        "zh": "页码（共 {rows} 行；下载包含全部）",
    },
    "prices.table_page_of": {"en": "{page} of {pages}", "zh": "第 {page} 页，共 {pages} 页"},
    "prices.loading": {"en": "Reading the price observations…", "zh": "正在读取价格记录…"},
    "prices.drawing": {"en": "Drawing the price tracks…", "zh": "正在绘制价格走势…"},
    # columns
    "prices.col.date": {"en": "Date", "zh": "日期"},
    "prices.col.shop": {"en": "Shop", "zh": "店铺"},
    "prices.col.product": {"en": "Product ID", "zh": "商品ID"},
    "prices.col.product_name": {"en": "Product", "zh": "商品"},
    "prices.col.price": {"en": "Price", "zh": "价格"},
    "prices.col.competitors": {"en": "Competitors", "zh": "竞品数"},
    "prices.col.cheapest": {"en": "Cheapest competitor", "zh": "竞品最低价"},
    "prices.col.median": {"en": "Competitor median", "zh": "竞品中位价"},
    "prices.col.dearest": {"en": "Dearest competitor", "zh": "竞品最高价"},
    "prices.col.price_index": {"en": "Price index", "zh": "价格指数"},
    "prices.col.rank": {"en": "Rank", "zh": "排名"},
    "prices.col.rank_of": {"en": "Of", "zh": "共"},
    "prices.col.own_product": {"en": "Your product ID", "zh": "您的商品ID"},
    "prices.col.own_product_name": {"en": "Your product", "zh": "您的商品"},
    "prices.col.own_price": {"en": "Your price", "zh": "您的价格"},
    "prices.col.their_price": {"en": "Their price", "zh": "竞品价格"},
    "prices.col.gap": {"en": "Gap", "zh": "差距"},
    "prices.col.previous_date": {"en": "Previous observation", "zh": "上次记录"},
    "prices.col.before": {"en": "Before", "zh": "降价前"},
    "prices.col.after": {"en": "After", "zh": "降价后"},
    "prices.col.drop": {"en": "Drop", "zh": "降幅"},
    "prices.col.recovered": {"en": "Recovered", "zh": "已恢复"},
    "prices.col.recovered_on": {"en": "Recovered on", "zh": "恢复日期"},
    "prices.col.observations": {"en": "Observations", "zh": "记录数"},
    "prices.col.first_date": {"en": "First seen", "zh": "首次记录"},
    "prices.col.last_date": {"en": "Last seen", "zh": "最近记录"},
    "prices.col.min_price": {"en": "Lowest", "zh": "最低价"},
    "prices.col.median_price": {"en": "Median", "zh": "中位价"},
    "prices.col.max_price": {"en": "Highest", "zh": "最高价"},
    "prices.col.latest_price": {"en": "Latest", "zh": "最新价"},
    "prices.col.sales_increase": {"en": "Sales increase", "zh": "销量增长"},
    "prices.col.products": {"en": "Products", "zh": "商品数"},
}


# The words for exactly one (see shopdata.i18n SINGULAR).
SINGULAR: dict[str, dict[str, str]] = {
    "prices.group_own": {"by": "count", "en": "{name} — yours, vs {count} competitor"},
}
