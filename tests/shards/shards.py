#!/usr/bin/env python3
"""shards.py: beyond one machine (issue 7), suite 'shards'.

  1. Equivalence: the same articles in one database, in two local shards
     (newsidx build --shards 2, by threads and by one writer) and in one
     local shard plus one served by xapian-tcpsrv on 127.0.0.1: newsq's JSON
     output is identical, hit by hit (ranking, snippets, filters, sorting,
     collapse, --collapse story, --explain, --offset, --count), for a set of
     queries.
  2. Failures: a remote shard that is down, and one that accepts the
     connection but never answers: newsq names the shard and exits 3; with
     --partial it prints the other shards' hits, warns, and exits 5;
     --timeout bounds the wait.
  3. Replication: xapian-replicate-server serves the index folder's parent,
     xapian-replicate keeps a replica; the replica answers like the primary,
     and answers throughout while the primary is being rebuilt.
  4. Incremental builds keep working on shards (a change, a deletion).

Servers listen on 127.0.0.1, on ports the kernel picked free, each in its
own session (xapian-tcpsrv signals its whole process group on SIGTERM), and
are stopped by pid at the end. Prints "shards: N passed, N failed".
"""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

NEWSIDX = os.environ["NEWSIDX"]
NEWSQ = os.environ["NEWSQ"]
SRC = os.environ["NEWSIDX_SRC"]

passed = failed = 0
servers = []


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL shards: " + what, file=sys.stderr)
    return cond


WORDS = (
    "الحكومة وزير الخارجية غزة الهدنة المساعدات الإنسانية مجلس الأمن "
    "الرياض القاهرة بيروت دمشق عمان الرئيس الوزراء الاقتصاد النفط الأسعار "
    "المباراة الهلال النصر الدوري المنتخب الطقس الأمطار الرياح التعليم "
    "الجامعة الطلاب المستشفى الصحة اللقاح المؤتمر الصحفي الاجتماع اتفاق "
    "السلام المفاوضات البرلمان الانتخابات المواطنين الشركة السوق البورصة"
).split()
SOURCES = ["واس", "الرياض", "عكاظ", "المدينة", "سبق"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July"]


def make_corpus(path, n, seed=7):
    """N articles with varied dates and sources, and three copies of the
    seed article (one related article shared by three files)."""
    rng = random.Random(seed)
    os.makedirs(path)
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7)))
        body = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
                for _ in range(rng.randint(1, 4))]
        day = rng.randint(1, 28)
        date = "%d%s, %s 2015 GMT" % (day, "th", rng.choice(MONTHS))
        with open(os.path.join(path, "a%04d.txt" % i), "w", encoding="utf-8") as f:
            f.write("\n".join([title, "تاريخ النشر: " + date, *body,
                               "المصدر: " + rng.choice(SOURCES)]) + "\n")
    # The seed's related article, in three files whose main articles
    # differ by a line (identical copies would be collapsed into one, and
    # which copy stands for them under --sort date follows document ids).
    seed_dir = os.path.join(SRC, "corpus")
    seed_file = sorted(os.listdir(seed_dir))[0]
    with open(os.path.join(seed_dir, seed_file), encoding="utf-8") as f:
        lines = f.read().split("\n")
    for k in range(3):
        extra = "نسخة رقم %d من الخبر." % (k + 1)
        with open(os.path.join(path, "seed%d.txt" % k), "w", encoding="utf-8") as f:
            f.write("\n".join(lines[:3] + [extra] + lines[3:]))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, secs=10):
    t = time.monotonic() + secs
    while time.monotonic() < t:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def start(cmd, port):
    """Start a server in its own session; wait until PORT accepts."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    servers.append(p)
    if not check(wait_port(port, p), "server did not start: %s" % cmd):
        return None
    return p


def stop_all():
    for p in servers:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


class SilentServer:
    """Accepts connections and never answers: a shard too slow to wait for."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def close(self):
        for c in self.conns:
            c.close()
        self.sock.close()


