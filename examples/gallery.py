"""Gallery

Every output component once, as a tour: content, tables, buttons, containers, layout, popups and
toasts. Run it with `htmio serve examples/gallery.py`.
"""
import struct
import zlib

from htmio.output import (
    close_popup,
    popup,
    put_button,
    put_buttons,
    put_code,
    put_collapse,
    put_column,
    put_datatable,
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
    span,
    toast,
)

CODE = '''def greet(name: str) -> str:
    """Say hello."""
    return f"Hello, {name}!"  # a comment
'''

WIDGET = """<div class="card">
  <strong>{{title}}</strong>
  <ul>{{#items}}<li>{{& pywebio_output_parse}}</li>{{/items}}</ul>
</div>"""


def swatch(width, height, rgb):
    """A small PNG made by hand, so the gallery needs no imaging library."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def show_popup():
    with popup("A popup", size="normal"):
        put_text("Popups hold any output. Esc or a click beside it closes this one.")
        put_button("Close", onclick=close_popup, color="secondary")


def main():
    put_markdown("""
    # Gallery
    Every component of `htmio.output`, once. Markdown has **bold**, *italic*, ~~strikethrough~~,
    [links](https://example.org) and tables:

    | a | b |
    |---|---|
    | 1 | 2 |
    """)
    put_text("Plain text keeps   spaces and <tags> as typed.")
    put_html("<p>Trusted <b>HTML</b> as it is.</p>")
    put_code(CODE, language="python")
    put_row([put_link("A link", url="https://example.org", new_window=True), None,
             put_file("hello.txt", b"Hello from htmio\n", label="Download hello.txt")], size="auto 20px auto")
    put_image(swatch(120, 40, (21, 101, 192)), title="a blue swatch")

    put_markdown("## Messages")
    put_info("Information, with a close button.", closable=True)
    put_success("Success.")
    put_warning("Warning.")
    put_error("Error, with", put_code("details", language="text"))

    put_markdown("## Progress")
    put_processbar("bar", 0.35)
    put_row([put_loading(), put_loading(shape="grow", color="primary")], size="48px 48px")

    put_markdown("## Tables")
    put_table([
        ["Product", "Price", "Actions"],
        ["Apple", "1.20", put_buttons(["buy"], onclick=lambda _: toast("Apple bought", color="success"), small=True)],
        ["Pear", "0.90", put_buttons(["buy"], onclick=lambda _: toast("Pear bought", color="success"), small=True)],
        [span("A spanning cell", col=2), put_text("nested")],
    ])
    put_datatable([{"id": i, "name": f"item {i}", "price": round(i * 1.1, 2)} for i in range(1, 121)],
                  instance_id="items", height=300)

    put_markdown("## Buttons")
    put_buttons([{"label": c.capitalize(), "value": c, "color": c} for c in
                 ("primary", "secondary", "success", "danger", "warning", "info")],
                onclick=lambda value: toast(f"{value} clicked"))
    put_buttons(["Outline", "Small"], onclick=lambda _: None, outline=True, small=True)
    put_button("Open a popup", onclick=show_popup)
    put_button("Show a toast", onclick=lambda: toast("Hello!", position="right", duration=3), color="info")

    put_markdown("## Containers")
    put_collapse("A collapse (click to open)", [put_text("Folded content.")])
    put_tabs([
        {"title": "First tab", "content": "Tabs switch without JavaScript."},
        {"title": "Second tab", "content": put_table([["x", "y"], [1, 2]])},
    ])
    with put_scrollable(height=90, keep_bottom=True):
        for i in range(1, 9):
            put_text(f"scrollable line {i}")
    put_widget(WIDGET, {"title": "A custom widget", "items": ["text", put_markdown("**markdown**")]})

    put_markdown("## Layout")
    put_row([put_info("left"), None, put_info("right")])
    put_column([put_success("top"), put_success("bottom")])
    put_grid([[put_text("a"), put_text("b"), put_text("c")], [span(put_text("wide cell"), col=2), put_text("d")]],
             cell_width="1fr")
    put_scope("styled", [put_text("Styled, and clickable").style("color: var(--htmio-primary); font-weight: 600")
                         .onclick(lambda: toast("clicked the text"))])
    set_processbar("bar", 0.7)
    put_text("End of the gallery.")


if __name__ == "__main__":
    from htmio import start_server

    start_server(main, port=8080)
