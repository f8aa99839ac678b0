"""Mounted in FastAPI

htmio apps inside an existing FastAPI app, under /tools; run it with `uvicorn examples.mounted:host`
and open http://127.0.0.1:8000/tools/ (the host's own routes stay where they are).
"""
from fastapi import FastAPI

from htmio.input import input
from htmio.output import put_text
from htmio.platform.fastapi import asgi_app, lifespan


def greet():
    """Greeter"""
    put_text("hello", input("Your name"))


def about():
    """About"""
    put_text("htmio mounted under /tools")


tools = asgi_app({"greet": greet, "about": about})
host = FastAPI(lifespan=lifespan(tools))
host.mount("/tools", tools)


@host.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
