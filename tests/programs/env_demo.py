"""set_env playground

Change the page's settings from a menu while a clock ticks.
"""
import asyncio
import time

from htmio import start_server
from htmio.input import *
from htmio.output import *
from htmio.session import run_async, set_env, get_current_session


async def clock():
    session = get_current_session()
    n = 0
    while not session.closed():
        n += 1
        with use_scope('clock', clear=True):
            put_text('tick %d' % n)
        await asyncio.sleep(0.1)


async def main():
    put_markdown("""## set_env playground
    A clock ticks in the box below while you change the settings.
    """)
    set_scope('clock')
    set_scope('log', position=0)  # above everything, so the log is easy to find
    run_async(clock())

    title = 'set_env playground'
    fixed = True
    width = '880px'
    while True:
        choice = await actions('What do you want to change?', [
            'Title', 'Output width', 'Input panel fixed', 'Auto scroll', 'Quit'
        ], help_text='Each choice calls set_env')
        if choice == 'Title':
            title = await input('New title', value=title)
            set_env(title=title)
        elif choice == 'Output width':
            width = await select('Output width', ['600px', '880px', '1200px', '100%'], value=width)
            set_env(output_max_width=width)
        elif choice == 'Input panel fixed':
            fixed = not fixed
            set_env(input_panel_fixed=fixed, input_panel_min_height=200 if fixed else 100)
        elif choice == 'Auto scroll':
            set_env(auto_scroll_bottom=True)
            for i in range(30):
                put_text('line %d' % i)
                await asyncio.sleep(0)
        else:
            break
        put_text('%s: %s' % (time.strftime('%H:%M'), choice), scope='log', position=0)
        toast('set_env(%s) done' % choice.lower())
    put_text('Bye')


if __name__ == '__main__':
    start_server(main, port=8080)
