/*
 * analyzer.c: word segmentation, folding, clitic stripping and light
 * stemming, as described in analyzer.h. The rules are tables at the top of
 * the file; the stemming of a distinct word is cached, so the work per
 * repeated word is one fold and one hash lookup.
 */
#include "analyzer.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>

#include "normalize.h"
#include "util.h"

/* ------------------------------------------------------------------ tables */

/* Stopwords, in folded form (ة→ه, ى→ي, hamza alefs → ا). Function words,
 * question words and their common clitic forms: they carry no topic. */
static const char *const stopwords[] = {
    "في", "من", "الي", "علي", "عن", "ان", "او", "ما", "لا", "لم", "لن",
    "هذا", "هذه", "ذلك", "تلك", "هولاء", "التي", "الذي", "الذين", "اللذين",
    "اللتين", "اللواتي", "اللاتي", "كان", "كانت", "يكون", "تكون", "قد", "ثم",
    "حتي", "اذا", "اذ", "مع", "هو", "هي", "هم", "هن", "هما", "نحن", "انا",
    "انت", "انتم", "بين", "كل", "بعد", "قبل", "عند", "منذ", "ايضا", "غير",
    "وقد", "وان", "وفي", "ومن", "والي", "وعلي", "وعن", "ولا", "وما", "ولم",
    "وهو", "وهي", "وكان", "وكانت", "فان", "فقد", "فيه", "فيها", "منه",
    "منها", "عليه", "عليها", "اليه", "اليها", "عنه", "عنها", "به", "بها",
    "له", "لها", "لهم", "لقد", "كما", "لكن", "ولكن", "حيث", "خلال", "ضمن",
    "نحو", "الا", "اما", "اي", "اين", "متي", "كيف", "ماذا", "لماذا", "هل",
    "كم", "مثل", "لدي", "دون", "سوي", "بل", "ام", "تم", "يتم", "كذلك",
    "هناك", "هنا", "ذات", "وذلك", "وهذا", "وهذه", "التى", "الذى", "لما",
    "عما", "مما", "بما", "فيما", "انه", "انها", "بان", "بانه", "وانه",
    "لان", "كي", "لكي", "اكثر", "اقل", "بعض", "جميع", "عدم", "اول", "يا",
    "و", "ف", "ب", "ل", "ك", "ال",
    /* question forms, often glued: ماهي = ما هي */
    "ماهي", "ماهو", "ماهم", "بماذا", "لمن", "ممن", "بمن", "عمن", "بكم",
    "باي", "لاي", "فاي", "وما", "فما", "ومن", "وهل", "فهل", "الذين",
    "بالنسبه", "وكيف", "ولماذا", "ومتي", "واين",
};

/* Words that begin with a clitic letter or end with a suffix but are whole
 * (places, names, common nouns), in the stem fold: never stripped. */
static const char *const protected_words[] = {
    "فلسطين", "بيروت", "بريطانيا", "بغداد", "لبنان", "ليبيا", "كابول",
    "كندا", "فرنسا", "واشنطن", "بكين", "برلين", "باريس", "لندن", "فيينا",
    "فنزويلا", "كوريا", "كوبا", "باكستان", "بلجيكا", "فيتنام", "بنغلاديش",
    "بولندا", "بلغاريا", "برازيل", "كينيا", "فنلندا", "كرواتيا", "بورما",
    "بوتين", "بايدن", "بلير", "بوش", "لافروف", "كيري", "بلينكن", "فهد",
    "فيصل", "فايز", "فاطمه", "بندر", "بكر", "باسل", "فلاح", "كمال",
    "كريم", "كويت", "وليد", "واءل", "وزير", "وزاره", "وزراء", "ولايه",
    "ولايات", "وطن", "وقت", "وضع", "وفد", "وكاله", "ورقه", "واقع", "وسط",
    "وجه", "وحده", "وفاه", "وثيقه", "وادي", "وفق", "ولد", "كتاب", "كبير",
    "كبيره", "كثير", "فريق", "فتره", "فكره", "فرصه", "بلد", "بلاد", "بيان",
    "بيت", "بحر", "برنامج", "بنك", "بطوله", "لجنه", "لقاء", "لعبه",
    "فيلم", "بحث", "سلطان", "عمان", "ايران", "يمن", "يونان",
    "ميدان", "انسان", "سودان", "رمضان", "عثمان", "سليمان", "لقمان",
    "دين", "حسين", "صين", "امين", "مكان", "زمان", "بيان", "ديوان",
    "قانون", "قرار", "مليون", "مليار", "اكتوبر", "نوفمبر",
};

