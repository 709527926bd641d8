/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: the crypto defects of issue 11, each on the cryptodev
 * (crypto_aesni_mb) and openssl engines, AES-CM and GCM:
 *
 *  - retire by identity: after an inbound rekey, retiring the fallback
 *    drops the key the rekey replaced, whatever authenticated meanwhile;
 *  - a rekey that keeps the MKI tries the new key (both keys answer to
 *    the one MKI, RFC 3711 §3.1 leaves it to the key manager);
 *  - the protect side bounds how far one packet moves the index (RFC 3550
 *    A.1 MAX_DROPOUT, with its probation): libsrtp2 as the receiver keeps
 *    accepting the stream after a spoofed core-side jump, and follows a
 *    real sequence restart;
 *  - an engine change carries the session's state (or is refused for
 *    libsrtp, which cannot take it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"

static const uint8_t key_a[32] = {
	0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0,
	0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
};
static const uint8_t key_b[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const uint8_t salt_a[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4 };
static const uint8_t salt_b[14] = { 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* our transform's engines (main): cryptodev, openssl, ipsecmb where it
 * runs */
static enum sec_engine ours[3];
static unsigned int n_ours;
static const enum sec_suite_id suites[] = {
	SEC_SUITE_AES_CM_128_HMAC_SHA1_80, SEC_SUITE_AEAD_AES_128_GCM,
	SEC_SUITE_AEAD_AES_256_GCM,
};
#define N_SUITES 3

/* this thread's crypto context, for sec_burst */
static struct sec_lcore *lc;

static void
params(struct sec_session_params *p, enum sec_engine e, enum sec_suite_id suite,
		enum sec_dir dir, const uint8_t *k, const uint8_t *salt,
		uint8_t mki_len)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p->suite = suite;
	p->master_key = k;
	p->master_salt = salt;
	p->engine = e;
	p->mki_len = mki_len;
	if (mki_len)
		p->mki[mki_len - 1] = 1;
}

static struct sec_session *
mk(enum sec_engine e, enum sec_suite_id suite, enum sec_dir dir,
		const uint8_t *k, const uint8_t *salt, uint8_t mki_len)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	params(&p, e, suite, dir, k, salt, mki_len);
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static struct sec_session *
rekey(struct sec_session *old, enum sec_engine e, enum sec_suite_id suite,
		enum sec_dir dir, const uint8_t *k, const uint8_t *salt,
		uint8_t mki_len)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	params(&p, e, suite, dir, k, salt, mki_len);
	s = sec_session_rekey(old, &p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static uint32_t
rtp(uint8_t *b, uint16_t seq, uint32_t ssrc, uint32_t plen)
{
	uint32_t i;

	b[0] = 0x80;
	b[1] = 0;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	memset(b + 4, 0, 4);
	b[8] = (uint8_t)(ssrc >> 24);
	b[9] = (uint8_t)(ssrc >> 16);
	b[10] = (uint8_t)(ssrc >> 8);
	b[11] = (uint8_t)ssrc;
	for (i = 0; i < plen; i++)
		b[12 + i] = (uint8_t)(seq + i);
	return 12 + plen;
}

static uint8_t
one(struct sec_session *s, bool prot, bool rtcp, uint8_t *b, uint32_t *len)
{
	struct sec_pkt p = { .data = b, .len = *len, .room = 256 };
	uint8_t st = 0xff;

	if (prot)
		rtcp ? sec_rtcp_protect_burst(s, &p, 1, &st) :
			sec_protect_burst(s, &p, 1, &st);
	else
		rtcp ? sec_rtcp_unprotect_burst(s, &p, 1, &st) :
			sec_unprotect_burst(s, &p, 1, &st);
	*len = p.len;
	return st;
}

/* Protect seq with tx, unprotect with rx; the receiver's status. */
static uint8_t
send_rtp(struct sec_session *tx, struct sec_session *rx, uint16_t seq)
{
	uint8_t b[256];
	uint32_t len = rtp(b, seq, 42, 40);

	CU_ASSERT_EQUAL_FATAL(one(tx, true, false, b, &len), SEC_ST_OK);
	return one(rx, false, false, b, &len);
}

static uint8_t
send_rtcp(struct sec_session *tx, struct sec_session *rx)
{
	uint8_t b[256];
	uint32_t len = 24;

	memset(b, 0x3c, sizeof(b));
	b[0] = 0x80;
	b[1] = 201;
	b[2] = 0;
	b[3] = 5;
	b[4] = 0;
	b[5] = 0;
	b[6] = 0;
	b[7] = 42;
	CU_ASSERT_EQUAL_FATAL(one(tx, true, true, b, &len), SEC_ST_OK);
	return one(rx, false, true, b, &len);
}

/*
 * SPEC.md §1.9: after an inbound rekey the old key is a fallback for the
 * grace period. Retiring must drop the key the rekey replaced even when
 * no packet came under the new key (call on hold): keeping "the current
 * one" kept the old key and dropped the one the UE will resume with.
 */
static void
test_retire_identity(void)
{
	unsigned int e, su;

	for (e = 0; e < n_ours; e++) {
		for (su = 0; su < N_SUITES; su++) {
			struct sec_session *pa, *pb, *ua, *ub, *uc;
			int err = 0;
			uint16_t seq;

			pa = mk(ours[e], suites[su], SEC_DIR_PROTECT, key_a, salt_a, 0);
			ua = mk(ours[e], suites[su], SEC_DIR_UNPROTECT, key_a, salt_a, 0);
			for (seq = 1; seq <= 10; seq++)
				CU_ASSERT_EQUAL(send_rtp(pa, ua, seq), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pa, ua), SEC_ST_OK);
			pb = rekey(pa, ours[e], suites[su], SEC_DIR_PROTECT, key_b, salt_b, 0);
			ub = rekey(ua, ours[e], suites[su], SEC_DIR_UNPROTECT, key_b, salt_b, 0);
			/* on hold: the old key still in the air, none of the new */
			CU_ASSERT_EQUAL(send_rtp(pa, ub, seq++), SEC_ST_OK);
			uc = sec_session_retire_fallback(ub, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(uc);
			/* resumed: the new key passes, the old one is gone */
			CU_ASSERT_EQUAL(send_rtp(pb, uc, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pb, uc), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtp(pa, uc, seq++), SEC_ST_AUTH_FAIL);
			/* (pa's next SRTCP index was pb's: a replay or a
			 * forgery, never accepted) */
			CU_ASSERT_NOT_EQUAL(send_rtcp(pa, uc), SEC_ST_OK);
			sec_session_destroy(uc);
			/* the same when the new key was seen: still the new kept */
			CU_ASSERT_EQUAL(send_rtp(pb, ub, seq++), SEC_ST_OK);
			uc = sec_session_retire_fallback(ub, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(uc);
			CU_ASSERT_EQUAL(send_rtp(pb, uc, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtp(pa, uc, seq++), SEC_ST_AUTH_FAIL);
			sec_session_destroy(uc);
			sec_session_destroy(pa);
			sec_session_destroy(pb);
			sec_session_destroy(ua);
			sec_session_destroy(ub);
		}
	}
}

/*
 * A rekey that keeps the MKI (RFC 4568 allows the same MKI value with a
 * new key; the MKI names a key only within one key set): the packet's MKI
 * matches both keys, so the new key must still be tried when the current
 * one fails, or the new key is never used.
 */
static void
test_rekey_same_mki(void)
{
	unsigned int e, su;

	for (e = 0; e < n_ours; e++) {
		for (su = 0; su < N_SUITES; su++) {
			struct sec_session *pa, *pb, *ua, *ub;
			struct sec_stats st;
			uint16_t seq;

			pa = mk(ours[e], suites[su], SEC_DIR_PROTECT, key_a, salt_a, 1);
			ua = mk(ours[e], suites[su], SEC_DIR_UNPROTECT, key_a, salt_a, 1);
			for (seq = 1; seq <= 5; seq++)
				CU_ASSERT_EQUAL(send_rtp(pa, ua, seq), SEC_ST_OK);
			pb = rekey(pa, ours[e], suites[su], SEC_DIR_PROTECT, key_b, salt_b, 1);
			ub = rekey(ua, ours[e], suites[su], SEC_DIR_UNPROTECT, key_b, salt_b, 1);
			CU_ASSERT_EQUAL(send_rtp(pa, ub, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtp(pb, ub, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pb, ub), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtp(pb, ub, seq++), SEC_ST_OK);
			sec_session_stats(ub, &st);
			CU_ASSERT_EQUAL(st.key_switches, 1);
			/* a forgery under the shared MKI: both keys fail */
			{
				uint8_t b[256];
				uint32_t len = rtp(b, seq++, 42, 40);

				CU_ASSERT_EQUAL(one(pb, true, false, b, &len), SEC_ST_OK);
				b[14] ^= 0x80;
				CU_ASSERT_EQUAL(one(ub, false, false, b, &len), SEC_ST_AUTH_FAIL);
			}
			sec_session_destroy(pa);
			sec_session_destroy(pb);
			sec_session_destroy(ua);
			sec_session_destroy(ub);
		}
	}
}

/*
 * A core-side packet whose sequence number jumps far ahead (seq + 32000)
 * would move the protect stream's highest index: every later packet of
 * the real stream is then "too old" at our sender, and a receiver that got
 * the jumped packet (libsrtp2, RFC 3711 §3.3.1) drops them too: the
 * downlink is dead for minutes. The jump is dropped (RFC 3550 A.1
 * MAX_DROPOUT) unless the next packet confirms it (a real restart of the
 * sequence), which the receiver then follows as well.
 */
static void
test_protect_jump(void)
{
	unsigned int e, su;

	for (e = 0; e < n_ours; e++) {
		for (su = 0; su < N_SUITES; su++) {
			struct sec_session *p, *r;
			uint16_t seq, base;
			uint8_t b[256];
			uint32_t len;
			int k;

			p = mk(ours[e], suites[su], SEC_DIR_PROTECT, key_a, salt_a, 0);
			r = mk(SEC_ENGINE_LIBSRTP, suites[su], SEC_DIR_UNPROTECT, key_a, salt_a, 0);
			for (seq = 1; seq <= 100; seq++)
				CU_ASSERT_EQUAL(send_rtp(p, r, seq), SEC_ST_OK);
			/* one spoofed packet far ahead: not sent */
			len = rtp(b, (uint16_t)(100 + 32000), 42, 40);
			CU_ASSERT_EQUAL(one(p, true, false, b, &len), SEC_ST_SEQ_JUMP);
			/* the stream goes on, through the receiver too */
			for (seq = 101; seq <= 200; seq++)
				CU_ASSERT_EQUAL(send_rtp(p, r, seq), SEC_ST_OK);
			/* a real restart (two consecutive packets) is followed:
			 * the first is dropped, the rest pass */
			base = 200 + 20000;
			len = rtp(b, base, 42, 40);
			CU_ASSERT_EQUAL(one(p, true, false, b, &len), SEC_ST_SEQ_JUMP);
			for (k = 1; k <= 100; k++)
				CU_ASSERT_EQUAL(send_rtp(p, r, (uint16_t)(base + k)), SEC_ST_OK);
			/* after the restart, a spoofed jump is dropped again */
			for (seq = 20301; seq != 20400; seq++)
				CU_ASSERT_EQUAL(send_rtp(p, r, seq), SEC_ST_OK);
			len = rtp(b, 40000, 42, 40);
			CU_ASSERT_EQUAL(one(p, true, false, b, &len), SEC_ST_SEQ_JUMP);
			CU_ASSERT_EQUAL(send_rtp(p, r, 20400), SEC_ST_OK);
			/* small gaps (loss) are no jump */
			CU_ASSERT_EQUAL(send_rtp(p, r, 20400 + 2000), SEC_ST_OK);
			sec_session_destroy(p);
			sec_session_destroy(r);
		}
	}
}

/*
 * An engine change carries the state of the key (issue 11 item 1, RFC 3711
 * §9.1): replays stay refused, the ROC goes on, the SRTCP index we send
 * goes on (64 ahead, for what the old session may still send), a rekey in
 * progress keeps both keys. libsrtp cannot take the state: refused.
 */
static void
test_change_engine(void)
{
	unsigned int e, su;

	for (e = 0; e < n_ours; e++) {
		for (su = 0; su < N_SUITES; su++) {
			/* each engine to the next one (the last to the first) */
			enum sec_engine from = ours[e], to = ours[(e + 1) % n_ours];
			struct sec_session *pa, *ua, *ub, *pc, *uc, *pb;
			struct sec_stream_info si, sj;
			uint8_t b[256], keep[256];
			uint32_t len, klen;
			int err = 0;
			uint16_t seq;

			pa = mk(from, suites[su], SEC_DIR_PROTECT, key_a, salt_a, 0);
			ua = mk(from, suites[su], SEC_DIR_UNPROTECT, key_a, salt_a, 0);
			for (seq = 65500; seq != 10; seq++)
				CU_ASSERT_EQUAL(send_rtp(pa, ua, seq), SEC_ST_OK);
			klen = rtp(keep, seq++, 42, 40);
			CU_ASSERT_EQUAL(one(pa, true, false, keep, &klen), SEC_ST_OK);
			memcpy(b, keep, klen);
			len = klen;
			CU_ASSERT_EQUAL(one(ua, false, false, b, &len), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pa, ua), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pa, ua), SEC_ST_OK);
			/* a rekey in progress on the receiver */
			ub = rekey(ua, from, suites[su], SEC_DIR_UNPROTECT, key_b, salt_b, 0);

			CU_ASSERT_PTR_NULL(sec_session_change_engine(pa, from, &err));
			CU_ASSERT_EQUAL(err, -EALREADY);
			CU_ASSERT_PTR_NULL(sec_session_change_engine(pa, SEC_ENGINE_LIBSRTP, &err));
			CU_ASSERT_EQUAL(err, -ENOTSUP);
			pc = sec_session_change_engine(pa, to, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
			CU_ASSERT_EQUAL(sec_session_engine(pc), to);
			uc = sec_session_change_engine(ub, to, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(uc);
			CU_ASSERT_EQUAL(sec_session_stream_info(pa, 42, &si), 0);
			CU_ASSERT_EQUAL(sec_session_stream_info(pc, 42, &sj), 0);
			CU_ASSERT_EQUAL(si.roc, 1);
			CU_ASSERT_EQUAL(sj.srtp_highest, si.srtp_highest);
			CU_ASSERT_EQUAL(sj.srtcp_index, si.srtcp_index + 64);
			/* the packet seen before is a replay on the new engine */
			memcpy(b, keep, klen);
			len = klen;
			CU_ASSERT_EQUAL(one(uc, false, false, b, &len), SEC_ST_REPLAY);
			/* our sender cannot protect that index again */
			len = rtp(b, (uint16_t)(seq - 1), 42, 40);
			CU_ASSERT_EQUAL(one(pc, true, false, b, &len), SEC_ST_REPLAY);
			/* both keys of the rekey still work, ROC 1 goes on */
			CU_ASSERT_EQUAL(send_rtp(pc, uc, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(send_rtcp(pc, uc), SEC_ST_OK);
			pb = rekey(pc, to, suites[su], SEC_DIR_PROTECT, key_b, salt_b, 0);
			CU_ASSERT_EQUAL(send_rtp(pb, uc, seq++), SEC_ST_OK);
			CU_ASSERT_EQUAL(sec_session_stream_info(uc, 42, &sj), 0);
			CU_ASSERT_EQUAL(sj.roc, 1);
			CU_ASSERT_EQUAL(sj.s_l, (uint16_t)(seq - 1));
			sec_session_destroy(pa);
			sec_session_destroy(pb);
			sec_session_destroy(pc);
			sec_session_destroy(ua);
			sec_session_destroy(ub);
			sec_session_destroy(uc);
		}
	}
}

/*
 * sec_burst equals packet-by-packet also in the reason of a refusal: a
 * replay of the chunk's first packet after a packet of the same chunk
 * crossed the wrap (index 64512, then 65536) is too old, not a "replay"
 * against the state before the chunk (found by fuzz_srtp_diff).
 */
static void
test_burst_refusal_reason(void)
{
	unsigned int e, su;

	for (e = 0; e < n_ours; e++) {
		for (su = 0; su < N_SUITES; su++) {
			struct sec_session *p, *u;
			struct sec_burst_pkt bp[3];
			uint8_t b[3][256];
			unsigned int k;
			uint16_t seqs[3] = { 64512, 0, 64512 };

			p = mk(SEC_ENGINE_OPENSSL, suites[su], SEC_DIR_PROTECT, key_a, salt_a, 0);
			u = mk(ours[e], suites[su], SEC_DIR_UNPROTECT, key_a, salt_a, 0);
			for (k = 0; k < 2; k++) {
				uint32_t len = rtp(b[k], seqs[k], 42, 40);

				CU_ASSERT_EQUAL(one(p, true, false, b[k], &len), SEC_ST_OK);
				bp[k].pkt.len = len;
			}
			memcpy(b[2], b[0], bp[0].pkt.len);
			bp[2].pkt.len = bp[0].pkt.len;
			for (k = 0; k < 3; k++) {
				bp[k].s = u;
				bp[k].op = SEC_RTP_UNPROTECT;
				bp[k].pkt.data = b[k];
				bp[k].pkt.room = 256;
			}
			CU_ASSERT_EQUAL(sec_burst(lc, bp, 3), 2);
			CU_ASSERT_EQUAL(bp[0].status, SEC_ST_OK);
			CU_ASSERT_EQUAL(bp[1].status, SEC_ST_OK);
			CU_ASSERT_EQUAL(bp[2].status, SEC_ST_TOO_OLD);
			sec_session_destroy(p);
			sec_session_destroy(u);
		}
	}
}

/*
 * The libsrtp engine never hands libsrtp2 a packet shorter than its
 * headers, MKI and tag: Debian 12's libsrtp2 (NSS backend) crashes on a
 * short GCM packet with MKI (found by fuzz_srtp_diff). Refused as
 * malformed, as our transform does.
 */
static void
test_libsrtp_short(void)
{
	unsigned int su, len;

	for (su = 0; su < N_SUITES; su++) {
		struct sec_session *u = mk(SEC_ENGINE_LIBSRTP, suites[su], SEC_DIR_UNPROTECT,
				key_a, salt_a, 2);
		uint8_t b[64];

		const struct sec_suite *x = sec_suite_get(suites[su]);

		for (len = 0; len < 30; len++) {
			uint32_t l = len;

			memset(b, 0x9b, sizeof(b));
			b[0] = 0x80;
			if (len < 12u + 2 + x->srtp_tag_len)
				CU_ASSERT_EQUAL(one(u, false, false, b, &l), SEC_ST_MALFORMED);
			l = len;
			if (len < 8 + 4 + 2 + 10)
				CU_ASSERT_EQUAL(one(u, false, true, b, &l), SEC_ST_MALFORMED);
		}
		sec_session_destroy(u);
	}
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;
	struct sec_config cfg;

	if (sec_test_eal_init("sec_harden", true) < 0)
		return 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.cryptodev_name = getenv("SEC_CDEV");
	if (sec_init(&cfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV))
		return 1;
	n_ours = sec_test_our_engines(ours);
	if (n_ours == 0)
		return 1;
	lc = sec_lcore_create(rte_lcore_id(), NULL);
	if (lc == NULL || CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("harden", NULL, NULL);
	CU_add_test(s, "retire by identity", test_retire_identity);
	CU_add_test(s, "rekey keeping the MKI", test_rekey_same_mki);
	CU_add_test(s, "protect-side sequence jump", test_protect_jump);
	CU_add_test(s, "engine change keeps state", test_change_engine);
	CU_add_test(s, "burst refusal reason as packet by packet",
			test_burst_refusal_reason);
	CU_add_test(s, "libsrtp never sees a packet shorter than its tag",
			test_libsrtp_short);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_lcore_destroy(lc);
	sec_fini();
	rte_eal_cleanup();
	return f ? 1 : 0;
}
