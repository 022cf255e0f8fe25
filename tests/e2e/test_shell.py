"""The app shell in a real browser (issue 10 items 18, 23): unknown paths open the default page without Streamlit's "Page not found" box, and "Copy link" copies the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from shopdata.i18n import translate
from tests.e2e.support import sidebar, title

pytestmark = pytest.mark.e2e


def not_found_box(page) -> bool:
    return page.get_by_text("Page not found").count() > 0


@pytest.mark.parametrize("path", ["/home?lang=zh&range=last_7", "/no-such-page?lang=zh&range=last_7"])
def test_an_unknown_path_opens_the_overview_without_a_not_found_box(open_app, path: str) -> None:
    page = open_app(path)
    assert not not_found_box(page)
    assert title(page) == translate("overview.title", "zh")
    url = urlsplit(page.url)
    assert url.path == "/"
    assert parse_qs(url.query)["range"] == ["last_7"]  # the link's filters survive the redirect
    assert sidebar(page).get_by_role("combobox", name=translate("filters.range", "zh")).input_value() == (
        translate("filters.range.last_7", "zh")
    )


def test_known_pages_keep_their_paths(open_app) -> None:
    page = open_app("/overview")
    assert urlsplit(page.url).path == "/overview" and not not_found_box(page)
    page = open_app("/traffic")
    assert title(page) == translate("traffic.title", "en") and not not_found_box(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_copy_link_copies_the_current_view(open_app, language: str) -> None:
    page = open_app(f"/traffic?lang={language}&range=last_7&compare=yoy")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    button = sidebar(page).get_by_role("button", name=translate("filters.copy_link", language))
    button.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    url = urlsplit(copied)
    query = parse_qs(url.query)
    assert url.path == "/traffic"
    assert (query["range"], query["compare"], query["lang"]) == (["last_7"], ["yoy"], [language])
    assert "store" in query  # the store the filters chose, written to the URL by the app
