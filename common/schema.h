/*
 * schema.h: the index schema, in one place. The indexer writes it, the
 * searcher reads it; both use these names only.
 *
 * Terms (Xapian/omega prefix conventions, so xapian-delve and quest can read
 * the index):
 *   (none)+surface  title, body and keyword words, folded, with positions;
 *                   fields are separated by a position gap so no phrase
 *                   spans two of them.
 *   Z+stem          stems of the same words (no positions): recall.
 *   S+surface       title words again, with positions: the title field.
 *   ZS+stem         title stems.
 *   K+surface       keyword words ("كلمات دلالية"), no positions.
 *   KZ+stem         keyword stems (no positions).
 *   XLEAD+surface   words of the lead (first) paragraph, no positions: the
 *                   lead field of the ranking.
 *   Q+id            unique id of a main article (boolean): its file's path
 *                   relative to the corpus, minus the extension.
 *   XFILE+relpath   the main article of that file (boolean).
 *   XHASH+hex       unique term of a related article: its content hash
 *                   (SLOT_HASH), so an article repeated after إقرأ أيضاً in
 *                   many files is stored once,
 *   XREL+relpath    and owned by each of those files (one term per file);
 *                   it is deleted when its last owner lets go of it. Its
 *                   id and parent (document data) are those of the file
 *                   that brought it first.
 *   XSOURCE+name    folded source name (boolean filter).
 *   XPARENT+id      on a related article: the id of its file's main article.
 *   XKIND+main|related (boolean).
 *   Y+YYYY, M+YYYYMM, D+YYYYMMDD  publication date (boolean filters).
 * Values:
 *   SLOT_DATE   "YYYYMMDD" (sortable; empty when unknown)
 *   SLOT_HASH   16 hex digits of the article text's hash (collapse)
 *   SLOT_SEQ    the article's mark (schema_seq_format): when it was first
 *               indexed, unique to it; kept when its file changes. A
 *               batch (16 hex digits: microseconds since 1970, above the
 *               last batch; one per commit, or per parallel first build)
 *               then the article's number in it (8 hex digits). An index
 *               made before issue 16 holds 16-digit marks (a whole build:
 *               they sort before every 24-digit mark of a later batch).
 *               newsq --new-since shows articles above the mark it saved
 *               and up to the least META_SEQ of the shards, in one
 *               database, in shards, remote ones and after compact
 *               (document ids are none of these things).
 *   SLOT_KEY    the document's unique term (Q+id or XHASH+hex): equal
 *               scores are ranked by it, the same in one database and in
 *               shards (where document ids differ)
 *   SLOT_SOURCE the source as written (empty: none): facet counts
 *   SLOT_MONTH  "YYYY-MM" of publication (empty when unknown): facet
 *               counts (Xapian's ValueCountMatchSpy reads values, not
 *               boolean terms)
 *   SLOT_STORY  the same-story signature (story.h: 130 bytes, the day of
 *               publication and a MinHash sketch of the title's and
 *               body's word 3-shingles; empty for a text too short to
 *               have one): --collapse story groups the hits whose
 *               signatures story_same() joins
 * Document data: "key=LEN:VALUE\n" records (LEN in bytes, so values may hold
 * anything), keys: id, path, title, date, source, parent, keywords, text.
 * The stored text is the ORIGINAL body (paragraphs joined by "\n"), so
 * snippets are cut from what the author wrote.
 */
#ifndef NX_SCHEMA_H
#define NX_SCHEMA_H

#include <stddef.h>

#include "util.h"

#define PFX_STEM "Z"
#define PFX_TITLE "S"
#define PFX_TITLE_STEM "ZS"
#define PFX_KEYWORD "K"
#define PFX_LEAD "XLEAD"
#define PFX_ID "Q"
#define PFX_FILE "XFILE"
#define PFX_HASH "XHASH"
#define PFX_OWNER "XREL"
#define PFX_SOURCE "XSOURCE"
#define PFX_PARENT "XPARENT"
#define PFX_KIND "XKIND"
#define PFX_YEAR "Y"
#define PFX_MONTH "M"
#define PFX_DAY "D"

enum { SLOT_DATE = 0, SLOT_HASH = 1, SLOT_KEY = 2, SLOT_SEQ = 3,
       SLOT_SOURCE = 4, SLOT_MONTH = 5, SLOT_STORY = 6 };

/*
 * The text fields: how each one's words become terms. Document building
 * (indexer/document.c) and query building (searcher/query.c) both loop
 * over this table, so a word is written and looked for the same way
 * (tag: analyzer-parity). The order is that of the ranking's parts.
 */
typedef enum schema_field_id {
    FIELD_BODY,      /* every word of the title, body and keywords... */
    FIELD_TITLE,     /* ...the title's words again */
    FIELD_KEYWORDS,  /* the keyword line's words (not in the body terms) */
    FIELD_LEAD,      /* the first paragraph's words again */
    FIELD_COUNT
} schema_field_id_t;

