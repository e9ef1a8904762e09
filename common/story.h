/*
 * story.h: same-story signatures. Each article gets a MinHash sketch of
 * the word 3-shingles of its folded title and body (the surface forms the
 * analyzer gives: the indexer feeds the words it already has, no second
 * analysis). Two articles are the same story when their sketches agree on
 * enough of their STORY_HASHES minimums: an estimate of the Jaccard
 * similarity of their shingle sets (the same wire story in two outlets,
 * one with an edited title or a changed word, shares most shingles;
 * different stories on one subject share common words, not 3-word runs).
 *
 * The sketch depends on the article's own text only, never on the rest of
 * the index, so it is the same whatever the build order, the layout
 * (shards, stubs) or the other articles added, changed or deleted. Groups
 * are formed when searching (search.c, --collapse story), among the
 * ranked hits.
 *
 * The value stored (SLOT_STORY, schema.h): STORY_SIG_BYTES bytes, the
 * STORY_HASHES minimums, each cut to its low 16 bits, big-endian; empty
 * when the article has fewer than STORY_MIN_SHINGLES shingles (too short
 * to tell a story from a template: never grouped).
 */
#ifndef NX_STORY_H
#define NX_STORY_H

#include <stddef.h>
#include <stdint.h>

#define STORY_HASHES 64
#define STORY_SIG_BYTES (2 * STORY_HASHES)
#define STORY_MIN_SHINGLES 12
/* Agreeing minimums out of STORY_HASHES for "the same story" (estimated
 * Jaccard similarity of the shingle sets >= STORY_SAME / STORY_HASHES;
 * chosen on saudinewsnet: bench/story_eval.c, doc/story-eval.md). */
#define STORY_SAME 32

typedef struct story_sketch {
    uint64_t min[STORY_HASHES];
    uint64_t last[2];         /* hashes of the two words before */
    size_t n_words, n_shingles;
} story_sketch_t;

void story_begin(story_sketch_t *s);
/* The next word of the text: W (LEN bytes), folded. */
void story_add_word(story_sketch_t *s, const char *w, size_t len);
/* The signature into OUT: STORY_SIG_BYTES, or 0 when the text is too
 * short to have one (store the empty value). */
size_t story_finish(const story_sketch_t *s,
                    unsigned char out[STORY_SIG_BYTES]);

/* How many of the minimums of signatures A (ALEN bytes) and B agree,
 * 0 to STORY_HASHES; -1 when either is not a signature (empty: too
 * short). */
int story_agree(const void *a, size_t alen, const void *b, size_t blen);

/* Are A and B (SLOT_STORY values) the same story? This is the one rule:
 * --collapse story and newsq --like both call it. */
int story_same(const void *a, size_t alen, const void *b, size_t blen);

#endif /* NX_STORY_H */
