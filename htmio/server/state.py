"""What one htmio ASGI app owns (its apps, settings, live sessions) and the reaper that ends abandoned sessions."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from htmio.apps import App
from htmio.runtime import Session
from htmio.server.identity import identity_key
from htmio.server.limits import SessionRate
from htmio.settings import Settings

log = logging.getLogger("htmio")


@dataclass
class ServerState:
    """Everything one htmio ASGI app owns: its app functions, settings and live sessions."""

    apps: dict[str, App]
    settings: Settings
    sessions: dict[str, Session] = field(default_factory=dict)
    reaper: asyncio.Task[None] | None = None
    draining: bool = False  # new sessions are refused (503), running ones go on: the process is to restart
    streams: dict[str, list[Any]] = field(default_factory=dict)  # sid -> its open streams (stream.Slot), oldest first
    identity_key: bytes = field(init=False)  # signs browser identities
    session_rate: SessionRate = field(init=False)

    def __post_init__(self) -> None:
        self.identity_key = identity_key(self.settings.secret)
        self.session_rate = SessionRate(self.settings.session_rate)

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
        """End every live session (the server stops)."""
        for session in list(self.sessions.values()):
            session.close(reason)

    async def stop(self) -> None:
        """The server stops: end every session and wait, up to ``shutdown_timeout`` seconds, for their
        ``defer_call`` functions to finish (they run in threads the process would otherwise cut short)."""
        self.close_all("server stopped")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.shutdown_timeout
        pending = [s for s in self.sessions.values() if not s.deferred_done.is_set()]
        while pending and loop.time() < deadline:
            await asyncio.sleep(0.02)
            pending = [s for s in pending if not s.deferred_done.is_set()]
        if pending:
            log.warning("htmio: the defer_call functions of %d session(s) did not finish within "
                        "HTMIO_SHUTDOWN_TIMEOUT=%s s; the server stops without them", len(pending),
                        self.settings.shutdown_timeout)


class Handlers:
    """A group of routes of one htmio app: its methods are the handlers, bound to the app's state."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.settings = state.settings
