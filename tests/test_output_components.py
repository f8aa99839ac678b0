"""The output components beyond text and buttons: code, links, images, files, alerts, progress, tables,
containers, layout, widgets and popups, read from the HTML a user receives."""
from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup

from htmio.exceptions import ScopeError
from htmio.mustache import MustacheError
from htmio.output import (
    close_popup,
    popup,
    put_buttons,
    put_code,
    put_collapse,
    put_column,
    put_error,
    put_file,
    put_grid,
    put_html,
    put_image,
    put_info,
    put_link,
    put_loading,
    put_markdown,
    put_processbar,
    put_progressbar,
    put_row,
    put_scope,
    put_scrollable,
    put_success,
    put_table,
    put_tabs,
    put_text,
    put_warning,
    put_widget,
    set_processbar,
    set_scope,
    span,
    style,
    use_scope,
)

EVIL = "<script>alert(1)</script>"


def root(page):
    return page.soup.select_one("#pywebio-scope-ROOT")


def sent(page) -> BeautifulSoup:
    page.session.flush()
    return BeautifulSoup("".join(m.data for m in page.session.messages), "html.parser")


def png(size: int = 8) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "red").save(buffer, format="PNG")
    return buffer.getvalue()


# ---- code ----------------------------------------------------------------------------------------

def test_put_code_is_highlighted_on_the_server(open_app):
    page = open_app(lambda: put_code("def f():\n    return 1  # one", language="python"))
    pre = root(page).select_one("pre.htmio-code")
    assert pre["data-language"] == "python"
    assert pre.select_one("span.k").get_text() == "def"  # a keyword token
    assert pre.select_one("span.c1").get_text() == "# one"
    assert pre.get_text() == "def f():\n    return 1  # one"


def test_put_code_escapes_and_shows_unknown_languages_plain(open_app):
    page = open_app(lambda: put_code(EVIL, language="no-such-language", rows=2))
    pre = root(page).select_one("pre.htmio-code")
    assert pre.select_one("script") is None and pre.select_one("span") is None
    assert pre.get_text() == EVIL
    assert pre["style"] == "max-height: 70px"


def test_put_code_rejects_bad_rows(raised_in_app):
    assert "rows must be a positive int" in raised_in_app(lambda: put_code("x", rows=0), ValueError)


def test_markdown_code_blocks_are_highlighted_too(open_app):
    page = open_app(lambda: put_markdown("```python\nimport os\n```"))
    assert root(page).select_one(".htmio-markdown pre code span.kn").get_text() == "import"


# ---- links -----------------------------------------------------------------------------------

def test_put_link_to_a_url_and_to_an_app(open_app):
    def main():
        put_link("docs", url="https://example.org/?a=1&b=2", new_window=True)
        put_link("other app", app="settings")

    page = open_app(main)
    first, second = root(page).select("a.htmio-link")
    assert first["href"] == "https://example.org/?a=1&b=2"
    assert first["target"] == "_blank" and "noopener" in first["rel"]
    assert second["href"] == "/?app=settings" and second.get("target") is None


@pytest.mark.parametrize("kwargs", [{}, {"url": "x", "app": "y"}, {"app": "bad name"}])
def test_put_link_needs_exactly_one_valid_target(raised_in_app, kwargs):
    assert "put_link" in raised_in_app(lambda: put_link("x", **kwargs), ValueError)


# ---- images and files ---------------------------------------------------------------------

def test_small_image_bytes_are_inlined(open_app):
    data = png()
    page = open_app(lambda: put_image(data, title="red <square>", width=40))
    img = root(page).select_one("img.htmio-image")
    assert img["src"].startswith("data:image/png;base64,")
    assert img["alt"] == "red <square>"
    assert img["style"] == "width: 40px"


