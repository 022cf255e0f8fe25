"""The app's pages as data: app.py builds the navigation from them, and the edge (ui/edge.py) sends a page load
for any other path to the default page (Streamlit would open the default page under a "Page not found" box)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str
    url_path: str
    title_key: str  # the i18n key of the page's name in the navigation
    icon: str
    hidden: bool = False


# The default page is served at "/" and reserves its own url_path without answering to it: /home is sent to "/"
# by the edge like every unknown path, and a hidden alias makes a typed or copied /overview open the overview.
DEFAULT_PAGE = PageSpec("views/overview.py", "home", "nav.overview", "📊")
PAGES = (
    DEFAULT_PAGE,
    PageSpec("views/overview.py", "overview", "nav.overview", "📊", hidden=True),
    PageSpec("views/review.py", "review", "nav.review", "🔎"),
    PageSpec("views/orders.py", "orders", "nav.orders", "🧾"),
    PageSpec("views/products.py", "products", "nav.products", "📦"),
    PageSpec("views/funnel.py", "funnel", "nav.funnel", "🔻"),
    PageSpec("views/traffic.py", "traffic", "nav.traffic", "🚦"),
    PageSpec("views/promotion.py", "promotion", "nav.promotion", "📣"),
    PageSpec("views/report.py", "report", "nav.report", "📝"),
    PageSpec("views/prices.py", "prices", "nav.prices", "🏷️"),
    PageSpec("views/competitors.py", "competitors", "nav.competitors", "🥊"),
    PageSpec("views/data.py", "data", "nav.data", "📥"),
)
TEAM_PAGE = PageSpec("views/team.py", "team", "nav.team", "👥")  # only for those who manage the team

# The paths a page load may keep (without the leading "/"); "/" is the default page.
PAGE_PATHS = frozenset(page.url_path for page in (*PAGES, TEAM_PAGE) if page is not DEFAULT_PAGE)


def is_unknown_page(path: str) -> bool:
    """Whether an HTTP path is a page load for a page the app does not have: one segment, not a file name.

    Deeper paths are Streamlit's: its page first looks for /_stcore/ under the page's path (/home/_stcore/health)
    before falling back to the root, and a redirect there would send it in circles."""
    name = path.strip("/")
    return bool(name) and "/" not in name and "." not in name and name not in PAGE_PATHS