def newsq(db, *args, timeout=600, env=None):
    return subprocess.run([NEWSQ, "--db", db, *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def build(corpus, db, *args, env=None):
    r = subprocess.run([NEWSIDX, "build", "--quiet", "--corpus", corpus,
                        "--db", db, *args], capture_output=True, text=True,
                       env=env)
    check(r.returncode == 0, "build %s %s: exit %d: %s"
          % (db, args, r.returncode, r.stderr))
    return r


QUERIES = ["الهدنة غزة", "وزير الخارجية", '"مجلس الأمن"', "النفط OR البورصة",
           "الهلال NEAR النصر", "title:الاقتصاد", "الرياض -الطقس", "الانتخاب*",
           "سلطنة عمان"]
OPTIONS = [[], ["--sort", "date"], ["--sort", "-date"],
           ["--since", "2015-03-01", "--until", "2015-05-31"],
           ["--source", "واس", "--source", "سبق"], ["--no-collapse"],
           ["--explain"], ["--offset", "5", "--limit", "5"], ["--count"],
           ["--limit", "100"], ["--collapse", "story"]]


def equivalence(dbs):
    ref_name, ref = dbs[0]
    differ = 0
    for q in QUERIES:
        for opts in OPTIONS:
            want = newsq(ref, "--format", "json", *opts, "--", q)
            for name, db in dbs[1:]:
                got = newsq(db, "--format", "json", *opts, "--", q)
                same = (got.returncode, got.stdout) == (want.returncode, want.stdout)
                if not same:
                    differ += 1
                check(same, "%s differs from %s for %r %s (exit %d vs %d)%s"
                      % (name, ref_name, q, opts, got.returncode,
                         want.returncode, first_diff(want.stdout, got.stdout)))
    hits = newsq(ref, "--format", "ids", "--limit", "1000", "--", "الهدنة OR الرياض")
    check(len(hits.stdout.split()) > 50, "equivalence proves little: %d hits"
          % len(hits.stdout.split()))
    return differ


def first_diff(a, b):
    la, lb = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return "\n  line %d:\n  want %s\n  got  %s" % (i + 1, x[:200], y[:200])
    return "\n  %d lines vs %d" % (len(la), len(lb))


def write_stub(path, lines):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "XAPIANDB"), "w") as f:
        f.write("\n".join(lines) + "\n")


def new_since(tmp, corpus, one, two, mixed):
    """--new-since works the same on one database and on shards, remote
    ones included (it filters on the first-indexed mark, not on ids)."""
    states = {}
    for name, db in (("one", one), ("mixed", mixed)):
        states[name] = os.path.join(tmp, "state-" + name)
        r = newsq(db, "--new-since", states[name], "--format", "ids",
                  "--limit", "1000", "--", "الهدنة OR الرياض")
        check(r.returncode == 0, "new-since first run on %s: exit %d: %s"
              % (name, r.returncode, r.stderr))
    with open(os.path.join(corpus, "zz-new.txt"), "w", encoding="utf-8") as f:
        f.write("الرياض تستضيف مؤتمر الهدنة\nوصل الوفود إلى الرياض.\n")
    build(corpus, one)
    build(corpus, two)
    for name, db in (("one", one), ("mixed", mixed)):
        r = newsq(db, "--new-since", states[name], "--format", "ids",
                  "--limit", "1000", "--", "الهدنة OR الرياض")
        check(r.returncode == 0 and r.stdout == "zz-new\n", "new-since on %s: "
              "exit %d, %r, want only the new article: %s"
              % (name, r.returncode, r.stdout[:200], r.stderr))


