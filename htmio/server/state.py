"""What one htmio ASGI app owns (its apps, settings, live sessions) and the reaper that ends abandoned sessions."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from htmio.apps import App
from htmio.runtime import Session
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


class Handlers:
    """A group of routes of one htmio app: its methods are the handlers, bound to the app's state."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.settings = state.settings
