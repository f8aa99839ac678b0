"""Pages that code written for PyWebIO finds its way around: jQuery's ``$`` in run_js, eval_js, put_html
scripts and config(js_code=...) (loaded only when a page first needs it), and PyWebIO's documented DOM
(``#pywebio-scope-NAME``, ``#output-container > #markdown-body.markdown-body``, ``#input-container``)."""
from __future__ import annotations

import hashlib
from importlib import resources

import pytest
from playwright.sync_api import Page, expect

from htmio.input import input
from htmio.output import put_buttons, put_html, put_markdown, put_table, put_text, use_scope
from htmio.platform import config
from htmio.session import eval_js, run_js
from tests.browser_support import visit

JQUERY = "/_htmio/static/jquery/jquery-3.7.1.min.js"


def record_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def jquery_loads(seen: list[str]) -> int:
    return sum(url.endswith(JQUERY) for url in seen)


# ---- in-process: the skeleton ----------------------------------------------------------------------

def test_the_page_has_pywebio_documented_ids_and_classes(open_app):
    def main() -> None:
        with use_scope("box"):
            put_text("in the box")
        input("name")

    page = open_app(main)
    root = page.soup.select_one("#output-container > #markdown-body.markdown-body > #pywebio-scope-ROOT")
    assert root is not None
    assert root.select_one("#pywebio-scope-box .htmio-text").get_text() == "in the box"
    assert page.soup.select_one("#input-container form") is not None
    assert not page.soup.select('[id^="htmio-scope-"]')


def test_config_js_code_that_uses_jquery_gets_it_up_front_and_keeps_its_quotes(open_app):
    @config(js_code="$(function () { $('body').attr('data-ready', \"yes\"); });")
    def uses_jquery() -> None:
        put_text("hi")

    @config(js_code="document.title = `n=${1 + 1}`")
    def plain() -> None:
        put_text("hi")

    page = open_app(uses_jquery)
    scripts = page.soup.select("body > script")
    sources = [s.get("src") for s in scripts]
    assert JQUERY in sources
    inline = [s for s in scripts if not s.get("src")]
    assert [s.get_text() for s in inline] == ["$(function () { $('body').attr('data-ready', \"yes\"); });"]
    assert sources.index(JQUERY) < scripts.index(inline[0])  # jQuery runs first
    assert page.soup.body["data-htmio-jquery"] == JQUERY  # where htmio.js finds it for later code

    assert JQUERY not in [s.get("src") for s in open_app(plain).soup.select("script")]


def test_config_js_file_gets_jquery_before_it(open_app):
    # a file written for PyWebIO (a jQuery plugin, say) may use jQuery as it loads; htmio cannot look inside
    @config(js_file="/plugin.js")
    def main() -> None:
        put_text("hi")

    sources = [s.get("src") for s in open_app(main).soup.select("body > script[src]")]
    assert sources.index(JQUERY) < sources.index("/plugin.js")


