#!/usr/bin/env python3
"""like_eval.py: precision@5 of `newsq --like` on a fixed-seed sample.

  like_eval.py sheet  --newsq B --db DB --corpus DIR [--n 25] [--seed 15]
                      [--config "30 Z,- trad 0" ...]  > sheet.txt
  like_eval.py score  --newsq B --db DB --corpus DIR [--n 25] [--seed 15]
                      [--config ...] --judged JUDGED.tsv

The sample: N main articles (file names, sorted, then random.sample with
SEED) of the corpus DIR. Each --config is a value of $NEWSQ_LIKE (like.c:
"TERMS FAMILIES SCHEME SCALED"; "" is the built-in default).

`sheet` prints, for each sampled article, its title and first paragraph,
then every hit any config puts in its top 5 (id, source, title): what a
person reads to judge "same subject or not". `score` reads JUDGED.tsv
(lines "ARTICLE<TAB>HIT<TAB>1|0", 1: same subject) and prints
precision@5 per config (a hit not judged counts as a miss and is listed).
"""
import argparse
import os
import random
import subprocess
import sys


def sample(corpus, n, seed):
    ids = sorted(f[:-4] for f in os.listdir(corpus) if f.endswith(".txt"))
    random.seed(seed)
    return random.sample(ids, n)


def top5(args, config, aid):
    env = dict(os.environ)
    env.pop("NEWSQ_LIKE", None)
    if config:
        env["NEWSQ_LIKE"] = config
    out = subprocess.run([args.newsq, "--db", args.db, "--like", aid,
                          "--limit", "5", "--format", "tsv"],
                         capture_output=True, text=True, env=env).stdout
    hits = []
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 6:  # rank, id, score, date, source, title, path
            hits.append((f[1], f[4], f[5]))
    return hits


def head(corpus, aid):
    with open(os.path.join(corpus, aid + ".txt"), encoding="utf-8",
              errors="replace") as fh:
        lines = [l.strip() for l in fh if l.strip()]
    body = [l for l in lines[1:] if not l.startswith("تاريخ النشر")]
    return lines[0] if lines else "", body[0][:300] if body else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["sheet", "score"])
    ap.add_argument("--judged")
    ap.add_argument("--newsq", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--config", action="append")
    args = ap.parse_args()
    configs = args.config or [""]
    ids = sample(args.corpus, args.n, args.seed)
    runs = {c: {a: top5(args, c, a) for a in ids} for c in configs}
    if args.mode == "sheet":
        for a in ids:
            title, lead = head(args.corpus, a)
            print(f"## {a}\t{title}\n   {lead}")
            seen = {}
            for c in configs:
                for r, (hid, src, t) in enumerate(runs[c][a], 1):
                    seen.setdefault(hid, (src, t, []))[2].append(
                        f"{configs.index(c)}:{r}")
            for hid, (src, t, where) in seen.items():
                print(f"{a}\t{hid}\t?\t{src}\t{t}\t{' '.join(where)}")
        return
    judged = {}
    with open(args.judged, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) >= 3 and f[2] in ("0", "1"):
                judged[(f[0], f[1])] = f[2] == "1"
    for c in configs:
        good = total = 0
        missing = []
        for a in ids:
            for hid, _, _ in runs[c][a]:
                total += 1
                if (a, hid) not in judged:
                    missing.append((a, hid))
                good += judged.get((a, hid), False)
        # an article with fewer than 5 hits counts its empty places as misses
        p5 = good / (5 * len(ids))
        print(f"config={c or 'default'!r} precision@5={p5:.3f} "
              f"same={good} shown={total} unjudged={len(missing)}")
        for a, h in missing:
            print(f"  unjudged: {a}\t{h}", file=sys.stderr)


if __name__ == "__main__":
    main()
