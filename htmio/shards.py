"""Shard names: the URL prefix one htmio process serves under when several run behind a balancer."""
from __future__ import annotations

import re

SHARD_NAME = re.compile(r"[a-z][a-z0-9]{1,15}")
# names a shard may not take: they would hide htmio's own paths at the root of the balancer
RESERVED = frozenset({"static"})


def check_shard(name: str, what: str = "shard") -> str:
    """``name`` if it can be a shard's URL prefix (``p1``, ``eu2``), else a ValueError saying what fits.

        check_shard("p1")        # "p1"
    """
    if not SHARD_NAME.fullmatch(name) or name in RESERVED:
        raise ValueError(
            f"{what}={name!r} is not a valid shard name: use 2 to 16 lowercase letters and digits, a letter "
            "first (p1, p2, eu1), and not 'static'. The shard (--shard, HTMIO_SHARD or start_server(shard=...)) "
            "is the URL prefix this process serves under (/p1/...) behind a balancer; see docs/deploy.md.")
    return name
