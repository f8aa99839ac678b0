"""Markdown live preview

Write Markdown on the left, see it rendered below as you type.
"""
from htmio import start_server, config
from htmio.output import *
from htmio.pin import *
from htmio.session import download

START = """# Notes

- one
- two

| a | b |
|---|---|
| 1 | 2 |
"""


def save():
    download('notes.md', pin.md_text.encode('utf-8'))


@config(title='Markdown preview', css_style='#pywebio-scope-preview { border: 1px solid rgb(0, 0, 255); padding: 8px; }')
def main():
    put_markdown("""## Markdown live preview
    The preview follows the editor. Press *Save* to download your text.
    """)
    put_textarea('md_text', rows=12, code={'mode': 'markdown', 'lineWrapping': True}, value=START)
    put_buttons(['Save', 'Clear'], onclick=[save, lambda: pin_update('md_text', value='')])
    put_scope('stats')
    put_scope('preview')

    text = START
    while True:
        with use_scope('preview', clear=True):
            put_markdown(text, sanitize=False)
        with use_scope('stats', clear=True):
            put_text('words: %d' % len(text.split()))
        change = pin_wait_change('md_text')
        text = change['value']


if __name__ == '__main__':
    start_server(main, port=8080)
