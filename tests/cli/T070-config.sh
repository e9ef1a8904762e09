#!/bin/sh
# Configuration (issue 8): db, corpus, limit and format come from the
# command line, else the environment, else the config file, else the
# defaults; `newsidx config` shows each value and its origin; the config
# file's syntax, and its errors naming file and line.
. "$(dirname "$0")/lib.sh"
unset XDG_CONFIG_HOME NEWSIDX_CONFIG NEWSIDX_CORPUS NEWSIDX_LIMIT NEWSIDX_FORMAT
export LC_ALL=C
cfgdir="$HOME/.config/newsidx"
cfg="$cfgdir/config"
mkdir -p "$cfgdir"

# config VALUES: `newsidx config` without its comment lines' origins.
settings() { "$NEWSIDX" config "$@" | grep -v '^#'; }

# 1. Defaults, and the default config file's place, reported as such.
out=$("$NEWSIDX" config)
expect_eq "config: exit 0" "$?" 0
expect_eq "defaults" "$out" "# config file: $cfg (not found)
db = $HOME/.local/share/newsidx/index  # default
corpus = corpus  # default
limit = 10  # default
format = text  # default
json_fields =   # default
variants =   # none"
expect_eq "config KEY" "$("$NEWSIDX" config db)" "$HOME/.local/share/newsidx/index"
expect_eq "XDG_DATA_HOME moves the default db" \
    "$(XDG_DATA_HOME="$T_TMP/data" "$NEWSIDX" config db)" "$T_TMP/data/newsidx/index"

# 2. The config file: comments, blanks, spaces, quotes, ~/.
make_news_corpus "$T_TMP/news"
mkdir -p "$T_TMP/other"
cp "$T_TMP/news/a2.txt" "$T_TMP/other/"
mkdir -p "$HOME/my news"
cp -r "$T_TMP/news/." "$HOME/my news/"
cat >"$cfg" <<EOF
# newsidx settings
   # an indented comment

db = ~/index # not a comment: part of the path
corpus = "$HOME/my news"
limit=2
	format	=	ids
EOF
out=$("$NEWSIDX" config)
expect_eq "file values and origins" "$out" "# config file: $cfg (read)
db = $HOME/index # not a comment: part of the path  # config file: $cfg:4
corpus = $HOME/my news  # config file: $cfg:5
limit = 2  # config file: $cfg:6
format = ids  # config file: $cfg:7
json_fields =   # default
variants =   # none"

# The file drives both programs: newsidx build and newsq with no flags.
"$NEWSIDX" build --quiet
expect_eq "build with the file's corpus and db" "$?" 0
[ -d "$HOME/index # not a comment: part of the path" ] && ok || fail "index made at the file's db"
expect_eq "newsq: the file's db, limit and format" \
    "$("$NEWSQ" --sort date -- 'غزة OR الهلال')" "a5#1
a1"

# 3. The environment over the file, key by key.
expect_eq "NEWSIDX_LIMIT over the file" "$(NEWSIDX_LIMIT=1 "$NEWSQ" -- غزة)" "a1"
expect_eq "NEWSIDX_FORMAT over the file" \
    "$(NEWSIDX_FORMAT=json "$NEWSQ" -- غزة | head -1 | cut -c1-9)" '{"rank":1'
NEWSIDX_DB="$T_TMP/envdb" NEWSIDX_CORPUS="$T_TMP/other" "$NEWSIDX" build --quiet
expect_eq "NEWSIDX_CORPUS and NEWSIDX_DB over the file" \
    "$(NEWSIDX_DB="$T_TMP/envdb" "$NEWSQ" -- الهلال)" "a2"
out=$(NEWSIDX_DB=relative/idx NEWSIDX_CORPUS=c2 NEWSIDX_LIMIT=7 NEWSIDX_FORMAT=tsv settings)
expect_eq "environment origins" "$out" "db = relative/idx  # environment: NEWSIDX_DB
corpus = c2  # environment: NEWSIDX_CORPUS
limit = 7  # environment: NEWSIDX_LIMIT
format = tsv  # environment: NEWSIDX_FORMAT
json_fields =   # default
variants =   # none"
expect_eq "an empty variable counts as unset" \
    "$(NEWSIDX_LIMIT= "$NEWSIDX" config limit)" 2

