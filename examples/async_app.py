"""Async app

An `async def` app: its inputs are awaited, a clock runs beside it with run_async, and a button's
callback is a coroutine. It runs on the server's event loop, without a thread of its own.
Run it with `htmio serve examples/async_app.py`.
"""
import asyncio
import time

from htmio.input import input
from htmio.output import put_buttons, put_markdown, put_scope, put_text, use_scope
from htmio.session import run_async


async def main():
    put_markdown("# Async app")
    put_scope("clock")

    async def tick():
        while True:
            with use_scope("clock", clear=True):
                put_text(time.strftime("%H:%M:%S"))
            await asyncio.sleep(1)

    async def later(seconds):
        await asyncio.sleep(seconds)
        put_text(f"{seconds} s later")

    clock = run_async(tick())
    put_buttons([("in 1 s", 1), ("in 2 s", 2)], onclick=later)
    name = await input("Your name")
    put_text(f"hello {name}")
    clock.close()
