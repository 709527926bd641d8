/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-crypto-bench: for each suite and payload (160, 1200 bytes),
 * SRTP protect and unprotect packets/s on one core for each engine, the
 * cryptodev and ipsecmb engines again with consecutive packets on 1024
 * (--sessions) different sessions (sec_burst, the media worker's case),
 * and the raw bound (the cipher+auth chain or the AEAD op alone, one key,
 * on the same buffers, through cryptodev's CPU-crypto API and through
 * intel-ipsec-mb's job API: the faster, named), with engine/bound. Then
 * the heap bytes per session of each engine and suite (--memory only).
 *
 *   imsagw-crypto-bench [--quick] [--json FILE] [--openssl]
 *                       [--suite NAME] [--payload N] [--sessions N]
 *                       [--engine NAME] [--memory] [-- EAL args]
 *
 * --sessions: sessions of the many-calls case (default 1024).
 * --engine: only that engine's rows (and the bound), e.g. for A/B runs.
 * --memory: only the memory per session (C heap, mallinfo2), every engine.
 *
 * Default EAL args: --no-huge -m 512 --no-pci --no-shconf
 * --file-prefix=sec_bench --vdev crypto_aesni_mb -l 0.
 */
/* the bound calls the experimental CPU-crypto API directly */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cryptodev.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "bench_util.h"
#include "sec.h"

#define POOL 4096
#define BURST 32
#define SLOT 1536

static double min_secs = 1.0;
static unsigned int multi_sessions = 1024; /* the many-calls case */
static struct bench_json json;
/* the crypto context of the lcore the benchmark runs on, as a media
 * worker holds its own */
static struct sec_lcore *lc;

struct buf {
	uint8_t *mem;       /* POOL x SLOT working buffers */
	uint8_t *pristine;  /* what each round starts from */
	uint32_t len[POOL];
	uint32_t plen[POOL];
};

/* sessions: packets spread round-robin over that many sessions (1: one) */
/* via: the raw path of a bound row (NULL for engine rows) */
static void
emit(const char *suite, unsigned int payload, const char *op,
		const char *engine, double mpps, double ratio,
		unsigned int sessions, const char *via)
{
	char sess[48] = "";
	FILE *f;

	if (sessions > 1)
		snprintf(sess, sizeof(sess), "  (%u sessions)", sessions);
	else if (via != NULL)
		snprintf(sess, sizeof(sess), "  (%s)", via);
	if (ratio >= 0)
		printf("%-24s %5u %-9s %-9s %8.3f Mpps  ratio %.2f%s\n", suite,
				payload, op, engine, mpps, ratio, sess);
	else
		printf("%-24s %5u %-9s %-9s %8.3f Mpps%s\n", suite, payload,
				op, engine, mpps, sess);
	f = bench_json_row(&json);
	if (f == NULL)
		return;
	fprintf(f, "\"suite\": \"%s\", \"payload\": %u, \"op\": \"%s\", "
			"\"engine\": \"%s\", \"sessions\": %u, \"mpps\": %.4f",
			suite, payload, op, engine, sessions, mpps);
	if (ratio >= 0)
		fprintf(f, ", \"ratio\": %.4f", ratio);
	if (via != NULL)
		fprintf(f, ", \"via\": \"%s\"", via);
	bench_json_row_end(&json);
}

static void
make_rtp(struct buf *b, unsigned int payload)
{
	unsigned int i, k;

	for (i = 0; i < POOL; i++) {
		uint8_t *p = b->pristine + (size_t)i * SLOT;

		p[0] = 0x80;
		p[1] = 0;
		p[2] = (uint8_t)(i >> 8);
		p[3] = (uint8_t)i;
		memset(p + 4, 0, 4);
		p[8] = 0x11;
		p[9] = 0x22;
		p[10] = 0x33;
		p[11] = 0x44;
		for (k = 0; k < payload; k++)
			p[12 + k] = (uint8_t)(i * 7 + k);
		b->plen[i] = 12 + payload;
	}
}

static struct sec_session *
session(enum sec_engine e, enum sec_suite_id suite, enum sec_dir dir)
{
	static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t salt[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	struct sec_session_params p;
	int err;

	bench_session_params(&p, e, suite, dir, key, salt);
	return sec_session_create(&p, &err);
}

/*
 * Lengths of the pool's packets as the timed runs take them: plain RTP to
 * protect, or (unprotect) the pristine pool protected once in place by a
 * session of engine e (forged: then the last tag byte of each flipped).
 * Returns 0 or -1.
 */
static int
prepare(struct buf *b, enum sec_engine e, enum sec_suite_id suite,
		bool protect, bool forged)
{
	struct sec_session *p;
	struct sec_pkt pk[BURST];
	uint8_t st[BURST];
	unsigned int i, k;

	if (protect) {
		for (i = 0; i < POOL; i++)
			b->len[i] = b->plen[i];
		return 0;
	}
	p = session(e, suite, SEC_DIR_PROTECT);
	if (p == NULL)
		return -1;
	for (i = 0; i < POOL; i += BURST) {
		for (k = 0; k < BURST; k++) {
			pk[k].data = b->pristine + (size_t)(i + k) * SLOT;
			pk[k].len = b->plen[i + k];
			pk[k].room = SLOT;
		}
		if (sec_session_burst(lc, p, SEC_RTP_PROTECT, pk, BURST,
					st) != BURST) {
			sec_session_destroy(p);
			return -1;
		}
		for (k = 0; k < BURST; k++) {
			b->len[i + k] = pk[k].len;
			if (forged)
				pk[k].data[pk[k].len - 1] ^= 0x5a;
		}
	}
	sec_session_destroy(p);
	return 0;
}

/* A round's input: the pristine pool copied to the working buffers
 * (outside the timing). */
static void
restore(struct buf *b)
{
	unsigned int i;

	for (i = 0; i < POOL; i++)
		memcpy(b->mem + (size_t)i * SLOT, b->pristine + (size_t)i * SLOT,
				b->len[i]);
}

/*
 * Protect or unprotect the whole pool per round (fresh session and fresh
 * data per round, outside the timing); returns Mpps over >= min_secs.
 */
static double
run_engine(enum sec_engine e, enum sec_suite_id suite, bool protect,
		bool forged, struct buf *b)
{
	double busy = 0, t0;
	unsigned long pkts = 0;
	unsigned int i, k;

	/* unprotect input: the pool protected once by the same engine */
	if (prepare(b, e, suite, protect, forged) != 0)
		return -1;
	while (busy < min_secs) {
		struct sec_session *s = session(e, suite, protect ?
				SEC_DIR_PROTECT : SEC_DIR_UNPROTECT);
		struct sec_pkt pk[BURST];
		uint8_t st[BURST];

		if (s == NULL)
			return -1;
		restore(b);
		t0 = bench_now();
		for (i = 0; i < POOL; i += BURST) {
			for (k = 0; k < BURST; k++) {
				pk[k].data = b->mem + (size_t)(i + k) * SLOT;
				pk[k].len = b->len[i + k];
				pk[k].room = SLOT;
			}
			if (sec_session_burst(lc, s, protect ? SEC_RTP_PROTECT :
						SEC_RTP_UNPROTECT, pk, BURST, st) !=
					(forged ? 0 : BURST)) {
				fprintf(stderr, "%s: packet refused: %s\n",
						sec_engine_name(e),
						sec_status_str(st[0]));
				sec_session_destroy(s);
				return -1;
			}
		}
		busy += bench_now() - t0;
		pkts += POOL;
		sec_session_destroy(s);
	}
	return (double)pkts / busy / 1e6;
}

/*
 * The media worker's case: consecutive packets of different calls. The
 * pool goes round-robin over nsess sessions (packet i to session i %
 * nsess) through sec_burst(), one call per BURST packets. All sessions
 * share one key, so one protected pool serves them all (packet i carries
 * index i; each session sees increasing indexes); each still has its own
 * session, device session, stream and window. Returns Mpps.
 */
static double
run_multi(enum sec_engine e, enum sec_suite_id suite, bool protect,
		unsigned int nsess, struct buf *b)
{
	struct sec_session **ss = calloc(nsess, sizeof(*ss));
	struct sec_burst_pkt bp[BURST];
	double busy = 0, t0, r = -1;
	unsigned long pkts = 0;
	unsigned int i, k, round;

	if (ss == NULL)
		return -1;
	if (prepare(b, e, suite, protect, false) != 0)
		goto out;
	/* round 0 is not timed: the heap pages the sessions live in are
	 * touched for the first time there (page faults), as they are by
	 * a call's first packet, not by its steady state */
	for (round = 0; busy < min_secs; round++) {
		for (k = 0; k < nsess; k++) {
			ss[k] = session(e, suite, protect ?
					SEC_DIR_PROTECT : SEC_DIR_UNPROTECT);
			if (ss[k] == NULL)
				goto out;
		}
		restore(b);
		t0 = bench_now();
		for (i = 0; i < POOL; i += BURST) {
			for (k = 0; k < BURST; k++) {
				bp[k].s = ss[(i + k) % nsess];
				bp[k].op = protect ? SEC_RTP_PROTECT :
					SEC_RTP_UNPROTECT;
				bp[k].pkt.data = b->mem + (size_t)(i + k) * SLOT;
				bp[k].pkt.len = b->len[i + k];
				bp[k].pkt.room = SLOT;
			}
			if (sec_burst(lc, bp, BURST) != BURST) {
				fprintf(stderr, "sec_burst: packet refused: %s\n",
						sec_status_str(bp[0].status));
				goto out;
			}
		}
		if (round > 0) {
			busy += bench_now() - t0;
			pkts += POOL;
		}
		for (k = 0; k < nsess; k++) {
			sec_session_destroy(ss[k]);
			ss[k] = NULL;
		}
	}
	r = (double)pkts / busy / 1e6;
out:
	for (k = 0; k < nsess; k++)
		sec_session_destroy(ss[k]);
	free(ss);
	return r;
}

/*
 * Bytes per session of engine e, suite: nsess SRTP-only unprotect sessions
 * (a flow's inbound session) made at once; the C heap they took
 * (mallinfo2, allocator overhead included) and, for cryptodev, the
 * device-session pool objects they hold (header, object and trailer: the
 * pool is EAL memory, reserved at start). Prints one line; 0 or -1.
 */
static int
memory_of(enum sec_engine e, const struct sec_suite *su, unsigned int nsess)
{
	struct rte_mempool *mp = rte_mempool_lookup("imsagw_sec_sess");
	struct sec_session **ss = calloc(nsess, sizeof(*ss));
	unsigned int k, dev0 = 0, dev1 = 0;
	size_t h0, h1, obj = 0;
	int rc = 0;

	if (ss == NULL)
		return -1;
	if (mp != NULL) {
		obj = mp->header_size + mp->elt_size + mp->trailer_size;
		dev0 = rte_mempool_in_use_count(mp);
	}
	h0 = mallinfo2().uordblks;
	for (k = 0; k < nsess && rc == 0; k++) {
		ss[k] = session(e, su->id, SEC_DIR_UNPROTECT);
		if (ss[k] == NULL)
			rc = -1;
	}
	h1 = mallinfo2().uordblks;
	if (mp != NULL)
		dev1 = rte_mempool_in_use_count(mp);
	if (rc == 0) {
		double heap = (double)(h1 - h0) / nsess;
		double dev = (double)(dev1 - dev0) * (double)obj / nsess;

		printf("memory %-24s %-9s %7.0f B/session heap + %5.0f B device pool = %5.0f B\n",
				su->name, sec_engine_name(e), heap, dev, heap + dev);
	}
	for (k = 0; k < nsess; k++)
		sec_session_destroy(ss[k]);
	free(ss);
	return rc;
}

/* Whether engine e's rows run: every available one, or only the one
 * named by --engine. */
static bool
engine_wanted(enum sec_engine e, const char *only)
{
	if (!sec_engine_available(e))
		return false;
	return only == NULL || strcmp(only, sec_engine_name(e)) == 0;
}

/* ---- raw bound: bench/common/bench_bound.c ---- */

static struct bench_bound bnd;

int
main(int argc, char **argv)
{
	static char *def_eal[] = {
		"imsagw-crypto-bench", "--no-huge", "-m", "512", "--no-pci",
		"--no-shconf", "--file-prefix=sec_bench", "--vdev",
		"crypto_aesni_mb", "--log-level=*:error", "-l", "0",
	};
	static const unsigned int payloads[2] = { 160, 1200 };
	enum sec_engine engs[4] = { SEC_ENGINE_CRYPTODEV, SEC_ENGINE_IPSECMB,
		SEC_ENGINE_LIBSRTP, SEC_ENGINE_OPENSSL };
	/* engines of the many-calls case and the forged run */
	static const enum sec_engine multi_engs[2] = { SEC_ENGINE_CRYPTODEV,
		SEC_ENGINE_IPSECMB };
	unsigned int neng = 3, s, pi, e, i;
	const char *json_path = NULL, *only_suite = NULL, *only_engine = NULL;
	bool memory = false;
	unsigned int only_payload = 0;
	char **eal = def_eal;
	int neal = (int)(sizeof(def_eal) / sizeof(def_eal[0]));
	struct buf b;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			min_secs = 0.1;
		} else if (strcmp(argv[i], "--json") == 0 &&
				i + 1 < (unsigned int)argc) {
			json_path = argv[++i];
		} else if (strcmp(argv[i], "--suite") == 0 &&
				i + 1 < (unsigned int)argc) {
			only_suite = argv[++i];
		} else if (strcmp(argv[i], "--payload") == 0 &&
				i + 1 < (unsigned int)argc) {
			only_payload = (unsigned int)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--sessions") == 0 &&
				i + 1 < (unsigned int)argc) {
			multi_sessions = (unsigned int)strtoul(argv[++i], NULL, 0);
			if (multi_sessions == 0)
				multi_sessions = 1;
		} else if (strcmp(argv[i], "--openssl") == 0) {
			neng = 4;
		} else if (strcmp(argv[i], "--engine") == 0 &&
				i + 1 < (unsigned int)argc) {
			only_engine = argv[++i];
		} else if (strcmp(argv[i], "--memory") == 0) {
			memory = true;
		} else if (strcmp(argv[i], "--") == 0) {
			bench_eal_rest(argc, argv, i, &eal, &neal);
			break;
		} else {
			fprintf(stderr, "usage: %s [--quick] [--json FILE] "
					"[--openssl] [--suite NAME] [--payload N] "
					"[--sessions N] [--engine NAME] [--memory] "
					"[-- EAL args]\n", argv[0]);
			return 2;
		}
	}
	/* sessions are freed and made again every round: keep the heap's
	 * pages (no trimming back to the kernel, no fresh zero pages) */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	if (rte_eal_init(neal, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	if (bench_crypto_init(NULL, &bnd) != 0)
		return 1;
	lc = sec_lcore_create(rte_lcore_id(), NULL);
	if (lc == NULL) {
		fprintf(stderr, "crypto context: failed\n");
		return 1;
	}
	b.mem = aligned_alloc(64, (size_t)POOL * SLOT);
	b.pristine = aligned_alloc(64, (size_t)POOL * SLOT);
	if (b.mem == NULL || b.pristine == NULL)
		return 1;
	if (bench_json_open(&json, json_path) != 0)
		return 1;
	if (only_engine != NULL)
		neng = 4;   /* any engine may be named */
	if (memory) {
		static const enum sec_engine mem_engs[3] = { SEC_ENGINE_CRYPTODEV,
			SEC_ENGINE_IPSECMB, SEC_ENGINE_OPENSSL };

		printf("memory per SRTP-only unprotect session, %u sessions\n",
				multi_sessions);
		for (s = 0; s < SEC_SUITE_COUNT; s++)
			for (e = 0; e < 3; e++)
				if (sec_engine_available(mem_engs[e]))
					(void)memory_of(mem_engs[e], sec_suite_get(
							(enum sec_suite_id)s),
							multi_sessions);
		goto done;
	}
	printf("one core, burst %d, pool of %d packets per round\n", BURST,
			POOL);
	for (s = 0; s < SEC_SUITE_COUNT; s++) {
		const struct sec_suite *su = sec_suite_get((enum sec_suite_id)s);

		if (only_suite != NULL && strcmp(only_suite, su->name) != 0)
			continue;
		for (pi = 0; pi < 2; pi++) {
			unsigned int op;

			if (only_payload != 0 && only_payload != payloads[pi])
				continue;
			for (op = 0; op < 2; op++) {
				bool prot = op == 0;
				const char *opn = prot ? "protect" : "unprotect";
				double bound, m;
				double save = min_secs;
				enum bench_bound_via via;

				make_rtp(&b, payloads[pi]);
				bound = bench_bound_best(&bnd, su, prot, payloads[pi],
						min_secs, NULL, &via);
				emit(su->name, payloads[pi], opn, "bound", bound,
						-1, 1, bench_bound_via_name(via));
				for (e = 0; e < neng; e++) {
					if (!engine_wanted(engs[e], only_engine))
						continue;
					if (engs[e] == SEC_ENGINE_LIBSRTP)
						min_secs = save / 4;
					make_rtp(&b, payloads[pi]);
					m = run_engine(engs[e], su->id, prot, false,
							&b);
					min_secs = save;
					if (m < 0)
						continue;
					emit(su->name, payloads[pi], opn,
							sec_engine_name(engs[e]),
							m, bound > 0 ? m / bound : 0, 1,
							NULL);
				}
				for (e = 0; e < 2; e++) {
					enum sec_engine me = multi_engs[e];

					if (!engine_wanted(me, only_engine) ||
							!sec_engine_available(me))
						continue;
					/* a burst over many calls (sec_burst) */
					make_rtp(&b, payloads[pi]);
					m = run_multi(me, su->id, prot, multi_sessions,
							&b);
					if (m > 0)
						emit(su->name, payloads[pi], opn,
								sec_engine_name(me), m,
								bound > 0 ? m / bound : 0,
								multi_sessions, NULL);
					/* the gateway's worst case: forged packets
					 * (text only; the JSON keeps
					 * protect/unprotect) */
					if (prot)
						continue;
					make_rtp(&b, payloads[pi]);
					m = run_engine(me, su->id, false, true, &b);
					printf("%-24s %5u %-9s %-9s %8.3f Mpps "
							"(forged tags, all "
							"rejected)\n", su->name,
							payloads[pi], "reject",
							sec_engine_name(me), m);
				}
			}
		}
	}
done:
	bench_json_close(&json);
	free(b.mem);
	free(b.pristine);
	bench_bound_fini(&bnd);
	sec_lcore_destroy(lc);
	sec_fini();
	rte_eal_cleanup();
	return 0;
}
