"""What carries ``htmio.shared.Topic`` messages: the ``Hub`` interface, and ``LocalHub``, the hub of one process.
The Redis hub (``htmio.redishub``) has the same interface and reaches every process."""
from __future__ import annotations

import concurrent.futures
import threading
from dataclasses import dataclass, field
from typing import Protocol


class Subscriber(Protocol):
    """One subscription as a hub sees it: the topic, how many kept messages it wants first, and where
    its messages go (JSON text, in order, called from any thread; it must not block)."""

    @property
    def topic(self) -> str: ...

    @property
    def replay(self) -> int: ...

    def deliver(self, payload: str) -> None:
        """Take one message."""
        ...


class Hub(Protocol):
    """Carries messages from publishers to the subscribers of a topic, and keeps the last ones."""

    def publish(self, topic: str, payload: str, keep: int) -> None:
        """Send ``payload`` (JSON text) to every subscriber of ``topic`` and keep the last ``keep``
        messages; blocks the calling thread at most about ``timeout`` seconds, then raises TopicUnavailable."""
        ...

    async def publish_async(self, topic: str, payload: str, keep: int) -> None:
        """``publish`` for a coroutine: the event loop goes on meanwhile."""
        ...

    def add(self, subscriber: Subscriber) -> concurrent.futures.Future[None]:
        """Start delivering to ``subscriber``: first its share of the kept messages, then every new one, no
        message twice. The future is done once it is live (what is published from then on reaches it)."""
        ...

    def remove(self, subscriber: Subscriber) -> None:
        """Stop delivering to ``subscriber`` (a message already on its way may still come)."""
        ...


@dataclass
class _LocalTopic:
    kept: list[str] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)


class LocalHub:
    """The hub of one process: messages go straight to the subscribers in memory, under one lock, so
    every subscriber sees every topic's messages in one order.

        hub = LocalHub()
        room = Topic("chat", history=20, hub=hub)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._topics: dict[str, _LocalTopic] = {}

    def publish(self, topic: str, payload: str, keep: int) -> None:
        with self._lock:
            kept = self._topics.setdefault(topic, _LocalTopic())
            if keep > 0:
                kept.kept.append(payload)
                del kept.kept[:-keep]
            for subscriber in kept.subscribers:
                subscriber.deliver(payload)
            self._forget_if_unused(topic)

    async def publish_async(self, topic: str, payload: str, keep: int) -> None:
        self.publish(topic, payload, keep)  # never waits on anything but the lock

    def add(self, subscriber: Subscriber) -> concurrent.futures.Future[None]:
        live: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._lock:
            kept = self._topics.setdefault(subscriber.topic, _LocalTopic())
            for payload in kept.kept[len(kept.kept) - subscriber.replay:] if subscriber.replay > 0 else []:
                subscriber.deliver(payload)
            kept.subscribers.append(subscriber)
        live.set_result(None)
        return live

    def remove(self, subscriber: Subscriber) -> None:
        with self._lock:
            kept = self._topics.get(subscriber.topic)
            if kept is not None and subscriber in kept.subscribers:
                kept.subscribers.remove(subscriber)
                self._forget_if_unused(subscriber.topic)

    def subscribers(self, topic: str) -> int:
        """How many subscriptions ``topic`` has in this process (for tests and monitoring)."""
        with self._lock:
            kept = self._topics.get(topic)
            return 0 if kept is None else len(kept.subscribers)

    def _forget_if_unused(self, topic: str) -> None:
        kept = self._topics.get(topic)
        if kept is not None and not kept.kept and not kept.subscribers:
            del self._topics[topic]
