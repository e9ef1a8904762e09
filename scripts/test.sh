#!/bin/sh
# test.sh: install what is missing, build the release build (build/) and the
# ASan+UBSan test build (build-test/), run the unit, cli, reliability, server,
# shards and fuzz (seed-corpus replay) suites on the test build; on the release build
# the valgrind suite and, when ../shared exists, the relevance suite
# (sanitizers would only slow a 30,000-article index down); and, when clang
# can link libFuzzer, a 30-second run of each fuzzer (build-fuzz/). The last
# line is the summary: "N passed, N failed" (assertions, summed over tests).
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
[ -d build-test ] || meson setup build-test -Dbuildtype=debug \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build >/dev/null
ninja -C build-test >/dev/null
status=0
meson test -C build-test --suite unit --suite cli --suite reliability \
    --suite shards --suite server --suite fuzz --print-errorlogs || status=1
logs="build-test/meson-logs/testlog.json"
# One `meson test` run per build folder: each run rewrites its testlog.json.
suites="--suite valgrind"
if [ -d ../shared ]; then
    suites="$suites --suite shared"
else
    echo "test.sh: ../shared not found: relevance suite skipped" >&2
fi
meson test -C build $suites --print-errorlogs || status=1
logs="$logs build/meson-logs/testlog.json"
# Fuzzing: needs clang and libFuzzer (libclang-rt-14-dev).
if command -v clang >/dev/null 2>&1 &&
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
        clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
    [ -d build-fuzz ] || CC=clang CXX=clang++ meson setup build-fuzz \
        -Dfuzzing_engine=libfuzzer -Db_sanitize=address,undefined \
        -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null
    ninja -C build-fuzz >/dev/null
    meson test -C build-fuzz --suite fuzz --print-errorlogs || status=1
    logs="$logs build-fuzz/meson-logs/testlog.json"
else
    echo "test.sh: clang with libFuzzer not found: fuzzers not run" >&2
fi
python3 scripts/summary.py $logs
exit $status
