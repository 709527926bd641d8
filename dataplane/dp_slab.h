/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_slab: fixed-size objects carved from 16 KB chunks of DPDK memory, for
 * the flow table's records and states (dp_flow.c). rte_malloc puts a header
 * of its own before every object and rounds it to the alignment (measured:
 * 128 bytes on a 192-byte record, two thirds again); a chunk carries one
 * header for ~100 objects. Objects are cache-line aligned and a whole
 * number of cache lines, so two objects never share a line (two workers'
 * states stay apart). A chunk whose objects are all free goes back to the
 * DPDK heap at once, so a table's memory is returned when its flows are.
 *
 * Under AddressSanitizer a free object is poisoned, as rte_free poisons
 * (a use after free still reports).
 *
 * Private to dataplane/. Any thread (a spinlock; the flow table calls it
 * from control only).
 */
#ifndef IMSAGW_DP_SLAB_H
#define IMSAGW_DP_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_spinlock.h>

struct dp_slab_chunk;

/* A slab. Define one statically with DP_SLAB_INIT; it needs no teardown
 * (empty chunks are freed as they empty). */
struct dp_slab {
	const char *name;             /* rte_malloc type of its chunks */
	uint32_t obj;                 /* object size, a multiple of 64 */
	rte_spinlock_t lock;
	struct dp_slab_chunk *avail;  /* chunks with a free object */
};

#define DP_SLAB_INIT(nm, size) \
	{ .name = (nm), .obj = RTE_ALIGN_CEIL((uint32_t)(size), 64), \
	  .lock = RTE_SPINLOCK_INITIALIZER, .avail = NULL }

/* A zeroed object (cache-line aligned), or NULL when DPDK memory is out. */
void *dp_slab_get(struct dp_slab *s);

/* Return an object of s (NULL: no-op). The caller zeroizes what must not
 * linger; the slab only links it into its free list. */
void dp_slab_put(struct dp_slab *s, void *o);

#endif /* IMSAGW_DP_SLAB_H */
