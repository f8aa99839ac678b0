"""PyWebIO programs that ran wrong on htmio's output module (issue 12), each as a small app written the way
PyWebIO users write them: indented triple-quoted Markdown, PyWebIO's names, ``await`` on outputs in
``async def`` apps, the ``output()`` placeholder, spans in table headers and grids."""
from __future__ import annotations

import copy
import warnings

from bs4 import BeautifulSoup, Tag

from htmio.input import input
from htmio.output import (Output, OutputList, output, put_grid, put_markdown, put_row, put_scope, put_table,
                          put_text, span, style, use_scope)
from htmio.pin import put_input
from htmio.scopes import ROOT, scope_dom_id

# ---- helpers -------------------------------------------------------------------------------------

def root(page) -> Tag:
    return page.element(ROOT)


def markdown(page) -> Tag:
    found = root(page).select_one(".htmio-markdown")
    assert found is not None, page.text()
    return found


def apply_messages(soup: BeautifulSoup, messages: list[str]) -> None:
    """Apply SSE messages to a page the way htmx 4 does: every target of a message is looked up before
    any of its swaps runs; a swap whose target is gone (or off the page) does nothing."""
    for data in messages:
        parts = BeautifulSoup(data, "html.parser").find_all("hx-partial", recursive=False)
        targets = [soup.find(id=part["hx-target"].removeprefix("#")) for part in parts]
        for part, target in zip(parts, targets):
            swap = part["hx-swap"]
            if target is None or not _on_page(target, soup):
                continue
            content = [copy.copy(c) for c in part.contents]
            if swap == "beforeend":
                for item in content:
                    target.append(item)
            elif swap == "beforebegin":
                for item in content:
                    target.insert_before(item)
            elif swap == "delete":
                target.extract()
            elif swap == "outerHTML":
                target.replace_with(*content)
            else:
                raise AssertionError(f"apply_messages does not know the swap {swap!r}")


def _on_page(tag: Tag, soup: BeautifulSoup) -> bool:
    while tag.parent is not None:
        tag = tag.parent
    return tag is soup


def live_and_reloaded(page, action) -> tuple[str, str]:
    """The ROOT scope's text as the open page shows it after ``action()`` (the page as it was, with every
    message the session sent meanwhile applied), and as a reload shows it."""
    page.session.flush()
    seen = page.session.seq
    before = copy.copy(page.soup)
    action()
    page.session.flush()
    sent = [m.data for m in page.session.messages if m.id > seen]
    apply_messages(before, sent)
    live = before.find(id=scope_dom_id(ROOT))
    assert live is not None
    return live.get_text(" ", strip=True), root(page).get_text(" ", strip=True)


# ---- 1. Markdown written the usual way --------------------------------------------------------------

def test_indented_triple_quoted_markdown_is_markdown_not_a_code_block(open_app):
    def main():
        put_markdown("""# Weekly report
        Figures come from the [dashboard](https://example.org/dash).

        | city | temp |
        | ---- | ---- |
        | Oslo | 3.5  |
        | Lima | 19.0 |

        ## How to read them
        ```python
        print("fenced code stays code")
        ```

            indented code stays code too
        """)

    page = open_app(main)
    md = markdown(page)
    assert md.select_one("h1").get_text() == "Weekly report"
    assert md.select_one("h2").get_text() == "How to read them"
    assert md.select_one("a")["href"] == "https://example.org/dash"
    assert [td.get_text() for td in md.select("table td")] == ["Oslo", "3.5", "Lima", "19.0"]
    blocks = [pre.get_text() for pre in md.select("pre")]
    assert blocks == ['print("fenced code stays code")\n', "indented code stays code too\n"]


def test_markdown_starting_on_the_line_after_the_quotes(open_app):
    def main():
        with use_scope("notes"):
            put_markdown("""
            ### Notes
            - one
            - two
            """)

    md = markdown(open_app(main))
    assert md.select_one("h3").get_text() == "Notes"
    assert [li.get_text() for li in md.select("li")] == ["one", "two"]
    assert md.select_one("pre") is None


