/*
 * article.c: turn the bytes of one article file into article_t records.
 *
 * Two stages:
 *
 *  1. Decoding (decode_text): reject binary data, convert UTF-16 (BOM) and
 *     windows-1256 to UTF-8, drop a UTF-8 BOM, repair invalid UTF-8, turn
 *     CR/CRLF into LF and remove control characters. The result is valid
 *     UTF-8 whose only control characters are '\n' and '\t'. A well-formed
 *     UTF-8 file (the usual case) is validated once and never copied.
 *
 *  2. Parsing (parse_lines): one pass over the lines with a small state
 *     machine; every line is examined a constant number of times, so the
 *     whole parse is linear in the size of the file.
 *
 * Line roles (after trimming white space, U+00A0 and zero-width/bidi marks
 * at both ends; empty lines are skipped everywhere):
 *
 *   - the first line is the title of the main article; if it is a metadata
 *     line (date, source, keywords) or a "read also" marker the file has no
 *     title (ART_NO_TITLE);
 *   - "تاريخ النشر: …" before the first body paragraph gives the date (a
 *     later one is ordinary text);
 *   - "المصدر: …" gives the source and "كلمات دلالية: …" the keywords of the
 *     current article (the first non-empty one wins); neither is a paragraph;
 *   - a line that is exactly a "read also" marker (see is_read_also) opens the
 *     related section; the next line is a related article's title, and when
 *     "المصدر:" is glued inside it ("…والدوليةالمصدر: X") the part before is
 *     the title and the part after its source; the lines that follow are
 *     that article's body;
 *   - inside the related section a new related article starts at another
 *     marker, or at a glued title+source line: "المصدر:" after the start of
 *     the line and directly preceded by a non-space character, with a short
 *     (<= SOURCE_MAX bytes) source after it and a title-sized text before it.
 *     "قال المصدر: …" ("the source said: …", common in news text) has a space
 *     before the word and stays a paragraph.
 *
 * A "read also" marker in the main article's body may instead open a list
 * of links: sites put "اقرأ أيضا:" mid-body, then two or three headlines,
 * then the body goes on. The two are told apart by what follows the marker
 * (link_list_len): when the main article has no source or keywords yet,
 * and 1..LINKS_MAX headlines (lines of at most LINK_MAX bytes that end no
 * sentence: no final '.', ':' or '…') are followed by a line of body text,
 * and either there are at least two of them or the file's "المصدر:"/
 * "كلمات دلالية:" trailer comes later, the headlines are links: they are
 * dropped and the body goes on in the main article.
 * Otherwise (the seed's layout: the marker after the trailer, a title and
 * a body) they are related articles.
 */
#include "article.h"

#include "dates.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

/* Longest text after a glued "المصدر:" accepted as a source name, and the
 * longest text before it accepted as a title when it opens a new related
 * article in the middle of a related body. */
#define SOURCE_MAX 160
#define GLUED_TITLE_MAX 512

/* A "read also" link list: at most LINKS_MAX headlines of at most
 * LINK_MAX bytes (a longer line is body text). */
#define LINK_MAX 250
#define LINKS_MAX 8

/* Below this many invalid bytes a non-UTF-8, non-windows-1256 file is
 * repaired with U+FFFD rather than rejected with ART_ENCODING. */
#define ENCODING_MIN_BAD 8

static const char K_DATE[] = "تاريخ النشر";
static const char K_SOURCE[] = "المصدر";
static const char K_SOURCE_COLON[] = "المصدر:";
static const char K_KEYWORDS[] = "كلمات دلالية";

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                    */

/*
 * Decode the UTF-8 sequence at P (N >= 1 bytes available, P[0] >= 0x80).
 * Returns its length (2..4) and stores the code point in *CP, or, for an
 * ill-formed sequence, returns -K where K >= 1 is the length of its maximal
 * subpart (the bytes one U+FFFD replaces, as Unicode recommends).
 */
