"""First load: one output, then the first input; the driver times 'DONE-MARK' and counts the bytes."""
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
    put_text("Hello, this is the first output. DONE-MARK")
    input("Your name")


if __name__ == "__main__":
    serve(start_server, main)
