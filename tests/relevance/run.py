#!/usr/bin/env python3
"""Relevance check: index the evaluation sets in ../shared and score newsq.

usage: tests/relevance/run.py [--check] [--set arcd|knownitem|all] [--keep DIR]

For each set it builds an index with `newsidx build` in a temporary folder,
runs every query through `newsq --format json --limit 100`, writes a TREC run
(`qid Q0 docid rank score tag`, docid = the `id` of newsq's JSON) and scores
it with ../shared/tools/score.py. It prints one line per set:

    arcd-dev   nDCG@10 0.xxx  MRR@10 0.xxx  Recall@100 0.xxx  (N queries, T s)

With --check it exits 1 when a score falls below its floor (FLOORS below):
the floors guard against regressions; the project's targets are in README.
Programs come from $NEWSIDX / $NEWSQ (set by meson test) or build/; the data
from $NEWSIDX_SHARED or ../shared beside the source tree.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))

# Floors for --check: the targets of issue 3 (README "Relevance" has the
# scores of the last tuning run). The runs are deterministic.
FLOORS = {
    "arcd-dev": ("nDCG@10", 0.85),
    "knownitem-saudinewsnet": ("MRR@10", 0.68),
}


def prog(env, name):
    p = os.environ.get(env)
    if p:
        return p
    for sub in ("build", "build-test"):
        cand = os.path.join(SRC, sub, "indexer" if name == "newsidx" else "searcher", name)
        if os.path.exists(cand):
            return cand
    sys.exit(f"run.py: cannot find {name}: build first or set ${env}")


def shared_dir():
    d = os.environ.get("NEWSIDX_SHARED") or os.path.join(SRC, "..", "shared")
    if not os.path.isdir(d):
        sys.exit(f"run.py: shared data not found at {d} (set NEWSIDX_SHARED)")
    return os.path.abspath(d)


def build(newsidx, corpus, db):
    t0 = time.time()
    r = subprocess.run([newsidx, "build", "--corpus", corpus, "--db", db],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"run.py: newsidx build failed ({r.returncode}): {r.stderr[-2000:]}")
    return time.time() - t0, r.stdout.strip()


def search(newsq, db, qid, text, limit=100):
    r = subprocess.run([newsq, "--db", db, "--format", "json", "--limit", str(limit),
                        "--", text], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"newsq failed on {qid} ({r.returncode}): {r.stderr}")
    hits = []
    for line in r.stdout.splitlines():
        obj = json.loads(line)
        if "id" in obj:
            hits.append(obj["id"])
    return qid, hits


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            qid, _, text = line.partition("\t")
            out.append((qid, text))
    return out


def score(shared, qrels, run_path):
    r = subprocess.run([sys.executable, os.path.join(shared, "tools", "score.py"),
                        qrels, run_path], capture_output=True, text=True, check=True)
    m = {}
    for line in r.stdout.splitlines():
        parts = line.replace(":", " ").split()
        for i in range(len(parts) - 1):
            try:
                m[parts[i]] = float(parts[i + 1])
            except ValueError:
                pass
    return m, r.stdout


def run_set(name, corpus, evaldir, work, newsidx, newsq, shared, reuse=False):
    db = os.path.join(work, name + ".db")
    if reuse and os.path.isdir(db):
        btime, summary = 0.0, "reused"
    else:
        btime, summary = build(newsidx, corpus, db)
    queries = read_queries(os.path.join(evaldir, "queries.tsv"))
    t0 = time.time()
    run_path = os.path.join(work, name + ".run")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        results = list(ex.map(lambda q: search(newsq, db, q[0], q[1]), queries))
    with open(run_path, "w", encoding="utf-8") as f:
        for qid, hits in results:
            for rank, docid in enumerate(hits, 1):
                f.write(f"{qid} Q0 {docid} {rank} {1000 - rank} newsidx\n")
    qtime = time.time() - t0
    m, raw = score(shared, os.path.join(evaldir, "qrels.tsv"), run_path)
    print(f"{name:24s} nDCG@10 {m.get('nDCG@10', 0):.3f}  MRR@10 {m.get('MRR@10', 0):.3f}"
          f"  Recall@100 {m.get('Recall@100', 0):.3f}  ({len(queries)} queries,"
          f" build {btime:.1f} s [{summary}], queries {qtime:.1f} s)", flush=True)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--set", default="all", choices=["arcd", "knownitem", "all"])
    ap.add_argument("--keep", help="work folder to keep (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: search the indexes already there (tuning runs)")
    args = ap.parse_args()
    newsidx, newsq = prog("NEWSIDX", "newsidx"), prog("NEWSQ", "newsq")
    shared = shared_dir()
    failed = []
    results = {}
    with tempfile.TemporaryDirectory(prefix="newsidx-rel-") as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        if args.set in ("arcd", "all"):
            ev = os.path.join(shared, "eval", "arcd-dev")
            results["arcd-dev"] = run_set("arcd-dev", os.path.join(ev, "articles"), ev,
                                          work, newsidx, newsq, shared, args.reuse)
        if args.set in ("knownitem", "all"):
            ev = os.path.join(shared, "eval", "knownitem-saudinewsnet")
            corpus = os.path.join(work, "saudinewsnet")
            if not os.path.isdir(corpus):
                tar = os.path.join(shared, "corpus", "saudinewsnet.tar.zst")
                zstd = subprocess.Popen(["zstd", "-dc", "--", tar], stdout=subprocess.PIPE)
                subprocess.run(["tar", "-x", "-C", work], stdin=zstd.stdout, check=True)
                zstd.stdout.close()
                if zstd.wait() != 0:
                    sys.exit("run.py: cannot decompress " + tar)
            results["knownitem-saudinewsnet"] = run_set(
                "knownitem-saudinewsnet", corpus, ev, work, newsidx, newsq, shared, args.reuse)
        for name, m in results.items():
            metric, floor = FLOORS[name]
            if m.get(metric, 0) < floor:
                failed.append(f"{name}: {metric} {m.get(metric, 0):.3f} < floor {floor}")
    for f in failed:
        print("BELOW FLOOR:", f)
    print(f"relevance: {len(results) - len(failed)} passed, {len(failed)} failed")
    if args.check and failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
