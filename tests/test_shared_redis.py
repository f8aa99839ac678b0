"""htmio.shared.Topic through a real redis-server (tests/redis_service.py): hubs with separate connections and
separate server processes see each other's messages, late joiners get the kept ones, an outage raises
TopicUnavailable in the publishing session after a bounded retry, and delivery resumes after a restart with
nothing doubled."""
from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis
from bs4 import BeautifulSoup

from htmio import shared
from htmio.cli import load_app
from htmio.exceptions import TopicUnavailable
from htmio.hubs import LocalHub
from htmio.input import input
from htmio.output import put_scope, put_text, toast
from htmio.session import register_thread
from htmio.redishub import _PUBLISH, RedisHub
from htmio.scopes import scope_dom_id
from htmio.settings import Settings
from htmio.shared import Topic
from tests.live import first_page
from tests.redis_service import RedisService, folder_is_empty, free_port, redis_service  # noqa: F401 (a fixture)

EXAMPLES = Path(__file__).parent.parent / "examples"
_names = itertools.count()
WAIT = 15.0  # seconds a test waits for what must happen: a guard against hanging, not a measure


class Recorder:
    """A subscriber as a hub sees it, keeping what it gets (thread-safe: the hub delivers from its thread)."""

    def __init__(self, topic: str, replay: int = 0) -> None:
        self.topic, self.replay = topic, replay
        self.got: list[str] = []
        self.changed = threading.Condition()

    def deliver(self, payload: str) -> None:
        with self.changed:
            self.got.append(payload)
            self.changed.notify_all()

    def wait_for(self, count: int) -> list[str]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.got) >= count, WAIT), f"got only {self.got}"
            return list(self.got)


@pytest.fixture
def hubs(redis_service: RedisService) -> Iterator[Callable[..., RedisHub]]:
    """Make RedisHubs on the test's server (each its own connections, like separate processes); closed after,
    together with the hubs the test's sessions made."""
    made: list[RedisHub] = []

    def make(timeout: float = 0.5) -> RedisHub:
        hub = RedisHub(redis_service.url, timeout=timeout)
        made.append(hub)
        return hub

    yield make
    for hub in made:
        hub.close()
    for key in [k for k in shared._hubs if k[1] == redis_service.url]:
        shared._hubs.pop(key).close()


def name() -> str:
    return f"test-{os.getpid()}-{next(_names)}"


def test_two_hubs_see_each_others_messages_and_a_late_joiner_gets_the_kept_ones(hubs, redis_service):
    first, second = hubs(), hubs()
    topic = name()
    first.publish(topic, '"before 1"', keep=2)
    first.publish(topic, '"before 2"', keep=2)
    first.publish(topic, '"before 3"', keep=2)
    on_second, on_first = Recorder(topic, replay=5), Recorder(topic, replay=0)
    second.add(on_second).result(WAIT)
    first.add(on_first).result(WAIT)
    assert on_second.got == ['"before 2"', '"before 3"']  # the two kept, oldest first
    second.publish(topic, '"from second"', keep=2)
    first.publish(topic, '"from first"', keep=2)
    assert on_second.wait_for(4) == ['"before 2"', '"before 3"', '"from second"', '"from first"']
    assert on_first.wait_for(2) == ['"from second"', '"from first"']
    # one pub/sub connection per hub, however many subscribers it has
    third = Recorder(topic)
    second.add(third).result(WAIT)
    client = redis.Redis.from_url(redis_service.url)
    assert client.pubsub_numsub(f"htmio:topic:{topic}") == [(f"htmio:topic:{topic}".encode(), 2)]
    second.remove(on_second)
    second.remove(third)
    first.remove(on_first)
    deadline = time.monotonic() + WAIT
    while client.pubsub_numsub(f"htmio:topic:{topic}")[0][1] != 0:  # no subscriber left: unsubscribed
        assert time.monotonic() < deadline, "the hubs did not unsubscribe"
        time.sleep(0.02)
    assert second.subscribers(topic) == 0
    assert folder_is_empty(redis_service)
    client.close()


