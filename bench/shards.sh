#!/bin/sh
# shards.sh: query latency of the same articles (saudinewsnet, 30,120) in
# one database, in two local shards, and in one local shard plus one served
# by xapian-tcpsrv on the loopback (issue 7). Prints numbers; not a test.
#
#   sh bench/shards.sh
#
# Environment as bench/run.sh: SHARED, BENCH_DIR (default
# /tmp/newsidx-bench; the extracted corpus is reused), BENCH_QUERIES,
# BENCH_NQ (default 500), BENCH_BUILD=0 (use the binaries in build/).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
W=${BENCH_DIR:-/tmp/newsidx-bench}
QFILE=${BENCH_QUERIES:-$SHARED/eval/knownitem-saudinewsnet/queries.tsv}
NQ=${BENCH_NQ:-500}
NEWSIDX=$ROOT/build/indexer/newsidx
QBENCH=$ROOT/build/bench/query_bench
if [ "${BENCH_BUILD:-1}" != 0 ]; then
    [ -d "$ROOT/build" ] || meson setup "$ROOT/build" >&2
    ninja -C "$ROOT/build" >&2
fi
command -v xapian-tcpsrv >/dev/null || { echo "xapian-tcpsrv not found (apt-get install xapian-tools)" >&2; exit 1; }
SRC=$W/saudinewsnet
if [ ! -d "$SRC" ]; then
    mkdir -p "$W"
    zstd -dc "$SHARED/corpus/saudinewsnet.tar.zst" | tar -x -C "$W"
fi
S=$W/shards
rm -rf "$S"
mkdir -p "$S"
echo "shards: building one database and two shards of $(ls "$SRC" | wc -l) articles" >&2
"$NEWSIDX" build --quiet --corpus "$SRC" --db "$S/one"
"$NEWSIDX" build --quiet --corpus "$SRC" --db "$S/two" --shards 2
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Its own session: on SIGTERM xapian-tcpsrv signals its process group.
setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$S/two/shard-1" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "xapian-tcpsrv did not start" >&2; exit 1; }
    sleep 0.1
done
mkdir -p "$S/mixed"
printf 'auto %s\nremote 127.0.0.1:%s\n' "$S/two/shard-0" "$port" >"$S/mixed/XAPIANDB"
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
echo "query latency, $NQ queries, top 10 with snippets, in one process (bench/query_bench)"
printf '  %-34s %8s %8s %8s %8s\n' layout QPS "p50 ms" "p95 ms" "p99 ms"
for l in one two mixed; do
    case $l in
    one) name="one database" ;;
    two) name="two local shards" ;;
    mixed) name="local shard + remote (loopback)" ;;
    esac
    "$QBENCH" --db "$S/$l" --n 50 --limit 10 "$QFILE" >/dev/null   # warm up
    line=$("$QBENCH" --db "$S/$l" --n "$NQ" --limit 10 "$QFILE")
    printf '  %-34s %8s %8s %8s %8s\n' "$name" "$(kv qps "$line")" \
        "$(kv p50_ms "$line")" "$(kv p95_ms "$line")" "$(kv p99_ms "$line")"
done
