/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UDP port pool of one port (realm). Terminations take an even RTP port
 * and the odd port above it for RTCP (RFC 3550 §11), so the pool hands out
 * pairs: one bit per pair.
 *
 * A pair is chosen at random (issue 11): with next-fit the next call's
 * ports were the last call's plus two, so anyone who saw one SDP answer
 * could aim packets at the next call's ports before its UE did (and, with
 * latching, race it). RFC 6056 §3.3 makes the same case for ephemeral ports.
 * The randomness is OpenSSL's RAND_bytes (the project's one source of
 * randomness), drawn in batches: a non-cryptographic generator's state
 * could be recovered from the ports a UE sees in its own answers, so none
 * is used. A freed pair is
 * then reused only by chance (late packets of the old call hit no flow and
 * are dropped until then).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "ctl_pool.h"

/* Random probes before the pool falls back to a scan from a random pair
 * (a nearly full pool). */
#define CTL_POOL_PROBES 8

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

/* A uniform random pair index in [0, n_pairs). @return 0 or -EIO. */
static int
rand_pair(struct ctl_pool *p, uint32_t *out)
{
	/* Rejection sampling: the largest multiple of n_pairs below 2^32. */
	uint32_t lim = UINT32_MAX - UINT32_MAX % p->n_pairs;
	uint32_t r;

	do {
		if (p->rnd_left == 0) {
			if (RAND_bytes((unsigned char *)p->rnd, (int)sizeof(p->rnd)) != 1)
				return -EIO;
			p->rnd_left = CTL_POOL_RND;
		}
		r = p->rnd[--p->rnd_left];
	} while (r >= lim);
	*out = r % p->n_pairs;
	return 0;
}

static void
take(struct ctl_pool *p, uint32_t i, uint16_t *rtp_port)
{
	pair_set(p, i, true);
	p->n_used++;
	*rtp_port = (uint16_t)(p->base + 2u * i);
}

int
ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *rtp_port)
{
	uint32_t i, n, start;
	int rc;

	if (want != 0) {
		if (want < p->base || (want & 1u) || (uint32_t)(want - p->base) / 2u >= p->n_pairs)
			return -EADDRNOTAVAIL;
		i = (uint32_t)(want - p->base) / 2u;
		if (pair_used(p, i))
			return -EADDRNOTAVAIL;
		take(p, i, rtp_port);
		return 0;
	}
	if (p->n_used >= p->n_pairs)
		return -ENOSPC;
	for (n = 0; n < CTL_POOL_PROBES; n++) {
		rc = rand_pair(p, &i);
		if (rc < 0)
			return rc;
		if (!pair_used(p, i)) {
			take(p, i, rtp_port);
			return 0;
		}
	}
	/* Nearly full: the first free pair from a random start. */
	rc = rand_pair(p, &start);
	if (rc < 0)
		return rc;
	for (n = 0; n < p->n_pairs; n++) {
		i = (start + n) % p->n_pairs;
		if (!pair_used(p, i)) {
			take(p, i, rtp_port);
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
