/*
 * nx.h: the C interface to Xapian.
 *
 * This is the only header through which the rest of newsidx (plain C11)
 * reaches Xapian (C++). Its single implementation is nx_db.cc, the only C++
 * file and the only includer of <xapian.h> in the tree. No C++ type and no
 * exception crosses this boundary: every failure becomes an nx_status_t, and
 * the handle involved keeps a message describing it.
 *
 * Handles are opaque. Every nx_*_free accepts NULL. Strings passed in are
 * copied unless a comment says otherwise; strings returned are owned by the
 * handle they came from and stay valid until the next call on that handle,
 * unless a comment says they must be freed with free().
 */
#ifndef NX_H
#define NX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Xapian's limit on a term's length in bytes: the nx_doc_add_* functions
 * drop longer terms (newsidx cuts its own well below: SCHEMA_TERM_MAX). */
#define NX_MAX_TERM 245

typedef enum nx_status {
    NX_OK = 0,
    NX_NOMEM,      /* allocation failed */
    NX_BAD_ARG,    /* a NULL or out-of-range argument */
    NX_NO_INDEX,   /* the database does not exist or cannot be opened */
    NX_LOCKED,     /* another writer holds the database lock */
    NX_MODIFIED,   /* the database changed under a reader: reopen and retry */
    NX_CORRUPT,    /* the database is damaged */
    NX_NOT_FOUND,  /* no document with that id or term */
    NX_XAPIAN,     /* any other Xapian error (message on the handle) */
    NX_INTERNAL,   /* an unexpected C++ exception */
    NX_NETWORK,    /* a remote shard did not answer (or in time) */
    NX_STATUS_LAST /* not a status: the number of statuses */
} nx_status_t;

/* A fixed, read-only English description of a status. Never NULL. */
const char *nx_status_to_string(nx_status_t status);

typedef struct nx_db nx_db_t;
typedef struct nx_doc nx_doc_t;
typedef struct nx_query nx_query_t;
typedef struct nx_hits nx_hits_t;

/* ---------------------------------------------------------------- database */

typedef enum nx_open_mode {
    NX_READ,          /* read only; fails with NX_NO_INDEX if missing */
    NX_WRITE_CREATE,  /* writable, created if missing */
} nx_open_mode_t;

/*
 * Open the database at PATH. On success *DB is set. On failure *DB is NULL
 * and, if ERRMSG is not NULL, *ERRMSG is a message the caller frees.
 * Returns NX_OK, NX_BAD_ARG, NX_NO_INDEX, NX_LOCKED, NX_CORRUPT, NX_NOMEM,
 * NX_XAPIAN or NX_INTERNAL.
 */
nx_status_t nx_db_open(const char *path, nx_open_mode_t mode, nx_db_t **db,
                       char **errmsg);

/*
 * Sharded indexes. A reader's PATH may be a stub: a folder holding a file
 * XAPIANDB, or such a file itself, in Xapian's stub format, one shard per
 * line ("#" starts a comment):
 *     auto PATH          a local database (PATH relative to the stub's
 *                        folder); "glass PATH" too
 *     remote HOST:PORT   a database served by xapian-tcpsrv
 * Xapian's own tools read the same file. newsidx opens the shards one by one
 * so that it can say which one failed: remote ones with TIMEOUT seconds for
 * connecting and for every operation (0: Xapian's default, 10 s). With
 * PARTIAL 0 a shard that cannot be opened fails the whole open (NX_NO_INDEX
 * or NX_NETWORK, the message naming the shard); with PARTIAL 1 the others
 * are searched and the failed ones are listed by nx_db_failed. A stub may
 * list stubs, at most 8 deep; a loop is an error (NX_NO_INDEX). All shards
 * failing is always an error. nx_db_open(NX_READ) is
 * nx_db_open_read(path, 0, 0, ...).
 */
nx_status_t nx_db_open_read(const char *path, double timeout, int partial,
                            nx_db_t **db, char **errmsg);
/* Shards left out by a partial open: their count, and "SHARD: reason" of
 * each (owned by DB). */
size_t nx_db_n_failed(const nx_db_t *db);
const char *nx_db_failed(const nx_db_t *db, size_t i);
/* Open again from the stub (new connections; with PARTIAL, shards that no
 * longer answer are left out): after NX_NETWORK during a search. */
nx_status_t nx_db_reopen_shards(nx_db_t *db);

/* Close and free. A writable database is committed first (Xapian's rule);
 * call nx_db_cancel before to drop uncommitted changes. */
void nx_db_free(nx_db_t *db);

