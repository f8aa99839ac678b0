"""The session's SSE stream: replay from the page's position, a resync when the buffer no longer reaches back."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.responses import Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from htmio.events import number_or_none
from htmio.render import envelope, render_template
from htmio.runtime import Session
from htmio.server.access import FOREIGN, lookup, unknown
from htmio.server.state import Handlers
from htmio.server.whole import resync, sse


class Stream(Handlers):
    """``GET /s/<sid>/events``: the changes of a session's document, as they happen."""

    async def events(self, request: Request, sid: str) -> Response:
        """The stream from ``Last-Event-ID`` (or ``?after=``), or a farewell when the session is gone."""
        found = lookup(request, self.state, sid)
        if isinstance(found, Response):
            reason = unknown(request) if found.status_code == 404 else FOREIGN
            return EventSourceResponse(_farewell(*reason), sep="\n")
        session = found
        raw = request.headers.get("last-event-id") or request.query_params.get("after") or ""
        after = number_or_none(raw)  # anything else (junk, "²", 5,000 digits): a fresh start, a resync
        return EventSourceResponse(
            _stream(session, after), ping=self.settings.ping_interval, send_timeout=30, sep="\n",
            headers={"Vary": "HX-Request"},
        )


async def _stream(session: Session, after: int | None) -> AsyncIterator[ServerSentEvent | bytes]:
    wake = asyncio.Event()
    session.streams.add(wake)
    session.stream_opened()
    try:
        if after is None:  # no position known: start from the whole document
            after, whole = await resync(session)
            yield whole
        sent: int = after
        while True:
            wake.clear()
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
        session.streams.discard(wake)
        session.stream_closed()


async def _farewell(heading: str, message: str) -> AsyncIterator[ServerSentEvent]:
    # a 200 stream that says why and closes: a 404 or a plain end would make htmx reconnect forever
    html = render_template("_notice.html", heading=heading, message=message)
    yield ServerSentEvent(envelope("htmio-status", "outerHTML",
                                   f'<div id="htmio-status" class="htmio-status htmio-status-error" role="alert">{html}</div>'),
                          sep="\n")
    yield ServerSentEvent("closed", event="htmio-close", sep="\n")
