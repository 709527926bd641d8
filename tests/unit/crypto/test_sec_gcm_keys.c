/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsecmb engine's GCM key layouts (sec_config.gcm_compact, config
 * crypto.gcm_keys): what a GCM key costs in each, and that both give the
 * bytes of another engine (openssl) for RTP and RTCP of every size class
 * the GHASH code treats apart (partial block, one block, 16 blocks and
 * past them, up to 1400 bytes), AES-128 and AES-256. test_sec_diff_gcm_
 * compact runs the compact layout against libsrtp too.
 */
#include <cpuid.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"
#include "sec_test_one.h"

static const uint8_t mkey[32] = {
	0x0b, 0x1c, 0x2d, 0x3e, 0x4f, 0x50, 0x61, 0x72, 0x83, 0x94, 0xa5,
	0xb6, 0xc7, 0xd8, 0xe9, 0xfa, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56,
	0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0,
};
static const uint8_t msalt[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static const uint32_t sizes[] = { 0, 1, 15, 16, 17, 160, 255, 256, 257, 1000, 1400 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define NSESS 64u

static void
params(struct sec_session_params *p, enum sec_suite_id suite, enum sec_dir dir,
       enum sec_engine e)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p->suite = suite;
	p->master_key = mkey;
	p->master_salt = msalt;
	p->engine = e;
}

/* An RTP packet (rtcp false) or an RTCP SR of plen payload bytes into b. */
static uint32_t
packet(uint8_t *b, bool rtcp, uint16_t seq, uint32_t plen)
{
	uint32_t i;

	if (rtcp) {
		uint32_t words = (8 + plen + 3) / 4;

		b[0] = 0x80;
		b[1] = 200;
		b[2] = (uint8_t)((words - 1) >> 8);
		b[3] = (uint8_t)(words - 1);
		memcpy(b + 4, "\x00\x00\x00\x07", 4);
		for (i = 8; i < words * 4; i++)
			b[i] = (uint8_t)(i * 7 + seq);
		return words * 4;
	}
	b[0] = 0x80;
	b[1] = 96;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	memcpy(b + 4, "\x00\x01\x02\x03\x00\x00\x00\x07", 8);
	for (i = 0; i < plen; i++)
		b[12 + i] = (uint8_t)(i * 13 + seq);
	return 12 + plen;
}

static uint8_t
one(struct sec_session *s, bool prot, bool rtcp, uint8_t *b, uint32_t *len)
{
	return sec_test_one(s, prot, rtcp, b, len, 1600);
}

/* ipsecmb under cfg against openssl, both ways, for suite. */
static void
same_bytes(enum sec_suite_id suite)
{
	struct sec_session_params p;
	struct sec_session *ip, *op, *iu, *ou;
	uint8_t a[1600], b[1600], c[1600];
	unsigned int i, r;
	int err;

	params(&p, suite, SEC_DIR_PROTECT, SEC_ENGINE_IPSECMB);
	ip = sec_session_create(&p, &err);
	p.engine = SEC_ENGINE_OPENSSL;
	op = sec_session_create(&p, &err);
	p.dir = SEC_DIR_UNPROTECT;
	ou = sec_session_create(&p, &err);
	p.engine = SEC_ENGINE_IPSECMB;
	iu = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ip);
	CU_ASSERT_PTR_NOT_NULL_FATAL(op);
	CU_ASSERT_PTR_NOT_NULL_FATAL(iu);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ou);
	for (r = 0; r < 2; r++) {
		for (i = 0; i < NSIZES; i++) {
			uint32_t la, lb, lc = 0;

			la = lb = packet(a, r, (uint16_t)i, sizes[i]);
			memcpy(b, a, la);
			memcpy(c, a, la);
			lc = la;
			CU_ASSERT_EQUAL(one(ip, true, r, a, &la), SEC_ST_OK);
			CU_ASSERT_EQUAL(one(op, true, r, b, &lb), SEC_ST_OK);
			CU_ASSERT_EQUAL(la, lb);
			CU_ASSERT(memcmp(a, b, la) == 0);
			/* each unprotects the other's and gets the packet */
			CU_ASSERT_EQUAL(one(iu, false, r, b, &lb), SEC_ST_OK);
			CU_ASSERT_EQUAL(one(ou, false, r, a, &la), SEC_ST_OK);
			CU_ASSERT_EQUAL(lb, lc);
			CU_ASSERT_EQUAL(la, lc);
			CU_ASSERT(memcmp(b, c, lc) == 0);
			CU_ASSERT(memcmp(a, c, lc) == 0);
		}
	}
	/* a forged tag fails on the compact layout too */
	{
		uint32_t l = packet(a, false, 100, 160);

		CU_ASSERT_EQUAL(one(ip, true, false, a, &l), SEC_ST_OK);
		a[l - 1] ^= 1;
		CU_ASSERT_EQUAL(one(iu, false, false, a, &l), SEC_ST_AUTH_FAIL);
	}
	sec_session_destroy(ip);
	sec_session_destroy(op);
	sec_session_destroy(iu);
	sec_session_destroy(ou);
}

