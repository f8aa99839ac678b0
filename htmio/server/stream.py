"""The session's SSE stream: replay from the page's position, a resync when the buffer no longer reaches back;
at most ``max_streams_per_session`` at once (a new one ends the oldest), and a last word when the server stops."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import anyio
from fastapi import Request
from fastapi.responses import Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from htmio.events import number_or_none
from htmio.render import envelope, render_template
from htmio.runtime import Session
from htmio.server.access import FOREIGN, lookup, unknown
from htmio.server.state import Handlers, ServerState
from htmio.server.whole import resync, sse

# how long a stopping server lets streams say their last word before sse-starlette cancels them; below
# uvicorn's graceful-shutdown timeout (5 s where htmio starts uvicorn)
SHUTDOWN_GRACE = 4.0

SUPERSEDED = ("This page no longer follows its session",
              "The session is open in too many other tabs or windows. Reload this page to follow it here.")


@dataclass
class Slot:
    """One open stream of a session: woken on new messages; ``superseded`` when newer streams pushed it out."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    superseded: bool = False


class Stream(Handlers):
    """``GET /s/<sid>/events``: the changes of a session's document, as they happen."""

    async def events(self, request: Request, sid: str) -> Response:
        """The stream from ``Last-Event-ID`` (or ``?after=``), or a farewell when the session is gone."""
        found = lookup(request, self.state, sid)
        if isinstance(found, Response):
            reason = unknown(request) if found.status_code == 404 else FOREIGN
            return EventSourceResponse(farewell(*reason), sep="\n")
        session = found
        raw = request.headers.get("last-event-id") or request.query_params.get("after") or ""
        after = number_or_none(raw)  # anything else (junk, "²", 5,000 digits): a fresh start, a resync
        # sse-starlette sets the event when uvicorn begins to stop: the sessions close, and each stream sends
        # what is left (the page then says the server stopped) and ends, instead of being cut off
        stopping = anyio.Event()
        return EventSourceResponse(
            _stream(session, after, self.state, stopping), ping=self.settings.ping_interval,
            send_timeout=30, sep="\n", headers={"Vary": "HX-Request"}, shutdown_event=stopping,
            shutdown_grace_period=SHUTDOWN_GRACE,
        )


def _open(state: ServerState, sid: str) -> Slot:
    """A new stream of session ``sid``; past the limit, the oldest ones are told to end."""
    slot = Slot()
    slots = state.streams.setdefault(sid, [])
    slots.append(slot)
    while len(slots) > max(1, state.settings.max_streams_per_session):
        oldest = slots.pop(0)
        oldest.superseded = True
        oldest.wake.set()
    return slot


async def _stream(session: Session, after: int | None, state: ServerState,
                  stopping: anyio.Event) -> AsyncIterator[ServerSentEvent | bytes]:
    slot = _open(state, session.id)  # here, not in the handler: a response never streamed holds no slot
    wake = slot.wake
    session.streams.add(wake)
    session.stream_opened()
    watcher = asyncio.get_running_loop().create_task(_close_all_when(stopping, state))
    try:
        if after is None:  # no position known: start from the whole document
            after, whole = await resync(session)
            yield whole
        sent: int = after
        while True:
            wake.clear()
            if slot.superseded:
                yield _notice(*SUPERSEDED)
                yield ServerSentEvent("closed", event="htmio-close", sep="\n")
                return
            batch = session.messages_after(sent)
            if batch is None:  # the buffer no longer reaches back to what the page has
                sent, whole = await resync(session)
                yield whole
            else:
                for message in batch:
                    yield sse(message)
                    sent = message.id
            if session.closed and session.messages_after(sent) == []:
                yield ServerSentEvent("closed", event="htmio-close", sep="\n")
                return
            await wake.wait()
    finally:
        watcher.cancel()
        session.streams.discard(wake)
        session.stream_closed()
        slots = state.streams.get(session.id, [])
        if slot in slots:
            slots.remove(slot)
        if not slots:
            state.streams.pop(session.id, None)


async def _close_all_when(stopping: anyio.Event, state: ServerState) -> None:
    """The server is stopping: end every session (each wakes its streams, which send their last messages)."""
    await stopping.wait()
    state.close_all("server stopped")


def _notice(heading: str, message: str) -> ServerSentEvent:
    """The page's status line replaced by a notice."""
    html = render_template("_notice.html", heading=heading, message=message)
    return ServerSentEvent(envelope("htmio-status", "outerHTML",
                                    f'<div id="htmio-status" class="htmio-status htmio-status-error" role="alert">{html}</div>'),
                           sep="\n")


async def farewell(heading: str, message: str) -> AsyncIterator[ServerSentEvent]:
    """A 200 stream that says why the session is gone and closes."""
    # a 200 stream that says why and closes: a 404 or a plain end would make htmx reconnect forever
    yield _notice(heading, message)
    yield ServerSentEvent("closed", event="htmio-close", sep="\n")
