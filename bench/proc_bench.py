#!/usr/bin/env python3
"""Whole-process query latency: one new process per query, several engines.

    proc_bench.py QUERIES_FILE N NAME CMD [NAME CMD]...

Each CMD is split like a shell word list; the word @Q is replaced by the
query (one argument). The N queries (the file cycled; "qid<TAB>text" lines
keep the text) are run with every engine in turn, query by query, so that
noise from other work on the machine falls on all alike; the first
WARM (20) queries are run once with each engine beforehand, untimed (the
index and the libraries in the page cache). Output goes to /dev/null; a
non-zero exit status (newsq: 1 = no hits) is counted, not an error.

Two clocks: wall time around each process (it includes fork/exec from
Python, the same for all) and the CPU time the process used (user + system,
from wait4), which other jobs on a busy machine disturb much less. The
last engine is the reference: every other engine's line ends with its
ratios to it (p50 and p95 wall, mean CPU).
"""
import os
import shlex
import subprocess
import sys
import time

WARM = 20


def pct(v, p):
    """Nearest-rank percentile of the sorted list V."""
    return v[max(0, -(-len(v) * p // 100) - 1)]


def run(argv):
    """Run ARGV; returns (wall ms, CPU ms, exit status)."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1e3
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, (ru.ru_utime + ru.ru_stime) * 1e3, p.returncode


def main():
    if len(sys.argv) < 5 or len(sys.argv) % 2 == 0:
        sys.exit("usage: proc_bench.py QUERIES_FILE N NAME CMD [NAME CMD]...")
    qfile, n = sys.argv[1], int(sys.argv[2])
    engines = [(sys.argv[i], shlex.split(sys.argv[i + 1]))
               for i in range(3, len(sys.argv), 2)]
    with open(qfile, encoding="utf-8") as f:
        qs = [l.rstrip("\n").split("\t")[-1] for l in f]
    qs = [q for q in qs if q.strip()]

    def argv(cmd, q):
        return [q if w == "@Q" else w for w in cmd]

    for q in qs[:WARM]:
        for _, cmd in engines:
            run(argv(cmd, q))
    wall = {name: [] for name, _ in engines}
    cpu = {name: [] for name, _ in engines}
    nonzero = {name: 0 for name, _ in engines}
    for i in range(n):
        q = qs[i % len(qs)]
        for name, cmd in engines:
            w, c, rc = run(argv(cmd, q))
            wall[name].append(w)
            cpu[name].append(c)
            nonzero[name] += rc != 0
    ref = engines[-1][0]

    def stats(name):
        v = sorted(wall[name])
        return (sum(v) / len(v), pct(v, 50), pct(v, 95),
                sum(cpu[name]) / len(cpu[name]))

    r = stats(ref)
    print("  %-12s %7s %8s %8s %8s %8s %7s  %s" % (
        "engine", "queries", "mean ms", "p50 ms", "p95 ms", "cpu ms",
        "exit!=0", "ratio to %s: p50, p95, cpu" % ref))
    for name, _ in engines:
        s = stats(name)
        ratio = "" if name == ref else "%.2fx %.2fx %.2fx" % (
            s[1] / r[1], s[2] / r[2], s[3] / r[3])
        print("  %-12s %7d %8.2f %8.2f %8.2f %8.2f %7d  %s" % (
            name, len(wall[name]), s[0], s[1], s[2], s[3], nonzero[name],
            ratio))


if __name__ == "__main__":
    main()
