"""The Products page (商品分析): one row per product across every export, its class, and one product's detail."""

from __future__ import annotations

from shopdata.ingest.layouts import export_list

STRINGS: dict[str, dict[str, str]] = {
    "nav.products": {"en": "Products", "zh": "商品分析"},
    "products.title": {"en": "Products", "zh": "商品分析"},
    "products.intro": {
        "en": "Every product with what each of your exports says of it: traffic, orders, ads, profit after ads "
        "and competitor prices — and which ones sell, which deserve traffic and which lose money.",
        "zh": "每个商品在各份报表中的表现：流量、订单、推广、扣除推广后的利润和竞品价格——哪些在卖、哪些值得给流量、哪些在亏钱。",
    },
    "products.empty_what": {"en": "product data", "zh": "商品"},
    "products.empty_exports": export_list({"traffic": ("product_id",), "orders": (), "ads": ("product_id", "sku")}),
    "products.working": {"en": "Joining the products across your exports…", "zh": "正在按商品合并各份报表…"},
    "products.working_detail": {"en": "Reading this product's figures…", "zh": "正在读取该商品的数据…"},
    # where the figures come from
    "products.sources": {"en": "Product rows found in: {sources}.", "zh": "含商品数据的报表：{sources}。"},
    "products.source.traffic": {"en": "product traffic reports", "zh": "商品流量报表"},
    "products.source.orders": {"en": "order exports", "zh": "订单报表"},
    "products.source.ads": {"en": "product ad reports", "zh": "商品推广报表"},
    "products.source.prices": {"en": "your shop's price tracks", "zh": "本店价格监控"},
    "products.revenue_from.orders": {
        "en": "Revenue, units and refunds are the paid orders of your order exports; visitors and conversion come "
        "from the product traffic reports.",
        "zh": "销售额、件数和退款取自订单报表中的已付款订单；访客数和转化率取自商品流量报表。",
    },
    "products.revenue_from.traffic": {
        "en": "Revenue is the product traffic reports' paid sales (no order export is loaded).",
        "zh": "销售额取自商品流量报表的支付金额（未上传订单报表）。",
    },
    "products.matching": {
        "en": "Products are joined by their ID (product ID, SKU, ASIN). A product without an ID shared by another "
        "export is joined by its exact title, only when no export has two products of that title; the "
        "“Matched by” column shows those.",
        "zh": "商品按 ID（商品ID、SKU、ASIN）合并。没有共同 ID 的商品按完全相同的标题合并，且仅当没有任何一份报表里有两个同名商品时才合并；“匹配方式”一列会标明。",
    },
    # classes and their rules
    "products.rules_title": {"en": "How products are classed", "zh": "商品分类规则"},
    "products.class.best_seller": {"en": "Best-seller", "zh": "爆款"},
    "products.class.potential": {"en": "Potential", "zh": "潜力款"},
    "products.class.traffic_driver": {"en": "Traffic driver", "zh": "引流款"},
    "products.class.slow_mover": {"en": "Slow mover", "zh": "滞销款"},
    "products.class.loss_making": {"en": "Loss-making after ads", "zh": "推广后亏损"},
    "products.class.regular": {"en": "Regular", "zh": "常规款"},
    "products.rule.best_seller": {
        "en": "top {share} of products by revenue (the top {count} of {products}: revenue ≥ {revenue}) and "
        "conversion at or above the store's median ({conversion})",
        "zh": "销售额位居前 {share}（{products} 个商品中的前 {count} 个：销售额 ≥ {revenue}），且转化率不低于全店中位数（{conversion}）",
    },
    "products.rule.potential": {
        "en": "conversion above the store's median ({conversion}) with visitors below the median ({visitors}): "
        "give it traffic",
        "zh": "转化率高于全店中位数（{conversion}），访客数低于中位数（{visitors}）：值得多给流量",
    },
    "products.rule.traffic_driver": {
        "en": "visitors above the store's median ({visitors}) with conversion below the median ({conversion})",
        "zh": "访客数高于全店中位数（{visitors}），转化率低于中位数（{conversion}）",
    },
    "products.rule.slow_mover": {
        "en": "visitors in the period and no sales (revenue 0)",
        "zh": "期间内有访客但没有成交（销售额为 0）",
    },
    "products.rule.loss_making": {
        "en": "revenue × gross margin − ad spend below 0 (margins as entered on the Promotion page)",
        "zh": "销售额 × 毛利率 − 推广花费 小于 0（毛利率取推广效果页的设置）",
    },
    "products.rule.regular": {
        "en": "judged by at least one rule and matching none",
        "zh": "至少有一条规则可以判断，且均不符合",
    },
    "products.rule_line": {"en": "**{name}**: {rule}", "zh": "**{name}**：{rule}"},
    "products.rule_unjudged": {
        "en": "A product lacking the figure a rule reads is not classed by it: its class shows “—” and "
        "the “Not judged” column says why.",
        "zh": "缺少某条规则所需数据的商品不按该规则分类：分类显示“—”，“未判断”一列说明原因。",
    },
    "products.not_judged_item": {"en": "{rule}: {reason}", "zh": "{rule}：{reason}"},
    "products.reason.no_export": {
        "en": "no {what} in your exports",
        "zh": "报表中没有{what}",
    },
    "products.reason.not_listed": {"en": "{what} not reported for it", "zh": "该商品没有{what}数据"},
    "products.what.visitors": {"en": "product visitors", "zh": "商品访客数"},
    "products.what.conversion_rate": {"en": "product conversion", "zh": "商品转化率"},
    "products.what.revenue": {"en": "product sales", "zh": "商品销售额"},
    "products.what.profit": {"en": "ad spend by product", "zh": "按商品的推广花费"},
    # table
    "products.table_title": {"en": "All products", "zh": "全部商品"},
    "products.col.product_id": {"en": "Product", "zh": "商品"},
    "products.col.product_name": {"en": "Title", "zh": "标题"},
    "products.col.class": {"en": "Class", "zh": "分类"},
    "products.col.not_judged": {"en": "Not judged", "zh": "未判断"},
    "products.col.revenue": {"en": "Revenue", "zh": "销售额"},
    "products.col.conversion_rate": {"en": "Conversion", "zh": "转化率"},
    "products.col.visitors": {"en": "Visitors", "zh": "访客数"},
    "products.col.buyers": {"en": "Buyers", "zh": "买家数"},
    "products.col.profit": {"en": "Profit after ads", "zh": "扣推广后利润"},
    "products.col.spend": {"en": "Ad spend", "zh": "推广花费"},
    "products.col.roas": {"en": "ROAS", "zh": "投产比"},
    "products.col.price_index": {"en": "Price index", "zh": "价格指数"},
    "products.col.units": {"en": "Units", "zh": "件数"},
    "products.col.refund": {"en": "Refunds", "zh": "退款金额"},
    "products.col.refund_rate": {"en": "Refund rate", "zh": "退款率"},
    "products.col.paid_orders": {"en": "Paid orders", "zh": "支付订单数"},
    "products.col.page_views": {"en": "Page views", "zh": "浏览量"},
    "products.col.product_visitors": {"en": "Product views", "zh": "商品点击人数"},
    "products.col.cart_users": {"en": "Added to cart", "zh": "加购人数"},
    "products.col.ad_revenue": {"en": "Ad revenue", "zh": "推广成交金额"},
    "products.col.margin": {"en": "Gross margin", "zh": "毛利率"},
    "products.col.price": {"en": "Own price", "zh": "本店价格"},
    "products.col.matched_by": {"en": "Matched by", "zh": "匹配方式"},
    "products.col.ids": {"en": "IDs", "zh": "ID"},
    "products.col.exports": {"en": "Found in", "zh": "来源报表"},
    "products.matched.id": {"en": "ID", "zh": "ID"},
    "products.matched.title": {"en": "title ({exports})", "zh": "标题（{exports}）"},
    "products.price_index_help": {
        "en": "Our latest price ÷ the median of the linked competitors' latest prices (Competitor prices page).",
        "zh": "本店最新价格 ÷ 关联竞品最新价格的中位数（竞品价格页）。",
    },
    "products.missing.traffic": {
        "en": "no product traffic report lists this product",
        "zh": "商品流量报表中没有这个商品",
    },
    "products.missing.ads": {"en": "no product-level ad report is loaded", "zh": "未上传按商品的推广报表"},
    "products.missing.prices": {
        "en": "not one of your shop's tracked products with competitors",
        "zh": "不是本店有竞品的监控商品",
    },
    # one product
    "products.pick": {"en": "Product", "zh": "商品"},
    "products.detail_title": {"en": "One product", "zh": "单品详情"},
    "products.trend_title": {"en": "Revenue and visitors per day", "zh": "每日销售额与访客数"},
    "products.series.revenue": {"en": "Revenue", "zh": "销售额"},
    "products.series.visitors": {"en": "Visitors", "zh": "访客数"},
    "products.no_trend": {
        "en": "No daily figures for this product in the period.",
        "zh": "这个商品在该期间没有按天的数据。",
    },
    "products.sources_title": {"en": "Traffic sources", "zh": "流量来源"},
    "products.no_sources": {
        "en": "Traffic sources per product come from a product × source export (the 生意参谋 product source report or a "
        "Shopify sessions report by product and referrer); none is loaded.",
        "zh": "单品的流量来源需要“商品 × 来源”报表（生意参谋“商品来源”或 Shopify 按商品和来源的会话报表），目前没有上传。",
    },
    "products.no_product_sources": {
        "en": "The product × source reports do not list this product.",
        "zh": "商品来源报表中没有这个商品。",
    },
    "products.col.source_1": {"en": "Source", "zh": "来源"},
    "products.ads_title": {"en": "Campaigns and keywords spending on it", "zh": "在该商品上花费的计划与关键词"},
    "products.col.campaign": {"en": "Campaign", "zh": "推广计划"},
    "products.col.keyword": {"en": "Keyword", "zh": "关键词"},
    "products.no_product_ads": {
        "en": "No ad row names this product (ad reports by product, ASIN or SKU have them).",
        "zh": "没有推广数据指向这个商品（按商品、ASIN 或 SKU 的推广报表才有）。",
    },
    "products.no_keywords": {
        "en": "The ad reports name no keyword for this product.",
        "zh": "推广报表中没有这个商品的关键词。",
    },
    "products.prices_title": {"en": "Price against competitors", "zh": "与竞品的价格对比"},
    "products.no_price_track": {
        "en": "This product is not one of your shop's tracked products (Competitor prices page).",
        "zh": "这个商品不在本店的价格监控中（见竞品价格页）。",
    },
}
