/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test against libsrtp2 as the oracle (called directly here,
 * not through our libsrtp engine). For every suite libsrtp supports and
 * for our openssl, cryptodev and ipsecmb engines, in bursts:
 *  - protect: random RTP (payload 0..1400, 0..15 CSRCs, header extensions,
 *    padding) or RTCP; our bytes and verdicts equal libsrtp's, including
 *    sender-side repeats of a sequence number;
 *  - unprotect: libsrtp's output through a lossy "network" (reordering,
 *    duplicates, very late packets, bit flips in header, payload, tag,
 *    MKI and SRTCP index); our verdict and plaintext equal libsrtp's.
 * RTP sequence numbers start near 65535 so every run crosses ROC 0 -> 1.
 * Env SEC_DIFF_N overrides the packet count per suite and direction;
 * SEC_GCM_COMPACT=1 runs ipsecmb's compact GCM key layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <srtp2/srtp.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"

#define MAXPKT 1600
#define BURST 16
#define NENG 3   /* room: openssl, cryptodev, ipsecmb */

/* the engines under test (main), neng of them */
static enum sec_engine engines[NENG];
static unsigned int neng;
static unsigned int npkts = 100000;

static uint64_t rs = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (uint32_t)((rs * 0x2545F4914F6CDD1Dull) >> 32);
}

static void
rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

/* ---- oracle ---- */

static uint8_t
map_err(srtp_err_status_t e)
{
	switch (e) {
	case srtp_err_status_ok: return SEC_ST_OK;
	case srtp_err_status_auth_fail: return SEC_ST_AUTH_FAIL;
	case srtp_err_status_replay_fail: return SEC_ST_REPLAY;
	case srtp_err_status_replay_old: return SEC_ST_TOO_OLD;
	case srtp_err_status_bad_param:
	case srtp_err_status_parse_err:
	case srtp_err_status_cant_check: /* E=0 SRTCP refused */ return SEC_ST_MALFORMED;
	case srtp_err_status_key_expired: return SEC_ST_KEY_LIMIT;
	case srtp_err_status_bad_mki: return SEC_ST_BAD_MKI;
	default: return SEC_ST_ERROR;
	}
}

static srtp_t
oracle(enum sec_suite_id id, bool out, uint8_t *ks, uint8_t *mki,
		unsigned int ml)
{
	srtp_policy_t p;
	srtp_master_key_t mk, *mkp = &mk;
	srtp_t c = NULL;

	memset(&p, 0, sizeof(p));
	switch (id) {
	case SEC_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
		break;
	case SEC_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
		break;
	case SEC_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
		break;
	case SEC_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
		break;
	case SEC_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtcp);
		break;
	case SEC_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&p.rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtcp);
		break;
	default:
		return NULL;
	}
	p.ssrc.type = out ? ssrc_any_outbound : ssrc_any_inbound;
	if (ml) {
		mk.key = ks;
		mk.mki_id = mki;
		mk.mki_size = ml;
		p.keys = &mkp;
		p.num_master_keys = 1;
	} else {
		p.key = ks;
	}
	p.window_size = 128;
	if (srtp_create(&c, &p) != srtp_err_status_ok)
		return NULL;
	return c;
}

/* ---- packets ---- */

struct pkt {
	uint8_t b[MAXPKT];
	uint32_t len;
};

static uint32_t
gen_rtp(uint8_t *b, uint16_t seq, uint32_t ssrc)
{
	uint32_t cc = rnd() % 4 == 0 ? rnd() % 16 : 0;
	uint32_t x = rnd() % 3 == 0, pad = rnd() % 5 == 0;
	uint32_t pl = rnd() % 1401, h = 12 + 4 * cc, ext = 0;

	b[0] = (uint8_t)(0x80 | (pad ? 0x20 : 0) | (x ? 0x10 : 0) | cc);
	b[1] = (uint8_t)(rnd() & 0xff);
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	rnd_bytes(b + 4, 4);
	b[8] = (uint8_t)(ssrc >> 24);
	b[9] = (uint8_t)(ssrc >> 16);
	b[10] = (uint8_t)(ssrc >> 8);
	b[11] = (uint8_t)ssrc;
	rnd_bytes(b + 12, 4 * cc);
	if (x) {
		ext = rnd() % 5;
		b[h] = 0xbe;
		b[h + 1] = 0xde;
		b[h + 2] = 0;
		b[h + 3] = (uint8_t)ext;
		rnd_bytes(b + h + 4, 4 * ext);
		h += 4 + 4 * ext;
	}
	rnd_bytes(b + h, pl);
	if (pad) {
		uint32_t pc;

		if (pl == 0)
			pl = 1;
		pc = 1 + rnd() % (pl < 255 ? pl : 255);
		b[h + pl - 1] = (uint8_t)pc;
	}
	return h + pl;
}

