/*
 * page.c: the HTML of page.h. Every string that comes from the corpus or
 * the request goes through html() (text and attribute values, quoted) or
 * link() (URLs: percent-encoded, then escaped): nothing is written raw.
 */
#include "page.h"

#include <stdio.h>
#include <string.h>

#include "printer.h"

const char page_css[] =
    ":root{--ink:#1d2430;--mute:#5b6474;--line:#dde1e7;--accent:#0b5cad;"
    "--mark:#ffe58a;--bg:#f7f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font-family:\"Noto Naskh Arabic\",\"Noto Sans Arabic\","
    "\"DejaVu Sans\",Tahoma,sans-serif;color:var(--ink);background:var(--bg);"
    "line-height:1.7;font-size:17px}\n"
    "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:"
    "underline}\n"
    "header{background:#fff;border-bottom:1px solid var(--line);"
    "padding:.8rem 1rem}\n"
    "header h1{margin:0 0 .4rem;font-size:1.2rem}header h1 a{color:"
    "var(--ink)}\n"
    "form.search{display:flex;flex-wrap:wrap;gap:.5rem}\n"
    "form.search input[type=search]{flex:1 1 16rem;font:inherit;padding:"
    ".45rem .7rem;border:1px solid #b9c0cc;border-radius:.4rem}\n"
    "form.search select,form.search button{font:inherit;padding:.4rem .8rem;"
    "border:1px solid #b9c0cc;border-radius:.4rem;background:#fff}\n"
    "form.search button{background:var(--accent);color:#fff;border-color:"
    "var(--accent)}\n"
    "main{max-width:68rem;margin:0 auto;padding:1rem}\n"
    ".layout{display:grid;grid-template-columns:1fr;gap:1rem}\n"
    "@media (min-width:800px){.layout{grid-template-columns:14rem 1fr}}\n"
    "aside.facets{align-self:start;background:#fff;border:1px solid "
    "var(--line);"
    "border-radius:.5rem;padding:.6rem .9rem;font-size:.95rem}\n"
    "aside.facets h2{font-size:1rem;margin:.4rem 0}\n"
    "aside.facets ul{list-style:none;margin:0 0 .6rem;padding:0}\n"
    "aside.facets li{display:flex;justify-content:space-between;gap:.5rem}\n"
    "aside.facets .n{color:var(--mute);font-size:.85rem}\n"
    "aside.facets .on{font-weight:bold}\n"
    ".status{color:var(--mute);margin:.2rem 0 .8rem}\n"
    ".filters a{display:inline-block;background:#e8eef7;border-radius:1rem;"
    "padding:0 .7rem;margin-inline-end:.4rem}\n"
    "ol.hits{list-style:none;margin:0;padding:0}\n"
    "ol.hits li{background:#fff;border:1px solid var(--line);border-radius:"
    ".5rem;padding:.7rem 1rem;margin-bottom:.7rem}\n"
    "ol.hits h3{margin:0;font-size:1.1rem}\n"
    ".meta{color:var(--mute);font-size:.9rem;margin:.1rem 0 .3rem}\n"
    ".more{color:var(--mute);font-size:.9rem;margin:.2rem 0}\n"
    ".snippet{margin:0}\n"
    "mark{background:var(--mark);color:inherit;border-radius:.2rem;"
    "padding:0 .1rem}\n"
    "nav.pager{display:flex;justify-content:space-between;align-items:"
    "center;margin:1rem 0}\n"
    ".suggest{background:#fff7e0;border:1px solid #f0d68a;border-radius:"
    ".4rem;padding:.4rem .8rem}\n"
    ".error{background:#fdecec;border:1px solid #f1b5b5;border-radius:.4rem;"
    "padding:.5rem .8rem}\n"
    "article{background:#fff;border:1px solid var(--line);border-radius:"
    ".5rem;padding:1rem 1.3rem}\n"
    "article h2{margin-top:0}\n";

static const char *const months_ar[12] = {
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
    "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
};

/* S (LEN bytes) as HTML text or a quoted attribute value. */
static void html_n(buf_t *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': buf_puts(o, "&amp;"); break;
        case '<': buf_puts(o, "&lt;"); break;
        case '>': buf_puts(o, "&gt;"); break;
        case '"': buf_puts(o, "&quot;"); break;
        case '\'': buf_puts(o, "&#39;"); break;
        default: buf_putc(o, s[i]);
        }
    }
}