/* Article forms, longest first: [و|ف][ب|ك|ل]ال, with لل for ل+ال. */
static const char *const articles[] = {
    "وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال",
    "كال", "لل", "ال",
};

/* Pronoun suffixes (one is removed), longest first. */
static const char *const pronoun_suffixes[] = {
    "هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه",
};

/* Number, gender and nisba suffixes (removed repeatedly), longest first. */
static const char *const number_suffixes[] = {
    "ات", "ون", "ين", "ان", "يه", "ي",
};

#define MIN_STEM 3 /* letters a stripped word must keep */

/* ------------------------------------------------------------ string sets */

/* An open-addressing hash table from byte strings to a small value, used for
 * the word lists and for the stem cache. Keys and values live in ARENA. */
typedef struct slot {
    uint32_t hash;
    uint32_t key_off;          /* in arena; the value follows the key */
    uint32_t key_len;          /* 0: empty slot (keys are never empty) */
    uint32_t val_len;
} slot_t;                      /* 16 bytes: 4 to a cache line */

typedef struct strmap {
    slot_t *slots;
    size_t cap, count;
    buf_t arena;
} strmap_t;

static void strmap_init(strmap_t *m, size_t cap)
{
    m->slots = xcalloc(cap, sizeof(slot_t));
    m->cap = cap;
    m->count = 0;
    m->arena = (buf_t)BUF_INIT;
}

static void strmap_clear(strmap_t *m)
{
    memset(m->slots, 0, m->cap * sizeof(slot_t));
    m->count = 0;
    buf_reset(&m->arena);
}

/*
 * Make room for one more key in a cache: keep it at most half full by
 * doubling the table up to MAX_CAP slots, then by starting afresh (bounded
 * memory), or when the keys and values pass MAX_ARENA bytes. A cache starts
 * small: a newsq run touches a few hundred words, and every page of a big
 * table costs it a page fault.
 */
static void strmap_reserve(strmap_t *m, size_t max_cap, size_t max_arena)
{
    if (m->arena.len > max_arena) {
        strmap_clear(m);
        return;
    }
    if (2 * (m->count + 1) <= m->cap)
        return;
    if (m->cap >= max_cap) {
        strmap_clear(m);
        return;
    }
    size_t cap = m->cap * 2;
    slot_t *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key_len)
            continue;
        size_t j = m->slots[i].hash & (cap - 1);
        while (t[j].key_len)
            j = (j + 1) & (cap - 1);
        t[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = t;
    m->cap = cap;
}

static void strmap_free(strmap_t *m)
{
    free(m->slots);
    buf_free(&m->arena);
}

/* The table's hash: 8 bytes at a time (words are short and looked up for
 * every token); not hash64, whose values are stored in indexes. */
static uint32_t strmap_hash(const char *k, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, k, 8);
        h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        k += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, k, n);
    h = (h ^ v) * 0x94D049BB133111EBULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (uint32_t)(h >> 32);
}