static int utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    int len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xC2)
        return -1;
    if (c < 0xE0) {
        len = 2;
        v = c & 0x1F;
    } else if (c < 0xF0) {
        len = 3;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c < 0xF5) {
        len = 4;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* <= U+10FFFF */
    } else {
        return -1;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n || p[i] < lo || p[i] > hi)
            return -i;
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* Decode the (known valid) code point at P, N > 0 bytes left; *LEN gets its
 * byte length. */
static uint32_t cp_at(const char *p, size_t n, int *len)
{
    uint32_t cp = 0xFFFD;
    int k = utf8_decode((const unsigned char *)p, n, &cp);
    if (k <= 0) {
        cp = 0xFFFD;
        k = 1;
    }
    *len = k;
    return cp;
}

/* White space and invisible marks trimmed at both ends of a line. */
static int is_space_cp(uint32_t c)
{
    if (c < 0x80)
        return c == ' ' || c == '\t';
    return c == 0x00A0 || c == 0x061C || c == 0x1680 || c == 0x180E ||
           (c >= 0x2000 && c <= 0x200F) || /* spaces, ZWSP, ZWNJ, ZWJ, LRM, RLM */
           (c >= 0x2028 && c <= 0x202F) || /* separators, bidi embeddings, NNBSP */
           (c >= 0x205F && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x3000 || c == 0xFEFF;
}

/* Trim [*S, *S + *N) of white space and invisible marks at both ends. The
 * text is valid UTF-8. */
static void trim(const char **s, size_t *n)
{
    const char *p = *s, *e = *s + *n;
    while (p < e) {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if ((unsigned char)*p < 0x80)
            break;
        int k;
        if (!is_space_cp(cp_at(p, (size_t)(e - p), &k)))
            break;
        p += k;
    }
    while (e > p) {
        if (e[-1] == ' ' || e[-1] == '\t') {
            e--;
            continue;
        }
        if ((unsigned char)e[-1] < 0x80)
            break;
        const char *q = e - 1;
        while (q > p && ((unsigned char)*q & 0xC0) == 0x80)
            q--;
        int k;
        if (!is_space_cp(cp_at(q, (size_t)(e - q), &k)))
            break;
        e = q;
    }
    *s = p;
    *n = (size_t)(e - p);
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

static const struct {
    const char *magic;
    size_t len;
    const char *reason;
} binary_sigs[] = {
    {"\x89PNG", 4, "binary file (PNG image)"},
    {"\x7f" "ELF", 4, "binary file (ELF executable)"},
    {"GIF8", 4, "binary file (GIF image)"},
    {"%PDF", 4, "binary file (PDF document)"},
    {"PK\x03\x04", 4, "binary file (ZIP archive)"},
    {"\xff\xd8\xff", 3, "binary file (JPEG image)"},
    {"\x1f\x8b", 2, "binary file (gzip data)"},
    {"7z\xbc\xaf\x27\x1c", 6, "binary file (7-Zip archive)"},
    {"\xfd" "7zXZ", 5, "binary file (xz data)"},
    {"\x28\xb5\x2f\xfd", 4, "binary file (zstd data)"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "binary file (MS Office document)"},
    {"SQLite format 3", 16, "binary file (SQLite database)"}, /* with its NUL */
};

static const char *binary_signature(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof binary_sigs / sizeof binary_sigs[0]; i++)
        if (n >= binary_sigs[i].len &&
            memcmp(p, binary_sigs[i].magic, binary_sigs[i].len) == 0)
            return binary_sigs[i].reason;
    return NULL;
}

typedef struct scan {
    size_t nul;       /* NUL bytes */
    size_t fixups;    /* CR, control characters (C0, DEL, C1) */
    size_t bad;       /* bytes in ill-formed UTF-8 sequences */
    size_t good_hi;   /* non-ASCII bytes in well-formed sequences */
} scan_t;

static void scan_bytes(const unsigned char *p, size_t n, scan_t *s)
{
    memset(s, 0, sizeof *s);
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (c == 0)
                s->nul++;
            else if (c != '\n' && c != '\t')
                s->fixups++; /* CR, other C0, DEL */
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(p + i, n - i, &cp);
        if (k > 0) {
            s->good_hi += (size_t)k;
            if (cp < 0xA0)
                s->fixups++; /* C1 control */
            i += (size_t)k;
        } else {
            s->bad += (size_t)-k;
            i += (size_t)-k;
        }
    }
}

