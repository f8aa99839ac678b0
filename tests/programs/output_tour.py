"""Output tour

What the output module can show, as a coroutine app.
"""
import asyncio

from htmio import start_server, config
from htmio.input import *
from htmio.output import *
from htmio.session import run_async, run_js, defer_call, info

CSS = """
#pywebio-scope-shapes { border: 2px dashed rgb(200, 0, 0); padding: 4px; }
#pywebio-scope-counter { min-height: 20px; }
.markdown-body table { font-size: 13px; }
.markdown-body h2 { color: rgb(0, 90, 160); }
"""

clicks = []


async def on_shape(choice):
    clicks.append(choice)
    with use_scope('shapes'):
        put_text('You clicked %s' % choice)


async def count_up():
    with use_scope('counter', clear=True):
        put_loading('border', 'primary')
    await asyncio.sleep(0.2)
    with use_scope('counter', clear=True):
        put_text('counted to %d' % len(clicks))


@config(title='Output tour', css_style=CSS)
async def main():
    put_markdown("""## Text and tables
    Plain text keeps its spaces and line breaks:
    """)
    await put_text("a   b\nc")

    put_table([
        ['Mon', 'Tue'],
        ['Apples', 3, 4],
        ['Pears', 5, 1],
        [span('Total: 13', col=3)],
    ], header=[span('Fruit', row=2), span('Sold', col=2)])

    put_table([
        ['Mon', 'Tue'],
        [put_markdown('**9**'), put_buttons(['detail'], onclick=lambda _: toast('Tuesday: 11 items'))],
    ], header=[span('Week 1', col=2)])

    put_file('hello.txt', b'hello, world\n', 'Download hello.txt')

    put_markdown("""## Callbacks
    The buttons below print into a scope with a dashed border.
    """)
    put_buttons(['circle', 'square', dict(label='triangle', value='tri', color='warning')], onclick=on_shape)
    put_scope('shapes')
    put_button('Count', onclick=count_up)
    put_scope('counter')

    put_markdown("""## Layout
    A row, a column and a grid.
    """)
    put_row([put_code('left = 1'), None, put_text('right side\nwith two lines')], size='40% 10px 60%')
    put_column([put_text('top'), put_text('bottom')])
    put_grid([
        [span(put_text('A (2 rows)'), row=2), put_text('B'), put_text('C')],
        [put_text('D'), put_text('E')],
    ], cell_width='100px', cell_height='40px')

    put_text('styled').style('color: rgb(128, 0, 128); font-weight: bold')

    put_markdown("""## Scopes
    Outputs can go to any position of a scope.
    """)
    with use_scope('positions'):
        put_text('A')
    put_text('B', scope='positions', position=0)
    put_text('C', scope='positions', position=-2)
    put_text('D', scope='positions', position=1)

    choice = await actions('What next?', ['Popup', 'Toast', 'Finish'])
    while choice != 'Finish':
        if choice == 'Popup':
            with popup('A popup', size=PopupSize.SMALL):
                put_text('made with a with block')
                put_buttons(['Close'], onclick=lambda _: close_popup())
        else:
            toast('A toast', duration=0, color='success', position='right')
        choice = await actions('What next?', ['Popup', 'Toast', 'Finish'])
    put_success('Tour finished, %d clicks' % len(clicks))


if __name__ == '__main__':
    start_server(main, port=8080)
