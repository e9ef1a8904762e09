#!/usr/bin/env python3
"""crash.py: crash safety of `newsidx build` (issues 5 and 6).

Indexes 3000 small synthetic articles, killing the build with SIGKILL at
KILLS different moments.

Serial builds (--jobs 1) commit every COMMIT files, in sorted file order,
and a build resumes where the last commit left it (committed files are
unchanged, so skipped). After each kill the index must hold exactly the
files of a commit point: the first min(k * COMMIT, N) files for some k, or
what it held before. The kill moments are spread over what is left to do
(measured on an uninterrupted build); once a build completes, the index is
removed and the next one starts from nothing. After every kill:

  - newsq opens the index (exit 0 or 1, never 3);
  - xapian-check finds no error;
  - the set of documents (their Q id terms) is {art_00000 .. art_M-1} with
    M the number of the previous kill or a later commit point;

then a last, uninterrupted build ends with exactly the documents of a clean
build.

Sharded first builds (--jobs 2) write temporary shards and move the merged
index in at the end: after each of SHARD_KILLS kills there is either no
index at all (or an empty one) or the whole, checked index, and a
last build ends with the documents of a clean build.

A JSON lines file that grew (issue 14) is read from where the last build
stopped: kills during that appended read leave the records before the
append or all of them, never one twice (appended()).

Prints "crash: N passed, N failed".
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_corpus  # noqa: E402

N = 3000
COMMIT = 250
KILLS = 24
SHARD_KILLS = 8
NEWSIDX = os.environ["NEWSIDX"]
NEWSQ = os.environ["NEWSQ"]

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL crash: " + what, file=sys.stderr)
    return cond


def build_cmd(corpus, db, jobs=1):
    return [NEWSIDX, "build", "--quiet", "--commit-every", str(COMMIT),
            "--jobs", str(jobs), "--corpus", corpus, "--db", db]


def timed_build(corpus, db, jobs=1):
    t = time.monotonic()
    r = subprocess.run(build_cmd(corpus, db, jobs), capture_output=True,
                       text=True)
    return r, time.monotonic() - t


def kill_build(cmd, at):
    """Start CMD, SIGKILL it after AT seconds. Returns (killed, exit, stderr)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(at)
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait()
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    return killed, p.returncode, err


def doc_ids(db):
    """The ids of the documents in DB (its Q terms), via xapian-delve."""
    r = subprocess.run(["xapian-delve", "-a", db], capture_output=True,
                       text=True)
    if r.returncode != 0:
        return None
    return {t[1:] for t in r.stdout.split() if t.startswith("Qart_")}


def doc_count(db):
    r = subprocess.run(["xapian-delve", db], capture_output=True, text=True)
    m = re.search(r"number of documents = (\d+)", r.stdout)
    return int(m.group(1)) if m else None


def first(m):
    return {"art_%05d" % i for i in range(m)}


