#!/bin/sh
# deps.sh: install the Debian 12 packages newsidx needs to build and test,
# only those missing. Uses sudo when not run as root.
set -eu
pkgs="meson ninja-build pkg-config gcc g++ libxapian-dev libicu-dev libstemmer-dev python3 zstd"
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
