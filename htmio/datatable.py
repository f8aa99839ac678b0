"""put_datatable: large record sets rendered on the server and paged, sorted and filtered through htmx.

The table's state (records, sort, filter, page, selection) lives in a ``_Table`` kept in the output's node.
Only the visible page is rendered; the browser changes the view through ``/s/<sid>/view/<n>`` (links and
small forms that work without JavaScript too), and the app changes the data with ``datatable_update``,
``datatable_insert`` and ``datatable_remove``, which re-render the table over the event stream.
"""
from __future__ import annotations

import hmac
import inspect
import math
import numbers
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from operator import itemgetter
from typing import Any

from htmio.output import Output, OutputPosition, _css_size, _emit, _open
from htmio.runtime import Callback, Session
from htmio.scopes import Node

__all__ = ["put_datatable", "datatable_update", "datatable_insert", "datatable_remove", "JSFunction"]

PAGE_SIZE = 50
_QUERY_LIMIT = 200  # characters of filter text kept
_NUMBER = re.compile(r"\d{1,12}")

FieldPath = tuple[Any, ...]


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


# ---- records, fields and values ---------------------------------------------------------------------

_MISSING: Any = object()


def _getter(path: FieldPath, missing: Any = None) -> Callable[[Mapping[Any, Any]], Any]:
    """A function giving the value at ``path`` in a nested record, or ``missing``. It runs once per row
    when a table is sorted or filtered, hence the plain-dict fast paths."""
    if len(path) == 1:
        key = path[0]
        return lambda record: record.get(key, missing)

    def get(record: Mapping[Any, Any]) -> Any:
        value: Any = record
        for key in path:
            if type(value) is not dict and not isinstance(value, Mapping):
                return missing
            value = value.get(key, missing)
        return value
    return get


def _get(record: Mapping[Any, Any], path: FieldPath) -> Any:
    """The value at ``path`` in a nested record, or None when it is missing."""
    return _getter(path)(record)


def _display(value: Any) -> str:
    return value if type(value) is str else "" if value is None else str(value)


_EMPTY = (9, 0)


def _sort_key(value: Any) -> tuple[Any, ...]:
    """Order values of any mix of types: numbers, then text, then the rest by type; empty last."""
    kind = type(value)
    if kind is str:
        return (1, value.casefold(), value) if value else _EMPTY
    if kind is int or kind is float:
        return (0, value) if value == value else _EMPTY  # NaN is empty
    if value is None:
        return _EMPTY
    if isinstance(value, str):
        return (1, value.casefold(), value) if value else _EMPTY
    if isinstance(value, Decimal):
        return _EMPTY if value.is_nan() else (0, value)
    if isinstance(value, numbers.Real):  # bool, Fraction, numpy numbers
        return (0, value) if value == value else _EMPTY
    if isinstance(value, (datetime, date, time)):
        return (2, type(value).__name__, value.isoformat())
    return (3, type(value).__name__, str(value))


def _label(key: Any) -> str:
    """A column heading from a field name, as ag-grid makes it: ``firstName`` -> ``First Name``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(key)).replace("_", " ")
    return text[:1].upper() + text[1:]


def _path(field: Any, caller: str) -> FieldPath:
    if isinstance(field, (tuple, list)) and field:
        return tuple(field)
    if isinstance(field, (tuple, list, Mapping, set)) or field is None:
        raise TypeError(f"{caller}: a field is a key like 'email', or a tuple path like ('address', 'city'); "
                        f"got {field!r}.")
    return (field,)


def _leaves(value: Mapping[Any, Any], prefix: FieldPath) -> list[FieldPath]:
    """The field paths of a record's leaves: nested dicts become columns like ``a.b``."""
    paths: list[FieldPath] = []
    for key, item in value.items():
        if isinstance(item, Mapping) and item:
            paths.extend(_leaves(item, (*prefix, key)))
        else:
            paths.append((*prefix, key))
    return paths


def _expand(path: FieldPath, sample: Mapping[Any, Any] | None) -> list[FieldPath]:
    """A field of ``column_order``: itself, or the leaves below it when it names a nested dict."""
    value = _get(sample, path) if sample is not None else None
    return _leaves(value, path) if isinstance(value, Mapping) and value else [path]