typedef struct schema_field {
    const char *name;         /* as --explain names the ranking part */
    const char *prefix;       /* surface terms: PREFIX + folded word */
    const char *stem_prefix;  /* stem terms, no positions; NULL: none */
    int positional;           /* surface terms carry positions (phrases) */
    int stopwords;            /* stopwords' surface terms are written too */
    int rank_stems;           /* the ranking looks for the stem terms too
                                 (else the surface only) */
} schema_field_t;

extern const schema_field_t schema_fields[FIELD_COUNT];

/* Position gap between fields and between paragraphs. */
#define POS_FIELD_GAP 100
#define POS_PARA_GAP 10

/* Index metadata keys. */
#define META_SCHEMA "newsidx.schema"   /* schema version (SCHEMA_VERSION) */
#define META_CORPUS "newsidx.corpus"   /* corpus folder of the last build */
#define META_BUILT "newsidx.built"     /* ISO time of the last build */
#define META_SECONDS "newsidx.seconds" /* how long it took */
/* The greatest mark a commit may hold (its batch, number ffffffff): every
 * article up to it is committed in that shard. */
#define META_SEQ "newsidx.seq"
#define META_FILE "newsidx.file:"  /* + relpath: a file record (filestate.h) */
/* What the spelling variants were mined from (indexer/variants.h). */
#define META_VARIANTS "newsidx.variants"
/* Schema 2: related articles stored once (XHASH/XREL), file records.
 * Schema 3: SLOT_SOURCE and SLOT_MONTH (facets); ids unique by
 * construction (articleid.h); marks per article (SLOT_SEQ).
 * Schema 4: SLOT_STORY (same-story signatures); words cut at
 * SCHEMA_WORD_MAX instead of 120 bytes. An index of another
 * version is rebuilt from scratch by the next build. */
#define SCHEMA_VERSION "4"

/* Document data keys (the records below); readers and writers use these. */
#define DATA_ID "id"
#define DATA_PATH "path"
#define DATA_TITLE "title"
#define DATA_DATE "date"
#define DATA_SOURCE "source"
#define DATA_PARENT "parent"
#define DATA_KEYWORDS "keywords"
#define DATA_TEXT "text"

/* SLOT_SEQ marks (see the top): number N of BATCH into OUT. */
#define SCHEMA_SEQ_LEN 24
void schema_seq_format(char out[SCHEMA_SEQ_LEN + 1], uint64_t batch,
                       uint32_t n);
/* The batch of MARK (16 or 24 hex digits; 0 when empty or not a mark). */
uint64_t schema_seq_batch(const char *mark);
/* MARK as 24 digits in OUT: a 16-digit one (an old index's whole build)
 * as its batch's greatest, "" as "". 0, or -1 when MARK is not a mark. */
int schema_seq_full(const char *mark, char out[SCHEMA_SEQ_LEN + 1]);

/* Append one "key=LEN:VALUE\n" record to B. */
void docdata_put(buf_t *b, const char *key, const char *value, size_t len);

/*
 * Find KEY in the document data DATA (LEN bytes). Returns a pointer to the
 * value inside DATA and sets *VLEN, or NULL when absent or malformed.
 */
const char *docdata_get(const char *data, size_t len, const char *key,
                        size_t *vlen);

/* A NUL-terminated malloc'd copy of KEY's value in DATA, or NULL. */
char *docdata_dup(const char *data, size_t len, const char *key);

/* Copy the records of DATA (LEN bytes) to OUT (appended), the value of KEY
 * replaced by VALUE (VLEN bytes; added at the end when KEY is absent). */
void docdata_replace(buf_t *out, const char *data, size_t len, const char *key,
                     const char *value, size_t vlen);

/* The one cap on the length of a term, in bytes, prefix included: every
 * term newsidx writes or searches is at most this long (Xapian refuses
 * more than NX_MAX_TERM). Words are cut to SCHEMA_WORD_MAX (the analyzer,
 * so a document and a query cut a word alike), leaving room for any
 * field's prefix; ids, paths and names are shortened by schema_term. */
#define SCHEMA_TERM_MAX 200
#define SCHEMA_PREFIX_MAX 8 /* the longest PFX_* above */
#define SCHEMA_WORD_MAX (SCHEMA_TERM_MAX - SCHEMA_PREFIX_MAX)

/* Append PREFIX then TERM to B; when the whole would exceed SCHEMA_TERM_MAX
 * the term keeps a readable head and the hash of the whole (so ids and
 * paths of any length stay unique). */
void schema_term(buf_t *b, const char *prefix, const char *term, size_t len);

#endif /* NX_SCHEMA_H */
