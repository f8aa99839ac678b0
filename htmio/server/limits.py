"""How many sessions one client address may start: a token bucket per address, refilled every minute."""
from __future__ import annotations

import math
import threading


class SessionRate:
    """At most ``per_minute`` new sessions per address per minute, in bursts of as many; 0 means no limit.

        rate = SessionRate(per_minute=60)
        wait = rate.take("203.0.113.7", now=time.monotonic())   # 0.0: go ahead; else seconds to wait
    """

    MAX_ADDRESSES = 10_000  # past this many, full buckets (addresses quiet for a minute) are forgotten

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, address: str, now: float) -> float:
        """Count one new session for ``address``: 0.0 when allowed, else the seconds until one is."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, then = self._buckets.get(address, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens < 1.0:
                self._buckets[address] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[address] = (tokens - 1.0, now)
            if len(self._buckets) > self.MAX_ADDRESSES:
                self._forget_full(now, rate)
            return 0.0

    def _forget_full(self, now: float, rate: float) -> None:
        for address, (tokens, then) in list(self._buckets.items()):
            if tokens + (now - then) * rate >= self.per_minute:
                del self._buckets[address]


def retry_after(seconds: float) -> str:
    """The Retry-After header's value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