def test_the_backend_comes_from_redis_url_or_htmio_redis_url(hubs, redis_service, monkeypatch, open_app):
    assert Settings.from_environ({"HTMIO_REDIS_URL": redis_service.url}).redis_url == redis_service.url
    monkeypatch.setenv("HTMIO_REDIS_URL", redis_service.url)
    chosen = []
    open_app(lambda: chosen.append(Topic(name()).hub))  # its Settings() name no Redis server: the environment does
    assert isinstance(chosen[0], RedisHub)
    assert isinstance(Topic(name()).hub, RedisHub) and Topic(name()).hub.url == redis_service.url
    assert Topic(name()).hub is Topic(name()).hub  # one hub per process and URL
    assert isinstance(Topic(name(), redis_url="").hub, LocalHub)  # "" keeps a topic in the process
    monkeypatch.delenv("HTMIO_REDIS_URL")
    assert isinstance(Topic(name()).hub, LocalHub)
    with pytest.raises(ValueError, match=r"'http://127.0.0.1:6379' is not a Redis address: .* redis://host:6379/0"):
        Topic(name(), redis_url="http://127.0.0.1:6379").publish("hi")


def test_a_publish_retried_after_its_reply_was_lost_is_not_sent_twice(redis_service):
    # the script runs once per message: a second run with the same marker (a retry whose first attempt
    # reached Redis) neither counts, keeps nor publishes it again
    client = redis.Redis.from_url(redis_service.url, decode_responses=True)
    script = client.register_script(_PUBLISH)
    pubsub = client.pubsub()
    pubsub.subscribe("htmio:topic:t")
    assert pubsub.get_message(timeout=WAIT)["type"] == "subscribe"
    keys = ["htmio:topic:t:ids", "htmio:topic:t:kept", "htmio:topic:t:sent:abc"]
    assert script(keys=keys, args=["htmio:topic:t", '"hi"', 5, "e1", 60]) == 1
    assert script(keys=keys, args=["htmio:topic:t", '"hi"', 5, "e2", 60]) == 1
    assert client.lrange("htmio:topic:t:kept", 0, -1) == ['e1 1 "hi"']
    assert pubsub.get_message(timeout=WAIT)["data"] == 'e1 1 "hi"'
    assert pubsub.get_message(timeout=0.2) is None
    pubsub.close()
    client.close()


def test_a_message_published_while_a_subscriber_joins_comes_once(hubs, redis_service, monkeypatch):
    # between the channel's SUBSCRIBE and the read of the kept messages, a message is both live and kept
    topic = name()
    talker, listener = hubs(), hubs()
    talker.publish(topic, '"old"', keep=10)
    take_snapshot = RedisHub._snapshot

    async def late_snapshot(self, topic_name):
        talker.publish(topic_name, '"meanwhile"', keep=10)  # is live on the subscribed channel already
        deadline = time.monotonic() + WAIT
        while not [r for r in self._channels[topic_name].readers if r.held]:
            assert time.monotonic() < deadline, "the live copy never came"
            await asyncio.sleep(0.01)
        return await take_snapshot(self, topic_name)

    monkeypatch.setattr(RedisHub, "_snapshot", late_snapshot)
    heard = Recorder(topic, replay=10)
    listener.add(heard).result(WAIT)
    talker.publish(topic, '"after"', keep=10)
    assert heard.wait_for(3) == ['"old"', '"meanwhile"', '"after"']
    time.sleep(0.3)
    assert heard.got == ['"old"', '"meanwhile"', '"after"']


def test_a_publish_redis_refuses_raises_topic_unavailable_at_once(hubs, redis_service):
    hub = hubs(timeout=30)  # a refusal is not retried: it must not take these 30 s
    client = redis.Redis.from_url(redis_service.url)
    client.config_set("maxmemory", 1)  # every write is refused: OOM
    finished = []
    thread = threading.Thread(target=lambda: finished.append(_raised(lambda: hub.publish(name(), '"hi"', 5))))
    thread.start()
    thread.join(WAIT)
    client.config_set("maxmemory", 0)
    client.close()
    assert finished and isinstance(finished[0], TopicUnavailable), finished
    assert "refused the message (OutOfMemoryError" in str(finished[0])


