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
