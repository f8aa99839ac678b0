"""What only a browser shows of issue 12's output items: spans laid out as PyWebIO lays them out (a header cell
spanning two rows, a grid cell spanning rows), row items stretched to the row's height, and changes to an
``output()`` placeholder reaching the open page where they belong."""
from __future__ import annotations

import struct
import zlib

import pytest
from playwright.sync_api import Locator, Page, expect

from htmio.input import input
from htmio.output import (output, put_buttons, put_grid, put_image, put_markdown, put_row, put_table, put_text,
                          span)
from htmio.session import hold
from tests.browser_support import submit, visit

# ---- helpers -------------------------------------------------------------------------------------

def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return found


def bottom(b: dict[str, float]) -> float:
    return b["y"] + b["height"]


def cell(page: Page, text: str) -> Locator:
    return page.locator("table.htmio-table").locator("th, td").filter(has_text=text)


def png(width: int, height: int) -> bytes:
    """A small valid RGB PNG."""
    raw = b"".join(b"\x00" + bytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# ---- put_table: a header cell spanning two rows ------------------------------------------------------

@pytest.mark.browser
def test_a_header_cell_spanning_two_rows_puts_the_next_row_under_its_neighbour(page, serve):
    def main():
        put_table([
            ["C"],
            [span("E", col=2)],
        ], header=[span("A", row=2), "B"])
        hold()

    visit(page, serve(main))
    a, b, c, e = (box(cell(page, t)) for t in "ABCE")
    assert abs(c["x"] - b["x"]) < 1 and abs(c["y"] - bottom(b)) < 1  # C sits under B
    assert abs(a["height"] - (bottom(c) - b["y"])) < 1  # A is as tall as B and C together
    assert abs(e["x"] - a["x"]) < 1 and abs(e["width"] - (b["x"] + b["width"] - a["x"])) < 1  # E spans A and B
    assert e["y"] >= bottom(a) - 1


# ---- put_grid: a cell spanning two rows --------------------------------------------------------------

@pytest.mark.browser
def test_a_grid_cell_spanning_two_rows_is_as_tall_as_two_rows(page, serve):
    def main():
        put_grid([
            [span(put_text("A").style("background: #fcc"), row=2), put_text("B"), put_text("D")],
            [put_text("C")],
            [put_text("E"), put_text("F"), put_text("G")],
        ], cell_width="90px", cell_height="40px")
        hold()

    visit(page, serve(main))
    grid = page.locator(".htmio-grid")
    a, b, c, d, e, g = (box(grid.locator(".htmio-text").filter(has_text=t)) for t in "ABCDEG")
    assert abs(a["y"] - b["y"]) < 1 and abs(bottom(a) - bottom(c)) < 1  # the output itself spans both rows
    assert a["height"] > 2 * 40 - 1
    assert abs(c["x"] - b["x"]) < 1 and c["y"] > bottom(b)  # C under B, beside A
    assert abs(e["x"] - a["x"]) < 1 and e["y"] >= bottom(a)  # the third line starts on its own line
    assert abs(g["x"] - d["x"]) < 1


# ---- put_row: items as tall as the row ---------------------------------------------------------------

@pytest.mark.browser
def test_row_items_fill_the_height_of_the_row(page, serve):
    def main():
        put_row([
            put_text("short").style("background: #fcc"),
            None,
            put_markdown("""### Tall
            - one
            - two
            - three
            """).style("background: #cfc"),
        ])
        put_row([put_image(png(20, 10)), put_buttons(["ok"], onclick=lambda v: None),
                 put_text("\n".join("abcdefghijkl"))])  # taller than the image
        hold()

    visit(page, serve(main))
    first = page.locator(".htmio-row").nth(0)
    short, tall = box(first.locator(".htmio-text")), box(first.locator(".htmio-markdown"))
    assert tall["height"] > 60
    assert abs(short["height"] - tall["height"]) < 1 and abs(short["y"] - tall["y"]) < 1

    second = page.locator(".htmio-row").nth(1)
    image, ok, text = box(second.locator("img")), box(second.get_by_role("button", name="ok")), \
        box(second.locator(".htmio-text"))
    assert abs(image["width"] / image["height"] - 2) < 0.05  # an image keeps its shape
    assert ok["height"] < text["height"] / 2  # a button stays button-sized in its stretched box


# ---- output(): changes reach the open page -----------------------------------------------------------

@pytest.mark.browser
def test_output_placeholder_inserts_show_live_in_place(page, serve):
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
        input("done")

    server = serve(main)
    visit(page, server)
    hobbies = page.locator("table.htmio-table td").nth(1).locator(".htmio-text, .htmio-markdown")

    page.get_by_label("go").fill("x")
    submit(page)
    expect(page.get_by_label("more")).to_be_visible()
    expect(hobbies).to_have_text(["Coding", "Movie", "Music", "Drama"])

    page.get_by_label("more").fill("y")
    submit(page)
    expect(page.get_by_label("done")).to_be_visible()
    expect(hobbies).to_have_text(["Reading", "Coding", "Movie", "Music", "Drama"])
    page.reload()
    expect(hobbies).to_have_text(["Reading", "Coding", "Movie", "Music", "Drama"])
