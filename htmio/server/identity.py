"""Browser identities: random ids signed with the server's key, so the server knows the ones it issued."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_PROCESS_KEY = secrets.token_bytes(32)  # HTMIO_SECRET replaces it; several processes of one site share that


def identity_key(secret: str) -> bytes:
    """The key that signs browser identities: ``HTMIO_SECRET``, else this process's random one."""
    return secret.encode() if secret else _PROCESS_KEY


def _mac(key: bytes, raw: str) -> str:
    digest = hmac.new(key, raw.encode(), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def issue_identity(key: bytes) -> str:
    """A new browser identity: a random id and its signature, ``<id>.<mac>``."""
    raw = secrets.token_urlsafe(18)
    return f"{raw}.{_mac(key, raw)}"


def is_issued(value: str, key: bytes) -> bool:
    """True when ``value`` is an identity this server (or a process sharing its secret) issued."""
    raw, dot, mac = value.rpartition(".")
    return bool(dot and raw) and hmac.compare_digest(mac.encode(), _mac(key, raw).encode())