static void html(buf_t *o, const char *s)
{
    if (s)
        html_n(o, s, strlen(s));
}

/* S percent-encoded for a URL (all but the unreserved characters). */
static void url_part(buf_t *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            buf_putc(o, (char)*p);
        else
            buf_printf(o, "%%%02X", *p);
    }
}

/* "YYYY-MM" as "يوليو 2015" (other text unchanged). */
static void month_name(buf_t *o, const char *ym)
{
    int y = 0, m = 0;
    if (ym && strlen(ym) == 7 && sscanf(ym, "%4d-%2d", &y, &m) == 2 &&
        m >= 1 && m <= 12)
        buf_printf(o, "%s %d", months_ar[m - 1], y);
    else
        html(o, ym);
}

/* The state of the page a link leads to. */
typedef struct view {
    const char *q;
    search_sort_t sort;
    const char *const *sources;
    size_t n_sources;
    const char *since, *until;
    unsigned offset;
    const char *like;  /* more like this article (like.h), or NULL */
    int story;          /* collapse=story */
} view_t;

static view_t view_of(const search_request_t *r)
{
    view_t v = { r->text, r->sort, r->sources, r->n_sources, r->since,
                 r->until, r->offset, r->like, r->collapse_story };
    return v;
}

static const char *sort_name(search_sort_t s)
{
    return s == SEARCH_DATE_ASC ? "date" : s == SEARCH_DATE_DESC ? "-date"
                                                                 : NULL;
}

/* href="…" of the page V (the URL escaped for the attribute). */
static void href(buf_t *o, const view_t *v)
{
    buf_t u = BUF_INIT;
    buf_puts(&u, "/?q=");
    url_part(&u, v->q ? v->q : "");
    if (sort_name(v->sort)) {
        buf_puts(&u, "&sort=");
        url_part(&u, sort_name(v->sort));
    }
    for (size_t i = 0; i < v->n_sources; i++) {
        buf_puts(&u, "&source=");
        url_part(&u, v->sources[i]);
    }
    if (v->since) {
        buf_puts(&u, "&since=");
        url_part(&u, v->since);
    }
    if (v->until) {
        buf_puts(&u, "&until=");
        url_part(&u, v->until);
    }
    if (v->story)
        buf_puts(&u, "&collapse=story");
    if (v->offset)
        buf_printf(&u, "&offset=%u", v->offset);
    if (v->like) {
        buf_puts(&u, "&like=");
        url_part(&u, v->like);
    }
    buf_puts(o, " href=\"");
    html_n(o, u.data ? u.data : "", u.len);
    buf_putc(o, '"');
    buf_free(&u);
}

static void article_href(buf_t *o, const char *id)
{
    buf_t u = BUF_INIT;
    buf_puts(&u, "/article/");
    url_part(&u, id ? id : "");
    buf_puts(o, " href=\"");
    html_n(o, u.data, u.len);
    buf_putc(o, '"');
    buf_free(&u);
}

/* A link to the articles on the same subject as article ID. */
static void like_link(buf_t *o, const char *id)
{
    view_t v = { NULL, SEARCH_RELEVANCE, NULL, 0, NULL, NULL, 0, id, 0 };
    buf_puts(o, "<a class=\"like\"");
    href(o, &v);
    buf_puts(o, ">في الموضوع نفسه</a>");
}

