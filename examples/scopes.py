"""Scopes and buttons

A small counter with a log: buttons run callbacks that write into named scopes, `position=` puts
outputs at the top, and `clear`/`remove` tidy up. Run it with `htmio serve examples/scopes.py`.
"""
from htmio.input import NUMBER, input
from htmio.output import clear, put_buttons, put_markdown, put_scope, put_text, remove, toast, use_scope


def main():
    count = {"n": 0}  # one counter per session: main runs once per browser page
    put_markdown("# Counter\nClick the buttons; the newest log line is on top.")
    put_scope("total", [put_text("total: 0")])
    put_scope("log")

    def on_click(step):
        count["n"] += step
        with use_scope("total", clear=True):
            put_text(f"total: {count['n']}")
        put_text(f"added {step}", scope="log", position=0)

    def reset():
        count["n"] = 0
        clear("log")
        with use_scope("total", clear=True):
            put_text("total: 0")
        toast("reset")

    put_buttons([("+1", 1), ("+10", 10)], onclick=on_click)
    put_buttons(["Reset"], onclick=[reset])
    put_buttons(["Hide log"], onclick=[lambda: remove("log")])

    start = input("Start from", type=NUMBER, value=0, help_text="a whole number")
    on_click(start)
