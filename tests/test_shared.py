"""htmio.shared.Topic in one process (the default LocalHub): publish, subscribe as an iterator, an async for or
a callback, history for late joiners, and subscriptions that end with their session. The Redis backend is in
tests/test_shared_redis.py."""
from __future__ import annotations

import asyncio
import itertools
import threading

import pytest

from htmio.exceptions import SessionClosedException, SessionNotFoundException
from htmio.hubs import LocalHub
from htmio.input import input
from htmio.output import put_buttons, put_scope, put_text
from htmio.session import register_thread
from htmio.shared import Topic

_names = itertools.count()


def fresh(history: int = 0) -> Topic:
    """A topic no other test uses (the process's LocalHub is shared by every test)."""
    return Topic(f"test-{next(_names)}", history=history)


class Recorder:
    """A subscriber as a hub sees it, keeping what it gets."""

    def __init__(self, topic: str, replay: int = 0) -> None:
        self.topic, self.replay, self.got = topic, replay, []

    def deliver(self, payload: str) -> None:
        self.got.append(payload)


# ---- the hub ------------------------------------------------------------------------------------

def test_a_late_joiner_gets_the_last_kept_messages_then_every_new_one():
    hub = LocalHub()
    for n in range(5):
        hub.publish("t", f'"m{n}"', keep=3)
    early, late, none = Recorder("t", replay=10), Recorder("t", replay=2), Recorder("t", replay=0)
    hub.add(early).result(0)
    hub.add(late).result(0)
    hub.add(none).result(0)
    hub.publish("t", '"m5"', keep=3)
    assert early.got == ['"m2"', '"m3"', '"m4"', '"m5"']  # only 3 are kept
    assert late.got == ['"m3"', '"m4"', '"m5"']
    assert none.got == ['"m5"']
    hub.remove(early)
    hub.publish("t", '"m6"', keep=3)
    assert early.got[-1] == '"m5"' and late.got[-1] == '"m6"'
    assert hub.subscribers("t") == 2


def test_a_topic_without_history_keeps_nothing():
    hub = LocalHub()
    hub.publish("t", '"before"', keep=0)
    late = Recorder("t", replay=5)
    hub.add(late).result(0)
    assert late.got == []


def test_a_message_must_be_json_and_each_subscriber_gets_its_own_copy(open_app):
    room = fresh()
    with pytest.raises(TypeError, match=r"must be a JSON value .* Send plain data"):
        room.publish({"when": object()})
    with pytest.raises(TypeError, match="JSON value"):
        room.publish(float("nan"))
    seen: list[list[object]] = []

    def main():
        def take(message):
            message["n"] += 1  # changes this session's copy only
            seen.append(message)
        room.subscribe(take)
        room.subscribe(take)

    page = open_app(main)
    room.publish({"n": 1, "tags": ("a", "b")})
    page.refresh()
    assert seen == [{"n": 2, "tags": ["a", "b"]}, {"n": 2, "tags": ["a", "b"]}]  # JSON: a tuple comes as a list
    assert seen[0] is not seen[1]


def test_publish_in_a_coroutine_that_is_no_session_sends_at_once(open_app):
    # only an async def app's task gets an awaitable back; any other thread, even one that has a running
    # loop (a coroutine of its own, Playwright's sync API), publishes there and then
    room = fresh()
    got = []
    page = open_app(lambda: room.subscribe(got.append))

    async def elsewhere():
        return room.publish("from a coroutine")

    returned = []
    worker = threading.Thread(target=lambda: returned.append(asyncio.run(elsewhere())))  # a thread of its own:
    worker.start()  # this one may hold Playwright's loop after the browser tests
    worker.join(10)
    assert returned == [None]
    page.refresh()  # once the callback has run
    assert got == ["from a coroutine"]


def test_bad_arguments_say_what_to_do():
    with pytest.raises(ValueError, match="non-empty str name"):
        Topic("")
    with pytest.raises(ValueError, match="history is how many messages are kept"):
        Topic("x", history=-1)
    with pytest.raises(SessionNotFoundException, match=r"subscribe\(\) was called outside of an htmio session"):
        fresh().subscribe()


# ---- sessions -------------------------------------------------------------------------------------

def chat(room: Topic):
    def main():
        name = input("name")
        put_scope("log")
        room.subscribe(lambda m: put_text(f"{m['who']}: {m['text']}", scope="log"))
        while True:
            room.publish({"who": name, "text": input("say")})
    return main


def test_two_sessions_chat_and_a_late_joiner_gets_the_history(open_app):
    room = fresh(history=2)
    ada, bob = open_app(chat(room)), open_app(chat(room))
    ada.submit("Ada")
    bob.submit("Bob")
    ada.submit("hello Bob")
    bob.refresh()  # the message's callback counts as running: the page is read once it has shown it
    assert bob.texts("log") == ["Ada: hello Bob"]
    bob.submit("hi Ada")
    ada.refresh()
    assert ada.texts("log") == ["Ada: hello Bob", "Bob: hi Ada"] == bob.texts("log")
    ada.submit("bye")
    cara = open_app(chat(room))
    cara.submit("Cara")
    assert cara.texts("log") == ["Bob: hi Ada", "Ada: bye"]  # the last two kept, in order
    cara.submit("hello all")
    ada.refresh()
    assert ada.texts("log")[-1] == "Cara: hello all"