static void head(buf_t *o, const char *title, const char *q,
                 const search_request_t *req)
{
    buf_puts(o, "<!doctype html>\n<html lang=\"ar\" dir=\"rtl\"><head>"
                "<meta charset=\"utf-8\"><meta name=\"viewport\" "
                "content=\"width=device-width, initial-scale=1\"><title>");
    html(o, title);
    buf_puts(o, "</title><link rel=\"stylesheet\" href=\"/style.css\">"
                "</head>\n<body><header><h1><a href=\"/\">أرشيف الأخبار"
                "</a></h1><form class=\"search\" action=\"/\" method=\"get\" "
                "role=\"search\"><input type=\"search\" name=\"q\" "
                "aria-label=\"كلمات البحث\" placeholder=\"ابحث في الأخبار…\" "
                "value=\"");
    html(o, q);
    buf_puts(o, "\"><select name=\"sort\" aria-label=\"الترتيب\">");
    static const struct { const char *v, *label; search_sort_t s; } sorts[] = {
        { "relevance", "الأكثر صلة", SEARCH_RELEVANCE },
        { "-date", "الأحدث أولًا", SEARCH_DATE_DESC },
        { "date", "الأقدم أولًا", SEARCH_DATE_ASC },
    };
    search_sort_t cur = req ? req->sort : SEARCH_RELEVANCE;
    for (size_t i = 0; i < sizeof sorts / sizeof *sorts; i++)
        buf_printf(o, "<option value=\"%s\"%s>%s</option>", sorts[i].v,
                   sorts[i].s == cur ? " selected" : "", sorts[i].label);
    buf_puts(o, "</select>");
    /* the filters in force stay with a new query */
    for (size_t i = 0; req && i < req->n_sources; i++) {
        buf_puts(o, "<input type=\"hidden\" name=\"source\" value=\"");
        html(o, req->sources[i]);
        buf_puts(o, "\">");
    }
    if (req && req->since) {
        buf_puts(o, "<input type=\"hidden\" name=\"since\" value=\"");
        html(o, req->since);
        buf_puts(o, "\">");
    }
    if (req && req->until) {
        buf_puts(o, "<input type=\"hidden\" name=\"until\" value=\"");
        html(o, req->until);
        buf_puts(o, "\">");
    }
    if (req && req->like) { /* words typed then narrow the like list */
        buf_puts(o, "<input type=\"hidden\" name=\"like\" value=\"");
        html(o, req->like);
        buf_puts(o, "\">");
    }
    buf_printf(o, "<label class=\"story\"><input type=\"checkbox\" "
                  "name=\"collapse\" value=\"story\"%s> خبر واحد لكل "
                  "قصة</label>", req && req->collapse_story ? " checked" : "");
    buf_puts(o, "<button type=\"submit\">ابحث</button></form></header>\n"
                "<main>");
}

static void foot(buf_t *o)
{
    buf_puts(o, "</main></body></html>\n");
}

/* The active filters, each with a link that removes it. */
static void filters(buf_t *o, const search_request_t *req)
{
    if (!req->n_sources && !req->since && !req->until)
        return;
    buf_puts(o, "<p class=\"filters\">");
    view_t base = view_of(req);
    base.offset = 0;
    for (size_t i = 0; i < req->n_sources; i++) {
        const char *rest[32];
        size_t n = 0;
        for (size_t j = 0; j < req->n_sources && n < 32; j++)
            if (j != i)
                rest[n++] = req->sources[j];
        view_t v = base;
        v.sources = rest;
        v.n_sources = n;
        buf_puts(o, "<a class=\"filter\"");
        href(o, &v);
        buf_puts(o, " title=\"إزالة التصفية\">× ");
        html(o, req->sources[i]);
        buf_puts(o, "</a>");
    }
    if (req->since || req->until) {
        view_t v = base;
        v.since = v.until = NULL;
        buf_puts(o, "<a class=\"filter\"");
        href(o, &v);
        buf_puts(o, " title=\"إزالة التصفية\">× ");
        if (req->since && req->until && strcmp(req->since, req->until) == 0)
            month_name(o, req->since);
        else {
            html(o, req->since ? req->since : "…");
            buf_puts(o, " – ");
            html(o, req->until ? req->until : "…");
        }
        buf_puts(o, "</a>");
    }
    buf_puts(o, "</p>");
}

static void facets(buf_t *o, const search_request_t *req,
                   const search_result_t *res)
{
    buf_puts(o, "<aside class=\"facets\">");
    const search_facet_t *f = &res->facets[SEARCH_FACET_SOURCE];
    view_t base = view_of(req);
    base.offset = 0;
    if (f->n_values) {
        buf_puts(o, "<h2>المصدر</h2><ul class=\"facet-source\">");
        for (size_t i = 0; i < f->n_values && i < 20; i++) {
            const char *one[1] = { f->values[i].value };
            view_t v = base;
            v.sources = one;
            v.n_sources = 1;
            buf_puts(o, "<li><a");
            href(o, &v);
            buf_puts(o, ">");
            html(o, f->values[i].value);
            buf_printf(o, "</a><span class=\"n\">%lu</span></li>",
                       f->values[i].count);
        }
        buf_puts(o, "</ul>");
    }
    f = &res->facets[SEARCH_FACET_MONTH];
    if (f->n_values) {
        buf_puts(o, "<h2>الشهر</h2><ul class=\"facet-month\">");
        for (size_t i = 0; i < f->n_values && i < 24; i++) {
            view_t v = base;
            v.since = v.until = f->values[i].value;
            buf_puts(o, "<li><a");
            href(o, &v);
            buf_puts(o, ">");
            month_name(o, f->values[i].value);
            buf_printf(o, "</a><span class=\"n\">%lu</span></li>",
                       f->values[i].count);
        }
        buf_puts(o, "</ul>");
    }
    buf_puts(o, "</aside>");
}

