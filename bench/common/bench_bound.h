/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The raw cryptodev bound shared by the benchmarks: the cipher+auth chain
 * (AES-CTR + HMAC-SHA1) or AES-GCM alone, through the synchronous CPU-crypto
 * API, 32 buffers per call, on buffers the size of an SRTP packet with the
 * given payload. No SRTP logic: what any SRTP transform on this device can
 * at best reach. Control thread of a benchmark program, after rte_eal_init.
 */
#ifndef IMSAGW_BENCH_BOUND_H
#define IMSAGW_BENCH_BOUND_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "sec_suite.h"

struct bench_bound {
	uint8_t cdev;
	struct rte_mempool *mp;   /* device session pool */
	uint8_t *mem;             /* BENCH_BOUND_POOL buffers */
};

/* Attach to the cryptodev `name` (already probed, e.g. by sec_init).
 * @return 0, -ENODEV, -ENOMEM. */
int bench_bound_init(struct bench_bound *b, const char *name);
void bench_bound_fini(struct bench_bound *b);

/* Packets/s (millions) of the raw op for `su` on one core, protect
 * (encrypt+generate) or unprotect (verify+decrypt), for at least `secs`
 * seconds. @return Mpps, or a negative value when the device refuses. */
double bench_bound_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
			unsigned int payload, double secs);

/* Seconds on CLOCK_MONOTONIC: the benchmarks' wall clock. */
double bench_now(void);

#endif /* IMSAGW_BENCH_BOUND_H */
