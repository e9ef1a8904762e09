/*
 * articleid.h: the id of an article (its unique term, schema.h PFX_ID),
 * unique per article by construction, for every reader of files.
 *
 * A file's id is its path relative to the corpus, with '%' and '#'
 * written %25 and %23; a name ending in ".txt" (the article format) loses
 * that ending, and any other name keeps it whole and gets a final '%'
 * (which no ".txt" id can end with: an escaped '%' is always followed by
 * two digits). So "a.txt" is a, "a.md" is a.md%, "a" is a%, "x#1.txt" is
 * x%231. Record K of a file (a related article, a line of a JSON-lines
 * file) is FILEID#K: the only '#' an id holds.
 */
#ifndef NX_ARTICLEID_H
#define NX_ARTICLEID_H

#include "util.h"

/* The id of the file REL (its path relative to the corpus), malloc'd. */
char *articleid_file(const char *rel);

/* The id of record K of the file whose id is FILE_ID into B (reset). */
void articleid_record(buf_t *b, const char *file_id, int k);

#endif