static uint32_t
gen_rtcp(uint8_t *b, uint32_t ssrc)
{
	uint32_t words = 1 + rnd() % 350;   /* body up to 1400 bytes */

	b[0] = 0x80 | (uint8_t)(rnd() % 32);
	b[1] = 200 + (uint8_t)(rnd() % 5);
	b[2] = (uint8_t)(words >> 8);
	b[3] = (uint8_t)words;
	b[4] = (uint8_t)(ssrc >> 24);
	b[5] = (uint8_t)(ssrc >> 16);
	b[6] = (uint8_t)(ssrc >> 8);
	b[7] = (uint8_t)ssrc;
	rnd_bytes(b + 8, 4 * words - 4);
	return 4 + 4 * words;
}

/* ---- per-run state ---- */

struct run {
	enum sec_suite_id suite;
	bool rtcp;
	unsigned int ml;
	srtp_t os, orx;
	struct sec_session *p[NENG], *u[NENG];
	/* receive side burst: oracle verdicts in order */
	struct pkt in[BURST];
	struct pkt ours[NENG][BURST];
	uint8_t overdict[BURST];
	struct pkt oplain[BURST];
	unsigned int nin;
	int flipped[BURST];   /* byte flipped in in[i] (diagnostics), or -1 */
	int last_flip;
	/* counters */
	unsigned long verdicts[SEC_ST_COUNT];
	unsigned long mismatch;
	unsigned long sent_ok, flips;
};

static void
report_mismatch(struct run *r, const char *what, unsigned int e,
		uint8_t want, uint8_t got, int k)
{
	if (r->mismatch++ < 10)
		fprintf(stderr, "MISMATCH %s suite %d rtcp %d engine %s: "
				"oracle %s ours %s (flipped byte %d of %u)\n",
				what, r->suite, r->rtcp,
				sec_engine_name(engines[e]),
				sec_status_str(want), sec_status_str(got),
				k >= 0 ? r->flipped[k] : -2,
				k >= 0 ? r->in[k].len : 0);
}

static void
flush_rx(struct run *r)
{
	unsigned int e, i;

	for (e = 0; e < neng; e++) {
		struct sec_pkt sp[BURST];
		uint8_t st[BURST];
		uint16_t good;

		for (i = 0; i < r->nin; i++) {
			memcpy(r->ours[e][i].b, r->in[i].b, r->in[i].len);
			sp[i].data = r->ours[e][i].b;
			sp[i].len = r->in[i].len;
			sp[i].room = MAXPKT;
		}
		good = r->rtcp ?
			sec_rtcp_unprotect_burst(r->u[e], sp, (uint16_t)r->nin, st) :
			sec_unprotect_burst(r->u[e], sp, (uint16_t)r->nin, st);
		(void)good;
		for (i = 0; i < r->nin; i++) {
			unsigned int k = (unsigned int)(
				(struct pkt *)(void *)sp[i].data - r->ours[e]);

			if (st[i] != r->overdict[k]) {
				report_mismatch(r, "unprotect", e,
						r->overdict[k], st[i], (int)k);
				continue;
			}
			if (st[i] == SEC_ST_OK &&
					(sp[i].len != r->oplain[k].len ||
					 memcmp(sp[i].data, r->oplain[k].b,
						 sp[i].len) != 0))
				report_mismatch(r, "plaintext", e, 0, 0,
						(int)k);
		}
	}
	r->nin = 0;
}

/* Deliver one packet to the receivers (oracle now, ours in bursts). */
static void
deliver(struct run *r, const uint8_t *b, uint32_t len)
{
	struct pkt *ip = &r->in[r->nin];
	int l = (int)len;
	srtp_err_status_t e;

	memcpy(ip->b, b, len);
	ip->len = len;
	r->flipped[r->nin] = r->last_flip;
	r->last_flip = -1;
	memcpy(r->oplain[r->nin].b, b, len);
	if (r->rtcp)
		e = srtp_unprotect_rtcp_mki(r->orx, r->oplain[r->nin].b, &l,
				r->ml != 0);
	else
		e = srtp_unprotect_mki(r->orx, r->oplain[r->nin].b, &l,
				r->ml != 0);
	r->overdict[r->nin] = map_err(e);
	r->oplain[r->nin].len = (uint32_t)l;
	r->verdicts[map_err(e)]++;
	if (++r->nin == BURST)
		flush_rx(r);
}

