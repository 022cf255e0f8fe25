"""Every page renders in a real browser: no exception or error box, its own title, charts, the demo banner."""

from __future__ import annotations

import pytest

from shopdata.i18n import translate
from tests.e2e.support import error_boxes, main, normalize, title

pytestmark = pytest.mark.e2e

DASHBOARDS = ["overview", "funnel", "traffic", "promotion", "prices"]
DEMO_BANNER = normalize(translate("demo.banner", "en").replace("**", ""))


@pytest.mark.parametrize("view", [*DASHBOARDS, "data"])
def test_page_renders(open_app, view: str) -> None:
    page = open_app(f"/{view}")

    assert error_boxes(page) == []
    # An unknown URL path falls back to the default page, so the title proves which page this is.
    assert title(page) == translate(f"{view}.title", "en")
    banner = main(page).get_by_test_id("stAlertContentInfo").filter(has_text=DEMO_BANNER)
    assert banner.count() == 1 and banner.is_visible()
    charts = main(page).locator("div.js-plotly-plot")
    if view in DASHBOARDS:
        assert charts.count() >= 1
        assert charts.first.bounding_box()["height"] > 100  # drawn, not an empty placeholder