def _column_paths(column_order: Any, sample: Mapping[Any, Any] | None) -> list[FieldPath]:
    if column_order is None:
        return _leaves(sample, ()) if sample is not None else []
    paths: list[FieldPath] = []
    if isinstance(column_order, Mapping):
        def walk(spec: Mapping[Any, Any], prefix: FieldPath) -> None:
            for key, sub in spec.items():
                if sub is None:
                    paths.extend(_expand((*prefix, key), sample))
                elif isinstance(sub, Mapping):
                    walk(sub, (*prefix, key))
                else:
                    raise TypeError(f"put_datatable(column_order=...): the value of {key!r} is {sub!r}; in a nested "
                                    "column_order each value is None (a column) or a dict (its sub-columns).")
        walk(column_order, ())
    elif isinstance(column_order, (list, tuple)):
        for item in column_order:
            paths.extend(_expand(_path(item, "put_datatable(column_order=...)"), sample))
    else:
        raise TypeError(f"put_datatable(column_order={column_order!r}): give a list of fields like ['name', 'age'], "
                        "or a nested dict like {'name': None, 'address': {'city': None}}.")
    unique = list(dict.fromkeys(paths))
    if not unique:
        raise ValueError("put_datatable(column_order=...) names no column; list at least one field.")
    return unique


def _as_records(records: Any, caller: str) -> list[Mapping[Any, Any]]:
    """``records`` as a list of dicts, or a TypeError that shows the first wrong item."""
    if hasattr(records, "to_dict") and hasattr(records, "columns"):  # a pandas DataFrame
        records = records.to_dict("records")
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise TypeError(f"{caller}: records are a list of dicts like [{{'name': 'Ada', 'age': 36}}], "
                        f"not {type(records).__name__}.")
    rows = list(records)
    if all(type(record) is dict for record in rows):
        return rows
    for index, record in enumerate(rows):
        if not isinstance(record, Mapping):
            raise TypeError(f"{caller}: record {index} is {record!r} ({type(record).__name__}); each record is a "
                            "dict like {'name': 'Ada', 'age': 36}.")
    return rows


def _hashable(row_id: Any, what: str, caller: str) -> Any:
    try:
        hash(row_id)
    except TypeError:
        raise TypeError(f"{caller}: {what} is {row_id!r}, which cannot be a row id; ids are numbers, strings "
                        "or tuples of them.") from None
    return row_id


# ---- the table's state --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Column:
    path: FieldPath
    label: str
    get: Callable[[Mapping[Any, Any]], Any]


@dataclass(frozen=True)
class _Heading:
    """A header cell: a column (``index`` set, sortable) or a group of nested columns."""

    label: str
    index: int | None
    colspan: int
    rowspan: int
    last: bool  # reaches the table's right edge


@dataclass(frozen=True)
class _ShownRow:
    key: int
    id: Any
    cells: list[str]
    selected: bool


@dataclass(frozen=True)
class _View:
    """Everything the template shows of one page of the table."""

    rows: list[_ShownRow]
    page: int
    pages: int
    pager: list[int | None]  # page numbers to link, None for a gap
    total: int  # rows after the filter
    count: int  # all rows
    first: int
    last: int
    selected: int


