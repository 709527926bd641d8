/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sec_burst(): packets of many sessions and operations in one call (the
 * worker's burst over many calls), on the cryptodev engine, on the ipsecmb
 * engine, and on both in the same bursts (sessions alternating between
 * them), must give exactly what each session gives packet by packet on the
 * openssl engine
 * (itself proven equal to libsrtp2 by test_sec_diff): same status, same
 * bytes, same length, for every packet.
 *
 * Per suite: S protect sessions (RTP in) and S unprotect sessions (SRTP in,
 * sent by S protect sessions of the reference engine), one of them in an
 * inbound rekey (two keys, packets under both: the fallback key and the
 * restore of a failed packet across sessions), mixed with forged, replayed
 * and reordered packets, GCM packets with a CSRC (an AAD the device session
 * does not take: the OpenSSL scratch path), SRTCP on every session, and a
 * libsrtp-engine session in the same bursts. Bursts of 1..64 packets.
 * SEC_CDEV=crypto_openssl runs the same over the enqueue/dequeue path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"

#define S 6            /* sessions per direction */
#define ROOM 512
#define NPKT 6000      /* per suite */
#define MAXB 64

static uint64_t rs = 0x243f6a8885a308d3ull;
/* this thread's crypto context, as a media worker holds its own */
static struct sec_lcore *lc;
/* the engine of the sessions under test; SEC_ENGINE_DEFAULT: cryptodev
 * and ipsecmb alternating (one burst holds both) */
static enum sec_engine dut;
#define DUT_MIXED SEC_ENGINE_DEFAULT

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 11);
}

struct pair {
	struct sec_session *dut; /* the engine under test (or libsrtp) */
	struct sec_session *ref; /* openssl */
};

/* One packet waiting: which pair, which op, its bytes. */
struct item {
	unsigned int pair;
	uint8_t op;
	uint32_t len;
	uint8_t b[ROOM];
};

struct world {
	const struct sec_suite *su;
	struct pair prot[S], unprot[S];
	struct sec_session *sender[S];   /* openssl, keys of unprot[i] */
	struct sec_session *sender2;     /* the rekeyed key of unprot[0] */
	uint16_t seq[S], pseq[S];
	unsigned int checked, failed_ok;
};

static void
key_of(uint8_t *k, uint8_t *salt, unsigned int i, unsigned int gen)
{
	unsigned int j;

	for (j = 0; j < 32; j++)
		k[j] = (uint8_t)(i * 31 + j + gen * 101);
	for (j = 0; j < 14; j++)
		salt[j] = (uint8_t)(i * 7 + j * 3 + gen);
}

