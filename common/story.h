/*
 * story.h: same-story signatures. Each article gets a MinHash sketch of
 * the word 3-shingles of its folded title and body (the surface forms the
 * analyzer gives: the indexer feeds the words it already has, no second
 * analysis), and its publication day. Two articles are the same story
 * when their sketches agree on enough of their STORY_HASHES minimums (an
 * estimate of the Jaccard similarity of their shingle sets: the same wire
 * story in two outlets, one with an edited title or a changed word, shares
 * most shingles; different stories on one subject share common words, not
 * 3-word runs) and, below STORY_SURE, were published within STORY_DAYS
 * of each other.
 *
 * Why the days: what else passes the similarity bar is the template
 * story, the same statement around other names ("the King congratulates
 * the president of Niger / of Bolivia on independence day", executions,
 * the daily weather), published on other days. Late copies of one story
 * (an outlet that republishes three days later) agree on far more.
 * Thresholds chosen on saudinewsnet (bench/story_eval.c, bench/stories.md).
 *
 * The signature depends on the article's own text and date only, never
 * on the rest of the index, so it is the same whatever the build order,
 * the layout (shards, stubs) or the other articles added, changed or
 * deleted. Groups are formed when searching (searcher/stories.h).
 *
 * The value stored (SLOT_STORY, schema.h): STORY_SIG_BYTES bytes, the
 * day (days since 1970-01-01, 0: unknown, 16 bits) then the STORY_HASHES
 * minimums, each cut to the low 16 bits of its shingle's hash, all
 * big-endian; empty when the article has fewer than STORY_MIN_SHINGLES
 * shingles (too short to tell a story from a template: never grouped).
 */
#ifndef NX_STORY_H
#define NX_STORY_H

#include <stddef.h>
#include <stdint.h>

#define STORY_HASHES 64
#define STORY_SIG_BYTES (2 + 2 * STORY_HASHES)
#define STORY_MIN_SHINGLES 12
/* Agreeing minimums (of STORY_HASHES) for the same story: STORY_SAME
 * (estimated Jaccard 1/2) within STORY_DAYS days, STORY_SURE (about
 * 0.69) whatever the dates. */
#define STORY_SAME 32
#define STORY_SURE 44
#define STORY_DAYS 2

typedef struct story_sketch {
    uint64_t min[STORY_HASHES];
    uint64_t mul[STORY_HASHES], add[STORY_HASHES]; /* the hash functions */
    uint64_t last[2];         /* hashes of the two words before */
    size_t n_words, n_shingles;
} story_sketch_t;

void story_begin(story_sketch_t *s);
/* The next word of the text: W (LEN bytes), folded. */
void story_add_word(story_sketch_t *s, const char *w, size_t len);
/* The signature of S, published on DATE ("YYYY-MM-DD"; NULL or another
 * form: unknown), into OUT: STORY_SIG_BYTES, or 0 when the text is too
 * short to have one (store the empty value). */
size_t story_finish(const story_sketch_t *s, const char *date,
                    unsigned char out[STORY_SIG_BYTES]);

/* How many of the minimums of signatures A (ALEN bytes) and B agree,
 * 0 to STORY_HASHES; -1 when either is not a signature (empty: too
 * short). */
int story_agree(const void *a, size_t alen, const void *b, size_t blen);

/* Days between the publications of A and B; -1 when either is unknown
 * (or not a signature). */
long story_days_apart(const void *a, size_t alen, const void *b,
                      size_t blen);

/* Are A and B (SLOT_STORY values) the same story? This is the one rule:
 * --collapse story and newsq --like both call it. */
int story_same(const void *a, size_t alen, const void *b, size_t blen);

#endif /* NX_STORY_H */
