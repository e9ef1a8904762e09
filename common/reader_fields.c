/*
 * reader_fields.c: the JSON field names of the json_fields setting (see
 * reader.h). Apart from the readers, so that checking the config file
 * (config.c) does not link newsq against libxml2 and jansson.
 */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

static const char *const field_names[RF_COUNT] = {
    "title", "body", "date", "source", "url", "keywords", "id",
};

int reader_fields_parse(const char *spec, reader_fields_t *f, buf_t *why)
{
    memset(f, 0, sizeof *f);
    const char *p = spec ? spec : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        int field = -1;
        for (int k = 0; eq && k < RF_COUNT; k++)
            if ((size_t)(eq - p) == strlen(field_names[k]) &&
                memcmp(p, field_names[k], (size_t)(eq - p)) == 0)
                field = k;
        size_t vn = eq ? n - (size_t)(eq - p) - 1 : 0;
        if (field < 0 || vn == 0) {
            buf_printf(why, "'%.*s': expected FIELD=NAME with FIELD one of "
                       "title, body, date, source, url, keywords, id",
                       (int)n, p);
            reader_fields_free(f);
            return -1;
        }
        int i = 0;
        while (i < READER_MAX_NAMES - 1 && f->names[field][i])
            i++;
        if (i == READER_MAX_NAMES - 1) {
            buf_printf(why, "more than %d names for %s", READER_MAX_NAMES - 1,
                       field_names[field]);
            reader_fields_free(f);
            return -1;
        }
        f->names[field][i] = xstrndup(eq + 1, vn);
        p += n;
        p += *p == ',';
    }
    return 0;
}

void reader_fields_free(reader_fields_t *f)
{
    for (int k = 0; k < RF_COUNT; k++)
        for (int i = 0; i < READER_MAX_NAMES; i++) {
            free(f->names[k][i]);
            f->names[k][i] = NULL;
        }
}
