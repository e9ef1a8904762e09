/*
 * reader_html.c: HTML into paragraphs, through libxml2's HTML parser (a
 * forgiving one: it repairs what scrapers and feeds hold). Text nodes are
 * joined; block elements and <br> end a paragraph; script, style and
 * other non-text elements are skipped whole.
 */
#include "reader.h"

#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* Elements that end a paragraph. */
static int is_block(const char *name)
{
    static const char *const blocks[] = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
        "h6", "blockquote", "tr", "table", "section", "article", "header",
        "footer", "pre", "hr", "dd", "dt", "dl", "figcaption", "figure",
        "aside", "nav", "main", "address", "center",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (strcasecmp(name, blocks[i]) == 0)
            return 1;
    return 0;
}

/* Elements whose content is no text of the article. */
static int is_skipped(const char *name)
{
    static const char *const skip[] = {
        "script", "style", "noscript", "iframe", "object", "embed", "head",
        "template", "svg", "math", "button", "select", "textarea", "canvas",
        "audio", "video", "form",
    };
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (strcasecmp(name, skip[i]) == 0)
            return 1;
    return 0;
}

/* The text under ROOT into OUT, depth first, iteratively (hostile input
 * nests deeply). */
static void walk(xmlNode *root, buf_t *out)
{
    xmlNode *n = root;
    while (n) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                buf_puts(out, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && n->name &&
                   !is_skipped((const char *)n->name)) {
            if (is_block((const char *)n->name))
                buf_putc(out, '\n');
            descend = n->children != NULL;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* On to the next sibling, leaving parents (a block's end ends a
         * paragraph); done back at ROOT. */
        while (n) {
            if (n == root) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE && n->name &&
                is_block((const char *)n->name))
                buf_putc(out, '\n');
        }
    }
}

void reader_html_text(article_t *a, const char *html, size_t len)
{
    if (!html || len == 0 || len > (size_t)1 << 30)
        return;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                        HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NOIMPLIED);
    if (!doc)
        return;
    buf_t out = BUF_INIT;
    for (xmlNode *n = doc->children; n; n = n->next)
        walk(n, &out);
    if (out.len)
        article_add_text(a, out.data, out.len);
    buf_free(&out);
    xmlFreeDoc(doc);
}

int reader_looks_html(const char *s, size_t n)
{
    static const char *const marks[] = {"<p", "<P", "<br", "<BR", "</",
                                        "<div", "<img", "<a ", "&nbsp;",
                                        "&quot;", "&amp;", "&#"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (memmem(s, n, marks[i], strlen(marks[i])))
            return 1;
    return 0;
}

void reader_join_line(article_t *tmp, char **field)
{
    buf_t b = BUF_INIT;
    for (size_t i = 0; i < tmp->n_paragraphs; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, tmp->paragraphs[i]);
        free(tmp->paragraphs[i]);
    }
    free(tmp->paragraphs);
    tmp->paragraphs = NULL;
    tmp->n_paragraphs = 0;
    article_set_line(field, b.data ? b.data : "", b.len);
    buf_free(&b);
}