/* The message of the last failed call on DB ("" if none). Never NULL.
 * Each read and each write clears it first, so it never describes an
 * older call. */
const char *nx_db_errmsg(const nx_db_t *db);
/* The words for ST, the status of the last call on DB (may be NULL): that
 * call's message (which names the shard that failed, where one did), else
 * the status's own text. The one place a status becomes a message. */
const char *nx_db_strerror(const nx_db_t *db, nx_status_t st);

/* Every read (search, lookups, stored data, positions, metadata, prefix
 * expansion) that a writer's commit invalidates (Xapian's
 * DatabaseModifiedError) is retried after a reopen, up to 10 times;
 * NX_MODIFIED only when a writer commits faster than that. How many
 * retries DB made: */
size_t nx_db_n_reopened(const nx_db_t *db);

/* Make the reader see the last commit. NX_OK or an error status. */
nx_status_t nx_db_reopen(nx_db_t *db);

/* Writer only: commit pending changes atomically / drop them. */
nx_status_t nx_db_commit(nx_db_t *db);
nx_status_t nx_db_cancel(nx_db_t *db);

/* Number of documents. On error returns 0 and sets the message. */
nx_status_t nx_db_doccount(nx_db_t *db, uint32_t *count);

/* The highest document id ever used (documents added later get higher ids;
 * a replaced document keeps its id). */
nx_status_t nx_db_lastdocid(nx_db_t *db, uint32_t *docid);

/* Number of documents indexed by TERM (0 if absent). */
nx_status_t nx_db_termfreq(nx_db_t *db, const char *term, uint32_t *freq);

/* Collection frequency and document frequency, for vocabulary lookups. */
nx_status_t nx_db_term_exists(nx_db_t *db, const char *term, int *exists);

/*
 * Call FN for each term in the database starting with PREFIX, in sorted
 * order, with its document frequency, until FN returns non-zero.
 */
nx_status_t nx_db_allterms(nx_db_t *db, const char *prefix,
                           int (*fn)(void *ctx, const char *term, size_t len,
                                     uint32_t freq),
                           void *ctx);

/* Metadata (Xapian user metadata): *VALUE is malloc'd ("" if unset). */
nx_status_t nx_db_get_metadata(nx_db_t *db, const char *key, char **value);
nx_status_t nx_db_set_metadata(nx_db_t *db, const char *key, const char *value);

/*
 * Writer only: store DOC as the single document indexed by UNIQUE_TERM,
 * replacing any existing one(s). *DOCID (if not NULL) receives its id.
 */
nx_status_t nx_db_replace(nx_db_t *db, const char *unique_term, nx_doc_t *doc,
                          uint32_t *docid);

/*
 * Writer only: add DOC as a new document, without looking for one to
 * replace (for a database known not to hold its unique term yet: a fresh
 * build). *DOCID (if not NULL) receives its id.
 */
nx_status_t nx_db_add(nx_db_t *db, nx_doc_t *doc, uint32_t *docid);

/*
 * Shared documents (an article repeated in many files is stored once and
 * owned by each file through an OWNER term, see schema.h):
 *
 * nx_db_claim: if a document is indexed by UNIQUE_TERM, give it OWNER_TERM
 * (a boolean term; having it already changes nothing) and set *FOUND to 1;
 * otherwise *FOUND is 0 and nothing changes.
 *
 * nx_db_release: take OWNER_TERM off every document holding it, except
 * those indexed by one of the N_KEEP terms of KEEP; a document left with no
 * term starting with OWNER_PREFIX is deleted. *DELETED (if not NULL)
 * receives the number of documents deleted.
 */
nx_status_t nx_db_claim(nx_db_t *db, const char *unique_term,
                        const char *owner_term, int *found);
nx_status_t nx_db_release(nx_db_t *db, const char *owner_term,
                          const char *owner_prefix, const char *const *keep,
                          size_t n_keep, size_t *deleted);

/*
 * Call FN with every metadata key starting with PREFIX and its value (VLEN
 * bytes, not NUL-terminated inside Xapian but NUL-terminated here), in key
 * order, until FN returns non-zero.
 */
nx_status_t nx_db_metadata_each(nx_db_t *db, const char *prefix,
                                int (*fn)(void *ctx, const char *key,
                                          const char *value, size_t vlen),
                                void *ctx);

/* Figures of a database for `newsidx stats`. */
typedef struct nx_db_info {
    uint32_t doccount;
    uint32_t lastdocid;
    double avlength;    /* average document length (terms with wdf) */
    int has_positions;
} nx_db_info_t;
nx_status_t nx_db_info(nx_db_t *db, nx_db_info_t *info);

