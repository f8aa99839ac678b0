"""Groups

One form with several inputs, a check across them, a Cancel button, and a drop-down that changes
another as you choose. Run it with `htmio serve examples/groups.py`.
"""
from htmio.input import NUMBER, input, input_group, input_update, select
from htmio.output import put_text

CITIES = {"France": ["Paris", "Lyon", "Nice"], "Italy": ["Rome", "Milan"], "Japan": ["Tokyo", "Kyoto"]}


def check(data):
    if data["guests"] > 10 and data["city"] == "Nice":
        return ("guests", "Nice takes at most 10 guests")
    return None


def main():
    booking = input_group("Book a trip", [
        input("Your name", name="name", required=True),
        select("Country", list(CITIES), name="country",
               onchange=lambda country: input_update("city", options=CITIES[country])),
        select("City", CITIES["France"], name="city"),
        input("Guests", name="guests", type=NUMBER, value=2,
              validate=lambda n: "at least one guest" if n is None or n < 1 else None),
    ], validate=check, cancelable=True)
    if booking is None:
        put_text("No trip booked.")
    else:
        put_text(f"{booking['name']}: {booking['guests']} guests to {booking['city']}, {booking['country']}.")
