/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: which tag comparison the cryptodev engine (crypto_aesni_mb) and the
 * ipsecmb engine (intel-ipsec-mb's job API) use.
 * Built with crypto's sources and -DSEC_TEST_HOOKS, whose sec_tag_equal()
 * (CRYPTO_memcmp) counts its calls: every SRTP/SRTCP packet unprotected by
 * the engine, good or forged, AES-CM or GCM, one session or many in one
 * burst (the CPU-crypto call and the crypto-op burst), must have had its
 * tag compared by it exactly once. DPDK's aesni_mb verifies AEAD digests
 * with memcmp (verify_digest, verify_sync_dgst), whose time tells a forger
 * how many leading tag bytes were right; that path must not decide.
 * The ipsecmb engine also leaves a forged AES-CM packet as it came: the
 * HMAC is checked before anything is decrypted.
 * The timing itself is measured by imsagw-crypto-bench --dudect (a
 * benchmark: it prints Welch's t, it does not fail).
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
#include "sec_eng.h"
#include "sec_test.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"

static const uint8_t key[32] = { 0x11, 0x22, 0x33, 0x44, 5, 6, 7, 8, 9, 10, 11, 12,
	13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const uint8_t salt[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4 };

#define NPKT 24
#define NSESS 4

/* the engine under test (cryptodev, then ipsecmb where it runs) */
static enum sec_engine eng;

static struct sec_session *
mk(enum sec_engine e, enum sec_suite_id suite, enum sec_dir dir)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = suite;
	p.master_key = key;
	p.master_salt = salt;
	p.engine = e;
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

static uint32_t
rtp(uint8_t *b, uint16_t seq, uint32_t ssrc)
{
	memset(b, 0x5a, 256);
	b[0] = 0x80;
	b[1] = 0;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	b[8] = (uint8_t)(ssrc >> 24);
	b[9] = (uint8_t)(ssrc >> 16);
	b[10] = (uint8_t)(ssrc >> 8);
	b[11] = (uint8_t)ssrc;
	return 12 + 160;
}

static uint32_t
rtcp(uint8_t *b, uint32_t ssrc)
{
	memset(b, 0x3c, 256);
	b[0] = 0x80;
	b[1] = 201;
	b[2] = 0;
	b[3] = 7;
	b[4] = (uint8_t)(ssrc >> 24);
	b[5] = (uint8_t)(ssrc >> 16);
	b[6] = (uint8_t)(ssrc >> 8);
	b[7] = (uint8_t)ssrc;
	return 32;
}

/*
 * NPKT packets per session over nsess sessions in one sec_burst (packet i
 * on session i % nsess: a CPU-crypto call with one session, a crypto-op
 * burst with several), every third forged early (first tag byte), every
 * third late (last tag byte). Each tag is compared once by sec_tag_equal.
 */
static void
check(enum sec_suite_id suite, bool is_rtcp, unsigned int nsess)
{
	const struct sec_suite *su = sec_suite_get(suite);
	static uint8_t buf[NPKT * NSESS][256];
	struct sec_session *tx[NSESS], *rx[NSESS];
	struct sec_burst_pkt bp[NPKT * NSESS];
	struct sec_lcore *lc;
	unsigned int i, n = NPKT * nsess, good = 0;
	uint64_t before;
	int err = 0;

	lc = sec_lcore_create(rte_lcore_id(), &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(lc);
	for (i = 0; i < nsess; i++) {
		tx[i] = mk(SEC_ENGINE_OPENSSL, suite, SEC_DIR_PROTECT);
		rx[i] = mk(eng, suite, SEC_DIR_UNPROTECT);
	}
	for (i = 0; i < n; i++) {
		struct sec_pkt p;
		uint8_t st;
		uint32_t tag_end;

		p.data = buf[i];
		p.len = is_rtcp ? rtcp(buf[i], 7) : rtp(buf[i], (uint16_t)(i + 1), 7);
		p.room = 256;
		CU_ASSERT_EQUAL_FATAL(is_rtcp ? sec_rtcp_protect_burst(tx[i % nsess], &p, 1, &st) :
				sec_protect_burst(tx[i % nsess], &p, 1, &st), 1);
		/* where the tag ends: GCM SRTCP has its E|index after it */
		tag_end = p.len - (is_rtcp && su->aead ? 4 : 0);
		if (i % 3 == 1)
			buf[i][tag_end - (is_rtcp ? su->srtcp_tag_len : su->srtp_tag_len)] ^= 1;
		else if (i % 3 == 2)
			buf[i][tag_end - 1] ^= 0x80;
		else
			good++;
		bp[i].s = rx[i % nsess];
		bp[i].op = is_rtcp ? SEC_RTCP_UNPROTECT : SEC_RTP_UNPROTECT;
		bp[i].pkt = p;
	}
	before = __atomic_load_n(&sec_test_tag_compares, __ATOMIC_RELAXED);
	CU_ASSERT_EQUAL(sec_burst(lc, bp, (uint16_t)n), good);
	CU_ASSERT_EQUAL(__atomic_load_n(&sec_test_tag_compares, __ATOMIC_RELAXED) - before, n);
	/* A failed packet's bytes are unspecified (sec.h; the ipsecmb
	 * engine decrypts before the compare): the worker drops it. One that
	 * another key will try gets its ciphertext back: test_sec_multi's
	 * inbound rekey. */
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(bp[i].status, i % 3 == 0 ? SEC_ST_OK : SEC_ST_AUTH_FAIL);
	for (i = 0; i < nsess; i++) {
		sec_session_destroy(tx[i]);
		sec_session_destroy(rx[i]);
	}
	sec_lcore_destroy(lc);
}

static void
aes_cm(void)
{
	check(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, false, 1);
	check(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, false, NSESS);
	check(SEC_SUITE_AES_CM_128_HMAC_SHA1_32, true, 1);
	check(SEC_SUITE_AES_256_CM_HMAC_SHA1_80, true, NSESS);
}

static void
gcm(void)
{
	check(SEC_SUITE_AEAD_AES_128_GCM, false, 1);
	check(SEC_SUITE_AEAD_AES_128_GCM, false, NSESS);
	check(SEC_SUITE_AEAD_AES_128_GCM, true, 1);
	check(SEC_SUITE_AEAD_AES_256_GCM, false, 1);
	check(SEC_SUITE_AEAD_AES_256_GCM, true, NSESS);
}

/* Each case on the cryptodev engine, then on ipsecmb where it runs. */
static void
each_engine(void (*fn)(void))
{
	eng = SEC_ENGINE_CRYPTODEV;
	fn();
	if (!sec_test_ipsecmb_expected())
		return;
	eng = SEC_ENGINE_IPSECMB;
	fn();
}

static void
test_aes_cm(void)
{
	each_engine(aes_cm);
}

static void
test_gcm(void)
{
	each_engine(gcm);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	if (sec_test_eal_init("sec_ct", true) < 0)
		return 1;
	if (sec_init(NULL) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV) ||
	    sec_engine_available(SEC_ENGINE_IPSECMB) != sec_test_ipsecmb_expected())
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("constant-time tag compare", NULL, NULL);
	CU_add_test(s, "AES-CM tags: sec_tag_equal", test_aes_cm);
	CU_add_test(s, "GCM tags: sec_tag_equal, not the PMD's memcmp", test_gcm);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_fini();
	rte_eal_cleanup();
	return f ? 1 : 0;
}
