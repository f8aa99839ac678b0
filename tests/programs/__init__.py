"""Programs written the way PyWebIO users write them, with only ``pywebio`` renamed to ``htmio``.

Each file is one app a PyWebIO user could have written (a BMI calculator, an input tour, a chat room, a
two-player game, ...). They are not examples of htmio style: they use ``import *``, module globals,
jQuery in ``run_js`` and CSS aimed at PyWebIO's DOM, because real programs do. tests/test_programs.py
drives them in-process and tests/test_browser_programs.py in chromium.
"""
