/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session API for every engine: known answers (RFC 3711/7714 via the
 * engines' self-test and byte checks here), ROC wrap, replay window,
 * reordering, flipped bits, MKI, key lifetime, stream table limit,
 * malformed input, burst reordering, rekey with fallback key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"
#include "sec_test_one.h"

static const uint8_t t2_key[16] = {
	0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0,
	0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
};
static const uint8_t t2_salt[14] = {
	0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB,
	0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6,
};
static const uint8_t key_b[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const uint8_t key_a[32] = {
	0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0,
	0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
	0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
};
static const uint8_t salt_b[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4 };

/* The engines under test (main): our transform's first (n_ours of them:
 * cryptodev, openssl, ipsecmb where it runs), libsrtp last. */
static enum sec_engine all_eng[4];
static unsigned int neng, n_ours;

static void
unhex(const char *h, uint8_t *o)
{
	while (h[0] && h[1]) {
		unsigned int v;

		sscanf(h, "%2x", &v);
		*o++ = (uint8_t)v;
		h += 2;
	}
}

static struct sec_session *
mk(enum sec_engine e, enum sec_suite_id suite, enum sec_dir dir,
		const uint8_t *k, const uint8_t *salt)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = suite;
	p.master_key = k;
	p.master_salt = salt;
	p.engine = e;
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(err, 0);
	return s;
}

/* RTP packet of 12 + plen bytes. */
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
	return sec_test_one(s, prot, rtcp, b, len, 256);
}

static void
test_selftest(void)
{
	unsigned int i;

	for (i = 0; i < neng; i++) {
		CU_ASSERT(sec_engine_available(all_eng[i]));
		CU_ASSERT_EQUAL(sec_engine_selftest(all_eng[i]), 0);
	}
	CU_ASSERT_EQUAL(sec_suite_mask(), SEC_SUITE_MASK_ALL);
}

/* SPEC T3/T4 bytes through the public API, every engine. */
static void
test_t3_t4(void)
{
	unsigned int i;

	for (i = 0; i < neng; i++) {
		struct sec_session *p = mk(all_eng[i],
				SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
				SEC_DIR_PROTECT, t2_key, t2_salt);
		struct sec_session *u = mk(all_eng[i],
				SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
				SEC_DIR_UNPROTECT, t2_key, t2_salt);
		uint8_t b[256], exp[64], plain[64];
		uint32_t len;

		unhex("800f1234decafbadcafebabeabababababababababababababababab",
				plain);
		unhex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402"
				"b78d6acc99ea179b8dbb", exp);
		memcpy(b, plain, 28);
		len = 28;
		CU_ASSERT_EQUAL(one(p, true, false, b, &len), SEC_ST_OK);
		CU_ASSERT_EQUAL(len, 38);
		CU_ASSERT(memcmp(b, exp, 38) == 0);
		CU_ASSERT_EQUAL(one(u, false, false, b, &len), SEC_ST_OK);
		CU_ASSERT_EQUAL(len, 28);
		CU_ASSERT(memcmp(b, plain, 28) == 0);

		unhex("81c8000bcafebabeabababababababababababababababab", plain);
		unhex("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001"
				"993e08cd54d6c1230798", exp);
		memcpy(b, plain, 24);
		len = 24;
		CU_ASSERT_EQUAL(one(p, true, true, b, &len), SEC_ST_OK);
		CU_ASSERT_EQUAL(len, 38);
		CU_ASSERT(memcmp(b, exp, 38) == 0);
		CU_ASSERT_EQUAL(one(u, false, true, b, &len), SEC_ST_OK);
		CU_ASSERT_EQUAL(len, 24);
		CU_ASSERT(memcmp(b, plain, 24) == 0);
		sec_session_destroy(p);
		sec_session_destroy(u);
	}
}

