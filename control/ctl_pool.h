/* SPDX-License-Identifier: BSD-3-Clause */
/* Private: the per-port UDP port-pair pool (see ctl_pool.c). Control only. */
#ifndef IMSAGW_CTL_POOL_H
#define IMSAGW_CTL_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define CTL_POOL_RND 64 /* random words drawn per getrandom() call */

struct ctl_pool {
	uint16_t base;     /* first (even) RTP port */
	uint32_t n_pairs;
	uint32_t n_used;
	uint64_t *used;    /* one bit per pair */
	uint32_t rnd[CTL_POOL_RND]; /* RAND_bytes() output not used yet */
	uint32_t rnd_left;
};

/* Pool over [min, max]; only whole even/odd pairs inside it are used.
 * Control only.
 * @return 0, -EINVAL (no pair fits), -ENOMEM. */
int ctl_pool_init(struct ctl_pool *p, uint16_t min, uint16_t max);

/* Free the pool's memory. Control only. */
void ctl_pool_fini(struct ctl_pool *p);

/* Take a pair: want = 0 for a free pair chosen at random (uniform over the
 * pool; a scan from a random pair when random probes keep hitting used
 * ones), else that even port. Control only.
 * @return 0 with *rtp_port set; -ENOSPC (empty), -EADDRNOTAVAIL (want is
 * outside the pool, odd or taken), -EIO (getrandom() failed: no port is
 * handed out predictably). */
int ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *rtp_port);

/* Give a pair back (unknown ports are ignored). Control only. */
void ctl_pool_put(struct ctl_pool *p, uint16_t rtp_port);

#endif /* IMSAGW_CTL_POOL_H */