/*
 * Copy P[0..N) into OUT as clean UTF-8: CR and CRLF become LF, control
 * characters other than LF and TAB (C0, DEL, C1) are dropped, and each
 * maximal ill-formed UTF-8 subpart becomes U+FFFD. Adds ART_FIXED_* flags.
 */
static void normalize(const unsigned char *p, size_t n, buf_t *out,
                      unsigned *flags)
{
    size_t i = 0, run = 0; /* [run, i) is pending verbatim output */
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (c == '\n' || c == '\t') {
                i++;
                continue;
            }
            buf_append(out, p + run, i - run);
            if (c == '\r') {
                buf_putc(out, '\n');
                *flags |= ART_FIXED_CRLF;
                if (i + 1 < n && p[i + 1] == '\n')
                    i++;
            } else {
                *flags |= ART_FIXED_CONTROLS;
            }
            run = ++i;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(p + i, n - i, &cp);
        if (k > 0 && cp >= 0xA0) {
            i += (size_t)k;
            continue;
        }
        buf_append(out, p + run, i - run);
        if (k > 0) {
            *flags |= ART_FIXED_CONTROLS; /* C1 control */
            i += (size_t)k;
        } else {
            buf_append(out, "\xEF\xBF\xBD", 3);
            *flags |= ART_FIXED_UTF8;
            i += (size_t)-k;
        }
        run = i;
    }
    buf_append(out, p + run, i - run);
}

/* Convert N bytes from encoding FROM to UTF-8 with ICU (ill-formed input is
 * substituted, not an error). Returns a malloc'd buffer and its length, or
 * NULL when ICU fails. */
static char *icu_to_utf8(const char *from, const unsigned char *p, size_t n,
                         size_t *out_len)
{
    /* One input byte (windows-1256) or two (UTF-16) never give more than
     * three UTF-8 bytes; a surrogate pair gives four for four. */
    if (n > (size_t)INT32_MAX / 3 - 8)
        return NULL;
    int32_t cap = (int32_t)(3 * n + 8);
    char *out = xmalloc((size_t)cap);
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = ucnv_convert("UTF-8", from, out, cap, (const char *)p,
                               (int32_t)n, &err);
    if (U_FAILURE(err) || len < 0 || len >= cap) {
        free(out);
        return NULL;
    }
    *out_len = (size_t)len;
    return out;
}

/* Is U+0621..U+064A (no tatweel) or U+066E..U+06D3 an Arabic letter? */
static int is_arabic_letter(uint32_t c)
{
    return (c >= 0x0621 && c <= 0x064A && c != 0x0640) ||
           (c >= 0x066E && c <= 0x06D3);
}

/*
 * The windows-1256 rule. It is tried only for a file that is not UTF-16 and
 * whose non-ASCII bytes are mostly NOT well-formed UTF-8 (ill-formed bytes
 * outnumber bytes of valid multi-byte sequences): Arabic letters are
 * 0xC1..0xFE in windows-1256, and two of them in a row never make a valid
 * UTF-8 sequence, so real windows-1256 Arabic fails UTF-8 almost everywhere,
 * while a UTF-8 file with a few damaged bytes does not. The bytes are then
 * decoded as windows-1256 and the decoding is accepted when Arabic letters
 * (U+0621..U+064A but tatweel, U+066E..U+06D3) make up at least 80% of the
 * decoded non-ASCII characters, not counting the neutral ones a windows-1256
 * Arabic text also holds (other U+06xx: harakat, ، ؛ ؟, tatweel; white space
 * and LRM/RLM; « »). A Latin-1 text, for instance, decodes to é, à, ç… and
 * is refused.
 */
