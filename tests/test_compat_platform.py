"""PyWebIO programs that import their server, helpers and settings the PyWebIO way run on htmio: the
runtime dependencies of htmio.testing, ``enable_debug`` and ``htmio.utils``, ``htmio.platform``'s other
names and backend modules, the themes, partials as apps, ``main`` as a dict, and ``@config`` on one
function shared by several apps (issue 12)."""
from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from bs4 import BeautifulSoup

import htmio
from htmio.apps import PageConfig, collect_apps, set_global_config
from htmio.input import input, textarea
from htmio.output import put_text
from htmio.platform import config
from htmio.platform.fastapi import asgi_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def fresh_global_config(monkeypatch):
    monkeypatch.delenv("HTMIO_THEME", raising=False)
    monkeypatch.delenv("PYWEBIO_THEME", raising=False)
    set_global_config(PageConfig())
    yield
    set_global_config(PageConfig())


@pytest.fixture
def captured_run(monkeypatch):
    """``uvicorn.run`` replaced: start_server returns at once, and the test gets the ASGI app and the
    arguments it would have served."""
    calls: list[dict[str, Any]] = []

    def run(app: Any, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(uvicorn, "run", run)
    return calls


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def texts(response) -> list[str]:
    return [p.get_text() for p in soup_of(response).select(".htmio-text")]


def greet(name, greeting="hello"):
    """Greeter

    Says hello to someone."""
    put_text(greeting, name)


# ---- item 2: what htmio.testing imports is installed with htmio ------------------------------------

def test_the_test_client_s_libraries_are_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {dep.split(">")[0].split("=")[0].split("[")[0].strip().lower() for dep in project["dependencies"]}
    # htmio.testing parses pages with BeautifulSoup and drives the app with Starlette's TestClient (httpx)
    source = (ROOT / "htmio" / "testing.py").read_text()
    assert "from bs4 import" in source and "starlette.testclient" in source
    assert {"beautifulsoup4", "httpx"} <= names, sorted(names)


# ---- item 3: enable_debug and htmio.utils -----------------------------------------------------------

@pytest.fixture
def restore_logging():
    import htmio.platform as platform

    loggers = [logging.getLogger(n) for n in platform._DEBUG_LOGGERS]
    saved = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    yield
    for lg, level, handlers in saved:
        lg.setLevel(level)
        lg.handlers[:] = handlers
    platform._debug["on"] = False


def test_enable_debug_sends_htmio_logs_to_stderr_and_the_server_logs_at_debug(restore_logging, capsys, captured_run):
    htmio.enable_debug()
    htmio.enable_debug()  # twice: still one handler, one line per record
    logging.getLogger("htmio").debug("a detail of session %s", "abc")
    err = capsys.readouterr().err
    assert err.count("a detail of session abc") == 1 and "DEBUG htmio" in err
    htmio.start_server(greet, port=free_port())
    assert captured_run[0]["log_level"] == "debug"


def test_enable_debug_takes_a_level(restore_logging, capsys):
    htmio.enable_debug(logging.WARNING)
    logging.getLogger("htmio").info("not shown")
    logging.getLogger("htmio").warning("shown")
    err = capsys.readouterr().err
    assert "shown" in err and "not shown" not in err


def test_run_as_function_and_to_coroutine_drive_one_body_in_both_session_kinds(open_app):
    from htmio.utils import run_as_function, to_coroutine

    def body():
        name = yield input("name")
        put_text("hi", name)
        return name

    returned: list[str] = []

    def thread_main():
        returned.append(run_as_function(body()))

    async def coro_main():
        returned.append(await to_coroutine(body()))

    for main in (thread_main, coro_main):
        page = open_app(main)
        page.submit("Ada")
        assert page.texts() == ["hi Ada"]
    assert returned == ["Ada", "Ada"]


def test_function_checks_look_through_partials():
    from htmio.utils import get_function_name, iscoroutinefunction, isgeneratorfunction

    async def amain(x):
        pass

    def steps(n):
        yield n

    assert iscoroutinefunction(functools.partial(functools.partial(amain), 1))
    assert not iscoroutinefunction(functools.partial(greet, "x"))
    assert isgeneratorfunction(functools.partial(steps, 2)) and not isgeneratorfunction(greet)
    assert get_function_name(functools.partial(functools.partial(greet, "a"), greeting="b")) == "greet"
    assert get_function_name(object(), "fallback") == "fallback"


def run_coroutine(coro: Any) -> Any:
    """``asyncio.run`` in a thread of its own (a browser test's Playwright keeps a loop running in this one)."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(coro)))
    thread.start()
    thread.join(30)
    return result[0]


def test_ports_free_and_waited_for():
    from htmio.utils import get_free_port, wait_host_port

    port = get_free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # it is free
        sock.listen()
        assert run_coroutine(wait_host_port("127.0.0.1", port, duration=2, delay=0.05)) is True
    started = time.monotonic()
    assert run_coroutine(wait_host_port("127.0.0.1", port, duration=0.3, delay=0.05)) is False
    assert time.monotonic() - started < 2


def test_small_helpers():
    from htmio.utils import check_dom_name_value, parse_file_size, random_str

    a, b = random_str(), random_str(40)
    assert len(a) == 16 and len(b) == 40 and a.isalnum() and b.isalnum() and a != random_str()
    assert parse_file_size("20M") == 20 << 20 and parse_file_size("32k") == 32 << 10
    assert parse_file_size("15mb") == 15 << 20 and parse_file_size(1.5) == 1 and parse_file_size(7) == 7
    check_dom_name_value("main-area_2")
    with pytest.raises(ValueError, match=r"scope name 'a b#' contains ' #'"):
        check_dom_name_value("a b#", "scope name")


def test_containers():
    from htmio.utils import LimitedSizeQueue, LRUDict, ObjectDictProxy, ReadOnlyObjectDict

    lru = LRUDict(a=1, b=2, c=3)
    lru["a"] = 4
    assert list(lru) == ["b", "c", "a"]

    store: dict[str, Any] = {}
    holder = {"d": store}
    data = ObjectDictProxy(lambda: holder["d"])
    data.name = "Ada"
    data["n"] = 1
    assert store == {"name": "Ada", "n": 1} and data.age is None and "name" in data and len(data) == 2
    del data.name
    del data.missing  # no error, as in PyWebIO
    assert data._dict is store and list(data) == ["n"]
    holder["d"] = {"other": True}  # the proxy reads the dict anew each time
    assert data.other is True
    with pytest.raises(AttributeError, match="underscore"):
        data._private = 1

    info = ReadOnlyObjectDict(lambda: {"user_agent": "PC / Linux"})
    assert info.user_agent == "PC / Linux" and info["user_agent"] == "PC / Linux"
    with pytest.raises(NotImplementedError, match="read-only"):
        info.user_agent = "x"
    with pytest.raises(NotImplementedError, match="read-only"):
        del info["user_agent"]

    q = LimitedSizeQueue(maxsize=2)
    assert q.get() == []
    q.put("a")
    q.put("b")
    assert q.full()
    taker = threading.Timer(0.1, q.get)
    taker.start()
    started = time.monotonic()
    q.wait_empty(timeout=5)
    assert q.empty() and time.monotonic() - started < 4
    taker.join()
    q.put("c")
    assert q.get() == ["c"]


def test_static_path_and_pyinstaller_datas():
    from htmio.utils import STATIC_PATH, pyinstaller_datas

    assert htmio.STATIC_PATH == STATIC_PATH and Path(STATIC_PATH, "htmio.js").is_file()
    datas = pyinstaller_datas()
    assert [target for _, target in datas] == ["htmio/static", "htmio/templates"]
    assert all(Path(source).is_dir() for source, _ in datas)
    assert pyinstaller_datas(cli_args=True) == "".join(f" --add-data {s}{os.pathsep}{t}" for s, t in datas)


# ---- item 4: htmio.platform's other names and backend modules ---------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_seo_is_a_deprecated_config_of_title_and_description():
    from htmio.platform import seo

    def plain():
        put_text("x")

    with pytest.warns(DeprecationWarning, match=r"config\(title=..., description=...\)"):
        app = seo("Reports", "Monthly figures", plain)
    with pytest.warns(DeprecationWarning):
        other = seo("Tools")(lambda: put_text("y"))
    with TestClient(asgi_app({"a": app, "b": other, "c": plain}, first_paint_wait=2)) as client:
        page = soup_of(client.get("/?app=a"))
        assert page.title.get_text() == "Reports"
        assert page.select_one('meta[name="description"]')["content"] == "Monthly figures"
        assert soup_of(client.get("/?app=b")).title.get_text() == "Tools"
        assert soup_of(client.get("/?app=c")).title.get_text() == "c"  # the global config is untouched


def test_run_event_loop_runs_a_loop_in_its_thread_until_stopped():
    from htmio.platform import _event_loops, run_event_loop

    thread = threading.Thread(target=run_event_loop, kwargs={"debug": True}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not _event_loops and time.monotonic() < deadline:
        time.sleep(0.01)
    [loop] = _event_loops
    assert asyncio.run_coroutine_threadsafe(asyncio.sleep(0, "ran"), loop).result(5) == "ran"
    assert loop.get_debug()
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    assert not thread.is_alive() and loop.is_closed()


def test_path_deploy_http_is_path_deploy(tmp_path, captured_run):
    from htmio.platform import path_deploy_http

    (tmp_path / "hello.py").write_text("from htmio.output import put_text\n\ndef main():\n    put_text('from a file')\n")
    path_deploy_http(str(tmp_path), port=free_port(), session_expire_seconds=60, compress_response=True)
    [call] = captured_run
    with TestClient(call["app"]) as client:
        assert texts(client.get("/hello")) == ["from a file"]


BACKENDS = [
    # module, the framework's own keyword arguments a program passes, the default port (0: a free one)
    ("tornado", {"compress_response": True, "reconnect_timeout": 60}, 0),
    ("tornado_http", {"session_expire_seconds": 60, "session_cleanup_interval": 30}, 8080),
    ("aiohttp", {"websocket_settings": {"autoping": True}, "client_max_size": 1 << 20}, 0),
    ("fastapi", {"timeout_keep_alive": 7}, 0),
    ("flask", {"threaded": True, "session_expire_seconds": 60}, 8080),
    ("django", {"ALLOWED_HOSTS": ["*"], "session_cleanup_interval": 30}, 8080),
]


@pytest.mark.parametrize(("module", "options", "default_port"), BACKENDS, ids=[b[0] for b in BACKENDS])
def test_each_backend_module_s_start_server_runs_htmio(module, options, default_port, captured_run):
    backend = importlib.import_module(f"htmio.platform.{module}")

    backend.start_server(greet, port=0, host="127.0.0.1", **options)
    backend.start_server({"index": functools.partial(greet, "Ada"), "b": greet}, **options)
    first, second = captured_run
    assert first["host"] == "127.0.0.1" and first["port"] > 0
    if default_port:
        assert second["port"] == default_port
    if module == "fastapi":  # uvicorn's own settings reach uvicorn
        assert first["timeout_keep_alive"] == 7
    with TestClient(second["app"]) as client:
        assert texts(client.get("/")) == ["hello Ada"]


@pytest.mark.parametrize("call", [
    "tornado.webio_handler", "tornado_http.webio_handler", "aiohttp.webio_handler", "aiohttp.static_routes",
    "flask.webio_view", "flask.wsgi_app", "django.webio_view", "django.wsgi_app",
])
def test_hosting_inside_another_framework_says_what_to_do(call):
    module, name = call.split(".")
    function = getattr(importlib.import_module(f"htmio.platform.{module}"), name)
    args = () if name == "static_routes" else (greet,)
    with pytest.raises(NotImplementedError) as raised:
        function(*args)
    message = str(raised.value)
    assert f"htmio.platform.{call}()" in message
    assert "htmio.platform.fastapi.asgi_app" in message and "reverse proxy" in message
    assert "htmio.start_server" in message


def test_flask_module_has_run_event_loop():
    from htmio.platform import flask

    assert flask.run_event_loop is htmio.platform.run_event_loop


def test_a_program_importing_tornado_s_start_server_serves_for_real(tmp_path):
    port = free_port()
    app = tmp_path / "prog.py"
    app.write_text(
        "from htmio.output import put_text\n"
        "from htmio.platform.tornado import start_server\n\n"
        "def main():\n    put_text('served by htmio')\n\n"
        f"start_server(main, port={port}, host='127.0.0.1', compress_response=True, reconnect_timeout=30)\n"
    )
    server = subprocess.Popen([sys.executable, str(app)], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        assert texts(response) == ["served by htmio"]
    finally:
        server.terminate()
        server.wait(10)
        if server.stderr:
            server.stderr.close()


# ---- item 5: the themes ------------------------------------------------------------------------------

@pytest.mark.parametrize("theme", ["sketchy", "minty", "yeti"])
def test_each_pywebio_theme_has_its_own_stylesheet_loaded_only_where_chosen(theme):
    @config(theme=theme)
    def themed():
        put_text("x")

    with TestClient(asgi_app({"themed": themed, "plain": greet}, first_paint_wait=2)) as client:
        page = soup_of(client.get("/?app=themed"))
        assert page.html["data-theme"] == theme
        [link] = [ln["href"] for ln in page.select('link[rel="stylesheet"]') if "/themes/" in ln["href"]]
        assert link == f"/_htmio/static/themes/{theme}.css"
        css = client.get(link)
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        assert f':root[data-theme="{theme}"]' in css.text and "light-dark(" in css.text
        plain = soup_of(client.get("/?app=plain"))
        assert not [ln for ln in plain.select("link") if "/themes/" in ln.get("href", "")]


def test_the_theme_variable_wins_over_config(monkeypatch):
    @config(theme="dark")
    def themed():
        put_text("x")

    monkeypatch.setenv("PYWEBIO_THEME", "minty")
    with TestClient(asgi_app({"a": themed, "b": greet}, first_paint_wait=2)) as client:
        assert soup_of(client.get("/?app=a")).html["data-theme"] == "minty"
        index = soup_of(client.get("/"))
        assert index.html["data-theme"] == "minty" and index.select_one('link[href$="/themes/minty.css"]')
    monkeypatch.setenv("HTMIO_THEME", "yeti")  # htmio's own name first
    with TestClient(asgi_app(themed, first_paint_wait=2)) as client:
        assert soup_of(client.get("/")).html["data-theme"] == "yeti"
    monkeypatch.setenv("HTMIO_THEME", "neon")
    with pytest.raises(ValueError, match=r"HTMIO_THEME='neon'.*sketchy, minty, yeti"):
        collect_apps(themed)


def test_default_still_means_light_and_unknown_themes_are_refused():
    assert config(theme="default")(greet)  # PyWebIO's name for the light theme
    with pytest.raises(ValueError, match=r"'neon' is not a theme.*auto, light, dark, sketchy, minty, yeti"):
        config(theme="neon")


# ---- item 6: partials as apps, main as a dict ------------------------------------------------------------

def test_partials_are_named_and_titled_after_their_function():
    def other():
        put_text("other")

    apps = collect_apps([functools.partial(greet, "Ada"), other])
    assert list(apps) == ["greet", "other"]
    assert apps["greet"].title == "Greeter" and apps["greet"].description == "Says hello to someone."
    with TestClient(asgi_app([functools.partial(greet, "Ada", greeting="hi"), other], first_paint_wait=2)) as client:
        index = soup_of(client.get("/"))
        assert [a.get_text() for a in index.select(".htmio-index a")] == ["Greeter", "other"]
        assert texts(client.get("/?app=greet")) == ["hi Ada"]
    assert list(collect_apps(functools.partial(greet, "x"))) == ["greet"]


def test_htmio_serve_takes_a_module_whose_main_is_a_dict_of_apps(tmp_path, captured_run):
    from htmio.cli import main as cli

    app = tmp_path / "several.py"
    app.write_text(
        "import functools\n"
        "from htmio.output import put_text\n\n"
        "def hello(who):\n    put_text('hello', who)\n\n"
        "def bye():\n    put_text('bye')\n\n"
        "main = {'index': functools.partial(hello, 'world'), 'bye': bye}\n"
    )
    assert cli(["serve", str(app), "--port", str(free_port())]) == 0
    [call] = captured_run
    with TestClient(call["app"]) as client:
        assert texts(client.get("/")) == ["hello world"]
        assert texts(client.get("/?app=bye")) == ["bye"]


def test_htmio_serve_takes_a_list_and_refuses_a_dict_of_non_functions(tmp_path, captured_run):
    from htmio.cli import main as cli
    from htmio.deploy import AppLoadError, load_app

    listed = tmp_path / "listed.py"
    listed.write_text("from htmio.output import put_text\n\ndef a():\n    put_text('a')\n\n"
                      "def b():\n    put_text('b')\n\nmain = [a, b]\n")
    assert cli(["serve", str(listed), "--port", str(free_port())]) == 0
    with TestClient(captured_run[0]["app"]) as client:
        assert [a.get_text() for a in soup_of(client.get("/")).select(".htmio-index a")] == ["a", "b"]
    bad = tmp_path / "bad.py"
    bad.write_text("main = {'a': 3}\n")
    with pytest.raises(AppLoadError, match="bad.py: main.*'a' is 3, not a function"):
        load_app(bad)


# ---- item 7: @config on one function shared by several apps ---------------------------------------------

def test_one_function_configured_twice_keeps_each_config():
    def shared():
        """Shared

        One function, two apps."""
        put_text("shared")

    apps = {"a": config(theme="dark", title="A")(shared), "b": config(theme="minty")(shared),
            "c": functools.partial(config(title="C")(shared)), "d": shared}
    with TestClient(asgi_app(apps, first_paint_wait=2)) as client:
        a, b, c, d = (soup_of(client.get(f"/?app={name}")) for name in "abcd")
    assert (a.html["data-theme"], a.title.get_text()) == ("dark", "A")
    assert (b.html["data-theme"], b.title.get_text()) == ("minty", "Shared")
    assert c.title.get_text() == "C" and not c.html.has_attr("data-theme")
    assert d.title.get_text() == "Shared" and not d.html.has_attr("data-theme")
    assert [p.get_text() for p in a.select(".htmio-text")] == ["shared"]
    assert config(title="x")(shared).__name__ == "shared" and config(title="x")(shared).__wrapped__ is shared


def test_config_decorators_stack_and_keep_async_apps_async(open_app):
    @config(title="Outer", css_file="/b.css")
    @config(theme="yeti", css_file="/a.css")
    async def main():
        put_text("async", await input("name"))

    assert asyncio.iscoroutinefunction(main)
    page = open_app(main)
    assert page.soup.html["data-theme"] == "yeti" and page.soup.title.get_text() == "Outer"
    assert [ln["href"] for ln in page.soup.select('link[href$=".css"]')][-2:] == ["/a.css", "/b.css"]
    page.submit("Ada")
    assert page.texts() == ["async Ada"]


def test_config_called_plainly_is_still_global():
    config(title="Everywhere")

    def code_app():
        put_text("code", textarea("src", code={"mode": "python"}))

    with TestClient(asgi_app({"a": greet, "b": code_app}, first_paint_wait=2)) as client:
        assert soup_of(client.get("/?app=a")).title.get_text() == "Everywhere"
        assert soup_of(client.get("/?app=b")).title.get_text() == "Everywhere"
