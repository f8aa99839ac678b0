"""What only a browser shows of htmio's CSS meeting CSS and markup written for PyWebIO: a row of buttons placed
by the text-align around it, tables as wide as their cells, the file chooser showing its placeholder and then
the chosen names, and HTML in Markdown (clickable, or with its own script) behaving as in PyWebIO."""
from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from htmio import config
from htmio.input import file_upload, input
from htmio.output import put_buttons, put_html, put_markdown, put_row, put_scope, put_table, put_text, use_scope
from htmio.pin import pin_wait_change, put_file_upload
from htmio.session import hold
from tests.browser_support import submit, visit


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return found


def right(b: dict[str, float]) -> float:
    return b["x"] + b["width"]


def centre(b: dict[str, float]) -> float:
    return b["x"] + b["width"] / 2


def scope(page: Page, name: str) -> Locator:
    return page.locator(f"#pywebio-scope-{name}")


def buttons_of(page: Page, name: str) -> list[dict[str, float]]:
    return [box(b) for b in scope(page, name).get_by_role("button").all()]


def lines(boxes: list[dict[str, float]]) -> list[list[dict[str, float]]]:
    """Buttons grouped by the line they sit on, top to bottom."""
    rows: dict[int, list[dict[str, float]]] = {}
    for b in boxes:
        rows.setdefault(round(b["y"]), []).append(b)
    return [sorted(rows[y], key=lambda b: b["x"]) for y in sorted(rows)]


# ---- buttons: inline, placed by text-align as PyWebIO's are ---------------------------------------------

CENTRED = """
#pywebio-scope-keys, #pywebio-scope-group, #pywebio-scope-many { text-align: center; }
#pywebio-scope-many { width: 300px; }
#pywebio-scope-right { text-align: right; }
"""


@pytest.mark.browser
def test_text_align_written_for_pywebio_places_each_line_of_buttons(page, serve):
    @config(css_style=CENTRED)
    def main():
        with use_scope("keys"):
            put_buttons(["A", "B", "C"], onclick=lambda v: None)
        with use_scope("group"):
            put_buttons(["one", "two"], onclick=lambda v: None, group=True, small=True)
        with use_scope("many"):
            put_buttons([f"key {i}" for i in range(9)], onclick=lambda v: None)  # wraps in 300px
        with use_scope("right"):
            put_buttons(["Save", "Cancel"], onclick=lambda v: None, link_style=True)
        hold()

    visit(page, serve(main))
    for name in ("keys", "group"):
        row, whole = buttons_of(page, name), box(scope(page, name))
        assert abs((row[0]["x"] + right(row[-1])) / 2 - centre(whole)) < 1.5, name

    many = lines(buttons_of(page, "many"))
    assert len(many) >= 3
    for line in many:  # every line centred on its own, as inline content is
        assert abs((line[0]["x"] + right(line[-1])) / 2 - centre(box(scope(page, "many")))) < 1.5

    saved = buttons_of(page, "right")
    assert abs(right(saved[-1]) - right(box(scope(page, "right")))) < 1.5


