"""The security headers every answer of an htmio app carries: CSP, framing, sniffing and referrer rules."""
from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from htmio.settings import Settings


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    """The headers ``settings`` ask for: the CSP (``HTMIO_CSP``; none when empty), X-Frame-Options while
    the CSP keeps framing to the app's own pages (for browsers that do not read ``frame-ancestors``),
    ``nosniff``, and a Referrer-Policy that keeps session addresses (and a data table's links, which carry
    the page's token) from leaving the site.

        security_headers(Settings())   # [(b"content-security-policy", b"frame-ancestors 'self'; ..."), ...]
    """
    headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
    csp = settings.csp.strip()
    if csp:
        headers.append((b"content-security-policy", csp.encode("latin-1")))
        if re.search(r"(^|;)\s*frame-ancestors\s+'self'\s*(;|$)", csp):
            headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


class SecurityHeaders:
    """ASGI middleware adding ``security_headers(settings)`` to every HTTP answer that does not set them."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
