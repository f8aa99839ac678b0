"""Several apps on one server, config() in the page head, and mounting inside another app."""
from __future__ import annotations

import warnings

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI

from htmio.apps import PageConfig, collect_apps, set_global_config
from htmio.input import input
from htmio.output import put_text
from htmio.platform import config
from htmio.platform.fastapi import asgi_app, lifespan, webio_routes
from htmio.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(autouse=True)
def fresh_global_config():
    set_global_config(PageConfig())
    yield
    set_global_config(PageConfig())


def home():
    """Home

    The start page."""
    put_text("at home")


def report():
    """Monthly report

    Figures of the month."""
    put_text("the report")
    input("more?")


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_a_list_of_apps_gets_an_index_with_titles_and_descriptions():
    with TestClient(asgi_app([home, report], first_paint_wait=2)) as client:
        index = client.get("/")
        assert index.status_code == 200
        links = soup_of(index).select(".htmio-index a")
        assert [(a.get_text(), a["href"]) for a in links] == [("Home", "/?app=home"), ("Monthly report", "/?app=report")]
        assert "Figures of the month." in index.text
        page = client.get("/?app=report")
        assert [p.get_text() for p in soup_of(page).select(".htmio-text")] == ["the report"]
        assert soup_of(page).title.get_text() == "Monthly report"


def test_a_dict_with_an_index_app_starts_there_and_unknown_apps_are_listed():
    with TestClient(asgi_app({"index": home, "r": report}, first_paint_wait=2)) as client:
        assert [p.get_text() for p in soup_of(client.get("/")).select(".htmio-text")] == ["at home"]
        missing = client.get("/?app=nope")
        assert missing.status_code == 404
        assert "no app named" in missing.text and "?app=r" in missing.text


def test_app_names_must_be_unique_and_callable():
    def a():
        pass

    with pytest.raises(ValueError, match="two apps are named 'a'"):
        collect_apps([a, a])
    with pytest.raises(TypeError, match="not a function"):
        collect_apps({"x": 3})


def test_config_decorator_sets_the_head_of_its_app_only():
    @config(title="Tools", description="Small tools", theme="dark", css_style=".x{color:red}",
            js_code="window.configured = 1", css_file="/extra.css", js_file=["/a.js", "/b.js"])
    def tools():
        put_text("x")

    with TestClient(asgi_app({"tools": tools, "home": home}, first_paint_wait=2)) as client:
        soup = soup_of(client.get("/?app=tools"))
        assert soup.title.get_text() == "Tools"
        assert soup.select_one('meta[name="description"]')["content"] == "Small tools"
        assert soup.html["data-theme"] == "dark"
        assert soup.select_one('link[href="/extra.css"]') and soup.select_one('script[src="/b.js"]')
        assert ".x{color:red}" in soup.select_one("style").get_text()
        assert "window.configured = 1" in soup.get_text() or any(
            "window.configured" in s.get_text() for s in soup.select("script"))
        other = soup_of(client.get("/?app=home"))
        assert other.title.get_text() == "Home" and not other.html.has_attr("data-theme")


def test_config_called_plainly_applies_to_every_app_and_set_env_overrides_the_title():
    from htmio.session import set_env

    def titled():
        set_env(title="Per session")

    config(title="Everywhere", theme="light")
    with TestClient(asgi_app({"a": home, "b": titled}, first_paint_wait=2)) as client:
        assert soup_of(client.get("/?app=a")).title.get_text() == "Everywhere"
        page = soup_of(client.get("/?app=b"))
        assert page.title.get_text() == "Per session" and page.html["data-theme"] == "light"


def test_config_refuses_unknown_themes():
    with pytest.raises(ValueError, match="auto, light, dark"):
        config(theme="neon")


def test_two_apps_mounted_side_by_side_behind_a_prefix_and_a_proxy_root_path():
    tools = asgi_app(report, first_paint_wait=2)
    admin = asgi_app(home, first_paint_wait=2)
    host = FastAPI(lifespan=lifespan(tools, admin))

    @host.get("/")
    def root():
        return {"host": True}

    host.mount("/tools", tools)
    host.mount("/admin", admin)
    # behind a proxy that strips /proxy (uvicorn --root-path /proxy): paths arrive with the prefix on
    with TestClient(host, root_path="/proxy") as client:
        assert client.get("/proxy/").json() == {"host": True}
        first = client.get("/proxy/tools/", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/proxy/tools/s/")
        page = client.get(first.headers["location"])
        soup = soup_of(page)
        assert [p.get_text() for p in soup.select(".htmio-text")] == ["the report"]
        form = soup.select_one("#htmio-inputs form")
        assert form["action"].startswith("/proxy/tools/s/")
        assert soup.select_one("#htmio-stream")["hx-sse:connect"].startswith("/proxy/tools/s/")
        assert soup.select_one('link[rel="stylesheet"]')["href"] == "/proxy/tools/_htmio/static/htmio.css"
        assert client.get("/proxy/tools/_htmio/static/htmio.css").status_code == 200
        answered = client.post(form["action"], data={"_token": soup.body["data-htmio-token"], "value": "x"},
                               follow_redirects=False)
        assert answered.status_code == 303 and answered.headers["location"].startswith("/proxy/tools/s/")
        admin_page = client.get("/proxy/admin/", follow_redirects=True)
        assert [p.get_text() for p in soup_of(admin_page).select(".htmio-text")] == ["at home"]
        client.get("/proxy/tools/")  # one more session, left waiting on its input
        [session] = [s for s in tools.state.htmio.sessions.values() if not s.closed]
    assert session.closed and session.close_reason == "server stopped"  # the host's lifespan ended it


def test_webio_routes_serve_an_app_at_the_root_of_another():
    from starlette.applications import Starlette

    with TestClient(Starlette(routes=webio_routes(home))) as client:
        page = client.get("/", follow_redirects=True)
        assert "at home" in page.text


def test_workers_are_refused_with_a_reason(capsys):
    from htmio.cli import main

    assert main(["serve", "examples/hello.py", "--workers", "4"]) == 2
    assert "a session is a live thread" in capsys.readouterr().err


def test_settings_pass_through_asgi_app():
    app = asgi_app(home, debug=True, max_payload_size="3M", flush_interval=0.05)
    settings: Settings = app.state.htmio.settings
    assert settings.debug and settings.max_body_size == 3 << 20 and settings.flush_interval == 0.05


def test_start_server_takes_htmio_variables_for_the_settings_it_has_no_argument_for():
    from htmio.platform import _server_settings

    env = {"HTMIO_MAX_BATCH": "50", "HTMIO_DEBUG": "1", "HTMIO_PORT": "1234", "HTMIO_MAX_BODY_SIZE": "10"}
    settings = _server_settings(env, "127.0.0.1", 8080, False, "3M")
    assert settings.max_batch == 50 and settings.debug is True
    assert settings.port == 8080 and settings.host == "127.0.0.1"  # the arguments win
    assert settings.max_body_size == 3 * 1024 * 1024
    assert _server_settings({}, "127.0.0.1", 8080, False, "200M").debug is False
    with pytest.raises(ValueError, match="HTMIO_MAX_BATCH='many' is not a valid int"):
        _server_settings({"HTMIO_MAX_BATCH": "many"}, "127.0.0.1", 8080, False, "200M")
