"""Tables: ``put_table`` and the ``span`` cells it shares with ``put_grid``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from htmio.outputs.base import Output, OutputPosition, _emit, _take_output
from htmio.runtime import Session
from htmio.scopes import Node


class span:  # noqa: N801 - PyWebIO's name
    """A table or grid cell that spans ``row`` rows and ``col`` columns.

        put_table([["Name", span("Contact", col=2)], ["Ada", "ada@example.org", "555-0100"]])
    """

    __slots__ = ("content", "row", "col")

    def __init__(self, content: Any, row: int = 1, col: int = 1) -> None:
        for what, n in (("row", row), ("col", col)):
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError(f"span({what}={n!r}): spans are whole numbers of at least 1.")
        self.content = content
        self.row = row
        self.col = col


def _cell(session: Session, node: Node, item: Any, caller: str) -> dict[str, Any]:
    """A table or grid cell's context: its output node (moved into ``node``) or its text, and its spans."""
    rows = cols = 1
    if isinstance(item, span):
        item, rows, cols = item.content, item.row, item.col
    if isinstance(item, Output):
        return {"node": _take_output(session, node, item), "text": "", "row": rows, "col": cols}
    return {"node": None, "text": "" if item is None else str(item), "row": rows, "col": cols}


def _table_rows(tdata: Any, header: Any) -> tuple[list[Any] | None, list[list[Any]]]:
    """PyWebIO's table shapes as (header cells or None, rows of cells)."""
    if hasattr(tdata, "columns") and hasattr(tdata, "itertuples"):  # a pandas DataFrame
        if header is None:
            header = [str(c) for c in tdata.columns]
        tdata = [list(row) for row in tdata.itertuples(index=False, name=None)]
    if isinstance(tdata, (str, bytes)) or not isinstance(tdata, Sequence):
        raise TypeError(f"put_table() takes a list of rows (lists or dicts), not {type(tdata).__name__}.")
    rows = list(tdata)
    if rows and all(isinstance(r, Mapping) for r in rows):
        if header is None:
            keys = list(rows[0].keys())
            labels: list[Any] = [str(k).capitalize() for k in keys]
        else:
            pairs = [h if isinstance(h, (tuple, list)) else (h, h) for h in header]
            labels = [label for label, _ in pairs]
            keys = [key for _, key in pairs]
        return labels, [[r.get(k, "") for k in keys] for r in rows]
    for index, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise TypeError(f"put_table(): row {index} is {row!r}; each row is a list of cells (or all rows dicts).")
    if header is not None:
        return list(header), [list(r) for r in rows]
    if not rows:
        return None, []
    return list(rows[0]), [list(r) for r in rows[1:]]


def put_table(tdata: Any, header: Sequence[Any] | None = None, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output a table. Cells are texts, ``put_*`` outputs (buttons keep working) or ``span(...)``.

        put_table([["Name", "Age"], ["Ada", 36], ["Alan", 41]])        # the first row is the header
        put_table([{"name": "Ada", "age": 36}], header=["name", "age"])
        put_table([["Ada", put_buttons(["edit"], onclick=edit)]], header=["Name", "Actions"])
        put_table(dataframe)                                         # a pandas DataFrame

    Rows of dicts take their header from the first row's keys (capitalised); ``header=[(label, key), ...]``
    labels them yourself. ``None`` cells are empty.
    """
    head, body = _table_rows(tdata, header)

    def build(session: Session, node: Node) -> None:
        node.context["header"] = [_cell(session, node, c, "put_table") for c in head] if head is not None else None
        node.context["rows"] = [[_cell(session, node, c, "put_table") for c in row] for row in body]
        # a header cell spanning rows reaches into the body: a rowspan cannot cross from <thead> into
        # <tbody>, so such a table keeps its header row as the first row of one body, as PyWebIO does
        node.context["header_in_body"] = any(c["row"] > 1 for c in node.context["header"] or ())

    return _emit("put_table", "output/put_table.html", scope, position, build=build, header=None, rows=[],
                 header_in_body=False)
