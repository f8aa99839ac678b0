"""Chat room

Everyone on this page talks to everyone else.
"""
import asyncio

from htmio import start_server
from htmio.input import *
from htmio.output import *
from htmio.session import defer_call, info, run_async, run_js, get_current_session

MAX_MESSAGES = 200

messages = []   # (nickname, text)
online = set()


def post(nick, text):
    messages.append((nick, text))
    del messages[:-MAX_MESSAGES]


async def refresh(nickname, seen):
    session = get_current_session()
    while not session.closed():
        for nick, text in messages[seen:]:
            if nick != nickname:
                put_markdown('`%s`: %s' % (nick, text), sanitize=True, scope='msg-box')
        seen = len(messages)
        await asyncio.sleep(0.1)


async def main():
    """Chat room

    A tiny chat room.
    """
    put_markdown("""## Chat room
    Messages are kept in memory; the room holds the last %d.
    Be nice.
    """ % MAX_MESSAGES)
    put_scrollable(put_scope('msg-box'), height=300, keep_bottom=True)

    nickname = await input("Your nickname", required=True, placeholder="nickname",
                           validate=lambda n: 'This nickname is taken' if n in online or n == '📢' else None)
    online.add(nickname)
    post('📢', '`%s` joined the room. %d online' % (nickname, len(online)))
    put_markdown('`📢`: Welcome, %s. %d online' % (nickname, len(online)), scope='msg-box')

    @defer_call
    def on_leave():
        online.discard(nickname)
        post('📢', '`%s` left the room. %d online' % (nickname, len(online)))

    task = run_async(refresh(nickname, len(messages)))

    while True:
        data = await input_group('Send a message', [
            input(placeholder='Message', name='msg'),
            actions(name='cmd', buttons=['Send', 'Multiline', {'label': 'Leave', 'type': 'cancel'}]),
        ], validate=lambda d: ('msg', 'Say something') if d['cmd'] == 'Send' and not d['msg'] else None)
        if data is None:
            break
        if data['cmd'] == 'Multiline':
            data['msg'] = '\n' + await textarea('Long message', placeholder='Markdown works here')
        put_markdown('`%s`: %s' % (nickname, data['msg']), sanitize=True, scope='msg-box')
        post(nickname, data['msg'])

    task.close()
    toast('You left the room')
    put_buttons(['Join again'], onclick=lambda _: run_js('window.location.reload()'))


if __name__ == '__main__':
    start_server(main, port=8080)