def test_lstrip_false_keeps_the_text_as_it_is(open_app):
    text = """Intro

            kept = "indented"
        """

    def main():
        put_markdown(text, lstrip=False)
        put_markdown(text)

    kept, stripped = root(open_app(main)).select(".htmio-markdown")
    assert kept.select_one("p").get_text() == "Intro"
    assert kept.select_one("pre").get_text() == '        kept = "indented"\n'  # 12 spaces: code, less 4
    assert [p.get_text() for p in stripped.select("p")] == ["Intro", 'kept = "indented"']


def test_strip_indent_is_deprecated_as_in_pywebio(open_app):
    caught: list[warnings.WarningMessage] = []

    def main():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            put_markdown("""## Old style
            text
            """, strip_indent=4)
        caught.extend(seen)

    md = markdown(open_app(main))
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "strip_indent" in str(caught[0].message)
    assert caught[0].filename == __file__  # points at the app's call, not into htmio
    assert md.select_one("h2").get_text() == "Old style" and md.select_one("pre") is None


# ---- 2. PyWebIO's names --------------------------------------------------------------------------

# PyWebIO 1.8's ``pywebio.output.__all__``: what ``from pywebio.output import *`` brings
PYWEBIO_OUTPUT_ALL = [
    "Position", "OutputPosition", "remove", "scroll_to", "put_tabs", "put_scope", "put_text", "put_html",
    "put_code", "put_markdown", "use_scope", "set_scope", "clear", "put_table", "put_buttons", "put_image",
    "put_file", "PopupSize", "popup", "put_button", "close_popup", "put_widget", "put_collapse", "put_link",
    "put_scrollable", "style", "put_column", "put_row", "put_grid", "span", "put_progressbar", "set_progressbar",
    "put_processbar", "set_processbar", "put_loading", "output", "toast", "get_scope", "put_info", "put_error",
    "put_warning", "put_success", "put_datatable", "datatable_update", "datatable_insert", "datatable_remove",
    "JSFunction",
]


def test_clear_scope_and_output_list_import_by_name_but_not_with_a_star():
    from htmio.output import clear, clear_scope

    assert clear_scope is clear
    star: dict[str, object] = {}
    exec("from htmio.output import *", star)  # noqa: S102 - what an app's star import gets
    assert set(PYWEBIO_OUTPUT_ALL) <= set(star)
    assert "clear_scope" not in star and "OutputList" not in star  # as in PyWebIO


def test_clear_scope_empties_a_scope(open_app):
    from htmio.output import clear_scope

    def main():
        put_scope("log", [put_text("old line")])
        clear_scope("log")
        put_text("new line", scope="log")

    assert open_app(main).texts("log") == ["new line"]


def test_style_on_a_list_gives_an_output_list_that_containers_take(open_app):
    made: list[object] = []

    def main():
        cells = style([put_text("left"), put_text("right")], "color: red")
        made.append(cells)
        put_row(cells).style("margin-top: 4px")
        put_scope("more", style([put_text("in a scope")], "font-weight: bold"))
        cells.style("background: yellow")

    page = open_app(main)
    [cells] = made
    assert isinstance(cells, OutputList) and len(cells) == 2 and all(isinstance(c, Output) for c in cells)
    row = root(page).select_one(".htmio-row")
    assert [p.get_text() for p in row.select(".htmio-text")] == ["left", "right"]
    assert all("color: red" in p["style"] and "background: yellow" in p["style"] for p in row.select(".htmio-text"))
    assert page.texts() == ["left", "right", "in a scope"]  # each once, inside its container
    assert "font-weight: bold" in page.element("more").select_one(".htmio-text")["style"]


# ---- 3. await on outputs in coroutine sessions -----------------------------------------------------

def test_outputs_are_awaitable_in_an_async_app(open_app):
    async def main():
        put_text("first")
        shown = await put_text("second")
        put_text(type(shown).__name__)
        await put_markdown("""**bold**
        text""")
        async_row = await put_row([put_text("a"), put_text("b")])
        put_text(f"row is an output: {isinstance(async_row, Output)}")
        with use_scope("box"):
            await put_text("in the box")
        log = await output("placeholder")
        log.append("appended")
        await style([put_text("styled")], "color: green")
        await put_input("name", label="Name")
        await input("stop")

    page = open_app(main)
    assert page.texts() == ["first", "second", "Output", "a", "b", "row is an output: True", "in the box",
                            "placeholder", "appended", "styled"]
    assert page.texts("box") == ["in the box"]
    assert root(page).select_one(".htmio-markdown strong").get_text() == "bold"
    assert "name" in page.pins()


