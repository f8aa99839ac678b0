"""A tour of the input functions

Each step asks something and shows what came back.
"""
from functools import partial

from htmio import start_server
from htmio.input import *
from htmio.output import *
from htmio.session import set_env


def show(label, value):
    put_text('%s: %r' % (label, value))


def check_age(age):
    if age < 0:
        return 'An age is never negative'
    if age > 130:
        return 'Really?'


def main():
    set_env(title='Input tour', auto_scroll_bottom=True)
    put_markdown("""## Input tour
    Every input function, one after the other. The code of each step is shown above its answer.
    """)

    put_code("name = input('Your name', placeholder='Ada')", 'python')
    name = input('Your name', placeholder='Ada', required=True, datalist=['Ada', 'Alan', 'Grace'])
    show('name', name)

    put_code("age = input('Your age', type=NUMBER, validate=check_age)", 'python')
    age = input('Your age', type=NUMBER, validate=check_age, help_text='in years')
    show('age', age)

    password = input('A password', type=PASSWORD)
    show('password length', len(password))

    put_code("select('Favourite language', [('Python', 'py', True), ...])", 'python')
    lang = select('Favourite language', [
        ('C', 'c'),
        ('Python', 'py', True),
        ('Rust', 'rs'),
        ('Cobol', 'cob', False, True),   # disabled
    ])
    show('language', lang)

    editors = select('Editors you use', ['vim', 'emacs', 'vscode', 'nano'], multiple=True, value=['vim', 'nano'])
    show('editors', editors)

    toppings = checkbox('Pizza toppings', options=['cheese', 'ham', 'olives'], value=['cheese'], inline=True)
    show('toppings', toppings)

    size = radio('Size', options=['S', 'M', 'L'], value='M')
    show('size', size)

    code = textarea('Some code', code={'mode': 'python', 'theme': 'darcula'},
                    value="def f(x):\n    return x * 2\n")
    put_code(code, 'python')

    set_value = lambda set_val: set_val('from the button')
    answer = input('Press the button', action=('Fill in', set_value))
    show('button', answer)

    f = file_upload('A small text file', accept='.txt', max_size='1K', placeholder='Choose a .txt file')
    if f:
        show('file', (f['filename'], len(f['content'])))
    else:
        show('file', None)

    def check_range(d):
        if d['low'] >= d['high']:
            return ('high', 'high must be above low')

    rng = input_group('A range', [
        input('Low', name='low', type=NUMBER),
        input('High', name='high', type=NUMBER),
        slider('Step', name='step', value=1, min_value=1, max_value=10),
    ], validate=check_range, cancelable=True)
    if rng is None:
        put_warning('You skipped the range')
    else:
        put_table([[k, v] for k, v in rng.items()], header=['field', 'value'])

    put_success('That was every input. Thanks %s!' % name)


if __name__ == '__main__':
    start_server(main, port=8080)
