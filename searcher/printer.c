/*
 * printer.c: the text, json, tsv and ids printers of printer.h.
 */
#include "printer.h"

#include <string.h>

#include "normalize.h"
#include "util.h"

static const char *const format_table[FMT_LAST] = {
    [FMT_TEXT] = "text", [FMT_JSON] = "json", [FMT_TSV] = "tsv",
    [FMT_IDS] = "ids",
};

format_t format_from_name(const char *name)
{
    for (int f = 0; f < FMT_LAST; f++)
        if (strcmp(name, format_table[f]) == 0)
            return (format_t)f;
    return FMT_LAST;
}

const char *format_names(void)
{
    return "text|json|tsv|ids";
}

/* Always valid UTF-8 (bytes that are not become U+FFFD: a file name
 * need not be UTF-8), controls (C0, DEL, C1) as \uXXXX. */
void json_put_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        switch (cp) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
                fprintf(out, "\\u%04x", (unsigned)cp);
            } else if (cp == 0xFFFD) {
                fputs("\xef\xbf\xbd", out); /* also for a bad byte */
            } else {
                fwrite(p + i, 1, len, out);
            }
        }
        i += len;
    }
    fputc('"', out);
}

static void json_field(FILE *out, const char *key, const char *v)
{
    fprintf(out, ",\"%s\":", key);
    if (v)
        json_put_string(out, v);
    else
        fputs("null", out);
}

static void json_hit(printer_t *p, const hit_t *h)
{
    FILE *o = p->out;
    fprintf(o, "{\"rank\":%u", h->rank);
    json_field(o, "id", h->id);
    json_field(o, "path", h->path);
    json_field(o, "title", h->title);
    json_field(o, "date", h->date);
    json_field(o, "source", h->source);
    fprintf(o, ",\"score\":%.6g", h->score);
    json_field(o, "snippet", h->snippet);
    fputs(",\"highlights\":[", o);
    for (size_t i = 0; i < h->n_marks; i++)
        fprintf(o, "%s[%zu,%zu]", i ? "," : "", h->marks[i][0], h->marks[i][1]);
    fputc(']', o);
    fprintf(o, ",\"related\":%s", h->parent ? "true" : "false");
    json_field(o, "parent", h->parent);
    if (h->n_same) {
        fputs(",\"same_story\":[", o);
        for (size_t i = 0; i < h->n_same; i++) {
            fputs(i ? "," : "", o);
            json_put_string(o, h->same_ids[i]);
        }
        fputc(']', o);
    }
    if (h->n_parts) {
        fputs(",\"explain\":{", o);
        for (size_t i = 0; i < h->n_parts; i++) {
            fputs(i ? "," : "", o);
            json_put_string(o, h->parts[i]);
            fprintf(o, ":%.6g", h->part_weights[i]);
        }
        fputc('}', o);
    }
    fputs("}\n", o);
}

static void json_no_hits(printer_t *p, const char *query, const char *sugg)
{
    if (!sugg)
        return;
    fputs("{\"type\":\"suggestion\",\"query\":", p->out);
    json_put_string(p->out, query);
    fputs(",\"suggestion\":", p->out);
    json_put_string(p->out, sugg);
    fputs("}\n", p->out);
}

static void json_explain(printer_t *p, const char *parsed, const char *words)
{
    fputs("{\"type\":\"explain\",\"parsed\":", p->out);
    json_put_string(p->out, parsed);
    fputs(",\"words\":", p->out);
    json_put_string(p->out, words);
    fputs("}\n", p->out);
}

static void json_count(printer_t *p, unsigned long n)
{
    fprintf(p->out, "{\"type\":\"count\",\"count\":%lu}\n", n);
}

static void json_facets(printer_t *p, const search_result_t *res)
{
    fprintf(p->out, "{\"type\":\"facets\",\"total\":%lu,\"exact\":%s",
            res->total, res->total_exact ? "true" : "false");
    for (size_t k = 0; k < SEARCH_FACETS; k++) {
        const search_facet_t *f = &res->facets[k];
        fprintf(p->out, ",\"%s\":[", f->name ? f->name : "");
        for (size_t i = 0; i < f->n_values; i++) {
            fputs(i ? ",{\"value\":" : "{\"value\":", p->out);
            json_put_string(p->out, f->values[i].value);
            fprintf(p->out, ",\"count\":%lu}", f->values[i].count);
        }
        fputc(']', p->out);
    }
    fputs("}\n", p->out);
}

static void text_facets(printer_t *p, const search_result_t *res)
{
    fprintf(p->out, "%s%lu matches\n", res->total_exact ? "" : "about ",
            res->total);
    for (size_t k = 0; k < SEARCH_FACETS; k++) {
        const search_facet_t *f = &res->facets[k];
        if (!f->name)
            continue;
        fprintf(p->out, "%s:", f->name);
        for (size_t i = 0; i < f->n_values; i++)
            fprintf(p->out, "%s %s (%lu)", i ? "," : "", f->values[i].value,
                    f->values[i].count);
        fputc('\n', p->out);
    }
    fputc('\n', p->out);
}

static void plain_count(printer_t *p, unsigned long n)
{
    fprintf(p->out, "%lu\n", n);
}

/* Text output: S with its controls escaped (newlines kept). */
static void text_put(FILE *out, const char *s)
{
    if (s)
        fput_escaped(out, s, strlen(s));
}

