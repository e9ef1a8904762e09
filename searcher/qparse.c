/*
 * qparse.c: the query language of qparse.h. A lexer cuts the text into
 * items (words, phrases, fields, operators); a second pass groups items
 * joined by OR / NEAR into clauses.
 */
#include "dates.h"
#include "qparse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

#define NEAR_DEFAULT 10
#define NEAR_MAX 1000

typedef enum item_kind { IT_TERM, IT_OR, IT_NEAR } item_kind_t;

typedef struct item {
    item_kind_t kind;
    int negated;
    qterm_t term;        /* IT_TERM */
    unsigned window;     /* IT_NEAR */
} item_t;

typedef struct lexer {
    const char *s;
    size_t n, i;
    item_t *items;
    size_t n_items, cap;
    qparsed_t *q;
    buf_t warn;
    char *error;
    int pending_not;     /* the previous token was NOT */
} lexer_t;

static void warn(lexer_t *lx, const char *msg)
{
    if (lx->warn.len)
        buf_puts(&lx->warn, "; ");
    buf_puts(&lx->warn, msg);
}

static int fail(lexer_t *lx, const char *fmt, const char *arg)
{
    buf_t b = BUF_INIT;
    buf_printf(&b, fmt, arg);
    free(lx->error);
    lx->error = b.data ? b.data : xstrdup("bad query");
    return -1;
}

static void push(lexer_t *lx, item_t it)
{
    if (it.kind == IT_TERM && lx->pending_not)
        it.negated = 1;
    lx->pending_not = 0;
    if (lx->n_items == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 16;
        lx->items = xrealloc(lx->items, lx->cap * sizeof *lx->items);
    }
    lx->items[lx->n_items++] = it;
}

/* Code point at S[I] and its length (0 at the end). */
static size_t peek(const lexer_t *lx, size_t i, uint32_t *cp)
{
    if (i >= lx->n) {
        *cp = 0;
        return 0;
    }
    return utf8_decode((const unsigned char *)lx->s + i, lx->n - i, cp);
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 ||
           c == 0x200F || c == 0x200E || c == 0x3000;
}

static int is_open_quote(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x00AB || c == 0x201E;
}

static int is_close_quote(uint32_t c)
{
    return c == '"' || c == 0x201D || c == 0x00BB || c == 0x201C;
}

/* Read a quoted phrase starting at the opening quote at LX->i. */
static char *read_phrase(lexer_t *lx)
{
    uint32_t c;
    lx->i += peek(lx, lx->i, &c); /* the opening quote */
    size_t start = lx->i;
    for (;;) {
        size_t k = peek(lx, lx->i, &c);
        if (k == 0) {
            warn(lx, "unbalanced quote: the phrase runs to the end of the query");
            return xstrndup(lx->s + start, lx->i - start);
        }
        if (is_close_quote(c)) {
            char *p = xstrndup(lx->s + start, lx->i - start);
            lx->i += k;
            return p;
        }
        lx->i += k;
    }
}

/* Read a bare token (up to white space). */
static char *read_token(lexer_t *lx, size_t *len)
{
    uint32_t c;
    size_t start = lx->i;
    for (;;) {
        size_t k = peek(lx, lx->i, &c);
        if (k == 0 || is_space(c))
            break;
        lx->i += k;
    }
    *len = lx->i - start;
    return xstrndup(lx->s + start, *len);
}

/* "YYYYMMDD" into OUT (the caller checked 1000 <= Y <= 9999). */
static void ymd(char out[9], int y, int m, int d)
{
    char t[40];
    snprintf(t, sizeof t, "%04d%02d%02d", y, m, d);
    memcpy(out, t, 8);
    out[8] = '\0';
}