def test_the_vendored_jquery_is_npm_s_jquery_3_7_1(open_app):
    folder = resources.files("htmio") / "static" / "jquery"
    pinned = {  # sha256 of dist/jquery.min.js and LICENSE.txt in npm's jquery-3.7.1.tgz
        "jquery-3.7.1.min.js": "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a",
        "LICENSE-jquery-3.7.1.txt": "d4db9ebe6f29f5168eac45ad713f055623ac5d0dcd5ba92da23d650ae012020d",
    }
    for name, digest in pinned.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    page = open_app(lambda: put_text("hi"))
    answer = page.http.get(JQUERY, headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["cache-control"].endswith("immutable")


# ---- in chromium: jQuery ---------------------------------------------------------------------------

@pytest.mark.browser
def test_run_js_with_jquery_recolours_a_key_and_jquery_loads_only_then(page, serve):
    def main() -> None:
        put_buttons(["Q", "W", "E"], onclick=lambda key: run_js(
            "$('button').filter(function () { return $(this).text().trim() === key; })"
            ".css('background-color', 'rgb(0, 128, 0)')", key=key))

    seen = record_requests(page)
    visit(page, serve(main))
    key = page.get_by_role("button", name="W", exact=True)
    expect(key).to_be_visible()
    assert jquery_loads(seen) == 0  # the first load does not carry jQuery
    key.click()
    expect(key).to_have_css("background-color", "rgb(0, 128, 0)")
    expect(page.get_by_role("button", name="Q", exact=True)).not_to_have_css("background-color", "rgb(0, 128, 0)")
    page.get_by_role("button", name="E", exact=True).click()
    expect(page.get_by_role("button", name="E", exact=True)).to_have_css("background-color", "rgb(0, 128, 0)")
    assert jquery_loads(seen) == 1  # once per page


@pytest.mark.browser
def test_code_keeps_its_order_while_jquery_loads_and_eval_js_gets_a_jquery_value(page, serve):
    def main() -> None:
        put_html('<p id="word"></p>')
        put_text("ready")
        input("wait")  # the page loads first: what follows arrives over the stream
        run_js("$('#word').text('first')")
        run_js("document.getElementById('word').textContent += ' second'")  # no $: waits for the one before
        put_html("<script>$('#word').append(' third')</script>")
        put_text("said:", eval_js('$("#word").text()'))

    visit(page, serve(main))
    expect(page.get_by_text("ready")).to_be_visible()
    page.get_by_label("wait").fill("go")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("said: first second third")).to_be_visible()
    expect(page.locator("#word")).to_have_text("first second third")


@pytest.mark.browser
def test_a_page_that_never_uses_jquery_does_not_download_it(page, serve):
    def main() -> None:
        run_js("document.title = `n=${1 + 1}`")  # template literals are not jQuery
        put_html("<script>document.body.dataset.total = `${2 * 3}`</script>")
        put_text("result:", eval_js("`${40 + 2}`"))

    seen = record_requests(page)
    visit(page, serve(main), stream=False)
    expect(page.get_by_text("result: 42")).to_be_visible()
    expect(page).to_have_title("n=2")
    expect(page.locator("body")).to_have_attribute("data-total", "6")
    assert page.evaluate("typeof window.jQuery") == "undefined"
    assert jquery_loads(seen) == 0, seen


@pytest.mark.browser
def test_config_js_code_with_jquery_runs_at_page_load(page, serve):
    @config(js_code="$(function () { $('#pywebio-scope-ROOT').attr('data-ready', 'yes'); });")
    def main() -> None:
        put_text("hi")

    visit(page, serve(main), stream=False)
    expect(page.locator("#pywebio-scope-ROOT")).to_have_attribute("data-ready", "yes")


# ---- in chromium: CSS written for PyWebIO's DOM -----------------------------------------------------

@pytest.mark.browser
def test_app_css_against_pywebio_ids_and_markdown_body_applies(page, serve):
    @config(css_style="#pywebio-scope-box {border: 3px solid rgb(255, 0, 0)} "
                      ".markdown-body table {border-collapse: separate; border-spacing: 7px}")
    def main() -> None:
        with use_scope("box"):
            put_text("boxed")
        put_table([["A", "B"], ["1", "2"]])
        put_markdown("""
            | player | points |
            | --- | --- |
            | Ada | 3 |
        """)

    visit(page, serve(main), stream=False)
    box = page.locator("#pywebio-scope-box")
    expect(box).to_have_text("boxed")
    expect(box).to_have_css("border-top-width", "3px")
    expect(box).to_have_css("border-top-color", "rgb(255, 0, 0)")
    tables = page.locator(".markdown-body table")
    expect(tables).to_have_count(2)
    for table in tables.all():
        expect(table).to_have_css("border-spacing", "7px")


@pytest.mark.browser
def test_the_input_panel_still_stays_in_view_inside_input_container(page, serve):
    def main() -> None:
        for n in range(80):
            put_text(f"line {n}")
        input("name")

    visit(page, serve(main))
    form = page.locator("#input-container form")
    expect(form).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    expect(form).to_be_in_viewport()  # the fixed panel is sticky to the bottom of the window