static int looks_arabic(const char *t, size_t n)
{
    size_t letters = 0, other = 0;
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)t[i] < 0x80) {
            i++;
            continue;
        }
        int k;
        uint32_t c = cp_at(t + i, n - i, &k);
        i += (size_t)k;
        if (is_arabic_letter(c))
            letters++;
        else if ((c >= 0x0600 && c <= 0x06FF) || is_space_cp(c) ||
                 c == 0x00AB || c == 0x00BB)
            continue;
        else
            other++;
    }
    return letters > 0 && letters >= 4 * other;
}

/*
 * Stage 1. On success returns ART_OK and sets *TEXT / *LEN to clean UTF-8,
 * which is either DATA itself or *OWNED (malloc'd, the caller frees it).
 */
static article_status_t decode_text(const unsigned char *p, size_t n,
                                    const char **text, size_t *len,
                                    char **owned, unsigned *flags,
                                    const char **why)
{
    *owned = NULL;
    if (n == 0) {
        *why = "empty file";
        return ART_EMPTY;
    }
    const char *sig = binary_signature(p, n);
    if (sig) {
        *why = sig;
        return ART_BINARY;
    }

    char *conv = NULL;
    size_t conv_len = 0;
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
                   (p[0] == 0xFE && p[1] == 0xFF))) {
        conv = icu_to_utf8(p[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", p + 2,
                           n - 2, &conv_len);
        if (!conv) {
            *why = "UTF-16 text that cannot be converted";
            return ART_ENCODING;
        }
        *flags |= ART_FROM_UTF16;
    } else {
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            p += 3;
            n -= 3;
            *flags |= ART_FIXED_BOM;
        }
        scan_t s;
        scan_bytes(p, n, &s);
        if (s.nul) {
            *why = "binary file (NUL bytes)";
            return ART_BINARY;
        }
        if (!s.bad && !s.fixups) {
            *text = (const char *)p; /* the common case: used as is */
            *len = n;
            return ART_OK;
        }
        if (s.bad > s.good_hi) {
            conv = icu_to_utf8("windows-1256", p, n, &conv_len);
            if (conv && looks_arabic(conv, conv_len)) {
                *flags |= ART_FROM_CP1256;
            } else {
                free(conv);
                conv = NULL;
                if (s.bad >= ENCODING_MIN_BAD) {
                    *why = "not UTF-8, UTF-16 or windows-1256 text";
                    return ART_ENCODING;
                }
            }
        }
    }

    buf_t out = BUF_INIT;
    if (conv) {
        normalize((const unsigned char *)conv, conv_len, &out, flags);
        free(conv);
    } else {
        normalize(p, n, &out, flags);
    }
    *owned = out.data; /* NULL when nothing was left */
    *text = buf_cstr(&out);
    *len = out.len;
    return ART_OK;
}

/* ------------------------------------------------------------------------ */
/* Line classification                                                      */

/* If the line is KEY, optional white space, ':' then *VAL and *VN get the
 * trimmed rest and 1 is returned. */
static int keyed(const char *s, size_t n, const char *key, size_t klen,
                 const char **val, size_t *vn)
{
    if (n < klen + 1 || memcmp(s, key, klen) != 0)
        return 0;
    size_t i = klen;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || s[i] != ':')
        return 0;
    i++;
    *val = s + i;
    *vn = n - i;
    trim(val, vn);
    return 1;
}

#define KEYED(s, n, k, v, vn) keyed(s, n, k, sizeof(k) - 1, v, vn)

static int is_alef(uint32_t c)
{
    return c == 0x0627 || c == 0x0623 || c == 0x0625; /* ا أ إ */
}

/*
 * A "read also" marker, the whole (trimmed) line: إقرأ أيضاً: and its
 * spellings, i.e. [ا أ إ] ق ر [أ ا] <spaces> [ا أ إ] ي ض then ا with an
 * optional tanween fatha (U+064B) before or after it, then optional spaces
 * and an optional ':'.
 */