def _raised(action: Callable[[], object]) -> BaseException | None:
    try:
        action()
    except BaseException as exc:
        return exc
    return None


def publisher(topic: Topic):
    """An app that publishes what is typed and says so when Redis cannot be reached."""
    def main():
        put_scope("log")
        while True:
            text = input("say")
            try:
                topic.publish(text)
                put_text(f"sent {text}", scope="log")
            except TopicUnavailable as exc:
                toast("not sent: the room is unreachable", color="error")
                put_text(f"failed {text}: {type(exc).__name__}", scope="log")
    return main


def test_an_outage_raises_in_the_session_and_delivery_resumes_without_doubles(hubs, redis_service, open_app):
    topic = name()
    listener = hubs()  # another process, with its own connections
    heard = Recorder(topic)
    listener.add(heard).result(WAIT)
    settings = Settings(first_paint_wait=5, settle_timeout=5, redis_url=redis_service.url, redis_timeout=0.5)
    page = open_app(publisher(Topic(topic, history=10)), settings=settings)
    page.submit("one")
    assert page.texts("log") == ["sent one"]
    assert heard.wait_for(1) == ['"one"']
    client = redis.Redis.from_url(redis_service.url, decode_responses=True)
    epoch = client.hget(f"htmio:topic:{topic}:ids", "epoch")
    client.close()

    redis_service.kill()
    sent = threading.Thread(target=page.submit, args=("two",))
    sent.start()
    sent.join(WAIT)  # bounded: publish gives up after about redis_timeout, it does not hang
    assert not sent.is_alive()
    assert page.texts("log") == ["sent one", "failed two: TopicUnavailable"]
    assert page.toasts()[-1] == "not sent: the room is unreachable"
    assert not page.session.closed and page.form() is not None  # the session goes on, waiting for input

    redis_service.start()  # same port, empty: the id counter starts again
    page.submit("three")
    assert page.texts("log")[-1] == "sent three"
    assert heard.wait_for(2) == ['"one"', '"three"']
    client = redis.Redis.from_url(redis_service.url, decode_responses=True)
    ids = client.hgetall(f"htmio:topic:{topic}:ids")
    client.close()
    assert ids["n"] == "1" and ids["epoch"] != epoch  # a new epoch: id 1 again, and not taken for seen
    page.submit("four")
    assert heard.wait_for(3) == ['"one"', '"three"', '"four"']
    deadline = time.monotonic() + WAIT
    while not listener.connected():
        assert time.monotonic() < deadline, "the listening hub did not reconnect"
        time.sleep(0.02)
    page.submit("five")
    assert heard.wait_for(4) == ['"one"', '"three"', '"four"', '"five"']
    time.sleep(0.3)  # anything doubled would have come by now
    assert heard.got == ['"one"', '"three"', '"four"', '"five"']


def test_a_subscriber_that_reconnects_gets_what_was_kept_meanwhile_once(hubs, redis_service):
    # the listener's pub/sub connection drops while Redis stays up: it catches up from the kept messages
    topic = name()
    talker, listener = hubs(), hubs()
    heard = Recorder(topic)
    listener.add(heard).result(WAIT)
    talker.publish(topic, '"a"', keep=10)
    heard.wait_for(1)
    client = redis.Redis.from_url(redis_service.url)
    killed = 0
    for entry in client.client_list(_type="pubsub"):
        client.client_kill_filter(_id=entry["id"])
        killed += 1
    assert killed == 1
    talker.publish(topic, '"b"', keep=10)  # published while the listener has no connection
    talker.publish(topic, '"c"', keep=10)
    assert heard.wait_for(3) == ['"a"', '"b"', '"c"']
    talker.publish(topic, '"d"', keep=10)
    assert heard.wait_for(4) == ['"a"', '"b"', '"c"', '"d"']
    time.sleep(0.3)
    assert heard.got == ['"a"', '"b"', '"c"', '"d"']
    client.close()