/* The snippet with its highlights as <mark>: the words as written. */
static void snippet(buf_t *o, const search_hit_t *h)
{
    const char *s = h->snippet ? h->snippet : "";
    size_t at = 0, len = strlen(s);
    buf_puts(o, "<p class=\"snippet\">");
    for (size_t i = 0; i < h->n_marks; i++) {
        size_t b = h->marks[i][0], e = h->marks[i][1];
        if (b < at || e > len || b >= e)
            continue;
        html_n(o, s + at, b - at);
        buf_puts(o, "<mark>");
        html_n(o, s + b, e - b);
        buf_puts(o, "</mark>");
        at = e;
    }
    html_n(o, s + at, len - at);
    buf_puts(o, "</p>");
}

static void hit(buf_t *o, const search_hit_t *h)
{
    buf_puts(o, "<li class=\"hit\"><h3><a");
    article_href(o, h->id);
    buf_puts(o, ">");
    html(o, h->title && *h->title ? h->title : h->id);
    buf_puts(o, "</a></h3><p class=\"meta\">");
    if (h->date) {
        buf_puts(o, "<time datetime=\"");
        html(o, h->date);
        buf_puts(o, "\">");
        html(o, h->date);
        buf_puts(o, "</time>");
    }
    if (h->source) {
        buf_puts(o, h->date ? " · <span class=\"source\">"
                            : "<span class=\"source\">");
        html(o, h->source);
        buf_puts(o, "</span>");
    }
    if (h->parent) {
        buf_puts(o, " · ذات صلة بـ<a");
        article_href(o, h->parent);
        buf_puts(o, ">");
        html(o, h->parent);
        buf_puts(o, "</a>");
    }
    if (h->id) {
        buf_puts(o, " · ");
        like_link(o, h->id);
    }
    buf_puts(o, "</p>");
    snippet(o, h);
    if (h->n_same) { /* --collapse story: the story's other articles */
        buf_t more = BUF_INIT;
        hit_t ph = printer_hit(h, NULL, 0);
        printer_more(&more, &ph, "أخرى", "، ");
        buf_puts(o, "<p class=\"more\">");
        html(o, more.data);
        buf_puts(o, "</p>");
        buf_free(&more);
    }
    buf_puts(o, "</li>");
}

static void pager(buf_t *o, const search_request_t *req,
                  const search_result_t *res)
{
    unsigned per = req->limit ? req->limit : 10;
    /* with stories TOTAL counts articles: a full page may have more */
    int more = req->collapse_story ? res->n_hits >= per
                                   : req->offset + res->n_hits < res->total;
    if (!req->offset && !more)
        return;
    view_t v = view_of(req);
    buf_puts(o, "<nav class=\"pager\" aria-label=\"الصفحات\">");
    if (req->offset) {
        v.offset = req->offset > per ? req->offset - per : 0;
        buf_puts(o, "<a rel=\"prev\"");
        href(o, &v);
        buf_puts(o, ">→ السابق</a>");
    } else {
        buf_puts(o, "<span></span>");
    }
    unsigned long pages = (res->total + per - 1) / per;
    buf_printf(o, "<span class=\"page\">الصفحة %u من %lu</span>",
               req->offset / per + 1, pages ? pages : 1);
    if (more) {
        v.offset = req->offset + per;
        buf_puts(o, "<a rel=\"next\"");
        href(o, &v);
        buf_puts(o, ">التالي ←</a>");
    } else {
        buf_puts(o, "<span></span>");
    }
    buf_puts(o, "</nav>");
}