/*
 * Merge the N databases at SOURCES into a new, compacted database at DEST
 * (a folder; created if missing, must not hold a database). Document ids
 * are renumbered: those of SOURCES[0] first, and so on. On failure
 * *ERRMSG (if not NULL) is a message the caller frees.
 */
nx_status_t nx_compact(const char *const *sources, size_t n, const char *dest,
                       char **errmsg);

/*
 * Xapian's files on disk (the glass backend: the version file "iamglass"
 * and the tables "*.glass"). newsidx moves and removes only these.
 *
 * nx_files_is_db: is NAME (a file name, no folder) one of them, or
 * Xapian's lock file "flintlock"?
 * nx_files_remove: remove the database in folder DIR, its version file
 * first, so that from then on DIR holds no index rather than a broken one;
 * other files stay. 0 or an errno value.
 * nx_files_install: move the database in folder FROM into folder TO,
 * which holds none (or one, removed first): the tables, then the version
 * file, whose arrival makes the index appear whole. 0 or an errno value.
 */
int nx_files_is_db(const char *name);
/* Does folder DIR hold a database (its version file)? 1 or 0. */
int nx_files_has_db(const char *dir);
int nx_files_remove(const char *dir);
int nx_files_install(const char *from, const char *to);

/* Check the structure of the database in folder PATH (Xapian's
 * Database::check: every table's B-tree, not the documents' contents).
 * NX_OK, NX_CORRUPT with *ERRMSG (caller frees) saying what is wrong, or
 * another status when it cannot be read at all. A check reads the whole
 * index, so it is skipped (NX_OK) while the files are exactly as the last
 * nx_files_mark_clean left them (names, sizes, change times, inodes). */
nx_status_t nx_db_check(const char *path, char **errmsg);
/* Record that the database in folder DIR, closed by its writer, is whole
 * as it stands (the file NX_CLEAN_FILE in DIR): the next nx_db_check skips
 * the read while nothing has touched the files since. 0 or an errno value
 * (then the next check reads the index). */
#define NX_CLEAN_FILE "newsidx.clean"
int nx_files_mark_clean(const char *dir);

/* The id of the first document indexed by TERM in *DOCID (0: none). */
nx_status_t nx_db_find(nx_db_t *db, const char *term, uint32_t *docid);

/* Writer only: give document DOCID the data DATA (LEN bytes), take the
 * boolean term DEL_TERM off it and put ADD_TERM on it (either may be NULL).
 * Its other terms and values stay. */
nx_status_t nx_db_update(nx_db_t *db, uint32_t docid, const char *data,
                         size_t len, const char *del_term,
                         const char *add_term);

/* Writer only: as nx_db_replace, but when a document is replaced, DOC
 * takes over its value in SLOT (the "first indexed" mark of schema.h). */
nx_status_t nx_db_replace_keep(nx_db_t *db, const char *unique_term,
                               nx_doc_t *doc, unsigned slot);

/* Writer only: as nx_db_replace_keep, and DOC also takes over the old
 * document's terms that start with OWNER_PREFIX (the other files that hold
 * the same article keep owning it: an item repeated in many feed files, a
 * record repeated in JSON lines). */
nx_status_t nx_db_replace_shared(nx_db_t *db, const char *unique_term,
                                 nx_doc_t *doc, unsigned slot,
                                 const char *owner_prefix);

/* The greatest value ever stored in SLOT (in any shard) in *VALUE, malloc'd
 * ("" when none). */
nx_status_t nx_db_value_max(nx_db_t *db, unsigned slot, char **value);

/* The least value of metadata KEY over the shards of DB (one database:
 * its value) in *VALUE, malloc'd ("" when a shard has none). */
nx_status_t nx_db_metadata_min(nx_db_t *db, const char *key, char **value);

/* Writer only: delete every document indexed by TERM (none is not an error). */
nx_status_t nx_db_delete_term(nx_db_t *db, const char *term);

/* Load the stored document DOCID (for data and values). Caller frees *DOC. */
nx_status_t nx_db_get_doc(nx_db_t *db, uint32_t docid, nx_doc_t **doc);

/* ---------------------------------------------------- postings, synonyms */

/* The ids of the documents indexed by TERM, ascending, as a malloc'd array
 * in *IDS (caller frees; NULL when none) of *N entries. */
nx_status_t nx_db_postlist(nx_db_t *db, const char *term, uint32_t **ids,
                           size_t *n);

