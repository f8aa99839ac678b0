"""htmio before and after a change, in one run: ``bench/compare.py`` against two versions of htmio, interleaved.

    .venv/bin/python bench/before_after.py                       # the commit before issue 13 against this tree
    .venv/bin/python bench/before_after.py --base 1a2b3c4 --rounds 3 --only round_trip,sessions

The base commit is checked out once into ``bench/.base-<commit>`` (a git worktree, git-ignored) and
imported through ``PYTHONPATH`` by the same interpreter, so both sides run with the same dependencies,
browser and benchmark code; only ``htmio/`` differs. Rounds alternate (base, this tree, base, ...) so a
machine that gets busier part-way hurts both sides alike. Each round is one ``compare.py --quick`` run;
this prints, for every htmio figure, the median over rounds of each side, their ratio (this tree / base)
and the spread of the base's own rounds (max / min: the run-to-run noise to judge the ratio against).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TMP = BENCH / "results" / "tmp"
BEFORE_ISSUE_13 = "b937764"  # the last commit before the core rebuild (issue 13)
KEYS = ("first_output_ms", "input_ready_ms", "requests", "bytes", "done_ms", "stream_ms", "doc_response_end_ms",
        "median_ms", "p95_ms", "kib_per_session", "open_rate", "rt_median_ms", "rt_p95_ms")


def checkout(commit: str) -> Path:
    """A worktree of ``commit`` under bench/, made on first use."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", commit], capture_output=True, text=True,
                         check=True).stdout.strip()
    where = BENCH / f".base-{sha}"
    if not where.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), sha], check=True)
    return where


def one_round(pythonpath: str | None, only: str) -> list[dict[str, object]]:
    """One ``compare.py --quick`` run; its raw rows for htmio."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    started = time.time()
    argv = [sys.executable, str(BENCH / "compare.py"), "--quick", "--runs", "1"] + (["--only", only] if only else [])
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    newest = max((p for p in TMP.glob("compare-*.jsonl") if p.stat().st_mtime >= started), key=lambda p: p.stat().st_mtime)
    rows = [json.loads(line) for line in newest.read_text().splitlines() if line.strip()]
    return [r for r in rows if r.get("impl") == "htmio"]


def figures(rows: list[dict[str, object]]) -> dict[str, float]:
    """scenario/key -> value for every number of the rows (one value per key and round)."""
    out: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        tag = str(row["scenario"]) + "".join(f" {k}={row[k]}" for k in ("n", "streamed", "k") if k in row)
        for key in KEYS:
            value = row.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[f"{tag}: {key}"].append(float(value))
    return {key: statistics.median(values) for key, values in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=BEFORE_ISSUE_13, help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per side (each a compare.py --quick run)")
    parser.add_argument("--only", default="", help="scenarios, as compare.py --only")
    args = parser.parse_args()
    base = checkout(args.base)
    sides: dict[str, list[dict[str, float]]] = {"base": [], "this": []}
    for n in range(args.rounds):
        for side, path in (("base", str(base)), ("this", None)):
            print(f"round {n + 1}/{args.rounds}: {side} ...", file=sys.stderr, flush=True)
            sides[side].append(figures(one_round(path, args.only)))
    keys = sorted(set().union(*sides["base"]) & set().union(*sides["this"]))
    print(f"htmio at {args.base} (base) against this tree, {args.rounds} interleaved rounds of compare.py --quick\n")
    print("| figure | base (median) | this tree (median) | this / base | base's own spread (max/min) |")
    print("| --- | --- | --- | --- | --- |")
    for key in keys:
        b = [r[key] for r in sides["base"] if key in r]
        t = [r[key] for r in sides["this"] if key in r]
        mb, mt = statistics.median(b), statistics.median(t)
        spread = f"{max(b) / min(b):.2f}" if min(b) > 0 else "-"
        ratio = f"{mt / mb:.2f}" if mb else "-"
        print(f"| {key} | {mb:,.1f} | {mt:,.1f} | {ratio} | {spread} |")


if __name__ == "__main__":
    main()
