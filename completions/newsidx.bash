# bash completion for newsidx                          -*- shell-script -*-
# Installed as share/bash-completion/completions/newsidx. Plain bash: it
# does not need the bash-completion package's helpers.

_newsidx()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local IFS=$'\n' cmd=${COMP_WORDS[1]-}
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W $'build\nstats\ncompact\nanalyze\nconfig\nvariants\nhelp\n--help\n--version' -- "$cur"))
        return
    fi
    case $prev in
        -c|--corpus|-d|--db)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -f|--format)
            COMPREPLY=($(compgen -W $'text\njson\ntsv\nids' -- "$cur")); return ;;
        -m|--max-size|--commit-every|--wait|-j|--jobs|-n|--limit|--shards)
            COMPREPLY=(); return ;;
    esac
    local opts
    case $cmd in
        build)   opts=$'--corpus\n--db\n--max-size\n--commit-every\n--wait\n--quiet\n--jobs\n--dry-run\n--no-delete\n--shards\n--rebuild\n--help' ;;
        stats)   opts=$'--db\n--help' ;;
        compact) opts=$'--db\n--wait\n--quiet\n--help' ;;
        analyze) opts=$'--query\n--help' ;;
        variants) opts=$'--db\n--all\n--update\n--wait\n--help' ;;
        config)
            opts=$'--db\n--corpus\n--limit\n--format\n--help'
            if [[ $cur != -* ]]; then
                COMPREPLY=($(compgen -W $'db\ncorpus\nlimit\nformat\njson_fields\nvariants' -- "$cur"))
                return
            fi ;;
        *) return ;;
    esac
    [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
}
complete -F _newsidx newsidx
