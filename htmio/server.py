"""The FastAPI app: session pages, the SSE stream, form and click post-backs, static files, the reaper."""
from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import hmac
import logging
import mimetypes
import re
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.exceptions import HTTPException as StarletteHTTPException

from htmio.apps import App, choose, collect_apps, global_config
from htmio.bokehjs import bokehjs_root
from htmio.events import ButtonClicked, FormSubmitted, PresenceChanged, UploadedFile
from htmio.i18n import Messages, pick_language, preferred_tag
from htmio.render import Markup, envelope, render_template
from htmio.pin import receive as receive_pin
from htmio.runtime import Session, Verdict, session_host
from htmio.session import answer_js
from htmio.settings import Settings
from htmio.staticdir import STATIC_DIR_PREFIX, static_folder

log = logging.getLogger("htmio")

BROWSER_COOKIE = "htmio_browser"
STATIC_PREFIX = "/_htmio/static"
_IS_HTMX = "hx-request"


@dataclass
class ServerState:
    """Everything one htmio ASGI app owns: its app functions, settings and live sessions."""

    apps: dict[str, App]
    settings: Settings
    sessions: dict[str, Session] = field(default_factory=dict)
    reaper: asyncio.Task[None] | None = None

    def ensure_reaper(self) -> None:
        """Start the reaper on the running loop (lazily, so a mounted app whose lifespan never runs has one)."""
        if self.reaper is None or self.reaper.done():
            self.reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self.reap(time.monotonic())

    def reap(self, now: float) -> None:
        """End sessions whose page is gone; forget ended ones after ``ended_keep`` seconds."""
        for sid, session in list(self.sessions.items()):
            if session.closed_at is not None:
                if now - session.closed_at > self.settings.ended_keep:
                    self.sessions.pop(sid, None)
                continue
            reason = session.expiry_reason(now)
            if reason is not None:
                log.info("htmio: session %s ends: %s", sid[:8], reason)
                session.close(reason)

    def close_all(self, reason: str) -> None:
        for session in list(self.sessions.values()):
            session.close(reason)


def is_fragment_request(request: Request) -> bool:
    """True for requests made by htmx (they get fragments, never redirects)."""
    return request.headers.get(_IS_HTMX) == "true"


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


# ---- errors ------------------------------------------------------------------------------------

def _error(request: Request, status: int, heading: str, message: str) -> Response:
    """A clear answer to a bad request: a toast fragment for htmx, a small page otherwise."""
    root = _root(request)
    if is_fragment_request(request):
        html = render_template("_notice.html", heading=heading, message=message)
        return HTMLResponse(envelope("htmio-toasts", "beforeend", html), status_code=status,
                            headers={"Vary": "HX-Request"})
    page = render_template("gone.html", heading=heading, message=message, static=root + STATIC_PREFIX,
                           home=root + "/", messages=_messages(request))
    return HTMLResponse(page, status_code=status, headers={"Vary": "HX-Request"})


def _messages(request: Request) -> Messages:
    """htmio's texts in the language the request's Accept-Language asks for."""
    return Messages(pick_language(request.headers.get("accept-language", "")))


def _unknown(request: Request) -> tuple[str, str]:
    """The heading and text of "this session has ended", in the browser's language."""
    t = _messages(request)
    return t("session_unknown_heading"), t("session_unknown")


_FOREIGN = ("This session belongs to another browser",
            "Sessions are bound to the browser that opened them, and this request did not come from it "
            "(or cookies are blocked). Start a new session of your own.")
_BAD_TOKEN = ("This request was refused",
              "It did not carry the page's security token. Reload the page and try again.")


def _lookup(request: Request, state: ServerState, sid: str) -> Session | Response:
    session = state.sessions.get(sid)
    if session is None:
        return _error(request, 404, *_unknown(request))
    cookie = request.cookies.get(BROWSER_COOKIE, "")
    if not hmac.compare_digest(cookie.encode(), session.browser_id.encode()):
        return _error(request, 403, *_FOREIGN)
    return session


def _check_post(request: Request, session: Session, form_token: str | None) -> Response | None:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return _error(request, 403, "This request was refused",
                      f"It came from another site (Sec-Fetch-Site: {site}). Use the app's own page.")
    token = form_token or request.headers.get("x-htmio-token") or ""
    if not hmac.compare_digest(token.encode(), session.token.encode()):
        return _error(request, 403, *_BAD_TOKEN)
    return None


