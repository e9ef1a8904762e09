/*
 * snippet.c: passage selection over the analyzer's own tokens, so a match is
 * found exactly where the index found it and its byte range points into the
 * original text (harakat and tatweel inside a word stay inside the mark).
 */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

typedef struct tok_rec {
    size_t start, end;
    int match;       /* index+1 of the matched query word, or 0 */
} tok_rec_t;

typedef struct scan {
    const query_t *q;
    tok_rec_t *toks;
    size_t n, cap;
    size_t more;     /* > 0: a passage with every query word is found;
                        tokens still to read after it (then stop) */
} scan_t;

/* Does the passage of SNIPPET_WORDS tokens ending at the last one hold
 * every word of the query (as written)? Then no later passage can hold
 * more, and the rest of the text need not be analysed. */
static int passage_complete(const scan_t *s)
{
    size_t nq = s->q->n_surfaces;
    if (nq == 0 || nq > 64)
        return 0;
    uint64_t seen = 0;
    size_t from = s->n > SNIPPET_WORDS ? s->n - SNIPPET_WORDS : 0;
    for (size_t i = from; i < s->n; i++) {
        int m = s->toks[i].match;
        if (m > 0 && (size_t)m <= nq)
            seen |= 1ull << (m - 1);
    }
    return seen == (nq == 64 ? ~0ull : (1ull << nq) - 1);
}

static int which_word(const query_t *q, const an_token_t *tok)
{
    if (tok->stopword)
        return 0;
    for (size_t i = 0; i < q->n_surfaces; i++)
        if (strcmp(q->surfaces[i], tok->surface) == 0)
            return (int)i + 1;
    return query_matches(q, tok) ? (int)q->n_surfaces + 1 : 0;
}

static int record(void *vctx, const an_token_t *tok)
{
    scan_t *s = vctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->toks = xrealloc(s->toks, s->cap * sizeof *s->toks);
    }
    s->toks[s->n++] = (tok_rec_t){ tok->start, tok->end, which_word(s->q, tok) };
    if (s->more)
        return --s->more == 0; /* the passage's context is read: stop */
    if (s->toks[s->n - 1].match && passage_complete(s))
        s->more = SNIPPET_WORDS;
    return 0;
}

void snippet_make(analyzer_t *an, const query_t *q, const char *text,
                  size_t len, snippet_t *sn)
{
    buf_reset(&sn->text);
    sn->n_marks = 0;
    scan_t s = { q, NULL, 0, 0, 0 };
    analyzer_run(an, text, len, record, &s);
    if (s.n == 0) {
        free(s.toks);
        return;
    }
    /* Best window of SNIPPET_WORDS tokens: most distinct words, then most
     * matches, then earliest. */
    size_t best = 0;
    int best_distinct = -1, best_hits = -1;
    size_t nq = q->n_surfaces + 2;
    int *seen = xcalloc(nq, sizeof *seen);
    for (size_t i = 0; i < s.n; i++) {
        size_t end = i + SNIPPET_WORDS < s.n ? i + SNIPPET_WORDS : s.n;
        if (i > 0 && !s.toks[i].match)
            continue; /* a window worth having starts on a match */
        memset(seen, 0, nq * sizeof *seen);
        int distinct = 0, hits = 0;
        for (size_t j = i; j < end; j++) {
            int m = s.toks[j].match;
            if (!m)
                continue;
            hits++;
            if (!seen[m]) {
                seen[m] = 1;
                distinct++;
            }
        }
        if (distinct > best_distinct ||
            (distinct == best_distinct && hits > best_hits)) {
            best = i;
            best_distinct = distinct;
            best_hits = hits;
        }
    }
    free(seen);
    /* Start a little before the first match for context. */
    size_t first = best >= 4 ? best - 4 : 0;
    if (best_hits <= 0)
        first = 0;
    size_t last = first + SNIPPET_WORDS < s.n ? first + SNIPPET_WORDS : s.n;
    size_t from = s.toks[first].start;
    size_t to = s.toks[last - 1].end;
    /* Keep closing ASCII punctuation (one byte each: never splits UTF-8). */
    while (to < len && to - s.toks[last - 1].end < 3 &&
           (text[to] == '.' || text[to] == '!' || text[to] == '?' ||
            text[to] == '"' || text[to] == ')'))
        to++;
    int cut_start = first > 0, cut_end = last < s.n;
    if (cut_start)
        buf_puts(&sn->text, "… ");
    size_t base = sn->text.len;
    /* Newlines inside the passage become spaces (one line per hit). */
    for (size_t i = from; i < to; i++)
        buf_putc(&sn->text, text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
    if (cut_end)
        buf_puts(&sn->text, " …");
    sn->marks = xrealloc(sn->marks, (last - first + 1) * sizeof *sn->marks);
    for (size_t j = first; j < last; j++) {
        if (!s.toks[j].match)
            continue;
        sn->marks[sn->n_marks][0] = base + (s.toks[j].start - from);
        sn->marks[sn->n_marks][1] = base + (s.toks[j].end - from);
        sn->n_marks++;
    }
    free(s.toks);
}

void snippet_free(snippet_t *s)
{
    buf_free(&s->text);
    free(s->marks);
    s->marks = NULL;
    s->n_marks = 0;
}
