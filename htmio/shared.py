"""What sessions share: a ``Topic`` is a named channel of JSON messages. Publish from anywhere; subscribe in a
session, as a blocking iterator, an ``async for``, or a callback; late joiners get the last messages kept.
In one process by default, across every process that uses the same Redis server when ``HTMIO_REDIS_URL`` is set.

    room = Topic("chat", history=20)

    def main():
        room.subscribe(lambda m: put_text(f"{m['who']}: {m['text']}"))
        while True:
            room.publish({"who": "Ada", "text": input("Say")})
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from htmio.exceptions import SessionNotFoundException, TopicUnavailable
from htmio.hubs import Hub, LocalHub
from htmio.redishub import RedisHub
from htmio.callbacks import Callback
from htmio.runtime import Session, current_session, in_coroutine_session
from htmio.settings import Settings

__all__ = ["Topic", "Subscription", "TopicUnavailable"]

_END = object()  # what a cancelled wait gives: the subscription was closed

_LOCAL = LocalHub()
_hubs: dict[tuple[int, str], RedisHub] = {}  # (process id, Redis URL) -> its hub: one pub/sub connection per process
_hubs_lock = threading.Lock()


def _redis_hub(url: str, timeout: float) -> RedisHub:
    """This process's hub for ``url`` (a forked process makes its own)."""
    with _hubs_lock:
        key = (os.getpid(), url)
        hub = _hubs.get(key)
        if hub is None:
            hub = _hubs[key] = RedisHub(url, timeout)
        return hub


def _configured() -> tuple[str, float]:
    """The Redis URL and timeout topics use: the running session's settings (what its server was given)
    when they name a Redis server, else the ``HTMIO_*`` environment (an app mounted with ``asgi_app`` reads
    no environment for its settings, but ``HTMIO_REDIS_URL`` still reaches its topics)."""
    environ = Settings.from_environ(os.environ)
    try:
        settings = current_session("Topic").settings
    except SessionNotFoundException:  # outside every session: a plain thread, a script, a test
        return environ.redis_url, environ.redis_timeout
    if settings.redis_url:
        return settings.redis_url, settings.redis_timeout
    return environ.redis_url, environ.redis_timeout


def _nothing() -> None:
    """What a subscription's keep-alive entry among the session's callbacks does when called: nothing."""


def _in_coroutine_session() -> bool:
    """True in a task of an ``async def`` app's session, where waiting must be awaited. Not merely "a loop
    runs in this thread": a thread may hold a loop it does not wait on (Playwright's sync API does)."""
    try:
        return in_coroutine_session(current_session("Topic"))
    except SessionNotFoundException:
        return False


