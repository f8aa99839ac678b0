"""What flows between the browser and a session: inbound posts, outbound document changes, SSE messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from htmio.scopes import Node


# ---- inbound: browser -> session -------------------------------------------------------------

MAX_DIGITS = 18  # any number htmio sends (a form, a callback, a view, a position) fits; 5,000 digits never reach int()


def number_or_none(raw: object, max_digits: int = MAX_DIGITS) -> int | None:
    """``raw`` as a number when it is 1 to ``max_digits`` ASCII digits, else None: the one way htmio reads
    a number a browser sent. ``"²"`` and ``"١"`` pass ``str.isdigit`` but are no numbers a page sends, and
    ``int()`` refuses 4,300 digits.

        number_or_none("12") == 12 and number_or_none("²") is None
    """
    if not isinstance(raw, str) or not 0 < len(raw) <= max_digits or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


@dataclass(frozen=True)
class UploadedFile:
    """One file of a multipart post, read into memory inside the request (FastAPI closes it after)."""

    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class FormSubmitted:
    """The user submitted an input form (or pressed one of its action buttons)."""

    form_id: int
    values: dict[str, list[str]]
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)
    action: str = "submit"


@dataclass(frozen=True)
class ButtonClicked:
    """The user clicked a button of ``put_buttons`` (``index`` of the button) or an output with ``.onclick``."""

    callback_id: int
    index: int = 0


@dataclass(frozen=True)
class PresenceChanged:
    """The page said it was hidden, shown again, or left (a ``sendBeacon`` from htmio.js)."""

    state: str  # "hidden" | "visible" | "left"
    view: int | None = None  # the page view that sent it (a reload makes a new one)


@dataclass(frozen=True)
class PinChanged:
    """A pin widget posted its new value (``values`` and ``files`` as a form's, without ``_`` fields)."""

    name: str
    values: dict[str, list[str]]
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)


@dataclass(frozen=True)
class JsAnswered:
    """The page answered ``eval_js`` call ``number``: its value as JSON text, or the error it threw."""

    number: int
    value: str | None
    error: str | None = None


@dataclass(frozen=True)
class ViewChanged:
    """An output's view changed (a data table's page, sort, filter, selection): the request's fields."""

    number: int
    params: dict[str, list[str]]


Inbound = Union[FormSubmitted, ButtonClicked, PresenceChanged, PinChanged, JsAnswered, ViewChanged]


# ---- outbound: session -> browser ------------------------------------------------------------

@dataclass(frozen=True)
class OutputAdded:
    """A node entered the document; where it goes is worked out when the batch is flushed."""

    node: Node
    name: str = "output-added"


@dataclass(frozen=True)
class OutputReplaced:
    """A node already on the page changed (``.style()``, a re-rendered form); it is swapped whole."""

    node: Node
    name: str = "output-replaced"


@dataclass(frozen=True)
class OutputRemoved:
    """A node left the document (``remove()``, or it was taken into a container)."""

    node: Node
    name: str = "output-removed"


@dataclass(frozen=True)
class ScopeCleared:
    """Every child of a scope was removed (``clear()``, ``use_scope(clear=True)``)."""

    scope: Node
    removed: tuple[Node, ...]
    name: str = "scope-cleared"


@dataclass(frozen=True)
class CommandSent:
    """Transient HTML outside the document (a toast, a scroll command): sent once, never replayed in a page."""

    target: str
    swap: str
    html: str
    name: str = "command"


Outbound = Union[OutputAdded, OutputReplaced, OutputRemoved, ScopeCleared, CommandSent]


@dataclass(frozen=True)
class SseMessage:
    """One SSE message as sent: swap messages are unnamed (htmx 4 swaps only those); ``event`` is for signals."""

    id: int
    data: str
    event: str | None = None
