"""What every route shares: finding a request's session, reading its post-back safely, and the clear answers."""
from __future__ import annotations

import asyncio
import hmac

from collections.abc import Mapping

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from htmio import urls
from htmio.events import UploadedFile, number_or_none
from htmio.fields import PostLimit
from htmio.i18n import Messages, pick_language
from htmio.render import envelope, render_template
from htmio.runtime import Session
from htmio.server.bodies import Limits, TooLarge, Unreadable, is_chunked, read_form
from htmio.server.identity import issue_identity, is_issued
from htmio.server.state import Handlers, ServerState

BROWSER_COOKIE = "htmio_browser"
# over HTTPS at the host's root the cookie takes the __Host- prefix: browsers then refuse it from a sibling
# subdomain (it may carry no Domain), the usual way to toss a cookie into someone else's browser
HOST_BROWSER_COOKIE = "__Host-" + BROWSER_COOKIE
SLACK = 1024 * 1024  # multipart headers and the other fields around the files
_IS_HTMX = "hx-request"


def is_fragment_request(request: Request) -> bool:
    """True for requests made by htmx (they get fragments, never redirects)."""
    return request.headers.get(_IS_HTMX) == "true"


def root_of(request: Request) -> str:
    """The mount prefix the app is served under (``""`` at the server's root)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


# ---- errors ------------------------------------------------------------------------------------

def error(request: Request, status: int, heading: str, message: str) -> Response:
    """A clear answer to a bad request: a toast fragment for htmx, a small page otherwise."""
    root = root_of(request)
    if is_fragment_request(request):
        html = render_template("_notice.html", heading=heading, message=message)
        return HTMLResponse(envelope("htmio-toasts", "beforeend", html), status_code=status,
                            headers={"Vary": "HX-Request"})
    page = render_template("gone.html", heading=heading, message=message, static=urls.static_base(root),
                           home=urls.home(root), messages=messages_for(request))
    return HTMLResponse(page, status_code=status, headers={"Vary": "HX-Request"})


def messages_for(request: Request) -> Messages:
    """htmio's texts in the language the request's Accept-Language asks for."""
    return Messages(pick_language(request.headers.get("accept-language", "")))


def unknown(request: Request) -> tuple[str, str]:
    """The heading and text of "this session has ended", in the browser's language."""
    t = messages_for(request)
    return t("session_unknown_heading"), t("session_unknown")


FOREIGN = ("This session belongs to another browser",
           "Sessions are bound to the browser that opened them, and this request did not come from it "
           "(or cookies are blocked). Start a new session of your own.")
_BAD_TOKEN = ("This request was refused",
              "It did not carry the page's security token. Reload the page and try again.")


