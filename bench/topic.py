"""htmio.shared.Topic's two hubs: how long a publish takes in the publishing thread, the round trip from a publish
to a subscriber of another hub (another process, through Redis), and the time until N messages reached S
subscribers. Prints figures; compare rows of one run (ratios), not runs on a shared machine.

    .venv/bin/python bench/topic.py [N]          # needs Debian's redis-server (apt-get install -y redis-server)
"""
from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from htmio.hubs import Hub, LocalHub  # noqa: E402
from htmio.redishub import RedisHub  # noqa: E402
from tests.redis_service import RedisService  # noqa: E402


class Counter:
    """A subscriber that counts, and wakes the bench at the count it waits for."""

    def __init__(self, topic: str) -> None:
        self.topic, self.replay = topic, 0
        self.count, self.want = 0, -1
        self.arrived = threading.Event()

    def deliver(self, payload: str) -> None:
        self.count += 1
        if self.count == self.want:
            self.arrived.set()

    def expect(self, total: int) -> None:
        self.want = total
        self.arrived.clear()
        if self.count >= total:
            self.arrived.set()


def publish_times(hub: Hub, topic: str, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        hub.publish(topic, f'{{"i": {i}, "text": "hello"}}', 20)
        times.append(time.perf_counter() - start)
    return times


def round_trips(publisher: Hub, listener: Hub, topic: str, n: int) -> list[float]:
    counter = Counter(topic)
    listener.add(counter).result(10)
    times = []
    for i in range(n):
        counter.expect(i + 1)
        start = time.perf_counter()
        publisher.publish(topic, '"ping"', 0)
        counter.arrived.wait(10)
        times.append(time.perf_counter() - start)
    listener.remove(counter)
    return times


def fan_out(publisher: Hub, listener: Hub, topic: str, n: int, subscribers: int) -> float:
    counters = [Counter(topic) for _ in range(subscribers)]
    for counter in counters:
        listener.add(counter).result(10)
        counter.expect(n)
    start = time.perf_counter()
    for i in range(n):
        publisher.publish(topic, f'{{"i": {i}}}', 20)
    for counter in counters:
        counter.arrived.wait(60)
    elapsed = time.perf_counter() - start
    for counter in counters:
        listener.remove(counter)
    return elapsed


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with RedisService() as redis_server:
        local = LocalHub()
        first, second = RedisHub(redis_server.url), RedisHub(redis_server.url)
        publish_times(first, "warm", 50)
        rows = []
        for label, hub in (("in one process", local), ("through Redis", first)):
            times = publish_times(hub, "publish", n)
            rows.append((label, statistics.median(times), max(times)))
        print(f"publish() in the publishing thread, {n} messages (median, max):")
        for label, median, worst in rows:
            print(f"  {label:16} {ms(median):>12} {ms(worst):>12}   {median / rows[0][1]:8.1f}x")
        local_trip = statistics.median(round_trips(local, local, "trip-local", 200))
        redis_trip = statistics.median(round_trips(first, second, "trip-redis", 200))
        print("publish -> a subscriber's deliver, median of 200:")
        print(f"  {'in one process':16} {ms(local_trip):>12}")
        print(f"  {'hub A -> hub B':16} {ms(redis_trip):>12}   {redis_trip / local_trip:8.1f}x  (two processes' worth of Redis connections)")
        print(f"{n} messages to S subscribers of one hub, until the last one has them all:")
        for subscribers in (1, 10, 100):
            here = fan_out(local, local, f"fan-local-{subscribers}", n, subscribers)
            there = fan_out(first, second, f"fan-redis-{subscribers}", n, subscribers)
            print(f"  S={subscribers:<4} in one process {here:8.3f} s   through Redis {there:8.3f} s   "
                  f"({n * subscribers / there:,.0f} deliveries/s through Redis, {there / here:.1f}x)")
        first.close()
        second.close()


if __name__ == "__main__":
    main()