int qparse_date_bounds(const char *s, size_t n, char lo[9], char hi[9])
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = 0, m = 0, d = 0;
    if (date_hijri_bounds(s, n, lo, hi)) /* 1445هـ, 1445-09هـ (dates.h) */
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    char tmp[16];
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    int used = 0;
    if (n == 4 && sscanf(tmp, "%4d%n", &y, &used) == 1 && used == 4) {
        if (y < 1000)
            return 0;
        ymd(lo, y, 1, 1);
        ymd(hi, y, 12, 31);
        return 1;
    }
    if (n == 7 && sscanf(tmp, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7) {
        if (m < 1 || m > 12 || y < 1000)
            return 0;
        int last = mdays[m - 1] +
                   (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        ymd(lo, y, m, 1);
        ymd(hi, y, m, last);
        return 1;
    }
    if (n == 10 && sscanf(tmp, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 &&
        used == 10) {
        if (m < 1 || m > 12 || y < 1000 || d < 1)
            return 0;
        int last = mdays[m - 1] +
                   (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        if (d > last)
            return 0;
        ymd(lo, y, m, d);
        memcpy(hi, lo, 9);
        return 1;
    }
    return 0;
}

/* date:VALUE — one date or FROM..TO (either side may be empty). */
static int add_date(lexer_t *lx, const char *v)
{
    qdate_t d;
    const char *dots = strstr(v, "..");
    char lo[9], hi[9];
    if (!dots) {
        if (!qparse_date_bounds(v, strlen(v), d.lo, d.hi))
            return fail(lx, "date:%s: expected YYYY, YYYY-MM, YYYY-MM-DD (or Hijri YYYYهـ, YYYY-MMهـ) or FROM..TO", v);
    } else {
        const char *a = v, *b = dots + 2;
        size_t an = (size_t)(dots - v), bn = strlen(b);
        if (an == 0 && bn == 0)
            return fail(lx, "date:%s: a range needs at least one end", v);
        if (an && !qparse_date_bounds(a, an, d.lo, hi))
            return fail(lx, "date:%s: the start is not YYYY, YYYY-MM or YYYY-MM-DD", v);
        if (!an)
            memcpy(d.lo, "00000000", 9);
        if (bn && !qparse_date_bounds(b, bn, lo, d.hi))
            return fail(lx, "date:%s: the end is not YYYY, YYYY-MM or YYYY-MM-DD", v);
        if (!bn)
            memcpy(d.hi, "99999999", 9);
        if (strcmp(d.lo, d.hi) > 0)
            return fail(lx, "date:%s: the range ends before it starts", v);
    }
    qparsed_t *q = lx->q;
    q->dates = xrealloc(q->dates, (q->n_dates + 1) * sizeof *q->dates);
    q->dates[q->n_dates++] = d;
    return 0;
}

static int lex(lexer_t *lx)
{
    while (lx->i < lx->n) {
        uint32_t c;
        size_t k = peek(lx, lx->i, &c);
        if (is_space(c)) {
            lx->i += k;
            continue;
        }
        int negated = 0;
        if (c == '-') {
            uint32_t c2;
            size_t k2 = peek(lx, lx->i + 1, &c2);
            if (k2 && !is_space(c2)) {
                negated = 1;
                lx->i += 1;
                c = c2;
                k = k2;
            }
        }
        if (is_open_quote(c)) {
            item_t it = { IT_TERM, negated, { QK_PHRASE, QF_ANY, NULL }, 0 };
            it.term.text = read_phrase(lx);
            push(lx, it);
            continue;
        }
        /* field:VALUE or field:"VALUE" */
        static const struct { const char *name; int field; } fields[] = {
            { "title:", QF_TITLE }, { "tag:", QF_TAG },
            { "source:", -1 }, { "date:", -2 },
        };
        int field = QF_ANY, matched = 0;
        for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
            size_t fl = strlen(fields[f].name);
            if (lx->n - lx->i >= fl &&
                memcmp(lx->s + lx->i, fields[f].name, fl) == 0) {
                field = fields[f].field;
                lx->i += fl;
                matched = 1;
                break;
            }
        }
        char *value;
        int quoted = 0;
        size_t vlen;
        if (matched && lx->i < lx->n &&
            (peek(lx, lx->i, &c), is_open_quote(c))) {
            value = read_phrase(lx);
            vlen = strlen(value);
            quoted = 1;
        } else {
            value = read_token(lx, &vlen);
        }
        if (field == -1 || field == -2) {
            if (negated)
                warn(lx, "'-' before source: or date: is ignored");
            if (vlen == 0) {
                free(value);
                return fail(lx, "%s needs a value, e.g. source:سبق or date:2015-07",
                            field == -1 ? "source:" : "date:");
            }
            if (field == -1) {
                qparsed_t *q = lx->q;
                q->sources = xrealloc(q->sources, (q->n_sources + 1) * sizeof(char *));
                q->sources[q->n_sources++] = value;
            } else {
                int r = add_date(lx, value);
                free(value);
                if (r)
                    return r;
            }
            continue;
        }
        if (matched && vlen == 0) {
            free(value);
            warn(lx, "an empty field is ignored");
            continue;
        }
        if (!matched && !negated && !quoted &&
            (strcmp(value, "AND") == 0 || strcmp(value, "NOT") == 0)) {
            /* AND: words rank all-first anyway; NOT x is -x. */
            if (value[0] == 'N')
                lx->pending_not = 1;
            free(value);
            continue;
        }
        if (!matched && !negated && !quoted) {
            unsigned window = 0;
            int op = 0;
            if (strcmp(value, "OR") == 0 || strcmp(value, "أو") == 0 ||
                strcmp(value, "او") == 0 || strcmp(value, "|") == 0)
                op = IT_OR;
            else if (strcmp(value, "NEAR") == 0) {
                op = IT_NEAR;
                window = NEAR_DEFAULT;
            } else if (strncmp(value, "NEAR/", 5) == 0) {
                char *end;
                unsigned long w = strtoul(value + 5, &end, 10);
                if (*end || w == 0 || w > NEAR_MAX) {
                    free(value);
                    return fail(lx, "NEAR/N: N must be a number from 1 to 1000, in '%s'",
                                lx->s);
                }
                op = IT_NEAR;
                window = (unsigned)w;
            }
            if (op) {
                free(value);
                item_t it = { (item_kind_t)op, 0, { QK_WORD, QF_ANY, NULL }, window };
                push(lx, it);
                continue;
            }
        }
        qkind_t kind = quoted ? QK_PHRASE : QK_WORD;
        if (!quoted && vlen > 1 && value[vlen - 1] == '*') {
            value[--vlen] = '\0';
            while (vlen && value[vlen - 1] == '*')
                value[--vlen] = '\0';
            buf_t f = BUF_INIT;
            norm_fold(value, vlen, 0, &f);
            size_t letters = 0;
            for (size_t j = 0; j < f.len; j++)
                letters += ((unsigned char)f.data[j] & 0xC0) != 0x80;
            buf_free(&f);
            if (letters < 2) {
                warn(lx, "a prefix needs at least two letters before '*': searched as a word");
            } else {
                kind = QK_PREFIX;
            }
        }
        item_t it = { IT_TERM, negated, { kind, (qfield_t)field, value }, 0 };
        push(lx, it);
    }
    return 0;
}

static void add_term(qclause_t *cl, qterm_t t)
{
    cl->terms = xrealloc(cl->terms, (cl->n_terms + 1) * sizeof *cl->terms);
    cl->terms[cl->n_terms++] = t;
}

int qparse(const char *text, qparsed_t *q, char **error)
{
    memset(q, 0, sizeof *q);
    *error = NULL;
    size_t len = strlen(text), words = 0;
    for (size_t i = 0; i < len; i++)
        words += (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                  text[i - 1] == '\n') &&
                 text[i] != ' ' && text[i] != '\t' && text[i] != '\n';
    if (len > QPARSE_MAX_BYTES || words > QPARSE_MAX_WORDS) {
        buf_t b = BUF_INIT;
        buf_printf(&b, "query too long (%zu bytes, %zu words): at most %d "
                   "bytes and %d words", len, words, QPARSE_MAX_BYTES,
                   QPARSE_MAX_WORDS);
        *error = b.data;
        return -1;
    }
    lexer_t lx = { text, strlen(text), 0, NULL, 0, 0, q, BUF_INIT, NULL, 0 };
    int r = lex(&lx);
    size_t i = 0;
    while (r == 0 && i < lx.n_items) {
        item_t *it = &lx.items[i];
        if (it->kind != IT_TERM) {
            warn(&lx, it->kind == IT_OR ? "a stray OR is ignored"
                                        : "a stray NEAR is ignored");
            i++;
            continue;
        }
        qclause_t cl = { QC_TERMS, it->negated, NULL, 0, 0 };
        add_term(&cl, it->term);
        it->term.text = NULL; /* moved */
        i++;
        while (i + 1 < lx.n_items && lx.items[i].kind != IT_TERM &&
               lx.items[i + 1].kind == IT_TERM) {
            item_t *op = &lx.items[i];
            int is_or = op->kind == IT_OR;
            if (is_or && cl.kind == QC_NEAR)
                break;
            if (!is_or && cl.kind == QC_TERMS && cl.n_terms > 1)
                break;
            if (!is_or) {
                cl.kind = QC_NEAR;
                if (op->window > cl.window)
                    cl.window = op->window;
            }
            add_term(&cl, lx.items[i + 1].term);
            lx.items[i + 1].term.text = NULL;
            i += 2;
        }
        q->clauses = xrealloc(q->clauses, (q->n_clauses + 1) * sizeof *q->clauses);
        q->clauses[q->n_clauses++] = cl;
    }
    for (size_t j = 0; j < lx.n_items; j++)
        free(lx.items[j].term.text);
    free(lx.items);
    if (r != 0) {
        qparsed_free(q);
        buf_free(&lx.warn);
        *error = lx.error;
        return -1;
    }
    q->warning = lx.warn.data;
    return 0;
}

void qparsed_free(qparsed_t *q)
{
    for (size_t i = 0; i < q->n_clauses; i++) {
        for (size_t j = 0; j < q->clauses[i].n_terms; j++)
            free(q->clauses[i].terms[j].text);
        free(q->clauses[i].terms);
    }
    free(q->clauses);
    for (size_t i = 0; i < q->n_sources; i++)
        free(q->sources[i]);
    free(q->sources);
    free(q->dates);
    free(q->warning);
    memset(q, 0, sizeof *q);
}
