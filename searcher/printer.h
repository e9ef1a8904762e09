/*
 * printer.h: one printer per output format; newsq never prints a result any
 * other way. Formats (schema documented in README, "Output"):
 *   text  rank, title, date, source, path and snippet, for people; matches
 *         in bold on a terminal, else between [ and ];
 *   json  one object per line: rank id path title date source score snippet
 *         highlights (byte ranges [start,end) in snippet) related parent,
 *         and same_story (the ids of the story's other hits) when a
 *         --collapse story hit has any (text: a "+N more: source, …"
 *         line);
 *   tsv   rank id score date source title path, tabs/newlines escaped;
 *   ids   one id per line.
 * --facets adds one record before the hits: text "source: NAME (N), …" and
 * "month: YYYY-MM (N), …" lines; json {"type":"facets","total":N,
 * "exact":BOOL,"source":[{"value":V,"count":N},…],"month":[…]} (also
 * what newsq --serve answers as "facets").
 */
#ifndef NX_PRINTER_H
#define NX_PRINTER_H

#include <stddef.h>
#include <stdio.h>

#include "search.h"
#include "util.h"

typedef struct hit {
    unsigned rank;
    const char *id, *path, *title, *date, *source, *parent; /* NULL if absent */
    double score;
    const char *snippet;
    size_t (*marks)[2];
    size_t n_marks;
    /* --explain: each part of the query and its weight for this hit */
    const char *const *parts;
    const double *part_weights;
    size_t n_parts;
    /* --collapse story: the story's other hits (sources: NULL if none) */
    char *const *same_ids, *const *same_sources;
    size_t n_same;
} hit_t;

typedef struct printer printer_t;
struct printer {
    void (*hit)(printer_t *p, const hit_t *h);
    /* A record for a query without hits; SUGGESTION may be NULL. */
    void (*no_hits)(printer_t *p, const char *query, const char *suggestion);
    /* --explain, before the hits: the parsed query and what each word
     * became (one "  word → terms" line per word). */
    void (*explain)(printer_t *p, const char *parsed, const char *words);
    /* --count: the number of matches. */
    void (*count)(printer_t *p, unsigned long n);
    /* --facets, before the hits: the total and the counts by source and
     * month of the whole matching set (RES->facets). */
    void (*facets)(printer_t *p, const search_result_t *res);
    FILE *out;
    int color; /* text only: bold matches and dim labels */
};

typedef enum format { FMT_TEXT, FMT_JSON, FMT_TSV, FMT_IDS, FMT_LAST } format_t;

/* The format named NAME, or FMT_LAST when unknown. */
format_t format_from_name(const char *name);
/* "text|json|tsv|ids", for usage messages. */
const char *format_names(void);

/* The hit H of RES as the printers take it (the parts of the query and
 * their weights with EXPLAIN). Borrows H's and RES's strings. */
hit_t printer_hit(const search_hit_t *h, const search_result_t *res,
                  int explain);

/* "+N MORE: SOURCE" then SEP and the next source… of a --collapse story
 * hit H (each source once; an id for a hit without one), appended to B:
 * the text format ("more", ", ") and the server's page (in Arabic) say it
 * alike. */
void printer_more(buf_t *b, const hit_t *h, const char *more,
                  const char *sep);

/* Fill P for FORMAT writing to OUT. */
void printer_init(printer_t *p, format_t format, FILE *out, int color);

/* Write S as a JSON string literal (quotes included) to OUT. (Not named
 * json_string: jansson, linked into newsq for --serve, has one.) */
void json_put_string(FILE *out, const char *s);

#endif
