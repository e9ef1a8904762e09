/*
 * stories.c: see stories.h.
 */
#include "stories.h"

#include <stdlib.h>

#include "schema.h"
#include "story.h"
#include "util.h"

#define STORY_POOL 300

uint32_t stories_window(uint32_t end)
{
    if (end > UINT32_MAX / 3)
        return UINT32_MAX;
    return 3 * end > STORY_POOL ? 3 * end : STORY_POOL;
}

/* Hit I's signature (*LEN 0: none). */
static const char *signature(nx_hits_t *hits, size_t i, size_t *len)
{
    const nx_doc_t *d = nx_hits_doc(hits, i);
    *len = 0;
    return d ? nx_doc_value(d, SLOT_STORY, len) : NULL;
}

size_t stories_group(nx_hits_t *hits, shown_t *v, size_t n,
                     story_member_t *members, size_t *n_members)
{
    /* every hit seen so far: its signature and its story (index in V) */
    const char **sig = xcalloc(n + 1, sizeof *sig);
    size_t *len = xcalloc(n + 1, sizeof *len), *story = xcalloc(n + 1,
                                                                sizeof *story);
    size_t kept = 0;
    *n_members = 0;
    for (size_t i = 0; i < n; i++) {
        sig[i] = signature(hits, v[i].idx, &len[i]);
        size_t j = 0;
        while (len[i] && j < i &&
               !(len[j] && story_same(sig[j], len[j], sig[i], len[i])))
            j++;
        if (len[i] && j < i) { /* the story of the first hit like it */
            story[i] = story[j];
            members[*n_members].leader = v[story[i]].idx;
            members[*n_members].hit = v[i];
            (*n_members)++;
        } else {
            story[i] = kept;
            v[kept++] = v[i];
        }
    }
    free(sig);
    free(len);
    free(story);
    return kept;
}

void stories_attach(nx_hits_t *hits, const story_member_t *m, size_t n,
                    size_t leader, search_hit_t *h)
{
    for (size_t i = 0; i < n; i++) {
        if (m[i].leader != leader)
            continue;
        if (!h->same_ids) {
            h->same_ids = xcalloc(n + 1, sizeof *h->same_ids);
            h->same_sources = xcalloc(n + 1, sizeof *h->same_sources);
        }
        const nx_doc_t *d = nx_hits_doc(hits, m[i].hit.idx);
        size_t dlen = 0;
        const char *data = d ? nx_doc_data(d, &dlen) : "";
        h->same_ids[h->n_same] =
            xstrdup(m[i].hit.id ? m[i].hit.id : "");
        h->same_sources[h->n_same] = docdata_dup(data, dlen, DATA_SOURCE);
        h->n_same++;
    }
}
