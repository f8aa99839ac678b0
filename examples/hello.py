"""Hello

Asks for your name and greets you: the smallest htmio app. Run it with `htmio serve examples/hello.py`.
"""
from htmio.input import input
from htmio.output import put_text


def main():
    name = input("what's your name")
    put_text("hello", name)


if __name__ == "__main__":
    from htmio import start_server

    start_server(main, port=8080, host="127.0.0.1")
