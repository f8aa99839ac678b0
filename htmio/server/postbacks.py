"""The post-backs of a session's page: form answers, clicks, pin changes, JS answers, presence beacons, view changes."""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from htmio import inbound
from htmio.events import FormSubmitted, Inbound, PinChanged, UploadedFile
from htmio.fields import ChoiceItem, Item, PostLimit, SliderItem
from htmio.forms import Verdict
from htmio.inbound import BadPost
from htmio.render import envelope
from htmio.server.access import (
    SLACK,
    check_token,
    done,
    error,
    is_fragment_request,
    lookup,
    messages_for,
    open_post,
    settle,
    text_fields,
    too_large,
    unknown,
    uploads,
)
from htmio.server.bodies import TooLarge
from htmio.server.state import Handlers

log = logging.getLogger("htmio")


def refused(request: Request, bad: BadPost) -> Response:
    """The clear answer to a post whose fields make no event."""
    return error(request, bad.status, bad.heading, bad.message)


class PostBacks(Handlers):
    """What the page sends back; each answers 204 to htmx (changes come over SSE) or redirects to the page."""

    async def submit(self, request: Request, sid: str, form_id: str) -> Response:
        """An input form's answer: the session checks it, the answer says how it went."""
        settings = self.settings
        try:
            number = inbound.parse_number(form_id, "form number")
        except BadPost as bad:
            return refused(request, bad)
        try:
            opened = await open_post(request, self.state, sid, "form", limit=settings.max_body_size + SLACK,
                                     max_files=1000, max_fields=1000,
                                     fields=self._limits(FormSubmitted, sid, form_id))
        except TooLarge as exc:
            return self._refused_in_form(request, sid, number, exc)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        values: dict[str, list[str]] = {}
        files: dict[str, list[UploadedFile]] = {}
        try:
            for key in form.keys():
                if key.startswith("_"):
                    continue
                for item in form.getlist(key):
                    if isinstance(item, str):
                        values.setdefault(key, []).append(item)
                    else:  # an upload, spooled to disk past bodies.SPOOL: read it here, the session gets bytes
                        content = await item.read()
                        files.setdefault(key, []).append(UploadedFile(
                            item.filename or "", content, item.content_type or "application/octet-stream"))
        finally:
            await form.close()
        action = form.get("_action")
        event = inbound.form_submitted(form_id, values, files, action if isinstance(action, str) else None)
        future = inbound.dispatch(session, event)
        try:
            verdict: Verdict = await asyncio.wait_for(asyncio.wrap_future(future), settings.verdict_timeout)
        except asyncio.TimeoutError:
            return error(request, 503, "The app is busy",
                         "It did not check your answer in time. Wait a moment and submit again.")
        except Exception:
            log.exception("htmio: checking a form of session %s failed", sid[:8])
            return error(request, 500, "The form could not be checked",
                         "The app failed while checking it; the details are in the server's log.")
        if verdict.status == "closed":
            return error(request, 410, *unknown(request))
        if is_fragment_request(request):
            if verdict.status == "invalid":
                return HTMLResponse(verdict.html, status_code=422, headers={"Vary": "HX-Request"})
            if verdict.status == "updated":
                return HTMLResponse(verdict.html, headers={"Vary": "HX-Request"})
            if verdict.status == "stale":
                return error(request, 409, "This form was already answered",
                             "The app has moved on. The page shows where it is now.")
            if verdict.status == "stacked":  # a newer form covers it (a post sent just before it came)
                return error(request, 409, "Another form came first",
                             "The app asked something else meanwhile. Answer the form shown now; this one "
                             "comes back after it, with what you typed.")
        return await done(request, session, settings.settle_timeout, "#htmio-inputs")

    def _limits(self, kind: type[Inbound], sid: str, key: str) -> dict[str, PostLimit]:
        """What each field of a post may bring (none for a session that is gone); a file input without limits
        of its own is held to the server's, so a file past it is refused under its field."""
        session = self.state.sessions.get(sid)
        if session is None:
            return {}
        server = self.settings.max_body_size
        return {name: replace(limit, each=limit.each or server, total=limit.total or server) if limit.is_file
                else limit for name, limit in inbound.post_limits(kind, session, key).items()}

    def _refused_in_form(self, request: Request, sid: str, number: int, exc: TooLarge) -> Response:
        """A field of a pending form passed its limit as it streamed: the form shows why, what it showed stays."""
        session = self.state.sessions.get(sid)
        pending = session.forms.get(number) if session is not None else None
        if session is None or pending is None:
            return too_large(request, error(request, 409, "This form was already answered",
                                            "The app has moved on. The page shows where it is now."))
        t = session.page.messages
        if exc.kind == "total":
            message = t("files_over_limit", max=t.size(exc.limit))
        elif exc.filename is not None:
            message = t("file_over_limit", name=exc.filename, max=t.size(exc.limit))
        else:
            message = t("field_over_limit", max=t.size(exc.limit))
        node = pending.node
        with session.lock:
            values = dict(node.context["values"])
            for item in getattr(pending.spec, "items", []):  # what was typed before the refused field
                if not isinstance(item, Item) or item.name not in exc.texts or item.name == exc.name:
                    continue
                sent = exc.texts[item.name]
                if isinstance(item, ChoiceItem):
                    values[item.name] = [s for s in sent if s]
                elif item.text_like or isinstance(item, SliderItem):
                    values[item.name] = sent[0]
            node.context["values"] = values
            node.context["errors"] = {exc.name: message}
            html = node.render(session.page)
        if is_fragment_request(request):
            return too_large(request, HTMLResponse(envelope(node.dom_id, "outerHTML", html), status_code=413,
                                                   headers={"Vary": "HX-Request"}))
        return too_large(request, RedirectResponse(session.page_url + "#htmio-inputs", status_code=303))

    async def click(self, request: Request, sid: str, callback_id: str) -> Response:
        """A button or clickable output: its callback runs."""
        try:
            inbound.parse_number(callback_id, "button number")
        except BadPost as bad:
            return refused(request, bad)
        opened = await open_post(request, self.state, sid, "click", limit=64 * 1024, max_files=0, max_fields=50)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        try:
            event = inbound.button_clicked(callback_id, text_fields(form))
        except BadPost as bad:
            return refused(request, bad)
        if not inbound.dispatch(session, event):
            if session.closed:
                return error(request, 410, *unknown(request))
            return error(request, 409, "This button no longer does anything",
                         "It belongs to an earlier state of the page. Reload the page to see the current one.")
        return await done(request, session, self.settings.settle_timeout)

    async def presence(self, request: Request, sid: str) -> Response:
        """The page's beacon: hidden, visible again, or left."""
        opened = await open_post(request, self.state, sid, "beacon", limit=4096, max_files=0, max_fields=10)
        if isinstance(opened, Response):
            return Response(status_code=opened.status_code)  # a beacon's answer is never read
        session, form = opened
        try:
            event = inbound.presence_changed(text_fields(form))
        except BadPost as bad:
            return Response(status_code=bad.status)
        inbound.dispatch(session, event)
        return Response(status_code=204)

    async def pin_changed(self, request: Request, sid: str, name: str) -> Response:
        """A pin widget's new value."""
        try:
            opened = await open_post(request, self.state, sid, "value", limit=self.settings.max_body_size + SLACK,
                                     max_files=1000, max_fields=1000, fields=self._limits(PinChanged, sid, name))
        except TooLarge as exc:  # a file of a put_file_upload past its limit, refused as it streamed
            session = self.state.sessions.get(sid)
            t = session.page.messages if session is not None else messages_for(request)
            message = (t("files_over_limit", max=t.size(exc.limit)) if exc.kind == "total"
                       else t("file_over_limit", name=exc.filename or "", max=t.size(exc.limit)))
            return too_large(request, error(request, 413, "This value was not taken", message))
        if isinstance(opened, Response):
            return opened
        session, form = opened
        fields = text_fields(form)
        event = inbound.pin_changed(name, fields, await uploads(form))  # files: a put_file_upload widget
        problem = inbound.dispatch(session, event)
        if problem is not None:
            return error(request, 409, "This value was not taken", problem + " Reload the page to see the current one.")
        return await done(request, session, self.settings.settle_timeout)

    async def js_answer(self, request: Request, sid: str, number: str) -> Response:
        """The value (or error) of an ``eval_js`` call."""
        try:
            inbound.parse_number(number, "call number")
        except BadPost as bad:
            return refused(request, bad)
        opened = await open_post(request, self.state, sid, "answer", limit=self.settings.max_body_size, max_files=0,
                                 max_fields=10)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        answered = inbound.dispatch(session, inbound.js_answered(number, text_fields(form)))
        return Response(status_code=204 if answered else 409)

    async def view(self, request: Request, sid: str, number: str) -> Response:
        """A change of what an output shows (a data table's page, sort, filter, selection): the output
        keeps the new state, htmx gets it re-rendered, a page without JavaScript is sent back to itself.
        Both need the page's token; GET only changes the view, POST may also run the app's callbacks."""
        params: dict[str, list[str]] = {}
        try:
            inbound.parse_number(number, "view number")
        except BadPost as bad:
            return refused(request, bad)
        if request.method == "POST":
            opened = await open_post(request, self.state, sid, "request", limit=self.settings.max_body_size,
                                     max_files=0, max_fields=10_000)
            if isinstance(opened, Response):
                return opened
            found, form = opened
            params = text_fields(form)
        else:
            looked_up = lookup(request, self.state, sid)
            if isinstance(looked_up, Response):
                return looked_up
            found = looked_up
            # a GET changes the table's state too: it needs the page's token (htmx sends it as a header,
            # a plain link carries it in its address), and a link on another site is refused
            denied = check_token(request, found, request.query_params.get("_token"))
            if denied is not None:
                return denied
            for key, value in request.query_params.multi_items():
                if key != "_token":
                    params.setdefault(key, []).append(value)
            found.touched()
        try:
            html = await run_in_threadpool(inbound.dispatch, found, inbound.view_changed(number, params))
        except ValueError as exc:
            return error(request, 400, "This view could not be shown", str(exc))
        if html is None:
            return error(request, 409, "This view is gone",
                         "The output it belonged to was removed. Reload the page to see the current one.")
        if is_fragment_request(request):
            return HTMLResponse(html, headers={"Vary": "HX-Request", "Cache-Control": "no-store"})
        if request.method == "POST":
            await settle(found, self.settings.settle_timeout)  # a callback it started shows its outputs on the next page
        anchor = (params.get("_anchor") or [""])[0]
        return RedirectResponse(found.page_url + (f"#{anchor}" if re.fullmatch(r"[\w-]{1,80}", anchor) else ""),
                                status_code=303)