def failures(tmp, two):
    local = "auto " + os.path.join(two, "shard-0")
    # Down: nothing listens on the port.
    dead = free_port()
    down = os.path.join(tmp, "down")
    write_stub(down, [local, "remote 127.0.0.1:%d" % dead])
    r = newsq(down, "--", "الهدنة")
    check(r.returncode == 3, "shard down: exit %d, want 3" % r.returncode)
    check("127.0.0.1:%d" % dead in r.stderr, "shard down: the message does "
          "not name it: %r" % r.stderr)
    r = newsq(down, "--partial", "--format", "ids", "--", "الهدنة")
    check(r.returncode == 5, "shard down, --partial: exit %d, want 5: %s"
          % (r.returncode, r.stderr))
    check(r.stdout.strip() != "", "shard down, --partial: no hits from the "
          "other shard")
    check("127.0.0.1:%d" % dead in r.stderr and "partial" in r.stderr,
          "shard down, --partial: no warning naming it: %r" % r.stderr)
    want = newsq(os.path.join(two, "shard-0"), "--format", "ids", "--", "الهدنة")
    check(r.stdout == want.stdout, "shard down, --partial: not the hits of "
          "the shard that answered")

    # Slow: accepts, never answers; --timeout bounds the wait.
    silent = SilentServer()
    slow = os.path.join(tmp, "slow")
    write_stub(slow, [local, "remote 127.0.0.1:%d" % silent.port])
    t = time.monotonic()
    r = newsq(slow, "--timeout", "1", "--", "الهدنة")
    took = time.monotonic() - t
    check(r.returncode == 3, "slow shard: exit %d, want 3" % r.returncode)
    check(took < 6, "slow shard: --timeout 1 waited %.1f s" % took)
    check("127.0.0.1:%d" % silent.port in r.stderr, "slow shard: the message "
          "does not name it: %r" % r.stderr)
    t = time.monotonic()
    r = newsq(slow, "--timeout", "1", "--partial", "--format", "ids", "--", "الهدنة")
    took = time.monotonic() - t
    check(r.returncode == 5 and r.stdout == want.stdout, "slow shard, "
          "--partial: exit %d, hits %r" % (r.returncode, r.stdout[:100]))
    check(took < 6, "slow shard, --partial: waited %.1f s" % took)
    silent.close()
    r = newsq(slow, "--timeout", "soon", "--", "x")
    check(r.returncode == 2, "--timeout soon: exit %d, want 2" % r.returncode)

    # Every shard down: no index, even with --partial.
    none = os.path.join(tmp, "none")
    write_stub(none, ["remote 127.0.0.1:%d" % dead])
    r = newsq(none, "--partial", "--", "الهدنة")
    check(r.returncode == 3, "all shards down, --partial: exit %d, want 3"
          % r.returncode)


# Seconds after which a replication pass is taken for hung (see replicate).
REPLICATE_HANG = 1200


def replication(tmp, corpus):
    env = dict(os.environ, XAPIAN_MAX_CHANGESETS="10")
    parent = os.path.join(tmp, "primary")
    os.makedirs(parent)
    primary = os.path.join(parent, "idx")
    build(corpus, primary, "--jobs", "1", env=env)
    port = free_port()
    if not start(["xapian-replicate-server", "-I", "127.0.0.1", "-p",
                  str(port), parent], port):
        return
    replica = os.path.join(tmp, "replica")

    def replicate():
        # One pass (-o) ends by itself: wait for it as long as a busy
        # machine needs (it once passed 120 s on a fresh clone while the
        # machine was busy); the bound is for a hang only.
        try:
            r = subprocess.run(["xapian-replicate", "-h", "127.0.0.1", "-p",
                                str(port), "-m", "idx", "-o", "-q", replica],
                               capture_output=True, text=True,
                               timeout=REPLICATE_HANG)
        except subprocess.TimeoutExpired:
            check(False, "xapian-replicate still running after %d s"
                  % REPLICATE_HANG)
            return
        check(r.returncode == 0, "xapian-replicate: exit %d: %s"
              % (r.returncode, r.stderr))

    replicate()
    for q in QUERIES[:4]:
        a = newsq(primary, "--format", "json", "--", q)
        b = newsq(replica, "--format", "json", "--", q)
        check((a.returncode, a.stdout) == (b.returncode, b.stdout),
              "replica answers unlike the primary for %r" % q)
    before = newsq(replica, "--count", "--", "الهدنة OR الرياض").stdout

    # The primary rebuilds (300 changed and 200 new files) while the
    # replica is searched and kept current.
    more = os.path.join(tmp, "more")
    make_corpus(more, 200, seed=99)
    for name in os.listdir(more):
        shutil.move(os.path.join(more, name), os.path.join(corpus, "n" + name))
    for name in sorted(os.listdir(corpus))[:300]:
        with open(os.path.join(corpus, name), "a", encoding="utf-8") as f:
            f.write("الرياض تحديث\n")
    p = subprocess.Popen([NEWSIDX, "build", "--quiet", "--jobs", "1",
                          "--commit-every", "20", "--corpus", corpus, "--db",
                          primary], env=env, stderr=subprocess.PIPE)
    runs = bad = 0
    while p.poll() is None or runs < 3:
        r = newsq(replica, "--format", "ids", "--", "الهدنة OR الرياض")
        runs += 1
        if r.returncode != 0:
            bad += 1
            print("replica search %d: exit %d: %s" % (runs, r.returncode,
                                                       r.stderr), file=sys.stderr)
        if runs % 3 == 0:
            replicate()
    p.wait()
    check(p.returncode == 0, "primary rebuild: exit %d: %s"
          % (p.returncode, p.stderr.read().decode(errors="replace")))
    p.stderr.close()
    check(bad == 0, "%d of %d replica searches failed during the rebuild"
          % (bad, runs))
    replicate()
    after_p = newsq(primary, "--count", "--", "الهدنة OR الرياض").stdout
    after_r = newsq(replica, "--count", "--", "الهدنة OR الرياض").stdout
    check(after_r == after_p and after_r != before, "replica not current "
          "after the rebuild: %s vs %s (before %s)"
          % (after_r.strip(), after_p.strip(), before.strip()))
    a = newsq(primary, "--format", "json", "--limit", "20", "--", "الرياض تحديث")
    b = newsq(replica, "--format", "json", "--limit", "20", "--", "الرياض تحديث")
    check(a.stdout == b.stdout and a.stdout, "replica answers unlike the "
          "primary after the rebuild")
    print("shards: replica searched %d times during the rebuild" % runs)