/* ROC 0 -> 1 across 65535 -> 0, reorder, replay, too old, flips. */
static void
test_window_and_roc(void)
{
	unsigned int i, suite;

	for (suite = 0; suite < SEC_SUITE_COUNT; suite++) {
		for (i = 0; i < neng; i++) {
			const struct sec_suite *su = sec_suite_get(suite);
			struct sec_session *p = mk(all_eng[i], suite,
					SEC_DIR_PROTECT, key_b, salt_b);
			struct sec_session *u = mk(all_eng[i], suite,
					SEC_DIR_UNPROTECT, key_b, salt_b);
			static uint8_t pk[400][256];
			uint32_t pl[400], len;
			uint8_t b[256];
			struct sec_stats stt;
			unsigned int k;

			for (k = 0; k < 400; k++) {
				pl[k] = rtp(pk[k], (uint16_t)(65400 + k), 0x1234,
						20 + k % 50);
				CU_ASSERT_EQUAL(one(p, true, false, pk[k],
							&pl[k]), SEC_ST_OK);
			}
			/* in order up to 199, 201 before 200 (reorder) */
			for (k = 0; k < 200; k++) {
				memcpy(b, pk[k], pl[k]);
				len = pl[k];
				CU_ASSERT_EQUAL(one(u, false, false, b, &len),
						SEC_ST_OK);
				CU_ASSERT_EQUAL(len, 12 + 20 + k % 50);
			}
			memcpy(b, pk[201], pl[201]);
			len = pl[201];
			CU_ASSERT_EQUAL(one(u, false, false, b, &len), SEC_ST_OK);
			memcpy(b, pk[200], pl[200]);
			len = pl[200];
			CU_ASSERT_EQUAL(one(u, false, false, b, &len), SEC_ST_OK);
			/* replay of both */
			memcpy(b, pk[200], pl[200]);
			len = pl[200];
			CU_ASSERT_EQUAL(one(u, false, false, b, &len),
					SEC_ST_REPLAY);
			memcpy(b, pk[201], pl[201]);
			len = pl[201];
			CU_ASSERT_EQUAL(one(u, false, false, b, &len),
					SEC_ST_REPLAY);
			/* 73 behind the highest (201): too old for 128? no:
			 * 201-73 = 128 -> outside the window */
			memcpy(b, pk[73], pl[73]);
			len = pl[73];
			CU_ASSERT_EQUAL(one(u, false, false, b, &len),
					SEC_ST_TOO_OLD);
			/* flips: header, payload, tag */
			{
				static const int where[3] = { 5, 20, -1 };
				int w;

				for (w = 0; w < 3; w++) {
					memcpy(b, pk[250], pl[250]);
					len = pl[250];
					b[where[w] < 0 ? len - 1 :
						(uint32_t)where[w]] ^= 0x10;
					CU_ASSERT_EQUAL(one(u, false, false, b,
								&len),
							SEC_ST_AUTH_FAIL);
				}
			}
			for (k = 202; k < 400; k++) {
				memcpy(b, pk[k], pl[k]);
				len = pl[k];
				CU_ASSERT_EQUAL(one(u, false, false, b, &len),
						SEC_ST_OK);
				CU_ASSERT(memcmp(b + 12, pk[0] + 12, 0) == 0);
			}
			sec_session_stats(u, &stt);
			/* the 400 good packets were each checked above; the
			 * failures are counted by reason, nothing else */
			{
				uint64_t nf = 0;
				unsigned int r;

				for (r = 0; r < SEC_ST_COUNT; r++)
					nf += stt.st[r];
				CU_ASSERT_EQUAL(nf, 6);
			}
			CU_ASSERT_EQUAL(stt.st[SEC_ST_REPLAY], 2);
			CU_ASSERT_EQUAL(stt.st[SEC_ST_TOO_OLD], 1);
			CU_ASSERT_EQUAL(stt.st[SEC_ST_AUTH_FAIL], 3);
			if (all_eng[i] != SEC_ENGINE_LIBSRTP) {
				struct sec_stream_info si;

				CU_ASSERT_EQUAL(sec_session_stream_info(u,
							0x1234, &si), 0);
				CU_ASSERT_EQUAL(si.roc, 1);
				CU_ASSERT_EQUAL(si.s_l, (uint16_t)(65400 + 399));
				CU_ASSERT_EQUAL(sec_session_stream_info(p,
							0x1234, &si), 0);
				CU_ASSERT_EQUAL(si.roc, 1);
			}
			(void)su;
			sec_session_destroy(p);
			sec_session_destroy(u);
		}
	}
}

