"""The form of one input call (``input``, ``select``, ..., ``input_group``): what it does with each post.

``InputForm.handle`` runs in the thread (or task) that waits on the form: a submission is read and
validated item by item, then by the group's ``validate``; a field's change runs its ``onchange`` (where
``input_update`` may change other items); a text field's action button runs its function.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from htmio.events import FormSubmitted
from htmio.fields import (
    MISSING,
    ActionsItem,
    ChoiceItem,
    Item,
    SliderItem,
    TextAreaItem,
    TextItem,
    Validate,
    button_index,
)
from htmio.forms import FormOutcome
from htmio.i18n import Messages
from htmio.render import envelope, render_template
from htmio.runtime import Session
from htmio.scopes import Node

log = logging.getLogger("htmio")

running = threading.local()  # ``.current``: (form, node, item name, changed names) of the onchange running in this thread


@dataclass
class InputForm:
    """A form of items; ``handle`` runs in the thread that waits on it."""

    items: list[Item]
    single: bool = True
    label: str = ""
    validate: Callable[[dict[str, Any]], Any] | None = None
    cancelable: bool = False

    def item(self, name: str) -> Item | None:
        """The item named ``name``, if the form has one."""
        return next((i for i in self.items if i.name == name), None)

    def handle(self, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        """One post of the form: a submission, a cancel, a field's change or a field's action."""
        action, _, target = event.action.partition(":")
        if action == "cancel" and (self.cancelable or self._cancel_button(event)):
            return FormOutcome("cancelled", None)
        if action == "change":
            return self._changed(target, event, node, session)
        if action == "action":
            return self._action(target, event, node, session)
        if self._cancel_button(event):
            return FormOutcome("cancelled", None)
        return self._submit(event, node, session)

    def _cancel_button(self, event: FormSubmitted) -> bool:
        for item in self.items:
            if isinstance(item, ActionsItem):
                index = button_index(event.values.get(item.name, [""])[0], len(item.buttons))
                if index is not None and item.buttons[index].type == "cancel":
                    return True
        return False

    def _submit(self, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        raw: dict[str, Any] = {}
        t = session.page.messages
        for item in self.items:
            value, shown, error = item.read(event, t)
            if shown is not MISSING:
                raw[item.name] = shown
            if error is None and item.validate is not None:
                error = _run_validate(item.validate, value, t)
            if error is not None:
                errors[item.name] = error
            values[item.name] = value
        if not errors and self.validate is not None:
            verdict = self.validate(values)
            if verdict is not None:
                if not (isinstance(verdict, (tuple, list)) and len(verdict) == 2 and self.item(str(verdict[0]))):
                    raise ValueError(
                        f"input_group(validate=...) returned {verdict!r}; it must return None, or (name, message) "
                        f"naming one of the inputs: {', '.join(i.name for i in self.items)}."
                    )
                errors[str(verdict[0])] = str(verdict[1])
        if not errors:
            return FormOutcome("ok", values[self.items[0].name] if self.single else values)
        with session.lock:
            node.context["errors"] = errors
            node.context["values"] = raw
            html = node.render(session.page)
        return FormOutcome("invalid", html=envelope(node.dom_id, "outerHTML", html))

    def _changed(self, name: str, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        item = self.item(name)
        if item is None:
            return FormOutcome("updated")
        value, shown, error = item.read(event, session.page.messages)
        if error is None and item.validate is not None:
            error = _run_validate(item.validate, value, session.page.messages)
        with session.lock:
            _remember(node, event, self.items)
            errors = dict(node.context["errors"])
            errors.pop(name, None)
            if error is not None:
                errors[name] = error
            node.context["errors"] = errors
        changed = {name}
        if error is None and item.onchange is not None:
            running.current = (self, node, name, changed)
            try:
                item.onchange(value)
            finally:
                running.current = None
        return FormOutcome("updated", html=_render_items(self, node, session, changed))

    def _action(self, name: str, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        item = self.item(name)
        if not isinstance(item, TextItem) or item.action is None:
            return FormOutcome("updated")
        with session.lock:
            _remember(node, event, self.items)

        answered = False  # set once this post has its answer: a later set_value (from a popup's button, or
        # an async action still running) sends the field over the stream instead

        def set_value(value: Any, label: str | None = None) -> None:
            with session.lock:
                if label is None:
                    node.context["values"] = {**node.context["values"], name: str(value)}
                else:
                    assert isinstance(item, TextItem)
                    item.action_label, item.action_value, item.readonly = str(label), value, True
                    node.context["values"] = {**node.context["values"], name: str(label)}
                if answered and session.document.is_attached(node):
                    html = render_template("input/_field.html", f=item, node=node, page=session.page,
                                           errors=node.context["errors"], values=node.context["values"], focus=False)
                    session.document.command(f"{node.dom_id}-{name}-field", "outerHTML", html)
            if answered:
                session.changed()

        went_on = session.callbacks.call(item.action[1], set_value)  # an async def action goes on as a task of the session
        answered = True
        if went_on:
            return FormOutcome("updated")
        return FormOutcome("updated", html=_render_items(self, node, session, {name}))


def _remember(node: Node, event: FormSubmitted, items: Sequence[Item]) -> None:
    """Keep what the user has typed so far, so a re-rendered field or a reload shows it."""
    values = dict(node.context["values"])
    for item in items:
        if isinstance(item, ChoiceItem):
            values[item.name] = [s for s in event.values.get(item.name, []) if s]
        elif isinstance(item, (TextItem, TextAreaItem, SliderItem)) and item.name in event.values:
            if not (isinstance(item, TextItem) and item.action_label is not None):
                values[item.name] = event.values[item.name][0]
    node.context["values"] = values


def _render_items(form: InputForm, node: Node, session: Session, names: set[str]) -> str:
    with session.lock:
        parts = []
        for item in form.items:
            if item.name in names:
                html = render_template("input/_field.html", f=item, node=node, page=session.page,
                                       errors=node.context["errors"], values=node.context["values"], focus=False)
                parts.append(envelope(f"{node.dom_id}-{item.name}-field", "outerHTML", html))
        return "\n".join(parts)


def _run_validate(validate: Validate, value: Any, t: Messages) -> str | None:
    try:
        message = validate(value)
    except Exception:
        log.warning("htmio: the validate function %r raised; the value is treated as invalid", validate, exc_info=True)
        return t("validate_failed")
    return None if message is None else str(message)
