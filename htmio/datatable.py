"""put_datatable: large record sets rendered on the server and paged, sorted and filtered through htmx.

The table's state (records, sort, filter, page, selection) lives in a ``_Table`` kept in the output's node.
Only the visible page is rendered; the browser changes the view through ``/s/<sid>/view/<n>`` (links and
small forms that work without JavaScript too), and the app changes the data with ``datatable_update``,
``datatable_insert`` and ``datatable_remove``, which re-render the table over the event stream.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from htmio.callbacks import Callback
from htmio.outputs.base import Output, OutputPosition, _css_size, _emit, _open
from htmio.records import _as_records, _Column, _column_paths, _getter, _label, _path
from htmio.runtime import Session
from htmio.scopes import Node
from htmio.served import Views
from htmio.tablestate import _Table, _ViewHandler

__all__ = ["put_datatable", "datatable_update", "datatable_insert", "datatable_remove", "JSFunction"]


class JSFunction:
    """PyWebIO's JavaScript function literal for ag-grid options: the last argument is the body, the others
    the parameter names. htmio renders tables on the server without ag-grid, so it is accepted and ignored.

        put_datatable(rows, grid_args={"onSortChanged": JSFunction("event", "console.log(event)")})
    """

    def __init__(self, *params_and_body: str) -> None:
        if not params_and_body:
            raise ValueError("JSFunction() needs at least the function body, like JSFunction('x', 'return x + 1').")
        self.params = params_and_body[:-1]
        self.body = params_and_body[-1]

    def __repr__(self) -> str:
        return f"JSFunction({', '.join(repr(p) for p in (*self.params, self.body))})"


# ---- the public functions ---------------------------------------------------------------------------

def put_datatable(records: Any, actions: Sequence[Any] | None = None,
                  onselect: Callable[[Any], Any] | None = None, multiple_select: bool = False,
                  id_field: str | tuple[Any, ...] | None = None, height: int | str = 600, theme: str = "balham",
                  cell_content_bar: bool = True, instance_id: str = "", column_order: Any = None,
                  column_args: Mapping[Any, Any] | None = None, grid_args: Mapping[str, Any] | None = None,
                  enterprise_key: str = "", scope: str | None = None,
                  position: int = OutputPosition.BOTTOM) -> Output:
    """Output a table of records that is paged, sorted and filtered on the server: 100,000 rows stay fast,
    and it works without JavaScript too. Click a heading to sort; type in the box to filter.

        put_datatable(
            [{"name": "Ada", "born": 1815}, {"name": "Alan", "born": 1912}],
            actions=[("Delete", lambda row_id: datatable_remove("people", row_id))],
            onselect=lambda row_id: toast(f"row {row_id}"),
            instance_id="people",
        )

    ``records`` are dicts (or a pandas DataFrame); nested dicts become grouped columns like ``address.city``.
    ``actions`` are ``(label, callback)`` buttons acting on the selected rows (``None`` is a separator);
    callbacks and ``onselect`` get the selected row's id, or the list of ids with ``multiple_select=True``.
    Row ids come from ``id_field`` (a key, or a tuple path into nested dicts), else they count from 0.
    ``column_order`` (a list, or a nested dict) picks and orders the columns; it is required when
    ``records`` is empty. ``height`` is pixels, a CSS size or ``'auto'`` (no limit); the box is at most that
    tall and its header stays in view. ``instance_id`` names the table for ``datatable_update`` and friends.
    ``theme``, ``cell_content_bar``, ``column_args``, ``grid_args`` and ``enterprise_key`` configure
    ag-grid in PyWebIO: they are accepted and ignored, as are ``JSFunction`` values in them.
    The table stays live, like a button: it keeps the session open after the app returns.
    """
    caller = "put_datatable"
    rows = _as_records(records, caller)
    if not isinstance(instance_id, str):
        raise TypeError(f"{caller}(instance_id={instance_id!r}): instance_id is a string like 'users'.")
    if column_order is None and not rows:
        raise ValueError(f"{caller}([]): with no records the columns are unknown; give them with "
                         "column_order=['name', 'age'].")
    columns = [_Column(p, _label(p[-1]), _getter(p)) for p in _column_paths(column_order, rows[0] if rows else None)]
    if not columns:
        raise ValueError(f"{caller}(): the first record {rows[0]!r} has no fields; give the columns with "
                         "column_order=['name', 'age'].")
    key_path = None if id_field is None else _path(id_field, f"{caller}(id_field={id_field!r})")
    if height == "auto" or height is None:
        height_style = ""
    else:
        height_style = f"max-height: {_css_size(height, caller, 'height')}"
    specs = _action_specs(actions, caller)
    if onselect is not None and not callable(onselect):
        raise TypeError(f"{caller}(onselect={onselect!r}): onselect is a function that takes the selected row id.")

    def build(session: Session, node: Node) -> None:
        table = _Table(session, columns, key_path, bool(multiple_select), specs, onselect, height_style, instance_id)
        table.replace_all(rows, caller)
        table.node = node
        table.number = session.document.next_number()
        session.part(Views)[table.number] = _ViewHandler(table)
        session.part(_Tables)[instance_id] = table
        node.context["table"] = table
        # the table answers the page's requests, so, like a button, it keeps the session open after main returns
        session.callbacks.add(Callback(lambda: None))

    return _emit(caller, "output/put_datatable.html", scope, position, build=build, table=None)


class _Tables(weakref.WeakValueDictionary[str, _Table]):
    """A session's data tables by instance_id; a table goes when its output does."""


