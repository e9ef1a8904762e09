#!/bin/sh
# term_budget.sh: what each family of index terms costs (build time, index
# size) and buys (relevance on ../shared/eval), one row per family turned
# off (NEWSIDX_TERMS, see indexer/document.h), against "all" (every family).
#
#   sh bench/term_budget.sh [FAMILY_SET ...]   (default: all and each alone)
#
# Each row builds both evaluation indexes from nothing with the release
# build (build/) and scores them with tests/relevance/run.py. Build time and
# size are those of the saudinewsnet index (30,120 articles).
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-$(cd .. && pwd)/shared}
BENCH_DIR=${BENCH_DIR:-/tmp/newsidx-bench}
corpus="$BENCH_DIR/saudinewsnet"
if [ ! -d "$corpus" ]; then
    mkdir -p "$BENCH_DIR"
    zstd -dc "$SHARED/corpus/saudinewsnet.tar.zst" | tar -x -C "$BENCH_DIR"
fi
bytes=$(du -sb "$corpus" | cut -f1)
[ $# -gt 0 ] || set -- all nolead notitle nokeywords nostems nopositions
printf '%-28s %8s %8s %9s %9s %8s\n' "families off" "arcd" "known" "build s" "size MB" "x corpus"
printf '%-28s %8s %8s %9s %9s %8s\n' "" "nDCG@10" "MRR@10" "" "" ""
for cfg in "$@"; do
    w="$BENCH_DIR/budget/$cfg"
    rm -rf "$w"
    mkdir -p "$w"
    ln -s "$corpus" "$w/saudinewsnet"
    terms=$cfg
    [ "$cfg" = all ] && terms=""
    NEWSIDX_TERMS=$terms NEWSIDX_SHARED=$SHARED python3 tests/relevance/run.py \
        --keep "$w" >"$w/out"
    arcd=$(sed -n 's/^arcd-dev *nDCG@10 \([0-9.]*\).*/\1/p' "$w/out")
    known=$(sed -n 's/^knownitem-saudinewsnet .*MRR@10 \([0-9.]*\).*/\1/p' "$w/out")
    secs=$(sed -n 's/^knownitem-saudinewsnet .*build \([0-9.]*\) s.*/\1/p' "$w/out")
    size=$(du -sb "$w/knownitem-saudinewsnet.db" | cut -f1)
    awk -v c="$cfg" -v a="$arcd" -v k="$known" -v s="$secs" -v z="$size" -v b="$bytes" \
        'BEGIN { printf "%-28s %8s %8s %9s %9.1f %8.2f\n", c, a, k, s, z / 1048576, z / b }'
done
