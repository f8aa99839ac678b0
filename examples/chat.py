"""Chat room

Every browser that opens this app joins one room and sees the others' messages as they are sent.
Messages live in this process (see DESIGN.md, "Beyond one machine", for several processes).
Run it with `htmio serve examples/chat.py` and open it in two windows.
"""
import threading

from htmio.exceptions import SessionClosedException
from htmio.input import actions, input, input_group
from htmio.output import put_markdown, put_scope, put_text, toast
from htmio.session import defer_call, register_thread

MAX_KEPT = 200


class Room:
    """The messages of the room, and a condition to wake every reader when one arrives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.changed = threading.Condition()

    def say(self, who: str, text: str) -> None:
        with self.changed:
            self.messages.append((who, text))
            del self.messages[:-MAX_KEPT]
            self.changed.notify_all()


ROOM = Room()


def main():
    put_markdown("# Chat room")
    name = input("Your name", required=True, validate=lambda n: "at most 20 characters" if len(n) > 20 else None)
    put_scope("messages")
    with ROOM.changed:
        start = max(0, len(ROOM.messages) - 20)  # show the last 20 messages, then everything new
    ROOM.say("room", f"{name} joined")
    left = threading.Event()

    @defer_call
    def leave():
        if not left.is_set():
            left.set()
            ROOM.say("room", f"{name} left")

    def follow():
        seen = start
        try:
            while not left.is_set():
                with ROOM.changed:
                    while seen >= len(ROOM.messages) and not left.is_set():
                        ROOM.changed.wait(5)
                    new, seen = ROOM.messages[seen:], len(ROOM.messages)
                for who, text in new:
                    put_text(f"{who}: {text}", scope="messages")
        except SessionClosedException:
            pass

    reader = threading.Thread(target=follow, daemon=True)
    register_thread(reader)
    reader.start()
    while True:
        sent = input_group("Message", [
            input(name="text", required=True, placeholder="say something"),
            actions(name="cmd", buttons=["Send", {"label": "Leave", "type": "cancel"}]),
        ])
        if sent is None:
            toast("You left the room.")
            leave()
            return
        ROOM.say(name, sent["text"])