def _too_large(request: Request, limit: int) -> Response | None:
    # FastAPI's own body limit stays as the backstop for bodies without a Content-Length
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return _error(request, 413, "What you sent is too large",
                      f"The server accepts at most {limit:,} bytes in one request; this was {int(length):,}. "
                      "Send less, or ask the app's author to raise HTMIO_MAX_BODY_SIZE.")
    return None


async def _open_post(request: Request, state: ServerState, sid: str, what: str, *, limit: int,
                     max_files: int, max_fields: int) -> tuple[Session, FormData] | Response:
    """The session and the form of a post-back, or the clear refusal: unknown or foreign session,
    too large, unreadable, or without the page's token."""
    found = _lookup(request, state, sid)
    if isinstance(found, Response):
        return found
    refused = _too_large(request, limit)
    if refused is not None:
        return refused
    try:
        form = await request.form(max_files=max_files, max_fields=max_fields)
    except Exception as exc:  # a malformed multipart or urlencoded body
        return _error(request, 400, f"The {what} could not be read", f"{exc}. Reload the page and try again.")
    token = form.get("_token")
    refused = _check_post(request, found, token if isinstance(token, str) else None)
    if refused is not None:
        return refused
    found.touched()
    return found, form


_SLACK = 1024 * 1024  # multipart headers and the other fields around the files


async def _oversize_upload(request: Request, state: ServerState, sid: str, form_id: int) -> Response | None:
    """An upload larger than its form allows: drain it unparsed and show the limit in the form."""
    session = state.sessions.get(sid)
    length = request.headers.get("content-length", "")
    if session is None or not length.isdigit():
        return None
    pending = session.forms.get(form_id)
    upload_limit = getattr(pending.spec, "upload_limit", None) if pending is not None else None
    limit = upload_limit(state.settings.max_body_size) if upload_limit is not None else None
    # beyond twice the server's limit, refuse without reading (a toast); up to it, drain and answer in the form
    if limit is None or int(length) <= limit + _SLACK or int(length) > 2 * state.settings.max_body_size:
        return None
    if isinstance(_lookup(request, state, sid), Response):
        return None  # let the normal path refuse it
    async for _ in request.stream():  # read it off the wire so the browser gets the answer, not a reset
        pass
    assert pending is not None
    html = pending.spec.oversize(pending.node, session, int(length))  # type: ignore[attr-defined]
    if is_fragment_request(request):
        return HTMLResponse(html, status_code=413, headers={"Vary": "HX-Request"})
    return RedirectResponse(session.page_url + "#htmio-inputs", status_code=303)


async def _done(request: Request, session: Session, timeout: float, anchor: str = "") -> Response:
    """Accepted: 204 for htmx (the changes come over SSE); without JavaScript, back to the page once settled."""
    if is_fragment_request(request):
        return Response(status_code=204, headers={"Vary": "HX-Request"})
    await _settle(session, timeout)
    return RedirectResponse(session.page_url + anchor, status_code=303)


async def _settle(session: Session, timeout: float) -> None:
    """Wait until the session's threads all wait on input or are done, or ``timeout`` passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pause = 0.001  # most apps settle within a few ms: look often at first, then every 10 ms
    while not session.is_settled and not session.closed and loop.time() < deadline:
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.01)


# ---- static files --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _StaticFile:
    raw: bytes
    gz: bytes
    media_type: str
    etag: str


# the page's three scripts, in their order, as one file: one request instead of three on a first load
_BUNDLE_PARTS = ("htmx/htmx-4.0.1.min.js", "htmx/hx-sse-4.0.1.min.js", "htmio.js")
_BUNDLE_PREFIX = "htmio-bundle-"


class _Static:  # one cache for every htmio app of the process
    """htmio's static files, read once and kept gzip-compressed (compressing per request costs ~10 ms)."""

    def __init__(self) -> None:
        self.root = Path(str(resources.files("htmio") / "static")).resolve()
        self.cache: dict[str, _StaticFile] = {}
        self._bundle = ""

    def bundle_name(self) -> str:
        """The file name of the script bundle; it holds a hash of its content, so it can be cached for good."""
        if not self._bundle:
            raw = b"\n;\n".join((self.root / part).read_bytes() for part in _BUNDLE_PARTS)
            name = f"{_BUNDLE_PREFIX}{hashlib.sha256(raw).hexdigest()[:12]}.js"
            self.cache[name] = self._item(raw, "application/javascript; charset=utf-8")
            self._bundle = name
        return self._bundle

    @staticmethod
    def _item(raw: bytes, media: str) -> _StaticFile:
        return _StaticFile(raw, gzip.compress(raw, 9, mtime=0), media, '"' + hashlib.sha256(raw).hexdigest()[:16] + '"')

    def get(self, path: str) -> _StaticFile | None:
        if path.startswith(_BUNDLE_PREFIX):
            self.bundle_name()
        cached = self.cache.get(path)
        if cached is not None:
            return cached
        root, inside = bokehjs_root(path) or (self.root, path)  # BokehJS comes from the bokeh package
        target = (root / inside).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        raw = target.read_bytes()
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media == "application/javascript":
            media += "; charset=utf-8"
        item = self._item(raw, media)
        self.cache[path] = item
        return item