class Topic:
    """A named channel of messages that every session can publish to and subscribe to. Messages are JSON
    values (dict, list, str, int, float, bool, None); each subscriber gets its own copy, in publish order.
    ``history``: how many of the last messages are kept for late joiners (0: none).

        room = Topic("chat", history=20)
        room.publish({"who": "Ada", "text": "hello"})          # from any thread, in or out of a session
        room.subscribe(lambda m: put_text(m["text"]))          # in a session: a callback ...
        for m in room.subscribe():                              # ... or a blocking iterator
            put_text(m["text"])

    Where messages go: ``redis_url`` if given (``""`` keeps them in this process), else the session's
    ``Settings.redis_url`` if set, else ``HTMIO_REDIS_URL``, read at the first publish or subscribe.
    Without Redis, sessions of this process share the topic; with it, every process that uses the same
    Redis server.
    Two ``Topic`` objects with one name are the same topic. ``hub`` gives the carrier itself
    (``htmio.hubs.LocalHub()``, ``htmio.redishub.RedisHub(url)``).
    """

    def __init__(self, name: str, history: int = 0, *, redis_url: str | None = None, hub: Hub | None = None) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"Topic(name={name!r}): a topic needs a non-empty str name, like Topic('chat').")
        if isinstance(history, bool) or not isinstance(history, int) or history < 0:
            raise ValueError(f"Topic({name!r}, history={history!r}): history is how many messages are kept "
                             "for late joiners, an int from 0 (none) up.")
        self.name = name
        self.history = history
        self._redis_url = redis_url
        self._hub = hub
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Topic({self.name!r}, history={self.history})"

    @property
    def hub(self) -> Hub:
        """The carrier of this topic's messages, chosen at first use (see the class docstring).

            assert isinstance(Topic("chat").hub, LocalHub)   # no HTMIO_REDIS_URL
        """
        with self._lock:
            if self._hub is None:
                configured, timeout = _configured()
                url = configured if self._redis_url is None else self._redis_url
                self._hub = _redis_hub(url, timeout) if url else _LOCAL
            return self._hub

    # ---- publishing -------------------------------------------------------------------------

    def _encode(self, message: Any) -> str:
        try:
            return json.dumps(message, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"Topic({self.name!r}).publish({message!r}): a message must be a JSON value (dict with str keys, "
                f"list, str, int, float, bool or None), and this one is not ({exc}). Send plain data, "
                "e.g. {'who': name, 'text': text}."
            ) from None

    def publish(self, message: Any) -> Awaitable[None] | None:
        """Send ``message`` to every subscriber of the topic (in every process, with Redis). In a thread it
        returns once the message is on its way; in an ``async def`` app it sends at once and returns an
        awaitable: await it to know it went out (in other coroutines, ``await publish_async(message)``). With Redis it retries while the server does not
        answer, for ``HTMIO_REDIS_TIMEOUT`` seconds, then raises ``TopicUnavailable`` (the message was not
        sent; the session goes on).

            room.publish({"who": "Ada", "text": "hello"})
            await room.publish("tick")                  # in an async def app
        """
        payload = self._encode(message)
        hub = self.hub
        if _in_coroutine_session():
            return asyncio.ensure_future(hub.publish_async(self.name, payload, self.history))
        hub.publish(self.name, payload, self.history)
        return None

    async def publish_async(self, message: Any) -> None:
        """``publish`` for any coroutine (also one that is not an htmio session's): the loop goes on meanwhile.

            await room.publish_async({"who": "bot", "text": "build passed"})
        """
        await self.hub.publish_async(self.name, self._encode(message), self.history)

    # ---- subscribing ------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Any], Any] | None = None, *, replay: int | None = None) -> Subscription:
        """Receive the topic's messages in this session until it ends (or ``close()``): first the last
        ``replay`` kept messages (default: all the topic keeps), then each new one, in order, none twice.
        With ``callback``, each message is passed to it in the session's callback thread, one after another
        (an ``async def`` callback runs as a task in an ``async def`` app); without, iterate the returned
        ``Subscription``: ``for`` blocks for the next message, ``async for`` awaits it. Ending the session
        ends both; a blocked iteration raises ``SessionClosedException``, as ``input()`` does. A session
        whose ``main`` returned stays alive while it has a subscription callback.

            room.subscribe(lambda m: put_text(m["text"], scope="messages"))
            with room.subscribe(replay=0) as news:
                for m in news:
                    put_text(m["text"])
        """
        if callback is not None and not callable(callback):
            raise TypeError(f"Topic({self.name!r}).subscribe({callback!r}): the callback must be a function "
                            "taking one message.")
        if replay is not None and (isinstance(replay, bool) or not isinstance(replay, int) or replay < 0):
            raise ValueError(f"Topic({self.name!r}).subscribe(replay={replay!r}): replay is how many kept messages "
                             "come first, an int from 0 up.")
        session = current_session(f"Topic({self.name!r}).subscribe")
        session.check_open(f"Topic({self.name!r}).subscribe")
        subscription = Subscription(self, session, callback, self.history if replay is None else replay)
        if not in_coroutine_session(session):
            # a thread may wait for it to be live; a coroutine awaits that in its first `async for` step
            subscription.wait_live(session.settings.redis_timeout)
        return subscription


