#!/bin/sh
# bench/server_bench.sh: newsq --serve under load (issue 13). Prints numbers;
# it is not a test.
#
#   sh bench/server_bench.sh
#
# An index of the first $BASE articles of saudinewsnet (../shared), then,
# for the same known-item queries:
#   - in process: bench/query_bench (search_run, no HTTP), one client;
#   - over HTTP: wrk with $CLIENTS connections (and once $MANY) on
#     127.0.0.1 for $SECS seconds against newsq --serve with 1 and 2
#     worker threads, idle, while `newsidx build` adds 6,000 more
#     articles (committing every 1,000) to the index being served, and
#     while `newsidx compact` swaps a new copy in, again and again.
# The HTTP runs ask facets=0 (what query_bench does: top 10, fields,
# snippets); one more run per thread count asks the facets too (the page's
# default: every match is visited). Each line: requests/s, p50 and p95
# in ms, requests that failed (connection errors or a status other than
# 200). Needs wrk (apt-get install wrk).
#
# Environment: SHARED (default ../shared), BENCH_DIR (default
# /tmp/newsidx-server-bench; the extracted corpus and the index are
# reused), BASE (articles indexed first, default 20000), CLIENTS (default
# 2: one per core), MANY (default 8), SECS (default 10), BENCH_NQ
# (in-process queries, default 500).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
W=${BENCH_DIR:-/tmp/newsidx-server-bench}
BASE=${BASE:-20000}
CLIENTS=${CLIENTS:-2}
MANY=${MANY:-8}
SECS=${SECS:-10}
NQ=${BENCH_NQ:-500}
QFILE=$SHARED/eval/knownitem-saudinewsnet/queries.tsv
NEWSIDX=$ROOT/build/indexer/newsidx
NEWSQ=$ROOT/build/searcher/newsq
QBENCH=$ROOT/build/bench/query_bench

say() { echo "server_bench: $*" >&2; }
command -v wrk >/dev/null || { say "wrk not found (apt-get install wrk)"; exit 1; }
[ -f "$QFILE" ] || { say "$QFILE not found (set SHARED)"; exit 1; }
ninja -C "$ROOT/build" >/dev/null

mkdir -p "$W"
if [ ! -f "$W/.extracted" ]; then
    say "extracting the corpus into $W/all"
    mkdir -p "$W/all"
    zstd -dc "$SHARED/corpus/saudinewsnet.tar.zst" | tar -x -C "$W/all"
    touch "$W/.extracted"
fi
# The article files of folder $1, sorted, relative to it (names are
# NNNNNN_HASH.txt: no blanks).
files() { (cd "$1" && find . -type f -name '*.txt' | sort); }
# The corpus served first: the first $BASE files (sorted), hard links in one
# folder.
if [ ! -f "$W/.base-$BASE" ]; then
    rm -rf "$W/corpus" "$W/db" "$W"/.base-*
    mkdir -p "$W/corpus"
    files "$W/all" | head -n "$BASE" | (cd "$W/all" && xargs ln -t "$W/corpus")
    say "building the index of $BASE articles"
    "$NEWSIDX" build --quiet --jobs 2 --corpus "$W/corpus" --db "$W/db"
    touch "$W/.base-$BASE"
fi

# The requests: each query as the API's URL path, cycled by wrk.
python3 - "$QFILE" "$W/paths.txt" <<'EOF'
import sys, urllib.parse
out = open(sys.argv[2], "w")
for line in open(sys.argv[1], encoding="utf-8"):
    q = line.rstrip("\n").split("\t")[-1]
    if q:
        out.write("/api/search?" + urllib.parse.urlencode({"q": q}) + "\n")
EOF
cat >"$W/bench.lua" <<'EOF'
-- Cycle through the paths of paths.txt; at the end print one line.
local paths, i = {}, 0
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local extra = os.getenv("EXTRA") or ""
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i] .. extra)
end
done = function(s, latency, requests)
    local e = s.errors
    io.write(string.format(
        "requests=%d rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f failed=%d\n",
        s.requests, s.requests / (s.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000,
        e.connect + e.read + e.write + e.status + e.timeout))
end
EOF

PID=""
stop_server() {
    [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    PID=""
}
trap stop_server EXIT
start_server() {   # THREADS
    "$NEWSQ" --db "$W/db" --serve 127.0.0.1:0 --threads "$1" 2>"$W/server.log" &
    PID=$!
    port=""
    for _ in $(seq 1 600); do
        port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$W/server.log")
        [ -n "$port" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
        sleep 0.1
    done
    [ -n "$port" ] || { say "the server did not start"; cat "$W/server.log" >&2; exit 1; }
}
load() {   # LABEL EXTRA [CONNECTIONS]
    r=$(PATHS="$W/paths.txt" EXTRA="$2" wrk -t 1 -c "${3:-$CLIENTS}" -d "${SECS}s" \
        --timeout 30s -s "$W/bench.lua" "http://127.0.0.1:$port" | tail -1)
    printf '%-34s %s\n' "$1" "$r"
}

echo "index: $BASE articles of saudinewsnet; $CLIENTS clients (unless said) for ${SECS}s per HTTP run; $(nproc) cores"
echo "newsq $(git -C "$ROOT" rev-parse --short HEAD)"
printf '%-34s %s\n' "in process (query_bench, 1 client)" \
    "$("$QBENCH" --db "$W/db" --n "$NQ" "$QFILE")"
for t in 1 2; do
    start_server "$t"
    load "http, $t thread(s), idle" "&facets=0"
    load "http, $t thread(s), idle, $MANY clients" "&facets=0" "$MANY"
    load "http, $t thread(s), idle, facets" ""
    stop_server
done
for t in 1 2; do
    # 6,000 more articles added to the served index while it is loaded (an
    # incremental build committing every 1,000); stopped after the run, and
    # the index put back as it was.
    rm -rf "$W/corpus/more"
    mkdir -p "$W/corpus/more"
    files "$W/all" | tail -n +"$((BASE + 1))" | head -n 6000 |
        (cd "$W/all" && xargs ln -t "$W/corpus/more")
    rm -rf "$W/db.saved"
    cp -a "$W/db" "$W/db.saved"
    start_server "$t"
    "$NEWSIDX" build --quiet --commit-every 1000 --corpus "$W/corpus" --db "$W/db" &
    BPID=$!
    load "http, $t thread(s), during a build" "&facets=0"
    if kill -0 "$BPID" 2>/dev/null; then
        echo "  (the build ran through the whole run)"
        kill -TERM "$BPID"
    else
        echo "  (the build ended before the run did)"
    fi
    wait "$BPID" || true
    stop_server
    rm -rf "$W/db" "$W/corpus/more"
    mv "$W/db.saved" "$W/db"
done
for t in 1 2; do
    # `newsidx compact` again and again while loaded: each run swaps a new
    # copy of the index in under the server.
    start_server "$t"
    load "http, $t thread(s), during compacts" "&facets=0" >"$W/row" &
    LPID=$!
    n=0
    while kill -0 "$LPID" 2>/dev/null; do
        "$NEWSIDX" compact --quiet --db "$W/db" && n=$((n + 1))
    done
    wait "$LPID" || true
    cat "$W/row"
    echo "  ($n compactions swapped in during the run)"
    stop_server
done
