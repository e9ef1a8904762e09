/*
 * analyzer.h: the Arabic analyzer, one module called by both programs.
 *
 * Text is cut into words by ICU's word break iterator; each word is folded
 * (normalize.h) into its SURFACE form and reduced to one or more STEMS:
 *
 *   surface  the folded word (positional: exact and phrase search);
 *   stems    the word with proclitics (و ف ب ك ل and the article ال, in the
 *            chain [و|ف][ب|ك|ل][ال]) and suffixes removed, on the hamza-seat
 *            fold so that مسؤول and مسئول meet. Where a single-letter
 *            proclitic is ambiguous (وزير, فلسطين, لبنان begin with one),
 *            every reading is kept as a stem of its own: the full word and
 *            each stripped form of at least three letters. Protected words
 *            (names, common words) are never stripped.
 *
 * Expansion happens on BOTH sides with the same function, so a word and its
 * variant share at least one stem wherever they occur (tag: analyzer-parity;
 * the indexer and the query builder must both call analyzer_run).
 * Stopwords are flagged, not removed: the indexer keeps their surface
 * positions (for phrases) but gives them no stem; the query builder drops
 * them outside quotes.
 */
#ifndef NX_ANALYZER_H
#define NX_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"

/* Longest surface or stem term, in bytes: the schema's one cap
 * (SCHEMA_WORD_MAX, schema.h). */
#define AN_MAX_TERM SCHEMA_WORD_MAX
/* Longest word that is stemmed, in code points; longer words keep only
 * their surface form. */
#define AN_MAX_STEM_CHARS 40
#define AN_MAX_STEMS 4

typedef struct an_token {
    const char *surface;      /* folded word, NUL-terminated, never empty */
    size_t surface_len;
    const char *stems[AN_MAX_STEMS]; /* distinct stems, NUL-terminated */
    size_t n_stems;           /* 0 for stopwords, numbers and Latin words */
    size_t start, end;        /* byte range of the word in the input text */
    uint32_t pos;             /* 1-based word position within this call */
    int stopword;             /* the surface form is a stopword */
} an_token_t;

/* Called for each word; a non-zero return stops the run. Pointers in TOK
 * are valid only during the call. */
typedef int (*an_token_fn)(void *ctx, const an_token_t *tok);

typedef struct analyzer analyzer_t;

/* A new analyzer (owns an ICU break iterator and a stem cache); NULL when ICU
 * cannot be initialised. Not thread-safe: one per thread. */
analyzer_t *analyzer_new(void);
void analyzer_free(analyzer_t *an);

/*
 * Analyze LEN bytes of UTF-8 TEXT (invalid bytes are skipped), calling FN for
 * each word in order. Returns 0, or FN's non-zero return value.
 */
int analyzer_run(analyzer_t *an, const char *text, size_t len, an_token_fn fn,
                 void *ctx);

/* Is the folded word W (LEN bytes) a stopword? */
int analyzer_is_stopword(const char *w, size_t len);

/* Stem cache statistics (for benchmarks): lookups and hits so far. */
void analyzer_cache_stats(const analyzer_t *an, uint64_t *lookups,
                          uint64_t *hits);

#endif /* NX_ANALYZER_H */
