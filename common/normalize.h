/*
 * normalize.h: Arabic and general folding of one word.
 *
 * The single place where spelling variants are folded; the analyzer calls it
 * for every indexed and every queried word, so a word and its variant always
 * meet (design.md, "Arabic text"). Folds, in this order:
 *   1. NFKC, only when the word holds a character it can change (presentation
 *      forms U+FB50–U+FDFF and U+FE70–U+FEFF, lam-alef ligatures, combining
 *      hamza/madda U+0653–U+0655 after a letter, fullwidth and other
 *      compatibility characters): composed and decomposed input then agree;
 *   2. removed: harakat U+064B–U+065F, superscript alef U+0670, Quranic marks
 *      U+0610–U+061A and U+06D6–U+06ED, tatweel U+0640, zero-width and bidi
 *      controls (U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069,
 *      U+FEFF, U+061C), soft hyphen U+00AD;
 *   3. mapped: أ إ آ ٱ ٲ ٳ → ا; ى ی ې → ي; ة ۀ ۃ → ه; ک ڪ → ك;
 *      hamza seats ؤ → و and ئ → ي (what people type without hamza);
 *      Arabic-Indic ٠–٩ and Extended ۰–۹ digits → 0–9;
 *      Latin and other cased letters → lower case.
 * With NORM_HAMZA_SEATS the seats ؤ ئ and the bare hamza ء all become ء
 * instead: the stem terms use that, so مسؤول and مسئول share a stem.
 */
#ifndef NX_NORMALIZE_H
#define NX_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum { NORM_HAMZA_SEATS = 1 };

/*
 * Append the folded form of the UTF-8 word IN (LEN bytes) to OUT. Invalid
 * UTF-8 bytes are dropped. Returns the number of bytes appended (0 when the
 * word folds to nothing, e.g. only harakat).
 */
size_t norm_fold(const char *in, size_t len, unsigned flags, buf_t *out);

/* Decode one UTF-8 code point at S (N bytes available). Returns its length
 * (1–4) and sets *CP; an invalid or truncated sequence gives length 1 and
 * *CP = 0xFFFD. N must be at least 1. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encode CP as UTF-8 into OUT (4 bytes room). Returns its length. */
size_t utf8_encode(uint32_t cp, char *out);

/* Is CP an Arabic letter (U+0620–U+064A, U+0671–U+06D3, U+06FA–U+06FF)? */
int norm_is_arabic_letter(uint32_t cp);

#endif /* NX_NORMALIZE_H */
