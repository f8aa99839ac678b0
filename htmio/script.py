"""Script mode: ``python app.py`` where app.py calls ``input()``/``put_text()`` at module level with no
server call. The first such call starts a server on a free local port, opens the browser, and from
then on the script runs in that page's session."""
from __future__ import annotations

import atexit
import os
import sys
import threading
import time
import webbrowser
from types import FrameType

from htmio.platform import free_port
from htmio.plugs import SessionHost, plug_session_finder
from htmio.runtime import Session
from htmio.settings import Settings

_PORT_ENV = "HTMIO_SCRIPT_PORT"


class ScriptHost(SessionHost):
    """The one session of a script: created by the first page load, run by the script's main thread."""

    def __init__(self) -> None:
        self.session: Session | None = None
        self.ready = threading.Event()

    def __call__(self) -> None:  # never started as an app: the script's own thread runs it
        return None

    def attach(self, session: Session) -> None:
        """The page opened: the waiting script thread takes this session (counted as running)."""
        self.session = session
        session.started_running()
        self.ready.set()


_host: ScriptHost | None = None
_lock = threading.Lock()


def _called_from_a_script() -> bool:
    """True when htmio was called by the code of a file run as ``python file.py``: the nearest caller
    outside htmio is that file's own module (not a REPL, not a test, not an imported module)."""
    main = sys.modules.get("__main__")
    if main is None or not getattr(main, "__file__", None):
        return False
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and str(frame.f_globals.get("__name__", "")).split(".")[0] == "htmio":
        frame = frame.f_back
    return frame is not None and frame.f_globals is vars(main)


def script_session() -> Session | None:
    """The session of script mode, started on first use; None when this is not a script's main thread."""
    global _host
    if threading.current_thread() is not threading.main_thread() or not _called_from_a_script():
        return None
    with _lock:
        if _host is None:
            _host = ScriptHost()
            _serve(_host)
    _host.ready.wait()
    session = _host.session
    assert session is not None
    session.enter_thread()
    return session


def _serve(host: ScriptHost) -> None:
    # loaded on first use, not at the top: `import htmio` loads neither uvicorn nor FastAPI
    import uvicorn

    from htmio.server import create_app

    fixed = os.environ.get(_PORT_ENV, "")
    port = int(fixed) if fixed.isdigit() else free_port()
    settings = Settings.from_environ(os.environ, port=port, first_paint_wait=0.2)
    server = uvicorn.Server(uvicorn.Config(create_app({"script": host}, settings), host="127.0.0.1", port=port,
                                           log_level="warning", timeout_graceful_shutdown=2))
    threading.Thread(target=server.run, name="htmio-script-server", daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}/"
    print(f"htmio: this script runs in your browser at {url}", file=sys.stderr, flush=True)
    if not fixed:
        webbrowser.open(url)  # honours $BROWSER
    atexit.register(_finish, host)


def _finish(host: ScriptHost) -> None:
    """The script ended: say so on the page (or keep serving while callbacks may still run)."""
    session = host.session
    if session is None:
        return
    with session.lock:
        session.main_done = True
        session.finished_running()
    session.flush()
    session.maybe_finish()
    if not session.closed:  # callbacks are registered: they work until the page is closed
        session.wait_closed()
    deadline = time.monotonic() + 3
    while session.streams_open > 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # let the page receive "the app has finished"


plug_session_finder(script_session)
