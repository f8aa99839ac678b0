"""Theme preview

One app per theme; the index links them all.
"""
from functools import partial

from htmio import start_server, config
from htmio.input import *
from htmio.output import *
from htmio.pin import *
from htmio.session import go_app, info, eval_js

THEMES = ['default', 'dark', 'sketchy', 'minty', 'yeti']


def showcase(theme):
    """Same page, different look"""
    put_markdown("""# %s theme
    Some **outputs**, pins and a form, to see how the theme looks.
    """ % theme.title())
    put_text('You are on a %s.' % ('phone' if info.user_agent.is_mobile else 'PC'))
    put_text('Browser: %s' % info.user_agent.browser.family)
    put_table([['Alerts', put_info('info'), put_warning('warning')],
               ['Buttons', put_buttons(['primary', dict(label='danger', value='d', color='danger')],
                                      onclick=lambda v: toast(v)), put_button('outline', onclick=lambda: None, outline=True)]],
              header=['what', 'one', 'two'])
    put_input('name', label='Pin input', placeholder='type here')
    put_select('pet', label='Pin select', options=['cat', 'dog'])
    put_row([put_button(t, onclick=partial(go_app, t, new_window=False)) for t in THEMES])
    url = eval_js('window.location.href')
    put_text('address has app=%s' % ('app=' + theme in url))
    data = input_group('A form', [
        input('Name', name='name'),
        radio('Size', name='size', options=['S', 'M', 'L'], inline=True),
    ])
    put_text('Hello %s, size %s' % (data['name'], data['size']))


def index():
    """Theme preview"""
    put_markdown("""# Themes
    Pick one:
    """)
    for t in THEMES:
        put_button(t, onclick=partial(go_app, t, new_window=False))


apps = {'index': index}
for t in THEMES:
    apps[t] = config(theme=t, title='%s theme' % t)(partial(showcase, t))


if __name__ == '__main__':
    start_server(apps, port=8080)
