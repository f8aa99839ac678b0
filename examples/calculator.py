"""Calculator

Pin widgets keep their values on the server: the result follows as you type, with no submit.
Run it with `htmio serve examples/calculator.py`.
"""
import operator

from htmio.input import FLOAT
from htmio.output import put_markdown, put_scope, put_text, use_scope
from htmio.pin import pin, pin_wait_change, put_input, put_select

OPS = {"+": operator.add, "-": operator.sub, "×": operator.mul, "÷": operator.truediv}


def show():
    with use_scope("result", clear=True):
        a, b = pin.a, pin.b
        if a is None or b is None:
            put_text("enter two numbers")
        elif pin.op == "÷" and b == 0:
            put_text("cannot divide by zero")
        else:
            put_text(f"{a:g} {pin.op} {b:g} = {OPS[pin.op](a, b):g}")


def main():
    put_markdown("# Calculator")
    put_input("a", type=FLOAT, value=6, label="First number")
    put_select("op", list(OPS), label="Operation")
    put_input("b", type=FLOAT, value=7, label="Second number")
    put_scope("result")
    show()
    while True:
        pin_wait_change("a", "op", "b")
        show()