class _Table:
    """A data table's records and view state; every method runs under the session's lock.

    Rows are kept as parallel lists (record, id, key, filter text) rather than one object per row:
    100,000 small objects cost more to make, and keep the garbage collector busy, than the table's
    whole work of paging, sorting and filtering. A row's ``key`` is a number for the page's forms that
    stays with the row while others come and go; views are lists of row positions."""

    def __init__(self, session: Session, columns: list[_Column], id_field: FieldPath | None, multiple: bool,
                 actions: list[tuple[str, Callable[[Any], Any]] | None], onselect: Callable[[Any], Any] | None,
                 height: str, instance_id: str) -> None:
        self.session = session
        self.node: Node | None = None
        self.number = 0  # of the view URL
        self.columns = columns
        self.id_field = id_field
        self.multiple = multiple
        self.actions = actions
        self.onselect = onselect
        self.height = height
        self.instance_id = instance_id
        self.headings = _headings(columns)
        self.records: list[Mapping[Any, Any]] = []
        self.ids: list[Any] = []
        self.keys: list[int] = []
        self.texts: list[str | None] = []  # filter text, made on first use
        self.id_of: dict[int, Any] = {}  # key -> id
        self._where: dict[Any, int] | None = {}  # id -> position; rebuilt after rows come or go
        self._last_key = 0
        self.version = 0  # bumped by every change of the data: drops the cached order
        self.sort: int | None = None
        self.descending = False
        self.query = ""
        self.page = 1
        self.page_size = PAGE_SIZE
        self.selected: dict[int, None] = {}  # row keys, in the order they were selected
        self.message = ""
        self._ordered: tuple[tuple[Any, ...], Sequence[int]] | None = None
        self._filtered: tuple[int, str, list[int]] | None = None

    @property
    def selectable(self) -> bool:
        return bool(self.actions) or self.onselect is not None

    # ---- data ------------------------------------------------------------------------------------

    def _new_ids(self, records: list[Mapping[Any, Any]], caller: str, first_auto: int) -> list[Any]:
        """Ids for new records: from ``id_field``, else counting from ``first_auto``."""
        if self.id_field is None:
            return list(range(first_auto, first_auto + len(records)))
        get = _getter(self.id_field, _MISSING)
        ids = [get(record) for record in records]
        missing = next((i for i, row_id in enumerate(ids) if row_id is _MISSING), None)
        if missing is not None:
            index = missing
            field = self.id_field[0] if len(self.id_field) == 1 else self.id_field
            raise ValueError(f"{caller}: record {index} has no id_field {field!r}: {records[index]!r}. Every record "
                             "needs that field, or leave id_field=None to number the rows.")
        return ids

    def _new_keys(self, count: int) -> list[int]:
        first = self._last_key + 1
        self._last_key += count
        return list(range(first, first + count))

    def where(self) -> dict[Any, int]:
        """Row positions by id."""
        if self._where is None:
            self._where = {row_id: i for i, row_id in enumerate(self.ids)}
        return self._where

    @staticmethod
    def _positions(ids: list[Any], existing: Mapping[Any, int], caller: str) -> dict[Any, int]:
        """``ids`` by position; an error for an id that cannot be one, or that is taken."""
        try:
            where = {row_id: i for i, row_id in enumerate(ids)}
        except TypeError:
            for i, row_id in enumerate(ids):
                _hashable(row_id, f"record {i}'s id", caller)
            raise
        if len(where) == len(ids) and existing.keys().isdisjoint(where):
            return where
        seen: set[Any] = set()
        for row_id in ids:
            if row_id in existing or row_id in seen:
                raise ValueError(f"{caller}: two rows have the id {row_id!r}; the id_field must be unique in a table.")
            seen.add(row_id)
        raise AssertionError("unreachable")

    def replace_all(self, records: list[Mapping[Any, Any]], caller: str) -> None:
        ids = self._new_ids(records, caller, 0)
        where = self._positions(ids, {}, caller)
        kept = [self.id_of[k] for k in self.selected]
        self.records, self.ids, self.keys = list(records), ids, self._new_keys(len(ids))
        self.texts = [None] * len(ids)
        self.id_of = dict(zip(self.keys, ids))
        self._where = where
        self.selected = {self.keys[where[i]]: None for i in kept if i in where}
        self.version += 1

    def position(self, row_id: Any, caller: str) -> int:
        _hashable(row_id, "row_id", caller)
        found = self.where().get(row_id)
        if found is None:
            some = ", ".join(repr(i) for i in self.ids[:5])
            raise ValueError(f"{caller}: table {self.instance_id!r} has no row with id {row_id!r} "
                             f"(its ids are like {some or 'nothing: it is empty'}).")
        return found

    def replace_row(self, row_id: Any, record: Mapping[Any, Any]) -> None:
        index = self.position(row_id, "datatable_update")
        self.records[index] = record
        self.texts[index] = None
        self.version += 1

    def set_cell(self, row_id: Any, path: FieldPath, value: Any) -> None:
        caller = "datatable_update"
        if path not in {c.path for c in self.columns}:
            names = ", ".join(repr(c.path[0] if len(c.path) == 1 else c.path) for c in self.columns[:10])
            shown = path[0] if len(path) == 1 else path
            raise ValueError(f"{caller}({self.instance_id!r}, ..., field={shown!r}): the table has no column "
                             f"{shown!r}; its columns are {names}. A nested field is a tuple like ('a', 'b').")
        index = self.position(row_id, caller)
        # copy along the path: the app's own dicts stay as they were (PyWebIO sends the grid a copy too)
        record = dict(self.records[index])
        level = record
        for depth, key in enumerate(path[:-1]):
            inner = level.get(key)
            if inner is None:
                inner = {}
            elif not isinstance(inner, Mapping):
                raise ValueError(f"{caller}: row {row_id!r} has {key!r} = {inner!r} at {path[:depth + 1]!r}, "
                                 f"not a dict, so the field {path!r} cannot be set in it.")
            level[key] = dict(inner)
            level = level[key]
        level[path[-1]] = value
        self.records[index] = record
        self.texts[index] = None
        self.version += 1

    def insert(self, records: list[Mapping[Any, Any]], before: Any) -> None:
        caller = "datatable_insert"
        index = len(self.ids) if before is None else self.position(before, caller)
        auto = max((i for i in self.ids if type(i) is int), default=-1) + 1
        ids = self._new_ids(records, caller, auto)
        self._positions(ids, self.where(), caller)
        keys = self._new_keys(len(ids))
        self.records[index:index] = records
        self.ids[index:index] = ids
        self.keys[index:index] = keys
        self.texts[index:index] = [None] * len(ids)
        self.id_of.update(zip(keys, ids))
        self._where = None
        self.version += 1

    def remove(self, row_ids: list[Any]) -> None:
        where = self.where()
        gone = {where[i] for i in row_ids if _hashable(i, "a row id", "datatable_remove") in where}
        if not gone:
            return
        keep = [i for i in range(len(self.ids)) if i not in gone]
        for i in gone:
            del self.id_of[self.keys[i]]
            self.selected.pop(self.keys[i], None)
        self.records = [self.records[i] for i in keep]
        self.ids = [self.ids[i] for i in keep]
        self.keys = [self.keys[i] for i in keep]
        self.texts = [self.texts[i] for i in keep]
        self._where = None
        self.version += 1

    # ---- the view ----------------------------------------------------------------------------------

    def _filter(self) -> Sequence[int]:
        """Positions of the rows whose text holds the query (each row's text is made once, then kept)."""
        everything = range(len(self.ids))
        query = self.query.casefold()
        if not query:
            return everything
        cached = self._filtered
        # typing on narrows the previous result instead of scanning every row again
        base = cached[2] if cached is not None and cached[0] == self.version and cached[1] in query else everything
        texts, records = self.texts, self.records
        getters = [c.get for c in self.columns]
        for i in base:
            if texts[i] is None:
                values = [get(records[i]) for get in getters]
                # one cell per line: a query never matches across two cells
                texts[i] = "\n".join([v if type(v) is str else "" if v is None else str(v) for v in values]).casefold()
        found = [i for i in base if query in texts[i]]  # type: ignore[operator]
        self._filtered = (self.version, query, found)
        return found

    def ordered(self) -> Sequence[int]:
        """Positions of the rows after the filter, in sort order (kept until the data or the view changes)."""
        key = (self.version, self.query, self.sort, self.descending)
        if self._ordered is not None and self._ordered[0] == key:
            return self._ordered[1]
        rows = self._filter()
        if self.sort is not None:
            get, records = self.columns[self.sort].get, self.records
            pairs = [(_sort_key(get(records[i])), i) for i in rows]
            try:
                pairs.sort(key=itemgetter(0), reverse=self.descending)
            except (TypeError, ArithmeticError):  # values that do not compare with each other: sort them as text
                pairs = [((k[0], str(k[-1])), i) for k, i in pairs]
                pairs.sort(key=itemgetter(0), reverse=self.descending)
            if self.descending:  # empty cells last either way
                empty = 0
                while empty < len(pairs) and pairs[empty][0] == _EMPTY:
                    empty += 1
                pairs = pairs[empty:] + pairs[:empty]
            rows = [i for _, i in pairs]
        self._ordered = (key, rows)
        return rows

    def view(self) -> _View:
        rows = self.ordered()
        total = len(rows)
        pages = max(1, math.ceil(total / self.page_size))
        self.page = min(max(self.page, 1), pages)
        start = (self.page - 1) * self.page_size
        shown = rows[start:start + self.page_size]
        getters = [c.get for c in self.columns]
        return _View(
            rows=[_ShownRow(self.keys[i], self.ids[i], [_display(get(self.records[i])) for get in getters],
                            self.keys[i] in self.selected) for i in shown],
            page=self.page, pages=pages, pager=_pager(self.page, pages), total=total, count=len(self.ids),
            first=start + 1 if shown else 0, last=start + len(shown), selected=len(self.selected),
        )

    # ---- requests from the page ----------------------------------------------------------------------

    def handle(self, params: Mapping[str, list[str]]) -> str:
        """A request of the view URL: change the view (and, with the page's token, the selection),
        run the callbacks that follow, and return the table re-rendered."""
        session = self.session
        with session.lock:
            node = self.node
            if node is None or not session.document.is_attached(node):
                raise ValueError("This table is no longer on the page. Reload the page to see the current one.")
            self.message = ""
            self._change_view(params)
            calls = self._change_selection(params) if self._has_token(params) else []
            html = str(node.render(session.page))
        if calls:
            run = _call_all_async if any(inspect.iscoroutinefunction(fn) for fn, _ in calls) else _call_all
            session.run_callback(Callback(run, [calls]), 0)
        return html

    def _has_token(self, params: Mapping[str, list[str]]) -> bool:
        token = _last(params, "_token") or ""
        return hmac.compare_digest(token.encode(), self.session.token.encode())

    def _change_view(self, params: Mapping[str, list[str]]) -> None:
        # malformed values are ignored: the page shows the state as it was
        query = _last(params, "q")
        if query is not None:
            query = " ".join(query.split())[:_QUERY_LIMIT]
            if query != self.query:
                self.query, self.page = query, 1
        sort = _last(params, "sort")
        if sort == "":
            self.sort, self.descending, self.page = None, False, 1
        elif sort is not None and _NUMBER.fullmatch(sort) and int(sort) < len(self.columns):
            self.sort, self.descending, self.page = int(sort), _last(params, "order") == "desc", 1
        page = _last(params, "page")
        if page is not None and _NUMBER.fullmatch(page):
            self.page = max(1, int(page))

    def _keys_in(self, params: Mapping[str, list[str]], name: str) -> list[int]:
        return [int(k) for k in params.get(name, []) if _NUMBER.fullmatch(k) and int(k) in self.id_of]

    def _change_selection(self, params: Mapping[str, list[str]]) -> list[tuple[Callable[[Any], Any], Any]]:
        if not self.selectable:
            return []
        shown = set(self._keys_in(params, "shown"))
        posted = self._keys_in(params, "select")
        old = list(self.selected)
        if self.multiple:
            chosen = set(posted)
            new = [k for k in old if k not in shown or k in chosen] + [k for k in dict.fromkeys(posted) if k not in old]
        else:
            new = posted[:1] if posted else [k for k in old if k not in shown]
        self.selected = dict.fromkeys(new)
        calls: list[tuple[Callable[[Any], Any], Any]] = []
        if set(new) != set(old) and self.onselect is not None and (self.multiple or new):
            calls.append((self.onselect, self.selection()))
        action = _last(params, "_action")
        if action:
            spec = self.actions[int(action)] if _NUMBER.fullmatch(action) and int(action) < len(self.actions) else None
            if spec is None:
                raise ValueError(f"This table has no action number {action!r}. Reload the page and try again.")
            if not new:
                self.message = "Select a row first, then choose an action."
            else:
                calls.append((spec[1], self.selection()))
        return calls

    def selection(self) -> Any:
        """What callbacks get: the selected row's id, or the list of ids with ``multiple_select``."""
        ids = [self.id_of[k] for k in self.selected]
        return ids if self.multiple else (ids[0] if ids else None)


