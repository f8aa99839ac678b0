"""Containers and layout: collapse, scrollable box, tabs, custom widgets, rows, columns and grids."""
from __future__ import annotations

from collections import UserList
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from htmio import mustache
from htmio.outputs.base import (
    Output,
    OutputPosition,
    _contents,
    _css_size,
    _emit,
    _take,
    _take_output,
)
from htmio.outputs.tables import _cell, span
from htmio.render import Markup
from htmio.runtime import Session
from htmio.scopes import Node


def put_collapse(title: str, content: Any = (), open: bool = False, scope: str | None = None,  # noqa: A002
                 position: int = OutputPosition.BOTTOM) -> Output:
    """Output a section that folds away under its title; ``open=True`` shows it unfolded.

        put_collapse("Details", [put_text("hidden until clicked"), put_table([[1, 2]])])
        with put_collapse("Log", open=True):
            put_text("collected in the section")
    """
    items = _contents(content)

    def build(session: Session, node: Node) -> None:
        for item in items:
            _take(session, node, item, "put_collapse")

    return _emit("put_collapse", "output/put_collapse.html", scope, position, build=build, container=True,
                 title=str(title), open=bool(open))


def put_scrollable(content: Any = (), height: Any = 400, keep_bottom: bool = False, border: bool = True,
                   scope: str | None = None, position: int = OutputPosition.BOTTOM, **kwargs: Any) -> Output:
    """Output a box of fixed height that scrolls; ``keep_bottom`` follows new content at the bottom
    (until the user scrolls up).

        put_scrollable(put_scope("log"), height=200, keep_bottom=True)
        put_scrollable([put_text(line) for line in lines], height=(100, 300))   # between 100 and 300 px

    ``height=None`` sets no limit.
    """
    if "max_height" in kwargs:
        height = kwargs.pop("max_height")
    if kwargs:
        raise TypeError(f"put_scrollable() got unexpected arguments: {', '.join(kwargs)}.")
    if height is None:
        style = ""
    elif isinstance(height, (tuple, list)):
        if len(height) != 2:
            raise ValueError(f"put_scrollable(height={height!r}): give one height or (min, max).")
        style = (f"min-height: {_css_size(height[0], 'put_scrollable', 'height')}; "
                 f"max-height: {_css_size(height[1], 'put_scrollable', 'height')}")
    else:
        style = f"height: {_css_size(height, 'put_scrollable', 'height')}"
    items = _contents(content)

    def build(session: Session, node: Node) -> None:
        for item in items:
            _take(session, node, item, "put_scrollable")

    return _emit("put_scrollable", "output/put_scrollable.html", scope, position, build=build, container=True,
                 keep_bottom=bool(keep_bottom), border=bool(border), style=style)


def put_tabs(tabs: Sequence[Mapping[str, Any]], scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output tabs; each is ``{"title": ..., "content": text, put_* or a list}``. Switching works without
    JavaScript.

        put_tabs([
            {"title": "Text", "content": "Hello"},
            {"title": "Table", "content": put_table([[1, 2], [3, 4]])},
        ])
    """
    if isinstance(tabs, Mapping) or not isinstance(tabs, Sequence):
        raise TypeError("put_tabs() takes a list of tabs like [{'title': 'A', 'content': ...}, ...].")
    for index, tab in enumerate(tabs):
        if not isinstance(tab, Mapping) or "title" not in tab:
            raise ValueError(f"put_tabs(): tab {index} is {tab!r}; each tab is a dict with 'title' and 'content'.")

    def build(session: Session, node: Node) -> None:
        node.context["tabs"] = [
            {"title": str(tab["title"]),
             "nodes": [_take(session, node, item, "put_tabs") for item in _contents(tab.get("content"))]}
            for tab in tabs
        ]

    return _emit("put_tabs", "output/put_tabs.html", scope, position, build=build, tabs=[])


def put_widget(template: str, data: Mapping[str, Any], scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Output your own component from a Mustache template; ``put_*`` outputs in ``data`` show inside it.

        tpl = '''<details {{#open}}open{{/open}}><summary>{{title}}</summary>
                 {{#contents}}{{& pywebio_output_parse}}{{/contents}}</details>'''
        put_widget(tpl, {"title": "More", "contents": [put_text("text"), put_markdown("**md**")]})

    ``{{name}}`` is escaped, ``{{& name}}`` is not; ``{{& pywebio_output_parse}}`` shows the current item
    as an output (a string becomes text).
    """
    if not isinstance(template, str):
        raise TypeError(f"put_widget() takes a template string, not {type(template).__name__}.")
    if not isinstance(data, Mapping):
        raise TypeError(f"put_widget() takes its data as a dict, not {type(data).__name__}.")
    mustache.check(template)

    def build(session: Session, node: Node) -> None:
        def convert(value: Any) -> Any:
            if isinstance(value, Output):
                return _take_output(session, node, value)
            if isinstance(value, Mapping):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, (list, tuple, UserList)):
                return [convert(v) for v in value]
            return value

        converted = convert(data)

        def draw(child: Callable[[Node], Markup]) -> Markup:
            def output(value: Any) -> Markup:
                return child(value) if isinstance(value, Node) else Markup.escape("" if value is None else value)
            return mustache.render(template, converted, output, lambda v: isinstance(v, Node))

        node.context["draw"] = draw

    return _emit("put_widget", "output/put_widget.html", scope, position, build=build, draw=None)


