"""put_datatable: large record sets rendered on the server and paged, sorted and filtered through htmx.

(Being written: see issue 3.)
"""
from __future__ import annotations

from typing import Any

__all__ = ["put_datatable", "datatable_update", "datatable_insert", "datatable_remove", "JSFunction"]


class JSFunction:
    """PyWebIO's JavaScript function literal for data table options (not used by htmio's tables)."""

    def __init__(self, *params_and_body: str) -> None:
        self.params = params_and_body[:-1]
        self.body = params_and_body[-1] if params_and_body else ""


def put_datatable(records: Any, **kwargs: Any) -> Any:
    """Not written yet."""
    raise NotImplementedError("put_datatable is being written")


def datatable_update(instance_id: str, data: Any, row_id: Any = None, field: Any = None) -> None:
    """Not written yet."""
    raise NotImplementedError


def datatable_insert(instance_id: str, records: Any, row_id: Any = None) -> None:
    """Not written yet."""
    raise NotImplementedError


def datatable_remove(instance_id: str, row_ids: Any) -> None:
    """Not written yet."""
    raise NotImplementedError