# 4. The command line over the environment.
expect_eq "--limit over NEWSIDX_LIMIT" \
    "$(NEWSIDX_LIMIT=1 "$NEWSQ" --limit 3 -- 'غزة OR الهلال' | wc -l)" 3
expect_eq "--format over NEWSIDX_FORMAT" \
    "$(NEWSIDX_FORMAT=json "$NEWSQ" --format ids --limit 1 -- غزة)" "a1"
expect_eq "--db over NEWSIDX_DB" \
    "$(NEWSIDX_DB=/nonexistent "$NEWSQ" --db "$T_TMP/envdb" -- الهلال)" "a2"
out=$(NEWSIDX_DB=e NEWSIDX_CORPUS=e NEWSIDX_LIMIT=7 NEWSIDX_FORMAT=tsv \
    settings --db a --corpus b --limit 5 --format json)
expect_eq "command-line origins" "$out" "db = a  # command line: --db
corpus = b  # command line: --corpus
limit = 5  # command line: --limit
format = json  # command line: --format
json_fields =   # default
variants =   # none"

# 5. Where the file is looked for: XDG_CONFIG_HOME, NEWSIDX_CONFIG.
mkdir -p "$T_TMP/xdg/newsidx"
printf 'limit = 4\n' >"$T_TMP/xdg/newsidx/config"
expect_eq "XDG_CONFIG_HOME" "$(XDG_CONFIG_HOME="$T_TMP/xdg" "$NEWSIDX" config limit)" 4
expect_eq "a relative XDG_CONFIG_HOME is ignored" \
    "$(XDG_CONFIG_HOME=xdg "$NEWSIDX" config limit)" 2
printf 'limit = 6\n' >"$T_TMP/alt.conf"
expect_eq "NEWSIDX_CONFIG" "$(NEWSIDX_CONFIG="$T_TMP/alt.conf" "$NEWSIDX" config limit)" 6
expect_match "NEWSIDX_CONFIG named" \
    "$(NEWSIDX_CONFIG="$T_TMP/alt.conf" "$NEWSIDX" config | head -1)" "^# config file: .*alt.conf \(NEWSIDX_CONFIG\)$"
expect_eq "NEWSIDX_CONFIG=/dev/null: no file" \
    "$(NEWSIDX_CONFIG=/dev/null settings | grep -c '# default$')" 5
NEWSIDX_CONFIG="$T_TMP/missing.conf" "$NEWSQ" x >"$T_TMP/out" 2>"$T_TMP/err"
expect_eq "missing NEWSIDX_CONFIG: exit 2" "$?" 2
expect_eq "missing NEWSIDX_CONFIG: message" "$(cat "$T_TMP/err")" \
    "newsq: $T_TMP/missing.conf: cannot read the config file: No such file or directory"

# 6. Bad lines: exit 2, nothing on stdout, one message naming file:line.
# bad_line WHAT FILE-TEXT MESSAGE (after "newsq: FILE:")
bad_line() {
    printf "$2" >"$cfg"
    "$NEWSQ" -- غزة >"$T_TMP/out" 2>"$T_TMP/err"
    expect_eq "$1: exit 2" "$?" 2
    expect_eq "$1: stdout empty" "$(cat "$T_TMP/out")" ""
    expect_eq "$1: message" "$(cat "$T_TMP/err")" "newsq: $cfg:$3"
}
bad_line "no =" '# x\nlimit 5\n' "2: expected 'key = value', got 'limit 5'"
bad_line "no key" ' = 5\n' "1: expected 'key = value', got '= 5'"
bad_line "unknown key" 'limt = 5\n' "1: unknown key 'limt' (did you mean 'limit'?)"
bad_line "unknown key, nothing close" 'colour = red\n' \
    "1: unknown key 'colour' (known keys: db, corpus, limit, format, json_fields, variants)"