# ---- layout ------------------------------------------------------------------------------------

def _line(caller: str, template: str, content: Any, size: str | None, scope: str | None, position: int,
          axis: str) -> Output:
    """A put_row or put_column: outputs along ``axis`` (``columns`` or ``rows``), None a gap."""
    items = _contents(content)
    for item in items:
        if item is not None and not isinstance(item, Output):
            raise TypeError(f"{caller}: items are put_* outputs or None (a gap), not {item!r}; "
                            "wrap text in put_text().")
    if size is not None and not isinstance(size, str):
        raise TypeError(f"{caller}(size={size!r}): size is a string like '1fr 10px 2fr', one width per item.")
    style = f"display: grid; grid-template-{axis}: {size}" if size else ""

    def build(session: Session, node: Node) -> None:
        for item in items:
            if item is None:
                gap = session.document.new_output("output/_gap.html", {})
                gap.parent = node
                node.children.append(gap)
            else:
                _take_output(session, node, item)

    return _emit(caller, template, scope, position, build=build, container=True, style=style)


def put_row(content: Any = (), size: str | None = None, scope: str | None = None,
            position: int = OutputPosition.BOTTOM) -> Output:
    """Output items side by side; ``None`` is a 10px gap. ``size`` gives one CSS width per item.

        put_row([put_text("left"), None, put_text("right")])
        put_row([put_code("a"), put_code("b")], size="2fr 1fr")
        with put_row():
            put_text("collected side by side")
    """
    return _line("put_row", "output/put_row.html", content, size, scope, position, "columns")


def put_column(content: Any = (), size: str | None = None, scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Output items stacked vertically; ``None`` is a 10px gap. ``size`` gives one CSS height per item.

        put_column([put_text("top"), put_text("bottom")], size="50px auto")
    """
    return _line("put_column", "output/put_column.html", content, size, scope, position, "rows")


def put_grid(content: Sequence[Sequence[Any]], cell_width: str = "auto", cell_height: str = "auto",
             cell_widths: str | None = None, cell_heights: str | None = None, direction: str = "row",
             scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output a grid from a list of rows of ``put_*`` outputs, ``None`` (empty) or ``span(...)``.

        put_grid([[put_text("a"), put_text("b")], [span(put_text("wide"), col=2)]], cell_width="120px")

    ``direction="column"`` reads the inner lists as columns instead of rows.
    """
    if direction not in ("row", "column"):
        raise ValueError(f"put_grid(direction={direction!r}): use 'row' or 'column'.")
    if isinstance(content, (str, bytes)) or not isinstance(content, Sequence) or not all(
            isinstance(line, Sequence) and not isinstance(line, (str, bytes)) for line in content):
        raise TypeError("put_grid() takes a list of lists of put_* outputs, None or span(...).")
    for line in content:
        for item in line:
            inner = item.content if isinstance(item, span) else item
            if inner is not None and not isinstance(inner, Output):
                raise TypeError(f"put_grid: cells are put_* outputs, None or span(...), not {item!r}.")
    # CSS grid places the cells one after another, skipping places taken by a span from an earlier line,
    # so every line is padded to the same count of places (its own cells and the spans reaching into it)
    # for the next line to start where it should; along "column" the lines are columns
    reach = [0] * len(content)
    for index, line in enumerate(content):
        for item in line:
            rows, cols = (item.row, item.col) if isinstance(item, span) else (1, 1)
            lines_spanned, width = (rows, cols) if direction == "row" else (cols, rows)
            if index + lines_spanned > len(reach):
                reach.extend([0] * (index + lines_spanned - len(reach)))
            for covered in range(index, index + lines_spanned):
                reach[covered] += width
    across = max(reach, default=0)
    padded = [list(line) + [None] * (across - reach[index]) for index, line in enumerate(content)]
    cols, rows = (across, len(reach)) if direction == "row" else (len(reach), across)
    style = (f"grid-template-columns: {cell_widths or f'repeat({cols}, {cell_width})'}; "
             f"grid-template-rows: {cell_heights or f'repeat({rows}, {cell_height})'}; "
             f"grid-auto-flow: {direction}")

    def build(session: Session, node: Node) -> None:
        node.context["cells"] = [_cell(session, node, item, "put_grid") for line in padded for item in line]

    return _emit("put_grid", "output/put_grid.html", scope, position, build=build, cells=[], style=style)
