from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from htmio.testing import AppClient


@pytest.fixture
def open_app() -> Iterator[Callable[..., AppClient]]:
    """Open an app in-process: ``page = open_app(main)``; closed at the end of the test."""
    clients: list[AppClient] = []

    def opener(main: Callable[[], Any], **kwargs: Any) -> AppClient:
        client = AppClient(main, **kwargs).__enter__()
        clients.append(client)
        return client

    yield opener
    for client in clients:
        client.__exit__(None, None, None)
