"""The FastAPI app serving htmio apps (internal): wiring in app.py, the routes in pages.py, postbacks.py,
stream.py and static.py, what they share in access.py and state.py; every path comes from htmio/urls.py."""
from __future__ import annotations

from htmio.server.app import create_app as create_app
from htmio.server.shard import ShardPrefix as ShardPrefix
from htmio.server.shard import drain_process as drain_process
from htmio.server.shard import health_response as health_response
from htmio.server.shard import install_drain_signals as install_drain_signals
from htmio.server.state import ServerState as ServerState
from htmio.server.static import static_response as static_response

__all__ = ["create_app", "ServerState", "static_response", "ShardPrefix", "drain_process", "install_drain_signals",
           "health_response"]
