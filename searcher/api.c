/*
 * api.c: the JSON bodies of api.h.
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "printer.h"
#include "util.h"

/* A string or null: jansson takes the text only when it is valid UTF-8. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The JSON value printed by CALL into a memory stream, read back. */
#define PRINTED(value, call)                                                 \
    do {                                                                     \
        char *text_ = NULL;                                                  \
        size_t len_ = 0;                                                     \
        FILE *f_ = open_memstream(&text_, &len_);                            \
        printer_t p_;                                                        \
        if (f_) {                                                            \
            printer_init(&p_, FMT_JSON, f_, 0);                              \
            call;                                                            \
            fclose(f_);                                                      \
        }                                                                    \
        (value) = text_ ? json_loadb(text_, len_, 0, NULL) : NULL;           \
        free(text_);                                                         \
    } while (0)

static char *dump(json_t *o)
{
    /* scores as the printer writes them (%.6g) */
    char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(o);
    if (!s)
        return NULL;
    char *out = xmalloc(strlen(s) + 2);
    strcpy(out, s);
    strcat(out, "\n");
    free(s);
    return out;
}

char *api_search(const search_request_t *req, const search_result_t *res)
{
    json_t *o = json_object();
    json_object_set_new(o, "query", str_or_null(req->text));
    json_object_set_new(o, "like", str_or_null(req->like));
    json_object_set_new(o, "offset", json_integer(req->offset));
    json_object_set_new(o, "limit", json_integer(req->limit));
    json_object_set_new(o, "total", json_integer((json_int_t)res->total));
    json_object_set_new(o, "exact", json_boolean(res->total_exact));
    json_object_set_new(o, "relaxed", json_boolean(res->relaxed));
    json_object_set_new(o, "warning", str_or_null(res->warning));
    json_t *hits = json_array();
    for (size_t i = 0; i < res->n_hits; i++) {
        hit_t h = printer_hit(&res->hits[i], res, req->explain);
        json_t *rec;
        PRINTED(rec, p_.hit(&p_, &h));
        json_array_append_new(hits, rec ? rec : json_null());
    }
    json_object_set_new(o, "hits", hits);
    json_object_set_new(o, "suggestion", str_or_null(res->suggestion));
    json_t *facets = NULL;
    if (req->facets)
        PRINTED(facets, p_.facets(&p_, res));
    if (facets) {
        json_object_del(facets, "type");
        json_object_del(facets, "total");
        json_object_del(facets, "exact");
    }
    json_object_set_new(o, "facets", facets ? facets : json_null());
    if (req->explain) {
        json_t *e = json_object();
        json_object_set_new(e, "parsed", str_or_null(res->parsed));
        json_object_set_new(e, "words", str_or_null(res->words));
        json_object_set_new(o, "explain", e);
    }
    return dump(o);
}

char *api_article(const stored_article_t *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", str_or_null(a->id));
    json_object_set_new(o, "title", str_or_null(a->title));
    json_object_set_new(o, "date", str_or_null(a->date));
    json_object_set_new(o, "source", str_or_null(a->source));
    json_object_set_new(o, "keywords", str_or_null(a->keywords));
    json_t *paras = json_array();
    const char *t = a->text ? a->text : "";
    while (*t) {
        size_t n = strcspn(t, "\n");
        if (n)
            json_array_append_new(paras, json_stringn(t, n));
        t += n + (t[n] == '\n');
    }
    json_object_set_new(o, "paragraphs", paras);
    json_object_set_new(o, "parent", str_or_null(a->parent));
    json_t *rel = json_array();
    for (size_t i = 0; i < a->n_related; i++)
        json_array_append_new(rel, json_string(a->related[i]));
    json_object_set_new(o, "related", rel);
    return dump(o);
}

char *api_health(unsigned long documents, const char *built)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string("ok"));
    json_object_set_new(o, "documents", json_integer((json_int_t)documents));
    json_object_set_new(o, "built", built && *built ? json_string(built)
                                                    : json_null());
    return dump(o);
}

char *api_error(int http_status, const char *message)
{
    json_t *o = json_object();
    json_object_set_new(o, "error", str_or_null(message ? message : ""));
    json_object_set_new(o, "status", json_integer(http_status));
    return dump(o);
}
