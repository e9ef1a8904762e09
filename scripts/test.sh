#!/bin/sh
# test.sh: install what is missing, build the release build (build/) and the
# ASan+UBSan test build (build-test/), run the unit and cli suites on the
# test build and, when ../shared exists, the relevance suite on the release
# build (sanitizers would only slow a 30,000-article index down). The last
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
meson test -C build-test --suite unit --suite cli --print-errorlogs || status=1
logs="build-test/meson-logs/testlog.json"
if [ -d ../shared ]; then
    meson test -C build --suite shared --print-errorlogs || status=1
    logs="$logs build/meson-logs/testlog.json"
else
    echo "test.sh: ../shared not found: relevance suite skipped" >&2
fi
python3 scripts/summary.py $logs
exit $status