def _action_specs(actions: Any, caller: str) -> list[tuple[str, Callable[[Any], Any]] | None]:
    if actions is None:
        return []
    if isinstance(actions, (str, bytes, Mapping)) or not isinstance(actions, Iterable):
        raise TypeError(f"{caller}(actions={actions!r}): actions are a list of (label, callback) pairs.")
    specs: list[tuple[str, Callable[[Any], Any]] | None] = []
    for item in actions:
        if item is None:
            specs.append(None)
        elif isinstance(item, (tuple, list)) and len(item) == 2 and callable(item[1]):
            specs.append((str(item[0]), item[1]))
        else:
            raise TypeError(f"{caller}: the action {item!r} is not a (label, callback) pair or None (a separator).")
    return specs


def _find(caller: str, instance_id: str) -> tuple[Session, _Table]:
    session = _open(caller)
    with session.lock:
        table = session.part(_Tables).get(instance_id)
    if table is None:
        raise ValueError(f"{caller}({instance_id!r}, ...): no data table has instance_id={instance_id!r} in this "
                         f"session. Name the table when you make it: put_datatable(records, "
                         f"instance_id={instance_id!r}).")
    return session, table


def _changed(session: Session, table: _Table) -> None:
    if table.node is not None:
        session.document.changed(table.node)


def datatable_update(instance_id: str, data: Any, row_id: Any = None, field: Any = None) -> None:
    """Change a data table's rows: all of them, one row, or one cell.

        datatable_update("people", new_records)                        # every row
        datatable_update("people", {"name": "Ada", "born": 1815}, row_id=0)   # one row
        datatable_update("people", 1816, row_id=0, field="born")       # one cell
        datatable_update("people", "London", row_id=0, field=("address", "city"))

    ``field`` is a column's key, or a tuple path for nested records; it needs a ``row_id``.
    """
    if row_id is None and field is not None:
        raise ValueError(f"datatable_update({instance_id!r}, ..., field={field!r}): say which row's cell to change "
                         "with row_id=..., or leave field out to replace every row.")
    session, table = _find("datatable_update", instance_id)
    with session.changing():
        if row_id is None:
            table.replace_all(_as_records(data, "datatable_update"), "datatable_update")
        elif field is None:
            if not isinstance(data, Mapping):
                raise TypeError(f"datatable_update({instance_id!r}, {data!r}, row_id={row_id!r}): a row is a dict "
                                "like {'name': 'Ada'}; to change one cell, add field='name'.")
            table.replace_row(row_id, data)
        else:
            table.set_cell(row_id, _path(field, "datatable_update"), data)
        _changed(session, table)


def datatable_insert(instance_id: str, records: Any, row_id: Any = None) -> None:
    """Insert one record (a dict) or a list of them into a data table, before the row ``row_id`` (at the
    end by default). Without ``id_field`` the new rows' ids count on from the largest id.

        datatable_insert("people", {"name": "Grace", "born": 1906})
        datatable_insert("people", [{"name": "Edsger"}, {"name": "Barbara"}], row_id=0)
    """
    new = [records] if isinstance(records, Mapping) else _as_records(records, "datatable_insert")
    session, table = _find("datatable_insert", instance_id)
    with session.changing():
        table.insert(new, row_id)
        _changed(session, table)


def datatable_remove(instance_id: str, row_ids: Any) -> None:
    """Remove one row, or a list of rows, from a data table by id; ids that are not there are skipped.

        datatable_remove("people", 3)
        datatable_remove("people", [0, 1, 2])
    """
    ids = list(row_ids) if isinstance(row_ids, (list, tuple, set, frozenset)) else [row_ids]
    session, table = _find("datatable_remove", instance_id)
    with session.changing():
        table.remove(ids)
        _changed(session, table)
