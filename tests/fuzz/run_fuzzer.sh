#!/bin/sh
# run_fuzzer.sh FUZZER SEEDS ARTIFACTS [LIBFUZZER-OPTION...]
# The short CI run of a libFuzzer target: $NEWSIDX_FUZZ_SECONDS seconds
# (default 30), starting from the seed corpus SEEDS (read only: new inputs
# go to a scratch folder), crashers saved in ARTIFACTS. Prints the run's
# statistics and "NAME: 1 passed, 0 failed" (or "0 passed, 1 failed" with
# the end of libFuzzer's report).
set -u
fuzzer=$1 seeds=$2 artifacts=$3
shift 3
name=$(basename "$fuzzer")
secs=${NEWSIDX_FUZZ_SECONDS:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$@" \
    "$work/corpus" "$seeds" >"$work/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
echo "$name: ${runs:-?} executions in $secs s, $(ls "$work/corpus" | wc -l) new inputs"
if [ $rc -eq 0 ]; then
    echo "$name: 1 passed, 0 failed"
else
    tail -n 60 "$work/log"
    echo "$name: crash input saved under $artifacts/$name-*"
    echo "$name: 0 passed, 1 failed"
fi
exit $rc