@pytest.mark.browser
def test_buttons_keep_their_spacing_flush_with_the_edges(page, serve):
    @config(css_style="#pywebio-scope-narrow { width: 260px; }")
    def main():
        with use_scope("plain"):
            put_buttons(["First", "Second", "Third"], onclick=lambda v: None)
        put_text("after the buttons")
        with use_scope("group"):
            put_buttons(["G1", "G2", "G3"], onclick=lambda v: None, group=True)
        with use_scope("narrow"):
            put_buttons([f"button {i}" for i in range(6)], onclick=lambda v: None, small=True)
        with use_scope("table"):
            put_table([["name", "actions"], ["pear", put_buttons(["buy", "sell"], onclick=lambda v: None, small=True)]])
        with use_scope("row"):
            put_row([put_buttons(["ok"], onclick=lambda v: None), put_text("a\nb\nc\nd")])
        hold()

    visit(page, serve(main))
    plain, edge = buttons_of(page, "plain"), box(scope(page, "plain"))
    assert abs(plain[0]["x"] - edge["x"]) < 0.5 and abs(plain[0]["y"] - edge["y"]) < 0.5  # flush, top and left
    assert [round(b["x"] - right(a), 1) for a, b in zip(plain, plain[1:])] == [8.0, 8.0]  # .5rem apart
    text = box(page.get_by_text("after the buttons"))
    assert round(text["y"] - (plain[0]["y"] + plain[0]["height"])) == 12  # .75rem below, as every output

    group = buttons_of(page, "group")
    assert [round(b["x"] - right(a), 1) for a, b in zip(group, group[1:])] == [0.0, 0.0]  # joined

    narrow = lines(buttons_of(page, "narrow"))
    assert len(narrow) >= 2
    assert all(abs(line[0]["x"] - box(scope(page, "narrow"))["x"]) < 0.5 for line in narrow)
    assert round(narrow[1][0]["y"] - (narrow[0][0]["y"] + narrow[0][0]["height"]), 1) == 8.0  # .5rem between lines
    assert all(right(line[-1]) <= right(box(scope(page, "narrow"))) + 0.5 for line in narrow)

    cell = box(scope(page, "table").locator("td").filter(has=page.get_by_role("button", name="buy")))
    buy, sell = box(page.get_by_role("button", name="buy")), box(page.get_by_role("button", name="sell"))
    assert buy["y"] == sell["y"] and round(sell["x"] - right(buy), 1) == 8.0
    assert buy["x"] > cell["x"] and right(sell) < right(cell) and buy["y"] + buy["height"] < cell["y"] + cell["height"]

    ok, words = box(page.get_by_role("button", name="ok")), box(scope(page, "row").locator(".htmio-text"))
    assert abs(ok["y"] - words["y"]) < 0.5 and ok["height"] < words["height"] / 2  # button-sized, at the top


# ---- tables: as wide as their cells -------------------------------------------------------------------

GRID = """
#pywebio-scope-grid td { width: 44px; height: 44px; padding: 0; }
"""


@pytest.mark.browser
def test_tables_shrink_to_their_cells_and_scroll_when_wider_than_the_page(page, serve):
    @config(css_style=GRID)
    def main():
        with use_scope("grid"):
            put_table([["", "", ""], ["", "", ""]], header=None)
        with use_scope("small"):
            put_table([["a", "b"], ["1", "2"]])
        with use_scope("wide"):
            put_table([[f"{'unbreakable' * 4}{i}" for i in range(6)]] * 2)  # long text wraps; long words cannot
        hold()

    visit(page, serve(main))
    for cell in scope(page, "grid").locator("td").all():
        b = box(cell)
        assert 44 <= b["width"] <= 46 and 44 <= b["height"] <= 46  # as the app wrote it (border included)

    page_width = box(page.locator(".htmio-doc"))["width"]
    assert box(scope(page, "small").locator("table"))["width"] < 0.2 * page_width  # not stretched to half the page

    wrap = scope(page, "wide").locator(".htmio-table-wrap")
    assert box(wrap)["width"] <= page_width
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the box scrolls, the page does not
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# ---- the file chooser: placeholder, then the chosen names ---------------------------------------------

