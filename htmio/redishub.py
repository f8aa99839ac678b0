"""The Redis hub of ``htmio.shared.Topic``: one pub/sub connection per process, fanned out to the process's
subscribers; a publish is one Lua script; ids carry an epoch, so a Redis restart is seen and nothing is doubled.

How a subscriber joins without a gap or a double: the channel is subscribed first, then the kept messages and
the id counter are read in one transaction (the snapshot); live messages that come meanwhile wait in the
subscriber's buffer, and any id at or below what the subscriber has seen is dropped. After a lost connection
the hub subscribes again and each subscriber catches up from the kept messages the same way.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from htmio.exceptions import TopicUnavailable
from htmio.hubs import Subscriber

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub
    from redis.commands.core import AsyncScript

log = logging.getLogger("htmio")

PREFIX = "htmio:topic:"
PING_EVERY = 5.0  # seconds of silence on the pub/sub connection before a PING checks it is alive
BACKOFF_FIRST, BACKOFF_MAX = 0.05, 1.0  # seconds between attempts to reach Redis again

# KEYS: the id hash (epoch, n), the kept list, this publish's done-marker. ARGV: channel, payload, keep,
# an epoch to use if Redis has none (a fresh or restarted server), seconds the done-marker lives.
# A retried publish whose first attempt ran (its reply lost) finds the marker and is not sent twice.
_PUBLISH = """
local done = redis.call('GET', KEYS[3])
if done then return tonumber(done) end
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[4])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local message = epoch .. ' ' .. n .. ' ' .. ARGV[2]
local keep = tonumber(ARGV[3])
if keep > 0 then
  redis.call('RPUSH', KEYS[2], message)
  redis.call('LTRIM', KEYS[2], -keep, -1)
