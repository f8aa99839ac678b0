"""Records for data tables: field paths into nested dicts, columns and their headings, the text a cell
shows and the key it sorts by."""
from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

FieldPath = tuple[Any, ...]


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
