"""The session page keeps the query of the address the user opened (`/?app=a&x=1` -> `/s/<id>?app=a&x=1`),
as PyWebIO's page stays at that address: ``eval_js("location.search")`` and ``info.request`` show it,
a reload shows the same session, a post without JavaScript comes back to it, and a mount prefix or
``path_deploy`` path stays in front of it."""
from __future__ import annotations

import warnings

from bs4 import BeautifulSoup
from fastapi import FastAPI

from htmio.deploy import create_path_app
from htmio.input import input
from htmio.output import put_buttons, put_text
from htmio.platform.fastapi import asgi_app, lifespan
from htmio.server import create_app
from htmio.session import info
from htmio.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SETTINGS = Settings(first_paint_wait=2, settle_timeout=2)


def shown(response) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(response.text, "html.parser").select(".htmio-text")]


def token(response) -> str:
    return str(BeautifulSoup(response.text, "html.parser").body["data-htmio-token"])


def reads_the_query():
    put_text(f"x={info.request.query_params.get('x')}")
    put_buttons(["More"], onclick=[lambda: put_text("more")])
    put_text(f"typed {input('word')}")


def other():
    put_text("other")


def test_the_session_page_keeps_the_query_and_a_reload_shows_the_same_session():
    with TestClient(create_app({"reads": reads_the_query, "other": other}, SETTINGS)) as client:
        first = client.get("/?app=reads&x=1&note=a%20b", follow_redirects=False)
        assert first.status_code == 303
        url = first.headers["location"]
        assert url.startswith("/s/") and url.endswith("?app=reads&x=1&note=a%20b")
        page = client.get(url)
        assert shown(page) == ["x=1"]  # info.request is the request of the address the user opened
        again = client.get(url)
        assert shown(again) == ["x=1"] and token(again) == token(page)  # the same session, not a new one
        stream = BeautifulSoup(page.text, "html.parser").select_one("#htmio-stream")["hx-sse:connect"]
        assert "?after=" in stream and "x=1" not in stream  # the stream's own query is the page's business


def test_posts_without_javascript_come_back_to_the_address_with_its_query():
    with TestClient(create_app(reads_the_query, SETTINGS)) as client:
        url = client.get("/?x=2", follow_redirects=False).headers["location"]
        assert url.endswith("?x=2")
        page = client.get(url)
        soup = BeautifulSoup(page.text, "html.parser")
        click = soup.select_one("form.htmio-buttons")
        answered = client.post(click["action"], data={"_token": token(page), "_index": "0"}, follow_redirects=False)
        assert answered.status_code == 303 and answered.headers["location"] == url
        form = soup.select_one("#htmio-inputs form")
        answered = client.post(form["action"], data={"_token": token(page), "value": "hi"}, follow_redirects=False)
        assert answered.status_code == 303 and answered.headers["location"] == url + "#htmio-inputs"
        assert shown(client.get(url)) == ["x=2", "more", "typed hi"]


def test_an_address_without_a_query_gets_none():
    with TestClient(create_app(other, SETTINGS)) as client:
        url = client.get("/", follow_redirects=False).headers["location"]
        assert "?" not in url and url.startswith("/s/")


def test_a_mounted_app_keeps_its_prefix_and_the_query():
    tools = asgi_app(reads_the_query, first_paint_wait=2)
    host = FastAPI(lifespan=lifespan(tools))
    host.mount("/tools", tools)
    with TestClient(host, root_path="/proxy") as client:
        url = client.get("/proxy/tools/?x=3", follow_redirects=False).headers["location"]
        assert url.startswith("/proxy/tools/s/") and url.endswith("?x=3")
        assert shown(client.get(url)) == ["x=3"]


def test_path_deploy_keeps_the_path_and_query_but_not_its_own_reload(tmp_path):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "report.py").write_text(
        "from htmio.output import put_text\nfrom htmio.session import info\n"
        "def main():\n    put_text('x=' + str(info.request.query_params.get('x')))\n")
    with TestClient(create_path_app(tmp_path, SETTINGS)) as client:
        url = client.get("/tools/report?x=4&reload", follow_redirects=False).headers["location"]
        assert url.startswith("/tools/report/s/") and url.endswith("?x=4")
        page = client.get(url)
        assert page.status_code == 200 and shown(page) == ["x=4"]
        assert client.get(url).status_code == 200  # a reload would load the file anew with `reload`: it stayed behind