/* Call FN with each term of document DOCID (LEN bytes, not NUL-terminated),
 * in sorted order, until FN returns non-zero. */
nx_status_t nx_db_termlist(nx_db_t *db, uint32_t docid,
                           int (*fn)(void *ctx, const char *term, size_t len),
                           void *ctx);

/*
 * Xapian's synonym table (spelling variants, indexer/variants.h). Call FN
 * with each synonym of TERM, or, TERM NULL, with each term that has some,
 * in sorted order, until FN returns non-zero. Shards: the union of theirs.
 */
nx_status_t nx_db_synonyms(nx_db_t *db, const char *term,
                           int (*fn)(void *ctx, const char *synonym),
                           void *ctx);
/* Writer only: empty the synonym table / add SYNONYM to TERM's (with the
 * next commit). */
nx_status_t nx_db_clear_synonyms(nx_db_t *db);
nx_status_t nx_db_add_synonym(nx_db_t *db, const char *term,
                              const char *synonym);

/* ---------------------------------------------------------------- document */

/* A new empty document, or NULL when out of memory. */
nx_doc_t *nx_doc_new(void);
void nx_doc_free(nx_doc_t *doc);

/* Add TERM (LEN bytes) at position POS (1-based), wdf += 1. */
nx_status_t nx_doc_add_posting(nx_doc_t *doc, const char *term, size_t len,
                               uint32_t pos);
/* Add TERM with wdf += WDF_INC and no position. */
nx_status_t nx_doc_add_term(nx_doc_t *doc, const char *term, size_t len,
                            uint32_t wdf_inc);
/* Add a boolean (filter) term: no wdf, no position. */
nx_status_t nx_doc_add_boolean(nx_doc_t *doc, const char *term, size_t len);
nx_status_t nx_doc_set_value(nx_doc_t *doc, unsigned slot, const char *value,
                             size_t len);
nx_status_t nx_doc_set_data(nx_doc_t *doc, const char *data, size_t len);

/* Stored data / value of a document read back (owned by DOC). */
const char *nx_doc_data(const nx_doc_t *doc, size_t *len);
const char *nx_doc_value(const nx_doc_t *doc, unsigned slot, size_t *len);

/*
 * Positions of TERM in the stored document DOCID of DB, sorted, as a
 * malloc'd array in *POS (caller frees) of *N entries (0 if absent).
 */
nx_status_t nx_db_positions(nx_db_t *db, uint32_t docid, const char *term,
                            uint32_t **pos, size_t *n);

/* ------------------------------------------------------------------ queries */

/*
 * Queries are immutable trees. A combinator takes ownership of nothing: it
 * copies its subqueries, so the caller frees what it built. Each returns
 * NULL only when out of memory (or N == 0 for combinators: match nothing).
 */
typedef enum nx_op {
    NX_OP_AND,
    NX_OP_OR,
    NX_OP_AND_NOT,    /* first AND NOT (second OR third ...) */
    NX_OP_AND_MAYBE,  /* first, weighted up by the others */
    NX_OP_FILTER,     /* first, restricted by the others without weight */
    NX_OP_PHRASE,     /* terms adjacent, in order (window = N) */
    NX_OP_NEAR,       /* terms within WINDOW positions, any order */
    NX_OP_SYNONYM,    /* treat the subqueries as one term for weighting */
} nx_op_t;

nx_query_t *nx_query_term(const char *term, size_t len, double wqf);
nx_query_t *nx_query_combine(nx_op_t op, nx_query_t *const *subs, size_t n,
                             unsigned window);
nx_query_t *nx_query_scale(const nx_query_t *q, double factor);
/* Documents with a value in SLOT within [LO, HI] (either may be NULL). */
nx_query_t *nx_query_value_range(unsigned slot, const char *lo, const char *hi);
/* Every term starting with PREFIX, as one synonym (at most MAX_EXPANSION
 * terms, the most frequent; 0: no limit). */
nx_query_t *nx_query_wildcard(const char *prefix, unsigned max_expansion);
/* The same, expanded now from the terms of DB: the same articles and
 * weights whether DB is one database or shards (Xapian expands a wildcard
 * shard by shard, with each shard's own statistics). */
nx_query_t *nx_query_expand(nx_db_t *db, const char *prefix,
                            unsigned max_expansion);
nx_query_t *nx_query_match_all(void);
nx_query_t *nx_query_copy(const nx_query_t *q);
/* A readable form of the query (malloc'd; caller frees). */
char *nx_query_describe(const nx_query_t *q);
void nx_query_free(nx_query_t *q);

/* ---------------------------------------------------------------- searching */