_STATIC = _Static()


def static_response(path: str, scope: Any) -> Response:
    """One of htmio's static files, gzipped when the browser takes it; versioned files are immutable."""
    headers_in = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    item = _STATIC.get(path)
    if item is None:
        return Response(f"No static file {path!r} in htmio.", status_code=404, media_type="text/plain")
    versioned = path.startswith(("htmx/", "jquery/", "codemirror-", "bokeh-", _BUNDLE_PREFIX))
    headers = {
        "ETag": item.etag,
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
        "Vary": "Accept-Encoding",
    }
    if headers_in.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in headers_in.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(item.gz, media_type=item.media_type, headers=headers)
    return Response(item.raw, media_type=item.media_type, headers=headers)


# ---- the app -----------------------------------------------------------------------------------

def create_app(applications: Any, settings: Settings | None = None) -> FastAPI:
    """The ASGI app serving htmio apps: one function, a list of them, or a dict of name -> function
    (chosen with ``?app=name``; an index page lists them).

        api = create_app(main, Settings(debug=True))
        api = create_app({"index": home, "report": report})
        uvicorn.run(api, port=8080)
    """
    settings = settings or Settings()
    state = ServerState(apps=collect_apps(applications, theme=settings.theme), settings=settings)
    user_files = static_folder(settings.static_dir)  # checked now: a missing folder fails at start-up

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.ensure_reaper()
        yield
        state.close_all("server stopped")
        if state.reaper is not None:
            state.reaper.cancel()

    api = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None,
                  # a backstop for bodies without Content-Length; _too_large answers the others clearly first
                  max_body_size=2 * settings.max_body_size + 64 * _SLACK)
    api.state.htmio = state
    if user_files is not None:  # the app's own files (PyWebIO's static_dir); htmio's are under /_htmio/static
        api.mount(STATIC_DIR_PREFIX, user_files)

    @api.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 400, "This address is malformed",
                      "Part of it is not what htmio expects (a number, say). Use the links the page gives you.")

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 413:
            return _error(request, 413, "What you sent is too large",
                          f"The server accepts at most {settings.max_body_size:,} bytes in one request.")
        if exc.status_code == 404:
            return _error(request, 404, "There is nothing here", "Start from the app's own address.")
        return _error(request, exc.status_code, "This request could not be handled", str(exc.detail))

    @api.get("/", response_class=HTMLResponse)
    async def new_session(request: Request) -> Response:
        state.ensure_reaper()
        root = _root(request)
        requested = request.query_params.get("app")
        app = choose(state.apps, requested)
        if app is None:
            status = 404 if requested else 200
            page = render_template("index.html", apps=list(state.apps.values()), root=root, requested=requested,
                                   static=root + STATIC_PREFIX, config=global_config(settings.theme))
            return HTMLResponse(page, status_code=status)
        host = session_host(app.fn)
        query = _carried_query(request)
        if host is not None and host.session is not None:  # a script has one session: its page
            return RedirectResponse(f"{root}/s/{host.session.id}" + (f"?{query}" if query else ""), status_code=303)
        browser = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(18)
        home = f"{root}/?app={app.name}" if len(state.apps) > 1 else f"{root}/"
        folder = request.scope.get("htmio.app_folder")  # set by path_deploy: the other apps are files there

        def app_url(name: str) -> str:
            """Where go_app(name) goes: an app of this server, or under path_deploy the file beside it."""
            if isinstance(folder, str) and name not in state.apps:
                return f"{folder}/{name}"
            return f"{root}/?app={name}"

        session = Session(
            app.fn, settings=settings, loop=asyncio.get_running_loop(), base=root, static=root + STATIC_PREFIX,
            browser_id=browser, request_info=_request_info(request, settings.trusted_proxies), app_name=app.name,
            home=home, language=pick_language(request.headers.get("accept-language", "")), app_url=app_url,
            query=query,
        )
        state.sessions[session.id] = session
        if host is not None:
            host.attach(session)  # the script's own thread runs this session
        else:
            session.start()
        # let the app make its first outputs, so they are in the first page (no blank first paint)
        await _settle(session, settings.first_paint_wait)
        response = RedirectResponse(session.page_url, status_code=303)
        response.set_cookie(BROWSER_COOKIE, browser, httponly=True, samesite="lax", path=(root or "") + "/")
        return response

    @api.get("/s/{sid}", response_class=HTMLResponse)
    async def page(request: Request, sid: str) -> Response:
        state.ensure_reaper()
        found = _lookup(request, state, sid)
        if isinstance(found, Response):
            return found
        session = found
        view = session.page_shown()
        document, after, toasts, commands = session.render_page()
        app = state.apps[session.app_name]
        html = render_template("page.html", title=app.title, config=app.config, page=session.page, document=document,
                               bundle=_STATIC.bundle_name(),
                               after=after, stream=not session.closed, toasts=[Markup(t) for t in toasts],
                               commands=[Markup(c) for c in commands], env=session.document.env, view=view)
        return _compressed_html(request, html)

    @api.get("/s/{sid}/events")
    async def events(request: Request, sid: str) -> Response:
        found = _lookup(request, state, sid)
        if isinstance(found, Response):
            reason = _unknown(request) if found.status_code == 404 else _FOREIGN
            return EventSourceResponse(_farewell(*reason), sep="\n")
        session = found
        raw = request.headers.get("last-event-id") or request.query_params.get("after") or ""
        after = int(raw) if raw.isdigit() else None
        return EventSourceResponse(
            _stream(session, after), ping=settings.ping_interval, send_timeout=30, sep="\n",
            headers={"Vary": "HX-Request"},
        )

    @api.post("/s/{sid}/form/{form_id}")
    async def submit(request: Request, sid: str, form_id: int) -> Response:
        oversize = await _oversize_upload(request, state, sid, form_id)
        if oversize is not None:
            return oversize
        opened = await _open_post(request, state, sid, "form", limit=settings.max_body_size + _SLACK,
                                  max_files=1000, max_fields=1000)
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
                    else:  # an upload, spooled to disk past 1 MB: read it here, the session gets bytes
                        content = await item.read()
                        files.setdefault(key, []).append(UploadedFile(
                            item.filename or "", content, item.content_type or "application/octet-stream"))
        finally:
            await form.close()
        action = form.get("_action")
        event = FormSubmitted(form_id, values, files, action=action if isinstance(action, str) else "submit")
        future = session.submit(event)
        try:
            verdict: Verdict = await asyncio.wait_for(asyncio.wrap_future(future), settings.verdict_timeout)
        except asyncio.TimeoutError:
            return _error(request, 503, "The app is busy",
                          "It did not check your answer in time. Wait a moment and submit again.")
        except Exception:
            log.exception("htmio: checking a form of session %s failed", sid[:8])
            return _error(request, 500, "The form could not be checked",
                          "The app failed while checking it; the details are in the server's log.")
        if verdict.status == "closed":
            return _error(request, 410, *_unknown(request))
        if is_fragment_request(request):
            if verdict.status == "invalid":
                return HTMLResponse(verdict.html, status_code=422, headers={"Vary": "HX-Request"})
            if verdict.status == "updated":
                return HTMLResponse(verdict.html, headers={"Vary": "HX-Request"})
            if verdict.status == "stale":
                return _error(request, 409, "This form was already answered",
                              "The app has moved on. The page shows where it is now.")
            if verdict.status == "stacked":  # a newer form covers it (a post sent just before it came)
                return _error(request, 409, "Another form came first",
                              "The app asked something else meanwhile. Answer the form shown now; this one "
                              "comes back after it, with what you typed.")
        return await _done(request, session, settings.settle_timeout, "#htmio-inputs")

    @api.post("/s/{sid}/click/{callback_id}")
    async def click(request: Request, sid: str, callback_id: int) -> Response:
        opened = await _open_post(request, state, sid, "click", limit=64 * 1024, max_files=0, max_fields=50)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        raw_index = form.get("_index", "0")
        if not isinstance(raw_index, str) or not raw_index.isdigit():
            return _error(request, 400, "The click could not be read",
                          f"The button index {raw_index!r} is not a number. Reload the page and try again.")
        if not session.click(ButtonClicked(callback_id, int(raw_index))):
            if session.closed:
                return _error(request, 410, *_unknown(request))
            return _error(request, 409, "This button no longer does anything",
                          "It belongs to an earlier state of the page. Reload the page to see the current one.")
        return await _done(request, session, settings.settle_timeout)

    @api.post("/s/{sid}/presence")
    async def presence(request: Request, sid: str) -> Response:
        opened = await _open_post(request, state, sid, "beacon", limit=4096, max_files=0, max_fields=10)
        if isinstance(opened, Response):
            return Response(status_code=opened.status_code)  # a beacon's answer is never read
        session, form = opened
        value = form.get("state")
        if value not in ("hidden", "visible", "left"):
            return Response(status_code=400)
        view = form.get("view")
        session.presence(PresenceChanged(str(value)).state,
                         int(view) if isinstance(view, str) and view.isdigit() else None)
        return Response(status_code=204)

    @api.post("/s/{sid}/pin/{name}")
    async def pin_changed(request: Request, sid: str, name: str) -> Response:
        opened = await _open_post(request, state, sid, "value", limit=settings.max_body_size + _SLACK,
                                  max_files=1000, max_fields=1000)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        values = {key: texts for key, texts in _text_fields(form).items() if not key.startswith("_")}
        files = await _uploads(form)  # a put_file_upload widget
        error = receive_pin(session, name, values, files)
        if error is not None:
            return _error(request, 409, "This value was not taken", error + " Reload the page to see the current one.")
        return await _done(request, session, settings.settle_timeout)

    @api.post("/s/{sid}/js/{number}")
    async def js_answer(request: Request, sid: str, number: int) -> Response:
        opened = await _open_post(request, state, sid, "answer", limit=settings.max_body_size, max_files=0,
                                  max_fields=10)
        if isinstance(opened, Response):
            return opened
        session, form = opened
        value, error = form.get("value"), form.get("error")
        answered = answer_js(session, number, value if isinstance(value, str) else None,
                             error if isinstance(error, str) else None)
        return Response(status_code=204 if answered else 409)

    @api.get("/s/{sid}/download/{number}")
    async def download(request: Request, sid: str, number: int) -> Response:
        found = _lookup(request, state, sid)
        if isinstance(found, Response):
            return found
        files = found.extras.get("downloads", {})
        if number not in files:
            return _error(request, 404, "This download is gone", "Its session no longer offers it.")
        name, content = files[number]
        return Response(content, media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                        headers={"Content-Disposition": _attachment(name), "Cache-Control": "no-store"})

    @api.get("/s/{sid}/media/{number}")
    async def media(request: Request, sid: str, number: int) -> Response:
        found = _lookup(request, state, sid)
        if isinstance(found, Response):
            return found
        item = found.extras.get("media", {}).get(number)
        if item is None:
            return _error(request, 404, "This image is gone", "Its output was removed or its session ended.")
        headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
        if item.filename is not None:
            headers["Content-Disposition"] = _attachment(item.filename)
        elif item.media_type == "image/svg+xml":
            headers["Content-Security-Policy"] = "script-src 'none'"  # an SVG opened on its own runs no script
        return Response(item.content, media_type=item.media_type, headers=headers)

    @api.api_route("/s/{sid}/view/{number}", methods=["GET", "POST"])
    async def view(request: Request, sid: str, number: int) -> Response:
        # a change of what an output shows (a data table's page, sort, filter, selection): the output
        # keeps the new state, htmx gets it re-rendered, a page without JavaScript is sent back to itself.
        # GET only changes the view; POST (with the page's token) may also run the app's callbacks.
        params: dict[str, list[str]] = {}
        if request.method == "POST":
            opened = await _open_post(request, state, sid, "request", limit=settings.max_body_size, max_files=0,
                                      max_fields=10_000)
            if isinstance(opened, Response):
                return opened
            found, form = opened
            params = _text_fields(form)
        else:
            looked_up = _lookup(request, state, sid)
            if isinstance(looked_up, Response):
                return looked_up
            found = looked_up
            for key, value in request.query_params.multi_items():
                params.setdefault(key, []).append(value)
            found.touched()
        handler = found.extras.get("views", {}).get(number)
        if handler is None:
            return _error(request, 409, "This view is gone",
                          "The output it belonged to was removed. Reload the page to see the current one.")
        try:
            html = await run_in_threadpool(handler, params)
        except ValueError as exc:
            return _error(request, 400, "This view could not be shown", str(exc))
        if is_fragment_request(request):
            return HTMLResponse(html, headers={"Vary": "HX-Request", "Cache-Control": "no-store"})
        if request.method == "POST":
            await _settle(found, settings.settle_timeout)  # a callback it started shows its outputs on the next page
        anchor = (params.get("_anchor") or [""])[0]
        return RedirectResponse(found.page_url + (f"#{anchor}" if re.fullmatch(r"[\w-]{1,80}", anchor) else ""),
                                status_code=303)

    @api.get(STATIC_PREFIX + "/{path:path}")
    async def static_file(request: Request, path: str) -> Response:
        return static_response(path, request.scope)

    return api