class _ViewHandler:
    """The view URL's handler; it holds its table weakly, so a removed table's records can go."""

    __slots__ = ("table",)

    def __init__(self, table: _Table) -> None:
        self.table = weakref.ref(table)

    def __call__(self, params: dict[str, list[str]]) -> str:
        table = self.table()
        if table is None:
            raise ValueError("This table is no longer on the page. Reload the page to see the current one.")
        return table.handle(params)


def _call_all(calls: list[tuple[Callable[[Any], Any], Any]]) -> None:
    # onselect, then the action, in one session thread and in that order
    for fn, arg in calls:
        fn(arg)


async def _call_all_async(calls: list[tuple[Callable[[Any], Any], Any]]) -> None:
    # the same as a task on the server's loop, when one of them is an ``async def`` function
    for fn, arg in calls:
        result = fn(arg)
        if inspect.isawaitable(result):
            await result


def _last(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _pager(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: the first, the last and two around the current one; None marks a gap."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    previous = 0
    for number in wanted:
        if previous and number - previous > 1:
            out.append(None)
        out.append(number)
        previous = number
    return out


def _headings(columns: list[_Column]) -> list[list[_Heading]]:
    """Header rows: nested fields get a group heading above their columns."""
    depth = max((len(c.path) for c in columns), default=1)
    rows: list[list[_Heading]] = []
    for level in range(depth):
        cells: list[_Heading] = []
        index = 0
        while index < len(columns):
            path = columns[index].path
            if len(path) <= level:
                index += 1
            elif len(path) == level + 1:
                cells.append(_Heading(columns[index].label, index, 1, depth - level, index == len(columns) - 1))
                index += 1
            else:
                prefix = path[:level + 1]
                end = index
                while end < len(columns) and len(columns[end].path) > level + 1 \
                        and columns[end].path[:level + 1] == prefix:
                    end += 1
                cells.append(_Heading(_label(path[level]), None, end - index, 1, end == len(columns)))
                index = end
        rows.append(cells)
    return rows


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
        session.extras.setdefault("views", {})[table.number] = _ViewHandler(table)
        tables: weakref.WeakValueDictionary[str, _Table] = session.extras.setdefault(
            "datatables", weakref.WeakValueDictionary())
        tables[instance_id] = table
        node.context["table"] = table
        # the table answers the page's requests, so, like a button, it keeps the session open after main returns
        session.add_callback(Callback(lambda: None))

    return _emit(caller, "output/put_datatable.html", scope, position, build=build, table=None)


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
        table = session.extras.get("datatables", {}).get(instance_id)
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
    with session.lock:
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
    session.changed()


def datatable_insert(instance_id: str, records: Any, row_id: Any = None) -> None:
    """Insert one record (a dict) or a list of them into a data table, before the row ``row_id`` (at the
    end by default). Without ``id_field`` the new rows' ids count on from the largest id.

        datatable_insert("people", {"name": "Grace", "born": 1906})
        datatable_insert("people", [{"name": "Edsger"}, {"name": "Barbara"}], row_id=0)
    """
    new = [records] if isinstance(records, Mapping) else _as_records(records, "datatable_insert")
    session, table = _find("datatable_insert", instance_id)
    with session.lock:
        table.insert(new, row_id)
        _changed(session, table)
    session.changed()


def datatable_remove(instance_id: str, row_ids: Any) -> None:
    """Remove one row, or a list of rows, from a data table by id; ids that are not there are skipped.

        datatable_remove("people", 3)
        datatable_remove("people", [0, 1, 2])
    """
    ids = list(row_ids) if isinstance(row_ids, (list, tuple, set, frozenset)) else [row_ids]
    session, table = _find("datatable_remove", instance_id)
    with session.lock:
        table.remove(ids)
        _changed(session, table)
    session.changed()