static int is_read_also(const char *s, size_t n)
{
    if (n < 12 || n > 64 || (unsigned char)s[0] != 0xD8)
        return 0;
    uint32_t cp[32];
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        if (k == sizeof cp / sizeof cp[0])
            return 0;
        int l;
        cp[k] = cp_at(s + i, n - i, &l);
        i += (size_t)l;
    }
    size_t i = 0;
    if (!is_alef(cp[i++]))
        return 0;
    if (i >= k || cp[i++] != 0x0642) /* ق */
        return 0;
    if (i >= k || cp[i++] != 0x0631) /* ر */
        return 0;
    if (i >= k || (cp[i] != 0x0623 && cp[i] != 0x0627)) /* أ ا */
        return 0;
    i++;
    if (i >= k || !is_space_cp(cp[i]))
        return 0;
    while (i < k && is_space_cp(cp[i]))
        i++;
    if (i >= k || !is_alef(cp[i++]))
        return 0;
    if (i >= k || cp[i++] != 0x064A) /* ي */
        return 0;
    if (i >= k || cp[i++] != 0x0636) /* ض */
        return 0;
    int tanween = 0;
    if (i < k && cp[i] == 0x064B) {
        tanween = 1;
        i++;
    }
    if (i >= k || cp[i++] != 0x0627) /* ا */
        return 0;
    if (!tanween && i < k && cp[i] == 0x064B)
        i++;
    while (i < k && is_space_cp(cp[i]))
        i++;
    if (i < k && cp[i] == ':')
        i++;
    while (i < k && is_space_cp(cp[i]))
        i++;
    return i == k;
}

/* Find the first "المصدر:" after the start of the line (with GLUED_ONLY,
 * only one glued to the preceding word, after at most GLUED_TITLE_MAX
 * bytes). When the text before it is non-empty and the text after it is
 * non-empty and at most SOURCE_MAX bytes, returns 1 with *T, *TN (title)
 * and *SRC, *SN (source) trimmed. */
