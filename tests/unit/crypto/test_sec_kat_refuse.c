/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Engine registration and the known-answer tests (no EAL: the openssl,
 * libsrtp and, where intel-ipsec-mb runs with AES-NI, ipsecmb engines). Built with crypto's sources and -DSEC_TEST_HOOKS: a
 * hook sees every vector before its answer is compared, may flip one bit
 * of the expected answer, and looks at the registry meanwhile.
 *
 * - an engine whose KAT fails is never usable: not available, no session,
 *   no selftest, not the default; the other engine still serves;
 * - every engine failing: sec_init -ENODEV, no suite enabled;
 * - during any engine's KAT (passing or not) nothing of that engine is
 *   registered: the public API refuses it.
 */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sec.h"
#include "sec_eng.h"
#include "sec_test.h"

/* Engines whose expected answers the hook breaks (bit per sec_engine). */
static uint32_t break_mask;
/* The ipsecmb engine can run here (library and AES-NI): its probe
 * passes, so its KATs run (set by test_none_refused, the first test). */
static bool imb_here;

#define B_OPENSSL (1u << SEC_ENGINE_OPENSSL)
#define B_LIBSRTP (1u << SEC_ENGINE_LIBSRTP)
#define B_IPSECMB (1u << SEC_ENGINE_IPSECMB)
/* Per engine: vectors seen, and vectors during which it was usable. */
static unsigned int seen[SEC_ENGINE_COUNT];
static unsigned int usable[SEC_ENGINE_COUNT];

/* A session of engine e (SEC_ENGINE_DEFAULT: the default): NULL with *err
 * or the session. */
static struct sec_session *
mk(enum sec_engine e, int *err)
{
	static const uint8_t k[16] = {1}, s[14] = {2};
	const struct sec_session_params p = {
		.proto = SEC_PROTO_SRTP,
		.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
		.master_key = k,
		.master_salt = s,
		.engine = e,
	};

	return sec_session_create(&p, err);
}

static void
kat_hook(const struct sec_eng_ops *ops, uint8_t *expect, size_t len)
{
	struct sec_session *ss;
	int err = 0;

	seen[ops->id]++;
	ss = mk(ops->id, &err);
	if (sec_engine_available(ops->id) || ss != NULL || err != -ENOTSUP ||
	    sec_engine_selftest(ops->id) != -ENODEV)
		usable[ops->id]++;
	sec_session_destroy(ss);
	if ((break_mask & (1u << ops->id)) && len > 0)
		expect[len - 1] ^= 1;
}

static int
init(uint32_t brk)
{
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.disable_cryptodev = true; /* no EAL here */
	memset(seen, 0, sizeof(seen));
	memset(usable, 0, sizeof(usable));
	break_mask = brk;
	sec_test_kat_hook = kat_hook;
	return sec_init(&cfg);
}

/* No engine was usable during its own KATs, and every one ran some. */
static void
check_nothing_registered_during_kat(void)
{
	CU_ASSERT(seen[SEC_ENGINE_OPENSSL] >= 10);
	CU_ASSERT(seen[SEC_ENGINE_LIBSRTP] >= 4);
	CU_ASSERT(!imb_here || seen[SEC_ENGINE_IPSECMB] >= 10);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_OPENSSL], 0);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_LIBSRTP], 0);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_IPSECMB], 0);
}

static void
test_all_refused(void)
{
	int err = 0;

	CU_ASSERT_EQUAL(init(B_OPENSSL | B_LIBSRTP | B_IPSECMB), -ENODEV);
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_OPENSSL));
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_LIBSRTP));
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_IPSECMB));
	CU_ASSERT_EQUAL(sec_suite_mask(), 0);
	CU_ASSERT_PTR_NULL(mk(SEC_ENGINE_OPENSSL, &err));
	CU_ASSERT_EQUAL(err, -ENOTSUP);
	/* a failed KAT stops at its first vector */
	CU_ASSERT_EQUAL(seen[SEC_ENGINE_OPENSSL], 1);
	CU_ASSERT_EQUAL(seen[SEC_ENGINE_LIBSRTP], 1);
	CU_ASSERT_EQUAL(seen[SEC_ENGINE_IPSECMB], imb_here ? 1u : 0u);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_OPENSSL], 0);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_LIBSRTP], 0);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_IPSECMB], 0);
	sec_fini();
}

