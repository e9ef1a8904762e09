/*
 * article.h: parsing one article file into the main article and the related
 * articles that follow "إقرأ أيضاً:".
 *
 * File format (reference: ../shared/seeds/000_88b3e027f580fa3f.txt):
 *   1. title: the first non-empty line;
 *   2. optional "تاريخ النشر: 29th, November 2023 GMT" (publication date,
 *      any form dates.h reads);
 *   3. body paragraphs, one per line;
 *   4. optional "المصدر: …" (source) and "كلمات دلالية: …" (keywords);
 *   5. optional "إقرأ أيضاً:" (also اقرأ أيضا, إقرأ أيضا, …) followed by one
 *      or more other articles: a title line, which may carry its own
 *      "المصدر: …" glued to its end, then their body.
 *
 * Input bytes may carry a UTF-8 BOM, CRLF or CR line ends, UTF-16 with a BOM,
 * windows-1256, invalid UTF-8 or binary data: article_parse converts what can
 * be converted and says why it rejects the rest.
 */
#ifndef NX_ARTICLE_H
#define NX_ARTICLE_H

#include <stddef.h>

typedef struct article {
    char *title;          /* never NULL; trimmed UTF-8 */
    char *date;           /* "YYYY-MM-DD", or NULL when absent/unparseable */
    char *source;         /* trimmed, or NULL */
    char *keywords;       /* the text after "كلمات دلالية:", or NULL */
    char **paragraphs;    /* body paragraphs, trimmed, none empty */
    size_t n_paragraphs;
    int related;          /* 0: the main article; k>0: k-th related article */
    char *id;             /* a reader's stable id (reader.h), or NULL: the
                           * build derives it from the file's name */
} article_t;

typedef enum article_status {
    ART_OK = 0,
    ART_EMPTY,      /* no bytes, or only white space */
    ART_BINARY,     /* NUL bytes or a binary signature (PNG, ELF, …) */
    ART_NO_TITLE,   /* no usable title line */
    ART_ENCODING,   /* bytes that are neither UTF-8/16 nor windows-1256 */
} article_status_t;

/* Flags describing repairs made to a file that parsed (ART_OK). */
enum {
    ART_FIXED_BOM = 1,        /* a UTF-8 BOM was removed */
    ART_FIXED_CRLF = 2,       /* CR or CRLF line ends */
    ART_FROM_UTF16 = 4,       /* converted from UTF-16 (BOM) */
    ART_FROM_CP1256 = 8,      /* converted from windows-1256 */
    ART_FIXED_UTF8 = 16,      /* invalid UTF-8 sequences replaced by U+FFFD */
    ART_FIXED_CONTROLS = 32,  /* control characters removed */
};

typedef struct article_set {
    article_t *items;     /* items[0] is the main article, then related ones */
    size_t n;
    unsigned flags;       /* ART_FIXED_* / ART_FROM_* */
} article_set_t;

/*
 * Parse LEN bytes of one article file. On ART_OK, *SET holds at least one
 * article (free with article_set_free). On any other status *SET is empty
 * and, if REASON is not NULL, *REASON points to a fixed English phrase
 * ("empty file", "binary file (PNG image)", …) for the diagnostic.
 * The input need not be NUL-terminated and is not modified.
 */
article_status_t article_parse(const char *data, size_t len,
                               article_set_t *set, const char **reason);

/* Free what article_parse allocated; SET becomes empty. Accepts an empty set. */
void article_set_free(article_set_t *set);

/*
 * Building articles from other formats (the readers of reader.h), with the
 * same guarantees as article_parse: fields trimmed, on one line, no control
 * characters, paragraphs non-empty. The text must be UTF-8.
 *
 * article_set_add: a new, zeroed main article at the end of SET.
 * article_set_line: *FIELD (freed first) becomes the N bytes of S on one
 * line (line ends, tabs and runs of spaces become one space), or NULL when
 * that is empty.
 * article_add_text: append the lines of S (N bytes; LF, CR or CRLF) as
 * paragraphs, empty ones skipped.
 */
article_t *article_set_add(article_set_t *set);
void article_set_line(char **field, const char *s, size_t n);
void article_add_text(article_t *a, const char *s, size_t n);

#endif /* NX_ARTICLE_H */
