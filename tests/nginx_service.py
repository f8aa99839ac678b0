"""A real nginx (Debian's nginx-light) for tests: started on a free loopback port with a given http-level
configuration, reloaded with a new one, stopped after. Everything it writes stays in its own folder."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_nginx() -> None:
    """Fail (not skip) when nginx is missing: the README's test command and .ci/run install it."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: apt-get install -y nginx-light (the README's test command does).")


class NginxService:
    """nginx serving ``site`` (upstreams and a server block, as ``htmio deploy nginx`` prints them; its
    ``listen`` is given by the test) in the foreground, until ``stop()``.

        with NginxService(site_text, port) as nginx:
            httpx.get(nginx.url + "/")
    """

    def __init__(self, site: str, port: int) -> None:
        require_nginx()
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.folder = Path(tempfile.mkdtemp(prefix="htmio-nginx-"))
        self.folder.chmod(0o755)
        self.conf = self.folder / "nginx.conf"
        self.site = self.folder / "site.conf"
        self.site.write_text(site)
        temp = "".join(f"    {kind}_temp_path {self.folder / kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf.write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'error.log'} warn;\n"
            "events { worker_connections 4096; }\n"
            f"http {{\n    access_log off;\n{temp}    include {self.site};\n}}\n")
        self.process: subprocess.Popen[bytes] | None = None

    def _nginx(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([NGINX, "-p", str(self.folder), "-c", str(self.conf), *args], capture_output=True,
                              timeout=30)

    def check(self) -> None:
        """``nginx -t``: the configuration is valid (its complaint in the failure otherwise)."""
        done = self._nginx("-t")
        assert done.returncode == 0, done.stderr.decode()

    def start(self) -> NginxService:
        self.check()
        self.process = subprocess.Popen([NGINX, "-p", str(self.folder), "-c", str(self.conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not start: {self.errors()}") from None
                time.sleep(0.05)

    def reload(self, site: str) -> None:
        """Replace the site configuration and ``nginx -s reload`` (old workers finish their requests)."""
        self.site.write_text(site)
        self.check()
        done = self._nginx("-s", "reload")
        assert done.returncode == 0, done.stderr.decode()

    def errors(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # fast shutdown: the master stops its workers
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> NginxService:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
