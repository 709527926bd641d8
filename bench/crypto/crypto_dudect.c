/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-crypto-dudect: a dudect-style timing check of the SRTP tag
 * comparison (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant
 * time?", 2017). A benchmark: it prints numbers, it never fails.
 *
 * For each engine and suite, one SRTP packet is unprotected again and
 * again (a fresh copy each time, outside the timing) with a forged tag of
 * one of two classes, picked at random per measurement:
 *   class 0: the tag differs in its LAST byte (a compare that stops at the
 *            first difference reads every byte),
 *   class 1: the tag differs in its FIRST byte (such a compare stops at
 *            once).
 * Both are refused the same way; only where the tag differs changes. The
 * cycles of each call (rdtsc) go into Welch's t-test, on all samples and
 * on those below the 50th/90th percentile (dudect's cropping against
 * interrupts). |t| > 4.5 with many samples means the classes are told
 * apart: the comparison leaks where the forgery went wrong. Rows "leaky
 * loop" (a byte loop that returns at the first difference) and "memcmp"
 * are the yardsticks on the bare 16-byte compare; "CRYPTO_memcmp" is what
 * our engines call (sec_tag_equal).
 *
 *   imsagw-crypto-dudect [--n SAMPLES] [-- EAL args]
 *
 * Default EAL args: --no-huge -m 512 --no-pci --no-shconf
 * --file-prefix=sec_dudect --vdev crypto_aesni_mb -l 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "bench_util.h"
#include "sec.h"

#define NCROP 3

static const double crop_pct[NCROP] = { 1.0, 0.9, 0.5 };

/* Welch's t over samples of two classes, cropped at a threshold. */
struct welch {
	double n[2], mean[2], m2[2];
};

static void
welch_add(struct welch *w, int cls, double x)
{
	double d;

	w->n[cls] += 1;
	d = x - w->mean[cls];
	w->mean[cls] += d / w->n[cls];
	w->m2[cls] += d * (x - w->mean[cls]);
}

static double
welch_t(const struct welch *w)
{
	double v0, v1;

	if (w->n[0] < 2 || w->n[1] < 2)
		return 0;
	v0 = w->m2[0] / (w->n[0] - 1);
	v1 = w->m2[1] / (w->n[1] - 1);
	if (v0 + v1 == 0)
		return 0;
	return (w->mean[0] - w->mean[1]) / sqrt(v0 / w->n[0] + v1 / w->n[1]);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print the t-statistics of samples t[i] of classes c[i]. */
static void
report(const char *what, const uint64_t *t, const uint8_t *c, unsigned int n)
{
	uint64_t *sorted = malloc(n * sizeof(*sorted));
	struct welch w[NCROP];
	uint64_t thr[NCROP];
	unsigned int i, k;

	if (sorted == NULL)
		return;
	memcpy(sorted, t, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	for (k = 0; k < NCROP; k++)
		thr[k] = sorted[(unsigned int)((n - 1) * crop_pct[k])];
	memset(w, 0, sizeof(w));
	for (i = 0; i < n; i++)
		for (k = 0; k < NCROP; k++)
			if (t[i] <= thr[k])
				welch_add(&w[k], c[i], (double)t[i]);
	printf("%-40s n=%u median %5lu cyc  late-diff %8.1f early-diff "
			"%8.1f  t(all) %7.2f  t(<p90) %7.2f  t(<p50) %7.2f\n",
			what, n, (unsigned long)sorted[n / 2], w[0].mean[0],
			w[0].mean[1], welch_t(&w[0]), welch_t(&w[1]),
			welch_t(&w[2]));
	free(sorted);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static inline uint8_t
coin(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 63);
}

/* A compare that stops at the first difference (the leak to detect). */
static __attribute__((noinline)) int
leaky_loop(const volatile uint8_t *a, const volatile uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 1;
	return 0;
}

static void
bare_compare(unsigned int n, uint64_t *t, uint8_t *c)
{
	static const char *const names[] = { "bare 16-byte tag: leaky loop",
		"bare 16-byte tag: memcmp", "bare 16-byte tag: CRYPTO_memcmp" };
	uint8_t a[16], b[2][16];
	volatile int sink = 0;
	unsigned int f, i;

	memset(a, 0x42, sizeof(a));
	memcpy(b[0], a, 16);
	memcpy(b[1], a, 16);
	b[0][15] ^= 1;   /* class 0: late difference */
	b[1][0] ^= 1;    /* class 1: early difference */
	for (f = 0; f < 3; f++) {
		for (i = 0; i < n; i++) {
			uint64_t t0, t1;

			c[i] = coin();
			t0 = rte_rdtsc_precise();
			if (f == 0)
				sink += leaky_loop(a, b[c[i]], 16);
			else if (f == 1)
				sink += memcmp(a, b[c[i]], 16);
			else
				sink += CRYPTO_memcmp(a, b[c[i]], 16);
			t1 = rte_rdtsc_precise();
			t[i] = t1 - t0;
		}
		report(names[f], t, c, n);
	}
	(void)sink;
}

/* Unprotect with engine e a packet forged early or late, n times. */
static void
engine_compare(struct sec_lcore *lc, enum sec_engine e, enum sec_suite_id suite,
		unsigned int n, uint64_t *t, uint8_t *c)
{
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t salt[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	const struct sec_suite *su = sec_suite_get(suite);
	struct sec_session_params p;
	struct sec_session *tx, *rx;
	uint8_t pkt[2][256], work[256], st;
	struct sec_pkt pk;
	uint32_t len, tag_off;
	unsigned int i, refused = 0;
	char what[80];
	int err;

	bench_session_params(&p, e, suite, SEC_DIR_PROTECT, key, salt);
	tx = sec_session_create(&p, &err);
	bench_session_params(&p, e, suite, SEC_DIR_UNPROTECT, key, salt);
	rx = sec_session_create(&p, &err);
	if (tx == NULL || rx == NULL) {
		sec_session_destroy(tx);
		sec_session_destroy(rx);
		return;
	}
	memset(pkt[0], 0x5a, sizeof(pkt[0]));
	pkt[0][0] = 0x80;
	pkt[0][1] = 0;
	pkt[0][3] = 1;
	pkt[0][11] = 7;
	pk.data = pkt[0];
	pk.len = 12 + 160;
	pk.room = sizeof(pkt[0]);
	if (sec_session_burst(lc, tx, SEC_RTP_PROTECT, &pk, 1, &st) != 1)
		goto out;
	len = pk.len;
	tag_off = len - su->srtp_tag_len;
	memcpy(pkt[1], pkt[0], len);
	pkt[0][len - 1] ^= 1;        /* class 0: last tag byte */
	pkt[1][tag_off] ^= 1;        /* class 1: first tag byte */
	for (i = 0; i < n; i++) {
		uint64_t t0, t1;

		c[i] = coin();
		memcpy(work, pkt[c[i]], len);
		pk.data = work;
		pk.len = len;
		pk.room = sizeof(work);
		t0 = rte_rdtsc_precise();
		(void)sec_session_burst(lc, rx, SEC_RTP_UNPROTECT, &pk, 1, &st);
		t1 = rte_rdtsc_precise();
		t[i] = t1 - t0;
		refused += st == SEC_ST_AUTH_FAIL;
	}
	/* every sample must have reached the tag check and failed there */
	snprintf(what, sizeof(what), "%s %s%s", sec_engine_name(e), su->name,
			refused == n ? "" : " (NOT ALL AUTH-FAIL)");
	report(what, t, c, n);
out:
	sec_session_destroy(tx);
	sec_session_destroy(rx);
}

int
main(int argc, char **argv)
{
	static char *def_eal[] = {
		"imsagw-crypto-dudect", "--no-huge", "-m", "512", "--no-pci",
		"--no-shconf", "--file-prefix=sec_dudect", "--vdev",
		"crypto_aesni_mb", "-l", "0", "--log-level=*:error",
	};
	static const enum sec_suite_id suites[] = {
		SEC_SUITE_AEAD_AES_128_GCM, SEC_SUITE_AEAD_AES_256_GCM,
		SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
	};
	static const enum sec_engine engs[] = {
		SEC_ENGINE_CRYPTODEV, SEC_ENGINE_OPENSSL,
	};
	char **eal = def_eal;
	int neal = (int)(sizeof(def_eal) / sizeof(def_eal[0]));
	unsigned int n = 1000000, i, e, s;
	struct bench_bound bnd;
	struct sec_lcore *lc;
	uint64_t *t;
	uint8_t *c;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "--n") == 0 && i + 1 < (unsigned int)argc) {
			n = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--") == 0) {
			bench_eal_rest(argc, argv, i, &eal, &neal);
			break;
		} else {
			fprintf(stderr, "usage: %s [--n SAMPLES] [-- EAL args]\n",
					argv[0]);
			return 2;
		}
	}
	if (n < 100)
		n = 100;
	if (rte_eal_init(neal, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	if (bench_crypto_init(NULL, &bnd) != 0)
		return 1;
	lc = sec_lcore_create(rte_lcore_id(), NULL);
	t = malloc(n * sizeof(*t));
	c = malloc(n);
	if (lc == NULL || t == NULL || c == NULL)
		return 1;
	printf("dudect: Welch's t, class 0 = tag differing in its last byte, "
			"class 1 = in its first; |t| > 4.5 tells them apart\n");
	bare_compare(n, t, c);
	for (e = 0; e < RTE_DIM(engs); e++)
		for (s = 0; s < RTE_DIM(suites); s++)
			engine_compare(lc, engs[e], suites[s], n, t, c);
	free(t);
	free(c);
	bench_bound_fini(&bnd);
	sec_lcore_destroy(lc);
	sec_fini();
	rte_eal_cleanup();
	return 0;
}
