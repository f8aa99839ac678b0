"""A session's input forms: shown in the input area, answered by posts, stacked when inputs overlap.

``session.forms.run(...)`` shows a form and waits (in the app's thread, or awaited in a coroutine
session) until a post of it is final; the server hands each post to ``session.forms.submit(event)``,
whose future holds the verdict the waiting thread gives.
"""
from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from htmio.events import FormSubmitted
from htmio.scopes import Node, form_dom_id
from htmio.waiting import Waiter

if TYPE_CHECKING:
    from htmio.runtime import Session


@dataclass(frozen=True)
class FormOutcome:
    """What handling one post of a form came to: ``ok`` and ``cancelled`` end the input call with
    ``result``; ``invalid`` and ``updated`` keep the form, and ``html`` is the part to swap in."""

    status: str
    result: Any = None
    html: str = ""

    @property
    def is_final(self) -> bool:
        return self.status in ("ok", "cancelled")


class FormSpec(Protocol):
    """What the input module hands the session: how to handle a post of its form."""

    def handle(self, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        """Check a submission, run an onchange or action callback; runs in the waiting thread."""
        ...


@dataclass(frozen=True)
class Verdict:
    """What the session thread answers to a form post."""

    status: str  # "ok" | "cancelled" | "invalid" | "updated" | "stale" | "stacked" | "closed"
    html: str = ""


Post = tuple[FormSubmitted, concurrent.futures.Future[Verdict]]


@dataclass
class PendingForm:
    """An input form on the page whose thread waits for a valid submission."""

    node: Node
    spec: FormSpec
    posts: Waiter[Post]


class Forms:
    """The pending forms of one session, by form number; the newest is the one shown."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.pending: dict[int, PendingForm] = {}

    def run(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> Any:
        """Show a form in the input area and block this thread until it is validly submitted.
        In a coroutine session this returns a coroutine to await instead."""
        if self._session.in_its_loop():
            return self._run_async(template, context, spec, caller)
        pending = self.open(template, context, spec, caller)
        try:
            while True:
                done, result = self._handle(pending, pending.posts.get())
                if done:
                    return result
        finally:
            self.close(pending)

    async def _run_async(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> Any:
        """``await input(...)``: the same wait, on the loop instead of in a thread."""
        pending = self.open(template, context, spec, caller)
        try:
            while True:
                done, result = self._handle(pending, await pending.posts.get_async())
                if done:
                    return result
        finally:
            self.close(pending)

    def open(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> PendingForm:
        """Put a form into the input area and send it."""
        session = self._session
        with session.lock:
            session.check_open(caller)
            form_id = session.document.next_number()
            node = Node(template, {**context, "form_id": form_id, "errors": {}, "values": {}, "stacked": False},
                        form_dom_id(form_id))
            # forms of concurrent inputs stack, the newest on top: the page shows only the last form of the
            # input area (its CSS hides the others live, so what the user typed in them stays), and a page
            # rendered anew marks the others hidden
            for below in self.pending.values():
                below.node.context["stacked"] = True
            session.document.insert(node, session.document.inputs, -1, caller)
            pending = PendingForm(node, spec, session.waits.new(
                "input(): the page was closed before the form was submitted."))
            self.pending[form_id] = pending
        session.flush()
        return pending

    def _handle(self, pending: PendingForm, item: Post) -> tuple[bool, Any]:
        """Handle one post in the waiting thread or task: (done, result)."""
        event, verdict = item
        if not verdict.set_running_or_notify_cancel():
            return False, None  # the post gave up waiting: ignore that submission
        try:
            outcome = pending.spec.handle(event, pending.node, self._session)
        except Exception as exc:
            verdict.set_exception(exc)
            raise
        verdict.set_result(Verdict(outcome.status, outcome.html))
        return outcome.is_final, outcome.result

    def close(self, pending: PendingForm) -> None:
        """Take an answered (or abandoned) form off the page."""
        session = self._session
        with session.changing():
            pending.posts.stop()
            self.pending.pop(int(pending.node.context["form_id"]), None)
            if pending.node.parent is not None:
                session.document.detach(pending.node)
            top = self.top()
            if top is not None:
                top.node.context["stacked"] = False  # shown again: the CSS shows it live, as the last form

    def top(self) -> PendingForm | None:
        """The form shown: the newest of the pending ones (the others wait below it)."""
        with self._session.lock:
            return self.pending[next(reversed(self.pending))] if self.pending else None

    def get(self, form_id: int) -> PendingForm | None:
        """The pending form with that number, if any."""
        with self._session.lock:
            return self.pending.get(form_id)

    def submit(self, event: FormSubmitted) -> concurrent.futures.Future[Verdict]:
        """Hand a form post to the waiting thread; the future holds its verdict. An answer to a form that
        waits below a newer one is refused ("stacked"): the user answers the form shown first."""
        verdict: concurrent.futures.Future[Verdict] = concurrent.futures.Future()
        with self._session.lock:
            pending = self.pending.get(event.form_id)
            if self._session.closed:
                verdict.set_result(Verdict("closed"))
            elif pending is None:
                verdict.set_result(Verdict("stale"))
            elif pending is not self.top() and event.action.partition(":")[0] in ("submit", "cancel"):
                # an answer to a covered form; its field checks ("change", sent as a field loses focus) go on
                verdict.set_result(Verdict("stacked"))
            elif not pending.posts.put((event, verdict)):
                verdict.set_result(Verdict("stale"))  # the form's wait has just ended
        return verdict
