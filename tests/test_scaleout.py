"""Three shards of the chat example behind a real nginx, sharing the room through a real redis-server
(issue 15, point 4): sessions spread, every page and stream answers, a message from each process reaches
the sessions of all, a killed process's sessions end cleanly while the others go on, new sessions land
only on live processes, a shard added with `nginx -s reload` breaks no running session, and a draining
shard (SIGUSR1, as a rolling restart begins) gets no new sessions while its own go on."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from htmio.balancer import nginx_config
from tests.live import EventReader
from tests.nginx_service import NginxService, free_port
from tests.redis_service import RedisService

ROOT = Path(__file__).resolve().parent.parent
CHAT = ROOT / "examples" / "chat.py"
PATIENCE = 30.0  # seconds a step may take before the test gives up (a bound against hanging, not a measure)


class Shard:
    """One `htmio serve examples/chat.py --shard NAME` process on a free port."""

    def __init__(self, name: str, redis_url: str) -> None:
        self.name = name
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        # the test reads pages and opens streams one at a time, not as a browser keeping its stream open:
        # a long grace keeps such a page's session
        env = {**os.environ, "HTMIO_REDIS_URL": redis_url, "HTMIO_FIRST_PAINT_WAIT": "2",
               "HTMIO_DISCONNECT_GRACE": "600"}
        self.proc = subprocess.Popen([sys.executable, "-m", "htmio.cli", "serve", str(CHAT), "--shard", name,
                                      "--port", str(self.port)], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                if httpx.get(f"http://{self.address}/{self.name}/_htmio/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"shard {self.name} did not start: {self.stop()}")
            time.sleep(0.05)

    def sessions(self) -> int:
        return int(httpx.get(f"http://{self.address}/{self.name}/_htmio/health", timeout=5).json()["sessions"])

    def stop(self, how: int = signal.SIGTERM) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(how)
        try:
            _, err = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate(timeout=5)
        return err.decode(errors="replace")


class Visitor:
    """One browser: its own cookies, a session opened through nginx, its page read as HTML."""

    def __init__(self, base: str, everyone: list[Visitor]) -> None:
        everyone.append(self)  # closed by the fixture
        self.client = httpx.Client(base_url=base, timeout=PATIENCE)
        first = self.client.get("/", follow_redirects=False)
        assert first.status_code == 303, (first.status_code, first.text[:300])
        self.url = first.headers["location"]
        self.shard = self.url.split("/")[1]
        self.soup = self.page()

    def page(self) -> BeautifulSoup:
        answer = self.client.get(self.url)
        assert answer.status_code == 200, (answer.status_code, answer.text[:300])
        self.soup = BeautifulSoup(answer.text, "html.parser")
        return self.soup

    def answer(self, text: str) -> None:
        """Fill the form shown now with ``text`` and press its first button, as htmx posts it (204: the
        changes come over the stream), then read the page until the app has shown its next form."""
        form = self.soup.select_one("#htmio-inputs form")
        assert form is not None, self.soup.get_text()[:300]
        data = {"_token": self.soup.body["data-htmio-token"]}
        for field in form.select("input[type=text]"):
            data[field["name"]] = text
        button = next((b for b in form.select("button[name]") if b["name"] != "_action"), None)
        if button is not None:
            data[button["name"]] = button["value"]
        answered = self.client.post(form["action"], data=data, headers={"HX-Request": "true"})
        assert answered.status_code == 204, (answered.status_code, answered.text[:300])
        deadline = time.monotonic() + PATIENCE
        while (self.page().select_one("#htmio-inputs form") or form)["action"] == form["action"]:
            assert time.monotonic() < deadline, f"{self.url}: the app never moved past {form['action']}"
            time.sleep(0.02)

    def sees(self, *texts: str) -> bool:
        shown = self.page().get_text()
        return all(text in shown for text in texts)

    def wait_to_see(self, *texts: str) -> None:
        deadline = time.monotonic() + PATIENCE
        while not self.sees(*texts):
            assert time.monotonic() < deadline, f"{self.url} never showed {texts}: {self.soup.get_text()[-400:]}"
            time.sleep(0.1)

    def first_event(self) -> dict[str, str]:
        """Open the page's stream through nginx and read its first message (the document, or a farewell)."""
        with self.client.stream("GET", self.url + "/events") as stream:
            assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
            [event] = EventReader(stream).read(1)
        return event


@pytest.fixture()
def cluster() -> Iterator[tuple[RedisService, dict[str, Shard], NginxService, list[Visitor]]]:
    shards: dict[str, Shard] = {}
    everyone: list[Visitor] = []
    nginx = None
    with RedisService() as redis:
        try:
            shards.update({name: Shard(name, redis.url) for name in ("p1", "p2", "p3")})
            for shard in shards.values():
                shard.wait_ready()
            port = free_port()
            site = nginx_config({n: s.address for n, s in shards.items()}, listen=f"127.0.0.1:{port}")
            nginx = NginxService(site, port).start()
            yield redis, shards, nginx, everyone
        finally:
            for visitor in everyone:
                visitor.client.close()
            if nginx is not None:
                nginx.stop()
            for shard in shards.values():
                shard.stop()