/* Flip one bit in a chosen region of a protected packet. */
static void
flip(struct run *r, uint8_t *b, uint32_t len)
{
	const struct sec_suite *su = sec_suite_get(r->suite);
	uint32_t tl = r->rtcp ? su->srtcp_tag_len : su->srtp_tag_len;
	uint32_t hl = r->rtcp ? 8 : 12, pos;
	uint32_t trailer = tl + r->ml + (r->rtcp ? 4 : 0);

	switch (rnd() % 5) {
	case 0: /* header */
		pos = rnd() % hl;
		break;
	case 1: /* tag region (and E|index for SRTCP) */
		pos = len - trailer + rnd() % trailer;
		break;
	case 2: /* MKI if any, else payload */
		if (r->ml) {
			pos = su->aead ? (r->rtcp ? len - r->ml : len - r->ml) :
				(r->rtcp ? len - tl - r->ml : len - tl - r->ml);
			pos += rnd() % r->ml;
			break;
		}
		/* fallthrough */
	case 3: /* SRTCP index word, else payload */
		if (r->rtcp) {
			pos = su->aead ? len - r->ml - 4 :
				len - r->ml - tl - 4;
			pos += rnd() % 4;
			break;
		}
		/* fallthrough */
	default: /* payload */
		if (len - trailer > hl)
			pos = hl + rnd() % (len - trailer - hl);
		else
			pos = rnd() % len;
		break;
	}
	b[pos] ^= (uint8_t)(1u << (rnd() % 8));
	r->last_flip = (int)pos;
	r->flips++;
}

struct held {
	struct pkt p;
	unsigned long at;
	bool used;
};

