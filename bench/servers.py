"""The servers a comparison run starts: htmio, PyWebIO 1.8.4 (in its own venv) and the floor, each a subprocess.

    with start_app("htmio", "round_trip") as server:
        print(server.url, server.rss_kib())

htmio runs on the interpreter that has htmio installed (the one running the benchmark, or the
project's ``.venv``); PyWebIO runs on ``bench/.venv-pywebio``, created on first use with
``pywebio==1.8.4`` and what the idle-session client needs. PyWebIO is never a dependency of htmio.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path
from types import TracebackType
from typing import IO

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
APPS = BENCH / "apps"
PYWEBIO_VENV = BENCH / ".venv-pywebio"
TMP = BENCH / "results" / "tmp"
PYWEBIO_REQUIREMENTS = ["pywebio==1.8.4", "websockets>=12"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _venv_python(where: Path) -> Path:
    return where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _imports(python: Path | str, code: str) -> bool:
    done = subprocess.run([str(python), "-c", code], capture_output=True, check=False)
    return done.returncode == 0


def ensure_pywebio_venv(log: IO[str] = sys.stderr) -> Path:
    """The python of ``bench/.venv-pywebio``, made and filled on first use (needs PyPI once)."""
    python = _venv_python(PYWEBIO_VENV)
    check = "import pywebio, websockets, sys; sys.exit(pywebio.__version__ != '1.8.4')"
    if python.exists() and _imports(python, check):
        return python
    print(f"setting up {PYWEBIO_VENV.relative_to(ROOT)} (pywebio 1.8.4) ...", file=log, flush=True)
    venv.EnvBuilder(with_pip=True, clear=python.exists()).create(PYWEBIO_VENV)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PYWEBIO_REQUIREMENTS], check=True)
    if not _imports(python, check):
        raise SystemExit(f"{PYWEBIO_VENV} was set up but does not import pywebio 1.8.4; delete it and retry.")
    return python


def htmio_python() -> str:
    """An interpreter that imports htmio: this one, or the project's .venv."""
    if _imports(sys.executable, "import htmio, uvicorn, sse_starlette"):
        return sys.executable
    project = _venv_python(ROOT / ".venv")
    if project.exists() and _imports(project, "import htmio"):
        return str(project)
    raise SystemExit("htmio is not importable here. Install it first: "
                     "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python bench/compare.py")


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB (VmRSS from /proc)."""
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


class Server:
    """One server subprocess on 127.0.0.1:port, its output in ``bench/results/tmp/<name>.log``."""

    def __init__(self, name: str, argv: list[str], port: int, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.argv = argv
        self.port = port
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = TMP / f"{name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "server not started"
        return self.proc.pid

    def rss_kib(self) -> int:
        return rss_kib(self.pid)

    def start(self, timeout: float = 30.0) -> Server:
        TMP.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(self.argv, cwd=APPS, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on port {self.port} within {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def start_app(impl: str, app: str, pythons: dict[str, str], tag: str = "") -> Server:
    """An app of ``bench/apps`` served by ``impl`` ('htmio' or 'pywebio'); use it as a context manager."""
    port = free_port()
    return Server(f"{app}-{impl}{tag}", [pythons[impl], str(APPS / f"{app}.py")], port,
                  # one client address opens hundreds of sessions a minute here: no per-client session rate
                  env={"BENCH_IMPL": impl, "BENCH_PORT": str(port), "HTMIO_SESSION_RATE": "0"})


def start_floor(pythons: dict[str, str]) -> Server:
    """The bare sse-starlette floor (``bench/floor.py``), on htmio's interpreter (it has FastAPI)."""
    port = free_port()
    return Server("floor", [pythons["htmio"], str(BENCH / "floor.py"), "--port", str(port)], port)