def test_a_session_subscribed_through_redis_lets_go_of_everything_when_it_ends(hubs, redis_service, open_app):
    topic = Topic(name(), history=5)
    readers: list[threading.Thread] = []

    def main():
        put_scope("log")
        messages = topic.subscribe()

        def read():
            for message in messages:
                put_text(message, scope="log")

        reader = threading.Thread(target=read)
        register_thread(reader)
        readers.append(reader)
        reader.start()
        input("keep the page")

    settings = Settings(first_paint_wait=5, settle_timeout=5, redis_url=redis_service.url, redis_timeout=0.5)
    page = open_app(main, settings=settings)
    elsewhere = hubs()  # another process publishes
    elsewhere.publish(topic.name, '"from elsewhere"', 5)
    page.wait_for_text("from elsewhere", "log")
    hub = topic.hub
    assert isinstance(hub, RedisHub) and hub.subscribers(topic.name) == 1
    client = redis.Redis.from_url(redis_service.url)
    [connection] = client.client_list(_type="pubsub")  # this process's one pub/sub connection
    page.close()
    readers[0].join(WAIT)
    assert not readers[0].is_alive()  # the iteration ended with the session (SessionClosedException)
    deadline = time.monotonic() + WAIT
    while hub.subscribers(topic.name) or connection["id"] in {c["id"] for c in client.client_list()}:
        assert time.monotonic() < deadline, "the hub kept the subscription or its pub/sub connection"
        time.sleep(0.02)
    client.close()


# ---- the chat example across two server processes ------------------------------------------------

class RemotePage:
    """A page of an htmio server process, read and posted to over HTTP as a browser without JavaScript does."""

    def __init__(self, client: httpx.Client, proc: subprocess.Popen[bytes]) -> None:
        self.http = client
        response = first_page(client, proc)
        self.url = str(response.url)
        self.soup = BeautifulSoup(response.text, "html.parser")

    def refresh(self) -> None:
        self.soup = BeautifulSoup(self.http.get(self.url).text, "html.parser")

    def texts(self, scope: str) -> list[str]:
        node = self.soup.select_one("#" + scope_dom_id(scope))
        return [] if node is None else [p.get_text() for p in node.select(".htmio-text")]

    def submit(self, **fields: str) -> None:
        form = self.soup.select("#htmio-inputs form")[-1]
        token = form.select_one('input[name="_token"]')["value"]
        response = self.http.post(form["action"], data={"_token": token, "_action": "submit", **fields},
                                  follow_redirects=True)
        assert response.status_code == 200, response.text[:300]
        self.soup = BeautifulSoup(response.text, "html.parser")

    def wait_for_text(self, text: str, scope: str) -> list[str]:
        deadline = time.monotonic() + WAIT
        while text not in self.texts(scope):
            assert time.monotonic() < deadline, f"{text!r} never came: {self.texts(scope)}"
            time.sleep(0.05)
            self.refresh()
        return self.texts(scope)


def test_the_chat_example_across_two_server_processes(redis_service, open_app, hubs):
    port = free_port()
    env = {**os.environ, "HTMIO_REDIS_URL": redis_service.url}
    proc = subprocess.Popen([sys.executable, "-m", "htmio.cli", "serve", str(EXAMPLES / "chat.py"), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=WAIT) as client:
            bob = RemotePage(client, proc)  # in the server process
            bob.submit(value="Bob")
            settings = Settings(first_paint_wait=5, settle_timeout=5, redis_url=redis_service.url)
            ada = open_app(load_app(EXAMPLES / "chat.py"), settings=settings)  # in this process
            ada.submit("Ada")
            assert ada.wait_for_text("room: Ada joined", "messages")[0] == "room: Bob joined"  # kept for late joiners
            ada.submit(text="hello Bob", cmd="Send")
            assert bob.wait_for_text("Ada: hello Bob", "messages") == [
                "room: Bob joined", "room: Ada joined", "Ada: hello Bob"]
            bob.submit(text="hi Ada", cmd="0")
            ada.wait_for_text("Bob: hi Ada", "messages")
            bob.submit(text="", cmd="1")  # Leave
            assert ada.wait_for_text("room: Bob left", "messages") == [
                "room: Bob joined", "room: Ada joined", "Ada: hello Bob", "Bob: hi Ada", "room: Bob left"]
    finally:
        proc.terminate()
        _, errors = proc.communicate(timeout=10)
    assert b"Traceback" not in errors, errors.decode(errors="replace")
