/*
 * reader.h: input formats. Each reader turns the bytes of one file into
 * article_t records (article.h) with a stable id; the build indexes them
 * the same way whatever the file held.
 *
 *   kind          files                                  articles
 *   READ_ARTICLE  anything else (the seed's format)      article_parse
 *   READ_JSONL    *.jsonl, *.ndjson; *.json starting     one per line
 *                 with '{'
 *   READ_JSON     *.json holding an array                one per element
 *   READ_FEED     *.rss, *.atom; *.xml whose root is     one per item/entry
 *                 <rss>, <feed> or <rdf:RDF>
 *
 * Ids (article_t.id): JSON: the record's id field, else its url, else
 * "RELNAME:LINE" (JSON lines) or "RELNAME:#N" (array); feeds: the guid
 * (Atom: id), else the link, else "RELNAME:#N". The same item in a newer
 * copy of a feed keeps its id, so it stays one article.
 */
#ifndef NX_READER_H
#define NX_READER_H

#include <stddef.h>

#include "article.h"
#include "util.h"

typedef enum reader_kind {
    READ_ARTICLE,
    READ_JSONL,
    READ_JSON,
    READ_FEED,
} reader_kind_t;

/* The kind of the file NAME, whose first LEN bytes are DATA (the start is
 * enough: a few hundred bytes). */
reader_kind_t reader_kind_of(const char *name, const char *data, size_t len);

/* Could the file NAME hold many articles (by its name only)? */
int reader_maybe_many(const char *name);

/* JSON field names, tried in order; the config file can name others
 * (reader_fields_parse), which are tried first. */
typedef enum reader_field {
    RF_TITLE, RF_BODY, RF_DATE, RF_SOURCE, RF_URL, RF_KEYWORDS, RF_ID,
    RF_COUNT,
} reader_field_t;

#define READER_MAX_NAMES 8
typedef struct reader_fields {
    char *names[RF_COUNT][READER_MAX_NAMES]; /* NULL-terminated lists */
} reader_fields_t;

/*
 * Parse SPEC, "FIELD=NAME,FIELD=NAME…" with FIELD one of title, body, date,
 * source, url, keywords, id (the json_fields setting), into *F (zeroed
 * first; free with reader_fields_free). Returns 0, or -1 with the problem
 * in WHY.
 */
int reader_fields_parse(const char *spec, reader_fields_t *f, buf_t *why);
void reader_fields_free(reader_fields_t *f);

typedef struct reader_opts {
    const char *name;    /* the file's path relative to the corpus (ids) */
    size_t offset;       /* JSON lines: start here (an appended read) */
    size_t first_line;   /* the line number at OFFSET (1 at 0) */
    const reader_fields_t *fields; /* configured names, or NULL */
    /* A record that cannot be read: WHERE ("line 12", "record 3",
     * "item 5") and WHY, in English. Never NULL. */
    void (*on_bad)(void *ctx, const char *where, const char *why);
    void *ctx;
} reader_opts_t;

typedef struct reader_result {
    size_t end;          /* JSON lines: bytes read to (after the last
                          * complete line); else the length */
    size_t end_line;     /* the line number at END */
    size_t bad;          /* records skipped (each one reported) */
} reader_result_t;

/*
 * Read the LEN bytes of DATA, a file of KIND (not READ_ARTICLE), into SET
 * (zeroed first; every article a main one with its id; free with
 * article_set_free). Returns 0, or -1 when the whole file is unreadable
 * (not JSON, not XML, not a feed) with *REASON a fixed English phrase.
 * A file with no article is no error.
 */
int reader_read(reader_kind_t kind, const char *data, size_t len,
                const reader_opts_t *o, article_set_t *set,
                reader_result_t *res, const char **reason);

/* The readers (reader_jsonl.c, reader_feed.c); reader_read dispatches. */
int reader_jsonl(const char *data, size_t len, const reader_opts_t *o,
                 article_set_t *set, reader_result_t *res,
                 const char **reason);
int reader_json_array(const char *data, size_t len, const reader_opts_t *o,
                      article_set_t *set, reader_result_t *res,
                      const char **reason);
int reader_feed(const char *data, size_t len, const reader_opts_t *o,
                article_set_t *set, reader_result_t *res,
                const char **reason);

/*
 * HTML (a description, content:encoded, a JSON body holding markup) into
 * the paragraphs of A: block elements and <br> end paragraphs, tags,
 * comments, scripts and styles go, entities are decoded (libxml2's HTML
 * parser).
 */
void reader_html_text(article_t *a, const char *html, size_t len);

/* Does S (N bytes) look like HTML rather than plain text? */
int reader_looks_html(const char *s, size_t n);

/* The paragraphs of TMP (freed) joined by spaces into the one-line field
 * *FIELD (article_set_line): a title or source given as HTML. */
void reader_join_line(article_t *tmp, char **field);

#endif /* NX_READER_H */