class Refusals(Handlers):
    """The app's answers to requests its routes never see: malformed addresses, unknown paths, huge bodies."""

    async def malformed(self, request: Request, exc: RequestValidationError) -> Response:
        """A path parameter of the wrong type (a form number that is not a number)."""
        return error(request, 400, "This address is malformed",
                     "Part of it is not what htmio expects (a number, say). Use the links the page gives you.")

    async def http_error(self, request: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's own refusals (no such route, a body past the backstop), said clearly."""
        if exc.status_code == 413:
            return error(request, 413, "What you sent is too large",
                         f"The server accepts at most {self.settings.max_body_size:,} bytes in one request.")
        if exc.status_code == 404:
            return error(request, 404, "There is nothing here", "Start from the app's own address.")
        return error(request, exc.status_code, "This request could not be handled", str(exc.detail))


# ---- the browser's identity: issued here, never adopted ---------------------------------------

def cookie_name(request: Request) -> str:
    """The name of the identity cookie for this request: ``__Host-``-prefixed over HTTPS at the host's root."""
    return HOST_BROWSER_COOKIE if request.url.scheme == "https" and not root_of(request) else BROWSER_COOKIE


def browser_of(request: Request, key: bytes) -> str:
    """The browser's identity: its cookie when this server issued it, else a new one (a forged, unsigned or
    foreign value is replaced, never adopted)."""
    sent = request.cookies.get(cookie_name(request), "")
    return sent if is_issued(sent, key) else issue_identity(key)


def set_identity(response: Response, request: Request, browser: str) -> None:
    """Give the browser its identity cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    secure = request.url.scheme == "https"
    name = cookie_name(request)
    path = "/" if name == HOST_BROWSER_COOKIE else urls.home(root_of(request))
    response.set_cookie(name, browser, httponly=True, samesite="lax", secure=secure, path=path)


def from_another_site(request: Request) -> bool:
    """True for a request a page of another site (or a sibling subdomain or port) made, as the browser says."""
    return request.headers.get("sec-fetch-site") in ("cross-site", "same-site")


ELSEWHERE = ("This page was opened from another site",
             "A session's page opens only from the app itself: another site (or another port or subdomain of "
             "this host) sent you here, and it may have planted its own session in your browser. Start a new "
             "session of your own.")


def client_address(request: Request, trusted_proxies: str) -> str:
    """The client's address: the peer's, or behind a trusted proxy the first X-Forwarded-For one."""
    peer = request.client.host if request.client else ""
    trusted = bool(peer) and peer in {p.strip() for p in trusted_proxies.split(",") if p.strip()}
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip() if trusted else ""
    return forwarded or peer


# ---- the session of a request ------------------------------------------------------------------

def lookup(request: Request, state: ServerState, sid: str) -> Session | Response:
    """The session ``sid`` if it exists and belongs to this browser, or the refusal."""
    session = state.sessions.get(sid)
    if session is None:
        return error(request, 404, *unknown(request))
    cookie = request.cookies.get(cookie_name(request), "")
    if not hmac.compare_digest(cookie.encode(), session.browser_id.encode()):
        return error(request, 403, *FOREIGN)
    return session


def check_token(request: Request, session: Session, form_token: str | None) -> Response | None:
    """The refusal of a request that changes a session without coming from its page (another site, no token)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return error(request, 403, "This request was refused",
                     f"It came from another site (Sec-Fetch-Site: {site}). Use the app's own page.")
    token = form_token or request.headers.get("x-htmio-token") or ""
    if not hmac.compare_digest(token.encode(), session.token.encode()):
        return error(request, 403, *_BAD_TOKEN)
    return None


def _too_large(request: Request, limit: int) -> Response | None:
    # a declared length is refused before anything is read; a chunked body is counted as it streams
    length = number_or_none(request.headers.get("content-length", ""), 30)
    if length is not None and length > limit:
        return error(request, 413, "What you sent is too large",
                     f"The server accepts at most {limit:,} bytes in one request; this was {length:,}. "
                     "Send less, or ask the app's author to raise HTMIO_MAX_BODY_SIZE.")
    return None


LINGER = 4 * 1024 * 1024  # bytes of a refused chunked body read and dropped after the answer, before closing


class _Lingering(Response):
    """An answer sent whole, then up to LINGER more bytes of the request read and dropped, then the connection
    closed: a client still sending has its answer in hand before the close resets the connection."""

    def __init__(self, answer: Response) -> None:
        super().__init__(answer.body, answer.status_code)
        self.raw_headers = [*answer.raw_headers, (b"connection", b"close")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": True})
        dropped = 0
        while dropped < LINGER:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
            dropped += len(message.get("body", b""))
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def too_large(request: Request, response: Response) -> Response:
    """A refusal of a body that passed its limit. A chunked one (no browser form sends those) is answered, read
    on a little so the client gets the answer, and cut off; a declared length is let through unread, so a browser
    that is still sending gets the answer instead of a reset."""
    return _Lingering(response) if is_chunked(request) else response


async def open_post(request: Request, state: ServerState, sid: str, what: str, *, limit: int,
                    max_files: int, max_fields: int,
                    fields: Mapping[str, PostLimit] | None = None) -> tuple[Session, FormData] | Response:
    """The session and the form of a post-back, or the clear refusal: unknown or foreign session,
    too large, unreadable, or without the page's token. The body is counted as it streams (``limit`` bytes in
    all, each field of ``fields`` within its own limit): a field past its limit raises ``TooLarge`` when the
    page's token came before it (the caller shows it in the form), anything else past a limit is refused here."""
    found = lookup(request, state, sid)
    if isinstance(found, Response):
        return found
    # a declared length past the limit is refused unread; but a form with a file input reads on until the file
    # passes its own limit (never more than ``limit``), so the form can say which file it was
    refused = None if any(f.is_file for f in (fields or {}).values()) else _too_large(request, limit)
    if refused is not None:
        return refused
    try:
        form = await read_form(request, Limits(limit, fields or {}, max_files, max_fields))
    except TooLarge as exc:
        sent = exc.texts.get("_token")
        if exc.name is not None and fields is not None and check_token(request, found, sent[0] if sent else None) is None:
            raise
        if exc.name is None:
            message = (f"The server accepts at most {exc.limit:,} bytes in one request. Send less, or ask the "
                       "app's author to raise HTMIO_MAX_BODY_SIZE.")
        else:
            message = f"The field {exc.name!r} takes at most {exc.limit:,} bytes. Send less."
        return too_large(request, error(request, 413, "What you sent is too large", message))
    except ClientDisconnect:
        return Response(status_code=400)  # nobody reads this answer
    except Unreadable as exc:  # a malformed multipart or urlencoded body
        return error(request, 400, f"The {what} could not be read", f"{exc}. Reload the page and try again.")
    token = form.get("_token")
    refused = check_token(request, found, token if isinstance(token, str) else None)
    if refused is not None:
        await form.close()
        return refused
    found.touched()
    return found, form


def text_fields(form: FormData) -> dict[str, list[str]]:
    """Every value of each field of a posted form that carries no files."""
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form.keys()}


async def uploads(form: FormData) -> dict[str, list[UploadedFile]]:
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


# ---- answers -----------------------------------------------------------------------------------

async def done(request: Request, session: Session, timeout: float, anchor: str = "") -> Response:
    """Accepted: 204 for htmx (the changes come over SSE); without JavaScript, back to the page once settled."""
    if is_fragment_request(request):
        return Response(status_code=204, headers={"Vary": "HX-Request"})
    await settle(session, timeout)
    return RedirectResponse(session.page_url + anchor, status_code=303)


async def settle(session: Session, timeout: float) -> None:
    """Wait until the session's threads all wait on input or are done, or ``timeout`` passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pause = 0.001  # most apps settle within a few ms: look often at first, then every 10 ms
    while not session.is_settled and not session.closed and loop.time() < deadline:
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.01)