@pytest.mark.browser
def test_file_upload_shows_its_placeholder_then_the_chosen_names(page, serve):
    def main():
        put_text("ready")
        files = file_upload("Reports", placeholder="Choose a report", multiple=True)
        put_text(", ".join(f["filename"] for f in files))
        one = file_upload("Photo")  # PyWebIO's default placeholder
        put_text(one["filename"])

    visit(page, serve(main))
    chooser = page.get_by_label("Reports")
    field = page.locator(".htmio-field").filter(has=chooser)
    expect(field.get_by_text("Choose a report", exact=True)).to_be_visible()
    expect(field.get_by_text("Browse", exact=True)).to_be_visible()
    expect(field).not_to_contain_text("No file chosen")

    # the native input lies over the whole box: a click on the placeholder opens the file chooser
    names, native = box(field.get_by_text("Choose a report")), box(chooser)
    assert native["x"] <= names["x"] and right(native) >= right(box(field.get_by_text("Browse", exact=True)))
    with page.expect_file_chooser() as opened:
        chooser.click(position={"x": names["x"] - native["x"] + 5, "y": native["height"] / 2})
    opened.value.set_files([{"name": "march.csv", "mimeType": "text/csv", "buffer": b"a\n"},
                            {"name": "april.csv", "mimeType": "text/csv", "buffer": b"b\n"}])
    expect(field.locator(".htmio-file-names")).to_have_text("march.csv, april.csv")

    page.locator("#htmio-inputs form.htmio-form").get_by_role("button", name="Reset").click()
    expect(field.locator(".htmio-file-names")).to_have_text("Choose a report")
    chooser.set_input_files([{"name": "may.csv", "mimeType": "text/csv", "buffer": b"c\n"}])
    expect(field.locator(".htmio-file-names")).to_have_text("may.csv")
    submit(page)
    expect(page.locator(".htmio-text")).to_have_text(["ready", "may.csv"])

    photo = page.locator(".htmio-field").filter(has=page.get_by_label("Photo"))
    expect(photo.get_by_text("Choose file", exact=True)).to_be_visible()
    # the keyboard reaches the native input, which shows the focus on the box
    page.get_by_label("Photo").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Photo")).to_be_focused()
    assert photo.locator(".htmio-file-face").evaluate("f => getComputedStyle(f).outlineStyle") == "solid"


@pytest.mark.browser
def test_the_pin_file_chooser_shows_its_placeholder_then_the_names(page, serve):
    def main():
        put_file_upload("photo", label="Photo", placeholder="Pick a picture")
        put_scope("got")
        while True:
            change = pin_wait_change("photo")
            with use_scope("got", clear=True):
                put_text("got", change["value"]["filename"])

    visit(page, serve(main))
    pin = page.locator("form.htmio-pin")
    expect(pin.get_by_text("Pick a picture", exact=True)).to_be_visible()
    page.get_by_label("Photo").set_input_files({"name": "cat.png", "mimeType": "image/png", "buffer": b"\x89PNG"})
    expect(scope(page, "got")).to_have_text("got cat.png")
    expect(pin.locator(".htmio-file-names")).to_have_text("cat.png")


@pytest.mark.browser
def test_without_javascript_the_native_file_input_shows_and_uploads(new_context, serve):
    def main():
        put_file_upload("photo", label="Photo", placeholder="Pick a picture")
        f = file_upload("Report", placeholder="Choose a report")
        put_text(f["filename"])

    page = new_context(java_script_enabled=False).new_page()
    visit(page, serve(main), stream=False)
    report = page.get_by_label("Report")
    expect(report).to_have_css("opacity", "1")  # the browser's own chooser tells which file is chosen
    expect(page.get_by_text("Choose a report", exact=True)).to_be_hidden()
    expect(page.get_by_text("Pick a picture", exact=True)).to_be_hidden()
    report.set_input_files({"name": "r.csv", "mimeType": "text/csv", "buffer": b"a,b\n"})
    submit(page)
    expect(page.locator(".htmio-text")).to_have_text(["r.csv"])


# ---- HTML in Markdown, in the browser -----------------------------------------------------------------

@pytest.mark.browser
def test_trusted_markdown_runs_its_script_and_clickable_html_stays_clickable(page, serve):
    def main():
        put_markdown("""## Preview
        <span id="stamp">waiting</span>
        <script>document.getElementById('stamp').textContent = 'stamped';</script>
        """, sanitize=False)
        put_markdown("Hi <kbd>there</kbd>").onclick(lambda: put_text("markdown clicked"))
        put_html("<b>bold html</b>").onclick(lambda: put_text("html clicked"))
        put_markdown("<img src=x onerror=\"document.title='owned'\"> safe")
        hold()

    visit(page, serve(main))
    expect(page.locator("#stamp")).to_have_text("stamped")
    page.get_by_text("there").click()
    expect(page.locator(".htmio-text")).to_have_text(["markdown clicked"])
    page.get_by_text("bold html").click()
    expect(page.locator(".htmio-text")).to_have_text(["markdown clicked", "html clicked"])
    assert page.title() != "owned"
