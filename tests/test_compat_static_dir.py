"""PyWebIO's ``static_dir``: a folder of the app's own files served at ``/static/`` (``put_image('/static/
logo.png')``, ``config(css_file='/static/app.css')``), under a mount prefix too, with nothing outside the
folder reachable; and the page theme as a setting (``HTMIO_THEME``, ``htmio serve --theme``) (issue 12)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import importlib
import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from bs4 import BeautifulSoup
from fastapi import FastAPI

import htmio
from htmio.apps import PageConfig, set_global_config
from htmio.deploy import create_path_app
from htmio.output import put_image, put_text
from htmio.platform import config
from htmio.platform.fastapi import asgi_app
from htmio.server import create_app
from htmio.settings import Settings, settings_help
from htmio.testing import AppClient
from tests.live import first_page

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

# a real PNG (1x1, transparent): the bytes must come back as they are
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
CSS = "#pywebio-scope-board { border: 1px solid #ccc; }\n"


@pytest.fixture(autouse=True)
def fresh_global_config(monkeypatch):
    for variable in ("HTMIO_THEME", "PYWEBIO_THEME", "HTMIO_STATIC_DIR"):
        monkeypatch.delenv(variable, raising=False)
    set_global_config(PageConfig())
    yield
    set_global_config(PageConfig())


@pytest.fixture
def site(tmp_path):
    """A project as PyWebIO users lay it out: the static folder beside a secret that must stay private."""
    assets = tmp_path / "assets"
    (assets / "css").mkdir(parents=True)
    (assets / "logo.png").write_bytes(PNG)
    (assets / "css" / "app.css").write_text(CSS)
    (assets / "game.js").write_text("$(function () { $('#msg').text('ready'); });\n")
    (assets / "notes.weird-ext").write_bytes(b"\x00\x01raw")
    (assets / "sub").mkdir()
    (tmp_path / "secret.txt").write_text("the password")
    (assets / "link_out").symlink_to(tmp_path)  # a symlink pointing out of the folder
    (assets / "secret_link.txt").symlink_to(tmp_path / "secret.txt")
    (assets / "logo_link.png").symlink_to(assets / "logo.png")  # one staying inside is fine
    return tmp_path


@pytest.fixture
def captured_run(monkeypatch):
    """``uvicorn.run`` replaced: servers return at once, and the test gets the ASGI app they would serve."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    return calls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raw_get(app: Any, path: str, root_path: str = "") -> tuple[int, bytes]:
    """GET ``path`` exactly as given (no client cleans up ``..`` or ``//``), straight through the ASGI app."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": root_path + path, "raw_path": (root_path + path).encode("latin-1", "replace"),
             "root_path": root_path, "query_string": b"", "headers": [(b"host", b"testserver")],
             "client": ("127.0.0.1", 1234), "server": ("testserver", 80)}
    sent: list[dict[str, Any]] = []
    requested: list[bool] = []

    async def run() -> None:
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if not requested:
                requested.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()  # the client hangs up only once the whole answer is in
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await app(scope, receive, send)

    # in a thread of its own: a browser test's playwright may hold a running loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def greet() -> None:
    put_text("hello")


# ---- the files, as a PyWebIO program uses them ---------------------------------------------------------

def test_a_program_s_image_and_stylesheet_come_from_the_static_folder(site):
    @config(css_file="/static/css/app.css")
    def main():
        put_image("/static/logo.png", title="logo")
        put_text("welcome")

    settings = Settings(static_dir=str(site / "assets"), first_paint_wait=5, settle_timeout=5)
    with AppClient(main, settings=settings) as page:
        assert page.texts() == ["welcome"]
        img = page.soup.select_one("img[title=logo]")
        [css] = [link["href"] for link in page.soup.select('link[rel="stylesheet"]') if "app.css" in link["href"]]
        image = page.http.get(img["src"])
        assert (img["src"], image.status_code, image.content) == ("/static/logo.png", 200, PNG)
        assert image.headers["content-type"] == "image/png"
        style = page.http.get(css)
        assert (style.status_code, style.text) == (200, CSS)
        assert style.headers["content-type"] == "text/css; charset=utf-8"


def test_each_file_gets_its_type_and_revalidates(site):
    with TestClient(create_app(greet, Settings(static_dir=str(site / "assets")))) as client:
        script = client.get("/static/game.js")
        assert script.status_code == 200 and script.text.startswith("$(function")
        assert script.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
        odd = client.get("/static/notes.weird-ext")  # no known type: bytes, not text
        assert (odd.content, odd.headers["content-type"]) == (b"\x00\x01raw", "application/octet-stream")
        assert odd.headers["x-content-type-options"] == "nosniff"
        again = client.get("/static/logo.png", headers={"If-None-Match": client.get("/static/logo.png").headers["etag"]})
        assert again.status_code == 304
        assert client.get("/static/logo_link.png").content == PNG  # a symlink inside the folder
        # htmio's own files keep their own address
        assert client.get("/_htmio/static/htmio.css").status_code == 200
        assert client.get("/static/htmio.css").status_code == 404


@pytest.mark.parametrize("path", [
    "/static/missing.png", "/static/sub/", "/static/sub", "/static/",
    "/static/../secret.txt", "/static/css/../../secret.txt", "/static/%2e%2e/secret.txt",
    "/static//etc/passwd", "/static/" + "/" * 3 + "etc/passwd", "/static/link_out/secret.txt",
    "/static/secret_link.txt", "/static/logo.png\x00.txt", "/static/\x00", "/static/..", "/static/css/../../..",
])
def test_nothing_but_the_folder_s_files_is_served(site, path):
    app = create_app(greet, Settings(static_dir=str(site / "assets")))
    assert raw_get(app, "/static/css/../logo.png") == (200, PNG)  # '..' reaches the server, and inside is fine
    status, body = raw_get(app, path)
    assert status == 404, (path, body[:200])
    assert b"the password" not in body and b"root:" not in body


def test_the_files_are_under_a_mount_prefix_and_a_proxy_s_root_path(site):
    tools = asgi_app(greet, static_dir=site / "assets")  # a pathlib.Path, as programs pass it too
    host = FastAPI()
    host.mount("/tools", tools)
    with TestClient(host) as client:
        assert client.get("/tools/static/logo.png").content == PNG
        assert client.get("/static/logo.png").status_code == 404  # the host's own root is not the app's
        assert client.get("/tools/static/missing.png").status_code == 404
    assert raw_get(host, "/tools/static/../../secret.txt")[0] == 404
    # behind a proxy that serves the app under /proxy (uvicorn --root-path /proxy)
    assert raw_get(tools, "/static/logo.png", root_path="/proxy") == (200, PNG)
    assert raw_get(tools, "/static/../secret.txt", root_path="/proxy")[0] == 404


def test_a_missing_static_folder_stops_the_server_at_start_up(site, captured_run):
    missing = site / "asets"
    with pytest.raises(ValueError, match=r"static_dir=.*asets.* does not exist.*/static/"):
        htmio.start_server(greet, port=free_port(), static_dir=str(missing))
    with pytest.raises(ValueError, match=r"static_dir=.*secret\.txt.* is not a folder"):
        htmio.start_server(greet, port=free_port(), static_dir=str(site / "secret.txt"))
    with pytest.raises(ValueError, match="does not exist"):
        htmio.path_deploy(str(site), port=free_port(), static_dir=str(missing))
    with pytest.raises(ValueError, match="does not exist"):
        asgi_app(greet, static_dir=str(missing))
    assert captured_run == []  # nothing was served


@pytest.mark.parametrize("module", ["tornado", "tornado_http", "aiohttp", "flask", "django", "fastapi"])
def test_every_backend_s_start_server_serves_the_static_folder(site, module, captured_run):
    backend = importlib.import_module(f"htmio.platform.{module}")
    backend.start_server(greet, port=free_port(), host="127.0.0.1", static_dir=str(site / "assets"))
    [call] = captured_run
    with TestClient(call["app"]) as client:
        assert client.get("/static/logo.png").content == PNG


def test_htmio_static_dir_is_a_setting_and_the_argument_wins(site, monkeypatch, captured_run):
    assert any(var == "HTMIO_STATIC_DIR" for var, _, _ in settings_help())
    (site / "other").mkdir()
    (site / "other" / "logo.png").write_bytes(b"other logo")
    monkeypatch.setenv("HTMIO_STATIC_DIR", str(site / "assets"))
    htmio.start_server(greet, port=free_port())
    htmio.start_server(greet, port=free_port(), static_dir=str(site / "other"))
    from_env, from_argument = captured_run
    with TestClient(from_env["app"]) as client:
        assert client.get("/static/logo.png").content == PNG
    with TestClient(from_argument["app"]) as client:
        assert client.get("/static/logo.png").content == b"other logo"


# ---- path_deploy -----------------------------------------------------------------------------------------

APP_FILE = "from htmio.output import put_text\ndef main():\n    put_text({text!r})\n"


def test_path_deploy_serves_the_folder_at_its_root_only(site, captured_run):
    apps = site / "apps"
    (apps / "tools").mkdir(parents=True)
    (apps / "tools" / "report.py").write_text(APP_FILE.format(text="report"))
    htmio.path_deploy(str(apps), port=free_port(), static_dir=str(site / "assets"))
    [call] = captured_run
    with TestClient(call["app"]) as client:
        assert client.get("/static/css/app.css").text == CSS
        page = client.get("/tools/report")
        assert [p.get_text() for p in BeautifulSoup(page.text, "html.parser").select(".htmio-text")] == ["report"]
        assert client.get("/tools/report/static/logo.png").status_code == 404  # one address per file
    for path in ("/static/../secret.txt", "/static/link_out/secret.txt", "/static/missing.png", "/static"):
        assert raw_get(call["app"], path)[0] == 404, path
    assert raw_get(call["app"], "/static/logo.png", root_path="/apps") == (200, PNG)


def test_path_deploy_refuses_an_app_the_static_files_would_hide(site):
    apps = site / "apps"
    apps.mkdir()
    (apps / "static.py").write_text(APP_FILE.format(text="an app named static"))
    with pytest.raises(ValueError, match=r"/static/.*hide the app 'static\.py'.*Rename"):
        create_path_app(apps, Settings(static_dir=str(site / "assets")))
    create_path_app(apps, Settings())  # without a static folder the app is fine
    (apps / "static.py").unlink()
    (apps / "static").mkdir()
    (apps / "static" / "tool.py").write_text(APP_FILE.format(text="a tool"))
    with pytest.raises(ValueError, match=r"hide the app 'static/tool\.py'"):
        create_path_app(apps, Settings(static_dir=str(site / "assets")))
    # the usual layout, the static folder inside the apps' folder, holds no app: fine
    (apps / "static" / "tool.py").unlink()
    (apps / "static" / "logo.png").write_bytes(PNG)
    with TestClient(create_path_app(apps, Settings(static_dir=str(apps / "static")))) as client:
        assert client.get("/static/logo.png").content == PNG


# ---- htmio serve --static-dir, --theme ------------------------------------------------------------------

def test_serve_help_lists_the_static_folder_and_the_theme(capsys):
    from htmio.cli import main as cli

    with pytest.raises(SystemExit):
        cli(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--static-dir DIR" in text and "--theme {auto,light,dark,sketchy,minty,yeti,default}" in text
    with pytest.raises(SystemExit):
        cli(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "HTMIO_STATIC_DIR" in text and "HTMIO_THEME" in text


def test_serve_refuses_a_missing_static_folder_with_a_message(site, capsys, captured_run):
    from htmio.cli import main as cli

    app = site / "app.py"
    app.write_text(APP_FILE.format(text="hi"))
    assert cli(["serve", str(app), "--static-dir", str(site / "nope"), "--port", str(free_port())]) == 2
    err = capsys.readouterr().err
    assert err.startswith("htmio: static_dir=") and "does not exist" in err and "--static-dir" in err
    assert cli(["serve", str(site), "--static-dir", str(site / "nope"), "--port", str(free_port())]) == 2
    assert captured_run == []


def test_serve_theme_wins_over_the_variables_and_config(site, monkeypatch, captured_run):
    from htmio.cli import main as cli

    app = site / "app.py"
    app.write_text("from htmio import config\nfrom htmio.output import put_text\n\n@config(theme='dark')\ndef main():\n    put_text('hi')\n")
    monkeypatch.setenv("PYWEBIO_THEME", "minty")
    monkeypatch.setenv("HTMIO_THEME", "sketchy")
    assert cli(["serve", str(app), "--theme", "yeti", "--port", str(free_port())]) == 0
    assert cli(["serve", str(app), "--port", str(free_port())]) == 0
    for call, theme in zip(captured_run, ["yeti", "sketchy"]):
        with TestClient(call["app"]) as client:
            page = BeautifulSoup(client.get("/").text, "html.parser")
            assert page.html["data-theme"] == theme
            assert page.select_one(f'link[href$="/themes/{theme}.css"]')


def test_the_theme_setting_comes_before_the_variables_which_come_before_config(monkeypatch):
    @config(theme="dark")
    def themed():
        put_text("themed")

    def data_theme(settings: Settings, path: str = "/?app=a") -> str | None:
        with TestClient(create_app({"a": themed, "b": greet}, settings.replace(first_paint_wait=2))) as client:
            return BeautifulSoup(client.get(path).text, "html.parser").html.get("data-theme")

    assert data_theme(Settings()) == "dark"
    monkeypatch.setenv("PYWEBIO_THEME", "minty")
    assert data_theme(Settings()) == "minty"
    monkeypatch.setenv("HTMIO_THEME", "yeti")
    assert data_theme(Settings.from_environ(os.environ)) == "yeti"
    assert Settings.from_environ(os.environ).theme == "yeti"
    assert data_theme(Settings(theme="sketchy")) == "sketchy"
    assert data_theme(Settings(theme="sketchy"), "/") == "sketchy"  # the index page too
    assert data_theme(Settings(theme="default")) == "light"
    assert asgi_app(themed, theme="sketchy").state.htmio.apps["themed"].config.theme == "sketchy"
    with pytest.raises(ValueError, match=r"theme setting .*HTMIO_THEME.*--theme.*'neon' is not a theme"):
        create_app(themed, Settings(theme="neon"))


def hello(who: str) -> None:
    put_text("hello", who)


def test_a_partial_app_gets_the_theme_setting_too():
    apps = create_app([functools.partial(hello, "Ada")], Settings(theme="minty")).state.htmio.apps
    assert apps["hello"].config.theme == "minty"


# ---- a real server -----------------------------------------------------------------------------------

def raw_http(port: int, path: str) -> bytes:
    """The whole answer to ``GET path``, the path sent as it is."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_htmio_serve_static_dir_in_a_real_process(site):
    app = site / "app.py"
    app.write_text(
        "from htmio.output import put_image, put_markdown\n\n"
        "def main():\n"
        "    put_markdown(\"\"\"# Logo\n"
        "        Our logo, from the static folder:\n"
        "    \"\"\")\n"
        "    put_image('/static/logo.png')\n"
    )
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "htmio.cli", "serve", str(app), "--port", str(port),
                             "--static-dir", "assets"], cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            page = first_page(client, proc)
            src = BeautifulSoup(page.text, "html.parser").select_one("img")["src"]
            image = client.get(src)
            assert (src, image.status_code, image.content, image.headers["content-type"]) == (
                "/static/logo.png", 200, PNG, "image/png")
        # what the server sees, byte for byte (httpx would clean up the '..')
        assert raw_http(port, "/static/css/../logo.png").startswith(b"HTTP/1.1 200")
        for path in ("/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/link_out/secret.txt"):
            answer = raw_http(port, path)
            assert answer.startswith(b"HTTP/1.1 404") and b"the password" not in answer, (path, answer[:200])
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
