#!/usr/bin/env python3
"""Whole-process query latency: one new process per query, two engines.

    proc_bench.py QUERIES_FILE N NAME_A "CMD_A" NAME_B "CMD_B"

Each CMD is split like a shell word list; the word @Q is replaced by the
query (one argument). The N queries (the file cycled; "qid<TAB>text" lines
keep the text) are run alternately with A and B, so that noise from other
work on the machine falls on both alike. Output goes to /dev/null; a
non-zero exit status (newsq: 1 = no hits) is counted, not an error. The
time includes fork/exec from Python (the same for both). Prints a table
and the ratios A/B of the means and p95s.
"""
import shlex
import subprocess
import sys
import time


def pct(v, p):
    """Nearest-rank percentile of the sorted list V."""
    return v[max(0, -(-len(v) * p // 100) - 1)]


def main():
    qfile, n = sys.argv[1], int(sys.argv[2])
    engines = [(sys.argv[i], shlex.split(sys.argv[i + 1])) for i in (3, 5)]
    with open(qfile, encoding="utf-8") as f:
        qs = [l.rstrip("\n").split("\t")[-1] for l in f]
    qs = [q for q in qs if q.strip()]
    times = {name: [] for name, _ in engines}
    nonzero = {name: 0 for name, _ in engines}
    for i in range(n):
        q = qs[i % len(qs)]
        for name, cmd in engines:
            argv = [q if w == "@Q" else w for w in cmd]
            t = time.perf_counter()
            rc = subprocess.call(argv, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            times[name].append((time.perf_counter() - t) * 1e3)
            nonzero[name] += rc != 0
    print("  %-12s %8s %8s %8s %8s %8s  %s" % ("engine", "queries", "mean ms",
          "p50 ms", "p95 ms", "p99 ms", "exit!=0"))
    stats = {}
    for name, _ in engines:
        v = sorted(times[name])
        stats[name] = (sum(v) / len(v), pct(v, 95))
        print("  %-12s %8d %8.2f %8.2f %8.2f %8.2f  %d" % (
            name, len(v), stats[name][0], pct(v, 50), pct(v, 95), pct(v, 99),
            nonzero[name]))
    (a, _), (b, _) = engines
    print("  ratio %s/%s: mean %.2fx, p95 %.2fx" % (
        a, b, stats[a][0] / stats[b][0], stats[a][1] / stats[b][1]))


if __name__ == "__main__":
    main()
