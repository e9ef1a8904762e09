# bash completion for newsq (newsidx)                  -*- shell-script -*-
# Installed as share/bash-completion/completions/newsq. Plain bash: it does
# not need the bash-completion package's helpers.

_newsq()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local IFS=$'\n' i
    # --opt=value: bash splits at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    case $prev in
        -d|--db)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --new-since)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -f|--format)
            COMPREPLY=($(compgen -W $'text\njson\ntsv\nids' -- "$cur")); return ;;
        --sort)
            COMPREPLY=($(compgen -W $'relevance\ndate\n-date' -- "$cur")); return ;;
        --collapse) # an optional value: else a query word follows
            COMPREPLY=($(compgen -W $'story\ncopies' -- "$cur"))
            [[ ${#COMPREPLY[@]} -gt 0 ]] && return ;;
        -n|--limit|-o|--offset|--since|--until|--source|--timeout|--serve|--threads|--like)
            COMPREPLY=(); return ;;
    esac
    # After "--" every word is a query word.
    local query=
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${COMP_WORDS[i]} == -- ]] && query=1
    done
    if [[ -z $query && $cur == -* ]]; then
        COMPREPLY=($(compgen -W $'--db\n--limit\n--offset\n--sort\n--since\n--until\n--source\n--count\n--collapse\n--no-collapse\n--format\n--explain\n--facets\n--like\n--new-since\n--timeout\n--partial\n--serve\n--threads\n--help\n--version\n--' -- "$cur"))
        return
    fi
    # Query words: offer the field prefixes (title: tag: source: date:).
    COMPREPLY=($(compgen -W $'title:\ntag:\nsource:\ndate:' -- "$cur"))
    [[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
    return 0
}
complete -F _newsq newsq
