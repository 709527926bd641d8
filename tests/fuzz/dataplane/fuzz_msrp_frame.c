/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the MSRP framing check (dataplane/msrp_frame.c), a
 * differential one: the stream fed whole and fed in pieces must give the
 * same verdict and the same message counts (and, but for chunk_too_long,
 * which a body scan may notice at the end of a later piece, the same
 * failing offset). Every piece is fed from a heap copy of exactly its size,
 * so a read past a piece is caught, not just a read past the input.
 *
 * Input: byte 0 = control: bits 0-2 how many piece-size bytes follow
 * (1..8), bits 3-4 the head limit, bits 5-6 the body limit; then the
 * piece sizes (each size byte + 1, used in turn); then the stream.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msrp_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t head_limits[4] = {4096, 300, 64, 17};
static const uint32_t chunk_limits[4] = {65536, 2048, 16, 0};

static int
feed_copy(struct msrp_frame *f, const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	if (c == NULL)
		abort();
	if (n)
		memcpy(c, p, n);
	rc = msrp_frame_feed(f, n ? c : NULL, n);
	free(c);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msrp_frame whole, cut;
	const uint8_t *sizes, *s;
	size_t n_sizes, n, off, i;
	uint32_t mh, mc;
	int rw, rc = 0;

	if (size < 2)
		return 0;
	n_sizes = (size_t)(data[0] & 7) + 1;
	mh = head_limits[(data[0] >> 3) & 3];
	mc = chunk_limits[(data[0] >> 5) & 3];
	if (size < 1 + n_sizes)
		return 0;
	sizes = data + 1;
	s = data + 1 + n_sizes;
	n = size - 1 - n_sizes;

	msrp_frame_init(&whole, mh, mc);
	rw = feed_copy(&whole, s, n);

	msrp_frame_init(&cut, mh, mc);
	for (off = 0, i = 0; off < n && rc == 0; i++) {
		size_t k = (size_t)sizes[i % n_sizes] + 1;

		if (k > n - off)
			k = n - off;
		rc = feed_copy(&cut, s + off, k);
		off += k;
	}

	if (rw != rc || rw != -(int)whole.err || whole.err != cut.err)
		abort();
	if (whole.msgs != cut.msgs || whole.resps != cut.resps || whole.resps > whole.msgs)
		abort();
	if (msrp_frame_at_boundary(&whole) != msrp_frame_at_boundary(&cut))
		abort();
	if (whole.err == MSRP_FRAME_OK && (whole.off != n || cut.off != n))
		abort();
	if (whole.err != MSRP_FRAME_OK && whole.err != MSRP_FRAME_E_CHUNK_TOO_LONG &&
	    (whole.err_off != cut.err_off || whole.off != cut.off || whole.err_off >= n))
		abort();
	if (whole.err >= MSRP_FRAME_E_MAX)
		abort();
	return 0;
}
