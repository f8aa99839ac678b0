"""Real-browser tests of the output components: Debian's chromium, driven by Playwright, against htmio served by
uvicorn (the fixtures are in tests/conftest.py, the page helpers in tests/browser_support.py).

What only a browser shows: buttons inside tables, popups as modal dialogs (Esc, the backdrop, the close
button, and the server agreeing), toasts placed and coloured, collapses and tabs opening (tabs also without
JavaScript), files downloaded with their bytes, large images over the stream, styles and clicks on outputs
inside containers, closable alerts, scroll boxes that follow their bottom, live progress bars, scripts in
put_html, and spinners that go when their block ends.
"""
from __future__ import annotations

import os
import re
import struct
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from htmio.input import input
from htmio.output import (close_popup, popup, put_button, put_buttons, put_collapse, put_file, put_html, put_image,
                          put_info, put_loading, put_processbar, put_row, put_scope, put_scrollable, put_table,
                          put_tabs, put_text, set_processbar, toast)
from htmio.session import register_thread
from tests.browser_support import only_session, open_streams, submit, texts, visit, wait_until
from tests.live import LiveServer

# ---- helpers -------------------------------------------------------------------------------------

def button(page: Page, label: str) -> Locator:
    return page.get_by_role("button", name=label, exact=True)


def dialogs(page: Page) -> Locator:
    return page.locator("dialog.htmio-popup")


def modal(page: Page) -> Locator:
    """The popup shown as a modal dialog (the page behind it inert)."""
    return page.locator("dialog.htmio-popup:modal")


def popups_on_server(server: LiveServer) -> int:
    """How many popups the server's copy of the page has."""
    return len(only_session(server).document.popups.children)


def reload(page: Page, server: LiveServer) -> None:
    """Reload the session page and wait until its stream is back."""
    page.reload()
    wait_until(lambda: open_streams(server) >= 1, 5, "the reloaded page to open its event stream")


def settle(page: Page, ms: int = 150) -> None:
    """Give the page time to do what it should not (close a popup, scroll): only for negative checks."""
    page.wait_for_timeout(ms)


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG, stored uncompressed so its size is about width * height * 3 bytes."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        rows += bytes((x * 7 + y * 13) % 256 for x in range(width * 3))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 0))
            + chunk(b"IEND", b""))


# ---- 1. buttons in a table -------------------------------------------------------------------------

@pytest.mark.browser
def test_buttons_in_a_table_cell_run_their_callback_once(page, serve):
    def main():
        put_table([
            ["Name", "Actions"],
            ["Ada", put_buttons(["edit", "delete"], onclick=lambda v: put_text("Ada", v))],
            ["Alan", put_button("edit", onclick=lambda: put_text("Alan edit"))],
        ])

    server = serve(main)
    visit(page, server)
    rows = page.locator("table.htmio-table tbody tr")
    rows.nth(0).get_by_role("button", name="delete").click()
    expect(texts(page)).to_have_text(["Ada delete"])
    rows.nth(1).get_by_role("button", name="edit").click()
    expect(texts(page)).to_have_text(["Ada delete", "Alan edit"])  # each click ran its callback exactly once
    rows.nth(0).get_by_role("button", name="edit").click()
    expect(texts(page)).to_have_text(["Ada delete", "Alan edit", "Ada edit"])


# ---- 2. popups -------------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_popup_is_a_modal_dialog_and_its_close_button_closes_it_on_the_server_too(page, serve):
    def main():
        put_button("open", onclick=lambda: popup("Hello", [put_text("inside the popup")]))

    server = serve(main)
    visit(page, server)
    button(page, "open").click()
    expect(modal(page)).to_have_count(1)
    expect(modal(page).get_by_role("heading", name="Hello")).to_be_visible()
    expect(modal(page).get_by_text("inside the popup")).to_be_visible()
    expect(page.locator("#htmio-popups .htmio-popup-backdrop")).to_have_count(1)

    modal(page).get_by_role("button", name="Close").click()
    expect(dialogs(page)).to_have_count(0)
    wait_until(lambda: popups_on_server(server) == 0, 5, "the server to drop the popup")
    reload(page, server)
    expect(texts(page)).to_have_count(0)
    expect(button(page, "open")).to_be_visible()
    expect(dialogs(page)).to_have_count(0)


