/* SPDX-License-Identifier: BSD-3-Clause */
/* Private: the per-port UDP port-pair pool (see ctl_pool.c). Control only. */
#ifndef IMSAGW_CTL_POOL_H
#define IMSAGW_CTL_POOL_H

#include <stdbool.h>
#include <stdint.h>

struct ctl_pool {
	uint16_t base;     /* first (even) RTP port */
	uint32_t n_pairs;
	uint32_t n_used;
	uint32_t cursor;   /* next-fit start */
	uint64_t *used;    /* one bit per pair */
};

/* Pool over [min, max]; only whole even/odd pairs inside it are used.
 * @return 0, -EINVAL (no pair fits), -ENOMEM. */
int ctl_pool_init(struct ctl_pool *p, uint16_t min, uint16_t max);
void ctl_pool_fini(struct ctl_pool *p);

/* Take a pair: want = 0 for any, else that even port.
 * @return 0 with *rtp_port set; -ENOSPC (empty), -EADDRNOTAVAIL (want is
 * outside the pool, odd or taken). */
int ctl_pool_get(struct ctl_pool *p, uint16_t want, uint16_t *rtp_port);

/* Give a pair back (unknown ports are ignored). */
void ctl_pool_put(struct ctl_pool *p, uint16_t rtp_port);

#endif /* IMSAGW_CTL_POOL_H */
