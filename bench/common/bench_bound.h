/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The raw bound shared by the benchmarks: the cipher+auth chain (AES-CTR +
 * HMAC-SHA1) or AES-GCM alone, one key, 32 buffers per burst, on buffers
 * the size of an SRTP packet with the given payload, through each raw
 * path the engines use: the cryptodev's synchronous CPU-crypto API and
 * intel-ipsec-mb's job API (submit 32, flush), measured in the same run;
 * the bound is the faster (issue 13: the ratio stays honest whichever
 * engine runs). No SRTP logic: what any SRTP transform on this machine can
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
	void *imb;                /* intel-ipsec-mb manager, or NULL */
};

/* The raw paths a bound is measured on. */
enum bench_bound_via {
	BENCH_BOUND_CRYPTODEV = 0, /* CPU-crypto API of the cryptodev */
	BENCH_BOUND_IPSECMB,       /* intel-ipsec-mb's job API */
	BENCH_BOUND_VIA_COUNT
};

/* Attach to the cryptodev `name` (already probed, e.g. by sec_init).
 * @return 0, -ENODEV, -ENOMEM. */
int bench_bound_init(struct bench_bound *b, const char *name);
void bench_bound_fini(struct bench_bound *b);

/* Packets/s (millions) of the raw op for `su` on one core through `via`,
 * protect (encrypt+generate) or unprotect (verify+decrypt), for at least
 * `secs` seconds. @return Mpps, or a negative value when that path
 * refuses or is missing (no intel-ipsec-mb). */
double bench_bound_via_mpps(const struct bench_bound *b, enum bench_bound_via via,
			    const struct sec_suite *su, bool protect, unsigned int payload,
			    double secs);

/* The bound: every path measured (secs each), the faster's Mpps; mpps[]
 * (NULL ok) gets each path's figure, *best (NULL ok) the faster one.
 * Also one line on stderr naming both. @return Mpps or negative. */
double bench_bound_best(const struct bench_bound *b, const struct sec_suite *su, bool protect,
			unsigned int payload, double secs, double *mpps, enum bench_bound_via *best);

/* bench_bound_best() without the details. */
double bench_bound_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
			unsigned int payload, double secs);

/* Name of a path ("cryptodev", "ipsecmb"). */
const char *bench_bound_via_name(enum bench_bound_via via);

/* Seconds on CLOCK_MONOTONIC: the benchmarks' wall clock. */
double bench_now(void);

#endif /* IMSAGW_BENCH_BOUND_H */