def test_a_large_image_is_served_by_the_session_with_its_exact_bytes(open_app):
    data = png(400) + b"\0" * 20_000  # PNG readers stop at IEND; the padding makes it large
    page = open_app(lambda: put_image(data, width="50%", height=100))
    img = root(page).select_one("img.htmio-image")
    assert img["src"].startswith(page.url + "/media/")
    assert img["style"] == "width: 50%;height: 100px"
    response = page.http.get(img["src"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == data


def test_media_is_only_for_the_sessions_own_browser(open_app):
    page = open_app(lambda: put_image(png(200) + b"\0" * 20_000))
    url = root(page).select_one("img")["src"]
    page.http.cookies.clear()
    assert page.http.get(url).status_code == 403


def test_a_removed_image_frees_its_bytes(open_app):
    import gc

    from htmio.output import remove

    def main():
        with use_scope("pic"):
            put_image(png(300) + b"\0" * 20_000)
        put_buttons(["drop"], onclick=lambda _: remove("pic"))

    page = open_app(main)
    url = root(page).select_one("img")["src"]
    assert page.http.get(url).status_code == 200
    page.click("drop")
    gc.collect()
    response = page.http.get(url)
    assert response.status_code == 404 and "This image is gone" in response.text


def test_pil_images_and_matplotlib_figures_go_through_put_image(open_app):
    from PIL import Image

    def main():
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        put_image(Image.new("RGBA", (4, 4)))
        put_image(Image.new("RGB", (4, 4)))
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([1, 2, 3])
        put_image(fig, title="plot")
        plt.close(fig)

    page = open_app(main)
    sources = [img["src"] for img in root(page).select("img")]
    assert sources[0].startswith("data:image/png;")
    assert sources[1].startswith("data:image/jpeg;")
    assert sources[2].startswith(("data:image/png;", page.url + "/media/"))


@pytest.mark.parametrize(("src", "expected", "error"), [
    (b"not an image", "format='png'", ValueError),
    (12, "not int", TypeError),
])
def test_put_image_explains_what_it_takes(raised_in_app, src, expected, error):
    assert expected in raised_in_app(lambda: put_image(src), error)


def test_put_image_refuses_css_injection_in_sizes(raised_in_app):
    assert "not a CSS size" in raised_in_app(lambda: put_image("x.png", width='1px" onload="x'), ValueError)


def test_put_file_downloads_the_exact_bytes_under_its_name(open_app):
    data = bytes(range(256)) * 10
    page = open_app(lambda: put_file("résumé 1.bin", data, label="Get it"))
    link = root(page).select_one("a.htmio-file")
    assert link["download"] == "résumé 1.bin"
    assert "Get it" in link.get_text() and "2.5 KB" in link.get_text()
    response = page.http.get(link["href"])
    assert response.content == data
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9%201.bin" in response.headers["content-disposition"]


def test_put_file_wants_bytes(raised_in_app):
    assert "encode text first" in raised_in_app(lambda: put_file("a.txt", "text"), TypeError)


# ---- alerts, loading, progress ------------------------------------------------------------

def test_alerts_hold_texts_and_outputs(open_app):
    def main():
        put_info("plain", put_code("x"))
        put_success(EVIL)
        put_warning("w")
        put_error("e")

    page = open_app(main)
    boxes = root(page).select(".htmio-alert")
    assert [b["class"][1] for b in boxes] == ["htmio-alert-info", "htmio-alert-success", "htmio-alert-warning",
                                             "htmio-alert-danger"]
    assert boxes[0].select_one("pre.htmio-code") is not None
    assert boxes[1].select_one("script") is None and boxes[1].get_text(strip=True) == EVIL
    assert boxes[3]["role"] == "alert"


def test_a_closable_alert_is_removed_on_the_server(open_app):
    page = open_app(lambda: put_info("bye", closable=True))
    form = root(page).select_one(".htmio-alert-close")
    response = page.http.post(form["action"], data={"_token": page._token()}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    page.refresh()
    assert root(page).select_one(".htmio-alert") is None


def test_alerts_collect_outputs_in_a_with_block(open_app):
    def main():
        with put_warning() as name:
            put_text("inside")
        put_text("outside")
        put_text("later", scope=name)

    page = open_app(main)
    box = root(page).select_one(".htmio-alert")
    assert [p.get_text() for p in box.select(".htmio-text")] == ["inside", "later"]
    assert page.texts() == ["inside", "later", "outside"]


def test_put_loading_in_a_with_block_removes_itself_and_its_outputs(open_app):
    def main():
        with put_loading(shape="grow", color="primary"):
            put_text("working")
            input_wait("continue?")
        put_text("done")

    from htmio.input import input as input_wait

    page = open_app(main)
    loading = root(page).select_one(".htmio-loading")
    assert loading.select_one(".htmio-spinner-grow.htmio-fg-primary") is not None
    assert [p.get_text() for p in loading.select(".htmio-text")] == ["working"]
    page.submit("yes")
    assert page.texts() == ["done"]
    assert root(page).select_one(".htmio-loading") is None


def test_put_loading_styles_its_spinner(open_app):
    page = open_app(lambda: put_loading().style("width: 4rem"))
    spinner = root(page).select_one(".htmio-loading .htmio-spinner")
    assert spinner["style"] == "width: 4rem" and spinner["role"] == "status"
    assert root(page).select_one(".htmio-loading").get("style") is None


def test_put_loading_checks_its_arguments(raised_in_app):
    assert "use 'border' or 'grow'" in raised_in_app(lambda: put_loading(shape="square"), ValueError)


def test_progress_bars_move_and_close(open_app):
    def main():
        put_processbar("a", 0.25)
        put_progressbar("b", label="starting", auto_close=True)
        set_processbar("a", 0.5, label="half")
        set_processbar("b", 1)

    page = open_app(main)
    bars = root(page).select(".htmio-progress")
    assert len(bars) == 1
    assert bars[0]["aria-valuenow"] == "50.0" and bars[0].get_text() == "half"
    assert "width: 50.0%" in bars[0].select_one(".htmio-progress-bar")["style"]


def test_progress_updates_travel_as_replacements(open_app):
    def main():
        put_processbar("p")
        input_wait()

    from htmio.input import input as input_wait

    page = open_app(main)
    from htmio.callbacks import Callback

    page.session.callbacks.run(Callback(lambda: set_processbar("p", 0.75)))
    page.wait_settled()
    bar_id = root(page).select_one(".htmio-progress")["id"]
    swaps = sent(page).select(f'hx-partial[hx-target="#{bar_id}"][hx-swap="outerHTML"]')
    assert swaps and swaps[-1].select_one(".htmio-progress")["aria-valuenow"] == "75.0"
    page.refresh()
    assert root(page).select_one(".htmio-progress")["aria-valuenow"] == "75.0"


def test_set_processbar_names_an_unknown_bar(raised_in_app):
    assert "make it first with put_processbar('nope')" in raised_in_app(lambda: set_processbar("nope", 1), ValueError)


# ---- tables ----------------------------------------------------------------------------------

def cells(table):
    return [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in table.select("tr")]


def test_put_table_first_row_is_the_header(open_app):
    page = open_app(lambda: put_table([["Name", "Age"], ["Ada", 36], [EVIL, None]]))
    table = root(page).select_one("table.htmio-table")
    assert [th.get_text() for th in table.select("thead th")] == ["Name", "Age"]
    assert cells(table)[1:] == [["Ada", "36"], [EVIL, ""]]
    assert table.select_one("script") is None


def test_put_table_dict_rows(open_app):
    def main():
        put_table([{"name": "Ada", "age": 36}, {"name": "Alan"}])
        put_table([{"name": "Ada", "age": 36}], header=["age", "name"])
        put_table([{"name": "Ada"}], header=[(put_text("Who"), "name")])

    page = open_app(main)
    first, second, third = root(page).select("table")
    assert cells(first) == [["Name", "Age"], ["Ada", "36"], ["Alan", ""]]
    assert cells(second) == [["age", "name"], ["36", "Ada"]]
    assert third.select_one("thead .htmio-text").get_text() == "Who"


def test_put_table_spans_and_nested_outputs(open_app):
    def main():
        put_table([
            [span("Name", row=2), span("Contact", col=2)],
            ["Email", "Phone"],
            ["Ada", put_table([["inner"], ["x"]]), put_buttons(["call"], onclick=lambda v: put_text("calling"))],
        ])

    page = open_app(main)
    table = root(page).select_one("table")
    head = table.select_one("tr").find_all("th", recursive=False)  # the header row, first of the body
    assert (head[0]["rowspan"], head[1]["colspan"]) == ("2", "2")
    assert table.select_one("table table") is not None  # nested
    page.click("call")
    page.wait_for_text("calling")


def test_a_dataframe_goes_through_put_table(open_app):
    import pandas as pd

    frame = pd.DataFrame({"city": ["Oslo", "Lima"], "temp": [3.5, 19.0]})
    page = open_app(lambda: put_table(frame))
    assert cells(root(page).select_one("table")) == [["city", "temp"], ["Oslo", "3.5"], ["Lima", "19.0"]]


def test_outputs_given_to_a_table_appear_only_inside_it(open_app):
    def main():
        inner = put_text("cell")
        put_table([["a"], [inner]])

    page = open_app(main)
    assert len(page.soup.select(".htmio-text")) == 1
    assert page.soup.select_one("table .htmio-text").get_text() == "cell"
    # and the stream never sends it to the root on its own
    assert all(p.find_parent("table") is not None for p in sent(page).select(".htmio-text"))


@pytest.mark.parametrize(("tdata", "expected"), [
    ("abc", "list of rows"),
    ([["a"], "b"], "row 1 is 'b'"),
])
def test_put_table_explains_bad_shapes(raised_in_app, tdata, expected):
    assert expected in raised_in_app(lambda: put_table(tdata), TypeError)


def test_span_checks_its_sizes():
    with pytest.raises(ValueError, match="at least 1"):
        span("x", col=0)


# ---- containers ------------------------------------------------------------------------------

def test_put_collapse_holds_content_and_collects_a_block(open_app):
    def main():
        put_collapse(EVIL, [put_text("a"), "b"])
        with put_collapse("more", open=True):
            put_text("c")

    page = open_app(main)
    first, second = root(page).select("details.htmio-collapse")
    assert first.summary.get_text() == EVIL and not first.has_attr("open")
    assert [p.get_text() for p in first.select(".htmio-text")] == ["a", "b"]
    assert second.has_attr("open") and second.select_one(".htmio-text").get_text() == "c"


def test_put_scrollable_sizes(open_app):
    def main():
        put_scrollable(put_text("x"), height=120, keep_bottom=True)
        put_scrollable([], height=(50, 200), border=False)
        put_scrollable(height=None)
        put_scrollable(max_height=80)

    page = open_app(main)
    boxes = root(page).select(".htmio-scrollable")
    assert [b.get("style") for b in boxes] == ["height: 120px", "min-height: 50px; max-height: 200px", None,
                                               "height: 80px"]
    assert boxes[0].has_attr("data-htmio-keep-bottom") and "htmio-bordered" in boxes[0]["class"]
    assert "htmio-bordered" not in boxes[1]["class"]


def test_put_tabs_switch_with_radios(open_app):
    def main():
        put_tabs([{"title": "One", "content": "first"}, {"title": EVIL, "content": [put_text("x"), put_text("y")]}])

    page = open_app(main)
    tabs = root(page).select_one(".htmio-tabs")
    radios = tabs.select("input.htmio-tab-radio")
    labels = tabs.select("label.htmio-tab-title")
    assert [r.has_attr("checked") for r in radios] == [True, False]
    assert [lab["for"] for lab in labels] == [r["id"] for r in radios]
    assert labels[1].get_text() == EVIL
    panels = tabs.select(".htmio-tab-panel")
    assert [[p.get_text() for p in panel.select(".htmio-text")] for panel in panels] == [["first"], ["x", "y"]]


def test_put_tabs_explains_its_shape(raised_in_app):
    assert "'title' and 'content'" in raised_in_app(lambda: put_tabs([{"content": "x"}]), ValueError)


def test_put_widget_renders_mustache_with_outputs(open_app):
    tpl = ("<section class='w'><h3>{{title}}</h3>{{#items}}<div class='i'>{{& pywebio_output_parse}}</div>{{/items}}"
           "{{^empty}}<p class='none'>none</p>{{/empty}}{{! a comment }}<i>{{{raw}}}</i><b>{{user.name}}</b></section>")

    def main():
        put_widget(tpl, {"title": EVIL, "items": ["text", put_markdown("**md**")], "empty": [],
                         "raw": "<u>u</u>", "user": {"name": "Ada"}})

    page = open_app(main)
    widget = root(page).select_one(".htmio-widget section.w")
    assert widget.h3.get_text() == EVIL and widget.select_one("script") is None
    items = widget.select(".i")
    assert items[0].get_text() == "text" and items[1].select_one(".htmio-markdown strong").get_text() == "md"
    assert widget.select_one("p.none") is not None and widget.select_one("i u") is not None
    assert widget.b.get_text() == "Ada"


def test_put_widget_reports_unclosed_sections_at_once(raised_in_app):
    assert "never closed" in raised_in_app(lambda: put_widget("{{#a}}x", {}), MustacheError)


# ---- layout ----------------------------------------------------------------------------------

def test_put_row_and_column_with_gaps_and_sizes(open_app):
    def main():
        put_row([put_text("a"), None, put_text("b")], size="1fr 10px 2fr")
        put_column([put_text("c"), put_text("d")])
        with put_row() as name:
            put_text("e")
        put_text("f", scope=name)

    page = open_app(main)
    row, column, collected = root(page).select(".htmio-row, .htmio-column")
    assert row["style"] == "display: grid; grid-template-columns: 1fr 10px 2fr"
    assert [c["class"][0] for c in row.children] == ["htmio-text", "htmio-gap", "htmio-text"]
    assert "htmio-column" in column["class"] and column.get("style") is None
    assert [p.get_text() for p in collected.select(".htmio-text")] == ["e", "f"]


def test_put_row_items_are_outputs_or_none(raised_in_app):
    assert "wrap text in put_text()" in raised_in_app(lambda: put_row(["text"]), TypeError)


def test_put_grid_places_spans(open_app):
    def main():
        put_grid([[put_text("a"), put_text("b"), None], [span(put_text("wide"), col=2), put_text("c")]],
                 cell_width="100px")

    page = open_app(main)
    grid = root(page).select_one(".htmio-grid")
    assert "grid-template-columns: repeat(3, 100px)" in grid["style"]
    assert "grid-template-rows: repeat(2, auto)" in grid["style"]
    cells_ = grid.select(".htmio-grid-cell")
    assert len(cells_) == 5 and cells_[3]["style"] == "grid-column: span 2;"
    assert cells_[2].get_text() == ""


def test_put_grid_by_columns(open_app):
    page = open_app(lambda: put_grid([[put_text("a"), put_text("b")]], direction="column", cell_heights="1fr 2fr"))
    grid = root(page).select_one(".htmio-grid")
    assert "grid-template-columns: repeat(1, auto)" in grid["style"]
    assert "grid-template-rows: 1fr 2fr" in grid["style"] and "grid-auto-flow: column" in grid["style"]


# ---- any output -------------------------------------------------------------------------------

def test_style_and_onclick_work_inside_containers(open_app):
    def main():
        text = put_text("inner").style("color: red").onclick(lambda: put_text("clicked"))
        put_table([["h"], [text]])
        style([put_code("a"), put_code("b")], "border: 0")

    page = open_app(main)
    cell = root(page).select_one("td .htmio-text")
    assert cell["style"] == "color: red"
    assert cell["hx-post"].startswith(page.url + "/click/")
    assert [p["style"] for p in root(page).select("pre")] == ["border: 0", "border: 0"]
    response = page.http.post(cell["hx-post"], data={"_token": page._token()}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    page.wait_for_text("clicked")


def test_a_plain_output_in_a_with_block_says_which_can(raised_in_app):
    def action():
        with put_text("x"):
            pass

    assert "put_text() cannot collect outputs in a with block" in raised_in_app(action, TypeError)


def test_container_scopes_are_fresh_and_set_scope_follows_if_exist(open_app):
    def main():
        set_scope("a")
        put_text("1", scope="a")
        set_scope("a")  # exists: left alone
        set_scope("a", if_exist="clear")
        put_text("2", scope="a")
        set_scope("b", container_scope="a", position=0)
        set_scope("a", if_exist="remove")
        put_text("3", scope="a")

    page = open_app(main)
    assert page.texts("a") == ["3"]


# ---- popups ----------------------------------------------------------------------------------

def test_popup_shows_content_and_a_new_one_replaces_the_old(open_app):
    def main():
        popup("First", "one")
        popup(EVIL, [put_text("two"), put_table([["x"]])], size="large")

    page = open_app(main)
    dialogs = page.soup.select("#htmio-popups dialog.htmio-popup")
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.h2.get_text() == EVIL and "htmio-popup-large" in dialog["class"]
    assert [p.get_text() for p in dialog.select(".htmio-text")] == ["two"]
    assert dialog.select_one("table") is not None
    assert dialog.find_parent()["data-htmio-implicit-close"] == ""


def test_popup_as_a_context_collects_outputs_and_closes(open_app):
    def main():
        with popup("Title", closable=False) as name:
            put_text("inside")
        put_text("outside")
        put_text("later", scope=name)
        put_buttons(["close"], onclick=lambda _: close_popup())

    page = open_app(main)
    dialog = page.soup.select_one("dialog.htmio-popup")
    assert [p.get_text() for p in dialog.select(".htmio-text")] == ["inside", "later"]
    assert dialog.select_one(".htmio-popup-close") is None and not dialog.has_attr("data-htmio-close")
    assert not dialog.find_parent().has_attr("data-htmio-implicit-close")
    page.click("close")
    assert page.soup.select_one("dialog") is None
    assert page.texts() == ["outside"]


def test_the_close_button_closes_only_its_own_popup(open_app):
    def main():
        popup("old", "x")

    page = open_app(main)
    old_close = page.soup.select_one("dialog form")["action"]
    from htmio.callbacks import Callback

    page.session.callbacks.run(Callback(lambda: popup("new", "y")))
    page.wait_settled()
    page.http.post(old_close, data={"_token": page._token()}, headers={"HX-Request": "true"})
    page.refresh()
    assert page.soup.select_one("dialog h2").get_text() == "new"
    close = page.soup.select_one("dialog form")
    without_js = page.http.post(close["action"], data={"_token": page._token()}, follow_redirects=False)
    assert without_js.status_code == 303
    page.refresh()
    assert page.soup.select_one("dialog") is None


def test_popup_checks_its_size(raised_in_app):
    assert "use 'large', 'normal' or 'small'" in raised_in_app(lambda: popup("x", size="huge"), ValueError)


def test_container_names_do_not_clash_with_user_scopes(open_app):
    def main():
        put_scope("c1")
        with put_row():
            put_text("x")
        with pytest.raises(ScopeError):
            put_scope("c1")

    page = open_app(main)
    assert re.fullmatch(r"pywebio-scope-c[0-9a-f]{10}", root(page).select_one(".htmio-row")["id"])


@pytest.mark.parametrize("call", [
    lambda: put_table([["a"]]), lambda: popup("t", "x"), lambda: put_row([]), lambda: put_code("x"),
    lambda: put_image(b"GIF89a"), lambda: set_processbar("p", 1), lambda: close_popup(),
])
def test_outside_a_session_every_output_says_how_to_run_the_app(call):
    # in a REPL, put_table(...).show() fails at once with the way out, and never waits for a page
    from htmio.exceptions import SessionNotFoundException

    with pytest.raises(SessionNotFoundException, match="start_server"):
        call()


def test_put_html_marks_its_scripts_to_run_in_order_and_leaves_data_blocks(open_app):
    html = ('<script src="lib.js"></script><script>draw()</script><script type="module">import "m"</script>'
            '<script type="application/json" id="d">{"a": 1}</script>')
    page = open_app(lambda: put_html(html))
    scripts = root(page).select(".htmio-html script")
    assert [s.get("type") for s in scripts] == ["text/x-htmio-script"] * 3 + ["application/json"]
    assert scripts[0]["src"] == "lib.js" and scripts[1].string == "draw()"
    assert scripts[2]["data-htmio-type"] == "module" and not scripts[0].has_attr("data-htmio-type")
    sanitized = open_app(lambda: put_html(html, sanitize=True))
    assert root(sanitized).select(".htmio-html script") == []


def test_the_output_placeholder_resets_appends_and_inserts_inside_a_container(open_app):
    from htmio.output import output

    def main():
        board = output("waiting")
        put_table([["status"], [board]])
        board.reset(put_text("ready"))
        board.append("b", put_text("c"))
        board.insert(0, "a")
        board.insert(-1, "between")  # like position=-1: after the last

    page = open_app(main)
    cell = root(page).select_one("table td")
    assert [p.get_text() for p in cell.select(".htmio-text")] == ["a", "ready", "b", "c", "between"]
    assert len(root(page).select(".htmio-text")) == 5  # nothing of it left outside the table