# ---- 4. output().insert() shows live -------------------------------------------------------------

def test_output_placeholder_changes_reach_the_open_page(open_app):
    def main():
        put_text("start")
        input("go")
        hobby = output(put_text("Coding"))
        put_table([["Name", "Hobbies"], ["Wang", hobby]])
        hobby.reset(put_text("Movie"))
        hobby.append(put_text("Music"), put_text("Drama"))
        hobby.insert(0, put_markdown("**Coding**"))
        input("more")
        hobby.insert(0, put_text("Reading"))
        hobby.insert(-1, "Chess")
        input("done")

    page = open_app(main)
    live, reloaded = live_and_reloaded(page, lambda: page.submit("x"))
    assert live == reloaded == "start Name Hobbies Wang Coding Movie Music Drama"
    live, reloaded = live_and_reloaded(page, lambda: page.submit("y"))
    assert live == reloaded == "start Name Hobbies Wang Reading Coding Movie Music Drama Chess"


def test_output_insert_keeps_the_order_of_several_items(open_app):
    def main():
        log = output("b", "c")
        log.insert(0, "a1", "a2")
        log.insert(-1, "d1", "d2")
        log.insert(-3, "c1", "c2")

    page = open_app(main)
    assert page.texts() == ["a1", "a2", "b", "c", "c1", "c2", "d1", "d2"]


# ---- 5. spans in table headers and grids ----------------------------------------------------------

def section(cell: Tag) -> Tag | None:
    return cell.find_parent(["thead", "tbody"])


def test_a_header_cell_spanning_two_rows_covers_the_first_body_row(open_app):
    def main():
        put_table([
            ["C"],
            [span("E", col=2)],
        ], header=[span("A", row=2), "B"])

    page = open_app(main)
    table = root(page).select_one("table")
    rows = table.find_all("tr")
    a, b = rows[0].find_all("th")
    [c] = rows[1].find_all("td")
    [e] = rows[2].find_all("td")
    assert (a.get_text(), a["rowspan"], b.get_text(), b.get("rowspan")) == ("A", "2", "B", None)
    assert (c.get_text(), e.get_text(), e["colspan"]) == ("C", "E", "2")
    assert section(a) is section(c)  # a rowspan cannot cross from <thead> into <tbody>
    assert page.tables() == [[["A", "B"], ["C"], ["E"]]]


def test_pywebio_span_example_without_header(open_app):
    def main():
        put_table([
            [span("Name", row=2), span("Address", col=2)],
            ["City", "Country"],
            ["Wang", "Beijing", "China"],
        ])

    table = root(open_app(main)).select_one("table")
    name = table.find("th", string="Name")
    city = table.find("td", string="City")
    assert name["rowspan"] == "2" and section(name) is section(city)


def test_a_header_without_row_spans_keeps_its_thead(open_app):
    table = root(open_app(lambda: put_table([["Ada", 36]], header=["name", span("age")]))).select_one("table")
    assert [th.get_text() for th in table.select("thead th")] == ["name", "age"]
    assert [td.get_text() for td in table.select("tbody td")] == ["Ada", "36"]


def test_a_grid_pads_lines_around_row_spans(open_app):
    def main():
        put_grid([
            [span(put_text("A"), row=2), put_text("B"), put_text("D")],
            [put_text("C")],
            [put_text("E"), put_text("F"), put_text("G")],
        ], cell_width="100px", cell_height="40px")

    grid = root(open_app(main)).select_one(".htmio-grid")
    cells = grid.find_all(class_="htmio-grid-cell", recursive=False)
    assert [c.get_text(strip=True) for c in cells] == ["A", "B", "D", "C", "", "E", "F", "G"]
    assert "grid-row: span 2" in cells[0]["style"]
    assert "grid-template-columns: repeat(3, 100px)" in grid["style"]
    assert "grid-template-rows: repeat(3, 40px)" in grid["style"]


def test_a_grid_span_reaching_past_the_last_line_adds_a_line(open_app):
    def main():
        put_grid([[put_text("A"), span(put_text("B"), row=3)], [put_text("C")]], direction="row")

    grid = root(open_app(main)).select_one(".htmio-grid")
    assert "grid-template-rows: repeat(3, auto)" in grid["style"]
    assert "grid-template-columns: repeat(2, auto)" in grid["style"]