@pytest.mark.browser
@pytest.mark.parametrize("how", ["escape", "backdrop"])
def test_esc_or_a_click_on_the_backdrop_closes_an_implicitly_closable_popup(page, serve, how):
    def main():
        put_button("open", onclick=lambda: popup("Hello", "text"))

    server = serve(main)
    visit(page, server)
    button(page, "open").click()
    expect(modal(page)).to_be_visible()

    if how == "escape":
        page.keyboard.press("Escape")
    else:
        box = modal(page).bounding_box()
        assert box is not None and box["y"] > 10, box
        modal(page).get_by_text("text").click()  # inside the box: stays open
        settle(page)
        expect(modal(page)).to_be_visible()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] / 2)  # on the backdrop, above the box
    expect(dialogs(page)).to_have_count(0)
    wait_until(lambda: popups_on_server(server) == 0, 5, "the server to drop the popup")
    reload(page, server)
    expect(button(page, "open")).to_be_visible()
    expect(dialogs(page)).to_have_count(0)


@pytest.mark.browser
@pytest.mark.parametrize("closable", [True, False])
def test_a_popup_without_implicit_close_stays_after_esc_and_backdrop_clicks(page, serve, closable):
    """implicit_close=False (and closable=False, which implies it): Esc, even pressed again, and a click
    beside the box leave the popup open; close_popup() from a callback closes it."""
    def main():
        def open_it():
            with popup("Sticky", implicit_close=False, closable=closable):
                put_text("no way out")
                put_button("done", onclick=close_popup)

        put_button("open", onclick=open_it)

    server = serve(main)
    visit(page, server)
    button(page, "open").click()
    expect(modal(page)).to_be_visible()
    expect(modal(page).get_by_role("button", name="Close")).to_have_count(1 if closable else 0)

    page.keyboard.press("Escape")
    settle(page)
    expect(modal(page)).to_be_visible()
    page.keyboard.press("Escape")  # again: the browser must not force it shut now
    settle(page)
    expect(modal(page)).to_be_visible()
    box = modal(page).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] / 2)
    settle(page)
    expect(modal(page)).to_be_visible()
    assert popups_on_server(server) == 1

    modal(page).get_by_role("button", name="done").click()
    expect(dialogs(page)).to_have_count(0)
    assert popups_on_server(server) == 0


@pytest.mark.browser
def test_repeated_esc_cannot_close_a_popup_that_only_the_app_may_close(page, serve):
    """Chromium lets a page refuse Esc only with user activation: a repeated Esc without a click in
    between closes the dialog anyway. A popup the server did not close opens again."""
    def main():
        put_text("behind")
        popup("Sticky", "only the app closes this", closable=False)
        put_text("answered", input("go"))

    server = serve(main)
    visit(page, server)
    expect(modal(page)).to_be_visible()
    page.keyboard.press("Escape")  # no click on the page yet: Chrome lets the page refuse this one...
    page.keyboard.press("Escape")  # ...but not this one
    settle(page)
    assert modal(page).count() == 1, "the popup was closed in the page only"
    assert page.evaluate("document.querySelector('dialog.htmio-popup').matches(':modal')")
    assert popups_on_server(server) == 1


