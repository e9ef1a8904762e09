#!/bin/sh
# How both programs answer --help, --version, a typo and Tab (issue 8):
# the closest valid option or command is suggested; --help, the man pages
# and the bash and zsh completions all know every option and command of
# the source; the completions complete; the man pages render cleanly.
. "$(dirname "$0")/lib.sh"
unset XDG_CONFIG_HOME NEWSIDX_CONFIG NEWSIDX_CORPUS NEWSIDX_LIMIT NEWSIDX_FORMAT
export LC_ALL=C
src=$NEWSIDX_SRC

# usage_err WHAT WANT-FIRST-LINE CMD...: exit 2, nothing on stdout, the
# message, then "Try 'PROG --help'.".
usage_err() {
    what=$1 want=$2
    shift 2
    "$@" >"$T_TMP/out" 2>"$T_TMP/err"
    expect_eq "$what: exit 2" "$?" 2
    expect_eq "$what: stdout empty" "$(cat "$T_TMP/out")" ""
    expect_eq "$what: message" "$(head -1 "$T_TMP/err")" "$want"
    expect_match "$what: points at --help" "$(sed -n 2p "$T_TMP/err")" "^Try '(newsq|newsidx) --help'\.$"
}

# 1. Did you mean.
usage_err "newsq typo" "newsq: unknown option '--limt' (did you mean --limit?)" "$NEWSQ" --limt 3 x
usage_err "newsq swap" "newsq: unknown option '--fromat' (did you mean --format?)" "$NEWSQ" --fromat=json x
usage_err "newsq --hlep" "newsq: unknown option '--hlep' (did you mean --help?)" "$NEWSQ" --hlep
usage_err "newsq no-collapse" "newsq: unknown option '--no-colapse' (did you mean --no-collapse?)" "$NEWSQ" --no-colapse x
usage_err "newsq nothing close" "newsq: unknown option '--zzzzzz'" "$NEWSQ" --zzzzzz x
usage_err "newsq --collapse=VALUE" "newsq: --collapse: expected copies or story, got 'stories'" "$NEWSQ" --collapse=stories x
usage_err "newsq ambiguous" "newsq: option '--co' is ambiguous (--count, --collapse)" "$NEWSQ" --co x
usage_err "newsq value to a flag" "newsq: option '--count=2' takes no value" "$NEWSQ" --count=2 x
usage_err "newsq missing value" "newsq: option '--limit' needs a value" "$NEWSQ" x --limit
usage_err "newsq missing short value" "newsq: option '-n' needs a value" "$NEWSQ" x -n
usage_err "newsq unknown short" "newsq: unknown option '-x'" "$NEWSQ" -x q
usage_err "newsq one-dash long" "newsq: unknown option '-limit' (did you mean --limit?)" "$NEWSQ" -limit 3 q
usage_err "newsq --like with --serve" \
    "newsq: --like goes with a search, not --serve (the server takes like=ID)" \
    "$NEWSQ" --like a1 --serve 8080
usage_err "newsq query word with a dash" \
    "newsq: unknown option '-إسرائيل'; put '--' before words that start with '-'" "$NEWSQ" غزة -إسرائيل
usage_err "newsidx command typo" "newsidx: unknown command 'buld' (did you mean 'build'?)" "$NEWSIDX" buld
usage_err "newsidx command prefix" "newsidx: unknown command 'conf' (did you mean 'config'?)" "$NEWSIDX" conf
usage_err "newsidx unknown command" \
    "newsidx: unknown command 'frobnicate' (build, stats, compact, analyze, config or variants)" "$NEWSIDX" frobnicate
usage_err "newsidx no command" \
    "newsidx: missing command (build, stats, compact, analyze, config or variants)" "$NEWSIDX"
usage_err "newsidx --verison" "newsidx: unknown option '--verison' (did you mean --version?)" "$NEWSIDX" --verison
usage_err "newsidx option before the command" \
    "newsidx: option '--db' goes after the command: newsidx COMMAND --db (build, stats, compact, analyze, config or variants)" \
    "$NEWSIDX" --db x build
usage_err "newsidx build option typo" "newsidx: build: unknown option '--corpsu' (did you mean --corpus?)" \
    "$NEWSIDX" build --corpsu x
usage_err "newsidx build, an option of newsq" "newsidx: build: unknown option '--limit'" \
    "$NEWSIDX" build --limit 3
usage_err "newsidx compact typo" "newsidx: compact: unknown option '--wiat' (did you mean --wait?)" \
    "$NEWSIDX" compact --wiat 3
usage_err "newsidx analyze typo" "newsidx: analyze: unknown option '--qeury' (did you mean --query?)" \
    "$NEWSIDX" analyze --qeury x
usage_err "newsidx build missing value" "newsidx: build: option '--wait' needs a value" \
    "$NEWSIDX" build --wait

# 2. --version: the project's version, one line, on stdout.
version=$(sed -n "s/^ *version : '\(.*\)',/\1/p" "$src/meson.build")
expect_match "project version found" "$version" '^[0-9]+\.[0-9]+'
for prog in "$NEWSQ" "$NEWSIDX"; do
    name=$(basename "$prog")
    expect_eq "$name --version" "$("$prog" --version 2>&1)" "$name $version"
    expect_eq "$name -V" "$("$prog" -V 2>&1)" "$name $version"
done

