/*
 * variants.h: spelling variants of names, mined from the index.
 *
 * Arabic outlets transliterate foreign names their own way (ترامب/ترمب,
 * بوتين/بوتن, غوغل/جوجل). Candidates are words of the index that share a
 * transliteration skeleton: long vowels (ا و ي) after the first letter
 * dropped, the letters written for g (غ ج ق ك) made one, ة read as ه.
 * Most such pairs are different words (بيان/بين, عالم/علم, محمود/محمد), so a
 * pair is kept only when the evidence says it is one name:
 *
 *   clitics   both take the article ال rarely (names do not; بيان, عالم,
 *             قطاع, فريق, مصير do), at most VARIANT_MAX_ARTICLE of the time;
 *   articles  they seldom occur in the same article (a writer keeps one
 *             spelling; محمود and محمد, حسين and حسن meet all the time): in
 *             at most VARIANT_MAX_TOGETHER of the rarer one's articles;
 *   outlets   the outlets that use each differ (a house style): the overlap
 *             of their source distributions is at most VARIANT_MAX_OVERLAP;
 *   contexts  their articles speak of the same things: the cosine of the
 *             words of up to 12 articles of each (idf-weighted; words in
 *             more than 1 article in 20 left out) is at least
 *             VARIANT_MIN_CONTEXT.
 *
 * Kept pairs join into clusters, stored in Xapian's synonym table (every
 * member lists the others), so quest sees them too (~WORD). The
 * user file (config key "variants") adds or forbids pairs, one per line:
 *     ترامب ترمب        join these (more words: join them all)
 *     !بيان بين          never join these two
 *     # a comment
 * The query builder expands an unquoted word to its synonyms
 * (searcher/query.c).
 */
#ifndef NX_VARIANTS_H
#define NX_VARIANTS_H

#include <stdio.h>

#include "nx.h"

#define VARIANT_MIN_DF 3          /* articles each spelling needs */
#define VARIANT_MAX_ARTICLE 0.2   /* share of uses with ال */
#define VARIANT_MAX_TOGETHER 0.1  /* share of the rarer one's articles */
#define VARIANT_MAX_OVERLAP 0.7   /* of the two source distributions */
#define VARIANT_MIN_CONTEXT 0.2   /* see "contexts" above */
#define VARIANT_MIN_CONTEXT_STYLE 0.15 /* … when outlets overlap at most */
#define VARIANT_STYLE_OVERLAP 0.3      /* this much (a house style) */
#define VARIANT_REMINE_SHARE 0.05 /* of the index changed: mine again */
#define VARIANT_CTX_MIN_DF 3      /* context words: in this many articles */

/*
 * Mine the variants of the index READER (all shards) and store them, with
 * the pairs of USER_FILE (NULL: none), in WRITER's synonym table (replacing
 * what it held; committed by the caller). Returns the number of problems
 * found in USER_FILE (each printed on stderr naming the file and line; the
 * rest of it is used), or -1 after printing why the index could not be
 * read or written. *N_PAIRS (if not NULL) receives the pairs stored.
 */
int variants_store(nx_db_t *reader, nx_db_t *writer, const char *user_file,
                   size_t *n_pairs);

/*
 * `newsidx variants [WORD]`: print the clusters the index READER would get
 * (mined plus USER_FILE) with each spelling's article count and the
 * evidence of each pair; WORD (folded): only the cluster holding it. ALL:
 * the rejected candidate pairs too, with the reason. Returns 0, 1 when WORD
 * is in no cluster, or -1 after printing an error.
 */
int variants_list(nx_db_t *reader, const char *user_file, const char *word,
                  int all, FILE *out);

/*
 * The step after a build that wrote or removed CHANGED articles, with the
 * build's lock held: mine the index at DB (a folder, one database or
 * shards) and store the variants in its first shard when it was never
 * mined, the user file changed, or the articles written or removed since
 * the last mining reach VARIANT_REMINE_SHARE of the index (they are
 * counted in META_VARIANTS until then); FORCE (newsidx variants
 * --update): mine whatever. A build that changed nothing writes nothing.
 * Returns what variants_store returns (or the user file's problem when
 * it cannot be read); *MINED: 1 when it mined.
 */
int variants_after_build(const char *db, const char *user_file,
                         size_t changed, int force, int *mined);

#endif
