/*
 * document.c: article → Xapian document. Words of every field go through
 * analyzer_run (tag: analyzer-parity); positions run on across fields with
 * a gap, so phrases never span a field boundary.
 */
#include "document.h"

#include <stdio.h>
#include <string.h>

#include "normalize.h"
#include "schema.h"
#include "story.h"

/* Term families (DOC_F_*) written; all by default. */
static unsigned families = DOC_F_ALL;

int document_set_families(const char *spec)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        { "positions", DOC_F_POSITIONS }, { "stems", DOC_F_STEMS },
        { "title", DOC_F_TITLE }, { "keywords", DOC_F_KEYWORDS },
        { "lead", DOC_F_LEAD },
    };
    unsigned f = DOC_F_ALL;
    while (spec && *spec) {
        size_t n = strcspn(spec, ",");
        int found = 0;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            if (n == strlen(names[i].name) + 2 &&
                strncmp(spec, "no", 2) == 0 &&
                strncmp(spec + 2, names[i].name, n - 2) == 0) {
                f &= ~names[i].bit;
                found = 1;
            }
        }
        if (!found)
            return -1;
        spec += n;
        spec += *spec == ',';
    }
    families = f;
    return 0;
}

/* The family (DOC_F_*) that turns a field's terms off; 0: never off. */
static const unsigned field_family[FIELD_COUNT] = {
    [FIELD_BODY] = 0, [FIELD_TITLE] = DOC_F_TITLE,
    [FIELD_KEYWORDS] = DOC_F_KEYWORDS, [FIELD_LEAD] = DOC_F_LEAD,
};

typedef struct field_ctx {
    nx_doc_t *doc;
    buf_t term;
    uint32_t base;       /* position offset of the current field */
    uint32_t last;       /* last position used */
    unsigned fields;     /* the fields (1 << FIELD_*) the words go to */
    nx_status_t st;
    story_sketch_t story; /* the title's and body's words (SLOT_STORY) */
} field_ctx_t;

/* PREFIX + TEXT into C's term buffer. */
static void make_term(field_ctx_t *c, const char *prefix, const char *text,
                      size_t len)
{
    buf_reset(&c->term);
    buf_puts(&c->term, prefix);
    buf_append(&c->term, text, len);
}

static int add_word(void *vctx, const an_token_t *tok)
{
    field_ctx_t *c = vctx;
    uint32_t pos = c->base + tok->pos;
    c->last = pos;
    if (!c->doc)
        return 0; /* analysis only (a dry run) */
    if (c->fields & (1u << FIELD_BODY))
        story_add_word(&c->story, tok->surface, tok->surface_len);
    nx_status_t st = NX_OK;
    const unsigned f = families;
    for (int i = 0; st == NX_OK && i < FIELD_COUNT; i++) {
        const schema_field_t *fd = &schema_fields[i];
        if (!(c->fields & (1u << i)) || (field_family[i] & ~f) ||
            (tok->stopword && !fd->stopwords))
            continue;
        make_term(c, fd->prefix, tok->surface, tok->surface_len);
        st = fd->positional && (f & DOC_F_POSITIONS)
                 ? nx_doc_add_posting(c->doc, c->term.data, c->term.len, pos)
                 : nx_doc_add_term(c->doc, c->term.data, c->term.len, 1);
        for (size_t k = 0; st == NX_OK && fd->stem_prefix &&
                           (f & DOC_F_STEMS) && k < tok->n_stems;
             k++) {
            make_term(c, fd->stem_prefix, tok->stems[k],
                      strlen(tok->stems[k]));
            st = nx_doc_add_term(c->doc, c->term.data, c->term.len, 1);
        }
    }
    c->st = st;
    return st != NX_OK;
}

static void index_field(analyzer_t *an, field_ctx_t *c, const char *text)
{
    if (!text || c->st != NX_OK)
        return;
    analyzer_run(an, text, strlen(text), add_word, c);
    c->base = c->last + POS_PARA_GAP;
    c->last = c->base;
}

static nx_status_t add_bool(nx_doc_t *doc, buf_t *b, const char *prefix,
                            const char *v, size_t n)
{
    buf_reset(b);
    schema_term(b, prefix, v, n);
    return nx_doc_add_boolean(doc, b->data, b->len);
}