def main():
    tmp = tempfile.mkdtemp(prefix="newsidx-crash.")
    try:
        run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("crash: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run(tmp):
    t_start = time.monotonic()
    corpus = os.path.join(tmp, "corpus")
    gen_corpus.main_args(corpus, N)

    # An uninterrupted build from nothing, then over itself: the kills are
    # spread over the longer of the two.
    ref = os.path.join(tmp, "ref")
    r, t_clean = timed_build(corpus, ref)
    check(r.returncode == 0, "clean build exit %d: %s" % (r.returncode, r.stderr))
    r, t_again = timed_build(corpus, ref)
    check(r.returncode == 0, "rebuild exit %d: %s" % (r.returncode, r.stderr))
    ref_ids = doc_ids(ref)
    check(ref_ids == first(N), "clean build holds the %d articles (got %s)"
          % (N, None if ref_ids is None else len(ref_ids)))
    span = max(t_clean, t_again)
    print("crash: uninterrupted build %.2f s, rebuild %.2f s" % (t_clean, t_again))

    db = os.path.join(tmp, "db")
    have = None  # articles held after the last kill (None: no index yet)
    kills = 0
    counts = []
    i = 0
    late = 0
    while i < KILLS:
        # Up to 90% of the way: a build may run a little faster than
        # measured, and a kill after its end proves nothing. When one ends
        # first all the same (the machine got less busy), the moments
        # shrink and that moment is tried again (a few times at most).
        # Done, or stuck in the last steps (a build's own start-up is then
        # most of what is left): start again from nothing.
        if have == N or counts[-3:] == [str(have)] * 3:
            shutil.rmtree(db)
            have = None
        left = (N - (have or 0)) / N
        at = 0.9 * span * left * ((i * 7) % KILLS + 0.5) / KILLS
        killed, code, err = kill_build(build_cmd(corpus, db), at)
        if killed:
            kills += 1
        else:
            # It finished first: then it must have succeeded.
            check(code == 0, "build %d exit %d: %s" % (i, code, err))
            late += 1
            if late <= 8:
                span *= 0.85
                i -= 1
        i += 1
        if have is None and not os.path.exists(os.path.join(db, "iamglass")):
            # Killed before Xapian created the index: nothing to check but
            # that nothing half-made is there.
            check(doc_count(db) is None, "kill %d: no index, yet delve reads one" % i)
            counts.append("-")
            continue
        q = subprocess.run([NEWSQ, "--db", db, "--format", "ids", "--limit",
                            "1", "--", "مرصد"], capture_output=True, text=True)
        check(q.returncode in (0, 1), "kill %d at %.2f s: newsq exit %d: %s"
              % (i, at, q.returncode, q.stderr.strip()))
        c = subprocess.run(["xapian-check", db], capture_output=True, text=True)
        check(c.returncode == 0 and "No errors found" in c.stdout,
              "kill %d at %.2f s: xapian-check: %s" % (i, at, c.stdout[-300:]))
        ids = doc_ids(db)
        m = len(ids) if ids is not None else -1
        before = have or 0
        allowed = {before} | {max(before, min(k * COMMIT, N))
                              for k in range(1, N // COMMIT + 2)}
        check(m in allowed, "kill %d at %.2f s: %d documents, not a commit "
              "point (before: %d)" % (i, at, m, before))
        check(ids == first(m), "kill %d: the documents are not the first %d "
              "files" % (i, m))
        check(doc_count(db) == m, "kill %d: delve's count differs from the "
              "ids" % i)
        have = m
        counts.append(str(m))
    check(kills >= 20, "only %d builds were killed (want >= 20)" % kills)
    print("crash: %d kills; documents after each: %s" % (kills, " ".join(counts)))

    r, _ = timed_build(corpus, db)
    check(r.returncode == 0, "final build exit %d: %s" % (r.returncode, r.stderr))
    check(doc_ids(db) == ref_ids, "final build: not the documents of a clean build")
    check(doc_count(db) == N, "final build: %s documents, want %d" % (doc_count(db), N))
    c = subprocess.run(["xapian-check", db], capture_output=True, text=True)
    check(c.returncode == 0, "final xapian-check: " + c.stdout[-300:])

    # Sharded first builds: all or nothing.
    r, t_sharded = timed_build(corpus, db + "-s", jobs=2)
    check(r.returncode == 0, "sharded build exit %d: %s" % (r.returncode, r.stderr))
    check(doc_ids(db + "-s") == ref_ids, "sharded build: not the documents "
          "of a serial build")
    shutil.rmtree(db + "-s")
    whole = 0
    for i in range(SHARD_KILLS):
        sdb = os.path.join(tmp, "sharded")
        shutil.rmtree(sdb, ignore_errors=True)
        at = t_sharded * (i + 0.5) / SHARD_KILLS
        killed, code, err = kill_build(build_cmd(corpus, sdb, 2), at)
        if not killed:
            check(code == 0, "sharded build %d exit %d: %s" % (i, code, err))
        n = doc_count(sdb)
        # None: no index; 0: the empty one made before the shards.
        check(n in (None, 0, N), "sharded kill %d at %.2f s: %s documents, "
              "want none or %d" % (i, at, n, N))
        if n == N:
            whole += 1
            c = subprocess.run(["xapian-check", sdb], capture_output=True,
                               text=True)
            check(c.returncode == 0, "sharded kill %d: xapian-check: %s"
                  % (i, c.stdout[-300:]))
        r, _ = timed_build(corpus, sdb, jobs=2)
        check(r.returncode == 0 and doc_ids(sdb) == ref_ids,
              "sharded kill %d: the next build does not end with the "
              "documents of a clean build: %s" % (i, r.stderr))
    print("crash: sharded build %.2f s; %d of %d kills left a whole index"
          % (t_sharded, whole, SHARD_KILLS))
    appended(tmp)
    print("crash: %.1f s in all" % (time.monotonic() - t_start))


def jsonl_record(i):
    words = gen_corpus.WORDS
    body = " ".join(words[(i * 7 + k) % len(words)] for k in range(30))
    return '{"id": "j%05d", "title": "%s %d", "body": "مرصد %s", ' \
           '"date": "2023-11-29", "source": "سبق"}\n' % (
               i, words[i % len(words)], i, body)


def jsonl_ids(db):
    r = subprocess.run(["xapian-delve", "-a", db], capture_output=True,
                       text=True)
    if r.returncode != 0:
        return None
    return {t[1:] for t in r.stdout.split() if t.startswith("Qj")}


def appended(tmp):
    """Issue 14: a JSON lines file that grew is read from where the last
    build stopped. SIGKILL during that appended read: the index holds the
    records before the append or all of them (the file's articles and its
    record, with where the read ended, are in one commit), never a record
    twice, and the next build ends with every record once."""
    corpus = os.path.join(tmp, "jcorpus")
    db = os.path.join(tmp, "jdb")
    os.makedirs(corpus)
    path = os.path.join(corpus, "feed.jsonl")
    old, new = 1000, 2500
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(jsonl_record(i) for i in range(old))
    r, _ = timed_build(corpus, db)
    check(r.returncode == 0, "jsonl build exit %d: %s" % (r.returncode, r.stderr))
    before = {"j%05d" % i for i in range(old)}
    check(jsonl_ids(db) == before, "jsonl: the first %d records" % old)
    with open(path, "a", encoding="utf-8") as f:
        f.writelines(jsonl_record(i) for i in range(old, new))
    whole = {"j%05d" % i for i in range(new)}
    # How long the appended read takes, on a copy.
    shutil.copytree(db, db + "-t")
    r, t_append = timed_build(corpus, db + "-t")
    check(r.returncode == 0 and jsonl_ids(db + "-t") == whole,
          "jsonl: an uninterrupted appended read gives every record")
    shutil.rmtree(db + "-t")
    kills = 0
    seen = []
    for i in range(6):
        at = t_append * (i + 0.5) / 6
        killed, code, err = kill_build(build_cmd(corpus, db), at)
        kills += killed
        if not killed:
            check(code == 0, "jsonl build %d exit %d: %s" % (i, code, err))
        c = subprocess.run(["xapian-check", db], capture_output=True, text=True)
        check(c.returncode == 0, "jsonl kill %d: xapian-check: %s"
              % (i, c.stdout[-300:]))
        ids = jsonl_ids(db)
        n = doc_count(db)
        check(ids in (before, whole), "jsonl kill %d at %.2f s: %s records, "
              "want %d or %d" % (i, at, None if ids is None else len(ids),
                                 old, new))
        check(n == (len(ids) if ids is not None else -1),
              "jsonl kill %d: no record twice" % i)
        seen.append(str(n))
        if ids == whole:
            break
    r, _ = timed_build(corpus, db)
    check(r.returncode == 0, "jsonl final build exit %d: %s"
          % (r.returncode, r.stderr))
    check(jsonl_ids(db) == whole and doc_count(db) == new,
          "jsonl: after the kills, every record once")
    print("crash: appended JSON lines read %.2f s; %d kills; records after "
          "each: %s" % (t_append, kills, " ".join(seen)))


if __name__ == "__main__":
    sys.exit(main())