@pytest.mark.browser
def test_a_new_popup_replaces_the_old_and_outputs_reach_the_popup_scope_later(page, serve):
    def main():
        def second():
            with popup("Second") as name:
                put_text("second body")
                put_button("add", onclick=lambda: put_text("added later", scope=name))

        def first():
            with popup("First"):
                put_text("first body")
                put_button("next", onclick=second)

        put_button("open", onclick=first)

    server = serve(main)
    visit(page, server)
    button(page, "open").click()
    expect(modal(page).get_by_role("heading")).to_have_text("First")
    modal(page).get_by_role("button", name="next").click()
    expect(modal(page).get_by_role("heading")).to_have_text("Second")
    expect(dialogs(page)).to_have_count(1)
    expect(modal(page)).to_contain_text("second body")
    expect(page.get_by_text("first body")).to_have_count(0)

    modal(page).get_by_role("button", name="add").click()
    expect(modal(page).locator(".htmio-popup-body .htmio-text")).to_have_text(["second body", "added later"])
    expect(texts(page)).to_have_count(0)  # nothing landed in ROOT
    assert popups_on_server(server) == 1


@pytest.mark.browser
def test_a_popup_made_before_the_page_loads_is_modal_once_it_has(page, serve):
    def main():
        put_text("behind")
        popup("Welcome", "read me first")
        input("go")

    server = serve(main)
    visit(page, server)
    expect(modal(page)).to_be_visible()
    expect(modal(page)).to_contain_text("read me first")
    modal(page).get_by_role("button", name="Close").click()
    expect(dialogs(page)).to_have_count(0)
    wait_until(lambda: popups_on_server(server) == 0, 5, "the server to drop the popup")
    submit(page)  # the page behind is usable again
    expect(page.locator("#htmio-inputs form")).to_have_count(0)


# ---- 3. toasts -------------------------------------------------------------------------------------

@pytest.mark.browser
def test_toasts_are_placed_coloured_clickable_and_duration_zero_stays(page, serve):
    def main():
        put_button("toasts", onclick=lambda: [
            toast("on the left", position="left", duration=0),
            toast("in the middle", position="center", duration=0),
            toast("on the right", position="right", duration=0, color="#123456"),
            toast("click me", duration=0, onclick=lambda: put_text("toast clicked")),
            toast("brief", duration=0.3),
        ])

    server = serve(main)
    visit(page, server)
    button(page, "toasts").click()
    toasts = page.locator("#htmio-toasts .htmio-toast")
    expect(toasts.filter(has_text="click me")).to_be_visible()
    width = page.viewport_size["width"]

    left = toasts.filter(has_text="on the left").bounding_box()
    center = toasts.filter(has_text="in the middle").bounding_box()
    right = toasts.filter(has_text="on the right").bounding_box()
    assert left and center and right
    assert left["x"] < width / 4 and left["x"] + left["width"] < width / 2, left
    assert abs(center["x"] + center["width"] / 2 - width / 2) < 20, center
    assert right["x"] > width / 2 and right["x"] + right["width"] > width * 3 / 4, right
    expect(toasts.filter(has_text="on the right")).to_have_css("background-color", "rgb(18, 52, 86)")

    expect(toasts.filter(has_text="brief")).to_have_count(0, timeout=3_000)
    expect(toasts).to_have_count(4)  # duration=0 stays

    toasts.filter(has_text="click me").get_by_text("click me").click()
    expect(texts(page)).to_have_text(["toast clicked"])
    expect(toasts).to_have_count(3)

    toasts.filter(has_text="on the left").get_by_role("button", name="Close").click()
    expect(toasts).to_have_count(2)
    expect(texts(page)).to_have_text(["toast clicked"])  # the × is not the toast's onclick


# ---- 4. collapse -----------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_collapse_opens_on_a_click_and_open_true_starts_open(page, serve):
    def main():
        put_collapse("Closed", [put_text("hidden at first")])
        put_collapse("Open", "shown at first", open=True)

    server = serve(main)
    visit(page, server, stream=False)
    expect(page.get_by_text("shown at first")).to_be_visible()
    hidden = page.get_by_text("hidden at first")
    expect(hidden).to_be_hidden()
    page.locator("summary", has_text="Closed").click()
    expect(hidden).to_be_visible()


