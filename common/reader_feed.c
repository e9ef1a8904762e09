/*
 * reader_feed.c: RSS 2.0, RSS 1.0 (RDF) and Atom files, parsed by libxml2.
 *
 * Each item (RSS) or entry (Atom), child of the root or of its <channel>,
 * is an article:
 *   title     <title> (Atom type="html"/"xhtml": markup turned into text)
 *   body      <content:encoded>, else <content>, else <description> or
 *             <summary>; HTML turned into text (reader_html_text)
 *   date      <pubDate>, <published>, <updated>, <dc:date> (dates.h)
 *   source    the item's <source> (text, or its <title>), else the
 *             feed's <title>
 *   keywords  <category> (text or term="…"), <dc:subject>, joined by "، "
 *   id        <guid> or <id>, else the link, else "RELNAME:#N"
 *
 * Safety: the network is never used (XML_PARSE_NONET), entities are not
 * substituted (no XML_PARSE_NOENT: no external entity is ever read, and
 * the text of an entity reference is skipped, so an entity bomb expands
 * nothing), and text is gathered without recursion. A file that is not
 * well-formed is read as far as libxml2's recovery goes (which may stop at
 * the first error), and the error is reported with its line.
 */
#include "reader.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dates.h"

static int named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcmp((const char *)n->name, name) == 0;
}

/* The first child element of N named NAME, or NULL. */
static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* The text and CDATA under N (entity references skipped), into OUT
 * (appended), depth first without recursion. */
static void gather(const xmlNode *n, buf_t *out)
{
    const xmlNode *c = n->children;
    while (c) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content)
            buf_puts(out, (const char *)c->content);
        if (c->type == XML_ELEMENT_NODE && c->children) {
            c = c->children;
            continue;
        }
        while (c && !c->next && c->parent != n)
            c = c->parent;
        c = c ? c->next : NULL;
    }
}

/* An attribute's value (malloc'd by libxml2: xmlFree), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* The markup under an Atom type="xhtml" element, serialised. */
static void xhtml_of(xmlDoc *doc, const xmlNode *n, buf_t *out)
{
    xmlBuffer *b = xmlBufferCreate();
    if (!b)
        return;
    for (xmlNode *c = n->children; c; c = c->next)
        xmlNodeDump(b, doc, c, 0, 0);
    buf_append(out, xmlBufferContent(b), (size_t)xmlBufferLength(b));
    xmlBufferFree(b);
}

/* The content of element N as text, HTML or XHTML by its type into A's
 * paragraphs (BODY) or into *LINE (one line). */
static void content(xmlDoc *doc, const xmlNode *n, article_t *a, char **line)
{
    buf_t t = BUF_INIT;
    char *type = attr(n, "type");
    int xhtml = type && strcmp(type, "xhtml") == 0;
    int html = type && (strcmp(type, "html") == 0 ||
                        strcmp(type, "text/html") == 0);
    if (xhtml)
        xhtml_of(doc, n, &t);
    else
        gather(n, &t);
    if (type)
        xmlFree(type);
    const char *s = t.data ? t.data : "";
    /* RSS says nothing of the type: markup is recognised by its look. */
    int markup = xhtml || html || reader_looks_html(s, t.len);
    article_t tmp;
    memset(&tmp, 0, sizeof tmp);
    article_t *dst = line ? &tmp : a;
    if (markup)
        reader_html_text(dst, s, t.len);
    else
        article_add_text(dst, s, t.len);
    if (line)
        reader_join_line(&tmp, line);
    buf_free(&t);
}

/* Plain text of element N on one line into *FIELD. */
static void plain(const xmlNode *n, char **field)
{
    buf_t t = BUF_INIT;
    gather(n, &t);
    article_set_line(field, t.data ? t.data : "", t.len);
    buf_free(&t);
}

/* The item's link: RSS <link>text</link>, Atom <link href> (the alternate
 * one, or the first). */
static char *link_of(const xmlNode *item)
{
    char *best = NULL;
    for (xmlNode *c = item->children; c; c = c->next) {
        if (!named(c, "link"))
            continue;
        char *href = attr(c, "href");
        if (!href) {
            char *text = NULL;
            plain(c, &text);
            if (text) {
                free(best);
                return text;
            }
            continue;
        }
        char *rel = attr(c, "rel");
        int alternate = !rel || strcmp(rel, "alternate") == 0;
        if (rel)
            xmlFree(rel);
        if (!best || alternate) {
            free(best);
            best = NULL;
            article_set_line(&best, href, strlen(href)); /* valid UTF-8 */
        }
        xmlFree(href);
        if (alternate)
            break;
    }
    return best;
}