static void
test_one_refused(void)
{
	uint8_t b[64] = {0x80, 0, 0, 1, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44};
	struct sec_pkt pk = {.data = b, .len = 32, .room = sizeof(b)};
	struct sec_session *s;
	uint8_t st = 0xff;
	int err = 0;

	/* ipsecmb (the default) and openssl refused: libsrtp serves */
	CU_ASSERT_EQUAL_FATAL(init(B_OPENSSL | B_IPSECMB), 0);
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_OPENSSL));
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_IPSECMB));
	CU_ASSERT_TRUE(sec_engine_available(SEC_ENGINE_LIBSRTP));
	CU_ASSERT_EQUAL(sec_engine_selftest(SEC_ENGINE_OPENSSL), -ENODEV);
	CU_ASSERT_PTR_NULL(mk(SEC_ENGINE_OPENSSL, &err));
	CU_ASSERT_EQUAL(err, -ENOTSUP);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_OPENSSL], 0);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_LIBSRTP], 0);
	/* the default falls back to the engine that passed, which works */
	s = mk(SEC_ENGINE_DEFAULT, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(sec_session_engine(s), SEC_ENGINE_LIBSRTP);
	CU_ASSERT_EQUAL(sec_protect_burst(s, &pk, 1, &st), 1);
	CU_ASSERT_EQUAL(st, SEC_ST_OK);
	CU_ASSERT_EQUAL(pk.len, 32 + 10);
	CU_ASSERT_EQUAL(b[0], 0x80);
	sec_session_destroy(s);
	/* its selftest runs (hook calls again, still passing) */
	CU_ASSERT_EQUAL(sec_engine_selftest(SEC_ENGINE_LIBSRTP), 0);
	sec_fini();
}

/* The default engine (ipsecmb) refused: never usable, and the default
 * falls back to our transform on another engine (cryptodev is off here:
 * openssl), whose packets are right. */
static void
test_default_refused(void)
{
	static const uint8_t want[10] = {0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
					 0x11, 0x22};
	uint8_t b[64] = {0x80, 0, 0, 1, 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44};
	struct sec_pkt pk = {.data = b, .len = 32, .room = sizeof(b)};
	struct sec_session *s;
	uint8_t st = 0xff;
	int err = 0;

	if (!imb_here)
		return;
	CU_ASSERT_EQUAL_FATAL(init(B_IPSECMB), 0);
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_IPSECMB));
	CU_ASSERT_EQUAL(seen[SEC_ENGINE_IPSECMB], 1);
	CU_ASSERT_EQUAL(usable[SEC_ENGINE_IPSECMB], 0);
	CU_ASSERT_EQUAL(sec_engine_selftest(SEC_ENGINE_IPSECMB), -ENODEV);
	CU_ASSERT_PTR_NULL(mk(SEC_ENGINE_IPSECMB, &err));
	CU_ASSERT_EQUAL(err, -ENOTSUP);
	s = mk(SEC_ENGINE_DEFAULT, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(sec_session_engine(s), SEC_ENGINE_OPENSSL);
	CU_ASSERT_EQUAL(sec_protect_burst(s, &pk, 1, &st), 1);
	CU_ASSERT_EQUAL(st, SEC_ST_OK);
	CU_ASSERT_EQUAL(pk.len, 32 + 10);
	CU_ASSERT_EQUAL(memcmp(b, want, sizeof(want)), 0);
	sec_session_destroy(s);
	sec_fini();
}

static void
test_none_refused(void)
{
	int err = 0;
	struct sec_session *s;

	CU_ASSERT_EQUAL_FATAL(init(0), 0);
	CU_ASSERT_TRUE(sec_engine_available(SEC_ENGINE_OPENSSL));
	CU_ASSERT_TRUE(sec_engine_available(SEC_ENGINE_LIBSRTP));
	imb_here = sec_engine_available(SEC_ENGINE_IPSECMB);
#ifdef SEC_HAVE_IPSEC_MB
	/* with the library, the engine runs wherever the CPU has AES-NI */
	CU_ASSERT_EQUAL(imb_here, __builtin_cpu_supports("aes") != 0);
#else
	CU_ASSERT_FALSE(imb_here);
#endif
	check_nothing_registered_during_kat();
	s = mk(SEC_ENGINE_OPENSSL, &err);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(err, 0);
	sec_session_destroy(s);
	sec_fini();
}

/* sec_fini with a per-lcore context alive keeps the engines (their pools
 * hold the context's state); once it is destroyed, fini releases them. */
static void
test_fini_with_context(void)
{
	struct sec_lcore *lc;
	int err = -1;

	CU_ASSERT_EQUAL_FATAL(init(0), 0);
	lc = sec_lcore_create(0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(lc);
	CU_ASSERT_EQUAL(err, 0);
	sec_fini();
	CU_ASSERT_TRUE(sec_engine_available(SEC_ENGINE_OPENSSL));
	sec_lcore_destroy(lc);
	sec_fini();
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_OPENSSL));
	CU_ASSERT_EQUAL(sec_suite_mask(), 0);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("kat refusal", NULL, NULL);
	CU_add_test(s, "nothing registered while its KATs run", test_none_refused);
	CU_add_test(s, "engines with a wrong known answer are refused", test_all_refused);
	CU_add_test(s, "one engine refused, the other serves", test_one_refused);
	CU_add_test(s, "the default engine refused, the default falls back",
		    test_default_refused);
	CU_add_test(s, "fini keeps engines while a context lives", test_fini_with_context);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	return f ? 1 : 0;
}
