/*
 * didyoumean.h: the closest valid name to a mistyped one (an option, a
 * command, a configuration key), for hints such as "did you mean --limit?".
 * Names are ASCII; letter case is ignored.
 */
#ifndef NX_DIDYOUMEAN_H
#define NX_DIDYOUMEAN_H

#include <stddef.h>

/* Optimal string alignment distance between A and B (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1), over
 * bytes, ASCII case folded. Never fails. */
size_t edit_distance(const char *a, const char *b);

/*
 * The name among NAMES[0..N) that TYPED most likely meant, or NULL when none
 * is close enough: the single name TYPED is a prefix of (two letters or
 * more), else the nearest by edit_distance within 1 edit for up to 3
 * letters, 2 for up to 6, else 3 (first of the list on ties). NULL entries
 * of NAMES are skipped. The result points into NAMES.
 */
const char *closest_name(const char *typed, const char *const *names,
                         size_t n);

#endif /* NX_DIDYOUMEAN_H */