#define NX_KEEP_SLOTS 16 /* the value slots nx_search_opts.keep sees */
typedef struct nx_search_opts {
    double bm25_k1, bm25_b;    /* BM25 parameters; 0,0 means Xapian's defaults */
    int sort_by_value;         /* 0: relevance; otherwise sort by SORT_SLOT */
    unsigned sort_slot;
    int sort_reverse;          /* with sort_by_value: descending when 1 */
    int collapse;              /* collapse on COLLAPSE_SLOT when 1 */
    unsigned collapse_slot;
    uint32_t check_at_least;   /* for an exact count estimate (0: none) */
    uint32_t min_docid;        /* only documents with a greater docid (0: all) */
    int ids_only;              /* 1: do not load the documents (counting) */
    /* Hits equal in Xapian's order (sort value, then weight) come in
     * TIE_SLOT's order (ascending), not by document id, so that one
     * database and its shards (other ids) rank alike. */
    int tie_by_value;
    unsigned tie_slot;
    /* Facets: a Xapian match spy counts the values of each of these
     * N_SPIES slots over the whole matching set, one document per
     * collapse key when collapsing (check_at_least is raised to the
     * document count: the counts and the total are exact). Read them with
     * nx_hits_facet_*. Local databases and shards only: a remote shard
     * fails with NX_XAPIAN. */
    const unsigned *spy_slots;
    size_t n_spies;
    /* Only the documents for which KEEP(KEEP_CTX, DOC) is non-zero (NULL:
     * all), judged inside Xapian's matcher (a MatchDecider), so pages and
     * counts hold only those kept. Only DOC's values in the slots below
     * NX_KEEP_SLOTS may be read (nx_doc_value; the others read as ""),
     * not its data. KEEP must not fail or call into DB. */
    int (*keep)(void *ctx, const nx_doc_t *doc);
    void *keep_ctx;
} nx_search_opts_t;

/*
 * Run Q against DB and fetch hits [OFFSET, OFFSET+LIMIT). Caller frees
 * *HITS. NX_MODIFIED means the database changed: nx_db_reopen and retry.
 */
nx_status_t nx_search(nx_db_t *db, const nx_query_t *q,
                      const nx_search_opts_t *opts, uint32_t offset,
                      uint32_t limit, nx_hits_t **hits);

size_t nx_hits_count(const nx_hits_t *hits);
/* Estimated total matches (exact when small or check_at_least covers it). */
uint32_t nx_hits_matches_estimated(const nx_hits_t *hits);
/* 1 when the matcher counted every match (the estimate is the total). */
int nx_hits_matches_exact(const nx_hits_t *hits);
uint32_t nx_hits_docid(const nx_hits_t *hits, size_t i);
/* Facet K (the K-th of opts.spy_slots): its number of distinct values, and
 * the I-th of them in value order (*LEN bytes, owned by HITS) with the
 * number of matching documents holding it. */
size_t nx_hits_facet_size(const nx_hits_t *hits, size_t k);
const char *nx_hits_facet_value(const nx_hits_t *hits, size_t k, size_t i,
                                size_t *len, uint32_t *count);
double nx_hits_weight(const nx_hits_t *hits, size_t i);
/* The document of hit I (owned by HITS; NULL on error). */
const nx_doc_t *nx_hits_doc(nx_hits_t *hits, size_t i);
void nx_hits_free(nx_hits_t *hits);

/* ----------------------------------------------------------- more like this */

/*
 * The terms that best describe document DOCID against the rest of DB:
 * Xapian's expand set (Enquire::get_eset) over a relevance set holding
 * DOCID alone, weighted by SCHEME ("trad" or "bo1", Xapian's expansion
 * schemes; NULL: "trad"), with exact term frequencies (shards give what
 * one database would). Only the terms ACCEPT(CTX, TERM, LEN) accepts
 * (ACCEPT NULL: every term; it must not fail or call into DB). Calls FN
 * with at most MAX_TERMS of them, best first, with their expand weight,
 * until FN returns non-zero; FN is called only once the expand set is
 * complete, so a retry never repeats a term. NX_OK, NX_NOT_FOUND (no
 * document DOCID), NX_BAD_ARG or the index's error status (message on DB).
 */
nx_status_t nx_db_expand_doc(nx_db_t *db, uint32_t docid, unsigned max_terms,
                             const char *scheme,
                             int (*accept)(void *ctx, const char *term,
                                           size_t len),
                             int (*fn)(void *ctx, const char *term,
                                       size_t len, double weight),
                             void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* NX_H */