bad_line "set twice" 'limit = 5\n\nlimit = 6\n' "3: 'limit' is already set on line 1"
bad_line "bad limit" 'limit = 5x\n' "1: limit: not a number from 0 to 100000: '5x'"
bad_line "limit too big" 'limit = 100001\n' "1: limit: not a number from 0 to 100000: '100001'"
bad_line "empty value" 'format =\n' "1: format: empty value"
bad_line "bad format" 'format = xml\n' "1: format: expected text|json|tsv|ids, got 'xml'"
bad_line "relative db" 'db = index\n' \
    "1: db: a path in the config file must be absolute or start with ~/: 'index'"
bad_line "relative corpus" 'corpus = ./c\n' \
    "1: corpus: a path in the config file must be absolute or start with ~/: './c'"
# newsidx reads the same file and says the same.
"$NEWSIDX" build --quiet >/dev/null 2>"$T_TMP/err"
expect_eq "newsidx: bad file, exit 2" "$?" 2
expect_eq "newsidx: same message" "$(cat "$T_TMP/err")" \
    "newsidx: $cfg:1: corpus: a path in the config file must be absolute or start with ~/: './c'"
bad_line "NUL byte" 'limit = 5\nx\0y = 1\n' "2: not a text line (NUL byte)"
# --help and --version never read the config file.
"$NEWSQ" --help >/dev/null 2>&1; expect_eq "newsq --help despite a bad file" "$?" 0
"$NEWSIDX" --version >/dev/null 2>&1; expect_eq "newsidx --version despite a bad file" "$?" 0
# CRLF and a UTF-8 BOM are fine.
printf '\357\273\277limit = 3\r\nformat = tsv\r\n' >"$cfg"
expect_eq "BOM and CRLF" "$("$NEWSIDX" config limit)/$("$NEWSIDX" config format)" "3/tsv"
rm -f "$cfg"

# 7. Bad values from the environment and the command line, named.
NEWSIDX_LIMIT=ten "$NEWSQ" -- غزة >/dev/null 2>"$T_TMP/err"
expect_eq "bad NEWSIDX_LIMIT: exit 2" "$?" 2
expect_eq "bad NEWSIDX_LIMIT: message" "$(cat "$T_TMP/err")" \
    "newsq: NEWSIDX_LIMIT: not a number from 0 to 100000: 'ten'"
NEWSIDX_FORMAT=yaml "$NEWSIDX" config >/dev/null 2>"$T_TMP/err"
expect_eq "bad NEWSIDX_FORMAT named by newsidx config" "$(cat "$T_TMP/err")" \
    "newsidx: NEWSIDX_FORMAT: expected text|json|tsv|ids, got 'yaml'"
"$NEWSQ" --limit=-3 -- غزة >/dev/null 2>"$T_TMP/err"
expect_eq "bad --limit: exit 2" "$?" 2
expect_eq "bad --limit: message" "$(cat "$T_TMP/err")" \
    "newsq: --limit: not a number from 0 to 100000: '-3'
Try 'newsq --help'."
"$NEWSQ" --db "" -- غزة >/dev/null 2>"$T_TMP/err"
expect_eq "empty --db" "$(head -1 "$T_TMP/err")" "newsq: --db: empty value"

# 8. newsidx config: keys with a hint; it never writes.
"$NEWSIDX" config limt >/dev/null 2>"$T_TMP/err"
expect_eq "config unknown key: exit 2" "$?" 2
expect_eq "config unknown key: hint" "$(head -1 "$T_TMP/err")" \
    "newsidx: config: unknown key 'limt' (did you mean 'limit'?)"
"$NEWSIDX" config limit 20 >"$T_TMP/out" 2>"$T_TMP/err"
expect_eq "config KEY VALUE: exit 2" "$?" 2
expect_eq "config KEY VALUE: says where to edit" "$(head -1 "$T_TMP/err")" \
    "newsidx: config: newsidx only reads the config file; edit $cfg"
[ ! -e "$cfg" ] && ok || fail "config KEY VALUE wrote a file"
finish