# ---- 5. tabs ---------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_tabs_show_one_panel_at_a_time(new_context: Callable[..., BrowserContext], serve, javascript):
    def main():
        put_tabs([
            {"title": "First", "content": put_text("first panel")},
            {"title": "Second", "content": [put_text("second panel"), put_button("b", onclick=lambda: None)]},
        ])

    server = serve(main)
    page = new_context(java_script_enabled=javascript).new_page()
    visit(page, server, stream=javascript)
    first, second = page.get_by_text("first panel"), page.get_by_text("second panel")
    expect(first).to_be_visible()
    expect(second).to_be_hidden()
    page.locator(".htmio-tab-title", has_text="Second").click()
    expect(second).to_be_visible()
    expect(first).to_be_hidden()
    page.locator(".htmio-tab-title", has_text="First").click()
    expect(first).to_be_visible()
    expect(second).to_be_hidden()


# ---- 6. files --------------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_file_link_downloads_its_name_and_exact_bytes(page, serve):
    small = b"a,b\n1,2\n\x00\xff"
    large = os.urandom(3 * 1024 * 1024)

    def main():
        put_file("report.csv", small, label="the report")
        put_button("more", onclick=lambda: put_file("blob.bin", large))  # a link that arrives over the stream

    server = serve(main)
    visit(page, server)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("the report")).click()
    download = info.value
    assert download.suggested_filename == "report.csv"
    assert Path(download.path()).read_bytes() == small

    button(page, "more").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("blob.bin")).click()
    download = info.value
    assert download.suggested_filename == "blob.bin"
    assert Path(download.path()).read_bytes() == large


# ---- 7. a large image over the stream ------------------------------------------------------------

@pytest.mark.browser
def test_an_image_larger_than_the_inline_limit_shows_when_it_arrives_over_the_stream(page, serve):
    image = png(120, 60)
    assert len(image) > 16 * 1024

    def main():
        put_button("show", onclick=lambda: put_image(image, title="big"))

    server = serve(main)
    visit(page, server)
    button(page, "show").click()
    img = page.get_by_role("img", name="big")
    expect(img).to_be_visible()
    assert not (img.get_attribute("src") or "").startswith("data:")
    page.wait_for_function("img => img.complete && img.naturalWidth === 120", arg=img.element_handle())


# ---- 8. style and onclick inside containers -------------------------------------------------------

@pytest.mark.browser
def test_style_and_onclick_work_on_outputs_inside_rows_and_table_cells(page, serve):
    def main():
        late = put_text("late style")
        put_row([
            put_text("in a row").style("color: rgb(0, 128, 0)").onclick(lambda: put_text("row clicked")),
            late,
        ])
        put_table([["cell", put_text("in a cell").style("font-weight: 700").onclick(lambda: put_text("cell clicked"))]],
                  header=["plain", "clickable"])
        put_button("restyle", onclick=lambda: late.style("color: rgb(0, 0, 255)").onclick(
            lambda: put_text("late clicked")))

    server = serve(main)
    visit(page, server)
    in_row = page.locator(".htmio-row").get_by_text("in a row")
    in_cell = page.locator("table.htmio-table td").get_by_text("in a cell")
    expect(in_row).to_have_css("color", "rgb(0, 128, 0)")
    expect(in_cell).to_have_css("font-weight", "700")

    outputs = page.locator("#pywebio-scope-ROOT > .htmio-text")
    in_row.click()
    expect(outputs).to_have_text(["row clicked"])
    in_cell.click()
    expect(outputs).to_have_text(["row clicked", "cell clicked"])

    # changed later from a callback: the change arrives over the stream, in place inside the row
    button(page, "restyle").click()
    late = page.locator(".htmio-row").get_by_text("late style")
    expect(late).to_have_css("color", "rgb(0, 0, 255)")
    late.click()
    expect(outputs).to_have_text(["row clicked", "cell clicked", "late clicked"])


# ---- 9. closable alerts ----------------------------------------------------------------------------

