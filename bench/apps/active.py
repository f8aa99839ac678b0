"""Active users: input() then put_text() of the answer, forever; each simulated user answers once a second."""
from __future__ import annotations

from _serve import IMPL, serve

if IMPL == "pywebio":
    from pywebio import start_server
    from pywebio.input import input
    from pywebio.output import put_text
    from pywebio.session import set_env
else:
    from htmio import start_server
    from htmio.input import input
    from htmio.output import put_text
    from htmio.session import set_env


def main() -> None:
    set_env(output_animation=False)
    put_text("READY-MARK")
    while True:
        v = input("n")
        put_text(f"got {v}")


if __name__ == "__main__":
    serve(start_server, main)
