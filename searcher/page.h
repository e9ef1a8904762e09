/*
 * page.h: the search page of newsq --serve, rendered on the server: plain
 * HTML links and forms (it works without JavaScript and has none), Arabic,
 * right to left, one style sheet built into the program (page_css). Every
 * text from the corpus or the request is escaped.
 */
#ifndef NX_PAGE_H
#define NX_PAGE_H

#include "search.h"
#include "stored.h"
#include "util.h"

/* The style sheet served at /style.css. */
extern const char page_css[];

/* The page at / for REQ: the form alone when REQ->text is NULL, else RES's
 * hits, facets, paging and suggestion; ERROR (or NULL) a message shown in
 * place of hits (a query error, an index missing). Appended to OUT. */
void page_search(buf_t *out, const search_request_t *req,
                 const search_result_t *res, const char *error);
/* The article view at /article/ID. */
void page_article(buf_t *out, const stored_article_t *a);
/* A page with a message alone (404, 503, ...). */
void page_message(buf_t *out, const char *title, const char *message);

#endif