class Subscription:
    """One session's subscription to a topic (what ``Topic.subscribe`` returns): iterate it (``for`` in a
    thread, ``async for`` in an ``async def`` app), or let its callback take the messages; ``close()``
    ends it (also as a context manager); the session's end ends it too.

        with room.subscribe() as messages:
            for m in messages:
                if m == "stop":
                    break
                put_text(m)
    """

    def __init__(self, topic: Topic, session: Session, callback: Callable[[Any], Any] | None, replay: int) -> None:
        self._topic = topic
        self._session = session
        self._callback = callback
        self._replay = replay
        self._closed = False
        self._keepalive: int | None = None
        self._waiter = None if callback is not None else session.waits.new(
            f"Topic({topic.name!r}): the session ended while waiting for the next message.")
        if callback is not None:  # registered like a button's callback: it keeps a finished main's session alive
            self._keepalive = session.callbacks.add(Callback(fn=_nothing))
        self._hub = topic.hub
        self._live = self._hub.add(self)
        session.on_close(self._session_ended)  # after add: a session that has just ended lets go at once

    def __repr__(self) -> str:
        return f"<Subscription to {self._topic!r}{' (closed)' if self._closed else ''}>"

    # what the hub reads
    @property
    def topic(self) -> str:
        """The topic's name.

            assert room.subscribe().topic == "chat"
        """
        return self._topic.name

    @property
    def replay(self) -> int:
        """How many kept messages came (or come) first.

            assert room.subscribe(replay=5).replay == 5
        """
        return self._replay

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called or the session ended.

            sub.close(); assert sub.closed
        """
        return self._closed or self._session.closed

    def deliver(self, payload: str) -> None:
        """Take one message from the hub (any thread): queue it for the iteration, or run the callback."""
        if self.closed:
            return
        message = json.loads(payload)  # a copy of its own for each subscriber
        if self._waiter is not None:
            self._waiter.put(message)
        elif self._callback is not None:
            fn = self._callback
            self._session.callbacks.run(Callback(fn=lambda: fn(message), serial=True))

    def wait_live(self, timeout: float) -> bool:
        """Wait until what is published from now on reaches this subscription (with Redis: the channel is
        subscribed and the kept messages read); False when Redis did not answer in ``timeout`` seconds
        (delivery then starts once it does).

            sub = room.subscribe(); assert sub.wait_live(3)
        """
        try:
            self._live.result(timeout)
            return True
        except concurrent.futures.TimeoutError:
            return False

    # iterating

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if self._waiter is None:
            raise TypeError(f"{self!r} has a callback; a subscription made with a callback is not iterated.")
        if self._closed:
            raise StopIteration
        message = self._waiter.get(default=_END)
        if message is _END:
            raise StopIteration
        return message

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        if self._waiter is None:
            raise TypeError(f"{self!r} has a callback; a subscription made with a callback is not iterated.")
        if self._closed:
            raise StopAsyncIteration
        if not self._live.done():
            await asyncio.wait([asyncio.wrap_future(self._live)], timeout=self._session.settings.redis_timeout)
        message = await self._waiter.get_async(default=_END)
        if message is _END:
            raise StopAsyncIteration
        return message

    # ending

    def close(self) -> None:
        """Stop receiving: an iteration blocked on the next message ends, the callback is not called again.

            news = room.subscribe()
            news.close()
        """
        if self._closed:
            return
        self._closed = True
        self._hub.remove(self)
        if self._waiter is not None:
            self._waiter.cancel()
        if self._keepalive is not None:
            with self._session.lock:
                self._session.callbacks.registered.pop(self._keepalive, None)
            self._session.maybe_finish()

    def _session_ended(self) -> None:
        # the session's waits raise SessionClosedException already; only the hub has to let go
        self._hub.remove(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
