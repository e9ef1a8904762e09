# lib.sh: helpers for the CLI tests (sourced). Each test calls ok/fail via
# expect_* and ends with `finish`, which prints "NAME: N passed, N failed"
# and exits non-zero on any failure.
set -u
: "${NEWSIDX:?set by meson test}" "${NEWSQ:?set by meson test}" "${NEWSIDX_SRC:?}"
T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsidx-cli.XXXXXX")
trap 'chmod -R u+rwX "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT
unset NEWSIDX_DB NO_COLOR
export HOME="$T_TMP/home" XDG_DATA_HOME=

ok() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); printf 'FAIL %s: %s\n' "$T_NAME" "$*" >&2; }

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok; else fail "$1: got [$2] want [$3]"; fi
}

# expect_match WHAT TEXT PATTERN (grep -E)
expect_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok; else fail "$1: [$2] does not match /$3/"; fi
}

finish() {
    printf '%s: %d passed, %d failed\n' "$T_NAME" "$T_PASS" "$T_FAIL"
    [ "$T_FAIL" -eq 0 ]
}
