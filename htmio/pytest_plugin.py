"""The pytest plugin htmio installs: the ``htmio_app`` fixture opens apps in-process.

    def test_greets(htmio_app):
        page = htmio_app(main)
        page.submit("Ada")
        assert page.texts() == ["hello Ada"]
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from htmio.testing import AppClient


@pytest.fixture
def htmio_app() -> Iterator[Callable[..., AppClient]]:
    """Open an app function in-process (``htmio_app(main, timeout=5)``); every page is closed after the test.

        def test_counter(htmio_app):
            page = htmio_app(main)
            page.click("+1")
            assert page.texts("total") == ["1"]
    """
    from htmio.testing import AppClient  # here, not at import: pytest loads this plugin in every project

    clients: list[AppClient] = []

    def open_app(main: Callable[..., Any], **kwargs: Any) -> AppClient:
        client = AppClient(main, **kwargs).__enter__()
        clients.append(client)
        return client

    yield open_app
    for client in clients:
        client.__exit__(None, None, None)