static struct sec_session *
mk(const struct sec_suite *su, enum sec_dir dir, enum sec_engine e,
   unsigned int i, unsigned int gen)
{
	struct sec_session_params p;
	uint8_t k[32], salt[14];
	struct sec_session *s;
	int err;

	key_of(k, salt, i, gen);
	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = su->id;
	p.master_key = k;
	p.master_salt = salt;
	p.engine = e;
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static struct sec_session *
rekey(struct sec_session *old, const struct sec_suite *su, unsigned int i)
{
	struct sec_session_params p;
	uint8_t k[32], salt[14];
	struct sec_session *s;
	int err;

	key_of(k, salt, i, 1);
	memset(&p, 0, sizeof(p));
	p.dir = SEC_DIR_UNPROTECT;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = su->id;
	p.master_key = k;
	p.master_salt = salt;
	p.engine = sec_session_engine(old);
	s = sec_session_rekey(old, &p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* RTP (or RTCP SR) for stream i; a CSRC now and then. */
static uint32_t
gen(uint8_t *b, bool rtcp, uint16_t seq, unsigned int i)
{
	uint32_t n, j, cc = (rnd() % 8 == 0) ? 1 : 0, pl = 20 + rnd() % 200;

	if (rtcp) {
		n = 28;
		b[0] = 0x80;
		b[1] = 200;
		b[2] = 0;
		b[3] = 6;
		b[4] = 0x11;
		b[5] = 0x22;
		b[6] = 0x33;
		b[7] = (uint8_t)i;
		for (j = 8; j < n; j++)
			b[j] = (uint8_t)rnd();
		return n;
	}
	b[0] = (uint8_t)(0x80 | cc);
	b[1] = 0;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	memset(b + 4, 0, 4);
	b[8] = 0xab;
	b[9] = 0xcd;
	b[10] = 0;
	b[11] = (uint8_t)i;
	n = 12 + 4 * cc;
	for (j = 12; j < n + pl; j++)
		b[j] = (uint8_t)rnd();
	return n + pl;
}

static void
world_init(struct world *w, enum sec_suite_id id, bool with_libsrtp)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->su = sec_suite_get(id);
	for (i = 0; i < S; i++) {
		enum sec_engine e = with_libsrtp && i == S - 1 ? SEC_ENGINE_LIBSRTP :
				    dut != DUT_MIXED ? dut :
				    i % 2 ? SEC_ENGINE_IPSECMB : SEC_ENGINE_CRYPTODEV;

		w->prot[i].dut = mk(w->su, SEC_DIR_PROTECT, e, 100 + i, 0);
		w->prot[i].ref = mk(w->su, SEC_DIR_PROTECT, SEC_ENGINE_OPENSSL, 100 + i, 0);
		w->unprot[i].dut = mk(w->su, SEC_DIR_UNPROTECT, e, i, 0);
		w->unprot[i].ref = mk(w->su, SEC_DIR_UNPROTECT, SEC_ENGINE_OPENSSL, i, 0);
		w->sender[i] = mk(w->su, SEC_DIR_PROTECT, SEC_ENGINE_OPENSSL, i, 0);
		w->seq[i] = (uint16_t)(65000 + i * 50);  /* crosses the wrap */
		w->pseq[i] = (uint16_t)(65300 + i * 40);
	}
}

static void
world_free(struct world *w)
{
	unsigned int i;

	for (i = 0; i < S; i++) {
		sec_session_destroy(w->prot[i].dut);
		sec_session_destroy(w->prot[i].ref);
		sec_session_destroy(w->unprot[i].dut);
		sec_session_destroy(w->unprot[i].ref);
		sec_session_destroy(w->sender[i]);
	}
	sec_session_destroy(w->sender2);
}

/* Make the next packet to feed. */
static void
next_item(struct world *w, struct item *it, struct item *last)
{
	unsigned int i = rnd() % S, r = rnd() % 100;
	bool rtcp = rnd() % 10 == 0;
	struct sec_pkt pk;
	uint8_t st;

	if (r < 45) {
		/* RTP/RTCP to protect */
		it->pair = i;
		it->op = rtcp ? SEC_RTCP_PROTECT : SEC_RTP_PROTECT;
		it->len = gen(it->b, rtcp, w->pseq[i]++, i);
		return;
	}
	if (r < 50 && last->len != 0 && (last->op & SEC_RTP_UNPROTECT)) {
		*it = *last;               /* a replay (or a late duplicate) */
		return;
	}
	it->pair = i;
	it->op = rtcp ? SEC_RTCP_UNPROTECT : SEC_RTP_UNPROTECT;
	/* gaps and reordering: skip a few numbers now and then */
	if (rnd() % 20 == 0)
		w->seq[i] = (uint16_t)(w->seq[i] + rnd() % 5);
	it->len = gen(it->b, rtcp, w->seq[i]++, i);
	pk.data = it->b;
	pk.len = it->len;
	pk.room = ROOM;
	/* stream 0 is being rekeyed: half of its packets under the new key */
	if (i == 0 && w->sender2 != NULL && rnd() % 2 == 0)
		CU_ASSERT_EQUAL((rtcp ? sec_rtcp_protect_burst : sec_protect_burst)(
					w->sender2, &pk, 1, &st), 1)
	else
		CU_ASSERT_EQUAL((rtcp ? sec_rtcp_protect_burst : sec_protect_burst)(
					w->sender[i], &pk, 1, &st), 1)
	it->len = pk.len;
	if (rnd() % 25 == 0)
		it->b[rnd() % it->len] ^= (uint8_t)(1u << (rnd() % 8)); /* forged */
}

/* What the reference engine makes of one packet. */
static uint8_t
ref_one(struct pair *p, uint8_t op, uint8_t *b, uint32_t *len)
{
	struct sec_pkt pk = { .data = b, .len = *len, .room = ROOM };
	uint8_t st;

	switch (op) {
	case SEC_RTP_PROTECT:
		(void)sec_protect_burst(p->ref, &pk, 1, &st);
		break;
	case SEC_RTP_UNPROTECT:
		(void)sec_unprotect_burst(p->ref, &pk, 1, &st);
		break;
	case SEC_RTCP_PROTECT:
		(void)sec_rtcp_protect_burst(p->ref, &pk, 1, &st);
		break;
	default:
		(void)sec_rtcp_unprotect_burst(p->ref, &pk, 1, &st);
		break;
	}
	*len = pk.len;
	return st;
}

static void
run_world(enum sec_suite_id id, bool with_libsrtp)
{
	static struct item items[MAXB], refs[MAXB], last;
	struct sec_burst_pkt bp[MAXB];
	struct world w;
	unsigned int done = 0, i, bad = 0;

	world_init(&w, id, with_libsrtp);
	memset(&last, 0, sizeof(last));
	while (done < NPKT) {
		unsigned int n = 1 + rnd() % MAXB;
		uint16_t good, ngood = 0;

		if (done >= NPKT / 3 && w.sender2 == NULL) {
			/* inbound rekey of stream 0 on both sides */
			struct sec_session *d = rekey(w.unprot[0].dut, w.su, 0);
			struct sec_session *r = rekey(w.unprot[0].ref, w.su, 0);

			sec_session_destroy(w.unprot[0].dut);
			sec_session_destroy(w.unprot[0].ref);
			w.unprot[0].dut = d;
			w.unprot[0].ref = r;
			w.sender2 = mk(w.su, SEC_DIR_PROTECT, SEC_ENGINE_OPENSSL, 0, 1);
		}
		for (i = 0; i < n; i++) {
			next_item(&w, &items[i], &last);
			if (items[i].op & SEC_RTP_UNPROTECT)
				last = items[i];
			refs[i] = items[i];
		}
		for (i = 0; i < n; i++) {
			struct item *it = &items[i];
			struct pair *p = (it->op & SEC_RTP_UNPROTECT) ? &w.unprot[it->pair] :
									&w.prot[it->pair];

			bp[i].s = p->dut;
			bp[i].op = it->op;
			bp[i].pkt.data = it->b;
			bp[i].pkt.len = it->len;
			bp[i].pkt.room = ROOM;
		}
		good = sec_burst(lc, bp, (uint16_t)n);
		for (i = 0; i < n; i++) {
			struct item *r = &refs[i];
			struct pair *p = (r->op & SEC_RTP_UNPROTECT) ? &w.unprot[r->pair] :
									&w.prot[r->pair];
			uint8_t st = ref_one(p, r->op, r->b, &r->len);

			ngood += st == SEC_ST_OK;
			if (st != bp[i].status ||
			    (st == SEC_ST_OK && (r->len != bp[i].pkt.len ||
						 memcmp(r->b, items[i].b, r->len) != 0))) {
				if (bad++ < 5)
					printf("\n%s pkt %u op %u pair %u: ref %s dut %s len %u/%u\n",
					       w.su->name, done + i, r->op, r->pair,
					       sec_status_str(st), sec_status_str(bp[i].status),
					       r->len, bp[i].pkt.len);
			}
			w.checked++;
			w.failed_ok += st != SEC_ST_OK;
		}
		CU_ASSERT_EQUAL(good, ngood);
		done += n;
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* the mix had both outcomes in quantity */
	CU_ASSERT(w.failed_ok > NPKT / 50);
	CU_ASSERT(w.checked - w.failed_ok > NPKT / 2);
	{
		struct sec_stats a;

		sec_session_stats(w.unprot[0].dut, &a);
		CU_ASSERT(a.fallback_tries > 0);
		CU_ASSERT(a.fallback_ok > 0);
	}
	world_free(&w);
}

/* The world of suite id on each engine under test. */
static void
run_suite(enum sec_suite_id id, bool with_libsrtp)
{
	static const enum sec_engine duts[] = {SEC_ENGINE_CRYPTODEV, SEC_ENGINE_IPSECMB,
					       DUT_MIXED};
	unsigned int i;

	for (i = 0; i < RTE_DIM(duts); i++) {
		if (duts[i] != SEC_ENGINE_CRYPTODEV && !sec_test_ipsecmb_expected())
			continue;
		dut = duts[i];
		run_world(id, with_libsrtp);
	}
}

static void
cm80(void)
{
	run_suite(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, false);
}

static void
cm32(void)
{
	run_suite(SEC_SUITE_AES_CM_128_HMAC_SHA1_32, false);
}

static void
gcm128(void)
{
	run_suite(SEC_SUITE_AEAD_AES_128_GCM, false);
}

static void
gcm256(void)
{
	run_suite(SEC_SUITE_AEAD_AES_256_GCM, false);
}

static void
cm256(void)
{
	run_suite(SEC_SUITE_AES_256_CM_HMAC_SHA1_80, false);
}

static void
with_libsrtp(void)
{
	run_suite(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, true);
	run_suite(SEC_SUITE_AEAD_AES_128_GCM, true);
}

/* Entries naming a session of the wrong direction or protocol, or none,
 * are errors; the others in the same call still pass. */
static void
bad_entries(void)
{
	const struct sec_suite *su = sec_suite_get(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	struct sec_session *p = mk(su, SEC_DIR_PROTECT, SEC_ENGINE_CRYPTODEV, 1, 0);
	uint8_t b[3][ROOM];
	struct sec_burst_pkt bp[4];
	unsigned int i;

	memset(bp, 0, sizeof(bp));
	for (i = 0; i < 3; i++) {
		bp[i].pkt.len = gen(b[i], false, (uint16_t)(i + 1), 1);
		bp[i].pkt.data = b[i];
		bp[i].pkt.room = ROOM;
		bp[i].s = p;
	}
	bp[0].op = SEC_RTP_UNPROTECT; /* wrong direction */
	bp[1].op = SEC_RTP_PROTECT;
	bp[2].op = 7;                 /* no such op */
	bp[3].s = NULL;
	CU_ASSERT_EQUAL(sec_burst(lc, bp, 4), 1);
	CU_ASSERT_EQUAL(bp[0].status, SEC_ST_ERROR);
	CU_ASSERT_EQUAL(bp[1].status, SEC_ST_OK);
	CU_ASSERT_EQUAL(bp[2].status, SEC_ST_ERROR);
	CU_ASSERT_EQUAL(bp[3].status, SEC_ST_ERROR);
	sec_session_destroy(p);
}

/*
 * Per-lcore contexts: one of another lcore gets a queue pair of its own
 * and gives the same bytes; contexts of one lcore share theirs; past the
 * device's queue pairs (main(): one lcore, so 2: this lcore's and one
 * more) another lcore is refused with -ENOSPC, and destroying a context
 * frees its queue pair.
 */
static void
contexts(void)
{
	const struct sec_suite *su = sec_suite_get(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	struct sec_lcore *same, *other, *third;
	struct sec_burst_pkt bp[2][3];
	struct sec_session *p[2];
	uint8_t b[2][3][ROOM];
	unsigned int c, i;
	int err = 0;

	same = sec_lcore_create(0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(same);
	CU_ASSERT_EQUAL(err, 0);
	other = sec_lcore_create(5, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	third = sec_lcore_create(6, &err);
	CU_ASSERT_PTR_NULL(third);
	CU_ASSERT_EQUAL(err, -ENOSPC);
	/* the same packets and keys through two contexts: the same bytes; a
	 * burst of two sessions takes the crypto-op path (the queue pair) */
	for (i = 0; i < 3; i++) {
		bp[0][i].pkt.len = gen(b[0][i], false, (uint16_t)(i + 1), 2);
		bp[1][i].pkt.len = bp[0][i].pkt.len;
		memcpy(b[1][i], b[0][i], bp[0][i].pkt.len);
	}
	for (c = 0; c < 2; c++) {
		p[c] = mk(su, SEC_DIR_PROTECT, SEC_ENGINE_CRYPTODEV, 2, 0);
		for (i = 0; i < 3; i++) {
			bp[c][i].s = i == 1 ? mk(su, SEC_DIR_PROTECT, SEC_ENGINE_CRYPTODEV, 3, 0) :
					      p[c];
			bp[c][i].op = SEC_RTP_PROTECT;
			bp[c][i].pkt.data = b[c][i];
			bp[c][i].pkt.room = ROOM;
		}
		CU_ASSERT_EQUAL(sec_burst(c == 0 ? same : other, bp[c], 3), 3);
	}
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(bp[0][i].pkt.len, bp[1][i].pkt.len);
		CU_ASSERT_EQUAL(memcmp(b[0][i], b[1][i], bp[0][i].pkt.len), 0);
		CU_ASSERT(bp[0][i].pkt.len > (uint32_t)(12 + 10));
	}
	for (c = 0; c < 2; c++) {
		sec_session_destroy(bp[c][1].s);
		sec_session_destroy(p[c]);
	}
	sec_lcore_destroy(other);
	third = sec_lcore_create(6, &err);
	CU_ASSERT_PTR_NOT_NULL(third);
	sec_lcore_destroy(third);
	sec_lcore_destroy(same);
}

/* sec_config.max_sessions bounds the keys the cryptodev engine holds: past
 * it a session is refused with an error (no crash), and a destroyed one
 * makes room again. main() sets 64 keys: 128 device sessions. */
static void
key_capacity(void)
{
	const struct sec_suite *su = sec_suite_get(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	struct sec_session *s[200];
	struct sec_session_params p;
	uint8_t k[32] = {1}, salt[14] = {2};
	unsigned int n = 0, i;
	int err = 0;

	memset(&p, 0, sizeof(p));
	p.dir = SEC_DIR_PROTECT;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP; /* two device sessions */
	p.suite = su->id;
	p.master_key = k;
	p.master_salt = salt;
	p.engine = SEC_ENGINE_CRYPTODEV;
	while (n < 200 && (s[n] = sec_session_create(&p, &err)) != NULL)
		n++;
	/* 64 keys with both protocols, less what other tests still hold */
	CU_ASSERT(n >= 50 && n <= 64);
	CU_ASSERT(n < 200);
	CU_ASSERT(err == -EIO || err == -ENOMEM);
	if (n > 0) {
		sec_session_destroy(s[--n]);
		s[n] = sec_session_create(&p, &err);
		CU_ASSERT_PTR_NOT_NULL(s[n]);
		if (s[n] != NULL)
			n++;
	}
	for (i = 0; i < n; i++)
		sec_session_destroy(s[i]);
}

int
main(void)
{
	struct sec_config cfg;
	unsigned int f;
	CU_pSuite s;

	if (sec_test_eal_init("sec_multi", true) < 0)
		return 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.cryptodev_name = getenv("SEC_CDEV");
	cfg.max_sessions = 64;
	if (sec_init(&cfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV) ||
	    !sec_engine_available(SEC_ENGINE_OPENSSL) || !sec_engine_available(SEC_ENGINE_LIBSRTP) ||
	    sec_engine_available(SEC_ENGINE_IPSECMB) != sec_test_ipsecmb_expected())
		return 1;
	lc = sec_lcore_create(rte_lcore_id(), NULL);
	if (lc == NULL)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("sec_burst", NULL, NULL);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_80 many sessions", cm80);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_32 many sessions", cm32);
	CU_add_test(s, "AEAD_AES_128_GCM many sessions", gcm128);
	CU_add_test(s, "AEAD_AES_256_GCM many sessions", gcm256);
	CU_add_test(s, "AES_256_CM_HMAC_SHA1_80 many sessions", cm256);
	CU_add_test(s, "libsrtp sessions in the same bursts", with_libsrtp);
	CU_add_test(s, "bad entries", bad_entries);
	CU_add_test(s, "key capacity", key_capacity);
	CU_add_test(s, "per-lcore contexts", contexts);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_lcore_destroy(lc);
	sec_fini();
	rte_eal_cleanup();
	return f ? 1 : 0;
}