# 3. Every option of the source is in --help, the man page and both
# completions; every command of newsidx too.
# options FILE: the long options of the struct option tables in FILE.
options() { sed -n 's/^ *{ "\([a-z-]*\)", [a-z_]*_argument,.*/\1/p' "$1" | sort -u; }
# in WHAT TEXT NAME...: each NAME occurs in TEXT as a whole word.
in_text() {
    what=$1 text=$2
    shift 2
    for n in "$@"; do
        printf '%s\n' "$text" | grep -Eq -- "(^|[^a-z-])$n([^a-z-]|\$)" && ok ||
            fail "$what does not mention $n"
    done
}
man_text() { sed 's/\\-/-/g' "$1"; }
q_opts=$(options "$src/searcher/newsq.c" | sed 's/^/--/')
i_opts=$(options "$src/indexer/newsidx.c" | sed 's/^/--/')
expect_match "newsq options found" "$(echo $q_opts)" '--count .*--new-since'
expect_match "newsidx options found" "$(echo $i_opts)" '--commit-every .*--no-delete'
commands="build stats compact analyze config variants"
in_text "newsq --help" "$("$NEWSQ" --help)" $q_opts
in_text "newsq(1)" "$(man_text "$src/doc/newsq.1.in")" $q_opts
# (the bash completions list words in $'a\nb' strings)
bash_text() { sed 's/\\n/ /g' "$1"; }
in_text "bash completion of newsq" "$(bash_text "$src/completions/newsq.bash")" $q_opts
in_text "zsh completion of newsq" "$(cat "$src/completions/_newsq")" $q_opts
in_text "newsidx --help" "$("$NEWSIDX" --help)" $i_opts $commands
in_text "newsidx(1)" "$(man_text "$src/doc/newsidx.1.in")" $i_opts $commands
in_text "bash completion of newsidx" "$(bash_text "$src/completions/newsidx.bash")" $i_opts $commands
in_text "zsh completion of newsidx" "$(cat "$src/completions/_newsidx")" $i_opts $commands
expect_eq "newsidx help = --help" "$("$NEWSIDX" help)" "$("$NEWSIDX" --help)"
for c in $commands; do
    "$NEWSIDX" $c --help >/dev/null 2>&1
    expect_eq "newsidx $c --help: exit 0" "$?" 0
done
out=$("$NEWSQ" --help 2>/dev/null)
expect_eq "newsq --help: exit 0" "$?" 0
expect_match "newsq --help: exit statuses" "$out" "exit status: 0 hits; 1 no hits"
expect_match "newsq --help: points to the man pages" "$out" "newsq\(1\) and newsidx-query\(7\)"
expect_eq "newsq --help: nothing on stderr" "$("$NEWSQ" --help 2>&1 >/dev/null)" ""

# 4. bash completion, driven as bash does (COMP_WORDS / COMP_CWORD).
if command -v bash >/dev/null 2>&1; then
    mkdir -p "$T_TMP/w/my index"
    complete_() {
        (cd "$T_TMP/w" && bash -c '
            . "$1"; . "$2"; shift 2
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
            "_$1" 2>/dev/null
            [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s|" "${COMPREPLY[@]}"' \
            sh "$src/completions/newsq.bash" "$src/completions/newsidx.bash" "$@")
    }
    expect_eq "bash: newsq --li" "$(complete_ newsq --li)" "--limit|--like|"
    expect_eq "bash: newsq --like takes an id" "$(complete_ newsq --like '')" ""
    expect_eq "bash: newsq --format" "$(complete_ newsq --format '')" "text|json|tsv|ids|"
    expect_eq "bash: newsq --format=j" "$(complete_ newsq --format = j)" "json|"
    expect_eq "bash: newsq --sort" "$(complete_ newsq --sort d)" "date|"
    expect_eq "bash: newsq --collapse" "$(complete_ newsq --collapse s)" "story|"
    expect_eq "bash: newsq --collapse then a query word" "$(complete_ newsq --collapse ti)" "title:|"
    expect_eq "bash: newsq --db folders" "$(complete_ newsq --db my)" "my index|"
    expect_eq "bash: newsq field prefixes" "$(complete_ newsq غزة ti)" "title:|"
    expect_eq "bash: newsq after --" "$(complete_ newsq -- --li)" ""
    expect_eq "bash: newsidx commands" "$(complete_ newsidx c)" "compact|config|"
    expect_eq "bash: newsidx build options" "$(complete_ newsidx build --co)" "--corpus|--commit-every|"
    expect_eq "bash: newsidx stats options" "$(complete_ newsidx stats --)" "--db|--help|"
    expect_eq "bash: newsidx config keys" "$(complete_ newsidx config f)" "format|"
fi
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$src/completions/_newsq" && ok || fail "zsh: _newsq syntax"
    zsh -n "$src/completions/_newsidx" && ok || fail "zsh: _newsidx syntax"
fi

# 5. The man pages render without a warning.
if command -v groff >/dev/null 2>&1 && command -v preconv >/dev/null 2>&1; then
    # render PAGE: as man shows it, without bold or underline overstrikes.
    render() {
        p=$1
        shift
        sed "s/@VERSION@/$version/" "$src/doc/$p.in" | preconv -e utf-8 |
            groff -man -t -Tutf8 -P-cbou "$@"
    }
    for page in newsidx.1 newsq.1 newsidx-query.7; do
        warnings=$(render $page -ww -z 2>&1)
        expect_eq "$page renders cleanly" "$warnings" ""
        text=$(render $page 2>/dev/null)
        expect_match "$page has its name and version" "$text" "newsidx $version"
    done
    q7=$(render newsidx-query.7 2>/dev/null)
    in_text "newsidx-query(7)" "$q7" 'title:' 'tag:' 'source:' 'date:' NEAR OR NOT
    expect_match "newsidx-query(7) has Arabic examples" "$q7" 'الهدنة غزة'
fi
finish
