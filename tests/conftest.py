from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from htmio.settings import Settings
from htmio.testing import AppClient

if TYPE_CHECKING:  # playwright is imported only when a browser test asks for it
    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.live import LiveServer


@pytest.fixture
def open_app(htmio_app: Callable[..., AppClient]) -> Callable[..., AppClient]:
    """Open an app in-process: ``page = open_app(main)``; the public ``htmio_app`` fixture under our old name."""
    return htmio_app


@pytest.fixture
def raised_in_app(open_app: Callable[..., AppClient]) -> Callable[..., str]:
    """Run ``action()`` inside an app session and return the message of the ``expected`` error it raises."""

    def run(action: Callable[[], Any], expected: type[BaseException] = Exception) -> str:
        caught: list[BaseException] = []

        def main() -> None:
            try:
                action()
            except expected as exc:
                caught.append(exc)

        open_app(main)
        assert caught, f"{action} raised no {expected.__name__}"
        return str(caught[0])

    return run


# ---- real-browser tests (tests/test_browser*.py) --------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for the whole test session."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., LiveServer]]:
    """``server = serve(main, debug=True)``: the app on a free port of 127.0.0.1 until the test ends."""
    from tests.live import LiveServer

    servers: list[LiveServer] = []

    def start(main: Callable[[], Any], **settings: Any) -> LiveServer:
        server = LiveServer(main, Settings(**{"first_paint_wait": 2.0, **settings})).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def new_context(browser: Browser, serve: Callable[..., LiveServer]) -> Iterator[Callable[..., BrowserContext]]:
    """``context = new_context(java_script_enabled=False)``: a fresh browser profile, closed (before the
    servers stop) at the end of the test, which fails if a page had an uncaught script error."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()
