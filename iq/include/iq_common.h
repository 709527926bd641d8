/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Types shared by the Iq codecs (h248_, sdp_) and the transaction layer:
 * a byte slice and a bump arena. Pure: no I/O, no globals, no logging.
 */
#ifndef IMSAGW_IQ_COMMON_H
#define IMSAGW_IQ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * A slice of bytes. Decoders point these into the input buffer (which must
 * outlive the tree); builders may point them anywhere (string literals,
 * arena copies). Never NUL-terminated by contract.
 */
struct iq_str {
	const char *p;
	uint32_t len;
};

#define IQ_STR(lit) ((struct iq_str){ (lit), (uint32_t)(sizeof(lit) - 1) })

/*
 * Bump allocator over caller-provided memory. Every tree node the codecs
 * produce lives here; freeing is iq_arena_reset() or dropping the buffer.
 * Fields are written by the arena functions only.
 */
struct iq_arena {
	uint8_t *base;
	size_t size;
	size_t used;
};

/*
 * Initialise an arena over buf[0..size).
 * @a: arena to initialise; @buf: backing memory (8-byte aligned is best);
 * @size: bytes of buf.
 * Thread: any thread; pure.
 */
void iq_arena_init(struct iq_arena *a, void *buf, size_t size);

/*
 * Forget every allocation (the backing memory is reused).
 * Thread: any thread; pure.
 */
void iq_arena_reset(struct iq_arena *a);

/*
 * Allocate n zeroed bytes, 8-byte aligned.
 * Returns: the memory, or NULL when the arena is exhausted (or n is 0 or
 * absurdly large). Thread: any thread; pure.
 */
void *iq_arena_alloc(struct iq_arena *a, size_t n);

/*
 * Copy len bytes into the arena and return a slice over the copy.
 * @out: receives the slice (unchanged on failure).
 * Returns: 0, or -ENOMEM when the arena is exhausted.
 * Thread: any thread; pure.
 */
int iq_arena_strdup(struct iq_arena *a, const char *p, size_t len,
		    struct iq_str *out);

/*
 * Case-insensitive (ASCII) comparison of a slice with a C string.
 * Returns: true when equal ignoring ASCII case. Thread: any thread; pure.
 */
bool iq_str_ieq(struct iq_str s, const char *cstr);

/*
 * Exact byte comparison of two slices.
 * Returns: true when both have the same length and bytes.
 * Thread: any thread; pure.
 */
bool iq_str_eq(struct iq_str a, struct iq_str b);

#endif /* IMSAGW_IQ_COMMON_H */