def test_three_chat_shards_behind_nginx(cluster):
    redis, shards, nginx, everyone = cluster
    visitors = [Visitor(nginx.url, everyone) for _ in range(9)]

    # sessions spread over the processes, and each process holds exactly the sessions nginx sent it
    placed = {name: sum(v.shard == name for v in visitors) for name in shards}
    assert all(placed.values()), placed
    assert {name: shard.sessions() for name, shard in shards.items()} == placed
    assert httpx.get(f"{nginx.url}/p1/_htmio/health").status_code == 404  # asked directly, not through nginx

    # every page and stream answers, through nginx, from the process that owns it
    for number, visitor in enumerate(visitors):
        assert "Your name" in visitor.soup.get_text()
        assert 'id="htmio-doc"' in visitor.first_event()["data"]
        visitor.answer(f"user{number}")

    # a message from each process reaches the sessions on all of them
    senders = {name: next(v for v in visitors if v.shard == name) for name in shards}
    for name, sender in senders.items():
        sender.answer(f"hello from {name}")
    for visitor in visitors:
        visitor.wait_to_see(*(f"hello from {name}" for name in shards))

    # kill -9 one process: its sessions end cleanly, in htmio's words
    doomed = [v for v in visitors if v.shard == "p2"]
    survivors = [v for v in visitors if v.shard != "p2"]
    with doomed[0].client.stream("GET", doomed[0].url + "/events") as open_stream:
        reader = EventReader(open_stream)
        reader.read(1)
        shards["p2"].stop(signal.SIGKILL)
        with pytest.raises(httpx.TransportError):  # the open stream ends (nginx cuts it) instead of hanging
            reader.read(1)
    for visitor in doomed:
        farewell = visitor.first_event()  # the page's reconnect
        assert "This session has ended" in farewell["data"]
        page = visitor.client.get(visitor.url)
        assert page.status_code == 404 and "This session has ended" in page.text
        form = visitor.soup.select_one("#htmio-inputs form")
        # a post to the dead process, body and all: the fallback answers it without the body (no 400 after)
        posted = visitor.client.post(form["action"], headers={"HX-Request": "true"},
                                     data={"_token": "t", "text": "x" * 20_000})
        assert posted.status_code == 404 and "This session has ended" in posted.text
        assert 'hx-target="#htmio-toasts"' in posted.text
        try:  # the next request: a new session elsewhere, never uvicorn's 400 of a broken upstream connection
            again = visitor.client.get("/", follow_redirects=False)
        except httpx.RemoteProtocolError:
            # nginx may close the browser's kept-alive connection after a post whose body it did not read;
            # a browser then sends the request again on a new connection, and so does this test
            again = visitor.client.get("/", follow_redirects=False)
        assert again.status_code == 303 and not again.headers["location"].startswith("/p2/")

    # the others keep working, and still hear each other across processes
    survivors[0].answer("after the crash")
    for visitor in survivors:
        visitor.wait_to_see("after the crash")

    # new sessions land only on live processes
    newcomers = [Visitor(nginx.url, everyone) for _ in range(6)]
    assert {v.shard for v in newcomers} == {"p1", "p3"}

    # a fourth process and `nginx -s reload`: no running session notices, and new ones reach it
    shards["p4"] = Shard("p4", redis.url)
    shards["p4"].wait_ready()
    live = {n: s.address for n, s in shards.items() if n != "p2"}
    nginx.reload(nginx_config(live, listen=f"127.0.0.1:{nginx.port}"))
    running = survivors + newcomers
    for visitor in running:
        assert 'id="htmio-doc"' in visitor.first_event()["data"]
    deadline = time.monotonic() + PATIENCE
    while not any(v.shard == "p4" for v in newcomers[6:]):  # the old workers may still answer a moment
        assert time.monotonic() < deadline, "no new session reached the added process"
        newcomers.append(Visitor(nginx.url, everyone))
    arrival = next(v for v in newcomers if v.shard == "p4")
    gone = doomed[0].client.get(doomed[0].url)  # p2 is no longer in the configuration: still "ended"
    assert gone.status_code == 404 and "This session has ended" in gone.text
    arrival.answer("newcomer")
    arrival.answer("hello from p4")
    survivors[-1].answer("welcome p4")
    for visitor in (*survivors, arrival):
        visitor.wait_to_see("hello from p4", "welcome p4")

    # a rolling restart begins: p1 drains (SIGUSR1); nginx sends new visitors elsewhere, p1's sessions go on
    shards["p1"].proc.send_signal(signal.SIGUSR1)
    health = f"http://{shards['p1'].address}/p1/_htmio/health"
    deadline = time.monotonic() + PATIENCE
    while httpx.get(health, timeout=PATIENCE).status_code != 503:
        assert time.monotonic() < deadline, "p1 never said it was draining"
        time.sleep(0.05)
    later = [Visitor(nginx.url, everyone) for _ in range(6)]
    assert {v.shard for v in later} <= {"p3", "p4"}
    on_p1 = next(v for v in survivors if v.shard == "p1")
    on_p1.answer("still on p1")
    arrival.wait_to_see("still on p1")
    late = later[0]
    late.answer("late one")  # its name
    late.answer("hi from the late one")
    on_p1.wait_to_see("hi from the late one")
