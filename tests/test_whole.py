"""A whole-document render (a page load, a stream's resync) never holds up the event loop, renders one at
a time per session, and gives a page whose content matches its position in the stream exactly."""
from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from bs4 import BeautifulSoup

from htmio import urls
from htmio.input import input
from htmio.output import put_text
from htmio.scopes import Document
from htmio.server import whole
from htmio.settings import Settings
from tests.live import EventReader, LiveServer

WAIT = 10.0  # seconds: a deadline for what must happen, never a measured time


def run_async(coroutine):  # type: ignore[no-untyped-def]
    """``asyncio.run`` in a thread of its own (a browser test's Playwright keeps a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
_clients: list[httpx.Client] = []


def client_for(live: LiveServer) -> httpx.Client:
    client = httpx.Client(base_url=live.url, timeout=WAIT)
    _clients.append(client)
    return client


@pytest.fixture
def server() -> Iterator[LiveServer]:
    def main() -> None:
        put_text("hello")
        input("name")

    live = LiveServer(main, Settings(first_paint_wait=2.0)).start()
    yield live
    while _clients:
        _clients.pop().close()
    live.stop()


def open_session(live: LiveServer) -> tuple[httpx.Client, str, BeautifulSoup]:
    client = client_for(live)
    url = client.get("/", follow_redirects=False).headers["location"]
    page = client.get(url)
    assert page.status_code == 200
    return client, url, BeautifulSoup(page.text, "html.parser")


class HeldRender:
    """Hold every whole-document render of one document until ``release()``: a render that takes as long
    as the test wants, without timing anything."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, document: Document) -> None:
        self.started = threading.Event()
        self.released = threading.Event()
        original = Document.render_all

        def render_all(doc: Document, page):  # type: ignore[no-untyped-def]
            if doc is document:
                self.started.set()
                self.released.wait(WAIT)
            return original(doc, page)

        monkeypatch.setattr(Document, "render_all", render_all)

    def release(self) -> None:
        self.released.set()


def in_thread(work) -> tuple[threading.Thread, list[object]]:  # type: ignore[no-untyped-def]
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    return thread, result


@pytest.mark.parametrize("what", ["page", "resync"])
def test_the_loop_answers_others_while_a_whole_document_renders(server, monkeypatch, what):
    big_client, big_url, _ = open_session(server)
    other_client, other_url, other_soup = open_session(server)
    big = next(s for s in server.sessions.values() if big_url.endswith(s.id))
    held = HeldRender(monkeypatch, big.document)
    try:
        if what == "page":
            thread, result = in_thread(lambda: big_client.get(big_url).text)
        else:  # a stream with no position starts with the whole document
            def first_message() -> str:
                with big_client.stream("GET", big_url + "/events") as response:
                    return EventReader(response).read(1)[0]["data"]
            thread, result = in_thread(first_message)
        assert held.started.wait(WAIT), "the render never started"
        # the big render is still going on: other requests are answered all the same
        assert other_client.get(other_url).status_code == 200
        assert other_client.get(urls.static_base("") + "/htmio.css").status_code == 200
        token = other_soup.select_one("body")["data-htmio-token"]
        form = other_soup.select_one("#htmio-inputs form")["action"]
        assert other_client.post(form, data={"_token": token, "value": "Ada"},
                                 headers={"HX-Request": "true"}).status_code == 204
        assert thread.is_alive() and not held.released.is_set()
    finally:
        held.release()
    thread.join(WAIT)
    [html] = result
    assert "hello" in str(html)