static void text_explain(printer_t *p, const char *parsed, const char *words)
{
    fputs("query: ", p->out);
    text_put(p->out, parsed);
    fputs("\nwords:\n", p->out);
    text_put(p->out, words);
    fputc('\n', p->out);
}

/* Tabs, newlines and backslashes escaped so one hit stays one line;
 * other controls too (util.h). */
static void tsv_field(FILE *out, const char *s)
{
    buf_t b = BUF_INIT;
    buf_escape_controls(&b, s ? s : "", s ? strlen(s) : 0, 1);
    fputs(buf_cstr(&b), out);
    buf_free(&b);
}


static void tsv_hit(printer_t *p, const hit_t *h)
{
    fprintf(p->out, "%u\t", h->rank);
    tsv_field(p->out, h->id);
    fprintf(p->out, "\t%.6g\t", h->score);
    tsv_field(p->out, h->date);
    fputc('\t', p->out);
    tsv_field(p->out, h->source);
    fputc('\t', p->out);
    tsv_field(p->out, h->title);
    fputc('\t', p->out);
    tsv_field(p->out, h->path);
    fputc('\n', p->out);
}

static void ids_hit(printer_t *p, const hit_t *h)
{
    tsv_field(p->out, h->id);
    fputc('\n', p->out);
}

static void silent_no_hits(printer_t *p, const char *q, const char *s)
{
    (void)p; (void)q; (void)s;
}

/* What "+N more" names hit I of a story by: its source, else its id. */
static const char *more_name(const hit_t *h, size_t i)
{
    return h->same_sources[i] ? h->same_sources[i] : h->same_ids[i];
}

void printer_more(buf_t *b, const hit_t *h, const char *more,
                  const char *sep)
{
    buf_printf(b, "+%zu %s: ", h->n_same, more);
    for (size_t i = 0, shown = 0; i < h->n_same; i++) {
        size_t k = 0; /* each source once */
        while (k < i && strcmp(more_name(h, i), more_name(h, k)) != 0)
            k++;
        if (k == i)
            buf_printf(b, "%s%s", shown++ ? sep : "", more_name(h, i));
    }
}

static void text_hit(printer_t *p, const hit_t *h)
{
    FILE *o = p->out;
    const char *b = p->color ? "\033[1m" : "", *r = p->color ? "\033[0m" : "";
    const char *dim = p->color ? "\033[2m" : "";
    const char *mo = p->color ? "\033[1m" : "[", *mc = p->color ? "\033[0m" : "]";
    fprintf(o, "%u. %s", h->rank, b);
    text_put(o, h->title);
    fprintf(o, "%s\n   %s", r, dim);
    text_put(o, h->date ? h->date : "-");
    if (h->source) {
        fputs(" · ", o);
        text_put(o, h->source);
    }
    if (h->parent) {
        fputs(" · related to ", o);
        text_put(o, h->parent);
    }
    fprintf(o, "%s\n   %s", r, dim);
    text_put(o, h->path);
    fprintf(o, "%s\n", r);
    if (h->snippet && *h->snippet) {
        fputs("   ", o);
        /* Marks: bold on a terminal, otherwise [ and ]. */
        size_t at = 0, len = strlen(h->snippet);
        for (size_t i = 0; i < h->n_marks; i++) {
            size_t s = h->marks[i][0], e = h->marks[i][1];
            if (s < at || e > len)
                continue;
            fput_escaped(o, h->snippet + at, s - at);
            fputs(mo, o);
            fput_escaped(o, h->snippet + s, e - s);
            fputs(mc, o);
            at = e;
        }
        text_put(o, h->snippet + at);
        fputc('\n', o);
    }
    if (h->n_same) {
        buf_t more = BUF_INIT;
        printer_more(&more, h, "more", ", ");
        fprintf(o, "   %s", dim);
        text_put(o, more.data);
        fprintf(o, "%s\n", r);
        buf_free(&more);
    }
    if (h->n_parts) {
        fprintf(o, "   %sscore %.4g =", dim, h->score);
        for (size_t i = 0; i < h->n_parts; i++)
        {
            fputs(i ? " + " : " ", o);
            text_put(o, h->parts[i]);
            fprintf(o, " %.4g", h->part_weights[i]);
        }
        fprintf(o, "%s\n", r);
    }
    fputc('\n', o);
}

hit_t printer_hit(const search_hit_t *h, const search_result_t *res,
                  int explain)
{
    hit_t p = { h->rank, h->id, h->path, h->title, h->date, h->source,
                h->parent, h->score, h->snippet ? h->snippet : "", h->marks,
                h->n_marks, NULL, NULL, 0, h->same_ids, h->same_sources,
                h->n_same };
    if (explain && h->id) {
        p.parts = res->part_names;
        p.part_weights = h->part_weights;
        p.n_parts = res->n_parts;
    }
    return p;
}

void printer_init(printer_t *p, format_t format, FILE *out, int color)
{
    p->out = out;
    p->color = color;
    p->no_hits = silent_no_hits;
    p->explain = text_explain;
    p->count = plain_count;
    p->facets = text_facets;
    switch (format) {
    case FMT_JSON:
        p->facets = json_facets;
        p->hit = json_hit;
        p->no_hits = json_no_hits;
        p->explain = json_explain;
        p->count = json_count;
        break;
    case FMT_TSV: p->hit = tsv_hit; break;
    case FMT_IDS: p->hit = ids_hit; break;
    case FMT_TEXT:
    default: p->hit = text_hit; break;
    }
}