end
redis.call('PUBLISH', ARGV[1], message)
redis.call('SET', KEYS[3], n, 'EX', tonumber(ARGV[5]))
return n
"""


def channel_of(topic: str) -> str:
    return PREFIX + topic


def _ids_key(topic: str) -> str:
    return PREFIX + topic + ":ids"


def _kept_key(topic: str) -> str:
    return PREFIX + topic + ":kept"


Entry = tuple[str, int, str]  # (epoch, id, payload)


def parse_entry(text: str) -> Entry:
    """``"<epoch> <id> <json>"`` as the script writes it."""
    epoch, number, payload = text.split(" ", 2)
    return epoch, int(number), payload


@dataclass(frozen=True)
class Snapshot:
    """The topic as Redis holds it at one instant: its epoch (None before the first publish), the last id
    given, and the kept messages."""

    epoch: str | None
    last: int
    kept: list[Entry]


@dataclass(eq=False)
class _Reader:
    """One local subscriber: what it has seen (epoch, id), and live messages held while it catches up."""

    subscriber: Subscriber
    live: concurrent.futures.Future[None]
    seen: tuple[str | None, int] | None = None
    catching_up: bool = True
    requested: bool = False  # a catch-up for it is under way
    held: list[Entry] = field(default_factory=list)


@dataclass(eq=False)
class _Channel:
    readers: list[_Reader] = field(default_factory=list)
    live: bool = False  # Redis confirmed the subscription on the current connection


class RedisHub:
    """Topics through one Redis server: ``publish`` runs the publish script (retrying for ``timeout``
    seconds, then TopicUnavailable); the subscribers of this process share one pub/sub connection, opened
    while there is at least one. Everything runs on the hub's own event loop, in one daemon thread.

        hub = RedisHub("redis://127.0.0.1:6379/0", timeout=3.0)
        room = Topic("chat", history=20, hub=hub)
    """

    def __init__(self, url: str, timeout: float = 3.0) -> None:
        try:
            from redis.asyncio import ConnectionPool  # an external package: checked here for a clear message
        except ImportError:
            raise RuntimeError(
                f"Topics through Redis ({url!r}) need the redis package, which is not installed: "
                "pip install 'htmio[redis]' (or pip install redis)."
            ) from None
        try:
            ConnectionPool.from_url(url)  # checks the address only; nothing connects yet
        except ValueError as exc:
            raise ValueError(
                f"HTMIO_REDIS_URL (or redis_url=) {url!r} is not a Redis address: {exc}. Write it like "
                "redis://host:6379/0 (rediss:// for TLS, unix:///path/to/redis.sock)."
            ) from None
        self.url = url
        self.timeout = timeout
        self._channels: dict[str, _Channel] = {}
        self._readers: dict[int, _Reader] = {}  # id(subscriber) -> its reader
        self._inflight: dict[str, int] = {}  # SUBSCRIBE/UNSUBSCRIBE sent on the current connection, not yet confirmed
        self._pubsub: PubSub | None = None
        self._listener: asyncio.Task[None] | None = None
        self._generation = 0  # one per pub/sub connection: a catch-up of an older one is void
        self._redis: Redis | None = None
        self._closed = False
        self._script: AsyncScript | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="htmio-redis", daemon=True)
        self._thread.start()

    # ---- publishing -------------------------------------------------------------------------

    def publish(self, topic: str, payload: str, keep: int) -> None:
        if threading.current_thread() is self._thread:
            raise RuntimeError("Topic.publish() was called on the Redis hub's own thread; use publish_async().")
        try:
            # _publish gives up by itself after `timeout`; the margin only guards against a hub closed meanwhile
            self._start_publish(topic, payload, keep).result(self.timeout + 10)
        except concurrent.futures.TimeoutError:
            raise self._unavailable(topic, "the hub did not answer") from None

    async def publish_async(self, topic: str, payload: str, keep: int) -> None:
        await asyncio.wrap_future(self._start_publish(topic, payload, keep))

    def _start_publish(self, topic: str, payload: str, keep: int) -> concurrent.futures.Future[None]:
        work = self._publish(topic, payload, keep)
        try:
            if self._closed:
                raise RuntimeError("closed")
            return asyncio.run_coroutine_threadsafe(work, self._loop)
        except RuntimeError:  # the hub was closed (its loop is gone)
            work.close()
            raise self._unavailable(topic, "the hub was closed") from None

    def _unavailable(self, topic: str, why: str) -> TopicUnavailable:
        return TopicUnavailable(
            f"Topic({topic!r}).publish(): Redis at {self.url} did not answer for {self.timeout:g} s ({why}). "
            "The message was not sent. Catch TopicUnavailable to tell the user and let them try again; "
            "HTMIO_REDIS_TIMEOUT sets how long publish() retries."
        )

    async def _publish(self, topic: str, payload: str, keep: int) -> None:
        from redis.exceptions import ConnectionError, RedisError, TimeoutError

        client, script = self._client()
        marker = f"{PREFIX}{topic}:sent:{secrets.token_hex(12)}"  # the same for every attempt of this message
        keys = [_ids_key(topic), _kept_key(topic), marker]
        # a new epoch for each message: used only if Redis has none for the topic (fresh, or restarted empty), and
        # then unlike any epoch before, even one this process gave the server it had before the restart
        args: list[str | int] = [channel_of(topic), payload, keep, secrets.token_hex(8), max(60, int(10 * self.timeout))]
        deadline = time.monotonic() + self.timeout
        pause = BACKOFF_FIRST
        while True:
            try:
                await asyncio.wait_for(script(keys=keys, args=args, client=client),
                                       max(0.05, deadline - time.monotonic()))
                return
            except (ConnectionError, TimeoutError, OSError, asyncio.TimeoutError) as exc:
                if time.monotonic() + pause >= deadline:
                    raise self._unavailable(topic, f"{type(exc).__name__}: {exc}") from exc
                await asyncio.sleep(pause)
                pause = min(2 * pause, BACKOFF_MAX)
            except RedisError as exc:  # Redis answered, and refused (out of memory, a read-only replica, ...)
                raise TopicUnavailable(
                    f"Topic({topic!r}).publish(): Redis at {self.url} refused the message ({type(exc).__name__}: "
                    f"{exc}). It was not sent. Catch TopicUnavailable to tell the user; the server's log or "
                    "`redis-cli info` says why Redis refuses."
                ) from exc

    # ---- subscribing ------------------------------------------------------------------------

    def add(self, subscriber: Subscriber) -> concurrent.futures.Future[None]:
        live: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._add, _Reader(subscriber, live))
        return live

    def remove(self, subscriber: Subscriber) -> None:
        with contextlib.suppress(RuntimeError):  # the hub was closed: nothing is delivered any more
            self._loop.call_soon_threadsafe(self._remove, subscriber)

    def subscribers(self, topic: str) -> int:
        """How many subscriptions ``topic`` has in this process (for tests and monitoring)."""
        async def count() -> int:
            channel = self._channels.get(topic)
            return 0 if channel is None else len(channel.readers)

        return asyncio.run_coroutine_threadsafe(count(), self._loop).result(10)

    def connected(self) -> bool:
        """True while the pub/sub connection is up and every channel's subscription is confirmed."""
        async def check() -> bool:
            return self._pubsub is not None and all(c.live for c in self._channels.values())

        return asyncio.run_coroutine_threadsafe(check(), self._loop).result(10)

    def close(self) -> None:
        """Stop the hub: close its connections and end its thread (tests; a server keeps its hub)."""
        async def shut() -> None:
            if self._listener is not None:
                self._listener.cancel()
                with contextlib.suppress(BaseException):
                    await self._listener
            if self._redis is not None:
                with contextlib.suppress(Exception):
                    await self._redis.aclose()

        self._closed = True
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop.close()

    # ---- on the hub's loop --------------------------------------------------------------------

    def _client(self) -> tuple[Redis, AsyncScript]:
        if self._redis is None or self._script is None:
            from redis.asyncio import Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            # no retries inside redis-py: the hub retries itself, within its own time limits
            self._redis = Redis.from_url(self.url, decode_responses=True, retry=Retry(NoBackoff(), 0),
                                         socket_connect_timeout=self.timeout, socket_timeout=self.timeout)
            self._script = self._redis.register_script(_PUBLISH)
        return self._redis, self._script

    def _add(self, reader: _Reader) -> None:
        topic = reader.subscriber.topic
        self._readers[id(reader.subscriber)] = reader
        channel = self._channels.get(topic)
        if channel is None:
            channel = self._channels[topic] = _Channel()
            if self._pubsub is not None:
                self._send(self._pubsub, "subscribe", topic)
        channel.readers.append(reader)
        if self._listener is None or self._listener.done():
            self._listener = self._loop.create_task(self._listen())
        if channel.live:
            self._loop.create_task(self._catch_up(topic, self._generation))

    def _remove(self, subscriber: Subscriber) -> None:
        reader = self._readers.pop(id(subscriber), None)
        if reader is None:
            return
        if not reader.live.done():
            reader.live.set_result(None)
        topic = subscriber.topic
        channel = self._channels.get(topic)
        if channel is None:
            return
        channel.readers.remove(reader)
        if channel.readers:
            return
        del self._channels[topic]
        if self._pubsub is not None:
            self._send(self._pubsub, "unsubscribe", topic)
        if not self._channels and self._listener is not None:
            self._listener.cancel()  # no subscriber left in this process: no pub/sub connection either
            self._listener = None

    def _send(self, pubsub: PubSub, command: str, topic: str) -> None:
        """SUBSCRIBE or UNSUBSCRIBE one channel on the current connection (its confirmation comes as a message)."""
        self._inflight[topic] = self._inflight.get(topic, 0) + 1

        async def send() -> None:
            with contextlib.suppress(Exception):  # a broken connection: the listener reconnects and subscribes anew
                if command == "subscribe":
                    await pubsub.subscribe(channel_of(topic))
                else:
                    await pubsub.unsubscribe(channel_of(topic))

        self._loop.create_task(send())

    async def _listen(self) -> None:
        """Hold the pub/sub connection while there are channels: (re)connect, subscribe them all, dispatch."""
        pause, failing = BACKOFF_FIRST, False
        while self._channels:
            client, _ = self._client()
            pubsub = client.pubsub()
            try:
                await pubsub.connect()  # type: ignore[no-untyped-call]
                self._generation += 1
                self._inflight.clear()
                for channel in self._channels.values():
                    channel.live = False
                    for reader in channel.readers:
                        reader.catching_up, reader.requested = True, False
                topics = list(self._channels)
                self._pubsub = pubsub
                for topic in topics:
                    self._inflight[topic] = 1
                await pubsub.subscribe(*(channel_of(t) for t in topics))
                while True:
                    message = await pubsub.get_message(timeout=PING_EVERY)
                    if message is None:
                        await pubsub.ping()
                        continue
                    if message["type"] == "subscribe" and failing:
                        log.warning("htmio: Redis at %s answers again; topics deliver again", self.url)
                        failing = False
                    pause = BACKOFF_FIRST
                    self._dispatch(message)
            except Exception as exc:  # unreachable, or refusing (auth, ACL): keep trying, never die silently
                if not failing:
                    log.warning("htmio: Redis at %s is unreachable (%s: %s); retrying", self.url, type(exc).__name__, exc)
                    failing = True
            finally:
                if self._pubsub is pubsub:
                    self._pubsub = None
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(pause)
            pause = min(2 * pause, BACKOFF_MAX)

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind, name = message["type"], message.get("channel")
        if not isinstance(name, str) or not name.startswith(PREFIX):
            return  # a pong
        topic = name[len(PREFIX):]
        channel = self._channels.get(topic)
        if kind in ("subscribe", "unsubscribe"):
            self._inflight[topic] = self._inflight.get(topic, 1) - 1
            if kind == "subscribe" and channel is not None and self._inflight[topic] <= 0:
                channel.live = True
                self._loop.create_task(self._catch_up(topic, self._generation))
        elif kind == "message" and channel is not None:
            entry = parse_entry(message["data"])
            for reader in list(channel.readers):
                if reader.catching_up:
                    reader.held.append(entry)
                else:
                    self._deliver(reader, entry)

    async def _snapshot(self, topic: str) -> Snapshot:
        client, _ = self._client()
        async with client.pipeline(transaction=True) as pipe:
            pipe.hget(_ids_key(topic), "epoch")
            pipe.hget(_ids_key(topic), "n")
            pipe.lrange(_kept_key(topic), 0, -1)
            epoch, last, kept = await pipe.execute()
        return Snapshot(epoch, int(last or 0), [parse_entry(text) for text in kept])

    async def _catch_up(self, topic: str, generation: int) -> None:
        """Give the readers of ``topic`` that are catching up what they missed, then their held messages."""
        channel = self._channels.get(topic)
        if channel is None:
            return
        readers = [r for r in channel.readers if r.catching_up and not r.requested]
        for reader in readers:
            reader.requested = True
        pause = BACKOFF_FIRST
        while True:
            try:
                snapshot = await self._snapshot(topic)
                break
            except Exception:  # the connection's trouble: retried until a new connection takes over
                if generation != self._generation or self._channels.get(topic) is not channel:
                    return  # a new connection catches everyone up again
                await asyncio.sleep(pause)
                pause = min(2 * pause, BACKOFF_MAX)
        if generation != self._generation:
            return
        for reader in readers:
            if reader in channel.readers:
                self._apply(topic, reader, snapshot)

    def _apply(self, topic: str, reader: _Reader, snapshot: Snapshot) -> None:
        replay = reader.subscriber.replay
        if reader.seen is None:  # joining: the last `replay` kept messages
            for entry in snapshot.kept[len(snapshot.kept) - replay:] if replay > 0 else []:
                self._deliver(reader, entry)
            reader.seen = (snapshot.epoch, snapshot.last)
        elif reader.seen[0] == snapshot.epoch:  # back after a lost connection, Redis kept its data
            seen = reader.seen[1]
            missed = [entry for entry in snapshot.kept if entry[1] > seen]
            if snapshot.last > seen and (not missed or missed[0][1] > seen + 1):
                log.warning("htmio: topic %r lost messages while the connection to Redis was down "
                            "(it keeps only the last %d)", topic, len(snapshot.kept))
            for entry in missed:
                self._deliver(reader, entry)
            reader.seen = (snapshot.epoch, max(seen, snapshot.last))
        else:  # Redis restarted empty (a new epoch): everything it holds is new to this reader
            for entry in snapshot.kept:
                self._deliver(reader, entry)
            reader.seen = (snapshot.epoch, snapshot.last)
        held, reader.held = reader.held, []
        for entry in held:
            self._deliver(reader, entry)
        reader.catching_up = reader.requested = False
        if not reader.live.done():
            reader.live.set_result(None)

    def _deliver(self, reader: _Reader, entry: Entry) -> None:
        epoch, number, payload = entry
        if reader.seen is not None and reader.seen[0] == epoch and number <= reader.seen[1]:
            return  # seen already (kept and live, or sent again after a reconnect)
        reader.seen = (epoch, number)
        try:
            reader.subscriber.deliver(payload)
        except Exception:
            log.exception("htmio: a topic subscriber failed to take a message")
