"""What plugs into the core from above.

The core imports neither script mode nor coroutine sessions: ``htmio.script`` and ``htmio.coro`` plug
themselves in when they are imported (``htmio/__init__.py`` imports ``htmio.script``; ``htmio.session``,
which every htmio import loads, imports ``htmio.coro``).
"""
from __future__ import annotations

import abc
import concurrent.futures
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from htmio.callbacks import Callback
    from htmio.runtime import Session


@dataclass(frozen=True)
class CoroutineRunner:
    """How ``async def`` apps and callbacks run, as tasks on the server's loop; htmio.coro plugs it in."""

    start: Callable[[Session], None]  # the app (``Session.start`` counted it as running already)
    run_callback: Callable[[Session, Callback, int], None]  # an ``async def`` callback
    adopt: Callable[[Session, Coroutine[Any, Any, Any], Callable[[], None]], concurrent.futures.Future[None]]


class SessionHost(abc.ABC):
    """An app that runs its one session itself (script mode): the server hands it the page's session
    instead of starting the app, and sends later visitors to that same page."""

    session: Session | None = None

    @abc.abstractmethod
    def attach(self, session: Session) -> None:
        """Take the session the server made for the page."""


def session_host(app: object) -> SessionHost | None:
    """The app as a ``SessionHost`` when it is one, else None."""
    return app if isinstance(app, SessionHost) else None


class _Plugs:
    """The hooks plugged into the core, by default none."""

    def __init__(self) -> None:
        self.session_finders: list[Callable[[], Session | None]] = []
        self.coroutines: CoroutineRunner | None = None


_plugs = _Plugs()


def plug_session_finder(find: Callable[[], Session | None]) -> None:
    """Let ``find()`` give a session to an htmio call made outside every session (None: it has none)."""
    _plugs.session_finders.append(find)


def session_finders() -> list[Callable[[], Session | None]]:
    """The finders plugged in, oldest first."""
    return _plugs.session_finders


def plug_coroutines(runner: CoroutineRunner) -> None:
    """Run ``async def`` apps and callbacks with ``runner``."""
    _plugs.coroutines = runner


def coroutine_runner() -> CoroutineRunner:
    """The runner of coroutine sessions; a clear error when htmio.coro was never imported."""
    if _plugs.coroutines is None:
        raise RuntimeError("An async def app needs htmio.coro, which is not imported. Import htmio before "
                           "starting a session: `import htmio`.")
    return _plugs.coroutines
