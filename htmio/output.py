"""Output functions: ``put_*`` append content to the page, scopes organise it, toasts notify.

Every ``put_*`` renders its template on the server and queues the fragment for the page's event
stream; outputs made close together leave as one message.

This module is what users import; the code lives by concept in ``htmio/outputs/`` (``base``: ``Output`` and
placing a node; ``content``, ``buttons``, ``tables``, ``layout``, ``scoping``, ``overlays``, ``legacy``) and the
data table in ``htmio.datatable``.
"""
from __future__ import annotations

from htmio.datatable import put_datatable as put_datatable
from htmio.datatable import datatable_update as datatable_update
from htmio.datatable import datatable_insert as datatable_insert
from htmio.datatable import datatable_remove as datatable_remove
from htmio.datatable import JSFunction as JSFunction
from htmio.outputs.base import Output as Output
from htmio.outputs.base import OutputPosition as OutputPosition
from htmio.outputs.base import Position as Position
from htmio.outputs.buttons import put_buttons as put_buttons
from htmio.outputs.buttons import put_button as put_button
from htmio.outputs.content import put_text as put_text
from htmio.outputs.content import put_markdown as put_markdown
from htmio.outputs.content import put_html as put_html
from htmio.outputs.content import put_code as put_code
from htmio.outputs.content import put_link as put_link
from htmio.outputs.content import put_image as put_image
from htmio.outputs.content import put_file as put_file
from htmio.outputs.content import put_info as put_info
from htmio.outputs.content import put_success as put_success
from htmio.outputs.content import put_warning as put_warning
from htmio.outputs.content import put_error as put_error
from htmio.outputs.content import put_loading as put_loading
from htmio.outputs.content import put_processbar as put_processbar
from htmio.outputs.content import set_processbar as set_processbar
from htmio.outputs.content import put_progressbar as put_progressbar
from htmio.outputs.content import set_progressbar as set_progressbar
from htmio.outputs.layout import put_collapse as put_collapse
from htmio.outputs.layout import put_scrollable as put_scrollable
from htmio.outputs.layout import put_tabs as put_tabs
from htmio.outputs.layout import put_widget as put_widget
from htmio.outputs.layout import put_row as put_row
from htmio.outputs.layout import put_column as put_column
from htmio.outputs.layout import put_grid as put_grid
from htmio.outputs.legacy import style as style
from htmio.outputs.legacy import output as output
from htmio.outputs.legacy import OutputHandler as OutputHandler
from htmio.outputs.overlays import toast as toast
from htmio.outputs.overlays import PopupSize as PopupSize
from htmio.outputs.overlays import popup as popup
from htmio.outputs.overlays import close_popup as close_popup
from htmio.outputs.scoping import put_scope as put_scope
from htmio.outputs.scoping import use_scope as use_scope
from htmio.outputs.scoping import get_scope as get_scope
from htmio.outputs.scoping import clear as clear
from htmio.outputs.scoping import remove as remove
from htmio.outputs.scoping import scroll_to as scroll_to
from htmio.outputs.scoping import set_scope as set_scope
from htmio.outputs.tables import span as span
from htmio.outputs.tables import put_table as put_table

# importable as in PyWebIO, though outside __all__: OutputList is what style() gives for a list, clear_scope
# is clear's old name
from htmio.outputs.legacy import OutputList as OutputList
from htmio.outputs.scoping import clear_scope as clear_scope

__all__ = [
    "Output",
    "OutputPosition",
    "Position",
    "put_text",
    "put_markdown",
    "put_html",
    "put_buttons",
    "put_button",
    "put_scope",
    "use_scope",
    "get_scope",
    "clear",
    "remove",
    "scroll_to",
    "toast",
    "put_code",
    "put_link",
    "put_image",
    "put_file",
    "put_info",
    "put_success",
    "put_warning",
    "put_error",
    "put_loading",
    "put_processbar",
    "set_processbar",
    "put_progressbar",
    "set_progressbar",
    "span",
    "put_table",
    "put_collapse",
    "put_scrollable",
    "put_tabs",
    "put_widget",
    "put_row",
    "put_column",
    "put_grid",
    "PopupSize",
    "popup",
    "close_popup",
    "style",
    "set_scope",
    "output",
    "OutputHandler",
    "put_datatable",
    "datatable_update",
    "datatable_insert",
    "datatable_remove",
    "JSFunction",
]