static int split_glued_source(const char *s, size_t n, int glued_only,
                              const char **t, size_t *tn, const char **src,
                              size_t *sn)
{
    const size_t kl = sizeof K_SOURCE_COLON - 1;
    if (n <= kl)
        return 0;
    const char *hit = memmem(s + 1, n - 1, K_SOURCE_COLON, kl);
    if (!hit)
        return 0;
    if (glued_only) {
        unsigned char b = (unsigned char)hit[-1];
        if (b == ' ' || b == '\t' ||
            (hit - s >= 2 && (unsigned char)hit[-2] == 0xC2 && b == 0xA0))
            return 0;
        if ((size_t)(hit - s) > GLUED_TITLE_MAX)
            return 0;
    }
    const char *a = s, *b = hit + kl;
    size_t an = (size_t)(hit - s), bn = n - (size_t)(b - s);
    trim(&a, &an);
    trim(&b, &bn);
    if (an == 0 || bn == 0 || bn > SOURCE_MAX)
        return 0;
    *t = a;
    *tn = an;
    *src = b;
    *sn = bn;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */

enum {
    ST_TITLE,    /* waiting for the main title */
    ST_HEAD,     /* after a title, before the first paragraph */
    ST_BODY,     /* in the body */
    ST_REL_WAIT, /* after a "read also" marker, waiting for a title */
};

typedef struct parser {
    article_set_t *set;
    size_t cap;      /* allocated items */
    size_t para_cap; /* allocated paragraphs of the last item */
    int state;
    int related;     /* the last item is a related article */
    const char *rest, *end; /* the text after the current line */
    size_t skip_links;      /* link lines still to drop */
    const char *trailer;    /* the last source/keywords line (lazy) */
    int trailer_known;
} parser_t;

static article_t *cur(parser_t *ps)
{
    return &ps->set->items[ps->set->n - 1];
}

static void new_article(parser_t *ps, const char *title, size_t tn)
{
    article_set_t *set = ps->set;
    if (set->n == ps->cap) {
        ps->cap = ps->cap ? 2 * ps->cap : 2;
        set->items = xrealloc(set->items, ps->cap * sizeof *set->items);
    }
    article_t *a = &set->items[set->n];
    memset(a, 0, sizeof *a);
    a->title = xstrndup(title, tn);
    a->related = set->n == 0 ? 0 : set->items[set->n - 1].related + 1;
    set->n++;
    ps->para_cap = 0;
    ps->related = a->related > 0;
    ps->state = ST_HEAD;
}

static void add_paragraph(parser_t *ps, const char *s, size_t n)
{
    article_t *a = cur(ps);
    if (a->n_paragraphs == ps->para_cap) {
        ps->para_cap = ps->para_cap ? 2 * ps->para_cap : 8;
        a->paragraphs =
            xrealloc(a->paragraphs, ps->para_cap * sizeof *a->paragraphs);
    }
    a->paragraphs[a->n_paragraphs++] = xstrndup(s, n);
}

static void set_once(char **field, const char *s, size_t n)
{
    if (!*field && n > 0)
        *field = xstrndup(s, n);
}

static void set_date(article_t *a, const char *s, size_t n)
{
    char out[11];
    if (!a->date && date_parse(s, n, out))
        a->date = xstrdup(out);
}

/* The next trimmed, non-empty line at or after *P (before END) in *S, *N;
 * 0 at the end. */
static int next_line(const char **p, const char *end, const char **s,
                     size_t *n)
{
    while (*p < end) {
        const char *nl = memchr(*p, '\n', (size_t)(end - *p));
        const char *le = nl ? nl : end;
        *s = *p;
        *n = (size_t)(le - *p);
        *p = nl ? nl + 1 : end;
        trim(s, n);
        if (*n)
            return 1;
    }
    return 0;
}

static int is_meta(const char *s, size_t n)
{
    const char *v;
    size_t vn;
    return KEYED(s, n, K_SOURCE, &v, &vn) || KEYED(s, n, K_KEYWORDS, &v, &vn) ||
           KEYED(s, n, K_DATE, &v, &vn);
}

/* The start of the file's last "المصدر:" or "كلمات دلالية:" line (the
 * main article's trailer), or NULL; found once per file. */
static const char *last_trailer(parser_t *ps)
{
    if (!ps->trailer_known) {
        const char *p = ps->rest, *s, *v;
        size_t n, vn;
        while (next_line(&p, ps->end, &s, &n))
            if (KEYED(s, n, K_SOURCE, &v, &vn) ||
                KEYED(s, n, K_KEYWORDS, &v, &vn))
                ps->trailer = s;
        ps->trailer_known = 1;
    }
    return ps->trailer;
}

/* A line of body text rather than a headline: longer than LINK_MAX
 * bytes, or ending a sentence ('.', '…' or ':', before closing quotes or
 * brackets). Headlines end with neither. */
static int is_paragraph(const char *s, size_t n)
{
    if (n > LINK_MAX)
        return 1;
    while (n > 0) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']') {
            n--;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
                   c == 0xBB) { /* » */
            n -= 2;
        } else if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 &&
                   (unsigned char)s[n - 2] == 0x80 &&
                   (c == 0x9D || c == 0x99)) { /* ” ’ */
            n -= 3;
        } else {
            break;
        }
    }
    if (n == 0)
        return 0;
    if (s[n - 1] == '.' || s[n - 1] == ':')
        return 1;
    return n >= 3 && memcmp(s + n - 3, "\xE2\x80\xA6", 3) == 0; /* … */
}

/*
 * A "read also" marker met in the main article's body: is it a list of
 * links (the body goes on after them) rather than related articles (see
 * the top)? Returns the number of link lines that follow, 0 for related
 * articles.
 */
