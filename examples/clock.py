"""Clock

A background thread updates a scope every second while you keep using the page; closing the tab
stops it. Run it with `htmio serve examples/clock.py`.
"""
import threading
import time

from htmio.exceptions import SessionClosedException
from htmio.output import put_markdown, put_scope, put_text, use_scope
from htmio.session import defer_call, register_thread, set_env


def main(interval: float = 1.0):
    set_env(title="Clock")
    put_markdown("# Clock")
    put_scope("time")
    stopped = threading.Event()
    defer_call(stopped.set)  # the tab was closed: let the thread end

    def tick():
        try:
            while not stopped.is_set():
                with use_scope("time", clear=True):
                    put_text(time.strftime("%H:%M:%S"))
                stopped.wait(interval)
        except SessionClosedException:
            pass

    thread = threading.Thread(target=tick, daemon=True)
    register_thread(thread)
    thread.start()
