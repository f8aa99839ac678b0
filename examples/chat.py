"""Chat room

Every browser that opens this app joins one room and sees the others' messages as they are sent; a
newcomer first sees the last 20. The room is an htmio.shared.Topic: inside this process by default, and
across every process that uses the same Redis server when HTMIO_REDIS_URL is set (docs/shared.md).
Run it with `htmio serve examples/chat.py` and open it in two windows; or run two servers:

    HTMIO_REDIS_URL=redis://127.0.0.1:6379/0 htmio serve examples/chat.py --port 8080
    HTMIO_REDIS_URL=redis://127.0.0.1:6379/0 htmio serve examples/chat.py --port 8081
"""
from htmio.exceptions import TopicUnavailable
from htmio.input import actions, input, input_group
from htmio.output import put_markdown, put_scope, put_text, toast
from htmio.session import defer_call
from htmio.shared import Topic

ROOM = Topic("chat", history=20)


def say(who: str, text: str) -> bool:
    """Send a message to the room; False (and a toast) when the room cannot be reached."""
    try:
        ROOM.publish({"who": who, "text": text})
        return True
    except TopicUnavailable:
        toast("The room cannot be reached right now; your message was not sent. Try again in a moment.",
              color="error")
        return False


def main():
    put_markdown("# Chat room")
    name = input("Your name", required=True, validate=lambda n: "at most 20 characters" if len(n) > 20 else None)
    put_scope("messages")
    messages = ROOM.subscribe(lambda m: put_text(f"{m['who']}: {m['text']}", scope="messages"))
    say("room", f"{name} joined")
    left = []

    @defer_call
    def leave():
        if not left:
            left.append(True)
            messages.close()
            try:
                ROOM.publish({"who": "room", "text": f"{name} left"})
            except TopicUnavailable:
                pass  # the page is gone: nobody to tell

    while True:
        sent = input_group("Message", [
            input(name="text", required=True, placeholder="say something"),
            actions(name="cmd", buttons=["Send", {"label": "Leave", "type": "cancel"}]),
        ])
        if sent is None:
            toast("You left the room.")
            leave()
            return
        say(name, sent["text"])