static size_t link_list_len(parser_t *ps)
{
    const article_t *a = cur(ps);
    if (a->source || a->keywords)
        return 0; /* after the trailer: the seed's related section */
    const char *p = ps->rest, *s = NULL;
    size_t n, k = 0;
    int para = 0;
    while (next_line(&p, ps->end, &s, &n)) {
        if (is_meta(s, n) || is_read_also(s, n))
            return 0;
        if (is_paragraph(s, n)) {
            para = 1; /* the body goes on here */
            break;
        }
        if (++k > LINKS_MAX)
            return 0;
    }
    if (k == 0 || !para)
        return 0; /* nothing after the headlines: a related title and body */
    if (k >= 2)
        return k;
    const char *t = last_trailer(ps);
    return t && t > s ? k : 0;
}

/* One trimmed, non-empty line. Returns 0, or -1 when the file has no title. */
static int parse_line(parser_t *ps, const char *s, size_t n)
{
    const char *v, *t;
    size_t vn, tn;

    if (ps->state == ST_TITLE) {
        if (KEYED(s, n, K_DATE, &v, &vn) || KEYED(s, n, K_SOURCE, &v, &vn) ||
            KEYED(s, n, K_KEYWORDS, &v, &vn) || is_read_also(s, n))
            return -1;
        new_article(ps, s, n);
        return 0;
    }
    if (ps->skip_links) {
        ps->skip_links--; /* a "read also" link: not text */
        return 0;
    }
    if (is_read_also(s, n)) {
        if (!ps->related && (ps->skip_links = link_list_len(ps)) > 0)
            return 0;
        ps->state = ST_REL_WAIT;
        return 0;
    }
    if (ps->state == ST_REL_WAIT) {
        /* Metadata with no title to attach it to is dropped. */
        if (KEYED(s, n, K_SOURCE, &v, &vn) ||
            KEYED(s, n, K_KEYWORDS, &v, &vn) || KEYED(s, n, K_DATE, &v, &vn))
            return 0;
        if (split_glued_source(s, n, 0, &t, &tn, &v, &vn)) {
            new_article(ps, t, tn);
            set_once(&cur(ps)->source, v, vn);
        } else {
            new_article(ps, s, n);
        }
        return 0;
    }
    if (ps->state == ST_HEAD && KEYED(s, n, K_DATE, &v, &vn)) {
        set_date(cur(ps), v, vn);
        return 0;
    }
    if (KEYED(s, n, K_SOURCE, &v, &vn)) {
        set_once(&cur(ps)->source, v, vn);
        return 0;
    }
    if (KEYED(s, n, K_KEYWORDS, &v, &vn)) {
        set_once(&cur(ps)->keywords, v, vn);
        return 0;
    }
    if (ps->related && split_glued_source(s, n, 1, &t, &tn, &v, &vn)) {
        new_article(ps, t, tn);
        set_once(&cur(ps)->source, v, vn);
        return 0;
    }
    add_paragraph(ps, s, n);
    ps->state = ST_BODY;
    return 0;
}

void article_set_free(article_set_t *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        article_t *a = &set->items[i];
        free(a->title);
        free(a->date);
        free(a->source);
        free(a->keywords);
        for (size_t j = 0; j < a->n_paragraphs; j++)
            free(a->paragraphs[j]);
        free(a->paragraphs);
        free(a->id);
    }
    free(set->items);
    set->items = NULL;
    set->n = 0;
    set->flags = 0;
}

