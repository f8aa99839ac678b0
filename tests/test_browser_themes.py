"""PyWebIO's themes in chromium: config(theme="sketchy" | "minty" | "yeti") loads the theme's own
stylesheet, which really changes how the page looks (colours, fonts, corners, headings) against the
default, in light and in dark; other pages load no theme file (issue 12)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from htmio.apps import PageConfig, set_global_config
from htmio.output import put_buttons, put_markdown, put_text
from htmio.platform import config
from tests.live import LiveServer

pytestmark = pytest.mark.browser

THEMES = ("sketchy", "minty", "yeti")

STYLES = """() => {
  const button = getComputedStyle(document.querySelector('.htmio-btn'));
  const heading = getComputedStyle(document.querySelector('.htmio-markdown h2'));
  return {
    button: button.backgroundColor, corners: button.borderTopLeftRadius, font: getComputedStyle(document.body).fontFamily,
    page: getComputedStyle(document.documentElement).backgroundColor, caps: heading.fontVariantCaps,
  };
}"""


@pytest.fixture(autouse=True)
def fresh_global_config():
    set_global_config(PageConfig())
    yield
    set_global_config(PageConfig())


def showcase():
    put_markdown("""
        ## Results
        The figures of the month.
    """)
    put_buttons(["Save"], onclick=lambda _: put_text("saved"))


def apps() -> dict[str, Callable[[], Any]]:
    found: dict[str, Callable[[], Any]] = {"plain": showcase}
    found.update({theme: config(theme=theme)(showcase) for theme in THEMES})
    return found


def look(page: Page, server: LiveServer, app: str) -> tuple[dict[str, str], dict[str, int]]:
    """The computed styles of an app's page, and the status of each stylesheet it loaded."""
    sheets: dict[str, int] = {}
    page.on("response", lambda r: sheets.__setitem__(r.url, r.status) if r.request.resource_type == "stylesheet" else None)
    page.goto(f"{server.url}/?app={app}")
    page.locator(".htmio-btn").first.wait_for()
    page.wait_for_load_state("load")
    return page.evaluate(STYLES), sheets


def test_each_theme_changes_the_look_and_its_stylesheet_answers(page: Page, serve):
    server = serve(apps())
    default, default_sheets = look(page, server, "plain")
    assert not [url for url in default_sheets if "/themes/" in url], "the default page loads no theme file"
    seen = {"plain": default}
    for theme in THEMES:
        styles, sheets = look(page, server, theme)
        assert sheets.get(f"{server.url}/_htmio/static/themes/{theme}.css") == 200, sheets
        assert styles["button"] != default["button"], theme
        assert styles["font"] != default["font"], theme
        assert styles["corners"] != default["corners"], theme
        seen[theme] = styles
    # each a look of its own, not one alternative look under three names
    assert len({(s["button"], s["font"], s["corners"]) for s in seen.values()}) == len(seen)
    assert "cursive" in seen["sketchy"]["font"]
    assert seen["minty"]["corners"] == "999px"
    assert seen["yeti"]["corners"] == "0px" and seen["yeti"]["caps"] == "all-small-caps"
    assert default["caps"] == "normal"


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_has_a_dark_variant_when_the_browser_prefers_dark(new_context, serve, theme):
    server = serve(apps())
    light, _ = look(new_context(color_scheme="light").new_page(), server, theme)
    dark, _ = look(new_context(color_scheme="dark").new_page(), server, theme)
    default_dark, _ = look(new_context(color_scheme="dark").new_page(), server, "plain")
    assert dark["page"] != light["page"] and dark["button"] != light["button"]
    assert dark["button"] != default_dark["button"] and dark["font"] == light["font"]
