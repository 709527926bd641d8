/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port pool of one port (realm), in slots: UDP terminations take an
 * even RTP port and the odd port above it for RTCP (RFC 3550 §11), so their
 * pool hands out pairs; MSRP terminations take one TCP port each. One bit
 * per slot.
 *
 * A slot is chosen at random (issue 11): with next-fit the next call's
 * ports were the last call's plus two, so anyone who saw one SDP answer
 * could aim packets (or, on TCP, connections) at the next call's ports
 * before its UE did (and, with latching, race it). RFC 6056 §3.3 makes the
 * same case for ephemeral ports. The randomness is OpenSSL's RAND_bytes
 * (the project's one source of randomness), drawn in batches: a
 * non-cryptographic generator's state could be recovered from the ports a
 * UE sees in its own answers, so none is used. A freed slot is then reused
 * only by chance (late packets of the old call hit no flow and are dropped
 * until then).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "ctl_pool.h"

/* Random probes before the pool falls back to a scan from a random slot
 * (a nearly full pool). */
#define CTL_POOL_PROBES 8

int
ctl_pool_init(struct ctl_pool *p, uint16_t min, uint16_t max, unsigned int width)
{
	/* Pairs start on an even port: round up. */
	uint32_t first = width == 2 ? (min + 1u) & ~1u : min;

	memset(p, 0, sizeof(*p));
	if ((width != 1 && width != 2) || min == 0 || max < first + width - 1u)
		return -EINVAL;
	p->base = (uint16_t)first;
	p->width = (uint8_t)width;
	p->n_slots = (uint32_t)(max - first + 1u) / width;
	p->used = calloc((p->n_slots + 63u) / 64u, sizeof(uint64_t));
	return p->used == NULL ? -ENOMEM : 0;
}

void
ctl_pool_fini(struct ctl_pool *p)
{
	free(p->used);
	memset(p, 0, sizeof(*p));
}

static bool
slot_used(const struct ctl_pool *p, uint32_t i)
{
	return (p->used[i / 64u] >> (i % 64u)) & 1u;
}

static void
slot_set(struct ctl_pool *p, uint32_t i, bool on)
{
	if (on)
		p->used[i / 64u] |= 1ull << (i % 64u);
	else
		p->used[i / 64u] &= ~(1ull << (i % 64u));
}

/* A uniform random slot index in [0, n_slots). @return 0 or -EIO. */
static int
rand_slot(struct ctl_pool *p, uint32_t *out)
{
	/* Rejection sampling: the largest multiple of n_slots below 2^32. */
	uint32_t lim = UINT32_MAX - UINT32_MAX % p->n_slots;
	uint32_t r;

	do {
		if (p->rnd_left == 0) {
			if (RAND_bytes((unsigned char *)p->rnd, (int)sizeof(p->rnd)) != 1)
				return -EIO;
			p->rnd_left = CTL_POOL_RND;
		}
		r = p->rnd[--p->rnd_left];
	} while (r >= lim);
	*out = r % p->n_slots;
	return 0;
}

static void
take(struct ctl_pool *p, uint32_t i, uint16_t *port)
{
	slot_set(p, i, true);
	p->n_used++;
	*port = (uint16_t)(p->base + p->width * i);
}

/* The slot starting at port, or -1 (outside, or not a slot's first port). */
static int64_t
slot_of(const struct ctl_pool *p, uint16_t port)
{
	uint32_t off;

	if (p->n_slots == 0 || port < p->base)
		return -1;
	off = (uint32_t)(port - p->base);
	if (off % p->width != 0 || off / p->width >= p->n_slots)
		return -1;
	return off / p->width;
}

int
ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *port)
{
	uint32_t i, n, start;
	int64_t w;
	int rc;

	if (want != 0) {
		w = slot_of(p, want);
		if (w < 0 || slot_used(p, (uint32_t)w))
			return -EADDRNOTAVAIL;
		take(p, (uint32_t)w, port);
		return 0;
	}
	if (p->n_used >= p->n_slots)
		return -ENOSPC;
	for (n = 0; n < CTL_POOL_PROBES; n++) {
		rc = rand_slot(p, &i);
		if (rc < 0)
			return rc;
		if (!slot_used(p, i)) {
			take(p, i, port);
			return 0;
		}
	}
	/* Nearly full: the first free slot from a random start. */
	rc = rand_slot(p, &start);
	if (rc < 0)
		return rc;
	for (n = 0; n < p->n_slots; n++) {
		i = (start + n) % p->n_slots;
		if (!slot_used(p, i)) {
			take(p, i, port);
			return 0;
		}
	}
	return -ENOSPC;
}

void
ctl_pool_put(struct ctl_pool *p, uint16_t port)
{
	int64_t i = slot_of(p, port);

	if (i >= 0 && slot_used(p, (uint32_t)i)) {
		slot_set(p, (uint32_t)i, false);
		p->n_used--;
	}
}