def incremental(tmp, corpus, one, two):
    os.remove(os.path.join(corpus, "a0007.txt"))
    with open(os.path.join(corpus, "a0008.txt"), "a", encoding="utf-8") as f:
        f.write("خبر عاجل عن الزلزال\n")
    build(corpus, one)
    build(corpus, two)
    for q in ["الزلزال", "الهدنة غزة", "الرياض"]:
        a = newsq(one, "--format", "json", "--limit", "50", "--", q)
        b = newsq(two, "--format", "json", "--limit", "50", "--", q)
        check((a.returncode, a.stdout) == (b.returncode, b.stdout),
              "after a change and a deletion, shards differ for %r" % q)
    s = subprocess.run([NEWSIDX, "stats", "--db", two], capture_output=True,
                       text=True)
    check("shards: 2" in s.stdout and "shard-1:" in s.stdout,
          "stats does not report per shard: %s" % s.stdout)


def main():
    tmp = tempfile.mkdtemp(prefix="newsidx-shards.")
    try:
        run(tmp)
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    print("shards: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run(tmp):
    corpus = os.path.join(tmp, "corpus")
    make_corpus(corpus, 400)
    one = os.path.join(tmp, "one")
    two = os.path.join(tmp, "two")
    two1 = os.path.join(tmp, "two1")
    build(corpus, one, "--jobs", "1")
    build(corpus, two, "--shards", "2", "--jobs", "2")
    build(corpus, two1, "--shards", "2", "--jobs", "1")
    port = free_port()
    if not start(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                  str(port), "--quiet", os.path.join(two, "shard-1")], port):
        return
    mixed = os.path.join(tmp, "mixed")
    write_stub(mixed, ["auto " + os.path.join(two, "shard-0"),
                       "remote 127.0.0.1:%d" % port])
    tcp = os.path.join(tmp, "tcp")
    write_stub(tcp, ["# the remote line as the issue writes it",
                     "auto " + os.path.join(two, "shard-0"),
                     "remote tcp 127.0.0.1 %d" % port])
    a = newsq(mixed, "--format", "json", "--", "الهدنة غزة")
    b = newsq(tcp, "--format", "json", "--", "الهدنة غزة")
    check(a.returncode == 0 and a.stdout == b.stdout,
          "'remote tcp HOST PORT' is not read as 'remote HOST:PORT'")
    differ = equivalence([("one database", one), ("two shards", two),
                          ("two shards, one writer", two1),
                          ("local + remote shard", mixed)])
    print("shards: %d queries x %d option sets compared over 4 layouts, %d "
          "differences" % (len(QUERIES), len(OPTIONS), differ))
    new_since(tmp, corpus, one, two, mixed)
    failures(tmp, two)
    incremental(tmp, corpus, one, two)
    replication(tmp, corpus)


if __name__ == "__main__":
    sys.exit(main())