/* C heap bytes of one SRTP-only AES-128 GCM unprotect session with one
 * stream on ipsecmb (the pipeline bench's flow). */
static double
session_bytes(void)
{
	struct sec_session_params p;
	struct sec_session *s[NSESS];
	struct mallinfo2 m0, m1;
	unsigned int i;
	int err;

	params(&p, SEC_SUITE_AEAD_AES_128_GCM, SEC_DIR_UNPROTECT, SEC_ENGINE_IPSECMB);
	p.proto = SEC_PROTO_SRTP;
	p.max_streams = 1;
	m0 = mallinfo2();
	for (i = 0; i < NSESS; i++) {
		s[i] = sec_session_create(&p, &err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s[i]);
	}
	m1 = mallinfo2();
	for (i = 0; i < NSESS; i++)
		sec_session_destroy(s[i]);
	return ((double)m1.uordblks - (double)m0.uordblks) / NSESS;
}

/* Whether the library's widest GCM code here keeps the large layout: the
 * VAES code, on a CPU with AVX-512F, VAES and VPCLMULQDQ (CPUID leaf 7;
 * clang 14's __builtin_cpu_supports knows no "vaes"). */
static bool
vaes_cpu(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & (1u << 16)) && (c & (1u << 9)) && (c & (1u << 10));
}

static void
layouts(void)
{
	struct sec_config cfg;
	double fast, compact;

	if (!sec_test_ipsecmb_expected()) {
		/* no AES-NI: the engine is not registered either way */
		memset(&cfg, 0, sizeof(cfg));
		cfg.gcm_compact = true;
		CU_ASSERT_EQUAL_FATAL(sec_init(&cfg), 0);
		CU_ASSERT(!sec_engine_available(SEC_ENGINE_IPSECMB));
		sec_fini();
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT_EQUAL_FATAL(sec_init(&cfg), 0);
	CU_ASSERT_FATAL(sec_engine_available(SEC_ENGINE_IPSECMB));
	same_bytes(SEC_SUITE_AEAD_AES_128_GCM);
	same_bytes(SEC_SUITE_AEAD_AES_256_GCM);
	fast = session_bytes();
	sec_fini();

	cfg.gcm_compact = true;
	CU_ASSERT_EQUAL_FATAL(sec_init(&cfg), 0);
	CU_ASSERT_FATAL(sec_engine_available(SEC_ENGINE_IPSECMB));
	same_bytes(SEC_SUITE_AEAD_AES_128_GCM);
	same_bytes(SEC_SUITE_AEAD_AES_256_GCM);
	compact = session_bytes();
	sec_fini();
	printf("\n  GCM session bytes: fast %.0f, compact %.0f (vaes %d)\n", fast, compact,
	       vaes_cpu());
#ifdef __SANITIZE_ADDRESS__
	/* ASan's allocator does not feed mallinfo2(): sizes are checked in
	 * the normal build only; the bytes above are checked here too */
	return;
#endif
	if (vaes_cpu()) {
		/* 1024 -> 384 bytes of key state */
		CU_ASSERT(fast - compact >= 600);
	} else {
		CU_ASSERT(fast - compact < 16 && compact - fast < 16);
	}
	/* the compact key state is at most the AVX2 code's 384 bytes: the
	 * whole session (session, key, state) stays under 1 KB */
	CU_ASSERT(compact < 1024);
}

int
main(void)
{
	CU_pSuite s;
	int rc;

	if (sec_test_eal_init("sec_gcmk", false) < 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("ipsecmb GCM key layouts", NULL, NULL);
	CU_add_test(s, "fast and compact: same bytes, compact smaller", layouts);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() == 0 ? 0 : 1;
	CU_cleanup_registry();
	rte_eal_cleanup();
	return rc;
}
