"""Shards: one process among several behind a balancer serves under its own prefix, says how it is,
drains for a restart, and answers "session ended" for a process that is gone (issue 15, points 1-2)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings

import httpx
import pytest
from bs4 import BeautifulSoup

from htmio.balancer import nginx_config, parse_shards
from htmio.cli import main as cli
from htmio.deploy import create_path_app
from htmio.input import input
from htmio.output import put_text
from htmio.platform import start_server
from htmio.server import create_app, drain_process
from htmio.settings import Settings
from tests.live import first_page, read_events
from tests.nginx_service import NginxService, free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def greet():
    put_text("hello there")
    name = input("Your name")
    put_text(f"hi {name}")


def soup_of(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture()
def shard_p1():
    app = create_app(greet, Settings(shard="p1", first_paint_wait=2))
    with TestClient(app) as client:
        yield app, client
    drain_process(False)


def test_every_url_a_shard_makes_starts_with_its_prefix(shard_p1):
    app, client = shard_p1
    first = client.get("/p1/", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/p1/s/")
    assert "Path=/p1/" in first.headers["set-cookie"]
    page = client.get(first.headers["location"])
    soup = soup_of(page)
    assert [p.get_text() for p in soup.select(".htmio-text")] == ["hello there"]
    form = soup.select_one("#htmio-inputs form")
    assert form["action"].startswith("/p1/s/")
    assert soup.select_one("#htmio-stream")["hx-sse:connect"].startswith("/p1/s/")
    assets = [tag.get("href") or tag.get("src") for tag in soup.select("link[href], script[src]")
              if not (tag.get("href") or tag.get("src")).startswith("data:")]  # the empty favicon
    assert assets and all(url.startswith("/p1/_htmio/static/") for url in assets), assets
    assert all(client.get(url).status_code == 200 for url in assets)
    answered = client.post(form["action"], data={"_token": soup.body["data-htmio-token"], "value": "Ann"},
                           follow_redirects=False)
    assert answered.status_code == 303 and answered.headers["location"].startswith("/p1/s/")
    assert "hi Ann" in client.get(answered.headers["location"]).text


def test_a_new_visitor_at_the_balancer_s_root_gets_a_session_under_the_prefix(shard_p1):
    _, client = shard_p1
    first = client.get("/", follow_redirects=False)  # nginx sends / to any process unchanged
    assert first.status_code == 303 and first.headers["location"].startswith("/p1/s/")
    assert client.get("/p1", follow_redirects=False).headers["location"].startswith("/p1/s/")


@pytest.mark.parametrize("name", ["P1", "1p", "p", "p-1", "p1/x", "a" * 17, "static", ""])
def test_shard_names_are_checked_with_a_clear_error(name):
    if name == "":  # empty means no shard at all
        assert create_app(greet, Settings(shard=name))
        return
    with pytest.raises(ValueError, match=r"not a valid shard name: use 2 to 16 lowercase letters and digits"):
        create_app(greet, Settings(shard=name))


def test_htmio_serve_refuses_a_bad_shard_and_a_bad_htmio_shard(capsys, monkeypatch):
    assert cli(["serve", "examples/hello.py", "--shard", "P 1", "--port", "0"]) == 2
    assert "--shard='P 1' is not a valid shard name" in capsys.readouterr().err
    monkeypatch.setenv("HTMIO_SHARD", "x")
    assert cli(["serve", "examples/hello.py", "--port", "0"]) == 2
    assert "shard='x' is not a valid shard name" in capsys.readouterr().err


def test_workers_are_refused_with_a_pointer_to_shards(capsys):
    assert cli(["serve", "examples/hello.py", "--workers", "3"]) == 2
    err = capsys.readouterr().err
    assert "--shard p1 --port 8001" in err and "htmio deploy nginx" in err and "docs/deploy.md" in err
    with pytest.raises(ValueError, match="shard='p1'.*htmio deploy nginx"):
        start_server(greet, port=free_port(), host="127.0.0.1", workers=2)


def test_health_says_up_with_the_shard_and_its_sessions_and_opens_none(shard_p1):
    app, client = shard_p1
    for url in ("/p1/_htmio/health", "/_htmio/health"):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
        assert answer.json()["status"] == "ok" and answer.json()["shard"] == "p1"
        assert answer.json()["sessions"] == 0
    assert app.state.htmio.sessions == {}
    proxied = client.get("/p1/_htmio/health", headers={"X-Forwarded-For": "203.0.113.7"})
    assert proxied.status_code == 404 and "not through a proxy" in proxied.text  # visitors need not see it
    client.get("/p1/")
    assert client.get("/p1/_htmio/health").json()["sessions"] == 1


def test_draining_refuses_new_sessions_with_503_and_keeps_running_ones(shard_p1):
    app, client = shard_p1
    page = client.get("/p1/")
    soup = soup_of(page)
    drain_process()
    refused = client.get("/p1/", follow_redirects=False)
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert "This server is restarting" in soup_of(refused).get_text()
    assert len(app.state.htmio.sessions) == 1
    health = client.get("/p1/_htmio/health")
    assert health.status_code == 503 and health.json()["status"] == "draining"
    assert health.json()["sessions"] == 1
    form = soup.select_one("#htmio-inputs form")  # the running session still answers
    answered = client.post(form["action"], data={"_token": soup.body["data-htmio-token"], "value": "Bo"})
    assert "hi Bo" in answered.text
    drain_process(False)
    assert client.get("/p1/", follow_redirects=False).status_code == 303


def test_the_fallback_says_session_ended_for_a_gone_process(shard_p1):
    _, client = shard_p1
    # what nginx asks a live process (p1) when p2 is gone: the original address after /_htmio/gone
    with client.stream("GET", "/_htmio/gone/p2/s/abc/events?after=3") as stream:
        assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
        notice, close = read_events(stream, 2)
    assert "This session has ended" in notice["data"] and close["event"] == "htmio-close"
    page = client.get("/_htmio/gone/p2/s/abc")
    assert page.status_code == 404 and "This session has ended" in soup_of(page).strong.get_text()
    toast = client.post("/_htmio/gone/p2/s/abc/form/1", headers={"HX-Request": "true"})
    assert toast.status_code == 404 and 'hx-target="#htmio-toasts"' in toast.text
    assert "This session has ended" in toast.text
    home = client.get("/_htmio/gone/p2/?app=x", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/?app=x"  # a new session anywhere


def test_a_folder_of_apps_is_served_under_the_shard(tmp_path):
    (tmp_path / "tool.py").write_text("from htmio.input import input\nfrom htmio.output import put_text\n"
                                   "def main():\n    put_text('a tool')\n    input('more?')\n")
    app = create_path_app(tmp_path, Settings(first_paint_wait=2, shard="p2"))  # htmio serve DIR --shard p2
    with TestClient(app) as client:
        first = client.get("/p2/tool", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/p2/tool/s/")
        page = client.get(first.headers["location"])
        assert "a tool" in page.text
        assert soup_of(page).select_one("#htmio-stream")["hx-sse:connect"].startswith("/p2/tool/s/")
        health = client.get("/p2/_htmio/health")  # every app of the folder together
        assert health.status_code == 200 and health.json()["sessions"] == 1 and health.json()["shard"] == "p2"
        drain_process()
        try:
            assert client.get("/p2/tool", follow_redirects=False).status_code == 503
            assert client.get("/p2/_htmio/health").json()["status"] == "draining"
        finally:
            drain_process(False)
        gone = client.get("/_htmio/gone/p5/tool/s/abc")  # the fallback for a dead shard's page
        assert gone.status_code == 404 and "This session has ended" in gone.text


def until(ask, status: int, patience: float = 20.0) -> httpx.Response:
    """Ask again until the answer has ``status``; fail after ``patience`` seconds (a bound, not a measure)."""
    deadline = time.monotonic() + patience
    while (answer := ask()).status_code != status:
        assert time.monotonic() < deadline, (answer.status_code, answer.text[:200])
        time.sleep(0.02)
    return answer


def test_sigusr1_drains_a_real_process_and_sigusr2_takes_it_back(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "htmio.cli", "serve", "examples/hello.py", "--shard", "p7",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            page = first_page(client, proc)
            assert page.status_code == 200 and page.url.path.startswith("/p7/s/")
            proc.send_signal(signal.SIGUSR1)
            health = until(lambda: client.get("/p7/_htmio/health"), 503)  # the handler runs soon, not at once
            assert health.json() == {**health.json(), "status": "draining", "shard": "p7", "sessions": 1}
            assert client.get("/", follow_redirects=False).status_code == 503
            assert client.get(page.url).status_code == 200  # the running session is kept
            proc.send_signal(signal.SIGUSR2)
            until(lambda: client.get("/p7/_htmio/health"), 200)
            assert client.get("/", follow_redirects=False).status_code == 303
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_deploy_nginx_prints_a_config_nginx_accepts(capsys):
    assert cli(["deploy", "nginx", "--shard", "p1=127.0.0.1:8001", "--shard", "p2=10.0.0.2:8001",
                "--listen", f"127.0.0.1:{free_port()}", "--max-body-size", "1000"]) == 0
    text = capsys.readouterr().out
    assert "location ^~ /p1/ {" in text and "proxy_pass http://htmio_p2;" in text
    assert "server 10.0.0.2:8001 max_fails=1" in text and "client_max_body_size 1049576;" in text
    assert "proxy_pass_request_body off;" in text and "rewrite ^ /_htmio/gone$uri break;" in text
    nginx = NginxService(text, free_port())
    try:
        nginx.check()  # nginx -t on it
    finally:
        nginx.stop()  # removes its folder


@pytest.mark.parametrize(("specs", "message"), [
    (["p1"], "write NAME=HOST:PORT"),
    (["P1=127.0.0.1:8001"], "not a valid shard name"),
    (["p1=127.0.0.1"], "is not HOST:PORT"),
    (["p1=127.0.0.1:99999"], "is not HOST:PORT"),
    (["p1=127.0.0.1:8001", "p1=127.0.0.1:8002"], "given twice"),
    (["p1=127.0.0.1:8001", "p2=127.0.0.1:8001"], "already the shard 'p1'"),
])
def test_deploy_refuses_bad_shards_saying_what_is_wrong(specs, message):
    with pytest.raises(ValueError, match=message):
        parse_shards(specs)


def test_deploy_nginx_exits_2_on_a_bad_shard(capsys):
    assert cli(["deploy", "nginx", "--shard", "p1=nowhere"]) == 2
    assert "'nowhere' is not HOST:PORT" in capsys.readouterr().err


def test_the_config_keeps_the_fallback_s_headers():
    # a location that sets any proxy_set_header inherits none from the server block: the fallback repeats them
    fallback = nginx_config({"p1": "127.0.0.1:8001"}).split("location @htmio_gone")[1]
    assert 'proxy_set_header Connection "";' in fallback and "proxy_set_header Host $host;" in fallback


@pytest.mark.parametrize("how", ["start_server(shard=)", "HTMIO_SHARD"])
def test_a_real_process_serves_under_its_shard_however_it_is_named(tmp_path, how):
    port = free_port()
    app = tmp_path / "app.py"
    body = "from htmio.input import input\ndef main():\n    input('name')\n"
    env = dict(os.environ)
    if how == "HTMIO_SHARD":
        app.write_text(body)
        env["HTMIO_SHARD"] = "q2"
        command = [sys.executable, "-m", "htmio.cli", "serve", str(app), "--port", str(port)]
    else:
        app.write_text(body + f"from htmio import start_server\nstart_server(main, port={port}, host='127.0.0.1', "
                              "shard='q2')\n")
        command = [sys.executable, str(app)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            page = first_page(client, proc)
            assert page.status_code == 200 and page.url.path.startswith("/q2/s/")
            assert soup_of(page).select_one("#htmio-inputs form")["action"].startswith("/q2/s/")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"127.0.0.1:{port}/q2/" in out.decode()  # the address it prints carries the prefix
