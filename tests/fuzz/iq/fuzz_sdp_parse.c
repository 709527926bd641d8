/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for sdp_parse(): memory safety, error fields in range,
 * and format(parse(x)) being a fixed point of parse+format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t mem1[16384], mem2[16384];
static char f1[65536], f2[65536];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdp_desc *d = NULL, *d2 = NULL;
	struct sdp_error err;
	struct iq_arena a, b;
	size_t l1, l2;
	char *copy;
	int rc;

	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	iq_arena_init(&a, mem1, sizeof(mem1));
	rc = sdp_parse(copy, size, &a, NULL, &d, &err);
	if (rc != 0) {
		if (err.offset > size || err.reason == NULL)
			abort();
		free(copy);
		return 0;
	}
	if (sdp_format(d, (size & 1) != 0, f1, sizeof(f1), &l1) != 0)
		abort();
	iq_arena_init(&b, mem2, sizeof(mem2));
	if (sdp_parse(f1, l1, &b, NULL, &d2, &err) != 0)
		abort();
	if (sdp_format(d2, (size & 1) != 0, f2, sizeof(f2), &l2) != 0 ||
	    l1 != l2 || memcmp(f1, f2, l1) != 0)
		abort();
	free(copy);
	return 0;
}