def test_a_blocking_iteration_in_a_thread_gets_messages_published_outside_any_session(open_app):
    room = fresh()
    ended: list[str] = []
    readers: list[threading.Thread] = []

    def main():
        put_scope("log")
        messages = room.subscribe()

        def read():
            try:
                for message in messages:
                    put_text(message, scope="log")
            except SessionClosedException:
                ended.append("closed")
                raise

        reader = threading.Thread(target=read)
        register_thread(reader)
        readers.append(reader)
        reader.start()
        input("keep the page")

    page = open_app(main)
    outside = threading.Thread(target=lambda: [room.publish(f"m{n}") for n in range(3)])
    outside.start()
    outside.join()
    page.wait_for_text("m2", "log")
    assert page.texts("log") == ["m0", "m1", "m2"]
    assert room.hub.subscribers(room.name) == 1
    page.close()
    readers[0].join(5)
    assert not readers[0].is_alive() and ended == ["closed"]  # the session's end ended the iteration
    assert room.hub.subscribers(room.name) == 0  # and the hub let go of it


def test_close_ends_a_blocked_iteration_and_what_was_not_read_keeps_nothing_running(open_app):
    room = fresh()
    subs = []

    def main():
        put_scope("log")
        subs.append(room.subscribe())
        put_buttons(["stop"], onclick=lambda _: subs[0].close())
        for message in subs[0]:  # main blocks here
            put_text(message, scope="log")
            input("next?")  # reads one message, then leaves the others queued
        put_text("iteration ended")

    page = open_app(main)
    room.publish("one")
    page.wait_for_text("one", "log")
    room.publish("two")
    room.publish("three")  # queued, unread: the session counts them as work to do
    assert not page.session.is_settled
    page.click("stop")
    page.submit("")  # main goes on to the loop's end
    assert page.texts()[-1] == "iteration ended" and page.texts("log") == ["one"]
    assert page.session.is_settled  # the dropped messages no longer count
    assert room.hub.subscribers(room.name) == 0


def test_subscribing_after_the_session_ended_says_so(open_app):
    room = fresh()
    go, raised = threading.Event(), []

    def main():
        def late():
            go.wait()
            try:
                room.subscribe()
            except SessionClosedException as exc:
                raised.append(str(exc))

        thread = threading.Thread(target=late)
        register_thread(thread)
        thread.start()
        input("wait")

    page = open_app(main, timeout=0.3)  # the thread waiting on `go` counts as running: do not wait for a settle
    page.close()
    go.set()
    page.wait_until(lambda: raised, "the late subscribe's error", timeout=10)
    assert "Topic('test-" in raised[0] and "the session has ended" in raised[0]
    assert room.hub.subscribers(room.name) == 0


def test_a_subscription_callback_keeps_a_finished_main_alive_until_it_is_closed(open_app):
    room = fresh()

    def main():
        put_scope("log")

        def show(message):
            put_text(message, scope="log")
            if message == "bye":
                listening.close()

        listening = room.subscribe(show)
        put_text("main returns")

    page = open_app(main)
    room.publish("still here")
    page.wait_for_text("still here", "log")
    assert not page.session.closed
    room.publish("bye")
    page.wait_until(lambda: page.session.closed, "the session's end")
    assert page.session.close_reason == "finished"
    room.publish("after")  # nobody listens any more
    page.refresh()
    assert page.texts("log") == ["still here", "bye"]


def test_async_for_in_an_async_app_and_an_async_callback(open_app):
    room = fresh(history=1)
    room.publish("kept")

    async def main():
        put_scope("log")
        put_scope("cb")

        async def echo(message):
            await asyncio.sleep(0)
            put_text(f"cb {message}", scope="cb")

        room.subscribe(echo, replay=0)
        with room.subscribe() as messages:
            async for message in messages:
                put_text(message, scope="log")
                if message == "stop":
                    break
        await room.publish("main done")  # in async code publish() gives an awaitable
        put_text("main returns")

    page = open_app(main)
    assert page.session.is_async
    page.wait_for_text("kept", "log")
    for word in ("a", "b", "stop"):
        room.publish(word)
    page.wait_for_text("cb main done", "cb")
    assert page.texts("log") == ["kept", "a", "b", "stop"]
    assert page.texts("cb") == ["cb a", "cb b", "cb stop", "cb main done"]  # in order, one after another
    page.wait_for_text("main returns")
    assert page.soup.select_one(".htmio-app-error") is None
    assert room.hub.subscribers(room.name) == 1  # the `with` block closed its subscription; the callback's stays
    page.close()
    assert room.hub.subscribers(room.name) == 0
