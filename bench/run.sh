#!/bin/sh
# bench/run.sh: newsidx benchmarks (issue 5), side by side with Xapian's
# scriptindex/quest (Debian xapian-omega). Prints numbers; it is not a test.
#
#   sh bench/run.sh            (a) full build, (b) rebuilds, (c) queries,
#                              (d) index size: about 4 minutes on 2 cores
#   sh bench/run.sh --quick    (a) and (c1) on a 3,000-article subset
#   sh bench/run.sh --scale    also (e): synthetic corpora of $SCALE_SIZES
#                              articles (default "100000 1000000"; the 1M
#                              step alone takes well over 20 minutes)
#   sh bench/run.sh --scale-only   (e) alone
#
# Environment: SHARED (default: ../shared beside the repository), BENCH_DIR
# (work folder, default /tmp/newsidx-bench; the extracted corpus is reused),
# BENCH_QUERIES (a queries.tsv, default the known-item set of saudinewsnet),
# BENCH_NQ (queries per run, default 500), NEWSIDX_BUILD_ARGS (extra options
# for `newsidx build`, e.g. --jobs 2), BENCH_BUILD=0 (do not run ninja; use
# the binaries already in build/). See bench/README.md for how to read it.
set -eu

QUICK=0 SCALE=0 ONLY_SCALE=0
for a in "$@"; do
    case $a in
    --quick) QUICK=1 ;;
    --scale) SCALE=1 ;;
    --scale-only) SCALE=1 ONLY_SCALE=1 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: sh bench/run.sh [--quick] [--scale | --scale-only]" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
SHARED=$(cd "$SHARED" 2>/dev/null && pwd || echo "$SHARED")
W=${BENCH_DIR:-/tmp/newsidx-bench}
QFILE=${BENCH_QUERIES:-$SHARED/eval/knownitem-saudinewsnet/queries.tsv}
NQ=${BENCH_NQ:-500}
SCALE_SIZES=${SCALE_SIZES:-100000 1000000}
NEWSIDX=$ROOT/build/indexer/newsidx
NEWSQ=$ROOT/build/searcher/newsq
QBENCH=$ROOT/build/bench/query_bench
B=$ROOT/bench

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

for t in zstd tar python3 scriptindex quest xapian-compact xapian-delve; do
    command -v $t >/dev/null ||
        die "$t not found (apt-get install zstd python3 xapian-tools xapian-omega)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
[ -f "$SHARED/corpus/saudinewsnet.tar.zst" ] ||
    die "$SHARED/corpus/saudinewsnet.tar.zst not found (set SHARED)"
[ -f "$QFILE" ] || die "$QFILE not found (set BENCH_QUERIES)"

if [ "${BENCH_BUILD:-1}" != 0 ]; then
    [ -d "$ROOT/build" ] || meson setup "$ROOT/build" >&2
    ninja -C "$ROOT/build" >&2 || die "the build failed"
fi
for x in "$NEWSIDX" "$NEWSQ" "$QBENCH"; do [ -x "$x" ] || die "$x missing"; done

mkdir -p "$W/log"
LOG=$W/log

# ------------------------------------------------------------------ helpers

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }   # calc FORMAT EXPR

# timed NAME CMD...: run CMD with stdout/stderr in $LOG/NAME.{out,err}.
# Sets SECS (wall time, measured here), RSS (peak resident MB, from
# /usr/bin/time) and RC (exit status).
timed() {
    name=$1; shift
    t0=$(now)
    RC=0
    /usr/bin/time -f %M -o "$LOG/$name.rss" "$@" \
        >"$LOG/$name.out" 2>"$LOG/$name.err" || RC=$?
    t1=$(now)
    SECS=$(calc %.2f "$t1 - $t0")
    RSS=$(awk 'END { printf "%.0f", $1 / 1024 }' "$LOG/$name.rss")
}

