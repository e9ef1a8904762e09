/*
 * articleid.h: the id of an article (its unique term, schema.h PFX_ID):
 * one function for every reader of files.
 */
#ifndef NX_ARTICLEID_H
#define NX_ARTICLEID_H

/* The id of the file REL (its path relative to the corpus), malloc'd. */
char *articleid_file(const char *rel);

#endif
