"""`htmio serve`: loading app files, clear errors, and a real server answering."""
from __future__ import annotations

import socket
import subprocess
import sys

import httpx
import pytest

from htmio.cli import AppLoadError, load_app, main
from htmio.settings import Settings, settings_help
from tests.live import first_page


def test_load_app_returns_main(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("def main():\n    return 'ran'\n")
    assert load_app(app)() == "ran"


def test_a_file_without_main_gets_an_error_naming_what_was_expected(tmp_path):
    app = tmp_path / "nomain.py"
    app.write_text("def start():\n    pass\n")
    with pytest.raises(AppLoadError, match=r"defines no main\(\) function"):
        load_app(app)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(AppLoadError, match="is not a file"):
        load_app(tmp_path / "missing.py")


def test_main_not_callable_is_a_clear_error(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("main = 3\n")
    with pytest.raises(AppLoadError, match="not a function"):
        load_app(app)


def test_serve_exits_with_a_message_for_a_bad_file(tmp_path, capsys):
    app = tmp_path / "nomain.py"
    app.write_text("x = 1\n")
    assert main(["serve", str(app), "--port", "0"]) == 2
    assert "defines no main() function" in capsys.readouterr().err


def test_settings_from_environ_and_bad_values_name_their_variable():
    settings = Settings.from_environ({"HTMIO_PORT": "9000", "HTMIO_DEBUG": "yes", "HTMIO_FLUSH_INTERVAL": "0.05"})
    assert (settings.port, settings.debug, settings.flush_interval) == (9000, True, 0.05)
    with pytest.raises(ValueError, match="HTMIO_PORT='eighty' is not a valid int"):
        Settings.from_environ({"HTMIO_PORT": "eighty"})
    assert Settings().host == "127.0.0.1"
    assert all(var.startswith("HTMIO_") and text for var, text, _ in settings_help())


APP = (
    "from htmio.input import input\nfrom htmio.output import put_text\n"
    "def main():\n    name = input(\"what's your name\")\n    put_text('hello', name)\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("how", ["htmio serve", "start_server", "htmio serve DIR", "path_deploy"])
def test_an_app_file_runs_as_a_server(tmp_path, how):
    app = tmp_path / "app.py"
    port = free_port()
    if how == "htmio serve":
        app.write_text(APP)
        command = [sys.executable, "-m", "htmio.cli", "serve", str(app), "--port", str(port)]
    elif how == "htmio serve DIR":
        (tmp_path / "apps").mkdir()
        (tmp_path / "apps" / "index.py").write_text(APP)
        command = [sys.executable, "-m", "htmio.cli", "serve", str(tmp_path / "apps"), "--port", str(port)]
    elif how == "path_deploy":
        (tmp_path / "apps").mkdir()
        (tmp_path / "apps" / "index.py").write_text(APP)
        app.write_text(f"from htmio.platform import path_deploy\npath_deploy({str(tmp_path / 'apps')!r}, port={port}, "
                       "host='127.0.0.1')\n")
        command = [sys.executable, str(app)]
    else:
        app.write_text(APP + f"\nfrom htmio import start_server\nstart_server(main, port={port}, host='127.0.0.1', debug=True)\n")
        command = [sys.executable, str(app)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            page = first_page(client, proc)
            assert page.status_code == 200
            assert "what&#39;s your name" in page.text or "what's your name" in page.text
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
