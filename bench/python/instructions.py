"""Instructions per message of bench_parse's candidates, counted by valgrind's callgrind (``bench_parse.py --instructions``).

Each candidate runs in its own process under callgrind (user space, warmed up, instrumentation on only
around the measured loop, the loop's own cost, a ``noop`` candidate, taken off): a figure a loaded machine
does not move. String hashes are seeded per process, and the seed moves a candidate's count by up to ~2%
(dict layouts): unpaired, two candidates' ratio moves by twice that. So every candidate runs under the
same hash seeds (``PYTHONHASHSEED`` 1 to ``--seeds``, fixed in advance), each ratio is taken within a seed
(paired), and the report gives each seed's ratio, their mean and their range.

    .venv/bin/python bench/python/bench_parse.py --instructions [--seeds 3] [--number 3000] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def count_worker(candidate: str, number: int, peer: Path | None, baseline: Path | None) -> None:
    """Under callgrind, driven by ``count_instructions`` through stdin/stdout: for each workload, warms
    up, says ``ready``, waits for ``go`` (instrumentation on), parses ``number`` messages, says ``done``."""
    from bench_parse import WORKLOADS, candidate_parser

    for workload, texts in WORKLOADS.items():
        fn = candidate_parser(candidate, texts, peer, baseline)
        cycle = (texts * (number // len(texts) + 1))[:number]
        for t in cycle[:200]:
            fn(t)
        print("ready", workload, flush=True)
        sys.stdin.readline()
        for t in cycle:
            fn(t)
        print("done", flush=True)
        sys.stdin.readline()


def count_instructions(candidates: tuple[str, ...], number: int, peer: Path, baseline: Path | None, seed: int, script: str) -> dict[str, dict[str, float]]:
    """Instructions per message by candidate and workload (the noop loop's count taken off), every process
    (``script --count CANDIDATE`` under callgrind) under the string-hash seed ``seed``."""
    from bench_parse import WORKLOADS

    def control(pid: int, *args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True)

    found: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="wsgen-bench-cg-") as out:
        for candidate in ("noop", *candidates):
            prefix = str(Path(out) / f"cg.{candidate}")
            extra = ["--baseline", str(baseline.resolve())] if baseline else []
            cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={prefix}", sys.executable, script,
                   "--count", candidate, "--number", str(number), "--peer", str(peer), *extra]
            env = {**os.environ, "PYTHONHASHSEED": str(seed)}
            p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
            assert p.stdin is not None and p.stdout is not None
            found[candidate] = {}
            for _ in WORKLOADS:
                workload = p.stdout.readline().split()[1]
                control(p.pid, "--instr=on")
                p.stdin.write("go\n")
                p.stdin.flush()
                assert p.stdout.readline().strip() == "done"
                control(p.pid, "--instr=off")
                before = set(Path(out).glob(f"cg.{candidate}*"))
                control(p.pid, "--dump")
                (dump,) = set(Path(out).glob(f"cg.{candidate}*")) - before
                found[candidate][workload] = max(int(line.split()[1]) for line in dump.read_text().splitlines() if line.startswith(("summary:", "totals:")))
                p.stdin.write("next\n")
                p.stdin.flush()
            p.wait(120)
    return {c: {w: (n - found["noop"][w]) / number for w, n in per.items()} for c, per in found.items() if c != "noop"}


def report(args: argparse.Namespace, peer: Path, script: str) -> int:
    """Prints instructions per message of every candidate under each hash seed, and the ratios of parse_message
    to the floor, the peer (and the baseline) within each seed, with their mean and range over the seeds."""
    from bench_parse import CANDIDATES, WORKLOADS

    candidates = (*CANDIDATES, "baseline") if args.baseline else CANDIDATES
    versus = ("floor", "dmcg", *(("baseline",) if args.baseline else ()))
    ratios: dict[str, dict[str, list[float]]] = {w: {c: [] for c in versus} for w in WORKLOADS}
    print(f"instructions per message (callgrind, {args.number} messages per workload, the loop's own cost taken off)")
    print(f"{'seed':<5} {'workload':<16} " + " ".join(f"{c:>15}" for c in candidates) + "".join(f" {'parse/' + c:>15}" for c in versus))
    for seed in range(1, args.seeds + 1):
        counts = count_instructions(candidates, args.number, peer, args.baseline, seed, script)
        for workload in WORKLOADS:
            row = {c: counts[c][workload] for c in candidates}
            for c in versus:
                ratios[workload][c].append(row["parse_message"] / row[c])
            print(f"{seed:<5} {workload:<16} " + " ".join(f"{row[c]:>15,.0f}" for c in candidates)
                  + "".join(f" {ratios[workload][c][-1]:>14.3f}x" for c in versus))
    print(f"paired over {args.seeds} hash seeds: mean (min-max)")
    for workload, per in ratios.items():
        print(f"  {workload:<16} " + "   ".join(f"parse/{c} {statistics.fmean(r):.3f}x ({min(r):.3f}-{max(r):.3f})" for c, r in per.items()))
    worst_floor = max(max(per["floor"]) for per in ratios.values())
    worst_peer = max(max(per["dmcg"]) for per in ratios.values())
    print(f"goal parse_message <= 1.15x floor: {'met' if worst_floor <= 1.15 else 'NOT met'} in every seed (worst {worst_floor:.3f}x)")
    print(f"goal parse_message <= 0.85x dmcg: {'met' if worst_peer <= 0.85 else 'NOT met'} in every seed (worst {worst_peer:.3f}x)")
    return 0
