#!/bin/sh
# formats.sh: `newsidx build` on the same articles in each input format
# (issue 14): the article format (one file per article), one JSON lines
# file, one RSS file; saudinewsnet (30,120 articles) converted by
# bench/to_formats.py. Release build (build/); each index built from
# nothing, with --jobs 1 (one writer: JSON lines and feeds are written by
# one writer) and, for the article format, with the default --jobs too.
# --max-size 200000000: the JSON lines and RSS files are about 100 MB, over
# the default 64 MB limit of a file.
#
#   sh bench/formats.sh [ROW...]   (rows: article jsonl rss article-jobs;
#                                   default all)
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$(cd .. && pwd)/shared}
BENCH_DIR=${BENCH_DIR:-/tmp/newsidx-bench}
corpus="$BENCH_DIR/saudinewsnet"
if [ ! -d "$corpus" ]; then
    mkdir -p "$BENCH_DIR"
    zstd -dc "$SHARED/corpus/saudinewsnet.tar.zst" | tar -x -C "$BENCH_DIR"
fi
out="$BENCH_DIR/formats"
[ $# -gt 0 ] || set -- article jsonl rss article-jobs
rm -rf "$out"
n=$(python3 bench/to_formats.py "$corpus" "$out")
echo "articles: $n"
printf '%-22s %10s %10s %12s\n' format documents seconds articles/s
run() { # NAME DIR [OPTIONS]
    name=$1 dir=$2
    shift 2
    rm -rf "$out/db-$name"
    line=$(build/indexer/newsidx build --corpus "$dir" --db "$out/db-$name" \
        --max-size 200000000 "$@" 2>/dev/null | tail -1)
    docs=$(printf '%s\n' "$line" | sed -n 's/^[0-9]* files, \([0-9]*\) documents.*/\1/p')
    secs=$(printf '%s\n' "$line" | sed -n 's/.*errors, \([0-9.]*\) s.*/\1/p')
    printf '%-22s %10s %10s %12.0f\n' "$name" "$docs" "$secs" \
        "$(echo "$docs / $secs" | bc -l)"
}
for row in "$@"; do
    case $row in
    article) run "article --jobs 1" "$out/article" --jobs 1 ;;
    jsonl) run "jsonl" "$out/jsonl" --jobs 1 ;;
    rss) run "rss" "$out/rss" --jobs 1 ;;
    article-jobs) run "article (--jobs 2)" "$out/article" ;;
    *) echo "formats.sh: unknown row '$row'" >&2; exit 2 ;;
    esac
done
