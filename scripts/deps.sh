#!/bin/sh
# deps.sh: install the Debian 12 packages newsidx needs to build and test,
# only those missing. Uses sudo when not run as root.
set -eu
# The reliability tests also use xapian-tools (xapian-check, xapian-delve),
# time (/usr/bin/time -v: peak memory) and valgrind; the fuzzers need clang
# and libclang-rt-14-dev (libFuzzer).
pkgs="meson ninja-build pkg-config gcc g++ libxapian-dev libicu-dev libstemmer-dev python3 zstd"
# The readers (common/reader*.c): JSON with jansson, feeds and HTML with
# libxml2.
pkgs="$pkgs libjansson-dev libxml2-dev"
pkgs="$pkgs xapian-tools time valgrind clang libclang-rt-14-dev"
# The benchmarks (bench/run.sh) compare with scriptindex (xapian-omega);
# bench/server_bench.sh loads newsq --serve with wrk (curl: readiness).
pkgs="$pkgs xapian-omega wrk curl"
# The CLI tests of configuration, man pages and examples also use jq
# (examples/json2csv), groff-base (man pages render cleanly) and zsh
# (completion syntax); each check is skipped when its tool is missing.
pkgs="$pkgs jq groff-base zsh"
# newsq --serve: libmicrohttpd (HTTP), jansson (above) for its JSON API;
# its browser tests drive Debian's chromium, and fonts-noto-core gives the
# page (and the README's screenshot) its Arabic fonts.
pkgs="$pkgs libmicrohttpd-dev chromium fonts-noto-core"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "deps.sh: installing$missing" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2
