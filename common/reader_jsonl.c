/*
 * reader_jsonl.c: JSON lines (one article per line: *.jsonl, *.ndjson) and
 * JSON arrays of articles (*.json), parsed by jansson.
 *
 * A record is an object; its fields are found by the names scrapers use
 * (defaults below), after the names the json_fields setting gives. A value
 * may be a string, a number (ids, epoch dates), an array (paragraphs of a
 * body, keywords, tags) or, for the source, an object with a "name". A
 * body holding HTML is turned into text (reader_html_text).
 *
 * JSON lines are read from OPTS->offset: an appended file is read from
 * where the last build stopped (the end of its last complete line). A
 * last line with no line end may be a record being written: when it does
 * not parse it is left for the next build (reported, not counted).
 */
#include "reader.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "dates.h"

static const char *const defaults[RF_COUNT][READER_MAX_NAMES] = {
    [RF_TITLE] = {"title", "headline", "name", NULL},
    [RF_BODY] = {"body", "text", "content", "article", "articleBody",
                 "description", NULL},
    [RF_DATE] = {"date", "published", "pubDate", "published_at",
                 "datePublished", "publishedAt", "time", NULL},
    [RF_SOURCE] = {"source", "site", "publisher", NULL},
    [RF_URL] = {"url", "link", NULL},
    [RF_KEYWORDS] = {"keywords", "tags", NULL},
    [RF_ID] = {"id", "_id", "guid", NULL},
};

/* The first present, non-null field F of OBJ. */
static json_t *field(json_t *obj, const reader_opts_t *o, reader_field_t f)
{
    json_t *v;
    for (int i = 0; o->fields && i < READER_MAX_NAMES && o->fields->names[f][i];
         i++)
        if ((v = json_object_get(obj, o->fields->names[f][i])) &&
            !json_is_null(v))
            return v;
    for (int i = 0; defaults[f][i]; i++)
        if ((v = json_object_get(obj, defaults[f][i])) && !json_is_null(v))
            return v;
    return NULL;
}

/* V as text into OUT (reset first): strings as they are, numbers written
 * out, arrays joined by SEP, an object by its "name". */
