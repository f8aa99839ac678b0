"""Script mode

No main(), no server call: run it with `python examples/script.py` and it opens in your browser, like a
console program that happens to show its prompts in a page. `htmio serve examples/script.py` serves it
too, running the whole file once per visitor.
"""
from htmio.input import NUMBER, input
from htmio.output import put_markdown, put_text

put_markdown("# Times table")
n = input("Which table?", type=NUMBER, value=7, validate=lambda v: "from 1 to 20" if not 1 <= v <= 20 else None)
for i in range(1, 11):
    put_text(f"{i} × {n} = {i * n}")
