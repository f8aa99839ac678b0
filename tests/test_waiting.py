"""One way to wait for the browser (htmio.waiting): input, pin_wait_change, eval_js and hold behave the
same in a ``def`` app and an ``async def`` app, and an async app's wait never blocks other sessions."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from htmio.exceptions import JavaScriptError, SessionClosedException
from htmio.input import input
from htmio.output import put_text
from htmio.pin import pin_wait_change, put_input
from htmio.session import eval_js, hold
from htmio.settings import Settings
from htmio.testing import AppClient


def change(page: AppClient, name: str, **values: str) -> int:
    """What htmx posts when the user edits a pin widget."""
    form = page.soup.select_one(f'form.htmio-pin[action$="/pin/{name}"]')
    assert form is not None
    response = page.http.post(str(form["action"]), data={"_token": page._token(), **values},
                              headers={"HX-Request": "true"})
    page.refresh()
    return response.status_code


def eval_calls(page: AppClient) -> list[dict[str, Any]]:
    return [json.loads(str(c["data-payload"])) for c in page.soup.select("#htmio-commands [data-htmio-command=eval]")]


def answer_eval(page: AppClient, number: int, **fields: str) -> int:
    return page.http.post(f"{page.url}/js/{number}", data={"_token": page._token(), **fields}).status_code


def closing(seen: list[str]) -> Callable[[BaseException], None]:
    def record(exc: BaseException) -> None:
        seen.append(type(exc).__name__)
    return record


def wait_for(condition: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# Each scenario is written twice, once as a def app and once as an async def app, with the same steps.

def input_apps() -> dict[str, Callable[[], Any]]:
    def plain() -> None:
        put_text(f"got {input('name')}")

    async def coro() -> None:
        put_text(f"got {await input('name')}")

    return {"def": plain, "async def": coro}


def pin_apps(timeout: float | None) -> dict[str, Callable[[], Any]]:
    def plain() -> None:
        put_input("a")
        put_text(repr(pin_wait_change("a", timeout=timeout)))

    async def coro() -> None:
        put_input("a")
        put_text(repr(await pin_wait_change("a", timeout=timeout)))

    return {"def": plain, "async def": coro}


def eval_apps() -> dict[str, Callable[[], Any]]:
    def plain() -> None:
        put_text(repr(eval_js("1 + n", n=1)))

    async def coro() -> None:
        put_text(repr(await eval_js("1 + n", n=1)))

    return {"def": plain, "async def": coro}


KINDS = ["def", "async def"]


@pytest.mark.parametrize("kind", KINDS)
def test_input_gives_the_value_back(open_app: Callable[..., AppClient], kind: str) -> None:
    page = open_app(input_apps()[kind])
    page.submit("Ada")
    assert page.texts() == ["got Ada"]


@pytest.mark.parametrize("kind", KINDS)
def test_pin_wait_change_gives_the_change_back(open_app: Callable[..., AppClient], kind: str) -> None:
    page = open_app(pin_apps(timeout=1)[kind])
    assert change(page, "a", a="hi") == 204
    assert page.texts() == ["{'name': 'a', 'value': 'hi'}"]


@pytest.mark.parametrize("kind", KINDS)
def test_pin_wait_change_times_out_with_none(open_app: Callable[..., AppClient], kind: str) -> None:
    page = open_app(pin_apps(timeout=0.05)[kind])
    time.sleep(0.15)
    page.refresh()
    assert page.texts() == ["None"]


@pytest.mark.parametrize("kind", KINDS)
def test_eval_js_gives_the_answer_back(open_app: Callable[..., AppClient], kind: str) -> None:
    page = open_app(eval_apps()[kind])
    [call] = eval_calls(page)
    assert answer_eval(page, call["id"], value="2") == 204
    page.refresh()
    assert page.texts() == ["2"]
    assert answer_eval(page, call["id"], value="3") == 409  # answered already


@pytest.mark.parametrize("kind", KINDS)
def test_eval_js_times_out_with_a_clear_error(open_app: Callable[..., AppClient], kind: str) -> None:
    # eval_js documents no None on timeout: it raises JavaScriptError, in both kinds of app
    def plain() -> None:
        try:
            eval_js("1")
        except JavaScriptError as exc:
            put_text(str(exc))

    async def coro() -> None:
        try:
            await eval_js("1")
        except JavaScriptError as exc:
            put_text(str(exc))

    page = open_app({"def": plain, "async def": coro}[kind],
                    settings=Settings(eval_js_timeout=0.1, first_paint_wait=5, settle_timeout=5))
    time.sleep(0.3)
    page.refresh()
    assert "did not answer within 0.1 s" in page.text()
    assert answer_eval(page, 1, value="2") == 409  # the first call's answer, too late: nobody waits for it


WAITS: dict[str, Callable[[], Any]] = {
    "input": lambda: input("name"),
    "pin_wait_change": lambda: pin_wait_change("a"),
    "eval_js": lambda: eval_js("1"),
}


def apps_waiting_in(wait: Callable[[], Any], seen: list[str]) -> dict[str, Callable[[], Any]]:
    """A def app and an async def app that show a pin and text, then wait in ``wait()`` (awaited in the async
    one, where it returns a coroutine) and record the exception that ends the wait."""
    def plain() -> None:
        put_input("a")
        put_text("waiting")
        try:
            wait()
        except SessionClosedException as exc:
            closing(seen)(exc)

    async def coro() -> None:
        put_input("a")
        put_text("waiting")
        try:
            await wait()
        except SessionClosedException as exc:
            closing(seen)(exc)

    return {"def": plain, "async def": coro}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wait", sorted(WAITS))
def test_a_wait_raises_session_closed_when_the_page_goes(open_app: Callable[..., AppClient], kind: str,
                                                          wait: str) -> None:
    seen: list[str] = []
    page = open_app(apps_waiting_in(WAITS[wait], seen)[kind])
    page.close()
    assert wait_for(lambda: seen == ["SessionClosedException"])


@pytest.mark.parametrize("kind", KINDS)
def test_hold_waits_until_the_page_goes_and_then_raises_session_closed(open_app: Callable[..., AppClient],
                                                                       kind: str) -> None:
    seen: list[str] = []
    page = open_app(apps_waiting_in(hold, seen)[kind])
    assert page.texts() == ["waiting"] and page.session.is_settled  # holding counts as waiting, not running
    time.sleep(0.1)
    assert seen == [] and not page.session.closed
    page.close()
    assert wait_for(lambda: seen == ["SessionClosedException"])


def test_an_async_app_waiting_on_a_pin_does_not_hold_up_other_sessions(open_app: Callable[..., AppClient]) -> None:
    async def main() -> None:
        put_input("a")
        put_text(repr(await pin_wait_change("a", timeout=1)))

    waiting = open_app(main)
    start = time.monotonic()
    other = AppClient(main)  # a second page of the same server, on the same event loop
    other.api, other.http, other.settings = waiting.api, waiting.http, waiting.settings
    other.open()
    assert change(other, "a", a="hi") == 204  # a round trip
    assert other.texts() == ["{'name': 'a', 'value': 'hi'}"]
    with other.http.stream("GET", other.url + "/events?after=0") as response:
        raw = b""
        for chunk in response.iter_raw():  # the stream replays what the page was sent, at once
            raw += chunk
            if b"\n\n" in raw:
                break
    assert b"id: 1\n" in raw
    assert time.monotonic() - start < 0.6  # well before the first page's wait ends
    assert waiting.texts() == []
    time.sleep(max(0.0, 1.2 - (time.monotonic() - start)))
    waiting.refresh()
    assert waiting.texts() == ["None"]
