"""The one inbound path: a post's fields parsed into an event, and the event dispatched to its handler."""
from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from htmio.events import (
    ButtonClicked,
    FormSubmitted,
    Inbound,
    JsAnswered,
    PinChanged,
    PresenceChanged,
    UploadedFile,
    ViewChanged,
    number_or_none,
)
from htmio.fields import Item, PostLimit
from htmio.forms import Verdict
from htmio.runtime import Session
from htmio.served import Views

PRESENCE_STATES = ("hidden", "visible", "left")

Fields = Mapping[str, list[str]]
E = TypeVar("E", bound=Inbound)


class BadPost(ValueError):
    """A post whose fields do not make an event: the server answers ``status`` with this heading and text."""

    def __init__(self, status: int, heading: str, message: str) -> None:
        super().__init__(message)
        self.status, self.heading, self.message = status, heading, message


_MALFORMED = "This address is malformed"
_MALFORMED_TEXT = "Part of it is not what htmio expects (a number, say). Use the links the page gives you."


def parse_number(raw: object, what: str, heading: str = _MALFORMED, hint: str = "") -> int:
    """A count or id sent as ASCII digits (at most MAX_DIGITS of them), else BadPost 400; never int() on junk."""
    number = number_or_none(raw)
    if number is None:
        shown = raw if not isinstance(raw, str) or len(raw) <= 40 else raw[:40] + "…"
        raise BadPost(400, heading, hint or f"The {what} {shown!r} is not a number. {_MALFORMED_TEXT}")
    return number


def _last(fields: Fields, key: str) -> str | None:
    """The last value of a field (what a form's ``get`` gives), or None."""
    found = fields.get(key)
    return found[-1] if found else None


# ---- the parser: request fields -> event -------------------------------------------------------

def form_submitted(form_id: str, values: dict[str, list[str]], files: dict[str, list[UploadedFile]],
                   action: str | None) -> FormSubmitted:
    """An input form's answer (fields starting with ``_`` already left out, but ``_action``)."""
    return FormSubmitted(parse_number(form_id, "form number"), values, files, action=action or "submit")


def button_clicked(callback_id: str, fields: Fields) -> ButtonClicked:
    """A click on a button (``_index``, default 0) or a clickable output."""
    number = parse_number(callback_id, "button number")
    raw_index = _last(fields, "_index")
    index = 0 if raw_index is None else parse_number(
        raw_index, "button index", "The click could not be read",
        f"The button index {raw_index[:40]!r} is not a number. Reload the page and try again.")
    return ButtonClicked(number, index)


def presence_changed(fields: Fields) -> PresenceChanged:
    """A beacon: the page's ``state`` and, when it knows it, its ``view`` number."""
    state = _last(fields, "state")
    if state not in PRESENCE_STATES:
        raise BadPost(400, "The beacon could not be read", f"The state {state!r} is not one of {PRESENCE_STATES}.")
    view = _last(fields, "view")
    return PresenceChanged(state, None if not view else parse_number(view, "view number"))


def pin_changed(name: str, fields: Fields, files: dict[str, list[UploadedFile]]) -> PinChanged:
    """A pin widget's new value (fields starting with ``_`` left out)."""
    return PinChanged(name, {key: list(texts) for key, texts in fields.items() if not key.startswith("_")}, files)


def js_answered(number: str, fields: Fields) -> JsAnswered:
    """The answer to an ``eval_js`` call: ``value`` (JSON text) or ``error``."""
    return JsAnswered(parse_number(number, "call number"), _last(fields, "value"), _last(fields, "error"))


def view_changed(number: str, fields: Fields) -> ViewChanged:
    """A change of what an output shows: every field, as the output reads them."""
    return ViewChanged(parse_number(number, "view number"), {key: list(texts) for key, texts in fields.items()})


# ---- the dispatch: event -> the handler its module plugged in ----------------------------------

_handlers: dict[type[Any], Callable[[Session, Any], Any]] = {}


def plug_inbound(kind: type[E], handler: Callable[[Session, E], Any]) -> None:
    """A module says who handles one kind of event (pin: PinChanged, session: JsAnswered)."""
    _handlers[kind] = handler


@overload
def dispatch(session: Session, event: FormSubmitted) -> concurrent.futures.Future[Verdict]: ...
@overload
def dispatch(session: Session, event: ButtonClicked) -> bool: ...
@overload
def dispatch(session: Session, event: PresenceChanged) -> None: ...
@overload
def dispatch(session: Session, event: PinChanged) -> str | None: ...
@overload
def dispatch(session: Session, event: JsAnswered) -> bool: ...
@overload
def dispatch(session: Session, event: ViewChanged) -> str | None: ...
def dispatch(session: Session, event: Inbound) -> object:
    """Deliver an event to the session through its handler; what the handler answers comes back.

    FormSubmitted: a future Verdict. ButtonClicked, JsAnswered: whether anything took it. PinChanged: an
    error message or None. ViewChanged: the re-rendered output, or None when it is gone (ValueError when the
    fields are not a view it can show; call it off the loop). PresenceChanged: None."""
    handler = _handlers.get(type(event))
    if handler is None:
        raise LookupError(f"htmio: no handler is plugged in for {type(event).__name__}")
    return handler(session, event)


def _presence(session: Session, event: PresenceChanged) -> None:
    """The beacon goes to the session's liveness."""
    session.presence(event.state, event.view)


def _view(session: Session, event: ViewChanged) -> str | None:
    """The handler an output left in the session's ``Views`` renders the new view."""
    handler = session.part(Views).get(event.number)
    return None if handler is None else str(handler(event.params))


def _form(session: Session, event: FormSubmitted) -> concurrent.futures.Future[Verdict]:
    """A form post goes to the form waiting for it."""
    return session.forms.submit(event)


def _click(session: Session, event: ButtonClicked) -> bool:
    """A click runs its callback."""
    return session.callbacks.click(event)


plug_inbound(FormSubmitted, _form)
plug_inbound(ButtonClicked, _click)
plug_inbound(PresenceChanged, _presence)
plug_inbound(ViewChanged, _view)


# ---- the limits of a post's fields, read before its body ---------------------------------------

_limits: dict[type[Any], Callable[[Session, str], dict[str, PostLimit]]] = {}


def plug_limits(kind: type[Inbound], finder: Callable[[Session, str], dict[str, PostLimit]]) -> None:
    """A module says what the fields of a post of one kind may bring (pin: a file widget's ``max_size``)."""
    _limits[kind] = finder


def post_limits(kind: type[Inbound], session: Session, key: str) -> dict[str, PostLimit]:
    """What each field of a post of ``kind`` to ``key`` (a form's number, a pin's name) may bring, read before
    the body is (the server counts as it streams); a field not named is bounded by the post's own limit."""
    finder = _limits.get(kind)
    return {} if finder is None else finder(session, key)


def _form_limits(session: Session, key: str) -> dict[str, PostLimit]:
    """The limits of the items of the pending form ``key``."""
    number = number_or_none(key)
    pending = session.forms.get(number) if number is not None else None
    items = getattr(pending.spec, "items", []) if pending is not None else []
    return {item.name: item.post_limit() for item in items if isinstance(item, Item)}


plug_limits(FormSubmitted, _form_limits)
