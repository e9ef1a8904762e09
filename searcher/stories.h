/*
 * stories.h: --collapse story, one hit per story among the ranked hits.
 *
 * Groups are formed when searching, never at build time: the signatures
 * (SLOT_STORY, story.h) depend on each article alone, so the groups are
 * the same in one database, in shards and after any incremental build.
 * The hits are read in rank order; each joins the story of the first
 * earlier hit whose signature story_same() matches, or starts a new one
 * (its first hit is the one shown). Joining through any hit of a story,
 * not its first only, keeps together two outlets' edits of one wire story
 * that differ from each other more than from the original (one edits the
 * title, the other cuts the end). It cannot chain two different stories:
 * a hit joins at an estimated Jaccard similarity of 1/2 or more, and a
 * text at least half like each of two disjoint texts would have to be
 * exactly both of them. Two stories already formed are never merged.
 * The stories of a longer list start with those of a shorter one, so
 * pages agree with each other; groups are formed among the top
 * stories_window() hits.
 */
#ifndef NX_STORIES_H
#define NX_STORIES_H

#include <stddef.h>
#include <stdint.h>

#include "nx.h"
#include "order.h"
#include "search.h"

/* Hits fetched to fill a page ending at hit END (offset + limit) with
 * stories: at least 300, else three hits per story shown. */
uint32_t stories_window(uint32_t end);

typedef struct story_member {
    size_t leader;   /* hit index (shown_t.idx) of its story's first hit */
    shown_t hit;     /* the member (its strings moved here) */
} story_member_t;

/*
 * Keep in V (N hits of HITS in rank order) the first hit of each story;
 * the others move to MEMBERS (room for N), in rank order, *N_MEMBERS of
 * them. Returns the number of hits left in V.
 */
size_t stories_group(nx_hits_t *hits, shown_t *v, size_t n,
                     story_member_t *members, size_t *n_members);

/* H (the page's hit of hit index LEADER) gets the ids and sources of its
 * story's members (M, N of them). */
void stories_attach(nx_hits_t *hits, const story_member_t *m, size_t n,
                    size_t leader, search_hit_t *h);

#endif
