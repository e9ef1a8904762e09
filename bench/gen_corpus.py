#!/usr/bin/env python3
"""Generate N synthetic articles with the word statistics of a real corpus.

    gen_corpus.py --source DIR --out DIR --n N [--seed S] [--model FILE]

The model is learnt from the .txt files in --source (saudinewsnet, flat):

- body text: a bigram (first-order Markov) chain over whitespace tokens
  (punctuation stays glued to words, as in the real text), with a
  paragraph break as a token of its own, so phrases, word frequencies and
  paragraph lengths follow the corpus;
- titles: a separate bigram chain learnt from the titles;
- lengths: the body length (in words) and the title length of each
  generated article are drawn from the real articles' lengths;
- metadata: the date, source and keywords lines are drawn from the real
  ones, with their real frequencies (a file without a source line stays
  without one).

Output: the corpus's file format (title; date line; paragraphs; source;
keywords) in OUT/0000/0000000.txt ... at most 1000 files per folder. The
same --source, --n and --seed always give the same files. The model is
cached in --model (a pickle) because learning it takes longer than
generating 10,000 articles. Progress goes to stderr every 10,000 files.
"""
import argparse
import os
import pickle
import random
import sys
import time
from array import array

PARA = "\n"  # the paragraph-break token
DATE, SOURCE, KEYWORDS = "تاريخ النشر", "المصدر:", "كلمات دلالية:"


class Chain:
    """A bigram chain: successors of each token, repeated by count, so a
    uniform pick among them is a pick by bigram probability."""

    def __init__(self):
        self.ids = {PARA: 0}
        self.words = [PARA]
        self.succ = [array("I")]

    def id(self, w):
        i = self.ids.get(w)
        if i is None:
            i = self.ids[w] = len(self.words)
            self.words.append(w)
            self.succ.append(array("I"))
        return i

    def learn(self, tokens):
        """TOKENS is one sequence; it starts and ends at PARA."""
        prev = 0
        for w in tokens:
            i = self.id(w)
            self.succ[prev].append(i)
            prev = i
        self.succ[prev].append(0)

    def walk(self, rnd, nwords, breaks=True):
        """NWORDS words (PARA tokens not counted), from a sequence start.
        BREAKS: keep paragraph breaks (body) or just go on (a title)."""
        succ, out, cur, n = self.succ, [], 0, 0
        while n < nwords:
            s = succ[cur]
            cur = s[int(rnd() * len(s))]
            if cur or (breaks and out):  # never a break before a word
                out.append(cur)
            n += cur != 0
        return out

    def text(self, ids):
        words = self.words
        return " ".join(words[i] for i in ids).replace(" \n ", "\n").strip()


def learn(source):
    body, title = Chain(), Chain()
    body_lens, title_lens, dates, sources, keywords = [], [], [], [], []
    files = sorted(f for f in os.listdir(source) if f.endswith(".txt"))
    for f in files:
        with open(os.path.join(source, f), encoding="utf-8", errors="replace") as fh:
            lines = [l.strip() for l in fh.read().split("\n")]
        lines = [l for l in lines if l]
        if not lines:
            continue
        t = lines[0].split()
        title.learn(t)
        title_lens.append(len(t))
        toks, src, kw = [], "", ""
        for l in lines[1:]:
            if l.startswith(DATE):
                dates.append(l)
            elif l.startswith(SOURCE):
                src = l
            elif l.startswith(KEYWORDS):
                kw = l
            else:
                if toks:
                    toks.append(PARA)
                toks.extend(l.split())
        body.learn(toks)
        body_lens.append(sum(1 for w in toks if w != PARA))
        sources.append(src)
        keywords.append(kw)
    return dict(body=body, title=title, body_lens=body_lens,
                title_lens=title_lens, dates=dates or [""], sources=sources,
                keywords=keywords, files=len(files))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--model")
    a = ap.parse_args()

    t0 = time.monotonic()
    m = None
    if a.model and os.path.exists(a.model):
        with open(a.model, "rb") as fh:
            m = pickle.load(fh)
    if m is None or m.get("source") != os.path.abspath(a.source):
        m = learn(a.source)
        m["source"] = os.path.abspath(a.source)
        if a.model:
            with open(a.model + ".tmp", "wb") as fh:
                pickle.dump(m, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(a.model + ".tmp", a.model)
    t1 = time.monotonic()
    print("gen_corpus: model of %d files, %d body words, %d distinct, in %.1f s"
          % (m["files"], sum(m["body_lens"]), len(m["body"].words), t1 - t0),
          file=sys.stderr)

    r = random.Random(a.seed)
    rnd, choice = r.random, r.choice
    body, title = m["body"], m["title"]
    nbytes = 0
    for i in range(a.n):
        d = os.path.join(a.out, "%04d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        parts = [title.text(title.walk(rnd, choice(m["title_lens"]), False))]
        date = choice(m["dates"])
        if date:
            parts.append(date)
        parts.append(body.text(body.walk(rnd, max(1, choice(m["body_lens"])))))
        for meta in (choice(m["sources"]), choice(m["keywords"])):
            if meta:
                parts.append(meta)
        data = ("\n".join(parts) + "\n").encode("utf-8")
        nbytes += len(data)
        with open(os.path.join(d, "%07d.txt" % i), "wb") as fh:
            fh.write(data)
        if (i + 1) % 10000 == 0:
            el = time.monotonic() - t1
            print("gen_corpus: %d/%d files, %.0f files/s, %.0f s left"
                  % (i + 1, a.n, (i + 1) / el, (a.n - i - 1) * el / (i + 1)),
                  file=sys.stderr)
    el = time.monotonic() - t1
    print("gen_corpus: %d files, %d bytes, in %.1f s (%.0f files/s)"
          % (a.n, nbytes, el, a.n / el if el else 0), file=sys.stderr)


if __name__ == "__main__":
    main()