static void
run_one(enum sec_suite_id suite, bool rtcp, unsigned int ml)
{
	const struct sec_suite *su = sec_suite_get(suite);
	static struct run r;
	static struct held hold[64];
	static struct pkt gen[BURST], oout[BURST], our[NENG][BURST];
	uint8_t ks[64], mki[16];
	uint8_t ostat[BURST];
	struct sec_session_params sp;
	unsigned int e, i, k;
	unsigned long n = 0, t = 0;
	uint16_t seq = (uint16_t)(65535 - npkts / 4 + rnd() % 64);
	uint32_t ssrc = rnd(), ssrc2 = rnd() | 1;
	int err;

	memset(&r, 0, sizeof(r));
	memset(hold, 0, sizeof(hold));
	r.suite = suite;
	r.rtcp = rtcp;
	r.last_flip = -1;
	r.ml = ml;
	rnd_bytes(ks, sizeof(ks));
	rnd_bytes(mki, sizeof(mki));
	r.os = oracle(suite, true, ks, mki, ml);
	r.orx = oracle(suite, false, ks, mki, ml);
	if (r.os == NULL || r.orx == NULL) {
		fprintf(stderr, "libsrtp does not support suite %s: skipped\n",
				su->name);
		return;
	}
	memset(&sp, 0, sizeof(sp));
	sp.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	sp.suite = suite;
	sp.master_key = ks;
	sp.master_salt = ks + su->master_key_len;
	memcpy(sp.mki, mki, ml);
	sp.mki_len = (uint8_t)ml;
	for (e = 0; e < neng; e++) {
		sp.engine = engines[e];
		sp.dir = SEC_DIR_PROTECT;
		r.p[e] = sec_session_create(&sp, &err);
		sp.dir = SEC_DIR_UNPROTECT;
		r.u[e] = sec_session_create(&sp, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.p[e]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.u[e]);
	}

	while (n < npkts) {
		unsigned int nb = BURST;

		/* sender: a burst of plaintext packets */
		for (i = 0; i < nb; i++) {
			uint32_t s1 = rnd() % 50 == 0 ? ssrc2 : ssrc;

			if (rtcp) {
				gen[i].len = gen_rtcp(gen[i].b, s1);
			} else {
				/* 0.3%: sender repeats an old SEQ */
				uint16_t q = rnd() % 300 == 0 ?
					(uint16_t)(seq - 1 - rnd() % 200) : seq++;

				gen[i].len = gen_rtp(gen[i].b, q, s1);
			}
			oout[i] = gen[i];
			{
				int l = (int)oout[i].len;
				srtp_err_status_t x = rtcp ?
					srtp_protect_rtcp_mki(r.os, oout[i].b,
							&l, ml != 0, 0) :
					srtp_protect_mki(r.os, oout[i].b, &l,
							ml != 0, 0);

				ostat[i] = map_err(x);
				oout[i].len = (uint32_t)l;
			}
		}
		for (e = 0; e < neng; e++) {
			struct sec_pkt pk[BURST];
			uint8_t st[BURST];

			for (i = 0; i < nb; i++) {
				our[e][i] = gen[i];
				pk[i].data = our[e][i].b;
				pk[i].len = gen[i].len;
				pk[i].room = MAXPKT;
			}
			if (rtcp)
				sec_rtcp_protect_burst(r.p[e], pk, (uint16_t)nb, st);
			else
				sec_protect_burst(r.p[e], pk, (uint16_t)nb, st);
			for (i = 0; i < nb; i++) {
				k = (unsigned int)((struct pkt *)(void *)
						pk[i].data - our[e]);
				if (st[i] != ostat[k]) {
					report_mismatch(&r, "protect", e,
							ostat[k], st[i], -1);
				} else if (st[i] == SEC_ST_OK &&
						(pk[i].len != oout[k].len ||
						 memcmp(pk[i].data, oout[k].b,
							 pk[i].len) != 0)) {
					report_mismatch(&r, "ciphertext", e, 0,
							0, -1);
				}
			}
		}
		/* network: deliver libsrtp's output with impairments */
		for (i = 0; i < nb; i++, n++, t++) {
			unsigned int x = rnd() % 1000;

			for (k = 0; k < 64; k++) {
				if (hold[k].used && hold[k].at <= t) {
					deliver(&r, hold[k].p.b, hold[k].p.len);
					hold[k].used = false;
				}
			}
			if (ostat[i] != SEC_ST_OK)
				continue;
			r.sent_ok++;
			if (x < 15) {
				struct pkt c = oout[i];

				flip(&r, c.b, c.len);
				deliver(&r, c.b, c.len);
				if (x & 1)
					deliver(&r, oout[i].b, oout[i].len);
				continue;
			}
			for (k = 0; k < 64 && hold[k].used; k++)
				;
			if (x < 35 && k < 64) {
				/* late: reordered (1..20), stale (300+) */
				hold[k].p = oout[i];
				hold[k].at = t + (x < 30 ? 1 + rnd() % 20 :
						300 + rnd() % 100);
				hold[k].used = true;
				if (x >= 30 && (x & 1))
					deliver(&r, oout[i].b, oout[i].len);
				continue;
			}
			deliver(&r, oout[i].b, oout[i].len);
			if (x < 45 && k < 64) {
				/* duplicate later */
				hold[k].p = oout[i];
				hold[k].at = t + 1 + rnd() % 100;
				hold[k].used = true;
			}
		}
	}
	for (k = 0; k < 64; k++)
		if (hold[k].used)
			deliver(&r, hold[k].p.b, hold[k].p.len);
	flush_rx(&r);

	printf("\n  %s %s mki=%u: %lu pkts, oracle verdicts ok=%lu auth=%lu "
			"replay=%lu old=%lu malformed=%lu bad-mki=%lu, "
			"mismatches=%lu", su->name, rtcp ? "SRTCP" : "SRTP", ml,
			n, r.verdicts[SEC_ST_OK], r.verdicts[SEC_ST_AUTH_FAIL],
			r.verdicts[SEC_ST_REPLAY], r.verdicts[SEC_ST_TOO_OLD],
			r.verdicts[SEC_ST_MALFORMED], r.verdicts[SEC_ST_BAD_MKI],
			r.mismatch);
	CU_ASSERT_EQUAL(r.mismatch, 0);
	CU_ASSERT(r.verdicts[SEC_ST_OK] > r.sent_ok * 9 / 10);
	CU_ASSERT(r.verdicts[SEC_ST_AUTH_FAIL] > 0);
	CU_ASSERT(r.verdicts[SEC_ST_REPLAY] > 0);
	CU_ASSERT(r.verdicts[SEC_ST_TOO_OLD] > 0);
	if (ml)
		CU_ASSERT(r.verdicts[SEC_ST_BAD_MKI] > 0);
	if (!rtcp) {
		struct sec_stream_info si;

		for (e = 0; e < neng; e++) {
			CU_ASSERT_EQUAL(sec_session_stream_info(r.u[e], ssrc,
						&si), 0);
			CU_ASSERT(si.roc >= 1); /* crossed 65535 -> 0 */
		}
	}
	for (e = 0; e < neng; e++) {
		sec_session_destroy(r.p[e]);
		sec_session_destroy(r.u[e]);
	}
	srtp_dealloc(r.os);
	srtp_dealloc(r.orx);
}