def _text_fields(form: FormData) -> dict[str, list[str]]:
    """Every value of each field of a posted form that carries no files."""
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form.keys()}


async def _uploads(form: FormData) -> dict[str, list[UploadedFile]]:
    """The files of a posted form, read into memory (the session gets bytes), and the form closed."""
    files: dict[str, list[UploadedFile]] = {}
    try:
        for key in form.keys():
            for item in form.getlist(key):
                if not isinstance(item, str):
                    content = await item.read()
                    files.setdefault(key, []).append(UploadedFile(
                        item.filename or "", content, item.content_type or "application/octet-stream"))
    finally:
        await form.close()
    return files


def _compressed_html(request: Request, html: str) -> Response:
    """A page, gzipped when the browser takes it: a page holding many outputs then arrives in a packet or
    two, and the browser parses it in one go instead of laying out each chunk as it comes."""
    headers = {"Vary": "HX-Request, Accept-Encoding", "Cache-Control": "no-store"}
    data = html.encode()
    if len(data) > 1400 and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        data = gzip.compress(data, 5, mtime=0)
    return Response(data, media_type="text/html; charset=utf-8", headers=headers)


def _attachment(name: str) -> str:
    """A Content-Disposition that keeps non-ASCII file names (RFC 6266 / 5987)."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _carried_query(request: Request) -> str:
    """The query of the address the user opened, for the session page's own address (the app may read
    it with ``eval_js("location.search")`` or ``info.request.query_params``). Under ``path_deploy`` a
    bare ``reload`` reloads the app file on every request: it stays behind, or a reload of the page
    would load the file anew and lose the session."""
    query = request.url.query
    if request.scope.get("htmio.app_folder") is not None:
        query = "&".join(part for part in query.split("&") if part != "reload")
    return query


def _request_info(request: Request, trusted_proxies: str) -> dict[str, Any]:
    peer = request.client.host if request.client else ""
    trusted = bool(peer) and peer in {p.strip() for p in trusted_proxies.split(",") if p.strip()}

    def forwarded(header: str) -> str:
        return request.headers.get(header, "").split(",")[0].strip() if trusted else ""

    user_ip = forwarded("x-forwarded-for") or peer
    # the page's origin, built from the page request itself (a navigation carries no Origin header);
    # uvicorn has already applied X-Forwarded-Proto from the proxies it trusts, and a root_path is a
    # path, no part of an origin
    scheme = forwarded("x-forwarded-proto") or request.url.scheme
    host = forwarded("x-forwarded-host") or request.headers.get("host", "") or request.url.netloc
    return {
        "user_agent": request.headers.get("user-agent", ""),
        "user_language": preferred_tag(request.headers.get("accept-language", "")),
        "server_host": request.headers.get("host", ""),
        "origin": f"{scheme}://{host}" if host else "",
        "user_ip": user_ip,
        "request": request,
    }


def _sse(message: Any) -> ServerSentEvent:
    # LF line ends: htmx 4.0.1's parser loses a message when a read ends between \r and \n
    return ServerSentEvent(message.data, id=str(message.id), event=message.event, sep="\n")


async def _stream(session: Session, after: int | None) -> AsyncIterator[ServerSentEvent]:
    wake = asyncio.Event()
    session.streams.add(wake)
    session.stream_opened()
    try:
        if after is None:  # no position known: start from the whole document
            resync = session.resync_message()
            yield _sse(resync)
            after = resync.id
        sent: int = after
        while True:
            wake.clear()
            batch = session.messages_after(sent)
            if batch is None:  # the buffer no longer reaches back to what the page has
                resync = session.resync_message()
                yield _sse(resync)
                sent = resync.id
            else:
                for message in batch:
                    yield _sse(message)
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