@pytest.mark.browser
def test_a_closable_info_box_goes_on_its_close_button_and_stays_gone_after_a_reload(page, serve):
    def main():
        put_info("read this", closable=True)
        put_text("after")

    server = serve(main)
    visit(page, server)
    box = page.locator(".htmio-alert", has_text="read this")
    expect(box).to_be_visible()
    box.get_by_role("button", name="Close").click()
    expect(box).to_have_count(0)
    reload(page, server)
    expect(texts(page)).to_have_text(["after"])
    expect(box).to_have_count(0)


# ---- 10. a scroll box that keeps its bottom -------------------------------------------------------

def at_bottom(box: Locator) -> bool:
    return bool(box.evaluate("b => b.scrollHeight > b.clientHeight && "
                             "Math.abs(b.scrollTop + b.clientHeight - b.scrollHeight) <= 2"))


@pytest.mark.browser
def test_a_keep_bottom_scroll_box_follows_new_lines_until_the_user_scrolls_up(page, serve):
    go = threading.Event()

    def worker():
        go.wait(10)
        for i in range(20):
            put_text(f"tick {i}", scope="log")
            time.sleep(0.02)

    def main():
        put_scrollable(put_scope("log"), height=120, keep_bottom=True)
        put_button("more", onclick=lambda: [put_text(f"more {i}", scope="log") for i in range(5)])
        thread = threading.Thread(target=worker, daemon=True)
        register_thread(thread)
        thread.start()

    server = serve(main, first_paint_wait=0.1)  # the worker waits: the first page need not wait for it
    try:
        visit(page, server)
        box = page.locator(".htmio-scrollable")
        lines = box.locator(".htmio-text")
        go.set()
        for count in (5, 12, 20):  # each time some lines have come, the box shows the last one
            expect(lines.nth(count - 1)).to_be_attached()
            wait_until(lambda: at_bottom(box), 2, f"the box to be at its bottom after {count} lines")
        expect(lines).to_have_count(20)
        wait_until(lambda: at_bottom(box), 2, "the box to be at its bottom")

        button(page, "more").click()
        expect(lines).to_have_count(25)
        wait_until(lambda: at_bottom(box), 2, "the box to follow lines made by a button")

        box.hover()
        page.mouse.wheel(0, -2000)  # the user scrolls up to read
        wait_until(lambda: box.evaluate("b => b.scrollTop") == 0, 2, "the box to scroll to its top")
        button(page, "more").click()
        expect(lines).to_have_count(30)
        settle(page, 100)
        assert box.evaluate("b => b.scrollTop") == 0, "new lines pulled the box down while the user read"
    finally:
        go.set()


# ---- 11. a live progress bar ----------------------------------------------------------------------

@pytest.mark.browser
def test_set_processbar_moves_the_bar_and_its_label_live(page, serve):
    steps = iter([(0.5, "half way"), (1, None)])

    def main():
        put_processbar("job", init=0.1)
        put_button("step", onclick=lambda: set_processbar("job", *next(steps)))

    server = serve(main)
    visit(page, server)
    bar = page.get_by_role("progressbar", name="job")
    fill = bar.locator(".htmio-progress-bar")
    expect(bar).to_have_attribute("aria-valuenow", "10.0")
    expect(bar.locator(".htmio-progress-label")).to_have_text("10.0%")

    def share() -> float:
        return float(fill.evaluate(
            "f => f.getBoundingClientRect().width / f.parentElement.getBoundingClientRect().width"))

    assert abs(share() - 0.1) < 0.02, share()

    button(page, "step").click()
    expect(bar.locator(".htmio-progress-label")).to_have_text("half way")
    expect(bar).to_have_attribute("aria-valuenow", "50.0")
    wait_until(lambda: abs(share() - 0.5) < 0.02, 2, "the bar to fill half")

    button(page, "step").click()
    expect(bar.locator(".htmio-progress-label")).to_have_text("100.0%")
    expect(fill).to_have_class(re.compile(r"\bhtmio-progress-done\b"))
    wait_until(lambda: abs(share() - 1) < 0.02, 2, "the bar to fill")