article_status_t article_parse(const char *data, size_t len,
                               article_set_t *set, const char **reason)
{
    set->items = NULL;
    set->n = 0;
    set->flags = 0;
    if (reason)
        *reason = NULL;

    const char *why = NULL;
    const char *text = NULL;
    size_t tlen = 0;
    char *owned = NULL;
    unsigned flags = 0;
    article_status_t st =
        decode_text((const unsigned char *)(data ? data : ""), data ? len : 0,
                    &text, &tlen, &owned, &flags, &why);
    if (st != ART_OK) {
        if (reason)
            *reason = why;
        return st;
    }

    parser_t ps = {set, 0, 0, ST_TITLE, 0, NULL, text + tlen, 0, NULL, 0};
    const char *p = text, *end = text + tlen;
    int no_title = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        size_t n = (size_t)(le - p);
        p = nl ? nl + 1 : end;
        trim(&s, &n);
        if (n == 0)
            continue;
        ps.rest = p;
        if (parse_line(&ps, s, n) < 0) {
            no_title = 1;
            break;
        }
    }
    free(owned);

    if (no_title || set->n == 0) {
        article_set_free(set);
        if (reason)
            *reason = no_title ? "no title line (the file starts with a "
                                 "date, source, keywords or read-also line)"
                               : "only white space";
        return no_title ? ART_NO_TITLE : ART_EMPTY;
    }
    set->flags = flags;
    return ART_OK;
}

/* ------------------------------------------------------------------------ */
/* Articles from other formats                                              */

article_t *article_set_add(article_set_t *set)
{
    /* Capacity: the next power of two, so appends are amortised O(1). */
    if ((set->n & (set->n - 1)) == 0)
        set->items = xrealloc(set->items,
                              (set->n ? 2 * set->n : 1) * sizeof *set->items);
    article_t *a = &set->items[set->n++];
    memset(a, 0, sizeof *a);
    return a;
}

/* Append a space to OUT unless it ends with one or a line end. */
static void put_space(buf_t *out)
{
    if (out->len && out->data[out->len - 1] != ' ' &&
        out->data[out->len - 1] != '\n')
        buf_putc(out, ' ');
}

/* Copy S (N bytes, UTF-8) into OUT: ill-formed UTF-8 made U+FFFD, control
 * characters (C0 but for line ends and tab, DEL, C1) dropped, runs of spaces, tabs and no-break spaces
 * made one space (as HTML shows them) and, with ONE_LINE, line ends too. */
static void clean_copy(buf_t *out, const char *s, size_t n, int one_line)
{
    buf_reset(out);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == ' ' || c == '\t' ||
                (one_line && (c == '\n' || c == '\r')))
                put_space(out);
            else if (c == '\n' || c == '\r')
                buf_putc(out, '\n');
            else if (c >= 0x20 && c != 0x7F)
                buf_putc(out, (char)c);
            i++;
            continue;
        }
        int k;
        uint32_t cp = cp_at(s + i, n - i, &k);
        if (cp == 0xA0)
            put_space(out);
        else if (cp == 0xFFFD) /* also an ill-formed sequence: repaired */
            buf_append(out, "\xEF\xBF\xBD", 3);
        else if (cp > 0xA0)
            buf_append(out, s + i, (size_t)k);
        i += (size_t)k;
    }
}

void article_set_line(char **field, const char *s, size_t n)
{
    free(*field);
    *field = NULL;
    buf_t b = BUF_INIT;
    clean_copy(&b, s, n, 1);
    const char *t = b.data;
    size_t tn = b.len;
    if (t)
        trim(&t, &tn);
    if (tn)
        *field = xstrndup(t, tn);
    buf_free(&b);
}

void article_add_text(article_t *a, const char *s, size_t n)
{
    buf_t b = BUF_INIT;
    clean_copy(&b, s, n, 0);
    if (!b.data)
        return; /* nothing left */
    const char *p = b.data, *end = b.data + b.len;
    while (p < end) {
        size_t ln = strcspn(p, "\r\n");
        if (p + ln > end)
            ln = (size_t)(end - p);
        const char *t = p;
        size_t tn = ln;
        p += ln + 1;
        trim(&t, &tn);
        if (!tn)
            continue;
        size_t k = a->n_paragraphs;
        if ((k & (k - 1)) == 0)
            a->paragraphs =
                xrealloc(a->paragraphs, (k ? 2 * k : 1) * sizeof *a->paragraphs);
        a->paragraphs[a->n_paragraphs++] = xstrndup(t, tn);
    }
    buf_free(&b);
}