#define SUITE_TESTS(ID, FN) \
	static void FN##_rtp(void) { run_one(ID, false, 0); } \
	static void FN##_rtcp(void) { run_one(ID, true, 0); }

SUITE_TESTS(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, cm128_80)
SUITE_TESTS(SEC_SUITE_AES_CM_128_HMAC_SHA1_32, cm128_32)
SUITE_TESTS(SEC_SUITE_AEAD_AES_128_GCM, gcm128)
SUITE_TESTS(SEC_SUITE_AEAD_AES_256_GCM, gcm256)
SUITE_TESTS(SEC_SUITE_AES_256_CM_HMAC_SHA1_80, cm256_80)
SUITE_TESTS(SEC_SUITE_AES_256_CM_HMAC_SHA1_32, cm256_32)

static void
mki_cm(void)
{
	unsigned int save = npkts;

	npkts = save / 5;
	run_one(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, false, 4);
	run_one(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, true, 4);
	npkts = save;
}

static void
mki_gcm(void)
{
	unsigned int save = npkts;

	npkts = save / 5;
	run_one(SEC_SUITE_AEAD_AES_128_GCM, false, 2);
	run_one(SEC_SUITE_AEAD_AES_128_GCM, true, 2);
	npkts = save;
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;
	struct sec_config cfg;
	const char *env = getenv("SEC_DIFF_N");

	if (env != NULL && atoi(env) > 0)
		npkts = (unsigned int)atoi(env);
	if (sec_test_eal_init("sec_diff", true) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	memset(&cfg, 0, sizeof(cfg));
	/* SEC_CDEV=crypto_openssl exercises the enqueue/dequeue path */
	cfg.cryptodev_name = getenv("SEC_CDEV");
	/* SEC_GCM_COMPACT=1: the ipsecmb engine's compact GCM key layout */
	cfg.gcm_compact = getenv("SEC_GCM_COMPACT") != NULL;
	if (sec_init(&cfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV)) {
		fprintf(stderr, "sec_init failed or no cryptodev\n");
		return 1;
	}
	neng = sec_test_our_engines(engines);
	if (neng == 0) {
		fprintf(stderr, "ipsecmb engine: registered %d, expected %d\n",
				sec_engine_available(SEC_ENGINE_IPSECMB),
				sec_test_ipsecmb_expected());
		return 1;
	}
	/* sec_init's libsrtp engine initialised libsrtp already */
	if (!sec_engine_available(SEC_ENGINE_LIBSRTP) &&
			srtp_init() != srtp_err_status_ok) {
		fprintf(stderr, "srtp_init failed\n");
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("differential vs libsrtp2", NULL, NULL);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_80 SRTP", cm128_80_rtp);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_80 SRTCP", cm128_80_rtcp);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_32 SRTP", cm128_32_rtp);
	CU_add_test(s, "AES_CM_128_HMAC_SHA1_32 SRTCP", cm128_32_rtcp);
	CU_add_test(s, "AEAD_AES_128_GCM SRTP", gcm128_rtp);
	CU_add_test(s, "AEAD_AES_128_GCM SRTCP", gcm128_rtcp);
	CU_add_test(s, "AEAD_AES_256_GCM SRTP", gcm256_rtp);
	CU_add_test(s, "AEAD_AES_256_GCM SRTCP", gcm256_rtcp);
	CU_add_test(s, "AES_256_CM_HMAC_SHA1_80 SRTP", cm256_80_rtp);
	CU_add_test(s, "AES_256_CM_HMAC_SHA1_80 SRTCP", cm256_80_rtcp);
	CU_add_test(s, "AES_256_CM_HMAC_SHA1_32 SRTP", cm256_32_rtp);
	CU_add_test(s, "AES_256_CM_HMAC_SHA1_32 SRTCP", cm256_32_rtcp);
	CU_add_test(s, "MKI AES-CM", mki_cm);
	CU_add_test(s, "MKI GCM", mki_gcm);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_fini();
	rte_eal_cleanup();
	return f ? 1 : 0;
}
