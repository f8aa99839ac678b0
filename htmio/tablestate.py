"""A data table's state on the server: its rows, sort, filter, page and selection, and the requests
that change them (``/s/<sid>/view/<n>``)."""
from __future__ import annotations

import hmac
import inspect
import math
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from htmio.callbacks import Callback
from htmio.records import (
    _EMPTY,
    _MISSING,
    FieldPath,
    _Column,
    _display,
    _getter,
    _hashable,
    _headings,
    _sort_key,
)
from htmio.runtime import Session
from htmio.scopes import Node

PAGE_SIZE = 50
_QUERY_LIMIT = 200  # characters of filter text kept
_NUMBER = re.compile(r"[0-9]{1,12}")  # ASCII only: "١" is a digit to \d (see events.number_or_none)


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
        with session.changing():
            node = self.node
            if node is None or not session.document.is_attached(node):
                raise ValueError("This table is no longer on the page. Reload the page to see the current one.")
            self.message = ""
            self._change_view(params)
            calls = self._change_selection(params) if self._has_token(params) else []
            html = str(node.render(session.page))
            # the stream sends it too: an answer that lands in a grid the stream has just replaced (the app
            # updated the table meanwhile) is lost, and the page must still end up showing this view
            session.document.changed(node)
        if calls:
            run = _call_all_async if any(inspect.iscoroutinefunction(fn) for fn, _ in calls) else _call_all
            session.callbacks.run(Callback(run, [calls]), 0)
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


def _call_all(calls: list[tuple[Callable[[Any], Any], Any]]) -> Any:
    # onselect, then the action, in one session thread and in that order; from the first one that returns
    # a coroutine on, the rest is returned as one coroutine, which the session runs (Callbacks.run)
    for number, (fn, arg) in enumerate(calls):
        result = fn(arg)
        if inspect.iscoroutine(result):
            return _call_rest(result, calls[number + 1:])
    return None


async def _call_rest(first: Any, rest: list[tuple[Callable[[Any], Any], Any]]) -> None:
    await first
    await _call_all_async(rest)


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
