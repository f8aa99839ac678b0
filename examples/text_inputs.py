"""Text inputs

Every kind of text field: types, validation, suggestions, a side button that fills the field, and a
code editor. Run it with `htmio serve examples/text_inputs.py`.
"""
import secrets

from htmio.input import COLOR, DATE, FLOAT, NUMBER, PASSWORD, input, textarea
from htmio.output import put_markdown, put_text


def main():
    put_markdown("# Text inputs")
    name = input("Your name", placeholder="Ada Lovelace", required=True, datalist=["Ada", "Grace", "Alan"])
    age = input("Your age", type=NUMBER, validate=lambda n: "please enter an age from 0 to 150" if not 0 <= n <= 150 else None)
    height = input("Your height in metres", type=FLOAT, help_text="for example 1.75")
    born = input("A date you like", type=DATE)
    colour = input("Your favourite colour", type=COLOR, value="#3366cc")
    token = input("An access token", type=PASSWORD,
                  action=("Generate", lambda set_value: set_value(secrets.token_hex(8))))
    code = textarea("A Python snippet", code={"mode": "python"}, value="print('hello')", rows=4)
    put_text(f"{name}, {age} years, {height} m, likes {born} and {colour}; token of {len(token)} characters.")
    put_markdown(f"```python\n{code}\n```")
