"""Choices

Drop-downs, check boxes, radio buttons, a slider and action buttons; values may be any Python object.
Run it with `htmio serve examples/choices.py`.
"""
from htmio.input import actions, checkbox, radio, select, slider
from htmio.output import put_text

SIZES = {"S": (36, 38), "M": (40, 42), "L": (44, 46)}


def main():
    size = select("Size", [(name, widths) for name, widths in SIZES.items()], value=SIZES["M"])
    toppings = checkbox("Toppings", ["cheese", "olives", "basil"], value=["cheese"], inline=True)
    crust = radio("Crust", ["thin", "thick"], required=True)
    spice = slider("Spiciness", value=2, min_value=0, max_value=5)
    put_text(f"widths {size}, toppings {', '.join(toppings) or 'none'}, {crust} crust, spice {spice}/5")
    again = actions("Order another?", ["Yes", "No", {"label": "Cancel", "type": "cancel"}])
    put_text("ordering again" if again == "Yes" else "done" if again == "No" else "cancelled")
