/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for h248_decode(). Besides memory safety it checks the
 * codec's invariant: whatever decodes must encode in both layouts, and the
 * encodings must decode back to the same tree (same bytes on re-encode).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h248.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t mem1[32768], mem2[32768];
static char p1[131072], c1[131072], c2[131072];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h248_message *m = NULL, *m2 = NULL;
	struct h248_error err;
	struct iq_arena a, b;
	size_t lp, lc, lc2;
	char *copy;
	int rc;

	/* A private copy so ASan catches any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	iq_arena_init(&a, mem1, sizeof(mem1));
	rc = h248_decode(copy, size, &a, NULL, &m, &err);
	if (rc != 0) {
		if (err.offset > size || err.reason == NULL || err.code < 400 ||
		    err.code > 599)
			abort();
		free(copy);
		return 0;
	}
	if (h248_encode(m, H248_LAYOUT_PRETTY, p1, sizeof(p1), &lp) != 0 ||
	    h248_encode(m, H248_LAYOUT_COMPACT, c1, sizeof(c1), &lc) != 0)
		abort();
	iq_arena_init(&b, mem2, sizeof(mem2));
	if (h248_decode(p1, lp, &b, NULL, &m2, &err) != 0)
		abort();
	if (h248_encode(m2, H248_LAYOUT_COMPACT, c2, sizeof(c2), &lc2) != 0 ||
	    lc2 != lc || memcmp(c1, c2, lc) != 0)
		abort();
	iq_arena_init(&b, mem2, sizeof(mem2));
	if (h248_decode(c1, lc, &b, NULL, &m2, &err) != 0)
		abort();
	if (h248_encode(m2, H248_LAYOUT_COMPACT, c2, sizeof(c2), &lc2) != 0 ||
	    lc2 != lc || memcmp(c1, c2, lc) != 0)
		abort();
	free(copy);
	return 0;
}