# A newsidx build; exit status 1 (some files skipped) is still a build.
nx_build() {   # NAME CORPUS DB
    # shellcheck disable=SC2086  # NEWSIDX_BUILD_ARGS is a word list
    timed "$1" "$NEWSIDX" build --corpus "$2" --db "$3" --quiet ${NEWSIDX_BUILD_ARGS:-}
    [ "$RC" -le 1 ] || die "newsidx build failed ($RC): $(tail -3 "$LOG/$1.err")"
}

ndocs() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
bytes() { du -sb "$1" | cut -f1; }
mb() { calc %.1f "$1 / 1048576"; }
nfiles() { find "$1" -type f -name '*.txt' | wc -l; }

# kv KEY LINE: the value of KEY in query_bench's "key=value ..." line.
kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# peer_table DB: query_bench on DB, newsidx (search_run) and the plain-Xapian
# peer (--peer: the same analyzer, surface and Z stem terms ORed, Xapian's
# BM25, ids only), top 10 and top 100, one after the other in this run;
# then the ratios of the issue's targets.
peer_table() {
    printf '  %-18s %8s %8s %8s\n' "" "mean ms" "p50 ms" "p95 ms"
    for run in "newsidx 10:--limit 10" "newsidx 100:--limit 100" \
        "newsidx 100 ids:--limit 100 --ids" "peer 10:--limit 10 --peer" \
        "peer 100:--limit 100 --peer"; do
        name=${run%%:*}
        # shellcheck disable=SC2086  # the options are a word list
        l=$("$QBENCH" --db "$1" --n "$NQ" ${run#*:} "$QFILE") || true
        printf '  %-18s %8s %8s %8s\n' "$name" "$(kv mean_ms "$l")" "$(kv p50_ms "$l")" "$(kv p95_ms "$l")"
        eval "P95_$(echo "$name" | tr ' ' _)=$(kv p95_ms "$l")"
    done
    echo "  ratios of p95: newsidx/peer top 10 $(calc %.2f "$P95_newsidx_10 / $P95_peer_10")x" \
        "(target <= 2), top 100 $(calc %.2f "$P95_newsidx_100 / $P95_peer_100")x;" \
        "newsidx top 100 / top 10 $(calc %.2f "$P95_newsidx_100 / $P95_newsidx_10")x (target <= 3)"
}

# ------------------------------------------------------------- environment

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
xver=$(xapian-config --version 2>/dev/null | sed 's/.* //' || true)
[ -n "$xver" ] || xver=$(dpkg-query -W -f '${Version}' libxapian30 2>/dev/null || echo '?')
echo "newsidx benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')$( [ $QUICK = 1 ] && echo ' (--quick)')"
echo "  cpu: $cpu, nproc $(nproc), RAM $mem, $(uname -sr)"
echo "  newsidx: commit $commit, $("$NEWSIDX" --version 2>/dev/null || echo '?')"
echo "  xapian-core $xver; $(scriptindex --version | head -1); $(quest --version | head -1)"
echo "  work dir: $W; queries: $QFILE"

# ------------------------------------------------------------------ corpus

SRC=$W/saudinewsnet
if [ ! -f "$W/.extracted" ]; then
    say "extracting $SHARED/corpus/saudinewsnet.tar.zst into $W"
    rm -rf "$SRC"
    zstd -dc "$SHARED/corpus/saudinewsnet.tar.zst" | tar -x -C "$W"
    touch "$W/.extracted"
fi
# A fresh copy for the builds: (b) modifies and deletes files in it.
C=$W/corpus
rm -rf "$C"
mkdir -p "$C"
if [ $QUICK = 1 ]; then
    (cd "$SRC" && find . -name '*.txt' | LC_ALL=C sort | head -3000 | xargs cp -p -t "$C")
else
    cp -a "$SRC/." "$C"
fi
NART=$(nfiles "$C")
CBYTES=$(bytes "$C")
echo "  corpus: $NART articles, $CBYTES bytes ($(mb "$CBYTES") MB)"
echo

if [ $ONLY_SCALE = 0 ]; then

# ------------------------------------------------------------ (a) build

NDB=$W/newsidx.db SDB=$W/scriptindex.db DUMP=$W/scriptindex-input.txt
SCRIPT=$W/scriptindex.script
# Xapian's default pipeline as omega sets it up: title and body indexed
# with positions (the title also with omega's S prefix), the Arabic
# stemmer (-s arabic: unstemmed terms + Z stems), the fields stored in the
# document data for display.
cat >"$SCRIPT" <<'EOF'
id : field=id boolean=Q unique=Q
title : field=title index=S index
body : field=text index
EOF

rm -rf "$NDB" "$SDB"
say "(a) newsidx build of $NART articles"
nx_build a-newsidx "$C" "$NDB"
A_NX_S=$SECS A_NX_RSS=$RSS A_NX_DOCS=$(ndocs "$NDB")
say "(a) converting to scriptindex's input"
t0=$(now)
python3 "$B/to_scriptindex.py" "$C" "$DUMP" >/dev/null
CONV_S=$(calc %.2f "$(now) - $t0")
say "(a) scriptindex"
timed a-scriptindex scriptindex --overwrite -s arabic "$SDB" "$SCRIPT" "$DUMP"
[ "$RC" = 0 ] || die "scriptindex failed: $(tail -3 "$LOG/a-scriptindex.err")"
A_SI_S=$SECS A_SI_RSS=$RSS A_SI_DOCS=$(ndocs "$SDB")
A_NX_R=$(calc %.0f "$NART / $A_NX_S")
A_SI_R=$(calc %.0f "$NART / $A_SI_S")
# The analysis alone (no writes), on one thread, when newsidx can do it.
DRY=
if "$NEWSIDX" build --help 2>&1 | grep -q -- --dry-run; then
    say "(a) newsidx build --dry-run --jobs 1"
    rm -rf "$W/dryrun.db"
    timed a-dryrun "$NEWSIDX" build --corpus "$C" --db "$W/dryrun.db" --dry-run --jobs 1
    [ "$RC" -le 1 ] || die "newsidx build --dry-run failed: $(tail -3 "$LOG/a-dryrun.err")"
    DRY="$SECS $(calc %.0f "$NART / $SECS") $RSS"
fi

echo "(a) full build of $NART articles"
printf '  %-16s %9s %11s %12s %10s\n' engine seconds articles/s "peak RSS MB" documents
printf '  %-16s %9s %11s %12s %10s\n' newsidx "$A_NX_S" "$A_NX_R" "$A_NX_RSS" "$A_NX_DOCS"
printf '  %-16s %9s %11s %12s %10s\n' scriptindex "$A_SI_S" "$A_SI_R" "$A_SI_RSS" "$A_SI_DOCS"
# shellcheck disable=SC2086  # DRY is three words: seconds, rate, RSS
[ -z "$DRY" ] || printf '  %-16s %9s %11s %12s %10s\n' "newsidx dry-run" $DRY -
echo "  ratio newsidx/scriptindex, articles/s: $(calc %.2f "$A_SI_S / $A_NX_S")x (target >= 2.5x)"
[ -z "$DRY" ] || echo "  dry-run: newsidx build --dry-run --jobs 1, analysis only, one thread (target >= 10,000 articles/s)"
echo "  (not counted above: converting the files to scriptindex's input took $CONV_S s)"
echo

# ---------------------------------------------------------- (b) rebuilds

if [ $QUICK = 0 ]; then
    BDB=$W/newsidx-b.db
    rm -rf "$BDB"
    cp -a "$NDB" "$BDB"
    pct() { calc %.1f "100 * $1 / $A_NX_S"; }
    echo "(b) newsidx rebuilds (a copy of the index of (a); full build: $A_NX_S s)"
    printf '  %-22s %6s %9s %13s %10s\n' case files seconds "% of full" documents

    say "(b) rebuild, nothing changed"
    nx_build b-nochange "$C" "$BDB"
    printf '  %-22s %6s %9s %13s %10s\n' "nothing changed" 0 "$SECS" "$(pct "$SECS")" "$(ndocs "$BDB")"

    # 1%: every 100th file (sorted) gets a sentence appended: new size,
    # mtime and content hash.
    (cd "$C" && find . -name '*.txt' | LC_ALL=C sort | awk 'NR % 100 == 1') >"$W/changed.list"
    while read -r f; do
        printf '%s\n' "وأضيفت هذه الجملة لقياس إعادة الفهرسة الجزئية." >>"$C/$f"
    done <"$W/changed.list"
    n=$(wc -l <"$W/changed.list")
    say "(b) rebuild, $n files changed"
    nx_build b-changed "$C" "$BDB"
    printf '  %-22s %6s %9s %13s %10s\n' "1% changed" "$n" "$SECS" "$(pct "$SECS")" "$(ndocs "$BDB")"

    (cd "$C" && find . -name '*.txt' | LC_ALL=C sort | awk 'NR % 100 == 51') >"$W/deleted.list"
    (cd "$C" && xargs rm -f <"$W/deleted.list")
    n=$(wc -l <"$W/deleted.list")
    say "(b) rebuild, $n files deleted"
    nx_build b-deleted "$C" "$BDB"
    printf '  %-22s %6s %9s %13s %10s\n' "1% deleted" "$n" "$SECS" "$(pct "$SECS")" "$(ndocs "$BDB")"
    echo "  targets: nothing changed < 3% of the full build; documents after"
    echo "  '1% deleted' should drop by the deleted files' documents"
    echo
    rm -rf "$BDB"
fi

# ----------------------------------------------------------- (c) queries

qdistinct=$(grep -c . "$QFILE")
echo "(c) queries: $NQ from $(basename "$(dirname "$QFILE")") ($qdistinct distinct, cycled), top 10"
say "(c1) in-process queries"
line=$("$QBENCH" --db "$NDB" --n "$NQ" --limit 10 "$QFILE") || true
echo "$line" >"$LOG/c1.out"
echo " (c1) in process (bench/query_bench: index and analyzer opened once; snippets made)"
printf '  %8s %8s %8s %8s %8s %8s %8s %8s %8s\n' queries QPS "mean ms" "p50 ms" "p95 ms" "p99 ms" "max ms" hits "no hit"
printf '  %8s %8s %8s %8s %8s %8s %8s %8s %8s\n' "$(kv queries "$line")" "$(kv qps "$line")" \
    "$(kv mean_ms "$line")" "$(kv p50_ms "$line")" "$(kv p95_ms "$line")" \
    "$(kv p99_ms "$line")" "$(kv max_ms "$line")" "$(kv hits "$line")" "$(kv nohits "$line")"
echo "  mean ms per query by phase: build $(kv build_ms "$line"), search $(kv search_ms "$line"),"\
     "fetch + snippets $(kv show_ms "$line"), suggest $(kv suggest_ms "$line")"
say "(c1) newsidx against the plain-Xapian peer, top 10 and top 100"
peer_table "$NDB"
if [ $QUICK = 0 ]; then
    # Both engines read the same index (quest reads newsidx's: omega's
    # prefixes), take the same queries and alternate query by query.
    say "(c2) whole processes: newsq and quest, $NQ queries each"
    echo " (c2) whole process, one per query, on the same index (newsq --limit 10,"
    echo "      text and json, vs quest -m 10 -s arabic)"
    python3 "$B/proc_bench.py" "$QFILE" "$NQ" \
        newsq "$NEWSQ --db $NDB --limit 10 @Q" \
        newsq-json "$NEWSQ --db $NDB --format json --limit 10 @Q" \
        quest "quest -d $NDB -s arabic -m 10 @Q"
    echo "  (target: newsq <= 1.2x quest, text and json)"
    echo " (c3) whole process, ids only, on the same index (newsq --format ids --limit 100"
    echo "      vs quest -m 100 -s arabic)"
    python3 "$B/proc_bench.py" "$QFILE" "$NQ" \
        newsq-ids "$NEWSQ --db $NDB --format ids --limit 100 @Q" \
        quest "quest -d $NDB -s arabic -m 100 @Q"
    echo "  (target: newsq --format ids --limit 100 <= 1.2x quest -m 100)"
fi
echo

# ------------------------------------------------------- (d) index size

if [ $QUICK = 0 ]; then
    say "(d) compaction"
    NDBC=$W/newsidx-compact.db SDBC=$W/scriptindex-compact.db
    rm -rf "$NDBC" "$SDBC"
    if "$NEWSIDX" --help 2>&1 | grep -q 'newsidx compact'; then
        how="newsidx compact"
        cp -a "$NDB" "$NDBC"
        timed d-newsidx "$NEWSIDX" compact --db "$NDBC"
    else
        how="xapian-compact (no 'newsidx compact' yet)"
        timed d-newsidx xapian-compact "$NDB" "$NDBC"
    fi
    [ "$RC" = 0 ] || die "compaction failed: $(tail -3 "$LOG/d-newsidx.err")"
    D_NX_S=$SECS
    timed d-scriptindex xapian-compact "$SDB" "$SDBC"
    [ "$RC" = 0 ] || die "xapian-compact failed: $(tail -3 "$LOG/d-scriptindex.err")"
    D_SI_S=$SECS
    echo "(d) index size on disk (du -sb; corpus $(mb "$CBYTES") MB; newsidx compacted with $how)"
    printf '  %-12s %10s %9s %14s %9s %12s\n' engine "built MB" "x corpus" "compacted MB" "x corpus" "compact s"
    for e in newsidx scriptindex; do
        if [ $e = newsidx ]; then d=$NDB dc=$NDBC s=$D_NX_S; else d=$SDB dc=$SDBC s=$D_SI_S; fi
        b1=$(bytes "$d") b2=$(bytes "$dc")
        printf '  %-12s %10s %9s %14s %9s %12s\n' $e "$(mb "$b1")" "$(calc %.2f "$b1 / $CBYTES")" \
            "$(mb "$b2")" "$(calc %.2f "$b2 / $CBYTES")" "$s"
    done
    echo "  (target: newsidx compacted <= 1.5x the corpus, stored text included)"
    echo
    rm -rf "$NDBC" "$SDBC"
fi

fi # ONLY_SCALE

# ------------------------------------------------------------- (e) scale

if [ $SCALE = 1 ]; then
    echo "(e) scale: synthetic articles (bench/gen_corpus.py --seed 1, bigram model of saudinewsnet)"
    printf '  %9s %9s %8s %9s %11s %9s %8s %9s %8s %8s\n' articles "corpus MB" "gen s" "build s" \
        articles/s "vs first" "RSS MB" "index MB" "q p50 ms" "q p95 ms"
    first=
    for n in $SCALE_SIZES; do
        G=$W/scale-$n GDB=$W/scale-$n.db
        gen_s=reused
        if [ ! -f "$W/.scale-$n" ]; then
            say "(e) generating $n articles in $G"
            rm -rf "$G"
            t0=$(now)
            python3 "$B/gen_corpus.py" --source "$SRC" --out "$G" --n "$n" \
                --seed 1 --model "$W/gen-model.pkl"
            gen_s=$(calc %.0f "$(now) - $t0")
            touch "$W/.scale-$n"
        fi
        rm -rf "$GDB"
        say "(e) building $n articles (started $(date +%H:%M))"
        nx_build "e-build-$n" "$G" "$GDB"
        rate=$(calc %.0f "$n / $SECS")
        [ -n "$first" ] || first=$rate
        say "(e) queries on $n articles"
        line=$("$QBENCH" --db "$GDB" --n "$NQ" --limit 10 "$QFILE") || true
        printf '  %9s %9s %8s %9s %11s %9s %8s %9s %8s %8s\n' "$n" "$(mb "$(bytes "$G")")" "$gen_s" \
            "$SECS" "$rate" "$(calc %.2f "$rate / $first")" "$RSS" "$(mb "$(bytes "$GDB")")" \
            "$(kv p50_ms "$line")" "$(kv p95_ms "$line")"
        peer_table "$GDB" | sed 's/^/  /'
        rm -rf "$GDB"
    done
    echo "  (targets: 1M build rate within 25% of the 100k rate; query p95 <= 20 ms at 1M;"
    echo "   peak RSS < 400 MB)"
fi
