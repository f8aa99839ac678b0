"""Every tunable of the htmio server in one frozen dataclass, readable from HTMIO_* environment variables."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, fields


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Settings:
    """Server settings. ``Settings.from_environ(os.environ)`` reads ``HTMIO_<FIELD>`` variables.

        settings = Settings(port=9000, debug=True)
        settings = Settings.from_environ({"HTMIO_PORT": "9000"})
    """

    host: str = field(default="127.0.0.1", metadata=_help("address to bind; 0.0.0.0 for every interface"))
    port: int = field(default=8080, metadata=_help("TCP port to listen on; 0 picks a free one"))
    debug: bool = field(default=False, metadata=_help("show tracebacks of app errors on the page"))
    disconnect_grace: float = field(
        default=25.0,
        metadata=_help("seconds a visible page may stay disconnected (reload, network cut) before its session ends"),
    )
    left_grace: float = field(
        default=5.0, metadata=_help("seconds a page that said it was closed has to come back (a reload) before its session ends")
    )
    hidden_timeout: float = field(
        default=24 * 3600.0,
        metadata=_help("seconds a hidden tab (its stream paused by the browser) keeps its session"),
    )
    nojs_idle_timeout: float = field(
        default=900.0,
        metadata=_help("seconds a page that never opened its event stream (JavaScript off) keeps its session after its last request"),
    )
    unopened_timeout: float = field(
        default=60.0, metadata=_help("seconds a new session waits for its page to be loaded at all")
    )
    ended_keep: float = field(
        default=600.0, metadata=_help("seconds an ended session's page stays readable before it is forgotten")
    )
    first_paint_wait: float = field(
        default=0.5,
        metadata=_help("seconds a new session may run before its first page is sent, so the first outputs are in it"),
    )
    settle_timeout: float = field(
        default=3.0,
        metadata=_help("seconds a form post without JavaScript waits for the app to settle before redirecting to the page"),
    )
    verdict_timeout: float = field(
        default=20.0, metadata=_help("seconds a form post waits for the app to validate it (below htmx's 60 s)")
    )
    flush_interval: float = field(
        default=0.012, metadata=_help("seconds outputs are gathered before they leave as one SSE message")
    )
    max_batch: int = field(default=200, metadata=_help("outputs at most in one SSE message"))
    replay_bytes: int = field(
        default=4 * 1024 * 1024,
        metadata=_help("bytes of recent SSE messages kept per session for replay after a reconnect"),
    )
    max_body_size: int = field(
        default=200 * 1024 * 1024, metadata=_help("largest request body accepted, in bytes")
    )
    eval_js_timeout: float = field(
        default=30.0, metadata=_help("seconds eval_js() waits for the page's answer")
    )
    trusted_proxies: str = field(
        default="", metadata=_help("comma-separated addresses of reverse proxies whose X-Forwarded-For is believed")
    )
    ping_interval: float = field(default=15.0, metadata=_help("seconds between keep-alive comments on the event stream"))
    static_dir: str = field(
        default="", metadata=_help("a folder whose files are served at /static/ (PyWebIO's static_dir); empty for none")
    )
    shard: str = field(
        default="",
        metadata=_help("serve under /<shard>/ as one of several processes behind a balancer (see docs/deploy.md): "
                       "2-16 lowercase letters and digits, a letter first, e.g. p1; empty for none"),
    )
    theme: str = field(
        default="",
        metadata=_help("the theme of every page, over config(theme=...) and $PYWEBIO_THEME: auto, light, dark, "
                       "sketchy, minty or yeti; empty to leave it to them"),
    )

    secret: str = field(
        default="",
        metadata=_help("key that signs the browser-identity cookie; empty: a random key per process (give every "
                       "process of one site, each shard behind the balancer, the same value)"),
    )
    csp: str = field(
        default="frame-ancestors 'self'; base-uri 'self'",
        metadata=_help("the Content-Security-Policy header of every answer; empty for none (the default lets "
                       "run_js, put_html and config(js_code=...) scripts run; see docs/security.md for a stricter one)"),
    )
    max_streams_per_session: int = field(
        default=4,
        metadata=_help("event streams one session may hold open (tabs showing it); a new one closes the oldest"),
    )
    session_rate: int = field(
        default=120,
        metadata=_help("new sessions one client address may start per minute, in bursts of as many; 0 for no "
                       "limit (behind a proxy, set HTMIO_TRUSTED_PROXIES, or every user shares its address)"),
    )
    shutdown_timeout: float = field(
        default=10.0,
        metadata=_help("seconds a stopping server (SIGTERM, Ctrl-C) waits for the defer_call functions of its "
                       "sessions to finish"),
    )
    redis_url: str = field(
        default="",
        metadata=_help("Redis server that htmio.shared.Topic shares messages through, across processes "
                       "(redis://host:6379/0); empty: topics stay inside this process"),
    )
    redis_timeout: float = field(
        default=3.0,
        metadata=_help("seconds Topic.publish() retries while Redis is unreachable before raising TopicUnavailable"),
    )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], **overrides: object) -> Settings:
        """Build settings from ``HTMIO_*`` variables in ``environ``; ``overrides`` win over both.

            Settings.from_environ({"HTMIO_DEBUG": "1"}, port=0)
        """
        values: dict[str, object] = {}
        for f in fields(cls):
            var = f"HTMIO_{f.name.upper()}"
            if var in environ:
                values[f.name] = _parse(var, environ[var], f.default)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed: ``settings.replace(port=0)``."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _parse(var: str, raw: str, default: object) -> object:
    text = raw.strip()
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{var}={raw!r} is not a valid bool: use 1/0, true/false, yes/no or on/off.")
    for kind in (int, float):
        if isinstance(default, kind):
            try:
                return kind(text)
            except ValueError:
                raise ValueError(f"{var}={raw!r} is not a valid {kind.__name__}.") from None
    return text


def settings_help() -> list[tuple[str, str, object]]:
    """(environment variable, help, default) for every setting: used by the CLI and the docs."""
    return [(f"HTMIO_{f.name.upper()}", f.metadata["help"], f.default) for f in fields(Settings)]