nx_status_t document_build(analyzer_t *an, const article_t *a,
                           const doc_meta_t *meta, nx_doc_t **docp,
                           buf_t *unique)
{
    nx_doc_t *doc = NULL;
    if (docp && !(doc = nx_doc_new()))
        return NX_NOMEM;
    field_ctx_t c = { doc, BUF_INIT, 0, 0, 0, NX_OK, { { 0 }, { 0 }, { 0 }, { 0 }, 0, 0 } };
    story_begin(&c.story);

    c.fields = 1u << FIELD_BODY | 1u << FIELD_TITLE;
    index_field(an, &c, a->title);
    c.base = c.last + POS_FIELD_GAP;
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        c.fields = 1u << FIELD_BODY | (i == 0 ? 1u << FIELD_LEAD : 0);
        index_field(an, &c, a->paragraphs[i]);
    }
    c.fields = 1u << FIELD_KEYWORDS;
    index_field(an, &c, a->keywords);
    if (!doc) {
        buf_free(&c.term);
        return NX_OK;
    }

    /* The stored text: the original paragraphs, one per line. */
    buf_t text = BUF_INIT;
    for (size_t i = 0; i < a->n_paragraphs; i++) {
        if (i)
            buf_putc(&text, '\n');
        buf_puts(&text, a->paragraphs[i]);
    }

    /* The content hash: the collapse key, and what makes a related
     * article repeated in many files one document. */
    char hex[17];
    uint64_t h = hash64(text.data ? text.data : "", text.len) ^
                 (hash64(a->title, strlen(a->title)) * 31);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);

    /* A main article is its file's (Q+id, XFILE); a related one is its
     * content's (XHASH), owned by every file that repeats it (XREL). */
    nx_status_t st = c.st;
    buf_t *b = &c.term;
    buf_reset(unique);
    if (a->related)
        schema_term(unique, PFX_HASH, hex, 16);
    else
        schema_term(unique, PFX_ID, meta->id, strlen(meta->id));
    if (st == NX_OK)
        st = nx_doc_add_boolean(doc, unique->data, unique->len);
    if (st == NX_OK)
        st = add_bool(doc, b, a->related || meta->shared ? PFX_OWNER : PFX_FILE,
                      meta->relpath, strlen(meta->relpath));
    if (st == NX_OK)
        st = add_bool(doc, b, PFX_KIND, a->related ? "related" : "main",
                      a->related ? 7 : 4);
    if (st == NX_OK && meta->parent_id)
        st = add_bool(doc, b, PFX_PARENT, meta->parent_id,
                      strlen(meta->parent_id));
    if (st == NX_OK && a->source) {
        buf_t folded = BUF_INIT;
        norm_fold(a->source, strlen(a->source), 0, &folded);
        if (folded.len)
            st = add_bool(doc, b, PFX_SOURCE, folded.data, folded.len);
        buf_free(&folded);
    }
    char ymd[9] = "";
    if (a->date && strlen(a->date) == 10) {
        memcpy(ymd, a->date, 4);
        memcpy(ymd + 4, a->date + 5, 2);
        memcpy(ymd + 6, a->date + 8, 2);
        ymd[8] = '\0';
        if (st == NX_OK)
            st = add_bool(doc, b, PFX_YEAR, ymd, 4);
        if (st == NX_OK)
            st = add_bool(doc, b, PFX_MONTH, ymd, 6);
        if (st == NX_OK)
            st = add_bool(doc, b, PFX_DAY, ymd, 8);
        if (st == NX_OK)
            st = nx_doc_set_value(doc, SLOT_DATE, ymd, 8);
        if (st == NX_OK) /* "YYYY-MM" of the ISO date */
            st = nx_doc_set_value(doc, SLOT_MONTH, a->date, 7);
    }
    if (st == NX_OK && a->source && *a->source)
        st = nx_doc_set_value(doc, SLOT_SOURCE, a->source, strlen(a->source));
    /* Collapse key: the same title and text are the same article. */
    if (st == NX_OK)
        st = nx_doc_set_value(doc, SLOT_HASH, hex, 16);
    if (st == NX_OK)
        st = nx_doc_set_value(doc, SLOT_KEY, unique->data, unique->len);
    if (st == NX_OK && meta->seq)
        st = nx_doc_set_value(doc, SLOT_SEQ, meta->seq, strlen(meta->seq));
    unsigned char sig[STORY_SIG_BYTES];
    size_t siglen = story_finish(&c.story, a->date, sig);
    if (st == NX_OK && siglen)
        st = nx_doc_set_value(doc, SLOT_STORY, (const char *)sig, siglen);

    buf_t data = BUF_INIT;
    docdata_put(&data, DATA_ID, meta->id, strlen(meta->id));
    docdata_put(&data, DATA_PATH, meta->path, strlen(meta->path));
    docdata_put(&data, DATA_TITLE, a->title, strlen(a->title));
    if (a->date)
        docdata_put(&data, DATA_DATE, a->date, strlen(a->date));
    if (a->source)
        docdata_put(&data, DATA_SOURCE, a->source, strlen(a->source));
    if (meta->parent_id)
        docdata_put(&data, DATA_PARENT, meta->parent_id, strlen(meta->parent_id));
    if (a->keywords)
        docdata_put(&data, DATA_KEYWORDS, a->keywords, strlen(a->keywords));
    docdata_put(&data, DATA_TEXT, text.data ? text.data : "", text.len);
    if (st == NX_OK)
        st = nx_doc_set_data(doc, data.data, data.len);
    buf_free(&data);
    buf_free(&text);
    buf_free(&c.term);
    if (st != NX_OK) {
        nx_doc_free(doc);
        return st;
    }
    *docp = doc;
    return NX_OK;
}
