/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UDP port pool of one port (realm). Terminations take an even RTP port
 * and the odd port above it for RTCP (RFC 3550 §11), so the pool hands out
 * pairs: one bit per pair, next-fit so a freed pair is not reused at once
 * (late packets of the old call then hit no flow and are dropped).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_pool.h"

int
ctl_pool_init(struct ctl_pool *p, uint16_t min, uint16_t max)
{
	uint32_t first = (min + 1u) & ~1u; /* round up to even */

	memset(p, 0, sizeof(*p));
	if (max < first + 1u)
		return -EINVAL;
	p->base = (uint16_t)first;
	p->n_pairs = (uint32_t)(max - first + 1u) / 2u;
	p->used = calloc((p->n_pairs + 63u) / 64u, sizeof(uint64_t));
	return p->used == NULL ? -ENOMEM : 0;
}

void
ctl_pool_fini(struct ctl_pool *p)
{
	free(p->used);
	memset(p, 0, sizeof(*p));
}

static bool
pair_used(const struct ctl_pool *p, uint32_t i)
{
	return (p->used[i / 64u] >> (i % 64u)) & 1u;
}

static void
pair_set(struct ctl_pool *p, uint32_t i, bool on)
{
	if (on)
		p->used[i / 64u] |= 1ull << (i % 64u);
	else
		p->used[i / 64u] &= ~(1ull << (i % 64u));
}

int
ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *rtp_port)
{
	uint32_t i, n;

	if (want != 0) {
		if (want < p->base || (want & 1u) || (uint32_t)(want - p->base) / 2u >= p->n_pairs)
			return -EADDRNOTAVAIL;
		i = (uint32_t)(want - p->base) / 2u;
		if (pair_used(p, i))
			return -EADDRNOTAVAIL;
		pair_set(p, i, true);
		p->n_used++;
		*rtp_port = want;
		return 0;
	}
	if (p->n_used >= p->n_pairs)
		return -ENOSPC;
	for (n = 0; n < p->n_pairs; n++) {
		i = (p->cursor + n) % p->n_pairs;
		if (!pair_used(p, i)) {
			pair_set(p, i, true);
			p->n_used++;
			p->cursor = (i + 1u) % p->n_pairs;
			*rtp_port = (uint16_t)(p->base + 2u * i);
			return 0;
		}
	}
	return -ENOSPC;
}

void
ctl_pool_put(struct ctl_pool *p, uint16_t rtp_port)
{
	uint32_t i;

	if (rtp_port < p->base || (rtp_port & 1u))
		return;
	i = (uint32_t)(rtp_port - p->base) / 2u;
	if (i < p->n_pairs && pair_used(p, i)) {
		pair_set(p, i, false);
		p->n_used--;
	}
}