def test_renders_of_one_session_take_turns():
    class FakeSession:  # only its identity matters to off_loop
        pass

    session = FakeSession()
    gate = threading.Event()
    first_started = threading.Event()
    overlapped: list[bool] = []

    def first() -> str:
        first_started.set()
        gate.wait(WAIT)
        return "first"

    def later() -> str:
        overlapped.append(not gate.is_set())  # started while the first render was still going
        return "later"

    async def run() -> list[str]:
        tasks = [asyncio.ensure_future(whole.off_loop(session, first))]  # type: ignore[arg-type]
        await asyncio.to_thread(first_started.wait, WAIT)
        tasks += [asyncio.ensure_future(whole.off_loop(session, later)) for _ in range(3)]  # type: ignore[arg-type]
        # give the later renders every chance to start early (they must not)
        await asyncio.to_thread(time.sleep, 0.2)
        gate.set()
        return list(await asyncio.gather(*tasks))

    assert run_async(run()) == ["first", "later", "later", "later"]
    assert overlapped == [False, False, False]


def _numbers(html: str) -> list[int]:
    return [int(m) for m in re.findall(r">n(\d+)<", html)]


def test_a_page_and_its_stream_hold_every_output_once_while_the_app_keeps_putting(monkeypatch):
    stop = threading.Event()

    def main() -> None:
        i = 0
        while not stop.is_set() and i < 200_000:
            put_text(f"n{i}")
            i += 1
            if i % 10 == 0:
                time.sleep(0.001)  # let the flushes and the page loads in
        input("done")

    live = LiveServer(main, Settings(first_paint_wait=0.0, replay_bytes=64 * 1024 * 1024)).start()
    try:
        client = client_for(live)
        url = client.get("/", follow_redirects=False).headers["location"]
        for reload in range(4):
            page = BeautifulSoup(client.get(url).text, "html.parser")
            shown = _numbers(str(page.select_one("#htmio-doc")))
            events = page.select_one("#htmio-stream")["hx-sse:connect"]
            with client.stream("GET", events) as response:
                streamed: list[int] = []
                reader = EventReader(response)
                while len(streamed) < 500:
                    [message] = reader.read(1)
                    assert "htmio-doc" not in message["data"]  # a replay from the page's position, no resync
                    streamed += _numbers(message["data"])
            seen = shown + streamed
            assert seen == list(range(len(seen))), f"reload {reload}: a gap or a double where page and stream meet"
        # a stream with no position starts with the whole document, then goes on from it
        with client.stream("GET", url + "/events") as response:
            reader = EventReader(response)
            [first] = reader.read(1)
            assert "htmio-doc" in first["data"]
            seen = _numbers(first["data"])
            while len(seen) < len(_numbers(first["data"])) + 500:
                seen += _numbers(reader.read(1)[0]["data"])
            assert seen == list(range(len(seen)))
    finally:
        stop.set()
        while _clients:
            _clients.pop().close()
        live.stop()


def test_a_session_whose_lock_is_held_still_opens_its_stream_and_others_are_answered(server):
    # what the loop does for a page while a worker thread renders it (and holds its lock): count the page
    # load and its stream, replay from the page's position; none of it waits for the session's lock
    big_client, big_url, big_soup = open_session(server)
    other_client, other_url, _ = open_session(server)
    big = next(s for s in server.sessions.values() if big_url.endswith(s.id))
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with big.lock:
            held.set()
            release.wait(WAIT)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert held.wait(WAIT)
        events = big_soup.select_one("#htmio-stream")["hx-sse:connect"]
        with big_client.stream("GET", events) as response:
            assert response.status_code == 200
            assert other_client.get(other_url).status_code == 200
            assert big.streams_open == 1 and holder.is_alive() and not release.is_set()
    finally:
        release.set()
    holder.join(WAIT)


@pytest.mark.parametrize(("data", "event"), [
    ("a\nb", None), ("x\r\ny\rz\n\n", None), ("", None), ("closed", "htmio-close"), ("<p>a</p>\r\n", ""),
])
def test_a_whole_document_is_encoded_as_sse_starlette_encodes_it(data, event):
    from htmio.events import SseMessage

    message = SseMessage(4, data, event)
    assert whole.encoded(message) == whole.sse(message).encode()
    assert b"\r" not in whole.encoded(message)
