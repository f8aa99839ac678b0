"""Tic-tac-toe for two

Open this page in two browsers: the first visitor plays X, the second O.
"""
import threading
import time
from functools import partial

from htmio import start_server
from htmio.output import *
from htmio.session import defer_call, get_current_session, set_env, info

MARKS = ['X', 'O']

lock = threading.Lock()
board = [[None] * 3 for _ in range(3)]
seats = [None, None]      # session of X, session of O
turn = 0                  # index into MARKS
winner = None
version = 0               # bumped on every change, sessions redraw when it moves


def reset():
    global turn, winner, version
    for row in board:
        row[:] = [None] * 3
    turn, winner = 0, None
    version += 1


def find_winner():
    lines = [[(r, c) for c in range(3)] for r in range(3)]
    lines += [[(r, c) for r in range(3)] for c in range(3)]
    lines += [[(i, i) for i in range(3)], [(i, 2 - i) for i in range(3)]]
    for line in lines:
        marks = {board[r][c] for r, c in line}
        if len(marks) == 1 and None not in marks:
            return marks.pop()
    if all(all(row) for row in board):
        return 'draw'


def play(me, pos):
    global turn, winner, version
    r, c = pos
    with lock:
        if winner or MARKS[turn] != me:
            toast("It's not your turn", color='warn')
            return
        if board[r][c] is not None:
            return
        board[r][c] = me
        turn = 1 - turn
        winner = find_winner()
        version += 1


@use_scope('board', clear=True)
def show_board(me):
    cells = []
    for r in range(3):
        row = []
        for c in range(3):
            if board[r][c] is None and not winner:
                row.append(put_buttons([dict(label='·', value=(r, c), color='light')], onclick=partial(play, me)))
            else:
                row.append(put_text(board[r][c] or ' ').style('font-size: 24px; text-align: center'))
        cells.append(row)
    put_table(cells)


@use_scope('status', clear=True)
def show_status(me):
    if seats[0] is None or seats[1] is None:
        put_row([put_loading('grow', 'info'), put_text('Waiting for the other player')], size='40px 1fr')
    elif winner == 'draw':
        put_text('Draw!')
    elif winner:
        put_text('You won!' if winner == me else 'You lost.')
    elif MARKS[turn] == me:
        put_text('Your turn')
    else:
        put_text("Other player's turn")


def main():
    set_env(output_animation=False, title='Tic-tac-toe')
    session = get_current_session()
    with lock:
        if None not in seats:
            put_error('Two players are already playing. Try again later.')
            return
        seat = seats.index(None)
        seats[seat] = session
        reset()
    me = MARKS[seat]

    @defer_call
    def leave():
        with lock:
            seats[seat] = None
            reset()

    put_markdown("""## Tic-tac-toe
    You play **%s**. %s
    """ % (me, 'You start.' if me == 'X' else 'X starts.'))
    put_row([put_scope('board'), put_scope('status')], size='200px 1fr')
    put_text('on ' + ('mobile' if info.user_agent.is_mobile else 'PC'))

    shown = None
    while not session.closed():
        state = (version, seats[0] is None, seats[1] is None)
        if state != shown:
            shown = state
            show_board(me)
            show_status(me)
            if winner:
                toast('Game over')
        time.sleep(0.05)


if __name__ == '__main__':
    start_server(main, port=8080)
