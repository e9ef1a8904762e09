#!/usr/bin/env python3
"""torture.py: random, seeded interleavings of every command (issue 16).

Each step changes a small generated corpus (files added under fresh names,
changed, removed) and then runs, at the same time, a random mix of:
a build (random --commit-every, sometimes --no-delete, sometimes a second
build), `newsidx compact`, alert runs (`newsq --new-since`, random
--limit, sometimes --count) and searches (a word, a prefix wildcard, json
with snippets). Writers that find the index busy must say so (exit 4);
readers must never fail (exit 0 or 1). After every step, once everything
has ended, a last build and a last alert run bring things to rest, then:

  - the index opens and passes xapian-check;
  - its document count is the corpus's article count;
  - every article ever added was reported by the alert runs exactly once
    (ids printed, plus the numbers --count printed), never twice.

Bounded in time (STEPS steps, or BUDGET seconds of steps, whichever comes
first; a slow machine runs fewer steps, it does not fail). The seed is
printed first, and on failure: TORTURE_SEED=N reruns the same choices.

Prints "torture: N passed, N failed".
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402

NEWSIDX = os.environ["NEWSIDX"]
NEWSQ = os.environ["NEWSQ"]
STEPS = 30
BUDGET = 120.0  # seconds of steps; the test's own limit is much larger

passed = failed = 0
seed = int(os.environ.get("TORTURE_SEED") or time.time_ns() % 1000000)
print("torture: seed %d (TORTURE_SEED=%d to repeat)" % (seed, seed),
      flush=True)
rng = random.Random(seed)


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL torture (seed %d): %s" % (seed, what), file=sys.stderr,
              flush=True)


def start(*args):
    return subprocess.Popen(list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


tmp = tempfile.mkdtemp(prefix="newsidx-torture.")
corpus = os.path.join(tmp, "corpus")
db = os.path.join(tmp, "db")
state = os.path.join(tmp, "alerts.state")
os.makedirs(corpus)
next_name = 0
present = set()      # ids of the files in the corpus
ever = set()         # ids of every file ever added
reported = {}        # id -> times reported by the alert runs
counted = 0          # articles reported as a number (--count)


def add(n):
    global next_name
    for _ in range(n):
        name = "t%05d" % next_name
        next_name += 1
        with open(os.path.join(corpus, name + ".txt"), "w",
                  encoding="utf-8") as f:
            f.write(gen_corpus.article(rng))
        present.add(name)
        ever.add(name)


def change(n):
    for name in rng.sample(sorted(present), min(n, len(present))):
        with open(os.path.join(corpus, name + ".txt"), "a",
                  encoding="utf-8") as f:
            f.write("تحديث %d\n" % rng.randint(0, 10 ** 6))


def remove(n):
    for name in rng.sample(sorted(present), min(n, len(present))):
        os.unlink(os.path.join(corpus, name + ".txt"))
        present.discard(name)


def build_cmd():
    cmd = [NEWSIDX, "build", "--quiet", "--corpus", corpus, "--db", db,
           "--commit-every", str(rng.choice([1, 3, 10, 1000]))]
    if rng.random() < 0.3:
        cmd.append("--no-delete")
    if rng.random() < 0.3:
        cmd += ["--wait", "600"]
    return cmd


def alert_cmd():
    cmd = [NEWSQ, "--db", db, "--new-since", state]
    if rng.random() < 0.2:
        return cmd + ["--count", "--", "مرصد"], True
    cmd += ["--format", "ids", "--limit", str(rng.choice([1, 2, 5, 100000]))]
    return cmd + ["--", "مرصد"], False


def search_cmd():
    return [NEWSQ, "--db", db, "--format",
            rng.choice(["json", "text", "tsv"]), "--",
            rng.choice(["مرصد", "الحكوم*", "وزير الخارجية", "\"مجلس الأمن\""])]


def take_alert(out, count):
    global counted
    if count:
        counted += int(out.strip() or 0)
        return
    for line in out.split():
        reported[line] = reported.get(line, 0) + 1


def has_index():
    return os.path.exists(os.path.join(db, "iamglass"))


t0 = time.monotonic()
add(40)
steps = 0
no_delete_pending = False
while steps < STEPS and time.monotonic() - t0 < BUDGET:
    steps += 1
    add(rng.randint(0, 8))
    change(rng.randint(0, 4))
    remove(rng.randint(0, 3))
    jobs = []  # (kind, popen, extra)
    jobs.append(("build", start(*build_cmd()), None))
    if rng.random() < 0.3:
        jobs.append(("build", start(*build_cmd()), None))
    if has_index() and rng.random() < 0.4:
        cmd = [NEWSIDX, "compact", "--quiet", "--db", db]
        if rng.random() < 0.3:
            cmd += ["--wait", "600"]
        jobs.append(("compact", start(*cmd), None))
    for _ in range(rng.randint(0, 3)):
        if has_index():
            cmd, count = alert_cmd()
            jobs.append(("alert", start(*cmd), count))
        if has_index():
            jobs.append(("search", start(*search_cmd()), None))
    for kind, p, extra in jobs:
        out, err = p.communicate()
        rc = p.returncode
        if kind in ("build", "compact"):
            check(rc == 0 or (rc == 4 and "is locked by pid" in err),
                  "step %d: %s exit %d: %s" % (steps, kind, rc, err[-300:]))
        elif kind == "alert":
            # 4: another alert run held the state file for over a minute
            check(rc in (0, 1), "step %d: alert run exit %d: %s"
                  % (steps, rc, err[-300:]))
            if rc in (0, 1):
                take_alert(out, extra)
        else:
            check(rc in (0, 1), "step %d: search %s exit %d: %s"
                  % (steps, p.args[-1], rc, err[-300:]))
    # At rest: one build, one alert run, then the invariants.
    r = subprocess.run([NEWSIDX, "build", "--quiet", "--corpus", corpus,
                        "--db", db], capture_output=True, text=True)
    check(r.returncode == 0, "step %d: build at rest: exit %d: %s"
          % (steps, r.returncode, r.stderr[-300:]))
    r = subprocess.run([NEWSQ, "--db", db, "--new-since", state, "--format",
                        "ids", "--limit", "100000", "--", "مرصد"],
                       capture_output=True, text=True)
    check(r.returncode in (0, 1), "step %d: alert at rest: exit %d: %s"
          % (steps, r.returncode, r.stderr[-300:]))
    take_alert(r.stdout, False)
    r = subprocess.run(["xapian-check", db], capture_output=True, text=True)
    check(r.returncode == 0, "step %d: xapian-check: %s"
          % (steps, (r.stdout + r.stderr)[-300:]))
    r = subprocess.run(["xapian-delve", db], capture_output=True, text=True)
    docs = -1
    for line in r.stdout.splitlines():
        if line.startswith("number of documents"):
            docs = int(line.split("=")[1])
    check(docs == len(present), "step %d: %d documents, the corpus has %d"
          % (steps, docs, len(present)))
    twice = sorted(k for k, v in reported.items() if v > 1)
    check(not twice, "step %d: reported twice: %s" % (steps, twice[:5]))
    unknown = sorted(set(reported) - ever)
    check(not unknown, "step %d: reported, never added: %s"
          % (steps, unknown[:5]))
    # Every article present now was new once: reported by id or counted.
    missing = present - set(reported)
    check(len(missing) <= counted,
          "step %d: %d articles never reported (%d counted): %s"
          % (steps, len(missing), counted, sorted(missing)[:5]))

total = len(reported) + counted
check(total <= len(ever), "reported %d articles, %d were ever added"
      % (total, len(ever)))
print("torture: %d steps in %.0f s, %d articles added, %d reported by id, "
      "%d counted" % (steps, time.monotonic() - t0, len(ever), len(reported),
                      counted))
shutil.rmtree(tmp, ignore_errors=True)
print("torture: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
