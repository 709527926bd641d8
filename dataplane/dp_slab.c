/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_slab: see dp_slab.h. A chunk is DP_SLAB_USABLE bytes aligned to
 * DP_SLAB_CHUNK, so an object finds its chunk by masking its address; the chunk's
 * first cache line is its header, the objects follow. Chunks with a free
 * object are on the slab's avail list (doubly linked); a full chunk is on
 * no list, and an empty one is freed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "dp_slab.h"

#if defined(__SANITIZE_ADDRESS__)
#define DP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DP_ASAN 1
#endif
#endif
#ifdef DP_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) do { (void)(p); (void)(n); } while (0)
#define UNPOISON(p, n) do { (void)(p); (void)(n); } while (0)
#endif

/* 16 KB: 84 records of 192 bytes or 126 states of 128 after the header. */
#define DP_SLAB_CHUNK 16384u

/*
 * A chunk asks rte_malloc for DP_SLAB_CHUNK less this, aligned to
 * DP_SLAB_CHUNK. rte_malloc puts its element header (a cache line) in front
 * of the data and carves aligned blocks from the top of a free area: a
 * request of the whole 16 KB left a hole of 16 KB less a header between
 * two chunks, which nothing of ours could use (measured: one free element
 * per chunk, the slab's memory twice what its chunks hold, and the search
 * through those holes made flow set-up slower as flows grew: 17 -> 83
 * us/flow toward 2M records). Two lines less make consecutive chunks
 * adjacent, a line apart at most.
 */
#define DP_SLAB_ELEM_ROOM (2u * RTE_CACHE_LINE_SIZE)
#define DP_SLAB_USABLE (DP_SLAB_CHUNK - DP_SLAB_ELEM_ROOM)

struct dp_slab_chunk {
	struct dp_slab_chunk *next;   /* on avail */
	struct dp_slab_chunk *prev;
	void *free;                   /* free objects, linked by first word */
	uint32_t nfree;
	uint32_t n;                   /* objects in the chunk */
} __rte_cache_aligned;

_Static_assert(sizeof(struct dp_slab_chunk) == RTE_CACHE_LINE_SIZE,
	       "the chunk header is one cache line");

static void
avail_unlink(struct dp_slab *s, struct dp_slab_chunk *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->avail = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

static void
avail_push(struct dp_slab *s, struct dp_slab_chunk *c)
{
	c->prev = NULL;
	c->next = s->avail;
	if (s->avail != NULL)
		s->avail->prev = c;
	s->avail = c;
}

static struct dp_slab_chunk *
chunk_new(struct dp_slab *s)
{
	struct dp_slab_chunk *c;
	uint8_t *o;
	uint32_t i, n = (DP_SLAB_USABLE - sizeof(*c)) / s->obj;

	c = rte_malloc(s->name, DP_SLAB_USABLE, DP_SLAB_CHUNK);
	if (c == NULL)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->n = n;
	c->nfree = n;
	/* free list in address order: the first objects are used first */
	o = (uint8_t *)(c + 1);
	for (i = 0; i < n; i++, o += s->obj) {
		*(void **)o = i + 1 < n ? o + s->obj : NULL;
		POISON(o, s->obj);
	}
	c->free = c + 1;
	avail_push(s, c);
	return c;
}

void *
dp_slab_get(struct dp_slab *s)
{
	struct dp_slab_chunk *c;
	void *o;

	rte_spinlock_lock(&s->lock);
	c = s->avail;
	if (c == NULL)
		c = chunk_new(s);
	if (c == NULL) {
		rte_spinlock_unlock(&s->lock);
		return NULL;
	}
	o = c->free;
	UNPOISON(o, s->obj);
	c->free = *(void **)o;
	if (--c->nfree == 0)
		avail_unlink(s, c);
	rte_spinlock_unlock(&s->lock);
	memset(o, 0, s->obj);
	return o;
}

void
dp_slab_put(struct dp_slab *s, void *o)
{
	struct dp_slab_chunk *c;

	if (o == NULL)
		return;
	c = (struct dp_slab_chunk *)((uintptr_t)o & ~(uintptr_t)(DP_SLAB_CHUNK - 1));
	rte_spinlock_lock(&s->lock);
	*(void **)o = c->free;
	POISON(o, s->obj);
	c->free = o;
	if (c->nfree++ == 0)
		avail_push(s, c);
	if (c->nfree == c->n) {
		/* all free: back to the heap (a table's memory goes with
		 * its flows) */
		avail_unlink(s, c);
		UNPOISON(c + 1, (size_t)c->n * s->obj);
		rte_free(c);
	}
	rte_spinlock_unlock(&s->lock);
}
