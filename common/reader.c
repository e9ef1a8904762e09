/*
 * reader.c: which reader reads a file, and the dispatch (see reader.h);
 * the JSON field names are in reader_fields.c.
 */
#include "reader.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The extension of NAME (after the last '.' of its last component), or "". */
static const char *extension(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot && dot > base ? dot + 1 : "";
}

int reader_maybe_many(const char *name)
{
    static const char *const many[] = {"jsonl", "ndjson", "json", "rss",
                                       "atom", "xml"};
    const char *ext = extension(name);
    for (size_t i = 0; i < sizeof many / sizeof *many; i++)
        if (strcasecmp(ext, many[i]) == 0)
            return 1;
    return 0;
}

/* The first byte of DATA that is not white space or a UTF-8 BOM. */
static const char *skip_space(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Is the root element of the XML text a feed's? Looks past the XML
 * declaration, comments, processing instructions and a DOCTYPE. */
static int feed_root(const char *p, const char *end)
{
    for (int guard = 0; guard < 64; guard++) {
        p = skip_space(p, end);
        if (p >= end || *p != '<')
            return 0;
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *e = memmem(p, (size_t)(end - p), "-->", 3);
            if (!e)
                return 0;
            p = e + 3;
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            const char *e = memchr(p, '>', (size_t)(end - p));
            if (!e)
                return 0;
            p = e + 1;
            continue;
        }
        static const char *const roots[] = {"<rss", "<feed", "<rdf:RDF",
                                            "<RDF"};
        for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
            size_t n = strlen(roots[i]);
            if ((size_t)(end - p) > n && memcmp(p, roots[i], n) == 0 &&
                (p[n] == ' ' || p[n] == '>' || p[n] == '\n' || p[n] == '\r' ||
                 p[n] == '\t'))
                return 1;
        }
        return 0;
    }
    return 0;
}

reader_kind_t reader_kind_of(const char *name, const char *data, size_t len)
{
    const char *ext = extension(name);
    const char *end = data + len;
    if (strcasecmp(ext, "jsonl") == 0 || strcasecmp(ext, "ndjson") == 0)
        return READ_JSONL;
    if (strcasecmp(ext, "json") == 0) {
        const char *p = skip_space(data, end);
        return p < end && *p == '[' ? READ_JSON : READ_JSONL;
    }
    if (strcasecmp(ext, "rss") == 0 || strcasecmp(ext, "atom") == 0)
        return READ_FEED;
    if (strcasecmp(ext, "xml") == 0 && feed_root(data, end))
        return READ_FEED;
    return READ_ARTICLE;
}

int reader_read(reader_kind_t kind, const char *data, size_t len,
                const reader_opts_t *o, article_set_t *set,
                reader_result_t *res, const char **reason)
{
    memset(set, 0, sizeof *set);
    memset(res, 0, sizeof *res);
    *reason = NULL;
    switch (kind) {
    case READ_JSONL:
        return reader_jsonl(data, len, o, set, res, reason);
    case READ_JSON:
        return reader_json_array(data, len, o, set, res, reason);
    case READ_FEED:
        return reader_feed(data, len, o, set, res, reason);
    case READ_ARTICLE:
        break;
    }
    *reason = "not a many-article file";
    return -1;
}