static slot_t *strmap_find(strmap_t *m, const char *k, size_t n, uint32_t h)
{
    size_t i = h & (m->cap - 1);
    for (;;) {
        slot_t *s = &m->slots[i];
        if (!s->key_len)
            return s;
        if (s->hash == h && s->key_len == n &&
            memcmp(m->arena.data + s->key_off, k, n) == 0)
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

/* Insert K → V (V may be NULL/0). The map must not be over 3/4 full. */
static void strmap_put(strmap_t *m, const char *k, size_t n, const char *v,
                       size_t vn)
{
    uint32_t h = strmap_hash(k, n);
    slot_t *s = strmap_find(m, k, n, h);
    if (s->key_len || n == 0)
        return;
    s->hash = h;
    s->key_off = (uint32_t)m->arena.len;
    s->key_len = (uint32_t)n;
    buf_append(&m->arena, k, n);
    s->val_len = (uint32_t)vn;
    buf_append(&m->arena, v ? v : "", vn);
    m->count++;
}

static const slot_t *strmap_get(strmap_t *m, const char *k, size_t n)
{
    slot_t *s = strmap_find(m, k, n, strmap_hash(k, n));
    return s->key_len ? s : NULL;
}

/* --------------------------------------------------------------- analyzer */

/* The caches: first and largest number of slots (16 bytes each). */
#define CACHE_FIRST_SLOTS (1u << 10)
#define CACHE_MAX_SLOTS (1u << 18)

/* Words of at most this many bytes are kept in the word cache. */
#define WORD_CACHE_MAX 96

struct analyzer {
    UBreakIterator *bi;
    UChar *u;          /* the text in UTF-16 */
    uint32_t *u2b;     /* UTF-16 index → byte offset in the input */
    size_t ucap;
    buf_t surface, hfold, stems, entry;
    strmap_t cache;    /* hamza-fold word → NUL-separated stems */
    /* The word as written → everything analyzer_run makes of it (see
     * word_entry): news repeats its words, so most words of a text cost one
     * hash lookup instead of two folds and two lookups. */
    strmap_t words;
    uint64_t lookups, hits;
};

static strmap_t stopword_set, protected_set;
static int sets_ready;

/* The affixes above as code points, decoded once: a cold analyzer (every
 * newsq process) strips affixes from each new word, and decoding them
 * again at every test was a tenth of a search's instructions. */
typedef struct affix {
    uint32_t c[8];
    size_t n;
} affix_t;
#define N_ARTICLES (sizeof articles / sizeof *articles)
#define N_PRONOUNS (sizeof pronoun_suffixes / sizeof *pronoun_suffixes)
#define N_NUMBERS (sizeof number_suffixes / sizeof *number_suffixes)
static affix_t article_cps[N_ARTICLES], pronoun_cps[N_PRONOUNS],
    number_cps[N_NUMBERS];

static void affixes_decode(const char *const *s, size_t n, affix_t *out)
{
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(s[k]);
        out[k].n = 0;
        for (size_t i = 0; i < len && out[k].n < 8;)
            i += utf8_decode((const unsigned char *)s[k] + i, len - i,
                             &out[k].c[out[k].n++]);
    }
}

/* Build the word sets once (called from analyzer_new; not thread-safe on the
 * first call, like ICU's own data loading). */
static void sets_init(void)
{
    if (sets_ready)
        return;
    strmap_init(&stopword_set, 512);
    for (size_t i = 0; i < sizeof stopwords / sizeof *stopwords; i++)
        strmap_put(&stopword_set, stopwords[i], strlen(stopwords[i]), NULL, 0);
    strmap_init(&protected_set, 512);
    for (size_t i = 0; i < sizeof protected_words / sizeof *protected_words;
         i++)
        strmap_put(&protected_set, protected_words[i],
                   strlen(protected_words[i]), NULL, 0);
    affixes_decode(articles, N_ARTICLES, article_cps);
    affixes_decode(pronoun_suffixes, N_PRONOUNS, pronoun_cps);
    affixes_decode(number_suffixes, N_NUMBERS, number_cps);
    sets_ready = 1;
}

int analyzer_is_stopword(const char *w, size_t len)
{
    sets_init();
    return strmap_get(&stopword_set, w, len) != NULL;
}

analyzer_t *analyzer_new(void)
{
    sets_init();
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "ar", NULL, 0, &err);
    if (U_FAILURE(err))
        return NULL;
    analyzer_t *an = xcalloc(1, sizeof *an);
    an->bi = bi;
    strmap_init(&an->cache, CACHE_FIRST_SLOTS);
    strmap_init(&an->words, CACHE_FIRST_SLOTS);
    return an;
}

void analyzer_free(analyzer_t *an)
{
    if (!an)
        return;
    ubrk_close(an->bi);
    free(an->u);
    free(an->u2b);
    buf_free(&an->surface);
    buf_free(&an->hfold);
    buf_free(&an->stems);
    strmap_free(&an->cache);
    strmap_free(&an->words);
    buf_free(&an->entry);
    free(an);
}

