"""Five letters

Guess the word of the day in six tries.
"""
import datetime

from htmio import start_server, config
from htmio.output import *
from htmio.session import local, run_js, set_env

WORDS = ['CRANE', 'PLANT', 'GHOST', 'BRICK', 'SMILE', 'TOWER']
ROWS, COLS = 6, 5
KEYBOARD = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM']

GREEN, YELLOW, GREY = 'rgb(106, 170, 100)', 'rgb(201, 180, 88)', 'rgb(120, 124, 126)'

CSS = """
#pywebio-scope-board table { margin: 0 auto; border-collapse: separate; border-spacing: 4px; }
#pywebio-scope-board th, #pywebio-scope-board td { width: 44px; height: 44px; border: 2px solid rgb(211, 214, 218); padding: 0; }
#pywebio-scope-board p { margin: 0; line-height: 44px; text-align: center; font-size: 24px; font-weight: bold; }
#pywebio-scope-keyboard { text-align: center; }
#pywebio-scope-keyboard button { min-width: 36px; margin: 2px; }
.markdown-body h1 { text-align: center; letter-spacing: 4px; }
"""


def todays_word():
    return WORDS[datetime.date.today().toordinal() % len(WORDS)]


def colours(guess, answer):
    result = [GREY] * COLS
    left = list(answer)
    for i, ch in enumerate(guess):
        if answer[i] == ch:
            result[i] = GREEN
            left.remove(ch)
    for i, ch in enumerate(guess):
        if result[i] != GREEN and ch in left:
            result[i] = YELLOW
            left.remove(ch)
    return result


def draw_cell(row, col, letter, bg=None):
    with use_scope('cell-%d-%d' % (row, col), clear=True):
        out = put_text(letter)
        if bg:
            out.style('background-color: %s; color: white' % bg)


def press(key):
    if local.done:
        return
    if key == '⌫':
        if local.typed:
            local.typed = local.typed[:-1]
            draw_cell(local.row, len(local.typed), '')
        return
    if key == 'Enter':
        return check()
    if len(local.typed) < COLS:
        draw_cell(local.row, len(local.typed), key)
        local.typed += key


def check():
    guess = local.typed
    if len(guess) < COLS:
        toast('Not enough letters', color='warn')
        return
    answer = todays_word()
    for col, (ch, bg) in enumerate(zip(guess, colours(guess, answer))):
        draw_cell(local.row, col, ch, bg)
        # the keyboard keeps the best colour a letter got
        run_js("""
        var key = $('#pywebio-scope-keyboard button').filter(function () { return $(this).text().trim() === ch; });
        if (key.data('colour') !== 'rgb(106, 170, 100)') { key.css({'background-color': bg, 'color': 'white'}).data('colour', bg); }
        """, ch=ch, bg=bg)
    local.row += 1
    local.typed = ''
    if guess == answer:
        local.done = True
        with popup('You got it!', size='small'):
            put_text('The word was %s, found in %d tries.' % (answer, local.row))
            put_button('Close', onclick=close_popup, color='success')
    elif local.row == ROWS:
        local.done = True
        toast('The word was ' + answer, duration=0, color='error')


@config(title='Five letters', description='A word game', css_style=CSS)
def main():
    set_env(output_animation=False)
    local.row, local.typed, local.done = 0, '', False

    put_markdown("""# FIVE LETTERS
    Type a five-letter word with the keys below and press **Enter**.
    Green: right letter, right place. Yellow: right letter, wrong place.
    """)
    with use_scope('board'):
        put_table([[put_scope('cell-%d-%d' % (r, c)) for c in range(COLS)] for r in range(ROWS)])
    with use_scope('keyboard'):
        for i, keys in enumerate(KEYBOARD):
            keys = list(keys)
            if i == 2:
                keys = ['Enter'] + keys + ['⌫']
            put_buttons(keys, onclick=press, serial_mode=True, small=False)


if __name__ == '__main__':
    start_server(main, port=8080)
