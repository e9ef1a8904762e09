/*
 * normalize.c: the folds listed in normalize.h. A fast per-code-point path
 * handles ordinary Arabic and Latin; ICU's NFKC runs only for the rare words
 * that hold compatibility characters.
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return len;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int norm_is_arabic_letter(uint32_t cp)
{
    return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) ||
           (cp >= 0x06FA && cp <= 0x06FF);
}

/* Characters removed outright (step 2). */
static int is_removed(uint32_t cp)
{
    return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
           (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x06D6 && cp <= 0x06ED) ||
           cp == 0x0640 || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x061C ||
           cp == 0x00AD || cp == 0xFFFD;
}

/* Does CP call for NFKC (step 1)? Plain Arabic letters and ASCII never do. */
static int needs_nfkc(uint32_t cp)
{
    if (cp < 0xA0)
        return 0;
    if (cp >= 0x0600 && cp <= 0x06FF)
        return cp >= 0x0653 && cp <= 0x0655; /* combining madda/hamza */
    if (cp >= 0xFB50 && cp <= 0xFDFF)
        return 1; /* presentation forms A */
    if (cp >= 0xFE70 && cp <= 0xFEFE)
        return 1; /* presentation forms B, lam-alef ligatures */
    if (cp >= 0xFF00 && cp <= 0xFFEF)
        return 1; /* fullwidth */
    /* Any other non-ASCII character: let ICU decide (rare in Arabic news). */
    return cp >= 0x00A0 && !(cp >= 0x0750 && cp <= 0x077F);
}

/* Step 3 for one code point; returns 0 when the character is dropped. */
static uint32_t fold_cp(uint32_t cp, unsigned flags)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            return cp + 32;
        return cp;
    }
    if (is_removed(cp))
        return 0;
    switch (cp) {
    case 0x0623: case 0x0625: case 0x0622: case 0x0671:
    case 0x0672: case 0x0673:
        return 0x0627;                           /* alef forms → ا */
    case 0x0649: case 0x06CC: case 0x06D0:
        return 0x064A;                           /* ى ی ې → ي */
    case 0x0629: case 0x06C0: case 0x06C3:
        return 0x0647;                           /* ة ۀ ۃ → ه */
    case 0x06A9: case 0x06AA:
        return 0x0643;                           /* ک ڪ → ك */
    case 0x0624:
        return (flags & NORM_HAMZA_SEATS) ? 0x0621 : 0x0648; /* ؤ */
    case 0x0626:
        return (flags & NORM_HAMZA_SEATS) ? 0x0621 : 0x064A; /* ئ */
    default:
        break;
    }
    if (cp >= 0x0660 && cp <= 0x0669)
        return '0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9)
        return '0' + (cp - 0x06F0);
    if (cp >= 0x0600 && cp <= 0x06FF)
        return cp;
    return (uint32_t)u_tolower((UChar32)cp);
}

/* NFKC of IN into a malloc'd UTF-8 string (*OUT, *OUTLEN); 0 on failure. */
static int nfkc(const char *in, size_t len, char **out, size_t *outlen)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *n2 = unorm2_getNFKCInstance(&err);
    if (U_FAILURE(err) || len > 1u << 20)
        return 0;
    /* UTF-16 never needs more units than UTF-8 has bytes. */
    int32_t ulen = 0;
    UChar *u = xmalloc((len + 1) * sizeof(UChar));
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &ulen, in, (int32_t)len, 0xFFFD,
                         NULL, &err);
    if (U_FAILURE(err)) {
        free(u);
        return 0;
    }
    int32_t cap = ulen * 4 + 16; /* NFKC can expand (ligatures) */
    UChar *v = xmalloc((size_t)cap * sizeof(UChar));
    int32_t vlen = unorm2_normalize(n2, u, ulen, v, cap, &err);
    free(u);
    if (U_FAILURE(err)) {
        free(v);
        return 0;
    }
    int32_t blen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &blen, v, vlen, &err);
    err = U_ZERO_ERROR;
    char *b = xmalloc((size_t)blen + 1);
    u_strToUTF8(b, blen + 1, NULL, v, vlen, &err);
    free(v);
    if (U_FAILURE(err)) {
        free(b);
        return 0;
    }
    *out = b;
    *outlen = (size_t)blen;
    return 1;
}

size_t norm_fold(const char *in, size_t len, unsigned flags, buf_t *out)
{
    const unsigned char *s = (const unsigned char *)in;
    char *tmp = NULL;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        if (cp != 0xFFFD && needs_nfkc(cp)) {
            size_t tlen;
            if (nfkc(in, len, &tmp, &tlen)) {
                s = (const unsigned char *)tmp;
                len = tlen;
            }
            break;
        }
    }
    size_t before = out->len;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        i += n;
        uint32_t f = fold_cp(cp, flags);
        if (f == 0)
            continue;
        char enc[4];
        buf_append(out, enc, utf8_encode(f, enc));
    }
    free(tmp);
    return out->len - before;
}