void analyzer_cache_stats(const analyzer_t *an, uint64_t *lookups,
                          uint64_t *hits)
{
    *lookups = an->lookups;
    *hits = an->hits;
}

/* ---------------------------------------------------------------- stemming */

/* A word as code points, for cheap prefix/suffix tests. */
typedef struct word {
    uint32_t c[AN_MAX_STEM_CHARS];
    size_t n;
} word_t;

/* Does W[from, to) end with the affix A? */
static int ends_with(const word_t *w, size_t from, size_t to, const affix_t *a,
                     size_t *slen)
{
    size_t n = a->n;
    *slen = n;
    if (to - from < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (w->c[to - n + i] != a->c[i])
            return 0;
    return 1;
}

static int starts_with(const word_t *w, const affix_t *a, size_t *slen)
{
    size_t n = a->n;
    *slen = n;
    if (w->n < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (w->c[i] != a->c[i])
            return 0;
    return 1;
}

static void encode_range(const word_t *w, size_t from, size_t to, buf_t *out)
{
    char enc[AN_MAX_STEM_CHARS * 4];
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += utf8_encode(w->c[i], enc + n);
    buf_append(out, enc, n);
}

static int is_protected(const word_t *w, size_t from, size_t to)
{
    char tmp[AN_MAX_STEM_CHARS * 4];
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += utf8_encode(w->c[i], tmp + n);
    return strmap_get(&protected_set, tmp, n) != NULL;
}

/* Remove suffixes from W[from, to); returns the new end. */
static size_t strip_suffixes(const word_t *w, size_t from, size_t to)
{
    if (is_protected(w, from, to))
        return to;
    size_t slen;
    int pronoun = 0;
    for (size_t i = 0; i < N_PRONOUNS; i++) {
        if (ends_with(w, from, to, &pronoun_cps[i], &slen) &&
            to - from - slen >= MIN_STEM) {
            to -= slen;
            /* A taa marbuta before a pronoun is written ت: حكومته → حكوم. */
            if (w->c[to - 1] == 0x062A && to - from - 1 >= MIN_STEM)
                to--;
            pronoun = 1;
            break;
        }
    }
    /* The alef of an accusative tanween (مؤخراً, رسمياً) once its harakat
     * are gone; also روسيا/روسي, امريكا/امريكي meet this way. */
    if (!pronoun && w->c[to - 1] == 0x0627 && to - from - 1 >= MIN_STEM &&
        !is_protected(w, from, to))
        to--;
    for (int changed = 1; changed;) {
        changed = 0;
        if (is_protected(w, from, to))
            break;
        for (size_t i = 0; i < N_NUMBERS; i++) {
            if (ends_with(w, from, to, &number_cps[i], &slen) &&
                to - from - slen >= MIN_STEM) {
                to -= slen;
                changed = 1;
                break;
            }
        }
    }
    return to;
}

/* Compute the stems of the hamza-fold word HW (N bytes) into OUT as
 * NUL-terminated strings, one after another. Returns how many. */
static size_t compute_stems(const char *hw, size_t n, buf_t *out)
{
    word_t w;
    w.n = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += utf8_decode((const unsigned char *)hw + i, n - i, &cp);
        if (!norm_is_arabic_letter(cp) && cp != 0x0621)
            return 0; /* numbers, Latin and mixed words: surface only */
        if (w.n == AN_MAX_STEM_CHARS)
            return 0;
        w.c[w.n++] = cp;
    }
    if (w.n < 2)
        return 0;

    size_t starts[AN_MAX_STEMS];
    size_t n_starts = 0;
    size_t plen;
    starts[n_starts++] = 0;
    if (!is_protected(&w, 0, w.n)) {
        int article = 0;
        for (size_t i = 0; i < N_ARTICLES; i++) {
            if (starts_with(&w, &article_cps[i], &plen) && w.n - plen >= 2) {
                starts[0] = plen; /* the article is unambiguous */
                article = 1;
                /* إل folds to ال: الإلكتروني is ال + الكتروني. */
                if (w.n - plen >= 5 && w.c[plen] == 0x0627 &&
                    w.c[plen + 1] == 0x0644)
                    starts[0] = plen + 2;
                /* ...but لل may be ل before a word in ل: لليبيا, للبنان */
                if (w.c[plen - 1] == 0x0644 && w.c[plen - 2] == 0x0644 &&
                    w.n - plen + 1 >= MIN_STEM)
                    starts[n_starts++] = plen - 1;
                break;
            }
        }
        if (!article) {
            /* Single-letter proclitics are ambiguous: keep every reading. */
            size_t i = 0;
            if ((w.c[0] == 0x0648 || w.c[0] == 0x0641) && w.n - 1 >= MIN_STEM) {
                starts[n_starts++] = 1;
                i = 1;
            }
            uint32_t c = w.c[i];
            if ((c == 0x0628 || c == 0x0643 || c == 0x0644) &&
                w.n - i - 1 >= MIN_STEM && n_starts < AN_MAX_STEMS)
                starts[n_starts++] = i + 1;
        }
    }

    size_t count = 0;
    size_t offs[AN_MAX_STEMS];
    for (size_t k = 0; k < n_starts; k++) {
        size_t from = starts[k];
        size_t to = strip_suffixes(&w, from, w.n);
        /* A reading that reduces to a protected word ends the list: no
         * shorter reading (فلسطينية → فلسطين, not also لسط). */
        int last = is_protected(&w, from, to);
        size_t off = out->len;
        encode_range(&w, from, to, out);
        /* drop a duplicate of an earlier stem */
        int dup = 0;
        for (size_t j = 0; j < count; j++) {
            const char *a = out->data + offs[j];
            if (strlen(a) == out->len - off &&
                memcmp(a, out->data + off, out->len - off) == 0)
                dup = 1;
        }
        if (dup) {
            out->len = off;
            out->data[off] = '\0';
            if (last)
                break;
            continue;
        }
        buf_putc(out, '\0');
        offs[count++] = off;
        if (last)
            break;
    }
    return count;
}

/* ----------------------------------------------------------------- running */

/* Convert TEXT to UTF-16 in AN->u with the byte offset of every unit. */
static size_t to_utf16(analyzer_t *an, const char *text, size_t len)
{
    if (an->ucap < len + 1) {
        an->ucap = len + 1;
        an->u = xrealloc(an->u, an->ucap * sizeof(UChar));
        an->u2b = xrealloc(an->u2b, (an->ucap + 1) * sizeof(uint32_t));
    }
    size_t ulen = 0;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n;
        /* ASCII and two-byte sequences (all of Arabic) inline; the rest,
         * and every invalid byte, through utf8_decode. */
        if (s[i] < 0x80) {
            cp = s[i];
            n = 1;
        } else if (s[i] >= 0xC2 && s[i] < 0xE0 && i + 1 < len &&
                   (s[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
            n = 2;
        } else {
            n = utf8_decode(s + i, len - i, &cp);
        }
        if (cp == 0)
            cp = ' '; /* NUL would end nothing in ICU, but keep it a space */
        if (cp >= 0x10000) {
            an->u[ulen] = (UChar)(0xD7C0 + (cp >> 10));
            an->u2b[ulen++] = (uint32_t)i;
            an->u[ulen] = (UChar)(0xDC00 | (cp & 0x3FF));
            an->u2b[ulen++] = (uint32_t)i;
        } else {
            an->u[ulen] = (UChar)cp;
            an->u2b[ulen++] = (uint32_t)i;
        }
        i += n;
    }
    an->u2b[ulen] = (uint32_t)len;
    return ulen;
}

/* Look up or compute the stems of the hamza-fold word in AN->hfold. */
static const char *stems_of(analyzer_t *an, size_t *count)
{
    const char *k = an->hfold.data;
    size_t n = an->hfold.len;
    an->lookups++;
    const slot_t *s = strmap_get(&an->cache, k, n);
    if (s) {
        an->hits++;
    } else {
        /* value: one byte of count, then the NUL-separated stems */
        buf_reset(&an->stems);
        buf_putc(&an->stems, 0);
        size_t c = compute_stems(k, n, &an->stems); /* may move data */
        an->stems.data[0] = (char)c;
        strmap_reserve(&an->cache, CACHE_MAX_SLOTS / 2, 32u << 20);
        strmap_put(&an->cache, k, n, an->stems.data, an->stems.len);
        s = strmap_get(&an->cache, k, n);
    }
    const char *v = an->cache.arena.data + s->key_off + s->key_len;
    *count = (size_t)(unsigned char)v[0];
    return v + 1;
}

/* Cut BUF back to at most AN_MAX_TERM bytes, at a character boundary. */
static void cap_term(buf_t *b)
{
    if (b->len <= AN_MAX_TERM)
        return;
    size_t n = AN_MAX_TERM;
    while (n > 0 && ((unsigned char)b->data[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->data[n] = '\0';
}

/* Flags, the first byte of a word entry. */
enum { WORD_STOP = 1, WORD_EMPTY = 2 };

/*
 * What analyzer_run makes of the word RAW (N bytes as written), as an entry
 * "FLAGS COUNT surface\0 stem\0 ..." (COUNT: number of stems). Cached for
 * short words; the pointer is valid until the next call.
 */
static const char *word_entry(analyzer_t *an, const char *raw, size_t n)
{
    const slot_t *hit = NULL;
    if (n <= WORD_CACHE_MAX &&
        (hit = strmap_get(&an->words, raw, n)) != NULL)
        return an->words.arena.data + hit->key_off + hit->key_len;
    buf_t *e = &an->entry;
    buf_reset(e);
    buf_reset(&an->surface);
    char head[2] = { 0, 0 };
    buf_append(e, head, 2);
    if (norm_fold(raw, n, 0, &an->surface) == 0) {
        e->data[0] = WORD_EMPTY;
    } else {
        cap_term(&an->surface);
        buf_append(e, an->surface.data, an->surface.len + 1);
        if (analyzer_is_stopword(an->surface.data, an->surface.len)) {
            e->data[0] = WORD_STOP;
        } else {
            buf_reset(&an->hfold);
            norm_fold(raw, n, NORM_HAMZA_SEATS, &an->hfold);
            cap_term(&an->hfold);
            size_t count;
            const char *st = stems_of(an, &count);
            if (count > AN_MAX_STEMS)
                count = AN_MAX_STEMS;
            for (size_t i = 0; i < count; i++) {
                size_t sl = strlen(st) + 1;
                buf_append(e, st, sl);
                st += sl;
            }
            e->data[1] = (char)count;
        }
    }
    if (n > WORD_CACHE_MAX)
        return e->data;
    strmap_reserve(&an->words, CACHE_MAX_SLOTS, 32u << 20);
    size_t off = an->words.arena.len + n; /* where strmap_put puts it */
    strmap_put(&an->words, raw, n, e->data, e->len);
    return an->words.arena.data + off;
}

int analyzer_run(analyzer_t *an, const char *text, size_t len, an_token_fn fn,
                 void *ctx)
{
    if (len == 0)
        return 0;
    if (len > INT32_MAX / 2)
        len = INT32_MAX / 2;
    size_t ulen = to_utf16(an, text, len);
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(an->bi, an->u, (int32_t)ulen, &err);
    if (U_FAILURE(err))
        return 0;
    uint32_t pos = 0;
    int32_t start = ubrk_first(an->bi);
    for (int32_t end = ubrk_next(an->bi); end != UBRK_DONE;
         start = end, end = ubrk_next(an->bi)) {
        if (ubrk_getRuleStatus(an->bi) < UBRK_WORD_NUMBER)
            continue; /* spaces and punctuation */
        size_t bstart = an->u2b[start], bend = an->u2b[end];
        const char *e = word_entry(an, text + bstart, bend - bstart);
        if (e[0] & WORD_EMPTY)
            continue;
        an_token_t tok;
        tok.surface = e + 2;
        tok.surface_len = strlen(tok.surface);
        tok.start = bstart;
        tok.end = bend;
        tok.pos = ++pos;
        tok.stopword = (e[0] & WORD_STOP) != 0;
        tok.n_stems = (size_t)(unsigned char)e[1];
        const char *s = tok.surface + tok.surface_len + 1;
        for (size_t i = 0; i < tok.n_stems; i++) {
            tok.stems[i] = s;
            s += strlen(s) + 1;
        }
        int r = fn(ctx, &tok);
        if (r)
            return r;
    }
    return 0;
}
