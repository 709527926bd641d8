/* SPDX-License-Identifier: BSD-3-Clause */
/* Private: a port pool of one port (see ctl_pool.c): UDP port pairs for
 * RTP/RTCP, single TCP ports for MSRP. Control only. */
#ifndef IMSAGW_CTL_POOL_H
#define IMSAGW_CTL_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define CTL_POOL_RND 64 /* random words drawn per RAND_bytes() call */

struct ctl_pool {
	uint16_t base;     /* first port of the first slot */
	uint8_t width;     /* ports per slot: 2 (RTP even, RTCP odd) or 1 */
	uint32_t n_slots;
	uint32_t n_used;
	uint64_t *used;    /* one bit per slot */
	uint32_t rnd[CTL_POOL_RND]; /* RAND_bytes() output not used yet */
	uint32_t rnd_left;
};

/* Pool over [min, max] in slots of width ports: width 2 uses only whole
 * even/odd pairs inside the range (UDP: RTP and RTCP, RFC 3550 §11), width
 * 1 every port (TCP for MSRP). Control only.
 * @return 0, -EINVAL (no slot fits, or width not 1 or 2), -ENOMEM. */
int ctl_pool_init(struct ctl_pool *p, uint16_t min, uint16_t max, unsigned int width);

/* Free the pool's memory. Control only. */
void ctl_pool_fini(struct ctl_pool *p);

/* Take a slot: want = 0 for a free slot chosen at random (uniform over the
 * pool; a scan from a random slot when random probes keep hitting used
 * ones), else the slot starting at that port. Control only.
 * @return 0 with *port set (the slot's first port: RTP with width 2);
 * -ENOSPC (empty), -EADDRNOTAVAIL (want is outside the pool, not a slot's
 * first port (odd with width 2) or taken), -EIO (RAND_bytes() failed: no
 * port is handed out predictably). */
int ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *port);

/* Give a slot back by its first port (unknown ports are ignored). Control
 * only. */
void ctl_pool_put(struct ctl_pool *p, uint16_t port);

#endif /* IMSAGW_CTL_POOL_H */
