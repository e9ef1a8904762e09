/*
 * config.h: the settings both programs share, and where each comes from.
 *
 * Precedence, highest first: the command line (--db, --corpus, --limit,
 * --format), the environment (NEWSIDX_DB, NEWSIDX_CORPUS, NEWSIDX_LIMIT,
 * NEWSIDX_FORMAT, NEWSIDX_VARIANTS; empty counts as unset), the config file, the defaults.
 *
 * The config file is $NEWSIDX_CONFIG when set (it must then exist), else
 * $XDG_CONFIG_HOME/newsidx/config (XDG_CONFIG_HOME absolute), else
 * ~/.config/newsidx/config; a missing default file is no error, and
 * NEWSIDX_CONFIG=/dev/null reads none (for tests and scripts). Format:
 *
 *     # a comment (whole lines only: '#' may occur in values)
 *     db = ~/news/index
 *     corpus = /srv/news/articles
 *     limit = 20
 *     format = json
 *     json_fields = title=headline_ar,body=text_ar
 *     variants = ~/news/variants.txt
 *
 * Spaces around '=' and the value are dropped; "double quotes" keep them.
 * Paths must be absolute or start with ~/ (a relative path would depend on
 * where a cron job starts). A key set twice, an unknown key or a bad value
 * is an error naming the file and line. Every value is checked, whichever
 * layer is finally used, so a bad setting never lies in wait.
 */
#ifndef NX_CONFIG_H
#define NX_CONFIG_H

/* CFG_JSON_FIELDS: the JSON field names of other schemas (newsidx build;
 * reader.h, reader_fields_parse), e.g. json_fields = title=headline_ar. */
/* CFG_VARIANTS: the user's spelling-variants file (indexer/variants.h);
 * no default (NULL: none). */
typedef enum cfg_key { CFG_DB, CFG_CORPUS, CFG_LIMIT, CFG_FORMAT,
                       CFG_JSON_FIELDS, CFG_VARIANTS, CFG_NKEYS } cfg_key_t;

typedef enum cfg_origin { CFG_DEFAULT, CFG_FILE, CFG_ENV, CFG_ARG } cfg_origin_t;

typedef struct cfg_item {
    char *value;          /* NULL only for db when no HOME to form it */
    cfg_origin_t origin;
    char *where;          /* "default", "FILE:LINE", "NEWSIDX_DB", "--db" */
} cfg_item_t;

typedef struct config {
    cfg_item_t item[CFG_NKEYS];
    char *file;           /* the config file read or looked for, or NULL */
    int file_found;       /* 1 when FILE was read */
    int file_from_env;    /* 1 when FILE came from NEWSIDX_CONFIG */
} config_t;

/* "db", "corpus", "limit", "format", "json_fields", "variants". */
const char *config_key_name(cfg_key_t k);
/* "NEWSIDX_DB", …. */
const char *config_env_name(cfg_key_t k);
/* The key named NAME, or CFG_NKEYS. */
cfg_key_t config_key_from_name(const char *name);

/* The output formats the format key accepts, "text|json|tsv|ids" (the same
 * as newsq --format: test_config checks). */
const char *config_format_names(void);

/*
 * Fill C with the defaults, then the config file, then the environment.
 * Returns 0, or 2 after printing on stderr what is wrong and where (file and
 * line, or variable). C is then still valid and must be freed.
 */
int config_load(config_t *c);

/*
 * The command line's VALUE for K, given as OPTION ("--limit"). Returns 0,
 * or 2 after printing a usage error naming OPTION.
 */
int config_set_arg(config_t *c, cfg_key_t k, const char *value,
                   const char *option);

/*
 * config_load, then the command line's values: ARG[K] for key K (NULL: not
 * given), each named by its option (--db, --corpus, --limit, --format) in
 * errors. Returns 0 or 2 (the error printed); C must be freed either way.
 */
int config_load_args(config_t *c, const char *const arg[CFG_NKEYS]);

/* The limit, checked by config_load / config_set_arg. */
unsigned long config_limit(const config_t *c);

/* Free what C holds (C itself is the caller's). Accepts a zeroed C. */
void config_free(config_t *c);

#endif /* NX_CONFIG_H */
