"""htmio: write a web app like a console program; PyWebIO's API, rendered on the server with htmx."""
from __future__ import annotations

from htmio import exceptions as exceptions
from htmio import input as input
from htmio import output as output
from htmio import pin as pin
from htmio import platform as platform
from htmio import session as session
from htmio import script as _script  # script mode (`python app.py`) plugs into the core
from htmio.exceptions import SessionClosedException as SessionClosedException
from htmio.exceptions import SessionException as SessionException
from htmio.exceptions import SessionNotFoundException as SessionNotFoundException
from htmio.platform import config as config
from htmio.platform import enable_debug as enable_debug
from htmio.platform import path_deploy as path_deploy
from htmio.platform import start_server as start_server
from htmio.settings import Settings as Settings
from htmio.utils import STATIC_PATH as STATIC_PATH

__version__ = "0.1.0"
