"""The pages: ``/`` starts a session (or lists the apps), ``/s/<sid>`` shows a session's page."""
from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from htmio import urls
from htmio.apps import choose, global_config
from htmio.i18n import pick_language, preferred_tag
from htmio.plugs import session_host
from htmio.render import Markup, render_template
from htmio.runtime import Session
from htmio.server.access import (
    BROWSER_COOKIE, ELSEWHERE, browser_of, client_address, error, from_another_site, lookup, messages_for, root_of, set_identity, settle,
)
from htmio.server.limits import retry_after
from htmio.server.shard import refuse_new_session
from htmio.server.state import Handlers
from htmio.server.static import STATIC
from htmio.server.whole import compressed, off_loop


class Pages(Handlers):
    """``GET /`` and ``GET /s/<sid>``."""

    async def new_session(self, request: Request) -> Response:
        """Start a session of the chosen app and send the browser to its page (or list the apps)."""
        state, settings = self.state, self.settings
        state.ensure_reaper()
        if state.draining:
            return refuse_new_session(request)
        root = root_of(request)
        requested = request.query_params.get("app")
        app = choose(state.apps, requested)
        if app is None:
            status = 404 if requested else 200
            page = render_template("index.html", apps=list(state.apps.values()), root=root, requested=requested,
                                   static=urls.static_base(root), config=global_config(settings.theme))
            return HTMLResponse(page, status_code=status)
        if from_another_site(request):
            # a link from another site: step through a page of our own, so the session page's load is
            # same-origin (a 303 would carry the other site's Sec-Fetch-Site, which the page refuses)
            return _arrival(request, root)
        host = session_host(app.fn)
        query = _carried_query(request)
        if host is not None and host.session is not None:  # a script has one session: its page
            return RedirectResponse(urls.session_base(root, host.session.id) + (f"?{query}" if query else ""),
                                    status_code=303)
        wait = state.session_rate.take(client_address(request, settings.trusted_proxies), time.monotonic())
        if wait > 0:
            refused = error(request, 429, "Too many new sessions",
                            f"Your address started more than {settings.session_rate} sessions in the last minute. "
                            f"Wait {retry_after(wait)} seconds, then reload this page.")
            refused.headers["Retry-After"] = retry_after(wait)
            return refused
        browser = browser_of(request, state.identity_key)
        home = urls.app_home(root, app.name) if len(state.apps) > 1 else urls.home(root)
        folder = request.scope.get("htmio.app_folder")  # set by path_deploy: the other apps are files there

        def app_url(name: str) -> str:
            """Where go_app(name) goes: an app of this server, or under path_deploy the file beside it."""
            if isinstance(folder, str) and name not in state.apps:
                return f"{folder}/{name}"
            return urls.app_home(root, name)

        session = Session(
            app.fn, settings=settings, loop=asyncio.get_running_loop(), base=root, static=urls.static_base(root),
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
        await settle(session, settings.first_paint_wait)
        response = RedirectResponse(session.page_url, status_code=303)
        set_identity(response, request, browser)
        return response

    async def page(self, request: Request, sid: str) -> Response:
        """The session's whole page, as it stands."""
        self.state.ensure_reaper()
        if from_another_site(request):  # what a cookie tossed in by a sibling host would need: refused
            return error(request, 403, *ELSEWHERE)
        found = lookup(request, self.state, sid)
        if isinstance(found, Response):
            return found
        session = found
        view = session.page_shown()
        app = self.state.apps[session.app_name]
        accept = request.headers.get("accept-encoding", "")

        def build() -> tuple[bytes, bool]:
            # in a worker thread: the document, its seq and the env it was made with come from one hold of
            # the lock (the stream resumes after exactly what the page shows); the rest needs no lock
            with session.lock:
                document, after, toasts, commands = session.render_page()
                env = dict(session.document.env)
            html = render_template("page.html", title=app.title, config=app.config, page=session.page,
                                   document=document, bundle=STATIC.bundle_name(), after=after,
                                   stream=not session.closed, toasts=[Markup(t) for t in toasts],
                                   commands=[Markup(c) for c in commands], env=env, view=view)
            return compressed(html.encode(), accept)

        data, gzipped = await off_loop(session, build)
        # gzipped: a page holding many outputs then arrives in a packet or two, and the browser parses it
        # in one go instead of laying out each chunk as it comes
        headers = {"Vary": "HX-Request, Accept-Encoding", "Cache-Control": "no-store"}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        return Response(data, media_type="text/html; charset=utf-8", headers=headers)


def _arrival(request: Request, root: str) -> Response:
    """A page that goes on to the same address at once (a meta refresh, which works without JavaScript)."""
    query = request.url.query
    page = render_template("arrive.html", target=urls.home(root) + (f"?{query}" if query else ""),
                           static=urls.static_base(root), messages=messages_for(request))
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


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

    user_ip = client_address(request, trusted_proxies)
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