/* Every engine produces the same bytes (MKI, CSRC, extension, GCM). */
static void
test_cross_engine_mki(void)
{
	unsigned int suite, i;

	for (suite = 0; suite < SEC_SUITE_COUNT; suite++) {
		uint8_t ref[256], b[256], plain[256];
		uint32_t rl = 0, len, pl;
		struct sec_session_params p;

		memset(&p, 0, sizeof(p));
		p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
		p.suite = suite;
		p.master_key = key_b;
		p.master_salt = salt_b;
		p.mki_len = 3;
		p.mki[0] = 0xa1;
		p.mki[1] = 0xb2;
		p.mki[2] = 0xc3;
		/* CC=2 and a one-word extension: GCM AAD of 24 bytes */
		pl = rtp(plain, 77, 0xabcdef01, 40);
		memmove(plain + 12 + 8 + 8, plain + 12, 40);
		plain[0] = 0x92;
		memset(plain + 12, 0x11, 8);
		plain[20] = 0xbe;
		plain[21] = 0xde;
		plain[22] = 0;
		plain[23] = 1;
		memset(plain + 24, 0x22, 4);
		pl += 16;
		for (i = 0; i < neng; i++) {
			struct sec_session *sp, *su;
			int err;

			p.engine = all_eng[i];
			p.dir = SEC_DIR_PROTECT;
			sp = sec_session_create(&p, &err);
			p.dir = SEC_DIR_UNPROTECT;
			su = sec_session_create(&p, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(sp);
			CU_ASSERT_PTR_NOT_NULL_FATAL(su);
			memcpy(b, plain, pl);
			len = pl;
			CU_ASSERT_EQUAL(one(sp, true, false, b, &len), SEC_ST_OK);
			if (i == 0) {
				memcpy(ref, b, len);
				rl = len;
			} else {
				CU_ASSERT_EQUAL(len, rl);
				CU_ASSERT(memcmp(b, ref, rl) == 0);
			}
			/* wrong MKI */
			{
				uint8_t c[256];
				uint32_t cl = len;
				uint32_t mpos = sec_suite_get(suite)->aead ?
					len - 3 : len - 3 -
					sec_suite_get(suite)->srtp_tag_len;

				memcpy(c, b, len);
				c[mpos] ^= 1;
				CU_ASSERT_EQUAL(one(su, false, false, c, &cl),
						SEC_ST_BAD_MKI);
			}
			CU_ASSERT_EQUAL(one(su, false, false, b, &len), SEC_ST_OK);
			CU_ASSERT_EQUAL(len, pl);
			CU_ASSERT(memcmp(b, plain, pl) == 0);
			sec_session_destroy(sp);
			sec_session_destroy(su);
		}
	}
}

static void
test_limits_and_malformed(void)
{
	unsigned int i;

	for (i = 0; i < n_ours; i++) {   /* our transform engines */
		struct sec_session_params p;
		struct sec_session *s, *u;
		uint8_t b[256];
		uint32_t len, k;
		int err;

		memset(&p, 0, sizeof(p));
		p.dir = SEC_DIR_PROTECT;
		p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
		p.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
		p.master_key = key_b;
		p.master_salt = salt_b;
		p.engine = all_eng[i];
		p.lifetime = 16;          /* SDES |16: a ceiling */
		p.max_streams = 2;
		s = sec_session_create(&p, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		for (k = 0; k < 16; k++) {
			len = rtp(b, (uint16_t)k, 1, 10);
			CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_OK);
		}
		len = rtp(b, 16, 1, 10);
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_KEY_LIMIT);
		/* SRTCP has its own count, same ceiling (min(16, 2^31)) */
		for (k = 0; k < 17; k++) {
			memcpy(b, "\x81\xc8\x00\x01\x00\x00\x00\x01", 8);
			len = 8;
			CU_ASSERT_EQUAL(one(s, true, true, b, &len),
					k < 16 ? SEC_ST_OK : SEC_ST_KEY_LIMIT);
		}
		sec_session_destroy(s);
		/* the receiver enforces the same ceiling */
		p.dir = SEC_DIR_UNPROTECT;
		p.lifetime = 4;
		u = sec_session_create(&p, &err);
		p.dir = SEC_DIR_PROTECT;
		p.lifetime = 0;
		s = sec_session_create(&p, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(u);
		for (k = 0; k < 5; k++) {
			len = rtp(b, (uint16_t)(100 + k), 1, 10);
			CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_OK);
			CU_ASSERT_EQUAL(one(u, false, false, b, &len),
					k < 4 ? SEC_ST_OK : SEC_ST_KEY_LIMIT);
		}
		sec_session_destroy(u);
		sec_session_destroy(s);

		p.lifetime = 0;
		s = sec_session_create(&p, &err);
		/* sender repeats a SEQ: refused (no keystream reuse) */
		len = rtp(b, 5, 1, 10);
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_OK);
		len = rtp(b, 5, 1, 10);
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_REPLAY);
		/* stream table of 2 */
		len = rtp(b, 1, 2, 10);
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_OK);
		len = rtp(b, 1, 3, 10);
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_NO_STREAM);
		/* malformed: short, version, CC beyond the end, ext beyond */
		len = 11;
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_MALFORMED);
		len = rtp(b, 9, 1, 10);
		b[0] = 0x40;
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_MALFORMED);
		len = rtp(b, 9, 1, 10);
		b[0] = 0x8f;
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_MALFORMED);
		len = rtp(b, 9, 1, 10);
		b[0] = 0x90;
		b[14] = 0;
		b[15] = 9;
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_MALFORMED);
		len = rtp(b, 9, 1, 10);
		b[0] = 0xa0;
		b[21] = 11;             /* padding count > payload */
		CU_ASSERT_EQUAL(one(s, true, false, b, &len), SEC_ST_MALFORMED);
		/* room */
		{
			struct sec_pkt pk = { .data = b, .len = 22, .room = 25 };
			uint8_t st;

			rtp(b, 10, 1, 10);
			CU_ASSERT_EQUAL(sec_protect_burst(s, &pk, 1, &st), 0);
			CU_ASSERT_EQUAL(st, SEC_ST_NO_ROOM);
		}
		/* wrong direction */
		{
			struct sec_pkt pk = { .data = b, .len = 22, .room = 256 };
			uint8_t st;

			CU_ASSERT_EQUAL(sec_unprotect_burst(s, &pk, 1, &st), 0);
			CU_ASSERT_EQUAL(st, SEC_ST_ERROR);
		}
		sec_session_destroy(s);

		/* unprotect: short packet and E=0 SRTCP */
		p.dir = SEC_DIR_UNPROTECT;
		u = sec_session_create(&p, &err);
		len = 12 + 9;
		rtp(b, 1, 1, 9);
		CU_ASSERT_EQUAL(one(u, false, false, b, &len), SEC_ST_MALFORMED);
		sec_session_destroy(u);
	}
}