# ---- 12. scripts in put_html -----------------------------------------------------------------------

@pytest.mark.browser
def test_a_script_in_put_html_runs_once_over_the_stream_and_on_a_fresh_page(page, serve):
    def script(target: str) -> str:
        return (f"<p id='{target}'></p>"
                f"<script>document.getElementById('{target}').textContent += 'ran'</script>")

    def main():
        put_html(script("first"))
        put_button("more", onclick=lambda: put_html(script("later")))

    server = serve(main)
    visit(page, server)
    expect(page.locator("#first")).to_have_text("ran")
    button(page, "more").click()
    expect(page.locator("#later")).to_have_text("ran")
    settle(page, 100)
    expect(page.locator("#later")).to_have_text("ran")  # once, not once per swap

    reload(page, server)
    expect(page.locator("#first")).to_have_text("ran")
    expect(page.locator("#later")).to_have_text("ran")


@pytest.mark.browser
def test_a_chart_snippet_runs_after_its_library_loads_like_plotly_from_a_cdn(page, serve):
    """plotly's to_html(include_plotlyjs='cdn') and bokeh's components() are a <script src> and then
    inline code that uses it. Scripts a swap inserts load in parallel, so the inline code would run
    first; htmio runs put_html's scripts in order, each src loaded before the next."""
    def chart(target: str) -> str:
        # each chart its own library, so the one loaded by the first page cannot stand in for the second
        return (f'<script src="https://cdn.example/{target}.js"></script><div id="{target}"></div>'
                '<script type="application/json" id="' + target + '-data">{"points": 3}</script>'
                f"<script>lib_{target}.draw('{target}', JSON.parse(document.getElementById('{target}-data').textContent))"
                "</script>")

    def main():
        put_html(chart("first"))
        put_button("more", onclick=lambda: put_html(chart("later")))

    def library(route: Route) -> None:
        name = route.request.url.rsplit("/", 1)[-1].removesuffix(".js")
        time.sleep(0.3)  # a slow CDN: the inline code must wait for it
        route.fulfill(content_type="text/javascript", body=(
            f"window.lib_{name} = {{draw: function (id, data) {{"
            " document.getElementById(id).textContent += 'drawn ' + data.points + ';'; }};"))

    page.route("https://cdn.example/*.js", library)
    server = serve(main)
    visit(page, server)
    expect(page.locator("#first")).to_have_text("drawn 3;")
    button(page, "more").click()
    expect(page.locator("#later")).to_have_text("drawn 3;")
    settle(page, 100)
    expect(page.locator("#first")).to_have_text("drawn 3;")  # once each


# ---- 13. put_loading in a with block --------------------------------------------------------------

@pytest.mark.browser
def test_a_loading_spinner_shows_while_its_block_runs_and_goes_after(page, serve):
    finished = threading.Event()

    def main():
        put_button("finish", onclick=finished.set)
        with put_loading():
            put_text("crunching")
            finished.wait(10)
        put_text("done")
        with put_loading(color="primary"):
            input("keep going?")
        put_text("all done")

    server = serve(main, first_paint_wait=0.1)  # main waits on the button: the spinner may come over the stream
    try:
        visit(page, server)
        spinner = page.locator(".htmio-loading .htmio-spinner")
        expect(spinner).to_be_visible()
        expect(page.locator(".htmio-loading")).to_contain_text("crunching")
        button(page, "finish").click()
        expect(texts(page)).to_have_text(["done"])  # "crunching" went with its spinner
        expect(spinner).to_have_count(1)  # the second block's
        expect(spinner).to_be_visible()
        submit(page)
        expect(texts(page)).to_have_text(["done", "all done"])
        expect(page.locator(".htmio-loading")).to_have_count(0)
    finally:
        finished.set()
