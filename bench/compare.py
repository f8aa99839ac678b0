"""htmio against PyWebIO 1.8.4 and the transport's floor, in one headless chromium, in one run.

    python bench/compare.py                      # everything, 3 runs (about 7 minutes on 2 cores)
    python bench/compare.py --quick              # 1 run, K = 100 and 300 (about 2 minutes)
    python bench/compare.py --runs 5 --only first_load,round_trip

Run it with an interpreter that has htmio and its test extras (Playwright); the README's test set-up
makes one: ``python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python bench/compare.py``.
On first use it creates ``bench/.venv-pywebio`` with ``pywebio==1.8.4`` from PyPI (never a dependency
of htmio). Every server is a subprocess on 127.0.0.1: htmio on htmio's interpreter, PyWebIO on the
bench venv's, the floor (``bench/floor.py``) on htmio's. The apps are ``bench/apps/*.py``, the same
file for both with the import chosen by ``BENCH_IMPL``; PyWebIO runs with ``cdn=False``.

Scenarios (``--only``): ``first_load``, ``throughput`` (with the floor), ``round_trip`` (with the
floor's round-trip pages), ``sessions``.
Each figure is the median over runs, with the minimum and maximum beside it; runs of the
implementations are interleaved. Prints one table per scenario and a line per goal of issue 8; raw
measurements go to ``bench/results/tmp/compare-<time>.jsonl`` and the printed report beside it
(``.md``). Nothing here is a test: the machine is shared and noisy, so read ratios within a run.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from driver import (
    CHROMIUM,
    FLOOR,
    HTMIO,
    PHASE_NAMES,
    PYWEBIO,
    Browser,
    first_load,
    percentile,
    round_trip,
    throughput,
)
from servers import BENCH, TMP, Server, ensure_pywebio_venv, htmio_python, start_app, start_floor

TARGETS = {"htmio": HTMIO, "pywebio": PYWEBIO, "floor": FLOOR}
FLOOR_ROUND_TRIPS = {  # the floor's round-trip pages (bench/floor.py): htmx as htmio uses it, and two variants
    "floor": "/rt",
    "floor, reply in the POST's answer": "/rt?reply=post",
    "floor without htmx (fetch + EventSource)": "/rt?client=raw",
}
SCENARIOS = ("first_load", "throughput", "round_trip", "sessions")
IMPLS = ("htmio", "pywebio")


@dataclass
class Plan:
    """What one run of the suite measures."""

    runs: int
    sizes: tuple[int, ...]
    pywebio_max_n: int  # PyWebIO's time grows faster than N: beyond this N it is measured ...
    slow_runs: int  # ... this many times only
    rounds: int
    ks: tuple[int, ...]
    session_rounds: int
    only: tuple[str, ...]
    timeout_s: float = 300.0

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Plan:
        only = tuple(s.strip() for s in args.only.split(",") if s.strip()) if args.only else SCENARIOS
        for name in only:
            if name not in SCENARIOS:
                raise SystemExit(f"--only {name!r}: the scenarios are {', '.join(SCENARIOS)}.")
        if args.quick:
            return cls(runs=args.runs or 1, sizes=(500, 2000, 8000), pywebio_max_n=2000, slow_runs=0,
                       rounds=50, ks=(100, 300), session_rounds=30, only=only)
        return cls(runs=args.runs or 3, sizes=(500, 2000, 8000), pywebio_max_n=2000, slow_runs=1,
                   rounds=50, ks=(100, 500, 1000), session_rounds=50, only=only)


class Recorder:
    """Raw measurements as JSON lines, and the report as it is printed."""

    def __init__(self) -> None:
        TMP.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.jsonl = TMP / f"compare-{stamp}.jsonl"
        self.report = TMP / f"compare-{stamp}.md"
        self._raw = self.jsonl.open("a")
        self._out = self.report.open("a")

    def raw(self, scenario: str, impl: str, run: int, **figures: Any) -> dict[str, Any]:
        row = {"scenario": scenario, "impl": impl, "run": run, "at": time.time(), **figures}
        self._raw.write(json.dumps(row) + "\n")
        self._raw.flush()
        return row

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self._out.write(text + "\n")
        self._out.flush()


def progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)


# ---- figures and tables ----------------------------------------------------------------------

@dataclass
class Row:
    """One figure of a table: its values per implementation over the runs."""

    figure: str
    unit: str  # 'ms', 'B', 'KiB', '/s' or '' (a count)
    values: dict[str, list[float]] = field(default_factory=dict)

    def median(self, impl: str) -> float | None:
        got = [v for v in self.values.get(impl, []) if v is not None]
        return statistics.median(got) if got else None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "B":
        return f"{value:,.0f}"
    if unit in ("ms", "KiB", "/s") and abs(value) < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def cell(values: list[float], unit: str) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "–"
    mid = fmt(statistics.median(got), unit)
    if len(got) == 1:
        return mid
    return f"{mid} ({fmt(min(got), unit)}–{fmt(max(got), unit)})"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def table(rec: Recorder, title: str, rows: list[Row], floor: bool = False,
          load: tuple[float, float] | None = None) -> None:
    rec.say(f"\n### {title}\n")
    if load is not None:  # other work on a shared machine shows here first
        rec.say(f"(1-minute load average {load[0]:.1f} before, {load[1]:.1f} after; "
                f"the machine has {os.cpu_count()} cores)\n")
    head = "| figure | htmio median (min–max) | PyWebIO median (min–max) | htmio / PyWebIO |"
    rule = "| --- | --- | --- | ---: |"
    if floor:
        head += " floor median (min–max) | htmio / floor |"
        rule += " --- | ---: |"
    rec.say(head)
    rec.say(rule)
    for row in rows:
        unit = f" ({row.unit})" if row.unit and row.unit != "/s" else (" (per s)" if row.unit == "/s" else "")
        line = (f"| {row.figure}{unit} | {cell(row.values.get('htmio', []), row.unit)} | "
                f"{cell(row.values.get('pywebio', []), row.unit)} | "
                f"{ratio(row.median('htmio'), row.median('pywebio'))} |")
        if floor:
            line += (f" {cell(row.values.get('floor', []), row.unit)} | "
                     f"{ratio(row.median('htmio'), row.median('floor'))} |")
        rec.say(line)


@dataclass
class Goal:
    """One figure issue 8 asks htmio to reach."""

    text: str
    measured: str
    met: bool | None  # None: not measured in this run


def goal(text: str, check: Callable[[], tuple[str, bool] | None]) -> Goal:
    try:
        got = check()
    except (TypeError, ZeroDivisionError, KeyError):  # a figure this run did not measure
        got = None
    if got is None:
        return Goal(text, "not measured in this run", None)
    return Goal(text, got[0], got[1])


# ---- scenarios -------------------------------------------------------------------------------

def run_first_load(plan: Plan, pythons: dict[str, str], browser: Browser,
                   rec: Recorder) -> tuple[list[Row], dict[str, list[dict[str, Any]]]]:
    """The first-load figures, and each request of the last load per implementation."""
    last: dict[str, list[dict[str, Any]]] = {}
    rows = {key: Row(name, unit) for key, name, unit in (
        ("bytes", "bytes transferred (gzipped as served)", "B"),
        ("requests", "requests (redirect hops and the stream/WebSocket included)", ""),
        ("js_bytes", "JavaScript bytes transferred", "B"),
        ("first_output_ms", "navigation start to first output visible", "ms"),
        ("input_ready_ms", "navigation start to first input shown", "ms"),
    )}
    with contextlib.ExitStack() as stack:
        servers = {impl: stack.enter_context(start_app(impl, "first_load", pythons)) for impl in IMPLS}
        for impl in IMPLS:  # a discarded load per server: its first session pays Python's imports and caches
            first_load(browser, servers[impl].url + "/", TARGETS[impl], settle_ms=200)
        for run in range(plan.runs):
            for impl in IMPLS:
                got = first_load(browser, servers[impl].url + "/", TARGETS[impl])
                rec.raw("first_load", impl, run, **got)
                for key, row in rows.items():
                    row.values.setdefault(impl, []).append(got[key])
                progress(f"first load {impl} run {run + 1}: {got['bytes']:,} B, {got['requests']} requests, "
                         f"first output {got['first_output_ms']:.0f} ms")
                last[impl] = got["each"]
    return list(rows.values()), last


def run_throughput(plan: Plan, pythons: dict[str, str], browser: Browser,
                   rec: Recorder) -> tuple[list[Row], list[Row]]:
    done: dict[int, Row] = {n: Row(f"{n} lines: navigation start to the last visible", "ms") for n in plan.sizes}
    stream: dict[int, Row] = {n: Row(f"{n} lines streamed: first line to the last visible", "ms")
                              for n in plan.sizes}
    with contextlib.ExitStack() as stack:
        servers: dict[str, Server] = {impl: stack.enter_context(start_app(impl, "throughput", pythons))
                                      for impl in IMPLS}
        servers["floor"] = stack.enter_context(start_floor(pythons))
        _throughput_runs(plan, servers, browser, rec, done, stream)
    return list(done.values()), list(stream.values())


def _throughput_runs(plan: Plan, servers: dict[str, Server], browser: Browser, rec: Recorder,
                     done: dict[int, Row], stream: dict[int, Row]) -> None:
    def url(who: str, n: int, streamed: bool) -> str:
        if who == "floor":
            return f"{servers['floor'].url}/?n={n}"
        return f"{servers[who].url}/?app={'s' if streamed else 'n'}{n}"

    for who in servers:  # warm each server up once
        throughput(browser, url(who, 0, False), TARGETS[who], 0, 60)
    for run in range(max(plan.runs, plan.slow_runs)):
        for n in plan.sizes:
            for who in ("htmio", "floor", "pywebio"):
                slow = who == "pywebio" and n > plan.pywebio_max_n
                if run >= (plan.slow_runs if slow else plan.runs):
                    continue
                # the floor always streams; its one measurement serves both tables
                for streamed in ((False,) if who == "floor" else (False, True)):
                    if streamed and slow:
                        continue
                    got = throughput(browser, url(who, n, streamed), TARGETS[who], n, plan.timeout_s)
                    rec.raw("throughput", who, run, n=n, streamed=streamed, **got)
                    if not got["complete"]:
                        rec.say(f"WARNING: {who} n={n} streamed={streamed} run {run + 1}: "
                                f"{got['lines']} of {n} lines arrived")
                    if who == "floor" or not streamed:
                        done[n].values.setdefault(who, []).append(got["done_ms"])
                    if who == "floor" or streamed:
                        stream[n].values.setdefault(who, []).append(got["stream_ms"])
                    progress(f"throughput {who} n={n}{' streamed' if streamed else ''} run {run + 1}: "
                             f"{got['done_ms']:.0f} ms (stream {got['stream_ms'] or 0:.0f} ms, "
                             f"document {got['doc_bytes']:,} B)")


def run_round_trip(plan: Plan, pythons: dict[str, str], browser: Browser,
                   rec: Recorder) -> tuple[list[Row], dict[str, list[dict[str, float]]]]:
    """The round-trip figures (the floor's ``/rt`` page beside them), and every round's phases."""
    phases: dict[str, list[dict[str, float]]] = {}
    median = Row(f"submit to output visible, median of {plan.rounds}", "ms")
    p95 = Row(f"submit to output visible, p95 of {plan.rounds}", "ms")
    pooled: dict[str, list[float]] = {}
    with contextlib.ExitStack() as stack:
        servers = {impl: stack.enter_context(start_app(impl, "round_trip", pythons)) for impl in IMPLS}
        floor = stack.enter_context(start_floor(pythons))
        urls = {impl: servers[impl].url + "/" for impl in IMPLS}
        urls.update((who, floor.url + path) for who, path in FLOOR_ROUND_TRIPS.items())
        for who, url in urls.items():
            round_trip(browser, url, TARGETS.get(who, FLOOR), 5)  # warm-up, discarded
        for run in range(plan.runs):
            for who, url in urls.items():
                got = round_trip(browser, url, TARGETS.get(who, FLOOR), plan.rounds)
                rec.raw("round_trip", who, run, **got)
                median.values.setdefault(who, []).append(got["median_ms"])
                p95.values.setdefault(who, []).append(got["p95_ms"])
                pooled.setdefault(who, []).extend(got["samples"])
                phases.setdefault(who, []).extend(
                    {**p, "output visible": v} for p, v in zip(got["phases"], got["samples"]))
                progress(f"round trip {who} run {run + 1}: median {got['median_ms']:.1f} ms, "
                         f"p95 {got['p95_ms']:.1f} ms")
    rows = [median, p95]
    if plan.runs > 1:
        all_p95 = Row(f"p95 of all {plan.runs * plan.rounds} round trips pooled", "ms")
        for who, samples in pooled.items():
            all_p95.values[who] = [percentile(samples, 95)]
        rows.append(all_p95)
    return rows, phases


def floor_variants(rec: Recorder, rows: list[Row]) -> None:
    """The round trip's floor with htmx replying over SSE (as htmio does), in the POST's answer, and
    without htmx: how much of a round trip is the transport, and how much htmx itself."""
    rec.say("\nThe round trip's floor (bench/floor.py /rt, no work on the server), and two variants:\n")
    rec.say("| floor page | " + " | ".join(f"{row.figure} ({row.unit})" for row in rows) + " |")
    rec.say("| --- |" + " ---: |" * len(rows))
    for who in FLOOR_ROUND_TRIPS:
        rec.say(f"| {who} | " + " | ".join(cell(row.values.get(who, []), row.unit) for row in rows) + " |")


def phase_table(rec: Recorder, phases: dict[str, list[dict[str, float]]]) -> None:
    """Where a round trip's time goes, from the page's side."""
    rec.say("\nWhere the time goes, ms after keydown (median / p95 of every round): 'sent' is the page's fetch() "
            "of the POST or PyWebIO's WebSocket send, 'post answered' the end of the POST, 'reply in' the first "
            "SSE or WebSocket message after it.\n")
    whos = (*IMPLS, *FLOOR_ROUND_TRIPS)
    rec.say("| phase | htmio | PyWebIO | " + " | ".join(whos[2:]) + " |")
    rec.say("| --- |" + " ---: |" * len(whos))
    for name in (*PHASE_NAMES, "output visible"):
        cells = []
        for who in whos:
            got = [p[name] for p in phases.get(who, []) if name in p]
            cells.append(f"{statistics.median(got):.1f} / {percentile(got, 95):.1f}" if got else "–")
        rec.say(f"| {name} | {' | '.join(cells)} |")


def _client_line(client: subprocess.Popen[str], expect: str, timeout: float = 600.0) -> dict[str, Any]:
    assert client.stdout is not None
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        line = client.stdout.readline()
        if not line:
            raise RuntimeError(f"the session client ended without {expect!r}; see its stderr above")
        got: dict[str, Any] = json.loads(line)
        if got.get("event") == expect:
            return got
    raise RuntimeError(f"no {expect!r} from the session client in {timeout} s")


def _tell(client: subprocess.Popen[str], line: str) -> None:
    assert client.stdin is not None
    client.stdin.write(line + "\n")
    client.stdin.flush()


def sessions_once(impl: str, k: int, plan: Plan, pythons: dict[str, str], browser: Browser) -> dict[str, Any]:
    """One fresh server of the round-trip app: K idle sessions opened and held, memory, opening rate,
    then the round trips of one browser session among them."""
    with start_app(impl, "round_trip", pythons, tag=f"-k{k}") as server:
        client = subprocess.Popen(
            [pythons["pywebio"], str(BENCH / "sessions_client.py"), "--impl", impl, "--port", str(server.port),
             "--k", str(k)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            _client_line(client, "warm")
            time.sleep(1.0)
            before = server.rss_kib()
            _tell(client, "go")
            opened = _client_line(client, "opened")
            time.sleep(2.0)  # let the last sessions' threads and buffers settle
            after = server.rss_kib()
            rt = round_trip(browser, server.url + "/", TARGETS[impl], plan.session_rounds)
            _tell(client, "check")
            alive = _client_line(client, "alive")
            _tell(client, "close")
        finally:
            try:
                client.wait(timeout=30)
            except subprocess.TimeoutExpired:
                client.kill()
                client.wait()
    return {"k": k, "rss_before_kib": before, "rss_after_kib": after, "kib_per_session": (after - before) / k,
            "open_seconds": opened["seconds"], "open_rate": k / opened["seconds"], "failed": opened["failed"],
            "open_steps_ms": opened["step_median_ms"],
            "alive": alive["alive"] - (alive["held"] - k), "held": alive["held"],
            "rt_median_ms": rt["median_ms"], "rt_p95_ms": rt["p95_ms"], "rt_samples": rt["samples"]}


def run_sessions(plan: Plan, pythons: dict[str, str], browser: Browser,
                 rec: Recorder) -> tuple[list[Row], dict[str, dict[str, float]]]:
    """The idle-session figures, and the steps of opening one session at the largest K (last run)."""
    steps: dict[str, dict[str, float]] = {}
    rows: list[Row] = []
    for k in plan.ks:
        rows += [Row(f"K={k}: server memory per idle session", "KiB"), Row(f"K={k}: sessions opened per second", "/s"),
                 Row(f"K={k}: sessions still open at the end", ""),
                 Row(f"K={k}: active session's round trip, median", "ms"),
                 Row(f"K={k}: active session's round trip, p95", "ms")]
    by_name = {row.figure: row for row in rows}
    for run in range(plan.runs):
        for k in plan.ks:
            for impl in IMPLS:
                got = sessions_once(impl, k, plan, pythons, browser)
                rec.raw("sessions", impl, run, **got)
                for suffix, key in (("server memory per idle session", "kib_per_session"),
                                    ("sessions opened per second", "open_rate"),
                                    ("sessions still open at the end", "alive"),
                                    ("active session's round trip, median", "rt_median_ms"),
                                    ("active session's round trip, p95", "rt_p95_ms")):
                    by_name[f"K={k}: {suffix}"].values.setdefault(impl, []).append(got[key])
                if k == max(plan.ks):
                    steps[impl] = got["open_steps_ms"]
                progress(f"sessions {impl} K={k} run {run + 1}: {got['kib_per_session']:.1f} KiB/session, "
                         f"{got['open_rate']:.0f}/s, {got['alive']}/{k} alive, "
                         f"round trip p95 {got['rt_p95_ms']:.1f} ms")
    return rows, steps


# ---- goals -----------------------------------------------------------------------------------

def goals(rows: dict[str, Row], plan: Plan) -> list[Goal]:
    def m(figure: str, impl: str = "htmio") -> float:
        value = rows[figure].median(impl)
        if value is None:
            raise KeyError(figure)
        return value

    load_b, load_r = "bytes transferred (gzipped as served)", "requests (redirect hops and the stream/WebSocket included)"
    first = "navigation start to first output visible"
    d2000, d8000 = "2000 lines: navigation start to the last visible", "8000 lines: navigation start to the last visible"
    rt_med = f"submit to output visible, median of {plan.rounds}"
    rt_p95 = f"submit to output visible, p95 of {plan.rounds}"
    kmax = max(plan.ks)
    mem = f"K={kmax}: server memory per idle session"
    k1000 = "K=1000: active session's round trip, p95"
    alive = "K=1000: sessions still open at the end"
    return [
        goal("first load at most 35 KB transferred (35,840 B)", lambda: (f"{m(load_b):,.0f} B", m(load_b) <= 35 * 1024)),
        goal("first load at most 6 requests", lambda: (f"{m(load_r):.0f} requests", m(load_r) <= 6)),
        goal("first output visible at least 3x sooner than PyWebIO",
             lambda: (f"{m(first, 'pywebio') / m(first):.2f}x sooner", m(first, "pywebio") / m(first) >= 3)),
        goal("2000 lines visible at least 8x faster than PyWebIO",
             lambda: (f"{m(d2000, 'pywebio') / m(d2000):.1f}x faster", m(d2000, "pywebio") / m(d2000) >= 8)),
        goal("2000 lines within 1.3x of the floor",
             lambda: (f"{m(d2000) / m(d2000, 'floor'):.2f}x the floor", m(d2000) / m(d2000, "floor") <= 1.3)),
        goal("cost linear in N: 8000 lines at most 4.5x the time of 2000",
             lambda: (f"{m(d8000) / m(d2000):.2f}x", m(d8000) / m(d2000) <= 4.5)),
        goal("round trip median at most half of PyWebIO's",
             lambda: ((f"{m(rt_med) / m(rt_med, 'pywebio'):.2f}x PyWebIO's ({m(rt_med):.1f} vs "
                       f"{m(rt_med, 'pywebio'):.1f} ms)"), m(rt_med) <= 0.5 * m(rt_med, "pywebio"))),
        goal("round trip p95 under 20 ms", lambda: (f"{m(rt_p95):.1f} ms", m(rt_p95) < 20)),
        goal(f"idle session memory at most PyWebIO's (K={kmax})",
             lambda: (f"{m(mem):.1f} vs {m(mem, 'pywebio'):.1f} KiB per session", m(mem) <= m(mem, "pywebio"))),
        goal("1000 idle sessions held, active round trip p95 under 50 ms",
             lambda: (f"p95 {m(k1000):.1f} ms, {m(alive):.0f} of 1000 open",
                      m(k1000) < 50 and m(alive) == 1000)),
    ]


# ---- main ------------------------------------------------------------------------------------

def describe(rec: Recorder, plan: Plan, pythons: dict[str, str]) -> None:
    code = ("import importlib.metadata as m; "
            "print(' '.join(f'{p} {m.version(p)}' for p in ('fastapi', 'uvicorn', 'sse-starlette')))")
    versions = subprocess.run([pythons["htmio"], "-c", code], capture_output=True, text=True, check=False).stdout.strip()
    browser_version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                     check=False).stdout.strip()
    rec.say(f"## htmio vs PyWebIO 1.8.4 ({datetime.now():%Y-%m-%d %H:%M})\n")
    rec.say(f"- {plan.runs} run(s) per figure; sizes N = {', '.join(map(str, plan.sizes))} (PyWebIO beyond "
            f"N = {plan.pywebio_max_n}: {plan.slow_runs} run(s)); {plan.rounds} round trips per run; "
            f"K = {', '.join(map(str, plan.ks))} idle sessions")
    rec.say(f"- {browser_version}, headless; htmio on {pythons['htmio']} ({versions}); "
            f"PyWebIO on {pythons['pywebio']}")
    git = ["git", "-C", str(BENCH.parent)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            check=False).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "htmio"], capture_output=True, text=True,
                           check=False).stdout
    rec.say(f"- htmio at commit {commit or '?'}" + (" with uncommitted changes in htmio/" if dirty.strip() else ""))


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="htmio against PyWebIO 1.8.4 and the transport's floor.")
    parser.add_argument("--quick", action="store_true", help="one run, K = 100 and 300, PyWebIO up to N = 2000")
    parser.add_argument("--runs", type=int, default=0, help="runs per figure (default 3, or 1 with --quick)")
    parser.add_argument("--only", default="", help=f"comma-separated scenarios: {','.join(SCENARIOS)}")
    args = parser.parse_args(list(argv) if argv is not None else None)
    plan = Plan.from_args(args)
    pythons = {"htmio": htmio_python(), "pywebio": str(ensure_pywebio_venv())}
    rec = Recorder()
    describe(rec, plan, pythons)
    rows: dict[str, Row] = {}
    started = time.monotonic()
    with Browser() as browser:
        if "first_load" in plan.only:
            before = os.getloadavg()[0]
            got, each = run_first_load(plan, pythons, browser, rec)
            table(rec, "First load (one output, then the first input)", got, load=(before, os.getloadavg()[0]))
            rec.say("\nhtmio's first load, request by request (bytes on the wire, headers included): " + ", ".join(
                f"{urlsplit(e['url']).path.rsplit('/', 1)[-1] or '/'} {e['type'].lower()} {e['bytes']:,}"
                for e in each.get("htmio", [])))
            rows.update((r.figure, r) for r in got)
        if "throughput" in plan.only:
            before = os.getloadavg()[0]
            done, streamed = run_throughput(plan, pythons, browser, rec)
            table(rec, "Throughput: N put_text lines, navigation start to the last line visible", done, floor=True,
                  load=(before, os.getloadavg()[0]))
            table(rec, "Throughput, streamed: the lines made after the page is up, first line to the last",
                  streamed, floor=True)
            rows.update((r.figure, r) for r in done + streamed)
        if "round_trip" in plan.only:
            before = os.getloadavg()[0]
            got, phases = run_round_trip(plan, pythons, browser, rec)
            table(rec, "Round trip: input() then put_text(), Enter to the output visible", got, floor=True,
                  load=(before, os.getloadavg()[0]))
            floor_variants(rec, got)
            phase_table(rec, phases)
            rows.update((r.figure, r) for r in got)
        if "sessions" in plan.only:
            before = os.getloadavg()[0]
            got, steps = run_sessions(plan, pythons, browser, rec)
            table(rec, "Idle sessions (the round-trip app, waiting in its first input())", got,
                  load=(before, os.getloadavg()[0]))
            rec.say(f"\nOpening one session, median ms per step (K={max(plan.ks)}, 8 opening at a time, last run): "
                    + "; ".join(f"{impl}: " + ", ".join(f"{name} {ms:.1f}" for name, ms in steps[impl].items())
                                for impl in IMPLS if impl in steps))
            rows.update((r.figure, r) for r in got)
    rec.say("\n### Goals of issue 8\n")
    for g in goals(rows, plan):
        state = "not measured" if g.met is None else ("met" if g.met else "MISSED")
        rec.say(f"- {state}: {g.text}: {g.measured}")
    rec.say(f"\n({time.monotonic() - started:.0f} s; raw figures in {rec.jsonl.relative_to(BENCH.parent)})")


if __name__ == "__main__":
    main()