/*
 * rtcp-mux (sec_session_change_proto): the merged session's key counts the
 * packets each protocol already sent under it in the session that carried
 * that protocol, so the key's lifetime (SDES |4 here) still holds: SRTP's
 * count from the SRTP session, SRTCP's from the SRTCP one. Each session's
 * key holds only its own protocol's subkey.
 */
static void
test_proto_change_counts(void)
{
	unsigned int i;

	for (i = 0; i < n_ours; i++) {
		struct sec_session_params p;
		struct sec_session *a, *c, *m;
		uint8_t b[256];
		uint32_t len, k;
		int err;

		memset(&p, 0, sizeof(p));
		p.dir = SEC_DIR_PROTECT;
		p.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
		p.master_key = key_b;
		p.master_salt = salt_b;
		p.engine = all_eng[i];
		p.lifetime = 4;
		p.proto = SEC_PROTO_SRTP;
		a = sec_session_create(&p, &err);
		p.proto = SEC_PROTO_SRTCP;
		c = sec_session_create(&p, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (k = 0; k < 3; k++) {
			len = rtp(b, (uint16_t)k, 1, 10);
			CU_ASSERT_EQUAL(one(a, true, false, b, &len), SEC_ST_OK);
		}
		for (k = 0; k < 2; k++) {
			memcpy(b, "\x81\xc8\x00\x01\x00\x00\x00\x01", 8);
			len = 8;
			CU_ASSERT_EQUAL(one(c, true, true, b, &len), SEC_ST_OK);
		}
		m = sec_session_change_proto(a, c, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
				&err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		for (k = 3; k < 5; k++) {
			len = rtp(b, (uint16_t)k, 1, 10);
			CU_ASSERT_EQUAL(one(m, true, false, b, &len),
					k < 4 ? SEC_ST_OK : SEC_ST_KEY_LIMIT);
		}
		for (k = 2; k < 5; k++) {
			memcpy(b, "\x81\xc8\x00\x01\x00\x00\x00\x01", 8);
			len = 8;
			CU_ASSERT_EQUAL(one(m, true, true, b, &len),
					k < 4 ? SEC_ST_OK : SEC_ST_KEY_LIMIT);
		}
		/* and back to SRTP alone: SRTP's count goes along */
		sec_session_destroy(a);
		a = sec_session_change_proto(m, m, SEC_PROTO_SRTP, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		len = rtp(b, 9, 1, 10);
		CU_ASSERT_EQUAL(one(a, true, false, b, &len), SEC_ST_KEY_LIMIT);
		sec_session_destroy(a);
		sec_session_destroy(c);
		sec_session_destroy(m);
	}
}

/* Good packets first, failures behind with their reasons. */
static void
test_burst_order(void)
{
	unsigned int i;

	for (i = 0; i < neng; i++) {
		struct sec_session *p = mk(all_eng[i], SEC_SUITE_AEAD_AES_128_GCM,
				SEC_DIR_PROTECT, key_b, salt_b);
		struct sec_session *u = mk(all_eng[i], SEC_SUITE_AEAD_AES_128_GCM,
				SEC_DIR_UNPROTECT, key_b, salt_b);
		static uint8_t b[6][256];
		struct sec_pkt pk[6];
		uint8_t st[6];
		unsigned int k;

		for (k = 0; k < 6; k++) {
			pk[k].data = b[k];
			pk[k].len = rtp(b[k], (uint16_t)(100 + k), 7, 30);
			pk[k].room = 256;
		}
		CU_ASSERT_EQUAL(sec_protect_burst(p, pk, 6, st), 6);
		b[1][20] ^= 1;          /* auth fail */
		pk[3].len = 5;          /* malformed */
		memcpy(b[5], b[4], 256);/* replay of 4 */
		pk[5].len = pk[4].len;
		CU_ASSERT_EQUAL(sec_unprotect_burst(u, pk, 6, st), 3);
		CU_ASSERT(pk[0].data == b[0] && pk[1].data == b[2] &&
				pk[2].data == b[4]);
		CU_ASSERT(st[0] == SEC_ST_OK && st[1] == SEC_ST_OK &&
				st[2] == SEC_ST_OK);
		CU_ASSERT(pk[3].data == b[1] && st[3] == SEC_ST_AUTH_FAIL);
		CU_ASSERT(pk[4].data == b[3] && st[4] == SEC_ST_MALFORMED);
		CU_ASSERT(pk[5].data == b[5] && st[5] == SEC_ST_REPLAY);
		CU_ASSERT_EQUAL(pk[0].len, 42);
		sec_session_destroy(p);
		sec_session_destroy(u);
	}
}

/* SPEC §1.9: new key, same SSRC: ROC and replay state continue; the new
 * inbound key is tried only after the current one fails, counted. */
static void
test_rekey(void)
{
	unsigned int i, suite;

	for (suite = 0; suite < SEC_SUITE_COUNT; suite += 2) {
		for (i = 0; i < n_ours; i++) {
			struct sec_session_params q;
			struct sec_session *pa, *pb, *ua, *ub, *uc;
			static uint8_t pk[300][256];
			uint32_t pl[300], len, k;
			uint8_t b[256];
			struct sec_stats stt;
			struct sec_stream_info si;
			int err;

			pa = mk(all_eng[i], suite, SEC_DIR_PROTECT, key_a,
					key_b + 1);
			ua = mk(all_eng[i], suite, SEC_DIR_UNPROTECT, key_a,
					key_b + 1);
			/* 100 packets under key A crossing the wrap */
			for (k = 0; k < 100; k++) {
				pl[k] = rtp(pk[k], (uint16_t)(65500 + k), 42, 30);
				CU_ASSERT_EQUAL(one(pa, true, false, pk[k], &pl[k]),
						SEC_ST_OK);
				memcpy(b, pk[k], pl[k]);
				len = pl[k];
				CU_ASSERT_EQUAL(one(ua, false, false, b, &len),
						SEC_ST_OK);
			}
			memset(&q, 0, sizeof(q));
			q.dir = SEC_DIR_PROTECT;
			q.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
			q.suite = suite;
			q.master_key = key_b;
			q.master_salt = salt_b;
			pb = sec_session_rekey(pa, &q, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
			q.dir = SEC_DIR_UNPROTECT;
			ub = sec_session_rekey(ua, &q, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ub);
			CU_ASSERT_EQUAL(sec_session_stream_info(pb, 42, &si), 0);
			CU_ASSERT_EQUAL(si.roc, 1);
			/* 100..199 under key B: ROC stays 1 */
			for (k = 100; k < 200; k++) {
				pl[k] = rtp(pk[k], (uint16_t)(65500 + k), 42, 30);
				CU_ASSERT_EQUAL(one(pb, true, false, pk[k], &pl[k]),
						SEC_ST_OK);
			}
			/* late key-A packet before any B: current key */
			memcpy(b, pk[98], pl[98]);
			len = pl[98];
			CU_ASSERT_EQUAL(one(ub, false, false, b, &len),
					SEC_ST_REPLAY);  /* state was kept */
			sec_session_stats(ub, &stt);
			CU_ASSERT_EQUAL(stt.fallback_tries, 0);
			for (k = 100; k < 200; k++) {
				memcpy(b, pk[k], pl[k]);
				len = pl[k];
				CU_ASSERT_EQUAL(one(ub, false, false, b, &len),
						SEC_ST_OK);
			}
			sec_session_stats(ub, &stt);
			CU_ASSERT_EQUAL(stt.fallback_tries, 1);
			CU_ASSERT_EQUAL(stt.fallback_ok, 1);
			CU_ASSERT_EQUAL(stt.key_switches, 1);
			/* a key-A packet still in flight, never received:
			 * accepted through the fallback; B stays current (a late
			 * old-key packet never switches back) */
			pl[200] = rtp(pk[200], (uint16_t)(65500 + 205), 42, 30);
			CU_ASSERT_EQUAL(one(pa, true, false, pk[200], &pl[200]),
					SEC_ST_OK);
			memcpy(b, pk[200], pl[200]);
			len = pl[200];
			CU_ASSERT_EQUAL(one(ub, false, false, b, &len), SEC_ST_OK);
			sec_session_stats(ub, &stt);
			CU_ASSERT_EQUAL(stt.fallback_tries, 2);
			CU_ASSERT_EQUAL(stt.fallback_ok, 2);
			CU_ASSERT_EQUAL(stt.key_switches, 1);
			/* forged B packet: B (current) then A, one extra try */
			pl[201] = rtp(pk[201], (uint16_t)(65500 + 210), 42, 30);
			CU_ASSERT_EQUAL(one(pb, true, false, pk[201], &pl[201]),
					SEC_ST_OK);
			memcpy(b, pk[201], pl[201]);
			len = pl[201];
			b[20] ^= 1;
			CU_ASSERT_EQUAL(one(ub, false, false, b, &len),
					SEC_ST_AUTH_FAIL);
			sec_session_stats(ub, &stt);
			CU_ASSERT_EQUAL(stt.fallback_tries, 3);
			CU_ASSERT_EQUAL(stt.fallback_ok, 2);
			CU_ASSERT_EQUAL(sec_session_stream_info(ub, 42, &si), 0);
			CU_ASSERT_EQUAL(si.roc, 1);
			CU_ASSERT_EQUAL(si.s_l, (uint16_t)(65500 + 205));
			/* retire: the current key (B) only. The genuine B
			 * packet passes; a new key-A packet now fails without a
			 * fallback try. */
			uc = sec_session_retire_fallback(ub, &err);
			CU_ASSERT_PTR_NOT_NULL_FATAL(uc);
			memcpy(b, pk[201], pl[201]);
			len = pl[201];
			CU_ASSERT_EQUAL(one(uc, false, false, b, &len), SEC_ST_OK);
			pl[202] = rtp(pk[202], (uint16_t)(65500 + 215), 42, 30);
			CU_ASSERT_EQUAL(one(pa, true, false, pk[202], &pl[202]),
					SEC_ST_OK);
			memcpy(b, pk[202], pl[202]);
			len = pl[202];
			CU_ASSERT_EQUAL(one(uc, false, false, b, &len),
					SEC_ST_AUTH_FAIL);
			memcpy(b, pk[200], pl[200]);
			len = pl[200];
			CU_ASSERT_EQUAL(one(uc, false, false, b, &len),
					SEC_ST_REPLAY);
			sec_session_stats(uc, &stt);
			CU_ASSERT_EQUAL(stt.fallback_tries, 0);

			/* libsrtp sessions cannot be rekeyed (own state) */
			sec_session_destroy(pa);
			sec_session_destroy(pb);
			sec_session_destroy(ua);
			sec_session_destroy(ub);
			sec_session_destroy(uc);
		}
	}
	{
		struct sec_session *l = mk(SEC_ENGINE_LIBSRTP,
				SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
				SEC_DIR_UNPROTECT, t2_key, t2_salt);
		struct sec_session_params q;
		int err = 0;

		memset(&q, 0, sizeof(q));
		q.dir = SEC_DIR_UNPROTECT;
		q.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
		q.master_key = key_b;
		q.master_salt = salt_b;
		CU_ASSERT_PTR_NULL(sec_session_rekey(l, &q, &err));
		CU_ASSERT_EQUAL(err, -ENOTSUP);
		sec_session_destroy(l);
	}
}

static void
test_params(void)
{
	struct sec_session_params p;
	struct sdes_crypto c;
	struct sdes_err e;
	const char *l = "1 AES_CM_128_HMAC_SHA1_80 "
		"inline:4fl6DT4Bi+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm|2^20|258:2";
	int err;

	CU_ASSERT_EQUAL_FATAL(sdes_parse(l, strlen(l), sec_suite_mask(), &c,
				&e), 0);
	memset(&p, 0, sizeof(p));
	CU_ASSERT_EQUAL(sec_params_from_sdes(&p, &c), 0);
	CU_ASSERT_EQUAL(p.mki_len, 2);
	CU_ASSERT_EQUAL(p.mki[0], 1);
	CU_ASSERT_EQUAL(p.mki[1], 2);
	CU_ASSERT_EQUAL(p.lifetime, 1u << 20);
	CU_ASSERT(memcmp(p.master_key, t2_key, 16) == 0);
	p.proto = SEC_PROTO_SRTP;
	p.replay_window = 100;   /* not a multiple of 64 */
	CU_ASSERT_PTR_NULL(sec_session_create(&p, &err));
	CU_ASSERT_EQUAL(err, -EINVAL);
	p.replay_window = 32768;
	p.engine = SEC_ENGINE_CRYPTODEV;
	{
		struct sec_session *s = sec_session_create(&p, &err);

		CU_ASSERT_PTR_NOT_NULL(s);
		sec_session_destroy(s);
	}
	p.proto = 0;
	CU_ASSERT_PTR_NULL(sec_session_create(&p, &err));
	sdes_crypto_clear(&c);
}

/*
 * sec_set_suite_mask (the reload): the live mask changes what new sessions
 * and SDES lines may use; a session made before keeps working (bytes
 * checked against the other direction) and can still be rekeyed; a mask
 * with an unknown bit is refused and the live mask kept; 0 is all.
 */
static void
test_suite_mask(void)
{
	const uint32_t gcm = 1u << SEC_SUITE_AEAD_AES_128_GCM;
	const char *l = "1 AEAD_AES_128_GCM inline:4fl6DT4Bi+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOg==";
	struct sec_session *p, *u, *r, *x;
	struct sec_session_params q;
	struct sdes_crypto c;
	struct sdes_err e;
	uint8_t b[256], plain[256];
	uint32_t len, plen;
	int err = 0;

	p = mk(SEC_ENGINE_CRYPTODEV, SEC_SUITE_AEAD_AES_128_GCM, SEC_DIR_PROTECT, key_b, salt_b);
	u = mk(SEC_ENGINE_OPENSSL, SEC_SUITE_AEAD_AES_128_GCM, SEC_DIR_UNPROTECT, key_b, salt_b);
	CU_ASSERT_EQUAL_FATAL(sdes_parse(l, strlen(l), sec_suite_mask(), &c, NULL), 0);
	sdes_crypto_clear(&c);

	/* everything but AEAD_AES_128_GCM */
	CU_ASSERT_EQUAL(sec_set_suite_mask(SEC_SUITE_MASK_ALL & ~gcm), 0);
	CU_ASSERT_EQUAL(sec_suite_mask(), SEC_SUITE_MASK_ALL & ~gcm);
	CU_ASSERT_FALSE(sec_suite_enabled(SEC_SUITE_AEAD_AES_128_GCM));
	CU_ASSERT_TRUE(sec_suite_enabled(SEC_SUITE_AEAD_AES_256_GCM));
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), sec_suite_mask(), &c, &e), -EINVAL);
	CU_ASSERT_EQUAL(e.reason, SDES_E_SUITE_DISABLED);
	memset(&q, 0, sizeof(q));
	q.dir = SEC_DIR_PROTECT;
	q.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP; /* as mk(): rekey wants it */
	q.suite = SEC_SUITE_AEAD_AES_128_GCM;
	q.master_key = key_a;
	q.master_salt = salt_b;
	x = sec_session_create(&q, &err);
	CU_ASSERT_PTR_NULL(x);
	CU_ASSERT_EQUAL(err, -EINVAL);
	sec_session_destroy(x);
	/* the sessions made before go on, byte for byte */
	plen = rtp(plain, 7, 0x1234, 40);
	memcpy(b, plain, plen);
	len = plen;
	CU_ASSERT_EQUAL(one(p, true, false, b, &len), SEC_ST_OK);
	CU_ASSERT_EQUAL(len, plen + 16);
	CU_ASSERT_EQUAL(one(u, false, false, b, &len), SEC_ST_OK);
	CU_ASSERT_EQUAL(len, plen);
	CU_ASSERT_EQUAL(memcmp(b, plain, plen), 0);
	/* and can be rekeyed */
	q.master_key = key_a;
	r = sec_session_rekey(p, &q, &err);
	CU_ASSERT_PTR_NOT_NULL(r);
	CU_ASSERT_EQUAL(err, 0);
	sec_session_destroy(r);

	/* refused: an unknown suite bit; the live mask stays */
	CU_ASSERT_EQUAL(sec_set_suite_mask(SEC_SUITE_MASK_ALL | 0x80000000u), -EINVAL);
	CU_ASSERT_EQUAL(sec_suite_mask(), SEC_SUITE_MASK_ALL & ~gcm);
	/* only GCM-128 */
	CU_ASSERT_EQUAL(sec_set_suite_mask(gcm), 0);
	CU_ASSERT_EQUAL(sec_suite_mask(), gcm);
	x = sec_session_create(&q, &err);
	CU_ASSERT_PTR_NOT_NULL(x);
	sec_session_destroy(x);
	q.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	CU_ASSERT_PTR_NULL(sec_session_create(&q, &err));
	CU_ASSERT_EQUAL(err, -EINVAL);
	/* 0: every suite the engines can do */
	CU_ASSERT_EQUAL(sec_set_suite_mask(0), 0);
	CU_ASSERT_EQUAL(sec_suite_mask(), SEC_SUITE_MASK_ALL);
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), sec_suite_mask(), &c, NULL), 0);
	sdes_crypto_clear(&c);
	sec_session_destroy(p);
	sec_session_destroy(u);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;
	struct sec_config cfg;

	if (sec_test_eal_init("sec_session", true) < 0)
		return 1;
	memset(&cfg, 0, sizeof(cfg));
	/* SEC_CDEV=crypto_openssl exercises the enqueue/dequeue path */
	cfg.cryptodev_name = getenv("SEC_CDEV");
	if (sec_init(&cfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV))
		return 1;
	n_ours = sec_test_our_engines(all_eng);
	if (n_ours == 0)
		return 1;
	all_eng[n_ours] = SEC_ENGINE_LIBSRTP;
	neng = n_ours + 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("sessions", NULL, NULL);
	CU_add_test(s, "engines pass KATs", test_selftest);
	CU_add_test(s, "T3/T4 bytes", test_t3_t4);
	CU_add_test(s, "window and ROC", test_window_and_roc);
	CU_add_test(s, "cross-engine MKI CSRC ext", test_cross_engine_mki);
	CU_add_test(s, "limits and malformed", test_limits_and_malformed);
	CU_add_test(s, "protocol change keeps key counts", test_proto_change_counts);
	CU_add_test(s, "burst order", test_burst_order);
	CU_add_test(s, "rekey", test_rekey);
	CU_add_test(s, "params", test_params);
	CU_add_test(s, "suite mask (reload)", test_suite_mask);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_fini();
	rte_eal_cleanup();
	return f ? 1 : 0;
}