static void item_to_article(xmlDoc *doc, const xmlNode *item,
                            const char *feed_title, size_t number,
                            const reader_opts_t *o, article_set_t *set)
{
    char *title = NULL;
    xmlNode *n = child(item, "title");
    if (n)
        content(doc, n, NULL, &title);
    if (!title) {
        char where[48];
        snprintf(where, sizeof where, "item %zu", number);
        o->on_bad(o->ctx, where, "no title");
        return;
    }
    article_t *a = article_set_add(set);
    a->title = title;
    if ((n = child(item, "encoded")) || (n = child(item, "content")) ||
        (n = child(item, "description")) || (n = child(item, "summary")))
        content(doc, n, a, NULL);

    static const char *const date_names[] = {"pubDate", "published", "date",
                                             "updated", "issued", "modified"};
    for (size_t i = 0; !a->date && i < sizeof date_names / sizeof *date_names;
         i++) {
        char *d = NULL;
        char out[11];
        if ((n = child(item, date_names[i])))
            plain(n, &d);
        if (d && date_parse(d, strlen(d), out))
            a->date = xstrdup(out);
        free(d);
    }

    if ((n = child(item, "source"))) {
        xmlNode *t = child(n, "title");
        plain(t ? t : n, &a->source);
    }
    if (!a->source && feed_title)
        a->source = xstrdup(feed_title);

    buf_t kw = BUF_INIT;
    for (xmlNode *c = item->children; c; c = c->next) {
        if (!named(c, "category") && !named(c, "subject"))
            continue;
        char *term = attr(c, "term"), *text = NULL;
        if (term) {
            article_set_line(&text, term, strlen(term));
            xmlFree(term);
        } else {
            plain(c, &text);
        }
        if (text) {
            if (kw.len)
                buf_puts(&kw, "، ");
            buf_puts(&kw, text);
            free(text);
        }
    }
    if (kw.len)
        article_set_line(&a->keywords, kw.data, kw.len);
    buf_free(&kw);

    if ((n = child(item, "guid")) || (n = child(item, "id")))
        plain(n, &a->id);
    if (!a->id)
        a->id = link_of(item);
    if (!a->id) {
        buf_t id = BUF_INIT;
        buf_printf(&id, "%s:#%zu", o->name, number);
        a->id = id.data;
    }
}

int reader_feed(const char *data, size_t len, const reader_opts_t *o,
                article_set_t *set, reader_result_t *res,
                const char **reason)
{
    res->end = len;
    if (len > INT_MAX) {
        *reason = "feed too large";
        return -1;
    }
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        *reason = "out of memory";
        return -1;
    }
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR |
                                        XML_PARSE_NOWARNING |
                                        XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root && !ctxt->wellFormed) {
        /* Recovered: what came before the error is read, and said. */
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char where[48];
        buf_t why = BUF_INIT;
        snprintf(where, sizeof where, "line %d", e ? e->line : 0);
        buf_printf(&why, "not well-formed XML (%s): items from there on "
                   "may be missing", e && e->message ? e->message : "?");
        while (why.len && (why.data[why.len - 1] == '\n' ||
                           why.data[why.len - 1] == ' '))
            why.data[--why.len] = '\0';
        char *nl;
        while ((nl = strchr(why.data, '\n')))
            *nl = ' ';
        o->on_bad(o->ctx, where, why.data);
        buf_free(&why);
        res->bad++;
    }
    xmlFreeParserCtxt(ctxt);
    if (!root || !(named(root, "rss") || named(root, "feed") ||
                   named(root, "RDF"))) {
        *reason = root ? "XML, but not an RSS or Atom feed"
                       : "not well-formed XML";
        xmlFreeDoc(doc);
        return -1;
    }
    xmlNode *channel = child(root, "channel");
    char *feed_title = NULL;
    xmlNode *t = child(root, "title");
    if (!t && channel)
        t = child(channel, "title");
    if (t)
        plain(t, &feed_title);
    size_t number = 0;
    for (int pass = 0; pass < 2; pass++) {
        xmlNode *parent = pass == 0 ? root : channel;
        if (!parent)
            continue;
        for (xmlNode *c = parent->children; c; c = c->next)
            if (named(c, "item") || named(c, "entry"))
                item_to_article(doc, c, feed_title, ++number, o, set);
    }
    res->bad += number - set->n;
    free(feed_title);
    xmlFreeDoc(doc);
    return 0;
}