static void text_of(json_t *v, const char *sep, buf_t *out)
{
    buf_reset(out);
    if (json_is_string(v)) {
        buf_append(out, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        buf_printf(out, "%.17g", json_real_value(v));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        buf_t one = BUF_INIT;
        json_array_foreach(v, i, e) {
            if (!json_is_string(e) && !json_is_number(e))
                continue;
            text_of(e, sep, &one);
            if (out->len)
                buf_puts(out, sep);
            buf_append(out, one.data, one.len);
        }
        buf_free(&one);
    } else if (json_is_object(v)) {
        json_t *name = json_object_get(v, "name");
        if (json_is_string(name))
            text_of(name, sep, out);
    }
}

/* A one-line field that may hold markup or entities. */
static void set_line(char **field, const char *s, size_t n)
{
    if (reader_looks_html(s, n)) {
        article_t tmp;
        memset(&tmp, 0, sizeof tmp);
        reader_html_text(&tmp, s, n);
        reader_join_line(&tmp, field);
        return;
    }
    article_set_line(field, s, n);
}

/* A date: a string in any form dates.h reads, or seconds (milliseconds
 * when large) since 1970. */
static char *date_of(json_t *v, buf_t *tmp)
{
    char out[11];
    if (json_is_number(v)) {
        double t = json_number_value(v);
        if (t > 1e11)
            t /= 1000;
        if (t < 0 || t > 253402300799.0)
            return NULL;
        time_t secs = (time_t)t;
        struct tm tm;
        if (!gmtime_r(&secs, &tm) || !strftime(out, sizeof out, "%Y-%m-%d", &tm))
            return NULL;
        return xstrdup(out);
    }
    text_of(v, " ", tmp);
    return tmp->len && date_parse(tmp->data, tmp->len, out) ? xstrdup(out)
                                                            : NULL;
}

/*
 * Record OBJ into a new article of SET, with FALLBACK_ID when it has no id
 * or url. Returns NULL, or why it was skipped.
 */
static const char *record(json_t *obj, const reader_opts_t *o,
                          article_set_t *set, const char *fallback_id)
{
    if (!json_is_object(obj))
        return "not a JSON object";
    buf_t t = BUF_INIT;
    json_t *v = field(obj, o, RF_TITLE);
    char *title = NULL;
    if (v) {
        text_of(v, " ", &t);
        set_line(&title, t.data ? t.data : "", t.len);
    }
    if (!title) {
        buf_free(&t);
        return "no title (a title or headline field)";
    }
    article_t *a = article_set_add(set);
    a->title = title;
    if ((v = field(obj, o, RF_BODY))) {
        text_of(v, "\n", &t);
        if (reader_looks_html(t.data ? t.data : "", t.len))
            reader_html_text(a, t.data, t.len);
        else
            article_add_text(a, t.data ? t.data : "", t.len);
    }
    if ((v = field(obj, o, RF_DATE)))
        a->date = date_of(v, &t);
    if ((v = field(obj, o, RF_SOURCE))) {
        text_of(v, " ", &t);
        set_line(&a->source, t.data ? t.data : "", t.len);
    }
    if ((v = field(obj, o, RF_KEYWORDS))) {
        text_of(v, "، ", &t);
        set_line(&a->keywords, t.data ? t.data : "", t.len);
    }
    if ((v = field(obj, o, RF_ID)) || (v = field(obj, o, RF_URL))) {
        text_of(v, " ", &t);
        article_set_line(&a->id, t.data ? t.data : "", t.len);
    }
    if (!a->id)
        a->id = xstrdup(fallback_id);
    buf_free(&t);
    return NULL;
}

static void bad_at(const reader_opts_t *o, const char *what, size_t n,
                   const char *why)
{
    char where[48];
    snprintf(where, sizeof where, "%s %zu", what, n);
    o->on_bad(o->ctx, where, why);
}

static int is_blank(const char *p, const char *e)
{
    for (; p < e; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return 0;
    return 1;
}

int reader_jsonl(const char *data, size_t len, const reader_opts_t *o,
                 article_set_t *set, reader_result_t *res,
                 const char **reason)
{
    (void)reason;
    size_t off = o->offset <= len ? o->offset : len;
    size_t line = o->offset && o->first_line ? o->first_line : 1;
    const char *p = data + off, *end = data + len;
    if (off == 0 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    res->end = off;
    res->end_line = line;
    buf_t id = BUF_INIT, why = BUF_INIT;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (!is_blank(p, le)) {
            json_error_t err;
            json_t *j = json_loadb(p, (size_t)(le - p), JSON_DECODE_ANY, &err);
            if (!j) {
                buf_reset(&why);
                if (!nl)
                    buf_puts(&why, "incomplete last record (no line end): "
                                   "read again by the next build");
                else
                    buf_printf(&why, "malformed JSON (%s, column %d)",
                               err.text, err.column);
                bad_at(o, "line", line, why.data);
                if (!nl)
                    break;
                res->bad++;
            } else {
                buf_reset(&id);
                buf_printf(&id, "%s:%zu", o->name, line);
                const char *bad = record(j, o, set, id.data);
                json_decref(j);
                if (bad) {
                    bad_at(o, "line", line, bad);
                    res->bad++;
                }
            }
        }
        if (!nl)
            break; /* a record with no line end is read again next time */
        p = nl + 1;
        line++;
        res->end = (size_t)(p - data);
        res->end_line = line;
    }
    buf_free(&id);
    buf_free(&why);
    return 0;
}

int reader_json_array(const char *data, size_t len, const reader_opts_t *o,
                      article_set_t *set, reader_result_t *res,
                      const char **reason)
{
    json_error_t err;
    json_t *root = json_loadb(data, len, 0, &err);
    if (!root || !json_is_array(root)) {
        if (root) {
            *reason = "JSON, but not an array of articles";
        } else {
            buf_t why = BUF_INIT;
            buf_printf(&why, "malformed JSON (%s, column %d)", err.text,
                       err.column);
            bad_at(o, "line", (size_t)(err.line > 0 ? err.line : 0), why.data);
            buf_free(&why);
            *reason = "malformed JSON array";
        }
        json_decref(root);
        return -1;
    }
    size_t i;
    json_t *e;
    buf_t id = BUF_INIT;
    json_array_foreach(root, i, e) {
        buf_reset(&id);
        buf_printf(&id, "%s:#%zu", o->name, i + 1);
        const char *bad = record(e, o, set, id.data);
        if (bad) {
            bad_at(o, "record", i + 1, bad);
            res->bad++;
        }
    }
    buf_free(&id);
    json_decref(root);
    res->end = len;
    return 0;
}
