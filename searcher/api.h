/*
 * api.h: the bodies of newsq --serve's JSON API (jansson). Hits and facets
 * are the very records newsq --format json --facets prints (printer.h),
 * read back into the answer, so the two never differ.
 */
#ifndef NX_API_H
#define NX_API_H

#include "search.h"
#include "stored.h"

/* Each returns a malloc'd JSON text (one object and a newline). */

/* /api/search: {"query","offset","limit","total","exact","relaxed",
 * "warning","hits":[…],"suggestion","facets":{"source":[…],"month":[…]},
 * "explain":{"parsed","words"} (with explain)}; "facets" is null when
 * the request said facets=0. */
char *api_search(const search_request_t *req, const search_result_t *res);
/* /api/article/ID: {"id","title","date","source","keywords","paragraphs",
 * "parent","related"}. */
char *api_article(const stored_article_t *a);
/* /healthz: {"status":"ok","documents","built"}. */
char *api_health(unsigned long documents, const char *built);
/* Any failure: {"error": MESSAGE, "status": HTTP_STATUS}. */
char *api_error(int http_status, const char *message);

#endif