void page_search(buf_t *o, const search_request_t *req,
                 const search_result_t *res, const char *error)
{
    buf_t title = BUF_INIT;
    if (req->text && *req->text) {
        buf_puts(&title, req->text);
        buf_puts(&title, " — ");
    }
    if (req->like) {
        buf_puts(&title, "في موضوع ");
        buf_puts(&title, req->like);
        buf_puts(&title, " — ");
    }
    buf_puts(&title, "أرشيف الأخبار");
    head(o, buf_cstr(&title), req->text, req);
    buf_free(&title);
    if (error) {
        buf_puts(o, "<p class=\"error\" role=\"alert\">");
        html(o, error);
        buf_puts(o, "</p>");
    }
    if ((!req->text && !req->like) || !res || error) {
        foot(o);
        return;
    }
    if (req->like) {
        buf_puts(o, "<p class=\"status\">مقالات في موضوع المقالة <a");
        article_href(o, req->like);
        buf_puts(o, ">");
        html(o, req->like);
        buf_puts(o, "</a></p>");
    }
    filters(o, req);
    buf_puts(o, "<div class=\"layout\">");
    facets(o, req, res);
    buf_puts(o, "<section class=\"results\">");
    if (res->n_hits)
        buf_printf(o, "<p class=\"status\">%s%lu نتيجة</p>",
                   res->total_exact ? "" : "نحو ", res->total);
    else
        buf_puts(o, "<p class=\"status\">لا توجد نتائج.</p>");
    if (res->relaxed)
        buf_puts(o, "<p class=\"status\">لا مقالة تطابق الاستعلام حرفيًا؛ "
                    "هذه أقرب النتائج.</p>");
    if (res->suggestion) {
        view_t v = view_of(req);
        v.q = res->suggestion;
        v.offset = 0;
        buf_puts(o, "<p class=\"suggest\">هل تقصد: <a class=\"suggestion\"");
        href(o, &v);
        buf_puts(o, ">");
        html(o, res->suggestion);
        buf_puts(o, "</a>؟</p>");
    }
    if (res->n_hits) {
        buf_printf(o, "<ol class=\"hits\" start=\"%u\">", req->offset + 1);
        for (size_t i = 0; i < res->n_hits; i++)
            hit(o, &res->hits[i]);
        buf_puts(o, "</ol>");
    }
    pager(o, req, res);
    buf_puts(o, "</section></div>");
    foot(o);
}

void page_article(buf_t *o, const stored_article_t *a)
{
    head(o, a->title ? a->title : a->id, NULL, NULL);
    buf_puts(o, "<article><h2>");
    html(o, a->title);
    buf_puts(o, "</h2><p class=\"meta\">");
    html(o, a->date ? a->date : "");
    if (a->source) {
        buf_puts(o, a->date ? " · " : "");
        html(o, a->source);
    }
    if (a->id) {
        buf_puts(o, " · ");
        like_link(o, a->id);
    }
    buf_puts(o, "</p>");
    const char *t = a->text ? a->text : "";
    while (*t) {
        size_t n = strcspn(t, "\n");
        if (n) {
            buf_puts(o, "<p>");
            html_n(o, t, n);
            buf_puts(o, "</p>");
        }
        t += n + (t[n] == '\n');
    }
    if (a->keywords) {
        buf_puts(o, "<p class=\"meta\">كلمات دلالية: ");
        html(o, a->keywords);
        buf_puts(o, "</p>");
    }
    if (a->parent) {
        buf_puts(o, "<p>نُشرت بعد المقالة <a");
        article_href(o, a->parent);
        buf_puts(o, ">");
        html(o, a->parent);
        buf_puts(o, "</a></p>");
    }
    if (a->n_related) {
        buf_puts(o, "<h3>إقرأ أيضاً</h3><ul class=\"related\">");
        for (size_t i = 0; i < a->n_related; i++) {
            buf_puts(o, "<li><a");
            article_href(o, a->related[i]);
            buf_puts(o, ">");
            html(o, a->related[i]);
            buf_puts(o, "</a></li>");
        }
        buf_puts(o, "</ul>");
    }
    buf_puts(o, "</article>");
    foot(o);
}

void page_message(buf_t *o, const char *title, const char *message)
{
    head(o, title, NULL, NULL);
    buf_puts(o, "<p class=\"error\" role=\"alert\">");
    html(o, message);
    buf_puts(o, "</p>");
    foot(o);
}
